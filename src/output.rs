//! Writes the site: into a staging folder beside the output, swapped in only when every file
//! was written. A failed or interrupted build leaves the previous output exactly as it was.
//! The only module that writes files.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::{Diagnostic, Location};
use crate::render::OutputFile;

/// Refuses output folders that would destroy the site's own files: the site root itself, a
/// folder holding content/, or one inside content/, templates/ or static/.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let output = absolute(output);
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            Location::file(output.display().to_string()),
            format!("refusing to write the site here: {why}"),
        )
        .with_hint("choose an output folder of its own, such as `public`"))
    };
    if output == root {
        return refuse(
            "it is the site's own folder, and the build replaces the output folder whole",
        );
    }
    if output.join("content").is_dir() || output.join(crate::source::CONFIG_FILE).is_file() {
        return refuse("it holds a site (content/ or site.yaml)");
    }
    if root.starts_with(&output) {
        return refuse("it contains the site");
    }
    for inner in ["content", "templates", "static"] {
        if output.starts_with(root.join(inner)) {
            return refuse(&format!("it is inside the site's {inner}/ folder"));
        }
    }
    Ok(())
}

/// An absolute, lexically normalised path (the folder may not exist yet).
fn absolute(path: &Path) -> PathBuf {
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
    // Resolve links of the part that exists, so two spellings of one folder compare equal.
    fs::canonicalize(&out).unwrap_or(out)
}

/// The next output, being written: a staging folder beside the output that `commit` swaps in.
/// Dropped without a commit (a failed build), it is removed and the output is untouched.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    parent: PathBuf,
    name: String,
    committed: bool,
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let output = absolute(output);
        let parent = output.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = output
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".to_string());
        fs::create_dir_all(&parent)?;
        remove_stale(&parent, &name);
        let staging = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging)?;
        }
        fs::create_dir_all(&staging)?;
        Ok(Staging {
            output,
            staging,
            parent,
            name,
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
        fs::write(&target, &file.bytes)
    }

    /// Makes the staged files the output, atomically from a reader's point of view.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self
            .parent
            .join(format!(".{}.old-{}", self.name, std::process::id()));
        let had_output = self.output.exists();
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
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
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
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}
