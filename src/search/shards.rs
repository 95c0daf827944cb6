//! How a site's records are split into the shards of its index.
//!
//! Pagefind holds about fifty times a record's text in memory until its index is written
//! (every word with its positions, twice over while it builds), so a large site is indexed in
//! shards: runs of records in their order, indexed a few at a time, [`INDEXING_BYTES`] of text
//! at most, so that the memory it takes does not grow with the site. The plan depends on the
//! records alone, never on the machine: the index is the same bytes everywhere.

use std::ops::Range;

use super::{Record, Records, Sharding};

/// The most text indexed at once, in bytes of its records' words ([`weight`]): Pagefind takes
/// about fifty times that while it indexes it, some 450 MB at most, whatever the size of the
/// site. A site of 10,000 typical news articles (4 to 5 KB of text each) is indexed two shards
/// of a thousand articles at a time.
pub const INDEXING_BYTES: usize = 9_000_000;

/// The share of a site's text indexed at once, at most: a quarter. A site of a thousand
/// articles is then indexed in a tenth of the memory of one of ten thousand, not the same,
/// and always in less than Hugo takes to build the same site (about twice our build's pages).
const SHARE: usize = 4;

/// The least text of a shard, but for the one shard of a site with less.
pub const MIN_SHARD_BYTES: usize = 1_000_000;

/// How many shards are indexed at once, each on a thread of its own, when there is text
/// enough for shards of [`MIN_SHARD_BYTES`]. Two: indexing is most of a large site's build,
/// and one core indexing while the other renders pages and then sits idle takes twice as
/// long; more would hold more shards in memory at once for little gain on the two cores the
/// build is measured on.
pub const WORKERS: usize = 2;

/// How the records are indexed: which shards, and how many at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Plan {
    /// The runs of records indexed as one shard each, in order.
    pub shards: Vec<Range<usize>>,
    /// The most shards indexed at once.
    pub workers: usize,
}

/// What a record weighs when shards are cut: its text and title, and what Pagefind holds for
/// every record whatever its words (its URL, metadata and fragment).
pub(super) fn weight(record: &Record) -> usize {
    const PER_RECORD: usize = 256;
    record.text.len() + record.title.len() + record.url.len() + PER_RECORD
}

/// The records of each shard, as runs of `weights`' indexes in order: the whole weight over
/// `limit` shards, rounded up to a multiple of `workers` (so that the threads finish together,
/// rather than one making the last shard alone), of as nearly the same weight as can be, so
/// each within about `limit` (a record heavier than that is a shard of its own). None is
/// empty, but for the one shard of a site of none.
pub(super) fn shard_ranges(weights: &[usize], limit: usize, workers: usize) -> Vec<Range<usize>> {
    let total: usize = weights.iter().sum();
    let shards = total
        .div_ceil(limit.max(1))
        .next_multiple_of(workers.max(1))
        .clamp(1, weights.len().max(1));
    let mut running = 0;
    let ends: Vec<usize> = weights
        .iter()
        .map(|weight| {
            running += weight;
            running
        })
        .collect();
    let mut ranges = Vec::with_capacity(shards);
    let mut start = 0;
    for k in 1..shards {
        // Shard k ends with the last record that ends within k / shards of the whole.
        let end = ends
            .partition_point(|&end| end <= total * k / shards)
            .max(start + 1);
        if end >= weights.len() {
            break;
        }
        ranges.push(start..end);
        start = end;
    }
    ranges.push(start..weights.len());
    ranges
}

impl Records {
    /// Which shards the records are indexed in, and how many at once.
    pub(super) fn plan(&self) -> Plan {
        match self.sharding {
            Sharding::Records(size) => Plan {
                shards: shard_ranges(&vec![1; self.records.len()], size, 1),
                workers: WORKERS,
            },
            Sharding::Bytes(most) => {
                let weights: Vec<usize> = self.records.iter().map(weight).collect();
                let total: usize = weights.iter().sum();
                let at_once = total.div_ceil(SHARE).max(MIN_SHARD_BYTES).min(most);
                let workers = if at_once >= WORKERS * MIN_SHARD_BYTES {
                    WORKERS
                } else {
                    1
                };
                Plan {
                    shards: shard_ranges(&weights, at_once / workers, workers),
                    workers,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site of `count` records of `bytes` of text each.
    fn site(count: usize, bytes: usize) -> Records {
        let records = (0..count)
            .map(|i| Record {
                url: format!("articles/{i:05}/"),
                title: "A title".to_string(),
                kind: "Article",
                date: None,
                text: "w".repeat(bytes),
            })
            .collect();
        Records {
            language: "en".to_string(),
            records,
            sharding: Sharding::Bytes(INDEXING_BYTES),
        }
    }

    /// The weight of each shard of `records`' plan.
    fn shard_weights(records: &Records) -> Vec<usize> {
        let plan = records.plan();
        plan.shards
            .iter()
            .map(|range| records.records[range.clone()].iter().map(weight).sum())
            .collect()
    }

    #[test]
    fn shards_are_runs_of_records_in_order_of_nearly_the_same_weight() {
        // By count: as the records fall, the first shards the smaller.
        assert_eq!(shard_ranges(&[1; 4], 2, 1), [0..2, 2..4]);
        assert_eq!(shard_ranges(&[1; 7], 3, 1), [0..2, 2..4, 4..7]);
        assert_eq!(
            shard_ranges(&[1; 7], 7, 1),
            vec![Range { start: 0, end: 7 }]
        );
        // By weight: a heavy record is a shard of its own, and no shard is empty.
        assert_eq!(
            shard_ranges(&[1, 1, 10, 1, 1], 4, 1),
            [0..2, 2..3, 3..4, 4..5]
        );
        assert_eq!(shard_ranges(&[10, 1, 1], 5, 1), [0..1, 1..2, 2..3]);
        assert_eq!(shard_ranges(&[3, 3, 3, 3], 6, 1), [0..2, 2..4]);
        // Two threads: an even number of shards, not two and one.
        assert_eq!(shard_ranges(&[1; 6], 2, 1), [0..2, 2..4, 4..6]);
        assert_eq!(shard_ranges(&[1; 6], 2, 2), [0..1, 1..3, 3..4, 4..6]);
        // A site without records has one shard, of none.
        assert_eq!(shard_ranges(&[], 6, 1), vec![Range { start: 0, end: 0 }]);
        for (weights, limit) in [(vec![5; 100], 12), (vec![7, 1, 3, 9, 2, 2, 8, 1], 10)] {
            let ranges = shard_ranges(&weights, limit, 1);
            assert_eq!(ranges.first().map(|r| r.start), Some(0));
            assert_eq!(ranges.last().map(|r| r.end), Some(weights.len()));
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
            let most = weights.iter().max().unwrap();
            for range in ranges {
                let weight: usize = weights[range].iter().sum();
                assert!(weight <= limit + most, "{weight} > {limit}");
            }
        }
    }

    #[test]
    fn a_small_site_is_one_shard() {
        let plan = site(100, 5_000).plan();
        assert_eq!(plan.shards, vec![Range { start: 0, end: 100 }]);
        assert_eq!(plan.workers, 1);
    }

    /// A thousand articles are indexed a quarter at a time, one shard at a time: the memory
    /// indexing takes grows with the site, and stays well under what Hugo takes for it.
    #[test]
    fn a_site_of_a_thousand_articles_is_indexed_a_quarter_at_a_time() {
        let records = site(1_000, 5_000);
        let plan = records.plan();
        assert_eq!((plan.shards.len(), plan.workers), (4, 1));
        assert!(plan.shards.iter().all(|r| r.len() == 250), "{plan:?}");
        // Four, whatever the site's text divided by four leaves.
        assert_eq!(site(1_001, 5_003).plan().shards.len(), 4);
    }

    /// A large site is indexed two shards at a time, never more than [`INDEXING_BYTES`] of
    /// text at once.
    #[test]
    fn a_large_site_is_indexed_two_shards_at_a_time_within_the_bound() {
        for count in [10_000, 30_000] {
            let records = site(count, 4_500);
            let plan = records.plan();
            assert_eq!(plan.workers, WORKERS);
            let weights = shard_weights(&records);
            let total: usize = weights.iter().sum();
            let shards = total.div_ceil(INDEXING_BYTES / WORKERS);
            assert_eq!(weights.len(), shards.next_multiple_of(WORKERS));
            assert!(
                weights
                    .iter()
                    .all(|&w| w * WORKERS <= INDEXING_BYTES + weight(&records.records[0])),
                "{weights:?}"
            );
        }
    }

    /// A site between the two is indexed a quarter at a time, in two shards at once once
    /// there is text enough for shards of [`MIN_SHARD_BYTES`].
    #[test]
    fn a_middling_site_is_indexed_a_quarter_at_a_time() {
        for (count, workers) in [(1_500, 1), (2_000, 2), (5_000, 2)] {
            let records = site(count, 5_000);
            let plan = records.plan();
            assert_eq!(plan.workers, workers, "{count}");
            let weights = shard_weights(&records);
            let total: usize = weights.iter().sum();
            let most = weights.iter().max().unwrap();
            assert!(most * workers <= total / SHARE + weight(&records.records[0]));
        }
    }

    #[test]
    fn a_record_count_for_tests_sets_shards_of_that_many_records() {
        let mut records = site(10, 10);
        records.sharding = Sharding::Records(3);
        let plan = records.plan();
        assert_eq!(plan.shards, [0..2, 2..5, 5..7, 7..10]);
        assert_eq!(plan.workers, WORKERS);
    }
}
