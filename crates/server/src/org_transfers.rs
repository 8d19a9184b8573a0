//! Organizations' operations for GovCloud accounts and responsibility transfers.
//!
//! `CreateGovCloudAccount` → `create-gov-cloud-account`, which the engine refuses as AWS
//! refuses a management account without a GovCloud pairing.
//! `InviteOrganizationToTransferResponsibility` → `invite-transfer` (answered with
//! `AcceptHandshake`, `DeclineHandshake` and `CancelHandshake`),
//! `UpdateResponsibilityTransfer` → `rename-transfer` and `TerminateResponsibilityTransfer` →
//! `terminate-transfer`; the listings and `DescribeResponsibilityTransfer` show each transfer
//! as the calling management account sees it: inbound when it manages the billing, outbound
//! when its own organization's is transferred.

use kiro_engine::op::{CreateGovCloudAccount, InviteTransfer, RenameTransfer, TerminateTransfer};
use kiro_engine::{ErrorKind, Op, OpError};
use kiro_estate::ids::arn;
use kiro_estate::{AccountId, Estate, Organization, Transfer};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::org_membership::HandshakeParty;
use crate::organizations::{epoch, instant, invalid};
use crate::pagination::{ORGANIZATIONS, page, with_token};
use crate::store::{State, Tx};

/// The only type of responsibility AWS transfers.
const BILLING: &str = "BILLING";

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct GovCloudInput {
    email: String,
    account_name: String,
}

/// `CreateGovCloudAccount` → `create-gov-cloud-account`, for the management account only.
pub fn create_gov_cloud_account(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: GovCloudInput = input(body)?;
    let op = Op::CreateGovCloudAccount(CreateGovCloudAccount {
        organization: ctx.managed(tx.estate())?.management.clone(),
        name: req.account_name,
        email: req.email,
    });
    tx.apply(&op).map_err(|e| match e.kind {
        ErrorKind::ConstraintViolation => {
            ApiError::bad_request("ConstraintViolationException", e.message)
        }
        _ => ApiError::from(e),
    })?;
    Err(unexpected(&op))
}

/// `type` must be `BILLING`.
fn transfer_type(given: &str) -> Result<(), ApiError> {
    if given == BILLING {
        Ok(())
    } else {
        Err(invalid(format!(
            "`{given}` is not a responsibility transfer type: use BILLING"
        )))
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::bad_request(
        "ResponsibilityTransferNotFoundException",
        format!("We can't find a transfer that you specified: `{id}`."),
    )
}

/// The engine's refusal of a transfer step under Organizations' names.
fn refused(e: OpError, id: &str) -> ApiError {
    match e.kind {
        ErrorKind::ResourceNotFound => not_found(id),
        ErrorKind::Conflict => {
            ApiError::bad_request("ResponsibilityTransferAlreadyInStatusException", e.message)
        }
        ErrorKind::Validation => ApiError::bad_request(
            "InvalidResponsibilityTransferTransitionException",
            e.message,
        ),
        _ => ApiError::from(e),
    }
}

/// A management account taking part in a transfer, as AWS's `TransferParticipant`.
fn participant(estate: &Estate, management: &AccountId) -> Value {
    let mut p = Map::new();
    p.insert("ManagementAccountId".into(), json!(management.as_str()));
    if let Some(email) = estate.account(management).and_then(|a| a.email.as_ref()) {
        p.insert("ManagementAccountEmail".into(), json!(email));
    }
    Value::Object(p)
}

/// Transfer `t` of `holder` (the organization whose management account manages it), as the
/// management account `viewer` sees it.
fn transfer_json(
    estate: &Estate,
    holder: &Organization,
    t: &Transfer,
    viewer: &AccountId,
) -> Value {
    let (direction, org_id) = if viewer == &holder.management {
        ("inbound", holder.id.as_str())
    } else {
        let source = estate.organizations.get(&t.source);
        ("outbound", source.map_or("", |o| o.id.as_str()))
    };
    let mut out = Map::new();
    out.insert(
        "Arn".into(),
        json!(arn::transfer(
            estate.partition(),
            viewer,
            org_id,
            direction,
            &t.id
        )),
    );
    out.insert("Name".into(), json!(t.name));
    out.insert("Id".into(), json!(t.id));
    out.insert("Type".into(), json!(BILLING));
    out.insert("Status".into(), json!(t.status.aws_name()));
    out.insert("Source".into(), participant(estate, &t.source));
    out.insert("Target".into(), participant(estate, &holder.management));
    out.insert("StartTimestamp".into(), epoch(t.start));
    if let Some(end) = t.end {
        out.insert("EndTimestamp".into(), epoch(end));
    }
    if t.status == kiro_estate::TransferStatus::Requested {
        out.insert("ActiveHandshakeId".into(), json!(t.handshake));
    }
    Value::Object(out)
}

/// Every transfer `viewer` takes part in: those it manages (`inbound`) or those of its own
/// organization (`outbound`), in the order they were invited.
fn transfers_of<'e>(
    estate: &'e Estate,
    viewer: &'e AccountId,
    inbound: bool,
) -> impl Iterator<Item = (&'e Organization, &'e Transfer)> {
    estate.organizations.iter().flat_map(move |o| {
        o.transfers
            .iter()
            .filter(move |t| {
                if inbound {
                    &o.management == viewer
                } else {
                    &t.source == viewer
                }
            })
            .map(move |t| (o, t))
    })
}

/// The transfer `id` with its holder, when `viewer` takes part in it.
fn visible<'e>(
    estate: &'e Estate,
    viewer: &AccountId,
    id: &str,
) -> Option<(&'e Organization, &'e Transfer)> {
    let (o, i) = estate.transfer(viewer, id)?;
    Some((o, o.transfers.get(i)?))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct InviteInput {
    r#type: String,
    target: HandshakeParty,
    notes: Option<String>,
    start_timestamp: f64,
    source_name: String,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// `InviteOrganizationToTransferResponsibility` → `invite-transfer`, by a management account:
/// the target is another organization's management account, by id or root e-mail.
pub fn invite_organization_to_transfer_responsibility(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: InviteInput = input(body)?;
    transfer_type(&req.r#type)?;
    let estate = tx.estate();
    let org = ctx.managed(estate)?;
    let account = req.target.account(estate, |email| {
        ApiError::bad_request(
            "HandshakeConstraintViolationException",
            format!("no management account has the root e-mail `{email}`"),
        )
    })?;
    if req.tags.is_some_and(|t| !t.is_empty()) {
        return Err(invalid(
            "kiro-org keeps no tags on a responsibility transfer: invite without `Tags`",
        ));
    }
    let start = instant(req.start_timestamp, "StartTimestamp")?;
    let op = Op::InviteTransfer(InviteTransfer {
        organization: org.management.clone(),
        account,
        name: req.source_name,
        start,
        notes: req.notes,
    });
    let applied = tx.apply(&op).map_err(|e| match e.kind {
        ErrorKind::Validation => invalid(e.message),
        ErrorKind::Conflict => ApiError::bad_request("DuplicateHandshakeException", e.message),
        ErrorKind::ConstraintViolation => {
            ApiError::bad_request("HandshakeConstraintViolationException", e.message)
        }
        _ => ApiError::from(e),
    })?;
    crate::org_membership::reply(ctx, tx, &applied, &op)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct ListInput {
    r#type: String,
    id: Option<String>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// `ListInboundResponsibilityTransfers` (those the caller manages, or the one `Id` names) and
/// `ListOutboundResponsibilityTransfers` (those of the caller's organization), for a
/// management account.
pub fn list_responsibility_transfers(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: ListInput = input(body)?;
    let estate = state.estate();
    let viewer = ctx.managed(estate)?.management.clone();
    transfer_type(&req.r#type)?;
    let inbound = ctx.operation == "ListInboundResponsibilityTransfers";
    let listed: Vec<_> = transfers_of(estate, &viewer, inbound)
        .filter(|(_, t)| req.id.as_ref().is_none_or(|id| &t.id == id))
        .collect();
    if let Some(id) = &req.id
        && listed.is_empty()
    {
        return Err(not_found(id));
    }
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let items = listed
        .into_iter()
        .map(|(o, t)| transfer_json(estate, o, t, &viewer));
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(json!({"ResponsibilityTransfers": items}), next))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct IdInput {
    id: String,
}

/// `DescribeResponsibilityTransfer`: one the calling management account takes part in.
pub fn describe_responsibility_transfer(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: IdInput = input(body)?;
    let estate = state.estate();
    let viewer = ctx.managed(estate)?.management.clone();
    let (o, t) = visible(estate, &viewer, &req.id).ok_or_else(|| not_found(&req.id))?;
    Ok(json!({"ResponsibilityTransfer": transfer_json(estate, o, t, &viewer)}))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct UpdateInput {
    id: String,
    name: String,
}

/// The reply of a transfer step: the transfer, as the caller sees it now.
fn transfer_reply(tx: &Tx<'_>, viewer: &AccountId, id: &str, op: &Op) -> Result<Value, ApiError> {
    let estate = tx.estate();
    let (o, t) = visible(estate, viewer, id).ok_or_else(|| unexpected(op))?;
    Ok(json!({"ResponsibilityTransfer": transfer_json(estate, o, t, viewer)}))
}

/// `UpdateResponsibilityTransfer` → `rename-transfer`, by either management account.
pub fn update_responsibility_transfer(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: UpdateInput = input(body)?;
    let viewer = ctx.managed(tx.estate())?.management.clone();
    let op = Op::RenameTransfer(RenameTransfer {
        account: viewer.clone(),
        transfer: req.id.clone(),
        name: req.name,
    });
    tx.apply(&op).map_err(|e| match e.kind {
        ErrorKind::Validation => invalid(e.message),
        _ => refused(e, &req.id),
    })?;
    transfer_reply(tx, &viewer, &req.id, &op)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct TerminateInput {
    id: String,
    end_timestamp: Option<f64>,
}

/// `TerminateResponsibilityTransfer` → `terminate-transfer`, by either management account.
pub fn terminate_responsibility_transfer(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: TerminateInput = input(body)?;
    let viewer = ctx.managed(tx.estate())?.management.clone();
    let end = req
        .end_timestamp
        .map(|s| instant(s, "EndTimestamp"))
        .transpose()?;
    let op = Op::TerminateTransfer(TerminateTransfer {
        account: viewer.clone(),
        transfer: req.id.clone(),
        end,
    });
    tx.apply(&op).map_err(|e| refused(e, &req.id))?;
    transfer_reply(tx, &viewer, &req.id, &op)
}
