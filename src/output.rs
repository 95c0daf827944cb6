//! Writes the site: into a staging folder beside the output, swapped in only when every file
//! was written. A failed or interrupted build leaves the previous output exactly as it was.
//! The only module that writes files.
//!
//! A build replaces its output whole, so before anything is read it makes sure the folder is
//! its own to replace: not a link to somewhere else, not the site itself, and either missing,
//! empty, or marked as treatyline's output by a [`MARKER`] file (`--force` overrides the last
//! rule only). While it writes, it holds a lock on a file beside the output, so that a second
//! build into the same folder is refused instead of deleting the first one's staging folder.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostic::{Diagnostic, Location};
use crate::render::OutputFile;

/// The file in every output folder that says treatyline made it; a later build replaces a
/// folder holding it without asking. A dotfile: hosts publish it as a harmless tiny file.
pub const MARKER: &str = ".treatyline";

const MARKER_TEXT: &str =
    "This folder is a site built by treatyline. Every build replaces it whole.\n";

/// Refuses output folders that a build must not replace: a symbolic link (the build would
/// replace the folder it leads to), the site root itself, a folder holding content/, one
/// inside content/, templates/ or static/, and, unless `force`, a file or a non-empty folder
/// that treatyline did not make. Reads only; creates nothing.
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> Result<(), Diagnostic> {
    let written = lexical(output);
    let shown = written.display().to_string();
    let refuse = |why: String, hint: &str| {
        Err(Diagnostic::error(
            Location::file(&shown),
            format!("refusing to write the site here: {why}"),
        )
        .with_hint(hint))
    };
    if let Ok(target) = fs::read_link(&written) {
        return refuse(
            format!(
                "it is a symbolic link (to `{}`), and the build would replace the folder it \
                 leads to",
                target.display()
            ),
            "remove the link, or name the folder itself with `--output`",
        );
    }
    let root = absolute(root);
    let output = absolute(&written);
    let own_folder = "choose an output folder of its own, such as `public`";
    if output == root {
        return refuse(
            "it is the site's own folder, and the build replaces the output folder whole".into(),
            own_folder,
        );
    }
    if output.join("content").is_dir() || output.join(crate::source::CONFIG_FILE).is_file() {
        return refuse("it holds a site (content/ or site.yaml)".into(), own_folder);
    }
    if root.starts_with(&output) {
        return refuse("it contains the site".into(), own_folder);
    }
    for inner in ["content", "templates", "static"] {
        if output.starts_with(root.join(inner)) {
            return refuse(
                format!("it is inside the site's {inner}/ folder"),
                own_folder,
            );
        }
    }
    if force {
        return Ok(());
    }
    match whose(&output) {
        Owner::Free => Ok(()),
        Owner::File => refuse(
            "it is a file, not a folder".into(),
            "choose another `--output`, or pass `--force` to replace the file with the site",
        ),
        Owner::Other => refuse(
            format!("the folder is not empty and treatyline did not make it (it has no {MARKER})"),
            "choose another `--output`, or pass `--force` to replace the folder and all it holds",
        ),
    }
}

/// Who the output path belongs to, as far as a build can tell.
enum Owner {
    /// Missing, an empty folder, or treatyline's own output: a build may replace it.
    Free,
    /// A file or anything else that is not a folder.
    File,
    /// A folder with something in it and no marker.
    Other,
}

fn whose(output: &Path) -> Owner {
    match fs::symlink_metadata(output) {
        Err(_) => Owner::Free,
        Ok(meta) if !meta.is_dir() => Owner::File,
        Ok(_) => {
            let marked = fs::symlink_metadata(output.join(MARKER)).is_ok_and(|m| m.is_file());
            let empty = fs::read_dir(output).is_ok_and(|mut entries| entries.next().is_none());
            if marked || empty {
                Owner::Free
            } else {
                Owner::Other
            }
        }
    }
}

/// An absolute, lexically normalised path (the folder may not exist yet); no link is resolved.
fn lexical(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// [`lexical`], with the links of its folders resolved (so two spellings of one folder compare
/// equal) but never its last part: an output that is a link is refused, not followed.
fn absolute(path: &Path) -> PathBuf {
    let path = lexical(path);
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent)
            .unwrap_or_else(|_| parent.to_path_buf())
            .join(name),
        _ => path,
    }
}

/// The lock a build holds on its output while it writes, released when dropped. It is a file
/// beside the output (`.public.lock` for `public`), left in place: removing it could let two
/// builds lock two different files.
pub struct OutputLock {
    _file: fs::File,
}

impl OutputLock {
    /// Takes the lock on `output`, or says which build holds it. Creates the output's parent
    /// folder if needed.
    pub fn acquire(output: &Path) -> Result<OutputLock, LockError> {
        let (parent, name) = parent_and_name(&absolute(output));
        fs::create_dir_all(&parent).map_err(LockError::Io)?;
        let path = parent.join(format!(".{name}.lock"));
        if fs::symlink_metadata(&path).is_ok_and(|m| !m.is_file()) {
            return Err(LockError::Io(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the lock file {} is not a plain file", path.display()),
            )));
        }
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(LockError::Io)?;
        match file.try_lock() {
            Ok(()) => Ok(OutputLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(LockError::Busy(path)),
            // A file system without locks (some network shares) still builds, unguarded.
            Err(fs::TryLockError::Error(err)) if err.kind() == io::ErrorKind::Unsupported => {
                Ok(OutputLock { _file: file })
            }
            Err(fs::TryLockError::Error(err)) => Err(LockError::Io(err)),
        }
    }
}

/// Why the output could not be locked.
#[derive(Debug)]
pub enum LockError {
    /// Another build holds the lock, on this file.
    Busy(PathBuf),
    Io(io::Error),
}

fn parent_and_name(output: &Path) -> (PathBuf, String) {
    let parent = output.parent().unwrap_or(Path::new(".")).to_path_buf();
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".to_string());
    (parent, name)
}

/// The next output, being written: a staging folder beside the output that `commit` swaps in.
/// Dropped without a commit (a failed build), it is removed and the output is untouched.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    parent: PathBuf,
    name: String,
    /// Files written so far, the marker included.
    written: AtomicUsize,
    committed: bool,
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = absolute(output);
        let (parent, name) = parent_and_name(&output);
        fs::create_dir_all(&parent)?;
        remove_stale(&parent, &name);
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        fs::write(staging.join(MARKER), MARKER_TEXT)?;
        Ok(Staging {
            output,
            staging,
            parent,
            name,
            written: AtomicUsize::new(1),
            committed: false,
        })
    }

    /// Writes one file; safe to call from several threads at once for different files.
    pub fn write(&self, file: &OutputFile) -> io::Result<()> {
        let relative = Path::new(&file.path);
        // Paths come from checked slugs and from static/, but never trust a path to stay inside.
        let safe = relative
            .components()
            .all(|c| matches!(c, Component::Normal(_)));
        if !safe {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {}", file.path),
            ));
        }
        let target = self.staging.join(relative);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir)?;
        }
        fs::write(&target, &file.bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Makes the staged files the output, atomically from a reader's point of view; returns
    /// how many files it holds (the marker included). Where the system can exchange two
    /// folders in one step (Linux), the output never stops existing; elsewhere it is missing
    /// between two renames, for an instant.
    pub fn commit(mut self) -> io::Result<usize> {
        let had_output = fs::symlink_metadata(&self.output).is_ok();
        if had_output {
            match exchange(&self.staging, &self.output) {
                Ok(()) => {
                    self.committed = true;
                    // The staging path now holds the previous output.
                    remove(&self.staging);
                    return Ok(self.written.load(Ordering::Relaxed));
                }
                Err(err) if err.kind() == io::ErrorKind::Unsupported => {}
                Err(err) => return Err(err),
            }
        }
        let old = self
            .parent
            .join(format!(".{}.old-{}", self.name, std::process::id()));
        if had_output {
            fs::rename(&self.output, &old)?;
        }
        if let Err(err) = fs::rename(&self.staging, &self.output) {
            if had_output {
                let _ = fs::rename(&old, &self.output);
            }
            return Err(err);
        }
        self.committed = true;
        if had_output {
            remove(&old);
        }
        Ok(self.written.load(Ordering::Relaxed))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Swaps the paths `a` and `b` in one step, both of which exist: each then holds what the
/// other held. `Unsupported` when the system or the file system cannot (then nothing moved).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    let c_path = |p: &Path| {
        CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a path holds a NUL byte"))
    };
    let (a, b) = (c_path(a)?, c_path(b)?);
    // SAFETY: both are valid NUL-terminated paths that outlive the call; AT_FDCWD makes them
    // relative to the current folder, as `fs::rename` does.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        return Ok(());
    }
    let err = io::Error::last_os_error();
    match err.raw_os_error() {
        // The kernel has no renameat2 (ENOSYS), or the file system cannot exchange (EINVAL,
        // as on some network and FUSE file systems).
        Some(libc::ENOSYS | libc::EINVAL | libc::EOPNOTSUPP) => {
            Err(io::Error::new(io::ErrorKind::Unsupported, err))
        }
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange of two paths here",
    ))
}

/// Staging and old folders left by an interrupted build.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        if file_name.starts_with(&format!(".{name}.staging-"))
            || file_name.starts_with(&format!(".{name}.old-"))
        {
            remove(&entry.path());
        }
    }
}

/// Removes a folder and all it holds, or a file (a replaced output may have been one); a link
/// is removed, never followed.
fn remove(path: &Path) {
    let _ = match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        _ => fs::remove_file(path),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_swaps_two_folders_or_says_it_cannot() {
        let dir = tempfile::TempDir::new().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        fs::create_dir(&a).unwrap();
        fs::write(a.join("from-a"), "a").unwrap();
        fs::create_dir(&b).unwrap();
        fs::write(b.join("from-b"), "b").unwrap();
        match exchange(&a, &b) {
            Ok(()) => {
                assert!(a.join("from-b").is_file() && !a.join("from-a").exists());
                assert!(b.join("from-a").is_file() && !b.join("from-b").exists());
            }
            Err(err) => {
                assert_eq!(err.kind(), io::ErrorKind::Unsupported, "{err}");
                assert!(a.join("from-a").is_file() && b.join("from-b").is_file());
            }
        }
        // Linux file systems in use here all exchange; the fallback is for others.
        #[cfg(target_os = "linux")]
        assert!(a.join("from-b").is_file());
        // A missing path is an error, not a silent rename.
        assert!(exchange(&a, &dir.path().join("missing")).is_err());
    }
}
