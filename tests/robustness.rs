//! Random front matter and Markdown never panic treatyline: each input either builds a page
//! for the article, listed under the title it shows, or gives errors that name the article
//! (issue 3, robustness).

#[path = "common/one_article.rs"]
mod one_article;

use std::io::Write;
use std::sync::mpsc;
use std::time::Duration;

use one_article::{Outcome, build};
use proptest::prelude::*;

/// How long one article's build may take: it takes milliseconds, so a build still running
/// after this has hung.
const DEADLINE: Duration = Duration::from_secs(60);

/// [`build`] on a thread of its own; `None` when it has not ended by [`DEADLINE`]. A hung
/// build's thread cannot be stopped: it is left to spin until the test process ends.
fn build_within_deadline(article: Vec<u8>) -> Option<Result<Outcome, String>> {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(build(&article));
    });
    finished.recv_timeout(DEADLINE).ok()
}

/// Front matter lines: mostly well-formed keys with values good and bad, some noise.
fn front_matter_line() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "title",
        "date",
        "author",
        "summary",
        "treaty",
        "tags",
        "draft",
        "slug",
        "events",
        "sources",
        "  - country",
        "    stage",
        "    date",
        "    label",
        "    disputed",
        "    sources",
        "titel",
    ]);
    let value = prop_oneof![
        Just("2020-02-30".to_string()),
        Just("2021-01-06".to_string()),
        Just("signed".to_string()),
        Just("KZ".to_string()),
        Just("UK".to_string()),
        Just("[a, b]".to_string()),
        Just("{ url: https://example.org/x }".to_string()),
        Just("\"unterminated".to_string()),
        Just("../escape".to_string()),
        "[ -~]{0,20}",
        "\\PC{0,12}",
    ];
    prop_oneof![
        4 => (key, value).prop_map(|(k, v)| format!("{k}: {v}")),
        1 => "[ -~]{0,30}",
    ]
}

/// Random Markdown, with the characters that make its syntax and HTML's.
const BODY: &str = "(\\PC|\n|[#*_`|\\[\\]()!<>&-]){0,300}";

/// Any article: half of them random lines between `---` (which seldom build), half a
/// well-formed article with a random title and body and perhaps a random line more (which
/// mostly build, so that the pages they give are checked too).
fn article() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![random_article(), well_formed_article()]
}

fn well_formed_article() -> impl Strategy<Value = Vec<u8>> {
    (
        "[A-Za-z0-9 ,.'!?&<>()-]{1,40}",
        prop::collection::vec(front_matter_line(), 0..2),
        BODY,
    )
        .prop_map(|(title, lines, body)| {
            let mut text = format!("---\ntitle: \"{title}\"\ndate: 2021-01-07\n");
            for line in lines {
                text.push_str(&line);
                text.push('\n');
            }
            text.push_str("---\n");
            text.push_str(&body);
            text.into_bytes()
        })
}

fn random_article() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::bool::weighted(0.9),
        prop::collection::vec(front_matter_line(), 0..12),
        prop::bool::weighted(0.9),
        BODY,
    )
        .prop_map(|(open, lines, close, body)| {
            let mut text = String::new();
            if open {
                text.push_str("---\n");
            }
            for line in lines {
                text.push_str(&line);
                text.push('\n');
            }
            if close {
                text.push_str("---\n");
            }
            text.push_str(&body);
            text.into_bytes()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_articles_build_or_give_located_errors(article in article()) {
        let Some(outcome) = build_within_deadline(article.clone()) else {
            hung(&article);
        };
        if let Err(broken) = outcome {
            prop_assert!(false, "{}\n--- the article ---\n{}", broken, String::from_utf8_lossy(&article));
        }
    }
}

/// Ends the test process at once, naming the article whose build hung. Not a failed case:
/// proptest would shrink it, and every smaller article tried might hang a thread of its own
/// for the whole deadline. Written to stderr directly, since the test harness would keep a
/// failing test's captured output only for a test that returns.
fn hung(article: &[u8]) -> ! {
    let _ = writeln!(
        std::io::stderr(),
        "random_articles_build_or_give_located_errors: the build of this article did not end \
         within {} s:\n{:?}",
        DEADLINE.as_secs(),
        String::from_utf8_lossy(article)
    );
    std::process::exit(101)
}

/// Found by the random articles above: a `]` inside a `{` on a line of noise made the search
/// for where a bad value is written loop for ever, so the build never ended. Built on a thread
/// of its own, so that a hang fails the test instead of stalling the run.
#[test]
fn a_stray_closer_in_front_matter_ends_with_located_errors() {
    let article = "---\ntitle: .\n\nslug: UK\ntitle: KZ\n    stage: 2020-02-30\n    date: 2021-01-06\n$<St4+-f\nsources: UK\n{:p'9@(.Kk{.\\gez?<<?V]Q\nsources: [a, b]\n---\nBody.\n";
    let outcome = build_within_deadline(article.as_bytes().to_vec())
        .expect("the build of an article with a stray `]` in its front matter did not end");
    assert!(
        matches!(outcome, Ok(Outcome::Failed { errors }) if errors > 0),
        "{outcome:?}"
    );
}

#[test]
fn a_plain_valid_article_builds_its_page() {
    let article = "---\ntitle: A plain article\ndate: 2021-01-07\nevents:\n  - country: SD\n    stage: signed\n    date: 2021-01-06\n    sources: [https://example.org/a]\n---\nBody.\n";
    assert_eq!(
        build(article.as_bytes()),
        Ok(Outcome::Built { article_pages: 1 })
    );
}

#[test]
fn a_draft_builds_no_page() {
    let article = "---\ntitle: A\ndate: 2021-01-07\ndraft: true\n---\nBody.\n";
    assert_eq!(
        build(article.as_bytes()),
        Ok(Outcome::Built { article_pages: 0 })
    );
}

#[test]
fn an_article_without_a_title_fails_with_one_error_about_it() {
    let article = "---\ndate: 2021-01-07\n---\nBody.\n";
    assert_eq!(build(article.as_bytes()), Ok(Outcome::Failed { errors: 1 }));
}
