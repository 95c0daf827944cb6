//! The index of a site's records, made by the Pagefind library shard by shard (the shards are
//! planned in `shards`). Each shard is a Pagefind index of its own; the first is the one under
//! `pagefind/` (a site of one shard has only that), each later one is under
//! `pagefind/shard-N/`, without Pagefind's script and WebAssembly, and the search page's
//! script merges them with Pagefind's `mergeIndex`.
//!
//! Shards are indexed a few at a time, each on a thread of its own: a shard's files
//! depend on its records alone, never on which thread made them or when, so the index is the
//! same bytes whatever the threads. Writing them is the caller's, one shard at a time.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use super::{Record, Records};
use crate::render::OutputFile;
use crate::routes::Route;

impl Records {
    /// Indexes every record, a few shards at a time (as planned, and no more than the machine
    /// has cores), and hands each shard's files (under
    /// `pagefind/`) to `write` as soon as they are made, one shard at a time and in no
    /// particular order, so that no more shards than workers are held at once. `Ok(false)`
    /// when `stop` said to stop (asked between records); `Err` says what the library or
    /// `write` reported (then the other workers stop too).
    pub fn index_each(
        self,
        stop: &(dyn Fn() -> bool + Sync),
        write: &mut (dyn FnMut(Vec<OutputFile>) -> Result<(), String> + Send),
    ) -> Result<bool, String> {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        self.index_with(cores, stop, write)
    }

    /// [`Records::index_each`] on at most `most` threads.
    pub(super) fn index_with(
        self,
        most: usize,
        stop: &(dyn Fn() -> bool + Sync),
        write: &mut (dyn FnMut(Vec<OutputFile>) -> Result<(), String> + Send),
    ) -> Result<bool, String> {
        let plan = self.plan();
        let workers = most.min(plan.workers).clamp(1, plan.shards.len());
        // Each shard's records, moved out of the site's: no record is copied.
        let mut rest = self.records;
        let mut shards: Vec<Vec<Record>> = plan
            .shards
            .iter()
            .rev()
            .map(|range| rest.split_off(range.start))
            .collect();
        shards.reverse();
        let queue = Mutex::new(shards.into_iter().enumerate());
        let write = Mutex::new(write);
        let failed = AtomicBool::new(false);
        let halt = || failed.load(Ordering::Relaxed) || stop();
        let language = self.language.as_str();
        let work = || -> Result<bool, String> {
            // The library's interface is async; it runs its work on the runtime's blocking
            // threads, and builds each index on the global rayon pool.
            let runtime = tokio::runtime::Builder::new_current_thread()
                .build()
                .map_err(|e| e.to_string())?;
            loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                let Some((shard, records)) = next else {
                    return Ok(true);
                };
                let Some(made) = runtime.block_on(index_shard(language, records, &halt))? else {
                    return Ok(false);
                };
                let files = shard_output(made, shard);
                (write.lock().unwrap_or_else(|e| e.into_inner()))(files)?;
            }
        };
        let outcomes: Vec<Result<bool, String>> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let outcome = work();
                        if outcome.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        outcome
                    })
                })
                .collect();
            threads
                .into_iter()
                .map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|_| Err("the indexer stopped before it was done".into()))
                })
                .collect()
        });
        let mut done = true;
        for outcome in outcomes {
            done &= outcome?;
        }
        Ok(done)
    }
}

/// The folder of a shard of the index after the first (`shard` counts from 0), under the
/// index's own folder.
fn shard_folder(shard: usize) -> String {
    format!("shard-{shard}/")
}

/// A shard's files as the site has them: the first under `pagefind/`, a later one in its own
/// folder under it.
fn shard_output(made: Vec<pagefind::api::SyntheticFile>, shard: usize) -> Vec<OutputFile> {
    let first = shard == 0;
    let mut folder = Route::SearchIndex.path();
    if !first {
        folder.push_str(&shard_folder(shard));
    }
    shard_files(made, first)
        .into_iter()
        .map(|(path, bytes)| OutputFile {
            path: format!("{folder}{path}"),
            bytes,
            origin: None,
        })
        .collect()
}

/// One shard's index, made of `records` in order: the library's files, or `None` when `stop`
/// said so. The library's index and all it holds are gone when this returns.
async fn index_shard(
    language: &str,
    records: Vec<Record>,
    stop: &dyn Fn() -> bool,
) -> Result<Option<Vec<pagefind::api::SyntheticFile>>, String> {
    let config = PagefindServiceConfig::builder()
        .force_language(language.to_string())
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
    for record in records {
        if stop() {
            return Ok(None);
        }
        let meta = BTreeMap::from_iter(
            [("title", Some(record.title)), ("date", record.date)]
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_string(), v?))),
        );
        let filters = BTreeMap::from([("kind".to_string(), vec![record.kind.to_string()])]);
        index
            .add_custom_record(
                record.url,
                record.text,
                language.to_string(),
                Some(meta),
                Some(filters),
                None,
            )
            .await
            .map_err(|e| e.to_string())?;
    }
    index.get_files().await.map(Some).map_err(|e| e.to_string())
}

/// The files of the index that the search page needs: Pagefind's script and worker, its entry
/// file, the WebAssembly of the site's language, and the index itself. Pagefind's own
/// ready-made interfaces and its playground are left out (the search page has its own).
/// A later shard has only its entry file and index: the first shard's script and WebAssembly
/// search it.
fn needed(path: &str, first: bool) -> bool {
    let code = matches!(path, "pagefind.js" | "pagefind-worker.js")
        || (path.starts_with("wasm.") && path.ends_with(".pagefind"));
    (code && first)
        || path == "pagefind-entry.json"
        || path.ends_with(".pf_meta")
        || ["fragment/", "index/", "filter/"]
            .iter()
            .any(|folder| path.starts_with(folder))
}

/// The files of a shard's index that the search page needs, by their paths in its folder.
fn shard_files(files: Vec<pagefind::api::SyntheticFile>, first: bool) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .filter(|(path, _)| needed(path, first))
        .collect();
    // One language: the generic WebAssembly is needed only when it has no stemmer of its own.
    let own_wasm = |p: &str| p.starts_with("wasm.") && p != "wasm.unknown.pagefind";
    if files.iter().any(|(p, _)| own_wasm(p)) {
        files.retain(|(p, _)| p != "wasm.unknown.pagefind");
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Sharding;
    use crate::search::tests::site_records;

    /// The files of the index of `records` made on at most `most` threads, by path.
    fn index(records: Records, most: usize) -> Vec<OutputFile> {
        let mut files = Vec::new();
        let done = records
            .index_with(most, &|| false, &mut |shard| {
                files.extend(shard);
                Ok(())
            })
            .unwrap();
        assert!(done);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    #[test]
    fn shards_made_two_at_a_time_are_the_files_made_one_after_another() {
        let mut records = site_records();
        records.sharding = Sharding::Records(1);
        assert_eq!(records.plan().workers, 2);
        let one = index(records.clone(), 1);
        let two = index(records, 2);
        let paths: Vec<&str> = one.iter().map(|f| f.path.as_str()).collect();
        for shard in 1..4 {
            let entry = format!("pagefind/shard-{shard}/pagefind-entry.json");
            assert!(paths.contains(&entry.as_str()), "{paths:?}");
        }
        assert!(one == two, "the index made on two threads differs");
    }

    #[test]
    fn a_shard_that_cannot_be_written_stops_the_index() {
        let mut records = site_records();
        records.sharding = Sharding::Records(1);
        let mut writes = 0;
        let outcome = records.index_with(2, &|| false, &mut |_| {
            writes += 1;
            Err("the disk is full".to_string())
        });
        assert_eq!(outcome, Err("the disk is full".to_string()));
        // The other thread stops at its next record, or after the shard it was making.
        assert!(
            writes <= 2,
            "{writes} shards written after the first failed"
        );
    }
}
