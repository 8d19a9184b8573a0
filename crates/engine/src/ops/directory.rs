//! Users, groups and memberships of an identity store.

use kiro_estate::{Applied, Estate, Group, User, bounds, email, ids};

use super::{Ctx, Output, instance, instance_mut};
use crate::error::{OpError, conflict, invalid, not_found};
use kiro_estate::op::{CreateGroup, CreateUser, Membership};

/// `create-user`: user names are unique within an identity store.
pub fn create_user(estate: &mut Estate, input: &CreateUser, _: &Ctx) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    bounds::USER_NAME.check(&input.user_name).map_err(invalid)?;
    if let Some(name) = &input.display_name {
        bounds::DISPLAY_NAME.check(name).map_err(invalid)?;
    }
    if let Some(address) = &input.email {
        email::check(address).map_err(invalid)?;
    }
    if inst.users.contains(&input.user_name) {
        return Err(conflict(format!(
            "user `{}` already exists in identity store {}",
            input.user_name, inst.identity_store
        )));
    }
    let id = ids::principal_id(&inst.identity_store, "user", &input.user_name);
    let inst = instance_mut(estate, &input.instance)?;
    let _ = inst.users.insert(User {
        user_name: input.user_name.clone(),
        id: id.clone(),
        email: input.email.clone(),
        display_name: input.display_name.clone(),
        attributes: input.attributes.clone(),
    });
    Ok(Applied::UserCreated {
        user_id: id,
        identity_store: inst.identity_store.clone(),
        user_name: input.user_name.clone(),
    })
}

/// `create-group`: group names are unique within an identity store.
pub fn create_group(estate: &mut Estate, input: &CreateGroup, _: &Ctx) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    bounds::GROUP_NAME.check(&input.name).map_err(invalid)?;
    if inst.groups.contains(&input.name) {
        return Err(conflict(format!(
            "group `{}` already exists in identity store {}",
            input.name, inst.identity_store
        )));
    }
    let id = ids::principal_id(&inst.identity_store, "group", &input.name);
    let inst = instance_mut(estate, &input.instance)?;
    let _ = inst.groups.insert(Group {
        name: input.name.clone(),
        id: id.clone(),
        members: Default::default(),
    });
    Ok(Applied::GroupCreated {
        group_id: id,
        name: input.name.clone(),
        identity_store: inst.identity_store.clone(),
    })
}

fn membership_targets(estate: &Estate, input: &Membership) -> Result<(), OpError> {
    let inst = instance(estate, &input.instance)?;
    if !inst.groups.contains(&input.group) {
        return Err(not_found(format!(
            "group `{}` does not exist in identity store {}",
            input.group, inst.identity_store
        )));
    }
    if !inst.users.contains(&input.user_name) {
        return Err(not_found(format!(
            "user `{}` does not exist in identity store {}",
            input.user_name, inst.identity_store
        )));
    }
    Ok(())
}

/// `add-member`.
pub fn add_member(estate: &mut Estate, input: &Membership, _: &Ctx) -> Result<Output, OpError> {
    membership_targets(estate, input)?;
    let inst = instance_mut(estate, &input.instance)?;
    let group = inst
        .groups
        .get_mut(&input.group)
        .ok_or_else(|| not_found(format!("group `{}` does not exist", input.group)))?;
    if !group.members.insert(input.user_name.clone()) {
        return Err(conflict(format!(
            "user `{}` is already a member of group `{}`",
            input.user_name, input.group
        )));
    }
    Ok(Applied::MemberAdded {
        group: input.group.clone(),
        user_name: input.user_name.clone(),
    })
}

/// `remove-member`.
pub fn remove_member(estate: &mut Estate, input: &Membership, _: &Ctx) -> Result<Output, OpError> {
    membership_targets(estate, input)?;
    let inst = instance_mut(estate, &input.instance)?;
    let group = inst
        .groups
        .get_mut(&input.group)
        .ok_or_else(|| not_found(format!("group `{}` does not exist", input.group)))?;
    if !group.members.shift_remove(&input.user_name) {
        return Err(not_found(format!(
            "user `{}` is not a member of group `{}`",
            input.user_name, input.group
        )));
    }
    Ok(Applied::MemberRemoved {
        group: input.group.clone(),
        user_name: input.user_name.clone(),
    })
}
