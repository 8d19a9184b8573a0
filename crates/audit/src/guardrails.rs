//! The guard-rail SCPs for a deployment pattern, valid by [`kiro_policy`].
//!
//! - Deny `codewhisperer:CreateProfile` (signing up for Kiro) everywhere but in the accounts
//!   that are meant to hold a profile, via `StringNotEquals` on `aws:PrincipalAccount`.
//!   SCPs never restrict the management account, so pattern 4 needs no exception.
//! - Deny `sso:CreateInstance` (account instances of IAM Identity Center) except in the
//!   accounts meant to have one (pattern 3).
//!
//! Both are attached to the root so every current and future member account is covered.

use kiro_estate::AccountId;
use serde_json::{Value, json};

/// A generated SCP and where to attach it.
#[derive(Clone, Debug, PartialEq)]
pub struct GuardRail {
    /// The policy's name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// The IAM policy document.
    pub document: Value,
    /// Targets: `root`, OU names or account ids.
    pub attach_to: Vec<String>,
    /// Why this pattern needs it.
    pub why: String,
}

impl GuardRail {
    /// As JSON: `name`, `description`, `document`, `attach-to`, `why`.
    pub fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "description": self.description,
            "document": self.document,
            "attach-to": self.attach_to,
            "why": self.why,
        })
    }
}

fn deny(sid: &str, action: &str, allow: &[AccountId]) -> Value {
    let mut statement = json!({"Sid": sid, "Effect": "Deny", "Action": action, "Resource": "*"});
    if !allow.is_empty() {
        let accounts: Vec<&str> = allow.iter().map(AccountId::as_str).collect();
        statement["Condition"] = json!({"StringNotEquals": {"aws:PrincipalAccount": accounts}});
    }
    json!({"Version": "2012-10-17", "Statement": [statement]})
}

/// The guard rails for `pattern` (1–4), with `allow` the accounts exempt from them and
/// `management` the management account (named in the explanation only: SCPs never restrict
/// it). Pattern 1 has none (no Organizations); an unknown pattern has none.
pub fn generate(
    pattern: u8,
    allow: &[AccountId],
    management: Option<&AccountId>,
) -> Vec<GuardRail> {
    let mgmt = management.map_or_else(
        || "the management account".to_owned(),
        |m| format!("the management account `{m}`"),
    );
    let except = if allow.is_empty() {
        String::new()
    } else {
        format!(
            " except {}",
            allow
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let profiles = |why: String| GuardRail {
        name: "deny-kiro-profile-creation".to_owned(),
        description: format!("Member accounts{except} cannot sign up for Kiro"),
        document: deny(
            "DenyKiroProfileCreation",
            "codewhisperer:CreateProfile",
            allow,
        ),
        attach_to: vec!["root".to_owned()],
        why,
    };
    let instances = |allowed: &[AccountId], why: String| GuardRail {
        name: "deny-account-instances".to_owned(),
        description: if allowed.is_empty() {
            "Member accounts cannot create account instances of IAM Identity Center".to_owned()
        } else {
            format!(
                "Member accounts{except} cannot create account instances of IAM Identity Center"
            )
        },
        document: deny("DenyMemberAccountInstances", "sso:CreateInstance", allowed),
        attach_to: vec!["root".to_owned()],
        why,
    };
    match pattern {
        2 => vec![
            profiles(format!("only the department accounts{except} sign up for Kiro, on the organization instance; every other profile would spend the quota of 10 per region")),
            instances(&[], "department accounts must use the organization instance, not their own account instances".to_owned()),
        ],
        3 => vec![
            profiles(format!("only the department accounts{except} sign up for Kiro")),
            instances(allow, format!("only the department accounts{except} create their own account instances")),
        ],
        4 => vec![
            profiles(format!("only {mgmt} signs up for Kiro (SCPs never restrict it): profiles, settings and cost stay central")),
            instances(&[], format!("member accounts must not run their own directories; {mgmt} holds the organization instance")),
        ],
        _ => Vec::new(),
    }
}
