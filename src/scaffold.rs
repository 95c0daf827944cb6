//! `treatyline new`: a ready site in a new folder.
//!
//! Owns the starter site: this repository's own `content/` (compiled in, like the built-in
//! theme), a generated `site.yaml`, and the files in `src/scaffold/` (the authors' README,
//! `.gitignore`, and the publishing files of [`ci`]). Templates and static files are not
//! copied: a site without them uses the built-in theme, and keeps getting its fixes.
//!
//! Everything is decided and checked before the first byte is written, so a refused `new`
//! leaves the disk as it was.

use std::fmt;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

pub use self::ci::Ci;

use crate::config::normalize_base_url;
use crate::diagnostic::printable_path;
use crate::model::slugify;

/// The Abraham Accords starter content: the repository's default site.
static CONTENT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content");

mod ci;

const README: &str = include_str!("scaffold/README.md");
const GITIGNORE: &str = include_str!("scaffold/gitignore");

/// The title of a site made without `--title`: the starter content's subject.
pub const DEFAULT_TITLE: &str = "Abraham Accords Timeline";
const DESCRIPTION: &str = "Who joined the Abraham Accords, when, and what was reported.";

/// What a `--bare` site keeps of the starter content: the treaty, one article, the about page.
const BARE_CONTENT: [&str; 3] = [
    "content/treaties/abraham-accords.md",
    "content/articles/2025-11-07-kazakhstan-joins-abraham-accords.md",
    "content/pages/about.md",
];

/// What `new` is asked to create.
#[derive(Debug, Clone)]
pub struct NewOptions {
    /// The folder to create (or to fill: see `force`).
    pub dir: PathBuf,
    /// The site's title; the starter content's ("Abraham Accords Timeline") when not given.
    pub title: Option<String>,
    /// The address the site will be published at; a GitHub Pages project address named after
    /// the folder when not given.
    pub base_url: Option<String>,
    /// Keep only one treaty, one article and the about page of the starter content.
    pub bare: bool,
    /// Write into a folder that exists and holds only hidden files (such as .git).
    pub force: bool,
    /// Where the site is published from: which CI files are written.
    pub ci: Ci,
}

/// Why `new` wrote nothing (or, for `Write`, stopped part-way).
#[derive(Debug)]
pub enum NewError {
    /// The folder holds visible files; `entries` names a few of them.
    NotEmpty {
        /// The folder.
        dir: PathBuf,
        /// A few of its visible entries.
        entries: Vec<String>,
        /// Whether `force` was given (it allows hidden entries only).
        force: bool,
    },
    /// With `--force`: files the site would write already exist.
    WouldOverwrite {
        /// The folder.
        dir: PathBuf,
        /// The files that exist, relative to it.
        files: Vec<String>,
    },
    /// With `--force`: a folder the site writes into is a symbolic link, which could lead out
    /// of the new site's folder.
    Link {
        /// The link, inside the folder.
        path: PathBuf,
        /// Where it leads.
        target: PathBuf,
    },
    /// The path exists and is not a folder.
    NotADirectory(PathBuf),
    /// `--base-url` is not an absolute http(s) URL.
    BaseUrl(String),
    /// `--title` is empty.
    EmptyTitle,
    /// Reading the folder or writing a file failed.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the disk said.
        error: std::io::Error,
    },
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewError::NotEmpty {
                dir,
                entries,
                force,
            } => {
                write!(
                    f,
                    "{} exists and is not empty (it holds {})",
                    dir.display(),
                    entries.join(", ")
                )?;
                if *force {
                    write!(
                        f,
                        "\n  = note: --force only writes into a folder whose entries are all hidden, such as .git"
                    )
                } else {
                    write!(
                        f,
                        "\n  = hint: choose a new folder name; for a folder holding only hidden entries such as .git, add --force"
                    )
                }
            }
            NewError::WouldOverwrite { dir, files } => write!(
                f,
                "{} already holds {}; nothing was written\n  = hint: move those files away, or start the site in a new folder",
                dir.display(),
                files.join(", ")
            ),
            NewError::NotADirectory(path) => {
                write!(f, "{} exists and is not a folder", path.display())
            }
            NewError::Link { path, target } => write!(
                f,
                "refusing to write into {}: it is a symbolic link (to {}), and the new site's \
                 files would be written wherever it leads\n  = hint: remove the link, or start \
                 the site in another folder",
                printable_path(path),
                printable_path(target)
            ),
            NewError::BaseUrl(message) => write!(
                f,
                "{message}\n  = hint: write the full address the site will be published at, e.g. https://user.github.io/repo/"
            ),
            NewError::EmptyTitle => write!(
                f,
                "the title is empty\n  = hint: pass a title such as --title \"Treaty Tracker\""
            ),
            NewError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for NewError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NewError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// One file of the new site: a path relative to its folder, with `/` separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub path: String,
    pub contents: Vec<u8>,
}

/// The files of a new site, in path order; pure (reads nothing, writes nothing).
pub fn site_files(title: &str, base_url: &str, bare: bool, ci: Ci) -> Vec<NewFile> {
    let mut files = vec![
        NewFile {
            path: "site.yaml".to_string(),
            contents: site_yaml(title, base_url).into_bytes(),
        },
        NewFile {
            path: ".gitignore".to_string(),
            contents: GITIGNORE.as_bytes().to_vec(),
        },
        NewFile {
            path: "README.md".to_string(),
            contents: ci::fill(&README.replace("{{publishing}}", &ci.readme_section()))
                .replace("{{title}}", title)
                .into_bytes(),
        },
    ];
    files.extend(ci.files().into_iter().map(|(path, text)| NewFile {
        path: path.to_string(),
        contents: text.into_bytes(),
    }));
    let mut stack = vec![&CONTENT];
    while let Some(dir) = stack.pop() {
        for file in dir.files() {
            let path = format!(
                "content/{}",
                file.path().to_string_lossy().replace('\\', "/")
            );
            if !bare || BARE_CONTENT.contains(&path.as_str()) {
                files.push(NewFile {
                    path,
                    contents: file.contents().to_vec(),
                });
            }
        }
        stack.extend(dir.dirs());
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// site.yaml; the title is written as a double-quoted YAML string (JSON's escapes are YAML's).
fn site_yaml(title: &str, base_url: &str) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string());
    format!(
        "title: {title}\n\
         # Where the site is published. The publishing workflow passes GitHub Pages' address\n\
         # with --base-url instead; a path part (https://user.github.io/repo/) is honoured.\n\
         base_url: {base_url}\n\
         default_treaty: abraham-accords\n\
         language: en\n\
         description: {description}\n",
        title = quote(title),
        base_url = quote(base_url),
        description = quote(DESCRIPTION),
    )
}

/// The placeholder address of a site made without `--base-url`: a GitHub Pages project site
/// named after the folder.
fn default_base_url(dir: &Path) -> String {
    let name = std::path::absolute(dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| slugify(&n.to_string_lossy())))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "site".to_string());
    format!("https://example.github.io/{name}/")
}

/// Creates the site; returns a message saying what was made and what to do next.
pub fn new_site(options: &NewOptions) -> Result<String, NewError> {
    let title = options.title.as_deref().unwrap_or(DEFAULT_TITLE).trim();
    if title.is_empty() {
        return Err(NewError::EmptyTitle);
    }
    let base_url = match &options.base_url {
        Some(url) => normalize_base_url(url).map_err(NewError::BaseUrl)?,
        None => default_base_url(&options.dir),
    };
    let dir = &options.dir;
    let existed = check_target(dir, options.force)?;
    let files = site_files(title, &base_url, options.bare, options.ci);
    if existed {
        refuse_links(dir, &files)?;
        let taken: Vec<String> = files
            .iter()
            .filter(|f| dir.join(&f.path).symlink_metadata().is_ok())
            .map(|f| f.path.clone())
            .collect();
        if !taken.is_empty() {
            return Err(NewError::WouldOverwrite {
                dir: dir.clone(),
                files: taken,
            });
        }
    }
    if let Err(err) = write_files(dir, &files) {
        // A folder made by this run is removed again rather than left half-written.
        if !existed {
            let _ = std::fs::remove_dir_all(dir);
        }
        return Err(err);
    }
    let articles = files
        .iter()
        .filter(|f| f.path.starts_with("content/articles/"))
        .count();
    let shown = dir.display();
    Ok(format!(
        "created the site \"{title}\" in {shown}: {count} files, {articles} article{s}\n\
         \n\
         next steps:\n  \
           cd {shown}\n  \
           treatyline serve        # preview at http://127.0.0.1:1111/\n  \
           treatyline check        # check content and links\n  \
           treatyline build        # write the site into public/\n\
         \n\
         README.md explains how to write articles and how to publish with {host} Pages.",
        count = files.len(),
        host = match options.ci {
            Ci::GitHub => "GitHub",
            Ci::GitLab => "GitLab",
        },
        s = if articles == 1 { "" } else { "s" },
    ))
}

/// Whether `dir` may receive a site: it does not exist, is empty, or (with `force`) holds only
/// hidden entries. Returns whether it existed.
fn check_target(dir: &Path, force: bool) -> Result<bool, NewError> {
    let io = |error| NewError::Io {
        path: dir.to_path_buf(),
        error,
    };
    let metadata = match std::fs::metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(io(e)),
    };
    if !metadata.is_dir() {
        return Err(NewError::NotADirectory(dir.to_path_buf()));
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|entry| entry.map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    names.sort();
    let visible: Vec<&String> = names.iter().filter(|n| !n.starts_with('.')).collect();
    let refused = if force {
        !visible.is_empty()
    } else {
        !names.is_empty()
    };
    if refused {
        let shown: Vec<&String> = if visible.is_empty() {
            names.iter().collect()
        } else {
            visible
        };
        let mut entries: Vec<String> = shown.iter().take(3).map(|n| n.to_string()).collect();
        if shown.len() > 3 {
            entries.push(format!("and {} more", shown.len() - 3));
        }
        return Err(NewError::NotEmpty {
            dir: dir.to_path_buf(),
            entries,
            force,
        });
    }
    Ok(true)
}

/// Refuses a folder the site's files go into (`.github`, `.github/workflows`) that is a
/// symbolic link: writing through it could write anywhere. Reads only.
fn refuse_links(dir: &Path, files: &[NewFile]) -> Result<(), NewError> {
    for file in files {
        let mut path = dir.to_path_buf();
        let relative = Path::new(&file.path);
        for part in relative.parent().into_iter().flat_map(Path::components) {
            path.push(part);
            if let Ok(target) = std::fs::read_link(&path) {
                return Err(NewError::Link { path, target });
            }
        }
    }
    Ok(())
}

fn write_files(dir: &Path, files: &[NewFile]) -> Result<(), NewError> {
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|error| NewError::Io {
                path: parent.to_path_buf(),
                error,
            })?;
        }
        std::fs::write(&path, &file.contents).map_err(|error| NewError::Io { path, error })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stage;

    #[test]
    fn the_full_site_has_the_whole_starter_content() {
        let files = site_files(DEFAULT_TITLE, "https://x.org/", false, Ci::GitHub);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for expected in [
            "site.yaml",
            ".gitignore",
            "README.md",
            ".github/workflows/publish.yml",
            ".github/dependabot.yml",
        ] {
            assert!(
                paths.contains(&expected),
                "{expected} missing from {paths:?}"
            );
        }
        assert_eq!(
            paths.iter().filter(|p| p.starts_with("content/")).count(),
            count_content()
        );
        assert!(paths.contains(&"content/pages/methodology.md"));
    }

    fn count_content() -> usize {
        let mut n = 0;
        let mut stack = vec![&CONTENT];
        while let Some(dir) = stack.pop() {
            n += dir.files().count();
            stack.extend(dir.dirs());
        }
        n
    }

    #[test]
    fn bare_keeps_the_treaty_one_article_and_the_about_page() {
        let files = site_files(DEFAULT_TITLE, "https://x.org/", true, Ci::GitHub);
        let content: Vec<&str> = files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.starts_with("content/"))
            .collect();
        let mut expected = BARE_CONTENT.to_vec();
        expected.sort();
        assert_eq!(content, expected);
    }

    #[test]
    fn titles_are_quoted_for_yaml() {
        let yaml = site_yaml("Pacts: \"A\" & B", "https://x.org/");
        assert!(
            yaml.starts_with("title: \"Pacts: \\\"A\\\" & B\"\n"),
            "{yaml}"
        );
        let parsed = crate::config::parse(&yaml, None).unwrap();
        assert_eq!(parsed.title, "Pacts: \"A\" & B");
    }

    #[test]
    fn the_readme_names_every_stage_and_the_workflow_its_version() {
        for stage in Stage::ALL {
            assert!(
                README.contains(&format!("`{}`", stage.id())),
                "README lacks {}",
                stage.id()
            );
        }
        for ci in [Ci::GitHub, Ci::GitLab] {
            let files = site_files(DEFAULT_TITLE, "https://x.org/", true, ci);
            let readme = files.iter().find(|f| f.path == "README.md").unwrap();
            let readme = String::from_utf8_lossy(&readme.contents);
            assert!(!readme.contains("{{"), "{readme}");
            assert!(readme.contains(&format!("--tag v{}", ci::VERSION)));
        }
    }

    #[test]
    fn the_default_address_is_named_after_the_folder() {
        assert_eq!(
            default_base_url(Path::new("My Treaties")),
            "https://example.github.io/my-treaties/"
        );
    }
}
