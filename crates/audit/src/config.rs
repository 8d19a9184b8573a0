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
//! Every problem is reported at once, with its line and column; unknown keys and unknown
//! codes are rejected with a did-you-mean. An `ignore` entry that matches no finding is itself reported
//! (`KO901 unused-suppression`).

use std::collections::BTreeMap;
use std::path::Path;

use kiro_estate::LoadError;
use kiro_estate::diagnostic::{Diagnostic, Diagnostics, DocPath, did_you_mean};
use kiro_estate::locate::{Locator, MarkedYaml, entries, is_null, items, location, scalar_text};

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

/// Collects the configuration's problems, each at its node.
struct Problems(Vec<Diagnostic>);

impl Problems {
    fn push(
        &mut self,
        node: &MarkedYaml<'_>,
        path: DocPath,
        message: String,
        help: Option<String>,
    ) {
        self.0.push(
            Diagnostic::new(path, message)
                .with_help_opt(help)
                .at(Some(location(node))),
        );
    }

    fn unknown_key(
        &mut self,
        node: &MarkedYaml<'_>,
        path: DocPath,
        key: &str,
        candidates: &[&str],
    ) {
        let hint = did_you_mean(key, candidates.iter().copied()).unwrap_or_else(|| {
            let list: Vec<String> = candidates.iter().map(|c| format!("`{c}`")).collect();
            format!("expected one of {}", list.join(", "))
        });
        self.push(node, path, format!("unknown key `{key}`"), Some(hint));
    }

    fn rule_code(
        &mut self,
        node: &MarkedYaml<'_>,
        path: DocPath,
        word: &str,
    ) -> Option<&'static str> {
        match registry::find(word) {
            Some(r) => Some(r.code),
            None => {
                let hint = registry::suggest(word)
                    .unwrap_or_else(|| "run `kiro-org rule --all` for the list".to_owned());
                self.push(node, path, format!("unknown rule `{word}`"), Some(hint));
                None
            }
        }
    }
}

impl Config {
    /// Turns off every rule but those `select` names (all rules when it is empty), then those
    /// `ignore` names: the `--select`/`--ignore` of the command line, read as ruff reads them
    /// (see [`registry::selected`]). Rules left on keep the severity the file gives them. The
    /// error names each word that matches no rule, with a did-you-mean.
    pub fn choose(&mut self, select: &[String], ignore: &[String]) -> Result<(), String> {
        let mut unknown = Vec::new();
        let mut rules = |words: &[String]| -> Vec<&'static str> {
            let mut codes = Vec::new();
            for word in words {
                let found = registry::selected(word);
                if found.is_empty() {
                    let hint = registry::suggest(word)
                        .unwrap_or_else(|| "run `kiro-org rule` for the list".to_owned());
                    unknown.push(format!("`{word}` names no rule\nhelp: {hint}"));
                }
                codes.extend(found.iter().map(|r| r.code));
            }
            codes
        };
        let selected = rules(select);
        let ignored = rules(ignore);
        if !unknown.is_empty() {
            return Err(unknown.join("\n"));
        }
        for rule in registry::RULES {
            let on = (select.is_empty() || selected.contains(&rule.code))
                && !ignored.contains(&rule.code);
            if !on {
                self.severity.insert(rule.code, None);
            }
        }
        Ok(())
    }

    /// Reads the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, LoadError> {
        kiro_estate::io::load_with(path, |text, _| Self::parse(text))
    }

    /// Parses configuration text, reporting every problem at once, located.
    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let doc = Locator::parse(text)?;
        let mut problems = Problems(Vec::new());
        let mut config = Config::default();
        let Some(root) = doc.root().filter(|r| !is_null(r)) else {
            return Ok(config);
        };
        let Some(map) = entries(root) else {
            problems.push(
                root,
                DocPath::root(),
                "the configuration is a mapping with `severity` and `ignore`".to_owned(),
                None,
            );
            return Err(Diagnostics(problems.0));
        };
        for (k, value) in map {
            let key = scalar_text(k).unwrap_or_default();
            let path = DocPath::root().key(&key);
            match key.as_str() {
                "severity" => match entries(value) {
                    Some(levels) => {
                        for (w, level) in levels {
                            let word = scalar_text(w).unwrap_or_default();
                            let at = path.key(&word);
                            let code = problems.rule_code(w, at.clone(), &word);
                            let level_text = scalar_text(level).unwrap_or_default();
                            let severity = if level_text.eq_ignore_ascii_case("off")
                                || level_text == "false"
                            {
                                Some(None)
                            } else if let Some(s) = Severity::parse(&level_text) {
                                Some(Some(s))
                            } else {
                                problems.push(
                                    level,
                                    at,
                                    format!("`{level_text}` is not a severity for `{word}`"),
                                    Some("use `error`, `warning`, `info` (or `high`, `medium`, `low`), or `off`".to_owned()),
                                );
                                None
                            };
                            if let (Some(code), Some(severity)) = (code, severity) {
                                config.severity.insert(code, severity);
                            }
                        }
                    }
                    None if is_null(value) => {}
                    None => problems.push(
                        value,
                        path,
                        "`severity` is a mapping from rule code to severity".to_owned(),
                        None,
                    ),
                },
                "ignore" => match items(value) {
                    Some(list) => {
                        for (i, item) in list.iter().enumerate() {
                            let at = path.index(i);
                            let Some(entry) = entries(item) else {
                                problems.push(
                                    item,
                                    at,
                                    format!("`ignore[{i}]` is a mapping with `code` and optionally `subject` and `reason`"),
                                    None,
                                );
                                continue;
                            };
                            let mut code = None;
                            let mut subject = None;
                            let mut reason = None;
                            let mut has_code = false;
                            for (k, v) in entry {
                                let name = scalar_text(k).unwrap_or_default();
                                match name.as_str() {
                                    "code" => {
                                        has_code = true;
                                        let word = scalar_text(v).unwrap_or_default();
                                        code = problems.rule_code(v, at.key("code"), &word);
                                    }
                                    "subject" => subject = scalar_text(v),
                                    "reason" => reason = scalar_text(v),
                                    other => {
                                        problems.unknown_key(k, at.key(other), other, &IGNORE_KEYS)
                                    }
                                }
                            }
                            if !has_code {
                                problems.push(
                                    item,
                                    at,
                                    format!("`ignore[{i}]` needs a `code`"),
                                    None,
                                );
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
                    None if is_null(value) => {}
                    None => problems.push(
                        value,
                        path,
                        "`ignore` is a list of `{code, subject?, reason?}`".to_owned(),
                        None,
                    ),
                },
                other => problems.unknown_key(k, path.clone(), other, &TOP_KEYS),
            }
        }
        Diagnostics(problems.0).or_ok(config)
    }
}
