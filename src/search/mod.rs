//! Site search: what readers can find, and its index.
//!
//! [`records`] makes one plain-text record per article, treaty, country and free page from the
//! checked model (the text the site already has, never its rendered HTML read back): its URL,
//! title, words, and what readers look for beside them (an article's countries and stages, a
//! treaty's parties, a country's steps). [`Records::index`] hands them to the Pagefind library,
//! which writes the index as static files under `pagefind/`; the search page's script
//! (`search.js`) loads them in the browser with Pagefind's own `pagefind.js`. No server.
//!
//! Records are made in the model's order, so that the index is the same bytes at every build.
//! Indexing costs about a millisecond of one core per record, most of a large site's build:
//! `build` runs it on threads of its own while the pages render, in shards (see [`index`]).
//! Reads and writes nothing.

#[cfg(feature = "search")]
mod index;
mod shards;

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::dates;
use crate::markdown;
use crate::model::{Article, SiteModel, Stage};
use crate::render::OutputFile;
use crate::routes::Route;
use crate::timeline::{Event, Timeline};

/// The search page's script: runs the reader's query with `pagefind.js`, lists the results.
const SCRIPT: &str = include_str!("search.js");

/// The line of the script that says how many shards the index has.
const SHARDS_LINE: &str = "const SHARDS = 1;";

/// The environment variable that sets a number of records per shard instead of the usual
/// limit on their text (at least 1): for tests, a small site of several shards.
const SHARD_SIZE_VAR: &str = "TREATYLINE_SEARCH_SHARD_SIZE";

/// How the records are split into shards (see `shards`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sharding {
    /// Shards of at most this many records.
    Records(usize),
    /// Shards of the site's text, this many bytes of it indexed at once at most.
    Bytes(usize),
}

/// One thing a reader can find: a page of the site, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The page's URL after the base URL (`articles/x/`): the index does not depend on where
    /// the site is published, and the script resolves it against the base URL.
    pub url: String,
    pub title: String,
    /// What kind of page it is, as results show it: `Article`, `Treaty`, `Country`, `Page`.
    pub kind: &'static str,
    /// An article's date, as pages show it.
    pub date: Option<String>,
    /// The words searched and quoted in results.
    pub text: String,
}

/// Every record of a site, in a fixed order, and the language they are written in.
#[derive(Clone, PartialEq, Eq)]
pub struct Records {
    language: String,
    records: Vec<Record>,
    sharding: Sharding,
}

/// Every page a reader can search for: articles (in the model's order), treaties, countries
/// and free pages.
pub fn records(config: &SiteConfig, model: &SiteModel, timeline: &Timeline) -> Records {
    let several_treaties = model.treaties.len() > 1;
    let mut records: Vec<Record> = model
        .articles
        .par_iter()
        .map(|article| article_record(model, article, several_treaties))
        .collect();
    records.extend(model.treaties.iter().map(|treaty| {
        let mut text = paragraphs([treaty.summary.as_deref(), Some(&treaty.body)]);
        if let Some(tracks) = timeline.treaty(treaty.slug.as_str()) {
            for track in &tracks.tracks {
                if let Some(status) = track.status() {
                    let name = &model.party(track.country).name;
                    sentence(&mut text, name, &step(status));
                }
            }
        }
        Record {
            url: Route::Treaty(treaty.slug.as_str()).url_path(),
            title: treaty.title.clone(),
            kind: "Treaty",
            date: None,
            text,
        }
    }));
    let by_country = crate::timeline::by_country(timeline);
    records.extend(
        crate::views::shown_countries(model, timeline)
            .into_iter()
            .map(|country| {
                let note = model.country_notes.get(&country);
                let mut text = paragraphs([
                    note.and_then(|n| n.summary.as_deref()),
                    note.map(|n| n.body.as_str()),
                ]);
                for treaty in &model.treaties {
                    for (role, named) in
                        [("Founder", &treaty.founders), ("Broker", &treaty.brokers)]
                    {
                        if named.contains(&country) {
                            sentence(&mut text, &treaty.title, role);
                        }
                    }
                }
                for (slug, track) in by_country.get(&country).into_iter().flatten() {
                    let treaty = model.treaty(slug).map_or(*slug, |t| t.title.as_str());
                    let steps: Vec<String> = track.events.iter().map(step).collect();
                    sentence(&mut text, treaty, &steps.join(", "));
                }
                Record {
                    url: Route::Country(country.code()).url_path(),
                    title: model.party(country).name.clone(),
                    kind: "Country",
                    date: None,
                    text,
                }
            }),
    );
    records.extend(model.pages.iter().map(|page| Record {
        url: Route::Page(page.slug.as_str()).url_path(),
        title: page.title.clone(),
        kind: "Page",
        date: None,
        text: paragraphs([page.summary.as_deref(), Some(&page.body)]),
    }));
    // A record without words would be left out of the index: its title at least.
    for record in records.iter_mut().filter(|r| r.text.is_empty()) {
        record.text = record.title.clone();
    }
    let sharding = std::env::var(SHARD_SIZE_VAR)
        .ok()
        .and_then(|size| size.parse().ok())
        .filter(|&size| size > 0)
        .map_or(Sharding::Bytes(shards::INDEXING_BYTES), Sharding::Records);
    Records {
        language: config.language.to_ascii_lowercase(),
        records,
        sharding,
    }
}

/// An article's record: its summary and words, then each of its events as a sentence
/// (`Kazakhstan: Agreed in principle, 6 November 2025.`), so that a country or a stage finds
/// the articles that report it even where their words do not name it.
fn article_record(model: &SiteModel, article: &Article, several_treaties: bool) -> Record {
    let mut text = paragraphs([article.summary.as_deref(), Some(&article.body)]);
    for event in &article.events {
        let name = &model.party(event.country).name;
        let stage = stage_words(event.stage, event.label.as_deref());
        let mut what = format!("{stage}, {}", event.date.display());
        if several_treaties && let Some(treaty) = model.treaty(event.treaty.as_str()) {
            what = format!("{what}, {}", treaty.short_title);
        }
        sentence(&mut text, name, &what);
    }
    Record {
        url: Route::Article(article.slug.as_str()).url_path(),
        title: article.title.clone(),
        kind: "Article",
        date: Some(dates::display_date(article.date)),
        text,
    }
}

/// The plain text of a summary and a Markdown body, either of them absent.
fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let texts: Vec<String> = parts
        .into_iter()
        .flatten()
        .map(markdown::text_of)
        .filter(|t| !t.is_empty())
        .collect();
    texts.join(" ")
}

/// Adds `Who: what.` to `text`.
fn sentence(text: &mut String, who: &str, what: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(who);
    text.push_str(": ");
    text.push_str(what);
    text.push('.');
}

/// A step as a sentence says it: `Signed, 15 September 2020`.
fn step(event: &Event) -> String {
    let stage = stage_words(event.stage, event.label.as_deref());
    format!("{stage}, {}", event.event_date().display())
}

/// A stage as pages show it, its label (`Accession`), and the stage's own name beside a label
/// (`Accession (Ratified)`): a reader who searches for a stage finds the steps it has labels for.
fn stage_words(stage: Stage, label: Option<&str>) -> String {
    match label {
        Some(label) if !label.eq_ignore_ascii_case(stage.name()) => {
            format!("{label} ({})", stage.name())
        }
        Some(label) => label.to_string(),
        None => stage.name().to_string(),
    }
}

impl Records {
    /// How many shards the index has: one for a small site.
    pub fn shards(&self) -> usize {
        self.plan().shards.len()
    }

    /// The search page's script, as the file the search page loads: it merges every shard.
    pub fn script(&self) -> OutputFile {
        let shards = format!("const SHARDS = {};", self.shards());
        OutputFile {
            path: Route::SearchScript.path(),
            bytes: SCRIPT.replacen(SHARDS_LINE, &shards, 1).into_bytes(),
            origin: None,
        }
    }

    /// Indexes every record, and returns the index's files (under `pagefind/`, sorted by
    /// path). `stop` is asked between records: when it says so, indexing stops and the result
    /// is `Ok(None)`. `Err` says what the library reported.
    pub fn index(
        self,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<Option<Vec<OutputFile>>, String> {
        let mut files = Vec::new();
        let done = self.index_each(stop, &mut |shard| {
            files.extend(shard);
            Ok(())
        })?;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(done.then_some(files))
    }

    /// Without the `search` feature every site builds as with `--no-search` (see the
    /// pipeline), so no index is ever asked for.
    #[cfg(not(feature = "search"))]
    pub fn index_each(
        self,
        _stop: &(dyn Fn() -> bool + Sync),
        _write: &mut (dyn FnMut(Vec<OutputFile>) -> Result<(), String> + Send),
    ) -> Result<bool, String> {
        Err("this treatyline was built without its `search` feature".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Section;

    const SITE: &str = "title: T\nbase_url: https://example.org/t/\nlanguage: en-GB\n";
    const TREATY: &str = "---\ntitle: The Treaty\nestablished: 2020-01-01\n---\nA *treaty*.\n";
    const ARTICLE: &str = "---\ntitle: First\ndate: 2020-01-02\ntreaty: t\nevents:\n  - country: \
                           FR\n    stage: signed\n    date: 2020-01-01\nsources:\n  - url: \
                           https://example.org/report\n---\nIt was **done**.\n\n## More\n\nWords.\n";
    const PAGE: &str = "---\ntitle: About\nsummary: Who we are.\n---\nAbout the site.\n";

    pub(super) fn site_records() -> Records {
        let (config, model, timeline) = crate::pipeline::checked_site(
            SITE,
            &[
                ("content/treaties/t.md", Section::Treaties, TREATY),
                ("content/articles/a.md", Section::Articles, ARTICLE),
                ("content/pages/about.md", Section::Pages, PAGE),
            ],
        );
        records(&config, &model, &timeline)
    }

    #[test]
    fn every_page_a_reader_looks_for_is_a_record_of_its_words() {
        let records = site_records();
        assert_eq!(records.language, "en-gb");
        let record = |url: &str| records.records.iter().find(|r| r.url == url).unwrap();
        let urls: Vec<&str> = records.records.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            ["articles/a/", "treaties/t/", "countries/fr/", "about/"]
        );
        let article = record("articles/a/");
        assert_eq!((article.title.as_str(), article.kind), ("First", "Article"));
        assert_eq!(article.date.as_deref(), Some("2 January 2020"));
        assert_eq!(
            article.text,
            "It was done. More Words. France: Signed, 1 January 2020."
        );
        assert_eq!(
            record("treaties/t/").text,
            "A treaty. France: Signed, 1 January 2020."
        );
        let country = record("countries/fr/");
        assert_eq!(
            (country.title.as_str(), country.kind),
            ("France", "Country")
        );
        assert_eq!(country.text, "The Treaty: Signed, 1 January 2020.");
        assert_eq!(record("about/").text, "Who we are. About the site.");
    }

    #[test]
    fn a_labelled_step_is_found_by_its_stage_too() {
        assert_eq!(
            stage_words(Stage::Ratified, Some("Accession")),
            "Accession (Ratified)"
        );
        assert_eq!(stage_words(Stage::Signed, Some("signed")), "signed");
        assert_eq!(stage_words(Stage::Signed, None), "Signed");
    }

    #[test]
    fn the_index_is_the_files_the_search_page_loads_and_the_same_every_time() {
        let files = site_records().index(&|| false).unwrap().unwrap();
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        for path in [
            "pagefind/pagefind.js",
            "pagefind/pagefind-worker.js",
            "pagefind/pagefind-entry.json",
            "pagefind/wasm.en-gb.pagefind",
        ] {
            assert!(paths.contains(&path), "{path} missing from {paths:?}");
        }
        assert!(paths.iter().any(|p| p.starts_with("pagefind/fragment/")));
        assert!(paths.iter().any(|p| p.starts_with("pagefind/index/")));
        assert!(
            !paths
                .iter()
                .any(|p| p.contains("-ui") || p.contains("unknown"))
        );
        let again = site_records().index(&|| false).unwrap().unwrap();
        assert!(files == again, "two indexes of the same records differ");
        assert_eq!(site_records().index(&|| true), Ok(None));
        let script = String::from_utf8(site_records().script().bytes).unwrap();
        assert!(script.contains("\nconst SHARDS = 1;\n"));
    }

    #[test]
    fn a_larger_index_is_in_shards_of_records_in_order_that_the_script_merges() {
        let mut records = site_records();
        records.sharding = Sharding::Records(3);
        // Four records: two and two, not three and one.
        assert_eq!(records.plan().shards, [0..2, 2..4]);
        assert_eq!(records.shards(), 2);
        let script = String::from_utf8(records.script().bytes).unwrap();
        assert!(script.contains("\nconst SHARDS = 2;\n"));
        assert!(!script.contains(SHARDS_LINE));
        let files = records.clone().index(&|| false).unwrap().unwrap();
        let entry = |path: &str| -> serde_json::Value {
            let file = files.iter().find(|f| f.path == path).unwrap();
            serde_json::from_slice(&file.bytes).unwrap()
        };
        for path in [
            "pagefind/pagefind-entry.json",
            "pagefind/shard-1/pagefind-entry.json",
        ] {
            assert_eq!(entry(path)["languages"]["en-gb"]["page_count"], 2, "{path}");
        }
        let later: Vec<&str> = files
            .iter()
            .map(|f| f.path.as_str())
            .filter(|p| p.starts_with("pagefind/shard-1/"))
            .collect();
        assert!(
            later
                .iter()
                .any(|p| p.starts_with("pagefind/shard-1/fragment/"))
        );
        assert!(later.iter().any(|p| p.ends_with(".pf_meta")));
        // The first shard's script and WebAssembly search the later ones.
        assert!(
            !later
                .iter()
                .any(|p| p.ends_with(".js") || p.contains("wasm"))
        );
        assert!(
            !files
                .iter()
                .any(|f| f.path.starts_with("pagefind/shard-2/"))
        );
        assert!(files.windows(2).all(|w| w[0].path < w[1].path));
        assert!(files == records.index(&|| false).unwrap().unwrap());
    }
}
