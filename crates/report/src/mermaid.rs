//! The estate as a Mermaid flowchart, for where HTML cannot go: a GitHub or GitLab README,
//! issue or pull-request comment renders it from the Markdown text.
//!
//! It draws the tree [`map::layout`] lays out — the same nodes, folds and badges as the
//! report's drawing — and adds what a tree cannot show: a dotted edge from each profile to
//! the Identity Center instance its users sign in through, when that instance is in another
//! account (in its own account the instance is the profile's sibling already). A tree with
//! more edges than Mermaid draws ([`MAX_EDGES`]) is drawn compact, an account and what it
//! holds in one node.

use std::fmt::Write;

use crate::map::{Map, Row};

/// The most edges Mermaid draws with its default configuration, which GitHub's renderer
/// keeps (and a diagram cannot raise).
const MAX_EDGES: usize = 500;

/// How each kind of node is drawn: Mermaid's shape brackets.
fn shape(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "organization" | "standalone" => ("[[", "]]"),
        "ou" => ("[/", "/]"),
        "instance" => ("{{", "}}"),
        "profile" => ("([", "])"),
        _ => ("[", "]"),
    }
}

/// The node's text, made safe for a quoted Mermaid label: Mermaid reads `#name;` entity
/// codes, so every character with a meaning to it (or to the HTML it renders) is one.
fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '`' => out.push_str("#96;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The class of a row: its kind, or for a profile its pattern (`p1`–`p4`, `nopattern`).
fn class(row: &Row) -> String {
    match (&row.badge, row.kind) {
        (Some(b), "profile") if b == "none" => "nopattern".to_owned(),
        (Some(b), "profile") => format!("p{b}"),
        _ => row.kind.to_owned(),
    }
}

/// What a row says in the diagram: its label and its badge, written out.
fn text(row: &Row) -> String {
    let badge = match row.badge.as_deref() {
        Some("none") => " · no pattern".to_owned(),
        Some(n) => format!(" · pattern {n}"),
        None => String::new(),
    };
    format!("{}{}", label(&row.label), label(&badge))
}

/// The flowchart of `map`, left to right as the report's tree reads.
///
/// Colours only outline; the theme (light or dark) fills, and every badge is also written
/// out (`pattern 2`, `no pattern`), so no meaning rests on colour. A map with more edges
/// than Mermaid draws is drawn compact: each account's instance and profiles become lines
/// of the account's node.
pub fn flowchart(map: &Map) -> String {
    let mut out = String::from("flowchart LR\n");
    if map.rows.is_empty() {
        out.push_str("  empty[\"no accounts\"]\n");
        return out;
    }
    let rows = &map.rows;
    let uses: Vec<(usize, usize)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, row)| Some((i, row.uses?)))
        .collect();
    let tree_edges = rows
        .iter()
        .filter(|r| r.parent.is_some() && r.kind != "portal")
        .count();
    let compact = tree_edges + uses.len() > MAX_EDGES;
    // The node each row is drawn in: its own, or its parent's (an instance's portal is a
    // line of the instance's node; in a compact diagram an account's instance and profiles
    // are lines of the account's). A parent comes before its children, so its node is known.
    let mut node: Vec<usize> = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let merged = r.kind == "portal" || (compact && matches!(r.kind, "instance" | "profile"));
        let drawn_in = match r.parent {
            Some(parent) if merged => node.get(parent).copied().unwrap_or(parent),
            _ => i,
        };
        node.push(drawn_in);
    }
    let mut lines: Vec<Vec<usize>> = vec![Vec::new(); rows.len()];
    for (i, &n) in node.iter().enumerate() {
        lines[n].push(i);
    }
    for (i, row) in rows.iter().enumerate() {
        if node[i] != i {
            continue;
        }
        let (open, close) = shape(row.kind);
        let text: Vec<String> = lines[i].iter().map(|&l| text(&rows[l])).collect();
        let _ = writeln!(
            out,
            "  n{i}{open}\"{}\"{close}:::{}",
            text.join("<br/>"),
            class(row)
        );
    }
    for (i, row) in rows.iter().enumerate() {
        if let Some(parent) = row.parent
            && node[i] == i
        {
            let _ = writeln!(out, "  n{parent} --> n{i}");
        }
    }
    let mut drawn = std::collections::BTreeSet::new();
    for &(profile, instance) in &uses {
        if drawn.insert((node[profile], node[instance])) {
            let _ = writeln!(
                out,
                "  n{} -. signs in through .-> n{}",
                node[profile], node[instance]
            );
        }
    }
    out.push_str(concat!(
        "  classDef organization stroke-width:3px\n",
        "  classDef standalone stroke-width:3px\n",
        "  classDef folded stroke-dasharray:4 3,font-style:italic\n",
        "  classDef instance stroke:#9a6700,stroke-width:2px\n",
        "  classDef p1 stroke:#1a7f37,stroke-width:2px\n",
        "  classDef p2 stroke:#0969da,stroke-width:2px\n",
        "  classDef p3 stroke:#8250df,stroke-width:2px\n",
        "  classDef p4 stroke:#bf3989,stroke-width:2px\n",
        "  classDef ou stroke-width:1px\n",
        "  classDef account stroke-width:1px\n",
        "  classDef nopattern stroke:#cf222e,stroke-width:2px,stroke-dasharray:3 2\n",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn labels_carry_no_mermaid_or_html_syntax() {
        assert_eq!(
            label(r#"a "b" <i>&#1; `c`"#),
            "a #quot;b#quot; #lt;i#gt;#amp;#35;1; #96;c#96;"
        );
    }
}
