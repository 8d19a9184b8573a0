//! The SCP hierarchy: root, then each OU down the path, then the account.
//!
//! AWS allows a request only when every level of the path has at least one SCP statement that
//! allows it, and no SCP at any level denies it
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
//! An explicit deny anywhere wins over a missing allow, so denies are looked for first.

use std::borrow::Cow;

use serde::Serialize;

use crate::evaluate::{Prepared, Request};
use crate::policy::{Effect, Policy, Statement};

/// One level of the path from the root to the account, with the SCPs attached there.
#[derive(Debug, Clone)]
pub struct Level<'a> {
    /// What a person calls the level, e.g. `root r-ab12`, `OU engineering (ou-ab12-xxxxxxxx)`,
    /// `account 210987654321`.
    pub name: String,
    /// The SCPs attached at this level, by name.
    pub policies: Vec<(&'a str, &'a Policy)>,
}

/// The answer for one request: allowed, or where and by what it is denied.
///
/// The one type for a decision, whether it is wanted for a matrix of many requests or for one
/// explained request: the names borrow from the levels and the request ([`decide_scps`]
/// allocates nothing unless a denying statement has no `Sid`), and [`Decision::into_owned`]
/// keeps a decision beyond them (an `AccessDeniedException` carries one). The reasons a
/// person reads come from [`explain_scps`].
///
/// As JSON: `{"decision": "ExplicitlyDenied", "action": ..., "level": ..., "policy": ...,
/// "statement": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "decision")]
pub enum Decision<'a> {
    /// Every level allows the request and nothing denies it.
    Allowed,
    /// Nothing denies the request, but a level has no statement that allows it.
    ImplicitlyDenied {
        /// The action asked for.
        action: Cow<'a, str>,
        /// The first level (from the root) without an allow.
        level: Cow<'a, str>,
    },
    /// A statement denies the request.
    ExplicitlyDenied {
        /// The action asked for.
        action: Cow<'a, str>,
        /// The level of the denying policy.
        level: Cow<'a, str>,
        /// The denying policy's name.
        policy: Cow<'a, str>,
        /// The denying statement's `Sid`, or `Statement[i]`.
        statement: Cow<'a, str>,
    },
}

impl Decision<'_> {
    /// True for [`Decision::Allowed`].
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed)
    }

    /// `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`: the stable name used in JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Decision::Allowed => "Allowed",
            Decision::ImplicitlyDenied { .. } => "ImplicitlyDenied",
            Decision::ExplicitlyDenied { .. } => "ExplicitlyDenied",
        }
    }

    /// The level that denies (explicitly, or by having no allow); none when allowed.
    pub fn level(&self) -> Option<&str> {
        match self {
            Decision::Allowed => None,
            Decision::ImplicitlyDenied { level, .. } | Decision::ExplicitlyDenied { level, .. } => {
                Some(level)
            }
        }
    }

    /// The decision with its names owned, to keep beyond the levels it was made from.
    pub fn into_owned(self) -> Decision<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        match self {
            Decision::Allowed => Decision::Allowed,
            Decision::ImplicitlyDenied { action, level } => Decision::ImplicitlyDenied {
                action: own(action),
                level: own(level),
            },
            Decision::ExplicitlyDenied {
                action,
                level,
                policy,
                statement,
            } => Decision::ExplicitlyDenied {
                action: own(action),
                level: own(level),
                policy: own(policy),
                statement: own(statement),
            },
        }
    }
}

/// Decides a request against the SCP levels (root first), without reasons: the path for
/// matrices and audits that ask many questions.
///
/// With no levels at all (the management account, or an account outside an organization),
/// SCPs restrict nothing and the request is allowed.
pub fn decide_scps<'l>(levels: &'l [Level<'_>], request: &Request<'l>) -> Decision<'l> {
    decide_prepared(levels, request, &Prepared::new(request))
}

fn decide_prepared<'l>(
    levels: &'l [Level<'_>],
    request: &Request<'l>,
    prepared: &Prepared<'_>,
) -> Decision<'l> {
    let action = Cow::Borrowed(request.action);
    if let Some((level, policy, s)) = find_deny(levels, prepared) {
        let statement = match s.sid() {
            Some(sid) if !sid.is_empty() => Cow::Borrowed(sid),
            _ => Cow::Owned(s.label()),
        };
        return Decision::ExplicitlyDenied {
            action,
            level: Cow::Borrowed(&level.name),
            policy: Cow::Borrowed(policy),
            statement,
        };
    }
    match levels.iter().find(|l| find_allow(l, prepared).is_none()) {
        Some(level) => Decision::ImplicitlyDenied {
            action,
            level: Cow::Borrowed(&level.name),
        },
        None => Decision::Allowed,
    }
}

/// The first denying statement from the root down: its level, policy name and statement.
fn find_deny<'l, 'a>(
    levels: &'l [Level<'a>],
    request: &Prepared<'_>,
) -> Option<(&'l Level<'a>, &'a str, &'a Statement)> {
    levels.iter().find_map(|level| {
        level.policies.iter().find_map(|(name, policy)| {
            policy
                .statements
                .iter()
                .find(|s| s.effect == Effect::Deny && s.matches_prepared(request))
                .map(|s| (level, *name, s))
        })
    })
}

fn find_allow<'l>(level: &Level<'l>, request: &Prepared<'_>) -> Option<(&'l str, &'l Statement)> {
    level.policies.iter().find_map(|(name, policy)| {
        policy
            .statements
            .iter()
            .find(|s| s.effect == Effect::Allow && s.matches_prepared(request))
            .map(|s| (*name, s))
    })
}

/// Decides a request against the SCP levels (root first) and explains the decision: the
/// reasons a person needs to act on it, in order.
pub fn explain_scps<'l>(
    levels: &'l [Level<'_>],
    request: &Request<'l>,
) -> (Decision<'l>, Vec<String>) {
    explain_as(levels, request, "SCP")
}

/// [`explain_scps`] for resource control policies: RCPs are decided over the same levels by
/// the same rules ([`decide_scps`]), and only the reasons name them otherwise.
pub fn explain_rcps<'l>(
    levels: &'l [Level<'_>],
    request: &Request<'l>,
) -> (Decision<'l>, Vec<String>) {
    explain_as(levels, request, "RCP")
}

/// The explanation, the policies called `kind` (`SCP`, `RCP`) in the reasons.
fn explain_as<'l>(
    levels: &'l [Level<'_>],
    request: &Request<'l>,
    kind: &str,
) -> (Decision<'l>, Vec<String>) {
    let prepared = Prepared::new(request);
    let what = format!("`{}` on `{}`", request.action, request.resource);
    let decision = decide_prepared(levels, request, &prepared);
    let mut reasons = Vec::new();
    match &decision {
        Decision::ExplicitlyDenied {
            level,
            policy,
            statement,
            ..
        } => {
            reasons.push(format!(
                "statement `{statement}` of {kind} `{policy}` at {level} denies {what}"
            ));
            if let Some((_, _, s)) = find_deny(levels, &prepared) {
                reasons.push(explain_statement(s, request, &prepared));
            }
            reasons.push(format!(
                "an explicit deny in any {kind} overrides every allow"
            ));
        }
        Decision::ImplicitlyDenied { level: name, .. } => {
            let index = levels
                .iter()
                .position(|l| find_allow(l, &prepared).is_none())
                .unwrap_or(levels.len());
            for earlier in &levels[..index] {
                if let Some((name, s)) = find_allow(earlier, &prepared) {
                    reasons.push(allowed_reason(earlier, name, s, request, &prepared, kind));
                }
            }
            let policies = levels.get(index).map_or(&[][..], |l| &l.policies[..]);
            if policies.is_empty() {
                reasons.push(format!(
                    "no {kind} is attached at {name}, so it allows nothing (every level needs an allow)"
                ));
            } else {
                let names = policies
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                reasons.push(format!(
                    "no statement of the {kind}s at {name} ({names}) allows {what}"
                ));
                reasons.push(
                    "every level from the root to the account must allow a request".to_owned(),
                );
            }
        }
        Decision::Allowed => {
            reasons.extend(levels.iter().filter_map(|level| {
                find_allow(level, &prepared)
                    .map(|(name, s)| allowed_reason(level, name, s, request, &prepared, kind))
            }));
            if levels.is_empty() {
                reasons.push(format!("no {kind} applies to the request"));
            } else {
                reasons.push(format!("no {kind} denies {what}"));
            }
        }
    }
    (decision, reasons)
}

fn allowed_reason(
    level: &Level<'_>,
    policy: &str,
    s: &Statement,
    request: &Request<'_>,
    prepared: &Prepared<'_>,
    kind: &str,
) -> String {
    let matched = match s.matching_actions(prepared).as_slice() {
        [] => String::new(),
        patterns => format!(" (`{}` matches {})", request.action, quoted(patterns)),
    };
    format!(
        "{} allows it through statement `{}` of {kind} `{policy}`{matched}",
        level.name,
        s.label()
    )
}

/// Each item in backticks, separated by commas.
fn quoted(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(|x| format!("`{}`", x.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why a statement applies to the request: the `Action` entries that match it (a wildcard is
/// named as written, with the statement's other entries beside it), its resources, and its
/// conditions.
fn explain_statement(s: &Statement, request: &Request<'_>, prepared: &Prepared<'_>) -> String {
    let (actions, not_action) = s.actions();
    let (resources, not_resource) = s.resources();
    let matched = s.matching_actions(prepared);
    let action = if not_action {
        format!("the request is outside NotAction {}", quoted(actions))
    } else if matched.len() == actions.len() {
        format!("`{}` matches Action {}", request.action, quoted(&matched))
    } else {
        let others: Vec<&String> = actions
            .iter()
            .filter(|a| !matched.contains(&a.as_str()))
            .collect();
        format!(
            "`{}` matches Action {} (the statement also lists {})",
            request.action,
            quoted(&matched),
            quoted(&others)
        )
    };
    let mut text = format!(
        "{action}, {} {}",
        if not_resource {
            "is outside NotResource"
        } else {
            "in Resource"
        },
        quoted(resources),
    );
    if s.conditions().is_empty() {
        text.push_str(", and the statement has no condition");
    } else {
        let conditions = s
            .conditions()
            .iter()
            .map(|c| c.describe())
            .collect::<Vec<_>>()
            .join("; ");
        text.push_str(&format!(", and every condition holds: {conditions}"));
    }
    text
}
