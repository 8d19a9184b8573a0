//! What the reports for people share: tables and amounts.

use std::fmt;
use std::io::IsTerminal;
use std::ops::{Deref, DerefMut};

use comfy_table::{
    Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width,
    presets::UTF8_FULL_CONDENSED,
};
use kiro_billing::Money;

/// An amount with its currency and thousands separators: `USD 12,340.00`.
pub fn money(currency: &str, m: Money) -> String {
    format!("{currency} {}", group_thousands(&m.to_string()))
}

fn group_thousands(amount: &str) -> String {
    let (sign, rest) = amount.strip_prefix('-').map_or(("", amount), |r| ("-", r));
    let (whole, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// A table with `header`, as every report draws it (see [`Fitted`]).
pub fn table(header: &[&str]) -> Fitted {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(Cell::new));
    Fitted(t)
}

/// The width tables are drawn to when standard output is not a terminal and `COLUMNS` is
/// unset: a CI log's, not a line of hundreds of characters.
const PIPED_WIDTH: u16 = 120;

/// The width to draw tables to: `COLUMNS` when set (as shells export it), else the
/// terminal's (none here: the table finds it), else [`PIPED_WIDTH`].
fn width() -> Option<u16> {
    match std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        Some(columns) => Some(columns),
        None if std::io::stdout().is_terminal() => None,
        None => Some(PIPED_WIDTH),
    }
}

/// A table that fits the width when drawn, wrapping cells only between words: an account
/// id, an ARN, a region or an amount is never split across lines (each column is at least as
/// wide as its longest word; a table that cannot fit then runs wider than the width).
pub struct Fitted(Table);

impl Deref for Fitted {
    type Target = Table;
    fn deref(&self) -> &Table {
        &self.0
    }
}

impl DerefMut for Fitted {
    fn deref_mut(&mut self) -> &mut Table {
        &mut self.0
    }
}

impl fmt::Display for Fitted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.drawn(width()))
    }
}

impl Fitted {
    /// The table drawn to `width` (or to the terminal's, when none).
    fn drawn(&self, width: Option<u16>) -> String {
        let mut t = self.0.clone();
        // Per column: its longest word, and whether every cell is one word (an id, a region,
        // an amount) rather than text.
        let mut columns: Vec<(usize, bool)> = Vec::new();
        for row in t.header().into_iter().chain(t.row_iter()) {
            for (i, cell) in row.cell_iter().enumerate() {
                let content = cell.content();
                let word = content
                    .split_whitespace()
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                if columns.len() <= i {
                    columns.resize(i + 1, (0, true));
                }
                let column = &mut columns[i];
                column.0 = column.0.max(word);
                column.1 &= content.split_whitespace().nth(1).is_none();
            }
        }
        for (column, (word, one_word)) in t.column_iter_mut().zip(columns) {
            // Constraint widths count the cell's padding.
            let word = u16::try_from(word).unwrap_or(u16::MAX);
            let word = Width::Fixed(word.saturating_add(column.padding_width()));
            // A column of single words keeps its width whatever the terminal's; text wraps
            // between words.
            column.set_constraint(if one_word {
                ColumnConstraint::Absolute(word)
            } else {
                ColumnConstraint::LowerBoundary(word)
            });
        }
        if let Some(width) = width {
            t.set_width(width);
        }
        t.to_string()
    }
}

/// A right-aligned cell, for numbers.
pub fn right(text: impl ToString) -> Cell {
    Cell::new(text.to_string()).set_alignment(CellAlignment::Right)
}

/// One CSV record of `fields`, ending with a newline: quoted by the csv crate as RFC 4180
/// requires, like every CSV kiro-org writes.
pub fn csv_record<'a>(fields: impl IntoIterator<Item = &'a str>) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    // Writing into memory cannot fail; an empty line would be the only sign of it.
    let _ = w.write_record(fields);
    w.into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_never_split() {
        let mut t = table(&["account", "region", "why"]);
        t.add_row(vec![
            Cell::new("100000000000"),
            Cell::new("eu-central-1"),
            Cell::new("a long explanation of why this seat costs what it costs, in words"),
        ]);
        let text = t.drawn(Some(40));
        for word in ["100000000000", "eu-central-1", "explanation"] {
            assert!(text.contains(word), "{word} split:\n{text}");
        }
        // The text column still wraps, between words.
        assert!(text.lines().count() > 6, "{text}");
    }
}
