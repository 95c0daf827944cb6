//! Walks a folder of the site: every regular file below it, links followed only while they
//! stay inside the site, and what was skipped on the way named for `--verbose`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};

/// A path under the site's folders that was not read, and why: named with `--verbose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Relative to the site's folder.
    pub path: PathBuf,
    /// Why, as a note says it: "not a Markdown file".
    pub why: &'static str,
}

/// Every regular file below `folder` (which may not exist), sorted by path, as (path relative
/// to `root`, bytes). Hidden files are skipped. Links are followed while they stay inside the
/// site's folder; one that leads out of it is an error and is never read, so a site (or a
/// clone of one) cannot publish or echo a file from elsewhere. A loop is an error too. What is
/// neither a file nor a folder (a FIFO, a socket, a device) is never opened: it is added to
/// `skipped`, as is a folder named like a Markdown file (whose files are still read).
pub(super) fn walk(
    root: &Path,
    folder: &Path,
    diagnostics: &mut Diagnostics,
    skipped: &mut Vec<Skipped>,
) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(real_root) = fs::canonicalize(root) else {
        return out;
    };
    if !folder.exists() {
        return out;
    }
    let mut walker = WalkDir::new(folder)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                diagnostics.push(walk_error(root, folder, &err));
                continue;
            }
        };
        let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        // The folder itself may lie elsewhere through a link above it (content -> ...).
        let linked = entry.depth() == 0 || entry.path_is_symlink();
        let refused = !hidden && linked && !inside_site(&real_root, entry.path());
        if refused {
            diagnostics.push(leads_outside(relative, entry.path()));
        }
        let kind = entry.file_type();
        if hidden || refused {
            if kind.is_dir() {
                walker.skip_current_dir();
            }
        } else if kind.is_file() {
            match fs::read(entry.path()) {
                Ok(bytes) => out.push((relative.to_path_buf(), bytes)),
                Err(err) => diagnostics.push(io_error(relative, &err)),
            }
        } else if kind.is_dir() {
            if entry.depth() > 0 && super::is_markdown(relative) {
                skipped.push(Skipped {
                    path: relative.to_path_buf(),
                    why: "a folder, not a Markdown file; the files inside it are read",
                });
            }
        } else {
            skipped.push(Skipped {
                path: relative.to_path_buf(),
                why: "not a regular file (a FIFO, socket or device), so it is not read",
            });
        }
    }
    out
}

/// Whether `path`, its links followed, lies inside the site's folder `real_root` (resolved
/// already). A path that cannot be resolved counts as outside.
pub(super) fn inside_site(real_root: &Path, path: &Path) -> bool {
    fs::canonicalize(path).is_ok_and(|real| real.starts_with(real_root))
}

pub(super) fn leads_outside(relative: &Path, path: &Path) -> Diagnostic {
    let target = match fs::read_link(path) {
        Ok(target) => format!("`{}`", target.display()),
        Err(_) => "a folder outside it".to_string(),
    };
    Diagnostic::error(
        Location::file(relative),
        format!("this link leads out of the site's folder (to {target}), so it is not read"),
    )
    .with_hint("copy the file into the site, or point the link at a file inside the site's folder")
}

fn walk_error(root: &Path, folder: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().unwrap_or(folder);
    let relative = path.strip_prefix(root).unwrap_or(path);
    if err.loop_ancestor().is_some() {
        Diagnostic::error(
            Location::file(relative),
            "this link points back to a folder that contains it (a symlink loop)",
        )
        .with_hint("remove the link or point it somewhere outside its own folder")
    } else {
        Diagnostic::error(Location::file(relative), format!("cannot read: {err}"))
            .with_hint("check the file's permissions")
    }
}

pub(super) fn io_error(path: &Path, err: &io::Error) -> Diagnostic {
    Diagnostic::error(Location::file(path), format!("cannot read: {err}"))
        .with_hint("check that the file exists and that its permissions allow reading")
}
