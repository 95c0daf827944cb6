//! The checked types of a site's content: what every stage after the model works with.
//!
//! Made once from raw front matter (`parse`); no code past the model sees an unchecked string
//! for a stage, a slug, a date or a treaty reference.

use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Deref;
use std::path::PathBuf;

use jiff::civil::Date;
use serde::Serialize;

use super::countries::Country;
use super::rules;
use crate::diagnostic::Location;
use crate::frontmatter::RawSource;

/// A stage of membership, in its natural order (CONTENT-FORMAT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Talks,
    Announced,
    AgreedInPrinciple,
    Signed,
    Ratified,
    InForce,
    Suspended,
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::Talks,
        Stage::Announced,
        Stage::AgreedInPrinciple,
        Stage::Signed,
        Stage::Ratified,
        Stage::InForce,
        Stage::Suspended,
        Stage::Withdrawn,
    ];

    /// The name written in front matter.
    pub fn id(self) -> &'static str {
        match self {
            Stage::Talks => "talks",
            Stage::Announced => "announced",
            Stage::AgreedInPrinciple => "agreed-in-principle",
            Stage::Signed => "signed",
            Stage::Ratified => "ratified",
            Stage::InForce => "in-force",
            Stage::Suspended => "suspended",
            Stage::Withdrawn => "withdrawn",
        }
    }

    /// The name shown to readers.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Talks => "In talks",
            Stage::Announced => "Announced",
            Stage::AgreedInPrinciple => "Agreed in principle",
            Stage::Signed => "Signed",
            Stage::Ratified => "Ratified",
            Stage::InForce => "In force",
            Stage::Suspended => "Suspended",
            Stage::Withdrawn => "Withdrawn",
        }
    }

    pub fn order(self) -> usize {
        self as usize
    }

    pub fn from_id(id: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.id() == id)
    }

    /// A country with this status counts as a member (signed, ratified or in force).
    pub fn is_member(self) -> bool {
        matches!(self, Stage::Signed | Stage::Ratified | Stage::InForce)
    }

    /// After a suspension or a withdrawal a new progression may begin.
    pub fn ends_progression(self) -> bool {
        matches!(self, Stage::Suspended | Stage::Withdrawn)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A slug: lower-case ASCII letters, digits and `-`, never empty, so that it names one folder
/// of the output and cannot leave it. Articles, pages and treaties are named by one; a treaty
/// reference is the slug of a treaty known to exist.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// A slug as an author writes it; `Err` says what is wrong with it.
    pub fn parse(text: &str) -> Result<Slug, String> {
        rules::check_slug(text)?;
        Ok(Slug(text.to_string()))
    }

    /// The slug a file name gives (without a `YYYY-MM-DD-` prefix), or none when nothing of
    /// the name is left.
    pub fn from_file_stem(stem: &str) -> Option<Slug> {
        let slug = rules::slugify(rules::stem_without_date(stem));
        (!slug.is_empty()).then_some(Slug(slug))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Deref for Slug {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Slug {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Slug {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Slug {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A source backing an event or an article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Source {
    pub url: String,
    pub title: Option<String>,
    /// The address's host without `www.`, to name a source that has no title: made once here
    /// rather than by a filter each time a page lists the source.
    pub host: Option<String>,
}

impl Source {
    pub fn new(url: String, title: Option<String>) -> Source {
        let host = url
            .split('/')
            .nth(2)
            .filter(|h| !h.is_empty())
            .map(|h| h.replace("www.", ""));
        Source { url, title, host }
    }
}

impl From<RawSource> for Source {
    fn from(raw: RawSource) -> Self {
        match raw {
            RawSource::Url(url) => Source::new(url, None),
            RawSource::Full { url, title } => Source::new(url, title),
        }
    }
}

/// A membership event as one article reports it.
#[derive(Debug, Clone)]
pub struct ArticleEvent {
    pub treaty: Slug,
    pub country: Country,
    pub stage: Stage,
    pub date: Date,
    pub label: Option<String>,
    pub note: Option<String>,
    pub sources: Vec<Source>,
    pub disputed: bool,
    /// Where the event is written (its `country:` line).
    pub location: Location,
}

#[derive(Debug, Clone)]
pub struct Article {
    pub path: PathBuf,
    pub slug: Slug,
    pub title: String,
    pub date: Date,
    pub author: Option<String>,
    pub summary: Option<String>,
    /// The article's default treaty: its `treaty:`, else site.yaml's `default_treaty`; none
    /// for an article without events when neither names one.
    pub treaty: Option<Slug>,
    pub events: Vec<ArticleEvent>,
    pub sources: Vec<Source>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Treaty {
    pub path: PathBuf,
    pub slug: Slug,
    pub title: String,
    pub short_title: String,
    pub established: Date,
    pub founders: Vec<Country>,
    pub brokers: Vec<Country>,
    pub summary: Option<String>,
    pub body: String,
}

/// Prose about a country from content/countries/<iso>.md.
#[derive(Debug, Clone)]
pub struct CountryNote {
    pub path: PathBuf,
    pub country: Country,
    pub summary: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub path: PathBuf,
    pub slug: Slug,
    pub title: String,
    pub summary: Option<String>,
    pub weight: i64,
    pub body: String,
}

/// Everything in content/, checked. Articles are sorted by date then path; the others by slug.
#[derive(Debug, Default)]
pub struct SiteModel {
    pub articles: Vec<Article>,
    pub treaties: Vec<Treaty>,
    pub country_notes: BTreeMap<Country, CountryNote>,
    pub pages: Vec<Page>,
}
