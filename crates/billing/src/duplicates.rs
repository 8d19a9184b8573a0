//! People charged in more than one profile.
//!
//! Within one identity store a person is a user id; across stores, the same email address
//! compared case-insensitively (user names alone are not proof: `jdoe` in two directories may
//! be two people). Kiro charges such a person in each profile (unless the price book says
//! `once-per-organization`), so what is avoidable is what they cost beyond their single most
//! expensive seat — and the advice is to keep that seat and remove the others.

use std::collections::HashMap;

use kiro_estate::prices::Money;
use kiro_estate::{Plan, ProfileKey};
use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::charges::Line;
use crate::effective::Via;

/// One of a duplicate person's seats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DuplicateSeat {
    /// The profile.
    pub profile: ProfileKey,
    /// The user's name there.
    pub user_name: String,
    /// The plan charged there.
    pub plan: Plan,
    /// What the subscription is charged there.
    pub charge: Money,
    /// Whether this is the seat to keep.
    pub keep: bool,
    /// The account owning the seat's Identity Center instance.
    pub instance: kiro_estate::AccountId,
    /// The seat's active paths, to remove unless it is the one to keep.
    pub paths: Vec<crate::effective::PathTo>,
}

/// A person charged in more than one profile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// The person's key: lowercased email, or `store/user-id`.
    pub person: String,
    /// The email as first seen.
    pub email: String,
    /// Their seats, in profile order.
    pub seats: Vec<DuplicateSeat>,
    /// What they cost in all.
    pub total: Money,
    /// What they cost beyond their single most expensive seat.
    pub avoidable: Money,
}

impl DuplicateSeat {
    /// As JSON ([`SeatJson`]), with the commands that remove the seat when `with_remove`.
    pub fn json(&self, with_remove: bool) -> SeatJson<'_> {
        SeatJson {
            account: self.profile.account.as_str(),
            region: &self.profile.region,
            user_name: &self.user_name,
            plan: self.plan.as_str(),
            charge: MoneyJson(self.charge),
            keep: self.keep,
            remove: with_remove.then(|| self.remove()),
        }
    }

    /// How to take the person out of this profile (nothing for the seat to keep): every
    /// active path must go. Worded on demand: a large estate has hundreds of thousands.
    pub fn remove(&self) -> Vec<String> {
        if self.keep {
            return Vec::new();
        }
        let profile = &self.profile;
        self.paths
            .iter()
            .filter(|p| p.status == kiro_estate::Status::Active)
            .map(|p| match &p.via {
                Via::Direct => format!("unsubscribe user `{}` from profile {profile}", self.user_name),
                Via::Group(g) => format!(
                    "remove `{}` from group `{g}` in the identity store of instance {} (or unsubscribe group `{g}` from profile {profile})",
                    self.user_name, self.instance
                ),
            })
            .collect()
    }
}

/// Every person with seats in more than one profile, in order of first appearance.
pub fn find(lines: &[Line]) -> Vec<Duplicate> {
    let mut by_person: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let entry = by_person.entry(line.person.as_str()).or_default();
        if entry.is_empty() {
            order.push(line.person.as_str());
        }
        entry.push(i);
    }
    let mut out = Vec::new();
    for person in order {
        let Some(idx) = by_person.get(person) else {
            continue;
        };
        if idx.len() < 2 {
            continue;
        }
        let seats: Vec<&Line> = idx.iter().map(|&i| &lines[i]).collect();
        // Keep the most expensive seat; among equals the highest plan, then the first.
        let mut keep = 0;
        for (i, s) in seats.iter().enumerate() {
            let k = seats[keep];
            if (s.charge, s.plan, s.list_price) > (k.charge, k.plan, k.list_price) {
                keep = i;
            }
        }
        let total: Money = seats.iter().map(|s| s.charge).sum();
        let most = seats[keep].charge;
        out.push(Duplicate {
            person: person.to_owned(),
            email: seats[0].email.clone(),
            total,
            avoidable: total - most,
            seats: seats
                .iter()
                .enumerate()
                .map(|(i, s)| DuplicateSeat {
                    profile: s.profile_key(),
                    user_name: s.user_name.clone(),
                    plan: s.plan,
                    charge: s.charge,
                    keep: i == keep,
                    instance: s.instance.clone(),
                    paths: if i == keep {
                        Vec::new()
                    } else {
                        s.paths.clone()
                    },
                })
                .collect(),
        });
    }
    out
}

impl Duplicate {
    /// The seat to keep.
    pub fn kept(&self) -> Option<&DuplicateSeat> {
        self.seats.iter().find(|s| s.keep)
    }

    /// As JSON: `person`, `email`, `profiles` (each `account`, `region`, `user-name`, `plan`,
    /// `charge`, `keep`, `remove`), `total`, `avoidable`, `keep`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// Money as a JSON number (see [`Money::to_json`]).
struct MoneyJson(Money);

impl Serialize for MoneyJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.to_json().serialize(s)
    }
}

/// One seat of a duplicate as JSON: `account`, `region`, `user-name`, `plan`, `charge`,
/// `keep` and, when asked for, `remove`. The bill's JSON and the audit finding's details
/// describe a seat alike, so both are written from this one shape.
#[derive(Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SeatJson<'a> {
    account: &'a str,
    region: &'a str,
    user_name: &'a str,
    plan: &'static str,
    charge: MoneyJson,
    keep: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    remove: Option<Vec<String>>,
}

#[derive(Serialize)]
struct KeepJson<'a> {
    account: &'a str,
    region: &'a str,
    plan: &'static str,
}

#[derive(Serialize)]
struct DuplicateJson<'a> {
    person: &'a str,
    email: &'a str,
    profiles: Vec<SeatJson<'a>>,
    total: MoneyJson,
    avoidable: MoneyJson,
    keep: Option<KeepJson<'a>>,
}

impl Serialize for Duplicate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        DuplicateJson {
            person: &self.person,
            email: &self.email,
            profiles: self.seats.iter().map(|seat| seat.json(true)).collect(),
            total: MoneyJson(self.total),
            avoidable: MoneyJson(self.avoidable),
            keep: self.kept().map(|k| KeepJson {
                account: k.profile.account.as_str(),
                region: &k.profile.region,
                plan: k.plan.as_str(),
            }),
        }
        .serialize(s)
    }
}
