//! The site's sources kept between rebuilds, so that an edit to a few content files re-reads
//! those files only instead of walking and reading the whole site again.
//!
//! Only the simple case is done in place ([`source::reread_markdown`]): Markdown files under
//! `content/<section>/` written or removed, after a read that found no problem. Anything else
//! (a table of events among them) falls back to [`source::read_site`], so the sources are
//! always what a fresh read would give.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostics;
use crate::source::{self, SiteSources, SourceFile};

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

    /// The file at `path` (relative to the root) as last read.
    pub(super) fn file(&self, path: &Path) -> Option<&SourceFile> {
        self.sources.files.iter().find(|f| f.path == path)
    }

    /// The sources after `changed` (paths relative to the root; `None`: anything may have
    /// changed), with the problems met reading them.
    pub(super) fn refresh(&mut self, changed: Option<&[PathBuf]>) -> (&SiteSources, Diagnostics) {
        if self.clean
            && let Some(changed) = changed
            && source::reread_markdown(&self.root, &mut self.sources, changed)
        {
            return (&self.sources, Diagnostics::new());
        }
        let mut diagnostics = Diagnostics::new();
        self.sources = source::read_site(&self.root, &mut diagnostics);
        self.clean = diagnostics.is_empty();
        (&self.sources, diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;

    fn write_file(root: &std::path::Path, relative: &str, text: &str) {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn an_update_in_place_matches_a_fresh_read() {
        let site = tempfile::tempdir().unwrap();
        let write = |p: &str, text: &str| write_file(site.path(), p, text);
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

    #[test]
    fn a_changed_table_of_events_is_read_again() {
        let site = tempfile::tempdir().unwrap();
        let write = |p: &str, text: &str| write_file(site.path(), p, text);
        write("site.yaml", "title: T\n");
        write("content/events/t.csv", "country,stage,date\n");
        let mut cache = SourceCache::new(site.path());
        assert!(cache.refresh(None).1.is_empty());

        write(
            "content/events/t.csv",
            "country,stage,date\nFR,signed,2020\n",
        );
        write("content/events/u.csv", "country,stage,date\n");
        let changed = ["content/events/t.csv", "content/events/u.csv"].map(PathBuf::from);
        let (sources, _) = cache.refresh(Some(&changed));
        let tables: Vec<&str> = sources.tables.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            tables,
            [
                "country,stage,date\nFR,signed,2020\n",
                "country,stage,date\n"
            ]
        );

        fs::remove_file(site.path().join("content/events/t.csv")).unwrap();
        let changed = [PathBuf::from("content/events/t.csv")];
        assert_eq!(cache.refresh(Some(&changed)).0.tables.len(), 1);
    }
}
