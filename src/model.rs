//! Checked types: what the rest of treatyline works with.
//!
//! Raw front matter (`frontmatter`) becomes these types once, here; every problem found on the
//! way is a located [`Diagnostic`]. No code past this module sees an unchecked string for a
//! country, a stage, a date or a slug. Country names and flags come from the keshvar crate.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::frontmatter::{RawArticle, RawCountry, RawEvent, RawPage, RawSource, RawTreaty};
use crate::source::{Section, SiteSources, SourceFile};
use crate::yaml;

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

/// An ISO 3166-1 alpha-2 code known to the country data, with its name and flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country {
    code: [u8; 2],
    pub name: &'static str,
    pub flag: &'static str,
}

impl Country {
    /// The code in capitals, e.g. `KZ`.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("??")
    }

    /// The code in lower case, as used in URLs.
    pub fn code_lower(&self) -> String {
        self.code().to_ascii_lowercase()
    }
}

impl PartialOrd for Country {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Country {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code.cmp(&other.code)
    }
}

/// Looks country codes up once each per build (keshvar builds a whole record per lookup).
#[derive(Default)]
pub struct Countries {
    known: HashMap<[u8; 2], Option<Country>>,
}

impl Countries {
    /// The country for `code` (any case), or `None` when it is not an ISO 3166-1 alpha-2 code.
    pub fn lookup(&mut self, code: &str) -> Option<Country> {
        let upper = code.trim().to_ascii_uppercase();
        let bytes: [u8; 2] = upper.as_bytes().try_into().ok()?;
        *self.known.entry(bytes).or_insert_with(|| {
            let alpha2 = keshvar::Alpha2::try_from(upper.as_str()).ok()?;
            let data = alpha2.to_country();
            let name = data
                .translations()
                .get("en")
                .copied()
                .unwrap_or(data.iso_short_name());
            Some(Country {
                code: bytes,
                name,
                flag: data.emoji(),
            })
        })
    }

    /// What to suggest for a code that is not ISO 3166-1 alpha-2.
    pub fn suggest(&mut self, code: &str) -> String {
        // Codes that people use but ISO reserves for other purposes.
        let common = [("UK", "GB"), ("EL", "GR"), ("KS", "XK"), ("XK", "RS")];
        let upper = code.trim().to_ascii_uppercase();
        if let Some((_, iso)) = common.iter().find(|(wrong, _)| *wrong == upper)
            && let Some(country) = self.lookup(iso)
        {
            return format!("did you mean `{iso}` ({})?", country.name);
        }
        if upper.len() > 2
            && let Some(country) = keshvar::CountryIterator::new()
                .find(|c| c.iso_short_name().eq_ignore_ascii_case(code.trim()))
        {
            return format!(
                "use the two-letter code `{}` for {}",
                country.alpha2(),
                code.trim()
            );
        }
        "use an ISO 3166-1 alpha-2 code, such as `AE` for the United Arab Emirates".to_string()
    }
}

/// A source backing an event or an article.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
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
    pub treaty: String,
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
    pub slug: String,
    /// Where `slug:` is written; `None` when the file name gives the slug.
    pub slug_at: Option<Location>,
    pub title: String,
    pub date: Date,
    pub author: Option<String>,
    pub summary: Option<String>,
    /// The article's default treaty.
    pub treaty: String,
    pub events: Vec<ArticleEvent>,
    pub sources: Vec<Source>,
    pub tags: Vec<String>,
    pub draft: bool,
    pub body: String,
}

#[derive(Debug, Clone)]
pub struct Treaty {
    pub path: PathBuf,
    pub slug: String,
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
    pub slug: String,
    /// Where `slug:` is written; `None` when the file name gives the slug.
    pub slug_at: Option<Location>,
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

/// Turns the files read by `source` into the checked model. Drafts are kept only when
/// `drafts` is true. Every problem is added to `diagnostics`; files with errors are left out.
pub fn build(
    sources: &SiteSources,
    config: &SiteConfig,
    drafts: bool,
    diagnostics: &mut Diagnostics,
) -> SiteModel {
    let mut countries = Countries::default();
    let mut model = SiteModel::default();
    let files_of = |section| sources.files.iter().filter(move |f| f.section == section);

    for file in files_of(Section::Treaties) {
        if let Some(treaty) = treaty(file, &mut countries, diagnostics) {
            model.treaties.push(treaty);
        }
    }
    // Every treaty file names a treaty, even one with errors of its own: its articles must not
    // also be told that the treaty does not exist.
    let treaty_file_slugs: Vec<String> = files_of(Section::Treaties)
        .map(|f| slugify(&f.stem))
        .collect();
    let treaty_slugs: BTreeSet<&str> = treaty_file_slugs.iter().map(String::as_str).collect();
    if let Some(default) = &config.default_treaty
        && !treaty_slugs.contains(default.as_str())
    {
        diagnostics.push(unknown_treaty(
            default,
            Location::new(
                crate::source::CONFIG_FILE,
                sources
                    .config
                    .as_deref()
                    .and_then(|t| yaml::find_key(t, "default_treaty"))
                    .map_or(0, |p| p.0),
                1,
            ),
            &treaty_slugs,
        ));
    }
    // Articles are checked in parallel (each worker with its own country lookups), and their
    // results and problems taken in file order.
    let articles: Vec<&SourceFile> = files_of(Section::Articles).collect();
    let checked: Vec<(Option<Article>, Diagnostics)> = articles
        .par_iter()
        .map_init(Countries::default, |countries, file| {
            let mut problems = Diagnostics::new();
            let article = article(file, config, &treaty_slugs, countries, &mut problems);
            (article, problems)
        })
        .collect();
    for (article, problems) in checked {
        diagnostics.extend(problems);
        if let Some(article) = article
            && (drafts || !article.draft)
        {
            model.articles.push(article);
        }
    }
    model
        .articles
        .sort_by(|a, b| (a.date, &a.path).cmp(&(b.date, &b.path)));
    for file in files_of(Section::Countries) {
        if let Some(note) = country_note(file, &mut countries, diagnostics) {
            model.country_notes.insert(note.country, note);
        }
    }
    for file in files_of(Section::Pages) {
        if let Some((page, draft)) = page(file, diagnostics)
            && (drafts || !draft)
        {
            model.pages.push(page);
        }
    }
    model
        .pages
        .sort_by(|a, b| (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug)));
    model
}

fn unknown_treaty(slug: &str, at: Location, known: &BTreeSet<&str>) -> Diagnostic {
    let hint = match did_you_mean(slug, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if known.is_empty() => {
            "add content/treaties/<slug>.md describing the treaty".to_string()
        }
        None => format!(
            "the treaties are named by their file in content/treaties/: {}",
            known.iter().copied().collect::<Vec<_>>().join(", ")
        ),
    };
    Diagnostic::error(at, format!("unknown treaty `{slug}`")).with_hint(hint)
}

/// Locates a checked value in a file's front matter for a diagnostic: the `nth` place where
/// `key: value` is written, or the front matter's first line.
struct Locator<'a> {
    file: &'a SourceFile,
}

impl Locator<'_> {
    fn at(&self, key: &str, value: &str, nth: usize) -> Location {
        let yaml = self.file.front_matter().unwrap_or("");
        let found = yaml::find_value(yaml, key, value);
        let (line, column) = found
            .get(nth)
            .or(found.last())
            .copied()
            .or_else(|| {
                // A value written without its key, as in a list of bare URLs.
                yaml.lines().enumerate().find_map(|(i, line)| {
                    line.find(value)
                        .filter(|_| !value.is_empty())
                        .map(|at| (i + 1, line[..at].chars().count() + 1))
                })
            })
            .or_else(|| yaml::find_key(yaml, key))
            .unwrap_or((1, 1));
        Location::new(
            &self.file.path,
            self.file.front_matter_line + line - 1,
            column,
        )
    }

    fn error(&self, key: &str, value: &str, nth: usize, message: String) -> Diagnostic {
        Diagnostic::error(self.at(key, value, nth), message).with_source_line(&self.file.text)
    }
}

fn parse_raw<T: serde::de::DeserializeOwned>(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<T> {
    let yaml = file.front_matter().unwrap_or("");
    match yaml::parse(yaml, &file.path, file.front_matter_line, &file.text) {
        Ok(raw) => Some(raw),
        Err(d) => {
            diagnostics.push(d);
            None
        }
    }
}

/// `YYYY-MM-DD`, or an RFC 3339 timestamp whose date part is taken as written.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let date_part = text.get(..10).unwrap_or(text);
    if text.len() > 10 {
        text.parse::<jiff::Timestamp>()
            .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD) or an RFC 3339 timestamp"))?;
    }
    let shaped = date_part.len() == 10
        && date_part.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!("`{text}` is not a date: write it as YYYY-MM-DD"));
    }
    date_part
        .parse::<Date>()
        .map_err(|_| format!("`{text}` is not a real calendar date"))
}

/// A source must be a well-formed absolute http(s) URL (it is not fetched).
pub fn check_source_url(text: &str) -> Result<(), String> {
    match url::Url::parse(text.trim()) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url
                    .host_str()
                    .is_some_and(|h| h.contains('.') || h == "localhost") =>
        {
            Ok(())
        }
        Ok(url) if !matches!(url.scheme(), "http" | "https") => Err(format!(
            "the source `{text}` is not a web address (scheme `{}`)",
            url.scheme()
        )),
        Ok(_) => Err(format!("the source `{text}` has no valid host name")),
        Err(err) => Err(format!(
            "the source `{text}` is not a well-formed URL: {err}"
        )),
    }
}

/// A slug written by an author: only `a-z`, `0-9` and `-`, so it cannot leave its folder.
fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("the slug is empty".to_string());
    }
    if let Some(bad) = slug
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "the slug `{slug}` has the character `{bad}`; a slug may only hold a-z, 0-9 and -"
        ));
    }
    Ok(())
}

/// A slug made from a file name: lower case, runs of other characters become one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The file name without a `YYYY-MM-DD-` prefix.
fn stem_without_date(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11 && bytes[10] == b'-' && parse_date(&stem[..10]).is_ok();
    if dated { &stem[11..] } else { stem }
}

/// The slug and, when the front matter writes it, where (`None`: the file name gives it).
fn slug_of(
    file: &SourceFile,
    written: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Option<(String, Option<Location>)> {
    match written {
        Some(slug) => match check_slug(slug) {
            Ok(()) => Some((slug.to_string(), Some(Locator { file }.at("slug", slug, 0)))),
            Err(message) => {
                diagnostics.push(Locator { file }.error("slug", slug, 0, message).with_hint(
                    "write the slug in lower case with hyphens, e.g. `kazakhstan-joins`",
                ));
                None
            }
        },
        None => {
            let slug = slugify(stem_without_date(&file.stem));
            if slug.is_empty() {
                diagnostics.push(
                    Diagnostic::error(
                        Location::file(&file.path),
                        "this file name gives an empty slug",
                    )
                    .with_hint("rename the file or add a `slug:` field"),
                );
                return None;
            }
            Some((slug, None))
        }
    }
}

fn article(
    file: &SourceFile,
    config: &SiteConfig,
    treaties: &BTreeSet<&str>,
    countries: &mut Countries,
    diagnostics: &mut Diagnostics,
) -> Option<Article> {
    let raw: RawArticle = parse_raw(file, diagnostics)?;
    let at = Locator { file };
    let errors_before = diagnostics.error_count();
    let date = parse_date(&raw.date)
        .map_err(|m| {
            diagnostics.push(
                at.error("date", &raw.date, 0, m)
                    .with_hint("write the date as YYYY-MM-DD, e.g. 2025-11-07"),
            )
        })
        .ok();
    let slug = slug_of(file, raw.slug.as_deref(), diagnostics);
    let treaty = match raw.treaty.clone().or_else(|| config.default_treaty.clone()) {
        Some(slug) if treaties.contains(slug.as_str()) => Some(slug),
        Some(slug) => {
            let location = at.at("treaty", &slug, 0);
            diagnostics
                .push(unknown_treaty(&slug, location, treaties).with_source_line(&file.text));
            None
        }
        None if raw.events.is_empty() => Some(String::new()),
        None => {
            diagnostics.push(
                Diagnostic::error(
                    Location::new(&file.path, file.front_matter_line, 1),
                    "this article's events name no treaty",
                )
                .with_hint(
                    "add `treaty: <slug>` to the front matter, or `default_treaty` to site.yaml",
                ),
            );
            None
        }
    };
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    let mut events = Vec::new();
    for raw_event in &raw.events {
        let nth_country = bump(&mut seen, "country", &raw_event.country);
        let nth_stage = bump(&mut seen, "stage", &raw_event.stage);
        let nth_date = bump(&mut seen, "date", &raw_event.date);
        if let Some(event) = event(
            raw_event,
            treaty.as_deref(),
            treaties,
            &at,
            (
                nth_country,
                nth_stage,
                nth_date + usize::from(raw_event.date == raw.date),
            ),
            countries,
            diagnostics,
        ) {
            events.push(event);
        }
    }
    if diagnostics.error_count() > errors_before {
        return None;
    }
    let mut sources: Vec<Source> = raw.sources.into_iter().map(Source::from).collect();
    sources.dedup();
    for source in sources
        .iter()
        .chain(events.iter().flat_map(|e: &ArticleEvent| &e.sources))
    {
        if let Err(problem) = check_source_url(&source.url) {
            diagnostics.push(
                Diagnostic::warning(at.at("url", &source.url, 0), problem)
                    .with_source_line(&file.text)
                    .with_hint("a source is a full web address starting with https:// or http://"),
            );
        }
    }
    let (slug, slug_at) = slug?;
    Some(Article {
        path: file.path.clone(),
        slug,
        slug_at,
        title: raw.title,
        date: date?,
        author: raw.author,
        summary: raw.summary,
        treaty: treaty?,
        events,
        sources,
        tags: raw.tags,
        draft: raw.draft,
        body: file.body().to_string(),
    })
}

/// Counts how often a value was seen before under a key, to find the n-th place it is written.
fn bump<'a>(seen: &mut HashMap<(&'a str, &'a str), usize>, key: &'a str, value: &'a str) -> usize {
    let n = seen.entry((key, value)).or_insert(0);
    *n += 1;
    *n - 1
}

fn event(
    raw: &RawEvent,
    default_treaty: Option<&str>,
    treaties: &BTreeSet<&str>,
    at: &Locator,
    (nth_country, nth_stage, nth_date): (usize, usize, usize),
    countries: &mut Countries,
    diagnostics: &mut Diagnostics,
) -> Option<ArticleEvent> {
    let location = at.at("country", &raw.country, nth_country);
    let country = countries.lookup(&raw.country);
    if country.is_none() {
        let hint = countries.suggest(&raw.country);
        diagnostics.push(
            at.error(
                "country",
                &raw.country,
                nth_country,
                format!("unknown country code `{}`", raw.country),
            )
            .with_hint(hint),
        );
    }
    let stage = Stage::from_id(raw.stage.trim());
    if stage.is_none() {
        let ids = Stage::ALL.map(Stage::id);
        let hint = match did_you_mean(&raw.stage, ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the stages are: {}", ids.join(", ")),
        };
        diagnostics.push(
            at.error(
                "stage",
                &raw.stage,
                nth_stage,
                format!("unknown stage `{}`", raw.stage),
            )
            .with_hint(hint),
        );
    }
    let date = parse_date(&raw.date)
        .map_err(|m| {
            diagnostics.push(
                at.error("date", &raw.date, nth_date, m)
                    .with_hint("write the date the event happened as YYYY-MM-DD"),
            )
        })
        .ok();
    let treaty = match &raw.treaty {
        Some(slug) if treaties.contains(slug.as_str()) => Some(slug.clone()),
        Some(slug) => {
            diagnostics.push(
                unknown_treaty(slug, at.at("treaty", slug, 0), treaties)
                    .with_source_line(&at.file.text),
            );
            None
        }
        None => default_treaty.filter(|t| !t.is_empty()).map(str::to_string),
    };
    Some(ArticleEvent {
        treaty: treaty?,
        country: country?,
        stage: stage?,
        date: date?,
        label: raw.label.clone().filter(|l| !l.trim().is_empty()),
        note: raw.note.clone(),
        sources: raw.sources.iter().cloned().map(Source::from).collect(),
        disputed: raw.disputed,
        location,
    })
}

fn countries_of(
    codes: &[String],
    key: &str,
    at: &Locator,
    countries: &mut Countries,
    diagnostics: &mut Diagnostics,
) -> Vec<Country> {
    codes
        .iter()
        .filter_map(|code| {
            let found = countries.lookup(code);
            if found.is_none() {
                let hint = countries.suggest(code);
                diagnostics.push(
                    at.error(
                        key,
                        code,
                        0,
                        format!("unknown country code `{code}` in `{key}`"),
                    )
                    .with_hint(hint),
                );
            }
            found
        })
        .collect()
}

fn treaty(
    file: &SourceFile,
    countries: &mut Countries,
    diagnostics: &mut Diagnostics,
) -> Option<Treaty> {
    let raw: RawTreaty = parse_raw(file, diagnostics)?;
    let at = Locator { file };
    let (slug, _) = slug_of(file, None, diagnostics)?;
    let established = parse_date(&raw.established)
        .map_err(|m| {
            diagnostics.push(
                at.error("established", &raw.established, 0, m)
                    .with_hint("write the founding date as YYYY-MM-DD"),
            )
        })
        .ok();
    let founders = countries_of(&raw.founders, "founders", &at, countries, diagnostics);
    let brokers = countries_of(&raw.brokers, "brokers", &at, countries, diagnostics);
    Some(Treaty {
        path: file.path.clone(),
        slug,
        short_title: raw.short_title.unwrap_or_else(|| raw.title.clone()),
        title: raw.title,
        established: established?,
        founders,
        brokers,
        summary: raw.summary,
        body: file.body().to_string(),
    })
}

fn country_note(
    file: &SourceFile,
    countries: &mut Countries,
    diagnostics: &mut Diagnostics,
) -> Option<CountryNote> {
    let raw: RawCountry = if file.front_matter().is_some() {
        parse_raw(file, diagnostics)?
    } else {
        RawCountry::default()
    };
    let Some(country) = countries.lookup(&file.stem) else {
        let hint = countries.suggest(&file.stem);
        diagnostics.push(
            Diagnostic::error(
                Location::file(&file.path),
                format!(
                    "`{}` is not a country code: country notes are named <iso>.md",
                    file.stem
                ),
            )
            .with_hint(hint),
        );
        return None;
    };
    Some(CountryNote {
        path: file.path.clone(),
        country,
        summary: raw.summary,
        body: file.body().to_string(),
    })
}

fn page(file: &SourceFile, diagnostics: &mut Diagnostics) -> Option<(Page, bool)> {
    let raw: RawPage = parse_raw(file, diagnostics)?;
    let (slug, slug_at) = slug_of(file, raw.slug.as_deref(), diagnostics)?;
    Some((
        Page {
            path: file.path.clone(),
            slug,
            slug_at,
            title: raw.title,
            summary: raw.summary,
            weight: raw.weight.unwrap_or(0),
            body: file.body().to_string(),
        },
        raw.draft,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_ordered_as_the_contract_says() {
        assert!(Stage::Talks < Stage::Announced);
        assert!(Stage::AgreedInPrinciple < Stage::Signed);
        assert!(Stage::InForce < Stage::Suspended);
        assert_eq!(
            Stage::from_id("agreed-in-principle"),
            Some(Stage::AgreedInPrinciple)
        );
        assert_eq!(Stage::from_id("sigend"), None);
    }

    #[test]
    fn dates_must_be_real() {
        assert!(parse_date("2021-02-30").is_err());
        assert!(parse_date("yesterday").is_err());
        assert_eq!(
            parse_date("2025-11-07T10:00:00+06:00").unwrap().to_string(),
            "2025-11-07"
        );
        assert_eq!(parse_date("2025-11-07").unwrap().to_string(), "2025-11-07");
    }

    #[test]
    fn countries_have_names_and_flags() {
        let mut countries = Countries::default();
        let kz = countries.lookup("kz").unwrap();
        assert_eq!((kz.code(), kz.name, kz.flag), ("KZ", "Kazakhstan", "🇰🇿"));
        assert!(countries.lookup("UK").is_none());
        assert_eq!(
            countries.suggest("UK"),
            "did you mean `GB` (United Kingdom)?"
        );
    }

    #[test]
    fn source_urls_must_be_web_addresses() {
        assert!(check_source_url("https://www.reuters.com/world/").is_ok());
        assert!(check_source_url("ftp://example.org/x").is_err());
        assert!(check_source_url("www.example.org").is_err());
        assert!(check_source_url("https://exa mple.org").is_err());
    }

    #[test]
    fn slugs_come_from_file_names_without_the_date() {
        assert_eq!(
            slugify(stem_without_date("2025-11-07-Kazakhstan joins")),
            "kazakhstan-joins"
        );
        assert!(check_slug("../x").is_err());
        assert!(check_slug("a/b").is_err());
        assert!(check_slug("").is_err());
        assert!(check_slug("ok-1").is_ok());
    }
}
