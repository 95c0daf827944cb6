//! Open data: the timeline as JSON, written from the model rather than through a template so
//! that it is always well-formed. The shape is documented in docs/data.md.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::model::{Flag, SiteModel, Stage};
use crate::routes::Route;
use crate::timeline::{Event, Timeline};

/// What every open-data file is written from: the site, and each article's URL made once
/// (the files give an article's URL for every event it reports, in each format).
pub struct DataSite<'a> {
    config: &'a SiteConfig,
    model: &'a SiteModel,
    timeline: &'a Timeline,
    /// By the article's index in the model.
    article_urls: Vec<String>,
}

impl<'a> DataSite<'a> {
    pub fn new(config: &'a SiteConfig, model: &'a SiteModel, timeline: &'a Timeline) -> Self {
        let article_urls = (model.articles.iter())
            .map(|a| Route::Article(&a.slug).url(&config.base_url))
            .collect();
        DataSite {
            config,
            model,
            timeline,
            article_urls,
        }
    }
}

#[derive(Serialize)]
struct TimelineJson<'a> {
    generator: &'static str,
    site: SiteJson<'a>,
    stages: Vec<&'static str>,
    treaties: Vec<TreatyJson<'a>>,
}

#[derive(Serialize)]
struct SiteJson<'a> {
    title: &'a str,
    base_url: &'a str,
}

#[derive(Serialize)]
struct TreatyJson<'a> {
    slug: &'a str,
    title: &'a str,
    short_title: &'a str,
    established: String,
    url: String,
    founders: Vec<&'a str>,
    brokers: Vec<&'a str>,
    countries: Vec<CountryJson<'a>>,
}

#[derive(Serialize)]
struct CountryJson<'a> {
    code: &'a str,
    name: &'a str,
    kind: &'static str,
    status: Option<&'static str>,
    status_date: Option<String>,
    events: Vec<EventJson<'a>>,
}

#[derive(Serialize)]
struct EventJson<'a> {
    stage: &'static str,
    label: Option<&'a str>,
    date: String,
    note: Option<&'a str>,
    disputed: bool,
    articles: Vec<&'a str>,
    sources: Vec<&'a str>,
    date_precision: &'static str,
    period: u32,
    derived: bool,
}

/// `/data/timeline.json`: every treaty, country and event with dates, stages and sources.
pub fn timeline_json(site: &DataSite) -> Result<Vec<u8>, String> {
    let (config, model, timeline) = (site.config, site.model, site.timeline);
    let treaties = model
        .treaties
        .iter()
        .map(|treaty| {
            let countries = timeline
                .treaty(&treaty.slug)
                .map(|tl| {
                    tl.tracks
                        .iter()
                        .map(|track| {
                            let status = track.status();
                            CountryJson {
                                code: track.country.code(),
                                name: &model.party(track.country).name,
                                kind: model.party(track.country).kind.id(),
                                status: status.map(|e| e.stage.id()),
                                status_date: status.map(|e| e.event_date().written()),
                                events: track
                                    .events
                                    .iter()
                                    .map(|e| EventJson {
                                        stage: e.stage.id(),
                                        label: e.label.as_deref(),
                                        date: e.event_date().written(),
                                        note: e.note.as_deref(),
                                        disputed: e.disputed,
                                        articles: article_urls(site, e),
                                        sources: e.sources.iter().map(|s| s.url.as_str()).collect(),
                                        date_precision: e.precision.id(),
                                        period: e.period,
                                        derived: e.derived,
                                    })
                                    .collect(),
                            }
                        })
                        .collect()
                })
                .unwrap_or_default();
            TreatyJson {
                slug: &treaty.slug,
                title: &treaty.title,
                short_title: &treaty.short_title,
                established: treaty.established.to_string(),
                url: Route::Treaty(&treaty.slug).url(&config.base_url),
                founders: treaty.founders.iter().map(|c| c.code()).collect(),
                brokers: treaty.brokers.iter().map(|c| c.code()).collect(),
                countries,
            }
        })
        .collect();
    let doc = TimelineJson {
        generator: "treatyline",
        site: SiteJson {
            title: &config.title,
            base_url: &config.base_url,
        },
        stages: Stage::ALL.iter().map(|s| s.id()).collect(),
        treaties,
    };
    compact_json(&doc)
}

/// A document as JSON without whitespace, ending in a newline. Not indented: indentation was a
/// fifth of a large timeline's bytes, and any JSON viewer or `jq .` indents it for a reader.
/// serde_json writes fields in their declared order, so the bytes stay reproducible.
fn compact_json(doc: &impl Serialize) -> Result<Vec<u8>, String> {
    let mut bytes = serde_json::to_vec(doc).map_err(|e| e.to_string())?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// One row of a treaty's event data: the shape shared by its JSON, CSV and iCalendar files.
#[derive(Serialize)]
struct EventRow<'a> {
    treaty: &'a str,
    country_code: &'a str,
    country_name: &'a str,
    stage: &'static str,
    label: Option<&'a str>,
    date: String,
    note: Option<&'a str>,
    disputed: bool,
    articles: Vec<&'a str>,
    sources: Vec<&'a str>,
    country_kind: &'static str,
    /// `day`, `month` or `year`: how much of `date` is known.
    date_precision: &'static str,
    /// The country's membership period, from 1; a period ends with a withdrawal.
    period: u32,
    /// Derived from the treaty's entry-into-force rule rather than reported.
    derived: bool,
}

/// The pages of the articles that report `event`, in publication order.
fn article_urls<'a>(site: &'a DataSite, event: &Event) -> Vec<&'a str> {
    let mut articles: Vec<usize> = event.reports.iter().filter_map(|r| r.article).collect();
    // One article may report a step twice (at a partial and at a full date): list it once.
    articles.dedup();
    articles
        .into_iter()
        .map(|article| site.article_urls[article].as_str())
        .collect()
}

/// A treaty's events, oldest first, in the one order every data file uses.
fn oldest_first<'a>(timeline: &'a Timeline, slug: &str) -> Vec<&'a Event> {
    let mut events: Vec<&Event> = timeline
        .treaty(slug)
        .map(|t| t.tracks.iter().flat_map(|track| &track.events).collect())
        .unwrap_or_default();
    events.sort_by(|a, b| {
        (a.date, a.precision, a.country, a.stage, &a.label).cmp(&(
            b.date,
            b.precision,
            b.country,
            b.stage,
            &b.label,
        ))
    });
    events
}

fn event_rows<'a>(site: &'a DataSite, slug: &'a str) -> Vec<EventRow<'a>> {
    let model = site.model;
    oldest_first(site.timeline, slug)
        .into_iter()
        .map(|e| EventRow {
            treaty: slug,
            country_code: e.country.code(),
            country_name: &model.party(e.country).name,
            stage: e.stage.id(),
            label: e.label.as_deref(),
            date: e.event_date().written(),
            note: e.note.as_deref(),
            disputed: e.disputed,
            articles: article_urls(site, e),
            sources: e.sources.iter().map(|s| s.url.as_str()).collect(),
            country_kind: model.party(e.country).kind.id(),
            date_precision: e.precision.id(),
            period: e.period,
            derived: e.derived,
        })
        .collect()
}

/// The JSON Schema that every `/data/<treaty>.json` validates against.
pub const SCHEMA: &str = include_str!("data/schema.json");

/// `/data/<treaty>.json`: the treaty and every event, oldest first.
pub fn treaty_json(site: &DataSite, slug: &str) -> Result<Vec<u8>, String> {
    let (config, model) = (site.config, site.model);
    #[derive(Serialize)]
    struct Doc<'a> {
        #[serde(rename = "$schema")]
        schema: String,
        treaty: &'a str,
        title: &'a str,
        url: String,
        events: Vec<EventRow<'a>>,
    }
    let title = model
        .treaties
        .iter()
        .find(|t| t.slug == slug)
        .map_or(slug, |t| t.title.as_str());
    let doc = Doc {
        schema: Route::DataSchema.url(&config.base_url),
        treaty: slug,
        title,
        url: Route::Treaty(slug).url(&config.base_url),
        events: event_rows(site, slug),
    };
    compact_json(&doc)
}

/// `/data/<treaty>.csv`: RFC 4180, a header row, one event a row; lists joined with spaces.
pub fn treaty_csv(site: &DataSite, slug: &str) -> Result<Vec<u8>, String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let header = [
        "treaty",
        "country_code",
        "country_name",
        "stage",
        "label",
        "date",
        "note",
        "disputed",
        "articles",
        "sources",
        "country_kind",
        "date_precision",
        "period",
        "derived",
    ];
    let failed = |e: csv::Error| e.to_string();
    writer.write_record(header).map_err(failed)?;
    for row in event_rows(site, slug) {
        writer
            .write_record(
                [
                    row.treaty,
                    row.country_code,
                    row.country_name,
                    row.stage,
                    row.label.unwrap_or(""),
                    &row.date,
                    row.note.unwrap_or(""),
                    if row.disputed { "true" } else { "false" },
                    &row.articles.join(" "),
                    &row.sources.join(" "),
                    row.country_kind,
                    row.date_precision,
                    &row.period.to_string(),
                    if row.derived { "true" } else { "false" },
                ]
                .map(|cell| spreadsheet_safe(cell).into_owned()),
            )
            .map_err(failed)?;
    }
    writer.into_inner().map_err(|e| e.error().to_string())
}

/// A cell a spreadsheet would take for a formula (it starts with `=`, `+`, `-`, `@`, a tab or
/// a carriage return) gets a leading `'`, which spreadsheets show as text and do not run: a
/// note written `=HYPERLINK(...)` must not become a live formula in a reader's spreadsheet
/// (OWASP's advice on CSV injection). No other cell changes.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `/data/<treaty>.ics`: RFC 5545, one all-day event per membership event. UIDs are made from
/// the event's identity (treaty, country, stage, label, date), so they stay stable across
/// builds and calendar apps update rather than duplicate them. DTSTAMP is the event's own
/// date: the file must not depend on the clock.
pub fn treaty_ics(site: &DataSite, slug: &str) -> Result<Vec<u8>, String> {
    let (config, model) = (site.config, site.model);
    let title = model
        .treaties
        .iter()
        .find(|t| t.slug == slug)
        .map_or(slug, |t| t.title.as_str());
    let host = config
        .base_url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or("treatyline");
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//treatyline//treatyline//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        format!("X-WR-CALNAME:{}", ics_text(title)),
    ];
    for event in oldest_first(site.timeline, slug) {
        // A date known only to the month or year spans all of it.
        let day = event
            .event_date()
            .first_day()
            .strftime("%Y%m%d")
            .to_string();
        let next = event
            .date
            .tomorrow()
            .unwrap_or(event.date)
            .strftime("%Y%m%d")
            .to_string();
        let party = model.party(event.country);
        let mut summary = match &party.flag {
            Flag::Emoji(flag) => format!("{flag} {}: {}", party.name, event.stage.name()),
            _ => format!("{}: {}", party.name, event.stage.name()),
        };
        if let Some(label) = &event.label {
            summary.push_str(&format!(" ({label})"));
        }
        let mut description: Vec<&str> = Vec::new();
        if event.derived {
            description.push("Derived from the treaty's entry-into-force rule.");
        }
        if let Some(note) = &event.note {
            description.push(note);
        }
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}@{host}", event.id()));
        lines.push(format!("DTSTAMP:{day}T000000Z"));
        lines.push(format!("DTSTART;VALUE=DATE:{day}"));
        lines.push(format!("DTEND;VALUE=DATE:{next}"));
        lines.push(format!("SUMMARY:{}", ics_text(&summary)));
        if !description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", ics_text(&description.join(" "))));
        }
        if let Some(article) = event.reports.iter().find_map(|r| r.article) {
            lines.push(format!("URL:{}", site.article_urls[article]));
        }
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        fold_line(&line, &mut out);
    }
    Ok(out.into_bytes())
}

/// Escapes TEXT values (RFC 5545 §3.3.11).
fn ics_text(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1).
fn fold_line(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        fold_line(&format!("SUMMARY:{}", "é".repeat(60)), &mut out);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{line:?}");
        }
        assert_eq!(
            out.replace("\r\n ", ""),
            format!("SUMMARY:{}\r\n", "é".repeat(60))
        );
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_is_kept_as_text() {
        assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("-2+3"), "'-2+3");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Signed in Paris"), "Signed in Paris");
        assert_eq!(spreadsheet_safe("2016-10-05"), "2016-10-05");
        assert_eq!(spreadsheet_safe(""), "");
    }

    #[test]
    fn ics_text_is_escaped() {
        assert_eq!(ics_text("a, b; c\nd\\"), "a\\, b\\; c\\nd\\\\");
    }
}
