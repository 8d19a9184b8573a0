//! A finding is data: what a rule saw, about which subject, how bad it is and what to do.

use std::fmt;

use kiro_estate::prices::Money;
use serde_json::{Value, json};

/// How bad a finding is. Three levels, like a compiler's diagnostics:
///
/// - `error`: the estate breaks a rule or the declared intent now (a quota reached, members
///   able to bypass central governance, a subscription that cannot work) — fix before rollout;
/// - `warning`: money is lost or a trap is set (duplicate charges, settings drift, a quota
///   nearly spent, an irreversible setting) — fix soon;
/// - `info`: worth knowing, often intended (pending seats, several paths to one seat).
///
/// `high`, `medium` and `low` are accepted as synonyms of `error`, `warning` and `info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Fix soon.
    Warning,
    /// Fix now.
    Error,
}

impl Severity {
    /// Every severity, highest first (the order of the human report).
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }

    /// Parses `error|warning|info` or `high|medium|low` (case-insensitive).
    pub fn parse(text: &str) -> Option<Severity> {
        match text.to_ascii_lowercase().as_str() {
            "error" | "high" => Some(Self::Error),
            "warning" | "warn" | "medium" => Some(Self::Warning),
            "info" | "low" | "note" => Some(Self::Info),
            _ => None,
        }
    }

    /// The SARIF `level`.
    pub fn sarif_level(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding of one rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// The rule's stable code, e.g. `KO101`.
    pub code: &'static str,
    /// The rule's kebab-case name.
    pub rule: &'static str,
    /// How bad it is (after configuration overrides).
    pub severity: Severity,
    /// What it is about: an account id, `account/region` for a profile, an email, …
    pub subject: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// Money at stake each month (e.g. what a duplicate charge costs beyond one seat).
    pub money: Option<Money>,
    /// Structured facts for machines (JSON output only).
    pub details: Option<Value>,
}

impl Finding {
    /// A finding of rule `code`/`rule` with no help, money or details yet.
    pub fn new(
        info: &crate::registry::RuleInfo,
        severity: Severity,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code: info.code,
            rule: info.name,
            severity,
            subject: subject.into(),
            message: message.into(),
            help: None,
            money: None,
            details: None,
        }
    }

    /// With a help line.
    pub fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// With money at stake.
    pub fn money(mut self, money: Money) -> Finding {
        self.money = Some(money);
        self
    }

    /// With structured details.
    pub fn details(mut self, details: Value) -> Finding {
        self.details = Some(details);
        self
    }

    /// As JSON: `code`, `rule`, `severity`, `subject`, `message`, and when present `help`,
    /// `money` (a number in the price book's currency) and `details`.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "code": self.code,
            "rule": self.rule,
            "severity": self.severity.as_str(),
            "subject": self.subject,
            "message": self.message,
        });
        if let Value::Object(map) = &mut v {
            if let Some(h) = &self.help {
                map.insert("help".into(), json!(h));
            }
            if let Some(m) = self.money {
                map.insert("money".into(), m.to_json());
            }
            if let Some(d) = &self.details {
                map.insert("details".into(), d.clone());
            }
        }
        v
    }
}
