//! The rules, one per file, grouped by area. Each file holds the rule's [`RuleInfo`] and its
//! check; the rule's documentation is the `.md` file beside it (embedded, so `kiro-org rule`
//! and rustdoc print the same text).
//!
//! [`RuleInfo`]: crate::registry::RuleInfo

pub mod billing;
pub mod config;
pub mod estate;
pub mod governance;
pub mod identity;
pub mod quota;
pub mod scp;

use serde::Serialize;

use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// Where a diagnostic of the loader is, as `kiro-org check` reports it.
#[derive(Serialize)]
struct Location<'a> {
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    path: String,
    rule: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'a str>,
}

/// A finding of `rule` at `severity` for diagnostic `d` of the loader: the rules that turn
/// what `kiro-org check` says into findings say it the same way, located in the message and
/// in the details.
pub(crate) fn located(
    rule: &'static RuleInfo,
    severity: Severity,
    d: &kiro_estate::Diagnostic,
) -> Finding {
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
    if let Some(code) = d.code {
        message.push_str(&format!("[{code}] "));
    }
    message.push_str(&d.message);
    let mut finding =
        Finding::new(rule, severity, d.path.to_string(), message).details(&Location {
            file: d.file.as_ref().map(|f| f.display().to_string()),
            line: d.location.map(|l| l.line),
            column: d.location.map(|l| l.column),
            path: d.path.to_string(),
            rule: d.rule,
            code: d.code,
        });
    if let Some(help) = &d.help {
        finding = finding.help(help.clone());
    }
    finding
}
