//! Fuzzes a whole site: the input is cut into a site.yaml, a treaty, two articles, a table of
//! events, a party's file and a free page (a NUL byte ends each part; an empty part leaves
//! that file out, but for site.yaml and the treaty, which get good defaults so that the rest
//! is reached). The site is built through the public `build` API, as `treatyline build` does,
//! into an output beside it, all inside a fresh temporary folder.
//!
//! It must never panic, its report must print, and it must write nothing but its output (and
//! its lock file beside it): the site's own files are left as they were and nothing else
//! appears in the temporary folder.

#![no_main]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use libfuzzer_sys::fuzz_target;
use treatyline::{BuildError, BuildOptions};

const SITE: &str = "title: Fuzz\nbase_url: https://example.org/fuzz/\ndefault_treaty: t\n";
const TREATY: &str = "---\ntitle: T\nestablished: 2020-01-01\nfounders: [FR]\n---\nA treaty.\n";

/// Where each part of the input goes, in order.
const FILES: [&str; 7] = [
    "site.yaml",
    "content/treaties/t.md",
    "content/articles/a.md",
    "content/articles/2021-02-03-b.md",
    "content/events/t.csv",
    "content/countries/xk.md",
    "content/pages/about.md",
];

/// Every file below `dir` with its bytes, by path relative to it; links are listed, not
/// followed.
fn listing(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let relative = path.strip_prefix(dir).unwrap().to_path_buf();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                out.insert(relative, Vec::new());
                stack.push(path);
            } else {
                out.insert(relative, fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("site");
    let mut parts = data.split(|b| *b == 0);
    for (i, path) in FILES.iter().enumerate() {
        let part = parts.next().unwrap_or_default();
        let bytes = match (i, part.is_empty()) {
            (0, true) => SITE.as_bytes(),
            (1, true) => TREATY.as_bytes(),
            (_, true) => continue,
            (_, false) => part,
        };
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
    let site_before = listing(&root);
    let output = outer.path().join("public");
    let options = BuildOptions {
        root: root.clone(),
        output: Some(output),
        today: Some(jiff::civil::date(2026, 6, 1)),
        ..BuildOptions::default()
    };
    match treatyline::build(&options) {
        Ok(built) => drop(built.diagnostics.report()),
        Err(BuildError::Content(diagnostics)) => {
            assert!(diagnostics.has_errors(), "a failed build without an error");
            drop(diagnostics.report());
        }
        Err(other) => panic!("the build failed writing: {other}"),
    }
    assert!(listing(&root) == site_before, "the build changed the site's own files");
    let mut beside: Vec<String> = fs::read_dir(outer.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    let allowed = [".public.lock", "public", "site"];
    assert!(
        beside.iter().all(|name| allowed.contains(&name.as_str())),
        "the build wrote beside its output: {beside:?}"
    );
});
