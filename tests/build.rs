//! Issue 2: `treatyline build` turns the default site (frozen as a fixture) and small fixture
//! sites into the pages a reader sees. Every test runs the real binary into a temporary folder and
//! asserts on the generated files: HTML text, `<time datetime>`, XML and JSON.

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::{
    attr_values, build_ok, check, default_site, elements, fixture, members_table, read_tree,
    repo_root, visible_text,
};

/// site.yaml's base_url of the repository's own site.
const BASE: &str = "https://treatyline.github.io/treatyline/";

/// The README's first command builds the repository's own folder: whatever its content/ says
/// today, it must build and check without a single warning.
#[test]
fn the_repository_site_builds_and_checks_without_a_warning() {
    let site = build_ok(&repo_root(), &["--deny-warnings"]);
    let files = site.run.assert_clean_build();
    assert_eq!(
        files,
        site.files().len(),
        "the count printed is the files written"
    );
    let (pages, links) = check(&repo_root(), &["--deny-warnings"]).assert_clean_check();
    assert!(pages > 10 && links > pages, "{pages} pages, {links} links");

    // Its home page carries the title site.yaml gives it.
    let config: serde_yaml::Value =
        serde_yaml::from_str(&fs::read_to_string(repo_root().join("site.yaml")).unwrap()).unwrap();
    let title = config["title"].as_str().expect("site.yaml has a title");
    let home = site.read("index.html");
    let headings: Vec<String> = elements(&home, "h1")
        .iter()
        .map(|h| visible_text(h))
        .collect();
    assert_eq!(headings, [title]);
}

#[test]
fn home_members_table_lists_the_five_joiners_in_order_with_their_current_status() {
    let site = build_ok(&default_site(), &[]);
    let rows = members_table(&site.read("index.html"));

    // From content/articles: each country's latest stage (the furthest on the same day).
    let expected = [
        (
            "United Arab Emirates",
            "In force",
            "5 January 2021",
            "2021-01-05",
        ),
        ("Bahrain", "Ratified", "10 November 2020", "2020-11-10"),
        (
            "Sudan",
            "Agreed in principle",
            "2 February 2023",
            "2023-02-02",
        ),
        ("Morocco", "Ratified", "24 January 2021", "2021-01-24"),
        (
            "Kazakhstan",
            "Agreed in principle",
            "6 November 2025",
            "2025-11-06",
        ),
    ];
    assert_eq!(
        rows.len(),
        expected.len(),
        "rows: {:?}",
        rows.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    for (row, (name, status, shown, datetime)) in rows.iter().zip(expected) {
        let want = format!("{name} {status} since {shown}");
        assert!(
            row.text.contains(&want),
            "row should read {want:?}, reads {:?}",
            row.text
        );
        assert!(
            row.status_html
                .contains(&format!("<time datetime=\"{datetime}\">{shown}</time>")),
            "{name}: status cell {}",
            row.status_html
        );
    }

    // The stage columns give the first date each stage was reached.
    let cell = |i: usize, stage: &str| rows[i].columns.get(stage).cloned().flatten();
    assert_eq!(cell(0, "Announced").as_deref(), Some("2020-08-13"));
    assert_eq!(cell(0, "Signed").as_deref(), Some("2020-09-15"));
    assert_eq!(cell(0, "Ratified").as_deref(), Some("2020-10-12"));
    assert_eq!(cell(0, "In force").as_deref(), Some("2021-01-05"));
    assert_eq!(cell(2, "Signed").as_deref(), Some("2021-01-06"));
    assert_eq!(cell(2, "Suspended").as_deref(), Some("2021-10-25"));
    assert_eq!(cell(3, "Signed").as_deref(), Some("2020-12-22"));
    assert_eq!(cell(4, "Announced").as_deref(), Some("2025-11-06"));
    assert_eq!(
        cell(4, "Agreed in principle").as_deref(),
        Some("2025-11-06")
    );
    assert_eq!(cell(4, "Signed"), None, "Kazakhstan has not signed");
    assert_eq!(cell(4, "Ratified"), None, "Kazakhstan has not ratified");
}

#[test]
fn kazakhstan_page_says_agreed_in_principle_on_6_november_2025() {
    let site = build_ok(&default_site(), &[]);
    let html = site.read("countries/kz/index.html");
    let text = visible_text(&html);
    assert!(text.contains("Kazakhstan"), "{text}");
    assert!(
        text.contains("Agreed in principle since 6 November 2025"),
        "the current status should be on the page: {text}"
    );
    assert!(html.contains("<time datetime=\"2025-11-06\">6 November 2025</time>"));
    assert!(
        html.contains(&format!(
            "href=\"{BASE}articles/kazakhstan-joins-abraham-accords/\""
        )),
        "the country page links to its article"
    );
}

#[test]
fn an_article_renders_its_markdown_table_and_footnote() {
    let site = build_ok(&default_site(), &[]);
    let html = site.read("articles/white-house-signing/index.html");

    let tables = elements(&html, "table");
    assert!(
        !tables.is_empty(),
        "the article's Markdown table should render as <table>"
    );
    let table = visible_text(tables[0]);
    assert!(
        table.starts_with("Document Parties Nature"),
        "table header: {table}"
    );
    assert!(table.contains("Abraham Accords Declaration"), "{table}");

    // The reference links to a definition that exists and holds the footnote's text.
    let reference = html
        .split("class=\"footnote-reference\"")
        .nth(1)
        .expect("a footnote reference");
    let target = attr_values(reference, "href")
        .into_iter()
        .next()
        .expect("the reference links");
    let id = target.strip_prefix('#').expect("a fragment link");
    let definition = html
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .expect("the footnote definition has the referenced id");
    assert!(
        html.contains("class=\"footnote-definition\""),
        "a footnote definition block"
    );
    assert!(
        visible_text(definition).contains("Truman Balcony"),
        "the footnote's text"
    );
}

/// The articles of the default site, by their generated folders.
fn article_urls(files: &BTreeMap<String, Vec<u8>>, base: &str) -> Vec<String> {
    files
        .keys()
        .filter_map(|p| {
            p.strip_prefix("articles/")?
                .strip_suffix("/index.html")
                .map(str::to_string)
        })
        .map(|slug| format!("{base}articles/{slug}/"))
        .collect()
}

#[test]
fn feed_is_atom_with_one_entry_per_article_and_absolute_links() {
    let site = build_ok(&default_site(), &[]);
    let xml = site.read("feed.xml");
    let doc = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    let atom = "http://www.w3.org/2005/Atom";
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(feed.tag_name().namespace(), Some(atom));

    let entries: Vec<_> = feed
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    let articles = fs::read_dir(default_site().join("content/articles"))
        .unwrap()
        .count();
    // The feed holds the 20 newest (docs/templates.md); the default site has fewer.
    assert_eq!(entries.len(), articles.min(20), "one entry per article");

    let mut links: Vec<String> = entries
        .iter()
        .map(|entry| {
            for field in ["id", "title", "updated"] {
                assert!(
                    entry.children().any(|n| n.has_tag_name((atom, field))),
                    "an entry without <{field}>"
                );
            }
            let link = entry
                .children()
                .find(|n| n.has_tag_name((atom, "link")))
                .and_then(|n| n.attribute("href"))
                .expect("an entry has a link")
                .to_string();
            assert!(
                link.starts_with(BASE),
                "entry link {link} must be absolute under {BASE}"
            );
            link
        })
        .collect();
    links.sort();
    let mut expected = article_urls(&site.files(), BASE);
    expected.sort();
    assert_eq!(links, expected, "the feed's links are the article pages");

    let self_link = feed
        .children()
        .filter(|n| n.has_tag_name((atom, "link")))
        .find(|n| n.attribute("rel") == Some("self"))
        .and_then(|n| n.attribute("href"));
    assert_eq!(self_link, Some(format!("{BASE}feed.xml").as_str()));
}

#[test]
fn sitemap_parses_and_lists_every_page_under_the_base_url() {
    let site = build_ok(&default_site(), &[]);
    let xml = site.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).expect("sitemap.xml is well-formed XML");
    let ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert!(doc.root_element().has_tag_name((ns, "urlset")));
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((ns, "loc")))
        .filter_map(|n| n.text())
        .collect();
    assert!(!locs.is_empty());
    for loc in &locs {
        assert!(
            loc.starts_with(BASE),
            "sitemap URL {loc} is not under {BASE}"
        );
    }
    // Every page a reader can reach (404.html excepted) is listed.
    for path in site.files().keys() {
        if let Some(dir) = path.strip_suffix("index.html") {
            let url = format!("{BASE}{dir}");
            assert!(
                locs.contains(&url.as_str()),
                "{url} is missing from the sitemap"
            );
        }
    }
}

#[test]
fn timeline_json_parses_and_matches_the_model() {
    let site = build_ok(&default_site(), &[]);
    let json: serde_json::Value = serde_json::from_str(&site.read("data/timeline.json"))
        .expect("timeline.json is valid JSON");
    let treaties = json["treaties"].as_array().expect("a treaties list");
    assert_eq!(treaties.len(), 1);
    let treaty = &treaties[0];
    assert_eq!(treaty["slug"], "abraham-accords");
    assert_eq!(treaty["url"], format!("{BASE}treaties/abraham-accords/"));

    let countries = treaty["countries"].as_array().expect("a countries list");
    let summary: Vec<(&str, &str, &str)> = countries
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
                c["status_date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("AE", "in-force", "2021-01-05"),
            ("BH", "ratified", "2020-11-10"),
            ("SD", "agreed-in-principle", "2023-02-02"),
            ("MA", "ratified", "2021-01-24"),
            ("KZ", "agreed-in-principle", "2025-11-06"),
        ],
        "5 countries in order of joining, with the same status as the members table"
    );

    let mut events = 0;
    for country in countries {
        for event in country["events"].as_array().expect("events") {
            events += 1;
            let where_ = format!("{} {} {}", country["code"], event["stage"], event["date"]);
            let sources = event["sources"].as_array().expect("sources");
            assert!(!sources.is_empty(), "{where_}: every event has a source");
            for source in sources {
                // A source is written as a URL string or a map with a url.
                let url = source
                    .as_str()
                    .or_else(|| source["url"].as_str())
                    .unwrap_or_default();
                assert!(
                    url.starts_with("https://") || url.starts_with("http://"),
                    "{where_}: {source}"
                );
            }
            let articles = event["articles"].as_array().expect("articles");
            assert!(!articles.is_empty(), "{where_}: reported by an article");
            for article in articles {
                let url = article.as_str().unwrap_or_default();
                assert!(
                    url.starts_with(&format!("{BASE}articles/")),
                    "{where_}: {article}"
                );
            }
        }
    }
    // Sudan's suspension is reported by two articles with one date: one event, not two.
    let sudan = &countries[2]["events"];
    let suspended: Vec<_> = sudan
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["stage"] == "suspended")
        .collect();
    assert_eq!(
        suspended.len(),
        1,
        "the same event in two articles is merged"
    );
    assert_eq!(suspended[0]["articles"].as_array().unwrap().len(), 2);
    assert!(events >= 20, "only {events} events in the JSON");
}

/// Whether an href or src is internal: not another host's absolute URL, not mailto: etc.
fn is_internal(url: &str, host: &str) -> bool {
    if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    {
        return rest.split('/').next() == Some(host);
    }
    if let Some(rest) = url.strip_prefix("//") {
        return rest.split('/').next() == Some(host);
    }
    !url.contains(':')
}

#[test]
fn a_base_url_with_a_path_part_is_honoured_by_every_internal_link() {
    let base = "https://user.github.io/repo/";
    let site = build_ok(&default_site(), &["--base-url", base]);
    let files = site.files();
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(bytes);
        for attr in ["href", "src"] {
            for url in attr_values(&html, attr) {
                if url.starts_with('#') || !is_internal(&url, "user.github.io") {
                    continue;
                }
                checked += 1;
                assert!(
                    url.starts_with(base),
                    "{path}: {attr}=\"{url}\" does not start with {base}"
                );
            }
        }
    }
    assert!(checked > 100, "only {checked} internal links found");
    // The home page in particular, including its stylesheet and feed.
    let home = site.read("index.html");
    assert!(home.contains(&format!("href=\"{base}style.css\"")));
    assert!(home.contains(&format!("href=\"{base}feed.xml\"")));
    assert!(home.contains(&format!("href=\"{base}countries/kz/\"")));
    // The feed and sitemap too.
    assert!(
        site.read("feed.xml")
            .contains(&format!("href=\"{base}articles/"))
    );
    assert!(
        site.read("sitemap.xml")
            .contains(&format!("<loc>{base}</loc>"))
    );
    assert!(
        !site.read("sitemap.xml").contains(BASE),
        "site.yaml's base_url was replaced"
    );
}

#[test]
fn a_site_template_overrides_the_builtin_one_and_other_pages_keep_the_builtin_theme() {
    let site = build_ok(&fixture("template-override"), &[]);
    let article = site.read("articles/first/index.html");
    assert!(article.contains("class=\"fixture-override\""), "{article}");
    assert!(article.contains("Rendered by the site's own article template."));
    assert!(
        article.contains("France announced it would join."),
        "the article's body"
    );
    // Its base.html still comes from the built-in theme.
    assert!(article.contains("href=\"https://example.org/fixture/style.css\""));
    assert!(
        !article.contains("class=\"article-title\""),
        "the built-in article.html was not used"
    );

    let home = site.read("index.html");
    assert!(!home.contains("fixture-override"));
    assert!(
        home.contains("class=\"members\""),
        "the home page uses the built-in index.html"
    );
    assert!(visible_text(&home).contains("France Announced since 1 January 2020"));
    assert!(site.exists("style.css"));
}

#[test]
fn drafts_are_left_out_without_the_flag_and_built_with_it() {
    let root = fixture("drafts");

    let site = build_ok(&root, &[]);
    assert!(
        !site.exists("articles/draft-news/index.html"),
        "the draft's page was built"
    );
    assert!(site.exists("articles/first/index.html"));
    let home = site.read("index.html");
    let rows = members_table(&home);
    assert_eq!(
        rows.len(),
        1,
        "only France: {:?}",
        rows.iter().map(|r| &r.text).collect::<Vec<_>>()
    );
    assert!(
        !home.contains("Germany"),
        "the draft's event is on the home page"
    );
    assert!(!site.exists("countries/de/index.html"));
    for file in ["feed.xml", "sitemap.xml", "data/timeline.json"] {
        assert!(
            !site.read(file).contains("draft-news"),
            "{file} mentions the draft"
        );
    }

    let site = build_ok(&root, &["--drafts"]);
    assert!(site.exists("articles/draft-news/index.html"));
    let rows = members_table(&site.read("index.html"));
    let texts: Vec<&str> = rows.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(rows.len(), 2, "France and Germany: {texts:?}");
    assert!(
        texts[1].contains("Germany Signed since 1 May 2020"),
        "{texts:?}"
    );
    assert!(
        site.read("index.html")
            .contains("href=\"https://example.org/fixture/articles/draft-news/\""),
        "the timeline links the draft's event to its article"
    );
    assert!(site.read("data/timeline.json").contains("\"DE\""));
}

#[test]
fn a_site_without_templates_or_static_uses_the_builtin_ones() {
    let root = fixture("good");
    assert!(!root.join("templates").exists() && !root.join("static").exists());
    let site = build_ok(&root, &[]);
    let builtin_css = fs::read(repo_root().join("static/style.css")).unwrap();
    assert_eq!(
        fs::read(site.out.join("style.css")).expect("style.css is written"),
        builtin_css,
        "the built-in style.css is the repository's static/style.css"
    );
    assert!(site.exists("favicon.svg"));
    let home = site.read("index.html");
    assert!(
        home.contains("<link rel=\"stylesheet\" href=\"https://example.org/fixture/style.css\">")
    );
    assert!(home.contains("class=\"members\""));
    for page in [
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "robots.txt",
        "articles/first/index.html",
        "countries/fr/index.html",
        "treaties/t/index.html",
        "years/2020/index.html",
    ] {
        assert!(site.exists(page), "{page} is missing");
    }
}

#[test]
fn two_builds_into_two_folders_are_byte_identical() {
    let first = build_ok(&default_site(), &[]);
    let second = build_ok(&default_site(), &[]);
    let a = read_tree(&first.out);
    let b = read_tree(&second.out);
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(
            bytes == &b[path],
            "{path} differs between two builds of the same site"
        );
    }
    assert!(a.len() > 30, "only {} files", a.len());
}

/// A titled source names its site after the title; an untitled one is named by its site.
#[test]
fn article_sources_name_their_site() {
    let site = build_ok(&default_site(), &[]);
    let html = site.read("articles/bahrain-israel-normalization/index.html");
    let sources = elements(&html, "ol")
        .into_iter()
        .find(|l| l.contains("class=\"source-list\""))
        .expect("a source list");
    let text = visible_text(sources);
    assert!(
        text.contains("summary of the Bahrain announcement newser.com"),
        "{text}"
    );
    assert!(!text.contains("www."), "{text}");
}
