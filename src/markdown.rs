//! Markdown to HTML with pulldown-cmark: the options the contract promises, heading ids, a
//! table of contents and a plain-text summary. No I/O.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// A heading of the document, for a table of contents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// A rendered Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders `text`. Headings without an explicit `{#id}` get one made from their text, unique
/// within the document.
pub fn render(text: &str) -> Rendered {
    // An article makes about one event per 38 bytes of its text; room for one per 32 means
    // the list is allocated once, not grown and copied seven times. A denser text still grows.
    let mut events: Vec<Event> = Vec::with_capacity(text.len() / 32 + 16);
    events.extend(Parser::new_ext(text, options()));
    let mut used: HashSet<String> = HashSet::new();
    let mut headings = Vec::new();
    // Explicit ids are taken first so generated ones never collide with them.
    for event in &events {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
            used.insert(id.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = heading_level(*level);
            let explicit = id.as_ref().map(|s| s.to_string());
            let end = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |p| i + p);
            let title = plain_text(&events[i + 1..end]);
            let id = match explicit {
                Some(id) => id,
                None => {
                    let base = match crate::model::slugify(&title) {
                        s if s.is_empty() => "section".to_string(),
                        s => s,
                    };
                    let mut id = base.clone();
                    let mut n = 1;
                    while used.contains(&id) {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    used.insert(id.clone());
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                    id
                }
            };
            headings.push(Heading { level, id, title });
            i = end;
        }
        i += 1;
    }
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    Rendered {
        html: out,
        headings,
    }
}

/// The first paragraph of `text` as plain text.
///
/// pulldown-cmark reads a document's whole block structure before its first event, so the
/// paragraph is looked for in the text up to the first few blank lines first. Blocks are
/// decided line by line and a blank line ends a paragraph, so a paragraph complete in such a
/// part is the document's; only definitions (`[label]: url`, `[^note]: text`), which may come
/// later and turn a bracket into a link or a note, change it: a part with a bracket is not
/// trusted when the text has a definition anywhere.
pub fn first_paragraph(text: &str) -> String {
    /// Parts tried before the whole: an article's first paragraph follows at most a heading
    /// or two.
    const PARTS: usize = 3;
    // Looked for only when a part has a bracket: most have none, and the whole text is long.
    let definitions = std::cell::LazyCell::new(|| text.contains("]:"));
    let blank_lines = text.match_indices("\n\n").map(|(at, _)| at + 1);
    for end in blank_lines.take(PARTS) {
        let part = &text[..end];
        if part.contains('[') && *definitions {
            break;
        }
        if let Some(paragraph) = paragraph_in(Parser::new_ext(part, options())) {
            return paragraph;
        }
    }
    first_paragraph_of(Parser::new_ext(text, options()))
}

fn first_paragraph_of<'a>(events: impl Iterator<Item = Event<'a>>) -> String {
    paragraph_in(events).unwrap_or_default()
}

/// The first paragraph of `events` as plain text; `None` when they hold none.
fn paragraph_in<'a>(mut events: impl Iterator<Item = Event<'a>>) -> Option<String> {
    events.find(|e| matches!(e, Event::Start(Tag::Paragraph)))?;
    let paragraph: Vec<Event> = events
        .take_while(|e| !matches!(e, Event::End(TagEnd::Paragraph)))
        .collect();
    Some(plain_text(&paragraph))
}

/// The whole of `text` as plain text, as a reader reads it: the words of every block, a space
/// between blocks, without markup, raw HTML or link addresses. For the search index.
pub fn text_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(end) if ends_block(end) && !out.ends_with(' ') => out.push(' '),
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Whether a tag's end closes a block (whose last word must not run into the next block's
/// first), rather than a run of text inside one (emphasis, a link).
fn ends_block(end: TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// The text of a run of events, without markup (footnote references left out).
fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_of_a_document_keeps_its_words_and_drops_its_markup() {
        let text = text_of(
            "# A *ti*tle\n\nOne [link](https://example.org) and `code`.\n\n- x\n- y\n\n<b>raw</b>\n",
        );
        assert_eq!(text, "A title One link and code. x y raw");
    }

    #[test]
    fn tables_footnotes_and_heading_ids() {
        let text = "Intro with *emphasis*.[^1]\n\n## The steps\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n## The steps\n\n[^1]: A note.\n";
        let doc = render(text);
        assert!(doc.html.contains("<table>"), "{}", doc.html);
        assert!(
            doc.html.contains("class=\"footnote-definition\""),
            "{}",
            doc.html
        );
        assert!(doc.html.contains("<h2 id=\"the-steps\">"), "{}", doc.html);
        assert!(doc.html.contains("<h2 id=\"the-steps-1\">"), "{}", doc.html);
        assert_eq!(first_paragraph(text), "Intro with emphasis.");
        assert_eq!(
            first_paragraph("# Title\n\nIntro with *emphasis*.[^1]\n\nMore.\n\n[^1]: A note.\n"),
            "Intro with emphasis."
        );
        assert_eq!(doc.headings.len(), 2);
    }

    #[test]
    fn the_first_paragraph_is_the_whole_documents_whatever_comes_after_it() {
        let whole = |text: &str| first_paragraph_of(Parser::new_ext(text, options()));
        for text in [
            "Intro.\n\nMore.\n",
            "# Title\n\n## Sub\n\nIntro *here*.\n\nMore.\n",
            "Setext\n===\n\nIntro\nover two lines.\n\nMore.\n",
            "```\ncode\n\nstill code\n```\n\nIntro.\n",
            "<div>\n\nhtml\n\n</div>\n\nIntro.\n",
            "- a\n- b\n\n- c\n\nIntro.\n",
            "- a\n\n  b\n",
            "> quoted\n\nIntro.\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nIntro.\n",
            "Intro [linked][ref] and a note.[^1]\n\nMore.\n\n[ref]: https://example.org\n[^1]: Note.\n",
            "Intro [not linked][ref].\n\nMore.\n",
            "Intro without brackets.\n\nMore.[^1]\n\n[^1]: Note.\n",
            "# [Heading][ref]\n\nIntro.\n\n[ref]: https://example.org\n",
            "# A\n\n# B\n\n# C\n\n# D\n\nIntro after many headings.\n",
            "No blank line at all",
            "",
        ] {
            assert_eq!(first_paragraph(text), whole(text), "{text:?}");
        }
        assert_eq!(
            first_paragraph("- a\n- b\n\n- c\n\nIntro.\n"),
            "a",
            "a loose list's first item is a paragraph"
        );
    }

    #[test]
    fn smart_punctuation_and_strikethrough() {
        let doc = render("\"Quoted\" -- ~~gone~~\n");
        assert!(doc.html.contains("“Quoted” –"), "{}", doc.html);
        assert!(doc.html.contains("<del>gone</del>"), "{}", doc.html);
    }
}
