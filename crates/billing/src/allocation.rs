//! The price book's `cross-profile` rule: how a person subscribed in several profiles is billed.
//!
//! `charged-in-each` (Kiro's billing page, the default) charges every seat its price.
//! `once-per-organization` (Amazon Q Developer's older rule) charges a person once per paying
//! organization, at their most expensive seat there, allocated to the profile holding it; the
//! other seats cost nothing and say which profile covers them. A standalone account is its own
//! payer.

use std::collections::HashMap;

use kiro_estate::prices::CrossProfile;
use kiro_estate::{AccountId, Estate, ProfileKey};

use crate::charges::Line;

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
pub fn allocate(lines: &mut [Line], rule: CrossProfile, structure: &Estate) {
    for line in lines.iter_mut() {
        line.charge = line.list_price;
        line.covered_by = None;
    }
    if rule == CrossProfile::ChargedInEach {
        return;
    }
    let mut best: HashMap<(AccountId, &str), usize> = HashMap::new();
    let mut payer_cache: HashMap<AccountId, AccountId> = HashMap::new();
    let mut payers: Vec<AccountId> = Vec::with_capacity(lines.len());
    for line in lines.iter() {
        let payer = payer_cache
            .entry(line.account.clone())
            .or_insert_with(|| payer_of(structure, &line.account))
            .clone();
        payers.push(payer);
    }
    for (i, line) in lines.iter().enumerate() {
        let key = (payers[i].clone(), line.person.as_str());
        match best.get(&key) {
            Some(&j) => {
                let other = &lines[j];
                if (line.list_price, line.plan) > (other.list_price, other.plan) {
                    best.insert(key, i);
                }
            }
            None => {
                best.insert(key, i);
            }
        }
    }
    let keep: Vec<(usize, ProfileKey)> = (0..lines.len())
        .map(|i| {
            let j = best
                .get(&(payers[i].clone(), lines[i].person.as_str()))
                .copied()
                .unwrap_or(i);
            (j, lines[j].profile_key())
        })
        .collect();
    for (i, (j, key)) in keep.into_iter().enumerate() {
        if i != j {
            lines[i].charge = kiro_estate::prices::Money::ZERO;
            lines[i].covered_by = Some(key);
        }
    }
}
