//! Organizations' tags (`TagResource`, `UntagResource`, `ListTagsForResource`, and the `Tags`
//! of the creating calls) → `tag-resource` / `untag-resource`.

use std::collections::BTreeMap;

use kiro_engine::op::{TagResource, UntagResource};
use kiro_engine::{ErrorKind, Op, OpError};
use kiro_estate::AccountId;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::organizations::invalid;
use crate::pagination::{ORGANIZATIONS, page, with_token};
use crate::store::{State, Tx};

/// A `Tag` as the wire carries it.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Tag {
    key: String,
    value: String,
}

/// The engine's refusal of a tag under Organizations' names.
fn refused(e: OpError) -> ApiError {
    match e.kind {
        ErrorKind::ResourceNotFound => ApiError::bad_request("TargetNotFoundException", e.message),
        ErrorKind::Validation => invalid(e.message),
        ErrorKind::ConstraintViolation => {
            ApiError::bad_request("ConstraintViolationException", e.message)
        }
        _ => ApiError::from(e),
    }
}

/// The wire's tags as a map; a key given twice is refused with the message `Err` carries
/// (each service names the exception its own way).
pub fn tag_map(tags: Vec<Tag>) -> Result<BTreeMap<String, String>, String> {
    let mut map = BTreeMap::new();
    for t in tags {
        if map.insert(t.key.clone(), t.value).is_some() {
            return Err(format!("tag key `{}` is given twice", t.key));
        }
    }
    Ok(map)
}

fn to_map(tags: Vec<Tag>) -> Result<BTreeMap<String, String>, ApiError> {
    tag_map(tags).map_err(invalid)
}

/// The `Tags` of a creating call, checked as the engine will check them before anything is
/// created, so that a bad tag creates nothing.
pub fn checked(tags: Option<Vec<Tag>>) -> Result<BTreeMap<String, String>, ApiError> {
    let map = to_map(tags.unwrap_or_default())?;
    kiro_engine::ops::tags::check_new(&map).map_err(refused)?;
    Ok(map)
}

/// Tags what a creating call just created (`resource`, its AWS id) with `tags` (checked).
pub fn tag_new(
    tx: &mut Tx<'_>,
    management: &AccountId,
    resource: &str,
    tags: BTreeMap<String, String>,
) -> Result<(), ApiError> {
    if tags.is_empty() {
        return Ok(());
    }
    let op = Op::TagResource(TagResource {
        organization: management.clone(),
        resource: resource.to_owned(),
        tags,
    });
    tx.apply(&op).map_err(refused)?;
    Ok(())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TagResourceInput {
    resource_id: String,
    tags: Vec<Tag>,
}

/// `TagResource` → `tag-resource`.
pub fn tag_resource(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: TagResourceInput = input(body)?;
    let management = ctx.managed(tx.estate())?.management.clone();
    let op = Op::TagResource(TagResource {
        organization: management,
        resource: req.resource_id,
        tags: to_map(req.tags)?,
    });
    tx.apply(&op).map_err(refused)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UntagResourceInput {
    resource_id: String,
    tag_keys: Vec<String>,
}

/// `UntagResource` → `untag-resource`.
pub fn untag_resource(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UntagResourceInput = input(body)?;
    let management = ctx.managed(tx.estate())?.management.clone();
    let op = Op::UntagResource(UntagResource {
        organization: management,
        resource: req.resource_id,
        keys: req.tag_keys,
    });
    tx.apply(&op).map_err(refused)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListTagsInput {
    resource_id: String,
    next_token: Option<String>,
}

/// `ListTagsForResource`: the tags in key order.
pub fn list_tags_for_resource(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListTagsInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    kiro_engine::ops::tags::taggable(estate, org, &req.resource_id).map_err(refused)?;
    let p = page(ctx, ORGANIZATIONS, &req.next_token, None)?;
    let tags = org
        .tags
        .get(&req.resource_id)
        .into_iter()
        .flatten()
        .map(|(k, v)| json!({"Key": k, "Value": v}));
    let (items, next) = p.apply(ctx.operation, tags);
    Ok(with_token(json!({ "Tags": items }), next))
}
