//! The site's sources kept between rebuilds, so that an edit to a few content files re-reads
//! those files only instead of walking and reading the whole site again.
//!
//! Only the simple case is done in place: Markdown files under content/<section>/ written or
//! removed, after a read that found no problem. Anything else (site.yaml, templates, static
//! files, links, a file that does not parse, a folder) falls back to [`source::read_site`], so
//! the sources are always what a fresh read would give.

use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostics;
use crate::source::{self, Section, SiteSources};

pub(super) struct SourceCache {
    root: PathBuf,
    sources: SiteSources,
    /// Whether `sources` is a read that met no problem, which may be updated in place.
    clean: bool,
}

impl SourceCache {
    pub(super) fn new(root: &Path) -> SourceCache {
        SourceCache {
            root: root.to_path_buf(),
            sources: SiteSources::default(),
            clean: false,
        }
    }

    /// The sources after `changed` (paths relative to the root; `None`: anything may have
    /// changed), with the problems met reading them.
    pub(super) fn refresh(&mut self, changed: Option<&[PathBuf]>) -> (&SiteSources, Diagnostics) {
        if self.clean
            && let Some(changed) = changed
            && update_in_place(&self.root, &mut self.sources, changed).is_ok()
        {
            return (&self.sources, Diagnostics::new());
        }
        let mut diagnostics = Diagnostics::new();
        self.sources = source::read_site(&self.root, &mut diagnostics);
        self.clean = diagnostics.is_empty();
        (&self.sources, diagnostics)
    }
}

/// Applies the changed Markdown files to `sources`, or says it cannot (then `sources` may be
/// half updated and must be read again whole).
fn update_in_place(root: &Path, sources: &mut SiteSources, changed: &[PathBuf]) -> Result<(), ()> {
    for relative in changed {
        let section = content_markdown_section(relative).ok_or(())?;
        match fs::symlink_metadata(root.join(relative)) {
            Ok(meta) if meta.is_file() => {
                let bytes = fs::read(root.join(relative)).map_err(|_| ())?;
                let file = source::parse_file(relative.clone(), section, &bytes).map_err(|_| ())?;
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
            _ => return Err(()),
        }
    }
    Ok(())
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
    let markdown = rest
        .last()
        .is_some_and(|name| name.ends_with(".md") || name.ends_with(".markdown"));
    if *content != "content" || !markdown || rest.iter().any(|p| p.starts_with('.')) {
        return None;
    }
    Section::ALL.into_iter().find(|s| s.folder() == *folder)
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
        assert_eq!(section("templates/a.md"), None);
        assert_eq!(section("site.yaml"), None);
    }

    #[test]
    fn an_update_in_place_matches_a_fresh_read() {
        let site = tempfile::tempdir().unwrap();
        let write = |p: &str, text: &str| {
            let path = site.path().join(p);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write("site.yaml", "title: T\n");
        write("content/articles/b.md", "---\ntitle: B\n---\nb\n");
        write("content/pages/p.md", "---\ntitle: P\n---\np\n");
        let mut cache = SourceCache::new(site.path());
        assert!(cache.refresh(None).1.is_empty());

        write("content/articles/a.md", "---\ntitle: A\n---\na\n");
        write("content/articles/b.md", "---\ntitle: B2\n---\nb\n");
        fs::remove_file(site.path().join("content/pages/p.md")).unwrap();
        let changed = [
            "content/articles/a.md",
            "content/articles/b.md",
            "content/pages/p.md",
        ]
        .map(PathBuf::from);
        let (cached, _) = cache.refresh(Some(&changed));
        let cached: Vec<_> = cached
            .files
            .iter()
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect();

        let mut diagnostics = Diagnostics::new();
        let fresh = source::read_site(site.path(), &mut diagnostics);
        let fresh: Vec<_> = fresh
            .files
            .iter()
            .map(|f| (f.path.clone(), f.text.clone()))
            .collect();
        assert_eq!(cached, fresh);
        assert_eq!(cached.len(), 2);
    }
}
