//! site.yaml: the site's settings, checked once.
//!
//! Unknown keys are errors (a typo must not be silently ignored) and `base_url` is normalised
//! here, once, to end with `/`, so every URL built later is `base_url` + a relative path.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Location};
use crate::source::CONFIG_FILE;
use crate::yaml;

/// site.yaml as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    default_treaty: Option<String>,
    language: Option<String>,
    description: Option<String>,
    data_license: Option<String>,
    data_license_url: Option<String>,
    search: Option<bool>,
    paginate_by: Option<u32>,
}

/// The checked settings of a site.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// The site's name, in every page's title and header.
    pub title: String,
    /// Absolute http(s) URL ending with `/`; a path part (`/repo/`) is kept.
    pub base_url: String,
    /// The slug of the treaty whose members table is on the home page.
    pub default_treaty: Option<String>,
    /// A BCP 47 language tag for `<html lang>`.
    pub language: String,
    /// One sentence describing the site, for page descriptions and the feed.
    pub description: String,
    /// The licence of the open data files, as shown on the Data page (`CC BY 4.0`).
    pub data_license: Option<String>,
    /// Where the licence's text is.
    pub data_license_url: Option<String>,
    /// Whether the site has search: a search page, its index and a link in the header. On
    /// unless site.yaml says `search: false`.
    pub search: bool,
    /// How many articles a page of a list of articles shows (the list of every article, a
    /// treaty's list): [`DEFAULT_PAGINATE_BY`] unless site.yaml says `paginate_by`.
    pub paginate_by: usize,
}

impl SiteConfig {
    /// The path of `base_url`, `/` for a site at a domain's root: the site's own pages link
    /// to each other by paths that start with it, a shorter and equally valid link.
    pub fn base_path(&self) -> &str {
        url_path(&self.base_url)
    }
}

/// The path of an absolute URL: `/repo/x/` for `https://u.github.io/repo/x/`, `/` when it has
/// none.
pub fn url_path(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    url[after_scheme..]
        .find('/')
        .map_or("/", |i| &url[after_scheme + i..])
}

/// The articles on a page of a list of articles when site.yaml does not say.
pub const DEFAULT_PAGINATE_BY: usize = 30;

/// Parses site.yaml's text; `base_url_override` (from `--base-url`) replaces its base_url.
pub fn parse(text: &str, base_url_override: Option<&str>) -> Result<SiteConfig, Diagnostic> {
    let path = Path::new(CONFIG_FILE);
    let raw: RawConfig = yaml::parse(text, path, 1, text)?;
    let (url, line) = match base_url_override {
        Some(url) => (url.to_string(), 0),
        None => (
            raw.base_url.clone(),
            yaml::find_key(text, "base_url").map_or(0, |(line, _)| line),
        ),
    };
    let base_url = normalize_base_url(&url).map_err(|message| {
        let at = if line == 0 {
            Location::file("--base-url")
        } else {
            Location::new(path, line, 1)
        };
        Diagnostic::error(at, message)
            .with_hint("write the full address the site is published at, e.g. https://user.github.io/repo/")
            .with_source_line(text)
    })?;
    let paginate_by = match raw.paginate_by {
        None => DEFAULT_PAGINATE_BY,
        Some(0) => {
            let line = yaml::find_key(text, "paginate_by").map_or(0, |(line, _)| line);
            return Err(Diagnostic::error(
                Location::new(path, line, 1),
                "paginate_by must be at least 1",
            )
            .with_hint(format!(
                "the number of articles on a page of a list; leave it out for {DEFAULT_PAGINATE_BY}"
            ))
            .with_source_line(text));
        }
        Some(n) => n as usize,
    };
    let language = raw.language.unwrap_or_else(|| "en".to_string());
    Ok(SiteConfig {
        title: raw.title,
        base_url,
        default_treaty: raw.default_treaty,
        language,
        description: raw.description.unwrap_or_default(),
        data_license: raw.data_license,
        data_license_url: raw.data_license_url,
        search: raw.search.unwrap_or(true),
        paginate_by,
    })
}

/// The settings a site is checked with when its site.yaml is missing or wrong, so that the
/// content's problems are found in the same run: the `default_treaty` it names, if that much
/// can be read, and placeholders for the rest. A site is never rendered with them.
pub fn stand_in(text: Option<&str>) -> SiteConfig {
    /// Only the key the content's checks need; anything else may be wrong.
    #[derive(Deserialize)]
    struct Lenient {
        default_treaty: Option<String>,
    }
    let default_treaty = text
        .and_then(|text| yaml::parse::<Lenient>(text, Path::new(CONFIG_FILE), 1, text).ok())
        .and_then(|lenient| lenient.default_treaty);
    SiteConfig {
        title: String::new(),
        base_url: "https://example.invalid/".to_string(),
        default_treaty,
        language: "en".to_string(),
        description: String::new(),
        data_license: None,
        data_license_url: None,
        search: false,
        paginate_by: DEFAULT_PAGINATE_BY,
    }
}

/// `https://host/path` -> `https://host/path/`; anything but an absolute http(s) URL is refused.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url `{url}` is not an absolute http(s) URL"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || rest.contains(char::is_whitespace) || rest.contains(['?', '#']) {
        return Err(format!("base_url `{url}` is not a valid URL for a site"));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gets_one_trailing_slash_and_keeps_its_path() {
        assert_eq!(
            normalize_base_url("https://u.github.io/repo").unwrap(),
            "https://u.github.io/repo/"
        );
        assert_eq!(
            normalize_base_url("http://localhost:1111/").unwrap(),
            "http://localhost:1111/"
        );
        assert!(normalize_base_url("example.org").is_err());
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let err = parse(
            "title: T\nbase_url: https://x.org/\ndefualt_treaty: a\n",
            None,
        )
        .unwrap_err();
        assert_eq!(err.location.line, 3);
        assert_eq!(err.hint.as_deref(), Some("did you mean `default_treaty`?"));
    }

    #[test]
    fn paginate_by_defaults_to_30_and_must_be_positive() {
        let site = "title: T\nbase_url: https://x.org/\n";
        assert_eq!(parse(site, None).unwrap().paginate_by, DEFAULT_PAGINATE_BY);
        let five = format!("{site}paginate_by: 5\n");
        assert_eq!(parse(&five, None).unwrap().paginate_by, 5);
        let err = parse(&format!("{site}paginate_by: 0\n"), None).unwrap_err();
        assert_eq!(err.location.line, 3);
        assert!(err.message.contains("at least 1"), "{}", err.message);
        assert!(parse(&format!("{site}paginate_by: -1\n"), None).is_err());
    }
}
