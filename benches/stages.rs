//! Micro-benchmarks of the build's hot stages, on articles from the benchmark corpus
//! (examples/gen_corpus): splitting a file and parsing its front matter, rendering its Markdown,
//! building the model, the timeline and the template values of a whole site, rendering one
//! article page, and the whole build in memory.
//!
//! ```sh
//! cargo bench --bench stages              # every benchmark
//! cargo bench --bench stages -- timeline  # those whose name contains "timeline"
//! ```
//!
//! Nothing here reads or writes the disk: the corpus is made in memory, so the figures are the
//! stages' own cost. `benches/compare.sh` times the whole program on disk.

#[path = "../examples/gen_corpus/corpus.rs"]
mod corpus;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::LazyLock;

// The stages are not the library's public API: they are reached through its internals.
use treatyline::internals::config::SiteConfig;
use treatyline::internals::frontmatter::RawArticle;
use treatyline::internals::model::SiteModel;
use treatyline::internals::source::{Section, SiteSources, SourceFile, Tail};
use treatyline::internals::timeline::Timeline;
use treatyline::internals::{config, markdown, model, render, source, timeline, views, yaml};
use treatyline::{BuildOptions, Diagnostics};

/// The last year with pages, as a build today has it (the corpus has no date past today).
static LAST_YEAR: LazyLock<i16> =
    LazyLock::new(|| treatyline::internals::calendar::BuildDay::from_clock().last_year());

fn main() {
    divan::main();
}

/// A site of `articles` generated articles, read into memory as `source::read_site` would.
fn sources(articles: usize) -> SiteSources {
    let mut sources = SiteSources::default();
    for file in corpus::Corpus::generate(articles, 1).treatyline_files() {
        let section = Section::ALL
            .into_iter()
            .find(|s| file.path.starts_with(&format!("content/{}/", s.folder())));
        match section {
            Some(section) => sources.files.push(
                source::parse_file(PathBuf::from(&file.path), section, file.text.as_bytes())
                    .expect("a generated file splits"),
            ),
            None => sources.config = Some(file.text),
        }
    }
    sources
}

/// Everything up to the template values, for a site of 1,000 articles.
struct Site {
    sources: SiteSources,
    config: SiteConfig,
    model: SiteModel,
    timeline: Timeline,
    bodies: views::Bodies,
}

const SITE_ARTICLES: usize = 1000;

static SITE: LazyLock<Site> = LazyLock::new(|| {
    let sources = sources(SITE_ARTICLES);
    let config = config::parse(sources.config.as_deref().unwrap(), None).unwrap();
    let mut diagnostics = Diagnostics::new();
    let model = model::build(&sources, &config, false, &mut diagnostics);
    let timeline = timeline::build(&model, &mut diagnostics);
    assert!(diagnostics.is_empty(), "{}", diagnostics.report());
    let bodies = views::Bodies::render(&model);
    Site {
        sources,
        config,
        model,
        timeline,
        bodies,
    }
});

/// One typical article file (the middle one of the site).
fn article() -> &'static SourceFile {
    let articles: Vec<&SourceFile> = SITE
        .sources
        .files
        .iter()
        .filter(|f| f.section == Section::Articles)
        .collect();
    articles[articles.len() / 2]
}

#[divan::bench]
fn split_front_matter(bencher: divan::Bencher) {
    let file = article();
    bencher.bench(|| {
        source::parse_file(
            black_box(file.path.clone()),
            Section::Articles,
            black_box(file.text.as_bytes()),
        )
        .unwrap()
    });
}

#[divan::bench]
fn parse_front_matter(bencher: divan::Bencher) {
    let file = article();
    let yaml = file.front_matter().unwrap();
    bencher.bench(|| {
        yaml::parse::<RawArticle>(
            black_box(yaml),
            &file.path,
            file.front_matter_line,
            &file.text,
        )
        .unwrap()
    });
}

#[divan::bench]
fn render_markdown(bencher: divan::Bencher) {
    let body = article().body();
    bencher.bench(|| markdown::render(black_box(body)));
}

/// Checks every file of a 1,000-article site into the model.
#[divan::bench(sample_count = 20)]
fn build_model(bencher: divan::Bencher) {
    let site = &*SITE;
    bencher.bench(|| {
        let mut diagnostics = Diagnostics::new();
        model::build(&site.sources, &site.config, false, &mut diagnostics)
    });
}

/// Merges, orders and checks the events of a 1,000-article site.
#[divan::bench(sample_count = 20)]
fn build_timeline(bencher: divan::Bencher) {
    let site = &*SITE;
    bencher.bench(|| {
        let mut diagnostics = Diagnostics::new();
        timeline::build(black_box(&site.model), &mut diagnostics)
    });
}

/// Every page's view of a 1,000-article site.
#[divan::bench(sample_count = 20)]
fn build_views(bencher: divan::Bencher) {
    let site = &*SITE;
    bencher
        .with_inputs(|| article_markdown(&site.model))
        .bench_values(|markdown| {
            views::build(
                &site.config,
                &site.model,
                &site.timeline,
                &site.bodies,
                *LAST_YEAR,
                markdown,
            )
        });
}

fn article_markdown(model: &SiteModel) -> Vec<Tail> {
    model.articles.iter().map(|a| a.body.clone()).collect()
}

/// One article page through the built-in `article.html`, as the build renders it: its
/// Markdown, then the template with the variables the build gives it.
#[divan::bench]
fn render_article_page(bencher: divan::Bencher) {
    let site = &*SITE;
    let markdown = article_markdown(&site.model);
    let views = views::build(
        &site.config,
        &site.model,
        &site.timeline,
        &site.bodies,
        i16::MAX,
        markdown,
    );
    let mut diagnostics = Diagnostics::new();
    let tera = render::templates(&[], &mut diagnostics);
    assert!(diagnostics.is_empty(), "{}", diagnostics.report());
    let pages = render::Pages::new(&tera, views);
    let article = &site.model.articles[site.model.articles.len() / 2];
    let page = pages
        .pages()
        .iter()
        .find(|p| p.origin.as_ref() == Some(&article.path))
        .unwrap();
    bencher.bench(|| pages.render_page(black_box(page)).unwrap());
}

/// The whole build of a 300-article site in memory: model, timeline, Markdown, template
/// values, every page and the open data (everything but reading and writing files).
#[divan::bench(sample_count = 10)]
fn render_site_300_articles(bencher: divan::Bencher) {
    let sources = sources(300);
    let options = BuildOptions::default();
    bencher.bench(|| {
        treatyline::internals::render_sources(&sources, &options, Diagnostics::new())
            .map_err(|e| e.to_string())
            .unwrap()
    });
}
