//! Issue 12: every view agrees with every other, on any day.
//!
//! For random but valid histories of a few countries in one treaty (membership periods ended by
//! withdrawals, notices of withdrawal, some of them revoked, dates known only to the month or
//! the year, events reported by two articles, sometimes at two precisions, and optionally a
//! treaty that counts members from ratification and derives in-force steps), the site is built
//! through the library and read back as a reader and a data user see it:
//!
//! - each as-of page's members table shows, for every country with a step taken by the end of
//!   that year and for no other, the status on 31 December;
//! - the treaty page and each country page show the current status;
//! - `data/t.json` holds exactly the events written, merged and derived.
//!
//! The expected statuses come from a small oracle written from CONTENT-FORMAT.md alone: it does
//! not call the timeline's code. HTML is read with a real parser and selected by classes, so
//! new columns in the members table do not break the test.
//!
//! Treaties with an entry-into-force rule have properties of their own, so that a fault in
//! derived steps leaves the other properties running. Histories the properties once failed on
//! are kept as tests of their own at the end.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use jiff::ToSpan;
use jiff::civil::Date;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use scraper::{ElementRef, Html, Selector};
use treatyline::BuildOptions;

// ---------------------------------------------------------------------------------------------
// Stages and dates, as the contract writes them

/// The stages in their natural order (CONTENT-FORMAT.md); a stage is its index here.
const STAGES: [&str; 9] = [
    "talks",
    "announced",
    "agreed-in-principle",
    "signed",
    "ratified",
    "in-force",
    "withdrawal-notified",
    "suspended",
    "withdrawn",
];
const SIGNED: usize = 3;
const RATIFIED: usize = 4;
const IN_FORCE: usize = 5;
const NOTIFIED: usize = 6;
const SUSPENDED: usize = 7;
const WITHDRAWN: usize = 8;

/// The parties the histories are given to (in this order, as many as a case has).
const CODES: [&str; 8] = ["FR", "DE", "NO", "CI", "BR", "JP", "ZA", "CH"];
/// How many articles the events are spread over.
const ARTICLES: usize = 3;
/// The treaty's founding day: before every event, so the as-of pages start in its year.
const ESTABLISHED: &str = "2009-06-01";

fn day(text: &str) -> Date {
    text.parse().expect("a valid date")
}

/// How much of a date is known; a partial date sorts after a full one of the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Precision {
    Day,
    Month,
    Year,
}

impl Precision {
    fn id(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

/// A date as an author writes it: a day, or the month or year around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct When {
    day: Date,
    precision: Precision,
}

impl When {
    /// The day it counts from for status on a day: the last day of its month or year.
    fn counts_from(self) -> Date {
        match self.precision {
            Precision::Day => self.day,
            Precision::Month => self.day.last_of_month(),
            Precision::Year => self.day.last_of_year(),
        }
    }

    fn written(self) -> String {
        match self.precision {
            Precision::Day => self.day.to_string(),
            Precision::Month => self.day.strftime("%Y-%m").to_string(),
            Precision::Year => self.day.year().to_string(),
        }
    }

    /// The same day at a coarser precision.
    fn coarser(self, precision: Precision) -> When {
        When {
            day: self.day,
            precision,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Histories

/// One step of a country's history, with where it is reported.
#[derive(Debug, Clone)]
struct Step {
    stage: usize,
    label: Option<String>,
    /// The date of the step: the most precise any report gives.
    when: When,
    /// Each report: the article it is in and the date it writes (the step's own, or a coarser
    /// date around it).
    reports: Vec<(usize, When)>,
}

#[derive(Debug, Clone)]
struct History {
    code: &'static str,
    steps: Vec<Step>,
}

/// The treaty's entry-into-force rule.
#[derive(Debug, Clone, Copy)]
struct Rule {
    date: Date,
    after_deposit_days: i64,
}

#[derive(Debug, Clone)]
struct Case {
    member_from_ratified: bool,
    rule: Option<Rule>,
    histories: Vec<History>,
}

/// The random choices behind one step; zeros make the simplest history (shrinking goes there).
#[derive(Debug, Clone, Copy)]
struct Choice {
    action: u8,
    gap: u16,
    precision: u8,
    duplicate: u8,
    article: u8,
}

fn choice() -> impl Strategy<Value = Choice> {
    (any::<u8>(), gap(), 0u8..12, 0u8..10, 0u8..3).prop_map(
        |(action, gap, precision, duplicate, article)| Choice {
            action,
            gap,
            precision,
            duplicate,
            article,
        },
    )
}

/// Days from one step to the next: often none or a few, so that steps share a day or a month.
fn gap() -> impl Strategy<Value = u16> {
    prop_oneof![1 => Just(0u16), 2 => 1u16..40, 5 => 40u16..500]
}

/// A case; `with_rule` gives the treaty an entry-into-force rule, whose date is often the day
/// of one of the steps (so that derived steps share a day with written ones).
fn case(with_rule: bool) -> impl Strategy<Value = Case> {
    let rule = (
        any::<bool>(),
        any::<u16>(),
        0i64..3000,
        prop::sample::select(vec![0i64, 30, 90]),
    );
    let histories = prop::collection::vec(prop::collection::vec(choice(), 1..10), 3..=8);
    (any::<bool>(), rule, histories).prop_map(
        move |(member_from_ratified, (on_a_step, pick, offset, after_deposit_days), choices)| {
            let histories: Vec<History> = choices
                .iter()
                .zip(CODES)
                .map(|(choices, code)| History {
                    code,
                    steps: history(choices),
                })
                .collect();
            // Most often the day of a notice, a suspension or a withdrawal: the steps that a
            // derived step on the same day must not hide.
            let steps = || histories.iter().flat_map(|h| &h.steps);
            let mut days: Vec<Date> = steps()
                .filter(|s| ends_progression(s.stage) && pick % 4 != 0)
                .map(|s| s.when.counts_from())
                .collect();
            if days.is_empty() {
                days = steps().map(|s| s.when.counts_from()).collect();
            }
            let date = match on_a_step {
                true => days[usize::from(pick) % days.len()],
                false => day(ESTABLISHED) + offset.days(),
            };
            Case {
                member_from_ratified,
                rule: with_rule.then_some(Rule {
                    date,
                    after_deposit_days,
                }),
                histories,
            }
        },
    )
}

/// After a notice, a suspension or a withdrawal, a step may return to an earlier stage.
fn ends_progression(stage: usize) -> bool {
    stage >= NOTIFIED
}

/// What a step does to the progression of its period.
enum Move {
    /// A stage reached, for the first time in the period unless the label says otherwise.
    To(usize),
    /// The same stage again, as another named step (a cabinet, then a parliament).
    Again(usize),
    /// A notice of withdrawal revoked by a return to an earlier stage.
    Revoke(usize),
}

/// The next move after `last` (none at the start of a period), picked by `action`.
fn next_move(last: Option<usize>, action: u8) -> Move {
    let a = usize::from(action);
    match last {
        None | Some(WITHDRAWN) => Move::To(a % (IN_FORCE + 1)),
        Some(s) if s <= IN_FORCE => match a % 10 {
            6 => Move::Again(s),
            7 if s >= SIGNED => Move::To(NOTIFIED),
            8 => Move::To(SUSPENDED),
            9 => Move::To(WITHDRAWN),
            _ if s < IN_FORCE => Move::To(s + 1 + (a / 10) % (IN_FORCE - s)),
            _ => Move::To(NOTIFIED),
        },
        Some(NOTIFIED) => match a % 4 {
            0 => Move::To(WITHDRAWN),
            1 => Move::Revoke(RATIFIED),
            2 => Move::Revoke(IN_FORCE),
            _ => Move::To(SUSPENDED),
        },
        // After a suspension: leave, or begin a new progression in the same period.
        _ => match a % 3 {
            0 => Move::To(WITHDRAWN),
            _ => Move::To((a / 3) % (IN_FORCE + 1)),
        },
    }
}

/// A label for `stage` not yet used in the period: none if the stage is new and unnamed,
/// else `base`, `base 2`, `base 3`…
fn fresh_label(
    used: &BTreeSet<(usize, Option<String>)>,
    stage: usize,
    base: Option<&str>,
) -> Option<String> {
    if base.is_none() && !used.contains(&(stage, None)) {
        return None;
    }
    let base = base.unwrap_or("Again");
    (1..)
        .map(|n| match n {
            1 => base.to_string(),
            n => format!("{base} {n}"),
        })
        .find(|label| !used.contains(&(stage, Some(label.clone()))))
}

/// Turns choices into a history that obeys the contract: stages move forward within a period
/// until a notice, a suspension or a withdrawal; no stage and label twice in one period; every
/// step counts from a later day than the one before, or from the same day only when the
/// contract's order of one day puts it after (a partial date after a full one, else the further
/// stage), so that the order written is the order the contract gives.
fn history(choices: &[Choice]) -> Vec<Step> {
    let mut steps: Vec<Step> = Vec::new();
    let mut used: BTreeSet<(usize, Option<String>)> = BTreeSet::new();
    // The day the last step counts from, its precision and stage, and whether the next step
    // must count from a later day.
    let mut last: Option<(Date, Precision, usize, bool)> = None;
    for c in choices {
        let (stage, label) = match next_move(last.map(|l| l.2), c.action) {
            Move::To(stage) => (stage, fresh_label(&used, stage, None)),
            Move::Again(stage) => (stage, fresh_label(&used, stage, Some("Again"))),
            Move::Revoke(stage) => (stage, fresh_label(&used, stage, Some("Notice revoked"))),
        };
        let precision = match c.precision {
            0..=7 => Precision::Day,
            8 | 9 => Precision::Month,
            _ => Precision::Year,
        };
        let mut on = match last {
            None => day(ESTABLISHED) + i64::from(c.gap).days(),
            Some((after, ..)) => after + i64::from(c.gap).days(),
        };
        // Some full dates fall on the last day of a month or a year, which is the day that a
        // partial date after them counts from.
        match c.precision {
            6 => on = on.last_of_month(),
            7 => on = on.last_of_year(),
            _ => {}
        }
        let when = loop {
            let when = When { day: on, precision };
            let fits = match last {
                None => true,
                Some((after, p, s, strictly_later)) => {
                    let same_day = when.counts_from() == after && !strictly_later;
                    // On one day a partial date sorts after a full one whatever its stage (a
                    // notice in `2012-12-31`, revoked in `2012`); at one precision the further
                    // stage sorts last.
                    let sorts_after = precision > p && (stage >= s || ends_progression(s));
                    when.counts_from() > after
                        || (same_day && (sorts_after || (precision == p && stage > s)))
                }
            };
            if fits {
                break when;
            }
            on = on.tomorrow().expect("a day after");
        };
        let article = usize::from(c.article);
        let other = (article + 1) % ARTICLES;
        let mut reports = vec![(article, when)];
        let mut counts_until = when.counts_from();
        match c.duplicate {
            // The same date in another article.
            8 => reports.push((other, when)),
            // A coarser date around it in another article: the two agree, and the full date
            // is used. Nothing else of the country happens until the coarse date ends.
            9 => {
                let coarse = match when.precision {
                    Precision::Day if c.precision % 2 == 0 => when.coarser(Precision::Month),
                    Precision::Day | Precision::Month => when.coarser(Precision::Year),
                    Precision::Year => when,
                };
                reports.push((other, coarse));
                counts_until = coarse.counts_from();
            }
            _ => {}
        }
        used.insert((stage, label.clone()));
        if stage == WITHDRAWN {
            used.clear();
        }
        // A coarser report sorts after the step's own on its last day: the next step must
        // count from a later day.
        let strictly_later = reports.iter().any(|(_, w)| w.precision != precision);
        last = Some((counts_until, precision, stage, strictly_later));
        steps.push(Step {
            stage,
            label,
            when,
            reports,
        });
    }
    steps
}

// ---------------------------------------------------------------------------------------------
// The oracle

/// An event as the contract says the site holds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    code: &'static str,
    stage: usize,
    label: Option<String>,
    written: String,
    precision: Precision,
    period: u32,
    derived: bool,
    /// The day it counts from (not in the open data; used for status).
    counts_from: Date,
}

/// A country's events in the order of status: by the day each counts from, full dates before
/// partial ones on one day, then the furthest stage last.
fn order_key(e: &Expected) -> (Date, Precision, usize) {
    (e.counts_from, e.precision, e.stage)
}

/// The events of one country: written steps numbered into periods (a period ends with a
/// withdrawal), plus the in-force step the treaty's rule derives for each period that has a
/// ratification and no in-force step: on the later of the rule's date and the ratification
/// (the period's last before any notice) plus the waiting days, unless the period has ended
/// before then. Events are in status order.
fn expected(history: &History, rule: Option<Rule>) -> Vec<Expected> {
    let mut events: Vec<Expected> = history
        .steps
        .iter()
        .map(|s| Expected {
            code: history.code,
            stage: s.stage,
            label: s.label.clone(),
            written: s.when.written(),
            precision: s.when.precision,
            period: 0,
            derived: false,
            counts_from: s.when.counts_from(),
        })
        .collect();
    events.sort_by_key(order_key);
    let mut period = 1;
    for event in &mut events {
        event.period = period;
        if event.stage == WITHDRAWN {
            period += 1;
        }
    }
    if let Some(rule) = rule {
        // Each derived step and where it goes: by the order of its day (a full date, so before
        // the partial dates of that day, and before any further stage of its day), but never
        // before the ratification it comes from, which may be a partial date of the same day.
        let mut derived: Vec<(usize, Expected)> = Vec::new();
        for number in 1..=period {
            let at: Vec<usize> = (0..events.len())
                .filter(|&i| events[i].period == number)
                .collect();
            if at.iter().any(|&i| events[i].stage == IN_FORCE) {
                continue;
            }
            let ratified = at
                .iter()
                .copied()
                .take_while(|&i| events[i].stage != NOTIFIED)
                .filter(|&i| events[i].stage == RATIFIED)
                .last();
            let Some(ratified) = ratified else { continue };
            let on = rule
                .date
                .max(events[ratified].counts_from + rule.after_deposit_days.days());
            if at
                .iter()
                .any(|&i| events[i].stage == WITHDRAWN && events[i].counts_from < on)
            {
                continue;
            }
            // On the very day of a partial ratification, the step is known to that precision.
            let (written, precision) = if on == events[ratified].counts_from {
                (events[ratified].written.clone(), events[ratified].precision)
            } else {
                (on.to_string(), Precision::Day)
            };
            let step = Expected {
                code: history.code,
                stage: IN_FORCE,
                label: None,
                written,
                precision,
                period: number,
                derived: true,
                counts_from: on,
            };
            let by_day = events.partition_point(|e| order_key(e) <= order_key(&step));
            derived.push((by_day.max(ratified + 1), step));
        }
        for (at, step) in derived.into_iter().rev() {
            events.insert(at, step);
        }
    }
    events
}

/// The status on `day`: the stage of the latest event on or before it (events in status order).
fn status_on(events: &[Expected], day: Date) -> Option<usize> {
    events
        .iter()
        .take_while(|e| e.counts_from <= day)
        .last()
        .map(|e| e.stage)
}

/// A member from `member_from` until it has left; a notice does not end membership.
fn is_member(case: &Case, stage: usize) -> bool {
    let from = if case.member_from_ratified {
        RATIFIED
    } else {
        SIGNED
    };
    (from..=NOTIFIED).contains(&stage)
}

// ---------------------------------------------------------------------------------------------
// The site

/// Writes the case as a site under `root`.
fn write_site(case: &Case, root: &Path) {
    let write = |path: &str, text: String| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write(
        "site.yaml",
        "title: Agreement\nbase_url: https://example.org/\ndefault_treaty: t\nlanguage: en\n"
            .into(),
    );
    let mut treaty = format!("---\ntitle: Test Treaty\nestablished: {ESTABLISHED}\n");
    if case.member_from_ratified {
        treaty.push_str("member_from: ratified\nmember_noun: [party, parties]\n");
    }
    if let Some(rule) = case.rule {
        writeln!(
            treaty,
            "entry_into_force:\n  date: {}\n  after_deposit_days: {}",
            rule.date, rule.after_deposit_days
        )
        .unwrap();
    }
    treaty.push_str("---\nA treaty of the property test.\n");
    write("content/treaties/t.md", treaty);
    for article in 0..ARTICLES {
        let mut text = format!(
            "---\ntitle: \"Report {article}\"\ndate: 2040-01-0{}\ntreaty: t\nevents:\n",
            article + 1
        );
        let mut any = false;
        for history in &case.histories {
            for step in &history.steps {
                for (_, when) in step.reports.iter().filter(|(a, _)| *a == article) {
                    any = true;
                    // Dates unquoted, as authors write them (`2012`, `2012-05`, `2012-05-01`).
                    write!(
                        text,
                        "  - country: {}\n    stage: {}\n    date: {}\n",
                        history.code,
                        STAGES[step.stage],
                        when.written()
                    )
                    .unwrap();
                    if let Some(label) = &step.label {
                        writeln!(text, "    label: \"{label}\"").unwrap();
                    }
                }
            }
        }
        if !any {
            text.truncate(text.len() - "events:\n".len());
        }
        writeln!(
            text,
            "sources:\n  - https://example.org/report-{article}\n---\nA report."
        )
        .unwrap();
        write(&format!("content/articles/report-{article}.md"), text);
    }
}

/// A built site: its output folder, kept as long as the value lives.
struct Site {
    _dir: tempfile::TempDir,
    out: std::path::PathBuf,
}

impl Site {
    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}

/// Writes and builds the case; the build must succeed without a warning.
fn build(case: &Case) -> Result<Site, TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    write_site(case, &root);
    let out = dir.path().join("public");
    let options = BuildOptions {
        root,
        output: Some(out.clone()),
        // The reports are dated in 2040, after every step: that is the build day.
        today: Some(Date::new(2040, 1, 31).unwrap()),
        ..BuildOptions::default()
    };
    match treatyline::build(&options) {
        Ok(built) => prop_assert!(
            built.diagnostics.is_empty(),
            "warnings:\n{}",
            built.diagnostics.report()
        ),
        Err(e) => prop_assert!(false, "the build failed:\n{e}"),
    }
    Ok(Site { _dir: dir, out })
}

fn select(text: &str) -> Selector {
    Selector::parse(text).expect("a valid selector")
}

/// The stage an element marked `stage stage-<id>` shows.
fn stage_of(element: ElementRef<'_>) -> Option<usize> {
    element
        .value()
        .classes()
        .filter_map(|c| c.strip_prefix("stage-"))
        .find_map(|id| STAGES.iter().position(|s| *s == id))
}

/// The code of the country a link points to (`…/countries/fr/`).
fn code_of(href: &str) -> String {
    let rest = href
        .split("/countries/")
        .nth(1)
        .unwrap_or_else(|| panic!("not a country link: {href}"));
    rest.trim_end_matches('/').to_uppercase()
}

/// Each row of the page's members table: country code -> (stage shown, marked as a member).
fn members_table(html: &str) -> Result<BTreeMap<String, (usize, bool)>, TestCaseError> {
    let doc = Html::parse_document(html);
    let (row, country, status) = (
        select("table.members tbody tr"),
        select("a.country"),
        select("td.status .stage"),
    );
    let mut rows = BTreeMap::new();
    for tr in doc.select(&row) {
        let link = tr.select(&country).next();
        prop_assert!(link.is_some(), "a row without a country: {}", tr.html());
        let code = code_of(link.unwrap().value().attr("href").unwrap_or_default());
        let stages: Vec<Option<usize>> = tr.select(&status).map(stage_of).collect();
        prop_assert!(
            matches!(stages.as_slice(), [Some(_)]),
            "the row of {code} shows no single stage: {}",
            tr.html()
        );
        let member = tr.value().classes().any(|c| c == "is-member");
        let again = rows.insert(code.clone(), (stages[0].unwrap(), member));
        prop_assert!(again.is_none(), "two rows for {code}");
    }
    Ok(rows)
}

/// The table the oracle expects on `day`: every country with a step taken by then.
fn expected_table(
    case: &Case,
    events: &BTreeMap<&str, Vec<Expected>>,
    on: Date,
) -> BTreeMap<String, (usize, bool)> {
    events
        .iter()
        .filter_map(|(code, events)| {
            let stage = status_on(events, on)?;
            Some((code.to_string(), (stage, is_member(case, stage))))
        })
        .collect()
}

fn names(table: &BTreeMap<String, (usize, bool)>) -> BTreeMap<&str, (&str, bool)> {
    table
        .iter()
        .map(|(code, (stage, member))| (code.as_str(), (STAGES[*stage], *member)))
        .collect()
}

/// The history as an author would read it, for failure messages.
fn describe(case: &Case) -> String {
    let mut text = format!(
        "member_from: {}, entry_into_force: {:?}\n",
        if case.member_from_ratified {
            "ratified"
        } else {
            "signed"
        },
        case.rule
            .map(|r| (r.date.to_string(), r.after_deposit_days))
    );
    for history in &case.histories {
        for step in &history.steps {
            let reports: Vec<String> = step
                .reports
                .iter()
                .map(|(a, w)| format!("report-{a}: {}", w.written()))
                .collect();
            writeln!(
                text,
                "  {} {} {}{} [{}]",
                history.code,
                step.when.written(),
                STAGES[step.stage],
                step.label
                    .as_ref()
                    .map(|l| format!(" \"{l}\""))
                    .unwrap_or_default(),
                reports.join(", ")
            )
            .unwrap();
        }
    }
    text
}

fn all_expected(case: &Case) -> BTreeMap<&'static str, Vec<Expected>> {
    case.histories
        .iter()
        .map(|h| (h.code, expected(h, case.rule)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The properties

fn config() -> ProptestConfig {
    // Each case builds a whole site: a few dozen keep the test well under a minute in a debug
    // build. PROPTEST_CASES asks for more.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(24);
    ProptestConfig {
        cases,
        // A failure prints its history as an author would write it; a history worth keeping
        // becomes a test of its own below, rather than a seed in a file beside this one.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every as-of page shows each country's status on 31 December of its year, and only the
/// countries with a step taken by then; there is a page for every year from the founding to
/// the newest event.
fn check_as_of_pages(case: &Case) -> Result<(), TestCaseError> {
    let site = build(case)?;
    let events = all_expected(case);
    let newest = events
        .values()
        .flatten()
        .map(|e| e.counts_from)
        .max()
        .unwrap();
    let first = day(ESTABLISHED).year();
    let as_of = site.out.join("treaties/t/as-of");
    let pages: BTreeSet<i16> = fs::read_dir(&as_of)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().parse().unwrap())
        .collect();
    prop_assert_eq!(
        &pages,
        &(first..=newest.year()).collect::<BTreeSet<i16>>(),
        "the as-of pages"
    );
    for year in pages {
        let html = site.read(&format!("treaties/t/as-of/{year}/index.html"));
        let shown = members_table(&html)?;
        let want = expected_table(case, &events, Date::new(year, 12, 31).unwrap());
        prop_assert_eq!(
            names(&shown),
            names(&want),
            "the members table as of 31 December {} (code -> status, member)",
            year
        );
    }
    Ok(())
}

/// The treaty page's members table and each country page show the current status.
fn check_current_pages(case: &Case) -> Result<(), TestCaseError> {
    let site = build(case)?;
    let events = all_expected(case);
    let shown = members_table(&site.read("treaties/t/index.html"))?;
    let want = expected_table(case, &events, Date::MAX);
    prop_assert_eq!(
        names(&shown),
        names(&want),
        "the treaty page's members table"
    );
    let facts = select(".facts .stage");
    for (code, events) in &events {
        let page = site.read(&format!("countries/{}/index.html", code.to_lowercase()));
        let doc = Html::parse_document(&page);
        let shown: Vec<Option<&str>> = doc
            .select(&facts)
            .map(|e| stage_of(e).map(|s| STAGES[s]))
            .collect();
        let want = status_on(events, Date::MAX).map(|s| STAGES[s]);
        prop_assert_eq!(shown, vec![want], "the status on the page of {}", code);
    }
    Ok(())
}

/// `data/t.json` reads back to exactly the events written (reports of one event merged, at the
/// most precise date), with the derived ones, each with its period and precision.
fn check_open_data(case: &Case) -> Result<(), TestCaseError> {
    let site = build(case)?;
    let json: serde_json::Value = serde_json::from_str(&site.read("data/t.json")).unwrap();
    type Row = (String, String, Option<String>, String, String, u64, bool);
    let mut read: Vec<Row> = json["events"]
        .as_array()
        .expect("an events array")
        .iter()
        .map(|e| {
            let text = |key: &str| e[key].as_str().map(str::to_string);
            (
                text("country_code").unwrap_or_default(),
                text("stage").unwrap_or_default(),
                text("label"),
                text("date").unwrap_or_default(),
                text("date_precision").unwrap_or_default(),
                e["period"].as_u64().unwrap_or_default(),
                e["derived"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    let mut want: Vec<Row> = all_expected(case)
        .into_values()
        .flatten()
        .map(|e| {
            (
                e.code.to_string(),
                STAGES[e.stage].to_string(),
                e.label,
                e.written,
                e.precision.id().to_string(),
                u64::from(e.period),
                e.derived,
            )
        })
        .collect();
    read.sort();
    want.sort();
    prop_assert_eq!(read, want, "the events of data/t.json");
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn as_of_pages_show_the_status_on_the_last_day_of_their_year(case in case(false)) {
        check_as_of_pages(&case).map_err(|e| explain(e, &case))?;
    }

    #[test]
    fn as_of_pages_show_the_status_with_derived_in_force_steps(case in case(true)) {
        check_as_of_pages(&case).map_err(|e| explain(e, &case))?;
    }

    #[test]
    fn treaty_and_country_pages_show_the_current_status(case in case(false)) {
        check_current_pages(&case).map_err(|e| explain(e, &case))?;
    }

    #[test]
    fn treaty_and_country_pages_show_the_current_status_with_derived_in_force_steps(
        case in case(true)
    ) {
        check_current_pages(&case).map_err(|e| explain(e, &case))?;
    }

    #[test]
    fn open_data_holds_exactly_the_events_written_and_derived(
        case in prop_oneof![case(false), case(true)]
    ) {
        check_open_data(&case).map_err(|e| explain(e, &case))?;
    }
}

/// A history the open-data property once failed on: FR takes a first step and withdraws on
/// 1 June 2009; one article dates the withdrawal `2009-06-01`, another `2009-06`. The two
/// reports agree, so the contract makes them one event at the full date, in the first period;
/// the site also kept the month's report, as a `withdrawn` event of a second period.
#[test]
fn a_withdrawal_reported_at_its_day_and_its_month_is_one_event() {
    let on = When {
        day: day("2009-06-01"),
        precision: Precision::Day,
    };
    let step = |stage, reports| Step {
        stage,
        label: None,
        when: on,
        reports,
    };
    let case = Case {
        member_from_ratified: false,
        rule: None,
        histories: vec![History {
            code: "FR",
            steps: vec![
                step(0, vec![(0, on)]),
                step(WITHDRAWN, vec![(1, on), (2, on.coarser(Precision::Month))]),
            ],
        }],
    };
    if let Err(e) = check_open_data(&case) {
        panic!("{}", explain(e, &case));
    }
}

/// A failure with the history that caused it, written as an author would read it.
fn explain(error: TestCaseError, case: &Case) -> TestCaseError {
    match error {
        TestCaseError::Fail(why) => {
            TestCaseError::fail(format!("{why}\nhistory:\n{}", describe(case)))
        }
        other => other,
    }
}

/// A history the derived-step properties once failed on: FR ratifies on 1 June 2016 and
/// withdraws on 4 November 2016, the day the treaty enters into force (30 days after deposit).
/// The in-force step derived for 4 November was shown after the withdrawal, so FR read as in
/// force, and a member, from then on; the contract gives the furthest stage of a day,
/// `withdrawn`. A notice or a suspension on that day was hidden the same way.
#[test]
fn a_step_on_the_day_a_party_enters_into_force_comes_after_it() {
    let on = |text| When {
        day: day(text),
        precision: Precision::Day,
    };
    let step = |stage, text| Step {
        stage,
        label: None,
        when: on(text),
        reports: vec![(0, on(text))],
    };
    let case = Case {
        member_from_ratified: true,
        rule: Some(Rule {
            date: day("2016-11-04"),
            after_deposit_days: 30,
        }),
        histories: vec![History {
            code: "FR",
            steps: vec![step(RATIFIED, "2016-06-01"), step(WITHDRAWN, "2016-11-04")],
        }],
    };
    for check in [check_as_of_pages, check_current_pages] {
        if let Err(e) = check(&case) {
            panic!("{}", explain(e, &case));
        }
    }
}
