//! The HTTP side of serve: built files from memory, the reload event stream, and the script
//! injected into served pages. A request path is only ever a key into the built files: nothing
//! here opens a file, so `..`, encoded dots, backslashes and NUL bytes cannot reach the disk;
//! they are still refused with 400, so that a mistake elsewhere cannot turn them into a lookup.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::{Stream, StreamExt};

use super::{Notice, Shared};
use crate::routes::{self, Route};

/// The event stream pages subscribe to. Under a name no site page can have (`__` is not a
/// slug), so it never hides a page.
pub const EVENTS_PATH: &str = "/__treatyline/events";

/// The client side of live reload, injected before `</body>` of served HTML only.
const RELOAD_SCRIPT: &str = include_str!("reload.js");

pub(super) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(site_file)
        .with_state(shared)
}

/// Where a request path leads in the built site.
#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    File(String),
    /// `/dir` of a folder with an index: the browser should ask for `/dir/`.
    AddSlash,
    NotFound,
}

/// A request path as a key of the built files, or `Err` for a path that tries to leave the
/// site or is not valid text.
fn request_key(raw_path: &str) -> Result<String, ()> {
    if raw_path.contains('\\') {
        return Err(());
    }
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .map_err(|_| ())?;
    if decoded.contains(['\0', '\\']) || decoded.split('/').any(|s| s == ".." || s == ".") {
        return Err(());
    }
    let key = decoded.strip_prefix('/').unwrap_or(&decoded);
    if key.is_empty() || key.ends_with('/') {
        Ok(routes::index_of(key))
    } else {
        Ok(key.to_string())
    }
}

fn lookup(files: &super::Files, key: &str) -> Lookup {
    if files.contains_key(key) {
        Lookup::File(key.to_string())
    } else if !key.ends_with(routes::INDEX) && files.contains_key(&routes::index_of(key)) {
        Lookup::AddSlash
    } else {
        Lookup::NotFound
    }
}

async fn site_file(State(shared): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "",
        )
            .into_response();
    }
    let Ok(key) = request_key(uri.path()) else {
        return (StatusCode::BAD_REQUEST, "bad request path\n").into_response();
    };
    let super::State {
        files, generation, ..
    } = shared.state();
    match lookup(&files, &key) {
        Lookup::File(key) => file_response(StatusCode::OK, &key, &files[&key], generation),
        Lookup::AddSlash => {
            let location = match uri.query() {
                Some(q) => format!("{}/?{q}", uri.path()),
                None => format!("{}/", uri.path()),
            };
            (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response()
        }
        Lookup::NotFound => {
            let not_found = Route::NotFound.path();
            match files.get(&not_found) {
                Some(page) => file_response(StatusCode::NOT_FOUND, &not_found, page, generation),
                // No site yet (the first build failed): a bare page that still shows the
                // overlay and reloads once the site builds.
                None => file_response(
                    StatusCode::NOT_FOUND,
                    &not_found,
                    &Bytes::from_static(
                        b"<!doctype html><title>Not found</title><body><p>Not found.</p></body>",
                    ),
                    generation,
                ),
            }
        }
    }
}

fn file_response(status: StatusCode, key: &str, bytes: &Bytes, generation: u64) -> Response {
    let content_type = content_type(key);
    let body = if key.ends_with(".html") {
        Body::from(inject(bytes, key, generation))
    } else {
        Body::from(bytes.clone())
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // A preview must always show the latest build.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// The Content-Type for an output path, by its extension; text types say UTF-8, which is what
/// the build writes.
fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let essence = match mime.essence_str() {
        // mime_guess names feeds and sitemaps text/xml; both are served as XML documents.
        "text/xml" => "application/xml",
        "application/x-javascript" => "text/javascript",
        other => other,
    };
    let textual = essence.starts_with("text/")
        || matches!(
            essence,
            "application/json" | "application/xml" | "image/svg+xml" | "application/javascript"
        );
    if textual {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

/// The page with the reload script before its last `</body>` (or at its end).
fn inject(page: &[u8], key: &str, generation: u64) -> Vec<u8> {
    let script = format!(
        "<script>window.__treatyline = {{ events: {events:?}, page: {key:?}, generation: {generation} }};\n{RELOAD_SCRIPT}</script>\n",
        events = EVENTS_PATH,
        key = key,
    );
    let at = rfind_ascii_case_insensitive(page, b"</body>").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + script.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

fn rfind_ascii_case_insensitive(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > haystack.len() {
        return None;
    }
    (0..=haystack.len() - needle.len())
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The reload channel as server-sent events: first the current generation (a page built
/// before it reloads) and any standing error, then every notice.
async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    // Subscribed before the state is read: a notice sent meanwhile is not missed.
    let receiver = shared.notices.subscribe();
    let state = shared.state();
    let mut first = vec![Ok(Event::default()
        .event("hello")
        .data(state.generation.to_string()))];
    if let Some(error) = state.error {
        first.push(Ok(notice_event(&Notice::Error(error)).unwrap_or_default()));
    }
    let notices = BroadcastStream::new(receiver).map_while(|item| match item {
        Ok(Notice::Shutdown) => None,
        Ok(notice) => Some(notice_event(&notice)),
        // A client too slow to keep up missed notices: it reloads to be safe.
        Err(_) => Some(notice_event(&Notice::Reload(None))),
    });
    let stream = tokio_stream::iter(first).chain(notices.filter_map(|e| e.map(Ok)));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn notice_event(notice: &Notice) -> Option<Event> {
    Some(match notice {
        Notice::Reload(None) => Event::default().event("reload").data("*"),
        Notice::Reload(Some(paths)) => Event::default()
            .event("reload")
            .data(serde_json::to_string(paths).unwrap_or_else(|_| "*".to_string())),
        // An event with empty data is never dispatched by browsers (the SSE rules): say something.
        Notice::Css => Event::default().event("css").data("stylesheets"),
        Notice::Error(text) => Event::default().event("build-error").data(text),
        Notice::Fixed => Event::default().event("fixed").data("fixed"),
        Notice::Shutdown => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_become_keys() {
        assert_eq!(request_key("/").unwrap(), "index.html");
        assert_eq!(request_key("/articles/").unwrap(), "articles/index.html");
        assert_eq!(request_key("/style.css").unwrap(), "style.css");
        assert_eq!(request_key("/a%20b").unwrap(), "a b");
    }

    #[test]
    fn paths_that_try_to_leave_the_site_are_refused() {
        for bad in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/%2E%2E/%2e%2e/etc/passwd",
            "/..%5cCargo.toml",
            "/a\\b",
            "/%00",
            "/./index.html",
            "/%ff",
        ] {
            assert!(request_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml; charset=utf-8");
        assert_eq!(
            content_type("data/timeline.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("favicon.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("x.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("x.csv"), "text/csv; charset=utf-8");
        assert_eq!(content_type("x.woff2"), "font/woff2");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("x.unknown"), "application/octet-stream");
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = inject(b"<html><body><p>x</p></BODY></html>", "index.html", 3);
        let text = String::from_utf8(page).unwrap();
        let script = text.find("<script>").unwrap();
        assert!(script < text.find("</BODY>").unwrap());
        assert!(text.contains("generation: 3"));
    }
}
