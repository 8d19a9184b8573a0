//! The deployment pattern of each profile (SPEC.md, "The four patterns").
//!
//! | pattern | organization | Identity Center instance used | profile's account |
//! |---|---|---|---|
//! | 1 | none (standalone account) | account instance in that account | the standalone account |
//! | 2 | yes | organization instance | a member account |
//! | 3 | yes | account instance in that member account | a member account |
//! | 4 | yes | organization instance | the management account |
//!
//! A profile that fits none (its instance is missing, belongs to another account, or to
//! another organization) gets no pattern and a reason: that is itself something to fix.

use kiro_estate::query::Standing;
use kiro_estate::{AccountId, Estate, InstanceKind, Organization, Profile};
use serde_json::{Value, json};

/// The patterns, each with what defines it in a few words (the table above): the legend of
/// every listing of patterns.
pub const LEGEND: [(u8, &str); 4] = [
    (1, "a standalone account on its own account instance"),
    (2, "a member account on the organization instance"),
    (3, "a member account on its own account instance"),
    (4, "the management account on the organization instance"),
];

/// One profile's pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classification {
    /// The profile's account.
    pub account: AccountId,
    /// The profile's region.
    pub region: String,
    /// 1–4, or none where no pattern fits.
    pub pattern: Option<u8>,
    /// Why, in one line.
    pub reason: String,
    /// The account owning the profile's instance.
    pub instance: AccountId,
    /// The instance's kind, when it exists.
    pub instance_kind: Option<InstanceKind>,
}

impl Classification {
    /// As JSON: `account`, `region`, `pattern` (1–4 or null), `reason`, `instance`,
    /// `instance-kind`.
    pub fn to_json(&self) -> Value {
        json!({
            "account": self.account.as_str(),
            "region": self.region,
            "pattern": self.pattern,
            "reason": self.reason,
            "instance": self.instance.as_str(),
            "instance-kind": self.instance_kind.map(|k| match k {
                InstanceKind::Organization => "organization",
                InstanceKind::Account => "account",
            }),
        })
    }
}

/// The pattern of `profile`.
pub fn classify(estate: &Estate, profile: &Profile) -> Classification {
    let account = &profile.account;
    let inst_account = &profile.instance;
    let instance = estate.instances.get(inst_account);
    let (pattern, reason) = match (instance, estate.standing(account)) {
        (None, _) => (
            None,
            format!(
                "its Identity Center instance (owned by account {inst_account}) does not exist"
            ),
        ),
        (Some(i), Standing::Standalone) => match i.kind {
            InstanceKind::Account if &i.account == account => (
                Some(1),
                format!("standalone account {account} using its own account instance"),
            ),
            _ => (
                None,
                format!(
                    "standalone account {account} using the {} of account {}, not its own",
                    i.kind, i.account
                ),
            ),
        },
        (Some(i), standing) => {
            let org = estate.organization_of(account);
            let management = org.map(|o| o.management.clone());
            let is_org_instance =
                i.kind == InstanceKind::Organization && Some(&i.account) == management.as_ref();
            match standing {
                Standing::Member if is_org_instance => (
                    Some(2),
                    format!(
                        "member account {account} using the organization instance of {}",
                        i.account
                    ),
                ),
                Standing::Member if i.kind == InstanceKind::Account && &i.account == account => (
                    Some(3),
                    format!("member account {account} using its own account instance"),
                ),
                Standing::Management if is_org_instance => (
                    Some(4),
                    format!("management account {account} using its organization instance"),
                ),
                Standing::Member | Standing::Management => (
                    None,
                    format!(
                        "{} account {account} using the {} of account {}, which is neither its organization's instance nor its own",
                        if standing == Standing::Member {
                            "member"
                        } else {
                            "management"
                        },
                        i.kind,
                        i.account
                    ),
                ),
                Standing::Standalone => (None, "unreachable standing".to_owned()),
            }
        }
    };
    Classification {
        account: account.clone(),
        region: profile.region.clone(),
        pattern,
        reason,
        instance: inst_account.clone(),
        instance_kind: instance.map(|i| i.kind),
    }
}

/// The pattern of every profile, in estate order.
pub fn classify_all(estate: &Estate) -> Vec<Classification> {
    estate
        .profiles
        .iter()
        .map(|p| classify(estate, p))
        .collect()
}

/// The pattern `org` follows, with its department accounts (the members holding a profile of
/// pattern 2 or 3, in estate order): 3 when any member uses its own account instance, else 2
/// when any member holds a profile, else 4 (the organization's Kiro stays central, which is
/// also what an organization without profiles should guard).
pub fn organization_pattern(estate: &Estate, org: &Organization) -> (u8, Vec<AccountId>) {
    let mut own_instances = false;
    let mut departments: Vec<AccountId> = Vec::new();
    for c in classify_all(estate) {
        let Some(p @ (2 | 3)) = c.pattern else {
            continue;
        };
        if estate.organization_of(&c.account).map(|o| &o.management) != Some(&org.management) {
            continue;
        }
        own_instances |= p == 3;
        if !departments.contains(&c.account) {
            departments.push(c.account);
        }
    }
    let pattern = match (own_instances, departments.is_empty()) {
        (true, _) => 3,
        (false, false) => 2,
        (false, true) => 4,
    };
    (pattern, departments)
}
