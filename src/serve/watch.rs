//! Watches the site's inputs (site.yaml, content/, templates/, static/) and rebuilds on change.
//! Events are debounced briefly (an editor's save is often several writes), changes that arrive
//! during a build are gathered into the next one, and files no build reads (editor backups,
//! hidden files, anything else beside site.yaml) are ignored.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::Shared;
use super::sources::SourceCache;
use crate::BuildOptions;
use crate::render::Pages;

/// Long enough to gather one save's writes, short enough not to be felt.
const DEBOUNCE: Duration = Duration::from_millis(30);

/// The folders a build reads, besides site.yaml.
const FOLDERS: [&str; 3] = ["content", "templates", "static"];

type Debounced = Debouncer<notify::RecommendedWatcher, RecommendedCache>;

/// Watching stops when this and the rebuild thread are gone. Shared with that thread, which
/// adds a watch when an input folder appears after serve started.
pub(super) type Watcher = Arc<Mutex<Debounced>>;

/// Starts watching `root` and a thread that rebuilds into `shared` on every relevant change.
pub(super) fn spawn(
    root: &Path,
    shared: Arc<Shared>,
    options: BuildOptions,
    mut cache: SourceCache,
    mut pages: Option<Pages>,
) -> io::Result<Watcher> {
    // Events name absolute paths; the root must be spelled the same way to strip it.
    let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let (sender, receiver) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, sender).map_err(watch_error)?;
    // The root itself without recursion (site.yaml; target/ or node_modules/ beside it must
    // not be watched), and each input folder with it.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(watch_error)?;
    for folder in FOLDERS {
        let path = root.join(folder);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(watch_error)?;
        }
    }
    let watcher = Arc::new(Mutex::new(debouncer));
    let thread_watcher = Arc::clone(&watcher);
    std::thread::Builder::new()
        .name("treatyline-rebuild".into())
        .spawn(move || {
            rebuild_loop(
                &root,
                &receiver,
                &thread_watcher,
                &shared,
                &options,
                &mut cache,
                &mut pages,
            )
        })?;
    Ok(watcher)
}

/// Watches input folders created since serve started (say, a first static/ file). Done before
/// the rebuild, which then reads whatever was written before the watch began.
fn watch_new_folders(root: &Path, changed: &[PathBuf], watcher: &Watcher) {
    for folder in FOLDERS {
        if changed.iter().any(|p| p == Path::new(folder)) && root.join(folder).is_dir() {
            let mut watcher = watcher.lock().unwrap_or_else(|e| e.into_inner());
            if let Err(err) = watcher.watch(root.join(folder), RecursiveMode::Recursive) {
                eprintln!("warning: cannot watch {folder}/ for changes: {err}");
            }
        }
    }
}

fn watch_error(err: notify::Error) -> io::Error {
    io::Error::other(format!("cannot watch the site for changes: {err}"))
}

fn rebuild_loop(
    root: &Path,
    receiver: &mpsc::Receiver<DebounceEventResult>,
    watcher: &Watcher,
    shared: &Arc<Shared>,
    options: &BuildOptions,
    cache: &mut SourceCache,
    pages: &mut Option<Pages>,
) {
    // Runs as long as serve does: the watcher, which holds the sender, is shared with it.
    while let Ok(first) = receiver.recv() {
        let mut relevant = relevant_paths(root, first);
        // Everything already waiting goes into this one build.
        while let Ok(more) = receiver.try_recv() {
            relevant.extend(relevant_paths(root, more));
        }
        if relevant.is_empty() {
            continue;
        }
        relevant.sort();
        relevant.dedup();
        watch_new_folders(root, &relevant, watcher);
        let what = match relevant.as_slice() {
            [one] => crate::source::slash_path(one),
            many => format!("{} files", many.len()),
        };
        super::rebuild(
            shared,
            options,
            cache,
            pages,
            Some(&relevant),
            &format!("{what} changed: rebuilt"),
        );
    }
}

fn relevant_paths(root: &Path, result: DebounceEventResult) -> Vec<PathBuf> {
    match result {
        Ok(events) => events
            .into_iter()
            .filter(|e| !e.kind.is_access())
            .flat_map(|e| e.event.paths)
            .filter_map(|path| {
                let relative = path.strip_prefix(root).ok()?.to_path_buf();
                is_input(&relative).then_some(relative)
            })
            .collect(),
        Err(errors) => {
            for err in errors {
                eprintln!("warning: watching the site: {err}");
            }
            Vec::new()
        }
    }
}

/// Whether a path (relative to the root) is something a build reads.
fn is_input(relative: &Path) -> bool {
    let mut parts = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy());
    let Some(top) = parts.next() else {
        return false;
    };
    let name = relative
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let scratch = name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp");
    if scratch {
        return false;
    }
    top == crate::source::CONFIG_FILE || FOLDERS.contains(&top.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inputs_trigger_a_build() {
        assert!(is_input(Path::new("site.yaml")));
        assert!(is_input(Path::new("content/articles/a.md")));
        assert!(is_input(Path::new("static/style.css")));
        assert!(!is_input(Path::new("content/articles/.a.md.swp")));
        assert!(!is_input(Path::new("content/articles/a.md~")));
        assert!(!is_input(Path::new("public/index.html")));
        assert!(!is_input(Path::new("Cargo.toml")));
    }
}
