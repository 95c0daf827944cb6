//! `treatyline serve` from the outside: the real binary on a free port, serving a temporary
//! copy of the default site (its frozen fixture), spoken to over plain HTTP/1.1.
//!
//! Nothing here sleeps for a fixed time and hopes: every wait polls for what it expects with a
//! generous deadline, so a loaded machine makes the tests slower, not flaky.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Html, Query, parse};
use tempfile::TempDir;

/// How long anything may take on a slow, busy machine before the test gives up.
const PATIENCE: Duration = Duration::from_secs(60);

const ARTICLE_FILE: &str = "content/articles/2020-09-15-white-house-signing.md";
const ARTICLE_URL: &str = "/articles/white-house-signing/";
const ARTICLE_TITLE: &str =
    "UAE and Bahrain Sign the Abraham Accords With Israel at the White House";
const OTHER_FILE: &str = "content/articles/2020-08-13-uae-israel-normalization.md";

/// A running `treatyline serve` and the site it serves; killed when dropped.
struct Server {
    child: Child,
    port: u16,
    /// The copy's root; the copy lives as long as `_site`.
    root: PathBuf,
    _site: TempDir,
    log: Arc<Mutex<String>>,
}

impl Server {
    fn start() -> Server {
        Server::start_with("")
    }

    /// Serves a copy of the default site with `settings` added to its site.yaml.
    fn start_with(settings: &str) -> Server {
        let (site, root) = common::copy_site(&common::default_site());
        let yaml = root.join("site.yaml");
        let text = fs::read_to_string(&yaml).unwrap();
        fs::write(&yaml, format!("{text}{settings}")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_treatyline"))
            .args(["serve", "--port", "0", "--root"])
            .arg(&root)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start treatyline serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        let mut server = Server {
            child,
            port: 0,
            root,
            _site: site,
            log,
        };
        let line = server.wait_for_log("serving at ");
        let address = line
            .split("serving at ")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap();
        let port = address
            .strip_prefix("http://127.0.0.1:")
            .and_then(|rest| rest.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected address {address}"));
        server.port = port.parse().unwrap();
        server
    }

    /// Waits for a line of stderr holding `needle` and returns it.
    fn wait_for_log(&mut self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(line) = self
                .log
                .lock()
                .unwrap()
                .lines()
                .find(|l| l.contains(needle))
            {
                return line.to_string();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("serve exited ({status}):\n{}", self.log.lock().unwrap());
            }
            assert!(
                started.elapsed() < PATIENCE,
                "no `{needle}` on stderr:\n{}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn get(&self, path: &str) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).expect("read response");
        Response::parse(&raw)
    }

    /// Subscribes to the reload channel, as an open page does.
    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(stream, "GET /__treatyline/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let received = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&received);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        let events = Events { received };
        events.wait_for("event: hello");
        events
    }

    /// Polls `path` until its body holds `needle` (a rebuild has shown it); returns the body.
    fn wait_for_page(&self, path: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let body = self.get(path).body;
            if body.contains(needle) {
                return body;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{path} never showed `{needle}`:\n{}",
                self.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    fn edit(&self, relative: &str, from: &str, to: &str) {
        let path = self.path(relative);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{relative} has no `{from}`");
        fs::write(&path, text.replacen(from, to, 1)).unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What one connection to the event stream has received so far.
struct Events {
    received: Arc<Mutex<String>>,
}

impl Events {
    /// Waits until the stream holds `needle`; returns everything received.
    fn wait_for(&self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let received = self.received.lock().unwrap().clone();
            if received.contains(needle) {
                return received;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "no `{needle}` in the event stream:\n{received}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let text = String::from_utf8_lossy(raw);
        let (head, body) = text.split_once("\r\n\r\n").expect("a complete response");
        let mut lines = head.lines();
        let status = lines
            .next()
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .parse()
            .unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Response {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn content_type(&self) -> &str {
        self.header("content-type").unwrap_or("")
    }
}

impl Response {
    /// The body parsed as an HTML page.
    fn page(&self) -> Html {
        parse(&self.body)
    }
}

/// A served page without the reload script serve adds to it: the page's only inline
/// `<script>` (found by parsing the page), on its own line just before `</body>`.
fn without_reload_script(served: &str) -> String {
    let page = parse(served);
    let script = page.one("script:not([src])");
    let code: String = script.text().collect();
    assert!(
        code.starts_with("window.__treatyline = { events: \"/__treatyline/events\""),
        "{code:.200}"
    );
    let at_the_end = format!("<script>{code}</script>\n</body>");
    assert_eq!(
        served.matches(&at_the_end).count(),
        1,
        "the script is not just before </body>"
    );
    served.replacen(&at_the_end, "</body>", 1)
}

#[test]
fn pages_and_files_are_served_with_their_content_types() {
    let server = Server::start();
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type(), "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), Some("no-store"));
    // Links point at the local server, whatever site.yaml says: the page's own URL names it,
    // and links within the site are paths from its root, not from site.yaml's base_url path.
    let local = format!("http://127.0.0.1:{}/", server.port);
    let page = home.page();
    assert_eq!(page.attrs("link[rel=stylesheet]", "href"), ["/style.css"]);
    assert_eq!(page.attrs("link[rel=canonical]", "href"), [local]);
    // The reload script sits inside the page, as the last element of its body.
    without_reload_script(&home.body);

    let article = server.get(ARTICLE_URL);
    assert_eq!(article.status, 200);
    assert_eq!(article.page().texts("h1"), [ARTICLE_TITLE]);

    for (path, content_type) in [
        ("/style.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/feed.xml", "application/xml; charset=utf-8"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/data/timeline.json", "application/json; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.content_type(), content_type, "{path}");
        assert!(
            !response.body.contains("__treatyline"),
            "{path} must not get the script"
        );
    }
    // Served as built: the feed and the data parse.
    roxmltree::Document::parse(&server.get("/feed.xml").body).expect("the feed is XML");
    let data: serde_json::Value =
        serde_json::from_str(&server.get("/data/timeline.json").body).expect("JSON");
    assert_eq!(data["treaties"][0]["slug"], "abraham-accords");
}

#[test]
fn the_reload_script_is_never_in_build_output() {
    let server = Server::start();
    let output = server.path("public-test");
    let built = common::build(&server.root, &output, &[]);
    built.assert_clean_build();
    let index = parse(&fs::read_to_string(output.join("index.html")).unwrap());
    // The page as built: for site.yaml's address, and without the script.
    assert_eq!(
        index.attrs("link[rel=canonical]", "href"),
        ["https://treatyline.github.io/treatyline/"]
    );
    assert_eq!(index.texts("h1"), ["Abraham Accords Timeline"]);
    assert!(
        index.all("script:not([src])").is_empty(),
        "an inline script in the built page"
    );
    // The theme's own scripts are files of the site, the same when served.
    for src in index.attrs("script[src]", "src") {
        assert!(src.ends_with("/members.js"), "{src}");
    }
    // And serve itself wrote nothing into the site (the build, its output and its lock).
    assert_eq!(
        common::list_dir(&server.root),
        [".public-test.lock", "content", "public-test", "site.yaml"]
    );
}

/// The search page is served at once; its index after each build, made in the background,
/// and made anew when an edit changes words a reader can search.
#[test]
fn the_search_index_is_served_and_made_anew_after_an_edit() {
    let mut server = Server::start();
    assert_eq!(server.get("/search/").status, 200);
    assert_eq!(server.get("/search/search.js").status, 200);
    server.wait_for_log("search index made");
    let entry = |server: &Server| -> serde_json::Value {
        let response = server.get("/pagefind/pagefind-entry.json");
        assert_eq!(response.status, 200);
        serde_json::from_str(&response.body).expect("JSON")
    };
    let first = entry(&server);
    assert!(first["languages"]["en"]["page_count"].as_u64().unwrap() > 20);
    assert_eq!(server.get("/pagefind/pagefind.js").status, 200);
    let made = |log: &str| log.matches("search index made").count();
    server.edit(ARTICLE_FILE, ARTICLE_TITLE, "Signed at the White House");
    server.wait_for_log("changed: rebuilt");
    let started = Instant::now();
    while made(&server.log.lock().unwrap()) < 2 {
        assert!(
            started.elapsed() < PATIENCE,
            "no second index:\n{}",
            server.log.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let second = entry(&server);
    assert_ne!(
        first["languages"]["en"]["hash"], second["languages"]["en"]["hash"],
        "the index did not change with the title"
    );
}

#[test]
fn missing_pages_get_the_site_404_page_and_folders_a_redirect() {
    let server = Server::start();
    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.content_type(), "text/html; charset=utf-8");
    assert_eq!(missing.page().texts("h1"), ["Page not found"]);

    let folder = server.get("/articles");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/articles/"));
    assert_eq!(server.get("/articles/").status, 200);
    assert_eq!(server.get("/articles/index.html").status, 200);
    assert_eq!(
        server.get("/articles/").page().texts("h1"),
        server.get("/articles/index.html").page().texts("h1")
    );
    // Sources are not part of the site.
    for source in ["/site.yaml".to_string(), format!("/{ARTICLE_FILE}")] {
        let response = server.get(&source);
        assert_eq!(response.status, 404, "{source}");
        assert_eq!(response.page().texts("h1"), ["Page not found"], "{source}");
    }
}

#[test]
fn traversal_attempts_never_reach_a_file() {
    let server = Server::start();
    for path in [
        "/../Cargo.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/Cargo.toml",
        "/%2E%2E/%2e%2e/Cargo.toml",
        "/..%2fCargo.toml",
        "/..%5cCargo.toml",
        "/..\\Cargo.toml",
        "/%00",
        "/index.html%00.css",
        "/articles/..%2f..%2fsite.yaml",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 400, "{path}");
        assert_eq!(response.content_type(), "text/plain; charset=utf-8");
        assert_eq!(response.body, "bad request path\n", "{path}");
    }
}

#[test]
fn an_edit_reaches_connected_pages_and_the_next_request() {
    let server = Server::start();
    let events = server.events();
    server.edit(ARTICLE_FILE, ARTICLE_TITLE, "Edited While Serving");
    // The event is sent only after the new site is swapped in: the next request shows it.
    let received = events.wait_for("event: reload");
    assert!(
        received.contains("articles/white-house-signing/index.html"),
        "{received}"
    );
    let article = server.get(ARTICLE_URL).page();
    assert_eq!(article.texts("h1"), ["Edited While Serving"]);
    // The pages that list it follow once the whole site is rebuilt.
    let mut server = server;
    server.wait_for_log("changed: rebuilt");
    let listed = server.get("/articles/").page().texts(".article-list h3");
    assert!(
        listed.contains(&"Edited While Serving".to_string()),
        "{listed:#?}"
    );
    assert!(!listed.contains(&ARTICLE_TITLE.to_string()), "{listed:#?}");
}

/// An edit to an article's words (title, text) is shown from the last build at once, on its
/// page and on the pages that list it, before the site is rebuilt, and exactly as the rebuild
/// then makes them.
#[test]
fn an_edited_article_is_shown_before_the_rebuild_exactly_as_the_rebuild_makes_it() {
    let mut server = Server::start();
    let events = server.events();
    let path = server.path(ARTICLE_FILE);
    let text = fs::read_to_string(&path).unwrap();
    let edited = text.replacen(ARTICLE_TITLE, "Signed at the White House", 1)
        + "\nA paragraph written while serving.\n";
    fs::write(&path, edited).unwrap();

    let early = server.wait_for_log("updated in");
    assert!(
        early.starts_with("/articles/white-house-signing/index.html updated in"),
        "{early}"
    );
    assert!(early.contains("pages that list it"), "{early}");
    events.wait_for("articles/white-house-signing/index.html");
    let first = server.get(ARTICLE_URL).body;
    let first_list = server.get("/articles/").body;
    assert!(
        parse(&first_list)
            .texts(".article-list h3")
            .contains(&"Signed at the White House".to_string()),
        "the list of articles does not show the new title with the article's page"
    );
    let page = parse(&first);
    assert_eq!(page.texts("h1"), ["Signed at the White House"]);
    let paragraphs = page.texts(".prose > p");
    assert_eq!(
        paragraphs.last().map(String::as_str),
        Some("A paragraph written while serving.")
    );

    server.wait_for_log("changed: rebuilt");
    let rebuilt = server.get(ARTICLE_URL).body;
    // The page as built; the reload script serve adds names the site's generation.
    assert!(
        without_reload_script(&first) == without_reload_script(&rebuilt),
        "the early page differs from the rebuilt one"
    );
    let rebuilt_list = server.get("/articles/").body;
    assert!(
        without_reload_script(&first_list) == without_reload_script(&rebuilt_list),
        "the early list of articles differs from the rebuilt one"
    );
}

/// With the lists in pages of four, an edited title is shown at once on the page of each list
/// that holds it (the third of every article, the third of its treaty's), on the pages that
/// list it whole and in the feed, exactly as the rebuild then makes them.
#[test]
fn an_edited_title_reaches_the_right_page_of_each_list_before_the_rebuild() {
    let mut server = Server::start_with("paginate_by: 4\n");
    let lists = [
        "/articles/page/3/",
        "/treaties/abraham-accords/articles/page/3/",
        "/treaties/abraham-accords/",
        "/countries/bh/",
        "/years/2020/",
        "/",
        "/feed.xml",
    ];
    for path in lists {
        let body = server.get(path).body;
        assert!(
            body.contains(ARTICLE_URL),
            "{path} does not list the article"
        );
    }
    let events = server.events();
    server.edit(ARTICLE_FILE, ARTICLE_TITLE, "Signed at the White House");

    let early = server.wait_for_log("updated in");
    assert!(early.contains("pages that list it"), "{early}");
    events.wait_for("articles/white-house-signing/index.html");
    let first: Vec<String> = lists.iter().map(|path| server.get(path).body).collect();
    for (path, body) in lists.iter().zip(&first) {
        assert!(body.contains("Signed at the White House"), "{path}");
        assert!(!body.contains(ARTICLE_TITLE), "{path} shows the old title");
    }

    server.wait_for_log("changed: rebuilt");
    for (path, body) in lists.iter().zip(&first) {
        let rebuilt = server.get(path).body;
        // Pages carry the reload script; the feed does not.
        let same = if path.ends_with('/') {
            without_reload_script(body) == without_reload_script(&rebuilt)
        } else {
            *body == rebuilt
        };
        assert!(same, "{path}: the early page differs from the rebuilt one");
    }
}

/// After content edits, only the pages whose values changed are rendered again; the site served
/// must still be exactly what a fresh build of the edited site gives, file for file.
#[test]
fn after_edits_the_served_site_is_what_a_fresh_build_gives() {
    let mut server = Server::start();
    server.edit(ARTICLE_FILE, ARTICLE_TITLE, "Signed at the White House");
    server.wait_for_log("changed: rebuilt");
    server.edit(
        OTHER_FILE,
        "committed to full normalization",
        "committed themselves to full normalization",
    );
    let rebuilt = |log: &str| log.matches("changed: rebuilt").count();
    let started = Instant::now();
    while rebuilt(&server.log.lock().unwrap()) < 2 {
        assert!(started.elapsed() < PATIENCE, "no second rebuild");
        std::thread::sleep(Duration::from_millis(20));
    }

    let out = TempDir::new().unwrap();
    let public = out.path().join("public");
    let local = format!("http://127.0.0.1:{}/", server.port);
    common::build(&server.root, &public, &["--base-url", &local]).assert_clean_build();
    let files = common::read_tree(&public);
    for (path, bytes) in &files {
        // The marker says who wrote the folder; serve writes no folder and serves no marker.
        // The search index lands in the background (its own test waits for it).
        if path == ".treatyline" || path.starts_with("pagefind/") {
            continue;
        }
        let built = String::from_utf8(bytes.clone()).expect("the site's files are text");
        let served = server.get(&format!("/{path}")).body;
        // Served pages carry the reload script; nothing else differs.
        let served = if path.ends_with(".html") {
            without_reload_script(&served)
        } else {
            served
        };
        assert!(built == served, "/{path} differs");
    }
    assert!(files.len() > 40, "{} files compared", files.len());
    // Both edits are in.
    let built = |path: &str| parse(&String::from_utf8_lossy(&files[path]));
    assert_eq!(
        built("articles/white-house-signing/index.html").texts("h1"),
        ["Signed at the White House"]
    );
    let notes = built("countries/ae/index.html").texts(".event-note");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("committed themselves to full normalization")),
        "{notes:#?}"
    );
}

/// An edit to an event changes what other pages show of it: no early page, the rebuild
/// shows it.
#[test]
fn an_edit_to_an_event_waits_for_the_rebuild() {
    let mut server = Server::start();
    let events = server.events();
    server.edit(
        ARTICLE_FILE,
        "Normalization together with the Abraham Accords Declaration",
        "Normalization and the Abraham Accords Declaration",
    );
    server.wait_for_log("changed: rebuilt");
    events.wait_for("event: reload");
    assert!(!server.log.lock().unwrap().contains("updated in"));
    // The article and the country page both show the event as edited.
    for page in [ARTICLE_URL, "/countries/ae/"] {
        let notes = server.get(page).page().texts(".reported-note, .event-note");
        let edited = notes
            .iter()
            .filter(|n| n.contains("Normalization and the Abraham Accords Declaration"))
            .count();
        assert_eq!(edited, 1, "{page}: {notes:#?}");
    }
}

/// A table of events is read whole again when it changes (only Markdown is re-read in place):
/// writing one and then editing it while serving shows its events each time.
#[test]
fn a_table_of_events_written_or_edited_while_serving_rebuilds_the_site() {
    const TABLE: &str = "content/events/abraham-accords.csv";
    const TREATY_URL: &str = "/treaties/abraham-accords/";
    let mut server = Server::start();
    // The new folder is watched once its own change is seen; the table is written after.
    fs::create_dir_all(server.path("content/events")).unwrap();
    server.wait_for_log("content/events changed: rebuilt");
    fs::write(
        server.path(TABLE),
        "country,stage,date,source,source_title\n\
         KZ,signed,2026-01-15,https://example.org/kz-signs,Kazakhstan signs the declaration\n",
    )
    .unwrap();
    server.wait_for_page(TREATY_URL, "Kazakhstan signs the declaration");

    server.edit(TABLE, "2026-01-15", "2026-01-16");
    let page = server.wait_for_page(TREATY_URL, "datetime=\"2026-01-16\"");
    assert!(!page.contains("datetime=\"2026-01-15\""), "{page}");

    // A bad cell fails the build at its place, as in any content file.
    server.edit(TABLE, "KZ,signed", "KZ,sigend");
    server.events().wait_for(&format!("{TABLE}:2:4"));
}

#[test]
fn a_stylesheet_change_refreshes_in_place() {
    let server = Server::start();
    let events = server.events();
    // The copy has no static/ folder: serve starts watching it when it appears.
    fs::create_dir_all(server.path("static")).unwrap();
    let css = "body { color: rebeccapurple }\n";
    fs::write(server.path("static/style.css"), css).unwrap();
    // With data: browsers drop an event whose data is empty.
    events.wait_for("event: css\ndata: ");
    assert_eq!(server.get("/style.css").body, css);
}

#[test]
fn a_broken_file_shows_the_error_and_keeps_the_last_good_site() {
    let mut server = Server::start();
    let events = server.events();
    server.edit(OTHER_FILE, "    stage: announced", "    stage: bogus");
    let received = events.wait_for("event: build-error");
    assert!(received.contains("unknown stage `bogus`"), "{received}");
    assert!(
        received.contains(&format!("{OTHER_FILE}:9:")),
        "the error names file and line:\n{received}"
    );
    server.wait_for_log("still serving the last good site");

    // The last good site is still served.
    let article = server.get(ARTICLE_URL);
    assert_eq!(article.status, 200);
    assert_eq!(article.page().texts("h1"), [ARTICLE_TITLE]);
    // A page opened meanwhile is shown the error at once.
    server.events().wait_for("unknown stage `bogus`");

    server.edit(OTHER_FILE, "    stage: bogus", "    stage: announced");
    events.wait_for("event: fixed\ndata: ");
}

/// Issue 14: a link in static/ to a file outside the site is refused, never read or served.
#[cfg(unix)]
#[test]
fn a_static_link_out_of_the_site_is_never_served() {
    let mut server = Server::start();
    let outside = TempDir::new().unwrap();
    let secret = outside.path().join("secret.txt");
    fs::write(&secret, "SECRET-7d1f in a file outside the site\n").unwrap();
    fs::create_dir_all(server.path("static")).unwrap();
    fs::write(server.path("static/plain.txt"), "plain\n").unwrap();
    server.wait_for_log("changed: rebuilt");
    std::os::unix::fs::symlink(&secret, server.path("static/secret.txt")).unwrap();
    // The next build after the link, good or not.
    let started = Instant::now();
    while !server.log.lock().unwrap().contains("secret.txt") {
        assert!(started.elapsed() < PATIENCE, "no rebuild after the link");
        std::thread::sleep(Duration::from_millis(20));
    }
    let served = server.get("/secret.txt");
    assert_ne!(served.status, 200);
    assert!(!served.body.contains("SECRET-7d1f"));
    server.wait_for_log("still serving the last good site");
    let log = server.log.lock().unwrap().clone();
    assert!(log.contains("--> static/secret.txt"), "{log}");
    assert!(!log.contains("SECRET-7d1f"), "{log}");
}

#[test]
fn a_port_in_use_is_named_with_a_way_out() {
    let server = Server::start();
    let port = server.port.to_string();
    let second = Command::new(env!("CARGO_BIN_EXE_treatyline"))
        .args(["serve", "--port", &port, "--root"])
        .arg(&server.root)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(stderr.contains(&format!("port {port}")), "{stderr}");
    assert!(
        stderr.contains("already in use") && stderr.contains("--port"),
        "{stderr}"
    );
}

/// Issue 14, item 12: a client that sent half a request holds its connection open; SIGTERM
/// still stops the server within a few seconds, and so does a second signal at once.
#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_soon_despite_a_half_sent_request() {
    for signals in [1, 2] {
        let mut server = Server::start();
        let mut half = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        half.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            .unwrap();
        // The server has taken the connection once it answers another one.
        assert_eq!(server.get("/").status, 200);
        let sent = Instant::now();
        for _ in 0..signals {
            let killed = Command::new("kill")
                .args(["-TERM", &server.child.id().to_string()])
                .status()
                .unwrap();
            assert!(killed.success());
        }
        let status = loop {
            if let Some(status) = server.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                sent.elapsed() < Duration::from_secs(8),
                "serve still runs {:?} after SIGTERM:\n{}",
                sent.elapsed(),
                server.log.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{status}");
        assert!(server.log.lock().unwrap().contains("stopping"));
        drop(half);
    }
}
