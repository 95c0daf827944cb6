//! `treatyline check`: every internal link and anchor of the rendered site must resolve.
//!
//! Works on the pages rendered in memory: each page's `id`s are collected, then every `href`,
//! `src` and `srcset` that points inside the site is resolved to an output file and, when it
//! has a fragment, to an id on that page. External URLs are not fetched.

use std::collections::{BTreeMap, BTreeSet};

use html5gum::{Token, Tokenizer};

use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::render::OutputFile;
use crate::routes;
use crate::source::SiteSources;

struct Page {
    ids: BTreeSet<String>,
    links: Vec<String>,
}

fn scan(html: &str) -> Page {
    let mut page = Page {
        ids: BTreeSet::new(),
        links: Vec::new(),
    };
    for token in Tokenizer::new(html).flatten() {
        let Token::StartTag(tag) = token else {
            continue;
        };
        for (name, value) in &tag.attributes {
            let value = String::from_utf8_lossy(&value.value).into_owned();
            match name.as_slice() {
                b"id" => {
                    page.ids.insert(value);
                }
                b"name" if tag.name.as_slice() == b"a" => {
                    page.ids.insert(value);
                }
                b"href" | b"src" => {
                    // <link rel=canonical> and feeds point at the public address on purpose.
                    page.links.push(value);
                }
                b"srcset" => page.links.extend(
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .map(str::to_string),
                ),
                _ => {}
            }
        }
    }
    page
}

/// Resolves `link` found on the page at `page_path` (relative to the output) to
/// (target path, fragment); `None` for links that leave the site.
fn resolve(link: &str, page_path: &str, base_url: &str) -> Option<(String, Option<String>)> {
    let (without_fragment, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment.to_string())),
        None => (link, None),
    };
    let without_query = without_fragment.split('?').next().unwrap_or("");
    let base_path = crate::config::url_path(base_url);
    let page_dir = page_path.rsplit_once('/').map_or("", |(dir, _)| dir);
    let joined = if let Some(rest) = without_query.strip_prefix(base_url) {
        rest.to_string()
    } else if without_query.contains("://")
        || without_query.starts_with("//")
        || without_query.contains(':') && !without_query.starts_with('/')
    {
        return None;
    } else if without_query.is_empty() {
        page_path.to_string()
    } else if let Some(rest) = without_query.strip_prefix(base_path) {
        rest.to_string()
    } else if without_query.starts_with('/') {
        // A root path outside the site's base path: keep it so it is reported.
        format!("../{}", without_query.trim_start_matches('/'))
    } else if page_dir.is_empty() {
        without_query.to_string()
    } else {
        format!("{page_dir}/{without_query}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let mut target = parts.join("/");
    if joined.ends_with('/') || joined.is_empty() {
        target = routes::index_of(&target);
    }
    Some((target, fragment))
}

/// Checks every internal link and fragment; returns how many links were checked.
/// `sources` gives the content files' text, to name the line of a broken link.
pub fn check_links(
    files: &[OutputFile],
    base_url: &str,
    source_urls: &BTreeSet<String>,
    sources: &SiteSources,
    diagnostics: &mut Diagnostics,
) -> usize {
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    // Each page's links and ids, with its text and the content file it comes from.
    let pages: BTreeMap<&str, (Page, &str, Option<&std::path::Path>)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| {
            std::str::from_utf8(&f.bytes)
                .ok()
                .map(|text| (f.path.as_str(), (scan(text), text, f.origin.as_deref())))
        })
        .collect();
    let mut checked = 0;
    for (page_path, (page, text, origin)) in &pages {
        let origin = *origin;
        for link in &page.links {
            // Sources are an author's citations, checked where they are written.
            if source_urls.contains(link) {
                continue;
            }
            let Some((target, fragment)) = resolve(link, page_path, base_url) else {
                continue;
            };
            checked += 1;
            let index = routes::index_of(&target);
            let target = if paths.contains(target.as_str()) {
                target
            } else if paths.contains(index.as_str()) {
                index
            } else {
                diagnostics.push(link_error(
                    sources,
                    page_path,
                    origin,
                    text,
                    link,
                    format!("broken link: `{link}` leads to no page of the site"),
                ));
                continue;
            };
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let has_anchor = pages
                    .get(target.as_str())
                    .is_some_and(|(p, _, _)| p.ids.contains(&fragment));
                if !has_anchor {
                    diagnostics.push(link_error(
                        sources,
                        page_path,
                        origin,
                        text,
                        link,
                        format!(
                            "broken anchor: `{link}`: /{target} has no element with id `{fragment}`"
                        ),
                    ));
                }
            }
        }
    }
    checked
}

/// The line and column (1-based) where `needle` first starts in `text`.
fn line_and_column(text: &str, needle: &str) -> Option<(usize, usize)> {
    let offset = text.find(needle)?;
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

/// A broken link is reported in the content file that writes the page when there is one
/// (where the author can fix it), else at its line in the generated page.
fn link_error(
    sources: &SiteSources,
    page_path: &str,
    origin: Option<&std::path::Path>,
    text: &str,
    link: &str,
    message: String,
) -> Diagnostic {
    if let Some(origin) = origin {
        let hint = format!("fix the link in this file (it is on the page /{page_path})");
        // The link as written in the Markdown: `(link)`, `<link>` or after `]: `.
        let file = sources.files.iter().find(|f| f.path == origin);
        let written = file.map(|f| &*f.text).and_then(|source| {
            ["(", "<", "]: "]
                .iter()
                .find_map(|before| {
                    line_and_column(source, &format!("{before}{link}"))
                        .map(|(line, column)| (line, column + before.chars().count()))
                })
                .map(|(line, column)| (source, line, column))
        });
        return match written {
            Some((source, line, column)) => {
                Diagnostic::error(Location::new(origin, line, column), message)
                    .with_source_line(source)
                    .with_hint(hint)
            }
            None => Diagnostic::error(Location::file(origin), message).with_hint(hint),
        };
    }
    // In the generated page the link stands in quotes: its column is after the quote.
    let (line, column) = line_and_column(text, &format!("\"{link}\""))
        .map_or((0, 0), |(line, column)| (line, column + 1));
    Diagnostic::error(
        Location::new(format!("(generated) {page_path}"), line, column),
        message,
    )
    .with_hint("fix the link in the content or template that writes this page")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://u.github.io/repo/";

    #[test]
    fn resolves_links_against_the_base_url_and_the_page() {
        let page = "articles/a/index.html";
        assert_eq!(
            resolve("https://u.github.io/repo/about/", page, BASE),
            Some(("about/index.html".into(), None))
        );
        assert_eq!(
            resolve("/repo/style.css", page, BASE),
            Some(("style.css".into(), None))
        );
        assert_eq!(
            resolve("../b/#x", page, BASE),
            Some(("articles/b/index.html".into(), Some("x".into())))
        );
        assert_eq!(
            resolve("#top", page, BASE),
            Some((page.into(), Some("top".into())))
        );
        assert_eq!(resolve("https://example.org/", page, BASE), None);
        assert_eq!(resolve("mailto:a@b.c", page, BASE), None);
    }

    #[test]
    fn reports_broken_links_and_anchors() {
        let file = |path: &str, html: &str| OutputFile {
            path: path.into(),
            bytes: html.as_bytes().to_vec(),
            origin: None,
        };
        let files = vec![
            file(
                "index.html",
                "<a href=\"about/\">ok</a><a href=\"missing/\">x</a><a href=\"about/#nope\">y</a><a href=\"about/#here\">z</a>",
            ),
            file("about/index.html", "<h2 id=\"here\">Here</h2>"),
        ];
        let mut diagnostics = Diagnostics::new();
        let checked = check_links(
            &files,
            BASE,
            &BTreeSet::new(),
            &SiteSources::default(),
            &mut diagnostics,
        );
        assert_eq!(checked, 4);
        let report = diagnostics.report();
        assert!(report.contains("broken link: `missing/`"), "{report}");
        assert!(report.contains("broken anchor: `about/#nope`"), "{report}");
        assert_eq!(diagnostics.error_count(), 2, "{report}");
    }
}
