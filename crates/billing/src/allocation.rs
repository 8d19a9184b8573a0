//! The price book's `cross-profile` rule: how a person subscribed in several profiles is billed.
//!
//! `charged-in-each` (Kiro's billing page, the default) charges every seat its price.
//! `once-per-organization` (Amazon Q Developer's older rule) charges a person once per paying
//! organization, at their most expensive seat there, allocated to the profile holding it; the
//! other seats cost nothing and say which profile covers them. A standalone account is its own
//! payer.

use crate::hash::HashMap;

use kiro_estate::prices::CrossProfile;
use kiro_estate::{AccountId, Estate};

use crate::seats::{Line, PersonRef, ProfileInfo, Roster};

/// Who pays for `account`: its organization's management account, or itself when standalone.
pub fn payer_of(estate: &Estate, account: &AccountId) -> AccountId {
    estate
        .organization_of(account)
        .map_or_else(|| account.clone(), |o| o.management.clone())
}

/// Sets each line's `charge` and `covered_by` under `rule`, from its `list_price`.
///
/// Under `once-per-organization` the seat kept is the most expensive one; among equals, the
/// highest plan, then the first in estate order — so the result does not depend on hashing.
pub fn allocate(
    lines: &mut [Line],
    profiles: &[ProfileInfo],
    roster: &Roster,
    rule: CrossProfile,
    structure: &Estate,
) {
    for line in lines.iter_mut() {
        line.charge = line.list_price;
        line.covered_by = None;
    }
    if rule == CrossProfile::ChargedInEach {
        return;
    }
    // Each profile's payer, once per profile.
    let payers: Vec<AccountId> = profiles
        .iter()
        .map(|p| payer_of(structure, &p.key.account))
        .collect();
    let key = |line: &Line| -> (&AccountId, PersonRef) {
        (&payers[line.profile.index()], roster.user(line.user).person)
    };
    let mut best: HashMap<(&AccountId, PersonRef), usize> = HashMap::default();
    for (i, line) in lines.iter().enumerate() {
        let j = *best.entry(key(line)).or_insert(i);
        let other = &lines[j];
        if (line.list_price, line.plan) > (other.list_price, other.plan) {
            best.insert(key(line), i);
        }
    }
    let keep: Vec<usize> = lines
        .iter()
        .enumerate()
        .map(|(i, line)| best.get(&key(line)).copied().unwrap_or(i))
        .collect();
    for (i, j) in keep.into_iter().enumerate() {
        if i != j {
            let covering = lines[j].profile;
            lines[i].charge = kiro_estate::prices::Money::ZERO;
            lines[i].covered_by = Some(covering);
        }
    }
}
