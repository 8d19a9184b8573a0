//! IAM Identity Center administration (`SWBExternalService.*`, signing name `sso`).
//!
//! Each Kiro profile is an AWS managed application of its instance, named
//! `KiroProfile-<region>`, with `ApplicationAccount` = the profile's account and the provider
//! `arn:aws:sso::aws:applicationProvider/codewhisperer`. Application assignments are the server's
//! own records (kept in its database, not in the estate): in AWS they are independent of Kiro
//! subscriptions, and `ListApplicationAssignments` may be empty while subscriptions exist.

use kiro_engine::op::{EnableIdentityCenter, InstanceRef, UpdateInstance};
use kiro_engine::{Applied, Op};
use kiro_estate::ids::{self, Partition, arn};
use kiro_estate::{AccountId, Estate, Instance, Profile};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::pagination::{PageRequest, SSO, page, with_token};
use crate::store::{Assignment, PrincipalType, State, Tx};
use crate::translate::Unresolved;

/// The application provider of Kiro (and Amazon Q Developer) profiles in `partition`.
pub fn kiro_provider(partition: Partition) -> String {
    arn::application_provider(partition, "codewhisperer")
}

/// A day as AWS's JSON timestamp (epoch seconds) of its midnight UTC.
pub(crate) fn date_epoch(date: jiff::civil::Date) -> Value {
    let secs = date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map(|z| z.timestamp().as_second())
        .unwrap_or(0);
    json!(secs)
}

fn instance_json(inst: &Instance) -> Value {
    let mut v = json!({
        "InstanceArn": arn::instance(inst.partition(), &inst.id),
        "IdentityStoreId": inst.identity_store,
        "IdentityStoreArn": arn::identity_store(inst.partition(), &inst.account, &inst.identity_store),
        "OwnerAccountId": inst.account.as_str(),
        "PrimaryRegion": inst.region,
        "Regions": crate::sso_regions::regions_json(inst).map(|(_, v)| v).collect::<Vec<_>>(),
        "CreatedDate": date_epoch(inst.created),
        "Status": "ACTIVE",
    });
    if let (Value::Object(map), Some(name)) = (&mut v, &inst.name) {
        map.insert("Name".to_owned(), json!(name));
    }
    v
}

/// The instance `arn` names, if the caller owns it: `ResourceNotFoundException` for an unknown
/// instance, `AccessDeniedException` for another account's.
pub fn owned_instance<'e>(
    ctx: &Ctx,
    estate: &'e Estate,
    instance_arn: &str,
) -> Result<&'e Instance, ApiError> {
    let inst = estate
        .instances
        .iter()
        .find(|i| arn::instance(i.partition(), &i.id) == instance_arn)
        .ok_or_else(|| ApiError::not_found(format!("instance `{instance_arn}` does not exist")))?;
    ctx.owned(estate, inst, |caller| {
        format!(
            "account `{caller}` is not authorized to access instance `{instance_arn}`, which belongs to account `{}`",
            inst.account
        )
    })
}

/// The ARN of the application that registers `profile`.
pub fn application_arn(estate: &Estate, profile: &Profile) -> String {
    let instance_id = estate
        .instances
        .get(&profile.instance)
        .map_or("", |i| i.id.as_str());
    arn::application(
        estate.partition(),
        &profile.account,
        instance_id,
        &ids::application_id(&profile.account, &profile.region),
    )
}

fn application_json(estate: &Estate, profile: &Profile) -> Value {
    let inst = estate.instances.get(&profile.instance);
    let mut v = json!({
        "ApplicationArn": application_arn(estate, profile),
        "ApplicationProviderArn": kiro_provider(estate.partition()),
        "Name": profile.application_name(),
        "ApplicationAccount": profile.account.as_str(),
        "Status": "ENABLED",
        "PortalOptions": {"SignInOptions": {"Origin": "IDENTITY_CENTER"}, "Visibility": "ENABLED"},
        "Description": format!("Kiro profile of account {} in {}", profile.account, profile.region),
        "CreatedFrom": profile.region,
    });
    if let Value::Object(map) = &mut v {
        if let Some(inst) = inst {
            map.insert(
                "InstanceArn".to_owned(),
                json!(arn::instance(inst.partition(), &inst.id)),
            );
            map.insert(
                "IdentityStoreArn".to_owned(),
                json!(arn::identity_store(
                    inst.partition(),
                    &inst.account,
                    &inst.identity_store
                )),
            );
        }
        if let Some(created) = profile.created {
            map.insert("CreatedDate".to_owned(), date_epoch(created));
        }
    }
    v
}

/// An application of an instance: the AWS managed one of a Kiro profile, or a customer
/// managed one.
#[derive(Clone, Copy)]
pub(crate) enum App<'e> {
    /// A Kiro profile's.
    Kiro(&'e Profile),
    /// A customer managed application.
    Custom(&'e kiro_estate::Application),
}

/// An `Application` / `DescribeApplication` answer.
fn app_json(estate: &Estate, inst: &Instance, app: App<'_>) -> Value {
    match app {
        App::Kiro(p) => application_json(estate, p),
        App::Custom(a) => crate::sso_applications::custom_json(inst, a),
    }
}

/// The application `application_arn` names, and its instance.
fn application<'e>(
    estate: &'e Estate,
    application_arn: &str,
) -> Result<(App<'e>, &'e Instance), ApiError> {
    let not_found =
        || ApiError::not_found(format!("application `{application_arn}` does not exist"));
    if let Some(profile) = estate
        .profiles
        .iter()
        .find(|p| self::application_arn(estate, p) == application_arn)
    {
        let inst = estate
            .instances
            .get(&profile.instance)
            .ok_or_else(not_found)?;
        return Ok((App::Kiro(profile), inst));
    }
    estate
        .instances
        .iter()
        .find_map(|i| {
            i.applications
                .iter()
                .find(|a| crate::sso_applications::custom_arn(i, a) == application_arn)
                .map(|a| (App::Custom(a), i))
        })
        .ok_or_else(not_found)
}

/// The input of a list of an instance's things (permission sets, regions, trusted token
/// issuers): the instance and the page.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct InstanceListInput {
    pub(crate) instance_arn: String,
    pub(crate) max_results: Option<i64>,
    pub(crate) next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListInstancesInput {
    max_results: Option<i64>,
    next_token: Option<String>,
    region_scope: Option<String>,
}

/// `ListInstances`: the instance the calling account owns (its organization instance when it is
/// a management account, its account instance otherwise), in any region.
pub fn list_instances(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListInstancesInput = input(body)?;
    if let Some(scope) = req.region_scope.as_deref()
        && scope != "CURRENT_REGION"
        && scope != "ALL_REGIONS"
    {
        return Err(ApiError::validation(format!(
            "`{scope}` is not a region scope"
        )));
    }
    let estate = state.estate();
    let caller = ctx.caller(estate);
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let (items, next) = p.apply(
        ctx.operation,
        estate
            .instances
            .iter()
            .filter(|i| i.account == caller)
            .map(instance_json),
    );
    Ok(with_token(json!({ "Instances": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct InstanceArnInput {
    instance_arn: String,
}

/// `DescribeInstance`.
pub fn describe_instance(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: InstanceArnInput = input(body)?;
    let inst = owned_instance(ctx, state.estate(), &req.instance_arn)?;
    Ok(instance_json(inst))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(dead_code, reason = "the client token is accepted and not modelled")]
struct CreateInstanceInput {
    name: Option<String>,
    client_token: Option<String>,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// `CreateInstance` → `enable-identity-center` with `kind: account` in the signing region: the
/// API creates account instances only (an organization instance is enabled from the console,
/// here through the admin API), so the management account gets a `ValidationException`.
pub fn create_instance(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateInstanceInput = input(body)?;
    if let Some(name) = &req.name {
        kiro_engine::ops::identity_center::check_name(name)?;
    }
    let tags = crate::sso_tags::checked(req.tags)?;
    let caller = ctx.caller(tx.estate());
    let op = Op::EnableIdentityCenter(EnableIdentityCenter {
        account: caller.clone(),
        region: ctx.region.clone(),
        kind: Some("account".to_owned()),
        created: None,
    });
    let Applied::InstanceEnabled { instance_arn, .. } = tx.apply(&op)? else {
        return Err(unexpected(&op));
    };
    if let Some(name) = req.name {
        tx.apply(&Op::UpdateInstance(UpdateInstance {
            instance: caller.clone(),
            name,
        }))?;
    }
    crate::sso_tags::tag_new(tx, &caller, &instance_arn, tags)?;
    Ok(json!({ "InstanceArn": instance_arn }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(dead_code, reason = "encryption is accepted and not modelled")]
struct UpdateInstanceInput {
    instance_arn: String,
    name: Option<String>,
    encryption_configuration: Option<Value>,
}

/// The caller's instance that `arn` should name, for a write: whether it does is kept in
/// `unresolved`, since authorization comes first.
pub(crate) fn own_instance(
    ctx: &Ctx,
    tx: &Tx<'_>,
    arn: &str,
    unresolved: &mut Unresolved,
) -> AccountId {
    let estate = tx.estate();
    unresolved.or_written(owned_instance(ctx, estate, arn).map(|_| ()), ());
    ctx.caller(estate)
}

/// `UpdateInstance` → `update-instance` (a name; without one, nothing changes).
pub fn update_instance(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UpdateInstanceInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let instance = own_instance(ctx, tx, &req.instance_arn, &mut unresolved);
    let renames = req.name.is_some();
    let op = Op::UpdateInstance(UpdateInstance {
        instance,
        name: req.name.unwrap_or_default(),
    });
    unresolved.authorize_first(tx, &op)?;
    if renames {
        tx.apply(&op)?;
    } else {
        // Nothing to change, but a caller the SCPs deny is still denied.
        tx.authorize(&op)?;
    }
    Ok(json!({}))
}

/// `DeleteInstance` → `delete-identity-center`.
pub fn delete_instance(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: InstanceArnInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let instance = own_instance(ctx, tx, &req.instance_arn, &mut unresolved);
    let op = Op::DeleteIdentityCenter(InstanceRef { instance });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AppFilter {
    application_account: Option<String>,
    application_provider: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListApplicationsInput {
    instance_arn: String,
    max_results: Option<i64>,
    next_token: Option<String>,
    filter: Option<AppFilter>,
}

/// `ListApplications`: a `KiroProfile-<region>` application per profile on the instance.
pub fn list_applications(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ListApplicationsInput = input(body)?;
    let estate = state.estate();
    let inst = owned_instance(ctx, estate, &req.instance_arn)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let (account, provider) = req
        .filter
        .map(|f| (f.application_account, f.application_provider))
        .unwrap_or_default();
    let apps = estate
        .profiles
        .iter()
        .filter(|p| p.instance == inst.account)
        .filter(|p| account.as_deref().is_none_or(|a| p.account.as_str() == a))
        .filter(|_| {
            provider
                .as_deref()
                .is_none_or(|a| a == kiro_provider(inst.partition()))
        })
        .map(|p| application_json(estate, p));
    let custom = inst
        .applications
        .iter()
        .filter(|_| {
            account
                .as_deref()
                .is_none_or(|a| inst.account.as_str() == a)
        })
        .filter(|a| provider.as_deref().is_none_or(|p| p == a.provider))
        .map(|a| crate::sso_applications::custom_json(inst, a));
    let (items, next) = p.apply(ctx.operation, apps.chain(custom));
    Ok(with_token(json!({ "Applications": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ApplicationArnInput {
    application_arn: String,
    max_results: Option<i64>,
    next_token: Option<String>,
}

pub(crate) fn owned_application<'e>(
    ctx: &Ctx,
    estate: &'e Estate,
    application_arn: &str,
) -> Result<(App<'e>, &'e Instance), ApiError> {
    let (app, inst) = application(estate, application_arn)?;
    owned_instance(ctx, estate, &arn::instance(inst.partition(), &inst.id))?;
    Ok((app, inst))
}

/// `DescribeApplication`.
pub fn describe_application(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: ApplicationArnInput = input(body)?;
    if req.max_results.is_some() || req.next_token.is_some() {
        return Err(ApiError::serialization(
            "DescribeApplication takes only `ApplicationArn`",
        ));
    }
    let estate = state.estate();
    let (app, inst) = owned_application(ctx, estate, &req.application_arn)?;
    Ok(app_json(estate, inst, app))
}

fn assignment_json(a: &Assignment) -> Value {
    json!({"ApplicationArn": a.application_arn, "PrincipalId": a.principal_id, "PrincipalType": a.principal_type})
}

/// The `ApplicationAssignments` answer for this page of `assignments`, built after paging.
/// Both assignment lists (by application, by principal) answer alike.
fn assignments_page<'a>(
    ctx: &Ctx,
    p: PageRequest,
    assignments: impl IntoIterator<Item = &'a Assignment>,
) -> Value {
    let (page, next) = p.apply(ctx.operation, assignments);
    let items: Vec<Value> = page.into_iter().map(assignment_json).collect();
    with_token(json!({ "ApplicationAssignments": items }), next)
}

/// `ListApplicationAssignments`.
pub fn list_application_assignments(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ApplicationArnInput = input(body)?;
    owned_application(ctx, state.estate(), &req.application_arn)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let from = Assignment {
        application_arn: req.application_arn.clone(),
        principal_type: String::new(),
        principal_id: String::new(),
    };
    let items = state
        .assignments
        .range(from..)
        .take_while(|a| a.application_arn == req.application_arn);
    Ok(assignments_page(ctx, p, items))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AssignmentInput {
    application_arn: String,
    principal_id: String,
    principal_type: String,
}

fn check_principal(
    state: &State,
    inst: &Instance,
    kind: PrincipalType,
    principal_id: &str,
) -> Result<(), ApiError> {
    match state.principal_by_id(inst, kind, principal_id) {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found(format!(
            "{} `{principal_id}` does not exist in identity store {}",
            kind.noun(),
            inst.identity_store
        ))),
    }
}

/// An application assignment write: `action` is authorized for the caller on the application
/// (in the signing region) before the application or the principal is looked up.
fn assignment_write(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    req: AssignmentInput,
    action: &str,
) -> Result<Assignment, ApiError> {
    let kind = PrincipalType::parse(&req.principal_type)?;
    let caller: AccountId = ctx.caller(tx.estate());
    tx.authorize_action(&caller, &[action], &req.application_arn, &ctx.region)?;
    let estate = tx.estate();
    let (_, inst) = owned_application(ctx, estate, &req.application_arn)?;
    check_principal(tx.state(), inst, kind, &req.principal_id)?;
    Ok(Assignment {
        application_arn: req.application_arn,
        principal_type: req.principal_type,
        principal_id: req.principal_id,
    })
}

/// `DescribeApplicationAssignment`: `ResourceNotFoundException` when the principal is not
/// assigned (directly) to the application.
pub fn describe_application_assignment(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: AssignmentInput = input(body)?;
    let kind = PrincipalType::parse(&req.principal_type)?;
    let (_, inst) = owned_application(ctx, state.estate(), &req.application_arn)?;
    check_principal(state, inst, kind, &req.principal_id)?;
    let a = Assignment {
        application_arn: req.application_arn,
        principal_type: req.principal_type,
        principal_id: req.principal_id,
    };
    if !state.assignments.contains(&a) {
        return Err(unassigned(&a));
    }
    Ok(assignment_json(&a))
}

/// The `ResourceNotFoundException` of an assignment there is not.
fn unassigned(a: &Assignment) -> ApiError {
    ApiError::not_found(format!(
        "{} `{}` is not assigned to application `{}`",
        a.principal_type.to_lowercase(),
        a.principal_id,
        a.application_arn
    ))
}

/// `CreateApplicationAssignment`: assigning an assigned principal again changes nothing.
/// Checked against the caller's SCPs (`sso:CreateApplicationAssignment`).
pub fn create_application_assignment(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: AssignmentInput = input(body)?;
    let a = assignment_write(ctx, tx, req, "sso:CreateApplicationAssignment")?;
    tx.assign(a);
    Ok(json!({}))
}

/// `DeleteApplicationAssignment`: `ResourceNotFoundException` when there is no such assignment.
pub fn delete_application_assignment(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: AssignmentInput = input(body)?;
    let a = assignment_write(ctx, tx, req, "sso:DeleteApplicationAssignment")?;
    if !tx.state().assignments.contains(&a) {
        return Err(unassigned(&a));
    }
    tx.unassign(&a);
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ForPrincipalFilter {
    application_arn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ForPrincipalInput {
    instance_arn: String,
    principal_id: String,
    principal_type: String,
    filter: Option<ForPrincipalFilter>,
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListApplicationAssignmentsForPrincipal`.
pub fn list_application_assignments_for_principal(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ForPrincipalInput = input(body)?;
    let estate = state.estate();
    let inst = owned_instance(ctx, estate, &req.instance_arn)?;
    let kind = PrincipalType::parse(&req.principal_type)?;
    check_principal(state, inst, kind, &req.principal_id)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let only = req.filter.and_then(|f| f.application_arn);
    let items = state
        .assignments
        .iter()
        .filter(|a| a.principal_id == req.principal_id && a.principal_type == req.principal_type)
        .filter(|a| only.as_deref().is_none_or(|o| o == a.application_arn));
    Ok(assignments_page(ctx, p, items))
}
