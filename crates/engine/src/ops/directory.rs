//! Users, groups and memberships of an identity store.

use kiro_estate::{Applied, Estate, Group, Principal, User, bounds, email, ids};

use super::{Ctx, Output, instance, instance_mut};
use crate::error::{OpError, conflict, invalid, not_found};
use kiro_estate::op::{
    CreateGroup, CreateUser, GroupRef, Membership, UpdateGroup, UpdateIdentityStore, UpdateUser,
    UserRef,
};

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
        description: input.description.clone(),
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
    if !group.members.remove(&input.user_name) {
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

/// The subscriptions that name `who` in the profiles on `inst`'s owner's instance: a user or
/// group that Kiro still charges for cannot be deleted (unsubscribe first), so no subscription
/// is ever left naming nobody.
fn subscribed_in(
    estate: &Estate,
    input_instance: &kiro_estate::AccountId,
    who: &Principal,
) -> Option<String> {
    estate
        .profiles
        .iter()
        .find(|p| &p.instance == input_instance && p.subscriptions.contains(who))
        .map(|p| format!("{}/{}", p.account, p.region))
}

/// A user or group with a permission set in an AWS account cannot be deleted (delete the
/// account assignment first), so no assignment is left naming nobody.
fn assigned_nowhere(inst: &kiro_estate::Instance, who: &Principal) -> Result<(), OpError> {
    let names = |a: &kiro_estate::AccountAssignment| match who {
        Principal::User(u) => a.user_name.as_ref() == Some(u),
        Principal::Group(g) => a.group.as_ref() == Some(g),
    };
    match inst.account_assignments.iter().find(|a| names(a)) {
        Some(a) => Err(conflict(format!(
            "{who} has permission set `{}` in account `{}`; delete the account assignment first",
            a.permission_set, a.account
        ))),
        None => Ok(()),
    }
}

/// `update-user`: a new email (checked as `create-user` checks it) or display name; empty
/// clears either.
pub fn update_user(estate: &mut Estate, input: &UpdateUser, _: &Ctx) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    if !inst.users.contains(&input.user_name) {
        return Err(no_user(inst, &input.user_name));
    }
    if let Some(address) = input.email.as_deref().filter(|e| !e.is_empty()) {
        email::check(address).map_err(invalid)?;
    }
    let inst = instance_mut(estate, &input.instance)?;
    let user = inst
        .users
        .get_mut(&input.user_name)
        .ok_or_else(|| not_found(format!("user `{}` does not exist", input.user_name)))?;
    if let Some(e) = &input.email {
        user.email = (!e.is_empty()).then(|| e.clone());
    }
    if let Some(d) = &input.display_name {
        user.display_name = (!d.is_empty()).then(|| d.clone());
    }
    Ok(Applied::PrincipalChanged {
        id: user.id.clone(),
        kind: "user",
        deleted: false,
        memberships_removed: 0,
    })
}

fn no_user(inst: &kiro_estate::Instance, name: &str) -> OpError {
    not_found(format!(
        "user `{name}` does not exist in identity store {}",
        inst.identity_store
    ))
}

fn no_group(inst: &kiro_estate::Instance, name: &str) -> OpError {
    not_found(format!(
        "group `{name}` does not exist in identity store {}",
        inst.identity_store
    ))
}

/// `delete-user`: the user leaves every group; not while a Kiro profile subscribes it.
pub fn delete_user(estate: &mut Estate, input: &UserRef, _: &Ctx) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    if !inst.users.contains(&input.user_name) {
        return Err(no_user(inst, &input.user_name));
    }
    let who = Principal::User(input.user_name.clone());
    assigned_nowhere(inst, &who)?;
    if let Some(profile) = subscribed_in(estate, &input.instance, &who) {
        return Err(conflict(format!(
            "user `{}` is subscribed in Kiro profile `{profile}`; unsubscribe it first",
            input.user_name
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    let mut removed = 0;
    for g in inst.groups.iter_mut() {
        if g.members.remove(&input.user_name) {
            removed += 1;
        }
    }
    let user = inst
        .users
        .remove(&input.user_name)
        .ok_or_else(|| not_found(format!("user `{}` does not exist", input.user_name)))?;
    Ok(Applied::PrincipalChanged {
        id: user.id,
        kind: "user",
        deleted: true,
        memberships_removed: removed,
    })
}

/// `update-group`: a new description (empty for none).
pub fn update_group(estate: &mut Estate, input: &UpdateGroup, _: &Ctx) -> Result<Output, OpError> {
    let inst = instance_mut(estate, &input.instance)?;
    let store = inst.identity_store.clone();
    let group = inst.groups.get_mut(&input.group).ok_or_else(|| {
        not_found(format!(
            "group `{}` does not exist in identity store {store}",
            input.group
        ))
    })?;
    if let Some(d) = &input.description {
        group.description = (!d.is_empty()).then(|| d.clone());
    }
    Ok(Applied::PrincipalChanged {
        id: group.id.clone(),
        kind: "group",
        deleted: false,
        memberships_removed: 0,
    })
}

/// `delete-group`: its memberships go with it; not while a Kiro profile subscribes it.
pub fn delete_group(estate: &mut Estate, input: &GroupRef, _: &Ctx) -> Result<Output, OpError> {
    let inst = instance(estate, &input.instance)?;
    if !inst.groups.contains(&input.group) {
        return Err(no_group(inst, &input.group));
    }
    let who = Principal::Group(input.group.clone());
    assigned_nowhere(inst, &who)?;
    if let Some(profile) = subscribed_in(estate, &input.instance, &who) {
        return Err(conflict(format!(
            "group `{}` is subscribed in Kiro profile `{profile}`; unsubscribe it first",
            input.group
        )));
    }
    let inst = instance_mut(estate, &input.instance)?;
    let group = inst
        .groups
        .remove(&input.group)
        .ok_or_else(|| not_found(format!("group `{}` does not exist", input.group)))?;
    Ok(Applied::PrincipalChanged {
        id: group.id,
        kind: "group",
        deleted: true,
        memberships_removed: group.members.len(),
    })
}

/// A CIDR range: an IP address, `/`, and a prefix length that fits it.
fn check_cidr(range: &str) -> Result<(), OpError> {
    let bad = || {
        invalid(format!(
            "`{range}` is not a CIDR range such as 203.0.113.0/24"
        ))
    };
    let (ip, prefix) = range.split_once('/').ok_or_else(bad)?;
    let ip: std::net::IpAddr = ip.parse().map_err(|_| bad())?;
    let prefix: u8 = prefix.parse().map_err(|_| bad())?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if prefix > max {
        return Err(bad());
    }
    Ok(())
}

/// `update-identity-store`: VPC ids (`vpc-…`) and CIDR ranges, replacing what there was.
pub fn update_identity_store(
    estate: &mut Estate,
    input: &UpdateIdentityStore,
    _: &Ctx,
) -> Result<Output, OpError> {
    instance(estate, &input.instance)?;
    let n = &input.network;
    if let Some(vpc) = n
        .api_restrict_source_vpcs
        .iter()
        .find(|v| !v.starts_with("vpc-"))
    {
        return Err(invalid(format!("`{vpc}` is not a VPC id (vpc-…)")));
    }
    for range in n
        .api_allow_source_ips
        .iter()
        .chain(&n.scim_allow_source_ips)
    {
        check_cidr(range)?;
    }
    let inst = instance_mut(estate, &input.instance)?;
    inst.identity_store_network = Some(n.clone());
    Ok(Applied::IdentityStoreUpdated {
        identity_store: inst.identity_store.clone(),
    })
}
