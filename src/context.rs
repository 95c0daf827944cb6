//! What templates see: the model and the timeline as Tera values, built once per build.
//!
//! Every object a template can reach (docs/templates.md) is made here once and shared by
//! every page that shows it: Tera values are reference-counted, so a page's context costs a
//! few pointer copies, not a re-serialisation of the timeline.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use serde::Serialize;
use tera::Value;

use crate::calendar;
use crate::chart::{self, Chart};
use crate::config::SiteConfig;
use crate::dates::{day_month, display_date};
use crate::markdown;
use crate::model::{self, Article, Country, Flag, SiteModel, Slug, Source, Stage, Treaty};
use crate::timeline::{self, Event, EventKey, Timeline, TreatyTimeline};

fn value<T: Serialize + ?Sized>(v: &T) -> Value {
    Value::from_serializable(v)
}

#[derive(Serialize)]
struct StageView {
    id: &'static str,
    name: &'static str,
    order: usize,
}

fn stage(stage: Stage) -> StageView {
    StageView {
        id: stage.id(),
        name: stage.name(),
        order: stage.order(),
    }
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    data_license: Option<&'a str>,
    data_license_url: Option<&'a str>,
}

#[derive(Serialize)]
struct CountrySummary<'a> {
    code: String,
    code_lower: String,
    name: &'a str,
    flag: &'a str,
    url: String,
}

#[derive(Serialize)]
struct TreatySummary<'a> {
    slug: &'a str,
    title: &'a str,
    short_title: &'a str,
    url: String,
}

#[derive(Serialize)]
struct ArticleSummary<'a> {
    slug: &'a str,
    title: &'a str,
    url: String,
    date: String,
    date_display: String,
    author: Option<&'a str>,
    summary: &'a str,
}

#[derive(Serialize)]
struct Cell {
    date: Option<String>,
    date_display: Option<String>,
    /// `date_display` in two parts, `15 September` and `2020`, so that a narrow column can
    /// keep the day and month together.
    day_month: Option<String>,
    year: Option<i16>,
}

/// The rendered Markdown of every document, made once (in parallel) before any page. Of an
/// article only the first paragraph (its default summary): its page renders its Markdown
/// itself (`render`), so a large site never holds every article's HTML at once.
pub struct Bodies {
    pub article_first_paragraphs: Vec<String>,
    pub treaties: Vec<markdown::Rendered>,
    pub countries: BTreeMap<Country, markdown::Rendered>,
    pub pages: Vec<markdown::Rendered>,
}

/// Every value templates use, built once.
pub struct Views {
    pub base_url: String,
    pub default_treaty: Option<String>,
    pub site: Value,
    pub treaties: Value,
    pub nav: Value,
    pub article_summaries: Vec<Value>,
    pub articles_full: Vec<Value>,
    pub treaty_full: BTreeMap<Slug, Value>,
    /// Each treaty as it stood on 31 December of the years of its as-of pages
    /// ([`calendar::as_of_years`]).
    pub treaty_years: BTreeMap<Slug, Vec<(i16, Value)>>,
    pub country_full: BTreeMap<Country, Value>,
    pub country_list: Value,
    /// Every event of every treaty, newest first.
    pub all_events: Value,
    pub years: Vec<(i16, Value)>,
    pub years_list: Value,
    pub pages_full: Vec<Value>,
}

impl Views {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }
}

/// The summary shown for an article: its own, else its first paragraph.
pub fn article_summary_text<'a>(article: &'a Article, first_paragraph: &'a str) -> &'a str {
    article.summary.as_deref().unwrap_or(first_paragraph)
}

fn article_summary<'x>(
    base_url: &str,
    article: &'x Article,
    first_paragraph: &'x str,
) -> ArticleSummary<'x> {
    ArticleSummary {
        slug: &article.slug,
        title: &article.title,
        url: format!("{base_url}articles/{}/", article.slug),
        date: article.date.to_string(),
        date_display: display_date(article.date),
        author: article.author.as_deref(),
        summary: article_summary_text(article, first_paragraph),
    }
}

/// The fields of a full article that its own file gives: the summary's, its sources (its own,
/// then its events', no duplicates) and tags.
#[derive(Serialize)]
struct ArticleOwn<'x> {
    #[serde(flatten)]
    summary: ArticleSummary<'x>,
    sources: Vec<&'x Source>,
    tags: &'x [String],
}

fn article_own<'x>(
    base_url: &str,
    article: &'x Article,
    first_paragraph: &'x str,
) -> ArticleOwn<'x> {
    let mut sources: Vec<&Source> = Vec::new();
    for s in article
        .sources
        .iter()
        .chain(article.events.iter().flat_map(|e| &e.sources))
    {
        if !sources.iter().any(|have| have.url == s.url) {
            sources.push(s);
        }
    }
    ArticleOwn {
        summary: article_summary(base_url, article, first_paragraph),
        sources,
        tags: &article.tags,
    }
}

/// A full article's value after an edit that kept its slug, date, treaty and events (so its
/// place among the articles and every event value are unchanged): the fields its own file
/// gives are made anew, the rest kept from `previous`. Lets serve show an edit at once, while
/// the rest of the site is rebuilt.
pub fn article_after_edit(previous: &Value, base_url: &str, article: &Article) -> Option<Value> {
    let first_paragraph = markdown::first_paragraph(&article.body);
    let own = value(&article_own(base_url, article, &first_paragraph)).into_map()?;
    let mut fields = previous.clone().into_map()?;
    for (key, field) in own {
        fields.insert(key, field);
    }
    Some(Value::from(fields))
}

struct Builder<'a> {
    config: &'a SiteConfig,
    model: &'a SiteModel,
    /// One value per stage and per date cell, shared by every table that shows it: a site's
    /// year-end pages repeat most of its cells.
    stage_values: HashMap<Stage, Value>,
    cell_values: HashMap<Option<Date>, Value>,
    /// A members-table row is the same on every day that saw the same events of its country:
    /// by (treaty index, country, how many of its events).
    member_values: HashMap<(usize, Country, usize), Value>,
    country_values: BTreeMap<Country, Value>,
    treaty_values: BTreeMap<&'a str, Value>,
    article_summaries: Vec<Value>,
}

impl<'a> Builder<'a> {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.config.base_url, path)
    }

    fn country_summary(&self, country: Country) -> CountrySummary<'a> {
        let party = self.model.party(country);
        CountrySummary {
            code: country.code().to_string(),
            code_lower: country.code_lower(),
            name: &party.name,
            flag: match &party.flag {
                Flag::Emoji(flag) => flag,
                _ => "",
            },
            url: self.url(&format!("countries/{}/", country.code_lower())),
        }
    }

    fn article_summary<'x>(
        &self,
        article: &'x Article,
        first_paragraph: &'x str,
    ) -> ArticleSummary<'x> {
        article_summary(&self.config.base_url, article, first_paragraph)
    }

    fn stage(&mut self, s: Stage) -> Value {
        self.stage_values
            .entry(s)
            .or_insert_with(|| value(&stage(s)))
            .clone()
    }

    /// A members-table cell: the day a stage was first reached, or none.
    fn cell(&mut self, day: Option<Date>) -> Value {
        self.cell_values
            .entry(day)
            .or_insert_with(|| {
                value(&Cell {
                    date: day.map(|d| d.to_string()),
                    date_display: day.map(display_date),
                    day_month: day.map(day_month),
                    year: day.map(|d| d.year()),
                })
            })
            .clone()
    }

    /// A chart as template values, its marks taken from `marks` (the values of the marks of
    /// the chart it was cut from, by lane), so that a treaty's charts share them.
    fn chart(&mut self, chart: &Chart, marks: &[Vec<Value>]) -> Value {
        #[derive(Serialize)]
        struct LaneView<'c> {
            y: i64,
            label: &'c str,
            flag: Option<&'c str>,
            url: &'c str,
            span_from: i64,
            span_to: i64,
            spans: &'c [chart::Span],
            marks: &'c [Value],
            status: &'static str,
            status_id: &'static str,
        }
        #[derive(Serialize)]
        struct ChartView<'c> {
            id: &'c str,
            title: &'c str,
            description: &'c str,
            width: i64,
            height: i64,
            plot_left: i64,
            plot_right: i64,
            axis_y: i64,
            label_x: i64,
            ticks: &'c [chart::Tick],
            lanes: Vec<LaneView<'c>>,
            legend: &'c [chart::LegendItem],
            as_of: Option<&'c chart::Tick>,
        }
        let lanes = chart
            .lanes
            .iter()
            .map(|lane| LaneView {
                y: lane.y,
                label: &lane.label,
                flag: lane.flag.as_deref(),
                url: &lane.url,
                span_from: lane.span_from,
                span_to: lane.span_to,
                spans: &lane.spans,
                marks: &marks[lane.source][..lane.marks.len()],
                status: lane.status,
                status_id: lane.status_id,
            })
            .collect();
        value(&ChartView {
            id: &chart.id,
            title: &chart.title,
            description: &chart.description,
            width: chart.width,
            height: chart.height,
            plot_left: chart.plot_left,
            plot_right: chart.plot_right,
            axis_y: chart.axis_y,
            label_x: chart.label_x,
            ticks: &chart.ticks,
            lanes,
            legend: &chart.legend,
            as_of: chart.as_of.as_ref(),
        })
    }

    fn country(&mut self, country: Country) -> Value {
        if let Some(v) = self.country_values.get(&country) {
            return v.clone();
        }
        let v = value(&self.country_summary(country));
        self.country_values.insert(country, v.clone());
        v
    }

    fn event(&mut self, event: &Event) -> Value {
        #[derive(Serialize)]
        struct EventView<'e> {
            id: String,
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
        }
        let country = self.country(event.country);
        let mut articles: Vec<&Value> = Vec::new();
        for report in &event.reports {
            let Some(index) = report.article else {
                continue;
            };
            let summary = &self.article_summaries[index];
            if !articles.iter().any(|a| std::ptr::eq(*a, summary)) {
                articles.push(summary);
            }
        }
        value(&EventView {
            id: event.id(),
            treaty: &self.treaty_values[event.treaty.as_str()],
            country,
            stage: stage(event.stage),
            label: event.label.as_deref(),
            date: event.date.to_string(),
            date_display: display_date(event.date),
            year: event.date.year(),
            note: event.note.as_deref(),
            disputed: event.disputed,
            articles,
            sources: &event.sources,
        })
    }
}

/// Builds every template value from the model, the timeline and the rendered bodies. No year
/// after `last_year` (the build day's) gets an as-of page or a year page.
pub fn build(
    config: &SiteConfig,
    model: &SiteModel,
    timeline: &Timeline,
    bodies: &Bodies,
    last_year: i16,
) -> Views {
    let mut b = Builder {
        config,
        model,
        stage_values: HashMap::new(),
        cell_values: HashMap::new(),
        member_values: HashMap::new(),
        country_values: BTreeMap::new(),
        treaty_values: BTreeMap::new(),
        article_summaries: Vec::new(),
    };
    for treaty in &model.treaties {
        let v = value(&TreatySummary {
            slug: &treaty.slug,
            title: &treaty.title,
            short_title: &treaty.short_title,
            url: b.url(&format!("treaties/{}/", treaty.slug)),
        });
        b.treaty_values.insert(&treaty.slug, v);
    }
    b.article_summaries = model
        .articles
        .iter()
        .zip(&bodies.article_first_paragraphs)
        .map(|(a, body)| value(&b.article_summary(a, body)))
        .collect();

    // One value per merged event, shared by every list that shows it.
    let newest = timeline.events_newest_first();
    let mut event_values: HashMap<EventKey, Value> = HashMap::with_capacity(newest.len());
    for event in &newest {
        let v = b.event(event);
        event_values.insert(event.key(), v);
    }
    let ev = |e: &Event| event_values[&e.key()].clone();

    let site = value(&SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        base_url: &config.base_url,
        data_license: config.data_license.as_deref(),
        data_license_url: config.data_license_url.as_deref(),
    });
    let mut treaties_sorted: Vec<_> = model.treaties.iter().collect();
    treaties_sorted.sort_by(|x, y| (&x.title, &x.slug).cmp(&(&y.title, &y.slug)));
    let treaties = Value::from(
        treaties_sorted
            .iter()
            .map(|t| b.treaty_values[t.slug.as_str()].clone())
            .collect::<Vec<_>>(),
    );
    #[derive(Serialize)]
    struct NavItem<'n> {
        title: &'n str,
        url: String,
    }
    let nav = value(
        &model
            .pages
            .iter()
            .map(|p| NavItem {
                title: &p.title,
                url: b.url(&format!("{}/", p.slug)),
            })
            .collect::<Vec<_>>(),
    );

    // Articles, full.
    let mut events_of_article: Vec<Vec<&Event>> = vec![Vec::new(); model.articles.len()];
    for event in newest.iter().copied() {
        for report in &event.reports {
            let Some(index) = report.article else {
                continue;
            };
            let list = &mut events_of_article[index];
            if !list.iter().any(|e| std::ptr::eq(*e, event)) {
                list.push(event);
            }
        }
    }
    let articles_full = model
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            // `content` and `toc` are added by the page's render job, from the Markdown.
            #[derive(Serialize)]
            struct ArticleFull<'x> {
                #[serde(flatten)]
                own: ArticleOwn<'x>,
                treaty: Option<Value>,
                events: Vec<Value>,
            }
            let first_paragraph = &bodies.article_first_paragraphs[i];
            let mut events = std::mem::take(&mut events_of_article[i]);
            events.sort_by(|x, y| (x.date, x.stage, &x.treaty).cmp(&(y.date, y.stage, &y.treaty)));
            value(&ArticleFull {
                own: article_own(&b.config.base_url, a, first_paragraph),
                treaty: a
                    .treaty
                    .as_ref()
                    .and_then(|t| b.treaty_values.get(t.as_str()))
                    .cloned(),
                events: events.into_iter().map(ev).collect(),
            })
        })
        .collect();

    // Treaties, full: the current membership, and as it stood at the end of each year.
    let empty = TreatyTimeline::default();
    let article_url = |i: usize| format!("{}articles/{}/", config.base_url, model.articles[i].slug);
    let article_url: &dyn Fn(usize) -> String = &article_url;
    let mut treaty_full = BTreeMap::new();
    let mut treaty_years = BTreeMap::new();
    // The years that get a page of their own (see "Years" below).
    let site_years: BTreeSet<i16> = newest
        .iter()
        .map(|e| e.date.year())
        .chain(model.articles.iter().map(|a| a.date.year()))
        .collect();
    for (ti, treaty) in model.treaties.iter().enumerate() {
        let tl = timeline.treaty(&treaty.slug).unwrap_or(&empty);
        let span = treaty_span(treaty, tl);
        let url = b.url(&format!("treaties/{}/", treaty.slug));
        let year_pages: Vec<YearLink> = span
            .map(|(_, last)| {
                let founded =
                    Some(treaty.established.year()).filter(|_| treaty.established <= last);
                let marks = tl
                    .tracks
                    .iter()
                    .flat_map(|t| &t.events)
                    .map(|e| e.date.year());
                calendar::as_of_years(marks.chain(founded), last_year.min(last.year()))
                    .into_iter()
                    .map(|year| YearLink {
                        year,
                        url: format!("{url}as-of/{year}/"),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut articles: Vec<Value> = model
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                a.treaty.as_ref() == Some(&treaty.slug)
                    || a.events.iter().any(|e| e.treaty == treaty.slug)
            })
            .map(|(i, _)| b.article_summaries[i].clone())
            .collect();
        articles.reverse();
        let founders: Vec<Value> = treaty.founders.iter().map(|c| b.country(*c)).collect();
        let brokers: Vec<Value> = treaty.brokers.iter().map(|c| b.country(*c)).collect();
        let data_url = |extension: &str| b.url(&format!("data/{}.{extension}", treaty.slug));
        let downloads = Downloads {
            json: data_url("json"),
            csv: data_url("csv"),
            ics: data_url("ics"),
        };
        // An as-of page has no event list and no articles: listing every earlier event on
        // each of a treaty's year pages would make the site grow with years × events.
        let chart = span.map(|span| {
            let lanes = tl
                .tracks
                .iter()
                .map(|track| chart::LaneSpec {
                    label: &model.party(track.country).name,
                    flag: match &model.party(track.country).flag {
                        Flag::Emoji(flag) => Some(flag.as_str()),
                        _ => None,
                    },
                    url: b.url(&format!("countries/{}/", track.country.code_lower())),
                    events: track.events.iter().collect(),
                })
                .collect();
            let chart = chart::layout(
                format!("chart-{}", treaty.slug),
                format!("{}: membership timeline", treaty.title),
                lanes,
                span,
                article_url,
            );
            let marks = mark_values(&chart);
            (chart, marks)
        });
        let full = |b: &mut Builder, day: Option<Date>, articles: Vec<Value>| {
            let events: Vec<&Event> = match day {
                Some(_) => Vec::new(),
                None => tl.events_newest_first(),
            };
            value(&TreatyFull {
                slug: &treaty.slug,
                title: &treaty.title,
                short_title: &treaty.short_title,
                url: url.clone(),
                established: treaty.established.to_string(),
                established_display: display_date(treaty.established),
                summary: treaty.summary.as_deref(),
                content: &bodies.treaties[ti].html,
                founders: founders.clone(),
                brokers: brokers.clone(),
                membership: membership(b, ti, treaty, tl, chart.as_ref(), day, &ev),
                events: events.into_iter().map(&ev).collect(),
                articles,
                downloads: &downloads,
                as_of_pages: &year_pages,
                year_url: day
                    .map(|d| d.year())
                    .filter(|y| site_years.contains(y))
                    .map(|y| b.url(&format!("years/{y}/"))),
            })
        };
        let years: Vec<(i16, Value)> = year_pages
            .iter()
            .map(|link| {
                let day = Date::new(link.year, 12, 31).ok();
                (link.year, full(&mut b, day, Vec::new()))
            })
            .collect();
        treaty_full.insert(treaty.slug.clone(), full(&mut b, None, articles));
        treaty_years.insert(treaty.slug.clone(), years);
    }

    // Countries: every country with an event, a note, or named as founder or broker.
    let tracks_by_country = timeline::by_country(timeline);
    let mut all_countries: Vec<Country> = tracks_by_country.keys().copied().collect();
    all_countries.extend(model.country_notes.keys().copied());
    all_countries.extend(
        model
            .treaties
            .iter()
            .flat_map(|t| t.founders.iter().chain(&t.brokers))
            .copied(),
    );
    all_countries.sort();
    all_countries.dedup();
    let mut country_full = BTreeMap::new();
    for country in &all_countries {
        #[derive(Serialize)]
        struct CountryTreaty {
            treaty: Value,
            status: Option<StageView>,
            status_date: Option<String>,
            status_date_display: Option<String>,
            events: Vec<Value>,
        }
        #[derive(Serialize)]
        struct CountryFull<'x> {
            #[serde(flatten)]
            summary: CountrySummary<'x>,
            #[serde(rename = "summary")]
            summary_text: Option<&'x str>,
            content: Option<&'x str>,
            treaties: Vec<CountryTreaty>,
            articles: Vec<Value>,
            chart: Option<Value>,
        }
        let treaties = tracks_by_country
            .get(country)
            .map(|list| {
                list.iter()
                    .map(|(slug, track)| {
                        let status = track.status();
                        CountryTreaty {
                            treaty: b.treaty_values[*slug].clone(),
                            status: status.map(|e| stage(e.stage)),
                            status_date: status.map(|e| e.date.to_string()),
                            status_date_display: status.map(|e| display_date(e.date)),
                            events: track.events.iter().map(ev).collect(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut articles: Vec<Value> = model
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| a.events.iter().any(|e| e.country == *country))
            .map(|(i, _)| b.article_summaries[i].clone())
            .collect();
        articles.reverse();
        // One lane per treaty the country has taken a step in.
        let chart = tracks_by_country.get(country).and_then(|list| {
            let first = list.iter().map(|(_, t)| t.first_date()).min()?;
            let last = list
                .iter()
                .filter_map(|(_, t)| t.status())
                .map(|e| e.date)
                .max()?;
            let lanes = list
                .iter()
                .map(|(slug, track)| chart::LaneSpec {
                    label: model
                        .treaties
                        .iter()
                        .find(|t| t.slug == *slug)
                        .map_or(*slug, |t| t.short_title.as_str()),
                    flag: None,
                    url: b.url(&format!("treaties/{slug}/")),
                    events: track.events.iter().collect(),
                })
                .collect();
            Some(chart::layout(
                format!("chart-{}", country.code_lower()),
                format!("{}: steps in each treaty", model.party(*country).name),
                lanes,
                (first, last),
                article_url,
            ))
        });
        let chart = chart.map(|c| b.chart(&c, &mark_values(&c)));
        let note = model.country_notes.get(country);
        let v = value(&CountryFull {
            summary: b.country_summary(*country),
            summary_text: note.and_then(|n| n.summary.as_deref()),
            content: bodies.countries.get(country).map(|r| r.html.as_str()),
            treaties,
            articles,
            chart,
        });
        country_full.insert(*country, v);
    }
    let mut by_name = all_countries.clone();
    by_name.sort_by_cached_key(|c| (model.party(*c).sort_key.clone(), *c));
    let country_list = Value::from(by_name.iter().map(|c| b.country(*c)).collect::<Vec<_>>());

    let all_events = Value::from(newest.iter().copied().map(ev).collect::<Vec<_>>());

    // Years: every year with an event or an article, up to the build day's.
    let mut years_map: BTreeMap<i16, (Vec<&Event>, Vec<usize>)> = BTreeMap::new();
    for event in newest.iter().copied() {
        years_map
            .entry(event.date.year())
            .or_default()
            .0
            .push(event);
    }
    for (i, a) in model.articles.iter().enumerate() {
        years_map.entry(a.date.year()).or_default().1.push(i);
    }
    #[derive(Serialize)]
    struct YearEntry {
        year: i16,
        url: String,
        event_count: usize,
    }
    #[derive(Serialize)]
    struct YearFull {
        year: i16,
        url: String,
        event_count: usize,
        events: Vec<Value>,
        articles: Vec<Value>,
    }
    let mut years = Vec::new();
    let mut years_list = Vec::new();
    for (year, (mut events, articles)) in years_map.into_iter().rev() {
        if year > last_year {
            continue;
        }
        events.reverse();
        let url = b.url(&format!("years/{year}/"));
        years_list.push(value(&YearEntry {
            year,
            url: url.clone(),
            event_count: events.len(),
        }));
        years.push((
            year,
            value(&YearFull {
                year,
                url,
                event_count: events.len(),
                events: events.into_iter().map(ev).collect(),
                articles: articles
                    .into_iter()
                    .map(|i| b.article_summaries[i].clone())
                    .collect(),
            }),
        ));
    }

    #[derive(Serialize)]
    struct PageFull<'x> {
        slug: &'x str,
        title: &'x str,
        url: String,
        summary: Option<&'x str>,
        content: &'x str,
    }
    let pages_full = model
        .pages
        .iter()
        .zip(&bodies.pages)
        .map(|(p, body)| {
            value(&PageFull {
                slug: &p.slug,
                title: &p.title,
                url: b.url(&format!("{}/", p.slug)),
                summary: p.summary.as_deref(),
                content: &body.html,
            })
        })
        .collect();

    Views {
        base_url: config.base_url.clone(),
        default_treaty: config.default_treaty.clone(),
        site,
        treaties,
        nav,
        article_summaries: b.article_summaries,
        articles_full,
        treaty_full,
        treaty_years,
        country_full,
        country_list,
        all_events,
        years,
        years_list: Value::from(years_list),
        pages_full,
    }
}

#[derive(Serialize)]
struct TreatyFull<'x> {
    slug: &'x str,
    title: &'x str,
    short_title: &'x str,
    url: String,
    established: String,
    established_display: String,
    summary: Option<&'x str>,
    content: &'x str,
    founders: Vec<Value>,
    brokers: Vec<Value>,
    #[serde(flatten)]
    membership: Membership,
    events: Vec<Value>,
    articles: Vec<Value>,
    downloads: &'x Downloads,
    as_of_pages: &'x [YearLink],
    /// On an as-of page, the page of that year's events, if it has one.
    year_url: Option<String>,
}

/// The treaty's open data files.
#[derive(Serialize)]
struct Downloads {
    json: String,
    csv: String,
    ics: String,
}

#[derive(Serialize)]
struct YearLink {
    year: i16,
    url: String,
}

/// Who stood where on a day (or now): the members table, the chart and the counts.
#[derive(Serialize)]
struct Membership {
    members: Vec<Value>,
    stage_columns: Vec<StageView>,
    member_count: usize,
    /// The newest event's date, or the day of an as-of page.
    as_of: Option<String>,
    as_of_display: Option<String>,
    /// The year of an as-of page; none for the current state.
    as_of_year: Option<i16>,
    counts: Counts,
    chart: Option<Value>,
}

#[derive(Serialize)]
struct Counts {
    /// How many countries have each stage as their status, in stage order.
    by_stage: Vec<StageCount>,
    /// Every country with both an announcement and a signature, in order of joining.
    to_signing: Vec<ToSigning>,
    median_days_to_signing: Option<i64>,
}

#[derive(Serialize)]
struct StageCount {
    stage: StageView,
    count: usize,
}

#[derive(Serialize)]
struct ToSigning {
    country: Value,
    announced: String,
    announced_display: String,
    signed: String,
    signed_display: String,
    days: i64,
}

/// The first and the last day a treaty's chart and as-of pages cover: from its founding or
/// first event to its newest event. None for a treaty with no event.
fn treaty_span(treaty: &Treaty, tl: &TreatyTimeline) -> Option<(Date, Date)> {
    let first = tl.tracks.iter().map(|t| t.first_date()).min()?;
    Some((first.min(treaty.established), tl.as_of()?))
}

/// The template value of each of a chart's marks, by lane.
fn mark_values(chart: &Chart) -> Vec<Vec<Value>> {
    chart
        .lanes
        .iter()
        .map(|lane| lane.marks.iter().map(value).collect())
        .collect()
}

/// A treaty's full chart and the template value of each of its marks, by lane.
type ChartWithMarks = (Chart, Vec<Vec<Value>>);

fn membership(
    b: &mut Builder,
    ti: usize,
    treaty: &Treaty,
    tl: &TreatyTimeline,
    full_chart: Option<&ChartWithMarks>,
    day: Option<Date>,
    ev: &dyn Fn(&Event) -> Value,
) -> Membership {
    let columns = tl.stages();
    // Today's state is the state on the last day there is.
    let standing = tl.members_on(day.unwrap_or(Date::MAX));
    let members = standing
        .iter()
        .map(|(track, status)| {
            let seen = track
                .events
                .iter()
                .take_while(|e| day.is_none_or(|day| e.date <= day))
                .count();
            let key = (ti, track.country, seen);
            if let Some(v) = b.member_values.get(&key) {
                return v.clone();
            }
            let v = member(b, &tl.membership, track, status, &columns, day, ev);
            b.member_values.insert(key, v.clone());
            v
        })
        .collect();
    let member_count = standing
        .iter()
        .filter(|(_, e)| tl.membership.is_member(e.stage))
        .count();

    let by_stage = Stage::ALL
        .into_iter()
        .filter_map(|s| {
            let count = standing.iter().filter(|(_, e)| e.stage == s).count();
            (count > 0).then(|| StageCount {
                stage: stage(s),
                count,
            })
        })
        .collect();
    let reached = |track: &timeline::Track, s: Stage| {
        timeline::Track::first_reached(track.period_on(day), s).map(|e| e.date)
    };
    let to_signing: Vec<ToSigning> = standing
        .iter()
        .filter_map(|(track, _)| {
            let announced = reached(track, Stage::Announced)?;
            let signed = reached(track, Stage::Signed)?;
            Some(ToSigning {
                country: b.country(track.country),
                announced: announced.to_string(),
                announced_display: display_date(announced),
                signed: signed.to_string(),
                signed_display: display_date(signed),
                days: announced.duration_until(signed).as_hours() / 24,
            })
        })
        .collect();
    let mut days: Vec<i64> = to_signing.iter().map(|t| t.days).collect();
    days.sort_unstable();
    let median_days_to_signing = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2]),
        // The mean of the middle two, rounded half up to a whole day.
        n => Some((days[n / 2 - 1] + days[n / 2] + 1).div_euclid(2)),
    };

    let as_of = day.or_else(|| tl.as_of());
    let chart = full_chart.map(|(full, marks)| match day {
        Some(day) => {
            let title = format!("{}: membership on {}", treaty.title, display_date(day));
            b.chart(&full.as_of(day, title), marks)
        }
        None => b.chart(full, marks),
    });
    Membership {
        members,
        stage_columns: columns.iter().map(|s| stage(*s)).collect(),
        member_count,
        as_of: as_of.map(|d| d.to_string()),
        as_of_display: as_of.map(display_date),
        as_of_year: day.map(|d| d.year()),
        counts: Counts {
            by_stage,
            to_signing,
            median_days_to_signing,
        },
        chart,
    }
}

/// A row of the members table: the country's status on the day (or now) and the day it
/// first reached each stage by then.
fn member(
    b: &mut Builder,
    rule: &model::Membership,
    track: &timeline::Track,
    status: &Event,
    columns: &[Stage],
    day: Option<Date>,
    ev: &dyn Fn(&Event) -> Value,
) -> Value {
    #[derive(Serialize)]
    struct Member {
        country: Value,
        status: Value,
        status_date: String,
        status_date_display: String,
        first_date: String,
        is_member: bool,
        cells: Vec<Value>,
        events: Vec<Value>,
    }
    let until = |e: &&Event| day.is_none_or(|day| e.date <= day);
    value(&Member {
        country: b.country(track.country),
        status: b.stage(status.stage),
        status_date: status.date.to_string(),
        status_date_display: display_date(status.date),
        first_date: track.first_date().to_string(),
        is_member: rule.is_member(status.stage),
        cells: columns
            .iter()
            .map(|s| {
                let reached = timeline::Track::first_reached(track.period_on(day), *s);
                b.cell(reached.map(|e| e.date))
            })
            .collect(),
        events: track.events.iter().filter(until).map(ev).collect(),
    })
}
