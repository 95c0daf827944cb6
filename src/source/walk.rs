//! Walks a folder of the site: every regular file below it, links followed only while they
//! stay inside the site, and what was skipped on the way named for `--verbose`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
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

/// A file read: its path relative to the site's folder, and its bytes.
type File = (PathBuf, Vec<u8>);

/// Every regular file below `folder` (which may not exist), sorted by path, as (path relative
/// to `root`, bytes). Hidden files are skipped. Links are followed while they stay inside the
/// site's folder; one that leads out of it is an error and is never read, so a site (or a
/// clone of one) cannot publish or echo a file from elsewhere. A loop is an error too. What is
/// neither a file nor a folder (a FIFO, a socket, a device) is never opened: it is added to
/// `skipped`, as is a folder named like a Markdown file (whose files are still read). The
/// files are read in parallel as the walk lists them: reading one at a time was most of the
/// time a large site took to load.
pub(super) fn walk(
    root: &Path,
    folder: &Path,
    diagnostics: &mut Diagnostics,
    skipped: &mut Vec<Skipped>,
) -> Vec<File> {
    let Ok(real_root) = fs::canonicalize(root) else {
        return Vec::new();
    };
    if !folder.exists() {
        return Vec::new();
    }
    // A file to read (its path relative to `root`, and as walked), or a problem met on the
    // way, numbered in walking order. Files are read as the walk lists them, so that one
    // thread walks while the others read.
    let mut walker = WalkDir::new(folder)
        .follow_links(true)
        // By name, as `sort_by_file_name` does, but without parsing each path for its name
        // at every comparison (most of the walk's time in a folder of 100,000 articles):
        // siblings' paths differ only in their last part.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter();
    let found = std::iter::from_fn(|| {
        loop {
            let entry = match walker.next()? {
                Ok(entry) => entry,
                Err(err) => return Some(Err(walk_error(root, folder, &err))),
            };
            let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
            let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
            // The folder itself may lie elsewhere through a link above it (content -> ...).
            let linked = entry.depth() == 0 || entry.path_is_symlink();
            let refused = !hidden && linked && !inside_site(&real_root, entry.path());
            let kind = entry.file_type();
            if hidden || refused {
                if kind.is_dir() {
                    walker.skip_current_dir();
                }
                if refused {
                    return Some(Err(leads_outside(relative, entry.path())));
                }
            } else if kind.is_file() {
                return Some(Ok((relative.to_path_buf(), entry.into_path())));
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
    });
    let mut read: Vec<(usize, Result<File, Diagnostic>)> = found
        .enumerate()
        .par_bridge()
        .map(|(at, file)| {
            let read = file.and_then(|(relative, path)| match fs::read(&path) {
                Ok(bytes) => Ok((relative, bytes)),
                Err(err) => Err(io_error(&relative, &err)),
            });
            (at, read)
        })
        .collect();
    read.par_sort_unstable_by_key(|(at, _)| *at);
    let mut files = Vec::with_capacity(read.len());
    for (_, file) in read {
        match file {
            Ok(file) => files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }
    files
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
