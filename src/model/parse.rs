//! Raw front matter (`frontmatter`) made into the checked types, one file at a time. Every
//! problem found on the way is a located [`Diagnostic`]; a file with errors gives no value.

use std::cell::OnceCell;
use std::collections::{BTreeSet, HashMap};

use super::countries::{Countries, Country, Declaration, Flag, PartyKind};
use super::rules::{check_source_url, is_http_url, parse_date, parse_event_date};
use super::types::{
    Article, CountryNote, CountryOrder, EntryIntoForce, EventDate, Membership, Page, ReportedEvent,
    Slug, Source, Stage, Treaty,
};
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::frontmatter::{RawArticle, RawCountry, RawEvent, RawPage, RawTreaty};
use crate::source::SourceFile;
use crate::yaml;

/// A value made from a file, with that file, to say where its slug comes from. Only the check
/// of clashing URLs needs the place, so it stays out of the value itself.
pub(super) struct Named<'f, T> {
    pub value: T,
    file: &'f SourceFile,
    /// Whether the front matter writes the slug (else the file's name gives it).
    slug_written: bool,
}

impl<T> Named<'_, T> {
    /// Where the slug `slug` comes from: its `slug:` line, or the file whose name gives it.
    /// Located only when asked, for a clash, which is rare.
    pub fn slug_at(&self, slug: &str) -> Location {
        if self.slug_written {
            Locator::new(self.file).at("slug", slug, 0)
        } else {
            Location::file(&self.file.path)
        }
    }
}

pub(super) fn unknown_treaty(slug: &str, at: Location, known: &BTreeSet<&str>) -> Diagnostic {
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
/// `key: value` is written, or the front matter's first line. The front matter is indexed
/// once, on the first look-up: an article of many events is located in linear time.
struct Locator<'a> {
    file: &'a SourceFile,
    /// The places of [`EVENT_KEY`] alone, which every event is placed by: most front matter
    /// is never looked into for anything else.
    countries: OnceCell<yaml::Places<'a>>,
    places: OnceCell<yaml::Places<'a>>,
}

/// The key an event is placed by (its `country:` line).
const EVENT_KEY: &str = "country";

impl<'a> Locator<'a> {
    fn new(file: &'a SourceFile) -> Locator<'a> {
        Locator {
            file,
            countries: OnceCell::new(),
            places: OnceCell::new(),
        }
    }

    fn at(&self, key: &str, value: &str, nth: usize) -> Location {
        let yaml = self.file.front_matter().unwrap_or("");
        let nth_of = |found: &[(usize, usize)]| found.get(nth).or(found.last()).copied();
        if key == EVENT_KEY {
            let countries =
                (self.countries).get_or_init(|| yaml::Places::index_key(yaml, EVENT_KEY));
            if let Some((line, column)) = nth_of(countries.value(key, value)) {
                return self.location(line, column);
            }
        }
        let places = self.places.get_or_init(|| yaml::Places::index(yaml));
        let (line, column) = nth_of(places.value(key, value))
            // A value written without its key, as in a list of bare URLs.
            .or_else(|| nth_of(places.item(value)))
            .or_else(|| {
                // Any other form (a multi-line flow list, a block scalar): the first line
                // holding the value.
                yaml.lines().enumerate().find_map(|(i, line)| {
                    line.find(value)
                        .filter(|_| !value.is_empty())
                        .map(|at| (i + 1, line[..at].chars().count() + 1))
                })
            })
            .or_else(|| places.key(key).first().copied())
            .unwrap_or((1, 1));
        self.location(line, column)
    }

    /// The place in the file of `line` and `column` of its front matter.
    fn location(&self, line: usize, column: usize) -> Location {
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

pub(super) fn parse_raw<T: serde::de::DeserializeOwned>(
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

/// The slug, and whether the front matter writes it (else the file's name gives it).
fn slug_of(
    at: &Locator,
    written: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Option<(Slug, bool)> {
    let file = at.file;
    match written {
        Some(slug) => match Slug::parse(slug) {
            Ok(checked) => Some((checked, true)),
            Err(message) => {
                diagnostics.push(at.error("slug", slug, 0, message).with_hint(
                    "write the slug in lower case with hyphens, e.g. `kazakhstan-joins`",
                ));
                None
            }
        },
        None => {
            let Some(slug) = Slug::from_file_stem(&file.stem) else {
                diagnostics.push(
                    Diagnostic::error(
                        Location::file(&file.path),
                        "this file name gives an empty slug",
                    )
                    .with_hint("rename the file or add a `slug:` field"),
                );
                return None;
            };
            Some((slug, false))
        }
    }
}

pub(super) fn article<'f>(
    file: &'f SourceFile,
    config: &SiteConfig,
    treaties: &BTreeSet<&str>,
    countries: &Countries,
    diagnostics: &mut Diagnostics,
) -> Option<Named<'f, Article>> {
    let raw: RawArticle = parse_raw(file, diagnostics)?;
    let at = Locator::new(file);
    let date = parse_date(&raw.date)
        .map_err(|m| {
            diagnostics.push(
                at.error("date", &raw.date, 0, m)
                    .with_hint("write the date as YYYY-MM-DD, e.g. 2025-11-07"),
            )
        })
        .ok();
    let slug = slug_of(&at, raw.slug.as_deref(), diagnostics);
    let treaty = article_treaty(file, &raw, config, treaties, diagnostics);
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    let mut events = Vec::new();
    for raw_event in &raw.events {
        let nth_country = bump(&mut seen, "country", &raw_event.country);
        let nth_stage = bump(&mut seen, "stage", &raw_event.stage);
        let nth_date = bump(&mut seen, "date", &raw_event.date);
        if let Some(event) = event(
            raw_event,
            treaty.as_ref().and_then(Option::as_ref),
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
    let mut sources: Vec<Source> = raw.sources.into_iter().map(Source::from).collect();
    sources.dedup();
    for source in sources
        .iter()
        .chain(events.iter().flat_map(|e: &ReportedEvent| &e.sources))
    {
        if let Err(problem) = check_source_url(&source.url) {
            let place = at.at("url", &source.url, 0);
            // Only an http(s) URL may become a link; any other scheme would make a live
            // `javascript:` or `data:` link of the source, so it is an error.
            let diagnostic = if is_http_url(&source.url) {
                Diagnostic::warning(place, problem)
            } else {
                Diagnostic::error(place, problem)
            };
            diagnostics.push(
                diagnostic
                    .with_source_line(&file.text)
                    .with_hint("a source is a full web address starting with https:// or http://"),
            );
        }
    }
    let (slug, slug_written) = slug?;
    let article = Article {
        path: file.path.clone(),
        slug,
        title: raw.title,
        date: date?,
        author: raw.author,
        summary: raw.summary,
        treaty: treaty?,
        events,
        sources,
        tags: raw.tags,
        draft: raw.draft,
        body: file.body_text(),
    };
    Some(Named {
        value: article,
        file,
        slug_written,
    })
}

/// An article's default treaty: `Some(None)` when it names none and needs none (it has no
/// events); `None` when that is an error, reported.
fn article_treaty(
    file: &SourceFile,
    raw: &RawArticle,
    config: &SiteConfig,
    treaties: &BTreeSet<&str>,
    diagnostics: &mut Diagnostics,
) -> Option<Option<Slug>> {
    match raw.treaty.as_ref().or(config.default_treaty.as_ref()) {
        Some(slug) => match known_treaty(slug, treaties) {
            Some(checked) => Some(Some(checked)),
            None => {
                let location = Locator::new(file).at("treaty", slug, 0);
                diagnostics
                    .push(unknown_treaty(slug, location, treaties).with_source_line(&file.text));
                None
            }
        },
        None if raw.events.is_empty() => Some(None),
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
    }
}

/// Counts how often a value was seen before under a key, to find the n-th place it is written.
fn bump<'a>(seen: &mut HashMap<(&'a str, &'a str), usize>, key: &'a str, value: &'a str) -> usize {
    let n = seen.entry((key, value)).or_insert(0);
    *n += 1;
    *n - 1
}

fn event(
    raw: &RawEvent,
    default_treaty: Option<&Slug>,
    treaties: &BTreeSet<&str>,
    at: &Locator,
    (nth_country, nth_stage, nth_date): (usize, usize, usize),
    countries: &Countries,
    diagnostics: &mut Diagnostics,
) -> Option<ReportedEvent> {
    let text = &at.file.text;
    let mut report = |d: Diagnostic| diagnostics.push(d.with_source_line(text));
    let location = at.at(EVENT_KEY, &raw.country, nth_country);
    let country = event_country(&raw.country, countries, || location.clone())
        .map_err(&mut report)
        .ok();
    let stage = event_stage(&raw.stage, || at.at("stage", &raw.stage, nth_stage))
        .map_err(&mut report)
        .ok();
    let date = event_date(&raw.date, || at.at("date", &raw.date, nth_date))
        .map_err(&mut report)
        .ok();
    let treaty = match &raw.treaty {
        Some(slug) => event_treaty(slug, treaties, || at.at("treaty", slug, 0))
            .map_err(&mut report)
            .ok(),
        None => default_treaty.cloned(),
    };
    Some(ReportedEvent {
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

// The checks of one event's values wherever the event is written (an article's front matter or
// a row of a table): each gives the checked value, or the error at the place `at` gives, which
// is looked for only then.

pub(super) fn event_country(
    written: &str,
    countries: &Countries,
    at: impl FnOnce() -> Location,
) -> Result<Country, Diagnostic> {
    countries.lookup(written).ok_or_else(|| {
        Diagnostic::error(at(), format!("unknown country code `{written}`"))
            .with_hint(countries.suggest(written))
    })
}

pub(super) fn event_stage(
    written: &str,
    at: impl FnOnce() -> Location,
) -> Result<Stage, Diagnostic> {
    Stage::from_id(written.trim()).ok_or_else(|| {
        let ids = Stage::ALL.map(Stage::id);
        let hint = match did_you_mean(written, ids) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the stages are: {}", ids.join(", ")),
        };
        Diagnostic::error(at(), format!("unknown stage `{written}`")).with_hint(hint)
    })
}

pub(super) fn event_date(
    written: &str,
    at: impl FnOnce() -> Location,
) -> Result<EventDate, Diagnostic> {
    parse_event_date(written).map_err(|m| {
        Diagnostic::error(at(), m).with_hint(
            "write the date the event happened as YYYY-MM-DD, or YYYY-MM or YYYY when the day \
             is not known",
        )
    })
}

pub(super) fn event_treaty(
    written: &str,
    treaties: &BTreeSet<&str>,
    at: impl FnOnce() -> Location,
) -> Result<Slug, Diagnostic> {
    known_treaty(written, treaties).ok_or_else(|| unknown_treaty(written, at(), treaties))
}

fn countries_of(
    codes: &[String],
    key: &str,
    at: &Locator,
    countries: &Countries,
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

pub(super) fn treaty(
    file: &SourceFile,
    countries: &Countries,
    diagnostics: &mut Diagnostics,
) -> Option<Treaty> {
    let raw: RawTreaty = parse_raw(file, diagnostics)?;
    let at = Locator::new(file);
    let (slug, _) = slug_of(&Locator::new(file), None, diagnostics)?;
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
    let membership = membership_of(&raw, &at, diagnostics);
    let entry_into_force = match &raw.entry_into_force {
        None => Some(None),
        Some(rule) => parse_date(&rule.date)
            .map(|date| {
                Some(EntryIntoForce {
                    date,
                    after_deposit_days: rule.after_deposit_days,
                })
            })
            .map_err(|m| {
                diagnostics.push(
                    at.error("date", &rule.date, 0, m)
                        .with_hint("write the day the treaty entered into force as YYYY-MM-DD"),
                )
            })
            .ok(),
    };
    let order = match raw.order.as_deref().map(str::trim) {
        None | Some("name") => Some(CountryOrder::Name),
        Some("joined") => Some(CountryOrder::Joined),
        Some("code") => Some(CountryOrder::Code),
        Some(other) => {
            diagnostics.push(
                at.error("order", other, 0, format!("unknown order `{other}`"))
                    .with_hint("write `order: name`, `order: joined` or `order: code`"),
            );
            None
        }
    };
    Some(Treaty {
        path: file.path.clone(),
        slug,
        short_title: raw.short_title.unwrap_or_else(|| raw.title.clone()),
        title: raw.title,
        established: established?,
        founders,
        brokers,
        summary: raw.summary,
        membership: membership?,
        entry_into_force: entry_into_force?,
        order: order?,
        body: file.body().to_string(),
    })
}

/// A treaty's `member_from` and `member_noun`, or their defaults.
fn membership_of(
    raw: &RawTreaty,
    at: &Locator,
    diagnostics: &mut Diagnostics,
) -> Option<Membership> {
    let mut membership = Membership::default();
    let mut good = true;
    if let Some(written) = &raw.member_from {
        match Stage::from_id(written.trim()) {
            Some(stage @ (Stage::Signed | Stage::Ratified | Stage::InForce)) => {
                membership.member_from = stage;
            }
            _ => {
                good = false;
                diagnostics.push(
                    at.error(
                        "member_from",
                        written,
                        0,
                        format!("`{written}` cannot start membership"),
                    )
                    .with_hint("write `member_from: signed`, `ratified` or `in-force`"),
                );
            }
        }
    }
    if let Some(noun) = &raw.member_noun {
        match noun.as_slice() {
            [one, many] if !one.trim().is_empty() && !many.trim().is_empty() => {
                membership.noun = (one.trim().to_string(), many.trim().to_string());
            }
            _ => {
                good = false;
                diagnostics.push(
                    Diagnostic::error(
                        at.at("member_noun", "", 0),
                        "`member_noun` needs a singular and a plural",
                    )
                    .with_source_line(&at.file.text)
                    .with_hint("write e.g. `member_noun: [party, parties]`"),
                );
            }
        }
    }
    good.then_some(membership)
}

/// A party's file: its prose, and what it declares of the party. The file is named by the
/// party's code; a code that is not ISO 3166-1 alpha-2 must be given a `name`.
pub(super) fn country_file(
    file: &SourceFile,
    static_files: &BTreeSet<&str>,
    diagnostics: &mut Diagnostics,
) -> Option<(CountryNote, Declaration)> {
    let raw: RawCountry = if file.front_matter().is_some() {
        parse_raw(file, diagnostics)?
    } else {
        RawCountry::default()
    };
    let at = Locator::new(file);
    let Some(country) = Country::parse(&file.stem) else {
        diagnostics.push(
            Diagnostic::error(
                Location::file(&file.path),
                format!(
                    "`{}` is not a party code: files here are named <code>.md, with 2 to 8 \
                     letters or digits",
                    file.stem
                ),
            )
            .with_hint(Countries::default().suggest(&file.stem)),
        );
        return None;
    };
    let is_iso = Countries::default().lookup(&file.stem).is_some();
    let name = raw
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    if !is_iso && name.is_none() {
        diagnostics.push(
            Diagnostic::error(
                Location::new(&file.path, file.front_matter_line.max(1), 1),
                format!(
                    "`{}` is not an ISO 3166-1 alpha-2 code, so this file must name the party",
                    country.code()
                ),
            )
            .with_hint(
                "add `name: <display name>` to the front matter, e.g. `name: European Union`",
            ),
        );
        return None;
    }
    let kind = match raw.kind.as_deref() {
        None => None,
        Some(written) => match PartyKind::from_id(written) {
            Some(kind) => Some(kind),
            None => {
                diagnostics.push(
                    at.error("kind", written, 0, format!("unknown kind `{written}`"))
                        .with_hint("write `state`, `organisation`, `territory` or `other`"),
                );
                return None;
            }
        },
    };
    let note = CountryNote {
        path: file.path.clone(),
        country,
        summary: raw.summary,
        body: file.body().to_string(),
    };
    let declaration = Declaration {
        name,
        kind,
        flag: raw.flag.as_deref().map(Flag::written),
    };
    if let Some(Flag::Image(image)) = &declaration.flag
        && !static_files.contains(image.as_str())
    {
        diagnostics.push(
            at.error(
                "flag",
                image,
                0,
                format!("the flag image `{image}` is not in static/"),
            )
            .with_hint(format!(
                "put the image at static/{image}, or write the flag as an emoji"
            )),
        );
        return None;
    }
    Some((note, declaration))
}

pub(super) fn page<'f>(
    file: &'f SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<(Named<'f, Page>, bool)> {
    let raw: RawPage = parse_raw(file, diagnostics)?;
    let (slug, slug_written) = slug_of(&Locator::new(file), raw.slug.as_deref(), diagnostics)?;
    let page = Page {
        path: file.path.clone(),
        slug,
        title: raw.title,
        summary: raw.summary,
        weight: raw.weight.unwrap_or(0),
        body: file.body().to_string(),
    };
    Some((
        Named {
            value: page,
            file,
            slug_written,
        },
        raw.draft,
    ))
}

/// The slug of a treaty that `treaties` holds, as a checked reference.
fn known_treaty(slug: &str, treaties: &BTreeSet<&str>) -> Option<Slug> {
    if treaties.contains(slug) {
        Slug::parse(slug).ok()
    } else {
        None
    }
}
