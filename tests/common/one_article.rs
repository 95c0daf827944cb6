//! A site on disk around one article: a fixed site.yaml and treaty, and the article's bytes as
//! `content/articles/a.md`, built through the library's `build` as `treatyline build` builds
//! it. Shared by the property test and the fuzz target, which hold every outcome to what a
//! user must get: either pages that show the article, or errors that name it.

use std::fs;
use std::path::Path;

use scraper::{Html, Selector};
use treatyline::{BuildError, BuildOptions};

const SITE: &str = "title: Fuzz\nbase_url: https://example.org/fuzz/\ndefault_treaty: t\n";
const TREATY: &str = "---\ntitle: T\nestablished: 2020-01-01\n---\nA treaty.\n";
/// The articles' folder as the site's pages link to it: a path from the domain's root.
const ARTICLES_PATH: &str = "/fuzz/articles/";

/// Where the article is, as diagnostics name it.
pub const ARTICLE: &str = "content/articles/a.md";

/// How a build of the article went, when it went as it must.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The site was built; the article has a page unless it is a draft.
    Built { article_pages: usize },
    /// The build failed with this many errors, every one about the article.
    Failed { errors: usize },
}

/// Builds the site around `article` into a temporary folder; `Err` says how the outcome
/// fails a user: a built article missing from the list or shown without its title, a
/// failure without an error, or an error that does not name the article.
pub fn build(article: &[u8]) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let root = dir.path().join("site");
    let write = |path: &str, bytes: &[u8]| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap())?;
        fs::write(path, bytes)
    };
    write("site.yaml", SITE.as_bytes())
        .and_then(|()| write("content/treaties/t.md", TREATY.as_bytes()))
        .and_then(|()| write(ARTICLE, article))
        .map_err(|e| e.to_string())?;
    let output = dir.path().join("public");
    let options = BuildOptions {
        root,
        output: Some(output.clone()),
        ..BuildOptions::default()
    };
    match treatyline::build(&options) {
        Ok(_) => built(&output),
        Err(BuildError::Content(diagnostics)) => {
            if !diagnostics.has_errors() {
                return Err(format!("a failed build without an error:\n{diagnostics:?}"));
            }
            for d in diagnostics.iter() {
                if d.location.path != Path::new(ARTICLE) || d.message.is_empty() {
                    return Err(format!("an error that is not about the article: {d}"));
                }
            }
            Ok(Outcome::Failed {
                errors: diagnostics.error_count(),
            })
        }
        Err(other) => Err(format!("the build failed writing: {other}")),
    }
}

/// Checks a built site: the articles page lists every article page built (at most the one),
/// each under the title its own page shows.
fn built(output: &Path) -> Result<Outcome, String> {
    let read = |path: &Path| fs::read_to_string(path).map_err(|e| format!("{path:?}: {e}"));
    let list = Html::parse_document(&read(&output.join("articles/index.html"))?);
    let links = Selector::parse(".article-list h3 a").unwrap();
    let heading = Selector::parse("h1").unwrap();
    let listed: Vec<_> = list.select(&links).collect();
    let pages = fs::read_dir(output.join("articles"))
        .map_err(|e| e.to_string())?
        .filter(|entry| entry.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    if listed.len() != pages || pages > 1 {
        return Err(format!("{pages} article pages, {} listed", listed.len()));
    }
    for link in listed {
        let href = link.attr("href").unwrap_or_default();
        let Some(slug) = href.strip_prefix(ARTICLES_PATH) else {
            return Err(format!("an article listed off the site: {href}"));
        };
        let page = output.join("articles").join(slug).join("index.html");
        let page = Html::parse_document(&read(&page)?);
        // The page's first heading is its title; the article's Markdown may hold more.
        let title: Option<String> = page.select(&heading).next().map(|h| h.text().collect());
        let listed_as: String = link.text().collect();
        if title.as_ref() != Some(&listed_as) {
            return Err(format!(
                "listed as {listed_as:?}, its page is headed {title:?}"
            ));
        }
    }
    Ok(Outcome::Built {
        article_pages: pages,
    })
}
