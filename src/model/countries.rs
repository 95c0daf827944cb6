//! Country data: ISO 3166-1 alpha-2 codes with their names and flags, from the keshvar crate.

use std::collections::HashMap;

/// An ISO 3166-1 alpha-2 code known to the country data, with its name and flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Country {
    code: [u8; 2],
    pub name: &'static str,
    pub flag: &'static str,
}

impl Country {
    /// The code in capitals, e.g. `KZ`.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("??")
    }

    /// The code in lower case, as used in URLs.
    pub fn code_lower(&self) -> String {
        self.code().to_ascii_lowercase()
    }
}

impl PartialOrd for Country {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Country {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.code.cmp(&other.code)
    }
}

/// Looks country codes up once each per build (keshvar builds a whole record per lookup).
#[derive(Default)]
pub struct Countries {
    known: HashMap<[u8; 2], Option<Country>>,
}

impl Countries {
    /// The country for `code` (any case), or `None` when it is not an ISO 3166-1 alpha-2 code.
    pub fn lookup(&mut self, code: &str) -> Option<Country> {
        let upper = code.trim().to_ascii_uppercase();
        let bytes: [u8; 2] = upper.as_bytes().try_into().ok()?;
        *self.known.entry(bytes).or_insert_with(|| {
            let alpha2 = keshvar::Alpha2::try_from(upper.as_str()).ok()?;
            let data = alpha2.to_country();
            let name = data
                .translations()
                .get("en")
                .copied()
                .unwrap_or(data.iso_short_name());
            Some(Country {
                code: bytes,
                name,
                flag: data.emoji(),
            })
        })
    }

    /// What to suggest for a code that is not ISO 3166-1 alpha-2.
    pub fn suggest(&mut self, code: &str) -> String {
        // Codes that people use but ISO reserves for other purposes.
        let common = [("UK", "GB"), ("EL", "GR"), ("KS", "XK"), ("XK", "RS")];
        let upper = code.trim().to_ascii_uppercase();
        if let Some((_, iso)) = common.iter().find(|(wrong, _)| *wrong == upper)
            && let Some(country) = self.lookup(iso)
        {
            return format!("did you mean `{iso}` ({})?", country.name);
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
        "use an ISO 3166-1 alpha-2 code, such as `AE` for the United Arab Emirates".to_string()
    }
}
