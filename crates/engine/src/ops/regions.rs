//! The regions of an organization instance (multi-Region IAM Identity Center): its own region
//! is the primary one, where it was enabled; `add-region` replicates it to another.
//!
//! Where AWS's documentation is silent, kiro-org chooses: a replica region is any region name
//! of the primary region's partition (whether the account has it enabled is not modelled), it
//! is active at once (AWS reports `ADDING` for a while, then `ACTIVE`), a removed one is gone at
//! once, and no number of replica regions is enforced, since AWS documents none.

use kiro_estate::op::InstanceRegion;
use kiro_estate::{Applied, Estate, ids};

use super::permission_sets::organization_instance;
use super::{Ctx, Output, instance, instance_mut};
use crate::error::{OpError, conflict, invalid, not_found};

/// A region name as AWS writes them: two or three lowercase words and a number (`us-east-1`,
/// `us-gov-west-1`).
pub fn check_region(region: &str) -> Result<(), OpError> {
    let parts: Vec<&str> = region.split('-').collect();
    let ok = (3..=4).contains(&parts.len())
        && parts.split_last().is_some_and(|(number, words)| {
            !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
                && words
                    .iter()
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase()))
        });
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{region}` is not a region name, such as `eu-west-1`"
        )))
    }
}

/// `add-region`: a region of the instance's partition that it is not in yet; organization
/// instances only.
pub fn add_region(
    estate: &mut Estate,
    input: &InstanceRegion,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let inst = organization_instance(estate, &input.instance, "other regions")?;
    check_region(&input.region)?;
    let (home, there) = (ids::partition(&inst.region), ids::partition(&input.region));
    if home != there {
        return Err(invalid(format!(
            "`{}` is in partition `{there}` and the instance in `{home}`; an instance is replicated within its partition only",
            input.region
        )));
    }
    if inst.region == input.region {
        return Err(conflict(format!(
            "`{}` is the instance's primary region",
            input.region
        )));
    }
    if inst.replica_regions.contains_key(&input.region) {
        return Err(conflict(format!(
            "the instance is in `{}` already",
            input.region
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    let _ = inst.replica_regions.insert(input.region.clone(), ctx.at);
    Ok(Applied::RegionChanged {
        instance_arn: ids::arn::instance(inst.partition(), &inst.id),
        region: input.region.clone(),
        added: true,
    })
}

/// `remove-region`: a replica region; the primary region stays while the instance exists.
pub fn remove_region(
    estate: &mut Estate,
    input: &InstanceRegion,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    if inst.region == input.region {
        return Err(invalid(format!(
            "`{}` is the instance's primary region, which cannot be removed",
            input.region
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    if inst.replica_regions.remove(&input.region).is_none() {
        return Err(not_found(format!(
            "the instance is not in `{}`",
            input.region
        )));
    }
    Ok(Applied::RegionChanged {
        instance_arn: ids::arn::instance(inst.partition(), &inst.id),
        region: input.region.clone(),
        added: false,
    })
}
