//! The rules a single written value must follow: dates, source addresses and slugs. Each
//! returns what is wrong in words, which `parse` places in its file.

use jiff::civil::Date;

use super::types::{EventDate, Precision};

/// `YYYY-MM-DD`, or an RFC 3339 timestamp whose date part is taken as written.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let date_part = text.get(..10).unwrap_or(text);
    if text.len() > 10 {
        text.parse::<jiff::Timestamp>()
            .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD) or an RFC 3339 timestamp"))?;
    }
    let shaped = date_part.len() == 10
        && date_part.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!("`{text}` is not a date: write it as YYYY-MM-DD"));
    }
    date_part
        .parse::<Date>()
        .map_err(|_| format!("`{text}` is not a real calendar date"))
}

/// An event's date: `YYYY-MM-DD` (or an RFC 3339 timestamp), or only `YYYY-MM` or `YYYY`
/// when the day is not known.
pub fn parse_event_date(text: &str) -> Result<EventDate, String> {
    let text = text.trim();
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let partial = match text.split('-').collect::<Vec<_>>().as_slice() {
        [year] if year.len() == 4 && digits(year) => Some((year.parse::<i16>(), None)),
        [year, month] if year.len() == 4 && month.len() == 2 && digits(year) && digits(month) => {
            Some((year.parse::<i16>(), month.parse::<i8>().ok()))
        }
        _ => None,
    };
    let Some((Ok(year), month)) = partial else {
        return parse_date(text).map(EventDate::day).map_err(|m| {
            match m.strip_suffix("YYYY-MM-DD") {
                Some(start) => format!("{start}YYYY-MM-DD, YYYY-MM or YYYY"),
                None => m,
            }
        });
    };
    let not_real = || format!("`{text}` is not a real calendar date");
    let (last_day, precision) = match month {
        Some(month) => (
            Date::new(year, month, 1)
                .map_err(|_| not_real())?
                .last_of_month(),
            Precision::Month,
        ),
        None => (
            Date::new(year, 12, 31).map_err(|_| not_real())?,
            Precision::Year,
        ),
    };
    Ok(EventDate {
        day: last_day,
        precision,
    })
}

/// A source must be a well-formed absolute http(s) URL (it is not fetched).
pub fn check_source_url(text: &str) -> Result<(), String> {
    match url::Url::parse(text.trim()) {
        Ok(url)
            if matches!(url.scheme(), "http" | "https")
                && url
                    .host_str()
                    .is_some_and(|h| h.contains('.') || h == "localhost") =>
        {
            Ok(())
        }
        Ok(url) if !matches!(url.scheme(), "http" | "https") => Err(format!(
            "the source `{text}` is not a web address (scheme `{}`)",
            url.scheme()
        )),
        Ok(_) => Err(format!("the source `{text}` has no valid host name")),
        Err(err) => Err(format!(
            "the source `{text}` is not a well-formed URL: {err}"
        )),
    }
}

/// Whether `text` is an absolute http(s) URL. Only those may become a link: anything else
/// (`javascript:`, `data:`, `file:`, a relative path) is an error, where a doubtful http(s)
/// URL (a host without a dot) is only a warning.
pub fn is_http_url(text: &str) -> bool {
    url::Url::parse(text.trim()).is_ok_and(|url| matches!(url.scheme(), "http" | "https"))
}

/// A slug written by an author: only `a-z`, `0-9` and `-`, so it cannot leave its folder.
pub(super) fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("the slug is empty".to_string());
    }
    if let Some(bad) = slug
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "the slug `{slug}` has the character `{bad}`; a slug may only hold a-z, 0-9 and -"
        ));
    }
    Ok(())
}

/// A slug made from a file name: lower case, runs of other characters become one `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// The file name without a `YYYY-MM-DD-` prefix.
pub(super) fn stem_without_date(stem: &str) -> &str {
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11 && bytes[10] == b'-' && parse_date(&stem[..10]).is_ok();
    if dated { &stem[11..] } else { stem }
}
