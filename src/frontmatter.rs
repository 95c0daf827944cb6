//! Front matter exactly as authors write it (the contract in docs/content-format.md).
//!
//! These structs hold raw, unchecked text; `model` turns them into checked types once.
//! `deny_unknown_fields` makes a misspelt field an error instead of a silently lost value.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

/// An article in content/articles/.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArticle {
    /// `title:`
    pub title: String,
    /// `date:`, the day it was published.
    pub date: String,
    /// `author:`
    pub author: Option<String>,
    /// `summary:`; the first paragraph of the body when not given.
    pub summary: Option<String>,
    /// `treaty:`, the slug of the treaty its events belong to, unless an event names its own.
    pub treaty: Option<String>,
    /// `events:`
    #[serde(default)]
    pub events: Vec<RawEvent>,
    /// `sources:`
    #[serde(default)]
    pub sources: Vec<RawSource>,
    /// `tags:`
    #[serde(default)]
    pub tags: Vec<String>,
    /// `draft:`; a draft is built only with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// `slug:`; made from the file name when not given.
    pub slug: Option<String>,
}

/// One membership event reported by an article.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub country: String,
    pub stage: String,
    pub date: String,
    pub treaty: Option<String>,
    pub label: Option<String>,
    pub note: Option<String>,
    #[serde(default)]
    pub sources: Vec<RawSource>,
    #[serde(default)]
    pub disputed: bool,
}

/// A source: a bare URL, or a map with a URL and a title.
///
/// Read by hand rather than as an untagged enum: serde would buffer each source and try the
/// URL first, and a map that fits neither form would only be said to match no "variant of
/// untagged enum RawSource". Read here, a misspelt key is named with the keys allowed.
#[derive(Debug, Clone)]
pub enum RawSource {
    Url(String),
    Full { url: String, title: Option<String> },
}

/// A source written as a map.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSourceMap {
    url: String,
    title: Option<String>,
}

impl<'de> Deserialize<'de> for RawSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SourceVisitor)
    }
}

struct SourceVisitor;

impl<'de> Visitor<'de> for SourceVisitor {
    type Value = RawSource;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a URL, or a map with `url:` and an optional `title:`")
    }

    fn visit_str<E: de::Error>(self, url: &str) -> Result<RawSource, E> {
        Ok(RawSource::Url(url.to_owned()))
    }

    fn visit_string<E: de::Error>(self, url: String) -> Result<RawSource, E> {
        Ok(RawSource::Url(url))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSource, A::Error> {
        let RawSourceMap { url, title } =
            RawSourceMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(RawSource::Full { url, title })
    }
}

/// A treaty in content/treaties/.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTreaty {
    pub title: String,
    pub short_title: Option<String>,
    pub established: String,
    #[serde(default)]
    pub founders: Vec<String>,
    #[serde(default)]
    pub brokers: Vec<String>,
    pub summary: Option<String>,
    /// `signed`, `ratified` or `in-force`.
    pub member_from: Option<String>,
    /// Singular and plural.
    pub member_noun: Option<Vec<String>>,
    pub entry_into_force: Option<RawEntryIntoForce>,
    /// `name`, `joined` or `code`.
    pub order: Option<String>,
}

/// A treaty's entry-into-force rule.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEntryIntoForce {
    pub date: String,
    #[serde(default)]
    pub after_deposit_days: u32,
}

/// A party's file, content/countries/<code>.md: prose, and what the party is called.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCountry {
    pub summary: Option<String>,
    pub name: Option<String>,
    /// `state`, `organisation`, `territory` or `other`.
    pub kind: Option<String>,
    /// An image under static/, or an emoji.
    pub flag: Option<String>,
}

/// A free page in content/pages/.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: String,
    pub summary: Option<String>,
    /// Position in the navigation: lower comes first.
    pub weight: Option<i64>,
    #[serde(default)]
    pub draft: bool,
    pub slug: Option<String>,
}
