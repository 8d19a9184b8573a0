//! A definitional evaluator: the IAM rules written as plainly as possible, straight from the
//! JSON, with no compilation and no cleverness. Property tests compare it with the fast
//! evaluator on random policies and requests.

#![allow(
    clippy::collapsible_if,
    clippy::type_complexity,
    reason = "written for plain reading, not for style"
)]

use serde_json::Value;

use crate::context::{Context, ContextValue};

#[derive(Clone, Copy, PartialEq, Debug)]
enum Tok {
    Char(char),
    Star,
    One,
}

/// `text` as tokens, with variables replaced by their value (always literal); `None` when a
/// variable has no value. Each token remembers whether it came from a variable, so ARN
/// splitting does not cut a substituted value.
fn tokens(text: &str, wildcards: bool, ctx: &Context) -> Option<Vec<(Tok, bool)>> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '$' && chars.get(i + 1) == Some(&'{') {
            if let Some(end) = chars[i + 2..].iter().position(|&c| c == '}') {
                let inner: String = chars[i + 2..i + 2 + end].iter().collect();
                i += end + 3;
                if inner == "*" || inner == "?" || inner == "$" {
                    out.push((Tok::Char(inner.chars().next()?), false));
                    continue;
                }
                let (name, default) = match inner.split_once(',') {
                    Some((n, d)) => {
                        let d = d.trim();
                        let d = d.strip_prefix('\'').and_then(|d| d.strip_suffix('\''));
                        (n.trim().to_string(), d.map(str::to_string))
                    }
                    None => (inner.trim().to_string(), None),
                };
                let value = match ctx.get(&name) {
                    Some(ContextValue::Single(v)) if !v.is_empty() => Some(v.clone()),
                    _ => default,
                }?;
                out.extend(value.chars().map(|c| (Tok::Char(c), true)));
                continue;
            }
        }
        let tok = match c {
            '*' if wildcards => Tok::Star,
            '?' if wildcards => Tok::One,
            c => Tok::Char(c),
        };
        out.push((tok, false));
        i += 1;
    }
    Some(out)
}

fn glob(p: &[Tok], t: &[char], fold: bool) -> bool {
    match p.first() {
        None => t.is_empty(),
        Some(Tok::Star) => (0..=t.len()).any(|k| glob(&p[1..], &t[k..], fold)),
        Some(Tok::One) => !t.is_empty() && glob(&p[1..], &t[1..], fold),
        Some(Tok::Char(c)) => {
            !t.is_empty()
                && (if fold {
                    c.to_lowercase().eq(t[0].to_lowercase())
                } else {
                    *c == t[0]
                })
                && glob(&p[1..], &t[1..], fold)
        }
    }
}

fn like(pattern: &str, text: &str, wildcards: bool, fold: bool, ctx: &Context) -> Option<bool> {
    let toks: Vec<Tok> = tokens(pattern, wildcards, ctx)?
        .into_iter()
        .map(|t| t.0)
        .collect();
    let chars: Vec<char> = text.chars().collect();
    Some(glob(&toks, &chars, fold))
}

fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Array(a) => a.iter().map(scalar).collect(),
        other => vec![scalar(other)],
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn action_matches(pattern: &str, action: &str, ctx: &Context) -> bool {
    if pattern == "*" {
        return true;
    }
    match (pattern.split_once(':'), action.split_once(':')) {
        (Some((ps, pa)), Some((s, a))) => {
            like(ps, s, true, true, ctx) == Some(true) && like(pa, a, true, true, ctx) == Some(true)
        }
        _ => false,
    }
}

/// ARN parts of a policy pattern, split at colons that were written in the policy.
fn pattern_parts(pattern: &str, ctx: &Context) -> Option<Vec<Vec<Tok>>> {
    let mut parts = vec![Vec::new()];
    for (tok, from_var) in tokens(pattern, true, ctx)? {
        if tok == Tok::Char(':') && !from_var && parts.len() < 6 {
            parts.push(Vec::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(tok);
        }
    }
    pad_short(parts)
}

fn pad_short(mut parts: Vec<Vec<Tok>>) -> Option<Vec<Vec<Tok>>> {
    if parts.len() < 6 {
        if parts.last().and_then(|p| p.last()) != Some(&Tok::Star) {
            return Some(vec![]);
        }
        while parts.len() < 6 {
            parts.push(vec![Tok::Star]);
        }
    }
    Some(parts)
}

/// A Resource pattern's parts: variables are substituted in the resource part only; before
/// the fifth colon they are literal text. The resource part is `None` when its variable has
/// no value.
fn resource_parts(pattern: &str, ctx: &Context) -> Option<(Vec<Vec<Tok>>, Option<Vec<Tok>>)> {
    // Cut at written colons outside `${...}`.
    let mut cuts = Vec::new();
    let mut depth = false;
    let chars: Vec<char> = pattern.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c == '$' && chars.get(i + 1) == Some(&'{') && chars[i..].contains(&'}') {
            depth = true;
        } else if *c == '}' {
            depth = false;
        } else if *c == ':' && !depth && cuts.len() < 5 {
            cuts.push(i);
        }
    }
    let text: Vec<String> = {
        let mut out = Vec::new();
        let mut start = 0;
        for c in &cuts {
            out.push(chars[start..*c].iter().collect());
            start = c + 1;
        }
        out.push(chars[start..].iter().collect());
        out
    };
    let literal = |s: &str| -> Vec<Tok> {
        s.chars()
            .map(|c| match c {
                '*' => Tok::Star,
                '?' => Tok::One,
                c => Tok::Char(c),
            })
            .collect()
    };
    if text.len() < 6 {
        let parts: Vec<Vec<Tok>> = text.iter().map(|t| literal(t)).collect();
        let parts = pad_short(parts)?;
        if parts.len() != 6 {
            return None;
        }
        return Some((parts[..5].to_vec(), Some(parts[5].clone())));
    }
    let prefix: Vec<Vec<Tok>> = text[..5]
        .iter()
        .map(|t| {
            // `${*}` and friends are escapes anywhere; other variables stay literal here.
            let t = t
                .replace("${*}", "\u{1}")
                .replace("${?}", "\u{2}")
                .replace("${$}", "$");
            literal(&t)
                .into_iter()
                .map(|tok| match tok {
                    Tok::Char('\u{1}') => Tok::Char('*'),
                    Tok::Char('\u{2}') => Tok::Char('?'),
                    other => other,
                })
                .collect()
        })
        .collect();
    let last = tokens(&text[5], true, ctx).map(|t| t.into_iter().map(|t| t.0).collect());
    Some((prefix, last))
}

fn resource_matches(pattern: &str, resource: &str, ctx: &Context) -> Option<bool> {
    if pattern == "*" {
        return Some(true);
    }
    let r: Vec<&str> = resource.splitn(6, ':').collect();
    if r.len() < 6 || r[0] != "arn" {
        return Some(false);
    }
    let Some((prefix, last)) = resource_parts(pattern, ctx) else {
        return Some(false);
    };
    let prefix_ok = (1..5).all(|i| {
        let chars: Vec<char> = r[i].chars().collect();
        glob(&prefix[i], &chars, true)
    });
    if !prefix_ok {
        return Some(false);
    }
    let chars: Vec<char> = r[5].chars().collect();
    Some(glob(&last?, &chars, false))
}

fn number(s: &str) -> Option<f64> {
    crate::condition::parse_number(s)
}

fn date(s: &str) -> Option<i128> {
    crate::condition::parse_date(s)
}

fn ip_in(net: &str, ip: &str) -> Option<bool> {
    let ip: std::net::IpAddr = ip.trim().parse().ok()?;
    let (addr, bits) = match net.split_once('/') {
        Some((a, b)) => (a.parse::<std::net::IpAddr>().ok()?, b.parse::<u32>().ok()?),
        None => {
            let a: std::net::IpAddr = net.parse().ok()?;
            (a, if a.is_ipv4() { 32 } else { 128 })
        }
    };
    Some(match (addr, ip) {
        (std::net::IpAddr::V4(a), std::net::IpAddr::V4(b)) => {
            (0..bits).all(|i| (u32::from(a) >> (31 - i)) & 1 == (u32::from(b) >> (31 - i)) & 1)
        }
        (std::net::IpAddr::V6(a), std::net::IpAddr::V6(b)) => {
            (0..bits).all(|i| (u128::from(a) >> (127 - i)) & 1 == (u128::from(b) >> (127 - i)) & 1)
        }
        _ => false,
    })
}

fn arn_like(pattern: &str, arn: &str, ctx: &Context) -> Option<bool> {
    let parts = pattern_parts(pattern, ctx)?;
    let r: Vec<&str> = arn.splitn(6, ':').collect();
    if parts.len() != 6 || r.len() < 6 {
        return None;
    }
    Some((1..6).all(|i| {
        let chars: Vec<char> = r[i].chars().collect();
        glob(&parts[i], &chars, false)
    }))
}

fn boolean(s: &str) -> Option<bool> {
    match s.to_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// The positive base operator on one policy value and one request value.
fn compare(base: &str, policy: &str, request: &str, ctx: &Context) -> Option<bool> {
    let num = |f: fn(f64, f64) -> bool| Some(f(number(request)?, number(policy)?));
    let dat = |f: fn(i128, i128) -> bool| Some(f(date(request)?, date(policy)?));
    match base {
        "stringequals" | "stringnotequals" => like(policy, request, false, false, ctx),
        "stringequalsignorecase" | "stringnotequalsignorecase" => {
            like(policy, request, false, true, ctx)
        }
        "stringlike" | "stringnotlike" => like(policy, request, true, false, ctx),
        "numericequals" | "numericnotequals" => num(|r, p| r == p),
        "numericlessthan" => num(|r, p| r < p),
        "numericlessthanequals" => num(|r, p| r <= p),
        "numericgreaterthan" => num(|r, p| r > p),
        "numericgreaterthanequals" => num(|r, p| r >= p),
        "dateequals" | "datenotequals" => dat(|r, p| r == p),
        "datelessthan" => dat(|r, p| r < p),
        "datelessthanequals" => dat(|r, p| r <= p),
        "dategreaterthan" => dat(|r, p| r > p),
        "dategreaterthanequals" => dat(|r, p| r >= p),
        "bool" => Some(boolean(request)? == boolean(policy)?),
        "binaryequals" => Some(policy == request),
        "ipaddress" | "notipaddress" => ip_in(policy, request),
        "arnequals" | "arnlike" | "arnnotequals" | "arnnotlike" => arn_like(policy, request, ctx),
        _ => None,
    }
}

fn condition_holds(operator: &str, key: &str, values: &[String], ctx: &Context) -> bool {
    let mut op = operator.to_lowercase();
    let set = if let Some(rest) = op.strip_prefix("foranyvalue:") {
        let r = rest.to_string();
        op = r;
        Some("any")
    } else if let Some(rest) = op.strip_prefix("forallvalues:") {
        let r = rest.to_string();
        op = r;
        Some("all")
    } else {
        None
    };
    let if_exists = op.ends_with("ifexists");
    let base = op.trim_end_matches("ifexists").to_string();
    let negated = base.contains("not");
    let value = ctx.get(key);
    if base == "null" {
        return values.iter().any(|v| boolean(v) == Some(value.is_none()));
    }
    let one = |request: &str| {
        if negated {
            values
                .iter()
                .all(|p| compare(&base, p, request, ctx) == Some(false))
        } else {
            values
                .iter()
                .any(|p| compare(&base, p, request, ctx) == Some(true))
        }
    };
    match (set, value) {
        (None, None) => if_exists || negated,
        (Some("any"), None) => if_exists,
        (Some(_), None) => true,
        (None, Some(ContextValue::Single(v))) => one(v),
        (None, Some(ContextValue::Multi(_))) => false,
        (Some("any"), Some(v)) => v.values().iter().any(|v| one(v)),
        (Some(_), Some(v)) => v.values().iter().all(|v| one(v)),
    }
}

fn statement_matches(s: &Value, action: &str, resource: &str, ctx: &Context) -> bool {
    let effect = s["Effect"].as_str().unwrap_or_default();
    let action_ok = if let Some(a) = s.get("Action") {
        list(a).iter().any(|p| action_matches(p, action, ctx))
    } else {
        !list(&s["NotAction"])
            .iter()
            .any(|p| action_matches(p, action, ctx))
    };
    let (patterns, negated) = match (s.get("Resource"), s.get("NotResource")) {
        (Some(r), _) => (list(r), false),
        (_, Some(r)) => (list(r), true),
        _ => (vec!["*".to_string()], false),
    };
    let resource_ok = if resource == "*" {
        let has_all = patterns.iter().any(|p| p == "*");
        match (effect, negated) {
            ("Allow", false) => true,
            ("Allow", true) => !has_all,
            (_, false) => has_all,
            (_, true) => false,
        }
    } else {
        if negated {
            patterns
                .iter()
                .all(|p| resource_matches(p, resource, ctx) == Some(false))
        } else {
            patterns
                .iter()
                .any(|p| resource_matches(p, resource, ctx) == Some(true))
        }
    };
    let conditions_ok = match s.get("Condition").and_then(Value::as_object) {
        None => true,
        Some(ops) => ops.iter().all(|(op, keys)| {
            keys.as_object().is_some_and(|keys| {
                keys.iter()
                    .all(|(k, v)| condition_holds(op, k, &list(v), ctx))
            })
        }),
    };
    action_ok && resource_ok && conditions_ok
}

fn statements(policy: &Value) -> Vec<Value> {
    match &policy["Statement"] {
        Value::Array(a) => a.clone(),
        other => vec![other.clone()],
    }
}

/// The decision kind for SCP levels given as JSON documents.
pub(crate) fn decide(
    levels: &[Vec<Value>],
    action: &str,
    resource: &str,
    ctx: &Context,
) -> &'static str {
    let applies = |s: &Value, effect: &str| {
        s["Effect"] == effect && statement_matches(s, action, resource, ctx)
    };
    let denied = levels
        .iter()
        .flatten()
        .flat_map(statements)
        .any(|s| applies(&s, "Deny"));
    if denied {
        return "ExplicitlyDenied";
    }
    let every_level_allows = levels.iter().all(|level| {
        level
            .iter()
            .flat_map(statements)
            .any(|s| applies(&s, "Allow"))
    });
    if every_level_allows {
        "Allowed"
    } else {
        "ImplicitlyDenied"
    }
}

#[path = "../tests/support/generate.rs"]
mod generate;

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::decide;
    use super::generate::{self, Options, Rng, case};
    use crate::{Context, Level, Policy, Request, decide_scps};

    fn context(case: &generate::Case) -> Context {
        let mut ctx = Context::new();
        for (k, v) in &case.context {
            match v {
                serde_json::Value::Array(a) => {
                    ctx.insert_many(
                        k,
                        a.iter().map(|x| x.as_str().unwrap_or_default().to_string()),
                    );
                }
                other => {
                    ctx.insert(k, other.as_str().unwrap_or_default());
                }
            }
        }
        ctx
    }

    fn check(seed: u64, oracle_safe: bool) {
        let case = case(&mut Rng(seed), Options { oracle_safe });
        let ctx = context(&case);
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
        let request = Request {
            action: &case.action,
            resource: &case.resource,
            context: &ctx,
        };
        let fast = decide_scps(&levels, &request).kind();
        let slow = decide(&case.levels, &case.action, &case.resource, &ctx);
        assert_eq!(fast, slow, "case: {}", case.to_json());
        // The explained decision agrees with the bare one.
        assert_eq!(crate::explain_scps(&levels, &request).0.kind(), fast);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn fast_evaluator_agrees_with_the_definition(seed in any::<u64>()) {
            check(seed, false);
        }
    }

    #[test]
    fn generated_cases_reach_every_decision() {
        let mut seen = std::collections::BTreeSet::new();
        for seed in 0..500u64 {
            let case = case(&mut Rng(seed), Options { oracle_safe: false });
            let ctx = context(&case);
            seen.insert(decide(&case.levels, &case.action, &case.resource, &ctx));
        }
        assert_eq!(seen.len(), 3, "{seen:?}");
    }
}
