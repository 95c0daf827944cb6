//! An article's page: the article with its events, sources and tags, and the articles before
//! and after it (**article** in docs/templates.md). Its Markdown is kept as written and
//! rendered into the page only when the page is rendered.

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::Meta;
use super::shared::{ArticleSummary, Shared};
use crate::markdown::{self, Heading};
use crate::model::{Article, Source};
use crate::source::Tail;
use crate::timeline::Event;

/// `article.html`.
#[derive(Serialize)]
pub struct ArticlePage {
    article: ArticleView,
    /// The summaries of the articles published before and after it, if any.
    previous: Option<Value>,
    next: Option<Value>,
    /// Rendered into `article.content` and `article.toc` by [`ArticlePage::with_body`].
    #[serde(skip)]
    markdown: Tail,
}

/// **article**, before its Markdown is rendered in.
#[derive(Serialize)]
struct ArticleView {
    #[serde(flatten)]
    own: ArticleOwn,
    /// The summary of its default treaty.
    treaty: Option<Value>,
    /// The events it reports, in date order.
    events: Vec<Value>,
}

/// The fields of a full article that its own file gives: the summary's, its sources (its own,
/// then its events', no duplicates) and tags.
#[derive(Serialize)]
struct ArticleOwn {
    #[serde(flatten)]
    summary: ArticleSummary,
    sources: Vec<Source>,
    tags: Vec<String>,
}

fn own(base_path: &str, article: &Article, first_paragraph: &str) -> ArticleOwn {
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
        summary: ArticleSummary::of(base_path, article, first_paragraph),
        sources: sources.into_iter().cloned().collect(),
        tags: article.tags.clone(),
    }
}

/// What an article's page shows that the rest of the site gives: its treaty's summary, the
/// events it reports (as the whole timeline has them), and the summaries of the articles
/// published before and after it.
#[derive(Clone)]
pub struct ArticleSiteParts {
    pub treaty: Option<Value>,
    pub events: Vec<Value>,
    pub previous: Option<Value>,
    pub next: Option<Value>,
}

impl ArticlePage {
    /// An article's page: the fields its own file gives (`first_paragraph`, the first
    /// paragraph of its Markdown, is its default summary), what the rest of the site gives,
    /// and its Markdown, rendered into the page when the page is rendered.
    pub fn new(
        base_path: &str,
        article: &Article,
        first_paragraph: &str,
        site_parts: ArticleSiteParts,
        markdown: Tail,
    ) -> ArticlePage {
        ArticlePage {
            article: ArticleView {
                own: own(base_path, article, first_paragraph),
                treaty: site_parts.treaty,
                events: site_parts.events,
            },
            previous: site_parts.previous,
            next: site_parts.next,
            markdown,
        }
    }

    /// What the page shows that the rest of the site gives.
    pub fn site_parts(&self) -> ArticleSiteParts {
        ArticleSiteParts {
            treaty: self.article.treaty.clone(),
            events: self.article.events.clone(),
            previous: self.previous.clone(),
            next: self.next.clone(),
        }
    }

    /// The page's variables with the article's Markdown rendered in.
    pub(super) fn with_body(&self) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct WithBody<'p> {
            #[serde(flatten)]
            article: &'p ArticleView,
            content: String,
            toc: Vec<Heading>,
            lead: Option<&'p str>,
        }
        #[derive(Serialize)]
        struct PageWithBody<'p> {
            article: WithBody<'p>,
            previous: &'p Option<Value>,
            next: &'p Option<Value>,
        }
        let rendered = markdown::render(&self.markdown);
        let summary = &self.article.own.summary.summary;
        PageWithBody {
            article: WithBody {
                article: &self.article,
                lead: lead(summary, &rendered.html),
                content: rendered.html,
                toc: rendered.headings,
            },
            previous: &self.previous,
            next: &self.next,
        }
    }

    pub(super) fn markdown(&self) -> &str {
        &self.markdown
    }

    /// The day it was published, `YYYY-MM-DD`.
    pub(super) fn date(&self) -> &str {
        &self.article.own.summary.date
    }

    pub(super) fn meta(&self) -> Meta {
        let summary = &self.article.own.summary;
        Meta {
            title: Some(summary.title.clone()),
            description: Some(summary.summary.clone()),
        }
    }
}

/// The summary to show under the title: none when it is empty or when the text begins with
/// it (the default summary is the first paragraph, and would be read twice). The text's first
/// paragraph is compared with the summary's first 48 characters, as written or as Markdown
/// escapes text.
fn lead<'s>(summary: &'s str, content: &str) -> Option<&'s str> {
    const COMPARED: usize = 48;
    let start = summary
        .char_indices()
        .nth(COMPARED)
        .map_or(summary, |(end, _)| &summary[..end]);
    let repeated = content.strip_prefix("<p>").is_some_and(|paragraph| {
        paragraph.starts_with(start) || {
            // As Markdown writes text: `&`, `<` and `>` escaped.
            let mut escaped = String::with_capacity(start.len() + 8);
            let _ = pulldown_cmark_escape::escape_html_body_text(&mut escaped, start);
            paragraph.starts_with(&escaped)
        }
    });
    (!summary.is_empty() && !repeated).then_some(summary)
}

/// Every article's page, in the model's order; `markdown` holds their Markdown in that order.
pub(super) fn pages(shared: &Shared, markdown: Vec<Tail>) -> Vec<ArticlePage> {
    let articles = &shared.model.articles;
    let events = events_by_article(shared);
    // A page per article: the bulk of a large site's views, made on every thread.
    (articles, markdown, events)
        .into_par_iter()
        .with_max_len(crate::TASK_ITEMS)
        .enumerate()
        .map(|(i, (article, markdown, events))| {
            let site_parts = ArticleSiteParts {
                treaty: (article.treaty.as_deref())
                    .and_then(|t| shared.treaties.get(t))
                    .cloned(),
                events: events.into_iter().map(|e| shared.event(e)).collect(),
                previous: i.checked_sub(1).map(|p| shared.article(p)),
                next: shared.articles.get(i + 1).cloned(),
            };
            let first_paragraph = &shared.bodies.article_first_paragraphs[i];
            let base_path = shared.config.base_path();
            ArticlePage::new(base_path, article, first_paragraph, site_parts, markdown)
        })
        .collect()
}

/// The events each article reports, by article, each in date order.
fn events_by_article<'a>(shared: &Shared<'a>) -> Vec<Vec<&'a Event>> {
    let mut lists: Vec<Vec<&Event>> = vec![Vec::new(); shared.model.articles.len()];
    for event in shared.newest.iter().copied() {
        for index in event.reports.iter().filter_map(|r| r.article) {
            let list = &mut lists[index];
            if !list.iter().any(|e| std::ptr::eq(*e, event)) {
                list.push(event);
            }
        }
    }
    // Steps of one day (a roll of signatures) read by name, as the members table does.
    let name = |e: &Event| &shared.model.party(e.country).sort_key;
    for list in &mut lists {
        list.sort_by(|x, y| {
            (x.date, x.stage, &x.treaty, name(x), x.country).cmp(&(
                y.date,
                y.stage,
                &y.treaty,
                name(y),
                y.country,
            ))
        });
    }
    lists
}
