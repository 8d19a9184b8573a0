//! A [`Report`] as text for people, JSON, SARIF 2.1.0 or Markdown.
//!
//! The JSON shape is stable: the list of findings, most severe first.
//!
//! ```json
//! [{"code": "KO101", "rule": "duplicate-subscription-across-profiles",
//!   "severity": "warning", "subject": "taro@acme.example.com",
//!   "message": "...", "help": "...", "money": 20.0, "details": {...}}]
//! ```
//!
//! `help`, `money` and `details` appear only when the finding has them; `money` is in the price
//! book's currency. The counts per severity, the suppressed findings and the avoidable money are
//! in the human and Markdown reports' summary line.
//!
//! JSON and SARIF are written straight from the findings with serde ([`write_json`],
//! [`write_sarif`]): no tree of the whole report is built. The human and Markdown reports show
//! at most [`SHOWN_PER_RULE`] findings of each rule and severity, then how many more there are.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;

use kiro_estate::diagnostic::Location;
use kiro_estate::prices::Money;
use kiro_estate::words::count;
use serde::Serialize;
use serde::ser::{SerializeSeq, Serializer};
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

/// The one-line summary: counts per severity, suppressed findings and avoidable money.
pub fn summary_line(report: &Report) -> String {
    let mut line = format!(
        "{}: {}, {}, {}",
        count(report.findings.len(), "finding", "findings"),
        count(report.count(Severity::Error), "error", "errors"),
        count(report.count(Severity::Warning), "warning", "warnings"),
        count(report.count(Severity::Info), "info", "info"),
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

/// How many findings of one rule (and severity) the human and Markdown reports show; the
/// rest are counted in a `… and N more` line.
pub const SHOWN_PER_RULE: usize = 20;

/// The findings of one severity, in runs of one rule: (the run, all of it).
fn runs(report: &Report, severity: Severity) -> Vec<&[Finding]> {
    let all = &report.findings[..];
    let mut out = Vec::new();
    let mut start = 0;
    while start < all.len() {
        let code = all[start].code;
        let sev = all[start].severity;
        let len = all[start..]
            .iter()
            .take_while(|f| f.code == code && f.severity == sev)
            .count();
        if sev == severity {
            out.push(&all[start..start + len]);
        }
        start += len;
    }
    out
}

fn more_line(run: &[Finding]) -> Option<String> {
    let more = run.len().checked_sub(SHOWN_PER_RULE).filter(|n| *n > 0)?;
    let code = run.first().map_or("", |f| f.code);
    Some(format!(
        "… and {more} more {code} {} (use --format json)",
        if more == 1 { "finding" } else { "findings" }
    ))
}

/// The sections of the human and Markdown reports: each severity that has findings, most
/// severe first, with its runs ([`runs`]) and how many findings they hold. Both reports show
/// the same sections in the same order; only how they write them differs.
fn sections(report: &Report) -> impl Iterator<Item = (Severity, Vec<&[Finding]>, usize)> {
    Severity::ALL.into_iter().filter_map(|severity| {
        let runs = runs(report, severity);
        let total: usize = runs.iter().map(|r| r.len()).sum();
        (total > 0).then_some((severity, runs, total))
    })
}

/// Text for people, grouped by severity (most severe first), at most [`SHOWN_PER_RULE`]
/// findings per rule.
pub fn human(report: &Report) -> String {
    let mut out = String::new();
    for (severity, runs, total) in sections(report) {
        let title = match severity {
            Severity::Error => "errors",
            Severity::Warning => "warnings",
            Severity::Info => "info",
        };
        let _ = writeln!(out, "{title} ({total})");
        for run in runs {
            for f in run.iter().take(SHOWN_PER_RULE) {
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
            if let Some(line) = more_line(run) {
                let _ = writeln!(out, "  {line}");
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

/// Writes the findings as a pretty JSON list to `out`, finding by finding.
pub fn write_json(report: &Report, out: impl io::Write) -> io::Result<()> {
    serde_json::to_writer_pretty(out, &report.findings).map_err(io::Error::from)
}

/// The CSV columns, one finding per row (the JSON's fields; `money` a plain number).
const CSV_HEADER: [&str; 7] = [
    "severity", "code", "rule", "subject", "message", "help", "money",
];

/// Writes the findings as CSV to `out`, one row per finding under [`CSV_HEADER`], as
/// Prowler's CSV is read into spreadsheets and ticket imports.
pub fn write_csv(report: &Report, out: impl io::Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for f in &report.findings {
        let money = f.money.map(|m| m.to_json().to_string()).unwrap_or_default();
        w.write_record([
            f.severity.as_str(),
            f.code,
            f.rule,
            &f.subject,
            &f.message,
            f.help.as_deref().unwrap_or_default(),
            &money,
        ])?;
    }
    w.flush()
}

/// The findings as a JSON list (see the module documentation), as a tree.
pub fn json(report: &Report) -> Value {
    serde_json::to_value(&report.findings).unwrap_or(Value::Null)
}

/// GitHub code scanning reads at most this many results of a run; beyond it, results are
/// dropped. The rules with the most findings are then summarised, one result each.
pub const SARIF_MAX_RESULTS: usize = 25_000;

/// The rules (by code) whose findings are summarised in one result each, so that a run of
/// `findings` has at most `max` results: the rules with the most findings first, until the
/// rest fit.
fn summarised(findings: &[Finding], max: usize) -> Vec<&'static str> {
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for f in findings {
        *counts.entry(f.code).or_default() += 1;
    }
    let mut by_size: Vec<(&'static str, usize)> = counts.into_iter().collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut total = findings.len();
    let mut out = Vec::new();
    for (code, n) in by_size {
        // A rule of one finding gains nothing from a summary.
        if total <= max || n < 2 {
            break;
        }
        total = total - n + 1;
        out.push(code);
    }
    out
}

#[derive(Serialize)]
struct SarifText<'a> {
    text: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion {
    start_line: usize,
    start_column: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifArtifact<'a> {
    artifact_location: SarifUri<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<SarifRegion>,
}

#[derive(Serialize)]
struct SarifUri<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
struct SarifName<'a> {
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    physical_location: SarifArtifact<'a>,
    logical_locations: [SarifName<'a>; 1],
}

#[derive(Serialize)]
struct SarifFingerprint {
    #[serde(rename = "kiroOrg/v1")]
    v1: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: Option<usize>,
    level: &'static str,
    message: SarifText<'a>,
    locations: [SarifLocation<'a>; 1],
    partial_fingerprints: SarifFingerprint,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<SummaryJson<'a>>,
}

/// The findings a summary result stands for: what each is about and says, and its money.
#[derive(Serialize)]
struct SummaryJson<'a> {
    count: usize,
    findings: Vec<SummaryItem<'a>>,
}

#[derive(Serialize)]
struct SummaryItem<'a> {
    subject: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    money: Option<Value>,
}

/// Where the results are: the estate file, and each finding's line in it when known.
struct SarifResults<'a> {
    findings: &'a [Finding],
    uri: &'a str,
    regions: &'a [Option<Location>],
    /// At most this many results ([`SARIF_MAX_RESULTS`]).
    max: usize,
}

impl<'a> SarifResults<'a> {
    fn location(&self, index: Option<usize>, name: &'a str) -> SarifLocation<'a> {
        let region = index
            .and_then(|i| self.regions.get(i).copied().flatten())
            .map(|l| SarifRegion {
                start_line: l.line,
                start_column: l.column.max(1),
            });
        SarifLocation {
            physical_location: SarifArtifact {
                artifact_location: SarifUri { uri: self.uri },
                region,
            },
            logical_locations: [SarifName { name }],
        }
    }
}

impl Serialize for SarifResults<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let summarised = summarised(self.findings, self.max);
        let mut seq = s.serialize_seq(None)?;
        for (i, f) in self.findings.iter().enumerate() {
            if summarised.contains(&f.code) {
                continue;
            }
            let text = match &f.help {
                Some(h) => format!("{} (help: {h})", f.message),
                None => f.message.clone(),
            };
            seq.serialize_element(&SarifResult {
                rule_id: f.code,
                rule_index: registry::RULES.iter().position(|r| r.code == f.code),
                level: f.severity.sarif_level(),
                message: SarifText { text: &text },
                locations: [self.location(Some(i), &f.subject)],
                partial_fingerprints: SarifFingerprint {
                    v1: format!("{}:{}", f.code, f.subject),
                },
                properties: None,
            })?;
        }
        for code in summarised {
            let findings: Vec<&Finding> = self.findings.iter().filter(|f| f.code == code).collect();
            let Some(first) = findings.first() else {
                continue;
            };
            let level = findings
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(first.severity);
            let text = format!(
                "{} findings of {code} {} (summarised to stay within code scanning's {SARIF_MAX_RESULTS} results; each finding is in this result's properties, and `kiro-org audit --format json` lists them), the first: {}",
                findings.len(),
                first.rule,
                first.message
            );
            let index = self.findings.iter().position(|f| f.code == code);
            seq.serialize_element(&SarifResult {
                rule_id: code,
                rule_index: registry::RULES.iter().position(|r| r.code == code),
                level: level.sarif_level(),
                message: SarifText { text: &text },
                locations: [self.location(index, first.rule)],
                partial_fingerprints: SarifFingerprint {
                    v1: format!("{code}:summary"),
                },
                properties: Some(SummaryJson {
                    count: findings.len(),
                    findings: findings
                        .iter()
                        .map(|f| SummaryItem {
                            subject: &f.subject,
                            message: &f.message,
                            money: f.money.map(Money::to_json),
                        })
                        .collect(),
                }),
            })?;
        }
        seq.end()
    }
}

/// The SARIF log, the results written lazily.
#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [SarifRun<'a>; 1],
}

#[derive(Serialize)]
struct SarifRun<'a> {
    tool: Value,
    results: SarifResults<'a>,
}

/// The `security-severity` GitHub ranks security results by (0.0–10.0), for the rules about
/// who can act outside central control: governance and identity. Other rules are about money
/// and quota, and carry none.
fn security_severity(rule: &registry::RuleInfo) -> Option<&'static str> {
    if !matches!(rule.area, "governance" | "identity") {
        return None;
    }
    Some(match rule.severity {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    })
}

fn sarif_log<'a>(
    report: &'a Report,
    estate_uri: &'a str,
    regions: &'a [Option<Location>],
) -> SarifLog<'a> {
    let rules: Vec<Value> = registry::RULES
        .iter()
        .map(|r| {
            let mut properties = json!({"tags": [r.area]});
            if let Some(level) = security_severity(r) {
                properties["tags"] = json!([r.area, "security"]);
                properties["security-severity"] = json!(level);
            }
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary()},
                "fullDescription": {"text": registry::section(r.doc, "Why is this bad?").unwrap_or_default()},
                "help": {"text": registry::section(r.doc, "Remediation").unwrap_or_default(), "markdown": r.doc},
                "defaultConfiguration": {"level": r.severity.sarif_level()},
                "properties": properties,
            })
        })
        .collect();
    SarifLog {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [SarifRun {
            tool: json!({"driver": {
                "name": "kiro-org",
                "informationUri": "https://github.com/kiro-org/kiro-org",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }}),
            results: SarifResults {
                findings: &report.findings,
                uri: estate_uri,
                regions,
                max: SARIF_MAX_RESULTS,
            },
        }],
    }
}

/// SARIF 2.1.0, for code-scanning dashboards: one run, every rule in the driver, each
/// finding a result located at the estate file — at its subject's line where `regions` (see
/// [`crate::place::regions`]) knows it — with the subject as a logical location. A run never
/// has more than [`SARIF_MAX_RESULTS`] results: the largest rules are summarised.
pub fn sarif(report: &Report, estate_uri: &str, regions: &[Option<Location>]) -> Value {
    serde_json::to_value(sarif_log(report, estate_uri, regions)).unwrap_or(Value::Null)
}

/// Writes [`sarif`] to `out`, result by result, one result per line.
pub fn write_sarif(
    report: &Report,
    estate_uri: &str,
    regions: &[Option<Location>],
    out: impl io::Write,
) -> io::Result<()> {
    kiro_estate::layered::write(out, &sarif_log(report, estate_uri, regions), 4)
        .map_err(io::Error::from)
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// A Markdown report: the summary, then one table per severity, at most [`SHOWN_PER_RULE`]
/// rows per rule, then `diagram` (a Mermaid flowchart of the estate, which the audit cannot
/// draw: the report crate, above it, does) in a fenced block that GitHub and GitLab render.
pub fn markdown(report: &Report, title: &str, diagram: Option<&str>) -> String {
    let mut out = format!(
        "# Kiro audit: {}\n\n{}\n",
        cell(title),
        summary_line(report)
    );
    for (severity, runs, total) in sections(report) {
        let heading = match severity {
            Severity::Error => "Errors",
            Severity::Warning => "Warnings",
            Severity::Info => "Info",
        };
        let _ = write!(
            out,
            "\n## {heading} ({total})\n\n| code | rule | subject | finding | help |\n|---|---|---|---|---|\n",
        );
        let mut more = Vec::new();
        for run in runs {
            for f in run.iter().take(SHOWN_PER_RULE) {
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
            more.extend(more_line(run));
        }
        for line in more {
            let _ = write!(out, "\n{line}\n");
        }
    }
    if let Some(diagram) = diagram {
        let _ = write!(
            out,
            "\n## The estate\n\n```mermaid\n{}\n```\n",
            diagram.trim_end()
        );
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

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &'static str, subject: &str) -> Finding {
        let rule = registry::find(code).unwrap();
        Finding::new(rule, rule.severity, subject, format!("about {subject}"))
    }

    #[test]
    fn a_run_over_the_limit_summarises_its_largest_rules() {
        let mut findings: Vec<Finding> =
            (0..6).map(|i| finding("KO101", &format!("p{i}"))).collect();
        findings.extend((0..3).map(|i| finding("KO103", &format!("q{i}"))));
        findings.push(finding("KO301", "labs"));
        assert_eq!(summarised(&findings, 10), Vec::<&str>::new());
        assert_eq!(summarised(&findings, 6), ["KO101"]);
        assert_eq!(summarised(&findings, 2), ["KO101", "KO103"]);

        let results = SarifResults {
            findings: &findings,
            uri: "estate.yaml",
            regions: &[],
            max: 6,
        };
        let value = serde_json::to_value(&results).unwrap();
        let results = value.as_array().unwrap();
        assert_eq!(results.len(), 5, "{value:#}");
        let summary = results.iter().find(|r| r["ruleId"] == "KO101").unwrap();
        assert_eq!(summary["properties"]["count"], 6);
        let subjects: Vec<&str> = summary["properties"]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["subject"].as_str().unwrap())
            .collect();
        assert_eq!(subjects, ["p0", "p1", "p2", "p3", "p4", "p5"]);
        assert!(
            summary["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("6 findings of KO101"),
            "{summary:#}"
        );
    }
}
