//! The model: the site's content as checked types.
//!
//! `parse` makes each file's raw front matter (`frontmatter`) into the types of `types` once,
//! with the value rules of `rules` and the country data of `countries`; `table` does the same
//! for the rows of a table of events. Every problem found on the way is a located diagnostic,
//! and files (or rows) with errors are left out. `build` does it for a
//! whole site and checks what concerns several files at once (URLs that two files would
//! write). The rules across articles' events live in `timeline`.

mod countries;
mod parse;
mod rules;
mod table;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;

pub use countries::{Countries, Country, Flag, Party};
pub use rules::{parse_date, slugify};
// Other modules' tests write event dates as content does.
#[cfg(test)]
pub use rules::parse_event_date;
pub use types::{
    Article, CountryOrder, EntryIntoForce, EventDate, Membership, Page, Precision, ReportedEvent,
    SiteModel, Slug, Source, Stage, Treaty,
};

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics, Location};
use crate::routes::{self, Route};
use crate::source::{Section, SiteSources, SourceFile};
use crate::yaml;
use parse::Named;

/// Turns the files read by `source` into the checked model. Drafts are kept only when
/// `drafts` is true. Every problem is added to `diagnostics`; files with errors are left out.
pub fn build(
    sources: &SiteSources,
    config: &SiteConfig,
    drafts: bool,
    diagnostics: &mut Diagnostics,
) -> SiteModel {
    let mut model = SiteModel::default();
    let files_of = |section| sources.files.iter().filter(move |f| f.section == section);

    // A flag image must be one of the site's static files.
    let static_files: BTreeSet<&str> = sources
        .static_files
        .iter()
        .map(|(path, _)| path.as_str())
        .collect();
    // The countries files first: they declare the codes that other files may use.
    let mut declared = BTreeMap::new();
    for file in files_of(Section::Countries) {
        if let Some((note, declaration)) = parse::country_file(file, &static_files, diagnostics) {
            declared.insert(note.country, declaration);
            model.country_notes.insert(note.country, note);
        }
    }
    let countries = Countries::new(declared);
    for file in files_of(Section::Treaties) {
        if let Some(treaty) = parse::treaty(file, &countries, diagnostics) {
            model.treaties.push(treaty);
        }
    }
    // Every treaty file names a treaty, even one with errors of its own: its articles must not
    // also be told that the treaty does not exist.
    let treaty_file_slugs: Vec<Slug> = files_of(Section::Treaties)
        .filter_map(|f| Slug::from_file_stem(&f.stem))
        .collect();
    let treaty_slugs: BTreeSet<&str> = treaty_file_slugs.iter().map(Slug::as_str).collect();
    if let Some(default) = &config.default_treaty
        && !treaty_slugs.contains(default.as_str())
    {
        diagnostics.push(parse::unknown_treaty(
            default,
            Location::new(
                crate::source::CONFIG_FILE,
                sources
                    .config
                    .as_deref()
                    .and_then(|t| yaml::find_key(t, "default_treaty"))
                    .map_or(0, |p| p.0),
                1,
            ),
            &treaty_slugs,
        ));
    }
    // Tables need the treaties and the countries; their events join the articles' in the
    // timeline.
    for file in &sources.tables {
        model
            .tables
            .push(table::table(file, &treaty_slugs, &countries, diagnostics));
    }
    let articles: Vec<&SourceFile> = files_of(Section::Articles).collect();
    let mut articles = check_articles(&articles, config, &treaty_slugs, &countries, diagnostics);
    articles.retain(|article| drafts || !article.value.draft);
    // Stable, and on every thread: comparing paths is slow, and a large site has many.
    articles.par_sort_by(|a, b| (a.value.date, &a.value.path).cmp(&(b.value.date, &b.value.path)));
    let mut pages: Vec<Named<Page>> = Vec::new();
    for file in files_of(Section::Pages) {
        if let Some((page, draft)) = parse::page(file, diagnostics)
            && (drafts || !draft)
        {
            pages.push(page);
        }
    }
    pages.sort_by(|a, b| {
        let (a, b) = (&a.value, &b.value);
        (a.weight, &a.title, &a.slug).cmp(&(b.weight, &b.title, &b.slug))
    });
    check_urls(&articles, &pages, diagnostics);
    model.articles = articles.into_iter().map(|a| a.value).collect();
    model.pages = pages.into_iter().map(|p| p.value).collect();
    model.parties = countries.parties(&used_codes(&model));
    model
}

/// The articles of `files` that parse, in file order, their problems added to `diagnostics`.
/// Checked in parallel, each worker with its own country lookups.
fn check_articles<'f>(
    files: &[&'f SourceFile],
    config: &SiteConfig,
    treaty_slugs: &BTreeSet<&str>,
    countries: &Countries,
    diagnostics: &mut Diagnostics,
) -> Vec<Named<'f, Article>> {
    let checked: Vec<(Option<Named<Article>>, Diagnostics)> = files
        .par_iter()
        .with_max_len(crate::TASK_ITEMS)
        .map(|file| {
            let mut problems = Diagnostics::new();
            let article = parse::article(file, config, treaty_slugs, countries, &mut problems);
            (article, problems)
        })
        .collect();
    // Sized at once: grown push by push, the articles were copied at every doubling, on one
    // thread while the others waited.
    let mut articles = Vec::with_capacity(checked.len());
    for (article, problems) in checked {
        diagnostics.extend(problems);
        articles.extend(article);
    }
    articles
}

/// Every code the model names: in events, as founder or broker, or by a countries file.
fn used_codes(model: &SiteModel) -> BTreeSet<Country> {
    let events = model
        .articles
        .iter()
        .flat_map(|a| &a.events)
        .chain(model.tables.iter().flat_map(|t| &t.events))
        .map(|e| e.country);
    let named = model
        .treaties
        .iter()
        .flat_map(|t| t.founders.iter().chain(&t.brokers))
        .copied();
    events
        .chain(named)
        .chain(model.country_notes.keys().copied())
        .collect()
}

/// Two content files that would write the same URL (a page named like a generated section, two
/// articles with one slug) are an error naming both, at their `slug:` lines when they write one.
fn check_urls(articles: &[Named<Article>], pages: &[Named<Page>], diagnostics: &mut Diagnostics) {
    let clash = |url: String, at: Location, first: Location| {
        Diagnostic::error(
            at,
            format!("this file would write the same URL `/{url}` as another"),
        )
        .with_related(first, "the other file")
        .with_hint("give one of them another `slug:`, or rename its file")
    };
    let article_slug = |i: usize| articles[i].value.slug.as_str();
    for (i, first) in first_with_slug(articles.len(), article_slug) {
        if let Some(first) = first {
            let slug = article_slug(i);
            diagnostics.push(clash(
                Route::Article(slug).url_path(),
                articles[i].slug_at(slug),
                articles[first].slug_at(slug),
            ));
        }
    }
    // A page's URL is its slug alone: it cannot be an article's (`articles/<slug>/`).
    let page_slug = |i: usize| pages[i].value.slug.as_str();
    for (i, first) in first_with_slug(pages.len(), page_slug) {
        let slug = page_slug(i);
        if routes::RESERVED.contains(&slug) {
            diagnostics.push(
                Diagnostic::error(
                    pages[i].slug_at(slug),
                    format!("the page slug `{slug}` is the URL of a generated section"),
                )
                .with_hint("give the page another `slug:`, or rename its file"),
            );
        }
        if let Some(first) = first {
            diagnostics.push(clash(
                Route::Page(slug).url_path(),
                pages[i].slug_at(slug),
                pages[first].slug_at(slug),
            ));
        }
    }
}

/// For each of `count` files in order, the first earlier one with the same slug, if any.
/// Sorted by slug rather than collected in a map: a large site's 100,000 slugs are compared
/// without a copy of each.
fn first_with_slug<'a>(
    count: usize,
    slug: impl Fn(usize) -> &'a str + Sync,
) -> impl Iterator<Item = (usize, Option<usize>)> {
    let mut by_slug: Vec<usize> = (0..count).collect();
    // Stable: the files with one slug stay in their order, the first of them first. On every
    // thread: a large site has a hundred thousand slugs to compare.
    by_slug.par_sort_by(|&a, &b| slug(a).cmp(slug(b)));
    let mut first = vec![None; count];
    for same in by_slug.chunk_by(|&a, &b| slug(a) == slug(b)) {
        for &later in &same[1..] {
            first[later] = Some(same[0]);
        }
    }
    first.into_iter().enumerate()
}

#[cfg(test)]
mod tests {
    use super::rules::{check_slug, check_source_url, stem_without_date};
    use super::*;

    #[test]
    fn stages_are_ordered_as_the_contract_says() {
        assert!(Stage::Talks < Stage::Announced);
        assert!(Stage::AgreedInPrinciple < Stage::Signed);
        assert!(Stage::InForce < Stage::Suspended);
        assert_eq!(
            Stage::from_id("agreed-in-principle"),
            Some(Stage::AgreedInPrinciple)
        );
        assert_eq!(Stage::from_id("sigend"), None);
    }

    #[test]
    fn dates_must_be_real() {
        assert!(parse_date("2021-02-30").is_err());
        assert!(parse_date("yesterday").is_err());
        assert_eq!(
            parse_date("2025-11-07T10:00:00+06:00").unwrap().to_string(),
            "2025-11-07"
        );
        assert_eq!(parse_date("2025-11-07").unwrap().to_string(), "2025-11-07");
    }

    #[test]
    fn countries_have_names_and_flags() {
        let countries = Countries::default();
        let kz = countries.lookup("kz").unwrap();
        let party = &countries.parties(&BTreeSet::from([kz]))[&kz];
        assert_eq!(
            (kz.code(), party.name.as_str(), &party.flag),
            ("KZ", "Kazakhstan", &Flag::Emoji("🇰🇿".to_string()))
        );
        assert!(countries.lookup("UK").is_none());
        assert_eq!(
            countries.suggest("UK"),
            "did you mean `GB` (United Kingdom)?"
        );
    }

    #[test]
    fn source_urls_must_be_web_addresses() {
        assert!(check_source_url("https://www.reuters.com/world/").is_ok());
        assert!(check_source_url("ftp://example.org/x").is_err());
        assert!(check_source_url("www.example.org").is_err());
        assert!(check_source_url("https://exa mple.org").is_err());
    }

    #[test]
    fn slugs_come_from_file_names_without_the_date() {
        assert_eq!(
            slugify(stem_without_date("2025-11-07-Kazakhstan joins")),
            "kazakhstan-joins"
        );
        assert!(check_slug("../x").is_err());
        assert!(check_slug("a/b").is_err());
        assert!(check_slug("").is_err());
        assert!(check_slug("ok-1").is_ok());
    }
}
