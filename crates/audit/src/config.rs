//! The audit configuration file (YAML): per-code severity overrides and suppressions.
//!
//! ```yaml
//! severity:
//!   KO101: info                    # a code or a rule name; error|warning|info, or off
//!   profile-settings-drift: error
//! ignore:
//!   - code: KO401                  # a code or a rule name
//!     subject: "400000000001"      # optional: only this subject (exact match)
//!     reason: the subsidiary stays standalone   # optional, for people
//! ```
//!
//! Every problem is reported at once; unknown keys and unknown codes are rejected with a
//! did-you-mean. An `ignore` entry that matches no finding is itself reported
//! (`KO901 unused-suppression`).

use std::collections::BTreeMap;
use std::path::Path;

use kiro_estate::diagnostic::did_you_mean;
use serde_json::Value;

use crate::finding::Severity;
use crate::registry;

/// One suppression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ignore {
    /// The rule's code.
    pub code: &'static str,
    /// Only findings about this subject; all of the rule's findings when none.
    pub subject: Option<String>,
    /// Why, for people.
    pub reason: Option<String>,
}

/// A parsed configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Severity per code; `None` turns the rule off.
    pub severity: BTreeMap<&'static str, Option<Severity>>,
    /// Suppressions, in file order.
    pub ignore: Vec<Ignore>,
}

const TOP_KEYS: [&str; 2] = ["severity", "ignore"];
const IGNORE_KEYS: [&str; 3] = ["code", "subject", "reason"];

fn unknown_key(key: &str, candidates: &[&str], place: &str) -> String {
    let hint = did_you_mean(key, candidates.iter().copied()).unwrap_or_else(|| {
        let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
        format!("expected one of {}", list.join(", "))
    });
    format!("unknown key `{key}` {place}: {hint}")
}

fn rule_code(word: &str, place: &str, problems: &mut Vec<String>) -> Option<&'static str> {
    match registry::find(word) {
        Some(r) => Some(r.code),
        None => {
            let hint = registry::suggest(word)
                .unwrap_or_else(|| "run `kiro-org rule --all` for the list".to_owned());
            problems.push(format!("unknown rule `{word}` {place}: {hint}"));
            None
        }
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl Config {
    /// Reads the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, Vec<String>> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| vec![format!("cannot read `{}`: {e}", path.display())])?;
        Self::parse(&text).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| format!("{}: {p}", path.display()))
                .collect()
        })
    }

    /// Parses configuration text, reporting every problem at once.
    pub fn parse(text: &str) -> Result<Config, Vec<String>> {
        let value: Value =
            serde_saphyr::from_str(text).map_err(|e| vec![format!("not valid YAML: {e}")])?;
        let mut problems = Vec::new();
        let mut config = Config::default();
        let map = match value {
            Value::Null => return Ok(config),
            Value::Object(map) => map,
            _ => {
                return Err(vec![
                    "the configuration is a mapping with `severity` and `ignore`".to_owned(),
                ]);
            }
        };
        for (key, value) in map {
            match key.as_str() {
                "severity" => match value {
                    Value::Object(levels) => {
                        for (word, level) in levels {
                            let code = rule_code(&word, "in `severity`", &mut problems);
                            let level_text = scalar(&level).unwrap_or_default();
                            let severity = if level_text.eq_ignore_ascii_case("off")
                                || level == Value::Bool(false)
                            {
                                Some(None)
                            } else if let Some(s) = Severity::parse(&level_text) {
                                Some(Some(s))
                            } else {
                                problems.push(format!(
                                    "`{level_text}` is not a severity for `{word}`: use `error`, `warning`, `info` (or `high`, `medium`, `low`), or `off`"
                                ));
                                None
                            };
                            if let (Some(code), Some(severity)) = (code, severity) {
                                config.severity.insert(code, severity);
                            }
                        }
                    }
                    Value::Null => {}
                    _ => problems
                        .push("`severity` is a mapping from rule code to severity".to_owned()),
                },
                "ignore" => match value {
                    Value::Array(items) => {
                        for (i, item) in items.into_iter().enumerate() {
                            let place = format!("in `ignore[{i}]`");
                            let Value::Object(entry) = item else {
                                problems.push(format!("`ignore[{i}]` is a mapping with `code` and optionally `subject` and `reason`"));
                                continue;
                            };
                            let mut code = None;
                            let mut subject = None;
                            let mut reason = None;
                            let mut has_code = false;
                            for (k, v) in entry {
                                match k.as_str() {
                                    "code" => {
                                        has_code = true;
                                        let word = scalar(&v).unwrap_or_default();
                                        code = rule_code(&word, &place, &mut problems);
                                    }
                                    "subject" => subject = scalar(&v),
                                    "reason" => reason = scalar(&v),
                                    other => {
                                        problems.push(unknown_key(other, &IGNORE_KEYS, &place))
                                    }
                                }
                            }
                            if !has_code {
                                problems.push(format!("`ignore[{i}]` needs a `code`"));
                            }
                            if let Some(code) = code {
                                config.ignore.push(Ignore {
                                    code,
                                    subject,
                                    reason,
                                });
                            }
                        }
                    }
                    Value::Null => {}
                    _ => problems
                        .push("`ignore` is a list of `{code, subject?, reason?}`".to_owned()),
                },
                other => problems.push(unknown_key(other, &TOP_KEYS, "at the top level")),
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }
}
