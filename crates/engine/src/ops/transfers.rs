//! Responsibility transfers (AWS's billing transfer): one organization's management account
//! manages the billing of another organization, whose management account accepted its
//! invitation.
//!
//! The invitation is a handshake (`TRANSFER_RESPONSIBILITY`) with the other management account;
//! answering it (see [`super::handshakes`]) accepts, declines or cancels the transfer. An
//! accepted transfer stays in force until either side terminates it.
//!
//! Where AWS's documentation is silent, kiro-org chooses: the invited account must be the
//! management account of another organization of the estate, an organization transfers its
//! billing to one organization at a time, and any start time is accepted. The bill is not
//! moved: `cost` still rolls each organization's charges up to its own management account.

use kiro_estate::op::{InviteTransfer, RenameTransfer, TerminateTransfer};
use kiro_estate::{
    AccountId, Applied, Estate, Handshake, HandshakeAction, HandshakeState, Transfer,
    TransferStatus, ids,
};

use super::{Ctx, Output, organization, organization_mut};
use crate::error::{OpError, conflict, constraint, invalid, not_found};

/// The longest transfer name AWS takes.
const MAX_NAME: usize = 128;
/// The longest invitation notes AWS take.
const MAX_NOTES: usize = 1024;

/// A transfer name as AWS's `ResponsibilityTransferName` allows it: 1 to 128 printable ASCII
/// characters.
fn check_name(name: &str) -> Result<(), OpError> {
    if name.is_empty() || name.len() > MAX_NAME || !name.bytes().all(|b| (b' '..=b'~').contains(&b))
    {
        return Err(invalid(format!(
            "transfer name `{name}` must be 1 to {MAX_NAME} printable ASCII characters"
        )));
    }
    Ok(())
}

/// `invite-transfer`: an open `TRANSFER_RESPONSIBILITY` handshake with the management account
/// of another organization, and the transfer it asks for (`REQUESTED`).
pub fn invite_transfer(
    estate: &mut Estate,
    input: &InviteTransfer,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    check_name(&input.name)?;
    if input.notes.as_ref().is_some_and(|n| n.len() > MAX_NOTES) {
        return Err(invalid(format!(
            "the notes of an invitation hold at most {MAX_NOTES} characters"
        )));
    }
    let org = organization(estate, &input.organization)?;
    if input.account == input.organization {
        return Err(constraint(
            "a management account cannot transfer responsibility to itself",
        ));
    }
    if estate.organizations.get(&input.account).is_none() {
        return Err(constraint(format!(
            "account `{}` is not the management account of an organization: only a management account can transfer its organization's billing",
            input.account
        )));
    }
    if org.handshakes.iter().any(|h| {
        h.account == input.account
            && h.action == HandshakeAction::TransferResponsibility
            && h.state == HandshakeState::Open
    }) {
        return Err(conflict(format!(
            "account `{}` has an open invitation to transfer responsibility already",
            input.account
        )));
    }
    in_force_elsewhere(estate, &input.account, None)?;
    let handshake = ids::handshake_id(&org.management, org.handshakes.len());
    let id = ids::transfer_id(&org.management, org.transfers.len());
    let org = organization_mut(estate, &input.organization)?;
    org.handshakes.push(Handshake {
        id: handshake.clone(),
        account: input.account.clone(),
        action: HandshakeAction::TransferResponsibility,
        state: HandshakeState::Open,
        requested: ctx.at,
        notes: input.notes.clone(),
    });
    org.transfers.push(Transfer {
        id,
        name: input.name.clone(),
        source: input.account.clone(),
        start: input.start,
        end: None,
        status: TransferStatus::Requested,
        handshake: handshake.clone(),
    });
    Ok(Applied::Handshake {
        handshake,
        account: input.account.clone(),
        state: HandshakeState::Open.aws_name(),
    })
}

/// Refuses a second transfer in force for the organization of `source` (other than the one
/// its handshake `except` asks for).
pub(crate) fn in_force_elsewhere(
    estate: &Estate,
    source: &AccountId,
    except: Option<&str>,
) -> Result<(), OpError> {
    match estate.transfer_in_force(source, except) {
        Some((o, t)) => Err(constraint(format!(
            "the organization of `{source}` transfers its billing to `{}` already ({}); terminate that transfer first",
            o.management, t.id
        ))),
        None => Ok(()),
    }
}

/// The organization holding transfer `id` (by its management account) and the transfer's
/// index, when `caller` is either side of it.
fn find(estate: &Estate, caller: &AccountId, id: &str) -> Result<(AccountId, usize), OpError> {
    estate
        .transfer(caller, id)
        .map(|(o, i)| (o.management.clone(), i))
        .ok_or_else(|| not_found(format!("responsibility transfer `{id}` does not exist")))
}

fn transfer_applied(t: &Transfer) -> Output {
    Applied::Transfer {
        transfer: t.id.clone(),
        status: t.status.aws_name(),
    }
}

/// `rename-transfer`: either side renames a transfer, whatever its status.
pub fn rename_transfer(
    estate: &mut Estate,
    input: &RenameTransfer,
    _: &Ctx,
) -> Result<Output, OpError> {
    check_name(&input.name)?;
    let (holder, i) = find(estate, &input.account, &input.transfer)?;
    let t = &mut organization_mut(estate, &holder)?.transfers[i];
    t.name.clone_from(&input.name);
    Ok(transfer_applied(t))
}

/// `terminate-transfer`: either side ends an accepted transfer (`WITHDRAWN`), at `end` or
/// now. One that never came into force cannot be terminated.
pub fn terminate_transfer(
    estate: &mut Estate,
    input: &TerminateTransfer,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    let (holder, i) = find(estate, &input.account, &input.transfer)?;
    let t = &organization(estate, &holder)?.transfers[i];
    match t.status {
        TransferStatus::Accepted => {}
        TransferStatus::Withdrawn => {
            return Err(conflict(format!(
                "responsibility transfer `{}` is WITHDRAWN already",
                t.id
            )));
        }
        other => {
            return Err(invalid(format!(
                "responsibility transfer `{}` is {}: only an accepted transfer can be terminated",
                t.id,
                other.aws_name()
            )));
        }
    }
    let t = &mut organization_mut(estate, &holder)?.transfers[i];
    t.status = TransferStatus::Withdrawn;
    t.end = Some(input.end.unwrap_or(ctx.at));
    Ok(transfer_applied(t))
}
