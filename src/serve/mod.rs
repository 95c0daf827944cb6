//! `treatyline serve`: a local preview that rebuilds on every change and reloads open pages.
//!
//! Serve is composition, not a mode: the normal build ([`crate::pipeline::prepare`], rendered
//! in memory), a file watcher (`watch`), a static server answering only from the built files
//! (`http`), and a reload channel (server-sent events). The renderer does not know serve
//! exists. Serve never writes a file: the site lives in a map of output path to bytes, swapped
//! whole after each good build, so `public/` is never touched. A failed build keeps the last
//! good site served and shows its errors as an overlay on the open pages.
//!
//! After an edit to content the site is checked and its values made anew, but only the pages
//! whose values changed are rendered again; an edit to one article's words is shown on its
//! page first, from the last good build, before even that (`incremental`, built on the same
//! pages and views any caller of the library gets).
//!
//! Serve is a long-running command: its address, each rebuild and each build error must be
//! printed as they happen, which `main` cannot do after the fact. So this module, and only this
//! module of the library, prints (to stderr).
#![allow(clippy::print_stderr)]

mod http;
mod incremental;
mod search;
mod sources;
mod watch;

use std::collections::HashMap;
use std::future::IntoFuture;
use std::io::{self, IsTerminal};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use tokio::sync::broadcast;

use crate::render::{OutputFile, Pages};
use crate::{BuildError, BuildOptions};
use sources::SourceCache;

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's folder (holding site.yaml).
    pub root: PathBuf,
    /// 0 picks a free port; the address printed says which.
    pub port: u16,
    /// The address to listen on (loopback, for a preview only this machine sees).
    pub bind: IpAddr,
    /// Include articles and pages marked `draft: true`.
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// The day taken as today; `None`: today by the clock, read again at each rebuild.
    pub today: Option<jiff::civil::Date>,
    /// Serve without site search, whatever site.yaml says.
    pub no_search: bool,
}

/// The site as served: output path (`articles/x/index.html`) to bytes.
type Files = HashMap<String, Bytes>;

/// What open pages are told over the reload channel.
#[derive(Debug, Clone)]
enum Notice {
    /// These output paths changed; `None` means reload every page.
    Reload(Option<Vec<String>>),
    /// Only stylesheets changed: pages refresh them in place.
    Css,
    /// The build failed: the plain-text diagnostics, shown as an overlay.
    Error(String),
    /// A good build followed a failed one: hide the overlay.
    Fixed,
    /// The server is stopping: end the event streams so that shutdown does not wait on them.
    Shutdown,
}

/// The site as served at one moment: its files, which build they come from, and the errors of
/// a failed build since. Always read and replaced whole, so that a page never sees a new
/// generation with old files, nor an error cleared without the files that fixed it.
#[derive(Clone, Default)]
struct State {
    files: Arc<Files>,
    /// Bumped on every swap of the files; a page that reconnects with an older one reloads.
    generation: u64,
    /// The last build's errors while they last, for pages that connect meanwhile.
    error: Option<String>,
}

/// What the server, the rebuild thread and the search indexer share; owned by [`run`], never
/// global. Only the rebuild thread changes the state, but for the indexer adding the search
/// index to the files.
struct Shared {
    state: RwLock<State>,
    notices: broadcast::Sender<Notice>,
    indexer: search::Indexer,
}

impl Shared {
    /// The state as it is now (a few pointer copies: the files are shared).
    fn state(&self) -> State {
        self.state.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Changes the state under one lock, so that readers see all of `change` or none of it.
    fn update<T>(&self, change: impl FnOnce(&mut State) -> T) -> T {
        change(&mut self.state.write().unwrap_or_else(|e| e.into_inner()))
    }

    fn notify(&self, notice: Notice) {
        // No open page is not an error.
        let _ = self.notices.send(notice);
    }
}

/// How long a stopping server waits for open connections (a client that sent half a request
/// holds its connection open for as long as it likes) before it stops without them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Serves the site until interrupted (Ctrl-C or SIGTERM).
pub fn run(options: ServeOptions) -> Result<(), io::Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let served = runtime.block_on(serve(options));
    // A rebuild still running on a blocking thread is not waited for.
    runtime.shutdown_timeout(Duration::from_millis(200));
    served
}

async fn serve(options: ServeOptions) -> Result<(), io::Error> {
    let listener = bind(options.bind, options.port).await?;
    let address = listener.local_addr()?;
    let build_options = BuildOptions {
        root: options.root.clone(),
        output: None,
        drafts: options.drafts,
        base_url: Some(base_url(address)),
        deny_warnings: false,
        force: false,
        today: options.today,
        no_search: options.no_search,
    };
    let (notices, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        state: RwLock::new(State::default()),
        notices,
        indexer: search::Indexer::default(),
    });

    let first = {
        let (shared, build_options) = (Arc::clone(&shared), build_options.clone());
        tokio::task::spawn_blocking(move || {
            let mut cache = SourceCache::new(&build_options.root);
            let mut pages = None;
            rebuild(
                &shared,
                &build_options,
                &mut cache,
                &mut pages,
                None,
                "built",
            );
            (cache, pages)
        })
    };
    let (cache, pages) = first.await.map_err(io::Error::other)?;
    let _watcher = watch::spawn(
        &options.root,
        Arc::clone(&shared),
        build_options,
        cache,
        pages,
    )?;

    let url = base_url(address);
    eprintln!("serving at {url} (Ctrl-C to stop)");
    if options.open {
        open_browser(&url);
    }
    let app = http::router(Arc::clone(&shared));
    let stopping = Arc::clone(&shared);
    let signalled = Arc::new(tokio::sync::Notify::new());
    let told = Arc::clone(&signalled);
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        shutdown_signal().await;
        eprintln!("stopping");
        stopping.notify(Notice::Shutdown);
        told.notify_one();
    });
    // Graceful, but bounded: once told to stop, the server waits for open connections at most
    // SHUTDOWN_GRACE, and not at all after a second Ctrl-C or SIGTERM.
    let deadline = async {
        signalled.notified().await;
        tokio::select! {
            () = tokio::time::sleep(SHUTDOWN_GRACE) => {}
            () = shutdown_signal() => {}
        }
        eprintln!("stopped without waiting for the open connections");
    };
    tokio::select! {
        served = server.into_future() => served,
        () = deadline => Ok(()),
    }
}

async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener, io::Error> {
    let address = SocketAddr::new(ip, port);
    tokio::net::TcpListener::bind(address).await.map_err(|err| match err.kind() {
        io::ErrorKind::AddrInUse => io::Error::new(
            err.kind(),
            format!(
                "port {port} on {ip} is already in use; choose another with `--port {}` (or `--port 0` for any free port)",
                port.wrapping_add(1).max(1024)
            ),
        ),
        io::ErrorKind::PermissionDenied => io::Error::new(
            err.kind(),
            format!("not allowed to listen on port {port} of {ip}; choose a port above 1023 with `--port`"),
        ),
        _ => io::Error::new(err.kind(), format!("cannot listen on {address}: {err}")),
    })
}

/// The address pages are rendered for, so that their links work locally whatever site.yaml
/// says. A wildcard bind is reached through the loopback name.
fn base_url(address: SocketAddr) -> String {
    if address.ip().is_unspecified() {
        format!("http://localhost:{}/", address.port())
    } else {
        format!("http://{address}/")
    }
}

/// Builds the site into memory; on success swaps it in and tells open pages what changed, on
/// failure keeps the last good site and shows the errors. `changed` (relative to the root)
/// lets the sources be re-read in part; `None` reads them all. `last_pages` holds the last
/// good build's pages: an edit to one article is shown from them at once, and after an edit
/// to content alone only the pages whose values changed are rendered again (`incremental`).
fn rebuild(
    shared: &Arc<Shared>,
    options: &BuildOptions,
    cache: &mut SourceCache,
    last_pages: &mut Option<Pages>,
    changed: Option<&[PathBuf]>,
    verb: &str,
) {
    let started = Instant::now();
    shared.indexer.stop();
    let before = match changed {
        Some([one]) => cache.file(one).cloned(),
        _ => None,
    };
    let (sources, read_problems) = cache.refresh(changed);
    if let (Some(before), Some(pages)) = (&before, last_pages.as_ref())
        && read_problems.is_empty()
        && shared.state().error.is_none()
        && let Some(pages) = incremental::edited_article_pages(sources, options, pages, before)
    {
        show_edited_pages(shared, pages, started);
    }
    let content_only =
        changed.is_some_and(|c| !c.is_empty() && c.iter().all(|p| p.starts_with("content")));
    let built = crate::pipeline::prepare(sources, options, read_problems).and_then(|prepared| {
        let files = match last_pages.as_ref().filter(|_| content_only) {
            Some(before) => incremental::render_changed(&prepared, before, &shared.state().files),
            None => prepared.render_all().map(served_files),
        };
        match files {
            Ok(files) => Ok((prepared, files)),
            Err(errors) => Err(prepared.failed(errors)),
        }
    });
    match built {
        Ok((mut prepared, files)) => {
            if !prepared.diagnostics.is_empty() {
                eprint!("{}", prepared.diagnostics.render(use_colour()));
            }
            let search = prepared.search.take();
            *last_pages = Some(prepared.pages);
            swap_in(shared, files, search.is_some(), verb, started);
            // After the pages: the index is made in the background (`search`).
            shared.indexer.restart(shared, search);
        }
        Err(err) => show_failure(shared, &err),
    }
}

/// Serves an edited article's page and the pages that list it, made ahead of the rebuild, and
/// reloads them where they are open.
fn show_edited_pages(shared: &Shared, pages: Vec<OutputFile>, started: Instant) {
    let paths: Vec<String> = pages.iter().map(|p| p.path.clone()).collect();
    // Copied outside the lock: this thread is the only one to change the files.
    let mut files = (*shared.state().files).clone();
    for page in pages {
        files.insert(page.path, Bytes::from(page.bytes));
    }
    shared.update(|state| {
        state.files = Arc::new(files);
        state.generation += 1;
    });
    let (own, listing) = (paths[0].clone(), paths.len() - 1);
    shared.notify(Notice::Reload(Some(paths)));
    eprintln!(
        "/{own} updated in {} ms, with the {listing} pages that list it; rebuilding the site",
        started.elapsed().as_millis(),
    );
}

/// Serves a good build's files, clears any error, and tells open pages what changed. With
/// `search`, the last search index stays served until this build's is made.
fn swap_in(shared: &Shared, mut files: Files, search: bool, verb: &str, started: Instant) {
    let count = files.len();
    let (old, files, was_failing) = shared.update(|state| {
        if search {
            search::carry_over(&state.files, &mut files);
        }
        let files = Arc::new(files);
        state.generation += 1;
        let old = std::mem::replace(&mut state.files, Arc::clone(&files));
        (old, files, state.error.take().is_some())
    });
    let changed = changed_paths(&old, &files);
    if was_failing {
        shared.notify(Notice::Fixed);
        eprintln!("the build is fixed");
    }
    if let Some(notice) = reload_notice(changed.as_deref()) {
        shared.notify(notice);
    }
    let what = match &changed {
        Some(c) if !old.is_empty() => format!(", {} changed", c.len()),
        _ => String::new(),
    };
    eprintln!(
        "{verb} {count} files in {} ms{what}",
        started.elapsed().as_millis()
    );
}

/// Keeps the last good site served, and shows the build's errors on the open pages.
fn show_failure(shared: &Shared, err: &BuildError) {
    let (terminal, plain) = match err {
        BuildError::Content(d) => (d.render(use_colour()), d.render(false)),
        other => (other.to_string(), other.to_string()),
    };
    eprint!("{terminal}");
    eprintln!("the build failed; still serving the last good site");
    shared.update(|state| state.error = Some(plain.clone()));
    shared.notify(Notice::Error(plain));
}

fn served_files(files: Vec<OutputFile>) -> Files {
    files
        .into_iter()
        .map(|f| (f.path, Bytes::from(f.bytes)))
        .collect()
}

/// The output paths added, removed or changed; `None` when everything is new.
fn changed_paths(old: &Files, new: &Files) -> Option<Vec<String>> {
    if old.is_empty() {
        return None;
    }
    let mut changed: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| old.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    changed.sort();
    Some(changed)
}

/// Stylesheets alone refresh in place; HTML pages reload when they changed; data files (feeds,
/// JSON, CSV, calendars) are no part of a page; any other file (a script, an image, a font) may
/// be used by any page, so every page reloads.
fn reload_notice(changed: Option<&[String]>) -> Option<Notice> {
    const MAX_LISTED: usize = 2000;
    let Some(changed) = changed else {
        return Some(Notice::Reload(None));
    };
    if changed.is_empty() {
        return None;
    }
    if changed.iter().all(|p| p.ends_with(".css")) {
        return Some(Notice::Css);
    }
    const LISTED: [&str; 7] = [".html", ".css", ".xml", ".json", ".csv", ".ics", ".txt"];
    let pages_only = changed
        .iter()
        .all(|p| LISTED.iter().any(|ext| p.ends_with(ext)));
    if pages_only && changed.len() <= MAX_LISTED {
        Some(Notice::Reload(Some(changed.to_vec())))
    } else {
        Some(Notice::Reload(None))
    }
}

/// Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org).
fn use_colour() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(err) = opener {
        eprintln!("note: could not open a browser ({err}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(p, b)| (p.to_string(), Bytes::from(b.to_string())))
            .collect()
    }

    #[test]
    fn only_changed_pages_are_listed() {
        let old = files(&[("index.html", "a"), ("style.css", "x"), ("gone.html", "g")]);
        let new = files(&[("index.html", "b"), ("style.css", "x"), ("new.html", "n")]);
        let changed = changed_paths(&old, &new).unwrap();
        assert_eq!(changed, ["gone.html", "index.html", "new.html"]);
        assert!(matches!(
            reload_notice(Some(&changed)),
            Some(Notice::Reload(Some(_)))
        ));
    }

    #[test]
    fn a_stylesheet_alone_is_refreshed_in_place() {
        let changed = vec!["style.css".to_string()];
        assert!(matches!(reload_notice(Some(&changed)), Some(Notice::Css)));
        assert!(reload_notice(Some(&[])).is_none());
        let changed = vec!["favicon.svg".to_string()];
        assert!(matches!(
            reload_notice(Some(&changed)),
            Some(Notice::Reload(None))
        ));
    }
}
