//! Tags on the root, OUs, accounts and policies of an organization, and on an Identity
//! Center instance, its permission sets and customer managed applications: one set of limits.

use kiro_estate::op::{InstanceTags, InstanceUntags, TagResource, UntagResource};
use kiro_estate::{AccountId, Applied, Estate, Organization, ids};

use super::{Ctx, Output, organization, organization_mut};
use crate::error::{OpError, constraint, invalid, not_found};

/// At most this many tags on one resource, as AWS allows.
pub const MAX_TAGS: usize = 50;

/// Whether `id` names the root, an OU, a member account or a policy of `org`: what may be
/// tagged, and what a tag listing may ask about.
pub fn taggable(estate: &Estate, org: &Organization, id: &str) -> Result<(), OpError> {
    let member = || {
        estate
            .account(&AccountId::new(id))
            .is_some_and(|a| a.organization.as_ref() == Some(&org.management))
    };
    let found = id == org.root_id
        || org.ous.iter().any(|ou| ou.id == id)
        || org.policies.iter().any(|p| p.id == id && !p.aws_managed)
        || org.typed_policies.iter().any(|p| p.id == id)
        || (org.resource_policy.is_some() && id == ids::resource_policy_id(&org.management))
        || member();
    if found {
        Ok(())
    } else {
        Err(not_found(format!(
            "`{id}` is neither the root, an OU, an account nor a customer managed policy of {}",
            org.id
        )))
    }
}

/// Tags that a new resource may get: each valid, at most [`MAX_TAGS`]; for the creating
/// operations, which tag what they create only once both would succeed.
pub fn check_new(tags: &std::collections::BTreeMap<String, String>) -> Result<(), OpError> {
    for (k, v) in tags {
        check_tag(k, v)?;
    }
    if tags.len() > MAX_TAGS {
        return Err(constraint(format!(
            "{} tags given; AWS allows {MAX_TAGS} per resource",
            tags.len()
        )));
    }
    Ok(())
}

/// A key of 1 to 128 characters and a value of at most 256, as AWS allows.
fn check_tag(key: &str, value: &str) -> Result<(), OpError> {
    if key.is_empty() || key.chars().count() > 128 {
        return Err(invalid(format!(
            "tag key `{key}` must have 1 to 128 characters"
        )));
    }
    if value.chars().count() > 256 {
        return Err(invalid(format!(
            "the value of tag `{key}` has more than 256 characters"
        )));
    }
    Ok(())
}

/// `tag-resource`: adds the tags, replacing the value of a key tagged already.
pub fn tag_resource(estate: &mut Estate, input: &TagResource, _: &Ctx) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    taggable(estate, org, &input.resource)?;
    for (k, v) in &input.tags {
        check_tag(k, v)?;
    }
    let current = org.tags.get(&input.resource);
    let added = input
        .tags
        .keys()
        .filter(|k| current.is_none_or(|c| !c.contains_key(*k)))
        .count();
    let total = current.map_or(0, |c| c.len()) + added;
    if total > MAX_TAGS {
        return Err(constraint(format!(
            "`{}` would have {total} tags; AWS allows {MAX_TAGS}",
            input.resource
        )));
    }
    let org = organization_mut(estate, &input.organization)?;
    let tags = org.tags.entry(input.resource.clone()).or_default();
    tags.extend(input.tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    let tags = tags.len();
    Ok(Applied::Tagged {
        resource: input.resource.clone(),
        tags,
    })
}

/// `untag-resource`: removes the keys given; a key the resource lacks is no error.
pub fn untag_resource(
    estate: &mut Estate,
    input: &UntagResource,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    taggable(estate, org, &input.resource)?;
    let org = organization_mut(estate, &input.organization)?;
    let left = match org.tags.get_mut(&input.resource) {
        Some(tags) => {
            for k in &input.keys {
                let _ = tags.remove(k);
            }
            tags.len()
        }
        None => 0,
    };
    if left == 0 {
        let _ = org.tags.remove(&input.resource);
    }
    Ok(Applied::Tagged {
        resource: input.resource.clone(),
        tags: left,
    })
}

/// Whether `arn` names `inst`, one of its permission sets or customer managed applications.
pub fn instance_taggable(inst: &kiro_estate::Instance, arn: &str) -> Result<(), OpError> {
    let found = arn == ids::arn::instance(inst.partition(), &inst.id)
        || inst
            .permission_sets
            .iter()
            .any(|p| ids::arn::permission_set(inst.partition(), &inst.id, &p.id) == arn)
        || inst.applications.iter().any(|a| {
            ids::arn::application(inst.partition(), &inst.account, &inst.id, &a.id) == arn
        })
        || inst.trusted_token_issuers.iter().any(|t| {
            ids::arn::trusted_token_issuer(inst.partition(), &inst.account, &inst.id, &t.id) == arn
        });
    if found {
        Ok(())
    } else {
        Err(not_found(format!(
            "`{arn}` is neither the instance of `{}` nor one of its permission sets, applications or trusted token issuers",
            inst.account
        )))
    }
}

/// `tag-instance-resource`: as `tag-resource`, within AWS's limits.
pub fn tag_instance_resource(
    estate: &mut Estate,
    input: &InstanceTags,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = super::instance(estate, &input.instance)?;
    instance_taggable(inst, &input.resource)?;
    let current = inst.tags.get(&input.resource);
    let mut all = current.cloned().unwrap_or_default();
    all.extend(input.tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    check_new(&all)?;
    let tags = all.len();
    let inst = super::instance_mut(estate, &input.instance)?;
    inst.tags.insert(input.resource.clone(), all);
    Ok(Applied::Tagged {
        resource: input.resource.clone(),
        tags,
    })
}

/// `untag-instance-resource`: a key the resource lacks is no error.
pub fn untag_instance_resource(
    estate: &mut Estate,
    input: &InstanceUntags,
    _: &Ctx,
) -> Result<Output, OpError> {
    let inst = super::instance(estate, &input.instance)?;
    instance_taggable(inst, &input.resource)?;
    let inst = super::instance_mut(estate, &input.instance)?;
    let left = match inst.tags.get_mut(&input.resource) {
        Some(tags) => {
            for k in &input.keys {
                let _ = tags.remove(k);
            }
            tags.len()
        }
        None => 0,
    };
    if left == 0 {
        let _ = inst.tags.remove(&input.resource);
    }
    Ok(Applied::Tagged {
        resource: input.resource.clone(),
        tags: left,
    })
}
