//! `kiro-org scp simulate CASE` and `kiro-org scp validate FILE...`: the SCP evaluator and
//! validator of `kiro-policy`, from the command line.
//!
//! A case file asks one question:
//!
//! ```json
//! {"action": "sso:CreateInstance", "resource": "*",
//!  "context": {"aws:PrincipalAccount": "210987654321", "aws:TagKeys": ["team"]},
//!  "scps": [[<root policy>, ...], [<OU policy>, ...], [<account policy>, ...]]}
//! ```
//!
//! Levels go from the root to the account; each policy is a JSON object or a string holding
//! JSON. `kiro-org scp simulate --estate E --account A --action X --region R` asks instead the
//! engine's authorization, the answer `apply` gives, for an account of an estate. Exit codes: 0 the question was answered (whatever the decision) or every file is
//! valid, 2 the case or a policy is invalid.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use kiro_estate::LoadError;
use kiro_estate::diagnostic::{Diagnostic, Diagnostics, DocPath, did_you_mean};
use kiro_estate::locate::Locator;
use kiro_estate::words::count;
use kiro_policy::{Context, Decision, Level, Policy, PolicyError, Problem, Request, explain_scps};
use serde_json::{Value, json};

use super::ReportFormat;

/// The `scp` subcommands.
#[derive(clap::Subcommand)]
pub enum ScpCommand {
    /// Decide one request against a hierarchy of SCPs (root, OUs, account) and explain why:
    /// from a case file, or for an account of an estate as `apply` would decide it.
    Simulate {
        /// The case file: `action`, `resource`, `context` and `scps` (levels, root first).
        #[arg(required_unless_present = "estate", conflicts_with = "estate")]
        case: Option<PathBuf>,
        /// Ask about an account of this estate instead, with the engine's authorization.
        #[arg(long, requires_all = ["account", "action", "region"])]
        estate: Option<PathBuf>,
        /// The acting account (with `--estate`).
        #[arg(long)]
        account: Option<String>,
        /// The IAM action, e.g. `codewhisperer:CreateProfile` (with `--estate`).
        #[arg(long)]
        action: Option<String>,
        /// The region the action is requested in (with `--estate`).
        #[arg(long)]
        region: Option<String>,
        /// The resource ARN (with `--estate`); `{account}` stands for the account's id.
        #[arg(long, default_value = "*")]
        resource: String,
        /// Also list, for each statement of the case, the catalog actions each `Action`
        /// entry covers and which of the guarded Kiro actions are among them.
        #[arg(long, conflicts_with = "estate")]
        explain: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// Validate SCP documents for use in AWS Organizations: every problem with file, line and
    /// column.
    Validate {
        /// Policy documents (JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
        format: ReportFormat,
    },
    /// Generate the guard-rail SCPs for a deployment pattern (deny `codewhisperer:CreateProfile`
    /// and `sso:CreateInstance` except for allowed accounts), with where to attach them.
    Generate(super::scp_generate::Args),
}

/// Runs an `scp` subcommand.
pub fn run(cmd: ScpCommand) -> super::CliResult {
    match cmd {
        ScpCommand::Simulate {
            case,
            estate,
            account,
            action,
            region,
            resource,
            explain,
            format,
        } => match (case, estate, account, action, region) {
            (_, Some(estate), Some(account), Some(action), Some(region)) => {
                simulate_in_estate(&estate, &account, &action, &resource, &region, format)
            }
            (Some(case), ..) => simulate(&case, explain, format),
            // clap requires a case or an estate with its account, action and region.
            _ => Err(super::CliError::bad_input(
                "give a case file, or --estate with --account, --action and --region",
            )),
        },
        ScpCommand::Validate { files, format } => validate(&files, format),
        ScpCommand::Generate(args) => super::scp_generate::run(args),
    }
}

fn simulate(path: &Path, explain: bool, format: ReportFormat) -> super::CliResult {
    let case = load_case(path)?;
    let (decision, reasons) = case.decide();
    if !explain {
        return print_decision(&decision, &reasons, format);
    }
    let covered = case.coverage();
    match format {
        ReportFormat::Json => {
            let mut v = decision_json(&decision, &reasons);
            v["statements"] = covered.iter().map(Coverage::to_json).collect();
            print(&serde_json::to_string_pretty(&v)?)?;
        }
        ReportFormat::Human => {
            let mut out = render_decision(&decision, &reasons);
            let _ = writeln!(
                out,
                "\nWhat each statement's actions cover in the IAM catalog:"
            );
            for c in &covered {
                out.push_str(&c.render());
            }
            super::print_prose(&out)?;
        }
    }
    Ok(())
}

/// What one statement of a case covers: for each `Action` entry as written, the catalog
/// actions it matches and the guarded Kiro actions among them.
struct Coverage {
    level: String,
    policy: String,
    statement: String,
    effect: &'static str,
    negated: bool,
    entries: Vec<(String, Vec<String>)>,
}

/// Catalog actions named per entry; the rest are counted.
const COVERED_SHOWN: usize = 8;

impl Coverage {
    /// The guarded Kiro actions (those the governance matrix shows) that `actions` include.
    fn guarded(actions: &[String]) -> Vec<&'static str> {
        kiro_report::governance::ACTIONS
            .iter()
            .map(|(action, _)| *action)
            .filter(|g| actions.iter().any(|a| a.eq_ignore_ascii_case(g)))
            .collect()
    }

    fn to_json(&self) -> Value {
        json!({
            "level": self.level,
            "policy": self.policy,
            "statement": self.statement,
            "effect": self.effect,
            "not-action": self.negated,
            "actions": self.entries.iter().map(|(entry, covered)| json!({
                "entry": entry,
                "covers": covered.len(),
                "examples": covered.iter().take(COVERED_SHOWN).collect::<Vec<_>>(),
                "guarded": Self::guarded(covered),
            })).collect::<Vec<_>>(),
        })
    }

    fn render(&self) -> String {
        let mut out = format!(
            "  {}, SCP `{}`, statement `{}` ({}{}):\n",
            self.level,
            self.policy,
            self.statement,
            self.effect,
            if self.negated { ", NotAction" } else { "" }
        );
        for (entry, covered) in &self.entries {
            let shown: Vec<&str> = covered
                .iter()
                .take(COVERED_SHOWN)
                .map(String::as_str)
                .collect();
            let more = covered.len().saturating_sub(COVERED_SHOWN);
            let listed = match (shown.is_empty(), more) {
                (true, _) => "no action of the catalog".to_owned(),
                (false, 0) => shown.join(", "),
                (false, n) => format!("{}, and {n} more", shown.join(", ")),
            };
            let guarded = Self::guarded(covered);
            let guarded = if guarded.is_empty() {
                "none of the guarded Kiro actions".to_owned()
            } else {
                format!("among them the guarded {}", guarded.join(", "))
            };
            let _ = writeln!(
                out,
                "    `{entry}`: {} ({listed}); {guarded}",
                count(covered.len(), "catalog action", "catalog actions")
            );
        }
        out
    }
}

/// `scp simulate --estate`: the engine's own answer for `account`, the one `apply` gives.
fn simulate_in_estate(
    path: &Path,
    account: &str,
    action: &str,
    resource: &str,
    region: &str,
    format: ReportFormat,
) -> super::CliResult {
    let estate = super::load_estate(path)?;
    let account = kiro_estate::AccountId::new(account);
    if estate.account(&account).is_none() && !estate.organizations.contains(&account) {
        return Err(super::CliError::bad_input(format!(
            "{}: account `{account}` is not in the estate",
            path.display()
        )));
    }
    let question = kiro_engine::Question {
        account: &account,
        action,
        resource,
        region,
        context: &[],
    };
    let (decision, reasons) = kiro_engine::Scps::new(&estate, kiro_engine::PolicyCache::default())
        .explain(&question)
        .map_err(|e| super::CliError::bad_input(format!("{}: {e}", path.display())))?;
    print_decision(&decision, &reasons, format)
}

fn print_decision(
    decision: &Decision<'_>,
    reasons: &[String],
    format: ReportFormat,
) -> super::CliResult {
    let text = match format {
        ReportFormat::Json => serde_json::to_string_pretty(&decision_json(decision, reasons))?,
        ReportFormat::Human => render_decision(decision, reasons),
    };
    print(&text)?;
    Ok(())
}

/// `{"decision": ..., "reasons": [...]}`: the documented JSON of `scp simulate`.
pub fn decision_json(decision: &Decision<'_>, reasons: &[String]) -> Value {
    json!({"decision": decision.kind(), "reasons": reasons})
}

/// The decision for people: the verdict, where it was made, and the reasons.
pub fn render_decision(decision: &Decision<'_>, reasons: &[String]) -> String {
    let mut out = String::new();
    let verdict = match decision {
        Decision::Allowed => "Allowed: the SCPs allow the request".to_owned(),
        Decision::ImplicitlyDenied { level, .. } => {
            format!("ImplicitlyDenied: nothing at {level} allows the request")
        }
        Decision::ExplicitlyDenied {
            level,
            policy,
            statement,
            ..
        } => format!(
            "ExplicitlyDenied: statement `{statement}` of SCP `{policy}` at {level} denies the request"
        ),
    };
    let _ = writeln!(out, "{verdict}");
    for reason in reasons {
        let _ = writeln!(out, "  - {reason}");
    }
    out
}

/// A parsed case file.
#[derive(Debug)]
pub struct Case {
    action: String,
    resource: String,
    context: Context,
    /// Levels, root first: name and (policy name, policy).
    levels: Vec<(String, Vec<(String, Policy)>)>,
}

impl Case {
    /// What each statement of the case covers in the IAM catalog, level by level.
    fn coverage(&self) -> Vec<Coverage> {
        let catalog = kiro_policy::Catalog::get();
        let mut out = Vec::new();
        for (level, policies) in &self.levels {
            for (policy, document) in policies {
                for statement in document.statements() {
                    let (entries, negated) = statement.actions();
                    out.push(Coverage {
                        level: level.clone(),
                        policy: policy.clone(),
                        statement: statement.label(),
                        effect: statement.effect().as_str(),
                        negated,
                        entries: entries
                            .iter()
                            .map(|entry| {
                                let covered = catalog
                                    .covered(entry)
                                    .into_iter()
                                    .map(|(s, a)| format!("{}:{}", s.prefix, a.name))
                                    .collect();
                                (entry.clone(), covered)
                            })
                            .collect(),
                    });
                }
            }
        }
        out
    }

    /// Decides the case, with the reasons.
    pub fn decide(&self) -> (Decision<'static>, Vec<String>) {
        let levels: Vec<Level<'_>> = self
            .levels
            .iter()
            .map(|(name, policies)| Level {
                name: name.clone(),
                policies: policies.iter().map(|(n, p)| (n.as_str(), p)).collect(),
            })
            .collect();
        let (decision, reasons) = explain_scps(
            &levels,
            &Request {
                action: &self.action,
                resource: &self.resource,
                context: &self.context,
            },
        );
        (decision.into_owned(), reasons)
    }
}

/// Reads and checks a case file, every problem located.
pub fn load_case(path: &Path) -> Result<Case, LoadError> {
    kiro_estate::io::load_with(path, |text, _| parse_case(text))
}

const CASE_KEYS: &[&str] = &["action", "resource", "context", "scps"];

/// Parses the text of a case file: every unknown key at once, and the first problem of the
/// values, each with its line and column.
pub fn parse_case(text: &str) -> Result<Case, Diagnostics> {
    let locate = |mut problems: Vec<Diagnostic>| {
        Locator::new(text).locate_all(&mut problems);
        Diagnostics(problems)
    };
    let at = |path: DocPath, message: String| locate(vec![Diagnostic::new(path, message)]);
    let root = DocPath::root;
    let value: Value =
        kiro_estate::io::deserialize(text, kiro_estate::Format::Json).map_err(|mut d| {
            for d in &mut d.0 {
                d.message = format!("the case is not valid JSON: {}", d.message);
            }
            d
        })?;
    let Value::Object(map) = &value else {
        return Err(at(
            root(),
            "the case must be a JSON object with `action`, `resource`, `context` and `scps`".into(),
        ));
    };
    let unknown: Vec<Diagnostic> = map
        .keys()
        .filter(|key| !CASE_KEYS.contains(&key.as_str()))
        .map(|key| {
            Diagnostic::new(root().key(key), format!("unknown key `{key}` in the case")).with_help(
                did_you_mean(key, CASE_KEYS.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "expected {}",
                        CASE_KEYS
                            .iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(locate(unknown));
    }
    let action = match map.get("action") {
        Some(Value::String(a))
            if a == "*"
                || a.split_once(':')
                    .is_some_and(|(s, n)| !s.is_empty() && !n.is_empty()) =>
        {
            a.clone()
        }
        Some(Value::String(a)) => {
            return Err(at(
                root().key("action"),
                format!("`action` must look like `service:Action`, found `{a}`"),
            ));
        }
        Some(other) => {
            return Err(at(
                root().key("action"),
                format!("`action` must be a string, found `{other}`"),
            ));
        }
        None => {
            return Err(at(
                root(),
                "missing `action`, e.g. `\"action\": \"sso:CreateInstance\"`".into(),
            ));
        }
    };
    let resource = match map.get("resource") {
        None => "*".to_owned(),
        Some(Value::String(r)) => r.clone(),
        Some(other) => {
            return Err(at(
                root().key("resource"),
                format!("`resource` must be a string (an ARN or `*`), found `{other}`"),
            ));
        }
    };
    let mut context = Context::new();
    match map.get("context") {
        None | Some(Value::Null) => {}
        Some(Value::Object(keys)) => {
            for (key, v) in keys {
                let path = root().key("context").key(key);
                match v {
                    Value::Array(items) => {
                        let values = items
                            .iter()
                            .map(|i| {
                                scalar(i).ok_or_else(|| {
                                    at(
                                        path.clone(),
                                        format!(
                                            "context key `{key}`: values must be strings, found `{i}`"
                                        ),
                                    )
                                })
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        context.insert_many(key, values);
                    }
                    other => {
                        let v = scalar(other).ok_or_else(|| {
                            at(path.clone(), format!("context key `{key}` must be a string or a list of strings, found `{other}`"))
                        })?;
                        context.insert(key, v);
                    }
                }
            }
        }
        Some(other) => {
            return Err(at(
                root().key("context"),
                format!("`context` must be an object of keys to values, found `{other}`"),
            ));
        }
    }
    let Some(Value::Array(levels)) = map.get("scps") else {
        return Err(at(
            root().key("scps"),
            "`scps` must be a list of levels (root first), each a list of policies".into(),
        ));
    };
    let count = levels.len();
    let mut parsed = Vec::with_capacity(count);
    for (i, level) in levels.iter().enumerate() {
        let Value::Array(policies) = level else {
            return Err(at(
                root().key("scps").index(i),
                format!("`scps[{i}]` must be a list of policies, found `{level}`"),
            ));
        };
        let mut list = Vec::with_capacity(policies.len());
        for (j, doc) in policies.iter().enumerate() {
            let name = format!("scps[{i}][{j}]");
            let path = root().key("scps").index(i).index(j);
            let policy = Policy::from_document(doc).map_err(|e| {
                at(
                    path.clone(),
                    format!("`{name}`: {}", describe_policy_error(&e)),
                )
            })?;
            let name = policy.id().map_or_else(|| name.clone(), str::to_owned);
            list.push((name, policy));
        }
        parsed.push((level_name(i, count), list));
    }
    Ok(Case {
        action,
        resource,
        context,
        levels: parsed,
    })
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `root`, `OU 1`, `OU 2`, ..., `account`: what the positions of the levels stand for.
fn level_name(index: usize, count: usize) -> String {
    if index == 0 {
        "root".to_owned()
    } else if index + 1 == count {
        "account".to_owned()
    } else {
        format!("OU {index}")
    }
}

fn describe_policy_error(err: &PolicyError) -> String {
    match err {
        PolicyError::Invalid(problems) => {
            let mut out = format!("invalid policy document ({} problems)", problems.len());
            for p in problems {
                let _ = write!(out, "\n  {}", problem_line(p, None));
            }
            out
        }
        other => other.to_string(),
    }
}

fn problem_line(p: &Problem, file: Option<&Path>) -> String {
    let mut line = String::new();
    if let Some(file) = file {
        let _ = write!(line, "{}:", file.display());
    }
    if let (Some(l), Some(c)) = (p.line, p.column) {
        let _ = write!(line, "{l}:{c}:");
    }
    if !line.is_empty() {
        line.push(' ');
    }
    if let Some(code) = p.code {
        let _ = write!(line, "[{code}] ");
    }
    if p.path.is_empty() {
        line.push_str(&p.message);
    } else {
        let _ = write!(line, "{}: {}", p.path, p.message);
    }
    if let Some(help) = &p.help {
        let _ = write!(line, "\n    help: {help}");
    }
    line
}

fn validate(files: &[PathBuf], format: ReportFormat) -> super::CliResult {
    let mut all_valid = true;
    let mut reports = Vec::new();
    let mut text = String::new();
    for file in files {
        let (problems, warnings, summary) = match std::fs::read_to_string(file) {
            Err(e) => (
                vec![Problem::new("", format!("cannot read the file: {e}"))],
                Vec::new(),
                None,
            ),
            Ok(source) => match Policy::parse(&source) {
                Ok(policy) => {
                    let summary = format!(
                        "{} statement{}, {} of {} characters without whitespace",
                        policy.statements().len(),
                        if policy.statements().len() == 1 {
                            ""
                        } else {
                            "s"
                        },
                        policy.minified_len(),
                        kiro_policy::SCP_SIZE_LIMIT
                    );
                    (Vec::new(), policy.warnings().to_vec(), Some(summary))
                }
                Err(err) => (err.problems(), Vec::new(), None),
            },
        };
        all_valid &= problems.is_empty();
        match format {
            ReportFormat::Human => {
                for p in &problems {
                    let _ = writeln!(
                        text,
                        "{}",
                        problem_line(&with_severity(p, "error"), Some(file))
                    );
                }
                for p in &warnings {
                    let _ = writeln!(
                        text,
                        "{}",
                        problem_line(&with_severity(p, "warning"), Some(file))
                    );
                }
                if let Some(summary) = &summary {
                    let _ = writeln!(text, "{}: valid ({summary})", file.display());
                }
            }
            ReportFormat::Json => {
                let entry = |p: &Problem, severity: &str| {
                    json!({"severity": severity, "code": p.code, "line": p.line, "column": p.column,
                           "path": p.path, "message": p.message, "help": p.help})
                };
                let mut list: Vec<Value> = problems.iter().map(|p| entry(p, "error")).collect();
                list.extend(warnings.iter().map(|p| entry(p, "warning")));
                reports.push(json!({"file": file.display().to_string(), "valid": problems.is_empty(), "problems": list}));
            }
        }
    }
    match format {
        ReportFormat::Human => {
            if !all_valid {
                let bad = text.lines().filter(|l| l.contains(" error: ")).count();
                let _ = writeln!(text, "{} found", count(bad, "problem", "problems"));
            }
            print(&text)?;
        }
        ReportFormat::Json => print(&serde_json::to_string_pretty(
            &json!({"valid": all_valid, "files": reports}),
        )?)?,
    }
    if all_valid {
        Ok(())
    } else {
        Err(super::CliError::BadInput(super::Report::Shown))
    }
}

/// A problem with its severity (and code) written before the message and its path:
/// `FILE:1:2: error: Statement: ...`, `FILE:1:2: warning: [UNKNOWN_ACTION] Statement: ...`.
fn with_severity(p: &Problem, severity: &str) -> Problem {
    let mut p = p.clone();
    let mut head = format!("{severity}:");
    if let Some(code) = p.code.take() {
        let _ = write!(head, " [{code}]");
    }
    p.message = if p.path.is_empty() {
        format!("{head} {}", p.message)
    } else {
        format!("{head} {}: {}", p.path, p.message)
    };
    p.path = String::new();
    p
}

/// Writes `text` to stdout; a closed pipe (`kiro-org scp ... | head`) is not an error.
fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    let result = out
        .write_all(text.as_bytes())
        .and_then(|()| {
            if text.ends_with('\n') {
                Ok(())
            } else {
                out.write_all(b"\n")
            }
        })
        .and_then(|()| out.flush());
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = r#"{
        "action": "codewhisperer:CreateProfile",
        "resource": "*",
        "context": {"aws:PrincipalAccount": "210987654321", "aws:TagKeys": ["team"]},
        "scps": [
            [{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}],
            ["{\"Id\": \"guard\", \"Statement\": [{\"Sid\": \"DenyProfiles\", \"Effect\": \"Deny\", \"Action\": \"codewhisperer:CreateProfile\", \"Resource\": \"*\", \"Condition\": {\"StringNotEquals\": {\"aws:PrincipalAccount\": \"111111111111\"}}}]}",
             {"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}],
            [{"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}]
        ]}"#;

    #[test]
    fn simulates_a_case() {
        let case = parse_case(CASE).unwrap();
        let (decision, reasons) = case.decide();
        assert_eq!(decision.kind(), "ExplicitlyDenied");
        let Decision::ExplicitlyDenied {
            level,
            policy,
            statement,
            ..
        } = &decision
        else {
            unreachable!()
        };
        assert_eq!(
            (level.as_ref(), policy.as_ref(), statement.as_ref()),
            ("OU 1", "guard", "DenyProfiles")
        );
        let json = decision_json(&decision, &reasons);
        assert_eq!(json["decision"], "ExplicitlyDenied");
        assert!(json["reasons"].as_array().unwrap().len() >= 2);
        let text = render_decision(&decision, &reasons);
        assert!(
            text.starts_with("ExplicitlyDenied: statement `DenyProfiles` of SCP `guard` at OU 1"),
            "{text}"
        );
    }

    #[test]
    fn reports_bad_cases() {
        assert!(
            parse_case("{")
                .unwrap_err()
                .to_string()
                .contains("not valid JSON")
        );
        assert!(
            parse_case(r#"{"action": "x:y", "scps": [], "contexts": {}}"#)
                .unwrap_err()
                .to_string()
                .contains("unknown key `contexts`")
        );
        assert!(
            parse_case(r#"{"scps": []}"#)
                .unwrap_err()
                .to_string()
                .contains("missing `action`")
        );
        let err = parse_case(r#"{"action": "x:y", "scps": [[{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*"}}]]}"#).unwrap_err().to_string();
        assert!(
            err.contains("`scps[0][0]`") && err.contains("`Principal` is not allowed"),
            "{err}"
        );
        let err = parse_case(r#"{"action": "x:y", "scps": [["{ nope"]]}"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`scps[0][0]`: malformed policy document at line 1"),
            "{err}"
        );
    }

    #[test]
    fn names_levels_by_position() {
        assert_eq!(level_name(0, 1), "root");
        assert_eq!(level_name(1, 3), "OU 1");
        assert_eq!(level_name(2, 3), "account");
    }
}
