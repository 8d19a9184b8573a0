//! The audit's findings grouped by rule, as `audit` found them.

use std::collections::BTreeMap;

use kiro_audit::Report;
use serde::Serialize;

/// Findings listed per rule; the rest are counted.
const SHOWN: usize = 50;

/// One finding's row.
#[derive(Serialize)]
pub struct Row {
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// What it is about.
    pub subject: String,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// Money at stake, when the rule counts it.
    pub money: Option<String>,
}

/// The findings of one rule.
#[derive(Serialize)]
pub struct Group {
    /// `KO101`.
    pub code: &'static str,
    /// The rule's name.
    pub rule: &'static str,
    /// Findings in all.
    pub count: usize,
    /// The first [`SHOWN`].
    pub findings: Vec<Row>,
}

/// The groups of `report`, by code.
pub fn groups(report: &Report) -> Vec<Group> {
    let mut by_code: BTreeMap<&'static str, Group> = BTreeMap::new();
    for f in &report.findings {
        let g = by_code.entry(f.code).or_insert_with(|| Group {
            code: f.code,
            rule: f.rule,
            count: 0,
            findings: Vec::new(),
        });
        g.count += 1;
        if g.findings.len() < SHOWN {
            g.findings.push(Row {
                severity: f.severity.as_str(),
                subject: f.subject.clone(),
                message: f.message.clone(),
                help: f.help.as_deref().map(ToOwned::to_owned),
                money: f.money.map(|m| m.to_string()),
            });
        }
    }
    by_code.into_values().collect()
}
