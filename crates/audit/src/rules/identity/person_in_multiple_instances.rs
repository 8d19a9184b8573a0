#![doc = include_str!("person_in_multiple_instances.md")]

use std::collections::BTreeMap;

use serde_json::json;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO402`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO402",
    name: "person-in-multiple-instances",
    area: "identity",
    severity: Severity::Warning,
    doc: include_str!("person_in_multiple_instances.md"),
    check,
};

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    // email -> [(instance account, user name)], in instance order.
    let mut people: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for inst in &cx.estate.instances {
        for user in &inst.users {
            let email = user.email.trim().to_lowercase();
            if email.is_empty() {
                continue;
            }
            let entry = people.entry(email).or_default();
            if entry.last().is_none_or(|(a, _)| a != inst.account.as_str()) {
                entry.push((inst.account.to_string(), user.user_name.clone()));
            }
        }
    }
    for (email, places) in people {
        if places.len() < 2 {
            continue;
        }
        let list: Vec<String> = places
            .iter()
            .map(|(a, u)| format!("`{u}` in the instance of `{a}`"))
            .collect();
        out.push(
            Finding::new(
                &RULE,
                Severity::Warning,
                email.clone(),
                format!(
                    "`{email}` is a user of {} Identity Center instances ({}): separate credentials and MFA, nothing synced",
                    places.len(),
                    list.join(", ")
                ),
            )
            .help("keep each person in one instance; serve Kiro from the organization instance where possible")
            .details(json!({"users": places.iter().map(|(a, u)| json!({"instance": a, "user-name": u})).collect::<Vec<_>>()})),
        );
    }
}
