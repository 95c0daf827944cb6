//! Issue 2: `treatyline build` turns the default site (frozen as a fixture) and small fixture
//! sites into the pages a reader sees. Every test runs the real binary into a temporary folder and
//! asserts on the generated files: HTML text, `<time datetime>`, XML and JSON.

mod common;

use std::collections::BTreeMap;
use std::fs;

use common::{
    Built, Query, attr, build_any, build_ok, check, copy_site, default_site, fixture, links,
    members_table, parse, read_tree, repo_root, select_text, spoken_text, text,
};

/// site.yaml's base_url of the repository's own site.
const BASE: &str = "https://treatyline.github.io/treatyline/";
/// The path of [`BASE`], with which the site's links to its own pages start.
const BASE_PATH: &str = "/treatyline/";

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
    assert_eq!(select_text(&site.read("index.html"), "h1"), [title]);
}

#[test]
fn home_members_table_lists_the_five_joiners_by_name_with_their_current_status() {
    let site = build_ok(&default_site(), &[]);
    let rows = members_table(&site.page("index.html"));

    // From content/articles: each country's latest stage (the furthest on the same day).
    let statuses: Vec<(&str, &str, Option<&str>)> = rows
        .iter()
        .map(|r| {
            (
                r.country.as_str(),
                r.status.as_str(),
                r.status_since.as_deref(),
            )
        })
        .collect();
    // In order of name (CONTENT-FORMAT.md version 2), ignoring case and accents.
    assert_eq!(
        statuses,
        [
            ("Bahrain", "Ratified", Some("2020-10-19")),
            ("Kazakhstan", "Agreed in principle", Some("2025-11-06")),
            ("Morocco", "Ratified", Some("2021-01-24")),
            ("Sudan", "Agreed in principle", Some("2023-02-02")),
            ("United Arab Emirates", "In force", Some("2021-01-05")),
        ]
    );

    // The stage columns give the first date each stage was reached.
    let cell = |i: usize, stage: &str| rows[i].columns.get(stage).cloned().flatten();
    assert_eq!(cell(4, "Announced").as_deref(), Some("2020-08-13"));
    assert_eq!(cell(4, "Signed").as_deref(), Some("2020-09-15"));
    assert_eq!(cell(4, "Ratified").as_deref(), Some("2020-10-12"));
    assert_eq!(cell(4, "In force").as_deref(), Some("2021-01-05"));
    assert_eq!(cell(3, "Signed").as_deref(), Some("2021-01-06"));
    assert_eq!(cell(3, "Suspended").as_deref(), Some("2021-10-25"));
    assert_eq!(cell(2, "Signed").as_deref(), Some("2020-12-22"));
    assert_eq!(cell(1, "Announced").as_deref(), Some("2025-11-06"));
    assert_eq!(
        cell(1, "Agreed in principle").as_deref(),
        Some("2025-11-06")
    );
    assert_eq!(cell(1, "Signed"), None, "Kazakhstan has not signed");
    assert_eq!(cell(1, "Ratified"), None, "Kazakhstan has not ratified");
}

#[test]
fn kazakhstan_page_says_agreed_in_principle_on_6_november_2025() {
    let site = build_ok(&default_site(), &[]);
    let page = site.page("countries/kz/index.html");
    assert_eq!(spoken_text(page.one("h1")), "Kazakhstan");
    let status = page.one(".facts dd");
    assert_eq!(
        text(status),
        "Agreed in principle since 6 November 2025",
        "the current status"
    );
    assert_eq!(status.attrs("time", "datetime"), ["2025-11-06"]);
    let article = format!("{BASE_PATH}articles/kazakhstan-joins-abraham-accords/");
    assert_eq!(
        page.attrs(".article-links a", "href"),
        [article],
        "the country page links to its article"
    );
}

#[test]
fn an_article_renders_its_markdown_table_and_footnote() {
    let site = build_ok(&default_site(), &[]);
    let page = site.page("articles/white-house-signing/index.html");
    let prose = page.one(".prose");

    // The article's Markdown table, as a table.
    let table = prose.one("table");
    assert_eq!(table.texts("thead th"), ["Document", "Parties", "Nature"]);
    let first_column = table.texts("tbody tr td:first-child");
    assert_eq!(first_column.len(), 3, "{first_column:?}");
    assert_eq!(first_column[0], "Abraham Accords Declaration");

    // The reference links to a definition that exists and holds the footnote's text.
    let target = attr(prose.one(".footnote-reference a"), "href");
    let id = target.strip_prefix('#').expect("a fragment link");
    let definition = prose.one(&format!(".footnote-definition[id='{id}']"));
    assert!(
        text(definition).contains("Truman Balcony"),
        "the footnote's text: {}",
        text(definition)
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
    // Every page a reader can reach (404.html and the search page excepted) is listed.
    for path in site.files().keys() {
        if path == "search/index.html" {
            continue;
        }
        if let Some(dir) = path.strip_suffix("index.html") {
            let url = format!("{BASE}{dir}");
            assert!(
                locs.contains(&url.as_str()),
                "{url} is missing from the sitemap"
            );
        }
    }
}

/// Issue 15: the open data JSON is compact (indentation was a fifth of a large timeline's
/// bytes): one line, no whitespace outside strings, and still JSON (the tests below read it).
#[test]
fn data_json_is_compact() {
    let site = build_ok(&default_site(), &[]);
    for file in ["data/timeline.json", "data/abraham-accords.json"] {
        let text = site.read(file);
        let body = text.strip_suffix('\n').expect("ends with a newline");
        assert!(!body.contains('\n'), "{file} is one line");
        let (mut in_string, mut escaped) = (false, false);
        for c in body.chars() {
            match (in_string, escaped, c) {
                (true, true, _) => escaped = false,
                (true, false, '\\') => escaped = true,
                (_, false, '"') => in_string = !in_string,
                (false, _, c) => assert!(!c.is_whitespace(), "{file} has whitespace: {c:?}"),
                _ => {}
            }
        }
        assert!(!in_string, "{file} ends outside a string");
        serde_json::from_str::<serde_json::Value>(body).expect("valid JSON");
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
            ("BH", "ratified", "2020-11-10"),
            ("KZ", "agreed-in-principle", "2025-11-06"),
            ("MA", "ratified", "2021-01-24"),
            ("SD", "agreed-in-principle", "2023-02-02"),
            ("AE", "in-force", "2021-01-05"),
        ],
        "5 countries in order of name, with the same status as the members table"
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
    let sudan = &countries[3]["events"];
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

/// A base URL with a path: every link from a page to the site's own pages is a path from the
/// domain's root that starts with the base URL's path; only the canonical link and `og:url`,
/// by which a page is read away from the site, and the feed and sitemap are absolute.
#[test]
fn a_base_url_with_a_path_part_is_honoured_by_every_internal_link() {
    let base = "https://user.github.io/repo/";
    let base_path = "/repo/";
    let site = build_ok(&default_site(), &["--base-url", base]);
    let files = site.files();
    let mut checked = 0;
    for (path, bytes) in &files {
        if !path.ends_with(".html") {
            continue;
        }
        let page = parse(&String::from_utf8_lossy(bytes));
        for url in page
            .attrs("link[rel=canonical]", "href")
            .into_iter()
            .chain(page.attrs("meta[property='og:url']", "content"))
        {
            assert!(
                url.starts_with(base),
                "{path}: the page's own URL {url} is not absolute under {base}"
            );
        }
        let hrefs = page.all("[href]:not(link[rel=canonical])");
        let srcs = page.all("[src]");
        let urls = hrefs
            .into_iter()
            .map(|e| attr(e, "href"))
            .chain(srcs.into_iter().map(|e| attr(e, "src")));
        for url in urls {
            if url.starts_with('#') || !is_internal(url, "user.github.io") {
                continue;
            }
            checked += 1;
            assert!(
                url.starts_with(base_path),
                "{path}: the link {url} does not start with {base_path}"
            );
        }
    }
    assert!(checked > 100, "only {checked} internal links found");
    // The home page in particular, including its stylesheet and feed.
    let home = site.page("index.html");
    assert_eq!(home.attrs("link[rel=canonical]", "href"), [base]);
    assert_eq!(
        home.attrs("link[rel=stylesheet]", "href"),
        [format!("{base_path}style.css")]
    );
    assert_eq!(
        home.attrs("link[rel=alternate]", "href"),
        [format!("{base_path}feed.xml")]
    );
    assert!(links(&home).contains(&format!("{base_path}countries/kz/")));

    // The feed and sitemap too.
    let feed = site.read("feed.xml");
    let feed = roxmltree::Document::parse(&feed).unwrap();
    let hrefs: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("link"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    assert!(hrefs.len() > 10, "{hrefs:?}");
    assert!(hrefs.iter().all(|h| h.starts_with(base)), "{hrefs:?}");
    let sitemap = site.read("sitemap.xml");
    let sitemap = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = sitemap
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        locs.first(),
        Some(&base),
        "site.yaml's base_url was replaced"
    );
    assert!(locs.iter().all(|l| l.starts_with(base)), "{locs:?}");
}

#[test]
fn a_site_template_overrides_the_builtin_one_and_other_pages_keep_the_builtin_theme() {
    let site = build_ok(&fixture("template-override"), &[]);
    let article = site.page("articles/first/index.html");
    let own = article.one("main .fixture-override");
    assert_eq!(
        own.texts("p")[0],
        "Rendered by the site's own article template."
    );
    assert!(
        text(own).contains("France announced it would join."),
        "the article's body: {}",
        text(own)
    );
    // Its base.html still comes from the built-in theme.
    assert_eq!(
        article.attrs("link[rel=stylesheet]", "href"),
        ["/fixture/style.css"]
    );
    assert_eq!(
        article.texts("header.site-header .site-title"),
        ["Fixture Timeline"]
    );
    assert!(
        article.all(".article-title").is_empty(),
        "the built-in article.html was not used"
    );

    let home = members_table(&site.page("index.html"));
    assert_eq!(home.len(), 1, "the home page uses the built-in index.html");
    assert_eq!(
        (home[0].country.as_str(), home[0].status.as_str()),
        ("France", "Announced")
    );
    assert!(site.page("index.html").all(".fixture-override").is_empty());
    assert!(site.exists("style.css"));
}

/// The titles of the feed's entries, newest first.
fn feed_titles(site: &Built) -> Vec<String> {
    let xml = site.read("feed.xml");
    let feed = roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    feed.descendants()
        .filter(|n| n.has_tag_name("entry"))
        .flat_map(|entry| entry.children().filter(|n| n.has_tag_name("title")))
        .map(|title| title.text().unwrap_or_default().to_string())
        .collect()
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
    let countries = |site: &Built| -> Vec<String> {
        members_table(&site.page("index.html"))
            .into_iter()
            .map(|r| format!("{} {}", r.country, r.status))
            .collect()
    };
    assert_eq!(countries(&site), ["France Announced"]);
    assert_eq!(
        site.page("articles/index.html")
            .texts("main .article-list h3"),
        ["First steps"],
        "the articles listed"
    );
    assert!(!site.exists("countries/de/index.html"));
    assert_eq!(feed_titles(&site), ["First steps"]);
    for file in ["feed.xml", "sitemap.xml", "data/timeline.json"] {
        assert!(
            !site.read(file).contains("draft-news"),
            "{file} mentions the draft"
        );
    }

    let site = build_ok(&root, &["--drafts"]);
    assert!(site.exists("articles/draft-news/index.html"));
    assert_eq!(countries(&site), ["France Announced", "Germany Signed"]);
    assert!(
        links(&site.page("index.html")).contains(&"/fixture/articles/draft-news/".to_string()),
        "the timeline links the draft's event to its article"
    );
    assert_eq!(feed_titles(&site).len(), 2, "{:?}", feed_titles(&site));
    let json: serde_json::Value = serde_json::from_str(&site.read("data/timeline.json")).unwrap();
    let codes: Vec<&str> = json["treaties"][0]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["FR", "DE"]);
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
    let home = site.page("index.html");
    assert_eq!(
        home.attrs("link[rel=stylesheet]", "href"),
        ["/fixture/style.css"]
    );
    assert_eq!(members_table(&site.page("index.html")).len(), 1);
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

/// A titled source names its site after the title: its host, without `www.`.
#[test]
fn article_sources_name_their_site() {
    let site = build_ok(&default_site(), &[]);
    let page = site.page("articles/bahrain-israel-normalization/index.html");
    assert_eq!(
        page.texts("ol.source-list li"),
        [
            "National Post (wire copy): Bahrain follows the Emirates toward ties with Israel nationalpost.com",
            "MM News: Trump announces an Israel-Bahrain deal mmnews.tv",
            "Newser: summary of the Bahrain announcement newser.com",
            "Wikipedia: Bahrain-Israel normalization agreement (background) en.wikipedia.org",
        ]
    );
}

/// The header and footer are rendered once per place in the navigation and reused: every page
/// must be as it is with them rendered on each page, the header from `current_url` as it was
/// before `nav_here` (`tests/fixtures/header-on-each-page/header.html`), byte for byte, on a
/// site with free pages and search.
#[test]
fn the_pages_are_the_same_as_with_the_header_and_footer_rendered_on_each_page() {
    let (_dir, root) = copy_site(&repo_root());
    let cached = build_ok(&root, &[]);
    let base = root.join("templates/base.html");
    let header = fs::read_to_string(fixture("header-on-each-page").join("header.html")).unwrap();
    let each_page = fs::read_to_string(&base)
        .unwrap()
        .replace(
            "{{ cached_partial(template=\"partials/header.html\", vars=nav_here) -}}\n",
            &header,
        )
        .replace(
            "{{ cached_partial(template=\"partials/footer.html\") -}}\n",
            "{% include \"partials/footer.html\" %}",
        );
    assert!(!each_page.contains("cached_partial"), "{each_page}");
    fs::write(&base, each_page).unwrap();
    let each = build_ok(&root, &[]);
    let (cached_files, each_files) = (cached.files(), each.files());
    assert_eq!(
        cached_files.keys().collect::<Vec<_>>(),
        each_files.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &cached_files {
        assert!(*bytes == each_files[path], "{path} differs");
    }

    // The link to the page itself is the current one; a page deeper in a section marks the
    // section's link.
    let nav = |path: &str| {
        let page = cached.page(path);
        (
            page.texts(".site-nav a[aria-current=page]"),
            page.texts(".site-nav a.in-section"),
        )
    };
    let none = Vec::<String>::new;
    assert_eq!(nav("index.html"), (vec!["Timeline".to_string()], none()));
    assert_eq!(
        nav("treaties/index.html"),
        (vec!["Treaties".to_string()], none())
    );
    assert_eq!(
        nav("treaties/abraham-accords/index.html"),
        (none(), vec!["Treaties".to_string()])
    );
    assert_eq!(
        nav("articles/bahrain-israel-normalization/index.html"),
        (none(), vec!["Articles".to_string()])
    );
    assert_eq!(
        nav("about/index.html"),
        (vec!["About this site".to_string()], none())
    );
    assert_eq!(
        nav("search/index.html"),
        (vec!["Search".to_string()], none())
    );
    assert_eq!(nav("data/index.html"), (none(), none()));
}

/// A cached partial sees only the site-wide variables and its `vars`: asking for anything of
/// the page is an error naming the partial, its line and the page, not a header that shows
/// the first page's value on every page.
#[test]
fn a_cached_partial_asking_for_the_page_is_an_error_naming_it_and_the_page() {
    let (_dir, root) = copy_site(&default_site());
    fs::create_dir_all(root.join("templates/partials")).unwrap();
    fs::write(
        root.join("templates/partials/header.html"),
        "<header>\n<a href=\"{{ current_url }}\">{{ site.title }}</a>\n</header>\n",
    )
    .unwrap();
    build_any(&root, &[])
        .assert_code(1)
        .assert_stderr_has("in `partials/header.html` at line 2")
        .assert_stderr_has("`current_url` is not defined")
        .assert_stderr_has("(while rendering /");
}

/// The summary shows under an article's title unless the text begins with it: the default
/// summary (the first paragraph) and one that repeats the first paragraph, escaped characters
/// and all, are not read twice.
#[test]
fn the_lead_is_the_summary_unless_the_text_begins_with_it() {
    let site = common::site::Site::new();
    let article = |name: &str, summary: &str, text: &str| {
        site.write(
            &format!("content/articles/{name}.md"),
            &format!("---\ntitle: {name}\ndate: 2020-01-02\n{summary}---\n{text}\n"),
        );
    };
    article(
        "own",
        "summary: \"A summary of its own.\"\n",
        "France signed.",
    );
    article("default", "", "France signed at the ceremony.");
    article(
        "repeated",
        "summary: \"Tom & Jerry signed it, 3 > 2: the long first sentence goes on and on.\"\n",
        "Tom & Jerry signed it, 3 > 2: the long first sentence goes on and on.\n\nMore.",
    );
    article("empty", "summary: \"\"\n", "Text.");
    let built = build_ok(&site.root(), &[]);
    let lead = |name: &str| {
        built
            .page(&format!("articles/{name}/index.html"))
            .texts("p.lead")
    };
    assert_eq!(lead("own"), ["A summary of its own."]);
    assert!(lead("default").is_empty());
    assert!(lead("repeated").is_empty());
    assert!(lead("empty").is_empty());
}

/// A page's description, in its `<meta name="description">` and its social card alike, is at
/// most 160 characters: a longer summary (an article's first paragraph) is cut after its last
/// whole word that fits, and ends with "…"; a short one is whole. The lists keep the whole
/// summary.
#[test]
fn a_long_summary_is_cut_to_a_description_on_a_word() {
    let site = common::site::Site::new();
    let long = "Délégués ".repeat(30) + "end.";
    site.write(
        "content/articles/long.md",
        &format!("---\ntitle: Long\ndate: 2020-01-03\n---\n{long}\n"),
    );
    let built = build_ok(&site.root(), &[]);
    let descriptions = |path: &str| {
        let page = built.page(path);
        ["meta[name=description]", "meta[property='og:description']"]
            .map(|css| attr(page.one(css), "content").to_string())
    };

    // Seventeen whole words of nine characters (153) and the ellipsis: an eighteenth would
    // pass 160.
    let cut = "Délégués ".repeat(17).trim_end().to_string() + "…";
    assert_eq!(cut.chars().count(), 153);
    assert_eq!(descriptions("articles/long/index.html"), [cut.clone(), cut]);
    assert_eq!(
        descriptions("articles/first/index.html"),
        ["France signed.", "France signed."]
    );
    let listed = built.page("articles/index.html").texts(".article-list p");
    assert!(listed.contains(&long), "{listed:?}");
}
