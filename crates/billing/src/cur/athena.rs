//! The Athena (Trino) query that extracts from a CUR 2.0 table exactly the lines the reader
//! keeps, so that a payer with terabytes of CUR runs the heavy filter where its dashboards
//! already run and hands `reconcile` the small result (Athena's CSV output reads as a CUR).
//!
//! It is built from the reader's own columns and rules, so the two cannot disagree: the
//! columns it selects are those the reader looks for, and its filter keeps the Kiro lines and
//! the Amazon Q Developer seat and adjustment lines of the month. `resource_tags` keeps only
//! the `userAttribute/` tags, as JSON text (the form a CSV export writes maps in).

use super::{
    ADJUSTMENTS, AMAZON_Q, COLUMNS, Col, DISCOUNT, KIRO, Q_DEVELOPER_SEATS, USER_ATTRIBUTE,
};
use crate::month::Month;

/// The query for `month` over `table` (`table` or `database.table`); an error names what is
/// wrong with a table name that is not one.
pub fn query(month: Month, table: &str) -> Result<String, String> {
    let parts: Vec<&str> = table.split('.').collect();
    let valid = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    if parts.len() > 2 || !parts.iter().all(|p| valid(p)) {
        return Err(format!(
            "`{table}` is not a table name: expected `TABLE` or `DATABASE.TABLE` of letters, digits, `_` and `-`"
        ));
    }
    let table = parts
        .iter()
        .map(|p| format!("\"{p}\""))
        .collect::<Vec<_>>()
        .join(".");
    let columns: Vec<String> = COLUMNS
        .into_iter()
        .filter(|c| *c != Col::Product)
        .map(|c| match c {
            Col::ResourceTags => format!(
                "json_format(CAST(map_filter({0}, (k, v) -> k LIKE '{USER_ATTRIBUTE}%') AS JSON)) AS {0}",
                c.name()
            ),
            _ => c.name().to_owned(),
        })
        .collect();
    let next = month.next();
    let adjustments = ADJUSTMENTS
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(format!(
        "-- The Kiro lines of {month} for `kiro-org reconcile`: run it in Athena over the CUR 2.0\n\
         -- table, download the result (CSV) and give it to\n\
         -- `kiro-org reconcile [ESTATE] --cur result.csv --month {month}`.\n\
         SELECT\n  {}\n\
         FROM {table}\n\
         WHERE {period} >= TIMESTAMP '{month}-01 00:00:00'\n  \
         AND {period} < TIMESTAMP '{next}-01 00:00:00'\n  \
         AND (\n    {product} = '{KIRO}'\n    \
         OR ({product} = '{AMAZON_Q}' AND (\n      \
         {operation} = '{Q_DEVELOPER_SEATS}'\n      \
         OR {item} LIKE '%{DISCOUNT}'\n      \
         OR {item} IN ({adjustments})))\n  )\n  \
         -- `billing_period` is the partition of a Data Exports table (BILLING_PERIOD=YYYY-MM):\n  \
         -- Athena then reads only the month. Drop the line if the table has no such partition.\n  \
         AND billing_period = '{month}'\n",
        columns.join(",\n  "),
        period = Col::BillingPeriodStart.name(),
        product = Col::ProductCode.name(),
        operation = Col::Operation.name(),
        item = Col::LineItemType.name(),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    #[test]
    fn the_query_selects_the_readers_columns_for_the_month() {
        let q = query(Month::parse("2026-12").unwrap(), "cid_data_export.cur2").unwrap();
        assert!(q.contains("FROM \"cid_data_export\".\"cur2\""), "{q}");
        assert!(
            q.trim_end().ends_with("AND billing_period = '2026-12'"),
            "{q}"
        );
        assert!(q.contains("< TIMESTAMP '2027-01-01 00:00:00'"), "{q}");
        for c in COLUMNS.into_iter().filter(|c| *c != Col::Product) {
            assert!(q.contains(c.name()), "{}: {q}", c.name());
        }
        assert!(
            !q.contains("  product,"),
            "the large product map is not selected: {q}"
        );
        assert!(query(Month::parse("2026-12").unwrap(), "x; DROP TABLE y").is_err());
        assert!(query(Month::parse("2026-12").unwrap(), "a.b.c").is_err());
    }
}
