//! Raw front matter (`frontmatter`) made into the checked types, one file at a time. Every
//! problem found on the way is a located [`Diagnostic`]; a file with errors gives no value.

use std::collections::{BTreeSet, HashMap};

use super::countries::{Countries, Country};
use super::rules::{check_source_url, is_http_url, parse_date};
use super::types::{Article, ArticleEvent, CountryNote, Page, Slug, Source, Stage, Treaty};
use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics, Location, did_you_mean};
use crate::frontmatter::{RawArticle, RawCountry, RawEvent, RawPage, RawTreaty};
use crate::source::SourceFile;
use crate::yaml;

/// A value made from a file, with where its slug comes from: its `slug:` line, or the file
/// whose name gives it. Only the check of clashing URLs needs the place, so it stays out of
/// the value itself.
pub(super) struct Named<T> {
    pub value: T,
    pub slug_at: Location,
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

/// The slug and where it comes from: its `slug:` line, or the file whose name gives it.
fn slug_of(
    file: &SourceFile,
    written: Option<&str>,
    diagnostics: &mut Diagnostics,
) -> Option<(Slug, Location)> {
    match written {
        Some(slug) => match Slug::parse(slug) {
            Ok(checked) => Some((checked, Locator { file }.at("slug", slug, 0))),
            Err(message) => {
                diagnostics.push(Locator { file }.error("slug", slug, 0, message).with_hint(
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
            Some((slug, Location::file(&file.path)))
        }
    }
}

pub(super) fn article(
    file: &SourceFile,
    config: &SiteConfig,
    treaties: &BTreeSet<&str>,
    countries: &mut Countries,
    diagnostics: &mut Diagnostics,
) -> Option<Named<Article>> {
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
    let (slug, slug_at) = slug?;
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
        body: file.body().to_string(),
    };
    Some(Named {
        value: article,
        slug_at,
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
                let location = Locator { file }.at("treaty", slug, 0);
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
        Some(slug) => {
            let known = known_treaty(slug, treaties);
            if known.is_none() {
                diagnostics.push(
                    unknown_treaty(slug, at.at("treaty", slug, 0), treaties)
                        .with_source_line(&at.file.text),
                );
            }
            known
        }
        None => default_treaty.cloned(),
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

pub(super) fn treaty(
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

pub(super) fn country_note(
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

pub(super) fn page(
    file: &SourceFile,
    diagnostics: &mut Diagnostics,
) -> Option<(Named<Page>, bool)> {
    let raw: RawPage = parse_raw(file, diagnostics)?;
    let (slug, slug_at) = slug_of(file, raw.slug.as_deref(), diagnostics)?;
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
            slug_at,
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
