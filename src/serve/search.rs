//! Serve's search index: made after every good build, on a thread of its own, and added to the
//! served files when it is ready. An edit never waits for it: the pages are served and
//! reloaded at once, and the search page answers from the previous index until the new one
//! lands (a second or so for a few hundred articles, several on a very large site). A newer
//! build stops an index still in the making, between two records.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;

use super::{Files, Shared};
use crate::routes::Route;
use crate::search::Records;

/// The index in the making, if any (its stop signal), and the records of the index served.
#[derive(Default)]
pub(super) struct Indexer {
    running: Mutex<Option<Arc<AtomicBool>>>,
    served: Arc<Mutex<Option<Records>>>,
}

impl Indexer {
    /// Stops the index in the making, if any: a build is about to begin, and must not share
    /// the processor with an index of the site it replaces.
    pub(super) fn stop(&self) {
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(stop) = running.take() {
            stop.store(true, Ordering::Relaxed);
        }
    }

    /// Stops the index in the making, then starts one of `records`, unless they are those of
    /// the index served (an edit that changed no text a reader can search), or none (the site
    /// has no search now).
    pub(super) fn restart(&self, shared: &Arc<Shared>, records: Option<Records>) {
        self.stop();
        let mut running = self.running.lock().unwrap_or_else(|e| e.into_inner());
        let mut served = self.served.lock().unwrap_or_else(|e| e.into_inner());
        let Some(records) = records else {
            *served = None;
            return;
        };
        if served.as_ref() == Some(&records) {
            return;
        }
        drop(served);
        let stop = Arc::new(AtomicBool::new(false));
        *running = Some(Arc::clone(&stop));
        let shared = Arc::clone(shared);
        let served = Arc::clone(&self.served);
        let indexed = records.clone();
        let spawned = std::thread::Builder::new()
            .name("treatyline-search-index".into())
            .spawn(move || {
                give_way();
                let started = Instant::now();
                match records.index(&|| stop.load(Ordering::Relaxed)) {
                    // Made, but a newer build asked for another meanwhile: that one lands.
                    Ok(Some(_)) if stop.load(Ordering::Relaxed) => {}
                    Ok(Some(files)) => {
                        *served.lock().unwrap_or_else(|e| e.into_inner()) = Some(indexed);
                        shared.update(|state| {
                            let mut served = (*state.files).clone();
                            served.retain(|path, _| !is_index(path));
                            served
                                .extend(files.into_iter().map(|f| (f.path, Bytes::from(f.bytes))));
                            state.files = Arc::new(served);
                        });
                        eprintln!("search index made in {} ms", started.elapsed().as_millis());
                    }
                    Ok(None) => {}
                    Err(reason) => eprintln!("warning: cannot make the search index: {reason}"),
                }
            });
        if let Err(err) = spawned {
            eprintln!("warning: cannot make the search index: {err}");
        }
    }
}

/// Lowers the calling thread to the lowest priority, and with it every thread it starts (on
/// Linux a thread's nice value is its own, and its new threads inherit it): the index's
/// workers then give way to the rebuild after an edit and to the pages being served, which
/// would otherwise share the processor with them for seconds on a large site. Elsewhere the
/// index keeps the normal priority.
fn give_way() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority reads its three integers and nothing else; on Linux, `who` 0 with
    // PRIO_PROCESS is the calling thread alone. A failure leaves the priority as it was.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 19);
    }
}

/// Whether an output path is a file of the search index.
pub(super) fn is_index(path: &str) -> bool {
    path.starts_with(&Route::SearchIndex.path())
}

/// Keeps the last index served with a new build's files until its own index is ready.
pub(super) fn carry_over(old: &Files, new: &mut Files) {
    for (path, bytes) in old {
        if is_index(path) {
            new.entry(path.clone()).or_insert_with(|| bytes.clone());
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn nice() -> i32 {
        // SAFETY: getpriority reads its two integers; `who` 0 is the calling thread.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) }
    }

    #[test]
    fn the_index_thread_and_the_threads_it_starts_give_way_and_no_other() {
        let before = nice();
        let (own, started) = std::thread::spawn(|| {
            give_way();
            (nice(), std::thread::spawn(nice).join().unwrap())
        })
        .join()
        .unwrap();
        assert_eq!((own, started), (19, 19));
        assert_eq!(
            nice(),
            before,
            "the thread that started the index keeps its priority"
        );
        assert_eq!(std::thread::spawn(nice).join().unwrap(), before);
    }
}
