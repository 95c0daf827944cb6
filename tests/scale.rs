//! Pages at the scale of a real multilateral treaty (issue 13): the members table that a
//! script sorts and filters, long lists of events shown as counts with the list folded, and
//! the weight of the pages. Each test builds the multilateral fixture (193 parties), the
//! default site or a generated corpus of hundreds of articles (issue 15: lists in pages) and
//! reads the HTML a reader gets.

mod common;
#[path = "../examples/gen_corpus/corpus.rs"]
mod corpus;

use std::collections::BTreeSet;

use common::{Query, attr, build_ok, fixture, text};
use scraper::Html;

const HOME: &str = "index.html";
const TREATY: &str = "treaties/meridian-agreement/index.html";
/// The article that reports every signature of the agreement: 170 events.
const ROLL: &str = "articles/signature-closes/index.html";

fn multilateral(extra: &[&str]) -> common::Built {
    build_ok(&fixture("multilateral"), extra)
}

/// An article page's Markdown body: what `article.html` puts inside `.prose`, which closes
/// before the sources, the tags or the end of the article's column (the body's own divs, such
/// as footnotes, are not nested).
fn body_bytes(html: &str) -> usize {
    let open = "<div class=\"prose\">";
    let start = html.find(open).expect("an article body") + open.len();
    let rest = &html[start..];
    [
        "\n</div>\n<section",
        "\n</div>\n<div class=\"tags\"",
        "\n</div>\n</div>",
    ]
    .iter()
    .filter_map(|end| rest.find(end))
    .min()
    .expect("the body ends")
}

#[test]
fn the_members_table_carries_sortable_values_and_no_controls_without_the_script() {
    let built = multilateral(&["--base-url", "https://example.org/deep/sub/path/"]);
    for path in [HOME, TREATY] {
        let page = built.page(path);
        let table = page.one("table.members");
        let types: Vec<&str> = table
            .all("thead th")
            .into_iter()
            .map(|th| attr(th, "data-type"))
            .collect();
        assert_eq!(types[..2], ["name", "status"], "{path}");
        assert!(types[2..].iter().all(|t| *t == "date"), "{types:?}");
        let headers = table.texts("thead th");
        // On a narrow screen a date cell is labelled with its column: one rule in the head.
        let style = page.one("head style").inner_html();
        for (i, header) in headers[2..].iter().enumerate() {
            let rule = format!(
                "#{} td:nth-child({}):not(:empty)::before{{content:\"{header}\"}}",
                attr(table, "id"),
                i + 3
            );
            assert!(
                style.contains(&rule),
                "{path}: no label for {header}: {style}"
            );
        }

        let rows = table.all("tbody tr");
        assert_eq!(rows.len(), 193, "{path}");
        for row in &rows {
            let status = row.one("td.status");
            let order: usize = attr(status, "data-sort").parse().expect("a stage order");
            assert!(order <= 8, "{}", row.html());
            let dates = row.all("td:not(.status)");
            assert_eq!(dates.len(), headers.len() - 2, "{}", row.html());
            for cell in dates {
                match cell.all("time").first() {
                    // A date as written: a day, a month or a year, sortable as text.
                    Some(time) => {
                        let date = attr(*time, "datetime");
                        assert!(matches!(date.len(), 4 | 7 | 10), "{date}");
                        assert_eq!(cell.value().attrs().count(), 0, "{}", cell.html());
                    }
                    // A stage not reached: an empty cell (`:empty` to the stylesheet), with
                    // no attribute, sorted last.
                    None => assert_eq!(cell.html(), "<td></td>"),
                }
            }
        }
        // The status of a party that is in force sorts after a signatory's.
        let order_of = |country: &str| -> usize {
            let row = rows
                .iter()
                .find(|r| text(r.one("th")).contains(country))
                .unwrap();
            attr(row.one("td.status"), "data-sort").parse().unwrap()
        };
        assert!(order_of("Iran") < order_of("Austria"));

        // The script is the theme's file under the site's own path; its controls exist only
        // once it runs.
        assert_eq!(
            page.attrs("script[src]", "src"),
            ["/deep/sub/path/members.js"],
            "{path}"
        );
        assert!(page.one("script[src]").value().attr("defer").is_some());
        assert!(page.all("button, select, input, form").is_empty(), "{path}");
        assert!(page.all("[aria-sort]").is_empty(), "{path}");
    }
    let script = built.read("members.js");
    assert!(script.contains("aria-sort"));
    assert!(
        script.len() < 8 * 1024,
        "members.js is {} bytes",
        script.len()
    );
}

#[test]
fn a_party_with_several_periods_reads_as_one_row_with_its_earlier_period() {
    let built = multilateral(&[]);
    let page = built.page(HOME);
    let us: Vec<_> = page
        .all("table.members tbody tr")
        .into_iter()
        .filter(|tr| text(tr.one("th")).contains("United States"))
        .collect();
    assert_eq!(us.len(), 1);
    assert_eq!(
        text(us[0].one("td.status")),
        "Withdrawn also a party 2018–2020"
    );
    assert_eq!(attr(us[0].one("td.status"), "data-sort"), "8");
}

/// The events listed in an article's sidebar, and whether they are folded.
fn sidebar(page: &Html) -> (usize, bool) {
    let aside = page.one("aside.reported");
    let items = aside.all("li").len();
    (items, !aside.all("details").is_empty())
}

/// The counts above a folded list, as (stage, count).
fn tally(page: &Html) -> Vec<(String, usize)> {
    page.one(".stage-tally")
        .all("div")
        .into_iter()
        .map(|d| (text(d.one("dt")), text(d.one("dd")).parse().unwrap()))
        .collect()
}

#[test]
fn a_long_list_of_events_shows_counts_by_stage_and_folds_the_list() {
    let built = multilateral(&[]);

    // 170 signatures: counted, and folded into a <details>.
    let roll = built.page(ROLL);
    assert_eq!(sidebar(&roll), (170, true));
    assert_eq!(tally(&roll), [("Signed".to_string(), 170)]);
    assert_eq!(roll.texts("aside.reported summary"), ["All 170 events"]);
    assert!(roll.all("aside.reported .reported-list > li").is_empty());
    // One day's signatures read by name.
    let lines: Vec<(String, String)> = roll
        .all("aside.reported details li")
        .into_iter()
        .map(|li| {
            let name = common::spoken_text(li.one("a.country")).to_lowercase();
            (attr(li.one("time"), "datetime").to_string(), name)
        })
        .collect();
    let same_day = lines
        .windows(2)
        .filter(|w| w[0].0 == w[1].0 && w[0].1.is_ascii() && w[1].1.is_ascii());
    assert!(same_day.clone().count() > 100);
    for w in same_day {
        assert!(w[0].1 < w[1].1, "{:?} before {:?}", w[0], w[1]);
    }

    // Eight events: the list as it always was, unfolded and without counts.
    let short = built.page("articles/opening-day-signatures/index.html");
    assert_eq!(sidebar(&short), (8, false));
    assert!(short.all(".stage-tally").is_empty());
    assert_eq!(short.all("aside.reported .reported-list > li").len(), 8);

    // A year of 208 events: counts by stage in stage order, adding up, and the list folded.
    let year = built.page("years/2018/index.html");
    let counts = tally(&year);
    let stages: Vec<&str> = counts.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(stages, ["Signed", "Ratified"]);
    let events = year.all("details.events-all li.event").len();
    assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), events);
    assert!(events > 100, "{events}");
    assert_eq!(
        year.texts("details.events-all > summary"),
        [format!("All {events} events of 2018")]
    );
    // A year of 43: shown whole, as before.
    let quiet = built.page("years/2020/index.html");
    assert!(quiet.all("details, .stage-tally").is_empty());
    assert_eq!(quiet.all("li.event").len(), 43);
}

#[test]
fn treaty_pages_list_the_newest_events_and_send_readers_to_the_year_pages() {
    let built = multilateral(&[]);
    for path in [HOME, TREATY] {
        let page = built.page(path);
        let events = page.all(".timeline li.event");
        assert_eq!(events.len(), 30, "{path}");
        // The newest first: the last one shown is no later than the first.
        let dates: Vec<&str> = events
            .iter()
            .map(|e| attr(e.one(".event-date time"), "datetime"))
            .collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
        // The agreement's 401 reported events and its derived entries into force.
        let more = page.one(".timeline-more");
        assert_eq!(
            text(more),
            "The 30 newest of 556 events. Every event, year by year"
        );
        assert_eq!(page.attrs(".timeline-more a", "href"), ["/meridian/years/"]);
    }
    // An article's events link to their year page, which lists every event.
    let roll = built.page("articles/opening-day-signatures/index.html");
    let link = &roll.attrs(".reported-meta a", "href")[0];
    let (page, id) = link.split_once('#').unwrap();
    assert_eq!(page, "/meridian/years/2018/");
    let year = built.page("years/2018/index.html");
    assert_eq!(year.all(&format!("li.event[id='{id}']")).len(), 1);

    // The default site's 22 events are all listed, with no link.
    let default = build_ok(&common::default_site(), &[]);
    let home = default.page(HOME);
    assert!(home.all(".timeline li.event").len() <= 30);
    assert!(home.all(".timeline-more").is_empty());
}

/// The home and treaty pages of a 200-party treaty, whole: past about 30 parties the lanes
/// chart has a page of its own, the overview takes its place and the timeline is cut to its
/// newest events, so the page stays under 250 KB however many parties there are.
#[test]
fn a_200_party_treaty_page_weighs_at_most_250_kb() {
    let built = multilateral(&[]);
    for path in [HOME, TREATY] {
        let html = built.read(path);
        assert!(
            html.len() <= 250_000,
            "{path}: {} bytes, over the 250 KB budget",
            html.len()
        );
        let page = built.page(path);
        assert_eq!(
            page.all(".overview svg[role=img]").len(),
            1,
            "{path}: the overview"
        );
        assert!(
            page.all(".lanes").is_empty(),
            "{path}: the lanes have a page of their own"
        );
    }
}

/// On an article page, the markup around the article's own text: everything but the
/// Markdown body, less the items of its own lists (the events it reports, its sources),
/// which grow with what the author wrote. An article that reports one event is held to the
/// budget with nothing taken off. It was 8 KB until issue 15 took the markup that carried
/// nothing off every page; the heaviest article, with a long title, lead and table of
/// contents, then weighed 5.5 KB.
#[test]
fn the_markup_around_an_article_weighs_at_most_6_kb() {
    let fixture = multilateral(&[]);
    let default = build_ok(&common::default_site(), &[]);
    let mut checked = 0;
    for built in [&fixture, &default] {
        let articles = built.out.join("articles");
        for entry in std::fs::read_dir(&articles).unwrap() {
            let index = entry.unwrap().path().join("index.html");
            if !index.exists() {
                continue;
            }
            let html = std::fs::read_to_string(&index).unwrap();
            let page = common::parse(&html);
            let around = html.len() - body_bytes(&html);
            let lists: usize = page
                .all("aside.reported li, .source-list li")
                .into_iter()
                .map(|li| li.html().len())
                .sum();
            let name = index.display();
            assert!(
                around - lists <= 6 * 1024,
                "{name}: {} bytes",
                around - lists
            );
            if page.all("aside.reported li").len() == 1 && page.all(".source-list li").len() <= 1 {
                assert!(around <= 6 * 1024, "{name}: {around} bytes");
            }
            checked += 1;
        }
    }
    assert!(checked > 25, "{checked} articles");
    // The folded list of 170 events: one short line an event.
    let html = fixture.read(ROLL);
    let page = common::parse(&html);
    let lines = page.all("aside.reported details li");
    let per_line = lines.iter().map(|li| li.html().len()).sum::<usize>() / lines.len();
    assert!(per_line <= 300, "{per_line} bytes a line");
}

/// What the lighter markup around an article keeps (issue 15): the head a crawler reads, the
/// pager with its relations, and each reported event with its country, flag, stage, date
/// linked to the timeline and, only where it is not the article's own, its treaty.
#[test]
fn an_article_page_keeps_what_readers_and_crawlers_need() {
    let built = multilateral(&[]);
    // The page's own URL is absolute (read away from the site); its links are paths from the
    // domain's root.
    let base = "https://example.org/meridian/";
    let base_path = "/meridian/";
    let url = format!("{base}articles/methane-amendment-in-force/");
    let page = built.page("articles/methane-amendment-in-force/index.html");
    let meta = |css: &str| attr(page.one(css), "content").to_string();
    assert_eq!(page.attrs("link[rel=canonical]", "href"), [url.as_str()]);
    assert_eq!(meta("meta[property='og:url']"), url);
    assert_eq!(meta("meta[property='og:type']"), "article");
    let title = "Methane Amendment to the Meridian Agreement Enters Into Force";
    assert_eq!(meta("meta[property='og:title']"), title);
    assert_eq!(page.texts("h1"), [title]);
    assert_eq!(
        meta("meta[property='og:description']"),
        meta("meta[name=description]")
    );
    assert_eq!(
        page.attrs("link[rel=alternate][type='application/atom+xml']", "href"),
        [format!("{base_path}feed.xml")]
    );
    assert_eq!(
        meta("meta[property='article:published_time']"),
        "2023-01-02"
    );

    // The pager's links are the page's only prev and next, named by the articles' titles.
    let pager = page.one("nav.pager");
    for (rel, slug, name) in [
        (
            "prev",
            "paraguay-revokes-notice",
            "Older Paraguay Revokes Its Notice of Withdrawal",
        ),
        (
            "next",
            "two-notices-two-outcomes",
            "Newer Two Notices of Withdrawal, Two Outcomes",
        ),
    ] {
        let selector = format!("[rel={rel}]");
        assert_eq!(page.all(&selector).len(), 1, "{rel}");
        let link = pager.one(&selector);
        assert_eq!(attr(link, "href"), format!("{base_path}articles/{slug}/"));
        assert_eq!(common::spoken_text(link), name);
    }

    // Each event: its country (flag hidden from screen readers), stage, and its date linked
    // to the event on its year page.
    let events = page.all("aside.reported .reported-list > li");
    assert_eq!(events.len(), 7);
    for event in &events {
        let country = event.one("a.country");
        assert!(attr(country, "href").starts_with(&format!("{base_path}countries/")));
        assert_eq!(attr(country.one(".flag"), "aria-hidden"), "true");
        assert!(!common::spoken_text(country).is_empty());
        assert_eq!(event.all("p.reported-stage .stage").len(), 1);
        let date = event.one(".reported-meta a");
        assert!(attr(date, "href").starts_with(&format!("{base_path}years/20")));
        assert!(attr(date, "href").contains('#'));
        assert!(!attr(date.one("time"), "datetime").is_empty());
        assert!(common::spoken_text(date).ends_with(" in the timeline"));
    }
    // The article is the amendment's: only South Sudan's accession, to the agreement itself,
    // names its treaty.
    let named: Vec<String> = events
        .iter()
        .filter(|e| text(e.one(".reported-meta")).contains("Meridian Agreement"))
        .map(|e| common::spoken_text(e.one("a.country")))
        .collect();
    assert_eq!(named, ["South Sudan"]);
    assert_eq!(page.texts("p.kicker"), ["Methane Amendment"]);
    assert!(!page.all(".source-list li a[href^='https://']").is_empty());

    // A long article's table of contents.
    let default = build_ok(&common::default_site(), &[]);
    let article = default.page("articles/kazakhstan-joins-abraham-accords/index.html");
    let toc = article.attrs("nav.toc a", "href");
    assert!(toc.len() > 2, "{toc:?}");
    for href in toc {
        assert_eq!(article.all(&format!("[id='{}']", &href[1..])).len(), 1);
    }
}

/// How many articles the generated site has, and how many a page of a list shows.
const GENERATED: usize = 320;
const PER_PAGE: usize = 25;
const GENERATED_BASE: &str = "https://example.org/timeline/";
/// The path of [`GENERATED_BASE`], with which the site's links to its own pages start.
const GENERATED_BASE_PATH: &str = "/timeline/";

/// The generated corpus of [`GENERATED`] articles, built with `paginate_by: 25`.
fn generated() -> common::Built {
    generated_with(&[])
}

/// [`generated`], built as on `today` (`YYYY-MM-DD`).
fn generated_on(today: &str) -> common::Built {
    generated_with(&[("TREATYLINE_TODAY", today)])
}

fn generated_with(env: &[(&str, &str)]) -> common::Built {
    let corpus = corpus::Corpus::generate(GENERATED, 1);
    let dir = tempfile::TempDir::new().unwrap();
    let root = dir.path().join("site");
    corpus::write_files(&root, &corpus.treatyline_files()).unwrap();
    let yaml = root.join("site.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, format!("{text}paginate_by: {PER_PAGE}\n")).unwrap();
    common::build_ok_with_env(&root, &["--no-search"], env)
}

/// The page of a list by its number: `articles/`, then `articles/page/<n>/`.
fn list_page(first: &str, n: usize) -> String {
    match n {
        1 => first.to_string(),
        n => format!("{first}page/{n}/"),
    }
}

/// Walks the pages of a list from its first (`first`, a folder of the output): each page's
/// pager, its links in the head and its items, and that nothing is left before or after.
/// Returns the links of the items, in order.
fn walk_list(built: &common::Built, first: &str, items: &str, count: usize) -> Vec<String> {
    let total = count.div_ceil(PER_PAGE);
    assert!(total > 1, "{first}: {count} items make one page");
    assert!(
        !built.exists(&format!("{first}page/1/index.html")),
        "{first}"
    );
    assert!(
        !built.exists(&format!("{first}page/{}/index.html", total + 1)),
        "{first}: a page past the last"
    );
    // A page's own URL, absolute; its link from another page, a path from the domain's root.
    let url = |n: usize| format!("{GENERATED_BASE}{}", list_page(first, n));
    let link = |n: usize| format!("{GENERATED_BASE_PATH}{}", list_page(first, n));
    let mut listed = Vec::new();
    for n in 1..=total {
        let path = format!("{}index.html", list_page(first, n));
        let page = built.page(&path);
        let shown = page.attrs(items, "href");
        let expected = if n < total {
            PER_PAGE
        } else {
            count - PER_PAGE * (total - 1)
        };
        assert_eq!(shown.len(), expected, "{path}");
        listed.extend(shown);
        // The neighbours, in the head and in the pager.
        let prev = (n > 1).then(|| link(n - 1)).into_iter().collect::<Vec<_>>();
        let next = (n < total)
            .then(|| link(n + 1))
            .into_iter()
            .collect::<Vec<_>>();
        assert_eq!(page.attrs("head link[rel=prev]", "href"), prev, "{path}");
        assert_eq!(page.attrs("head link[rel=next]", "href"), next, "{path}");
        let nav = page.one("nav.list-pager[aria-label]");
        assert_eq!(nav.attrs("a[rel=prev]", "href"), prev, "{path}");
        assert_eq!(nav.attrs("a[rel=next]", "href"), next, "{path}");
        assert_eq!(
            nav.texts("[aria-current=page]"),
            [format!("Page {n} of {total}")]
        );
        assert_eq!(page.attrs("head link[rel=canonical]", "href"), [url(n)]);
    }
    listed
}

/// The list of every article in pages of `paginate_by`, newest first, each page linked to its
/// neighbours; a treaty's page shows its ten newest and its own list in pages has them all;
/// and every page is in the sitemap.
#[test]
fn issue_15_the_lists_of_articles_are_in_pages_linked_to_each_other() {
    let built = generated();
    let listed = walk_list(
        &built,
        "articles/",
        ".article-list > li > :first-child a",
        GENERATED,
    );
    let unique: BTreeSet<&String> = listed.iter().collect();
    assert_eq!(unique.len(), GENERATED, "every article once");
    // Newest first across pages: each article's date is its page's `<time>`.
    let mut dates = Vec::new();
    for n in 1..=GENERATED.div_ceil(PER_PAGE) {
        let page = built.page(&format!("{}index.html", list_page("articles/", n)));
        dates.extend(page.attrs(".article-list time", "datetime"));
    }
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // The first page names the whole list.
    let first = built.page("articles/index.html");
    let lead = text(first.one(".lead"));
    assert!(
        lead.contains(&format!("{GENERATED} articles in all")),
        "{lead}"
    );

    let sitemap = built.read("sitemap.xml");
    let mut treaty_pages = 0;
    for treaty in common::list_dir(&built.out.join("treaties")) {
        if treaty == "index.html" {
            continue;
        }
        let page = built.page(&format!("treaties/{treaty}/index.html"));
        let shown = page.all("#tl-articles ~ .article-list > li").len();
        assert_eq!(shown, 10, "{treaty}: the ten newest");
        let more = page.one(".articles-more a");
        let all = text(more);
        let count: usize = all
            .strip_prefix("All ")
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("{all}"));
        let first = format!("treaties/{treaty}/articles/");
        assert_eq!(attr(more, "href"), format!("{GENERATED_BASE_PATH}{first}"));
        if count <= PER_PAGE {
            continue;
        }
        let listed = walk_list(&built, &first, ".article-list > li > :first-child a", count);
        let on_page = page.attrs("#tl-articles ~ .article-list > li > :first-child a", "href");
        assert_eq!(listed[..10], on_page[..], "{treaty}: the newest first");
        for n in 1..=count.div_ceil(PER_PAGE) {
            let url = format!("{GENERATED_BASE}{}", list_page(&first, n));
            assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url}");
        }
        treaty_pages += 1;
    }
    assert!(
        treaty_pages >= 3,
        "{treaty_pages} treaties with pages of articles"
    );
    for n in 1..=GENERATED.div_ceil(PER_PAGE) {
        let url = format!("{GENERATED_BASE}{}", list_page("articles/", n));
        assert!(sitemap.contains(&format!("<loc>{url}</loc>")), "{url}");
    }
}

/// A country's and a year's page list their articles as a title and a date each, in a list,
/// under headings in order: no summaries.
#[test]
fn issue_15_country_and_year_pages_list_articles_compactly() {
    let built = generated();
    let mut checked = 0;
    for folder in ["countries", "years"] {
        for name in common::list_dir(&built.out.join(folder)) {
            if name == "index.html" {
                continue;
            }
            let path = format!("{folder}/{name}/index.html");
            let page = built.page(&path);
            assert!(page.all(".article-list p + p").is_empty(), "{path}");
            let items = page.all("#tl-articles ~ ol.article-links > li");
            for li in &items {
                assert_eq!(li.all("a").len(), 1, "{}", li.html());
                let date = attr(li.one("time"), "datetime");
                assert_eq!(date.len(), 10, "{}", li.html());
                assert!(li.html().len() <= 400, "{}", li.html());
            }
            // A list under a heading per month on a year's page, per year on a country's.
            let groups = page.texts("#tl-articles ~ h3.article-links-group");
            let lists = page.all("#tl-articles ~ ol.article-links").len();
            assert_eq!(groups.len(), lists, "{path}");
            if folder == "years" {
                let year = |li: &scraper::ElementRef| attr(*li, "datetime")[..4] == *name;
                assert!(items.iter().map(|li| li.one("time")).all(|t| year(&t)));
                let suffix = format!(" {name}");
                assert!(groups.iter().all(|g| g.ends_with(&suffix)), "{groups:?}");
            } else {
                assert!(
                    groups.iter().all(|g| g.parse::<i16>().is_ok()),
                    "{groups:?}"
                );
            }
            // Headings go down one level at a time: h1, h2, then a country's years or a year's
            // months as h3.
            let levels: Vec<u8> = page
                .all("main h1, main h2, main h3, main h4")
                .into_iter()
                .map(|h| h.value().name()[1..].parse().unwrap())
                .collect();
            assert!(
                levels.windows(2).all(|w| w[1] <= w[0] + 1),
                "{path}: {levels:?}"
            );
            checked += usize::from(!items.is_empty());
        }
    }
    assert!(checked > 50, "{checked} pages with articles");
}

/// What a site weighs is compared with Hugo's by the bench (benches/compare.sh); this holds the
/// generated site to its weight, so that markup which carries nothing does not creep back. It
/// weighed 19.2 MB, then 16.9 MB once links within the site became paths from the root and
/// the lists, timelines and members tables lost the classes, attributes and indentation that
/// each of their items repeated. The build day is fixed: each new year adds a year-end page
/// per treaty.
#[test]
fn issue_15_the_generated_site_weighs_at_most_17_5_mb() {
    let built = generated_on("2026-12-01");
    let bytes: usize = built.files().values().map(Vec::len).sum();
    assert!(bytes <= 17_500_000, "{bytes} bytes");
    assert!(bytes >= 10_000_000, "{bytes} bytes: is the site whole?");
}

/// No list of the site grows with the whole site: no page shows more than a page's worth of
/// summaries, and at 320 articles no page but an article's own weighs more than 160 KB (the
/// heaviest, a treaty's page, is its members table and charts; before the lists were cut, the
/// list of articles weighed 259 KB and a treaty's page 185 KB).
#[test]
fn issue_15_no_page_lists_more_summaries_than_a_page_holds_nor_weighs_over_160_kb() {
    let built = generated();
    let mut heaviest = (0, String::new());
    for (path, bytes) in built.files() {
        let article = path.starts_with("articles/") && !path.starts_with("articles/page/");
        if !path.ends_with(".html") || (article && path != "articles/index.html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let summaries = common::parse(&html).all(".article-list > li").len();
        assert!(summaries <= PER_PAGE, "{path}: {summaries} summaries");
        heaviest = heaviest.max((html.len(), path));
    }
    assert!(
        heaviest.0 <= 160_000,
        "{}: {} bytes, over the 160 KB budget",
        heaviest.1,
        heaviest.0
    );
}

/// An event that many articles report lists them all, with every source, once: in the list of
/// every event (its year's page). A country's, a treaty's and the home page show an event with
/// more than eight reports and sources together by its first three reports and a link to that
/// entry naming how many reports and sources it has, instead of repeating them (at 10,000
/// articles, country pages weighed 21 MB before, 14 MB after).
#[test]
fn issue_15_busy_events_show_their_first_reports_and_link_to_the_whole_entry() {
    let built = generated();
    let mut briefs = 0;
    let pages = common::list_dir(&built.out.join("countries"))
        .into_iter()
        .filter(|name| name != "index.html")
        .map(|name| format!("countries/{name}/index.html"))
        .chain(["index.html".to_string()])
        .chain(
            common::list_dir(&built.out.join("treaties"))
                .into_iter()
                .filter(|name| name != "index.html")
                .map(|name| format!("treaties/{name}/index.html")),
        );
    for path in pages {
        let page = built.page(&path);
        for event in page.all("li.event") {
            let reports = event.all(".refs-list:not(.refs-sources) > li").len();
            let sources = event.all(".refs-sources > li").len();
            let Some(more) = event.all(".event-refs-more a").into_iter().next() else {
                assert!(reports + sources <= 8, "{path}: {}", event.html());
                continue;
            };
            briefs += 1;
            assert_eq!(sources, 0, "{path}: {}", event.html());
            // The link goes to the event's entry on its year's page, which has them all.
            let href = attr(more, "href");
            let (year_url, id) = href.split_once('#').unwrap();
            let year_path = format!(
                "{}index.html",
                year_url.strip_prefix(GENERATED_BASE_PATH).unwrap()
            );
            assert!(year_path.starts_with("years/"), "{href}");
            let year = built.page(&year_path);
            let entry = year.one(&format!("li.event[id=\"{id}\"]"));
            // Whole, or its first reports shown and the whole folded.
            let whole = entry
                .all("details.event-refs-all")
                .into_iter()
                .next()
                .unwrap_or(entry);
            let all_reports = whole.all(".refs-list:not(.refs-sources) > li").len();
            let all_sources = whole.all(".refs-sources > li").len();
            assert!(all_reports + all_sources > 8, "{year_path}#{id}");
            assert!(entry.all(".event-refs-more").is_empty(), "{year_path}#{id}");
            assert_eq!(reports, all_reports.min(3), "{path}: {}", event.html());
            let label = text(more);
            assert!(
                label.starts_with(&format!(
                    "All {all_reports} report{} and {all_sources} source",
                    if all_reports == 1 { "" } else { "s" }
                )),
                "{path}: {label}"
            );
            // The link names its event, for a reader who hears it out of its list.
            let country = text(entry.one(".event-head a.country"));
            let name = country.trim_start_matches(|c: char| !c.is_alphanumeric());
            assert!(label.contains(name), "{label} / {country}");
        }
    }
    assert!(briefs > 0, "no event shown in brief");
    // A site whose events have a report or two and a few sources each shows them all.
    let default_site = build_ok(&common::default_site(), &["--no-search"]);
    let home = default_site.page(HOME);
    assert!(home.all(".event-refs-more").is_empty());
    assert_eq!(
        home.all("li.event").len(),
        home.all("li.event .refs-sources").len()
    );
}

/// An event's entry on its year's page, the one the other lists link to, holds every report and
/// source of it. Past 20 of them, its first three reports show and the whole of both lists is
/// folded, under a summary that names how many there are and the event (at 100,000 articles an
/// event has some 70 reports and 100 sources, and a year's page was a wall of 20,000 links).
#[test]
fn issue_15_a_year_page_folds_the_reports_of_a_busy_event() {
    let site = common::site::Site::new();
    // Germany's signature: 12 reports of 2 sources each, 36 in all. The Netherlands': 10 of
    // one, 20 in all. France's (the site's own article): 1 and 1.
    for (country, reports, sources) in [("DE", 12, 2), ("NL", 10, 1)] {
        for n in 1..=reports {
            let urls: String = (1..=sources)
                .map(|s| format!("  - https://example.org/{country}/{n}/{s}\n"))
                .collect();
            site.write(
                &format!("content/articles/{country}-report-{n}.md"),
                &format!(
                    "---\ntitle: {country} report {n}\ndate: 2020-02-{n:02}\nevents:\n  - country: \
                     {country}\n    stage: signed\n    date: 2020-01-20\nsources:\n{urls}---\nSigned.\n"
                ),
            );
        }
    }
    let built = build_ok(&site.root(), &["--no-search"]);
    let year = built.page("years/2020/index.html");
    let shown = |event: scraper::ElementRef| {
        (
            event.texts(".event-body > .event-refs > .refs-list:not(.refs-sources) a"),
            event
                .all(".event-body > .event-refs > .refs-sources > li")
                .len(),
        )
    };

    let busy = year.one("li.event[id='t-de-signed-2020-01-20']");
    let (reports, sources) = shown(busy);
    assert_eq!(reports, ["DE report 1", "DE report 2", "DE report 3"]);
    assert_eq!(sources, 0);
    let folded = busy.one("details.event-refs-all");
    assert!(folded.attr("open").is_none());
    assert_eq!(
        text(folded.one("summary")),
        "All 12 reports and 24 sources: Germany, Signed, 20 January 2020"
    );
    let all_reports = folded.texts(".refs-list:not(.refs-sources) a");
    assert_eq!(all_reports.len(), 12);
    assert_eq!(all_reports[11], "DE report 12");
    let all_sources = folded.attrs(".refs-sources a", "href");
    assert_eq!(all_sources.len(), 24);
    assert!(all_sources.contains(&"https://example.org/DE/12/2".to_string()));

    // At 20, and below, an entry is whole.
    for id in ["t-nl-signed-2020-01-20", "t-fr-signed-2020-01-01"] {
        let event = year.one(&format!("li.event[id='{id}']"));
        assert!(event.all("details").is_empty(), "{id}");
        let (reports, sources) = shown(event);
        assert_eq!(
            reports.len() + sources,
            if id.contains("nl") { 20 } else { 2 }
        );
    }

    // A country's page shows the busy event in brief, linking to that entry.
    let germany = built.page("countries/de/index.html");
    let more = germany.one("li.event .event-refs-more a");
    assert_eq!(attr(more, "href"), "/years/2020/#t-de-signed-2020-01-20");
    assert!(text(more).starts_with("All 12 reports and 24 sources"));
}
