//! SSO Admin's tags (`TagResource`, `UntagResource`, `ListTagsForResource`, and the `Tags`
//! of `CreateInstance`, `CreatePermissionSet` and `CreateApplication`) →
//! `tag-instance-resource` / `untag-instance-resource` on the caller's instance.

use std::collections::BTreeMap;

use kiro_engine::Op;
use kiro_engine::op::{InstanceTags, InstanceUntags};
use kiro_estate::AccountId;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::org_tags::{Tag, tag_map};
use crate::pagination::{SSO, page, with_token};
use crate::store::{State, Tx};

/// The `Tags` of a creating call, checked as the engine will check them before anything is
/// created, so that a bad tag creates nothing.
pub fn checked(tags: Option<Vec<Tag>>) -> Result<BTreeMap<String, String>, ApiError> {
    let map = tag_map(tags.unwrap_or_default()).map_err(ApiError::validation)?;
    kiro_engine::ops::tags::check_new(&map)?;
    Ok(map)
}

/// Tags what a creating call just created (`resource`, its ARN, in the instance of `owner`).
pub fn tag_new(
    tx: &mut Tx<'_>,
    owner: &AccountId,
    resource: &str,
    tags: BTreeMap<String, String>,
) -> Result<(), ApiError> {
    if tags.is_empty() {
        return Ok(());
    }
    tx.apply(&Op::TagInstanceResource(InstanceTags {
        instance: owner.clone(),
        resource: resource.to_owned(),
        tags,
    }))?;
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(dead_code, reason = "the resource's ARN names its instance already")]
struct TagInput {
    instance_arn: Option<String>,
    resource_arn: String,
    tags: Vec<Tag>,
}

/// `TagResource` → `tag-instance-resource`.
pub fn tag_resource(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: TagInput = input(body)?;
    let tags = tag_map(req.tags).map_err(ApiError::validation)?;
    let op = Op::TagInstanceResource(InstanceTags {
        instance: ctx.caller(tx.estate()),
        resource: req.resource_arn,
        tags,
    });
    tx.apply(&op)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(dead_code, reason = "the resource's ARN names its instance already")]
struct UntagInput {
    instance_arn: Option<String>,
    resource_arn: String,
    tag_keys: Vec<String>,
}

/// `UntagResource` → `untag-instance-resource`.
pub fn untag_resource(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UntagInput = input(body)?;
    let op = Op::UntagInstanceResource(InstanceUntags {
        instance: ctx.caller(tx.estate()),
        resource: req.resource_arn,
        keys: req.tag_keys,
    });
    tx.apply(&op)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(dead_code, reason = "the resource's ARN names its instance already")]
struct ListInput {
    instance_arn: Option<String>,
    resource_arn: String,
    next_token: Option<String>,
}

/// `ListTagsForResource` of the caller's instance and what it holds.
pub fn list_tags_for_resource(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListInput = input(body)?;
    let estate = state.estate();
    let inst = estate
        .instances
        .get(&ctx.caller(estate))
        .ok_or_else(|| ApiError::not_found(format!("`{}` does not exist", req.resource_arn)))?;
    kiro_engine::ops::tags::instance_taggable(inst, &req.resource_arn)?;
    let p = page(ctx, SSO, &req.next_token, None)?;
    let tags = inst
        .tags
        .get(&req.resource_arn)
        .into_iter()
        .flatten()
        .map(|(k, v)| json!({"Key": k, "Value": v}));
    let (items, next) = p.apply(ctx.operation, tags);
    Ok(with_token(json!({ "Tags": items }), next))
}
