//! Audits of a Kiro estate: rules only.
//!
//! [`audit`] runs every rule of the [`registry`] (one rule per file under [`rules`], ruff's
//! layout) and applies a [`Config`]: per-code severity overrides and suppressions, an unused
//! suppression being itself a finding. Findings are data ([`Finding`]); [`render`] turns a
//! [`Report`] into text, JSON, SARIF or Markdown.
//!
//! Advice — patterns, the recommender, guard rails and plans — lives in `kiro-advice`, below
//! this crate: governance findings name the estate's own pattern and the guard rail
//! `kiro-org scp generate` prints, from that one home.
#![deny(missing_docs)]

pub mod config;
pub mod cx;
pub mod finding;
pub mod place;
pub mod quota_count;
pub mod registry;
pub mod render;
pub mod rules;

use kiro_billing::PriceBook;
use kiro_estate::Estate;

pub use config::Config;
pub use finding::{Finding, Severity};

/// The outcome of an audit.
#[derive(Clone, Debug)]
pub struct Report {
    /// The findings, most severe first, then by code and subject.
    pub findings: Vec<Finding>,
    /// How many findings the configuration suppressed.
    pub suppressed: usize,
    /// The price book's currency, for money in findings.
    pub currency: String,
}

impl Report {
    /// How many findings have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Whether any finding is at or above `threshold`.
    pub fn fails(&self, threshold: Severity) -> bool {
        self.findings.iter().any(|f| f.severity >= threshold)
    }
}

/// Runs every rule over `estate`, then applies `config`.
pub fn audit(estate: &Estate, book: &PriceBook, config: &Config) -> Report {
    run(&cx::Cx::new(estate, book), config)
}

/// Runs every rule over `read`, a readable estate that may break domain rules (see
/// [`kiro_estate::Estate::read`]): they become findings (`KO104` for a missing subscription
/// principal, `KO001 estate-rule-broken` for the others) instead of refusing the audit, as do
/// the warnings about its SCPs (`KO5xx`). Then applies `config`.
pub fn audit_readable(read: &kiro_estate::Readable, book: &PriceBook, config: &Config) -> Report {
    run(
        &cx::Cx::with_diagnostics(&read.estate, &read.rule_breaks.0, &read.warnings.0, book),
        config,
    )
}

/// Runs every rule in `cx`, then applies `config`. A caller that shows more than the
/// findings (the HTML report) passes its own context and keeps using it: the bill and the SCP
/// answers the rules computed are then computed once.
pub fn run(cx: &cx::Cx<'_>, config: &Config) -> Report {
    let book = cx.book;
    let mut raw = Vec::new();
    for rule in registry::RULES {
        if config.severity.get(rule.code) == Some(&None) {
            continue;
        }
        (rule.check)(cx, &mut raw);
    }
    let mut used = vec![false; config.ignore.len()];
    let mut findings = Vec::with_capacity(raw.len());
    let mut suppressed = 0;
    for mut f in raw {
        let matched = config
            .ignore
            .iter()
            .enumerate()
            .filter(|(_, i)| i.code == f.code && i.subject.as_ref().is_none_or(|s| *s == f.subject))
            .map(|(n, _)| n)
            .collect::<Vec<_>>();
        if !matched.is_empty() {
            for n in matched {
                used[n] = true;
            }
            suppressed += 1;
            continue;
        }
        if let Some(Some(severity)) = config.severity.get(f.code) {
            f.severity = *severity;
        }
        findings.push(f);
    }
    let unused_rule = &rules::config::unused_suppression::RULE;
    if config.severity.get(unused_rule.code) != Some(&None) {
        let severity = match config.severity.get(unused_rule.code) {
            Some(Some(s)) => *s,
            _ => unused_rule.severity,
        };
        for (n, ignore) in config.ignore.iter().enumerate() {
            if used[n] {
                continue;
            }
            let what = match &ignore.subject {
                Some(s) => format!("`{}` for subject `{s}`", ignore.code),
                None => format!("`{}`", ignore.code),
            };
            findings.push(
                Finding::new(
                    unused_rule,
                    severity,
                    format!("ignore[{n}]"),
                    format!("the suppression of {what} matched no finding"),
                )
                .help("remove the entry, or fix its `code` or `subject`"),
            );
        }
    }
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.code.cmp(b.code))
            .then_with(|| a.subject.cmp(&b.subject))
            .then_with(|| a.message.cmp(&b.message))
    });
    Report {
        findings,
        suppressed,
        currency: book.currency.clone(),
    }
}
