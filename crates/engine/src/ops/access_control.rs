//! Attributes for access control (ABAC) of an organization instance: which user attribute
//! each session tag of its permission sets' roles takes its value from. An account instance
//! has no permission sets, so it has none.

use kiro_estate::op::{Expect, InstanceRef, SetAccessControlAttributes};
use kiro_estate::{AccessControlAttribute, Applied, Estate, ids};

use super::permission_sets::organization_instance;
use super::{Ctx, Output, instance, instance_mut};
use crate::error::{OpError, conflict, invalid, not_found};

/// At most this many attributes per instance (AWS's limit, the list's largest length).
pub const MAX_ATTRIBUTES: usize = 50;
/// A source's longest length, in characters.
pub const MAX_SOURCE: usize = 256;

/// The IAM action of `set-access-control-attributes`: `Create…` for a new configuration,
/// `Update…` for one that exists; by default as the instance has it.
pub fn actions(estate: &Estate, input: &SetAccessControlAttributes) -> &'static [&'static str] {
    let exists = match input.expect {
        Some(Expect::New) => false,
        Some(Expect::Existing) => true,
        None => estate
            .instances
            .get(&input.instance)
            .is_some_and(|i| i.access_control_attributes.is_some()),
    };
    if exists {
        &["sso:UpdateInstanceAccessControlAttributeConfiguration"]
    } else {
        &["sso:CreateInstanceAccessControlAttributeConfiguration"]
    }
}

/// A key of 1 to 128 letters, digits, spaces or `_.:/=+-@`, as a tag's.
fn check_attribute(a: &AccessControlAttribute) -> Result<(), OpError> {
    let key_ok = (1..=128).contains(&a.key.chars().count())
        && a.key
            .chars()
            .all(|c| c.is_alphanumeric() || c.is_whitespace() || "_.:/=+-@".contains(c));
    if !key_ok {
        return Err(invalid(format!(
            "`{}` is not an attribute key: 1 to 128 letters, digits, spaces or `_.:/=+-@`",
            a.key
        )));
    }
    if a.source.chars().count() > MAX_SOURCE {
        return Err(invalid(format!(
            "the source of attribute `{}` has more than {MAX_SOURCE} characters",
            a.key
        )));
    }
    Ok(())
}

/// `set-access-control-attributes`: at most [`MAX_ATTRIBUTES`], each key once; `expect`
/// refuses the other case as AWS's two calls do.
pub fn set_access_control_attributes(
    estate: &mut Estate,
    input: &SetAccessControlAttributes,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = organization_instance(estate, &input.instance, "attributes for access control")?;
    let exists = inst.access_control_attributes.is_some();
    match (input.expect, exists) {
        (Some(Expect::New), true) => {
            return Err(conflict(format!(
                "the instance of `{}` has attributes for access control already",
                input.instance
            )));
        }
        (Some(Expect::Existing), false) => {
            return Err(not_found(format!(
                "the instance of `{}` has no attributes for access control",
                input.instance
            )));
        }
        _ => {}
    }
    if input.attributes.len() > MAX_ATTRIBUTES {
        return Err(invalid(format!(
            "{} attributes for access control are more than the {MAX_ATTRIBUTES} AWS allows",
            input.attributes.len()
        )));
    }
    for (i, a) in input.attributes.iter().enumerate() {
        check_attribute(a)?;
        if input.attributes[..i].iter().any(|b| b.key == a.key) {
            return Err(invalid(format!("attribute `{}` is given twice", a.key)));
        }
    }
    let inst = instance_mut(estate, &input.instance)?;
    inst.access_control_attributes = Some(input.attributes.clone());
    Ok(Applied::AccessControlAttributesChanged {
        instance_arn: ids::arn::instance(inst.partition(), &inst.id),
        change: if exists { "updated" } else { "created" },
    })
}

/// `delete-access-control-attributes`: only a configuration there is.
pub fn delete_access_control_attributes(
    estate: &mut Estate,
    input: &InstanceRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    if instance(estate, &input.instance)?
        .access_control_attributes
        .is_none()
    {
        return Err(not_found(format!(
            "the instance of `{}` has no attributes for access control",
            input.instance
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    inst.access_control_attributes = None;
    Ok(Applied::AccessControlAttributesChanged {
        instance_arn: ids::arn::instance(inst.partition(), &inst.id),
        change: "deleted",
    })
}
