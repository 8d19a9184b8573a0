//! A [`Report`] as text for people, JSON, SARIF 2.1.0 or Markdown.
//!
//! The JSON shape is stable:
//!
//! ```json
//! {
//!   "findings": [{"code": "KO101", "rule": "duplicate-subscription-across-profiles",
//!                 "severity": "warning", "subject": "taro@acme.example.com",
//!                 "message": "...", "help": "...", "money": 20.0, "details": {...}}],
//!   "summary": {"total": 12, "error": 3, "warning": 6, "info": 3, "suppressed": 0,
//!               "currency": "USD", "avoidable": 140.0}
//! }
//! ```
//!
//! `help`, `money` and `details` appear only when the finding has them; `money` is in the
//! summary's currency; `avoidable` adds up the money of `duplicate-subscription-across-profiles`.

use std::fmt::Write as _;

use kiro_estate::prices::Money;
use serde_json::{Value, json};

use crate::finding::Severity;
use crate::registry;
use crate::{Finding, Report};

fn avoidable(report: &Report) -> Money {
    report
        .findings
        .iter()
        .filter(|f| f.code == registry_code_duplicate())
        .filter_map(|f| f.money)
        .sum()
}

fn registry_code_duplicate() -> &'static str {
    crate::rules::billing::duplicate_subscription_across_profiles::RULE.code
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one-line summary: counts per severity, suppressed findings and avoidable money.
pub fn summary_line(report: &Report) -> String {
    let mut line = format!(
        "{}: {}, {}, {}",
        plural(report.findings.len(), "finding", "findings"),
        plural(report.count(Severity::Error), "error", "errors"),
        plural(report.count(Severity::Warning), "warning", "warnings"),
        plural(report.count(Severity::Info), "info", "info"),
    );
    if report.suppressed > 0 {
        let _ = write!(line, " ({} suppressed)", report.suppressed);
    }
    let money = avoidable(report);
    if !money.is_zero() {
        let _ = write!(line, "; {money} {} a month avoidable", report.currency);
    }
    line
}

/// Text for people, grouped by severity (most severe first).
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for severity in Severity::ALL {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let title = match severity {
            Severity::Error => "errors",
            Severity::Warning => "warnings",
            Severity::Info => "info",
        };
        let _ = writeln!(out, "{title} ({})", group.len());
        for f in group {
            let _ = writeln!(
                out,
                "  {}[{}] {}: {}",
                f.severity, f.code, f.rule, f.subject
            );
            let _ = writeln!(out, "    {}", f.message);
            if let Some(h) = &f.help {
                let _ = writeln!(out, "    help: {h}");
            }
        }
        out.push('\n');
    }
    if report.findings.is_empty() {
        out.push_str("no findings\n");
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// `{"findings": [...], "summary": {...}}` (see the module documentation).
pub fn json(report: &Report) -> Value {
    json!({
        "findings": report.findings.iter().map(Finding::to_json).collect::<Vec<_>>(),
        "summary": {
            "total": report.findings.len(),
            "error": report.count(Severity::Error),
            "warning": report.count(Severity::Warning),
            "info": report.count(Severity::Info),
            "suppressed": report.suppressed,
            "currency": report.currency,
            "avoidable": avoidable(report).to_json(),
        }
    })
}

/// SARIF 2.1.0, for code-scanning dashboards: one run, every rule in the driver, each
/// finding a result located at the estate file with the subject as a logical location.
pub fn sarif(report: &Report, estate_uri: &str) -> Value {
    let rules: Vec<Value> = registry::RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": registry::section(r.doc, "Why is this bad?").unwrap_or_default()},
                "help": {"text": registry::section(r.doc, "Remediation").unwrap_or_default(), "markdown": r.doc},
                "defaultConfiguration": {"level": r.severity.sarif_level()},
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let index = registry::RULES.iter().position(|r| r.code == f.code);
            let text = match &f.help {
                Some(h) => format!("{} (help: {h})", f.message),
                None => f.message.clone(),
            };
            json!({
                "ruleId": f.code,
                "ruleIndex": index,
                "level": f.severity.sarif_level(),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {"artifactLocation": {"uri": estate_uri}},
                    "logicalLocations": [{"name": f.subject}],
                }],
                "partialFingerprints": {"kiroOrg/v1": format!("{}:{}", f.code, f.subject)},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kiro-org",
                "informationUri": "https://github.com/kiro-org/kiro-org",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    })
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown report: the summary, then one table per severity.
pub fn markdown(report: &Report, title: &str) -> String {
    let mut out = format!(
        "# Kiro audit: {}\n\n{}\n",
        cell(title),
        summary_line(report)
    );
    for severity in Severity::ALL {
        let group: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let heading = match severity {
            Severity::Error => "Errors",
            Severity::Warning => "Warnings",
            Severity::Info => "Info",
        };
        let _ = write!(
            out,
            "\n## {heading} ({})\n\n| code | rule | subject | finding | help |\n|---|---|---|---|---|\n",
            group.len()
        );
        for f in group {
            let _ = writeln!(
                out,
                "| {} | `{}` | {} | {} | {} |",
                f.code,
                f.rule,
                cell(&f.subject),
                cell(&f.message),
                cell(f.help.as_deref().unwrap_or(""))
            );
        }
    }
    out
}

/// `kiro-org rule CODE`: the heading and the documentation.
pub fn rule_doc(rule: &registry::RuleInfo) -> String {
    format!(
        "# {} {}\n\nArea: {}. Default severity: {}.\n\n{}\n",
        rule.code,
        rule.name,
        rule.area,
        rule.severity,
        rule.doc.trim_end()
    )
}

/// `kiro-org rule --all`: one line per rule.
pub fn rule_list() -> String {
    let mut out = String::new();
    for r in registry::RULES {
        let _ = writeln!(
            out,
            "{}  {:<40} {:<8} {}",
            r.code,
            r.name,
            r.severity.as_str(),
            r.summary()
        );
    }
    out
}
