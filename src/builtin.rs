//! The built-in theme: this repository's own templates/ and static/, compiled into the binary,
//! so a site without either folder still builds.

use include_dir::{Dir, include_dir};

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

fn files(dir: &'static Dir<'static>) -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    let mut stack = vec![dir];
    while let Some(dir) = stack.pop() {
        for file in dir.files() {
            let name = file.path().to_string_lossy().replace('\\', "/");
            out.push((name, file.contents()));
        }
        stack.extend(dir.dirs());
    }
    out.sort();
    out
}

/// The built-in templates as (name, text), sorted by name.
pub fn templates() -> Vec<(String, &'static str)> {
    files(&TEMPLATES)
        .into_iter()
        .filter_map(|(name, bytes)| std::str::from_utf8(bytes).ok().map(|text| (name, text)))
        .collect()
}

/// The built-in static files as (path, bytes), sorted by path.
pub fn static_files() -> Vec<(String, &'static [u8])> {
    files(&STATIC)
}
