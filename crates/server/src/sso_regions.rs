//! The regions of an instance (multi-Region IAM Identity Center): `AddRegion` → `add-region`,
//! `RemoveRegion` → `remove-region`, and the reads (`DescribeRegion`, `ListRegions`, and the
//! `Regions` of `DescribeInstance` and `ListInstances`). The primary region comes first.
//!
//! A region is added and removed at once (see `kiro_engine::ops::regions`): `AddRegion` answers
//! `ACTIVE`, and `RemoveRegion` answers `REMOVING`, AWS's only status for a region on its way
//! out, while the region is gone already.

use kiro_engine::Op;
use kiro_engine::op::InstanceRegion;
use kiro_estate::Instance;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::pagination::{SSO, page, with_token};
use crate::sso_admin::InstanceListInput as ListInput;
use crate::sso_admin::{date_epoch, own_instance, owned_instance};
use crate::store::{State, Tx};
use crate::translate::Unresolved;

/// Every `RegionMetadata` of `inst`, its primary region first.
pub fn regions_json(inst: &Instance) -> impl Iterator<Item = (&str, Value)> {
    let primary = json!({
        "RegionName": inst.region,
        "Status": "ACTIVE",
        "AddedDate": date_epoch(inst.created),
        "IsPrimaryRegion": true,
    });
    let replicas = inst.replica_regions.iter().map(|(name, added)| {
        let v = json!({
            "RegionName": name,
            "Status": "ACTIVE",
            "AddedDate": added.as_millisecond() as f64 / 1000.0,
            "IsPrimaryRegion": false,
        });
        (name.as_str(), v)
    });
    std::iter::once((inst.region.as_str(), primary)).chain(replicas)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RegionInput {
    instance_arn: String,
    region_name: String,
}

/// Applies `op` (`add-region` or `remove-region`) to the region the request names; answers
/// `status`.
fn change(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
    op: fn(InstanceRegion) -> Op,
    status: &str,
) -> Result<Value, ApiError> {
    let req: RegionInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let instance = own_instance(ctx, tx, &req.instance_arn, &mut unresolved);
    let op = op(InstanceRegion {
        instance,
        region: req.region_name,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({ "Status": status }))
}

/// `AddRegion` → `add-region`.
pub fn add_region(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    change(ctx, tx, body, Op::AddRegion, "ACTIVE")
}

/// `RemoveRegion` → `remove-region`.
pub fn remove_region(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    change(ctx, tx, body, Op::RemoveRegion, "REMOVING")
}

/// `DescribeRegion`.
pub fn describe_region(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: RegionInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    regions_json(inst)
        .find(|(name, _)| *name == req.region_name)
        .map(|(_, v)| v)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "the instance is not in region `{}`",
                req.region_name
            ))
        })
}

/// `ListRegions`.
pub fn list_regions(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(ctx.operation, regions_json(inst).map(|(_, v)| v));
    Ok(with_token(json!({ "Regions": items }), next))
}
