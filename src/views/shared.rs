//! The values many pages share, made once per build: the summaries of treaties, countries
//! and articles (**treaty summary**, **country summary**, **article summary** in
//! docs/templates.md), every event, and the lookups every view builder needs.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::Bodies;
use crate::config::SiteConfig;
use crate::dates::display_date;
use crate::model::{Article, Country, Flag, Party, SiteModel, Source, Stage, Treaty};
use crate::routes::Route;
use crate::timeline::{Event, EventKey, Timeline};

/// What every view builder reads: the model and the timeline, and the values shared by many
/// pages, each made once.
pub(super) struct Shared<'a> {
    pub(super) config: &'a SiteConfig,
    pub(super) model: &'a SiteModel,
    pub(super) timeline: &'a Timeline,
    pub(super) bodies: &'a Bodies,
    /// Every event of every treaty, newest first.
    pub(super) newest: Vec<&'a Event>,
    /// The years with an event or an article: those up to `last_year` have a page.
    pub(super) years: BTreeSet<i16>,
    /// The build day's year: no later year gets an as-of page or a year page.
    pub(super) last_year: i16,
    /// Summaries, by treaty slug, by country, and by article in the model's order.
    pub(super) treaties: BTreeMap<&'a str, Value>,
    pub(super) countries: BTreeMap<Country, Value>,
    pub(super) articles: Vec<Value>,
    /// One value per merged event, shared by every list that shows it.
    pub(super) events: HashMap<EventKey<'a>, Value>,
}

impl<'a> Shared<'a> {
    pub(super) fn new(
        config: &'a SiteConfig,
        model: &'a SiteModel,
        timeline: &'a Timeline,
        bodies: &'a Bodies,
        last_year: i16,
    ) -> Shared<'a> {
        let base_path = config.base_path();
        let newest = timeline.events_newest_first();
        let mut shared = Shared {
            config,
            model,
            timeline,
            bodies,
            last_year,
            years: newest
                .iter()
                .map(|e| e.date.year())
                .chain(model.articles.iter().map(|a| a.date.year()))
                .collect(),
            treaties: model
                .treaties
                .iter()
                .map(|t| (t.slug.as_str(), value(&TreatySummary::of(base_path, t))))
                .collect(),
            countries: shown_countries(model, timeline)
                .into_iter()
                .map(|c| (c, value(&CountrySummary::of(base_path, model.party(c)))))
                .collect(),
            articles: model
                .articles
                .par_iter()
                .zip(&bodies.article_first_paragraphs)
                .with_max_len(crate::TASK_ITEMS)
                .map(|(a, first)| value(&ArticleSummary::of(base_path, a, first)))
                .collect(),
            events: HashMap::with_capacity(newest.len()),
            newest: Vec::new(),
        };
        // An event's value names its articles, made above: made once per event, in parallel.
        let events: Vec<_> = newest
            .par_iter()
            .map(|event| (event.key(), shared.event_value(event)))
            .collect();
        shared.events.extend(events);
        shared.newest = newest;
        shared
    }

    /// The route's link within the site, from the domain's root.
    pub(super) fn url(&self, route: Route) -> String {
        route.url(self.config.base_path())
    }

    pub(super) fn treaty(&self, slug: &str) -> Value {
        self.treaties[slug].clone()
    }

    pub(super) fn country(&self, country: Country) -> Value {
        self.countries[&country].clone()
    }

    pub(super) fn article(&self, index: usize) -> Value {
        self.articles[index].clone()
    }

    pub(super) fn event(&self, event: &Event) -> Value {
        self.events[&event.key()].clone()
    }

    /// The URL of the article at `index` in the model.
    pub(super) fn article_url(&self, index: usize) -> String {
        self.url(Route::Article(&self.model.articles[index].slug))
    }

    fn event_value(&self, event: &Event) -> Value {
        let mut articles: Vec<&Value> = Vec::new();
        for report in &event.reports {
            let Some(index) = report.article else {
                continue;
            };
            let summary = &self.articles[index];
            if !articles.iter().any(|a| std::ptr::eq(*a, summary)) {
                articles.push(summary);
            }
        }
        let id = event.id();
        // The year page lists every event; a treaty's page only its newest.
        let list = match event.date.year() {
            year if year <= self.last_year => Route::Year(year),
            _ => Route::Treaty(event.treaty.as_str()),
        };
        value(&EventView {
            url: format!("{}#{id}", self.url(list)),
            id,
            treaty: &self.treaties[event.treaty.as_str()],
            country: self.country(event.country),
            stage: StageView::of(event.stage),
            label: event.label.as_deref(),
            date: event.event_date().written(),
            date_display: event.event_date().display(),
            year: event.date.year(),
            note: event.note.as_deref(),
            disputed: event.disputed,
            articles,
            sources: &event.sources,
            derived: event.derived,
            period: event.period,
        })
    }
}

/// Every country the site shows: those with an event, a note, or named as a founder or broker.
pub(crate) fn shown_countries(model: &SiteModel, timeline: &Timeline) -> Vec<Country> {
    let mut countries: Vec<Country> = timeline
        .treaties
        .values()
        .flat_map(|t| t.tracks.iter().map(|track| track.country))
        .chain(model.country_notes.keys().copied())
        .chain(
            model
                .treaties
                .iter()
                .flat_map(|t| t.founders.iter().chain(&t.brokers))
                .copied(),
        )
        .collect();
    countries.sort();
    countries.dedup();
    countries
}

pub(super) fn value<T: Serialize + ?Sized>(v: &T) -> Value {
    Value::from_serializable(v)
}

/// **stage** in docs/templates.md.
#[derive(Clone, Serialize)]
pub(super) struct StageView {
    id: &'static str,
    name: &'static str,
    order: usize,
}

impl StageView {
    pub(super) fn of(stage: Stage) -> StageView {
        StageView {
            id: stage.id(),
            name: stage.name(),
            order: stage.order(),
        }
    }
}

/// **country summary**: a party, a state or not.
#[derive(Clone, Serialize)]
pub(super) struct CountrySummary {
    code: String,
    code_lower: String,
    pub(super) name: String,
    /// An emoji flag, or empty.
    flag: String,
    /// The address of a flag image under static/, when the party's file gives one.
    flag_image: Option<String>,
    /// `state`, `organisation`, `territory` or `other`.
    kind: &'static str,
    url: String,
}

impl CountrySummary {
    pub(super) fn of(base_path: &str, party: &Party) -> CountrySummary {
        let country = party.country;
        let (flag, flag_image) = match &party.flag {
            Flag::Emoji(emoji) => (emoji.clone(), None),
            Flag::Image(path) => (String::new(), Some(format!("{base_path}{path}"))),
            Flag::None => (String::new(), None),
        };
        CountrySummary {
            code: country.code().to_string(),
            code_lower: country.code_lower(),
            name: party.name.clone(),
            flag,
            flag_image,
            kind: party.kind.id(),
            url: Route::Country(country.code()).url(base_path),
        }
    }
}

/// **treaty summary**.
#[derive(Serialize)]
struct TreatySummary<'a> {
    slug: &'a str,
    title: &'a str,
    short_title: &'a str,
    url: String,
}

impl TreatySummary<'_> {
    fn of<'a>(base_path: &str, treaty: &'a Treaty) -> TreatySummary<'a> {
        TreatySummary {
            slug: &treaty.slug,
            title: &treaty.title,
            short_title: &treaty.short_title,
            url: Route::Treaty(&treaty.slug).url(base_path),
        }
    }
}

/// **article summary**.
#[derive(Clone, Serialize)]
pub(super) struct ArticleSummary {
    slug: String,
    pub(super) title: String,
    url: String,
    pub(super) date: String,
    date_display: String,
    author: Option<String>,
    pub(super) summary: String,
}

impl ArticleSummary {
    /// The summary of `article`, whose Markdown's first paragraph is `first_paragraph`: its
    /// own summary, else that paragraph.
    pub(super) fn of(base_path: &str, article: &Article, first_paragraph: &str) -> ArticleSummary {
        ArticleSummary {
            slug: article.slug.to_string(),
            title: article.title.clone(),
            url: Route::Article(&article.slug).url(base_path),
            date: article.date.to_string(),
            date_display: display_date(article.date),
            author: article.author.clone(),
            summary: article
                .summary
                .as_deref()
                .unwrap_or(first_paragraph)
                .to_string(),
        }
    }
}

/// **event**: one membership step, merged across every article that reports it.
#[derive(Serialize)]
struct EventView<'e> {
    id: String,
    /// The event in a list of every event: on its year's page.
    url: String,
    treaty: &'e Value,
    country: Value,
    stage: StageView,
    label: Option<&'e str>,
    date: String,
    date_display: String,
    year: i16,
    note: Option<&'e str>,
    disputed: bool,
    articles: Vec<&'e Value>,
    sources: &'e [Source],
    /// Derived from the treaty's entry-into-force rule rather than reported.
    derived: bool,
    /// The country's membership period, from 1.
    period: u32,
}
