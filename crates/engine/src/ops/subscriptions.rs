//! Subscriptions: users or groups of the profile's identity store, each on a plan.

use kiro_estate::{
    AccountId, Applied, Estate, Name, Plan, Principal, ProfileKey, Status, Subscription,
};

use super::{Ctx, Output, instance, profile, profile_mut};
use crate::error::{OpError, conflict, invalid, not_found};
use kiro_estate::op::{Expect, Subscribe, Unsubscribe};

/// The one principal a subscribe/unsubscribe names: exactly one of `user-name` and `group`.
pub(crate) fn principal(user: &Option<Name>, group: &Option<Name>) -> Result<Principal, OpError> {
    match (user, group) {
        (Some(u), None) => Ok(Principal::User(u.clone())),
        (None, Some(g)) => Ok(Principal::Group(g.clone())),
        _ => Err(invalid("name exactly one of `user-name` and `group`")),
    }
}

/// `subscribe`: the principal must be in the profile's identity store; subscribing it again
/// changes its plan (and status), unless `expect` says whether it must be subscribed.
pub fn subscribe(estate: &mut Estate, input: &Subscribe, _: &Ctx) -> Result<Output, OpError> {
    let p = profile(estate, &input.account, &input.region)?;
    let who = principal(&input.user_name, &input.group)?;
    let plan = Plan::parse(&input.plan).ok_or_else(|| {
        invalid(format!(
            "`{}` is not a Kiro plan: use one of {}",
            input.plan,
            Plan::ALL.map(Plan::as_str).join(", ")
        ))
    })?;
    let status = match input.status.as_deref() {
        None | Some("active") => Status::Active,
        Some("pending") => Status::Pending,
        Some(other) => {
            return Err(invalid(format!(
                "`{other}` is not a status: use `active` or `pending`"
            )));
        }
    };
    let inst = instance(estate, &p.instance)?;
    let present = match &who {
        Principal::User(u) => inst.users.contains(u),
        Principal::Group(g) => inst.groups.contains(g),
    };
    if !present {
        return Err(invalid(format!(
            "{who} is not in the identity store {} of the instance that profile `{}/{}` uses",
            inst.identity_store, input.account, input.region
        )));
    }
    let p = profile_mut(estate, &input.account, &input.region)?;
    let previous = p.subscriptions.get(&who).map(|s| s.plan);
    match (input.expect, previous) {
        (Some(Expect::New), Some(_)) => {
            return Err(conflict(format!(
                "{who} is subscribed already in profile `{}/{}`: subscribe it without `expect: new` (UpdateAssignment) to change the plan",
                input.account, input.region
            )));
        }
        (Some(Expect::Existing), None) => {
            return Err(no_subscription(&who, &input.account, &input.region));
        }
        _ => {}
    }
    let sub = Subscription {
        user_name: input.user_name.clone(),
        group: input.group.clone(),
        plan,
        status,
    };
    match p.subscriptions.get_mut(&who) {
        Some(existing) => *existing = sub,
        None => {
            let _ = p.subscriptions.insert(sub);
        }
    }
    Ok(Applied::Subscribed {
        plan,
        previous_plan: previous,
        status,
        principal: who,
        profile: ProfileKey::new(&input.account, &input.region),
    })
}

/// `unsubscribe`: the subscription must exist.
pub fn unsubscribe(estate: &mut Estate, input: &Unsubscribe, _: &Ctx) -> Result<Output, OpError> {
    let who = principal(&input.user_name, &input.group)?;
    let p = profile_mut(estate, &input.account, &input.region)?;
    match p.subscriptions.remove(&who) {
        Some(s) => Ok(Applied::Unsubscribed {
            plan: s.plan,
            principal: who,
            profile: ProfileKey::new(&input.account, &input.region),
        }),
        None => Err(no_subscription(&who, &input.account, &input.region)),
    }
}

/// The refusal of a principal without a subscription, in `subscribe` and `unsubscribe` alike.
fn no_subscription(who: &Principal, account: &AccountId, region: &str) -> OpError {
    not_found(format!(
        "{who} has no subscription in profile `{account}/{region}`"
    ))
}
