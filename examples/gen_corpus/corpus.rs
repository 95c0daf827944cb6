//! A synthetic, deterministic corpus of news articles about treaty membership, in two forms:
//! a treatyline site (the content contract of docs/content-format.md) and a Hugo site with the
//! same Markdown bodies and minimal equivalent templates, so that both generators can be timed
//! on the same input.
//!
//! Everything is made in memory as `(path, text)` pairs and written by [`write_files`] only when
//! asked, so the micro-benchmarks use the same corpus without a disk.
//!
//! The events are consistent across the whole corpus: every (treaty, country) pair has one
//! timeline whose stages are dated in their natural order, and every article reports events
//! taken from those timelines, so two articles that report the same (treaty, country, stage)
//! give the same date and no stage ever moves backwards. The treaties are fictional, so the
//! corpus asserts no real-world facts; the countries are real ISO 3166-1 codes.
//!
//! The same article count and seed give the same bytes, for a given version of `fastrand`
//! (pinned by Cargo.lock).

// Each user (the example, the tests, the benchmarks) uses a different part of this module.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::LazyLock;

use jiff::civil::{Date, date};
use jiff::{Span, ToSpan};

/// One file of a generated site: its path relative to the site's folder (with `/`) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub text: String,
}

/// Counts that describe a corpus, printed by the example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub articles: usize,
    pub events: usize,
    /// Distinct (treaty, country, stage) events.
    pub distinct_events: usize,
    pub treaties: usize,
    pub countries: usize,
    pub footnotes: usize,
    pub words: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} articles, {} events ({} distinct), {} treaties, {} countries, {} with footnotes, {:.1} words a body on average",
            self.articles,
            self.events,
            self.distinct_events,
            self.treaties,
            self.countries,
            self.footnotes,
            self.words as f64 / self.articles.max(1) as f64
        )
    }
}

/// A generated corpus: its articles, made once and written in either form.
pub struct Corpus {
    seed: u64,
    articles: Vec<Article>,
}

impl Corpus {
    /// Makes `articles` articles from `seed`.
    pub fn generate(articles: usize, seed: u64) -> Corpus {
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut timelines = Timelines {
            seed,
            cache: BTreeMap::new(),
        };
        let articles = (1..=articles)
            .map(|i| make_article(i, &mut rng, &mut timelines))
            .collect();
        Corpus { seed, articles }
    }

    /// The treatyline site: site.yaml, content/treaties/*.md and content/articles/*.md.
    pub fn treatyline_files(&self) -> Vec<File> {
        let mut files = vec![File {
            path: "site.yaml".into(),
            text: treatyline_site_yaml(),
        }];
        let mut rng = fastrand::Rng::with_seed(mix(self.seed, 0x7472_6561_7479)); // "treaty"
        for t in TREATIES {
            files.push(File {
                path: format!("content/treaties/{}.md", t.slug),
                text: treatyline_treaty(t, &mut rng),
            });
        }
        for a in &self.articles {
            files.push(File {
                path: format!("content/articles/{}-{}.md", a.date, a.slug),
                text: treatyline_article(a),
            });
        }
        files
    }

    /// The Hugo site: hugo.yaml, layouts/ and content/articles/*.md, with the same bodies,
    /// the countries and treaties as taxonomies.
    pub fn hugo_files(&self) -> Vec<File> {
        let mut files = vec![File {
            path: "hugo.yaml".into(),
            text: HUGO_CONFIG.into(),
        }];
        for (name, text) in HUGO_LAYOUTS {
            files.push(File {
                path: format!("layouts/{name}"),
                text: (*text).into(),
            });
        }
        for a in &self.articles {
            files.push(File {
                path: format!("content/articles/{}.md", a.slug),
                text: hugo_article(a),
            });
        }
        files
    }

    pub fn summary(&self) -> Summary {
        let events = self.articles.iter().flat_map(|a| {
            a.events
                .iter()
                .map(move |e| (e.treaty.unwrap_or(a.treaty), e.country, e.stage))
        });
        let distinct: BTreeSet<_> = events.clone().collect();
        Summary {
            articles: self.articles.len(),
            events: events.clone().count(),
            distinct_events: distinct.len(),
            treaties: events
                .clone()
                .map(|(t, _, _)| t)
                .collect::<BTreeSet<_>>()
                .len(),
            countries: events.map(|(_, c, _)| c).collect::<BTreeSet<_>>().len(),
            footnotes: self
                .articles
                .iter()
                .filter(|a| a.body.contains("[^1]:"))
                .count(),
            words: self.articles.iter().map(|a| word_count(&a.body)).sum(),
        }
    }
}

/// Writes `files` under `dir`, making the folders they need.
pub fn write_files(dir: &Path, files: &[File]) -> std::io::Result<()> {
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &file.text)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Fixed data

#[rustfmt::skip]
const COUNTRIES: &[(&str, &str)] = &[
    ("AE", "United Arab Emirates"), ("AF", "Afghanistan"), ("AL", "Albania"), ("AM", "Armenia"),
    ("AO", "Angola"), ("AR", "Argentina"), ("AT", "Austria"), ("AU", "Australia"),
    ("AZ", "Azerbaijan"), ("BA", "Bosnia and Herzegovina"), ("BD", "Bangladesh"),
    ("BE", "Belgium"), ("BF", "Burkina Faso"), ("BG", "Bulgaria"), ("BH", "Bahrain"),
    ("BJ", "Benin"), ("BN", "Brunei"), ("BO", "Bolivia"), ("BR", "Brazil"), ("BT", "Bhutan"),
    ("BW", "Botswana"), ("BY", "Belarus"), ("CA", "Canada"), ("CD", "DR Congo"),
    ("CF", "Central African Republic"), ("CG", "Congo"), ("CH", "Switzerland"),
    ("CI", "Ivory Coast"), ("CL", "Chile"), ("CM", "Cameroon"), ("CN", "China"),
    ("CO", "Colombia"), ("CR", "Costa Rica"), ("CU", "Cuba"), ("CY", "Cyprus"),
    ("CZ", "Czechia"), ("DE", "Germany"), ("DJ", "Djibouti"), ("DK", "Denmark"),
    ("DO", "Dominican Republic"), ("DZ", "Algeria"), ("EC", "Ecuador"), ("EE", "Estonia"),
    ("EG", "Egypt"), ("ER", "Eritrea"), ("ES", "Spain"), ("ET", "Ethiopia"), ("FI", "Finland"),
    ("FJ", "Fiji"), ("FR", "France"), ("GA", "Gabon"), ("GB", "United Kingdom"),
    ("GE", "Georgia"), ("GH", "Ghana"), ("GM", "Gambia"), ("GN", "Guinea"), ("GR", "Greece"),
    ("GT", "Guatemala"), ("GY", "Guyana"), ("HN", "Honduras"), ("HR", "Croatia"),
    ("HT", "Haiti"), ("HU", "Hungary"), ("ID", "Indonesia"), ("IE", "Ireland"),
    ("IL", "Israel"), ("IN", "India"), ("IQ", "Iraq"), ("IR", "Iran"), ("IS", "Iceland"),
    ("IT", "Italy"), ("JM", "Jamaica"), ("JO", "Jordan"), ("JP", "Japan"), ("KE", "Kenya"),
    ("KG", "Kyrgyzstan"), ("KH", "Cambodia"), ("KR", "South Korea"), ("KW", "Kuwait"),
    ("KZ", "Kazakhstan"), ("LA", "Laos"), ("LB", "Lebanon"), ("LK", "Sri Lanka"),
    ("LR", "Liberia"), ("LS", "Lesotho"), ("LT", "Lithuania"), ("LU", "Luxembourg"),
    ("LV", "Latvia"), ("LY", "Libya"), ("MA", "Morocco"), ("MD", "Moldova"),
    ("ME", "Montenegro"), ("MG", "Madagascar"), ("MK", "North Macedonia"), ("ML", "Mali"),
    ("MM", "Myanmar"), ("MN", "Mongolia"), ("MR", "Mauritania"), ("MT", "Malta"),
    ("MU", "Mauritius"), ("MV", "Maldives"), ("MW", "Malawi"), ("MX", "Mexico"),
    ("MY", "Malaysia"), ("MZ", "Mozambique"), ("NA", "Namibia"), ("NE", "Niger"),
    ("NG", "Nigeria"), ("NI", "Nicaragua"), ("NL", "Netherlands"), ("NO", "Norway"),
    ("NP", "Nepal"), ("NZ", "New Zealand"), ("OM", "Oman"), ("PA", "Panama"), ("PE", "Peru"),
    ("PG", "Papua New Guinea"), ("PH", "Philippines"), ("PK", "Pakistan"), ("PL", "Poland"),
    ("PT", "Portugal"), ("PY", "Paraguay"), ("QA", "Qatar"), ("RO", "Romania"),
    ("RS", "Serbia"), ("RU", "Russia"), ("RW", "Rwanda"), ("SA", "Saudi Arabia"),
    ("SD", "Sudan"), ("SE", "Sweden"), ("SG", "Singapore"), ("SI", "Slovenia"),
    ("SK", "Slovakia"), ("SL", "Sierra Leone"), ("SN", "Senegal"), ("SO", "Somalia"),
    ("SR", "Suriname"), ("SV", "El Salvador"), ("SY", "Syria"), ("TD", "Chad"), ("TG", "Togo"),
    ("TH", "Thailand"), ("TJ", "Tajikistan"), ("TM", "Turkmenistan"), ("TN", "Tunisia"),
    ("TR", "Turkey"), ("TT", "Trinidad and Tobago"), ("TZ", "Tanzania"), ("UA", "Ukraine"),
    ("UG", "Uganda"), ("US", "United States"), ("UY", "Uruguay"), ("UZ", "Uzbekistan"),
    ("VE", "Venezuela"), ("VN", "Vietnam"), ("YE", "Yemen"), ("ZA", "South Africa"),
    ("ZM", "Zambia"), ("ZW", "Zimbabwe"),
];

/// The stages this corpus uses, in their natural order (`talks` and `suspended` are left out),
/// with the verb of a title for one country and for several.
const STAGES: [(&str, &str, &str); 6] = [
    (
        "announced",
        "Announces Plan to Join",
        "Announce Plans to Join",
    ),
    (
        "agreed-in-principle",
        "Agrees in Principle to Join",
        "Agree in Principle to Join",
    ),
    ("signed", "Signs", "Sign"),
    ("ratified", "Ratifies", "Ratify"),
    (
        "in-force",
        "Becomes a Full Party to",
        "Become Full Parties to",
    ),
    ("withdrawn", "Withdraws from", "Withdraw from"),
];
const IN_FORCE: usize = 4;
const WITHDRAWN: usize = 5;

struct TreatyDef {
    slug: &'static str,
    title: &'static str,
    short: &'static str,
    established: (i16, i8, i8),
    founders: &'static [&'static str],
    brokers: &'static [&'static str],
    summary: &'static str,
}

const TREATIES: &[TreatyDef] = &[
    TreatyDef {
        slug: "meridian-trade-accord",
        title: "Meridian Trade Accord",
        short: "Meridian Accord",
        established: (1950, 3, 14),
        founders: &["FR", "IT", "NL", "BE"],
        brokers: &[],
        summary: "A customs and tariff accord among maritime trading states.",
    },
    TreatyDef {
        slug: "northern-waters-convention",
        title: "Northern Waters Convention",
        short: "Northern Waters",
        established: (1962, 9, 2),
        founders: &["NO", "IS", "DK", "CA"],
        brokers: &["GB"],
        summary: "Fisheries and navigation rules for the northern seas.",
    },
    TreatyDef {
        slug: "atlas-climate-compact",
        title: "Atlas Climate Compact",
        short: "Atlas Compact",
        established: (1979, 5, 21),
        founders: &["MA", "DZ", "TN"],
        brokers: &["FR"],
        summary: "A regional compact on desertification and water sharing.",
    },
    TreatyDef {
        slug: "harbor-security-pact",
        title: "Harbor Security Pact",
        short: "Harbor Pact",
        established: (1991, 11, 8),
        founders: &["SG", "MY", "ID"],
        brokers: &["JP"],
        summary: "Joint patrols and port-security standards.",
    },
    TreatyDef {
        slug: "concord-science-charter",
        title: "Concord Science Charter",
        short: "Concord Charter",
        established: (2004, 2, 17),
        founders: &["CH", "AT", "SE"],
        brokers: &[],
        summary: "Open access to publicly funded research infrastructure.",
    },
    TreatyDef {
        slug: "sahel-andes-development-treaty",
        title: "Sahel-Andes Development Treaty",
        short: "Sahel-Andes Treaty",
        established: (2015, 6, 30),
        founders: &["SN", "PE", "BO", "ML"],
        brokers: &["BR"],
        summary: "South-south development finance and technology transfer.",
    },
];

#[rustfmt::skip]
const AUTHORS: &[&str] = &[
    "Sara Khaled", "Tomas Lindqvist", "Amara Okafor", "Jun Watanabe", "Lucia Ferrer",
    "Daniel Mbeki", "Priya Raman", "Oleg Petrov", "Mariana Costa", "Hassan Farouk",
    "Ingrid Solberg", "Kofi Mensah", "Elena Vasquez", "Ravi Menon", "Claire Dubois",
    "Yusuf Demir", "Hana Kobayashi", "Pedro Alves", "Nadia Rahman", "Jonas Weber",
];

#[rustfmt::skip]
const TAGS: &[&str] = &[
    "trade", "security", "climate", "energy", "fisheries", "finance", "diplomacy",
    "critical-minerals", "central-asia", "west-africa", "andes", "arctic", "maritime",
    "elections", "parliament", "courts",
];

const WORDS: &str = "accord agreement alliance ambassador annex article assembly balance bilateral border \
budget cabinet capital ceremony chamber charter coalition commission committee commitment \
compliance concession conference consensus consultation council court customs debate \
declaration delegation deputy diplomat dispute draft economy embassy envoy exchange \
federal finance foreign framework government guarantee harbor implementation initiative \
instrument investment justice language law leader legislature market measure mediator \
minister ministry mission negotiation neighbour observer obligation office opposition \
parliament partner party petition policy port premier president press principle procedure \
protocol provision quota ratification reform region regulation reservation resolution \
review round sanction secretariat security senate session settlement signatory sovereignty \
spokesperson statement summit supply tariff term territory text trade transit treaty \
tribunal union vote water weeks years schedule pipeline corridor grid reserve fleet \
coast river valley province district council mayor governor farmers industry exporters \
importers investors bankers unions students scientists engineers analysts officials";

const VERBS: &str = "approved announced argued asked backed called confirmed debated delayed described \
expected explained hoped insisted noted opposed outlined pledged proposed questioned \
raised reported reviewed said signalled stressed suggested supported warned welcomed";

const ADJECTIVES: &str = "bilateral binding cautious central clear complex critical direct early economic final \
formal full historic initial key landmark legal long major modest narrow national new \
open partial political practical public rapid regional routine short slow strong \
technical temporary urgent wide";

#[rustfmt::skip]
const HEADINGS: &[&str] = &[
    "Background", "What the text says", "Reactions", "The vote", "Next steps", "Outlook",
    "Context", "Economic stakes", "Legal questions", "Timeline",
];

const SITE_TITLE: &str = "Treaty Membership Timeline";
const BASE_URL: &str = "https://example.org/timeline/";

fn start() -> Date {
    date(1950, 1, 1)
}

fn end() -> Date {
    date(2026, 10, 31)
}

// ---------------------------------------------------------------------------------------------
// Random helpers

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// The vocabulary of the bodies, split into words once.
struct Vocabulary {
    words: Vec<&'static str>,
    verbs: Vec<&'static str>,
    adjectives: Vec<&'static str>,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| Vocabulary {
    words: WORDS.split_whitespace().collect(),
    verbs: VERBS.split_whitespace().collect(),
    adjectives: ADJECTIVES.split_whitespace().collect(),
});

fn days(n: i64) -> Span {
    n.days()
}

fn rand_date(rng: &mut fastrand::Rng, lo: Date, hi: Date) -> Date {
    let span = lo.until(hi).expect("dates in range").get_days();
    lo + days(rng.i64(0..=i64::from(span)))
}

/// A seed for one (treaty, country) timeline: independent of the order articles ask for it.
fn mix(seed: u64, key: u64) -> u64 {
    // splitmix64's finaliser, so nearby keys give unrelated streams.
    let mut z = seed ^ key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A YAML double-quoted scalar (a JSON string is one).
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

fn slugify(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Words as an author would count them: runs of ASCII letters.
fn word_count(text: &str) -> usize {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .filter(|w| !w.is_empty())
        .count()
}

fn sentence(rng: &mut fastrand::Rng, names: &[&str]) -> String {
    let vocabulary = &*VOCABULARY;
    let n = rng.usize(8..=20);
    let mut out: Vec<&str> = Vec::with_capacity(n);
    for _ in 0..n {
        let r = rng.f64();
        out.push(if r < 0.04 && !names.is_empty() {
            *pick(rng, names)
        } else if r < 0.22 {
            *pick(rng, &vocabulary.verbs)
        } else if r < 0.38 {
            *pick(rng, &vocabulary.adjectives)
        } else {
            *pick(rng, &vocabulary.words)
        });
    }
    let text = out.join(" ");
    let mut chars = text.chars();
    let first = chars.next().expect("a sentence has words");
    format!("{}{}.", first.to_uppercase(), chars.as_str())
}

fn paragraph(rng: &mut fastrand::Rng, names: &[&str], sentences: Option<usize>) -> String {
    let n = sentences.unwrap_or_else(|| rng.usize(3..=6));
    let mut sentences: Vec<String> = (0..n).map(|_| sentence(rng, names)).collect();
    // Emphasis (and sometimes strong emphasis) inside one sentence.
    let i = rng.usize(..sentences.len());
    let mut w: Vec<String> = sentences[i].split(' ').map(str::to_string).collect();
    if w.len() > 4 {
        let j = rng.usize(1..=w.len() - 3);
        w[j] = format!("*{}*", w[j]);
        if rng.f64() < 0.5 {
            let next = &w[j + 1];
            let dot = if next.ends_with('.') { "." } else { "" };
            w[j + 1] = format!("**{}**{dot}", next.trim_end_matches('.'));
        }
        sentences[i] = w.join(" ");
    }
    sentences.join(" ")
}

// ---------------------------------------------------------------------------------------------
// Timelines: one per (treaty, country), stages in their natural order

struct Timelines {
    seed: u64,
    cache: BTreeMap<(usize, usize), Vec<(usize, Date)>>,
}

impl Timelines {
    /// The (stage, date) steps of `country` in `treaty`, oldest first; never empty.
    fn get(&mut self, treaty: usize, country: usize) -> &[(usize, Date)] {
        let seed = self.seed;
        self.cache
            .entry((treaty, country))
            .or_insert_with(|| make_timeline(seed, treaty, country))
    }
}

fn make_timeline(seed: u64, treaty: usize, country: usize) -> Vec<(usize, Date)> {
    let mut rng = fastrand::Rng::with_seed(mix(seed, ((treaty as u64) << 32) | country as u64));
    let (y, m, d) = TREATIES[treaty].established;
    let lo = date(y, m, d).max(start());
    let mut day = rand_date(&mut rng, lo, date(2025, 12, 31));
    let first = if rng.f64() < 0.7 { 0 } else { rng.usize(1..=2) };
    let mut out = Vec::new();
    for stage in first..=IN_FORCE {
        if day > end() {
            break;
        }
        out.push((stage, day));
        if rng.f64() < 0.12 {
            break;
        }
        day += days(rng.i64(20..=700));
    }
    if out.len() == IN_FORCE + 1 - first && rng.f64() < 0.12 {
        let left = out[out.len() - 1].1 + days(rng.i64(365..=6000));
        if left <= end() {
            out.push((WITHDRAWN, left));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// One article

struct Event {
    country: usize,
    stage: usize,
    date: Date,
    /// The event's own treaty when it differs from the article's.
    treaty: Option<usize>,
    note: Option<String>,
}

struct Article {
    title: String,
    date: Date,
    author: &'static str,
    summary: Option<String>,
    treaty: usize,
    events: Vec<Event>,
    slug: String,
    sources: Vec<(String, String)>,
    tags: Vec<&'static str>,
    body: String,
}

impl Article {
    /// Every treaty the article mentions, its own first.
    fn treaties(&self) -> Vec<usize> {
        let mut out = vec![self.treaty];
        for t in self.events.iter().filter_map(|e| e.treaty) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }
}

fn make_article(i: usize, rng: &mut fastrand::Rng, timelines: &mut Timelines) -> Article {
    // The first articles take each treaty in turn, so that even a small corpus spans them all.
    let treaty = if i <= TREATIES.len() {
        i - 1
    } else {
        rng.usize(..TREATIES.len())
    };
    let n_events = *pick(rng, &[1, 1, 2, 2, 3]);
    let mut countries: Vec<usize> = Vec::new();
    while countries.len() < n_events {
        let c = rng.usize(..COUNTRIES.len());
        if !countries.contains(&c) {
            countries.push(c);
        }
    }
    let mut events: Vec<Event> = Vec::new();
    for c in countries {
        let mut t = treaty;
        if !events.is_empty() && rng.f64() < 0.15 {
            t = rng.usize(..TREATIES.len());
        }
        let line = timelines.get(t, c);
        let (stage, day) = line[rng.usize(..line.len())];
        let note = (rng.f64() < 0.5).then(|| sentence(rng, &[COUNTRIES[c].1]));
        events.push(Event {
            country: c,
            stage,
            date: day,
            treaty: (t != treaty).then_some(t),
            note,
        });
    }
    let last = events
        .iter()
        .map(|e| e.date)
        .max()
        .expect("one event or more");
    let published = (last + days(rng.i64(0..=10))).min(end() + days(20));

    let lead = &events[0];
    let names: Vec<&str> = events.iter().map(|e| COUNTRIES[e.country].1).collect();
    let lead_treaty = &TREATIES[lead.treaty.unwrap_or(treaty)];
    let (_, one, several) = STAGES[lead.stage];
    let title = if names.len() == 1 {
        format!("{} {one} the {}", names[0], lead_treaty.title)
    } else {
        let who = format!(
            "{} and {}",
            names[..names.len() - 1].join(", "),
            names[names.len() - 1]
        );
        format!("{who} {several} the {}", lead_treaty.title)
    };
    let mut base = slugify(&title);
    base.truncate(70);
    let slug = format!("{}-{i:05}", base.trim_end_matches('-'));

    let author = *pick(rng, AUTHORS);
    let sources = (0..rng.usize(1..=2))
        .map(|k| {
            (
                format!("https://example.org/news/{slug}-{k}"),
                format!("Report {} on {}", k + 1, names[0]),
            )
        })
        .collect();
    let mut tags: Vec<&'static str> = Vec::new();
    for _ in 0..rng.usize(0..=3) {
        let tag = *pick(rng, TAGS);
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags.sort_unstable();
    let summary = (rng.f64() < 0.5).then(|| sentence(rng, &names));
    let mut article = Article {
        title,
        date: published,
        author,
        summary,
        treaty,
        events,
        slug,
        sources,
        tags,
        body: String::new(),
    };
    let footnote = rng.f64() < 1.0 / 3.0;
    article.body = make_body(rng, &article, &names, footnote);
    article
}

/// A body of 400 to 700 words: paragraphs with emphasis, headings, a link, a list, a table
/// of the article's events and, when `footnote`, a footnote.
fn make_body(rng: &mut fastrand::Rng, article: &Article, names: &[&str], footnote: bool) -> String {
    let target = rng.usize(400..=700);
    let treaty = &TREATIES[article.treaty];
    let mut parts: Vec<String> = Vec::new();
    parts.push(format!(
        "The {} gained attention this week as {} moved forward. {}",
        treaty.title,
        names.join(" and "),
        paragraph(rng, names, Some(3))
    ));
    let mut heads: Vec<&str> = Vec::new();
    while heads.len() < 4 {
        let h = *pick(rng, HEADINGS);
        if !heads.contains(&h) {
            heads.push(h);
        }
    }
    parts.push(format!("## {}", heads[0]));
    parts.push(format!(
        "{} The full text is available from the [{} secretariat](https://example.org/treaties/{}).",
        paragraph(rng, names, None),
        treaty.short,
        treaty.slug
    ));
    parts.push("Key points of the announcement:".into());
    let items: Vec<String> = (0..rng.usize(3..=5))
        .map(|_| format!("- {}", sentence(rng, names)))
        .collect();
    parts.push(items.join("\n"));
    parts.push(format!("## {}", heads[1]));
    let mut rows = vec![
        "| Country | Stage | Date |".to_string(),
        "| --- | --- | --- |".to_string(),
    ];
    for e in &article.events {
        rows.push(format!(
            "| {} | {} | {} |",
            COUNTRIES[e.country].1, STAGES[e.stage].0, e.date
        ));
    }
    parts.push(rows.join("\n"));
    let mut p = paragraph(rng, names, None);
    if footnote {
        p.push_str(" Officials gave no timetable for the next step.[^1]");
    }
    parts.push(p);
    parts.push(format!("### {}", heads[2]));
    let mut count: usize = parts.iter().map(|p| word_count(p)).sum();
    let mut tail = 0;
    while count < target {
        let p = paragraph(rng, names, None);
        count += word_count(&p);
        parts.push(p);
        tail += 1;
        if tail == 2 {
            parts.push(format!("## {}", heads[3]));
            count += word_count(heads[3]);
        }
    }
    if footnote {
        parts.push(format!(
            "[^1]: {} See the statement of {}.",
            sentence(rng, names),
            article.date
        ));
    }
    parts.join("\n\n") + "\n"
}

// ---------------------------------------------------------------------------------------------
// Writers

fn events_yaml(article: &Article, quote_dates: bool) -> String {
    let mut out = String::new();
    for e in &article.events {
        out.push_str(&format!("  - country: {}\n", COUNTRIES[e.country].0));
        out.push_str(&format!("    stage: {}\n", STAGES[e.stage].0));
        let day = e.date.to_string();
        if quote_dates {
            out.push_str(&format!("    date: {}\n", quoted(&day)));
        } else {
            out.push_str(&format!("    date: {day}\n"));
        }
        if let Some(t) = e.treaty {
            out.push_str(&format!("    treaty: {}\n", TREATIES[t].slug));
        }
        if let Some(note) = &e.note {
            out.push_str(&format!("    note: {}\n", quoted(note)));
        }
    }
    out
}

fn treatyline_site_yaml() -> String {
    format!(
        "title: {}\nbase_url: {BASE_URL}\ndefault_treaty: {}\nlanguage: en\n\
         description: \"Synthetic benchmark corpus: who joined which treaty, when, and what was reported.\"\n",
        quoted(SITE_TITLE),
        TREATIES[0].slug
    )
}

fn treatyline_treaty(t: &TreatyDef, rng: &mut fastrand::Rng) -> String {
    let (y, m, d) = t.established;
    let mut fm = format!(
        "---\ntitle: {}\nshort_title: {}\nestablished: {}\n",
        quoted(t.title),
        quoted(t.short),
        date(y, m, d)
    );
    if !t.founders.is_empty() {
        fm.push_str(&format!("founders: [{}]\n", t.founders.join(", ")));
    }
    if !t.brokers.is_empty() {
        fm.push_str(&format!("brokers: [{}]\n", t.brokers.join(", ")));
    }
    fm.push_str(&format!("summary: {}\n---\n", quoted(t.summary)));
    let names = [t.title];
    format!(
        "{fm}{}\n\n## History\n\n{}\n\n{}\n",
        paragraph(rng, &names, None),
        paragraph(rng, &names, None),
        paragraph(rng, &names, None)
    )
}

fn treatyline_article(a: &Article) -> String {
    let mut fm = format!(
        "---\ntitle: {}\ndate: {}\nauthor: {}\n",
        quoted(&a.title),
        a.date,
        a.author
    );
    if let Some(summary) = &a.summary {
        fm.push_str(&format!("summary: {}\n", quoted(summary)));
    }
    fm.push_str(&format!(
        "treaty: {}\nevents:\n{}sources:\n",
        TREATIES[a.treaty].slug,
        events_yaml(a, false)
    ));
    for (url, title) in &a.sources {
        fm.push_str(&format!("  - url: {url}\n    title: {}\n", quoted(title)));
    }
    if !a.tags.is_empty() {
        fm.push_str(&format!("tags: [{}]\n", a.tags.join(", ")));
    }
    format!("{fm}---\n{}", a.body)
}

fn hugo_article(a: &Article) -> String {
    let mut fm = format!(
        "---\ntitle: {}\ndate: {}\nauthor: {}\n",
        quoted(&a.title),
        a.date,
        quoted(a.author)
    );
    if let Some(summary) = &a.summary {
        fm.push_str(&format!("summary: {}\n", quoted(summary)));
    }
    let countries: Vec<&str> = a.events.iter().map(|e| COUNTRIES[e.country].0).collect();
    let treaties: Vec<&str> = a.treaties().iter().map(|t| TREATIES[*t].slug).collect();
    fm.push_str(&format!(
        "treaty: {}\ncountries: [{}]\ntreaties: [{}]\n",
        TREATIES[a.treaty].slug,
        countries.join(", "),
        treaties.join(", ")
    ));
    if !a.tags.is_empty() {
        fm.push_str(&format!("tags: [{}]\n", a.tags.join(", ")));
    }
    fm.push_str(&format!("events:\n{}", events_yaml(a, true)));
    format!("{fm}---\n{}", a.body)
}

// --- Hugo: the same pages as far as the two generators share them, no more -------------------

const HUGO_CONFIG: &str = r#"baseURL: "https://example.org/timeline/"
title: "Treaty Membership Timeline"
languageCode: en
# no RSS, no sitemap, no robots.txt, no /articles/ section list page
disableKinds: [RSS, sitemap, robotsTXT, section]
buildFuture: true
disableHugoGeneratorInject: true
taxonomies:
  country: countries
  treaty: treaties
markup:
  goldmark:
    extensions:
      typographer: false
      linkify: false
"#;

const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "_default/baseof.html",
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{ block "title" . }}{{ .Title }} | {{ .Site.Title }}{{ end }}</title>
</head>
<body>
<header><a href="{{ .Site.Home.Permalink }}">{{ .Site.Title }}</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#,
    ),
    (
        "_default/single.html",
        r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p class="meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time> by {{ .Params.author }}</p>
<ul class="countries">
{{ range .GetTerms "countries" }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
<ul class="treaties">
{{ range .GetTerms "treaties" }}<li><a href="{{ .Permalink }}">{{ .Title }}</a></li>
{{ end }}</ul>
<table class="events">
{{ range .Params.events }}<tr><td>{{ .country }}</td><td>{{ .stage }}</td><td>{{ .date }}</td><td>{{ with .note }}{{ . }}{{ end }}</td></tr>
{{ end }}</table>
<div class="body">
{{ .Content }}
</div>
</article>
{{ end }}
"#,
    ),
    (
        "_default/list.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
{{ end }}
"#,
    ),
    (
        "_default/taxonomy.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.Permalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
"#,
    ),
    (
        "_default/term.html",
        r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
{{ end }}
"#,
    ),
    (
        "index.html",
        r#"{{ define "title" }}{{ .Site.Title }}{{ end }}
{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
<ul class="timeline">
{{ range .Site.RegularPages.ByDate.Reverse }}<li><a href="{{ .Permalink }}">{{ .Title }}</a> <time>{{ .Date.Format "2006-01-02" }}</time></li>
{{ end }}</ul>
{{ end }}
"#,
    ),
    (
        "404.html",
        r#"{{ define "title" }}Not found | {{ .Site.Title }}{{ end }}
{{ define "main" }}
<h1>Not found</h1>
{{ end }}
"#,
    ),
];
