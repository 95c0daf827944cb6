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

use super::countries::{Country, Party};
use super::rules;
use crate::diagnostic::Location;
use crate::frontmatter::RawSource;
use crate::source::Tail;

/// A stage of membership, in its natural order (CONTENT-FORMAT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    Talks,
    Announced,
    AgreedInPrinciple,
    Signed,
    Ratified,
    InForce,
    WithdrawalNotified,
    Suspended,
    Withdrawn,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Talks,
        Stage::Announced,
        Stage::AgreedInPrinciple,
        Stage::Signed,
        Stage::Ratified,
        Stage::InForce,
        Stage::WithdrawalNotified,
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
            Stage::WithdrawalNotified => "withdrawal-notified",
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
            Stage::WithdrawalNotified => "Withdrawal notified",
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

    /// After a suspension or a withdrawal a new progression may begin; after a notice of
    /// withdrawal, a revocation may return to an earlier stage.
    pub fn ends_progression(self) -> bool {
        matches!(
            self,
            Stage::WithdrawalNotified | Stage::Suspended | Stage::Withdrawn
        )
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

/// How much of an event's date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Precision {
    #[default]
    Day,
    Month,
    Year,
}

impl Precision {
    /// The name the open data gives it.
    pub fn id(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

/// An event's date as far as it is known: a day, or a whole month or year. Ordered by the day
/// it counts from (the last day of its month or year: never earlier than known), full dates
/// before partial ones on the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EventDate {
    /// The day the event counts from for status on a day.
    pub day: Date,
    pub precision: Precision,
}

impl EventDate {
    pub fn day(day: Date) -> EventDate {
        EventDate {
            day,
            precision: Precision::Day,
        }
    }

    /// The first day the written date may mean.
    pub fn first_day(&self) -> Date {
        match self.precision {
            Precision::Day => self.day,
            Precision::Month => self.day.first_of_month(),
            Precision::Year => self.day.first_of_year(),
        }
    }

    /// Whether the two may be the same day: one falls inside the other.
    pub fn agrees_with(&self, other: &EventDate) -> bool {
        let inside =
            |a: &EventDate, b: &EventDate| b.first_day() <= a.first_day() && a.day <= b.day;
        inside(self, other) || inside(other, self)
    }

    /// The date as readers see it: `1994`, `April 1994` or `12 April 1994`.
    pub fn display(&self) -> String {
        match self.precision {
            Precision::Day => crate::dates::display_date(self.day),
            Precision::Month => crate::dates::month_year(self.day),
            Precision::Year => self.day.year().to_string(),
        }
    }

    /// The date as written: `1994`, `1994-04` or `1994-04-12`.
    pub fn written(&self) -> String {
        match self.precision {
            Precision::Day => self.day.to_string(),
            Precision::Month => self.day.strftime("%Y-%m").to_string(),
            Precision::Year => self.day.year().to_string(),
        }
    }
}

/// Who counts as a member of a treaty, and what members are called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The first stage at which a country counts as a member.
    pub member_from: Stage,
    /// Singular and plural, e.g. ("party", "parties").
    pub noun: (String, String),
}

impl Default for Membership {
    fn default() -> Self {
        Membership {
            member_from: Stage::Signed,
            noun: ("member".to_string(), "members".to_string()),
        }
    }
}

impl Membership {
    /// A country with this status counts as a member: from `member_from` until it has left
    /// (a notice of withdrawal does not end membership).
    pub fn is_member(&self, stage: Stage) -> bool {
        self.member_from <= stage && stage <= Stage::WithdrawalNotified
    }
}

/// A treaty's rule for when a party is in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryIntoForce {
    /// When the treaty itself entered into force.
    pub date: Date,
    /// A party that ratifies later is in force this many days after its ratification.
    pub after_deposit_days: u32,
}

/// The order of a treaty's countries in lanes, tables and lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CountryOrder {
    /// By display name, ignoring case and accents.
    #[default]
    Name,
    /// By the day each first became a member, then by name.
    Joined,
    /// By code.
    Code,
}

/// A membership event as one article or one table row reports it.
#[derive(Debug, Clone)]
pub struct ReportedEvent {
    pub treaty: Slug,
    pub country: Country,
    pub stage: Stage,
    pub date: EventDate,
    pub label: Option<String>,
    pub note: Option<String>,
    pub sources: Vec<Source>,
    pub disputed: bool,
    /// Where the event is written (its `country:` line, or its row's `country` cell).
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
    pub events: Vec<ReportedEvent>,
    pub sources: Vec<Source>,
    pub tags: Vec<String>,
    pub draft: bool,
    /// Its Markdown, sharing the text of its file.
    pub body: Tail,
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
    pub membership: Membership,
    pub entry_into_force: Option<EntryIntoForce>,
    pub order: CountryOrder,
    pub body: String,
}

/// Prose about a party from content/countries/<code>.md.
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

/// A file of events under content/events/ and the events of its rows.
#[derive(Debug, Clone)]
pub struct EventTable {
    pub path: PathBuf,
    pub events: Vec<ReportedEvent>,
}

/// Everything in content/, checked. Articles are sorted by date then path; the others by slug.
#[derive(Debug, Default)]
pub struct SiteModel {
    /// The articles of content/articles/ (drafts only when asked for).
    pub articles: Vec<Article>,
    /// The treaties of content/treaties/.
    pub treaties: Vec<Treaty>,
    /// The tables of events of content/events/.
    pub tables: Vec<EventTable>,
    /// The notes of content/countries/, by party.
    pub country_notes: BTreeMap<Country, CountryNote>,
    /// Every party that content names, with its display name, kind and flag.
    pub parties: BTreeMap<Country, Party>,
    /// The free pages of content/pages/.
    pub pages: Vec<Page>,
}

impl SiteModel {
    /// The party of a code the model holds (every code of an event, a founder, a broker or a
    /// countries file has one).
    pub fn party(&self, country: Country) -> &Party {
        &self.parties[&country]
    }

    /// The treaty with this slug, if the site has it.
    pub fn treaty(&self, slug: &str) -> Option<&Treaty> {
        self.treaties.iter().find(|t| t.slug.as_str() == slug)
    }

    /// Drops every reference to a treaty the model does not hold. Only a site with errors has
    /// any (an event may name a treaty whose own file has an error); what is left of it can
    /// then be made into pages, to find the problems that only pages show.
    pub fn forget_missing_treaties(&mut self) {
        let known: std::collections::BTreeSet<Slug> =
            self.treaties.iter().map(|t| t.slug.clone()).collect();
        for article in &mut self.articles {
            article.events.retain(|e| known.contains(&e.treaty));
            if article.treaty.as_ref().is_some_and(|t| !known.contains(t)) {
                article.treaty = None;
            }
        }
        for table in &mut self.tables {
            table.events.retain(|e| known.contains(&e.treaty));
        }
    }
}
