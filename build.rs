fn main() {
    // The built-in theme is compiled in (src/builtin.rs): rebuild when it changes.
    println!("cargo:rerun-if-changed=templates");
    println!("cargo:rerun-if-changed=static");
    // `treatyline new` copies the starter content (src/scaffold.rs).
    println!("cargo:rerun-if-changed=content");
}
