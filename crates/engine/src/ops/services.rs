//! Trusted access of AWS services to an organization, and their delegated administrators.

use kiro_estate::op::{Delegation, ServiceRef};
use kiro_estate::{Applied, DelegatedAdministrator, Estate, FeatureSet, TrustedService};

use super::{Ctx, Output, account, organization, organization_mut};
use crate::error::{OpError, conflict, constraint, invalid, not_found};

/// The service principals that can be given trusted access to an organization, from AWS's
/// list of "AWS services that you can use with AWS Organizations". A principal outside it is
/// refused as AWS refuses one it does not recognise.
pub const TRUSTED_SERVICES: &[&str] = &[
    "access-analyzer.amazonaws.com",
    "account.amazonaws.com",
    "auditmanager.amazonaws.com",
    "aws-artifact-account-sync.amazonaws.com",
    "backup.amazonaws.com",
    "member.org.stacksets.cloudformation.amazonaws.com",
    "cloudtrail.amazonaws.com",
    "compute-optimizer.amazonaws.com",
    "config.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "controltower.amazonaws.com",
    "cost-optimization-hub.bcm.amazonaws.com",
    "detective.amazonaws.com",
    "devops-guru.amazonaws.com",
    "ds.amazonaws.com",
    "fms.amazonaws.com",
    "guardduty.amazonaws.com",
    "malware-protection.guardduty.amazonaws.com",
    "health.amazonaws.com",
    "iam.amazonaws.com",
    "inspector2.amazonaws.com",
    "ipam.amazonaws.com",
    "license-manager.amazonaws.com",
    "license-manager.member-account.amazonaws.com",
    "license-management.marketplace.amazonaws.com",
    "macie.amazonaws.com",
    "mgn.amazonaws.com",
    "networkmanager.amazonaws.com",
    "ram.amazonaws.com",
    "reporting.trustedadvisor.amazonaws.com",
    "resource-explorer-2.amazonaws.com",
    "securityhub.amazonaws.com",
    "securitylake.amazonaws.com",
    "servicecatalog.amazonaws.com",
    "servicequotas.amazonaws.com",
    "ssm.amazonaws.com",
    "ssm-quicksetup.amazonaws.com",
    "sso.amazonaws.com",
    "storage-lens.s3.amazonaws.com",
    "tagpolicies.tag.amazonaws.com",
    "user-subscriptions.amazonaws.com",
    "wellarchitected.amazonaws.com",
];

fn known(principal: &str) -> Result<(), OpError> {
    if TRUSTED_SERVICES.contains(&principal) {
        Ok(())
    } else {
        // AWS's words: the operation names the principal.
        Err(invalid("You specified an unrecognized service principal."))
    }
}

/// `enable-service-access`: only with all features, as AWS requires.
pub fn enable_service_access(
    estate: &mut Estate,
    input: &ServiceRef,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    known(&input.service_principal)?;
    let org = organization(estate, &input.organization)?;
    if org.feature_set != FeatureSet::All {
        return Err(constraint(format!(
            "{} has consolidated billing only: enable all features first",
            org.id
        )));
    }
    let org = organization_mut(estate, &input.organization)?;
    // Enabling it again is no error in AWS, and keeps the first date.
    if !org
        .trusted_services
        .iter()
        .any(|s| s.service_principal == input.service_principal)
    {
        org.trusted_services.push(TrustedService {
            service_principal: input.service_principal.clone(),
            enabled: ctx.at,
        });
    }
    Ok(Applied::ServiceAccessChanged {
        service_principal: input.service_principal.clone(),
        enabled: true,
    })
}

/// `disable-service-access`: not while an account is its delegated administrator.
pub fn disable_service_access(
    estate: &mut Estate,
    input: &ServiceRef,
    _: &Ctx,
) -> Result<Output, OpError> {
    known(&input.service_principal)?;
    let org = organization(estate, &input.organization)?;
    if let Some(d) = org
        .delegated_administrators
        .iter()
        .find(|d| d.service_principal == input.service_principal)
    {
        return Err(constraint(format!(
            "account `{}` is the delegated administrator of `{}`; deregister it first",
            d.account, input.service_principal
        )));
    }
    let org = organization_mut(estate, &input.organization)?;
    org.trusted_services
        .retain(|s| s.service_principal != input.service_principal);
    Ok(Applied::ServiceAccessChanged {
        service_principal: input.service_principal.clone(),
        enabled: false,
    })
}

/// `register-delegated-administrator`: a member account (never the management account) of a
/// service that has trusted access, once per service.
pub fn register_delegated_administrator(
    estate: &mut Estate,
    input: &Delegation,
    ctx: &Ctx,
) -> Result<Output, OpError> {
    known(&input.service_principal)?;
    let org = organization(estate, &input.organization)?;
    let acct = account(estate, &input.account)?;
    if acct.organization.as_ref() != Some(&org.management) {
        return Err(not_found(format!(
            "account `{}` is not a member of {}",
            input.account, org.id
        )));
    }
    if input.account == org.management {
        return Err(constraint(
            "You cannot register master account/yourself as delegated administrator for your organization.",
        ));
    }
    if !org
        .trusted_services
        .iter()
        .any(|s| s.service_principal == input.service_principal)
    {
        return Err(constraint(format!(
            "`{}` has no trusted access to {}: enable it first",
            input.service_principal, org.id
        )));
    }
    if org
        .delegated_administrators
        .iter()
        .any(|d| d.account == input.account && d.service_principal == input.service_principal)
    {
        return Err(conflict(format!(
            "account `{}` is a delegated administrator of `{}` already",
            input.account, input.service_principal
        )));
    }
    let org = organization_mut(estate, &input.organization)?;
    org.delegated_administrators.push(DelegatedAdministrator {
        account: input.account.clone(),
        service_principal: input.service_principal.clone(),
        at: ctx.at,
    });
    Ok(Applied::DelegationChanged {
        account: input.account.clone(),
        service_principal: input.service_principal.clone(),
        registered: true,
    })
}

/// `deregister-delegated-administrator`: only a registered one.
pub fn deregister_delegated_administrator(
    estate: &mut Estate,
    input: &Delegation,
    _: &Ctx,
) -> Result<Output, OpError> {
    known(&input.service_principal)?;
    let org = organization_mut(estate, &input.organization)?;
    let before = org.delegated_administrators.len();
    org.delegated_administrators.retain(|d| {
        !(d.account == input.account && d.service_principal == input.service_principal)
    });
    if org.delegated_administrators.len() == before {
        return Err(not_found(format!(
            "account `{}` is not a delegated administrator of `{}`",
            input.account, input.service_principal
        )));
    }
    Ok(Applied::DelegationChanged {
        account: input.account.clone(),
        service_principal: input.service_principal.clone(),
        registered: false,
    })
}
