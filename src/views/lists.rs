//! The home page, the list of articles, the year pages and their list, and the free pages;
//! and the pages with no variables of their own.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::Meta;
use super::pager::{Pager, paginate};
use super::shared::Shared;
use super::treaty::TreatyView;
use crate::routes::Route;
use crate::timeline::Event;

/// The pages whose template has only the global variables (`treaties.html`, `data.html`,
/// `404.html`, `robots.txt`).
#[derive(Serialize)]
pub struct NoVars {}

/// `index.html`: the default treaty's timeline, or every treaty's.
#[derive(Serialize)]
pub struct HomeView {
    treaty: Option<Box<TreatyView>>,
    /// The default treaty's events, newest first; every treaty's without one.
    events: Vec<Value>,
    /// The 10 newest articles.
    articles: Vec<Value>,
}

impl HomeView {
    pub(super) fn meta(&self) -> Meta {
        self.treaty.as_ref().map(|t| t.meta()).unwrap_or_default()
    }
}

pub(super) fn home(shared: &Shared, default_treaty: Option<&TreatyView>) -> HomeView {
    let events = match default_treaty {
        Some(treaty) => treaty.events().to_vec(),
        None => shared.newest.iter().map(|e| shared.event(e)).collect(),
    };
    HomeView {
        treaty: default_treaty.cloned().map(Box::new),
        events,
        articles: shared.articles.iter().rev().take(10).cloned().collect(),
    }
}

/// `articles.html`: a page of the list of every article, newest first.
#[derive(Serialize)]
pub struct ArticlesView {
    /// This page's articles.
    articles: Vec<Value>,
    pager: Pager,
}

impl ArticlesView {
    /// The page's number, from 1.
    pub(super) fn number(&self) -> usize {
        self.pager.current()
    }

    pub(super) fn meta(&self) -> Meta {
        Meta {
            // The first page keeps the section's own title.
            title: (self.pager.current() > 1).then(|| self.pager.title("Articles")),
            description: None,
        }
    }
}

/// The pages of the list of every article, newest first, `paginate_by` a page: the first at
/// `articles/`, the others at `articles/page/<n>/`.
pub(super) fn articles(shared: &Shared) -> Vec<ArticlesView> {
    let newest: Vec<Value> = shared.articles.iter().rev().cloned().collect();
    let url = |n| shared.url(Route::Articles(n));
    paginate(&newest, shared.config.paginate_by, url)
        .into_iter()
        .map(|(articles, pager)| ArticlesView { articles, pager })
        .collect()
}

/// `year.html`: a year's events and articles (**year**).
#[derive(Serialize)]
pub struct YearPage {
    year: YearView,
}

impl YearPage {
    pub(super) fn meta(&self) -> Meta {
        Meta {
            title: Some(format!("Events of {}", self.year.year)),
            description: None,
        }
    }
}

#[derive(Serialize)]
struct YearView {
    year: i16,
    url: String,
    event_count: usize,
    /// In date order.
    events: Vec<Value>,
    /// The summaries of the articles published that year, in date order.
    articles: Vec<Value>,
}

/// `years.html`: every year with a page, newest first.
#[derive(Serialize)]
pub struct YearsView {
    years: Vec<YearEntry>,
}

#[derive(Serialize)]
struct YearEntry {
    year: i16,
    url: String,
    event_count: usize,
}

/// Every year's page, newest first, and their list: every year with an event or an article,
/// up to the build day's.
pub(super) fn years(shared: &Shared) -> (Vec<(i16, YearPage)>, YearsView) {
    let mut by_year: BTreeMap<i16, (Vec<&Event>, Vec<usize>)> = BTreeMap::new();
    for event in shared.newest.iter().copied() {
        by_year.entry(event.date.year()).or_default().0.push(event);
    }
    for (i, a) in shared.model.articles.iter().enumerate() {
        by_year.entry(a.date.year()).or_default().1.push(i);
    }
    let mut pages = Vec::new();
    let mut list = Vec::new();
    for (year, (mut events, articles)) in by_year.into_iter().rev() {
        if year > shared.last_year {
            continue;
        }
        events.reverse();
        let url = shared.url(Route::Year(year));
        list.push(YearEntry {
            year,
            url: url.clone(),
            event_count: events.len(),
        });
        let view = YearView {
            year,
            url,
            event_count: events.len(),
            events: events.into_iter().map(|e| shared.event(e)).collect(),
            articles: articles.into_iter().map(|i| shared.article(i)).collect(),
        };
        pages.push((year, YearPage { year: view }));
    }
    (pages, YearsView { years: list })
}

/// `page.html`: a free page from `content/pages/` (**page**).
#[derive(Serialize)]
pub struct FreePage {
    page: PageView,
}

impl FreePage {
    pub(super) fn meta(&self) -> Meta {
        Meta {
            title: Some(self.page.title.clone()),
            description: self.page.summary.clone(),
        }
    }
}

#[derive(Serialize)]
struct PageView {
    slug: String,
    title: String,
    url: String,
    summary: Option<String>,
    content: String,
}

/// The page of the free page at `index` in the model.
pub(super) fn free_page(shared: &Shared, index: usize) -> FreePage {
    let page = &shared.model.pages[index];
    FreePage {
        page: PageView {
            slug: page.slug.to_string(),
            title: page.title.clone(),
            url: shared.url(Route::Page(&page.slug)),
            summary: page.summary.clone(),
            content: shared.bodies.pages[index].html.clone(),
        },
    }
}
