//! Calendar months, the unit Kiro bills subscriptions in.

use std::fmt;

use jiff::civil::Date;
use jiff::{Timestamp, tz::TimeZone};

/// A calendar month (UTC), e.g. `2026-03`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: i8,
}

impl Month {
    /// Parses `YYYY-MM`.
    pub fn parse(text: &str) -> Result<Month, String> {
        let bad = || format!("`{text}` is not a month: expected `YYYY-MM`, e.g. `2026-03`");
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        let month: i8 = m.parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || !(1970..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(Month { year, month })
    }

    /// The month `date` falls in.
    pub fn of_date(date: Date) -> Month {
        Month {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The month `at` falls in (UTC).
    pub fn of(at: Timestamp) -> Month {
        Self::of_date(at.to_zoned_datetime(TimeZone::UTC).date())
    }

    /// The first instant of the month (UTC).
    pub fn start(self) -> Timestamp {
        Date::new(self.year, self.month, 1)
            .ok()
            .and_then(|d| d.to_zoned_datetime(TimeZone::UTC).ok())
            .map_or(Timestamp::MIN, |z| z.timestamp())
    }

    /// The following month.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year.saturating_add(1),
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The first instant after the month.
    pub fn end(self) -> Timestamp {
        self.next().start()
    }

    /// Whether `at` falls in this month.
    pub fn contains(self, at: Timestamp) -> bool {
        at >= self.start() && at < self.end()
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn months_parse_and_bound() {
        let m = Month::parse("2026-12").unwrap();
        assert_eq!(m.to_string(), "2026-12");
        assert_eq!(m.next().to_string(), "2027-01");
        assert_eq!(m.start().to_string(), "2026-12-01T00:00:00Z");
        assert!(m.contains("2026-12-31T23:59:59Z".parse().unwrap()));
        assert!(!m.contains("2027-01-01T00:00:00Z".parse().unwrap()));
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("26-01").is_err());
    }
}
