#![doc = include_str!("estate_rule_broken.md")]

use serde::Serialize;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::{self, RuleInfo};

/// `KO001`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO001",
    name: "estate-rule-broken",
    area: "estate",
    severity: Severity::Error,
    doc: include_str!("estate_rule_broken.md"),
    check,
};

/// Where the broken rule is, as `kiro-org check` reports it.
#[derive(Serialize)]
struct Location<'a> {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    path: String,
    rule: Option<&'a str>,
}

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for d in cx.rule_breaks().iter() {
        // Another rule reports this rule break, with its own finding.
        if d.rule.is_some_and(|name| registry::find(name).is_some()) {
            continue;
        }
        let mut message = String::new();
        if let Some(file) = &d.file {
            message.push_str(&file.display().to_string());
            message.push(':');
        }
        if let Some(l) = d.location {
            message.push_str(&format!("{}:{}:", l.line, l.column));
        }
        if !message.is_empty() {
            message.push(' ');
        }
        message.push_str(&d.message);
        let mut finding = Finding::of(&RULE, d.path.to_string(), message).details(&Location {
            file: d.file.as_ref().map(|f| f.display().to_string()),
            line: d.location.map(|l| l.line),
            column: d.location.map(|l| l.column),
            path: d.path.to_string(),
            rule: d.rule,
        });
        if let Some(help) = &d.help {
            finding = finding.help(help.clone());
        }
        out.push(finding);
    }
}
