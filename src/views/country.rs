//! A country's page (its steps in every treaty, its articles, its chart: **country** in
//! docs/templates.md) and the list of countries.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::Meta;
use super::chart::{chart_value, mark_values};
use super::shared::{CountrySummary, Shared, StageView};
use crate::chart;
use crate::dates::display_date;
use crate::model::Country;
use crate::routes::Route;
use crate::timeline::{self, Track};

/// `country.html`.
#[derive(Serialize)]
pub struct CountryPage {
    country: CountryView,
}

impl CountryPage {
    pub(super) fn meta(&self) -> Meta {
        Meta {
            title: Some(self.country.summary.name.to_string()),
            description: self.country.summary_text.clone(),
        }
    }
}

/// `countries.html`: every country the site shows, by name.
#[derive(Serialize)]
pub struct CountriesView {
    countries: Vec<Value>,
}

#[derive(Serialize)]
struct CountryView {
    #[serde(flatten)]
    summary: CountrySummary,
    /// From `content/countries/<iso>.md`, if the site has one.
    #[serde(rename = "summary")]
    summary_text: Option<String>,
    content: Option<String>,
    treaties: Vec<CountryTreaty>,
    articles: Vec<Value>,
    chart: Option<Value>,
}

/// The country's place in one treaty.
#[derive(Serialize)]
struct CountryTreaty {
    treaty: Value,
    status: Option<StageView>,
    status_date: Option<String>,
    status_date_display: Option<String>,
    events: Vec<Value>,
}

/// Every country's page, in the order of their codes.
pub(super) fn pages(shared: &Shared) -> Vec<(Country, CountryPage)> {
    let tracks_by_country = timeline::by_country(shared.timeline);
    // Each country's articles, newest first, in one pass over the articles rather than one
    // per country.
    let mut articles: BTreeMap<Country, Vec<usize>> = BTreeMap::new();
    for (i, article) in shared.model.articles.iter().enumerate().rev() {
        let mut named: Vec<Country> = article.events.iter().map(|e| e.country).collect();
        named.sort();
        named.dedup();
        for country in named {
            articles.entry(country).or_default().push(i);
        }
    }
    shared
        .countries
        .keys()
        .map(|&country| {
            let tracks = tracks_by_country
                .get(&country)
                .map_or(&[][..], |list| list.as_slice());
            let articles = articles.get(&country).map_or(&[][..], Vec::as_slice);
            let view = country_view(shared, country, tracks, articles);
            (country, CountryPage { country: view })
        })
        .collect()
}

pub(super) fn list(shared: &Shared) -> CountriesView {
    let mut by_name: Vec<Country> = shared.countries.keys().copied().collect();
    by_name.sort_by_cached_key(|c| (shared.model.party(*c).sort_key.clone(), *c));
    CountriesView {
        countries: by_name.iter().map(|c| shared.country(*c)).collect(),
    }
}

/// `tracks`: the country's events in each treaty it has taken a step in, by treaty slug;
/// `articles`: the articles that name it in an event, newest first, by their index.
fn country_view(
    shared: &Shared,
    country: Country,
    tracks: &[(&str, &Track)],
    articles: &[usize],
) -> CountryView {
    let treaties = tracks
        .iter()
        .map(|(slug, track)| {
            let status = track.status();
            CountryTreaty {
                treaty: shared.treaty(slug),
                status: status.map(|e| StageView::of(e.stage)),
                status_date: status.map(|e| e.date.to_string()),
                status_date_display: status.map(|e| display_date(e.date)),
                events: track.events.iter().map(|e| shared.event(e)).collect(),
            }
        })
        .collect();
    let note = shared.model.country_notes.get(&country);
    CountryView {
        summary: CountrySummary::of(shared.config.base_path(), shared.model.party(country)),
        summary_text: note.and_then(|n| n.summary.clone()),
        content: shared
            .bodies
            .countries
            .get(&country)
            .map(|r| r.html.clone()),
        treaties,
        articles: articles.iter().map(|&i| shared.article(i)).collect(),
        chart: country_chart(shared, country, tracks),
    }
}

/// One lane per treaty the country has taken a step in; none without a step.
fn country_chart(shared: &Shared, country: Country, tracks: &[(&str, &Track)]) -> Option<Value> {
    let first = tracks.iter().map(|(_, t)| t.first_date()).min()?;
    let last = tracks
        .iter()
        .filter_map(|(_, t)| t.status())
        .map(|e| e.date)
        .max()?;
    let lanes = tracks
        .iter()
        .map(|(slug, track)| chart::LaneSpec {
            label: shared
                .model
                .treaties
                .iter()
                .find(|t| *t.slug == **slug)
                .map_or(*slug, |t| t.short_title.as_str()),
            flag: None,
            flag_image: None,
            url: shared.url(Route::Treaty(slug)),
            events: track.events.iter().collect(),
        })
        .collect();
    let chart = chart::layout(
        format!("chart-{}", country.code_lower()),
        format!("{}: steps in each treaty", shared.model.party(country).name),
        lanes,
        (first, last),
        &|i| shared.article_url(i),
    );
    Some(chart_value(&chart, &mark_values(&chart)))
}
