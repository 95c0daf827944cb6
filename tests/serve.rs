//! `treatyline serve` from the outside: the real binary on a free port, serving a temporary
//! copy of the default site (its frozen fixture), spoken to over plain HTTP/1.1.
//!
//! Nothing here sleeps for a fixed time and hopes: every wait polls for what it expects with a
//! generous deadline, so a loaded machine makes the tests slower, not flaky.

mod common;

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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
        let (site, root) = common::copy_site(&common::default_site());
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

#[test]
fn pages_and_files_are_served_with_their_content_types() {
    let server = Server::start();
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.content_type(), "text/html; charset=utf-8");
    assert_eq!(home.header("cache-control"), Some("no-store"));
    // Links point at the local server, whatever site.yaml says.
    let local = format!("http://127.0.0.1:{}/", server.port);
    assert!(
        home.body.contains(&format!("href=\"{local}style.css\"")),
        "{}",
        home.body
    );
    // The reload script sits inside the page, before </body>.
    let script = home
        .body
        .find("/__treatyline/events")
        .expect("reload script");
    assert!(script < home.body.rfind("</body>").unwrap());

    let article = server.get(ARTICLE_URL);
    assert_eq!(article.status, 200);
    assert!(article.body.contains(ARTICLE_TITLE));

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
}

#[test]
fn the_reload_script_is_never_in_build_output() {
    let server = Server::start();
    let output = server.path("public-test");
    let status = Command::new(env!("CARGO_BIN_EXE_treatyline"))
        .args(["build", "--root"])
        .arg(&server.root)
        .arg("--output")
        .arg(&output)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let index = fs::read_to_string(output.join("index.html")).unwrap();
    assert!(!index.contains("__treatyline"));
    // And serve itself wrote nothing into the site.
    assert!(!server.path("public").exists());
}

#[test]
fn missing_pages_get_the_site_404_page_and_folders_a_redirect() {
    let server = Server::start();
    let missing = server.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.content_type(), "text/html; charset=utf-8");
    assert!(missing.body.contains("Page not found"), "{}", missing.body);

    let folder = server.get("/articles");
    assert_eq!(folder.status, 308);
    assert_eq!(folder.header("location"), Some("/articles/"));
    assert_eq!(server.get("/articles/").status, 200);
    assert_eq!(server.get("/articles/index.html").status, 200);
    // Sources are not part of the site.
    assert_eq!(server.get("/site.yaml").status, 404);
    assert_eq!(server.get(&format!("/{ARTICLE_FILE}")).status, 404);
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
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {}",
            response.status
        );
        assert!(
            !response.body.contains("[package]"),
            "{path} leaked Cargo.toml"
        );
        assert!(
            !response.body.contains("root:"),
            "{path} leaked a system file"
        );
        assert!(
            !response.body.contains("base_url:"),
            "{path} leaked site.yaml"
        );
    }
    assert_eq!(server.get("/%2e%2e/Cargo.toml").status, 400);
    assert_eq!(server.get("/%00").status, 400);
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
    let article = server.get(ARTICLE_URL);
    assert!(article.body.contains("Edited While Serving"));
    assert!(!article.body.contains(ARTICLE_TITLE));
    // The pages that list it follow once the whole site is rebuilt.
    let mut server = server;
    server.wait_for_log("changed: rebuilt");
    assert!(
        server
            .get("/articles/")
            .body
            .contains("Edited While Serving")
    );
}

/// An edit to an article's words (title, text) is shown from the last build at once, before
/// the site is rebuilt, and exactly as the rebuild then makes it.
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
    events.wait_for("articles/white-house-signing/index.html");
    let first = server.get(ARTICLE_URL).body;
    assert!(first.contains("Signed at the White House"));
    assert!(first.contains("A paragraph written while serving."));

    server.wait_for_log("changed: rebuilt");
    let rebuilt = server.get(ARTICLE_URL).body;
    // The page as built; the reload script serve adds names the site's generation.
    let page = |html: &str| {
        html.lines()
            .filter(|l| !l.contains("window.__treatyline"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        page(&first) == page(&rebuilt),
        "the early page differs from the rebuilt one"
    );
    assert!(
        server
            .get("/articles/")
            .body
            .contains("Signed at the White House")
    );
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
    let status = Command::new(env!("CARGO_BIN_EXE_treatyline"))
        .args(["build", "--root"])
        .arg(&server.root)
        .arg("--output")
        .arg(out.path().join("public"))
        .args(["--base-url", &format!("http://127.0.0.1:{}/", server.port)])
        .status()
        .unwrap();
    assert!(status.success());
    let mut checked = 0;
    for entry in walk(&out.path().join("public")) {
        let relative = entry
            .strip_prefix(out.path().join("public"))
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let built = fs::read_to_string(&entry).unwrap_or_default();
        let mut served = server.get(&format!("/{relative}")).body;
        // Served pages carry the reload script: one <script> element that serve adds.
        if let Some(start) = served.find("<script>window.__treatyline") {
            let end = start + served[start..].find("</script>\n").unwrap() + "</script>\n".len();
            served.replace_range(start..end, "");
        }
        assert!(built == served, "/{relative} differs");
        checked += 1;
    }
    assert!(checked > 40, "{checked} files compared");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
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
    assert!(
        server
            .get(ARTICLE_URL)
            .body
            .contains("Normalization and the Abraham Accords Declaration")
    );
}

#[test]
fn a_stylesheet_change_refreshes_in_place() {
    let server = Server::start();
    let events = server.events();
    // The copy has no static/ folder: serve starts watching it when it appears.
    fs::create_dir_all(server.path("static")).unwrap();
    fs::write(
        server.path("static/style.css"),
        "body { color: rebeccapurple }\n",
    )
    .unwrap();
    // With data: browsers drop an event whose data is empty.
    events.wait_for("event: css\ndata: ");
    assert!(server.get("/style.css").body.contains("rebeccapurple"));
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
    assert!(article.body.contains(ARTICLE_TITLE));
    // A page opened meanwhile is shown the error at once.
    server.events().wait_for("unknown stage `bogus`");

    server.edit(OTHER_FILE, "    stage: bogus", "    stage: announced");
    events.wait_for("event: fixed\ndata: ");
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
