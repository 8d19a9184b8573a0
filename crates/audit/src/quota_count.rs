//! Profiles per organization instance and region: what the quota counts.

use std::collections::BTreeMap;

use kiro_estate::{AccountId, Estate, InstanceKind, ProfileKey};

/// For each (organization instance's account, region), the profiles that use that instance
/// there, in file order. Profiles on account instances do not count against the quota.
pub fn profiles_per_org_instance(
    estate: &Estate,
) -> BTreeMap<(AccountId, String), Vec<ProfileKey>> {
    let mut out: BTreeMap<(AccountId, String), Vec<ProfileKey>> = BTreeMap::new();
    for p in &estate.profiles {
        let org_instance = estate
            .instances
            .get(&p.instance)
            .is_some_and(|i| i.kind == InstanceKind::Organization);
        if org_instance {
            out.entry((p.instance.clone(), p.region.clone()))
                .or_default()
                .push(ProfileKey::new(&p.account, &p.region));
        }
    }
    out
}

/// The first count that is "near" the quota: 80% of it rounded up, or one below it,
/// whichever is lower (with the default 10: 8).
pub fn near_threshold(quota: u32) -> u32 {
    let eighty = (quota * 8).div_ceil(10);
    eighty.min(quota.saturating_sub(1)).max(1)
}
