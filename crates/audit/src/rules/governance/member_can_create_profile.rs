#![doc = include_str!("member_can_create_profile.md")]

use kiro_estate::query::Standing;
use kiro_estate::{HasKey, ProfileKey};
use serde_json::json;

use crate::cx::{Cx, graded};
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;
use crate::scp_eval::Verdict;

/// `KO301`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO301",
    name: "member-can-create-profile",
    area: "governance",
    severity: Severity::Error,
    doc: include_str!("member_can_create_profile.md"),
    check,
};

/// The IAM action of signing up for Kiro.
pub const ACTION: &str = "codewhisperer:CreateProfile";

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for account in &cx.estate.accounts {
        let id = account.key();
        if cx.estate.standing(&id) != Standing::Member {
            continue;
        }
        let mut allowed = Vec::new();
        for region in &cx.regions_of(&id) {
            if cx.estate.profiles.contains(&ProfileKey::new(&id, region)) {
                continue;
            }
            let resource = format!("arn:aws:codewhisperer:{region}:{{account}}:profile/*");
            if cx.decide(&id, ACTION, &resource, region) == Verdict::Allowed {
                allowed.push(region.clone());
            }
        }
        if allowed.is_empty() {
            continue;
        }
        let governance = cx.governance(&id);
        let severity = graded(governance, Severity::Error, Severity::Info);
        let intent = match governance {
            Some(kiro_estate::Governance::Central) => " although governance is central",
            Some(kiro_estate::Governance::Delegated) => " (as delegated governance intends)",
            None => "",
        };
        let help = match governance {
            Some(kiro_estate::Governance::Delegated) => {
                "nothing to do if this account is meant to run its own profile; otherwise deny `codewhisperer:CreateProfile` for it".to_owned()
            }
            _ => "attach an SCP denying `codewhisperer:CreateProfile` to the root or the account's OU (`kiro-org scp generate --pattern 4`)".to_owned(),
        };
        out.push(
            Finding::new(
                &RULE,
                severity,
                id.to_string(),
                format!(
                    "member account {} can sign up for Kiro in {}{intent}: no SCP denies `{ACTION}`",
                    cx.account_label(&id),
                    allowed.join(", ")
                ),
            )
            .help(help)
            .details(json!({"action": ACTION, "regions": allowed, "parent": account.parent.as_deref().unwrap_or("root")})),
        );
    }
}
