//! Random front matter and Markdown never panic treatyline: each input either builds or gives
//! errors that name their file (issue 3, robustness).

#[path = "common/one_article.rs"]
mod one_article;

use one_article::{ARTICLE, build};
use proptest::prelude::*;

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

fn article() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::bool::weighted(0.9),
        prop::collection::vec(front_matter_line(), 0..12),
        prop::bool::weighted(0.9),
        "(\\PC|\n|[#*_`|\\[\\]()!-]){0,300}",
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
        if let Err(diagnostics) = build(&article) {
            prop_assert!(diagnostics.has_errors());
            for d in diagnostics.iter() {
                let path = d.location.path.to_string_lossy();
                prop_assert!(path == ARTICLE, "error not about the article: {}", d);
                prop_assert!(!d.message.is_empty());
            }
        }
    }
}

#[test]
fn a_plain_valid_article_builds() {
    let article = "---\ntitle: A\ndate: 2021-01-07\nevents:\n  - country: SD\n    stage: signed\n    date: 2021-01-06\n    sources: [https://example.org/a]\n---\nBody.\n";
    assert!(build(article.as_bytes()).is_ok());
}
