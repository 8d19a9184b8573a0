#![doc = include_str!("account_instance_migration_trap.md")]

use kiro_estate::InstanceKind;
use kiro_estate::query::Standing;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO401`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO401",
    name: "account-instance-migration-trap",
    area: "identity",
    severity: Severity::Warning,
    doc: include_str!("account_instance_migration_trap.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    for inst in &cx.estate.instances {
        if inst.kind != InstanceKind::Account
            || cx.estate.standing(&inst.account) != Standing::Standalone
        {
            continue;
        }
        let profiles = cx.profiles_served_by(&inst.account).count();
        out.push(
            Finding::of(
                &RULE,
                inst.account.to_string(),
                format!(
                    "standalone account {} has an account instance ({} users, {profiles} Kiro profile(s)): if it joins an organization, this instance can never become the organization instance",
                    cx.account_label(&inst.account),
                    inst.users.len()
                ),
            )
            .help("if the account may join an organization, move to its organization instance before the rollout grows"),
        );
    }
}
