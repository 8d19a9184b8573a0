//! The SCP hierarchy: root, then each OU down the path, then the account.
//!
//! AWS allows a request only when every level of the path has at least one SCP statement that
//! allows it, and no SCP at any level denies it
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
//! An explicit deny anywhere wins over a missing allow, so denies are looked for first.

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

/// The answer for one request, with the reasons a person needs to act on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Every level allows the request and nothing denies it.
    Allowed {
        /// For each level, the statement that allows.
        reasons: Vec<String>,
    },
    /// Nothing denies the request, but a level has no statement that allows it.
    ImplicitlyDenied {
        /// The first level (from the root) without an allow.
        level: String,
        /// Why.
        reasons: Vec<String>,
    },
    /// A statement denies the request.
    ExplicitlyDenied {
        /// The level of the denying policy.
        level: String,
        /// The denying policy's name.
        policy: String,
        /// The denying statement's `Sid`, or `Statement[i]`.
        statement: String,
        /// Why.
        reasons: Vec<String>,
    },
}

impl Decision {
    /// True for [`Decision::Allowed`].
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed { .. })
    }

    /// `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`: the stable name used in JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Decision::Allowed { .. } => "Allowed",
            Decision::ImplicitlyDenied { .. } => "ImplicitlyDenied",
            Decision::ExplicitlyDenied { .. } => "ExplicitlyDenied",
        }
    }

    /// The human-readable reasons.
    pub fn reasons(&self) -> &[String] {
        match self {
            Decision::Allowed { reasons }
            | Decision::ImplicitlyDenied { reasons, .. }
            | Decision::ExplicitlyDenied { reasons, .. } => reasons,
        }
    }
}

/// The outcome without reasons, for callers that evaluate many requests (matrices, audits)
/// and only need the verdict: it allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Allowed.
    Allowed,
    /// No allow at `levels[level]`.
    ImplicitlyDenied {
        /// Index of the level.
        level: usize,
    },
    /// Denied by `levels[level].policies[policy].statements()[statement]`.
    ExplicitlyDenied {
        /// Index of the level.
        level: usize,
        /// Index of the policy in the level.
        policy: usize,
        /// Index of the statement in the policy.
        statement: usize,
    },
}

impl Outcome {
    /// `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`.
    pub fn kind(&self) -> &'static str {
        match self {
            Outcome::Allowed => "Allowed",
            Outcome::ImplicitlyDenied { .. } => "ImplicitlyDenied",
            Outcome::ExplicitlyDenied { .. } => "ExplicitlyDenied",
        }
    }
}

/// Decides a request against the SCP levels, without reasons.
pub fn decide_scps(levels: &[Level<'_>], request: &Request<'_>) -> Outcome {
    let prepared = Prepared::new(request);
    if let Some((level, policy, statement)) = find_deny(levels, &prepared) {
        return Outcome::ExplicitlyDenied {
            level,
            policy,
            statement,
        };
    }
    for (i, level) in levels.iter().enumerate() {
        if find_allow(level, &prepared).is_none() {
            return Outcome::ImplicitlyDenied { level: i };
        }
    }
    Outcome::Allowed
}

fn find_deny(levels: &[Level<'_>], request: &Prepared<'_>) -> Option<(usize, usize, usize)> {
    for (li, level) in levels.iter().enumerate() {
        for (pi, (_, policy)) in level.policies.iter().enumerate() {
            for (si, s) in policy.statements.iter().enumerate() {
                if s.effect == Effect::Deny && s.matches_prepared(request) {
                    return Some((li, pi, si));
                }
            }
        }
    }
    None
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

/// Decides a request against the SCP levels (root first) and explains the decision.
///
/// With no levels at all (the management account, or an account outside an organization),
/// SCPs restrict nothing and the request is allowed.
pub fn evaluate_scps(levels: &[Level<'_>], request: &Request<'_>) -> Decision {
    let prepared = Prepared::new(request);
    let what = format!("`{}` on `{}`", request.action, request.resource);
    match decide_scps(levels, request) {
        Outcome::ExplicitlyDenied {
            level,
            policy,
            statement,
        } => {
            let level = &levels[level];
            let (policy_name, policy) = level.policies[policy];
            let s = &policy.statements[statement];
            let label = s.label();
            let mut reasons = vec![format!(
                "statement `{label}` of SCP `{policy_name}` at {} denies {what}",
                level.name
            )];
            reasons.push(explain_statement(s));
            reasons.push("an explicit deny in any SCP overrides every allow".to_owned());
            Decision::ExplicitlyDenied {
                level: level.name.clone(),
                policy: policy_name.to_owned(),
                statement: label,
                reasons,
            }
        }
        Outcome::ImplicitlyDenied { level: index } => {
            let level = &levels[index];
            let mut reasons = Vec::new();
            for earlier in &levels[..index] {
                if let Some((name, s)) = find_allow(earlier, &prepared) {
                    reasons.push(allowed_reason(earlier, name, s));
                }
            }
            if level.policies.is_empty() {
                reasons.push(format!(
                    "no SCP is attached at {}, so it allows nothing (every level needs an allow)",
                    level.name
                ));
            } else {
                let names = level
                    .policies
                    .iter()
                    .map(|(n, _)| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ");
                reasons.push(format!(
                    "no statement of the SCPs at {} ({names}) allows {what}",
                    level.name
                ));
                reasons.push(
                    "every level from the root to the account must allow a request".to_owned(),
                );
            }
            Decision::ImplicitlyDenied {
                level: level.name.clone(),
                reasons,
            }
        }
        Outcome::Allowed => {
            let mut reasons: Vec<String> = levels
                .iter()
                .filter_map(|level| {
                    find_allow(level, &prepared).map(|(name, s)| allowed_reason(level, name, s))
                })
                .collect();
            if levels.is_empty() {
                reasons.push("no SCP applies to the request".to_owned());
            } else {
                reasons.push(format!("no SCP denies {what}"));
            }
            Decision::Allowed { reasons }
        }
    }
}

fn allowed_reason(level: &Level<'_>, policy: &str, s: &Statement) -> String {
    format!(
        "{} allows it through statement `{}` of SCP `{policy}`",
        level.name,
        s.label()
    )
}

fn explain_statement(s: &Statement) -> String {
    let (actions, not_action) = s.actions();
    let (resources, not_resource) = s.resources();
    let list = |v: &[String]| {
        v.iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut text = format!(
        "the request is {} {}, {} {}",
        if not_action {
            "outside NotAction"
        } else {
            "in Action"
        },
        list(actions),
        if not_resource {
            "outside NotResource"
        } else {
            "in Resource"
        },
        list(resources),
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
