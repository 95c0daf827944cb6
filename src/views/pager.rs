//! Lists cut into pages: the list of every article and each treaty's list of articles, so that
//! no page grows with the whole site. Which items each page shows, the **pager** its template
//! gets (docs/templates.md), and the pages of a treaty's articles.
//!
//! A pager holds the URLs of its neighbours and ends, never one per page: a list of thousands
//! of pages would otherwise cost each of its pages a link to every other.

use serde::Serialize;
use tera::Value;

use super::Meta;
use super::shared::Shared;
use crate::model::Treaty;
use crate::routes::Route;

/// **pager**: where a page stands in its list and the URLs around it.
#[derive(Serialize)]
pub(super) struct Pager {
    /// This page's number, from 1.
    current: usize,
    /// How many pages the list has: 1 for an empty list.
    total: usize,
    /// The most items a page shows (site.yaml's `paginate_by`).
    per_page: usize,
    /// How many items the whole list has.
    item_count: usize,
    /// The place in the whole list of this page's first item, from 1 (0 for an empty list).
    first_item: usize,
    /// The place of this page's last item.
    last_item: usize,
    /// The first and the last page's URLs.
    first: String,
    last: String,
    /// The page before (newer) and after (older), or none at either end.
    previous: Option<String>,
    next: Option<String>,
}

impl Pager {
    /// This page's number, from 1.
    pub(super) fn current(&self) -> usize {
        self.current
    }

    /// A page's title: `list` on the first page, `<list>, page <n> of <total>` on the others.
    pub(super) fn title(&self, list: &str) -> String {
        match self.current {
            1 => list.to_string(),
            n => format!("{list}, page {n} of {}", self.total),
        }
    }
}

/// `items` cut into pages of at most `per_page` (at least one page, empty for an empty list),
/// each with its pager. `page_url` gives a page's URL by its number, from 1.
pub(super) fn paginate(
    items: &[Value],
    per_page: usize,
    page_url: impl Fn(usize) -> String,
) -> Vec<(Vec<Value>, Pager)> {
    let per_page = per_page.max(1);
    let total = items.len().div_ceil(per_page).max(1);
    (1..=total)
        .map(|n| {
            let start = (n - 1) * per_page;
            let shown = &items[start.min(items.len())..(start + per_page).min(items.len())];
            let pager = Pager {
                current: n,
                total,
                per_page,
                item_count: items.len(),
                first_item: if shown.is_empty() { 0 } else { start + 1 },
                last_item: start + shown.len(),
                first: page_url(1),
                last: page_url(total),
                previous: (n > 1).then(|| page_url(n - 1)),
                next: (n < total).then(|| page_url(n + 1)),
            };
            (shown.to_vec(), pager)
        })
        .collect()
}

/// `treaty_articles.html`: a page of the articles about a treaty, newest first.
#[derive(Serialize)]
pub struct TreatyArticlesPage {
    /// The treaty's summary.
    treaty: Value,
    articles: Vec<Value>,
    pager: Pager,
    /// The treaty's title, for the social cards.
    #[serde(skip)]
    title: String,
}

impl TreatyArticlesPage {
    /// The page's number, from 1.
    pub(super) fn number(&self) -> usize {
        self.pager.current()
    }

    pub(super) fn meta(&self) -> Meta {
        let list = format!("Articles about the {}", self.title);
        Meta {
            title: Some(self.pager.title(&list)),
            description: None,
        }
    }
}

/// The pages of the articles about `treaty`, `articles` (newest first, their summaries): none
/// for a treaty without articles.
pub(super) fn treaty_articles(
    shared: &Shared,
    treaty: &Treaty,
    articles: &[Value],
) -> Vec<TreatyArticlesPage> {
    if articles.is_empty() {
        return Vec::new();
    }
    let url = |n| shared.url(Route::TreatyArticles(&treaty.slug, n));
    paginate(articles, shared.config.paginate_by, url)
        .into_iter()
        .map(|(articles, pager)| TreatyArticlesPage {
            treaty: shared.treaty(&treaty.slug),
            articles,
            pager,
            title: treaty.title.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(pager: &Pager) -> (Option<&str>, Option<&str>, &str, &str) {
        (
            pager.previous.as_deref(),
            pager.next.as_deref(),
            &pager.first,
            &pager.last,
        )
    }

    #[test]
    fn a_list_is_cut_into_full_pages_and_a_last_one() {
        let items: Vec<Value> = (0..7).map(Value::from).collect();
        let pages = paginate(&items, 3, |n| Route::Articles(n).url_path());
        let shown: Vec<Vec<Value>> = pages.iter().map(|(shown, _)| shown.clone()).collect();
        assert_eq!(
            shown,
            [
                vec![0.into(), 1.into(), 2.into()],
                vec![3.into(), 4.into(), 5.into()],
                vec![6.into()]
            ]
        );
        let (_, first) = &pages[0];
        assert_eq!(first.current, 1);
        assert_eq!(
            urls(first),
            (
                None,
                Some("articles/page/2/"),
                "articles/",
                "articles/page/3/"
            )
        );
        let (_, middle) = &pages[1];
        assert_eq!(
            urls(middle),
            (
                Some("articles/"),
                Some("articles/page/3/"),
                "articles/",
                "articles/page/3/"
            )
        );
        let (_, last) = &pages[2];
        assert_eq!((last.first_item, last.last_item, last.total), (7, 7, 3));
        assert_eq!(last.next, None);
        assert_eq!(first.title("Articles"), "Articles");
        assert_eq!(last.title("Articles"), "Articles, page 3 of 3");
    }

    #[test]
    fn an_empty_list_is_one_empty_page() {
        let pages = paginate(&[], 30, |n| Route::Articles(n).url_path());
        assert_eq!(pages.len(), 1);
        let (shown, pager) = &pages[0];
        assert!(shown.is_empty());
        assert_eq!((pager.total, pager.first_item, pager.last_item), (1, 0, 0));
        assert_eq!(
            (pager.previous.as_deref(), pager.next.as_deref()),
            (None, None)
        );
    }
}
