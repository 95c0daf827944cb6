//! A small good site made in a temporary folder, for the tests that change one thing in it.

use std::fs;
use std::path::PathBuf;

use tempfile::TempDir;

/// A small good site in a temporary folder: one treaty, one article with one event.
pub struct Site {
    pub dir: TempDir,
}

pub const TREATY: &str = "---\ntitle: Test Treaty\nestablished: 2020-01-01\n---\nA treaty.\n";

pub const ARTICLE: &str = "---\ntitle: First\ndate: 2020-01-02\nevents:\n  - country: FR\n    stage: signed\n    date: 2020-01-01\nsources:\n  - https://example.org/report\n---\nFrance signed.\n";

impl Site {
    pub fn new() -> Site {
        let site = Site {
            dir: TempDir::new().unwrap(),
        };
        site.write(
            "site.yaml",
            "title: Test\nbase_url: https://example.org/\ndefault_treaty: t\n",
        );
        site.write("content/treaties/t.md", TREATY);
        site.write("content/articles/2020-01-02-first.md", ARTICLE);
        site
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// A folder beside the site (outside it), made on first use.
    pub fn outside(&self, relative: &str) -> PathBuf {
        let path = self.dir.path().join("outside").join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        path
    }
}
