//! Joining and leaving an organization over Organizations' wire API: handshakes
//! (`InviteAccountToOrganization` → `send-invitation`, `AcceptHandshake`, `DeclineHandshake`
//! — which also answer an invitation to transfer billing (see [`crate::org_transfers`]) —
//! `CancelHandshake`, `EnableAllFeatures`, and their listings), `RemoveAccountFromOrganization`
//! → `remove-account`, `LeaveOrganization` → `leave-organization` (which SCPs may deny) and
//! `CloseAccount` → `close-account`.

use kiro_engine::op::{
    AccountRef, CancelHandshake, HandshakeRef, MemberRef, OrganizationRef, SendInvitation,
};
use kiro_engine::{Applied, ErrorKind, Op, OpError};
use kiro_estate::ids::arn;
use kiro_estate::{AccountId, Estate, Handshake, HandshakeAction, Organization};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Ctx;
use crate::dispatch::input;
use crate::error::{ApiError, unexpected};
use crate::organizations::{account_not_found, epoch, invalid, members};
use crate::pagination::{ORGANIZATIONS, page, with_token};
use crate::store::{State, Tx};

/// How long an invitation stays open in AWS: 15 days.
const INVITATION_DAYS: i64 = 15;

/// A `Handshake` of `org`.
fn handshake_json(estate: &Estate, org: &Organization, h: &Handshake) -> Value {
    let expires = h
        .requested
        .checked_add(jiff::SignedDuration::from_hours(24 * INVITATION_DAYS))
        .unwrap_or(h.requested);
    let mut resources = vec![
        json!({"Type": "ORGANIZATION", "Value": org.id}),
        json!({"Type": "ACCOUNT", "Value": h.account.as_str()}),
    ];
    if let Some(email) = estate
        .account(&org.management)
        .and_then(|a| a.email.as_ref())
    {
        resources.push(json!({"Type": "MASTER_EMAIL", "Value": email}));
    }
    if let Some(notes) = &h.notes {
        resources.push(json!({"Type": "NOTES", "Value": notes}));
    }
    if h.action == HandshakeAction::EnableAllFeatures {
        resources.push(json!({"Type": "ORGANIZATION_FEATURE_SET", "Value": "ALL"}));
    }
    if let Some(t) = org.transfers.iter().find(|t| t.handshake == h.id) {
        resources.push(json!({"Type": "RESPONSIBILITY_TRANSFER", "Value": t.id}));
        resources.push(json!({"Type": "TRANSFER_TYPE", "Value": "BILLING"}));
        resources.push(json!({"Type": "TRANSFER_START_TIMESTAMP", "Value": t.start.to_string()}));
    }
    json!({
        "Id": h.id,
        "Arn": arn::handshake(
            estate.partition(),
            &org.management,
            &org.id,
            h.action.aws_name(),
            &h.id,
        ),
        "Parties": [
            {"Id": org.id, "Type": "ORGANIZATION"},
            {"Id": h.account.as_str(), "Type": "ACCOUNT"},
        ],
        "State": h.state.aws_name(),
        "RequestedTimestamp": epoch(h.requested),
        "ExpirationTimestamp": epoch(expires),
        "Action": h.action.aws_name(),
        "Resources": resources,
    })
}

/// The handshake `id` and its organization, when `caller` may see it: as the organization's
/// management account or as the account it asks.
fn visible<'e>(
    estate: &'e Estate,
    caller: &AccountId,
    id: &str,
) -> Option<(&'e Organization, &'e Handshake)> {
    estate.organizations.iter().find_map(|o| {
        o.handshakes
            .iter()
            .find(|h| h.id == id && (&o.management == caller || &h.account == caller))
            .map(|h| (o, h))
    })
}

fn handshake_not_found(id: &str) -> ApiError {
    ApiError::bad_request(
        "HandshakeNotFoundException",
        format!("We can't find a handshake with the HandshakeId that you specified: `{id}`"),
    )
}

/// The engine's refusal of a handshake step under Organizations' names.
fn refused(e: OpError, id: &str) -> ApiError {
    match e.kind {
        ErrorKind::ResourceNotFound => handshake_not_found(id),
        ErrorKind::Validation => {
            ApiError::bad_request("InvalidHandshakeTransitionException", e.message)
        }
        ErrorKind::ConstraintViolation | ErrorKind::Conflict => {
            ApiError::bad_request("HandshakeConstraintViolationException", e.message)
        }
        _ => ApiError::from(e),
    }
}

/// The reply of a handshake step: the handshake `applied` names, as it is now.
pub(crate) fn reply(ctx: &Ctx, tx: &Tx<'_>, applied: &Applied, op: &Op) -> Result<Value, ApiError> {
    let Applied::Handshake { handshake, .. } = applied else {
        return Err(unexpected(op));
    };
    let estate = tx.estate();
    let (org, h) = visible(estate, &ctx.caller(estate), handshake).ok_or_else(|| unexpected(op))?;
    Ok(json!({ "Handshake": handshake_json(estate, org, h) }))
}

/// The party a handshake asks, as a request names it.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub(crate) struct HandshakeParty {
    id: String,
    #[serde(rename = "Type")]
    kind: String,
}

impl HandshakeParty {
    /// The account an invitation asks: by id, or by the e-mail of its root user (`unknown`
    /// is the error when no account has that e-mail).
    pub(crate) fn account(
        self,
        estate: &Estate,
        unknown: impl FnOnce(&str) -> ApiError,
    ) -> Result<AccountId, ApiError> {
        match self.kind.as_str() {
            "ACCOUNT" => Ok(AccountId::new(self.id)),
            "EMAIL" => kiro_estate::email::account_with(estate, &self.id, None)
                .map(|a| a.id.clone())
                .ok_or_else(|| unknown(&self.id)),
            other => Err(invalid(format!(
                "`{other}` is not a party type to invite: use ACCOUNT or EMAIL"
            ))),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct InviteInput {
    target: HandshakeParty,
    notes: Option<String>,
    tags: Option<Vec<crate::org_tags::Tag>>,
}

/// `InviteAccountToOrganization` → `send-invitation`: the target is an account id or the
/// e-mail of an account's root user.
pub fn invite_account_to_organization(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: InviteInput = input(body)?;
    let estate = tx.estate();
    let org = ctx.managed(estate)?;
    let account = req.target.account(estate, |email| {
        ApiError::bad_request(
            "AccountNotFoundException",
            format!("no account has the root e-mail `{email}`"),
        )
    })?;
    if req.tags.is_some_and(|t| !t.is_empty()) {
        return Err(invalid(
            "tags of an invitation are given to the account when it joins; tag the account once it has joined",
        ));
    }
    let op = Op::SendInvitation(SendInvitation {
        organization: org.management.clone(),
        account: account.clone(),
        notes: req.notes,
    });
    let not_found = account_not_found(org, account.as_str());
    let applied = tx.apply(&op).map_err(|e| match e.kind {
        ErrorKind::ResourceNotFound => not_found,
        ErrorKind::Validation => invalid(e.message),
        _ => refused(e, ""),
    })?;
    reply(ctx, tx, &applied, &op)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct HandshakeIdInput {
    handshake_id: String,
}

/// `AcceptHandshake` / `DeclineHandshake` (as `op` builds it) by the account asked.
fn answer(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
    op: fn(HandshakeRef) -> Op,
) -> Result<Value, ApiError> {
    let req: HandshakeIdInput = input(body)?;
    let caller = ctx.caller(tx.estate());
    let op = op(HandshakeRef {
        account: caller,
        handshake: req.handshake_id.clone(),
    });
    let applied = tx.apply(&op).map_err(|e| refused(e, &req.handshake_id))?;
    reply(ctx, tx, &applied, &op)
}

/// `AcceptHandshake` → `accept-handshake`.
pub fn accept_handshake(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    answer(ctx, tx, body, Op::AcceptHandshake)
}

/// `DeclineHandshake` → `decline-handshake`.
pub fn decline_handshake(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    answer(ctx, tx, body, Op::DeclineHandshake)
}

/// `CancelHandshake` → `cancel-handshake`, by the organization's management account.
pub fn cancel_handshake(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: HandshakeIdInput = input(body)?;
    let management = ctx.managed(tx.estate())?.management.clone();
    let op = Op::CancelHandshake(CancelHandshake {
        organization: management,
        handshake: req.handshake_id.clone(),
    });
    let applied = tx.apply(&op).map_err(|e| refused(e, &req.handshake_id))?;
    reply(ctx, tx, &applied, &op)
}

/// `EnableAllFeatures` → `enable-all-features`.
pub fn enable_all_features(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let _: serde_json::Map<String, Value> = input(body)?;
    let management = ctx.managed(tx.estate())?.management.clone();
    let op = Op::EnableAllFeatures(OrganizationRef {
        organization: management,
    });
    let applied = tx.apply(&op).map_err(|e| refused(e, ""))?;
    reply(ctx, tx, &applied, &op)
}

/// `DescribeHandshake`: one the caller sent or was sent.
pub fn describe_handshake(ctx: &Ctx, state: &State, body: Value) -> Result<Value, ApiError> {
    let req: HandshakeIdInput = input(body)?;
    let estate = state.estate();
    let (org, h) = visible(estate, &ctx.caller(estate), &req.handshake_id)
        .ok_or_else(|| handshake_not_found(&req.handshake_id))?;
    Ok(json!({ "Handshake": handshake_json(estate, org, h) }))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct HandshakeFilter {
    action_type: Option<String>,
    parent_handshake_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct HandshakesInput {
    filter: Option<HandshakeFilter>,
    next_token: Option<String>,
    max_results: Option<i64>,
}

/// A page of `handshakes` (with their organizations) that pass the request's filter; no
/// handshake here has a parent, so a `ParentHandshakeId` filter matches none.
fn handshakes_page<'e>(
    ctx: &Ctx,
    estate: &'e Estate,
    req: &HandshakesInput,
    handshakes: impl Iterator<Item = (&'e Organization, &'e Handshake)>,
) -> Result<Value, ApiError> {
    let filter = req.filter.as_ref();
    let action = filter.and_then(|f| f.action_type.as_deref());
    let parented = filter.is_some_and(|f| f.parent_handshake_id.is_some());
    let p = page(ctx, ORGANIZATIONS, &req.next_token, req.max_results)?;
    let items = handshakes
        .filter(|(_, h)| !parented && action.is_none_or(|a| a == h.action.aws_name()))
        .map(|(o, h)| handshake_json(estate, o, h));
    let (items, next) = p.apply(ctx.operation, items);
    Ok(with_token(json!({ "Handshakes": items }), next))
}

/// `ListHandshakesForOrganization`: every handshake the organization sent.
pub fn list_handshakes_for_organization(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: HandshakesInput = input(body)?;
    let estate = state.estate();
    let org = ctx.managed(estate)?;
    handshakes_page(ctx, estate, &req, org.handshakes.iter().map(|h| (org, h)))
}

/// `ListHandshakesForAccount`: every handshake sent to the caller; any account may ask.
pub fn list_handshakes_for_account(
    ctx: &Ctx,
    state: &State,
    body: Value,
) -> Result<Value, ApiError> {
    let req: HandshakesInput = input(body)?;
    let estate = state.estate();
    let caller = ctx.caller(estate);
    let sent = estate.organizations.iter().flat_map(|o| {
        o.handshakes
            .iter()
            .filter(|h| h.account == caller)
            .map(move |h| (o, h))
    });
    handshakes_page(ctx, estate, &req, sent.collect::<Vec<_>>().into_iter())
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct AccountIdInput {
    account_id: String,
}

/// The engine's refusal to let `account` go or close, under Organizations' names.
fn refused_member(e: OpError, org: &Organization, account: &str, closing: bool) -> ApiError {
    match e.kind {
        ErrorKind::ResourceNotFound => account_not_found(org, account),
        ErrorKind::ConstraintViolation if account == org.management.as_str() && !closing => {
            ApiError::bad_request(
                "MasterCannotLeaveOrganizationException",
                "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.",
            )
        }
        ErrorKind::ConstraintViolation if closing && !account.is_empty() => {
            ApiError::bad_request("AccountAlreadyClosedException", e.message)
        }
        _ => ApiError::bad_request(
            if e.kind == ErrorKind::ConstraintViolation {
                "ConstraintViolationException"
            } else {
                e.name()
            },
            e.message,
        ),
    }
}

/// `RemoveAccountFromOrganization` → `remove-account`.
pub fn remove_account_from_organization(
    ctx: &Ctx,
    tx: &mut Tx<'_>,
    body: Value,
) -> Result<Value, ApiError> {
    let req: AccountIdInput = input(body)?;
    let org = ctx.managed(tx.estate())?;
    let op = Op::RemoveAccount(MemberRef {
        organization: org.management.clone(),
        account: AccountId::new(req.account_id.clone()),
    });
    let org = org.clone();
    tx.apply(&op)
        .map_err(|e| refused_member(e, &org, &req.account_id, false))?;
    Ok(json!({}))
}

/// `LeaveOrganization` → `leave-organization`, by the member account itself.
pub fn leave_organization(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let _: serde_json::Map<String, Value> = input(body)?;
    let org = ctx.organization(tx.estate())?.clone();
    let caller = ctx.caller(tx.estate());
    let op = Op::LeaveOrganization(AccountRef {
        account: caller.clone(),
    });
    tx.apply(&op)
        .map_err(|e| refused_member(e, &org, caller.as_str(), false))?;
    Ok(json!({}))
}

/// `CloseAccount` → `close-account`.
pub fn close_account(ctx: &Ctx, tx: &mut Tx<'_>, body: Value) -> Result<Value, ApiError> {
    let req: AccountIdInput = input(body)?;
    let estate = tx.estate();
    let org = ctx.managed(estate)?.clone();
    if !members(estate, &org).any(|a| a.id.as_str() == req.account_id) {
        return Err(account_not_found(&org, &req.account_id));
    }
    let op = Op::CloseAccount(MemberRef {
        organization: org.management.clone(),
        account: AccountId::new(req.account_id.clone()),
    });
    let closing_management = req.account_id == org.management.as_str();
    tx.apply(&op).map_err(|e| {
        if closing_management {
            ApiError::bad_request("ConstraintViolationException", e.message)
        } else {
            refused_member(e, &org, &req.account_id, true)
        }
    })?;
    Ok(json!({}))
}
