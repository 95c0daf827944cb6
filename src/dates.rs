//! Dates as readers see them: `6 November 2025`, and the parts a narrow column shows.
//!
//! A leaf: it knows jiff's civil dates and nothing of treatyline, so that the chart's
//! geometry and the views can both use it without depending on each other.

use jiff::civil::Date;

/// `6 November 2025`.
pub fn display_date(date: Date) -> String {
    date.strftime("%-d %B %Y").to_string()
}

/// The day and the month of [`display_date`], `15 September`, for a column that shows the
/// year apart.
pub fn day_month(date: Date) -> String {
    date.strftime("%-d %B").to_string()
}

/// The month of `date`, `April`, for a narrow column that shows the year apart.
pub fn month(date: Date) -> String {
    date.strftime("%B").to_string()
}

/// The month and year of `date`, `April 1994`, for a date known only to its month.
pub fn month_year(date: Date) -> String {
    date.strftime("%B %Y").to_string()
}

/// Midnight UTC at the start of `date` in RFC 3339, as Atom feeds date their entries:
/// `2020-09-15T00:00:00Z`.
pub fn start_of_day_utc(date: Date) -> String {
    format!("{date}T00:00:00Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_written_in_english() {
        let day: Date = "2020-09-05".parse().unwrap();
        assert_eq!(display_date(day), "5 September 2020");
        assert_eq!(day_month(day), "5 September");
        assert_eq!(month(day), "September");
        assert_eq!(month_year(day), "September 2020");
        assert_eq!(start_of_day_utc(day), "2020-09-05T00:00:00Z");
    }
}
