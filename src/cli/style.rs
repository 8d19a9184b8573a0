//! Colour for people: severities (`error[…]`, `warning[…]`, `info[…]`) and totals (`total: …`)
//! of the reports on standard output. Styled here only; anstream decides whether the codes reach
//! the stream (a terminal, `NO_COLOR` unset, or `CLICOLOR_FORCE`) and strips them otherwise, so
//! piped output and files are plain.

use anstyle::{AnsiColor, Style};

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const INFO: Style = AnsiColor::Cyan.on_default().bold();
const TOTAL: Style = Style::new().bold();

/// The style of a line that begins (after its indent) with a severity or a total, and how many
/// bytes of it the style covers: the severity and its code, or the whole total line.
fn style_of(body: &str) -> Option<(Style, usize)> {
    for (word, style) in [("error", ERROR), ("warning", WARNING), ("info", INFO)] {
        if let Some(rest) = body.strip_prefix(word)
            && (rest.starts_with('[') || rest.starts_with(':'))
        {
            let end = body.find([' ', '\n']).unwrap_or(body.len());
            return Some((style, end));
        }
    }
    body.starts_with("total: ")
        .then(|| (TOTAL, body.trim_end_matches('\n').len()))
}

/// `text` with its severities and totals styled.
pub fn paint(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        let (indent, _) = line.split_at(line.len() - body.len());
        match style_of(body) {
            Some((style, end)) => {
                let (styled, rest) = body.split_at(end);
                out.push_str(indent);
                out.push_str(&format!("{style}{styled}{style:#}"));
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_and_totals_are_styled_and_nothing_else() {
        let text = "errors (1)\n  error[KO301] member-can-create-profile: labs\n    help: attach\ntotal: USD 1.00\n";
        let painted = paint(text);
        assert!(painted.contains(&format!("  {ERROR}error[KO301]{ERROR:#} member")));
        assert!(painted.contains(&format!("{TOTAL}total: USD 1.00{TOTAL:#}\n")));
        assert!(painted.starts_with("errors (1)\n"));
        assert!(painted.contains("\n    help: attach\n"));
    }
}
