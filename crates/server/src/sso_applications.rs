//! Customer managed applications of IAM Identity Center: `CreateApplication` →
//! `create-application`, `UpdateApplication` → `update-application`, `DeleteApplication` →
//! `delete-application` (their assignments, the server's own records, go with them), and the
//! application providers (`ListApplicationProviders`, `DescribeApplicationProvider`).

use kiro_engine::op::{ApplicationRef, CreateApplication, UpdateApplication};
use kiro_engine::{Applied, Op};
use kiro_estate::ids::{Partition, arn};
use kiro_estate::{Application, Instance};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::pagination::{SSO, page, with_token};
use crate::sso_admin::{App, owned_application, owned_instance};
use crate::store::{Assignment, State, Tx};
use crate::translate::Unresolved;

/// The ARN of customer managed application `a` of `inst`.
pub fn custom_arn(inst: &Instance, a: &Application) -> String {
    arn::application(inst.partition(), &inst.account, &inst.id, &a.id)
}

/// An `Application` of a customer managed application.
pub fn custom_json(inst: &Instance, a: &Application) -> Value {
    let mut v = json!({
        "ApplicationArn": custom_arn(inst, a),
        "ApplicationProviderArn": a.provider,
        "Name": a.name,
        "ApplicationAccount": inst.account.as_str(),
        "InstanceArn": arn::instance(inst.partition(), &inst.id),
        "IdentityStoreArn": arn::identity_store(inst.partition(), &inst.account, &inst.identity_store),
        "Status": if a.enabled { "ENABLED" } else { "DISABLED" },
        "PortalOptions": {"SignInOptions": {"Origin": "IDENTITY_CENTER"}, "Visibility": "ENABLED"},
        "CreatedDate": a.created.as_millisecond() as f64 / 1000.0,
        "CreatedFrom": inst.region,
    });
    if let (Value::Object(map), Some(d)) = (&mut v, &a.description) {
        map.insert("Description".to_owned(), json!(d));
    }
    v
}

/// `ENABLED` / `DISABLED` as a flag; another value is a `ValidationException`.
fn status(wire: Option<&str>) -> Result<Option<bool>, ApiError> {
    match wire {
        None => Ok(None),
        Some("ENABLED") => Ok(Some(true)),
        Some("DISABLED") => Ok(Some(false)),
        Some(other) => Err(ApiError::validation(format!(
            "`{other}` is not an application status: use ENABLED or DISABLED"
        ))),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(
    dead_code,
    reason = "portal options and the client token are accepted and not modelled"
)]
struct CreateInput {
    instance_arn: String,
    application_provider_arn: String,
    name: String,
    description: Option<String>,
    portal_options: Option<Value>,
    tags: Option<Vec<crate::org_tags::Tag>>,
    status: Option<String>,
    client_token: Option<String>,
}

/// `CreateApplication` → `create-application` in the caller's instance.
pub fn create_application(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: CreateInput = input(body)?;
    let enabled = status(req.status.as_deref())?;
    let tags = crate::sso_tags::checked(req.tags)?;
    let mut unresolved = Unresolved::default();
    let estate = tx.estate();
    let found = owned_instance(ctx, estate, &req.instance_arn)
        .map(|i| arn::identity_store(i.partition(), &i.account, &i.identity_store));
    let identity_store_arn = unresolved.or_written(found, String::new());
    let owner = ctx.caller(estate);
    let op = Op::CreateApplication(CreateApplication {
        instance: owner.clone(),
        name: req.name,
        provider: req.application_provider_arn,
        description: req.description,
        enabled,
    });
    unresolved.authorize_first(tx, &op)?;
    let Applied::ApplicationChanged {
        application_arn, ..
    } = tx.apply(&op)?
    else {
        return Err(unexpected(&op));
    };
    crate::sso_tags::tag_new(tx, &owner, &application_arn, tags)?;
    Ok(json!({
        "ApplicationArn": application_arn,
        "InstanceArn": req.instance_arn,
        "IdentityStoreArn": identity_store_arn,
    }))
}

/// The name of the customer managed application `application_arn` of the caller's instance,
/// for a write; whether it names one is kept in `unresolved`.
pub(crate) fn custom_name(
    ctx: &Ctx,
    tx: &Tx<'_>,
    application_arn: &str,
    unresolved: &mut Unresolved,
) -> String {
    let found = owned_application(ctx, tx.estate(), application_arn).and_then(|(app, _)| match app {
        App::Custom(a) => Ok(a.name.clone()),
        App::Kiro(_) => Err(ApiError::validation(
            "a Kiro profile's application is managed by AWS: delete or change the profile instead",
        )),
    });
    unresolved.or_written(found, application_arn.to_owned())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
#[allow(dead_code, reason = "portal options are accepted and not modelled")]
struct UpdateInput {
    application_arn: String,
    name: Option<String>,
    description: Option<String>,
    status: Option<String>,
    portal_options: Option<Value>,
}

/// `UpdateApplication` → `update-application`.
pub fn update_application(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: UpdateInput = input(body)?;
    let enabled = status(req.status.as_deref())?;
    let mut unresolved = Unresolved::default();
    let application = custom_name(ctx, tx, &req.application_arn, &mut unresolved);
    let op = Op::UpdateApplication(UpdateApplication {
        instance: ctx.caller(tx.estate()),
        application,
        name: req.name,
        description: req.description,
        enabled,
        ..UpdateApplication::default()
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    Ok(json!({}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct DeleteInput {
    application_arn: String,
}

/// `DeleteApplication` → `delete-application`, and its assignments with it.
pub fn delete_application(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: DeleteInput = input(body)?;
    let mut unresolved = Unresolved::default();
    let application = custom_name(ctx, tx, &req.application_arn, &mut unresolved);
    let op = Op::DeleteApplication(ApplicationRef {
        instance: ctx.caller(tx.estate()),
        application,
    });
    unresolved.authorize_first(tx, &op)?;
    tx.apply(&op)?;
    let assigned: Vec<Assignment> = tx
        .state()
        .assignments
        .iter()
        .filter(|a| a.application_arn == req.application_arn)
        .cloned()
        .collect();
    for a in &assigned {
        tx.unassign(a);
    }
    Ok(json!({}))
}

/// The application providers kiro-org knows: Kiro's (and Amazon Q Developer's), whose
/// applications the profiles are, and the two of customer managed applications. AWS lists
/// many more (each AWS managed application's), which no estate holds.
fn providers(partition: Partition) -> [(String, &'static str, &'static str); 3] {
    let [oauth, saml] = kiro_engine::ops::identity_center::custom_providers(partition);
    [
        (
            crate::sso_admin::kiro_provider(partition),
            "OAUTH",
            "Kiro and Amazon Q Developer",
        ),
        (oauth, "OAUTH", "Customer managed OAuth 2.0 application"),
        (saml, "SAML", "Customer managed SAML 2.0 application"),
    ]
}

fn provider_json((arn, protocol, name): (String, &str, &str)) -> Value {
    json!({
        "ApplicationProviderArn": arn,
        "FederationProtocol": protocol,
        "DisplayData": {"DisplayName": name},
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListProvidersInput {
    max_results: Option<i64>,
    next_token: Option<String>,
}

/// `ListApplicationProviders`.
pub fn list_application_providers(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ListProvidersInput = input(body)?;
    let p = page(ctx, SSO, &req.next_token, req.max_results)?;
    let providers = providers(state.estate().partition()).map(provider_json);
    let (items, next) = p.apply(ctx.operation, providers);
    Ok(with_token(json!({ "ApplicationProviders": items }), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ProviderInput {
    application_provider_arn: String,
}

/// `DescribeApplicationProvider`.
pub fn describe_application_provider(
    _: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ProviderInput = input(body)?;
    providers(state.estate().partition())
        .into_iter()
        .find(|(arn, _, _)| *arn == req.application_provider_arn)
        .map(provider_json)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "application provider `{}` does not exist",
                req.application_provider_arn
            ))
        })
}
