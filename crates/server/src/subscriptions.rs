//! The Kiro subscription APIs that public admin scripts call (AWS JSON 1.0, no published SDK):
//! `AmazonQDeveloperService.{Create,Update,Delete}Assignment` (signing name `q`), the same
//! three as the Kiro console calls them today, `KiroControlPlaneQDeveloperService.*` (endpoint
//! `management.<region>.kiro.dev`, errors named `com.amazon.kiro.controlplane#…`),
//! `AWSZornControlPlaneService.ListUserSubscriptions` (`user-subscriptions`) and
//! `AmazonCodeWhispererService.ListAvailableProfiles` (`codewhisperer`).
//!
//! An assignment is made in the profile of the **calling account in the signing region** and
//! becomes the engine's `subscribe` / `unsubscribe`. `subscriptionType` values, in either
//! family: `Q_DEVELOPER_STANDALONE_PRO`, `…_PRO_PLUS`, `…_PRO_MAX` (Pro Max's value in this
//! older family is not public; this is kiro-org's choice) and `…_POWER`, or the console's
//! `Q_DEVELOPER_PRO`, `Q_DEVELOPER_PRO_PLUS`, `Q_DEVELOPER_PRO_MAX` and `Q_DEVELOPER_POWER`.
//! The service's other values (`CREDIT_POOL`, `Q_DEVELOPER_STANDALONE`, `Q_DEVELOPER_FREE`,
//! `Q_DEVELOPER_STUDENT`) are no enterprise seat plan and are refused, each saying why.
//! Subscriptions made here are `active` (the engine's default): the server cannot observe a
//! first sign-in.
//!
//! `ListUserSubscriptions` answers one item per subscribed user or group:
//! `{principalId, principalType, principalName, subscriptionType, status (ACTIVE|PENDING),
//! subscriptionRegion, applicationAccount, profileArn}` — the internal API's item shape is not
//! public, so these names are kiro-org's.

use kiro_engine::Op;
use kiro_engine::op::{Expect, Subscribe, Unsubscribe};
use kiro_estate::ids::arn;
use kiro_estate::{AccountId, Name, Plan, Principal, ProfileKey, Status};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::ApiError;
use crate::pagination::{SSO, SUBSCRIPTIONS, page, with_token, with_token_as};
use crate::store::{PrincipalType, State, Tx};
use crate::translate::Unresolved;

/// The wire name of each plan.
pub fn subscription_type(plan: Plan) -> &'static str {
    match plan {
        Plan::Pro => "Q_DEVELOPER_STANDALONE_PRO",
        Plan::ProPlus => "Q_DEVELOPER_STANDALONE_PRO_PLUS",
        Plan::ProMax => "Q_DEVELOPER_STANDALONE_PRO_MAX",
        Plan::Power => "Q_DEVELOPER_STANDALONE_POWER",
    }
}

/// The console's name of each plan (the same plans, without `STANDALONE_`).
fn console_subscription_type(plan: Plan) -> &'static str {
    match plan {
        Plan::Pro => "Q_DEVELOPER_PRO",
        Plan::ProPlus => "Q_DEVELOPER_PRO_PLUS",
        Plan::ProMax => "Q_DEVELOPER_PRO_MAX",
        Plan::Power => "Q_DEVELOPER_POWER",
    }
}

/// The values the service knows that are no seat plan of a Kiro profile, and why.
const NOT_SEAT_PLANS: &[(&str, &str)] = &[
    (
        "CREDIT_POOL",
        "a credit pool is not a seat: credits shared across a team are not a plan a user can be subscribed to",
    ),
    ("Q_DEVELOPER_STANDALONE", "it names no tier: give the plan"),
    (
        "Q_DEVELOPER_FREE",
        "the free tier is for individual sign-ins, not a seat an administrator gives",
    ),
    (
        "Q_DEVELOPER_STUDENT",
        "the student tier is for individual sign-ins, not a seat an administrator gives",
    ),
];

fn plan(wire: &str) -> Result<Plan, ApiError> {
    if let Some(p) = Plan::ALL
        .into_iter()
        .find(|p| subscription_type(*p) == wire || console_subscription_type(*p) == wire)
    {
        return Ok(p);
    }
    let plans = Plan::ALL.map(console_subscription_type).join(", ");
    Err(ApiError::validation(
        match NOT_SEAT_PLANS.iter().find(|(v, _)| *v == wire) {
            Some((_, why)) => format!("`{wire}` cannot be assigned: {why}; use one of {plans}"),
            None => format!(
                "`{wire}` is not a subscription type: use one of {plans} (or {})",
                Plan::ALL.map(subscription_type).join(", ")
            ),
        },
    ))
}

/// The user or group `id` names in the identity store of the caller's profile in the signing
/// region. A principal absent from it is a `ValidationException`, as the engine reports for
/// `subscribe`; without the profile, there is nothing to look it up in.
fn principal(
    state: &State,
    account: &AccountId,
    region: &str,
    kind: PrincipalType,
    id: &str,
) -> Result<Principal, ApiError> {
    let estate = state.estate();
    let inst = estate
        .profiles
        .get(&ProfileKey::new(account, region))
        .and_then(|p| estate.instances.get(&p.instance))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "account `{account}` has no Kiro profile in `{region}`"
            ))
        })?;
    state.principal_by_id(inst, kind, id).ok_or_else(|| {
        ApiError::validation(format!(
            "{} `{id}` is not in identity store {} of the profile's instance",
            kind.noun(),
            inst.identity_store
        ))
    })
}

fn split(p: Principal) -> (Option<Name>, Option<Name>) {
    match p {
        Principal::User(u) => (Some(u), None),
        Principal::Group(g) => (None, Some(g)),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct AssignmentInput {
    principal_id: String,
    principal_type: String,
    subscription_type: Option<String>,
}

/// The caller's account and the principal the request names (as written when it does not
/// resolve, kept in `unresolved`).
fn who(
    ctx: &Ctx,
    tx: &Tx<'_>,
    req: &AssignmentInput,
    unresolved: &mut Unresolved,
) -> Result<(AccountId, Principal), ApiError> {
    let kind = PrincipalType::parse(&req.principal_type)?;
    let account = ctx.caller(tx.estate());
    let found = principal(tx.state(), &account, &ctx.region, kind, &req.principal_id);
    let who = unresolved.or_written(found, kind.named(req.principal_id.as_str().into()));
    Ok((account, who))
}

/// `CreateAssignment` / `UpdateAssignment` → `subscribe` expecting a new / an existing
/// subscription: the engine authorizes `q:CreateAssignment` / `q:UpdateAssignment` and refuses
/// the other case.
fn subscribe(ctx: &Ctx, tx: &mut Tx<'_>, body: Value, expect: Expect) -> Result<Value, ApiError> {
    let req: AssignmentInput = input(body)?;
    let wire = req
        .subscription_type
        .clone()
        .ok_or_else(|| ApiError::missing("subscriptionType"))?;
    let mut unresolved = Unresolved::default();
    let (account, who) = who(ctx, tx, &req, &mut unresolved)?;
    let plan = unresolved.or_written(plan(&wire).map(|p| p.as_str().to_owned()), wire);
    let (user_name, group) = split(who);
    let op = Op::Subscribe(Subscribe {
        account,
        region: ctx.region.clone(),
        user_name,
        group,
        plan,
        status: None,
        expect: Some(expect),
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

/// `CreateAssignment` → `subscribe` of a principal not subscribed yet.
pub fn create_assignment(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    subscribe(ctx, tx, body, Expect::New)
}

/// `UpdateAssignment` → `subscribe` of a subscribed principal, with its new plan.
pub fn update_assignment(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    subscribe(ctx, tx, body, Expect::Existing)
}

/// `DeleteAssignment` → `unsubscribe`.
pub fn delete_assignment(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: AssignmentInput = input(body)?;
    if req.subscription_type.is_some() {
        return Err(ApiError::serialization(
            "DeleteAssignment takes `principalId` and `principalType` only",
        ));
    }
    let mut unresolved = Unresolved::default();
    let (account, who) = who(ctx, tx, &req, &mut unresolved)?;
    let (user_name, group) = split(who);
    let op = Op::Unsubscribe(Unsubscribe {
        account,
        region: ctx.region.clone(),
        user_name,
        group,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListUserSubscriptionsInput {
    instance_arn: String,
    max_results: Option<i64>,
    subscription_region: Option<String>,
    next_token: Option<String>,
}

/// `ListUserSubscriptions`: the subscriptions of every profile on the instance (in
/// `subscriptionRegion`, when given). The instance's owner calls it.
pub fn list_user_subscriptions(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListUserSubscriptionsInput = input(body)?;
    let estate = state.estate();
    let inst = crate::sso_admin::owned_instance(ctx, estate, &req.instance_arn)?;
    let p = page(ctx, SUBSCRIPTIONS, &req.next_token, req.max_results)?;
    let region = req.subscription_region;
    let items = estate
        .profiles
        .iter()
        .filter(|p| p.instance == inst.account)
        .filter(|p| region.as_deref().is_none_or(|r| r == p.region))
        .flat_map(|p| {
            p.subscriptions.iter().map(move |s| {
                let who = s.principal();
                let (kind, id, name) = match &who {
                    Principal::User(u) => {
                        ("USER", inst.users.get(u).map(|x| x.id.clone()), u.clone())
                    }
                    Principal::Group(g) => {
                        ("GROUP", inst.groups.get(g).map(|x| x.id.clone()), g.clone())
                    }
                };
                json!({
                    "principalId": id,
                    "principalType": kind,
                    "principalName": name,
                    "subscriptionType": subscription_type(s.plan),
                    "status": if s.status == Status::Pending { "PENDING" } else { "ACTIVE" },
                    "subscriptionRegion": p.region,
                    "applicationAccount": p.account.as_str(),
                    "profileArn": arn::profile(&p.region, p.account.as_str(), &p.id),
                })
            })
        });
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(json!({ "UserSubscriptions": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ListProfilesInput {
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListAvailableProfiles`: the caller's profiles in the signing region.
pub fn list_available_profiles(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListProfilesInput = input(body)?;
    let estate = state.estate();
    let caller = ctx.caller(estate);
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let items = estate
        .profiles
        .iter()
        .filter(|p| p.account == caller && p.region == ctx.region)
        .map(|p| json!({"arn": arn::profile(&p.region, p.account.as_str(), &p.id), "profileName": p.application_name()}));
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token_as(
        json!({ "profiles": items }),
        "nextToken",
        next,
    ))
}
