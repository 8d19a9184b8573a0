#![doc = include_str!("person_in_multiple_instances.md")]

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

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

/// (instance account, user name) per instance a person is in.
type Places<'a> = Vec<(&'a str, &'a str)>;

#[derive(Serialize)]
struct Place<'a> {
    instance: &'a str,
    #[serde(rename = "user-name")]
    user_name: &'a str,
}

#[derive(Serialize)]
struct Details<'a> {
    users: Vec<Place<'a>>,
}

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    // A person is an email, as `kiro_estate::email` compares them (a user without one is
    // nobody else). Most people are in one instance, so the index holds borrowed names.
    let mut people: HashMap<Cow<'_, str>, Places<'_>> = HashMap::new();
    for inst in &cx.estate.instances {
        for user in &inst.users {
            let Some(key) = kiro_estate::email::person_of(user.email.as_deref()) else {
                continue;
            };
            let entry = people.entry(key).or_default();
            if entry
                .last()
                .is_none_or(|(a, _)| *a != inst.account.as_str())
            {
                entry.push((inst.account.as_str(), user.user_name.as_str()));
            }
        }
    }
    let mut several: Vec<(Cow<'_, str>, Places<'_>)> =
        people.into_iter().filter(|(_, p)| p.len() > 1).collect();
    several.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out.reserve(several.len());
    for (email, places) in several {
        let mut list = String::new();
        for (i, (a, u)) in places.iter().enumerate() {
            if i > 0 {
                list.push_str(", ");
            }
            let _ = write!(list, "`{u}` in the instance of `{a}`");
        }
        let message = format!(
            "`{email}` is a user of {} Identity Center instances ({list}): separate credentials and MFA, nothing synced",
            places.len(),
        );
        let details = Details {
            users: places
                .iter()
                .map(|(a, u)| Place {
                    instance: a,
                    user_name: u,
                })
                .collect(),
        };
        out.push(
            Finding::of(&RULE, email.into_owned(), message)
            .help("keep each person in one instance; serve Kiro from the organization instance where possible")
            .details(&details),
        );
    }
}
