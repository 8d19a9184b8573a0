//! From JSON to a compiled [`Policy`], collecting every problem in one pass.

use serde_json::{Map, Value};

use crate::catalog;
use crate::condition::{Condition, Operator, is_placeholder};
use crate::error::{PolicyError, Problem, locate};
use crate::policy::{
    ActionPattern, ActionSet, Effect, Policy, ResourcePattern, ResourceSet, Statement,
};
use crate::validate::{
    SCP_SIZE_LIMIT, STATEMENT_KEYS, TOP_LEVEL_KEYS, VERSIONS, check_action, check_resource,
    did_you_mean, minified_len,
};
use crate::variables::{Seg, tokenize};
use crate::wildcard::{Pattern, split_colons};

impl Policy {
    /// Parses and validates a policy document from JSON text.
    ///
    /// Problems carry the line and column of the offending key or value where it can be found
    /// in the text.
    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        let value: Value = serde_json::from_str(text).map_err(|e| malformed(&e))?;
        match build(&value, Some(text)) {
            Err(PolicyError::Invalid(mut problems)) => {
                locate(&mut problems, text);
                Err(PolicyError::Invalid(problems))
            }
            other => other,
        }
    }

    /// Validates a policy document already parsed as JSON.
    pub fn from_value(value: &Value) -> Result<Policy, PolicyError> {
        build(value, None)
    }

    /// Parses a stored policy document, whichever of its two forms it has: a JSON object, or
    /// a string holding JSON (as AWS's APIs carry it, and as an estate or a case file may
    /// write it). The one entry point for documents that do not come from a file of their
    /// own, so every reader accepts and refuses the same documents.
    pub fn from_document(document: &Value) -> Result<Policy, PolicyError> {
        match document {
            Value::String(text) => Policy::parse(text),
            Value::Object(_) => Policy::from_value(document),
            other => Err(PolicyError::Invalid(vec![Problem::new(
                "",
                format!(
                    "a policy document is a mapping or a string holding JSON, found {}",
                    kind(other)
                ),
            )])),
        }
    }
}

fn malformed(e: &serde_json::Error) -> PolicyError {
    let full = e.to_string();
    let message = match full.rfind(" at line ") {
        Some(i) => full[..i].to_owned(),
        None => full,
    };
    PolicyError::Malformed {
        message,
        line: e.line().max(1),
        column: e.column().max(1),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn build(value: &Value, text: Option<&str>) -> Result<Policy, PolicyError> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let Value::Object(top) = value else {
        return Err(PolicyError::Invalid(vec![Problem::new(
            "",
            format!(
                "a policy document must be a JSON object, found {}",
                kind(value)
            ),
        )]));
    };
    unknown_keys(top, TOP_LEVEL_KEYS, "", &mut problems);
    if let Some(version) = top.get("Version") {
        match version.as_str() {
            Some(v) if VERSIONS.contains(&v) => {}
            _ => problems.push(
                Problem::new(
                    "Version",
                    format!("unsupported policy version {}", show(version)),
                )
                .help("use `2012-10-17`")
                .at("\"Version\""),
            ),
        }
    }
    let id = match top.get("Id") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            problems.push(
                Problem::new(
                    "Id",
                    format!("`Id` must be a string, found {}", kind(other)),
                )
                .at("\"Id\""),
            );
            None
        }
    };
    let mut statements = Vec::new();
    match top.get("Statement") {
        None => problems.push(Problem::new("", "missing `Statement`")),
        Some(Value::Object(s)) => {
            if let Some(s) = statement(s, 0, "Statement", &mut problems, &mut warnings) {
                statements.push(s);
            }
        }
        Some(Value::Array(list)) => {
            if list.is_empty() {
                problems.push(
                    Problem::new("Statement", "`Statement` is an empty list").at("\"Statement\""),
                );
            }
            for (i, item) in list.iter().enumerate() {
                let path = format!("Statement[{i}]");
                match item {
                    Value::Object(s) => {
                        if let Some(s) = statement(s, i, &path, &mut problems, &mut warnings) {
                            statements.push(s);
                        }
                    }
                    other => problems.push(Problem::new(
                        path,
                        format!("a statement must be an object, found {}", kind(other)),
                    )),
                }
            }
        }
        Some(other) => problems.push(
            Problem::new(
                "Statement",
                format!(
                    "`Statement` must be an object or a list of objects, found {}",
                    kind(other)
                ),
            )
            .at("\"Statement\""),
        ),
    }
    if !problems.is_empty() {
        return Err(PolicyError::Invalid(problems));
    }
    if let Some(text) = text {
        locate(&mut warnings, text);
    }
    let characters = minified_len(value);
    if characters > SCP_SIZE_LIMIT {
        return Err(PolicyError::TooLarge {
            characters,
            limit: SCP_SIZE_LIMIT,
        });
    }
    Ok(Policy {
        document: value.clone(),
        id,
        statements,
        warnings,
    })
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{other}`"),
    }
}

fn unknown_keys(map: &Map<String, Value>, known: &[&str], path: &str, problems: &mut Vec<Problem>) {
    for key in map.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let at = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if key == "Principal" || key == "NotPrincipal" {
            problems.push(
                Problem::new(at, format!("`{key}` is not allowed in a service control policy"))
                    .help("an SCP applies to every principal of the accounts it is attached to; remove the element")
                    .at(format!("\"{key}\"")),
            );
            continue;
        }
        let mut problem = Problem::new(at, format!("unknown key `{key}`")).at(format!("\"{key}\""));
        if let Some(s) = did_you_mean(key, known.iter().copied()) {
            problem = problem.help(format!("did you mean `{s}`?"));
        } else {
            problem = problem.help(format!(
                "expected one of {}",
                known
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        problems.push(problem);
    }
}

/// A string or a non-empty list of strings; numbers and booleans become strings where
/// `scalars` allows them (condition values).
fn strings(v: &Value, path: &str, key: &str, scalars: bool) -> Result<Vec<String>, Box<Problem>> {
    let one = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) if scalars => Some(n.to_string()),
        Value::Bool(b) if scalars => Some(b.to_string()),
        _ => None,
    };
    let what = if scalars {
        "a string, number or boolean, or a list of them"
    } else {
        "a string or a list of strings"
    };
    let bad = |found: &Value| {
        Box::new(
            Problem::new(
                path,
                format!("`{key}` must be {what}, found {}", kind(found)),
            )
            .at(format!("\"{key}\"")),
        )
    };
    match v {
        Value::Array(list) if list.is_empty() => Err(Box::new(
            Problem::new(path, format!("`{key}` is an empty list")).at(format!("\"{key}\"")),
        )),
        Value::Array(list) => list.iter().map(|x| one(x).ok_or_else(|| bad(x))).collect(),
        other => one(other).map(|s| vec![s]).ok_or_else(|| bad(other)),
    }
}

fn statement(
    map: &Map<String, Value>,
    index: usize,
    path: &str,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Option<Statement> {
    let before = problems.len();
    unknown_keys(map, STATEMENT_KEYS, path, problems);
    let sid = match map.get("Sid") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            problems.push(
                Problem::new(
                    format!("{path}.Sid"),
                    format!("`Sid` must be a string, found {}", kind(other)),
                )
                .at("\"Sid\""),
            );
            None
        }
    };
    let effect = match map.get("Effect") {
        None => {
            problems.push(
                Problem::new(path, "missing `Effect`")
                    .help("add `\"Effect\": \"Allow\"` or `\"Effect\": \"Deny\"`"),
            );
            None
        }
        Some(Value::String(s)) if s == "Allow" => Some(Effect::Allow),
        Some(Value::String(s)) if s == "Deny" => Some(Effect::Deny),
        Some(other) => {
            let mut p = Problem::new(
                format!("{path}.Effect"),
                format!("`Effect` must be `Allow` or `Deny`, found {}", show(other)),
            )
            .at("\"Effect\"");
            if let Some(s) = other
                .as_str()
                .and_then(|s| did_you_mean(s, ["Allow", "Deny"]))
            {
                p = p.help(format!("did you mean `{s}`?"));
            }
            problems.push(p);
            None
        }
    };
    let actions = match (map.get("Action"), map.get("NotAction")) {
        (Some(_), Some(_)) => {
            problems.push(
                Problem::new(
                    path,
                    "a statement cannot have both `Action` and `NotAction`",
                )
                .at("\"NotAction\""),
            );
            None
        }
        (None, None) => {
            problems.push(Problem::new(path, "missing `Action` (or `NotAction`)"));
            None
        }
        (Some(v), None) => action_set(v, false, &format!("{path}.Action"), "Action", problems),
        (None, Some(v)) => action_set(v, true, &format!("{path}.NotAction"), "NotAction", problems),
    };
    let resources = match (map.get("Resource"), map.get("NotResource")) {
        (Some(_), Some(_)) => {
            problems.push(
                Problem::new(
                    path,
                    "a statement cannot have both `Resource` and `NotResource`",
                )
                .at("\"NotResource\""),
            );
            None
        }
        // SCPs may leave the resource out: it then means every resource.
        (None, None) => Some(ResourceSet {
            negated: false,
            patterns: vec![ResourcePattern::All],
            written: vec!["*".to_owned()],
        }),
        (Some(v), None) => resource_set(
            v,
            false,
            &format!("{path}.Resource"),
            "Resource",
            problems,
            warnings,
        ),
        (None, Some(v)) => resource_set(
            v,
            true,
            &format!("{path}.NotResource"),
            "NotResource",
            problems,
            warnings,
        ),
    };
    let conditions = match map.get("Condition") {
        None => Some(Vec::new()),
        Some(v) => conditions(v, &format!("{path}.Condition"), problems, warnings),
    };
    if problems.len() != before {
        return None;
    }
    let (actions, conditions) = (actions?, conditions?);
    let action_path = format!(
        "{path}.{}",
        if actions.negated {
            "NotAction"
        } else {
            "Action"
        }
    );
    let effect = effect?;
    let listed = map
        .get(if actions.negated {
            "NotAction"
        } else {
            "Action"
        })
        .is_some_and(Value::is_array);
    let guard = (effect == Effect::Deny && !actions.negated).then_some(path);
    catalog::check_actions(&actions.written, &action_path, listed, guard, warnings);
    let judged = (!actions.negated).then_some(&actions.written[..]);
    for c in &conditions {
        let key_path = format!("{path}.Condition.{}.{}", c.operator_name, c.key);
        catalog::check_condition(c, judged, &key_path, warnings);
    }
    Some(Statement {
        sid,
        index,
        effect,
        actions,
        resources: resources?,
        conditions,
    })
}

fn action_set(
    v: &Value,
    negated: bool,
    path: &str,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<ActionSet> {
    let written = match strings(v, path, key, false) {
        Ok(w) => w,
        Err(p) => {
            problems.push(*p);
            return None;
        }
    };
    let mut ok = true;
    for a in &written {
        if let Some(message) = check_action(a) {
            problems.push(Problem::new(path, message).at(format!("\"{a}\"")));
            ok = false;
        }
    }
    let patterns = written
        .iter()
        .map(|a| match a.split_once(':') {
            None => ActionPattern::All,
            Some((service, action)) => ActionPattern::Split {
                service: Pattern::new(service, true, false),
                action: Pattern::new(action, true, false),
            },
        })
        .collect();
    ok.then_some(ActionSet {
        negated,
        patterns,
        written,
    })
}

fn resource_set(
    v: &Value,
    negated: bool,
    path: &str,
    key: &str,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Option<ResourceSet> {
    let written = match strings(v, path, key, false) {
        Ok(w) => w,
        Err(p) => {
            problems.push(*p);
            return None;
        }
    };
    let mut ok = true;
    for r in &written {
        if is_placeholder(r) {
            warnings.push(
                Problem::new(
                    path,
                    format!(
                        "placeholder `{r}` is not an ARN; it matches nothing until it is replaced"
                    ),
                )
                .at(format!("\"{r}\"")),
            );
        } else if let Some(message) = check_resource(r) {
            problems.push(Problem::new(path, message).at(format!("\"{r}\"")));
            ok = false;
        }
    }
    let mut patterns = Vec::with_capacity(written.len());
    for r in &written {
        let (pattern, literal_variable) = resource_pattern(r);
        if literal_variable {
            warnings.push(
                Problem::new(
                    path,
                    format!(
                        "`{r}` has a policy variable before the resource part of the ARN; AWS substitutes variables only after the fifth colon, so it never matches"
                    ),
                )
                .at(format!("\"{r}\"")),
            );
        }
        patterns.push(pattern);
    }
    ok.then_some(ResourceSet {
        negated,
        patterns,
        written,
    })
}

/// Compiles a resource pattern: `*`, or an ARN split into its parts so that wildcards match
/// within one part, as AWS matches ARNs segment by segment.
///
/// AWS substitutes policy variables only in the resource part, after the fifth colon
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>);
/// a variable written in the partition, service, region or account stays literal text, which
/// no real ARN contains. The second value tells whether that happened, for a warning.
pub(crate) fn resource_pattern(text: &str) -> (ResourcePattern, bool) {
    if text == "*" {
        return (ResourcePattern::All, false);
    }
    let mut parts = split_colons(&tokenize(text, true, true), 6);
    if parts.len() < 6 {
        // A short ARN such as `arn:aws:s3:*` stands for every ARN it is a prefix of when it
        // ends in a wildcard; otherwise it matches nothing.
        let trailing_star = matches!(parts.last().and_then(|p| p.last()), Some(Seg::Star));
        if !trailing_star {
            return (ResourcePattern::Never, false);
        }
        while parts.len() < 6 {
            parts.push(vec![Seg::Star]);
        }
    }
    let mut literal_variable = false;
    for part in parts.iter_mut().take(5) {
        for seg in part.iter_mut() {
            if let Seg::Var(var) = seg {
                literal_variable = true;
                *seg = Seg::Lit(format!("${{{}}}", var.key).into_boxed_str());
            }
        }
    }
    let mut compiled = parts.into_iter().skip(1).map(Pattern::from_segs);
    let mut next = || {
        compiled
            .next()
            .unwrap_or_else(|| Pattern::new("*", true, false))
    };
    (
        ResourcePattern::Arn(Box::new([next(), next(), next(), next(), next()])),
        literal_variable,
    )
}

fn conditions(
    v: &Value,
    path: &str,
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<Problem>,
) -> Option<Vec<Condition>> {
    let Value::Object(ops) = v else {
        problems.push(
            Problem::new(
                path,
                format!("`Condition` must be an object, found {}", kind(v)),
            )
            .at("\"Condition\""),
        );
        return None;
    };
    let mut out = Vec::new();
    let before = problems.len();
    for (name, keys) in ops {
        let op_path = format!("{path}.{name}");
        let operator = match Operator::parse(name) {
            Ok(op) => op,
            Err((message, help)) => {
                let mut p = Problem::new(&op_path, message).at(format!("\"{name}\""));
                if let Some(h) = help {
                    p = p.help(h);
                }
                problems.push(p);
                continue;
            }
        };
        let Value::Object(keys) = keys else {
            problems.push(
                Problem::new(
                    &op_path,
                    format!(
                        "condition operator `{name}` must map keys to values, found {}",
                        kind(keys)
                    ),
                )
                .at(format!("\"{name}\"")),
            );
            continue;
        };
        if keys.is_empty() {
            problems.push(
                Problem::new(&op_path, format!("condition operator `{name}` has no keys"))
                    .at(format!("\"{name}\"")),
            );
        }
        for (key, values) in keys {
            let key_path = format!("{op_path}.{key}");
            let values = match strings(values, &key_path, key, true) {
                Ok(v) => v,
                Err(p) => {
                    problems.push(*p);
                    continue;
                }
            };
            match Condition::new(name.clone(), operator, key.clone(), values) {
                Ok((c, notes)) => {
                    out.push(c);
                    warnings.extend(
                        notes
                            .into_iter()
                            .map(|n| Problem::new(&key_path, n).at(format!("\"{key}\""))),
                    );
                }
                Err(message) => problems.push(
                    Problem::new(&key_path, format!("{message} for `{name}`"))
                        .at(format!("\"{key}\"")),
                ),
            }
        }
    }
    (problems.len() == before).then_some(out)
}
