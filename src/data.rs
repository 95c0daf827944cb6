//! Open data: the timeline as JSON, written from the model rather than through a template so
//! that it is always well-formed. The shape is documented in docs/data.md.

use serde::Serialize;

use crate::config::SiteConfig;
use crate::model::{SiteModel, Stage};
use crate::timeline::Timeline;

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
    name: &'static str,
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
    articles: Vec<String>,
    sources: Vec<&'a str>,
}

/// `/data/timeline.json`: every treaty, country and event with dates, stages and sources.
pub fn timeline_json(config: &SiteConfig, model: &SiteModel, timeline: &Timeline) -> Vec<u8> {
    let url = |path: String| format!("{}{}", config.base_url, path);
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
                                name: track.country.name,
                                status: status.map(|e| e.stage.id()),
                                status_date: status.map(|e| e.date.to_string()),
                                events: track
                                    .events
                                    .iter()
                                    .map(|e| EventJson {
                                        stage: e.stage.id(),
                                        label: e.label.as_deref(),
                                        date: e.date.to_string(),
                                        note: e.note.as_deref(),
                                        disputed: e.disputed,
                                        articles: e
                                            .reports
                                            .iter()
                                            .map(|r| {
                                                url(format!(
                                                    "articles/{}/",
                                                    model.articles[r.article].slug
                                                ))
                                            })
                                            .collect(),
                                        sources: e.sources.iter().map(|s| s.url.as_str()).collect(),
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
                url: url(format!("treaties/{}/", treaty.slug)),
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
    let mut bytes = serde_json::to_vec_pretty(&doc).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
