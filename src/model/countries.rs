//! Parties: the codes events may name, and what each is called.
//!
//! A code is an ISO 3166-1 alpha-2 code, whose name and flag come from the keshvar crate, or a
//! code of 2 to 8 letters or digits that a file `content/countries/<code>.md` declares with a
//! `name` (the European Union as `EU`). Such a file may also rename an ISO country ("DR Congo")
//! and give any party its kind and flag (CONTENT-FORMAT.md, version 2).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A party's code: 2 to 8 ASCII letters or digits, kept in capitals. Small and `Copy`: it is
/// what events, tracks and tables hold; the party's name and flag are looked up in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Country {
    /// The code in capitals, padded with zero bytes.
    code: [u8; 8],
}

impl Country {
    /// The code written in any case, or none when it is not 2 to 8 letters or digits.
    pub fn parse(text: &str) -> Option<Country> {
        let text = text.trim();
        if !(2..=8).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let mut code = [0; 8];
        for (slot, byte) in code.iter_mut().zip(text.bytes()) {
            *slot = byte.to_ascii_uppercase();
        }
        Some(Country { code })
    }

    /// The code in capitals, e.g. `KZ`.
    pub fn code(&self) -> &str {
        let len = self.code.iter().position(|b| *b == 0).unwrap_or(8);
        std::str::from_utf8(&self.code[..len]).unwrap_or("??")
    }

    /// The code in lower case, as used in URLs and file names.
    pub fn code_lower(&self) -> String {
        self.code().to_ascii_lowercase()
    }

    /// The ISO 3166-1 record of the code, when it is one.
    fn iso(&self) -> Option<keshvar::Alpha2> {
        keshvar::Alpha2::try_from(self.code()).ok()
    }
}

/// What kind of party a code names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartyKind {
    #[default]
    State,
    Organisation,
    Territory,
    Other,
}

impl PartyKind {
    pub const ALL: [PartyKind; 4] = [
        PartyKind::State,
        PartyKind::Organisation,
        PartyKind::Territory,
        PartyKind::Other,
    ];

    /// The name written in front matter.
    pub fn id(self) -> &'static str {
        match self {
            PartyKind::State => "state",
            PartyKind::Organisation => "organisation",
            PartyKind::Territory => "territory",
            PartyKind::Other => "other",
        }
    }

    pub fn from_id(id: &str) -> Option<PartyKind> {
        PartyKind::ALL.into_iter().find(|k| k.id() == id.trim())
    }
}

/// How a party's flag is shown: an emoji, or an image under static/.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Flag {
    #[default]
    None,
    Emoji(String),
    /// A path under static/, e.g. `flags/eu.svg`.
    Image(String),
}

impl Flag {
    /// A flag as a countries file writes it: a path to an image (it has a `.`), or an emoji.
    pub fn written(text: &str) -> Flag {
        let text = text.trim();
        if text.is_empty() {
            Flag::None
        } else if text.contains('.') {
            Flag::Image(text.trim_start_matches('/').to_string())
        } else {
            Flag::Emoji(text.to_string())
        }
    }
}

/// What a countries file says of its party.
#[derive(Debug, Clone, Default)]
pub struct Declaration {
    pub name: Option<String>,
    pub kind: Option<PartyKind>,
    pub flag: Option<Flag>,
}

/// A party as pages and data show it.
#[derive(Debug, Clone)]
pub struct Party {
    pub country: Country,
    pub name: String,
    pub kind: PartyKind,
    pub flag: Flag,
    /// The name folded for ordering: without accents, in lower case ("côte" sorts as "cote").
    pub sort_key: String,
}

/// The key that orders names ignoring case and accents: canonical decomposition, then every
/// combining mark dropped.
pub fn sort_key(name: &str) -> String {
    name.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The codes content may name: every ISO 3166-1 alpha-2 code, and the codes declared by
/// content/countries/ files.
#[derive(Debug, Default)]
pub struct Countries {
    declared: BTreeMap<Country, Declaration>,
}

impl Countries {
    pub fn new(declared: BTreeMap<Country, Declaration>) -> Countries {
        Countries { declared }
    }

    /// The party for `code` (any case), or `None` when it is neither ISO 3166-1 alpha-2 nor
    /// declared with a name.
    pub fn lookup(&self, code: &str) -> Option<Country> {
        let country = Country::parse(code)?;
        let named = self
            .declared
            .get(&country)
            .is_some_and(|d| d.name.is_some());
        (named || country.iso().is_some()).then_some(country)
    }

    /// The party of every code in `used`, with the standard names and flags of ISO codes and
    /// what the countries files declare on top.
    pub fn parties(&self, used: &BTreeSet<Country>) -> BTreeMap<Country, Party> {
        used.iter()
            .map(|country| (*country, self.party(*country)))
            .collect()
    }

    fn party(&self, country: Country) -> Party {
        let declared = self.declared.get(&country);
        let iso = country.iso().map(|alpha2| alpha2.to_country());
        let standard_name = iso.as_ref().map(|data| {
            data.translations()
                .get("en")
                .copied()
                .unwrap_or(data.iso_short_name())
                .to_string()
        });
        let name = declared
            .and_then(|d| d.name.clone())
            .or(standard_name)
            .unwrap_or_else(|| country.code().to_string());
        let flag = declared
            .and_then(|d| d.flag.clone())
            .or_else(|| {
                iso.as_ref()
                    .map(|data| Flag::Emoji(data.emoji().to_string()))
            })
            .unwrap_or_default();
        Party {
            country,
            sort_key: sort_key(&name),
            name,
            kind: declared.and_then(|d| d.kind).unwrap_or_default(),
            flag,
        }
    }

    /// The standard English name of an ISO code.
    fn iso_name(code: &str) -> Option<String> {
        let data = keshvar::Alpha2::try_from(code).ok()?.to_country();
        Some(
            data.translations()
                .get("en")
                .copied()
                .unwrap_or(data.iso_short_name())
                .to_string(),
        )
    }

    /// What to suggest for a code that is neither ISO 3166-1 alpha-2 nor declared.
    pub fn suggest(&self, code: &str) -> String {
        // Codes that people use but ISO reserves for other purposes.
        let common = [("UK", "GB"), ("EL", "GR")];
        let upper = code.trim().to_ascii_uppercase();
        if let Some((_, iso)) = common.iter().find(|(wrong, _)| *wrong == upper)
            && let Some(name) = Countries::iso_name(iso)
        {
            return format!("did you mean `{iso}` ({name})?");
        }
        if upper.len() > 2
            && let Some(country) = keshvar::CountryIterator::new()
                .find(|c| c.iso_short_name().eq_ignore_ascii_case(code.trim()))
        {
            return format!(
                "use the two-letter code `{}` for {}",
                country.alpha2(),
                code.trim()
            );
        }
        match Country::parse(code) {
            Some(country) => format!(
                "use an ISO 3166-1 alpha-2 code, such as `AE` for the United Arab Emirates; \
                 for a party that has none, declare it in content/countries/{}.md with a `name:`",
                country.code_lower()
            ),
            None => "use an ISO 3166-1 alpha-2 code, such as `AE` for the United Arab Emirates, \
                     or a code of 2 to 8 letters and digits declared in content/countries/"
                .to_string(),
        }
    }
}
