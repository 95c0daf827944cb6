//! Reads a site from disk: site.yaml, content/, templates/ and static/.
//!
//! This is the only module that reads the site's files. It finds them with walkdir, in sorted
//! order so that every later stage sees the same input whatever the file system, decodes them
//! as UTF-8 (a BOM and CRLF line endings are accepted), and splits each Markdown file into its
//! front matter and body, remembering the line each starts on. It does not interpret YAML, nor
//! the tables of events under content/events/, which it reads as text.

use std::fs;
use std::io;
use std::ops::Deref;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Diagnostics, Location};

mod walk;

pub use walk::Skipped;
use walk::{inside_site, io_error, leads_outside, walk};

/// The content folders, one per kind of document the contract defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// content/articles/: reports of events.
    Articles,
    /// content/treaties/: one file per treaty.
    Treaties,
    /// content/countries/: notes on parties.
    Countries,
    /// content/pages/: free pages (about, methods).
    Pages,
}

impl Section {
    /// Every section, in the order the contract lists them.
    pub const ALL: [Section; 4] = [
        Section::Articles,
        Section::Treaties,
        Section::Countries,
        Section::Pages,
    ];

    /// The section's folder under content/.
    pub fn folder(self) -> &'static str {
        match self {
            Section::Articles => "articles",
            Section::Treaties => "treaties",
            Section::Countries => "countries",
            Section::Pages => "pages",
        }
    }
}

/// A Markdown file of content/, split into front matter and body.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the site root, e.g. `content/articles/2020-08-13-uae.md`.
    pub path: PathBuf,
    /// The folder it is in.
    pub section: Section,
    /// The file name without its extension.
    pub stem: String,
    /// The whole file, BOM removed and line endings normalised to `\n`. Shared with the
    /// model's copy of its body ([`SourceFile::body_text`]): a large site's text is held once.
    /// An `Arc<String>`, not an `Arc<str>`: the file's bytes as read become the text, where an
    /// `Arc<str>` would copy every file into an allocation of its own.
    pub text: Arc<String>,
    /// Where in `text` the YAML between the `---` lines is; `None` without front matter.
    /// Ranges, not copies: a large site's sources are held once.
    front_matter_range: Option<std::ops::Range<usize>>,
    /// The file line (1-based) of the first YAML line.
    pub front_matter_line: usize,
    body_start: usize,
    /// The file line (1-based) of the first body line.
    pub body_line: usize,
}

impl SourceFile {
    /// The YAML between the `---` lines; `None` when the file has no front matter.
    pub fn front_matter(&self) -> Option<&str> {
        self.front_matter_range.clone().map(|r| &self.text[r])
    }

    /// The Markdown after the front matter (the whole file when it has none).
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// [`SourceFile::body`] as a value of its own that shares the file's text, not a copy.
    pub fn body_text(&self) -> Tail {
        Tail {
            text: Arc::clone(&self.text),
            start: self.body_start,
        }
    }
}

/// The end of a shared text, from a byte offset: a document's body kept without copying its
/// file. Reads as a `&str`.
#[derive(Clone, Default)]
pub struct Tail {
    text: Arc<String>,
    start: usize,
}

impl Deref for Tail {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text[self.start..]
    }
}

impl std::fmt::Debug for Tail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

/// The folder under content/ that holds tables of events (`*.csv`), one event a row.
pub const EVENTS_FOLDER: &str = "events";

/// A table of events under content/events/, as text.
#[derive(Debug, Clone)]
pub struct TableFile {
    /// Relative to the site root, e.g. `content/events/paris-agreement.csv`.
    pub path: PathBuf,
    /// The file name without its extension: the treaty of a table named after one.
    pub stem: String,
    /// The whole file, BOM removed and line endings normalised to `\n`.
    pub text: String,
}

/// Everything a build reads, before any of it is interpreted.
#[derive(Debug, Default)]
pub struct SiteSources {
    /// site.yaml's text; `None` when it could not be read (and a diagnostic says why).
    pub config: Option<String>,
    /// The Markdown files of content/, in path order.
    pub files: Vec<SourceFile>,
    /// The tables of events, in path order.
    pub tables: Vec<TableFile>,
    /// The site's own templates as (name relative to templates/, text).
    pub templates: Vec<(String, String)>,
    /// The site's static files as (path relative to static/ with `/`, bytes).
    pub static_files: Vec<(String, Vec<u8>)>,
    /// What was skipped under content/ (a file that is neither Markdown nor a table of events)
    /// and anywhere else (a FIFO, a folder named like a Markdown file), and why.
    pub ignored: Vec<Skipped>,
}

impl SiteSources {
    /// The whole text of every content file read (tables of events too), by its path
    /// relative to the site.
    pub fn texts(&self) -> std::collections::HashMap<&Path, &str> {
        let files = self
            .files
            .iter()
            .map(|f| (f.path.as_path(), f.text.as_str()));
        let tables = self
            .tables
            .iter()
            .map(|t| (t.path.as_path(), t.text.as_str()));
        files.chain(tables).collect()
    }
}

pub const CONFIG_FILE: &str = "site.yaml";

/// Reads the site at `root`. Problems (unreadable files, bad encodings, unclosed front
/// matter) are gathered into `diagnostics`; the files that could be read are returned.
pub fn read_site(root: &Path, diagnostics: &mut Diagnostics) -> SiteSources {
    let mut sources = SiteSources {
        config: read_config(root, diagnostics),
        ..SiteSources::default()
    };

    // Every section's files are gathered before any is kept, so that the list (100,000 files
    // for a large site) is sized once rather than grown, and copied, section by section.
    let mut sections = Vec::with_capacity(Section::ALL.len());
    for section in Section::ALL {
        let folder = root.join("content").join(section.folder());
        let files = walk(root, &folder, diagnostics, &mut sources.ignored);
        let mut markdown = Vec::with_capacity(files.len());
        for (path, bytes) in files {
            if is_markdown(&path) {
                markdown.push((path, bytes));
            } else {
                sources.ignored.push(Skipped {
                    path,
                    why: "not a Markdown file",
                });
            }
        }
        // Decoded and split in parallel, taken in path order.
        let split_files: Vec<Result<SourceFile, Diagnostic>> = markdown
            .into_par_iter()
            .with_max_len(crate::TASK_ITEMS)
            .map(|(path, bytes)| {
                let text = decode(bytes, &path)?;
                split(path, section, text)
            })
            .collect();
        sections.push(split_files);
    }
    sources
        .files
        .reserve_exact(sections.iter().map(Vec::len).sum());
    for file in sections.into_iter().flatten() {
        match file {
            Ok(file) => sources.files.push(file),
            Err(d) => diagnostics.push(d),
        }
    }

    let events = root.join("content").join(EVENTS_FOLDER);
    for (path, bytes) in walk(root, &events, diagnostics, &mut sources.ignored) {
        if !is_table(&path) {
            sources.ignored.push(Skipped {
                path,
                why: "not a table of events (.csv)",
            });
            continue;
        }
        match parse_table(path, &bytes) {
            Ok(table) => sources.tables.push(table),
            Err(d) => diagnostics.push(d),
        }
    }

    for (path, bytes) in walk(
        root,
        &root.join("templates"),
        diagnostics,
        &mut sources.ignored,
    ) {
        match decode(bytes, &path) {
            Ok(text) => {
                let name = slash_path(path.strip_prefix("templates").unwrap_or(&path));
                sources.templates.push((name, text));
            }
            Err(d) => diagnostics.push(d),
        }
    }
    for (path, bytes) in walk(
        root,
        &root.join("static"),
        diagnostics,
        &mut sources.ignored,
    ) {
        let name = slash_path(path.strip_prefix("static").unwrap_or(&path));
        sources.static_files.push((name, bytes));
    }
    sources
}

/// site.yaml's text, or `None` with a diagnostic saying why it cannot be had.
fn read_config(root: &Path, diagnostics: &mut Diagnostics) -> Option<String> {
    let path = root.join(CONFIG_FILE);
    let linked = fs::symlink_metadata(&path).is_ok_and(|m| m.is_symlink());
    if linked && !fs::canonicalize(root).is_ok_and(|real_root| inside_site(&real_root, &path)) {
        diagnostics.push(leads_outside(Path::new(CONFIG_FILE), &path));
        return None;
    }
    match fs::read(&path) {
        Ok(bytes) => match decode(bytes, Path::new(CONFIG_FILE)) {
            Ok(text) => return Some(text),
            Err(d) => diagnostics.push(d),
        },
        Err(err) if err.kind() == io::ErrorKind::NotFound => diagnostics.push(
            Diagnostic::error(
                Location::file(CONFIG_FILE),
                format!("{} is not a treatyline site: it has no site.yaml", root.display()),
            )
            .with_hint("run `treatyline new <folder>` to start a site, or pass `--root` with the site's folder"),
        ),
        Err(err) => diagnostics.push(io_error(Path::new(CONFIG_FILE), &err)),
    }
    None
}

/// UTF-8 text with the BOM dropped and CRLF turned into LF (line numbers are unchanged). The
/// bytes become the text without a copy when there is nothing to drop or turn.
fn decode(mut bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) if text.contains('\r') => Ok(text.replace("\r\n", "\n")),
        Ok(text) => Ok(text),
        Err(err) => {
            let bytes = err.as_bytes();
            let err = err.utf8_error();
            let valid = &bytes[..err.valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&valid[line_start..])
                .chars()
                .count()
                + 1;
            Err(Diagnostic::error(
                Location::new(path, line, column),
                format!(
                    "this file is not UTF-8 text (invalid byte 0x{:02X})",
                    bytes[err.valid_up_to()]
                ),
            )
            .with_hint("save the file with the UTF-8 encoding"))
        }
    }
}

/// Decodes and splits one content file given as bytes (`path` relative to the site root).
pub fn parse_file(path: PathBuf, section: Section, bytes: &[u8]) -> Result<SourceFile, Diagnostic> {
    let text = decode(bytes.to_vec(), &path)?;
    split(path, section, text)
}

/// Decodes one table of events given as bytes (`path` relative to the site root).
pub fn parse_table(path: PathBuf, bytes: &[u8]) -> Result<TableFile, Diagnostic> {
    let text = decode(bytes.to_vec(), &path)?;
    Ok(TableFile {
        stem: stem_of(&path),
        path,
        text,
    })
}

fn stem_of(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn split(path: PathBuf, section: Section, text: String) -> Result<SourceFile, Diagnostic> {
    let stem = stem_of(&path);
    if text.trim().is_empty() {
        return Err(
            Diagnostic::error(Location::file(&path), "this file is empty").with_hint(
                "write front matter between two `---` lines, then the text, or delete the file",
            ),
        );
    }
    let mut file = SourceFile {
        path,
        section,
        stem,
        text: Arc::default(),
        front_matter_range: None,
        front_matter_line: 2,
        body_start: 0,
        body_line: 1,
    };
    let first_line = text.lines().next().unwrap_or("");
    if first_line.trim_end() != "---" {
        // Country notes may be plain Markdown; everything else needs front matter.
        if section == Section::Countries {
            file.text = Arc::new(text);
            return Ok(file);
        }
        return Err(Diagnostic::error(
            Location::new(&file.path, 1, 1),
            "the front matter is not opened: the file must start with a line `---`",
        )
        .with_hint("put `---` on the first line, the YAML fields, then `---` again before the text")
        .with_source_line(&text));
    }
    let mut offset = first_line.len() + 1;
    let mut closing = None;
    for (i, line) in text[offset.min(text.len())..]
        .split_inclusive('\n')
        .enumerate()
    {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            closing = Some((i, offset, line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_lines, yaml_end, closing_len)) = closing else {
        return Err(Diagnostic::error(
            Location::new(&file.path, 1, 1),
            "the front matter opened here is never closed",
        )
        .with_hint("add a line `---` after the last front matter field")
        .with_source_line(&text));
    };
    let yaml_start = first_line.len() + 1;
    file.front_matter_range = Some(yaml_start..yaml_end);
    file.body_start = (yaml_end + closing_len).min(text.len());
    file.body_line = yaml_lines + 3;
    file.text = Arc::new(text);
    Ok(file)
}

/// Applies changed Markdown files under content/ (paths relative to `root`, written or
/// removed) to `sources` as a fresh read would, reading only those files. Returns false for
/// any other change (site.yaml, templates, static files, tables of events, links, a file that
/// does not parse): `sources` may then be half updated and must be read again whole with
/// [`read_site`].
pub fn reread_markdown(root: &Path, sources: &mut SiteSources, changed: &[PathBuf]) -> bool {
    reread(root, sources, changed).is_some()
}

fn reread(root: &Path, sources: &mut SiteSources, changed: &[PathBuf]) -> Option<()> {
    for relative in changed {
        let section = content_markdown_section(relative)?;
        // A file reached through a link that leaves the site is for a full read to refuse.
        let real_root = fs::canonicalize(root).ok()?;
        if root.join(relative).exists() && !inside_site(&real_root, &root.join(relative)) {
            return None;
        }
        match fs::symlink_metadata(root.join(relative)) {
            Ok(meta) if meta.is_file() => {
                let bytes = fs::read(root.join(relative)).ok()?;
                let file = parse_file(relative.clone(), section, &bytes).ok()?;
                match sources.files.iter().position(|f| f.path == *relative) {
                    Some(at) => sources.files[at] = file,
                    None => {
                        // The order of a fresh read: by section, then by path.
                        let at = sources.files.partition_point(|f| {
                            (f.section, f.path.as_path()) < (section, relative.as_path())
                        });
                        sources.files.insert(at, file);
                    }
                }
            }
            Err(err) if err.kind() == io::ErrorKind::NotFound => {
                sources.files.retain(|f| f.path != *relative);
            }
            _ => return None,
        }
    }
    Some(())
}

/// The section of `content/<section>/…/<name>.md`, for a path with no hidden part.
fn content_markdown_section(relative: &Path) -> Option<Section> {
    let parts: Vec<&str> = relative
        .components()
        .map(|c| match c {
            Component::Normal(part) => part.to_str(),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let [content, folder, rest @ ..] = parts.as_slice() else {
        return None;
    };
    if *content != "content" || !is_markdown(relative) || rest.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    Section::ALL.into_iter().find(|s| s.folder() == *folder)
}

/// Content files are Markdown by their extension: `.md` or `.markdown`.
fn is_markdown(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("md" | "markdown")
    )
}

/// Tables of events are CSV files, by their extension in any case.
fn is_table(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// A relative path with `/` separators, as used in template names and URLs.
pub fn slash_path(path: &Path) -> String {
    let joined = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    crate::diagnostic::printable_path(Path::new(&joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_content_markdown_is_updated_in_place() {
        let section = |p: &str| content_markdown_section(Path::new(p));
        assert_eq!(section("content/articles/a.md"), Some(Section::Articles));
        assert_eq!(
            section("content/pages/sub/b.markdown"),
            Some(Section::Pages)
        );
        assert_eq!(section("content/articles/.a.md"), None);
        assert_eq!(section("content/articles/a.txt"), None);
        assert_eq!(section("content/other/a.md"), None);
        // A table of events changes events everywhere: the site is read again whole.
        assert_eq!(section("content/events/t.csv"), None);
        assert_eq!(section("content/events/notes.md"), None);
        assert_eq!(section("templates/a.md"), None);
        assert_eq!(section("site.yaml"), None);
    }

    fn split_text(text: &str) -> Result<SourceFile, Diagnostic> {
        split(
            PathBuf::from("content/articles/a.md"),
            Section::Articles,
            text.to_string(),
        )
    }

    #[test]
    fn splits_front_matter_and_remembers_lines() {
        let file = split_text("---\ntitle: A\ndate: 2020-01-01\n---\nBody\n").unwrap();
        assert_eq!(file.front_matter(), Some("title: A\ndate: 2020-01-01\n"));
        assert_eq!(file.front_matter_line, 2);
        assert_eq!(file.body(), "Body\n");
        assert_eq!(file.body_line, 5);
    }

    #[test]
    fn unclosed_and_unopened_front_matter_are_errors() {
        let err = split_text("---\ntitle: A\n").unwrap_err();
        assert!(err.message.contains("never closed"));
        let err = split_text("title: A\n---\n").unwrap_err();
        assert!(err.message.contains("not opened"));
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let text = decode(
            b"\xEF\xBB\xBF---\r\ntitle: A\r\n---\r\nBody\r\n".to_vec(),
            Path::new("a.md"),
        )
        .unwrap();
        let file = split_text(&text).unwrap();
        assert_eq!(file.front_matter(), Some("title: A\n"));
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let err = decode(b"---\ntitle: \xFF\n".to_vec(), Path::new("a.md")).unwrap_err();
        assert_eq!((err.location.line, err.location.column), (2, 8));
    }

    #[test]
    fn tables_of_events_are_read_as_text_and_other_files_there_skipped() {
        let site = tempfile::tempdir().unwrap();
        let write = |p: &str, bytes: &[u8]| {
            let path = site.path().join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, bytes).unwrap();
        };
        write("site.yaml", b"title: T\n");
        write(
            "content/events/t.csv",
            b"\xEF\xBB\xBFcountry,stage\r\nFR,signed\r\n",
        );
        write("content/events/old/u.CSV", b"country\n");
        write("content/events/README.md", b"# Notes\n");
        write("content/events/bad.csv", b"country\nFR,\xFF\n");
        let mut diagnostics = Diagnostics::new();
        let sources = read_site(site.path(), &mut diagnostics);
        let tables: Vec<_> = sources
            .tables
            .iter()
            .map(|t| (slash_path(&t.path), t.stem.as_str(), t.text.as_str()))
            .collect();
        assert_eq!(
            tables,
            [
                ("content/events/old/u.CSV".to_string(), "u", "country\n"),
                (
                    "content/events/t.csv".to_string(),
                    "t",
                    "country,stage\nFR,signed\n"
                ),
            ]
        );
        assert_eq!(
            sources.ignored,
            [Skipped {
                path: PathBuf::from("content/events/README.md"),
                why: "not a table of events (.csv)"
            }]
        );
        assert!(sources.files.is_empty());
        let problems: Vec<String> = diagnostics.iter().map(|d| d.location.to_string()).collect();
        assert_eq!(problems, ["content/events/bad.csv:2:4"]);
    }
}
