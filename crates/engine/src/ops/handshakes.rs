//! Handshakes: invitations to join an organization or to take over its billing (see
//! [`super::transfers`]), and the request to enable all features.

use kiro_estate::op::{CancelHandshake, HandshakeRef, OrganizationRef, SendInvitation};
use kiro_estate::{
    AccountId, Applied, Estate, FeatureSet, Handshake, HandshakeAction, HandshakeState,
    TransferStatus, ids,
};

use super::organizations::{admit, joinable};
use super::{Ctx, Output, organization, organization_mut};
use crate::error::{OpError, constraint, invalid, not_found};

/// `send-invitation`: an open handshake asking a standalone account to join, as AWS's
/// `InviteAccountToOrganization` sends it; the account joins when it accepts. A second open
/// invitation to the same account is refused, as AWS refuses a duplicate handshake.
pub fn send_invitation(
    estate: &mut Estate,
    input: &SendInvitation,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    joinable(estate, &input.organization, &input.account)?;
    let org = organization(estate, &input.organization)?;
    if org.handshakes.iter().any(|h| {
        h.account == input.account
            && h.action == HandshakeAction::Invite
            && h.state == HandshakeState::Open
    }) {
        return Err(constraint(format!(
            "account `{}` has an open invitation already",
            input.account
        )));
    }
    let id = ids::handshake_id(&org.management, org.handshakes.len());
    let org = organization_mut(estate, &input.organization)?;
    org.handshakes.push(Handshake {
        id: id.clone(),
        account: input.account.clone(),
        action: HandshakeAction::Invite,
        state: HandshakeState::Open,
        requested: ctx.at,
        notes: input.notes.clone(),
    });
    Ok(handshake_applied(id, &input.account, HandshakeState::Open))
}

fn handshake_applied(handshake: String, account: &AccountId, state: HandshakeState) -> Output {
    Applied::Handshake {
        handshake,
        account: account.clone(),
        state: state.aws_name(),
    }
}

/// The organization (by management account) and index of handshake `id`.
fn find(estate: &Estate, id: &str) -> Result<(AccountId, usize), OpError> {
    estate
        .organizations
        .iter()
        .find_map(|o| {
            o.handshakes
                .iter()
                .position(|h| h.id == id)
                .map(|i| (o.management.clone(), i))
        })
        .ok_or_else(|| not_found(format!("handshake `{id}` does not exist")))
}

/// The open handshake `id` that asks `account`; the organization and its index.
fn open_for(estate: &Estate, id: &str, account: &AccountId) -> Result<(AccountId, usize), OpError> {
    let (management, i) = find(estate, id)?;
    let h = &organization(estate, &management)?.handshakes[i];
    if &h.account != account {
        return Err(not_found(format!(
            "handshake `{id}` does not ask account `{account}`"
        )));
    }
    open(h)?;
    Ok((management, i))
}

fn open(h: &Handshake) -> Result<(), OpError> {
    if h.state == HandshakeState::Open {
        Ok(())
    } else {
        Err(invalid(format!(
            "handshake `{}` is {} already",
            h.id,
            h.state.aws_name()
        )))
    }
}

fn set_state(
    estate: &mut Estate,
    management: &AccountId,
    i: usize,
    state: HandshakeState,
) -> Result<Output, OpError> {
    let org = organization_mut(estate, management)?;
    let h = &mut org.handshakes[i];
    h.state = state;
    let applied = handshake_applied(h.id.clone(), &h.account, state);
    if h.action == HandshakeAction::TransferResponsibility {
        // The transfer the handshake asks for follows its answer.
        if let Some(t) = org.transfers.iter_mut().find(|t| t.handshake == h.id) {
            t.status = TransferStatus::answered(state);
        }
    }
    Ok(applied)
}

/// `accept-handshake`: the account asked accepts; an invitation makes it a member under the
/// root, with every rule of joining checked then (see `invite-account`); a transfer comes into
/// force unless its organization transfers its billing elsewhere already.
pub fn accept_handshake(
    estate: &mut Estate,
    input: &HandshakeRef,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let (management, i) = open_for(estate, &input.handshake, &input.account)?;
    match organization(estate, &management)?.handshakes[i].action {
        HandshakeAction::Invite => admit(estate, &management, &input.account, "root", ctx)?,
        HandshakeAction::TransferResponsibility => {
            super::transfers::in_force_elsewhere(estate, &input.account, Some(&input.handshake))?;
        }
        HandshakeAction::EnableAllFeatures => {}
    }
    set_state(estate, &management, i, HandshakeState::Accepted)
}

/// `decline-handshake`: the account asked declines; nothing else changes.
pub fn decline_handshake(
    estate: &mut Estate,
    input: &HandshakeRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    let (management, i) = open_for(estate, &input.handshake, &input.account)?;
    set_state(estate, &management, i, HandshakeState::Declined)
}

/// `cancel-handshake`: the organization withdraws one of its open handshakes.
pub fn cancel_handshake(
    estate: &mut Estate,
    input: &CancelHandshake,
    _: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    let i = org
        .handshakes
        .iter()
        .position(|h| h.id == input.handshake)
        .ok_or_else(|| not_found(format!("handshake `{}` does not exist", input.handshake)))?;
    open(&org.handshakes[i])?;
    set_state(estate, &input.organization, i, HandshakeState::Canceled)
}

/// `enable-all-features`: a consolidated-billing organization gets all features. AWS asks
/// every invited member to agree first; an estate models no member's answer, so the request is
/// recorded as a handshake with the management account, accepted at once.
pub fn enable_all_features(
    estate: &mut Estate,
    input: &OrganizationRef,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let org = organization(estate, &input.organization)?;
    if org.feature_set == FeatureSet::All {
        return Err(constraint(format!(
            "{} has all features enabled already",
            org.id
        )));
    }
    let id = ids::handshake_id(&org.management, org.handshakes.len());
    let org = organization_mut(estate, &input.organization)?;
    org.feature_set = FeatureSet::All;
    org.handshakes.push(Handshake {
        id: id.clone(),
        account: input.organization.clone(),
        action: HandshakeAction::EnableAllFeatures,
        state: HandshakeState::Accepted,
        requested: ctx.at,
        notes: None,
    });
    Ok(handshake_applied(
        id,
        &input.organization,
        HandshakeState::Accepted,
    ))
}
