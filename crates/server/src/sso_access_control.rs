//! Attributes for access control of an instance: `CreateInstanceAccessControlAttributeConfiguration`
//! and `Update…` → `set-access-control-attributes` (expecting none, or one), `Delete…` →
//! `delete-access-control-attributes`, and `Describe…`. A configuration takes effect at once,
//! so its status is always `ENABLED`.

use kiro_engine::Op;
use kiro_engine::op::{Expect, InstanceRef, SetAccessControlAttributes};
use kiro_estate::AccessControlAttribute;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::sso_admin::{own_instance, owned_instance};
use crate::store::{State, Tx};
use crate::translate::Unresolved;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AttributeValue {
    source: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Attribute {
    key: String,
    value: AttributeValue,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct Configuration {
    access_control_attributes: Vec<Attribute>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct SetInput {
    instance_arn: String,
    instance_access_control_attribute_configuration: Configuration,
}

/// An attribute of a request: its one source (AWS's list holds exactly one).
fn attribute(a: Attribute) -> Result<AccessControlAttribute, ApiError> {
    match <[String; 1]>::try_from(a.value.source) {
        Ok([source]) => Ok(AccessControlAttribute { key: a.key, source }),
        Err(_) => Err(ApiError::validation(format!(
            "attribute `{}` needs exactly one source",
            a.key
        ))),
    }
}

/// `set-access-control-attributes` with `expect`, from a `Create…` or `Update…` request.
fn set(ctx: &Ctx, tx: &mut Tx<'_>, body: Value, expect: Expect) -> Result<Value, ApiError> {
    let req: SetInput = input(body)?;
    let attributes = req
        .instance_access_control_attribute_configuration
        .access_control_attributes
        .into_iter()
        .map(attribute)
        .collect::<Result<Vec<_>, _>>()?;
    let mut unresolved = Unresolved::default();
    let instance = own_instance(ctx, tx, &req.instance_arn, &mut unresolved);
    let op = Op::SetAccessControlAttributes(SetAccessControlAttributes {
        instance,
        attributes,
        expect: Some(expect),
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

/// `CreateInstanceAccessControlAttributeConfiguration` → `set-access-control-attributes`
/// with `expect: new`.
pub fn create(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    set(ctx, tx, body, Expect::New)
}

/// `UpdateInstanceAccessControlAttributeConfiguration` → `set-access-control-attributes`
/// with `expect: existing`.
pub fn update(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    set(ctx, tx, body, Expect::Existing)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct InstanceInput {
    instance_arn: String,
}

/// `DeleteInstanceAccessControlAttributeConfiguration` → `delete-access-control-attributes`.
pub fn delete(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: InstanceInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let instance = own_instance(ctx, tx, &req.instance_arn, &mut unresolved);
    let op = Op::DeleteAccessControlAttributes(InstanceRef { instance });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

/// `DescribeInstanceAccessControlAttributeConfiguration`: `ResourceNotFoundException` when
/// the instance has none.
pub fn describe(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: InstanceInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    let attributes = inst.access_control_attributes.as_ref().ok_or_else(|| {
        ApiError::not_found(format!(
            "instance `{}` has no attributes for access control",
            req.instance_arn
        ))
    })?;
    let items: Vec<Value> = attributes
        .iter()
        .map(|a| json!({"Key": a.key, "Value": {"Source": [a.source]}}))
        .collect();
    Ok(json!({
        "Status": "ENABLED",
        "InstanceAccessControlAttributeConfiguration": {"AccessControlAttributes": items},
    }))
}
