//! A finding is data: what a rule saw, about which subject, how bad it is and what to do.

use std::fmt;

use std::borrow::Cow;

use kiro_estate::prices::Money;
use serde::{Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

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
///
/// Serializes (with serde) to the stable JSON shape of [`crate::render`]: `code`, `rule`,
/// `severity`, `subject`, `message`, and when present `help`, `money` (a number in the price
/// book's currency) and `details`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    /// The rule's stable code, e.g. `KO101`.
    pub code: &'static str,
    /// The rule's kebab-case name.
    pub rule: &'static str,
    /// How bad it is (after configuration overrides).
    #[serde(serialize_with = "severity_str")]
    pub severity: Severity,
    /// What it is about: an account id, an OU, `account/region` for a profile, an email, …
    pub subject: String,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Cow<'static, str>>,
    /// Money at stake each month (e.g. what a duplicate charge costs beyond one seat).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "money_number"
    )]
    pub money: Option<Money>,
    /// Structured facts for machines (JSON output only), kept as compact JSON text: a large
    /// estate has hundreds of thousands of findings, and a tree per finding costs more than
    /// the finding itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
}

/// A finding's structured details: compact JSON text, written out as it is.
#[derive(Clone, Debug, Serialize)]
#[serde(transparent)]
pub struct Details(Box<RawValue>);

impl Details {
    /// The details of `value` (anything serde can write as JSON).
    pub fn of(value: &impl Serialize) -> Details {
        let text = serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned());
        match RawValue::from_string(text) {
            Ok(raw) => Details(raw),
            Err(_) => Details(RawValue::NULL.to_owned()),
        }
    }

    /// The details as a JSON tree.
    pub fn value(&self) -> Value {
        serde_json::from_str(self.0.get()).unwrap_or(Value::Null)
    }

    /// The compact JSON text.
    pub fn text(&self) -> &str {
        self.0.get()
    }
}

impl PartialEq for Details {
    fn eq(&self, other: &Self) -> bool {
        self.0.get() == other.0.get()
    }
}

fn severity_str<S: Serializer>(severity: &Severity, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(severity.as_str())
}

fn money_number<S: Serializer>(money: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
    match money {
        Some(m) => MoneyJson(*m).serialize(s),
        None => s.serialize_none(),
    }
}

/// Money as a JSON number in the price book's currency (see [`Money::to_json`]), for the
/// typed details of rules.
#[derive(Clone, Copy, Debug)]
pub struct MoneyJson(pub Money);

impl Serialize for MoneyJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // `Money::to_json` is a number, never a tree: cheap to build.
        self.0.to_json().serialize(s)
    }
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

    /// A finding of `info` at the rule's default severity, for the rules that do not grade
    /// their findings: the severity is then stated once, in the rule's registry entry.
    pub fn of(
        info: &crate::registry::RuleInfo,
        subject: impl Into<String>,
        message: impl Into<String>,
    ) -> Finding {
        Finding::new(info, info.severity, subject, message)
    }

    /// With a help line (a `&'static str` is not copied).
    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// With money at stake.
    pub fn money(mut self, money: Money) -> Finding {
        self.money = Some(money);
        self
    }

    /// With structured details: any value serde can write (a typed struct is cheapest).
    pub fn details(mut self, details: &impl Serialize) -> Finding {
        self.details = Some(Details::of(details));
        self
    }

    /// As a JSON tree (see the type's documentation for the shape).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}
