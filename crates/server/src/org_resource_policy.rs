//! The organization's resource-based policy: `PutResourcePolicy` → `put-resource-policy`,
//! `DeleteResourcePolicy` → `delete-resource-policy`, and `DescribeResourcePolicy`.

use kiro_engine::op::{OrganizationRef, PutResourcePolicy};
use kiro_engine::{ErrorKind, Op, OpError};
use kiro_estate::ids::{self, arn};
use kiro_estate::{Estate, Organization};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::organizations::invalid;
use crate::store::{State, Tx};

fn not_found() -> ApiError {
    ApiError::bad_request(
        "ResourcePolicyNotFoundException",
        "We can't find a resource policy request with the parameter that you specified.",
    )
}

/// A `ResourcePolicy`, when `org` has one.
fn policy_json(estate: &Estate, org: &Organization) -> Option<Value> {
    let content = org.resource_policy.as_ref()?;
    let id = ids::resource_policy_id(&org.management);
    Some(json!({"ResourcePolicy": {
        "ResourcePolicySummary": {
            "Id": id,
            "Arn": arn::resource_policy(estate.partition(), &org.management, &org.id, &id),
        },
        "Content": content,
    }}))
}

fn refused(e: OpError) -> ApiError {
    match e.kind {
        ErrorKind::ResourceNotFound => not_found(),
        ErrorKind::Validation => invalid(e.message),
        ErrorKind::ConstraintViolation => {
            ApiError::bad_request("ConstraintViolationException", e.message)
        }
        _ => ApiError::from(e),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct PutInput {
    content: String,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// `PutResourcePolicy` → `put-resource-policy`; its `Tags` go on the policy.
pub fn put_resource_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: PutInput = input(body)?;
    let tags = crate::org_tags::checked(req.tags)?;
    let management = ctx.managed(tx.estate())?.management.clone();
    let op = Op::PutResourcePolicy(PutResourcePolicy {
        organization: management.clone(),
        content: req.content,
    });
    tx.apply(&op).map_err(refused)?;
    crate::org_tags::tag_new(tx, &management, &ids::resource_policy_id(&management), tags)?;
    policy_json(tx.estate(), ctx.managed(tx.estate())?).ok_or_else(not_found)
}

/// `DescribeResourcePolicy`.
pub fn describe_resource_policy(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let _: serde_json::Map<String, Value> = input(body)?;
    policy_json(state.estate(), ctx.managed(state.estate())?).ok_or_else(not_found)
}

/// `DeleteResourcePolicy` → `delete-resource-policy`.
pub fn delete_resource_policy(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let _: serde_json::Map<String, Value> = input(body)?;
    let management = ctx.managed(tx.estate())?.management.clone();
    let op = Op::DeleteResourcePolicy(OrganizationRef {
        organization: management,
    });
    tx.apply(&op).map_err(refused)?;
    Ok(json!({}))
}
