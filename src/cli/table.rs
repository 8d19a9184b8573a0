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

/// The width to draw tables and prose to: `COLUMNS` when set (as shells export it), else the
/// terminal's, else [`PIPED_WIDTH`].
pub fn width() -> u16 {
    match std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        Some(columns) => columns,
        None if std::io::stdout().is_terminal() => Table::new().width().unwrap_or(PIPED_WIDTH),
        None => PIPED_WIDTH,
    }
}

/// `text` (a report for people) with every line wider than `width` wrapped between words,
/// each continuation indented two spaces past its line's own indent: a long finding or note
/// stays readable at 80 columns, and an id, an ARN or an amount (one word) is never split.
/// Table lines are left alone: [`Fitted`] draws them to the width already.
pub fn wrap_prose(text: &str, width: u16) -> String {
    let width = usize::from(width);
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let drawn = body.chars().any(|c| ('\u{2500}'..='\u{257F}').contains(&c));
        if drawn || textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = &body[..body.len() - body.trim_start().len()];
        let continuation = format!("{indent}  ");
        let options = between_words(width, indent, &continuation);
        out.push_str(&textwrap::fill(body.trim_start(), options));
        if line.ends_with('\n') {
            out.push('\n');
        }
    }
    out
}

/// How kiro-org wraps text to `width`: at spaces only, never inside a word nor at its hyphens
/// (`eu-central-1`, `ou-rrkk-r3p7zwj5` and ARNs stay whole; a word longer than the width
/// overflows on its own line).
fn between_words<'a>(width: usize, initial: &'a str, subsequent: &'a str) -> textwrap::Options<'a> {
    textwrap::Options::new(width)
        .break_words(false)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .initial_indent(initial)
        .subsequent_indent(subsequent)
}

/// A table that fits the width when drawn, wrapping cells only between words: an account
/// id, an ARN, a region or an amount is never split across lines (each column is at least as
/// wide as its longest word). A table whose columns cannot fit side by side is drawn as
/// records instead, one field per line (as `psql` does in its expanded mode).
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
    /// The table drawn to `width`.
    fn drawn(&self, width: u16) -> String {
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
        // Each column's border and padding, and the table's closing border.
        let least: usize = columns.iter().map(|(word, _)| word + 3).sum::<usize>() + 1;
        if least > usize::from(width) {
            return self.records(width);
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
        t.set_width(width);
        t.to_string()
    }

    /// The rows as records: a rule naming the record, then each field as `header  value`,
    /// the value wrapped between words beside the headers.
    fn records(&self, width: u16) -> String {
        let headers: Vec<String> = self
            .0
            .header()
            .map(|h| h.cell_iter().map(|c| c.content()).collect())
            .unwrap_or_default();
        let key = headers.iter().map(|h| h.chars().count()).max().unwrap_or(0);
        let indent = " ".repeat(key + 2);
        let options = between_words(usize::from(width).max(key + 12), "", &indent);
        let mut out = String::new();
        for (i, row) in self.0.row_iter().enumerate() {
            let title = format!("── {} ", i + 1);
            let rule = usize::from(width)
                .saturating_sub(title.chars().count())
                .min(40);
            out.push_str(&format!("{title}{}\n", "─".repeat(rule)));
            for (header, cell) in headers.iter().zip(row.cell_iter()) {
                let field = format!("{header:<key$}  {}", cell.content().replace('\n', " "));
                out.push_str(&textwrap::fill(&field, &options));
                out.push('\n');
            }
        }
        out
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
        let text = t.drawn(50);
        for word in ["100000000000", "eu-central-1", "explanation"] {
            assert!(text.contains(word), "{word} split:\n{text}");
        }
        // The text column still wraps, between words.
        assert!(text.lines().count() > 6, "{text}");
        assert!(text.lines().all(|l| l.chars().count() <= 50), "{text}");
    }

    #[test]
    fn a_table_too_wide_for_the_width_is_drawn_as_records() {
        let mut t = table(&["account", "region", "instance", "subscriptions"]);
        t.add_row(vec![
            "100000000000",
            "eu-central-1",
            "100000000001",
            "1,180.00",
        ]);
        t.add_row(vec!["100000000002", "us-east-1", "100000000001", "40.00"]);
        let text = t.drawn(40);
        assert!(text.lines().all(|l| l.chars().count() <= 40), "{text}");
        assert!(text.contains("── 2 "), "{text}");
        assert!(text.contains("subscriptions  1,180.00"), "{text}");
        assert!(text.contains("region         us-east-1"), "{text}");
        // Wide enough, the same table is drawn as a table.
        assert!(t.drawn(80).starts_with('┌'), "{}", t.drawn(80));
    }

    #[test]
    fn prose_wraps_between_words_and_tables_are_left_alone() {
        let text = "  note: account 100000000000 in eu-central-1 is billed USD 1,180.00 for seats\n│ a table line that is much longer than the width │\n";
        let wrapped = wrap_prose(text, 30);
        // Hyphens are not break points: the region stays whole wherever the line ends.
        for width in 20..60 {
            let wrapped = wrap_prose(text, width);
            assert!(wrapped.contains("eu-central-1"), "at {width}: {wrapped}");
        }
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(
            lines.iter().any(|l| l.contains("100000000000")),
            "{wrapped}"
        );
        assert!(
            lines[..lines.len() - 1]
                .iter()
                .all(|l| l.chars().count() <= 30),
            "{wrapped}"
        );
        assert!(
            lines[1].starts_with("    "),
            "continuations indent: {wrapped}"
        );
        assert_eq!(
            lines.last(),
            Some(&"│ a table line that is much longer than the width │")
        );
    }
}
