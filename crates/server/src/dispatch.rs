//! The dispatch table: every operation the server answers, keyed by its exact `X-Amz-Target`.

use serde_json::Value;

use crate::error::ApiError;
use crate::store::{State, Tx};
use crate::{
    Ctx, identity_memberships as idm, identity_store as ids, identity_updates as idu,
    org_effective as eff, org_membership as mem, org_resource_policy as rp, org_services as svc,
    org_tags as tags, org_transfers as rt, organizations as org, sso_access_control as abac,
    sso_account_assignments as aa, sso_admin as sso, sso_application_settings as appset,
    sso_applications as apps, sso_permission_sets as ps, sso_regions as regions,
    sso_tags as ssotags, sso_token_issuers as tti, subscriptions as sub,
};

/// A read: runs against the current state.
pub type ReadFn = fn(&Ctx, &State, Value) -> Result<Value, ApiError>;
/// A read that writes its answer's JSON itself (the large pages of a directory), with no JSON
/// tree built in between.
pub type ReadJsonFn = fn(&Ctx, &State, Value) -> Result<String, ApiError>;
/// A write: applies at most one engine operation and is answered once durable.
pub type WriteFn = fn(&Ctx, &mut Tx<'_>, Value) -> Result<Value, ApiError>;

/// How an operation runs.
#[derive(Clone, Copy)]
pub enum Handler {
    /// A read.
    Read(ReadFn),
    /// A read answered with the JSON text it wrote.
    ReadJson(ReadJsonFn),
    /// A write of at most one engine operation.
    Write(WriteFn),
}

/// What the table knows about a target besides its handler.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// The operation's name.
    pub operation: &'static str,
    /// The protocol's JSON minor version: 0 for AWS JSON 1.0, 1 for 1.1.
    pub json_minor: u8,
    /// The namespace the service writes before its errors' names (`com.amazon.kiro.controlplane#`
    /// for Kiro's own control plane), or nothing.
    pub error_namespace: &'static str,
}

use Handler::{Read, ReadJson, Write};

/// Every target, exactly as clients send it.
pub const TABLE: &[(&str, Handler)] = &[
    // Organizations (AWS JSON 1.1, signing name `organizations`).
    (
        "AWSOrganizationsV20161128.DescribeOrganization",
        Read(org::describe_organization),
    ),
    ("AWSOrganizationsV20161128.ListRoots", Read(org::list_roots)),
    (
        "AWSOrganizationsV20161128.ListAccounts",
        Read(org::list_accounts),
    ),
    (
        "AWSOrganizationsV20161128.DescribeAccount",
        Read(org::describe_account),
    ),
    (
        "AWSOrganizationsV20161128.ListOrganizationalUnitsForParent",
        Read(org::list_organizational_units_for_parent),
    ),
    (
        "AWSOrganizationsV20161128.ListAccountsForParent",
        Read(org::list_accounts_for_parent),
    ),
    (
        "AWSOrganizationsV20161128.ListChildren",
        Read(org::list_children),
    ),
    (
        "AWSOrganizationsV20161128.ListPolicies",
        Read(org::list_policies),
    ),
    (
        "AWSOrganizationsV20161128.DescribePolicy",
        Read(org::describe_policy),
    ),
    (
        "AWSOrganizationsV20161128.ListTargetsForPolicy",
        Read(org::list_targets_for_policy),
    ),
    (
        "AWSOrganizationsV20161128.ListPoliciesForTarget",
        Read(org::list_policies_for_target),
    ),
    (
        "AWSOrganizationsV20161128.DescribeCreateAccountStatus",
        Read(org::describe_create_account_status),
    ),
    (
        "AWSOrganizationsV20161128.DescribeOrganizationalUnit",
        Read(org::describe_organizational_unit),
    ),
    (
        "AWSOrganizationsV20161128.ListParents",
        Read(org::list_parents),
    ),
    (
        "AWSOrganizationsV20161128.ListCreateAccountStatus",
        Read(org::list_create_account_status),
    ),
    (
        "AWSOrganizationsV20161128.ListHandshakesForOrganization",
        Read(mem::list_handshakes_for_organization),
    ),
    (
        "AWSOrganizationsV20161128.ListHandshakesForAccount",
        Read(mem::list_handshakes_for_account),
    ),
    (
        "AWSOrganizationsV20161128.DescribeHandshake",
        Read(mem::describe_handshake),
    ),
    (
        "AWSOrganizationsV20161128.ListDelegatedAdministrators",
        Read(svc::list_delegated_administrators),
    ),
    (
        "AWSOrganizationsV20161128.ListDelegatedServicesForAccount",
        Read(svc::list_delegated_services_for_account),
    ),
    (
        "AWSOrganizationsV20161128.ListAWSServiceAccessForOrganization",
        Read(svc::list_aws_service_access_for_organization),
    ),
    (
        "AWSOrganizationsV20161128.CreateOrganization",
        Write(org::create_organization),
    ),
    (
        "AWSOrganizationsV20161128.MoveAccount",
        Write(org::move_account),
    ),
    (
        "AWSOrganizationsV20161128.EnablePolicyType",
        Write(org::enable_policy_type),
    ),
    (
        "AWSOrganizationsV20161128.DisablePolicyType",
        Write(org::disable_policy_type),
    ),
    (
        "AWSOrganizationsV20161128.DeleteOrganization",
        Write(org::delete_organization),
    ),
    (
        "AWSOrganizationsV20161128.UpdateOrganizationalUnit",
        Write(org::update_organizational_unit),
    ),
    (
        "AWSOrganizationsV20161128.DeleteOrganizationalUnit",
        Write(org::delete_organizational_unit),
    ),
    (
        "AWSOrganizationsV20161128.UpdatePolicy",
        Write(org::update_policy),
    ),
    (
        "AWSOrganizationsV20161128.DeletePolicy",
        Write(org::delete_policy),
    ),
    (
        "AWSOrganizationsV20161128.CreatePolicy",
        Write(org::create_policy),
    ),
    (
        "AWSOrganizationsV20161128.AttachPolicy",
        Write(org::attach_policy),
    ),
    (
        "AWSOrganizationsV20161128.DetachPolicy",
        Write(org::detach_policy),
    ),
    (
        "AWSOrganizationsV20161128.CreateAccount",
        Write(org::create_account),
    ),
    (
        "AWSOrganizationsV20161128.CreateOrganizationalUnit",
        Write(org::create_organizational_unit),
    ),
    (
        "AWSOrganizationsV20161128.TagResource",
        Write(tags::tag_resource),
    ),
    (
        "AWSOrganizationsV20161128.UntagResource",
        Write(tags::untag_resource),
    ),
    (
        "AWSOrganizationsV20161128.ListTagsForResource",
        Read(tags::list_tags_for_resource),
    ),
    (
        "AWSOrganizationsV20161128.InviteAccountToOrganization",
        Write(mem::invite_account_to_organization),
    ),
    (
        "AWSOrganizationsV20161128.AcceptHandshake",
        Write(mem::accept_handshake),
    ),
    (
        "AWSOrganizationsV20161128.DeclineHandshake",
        Write(mem::decline_handshake),
    ),
    (
        "AWSOrganizationsV20161128.CancelHandshake",
        Write(mem::cancel_handshake),
    ),
    (
        "AWSOrganizationsV20161128.EnableAllFeatures",
        Write(mem::enable_all_features),
    ),
    (
        "AWSOrganizationsV20161128.RemoveAccountFromOrganization",
        Write(mem::remove_account_from_organization),
    ),
    (
        "AWSOrganizationsV20161128.LeaveOrganization",
        Write(mem::leave_organization),
    ),
    (
        "AWSOrganizationsV20161128.CloseAccount",
        Write(mem::close_account),
    ),
    (
        "AWSOrganizationsV20161128.EnableAWSServiceAccess",
        Write(svc::change_service_access),
    ),
    (
        "AWSOrganizationsV20161128.DisableAWSServiceAccess",
        Write(svc::change_service_access),
    ),
    (
        "AWSOrganizationsV20161128.RegisterDelegatedAdministrator",
        Write(svc::change_delegation),
    ),
    (
        "AWSOrganizationsV20161128.DeregisterDelegatedAdministrator",
        Write(svc::change_delegation),
    ),
    (
        "AWSOrganizationsV20161128.PutResourcePolicy",
        Write(rp::put_resource_policy),
    ),
    (
        "AWSOrganizationsV20161128.DescribeResourcePolicy",
        Read(rp::describe_resource_policy),
    ),
    (
        "AWSOrganizationsV20161128.DeleteResourcePolicy",
        Write(rp::delete_resource_policy),
    ),
    (
        "AWSOrganizationsV20161128.DescribeEffectivePolicy",
        Read(eff::describe_effective_policy),
    ),
    (
        "AWSOrganizationsV20161128.ListAccountsWithInvalidEffectivePolicy",
        Read(eff::list_accounts_with_invalid_effective_policy),
    ),
    (
        "AWSOrganizationsV20161128.ListEffectivePolicyValidationErrors",
        Read(eff::list_effective_policy_validation_errors),
    ),
    (
        "AWSOrganizationsV20161128.CreateGovCloudAccount",
        Write(rt::create_gov_cloud_account),
    ),
    (
        "AWSOrganizationsV20161128.ListInboundResponsibilityTransfers",
        Read(rt::list_responsibility_transfers),
    ),
    (
        "AWSOrganizationsV20161128.ListOutboundResponsibilityTransfers",
        Read(rt::list_responsibility_transfers),
    ),
    (
        "AWSOrganizationsV20161128.DescribeResponsibilityTransfer",
        Read(rt::describe_responsibility_transfer),
    ),
    (
        "AWSOrganizationsV20161128.UpdateResponsibilityTransfer",
        Write(rt::update_responsibility_transfer),
    ),
    (
        "AWSOrganizationsV20161128.TerminateResponsibilityTransfer",
        Write(rt::terminate_responsibility_transfer),
    ),
    (
        "AWSOrganizationsV20161128.InviteOrganizationToTransferResponsibility",
        Write(rt::invite_organization_to_transfer_responsibility),
    ),
    // SSO Admin (AWS JSON 1.1, signing name `sso`).
    (
        "SWBExternalService.ListInstances",
        Read(sso::list_instances),
    ),
    (
        "SWBExternalService.DescribeInstance",
        Read(sso::describe_instance),
    ),
    (
        "SWBExternalService.CreateInstance",
        Write(sso::create_instance),
    ),
    (
        "SWBExternalService.UpdateInstance",
        Write(sso::update_instance),
    ),
    (
        "SWBExternalService.DeleteInstance",
        Write(sso::delete_instance),
    ),
    ("SWBExternalService.AddRegion", Write(regions::add_region)),
    (
        "SWBExternalService.RemoveRegion",
        Write(regions::remove_region),
    ),
    (
        "SWBExternalService.DescribeRegion",
        Read(regions::describe_region),
    ),
    (
        "SWBExternalService.ListRegions",
        Read(regions::list_regions),
    ),
    (
        "SWBExternalService.CreateInstanceAccessControlAttributeConfiguration",
        Write(abac::create),
    ),
    (
        "SWBExternalService.DescribeInstanceAccessControlAttributeConfiguration",
        Read(abac::describe),
    ),
    (
        "SWBExternalService.UpdateInstanceAccessControlAttributeConfiguration",
        Write(abac::update),
    ),
    (
        "SWBExternalService.DeleteInstanceAccessControlAttributeConfiguration",
        Write(abac::delete),
    ),
    (
        "SWBExternalService.CreateTrustedTokenIssuer",
        Write(tti::create_trusted_token_issuer),
    ),
    (
        "SWBExternalService.DescribeTrustedTokenIssuer",
        Read(tti::describe_trusted_token_issuer),
    ),
    (
        "SWBExternalService.UpdateTrustedTokenIssuer",
        Write(tti::update_trusted_token_issuer),
    ),
    (
        "SWBExternalService.DeleteTrustedTokenIssuer",
        Write(tti::delete_trusted_token_issuer),
    ),
    (
        "SWBExternalService.ListTrustedTokenIssuers",
        Read(tti::list_trusted_token_issuers),
    ),
    (
        "SWBExternalService.ListApplications",
        Read(sso::list_applications),
    ),
    (
        "SWBExternalService.DescribeApplication",
        Read(sso::describe_application),
    ),
    (
        "SWBExternalService.CreateApplication",
        Write(apps::create_application),
    ),
    (
        "SWBExternalService.ListApplicationProviders",
        Read(apps::list_application_providers),
    ),
    (
        "SWBExternalService.DescribeApplicationProvider",
        Read(apps::describe_application_provider),
    ),
    (
        "SWBExternalService.UpdateApplication",
        Write(apps::update_application),
    ),
    (
        "SWBExternalService.DeleteApplication",
        Write(apps::delete_application),
    ),
    (
        "SWBExternalService.ListApplicationAssignments",
        Read(sso::list_application_assignments),
    ),
    (
        "SWBExternalService.CreateApplicationAssignment",
        Write(sso::create_application_assignment),
    ),
    (
        "SWBExternalService.DeleteApplicationAssignment",
        Write(sso::delete_application_assignment),
    ),
    (
        "SWBExternalService.ListApplicationAssignmentsForPrincipal",
        Read(sso::list_application_assignments_for_principal),
    ),
    (
        "SWBExternalService.PutApplicationAccessScope",
        Write(appset::put_access_scope),
    ),
    (
        "SWBExternalService.GetApplicationAccessScope",
        Read(appset::get_access_scope),
    ),
    (
        "SWBExternalService.DeleteApplicationAccessScope",
        Write(appset::delete_access_scope),
    ),
    (
        "SWBExternalService.ListApplicationAccessScopes",
        Read(appset::list_access_scopes),
    ),
    (
        "SWBExternalService.PutApplicationAuthenticationMethod",
        Write(appset::put_authentication_method),
    ),
    (
        "SWBExternalService.GetApplicationAuthenticationMethod",
        Read(appset::get_authentication_method),
    ),
    (
        "SWBExternalService.DeleteApplicationAuthenticationMethod",
        Write(appset::delete_authentication_method),
    ),
    (
        "SWBExternalService.ListApplicationAuthenticationMethods",
        Read(appset::list_authentication_methods),
    ),
    (
        "SWBExternalService.PutApplicationGrant",
        Write(appset::put_grant),
    ),
    (
        "SWBExternalService.GetApplicationGrant",
        Read(appset::get_grant),
    ),
    (
        "SWBExternalService.DeleteApplicationGrant",
        Write(appset::delete_grant),
    ),
    (
        "SWBExternalService.ListApplicationGrants",
        Read(appset::list_grants),
    ),
    (
        "SWBExternalService.PutApplicationAssignmentConfiguration",
        Write(appset::put_assignment_configuration),
    ),
    (
        "SWBExternalService.GetApplicationAssignmentConfiguration",
        Read(appset::get_assignment_configuration),
    ),
    (
        "SWBExternalService.PutApplicationSessionConfiguration",
        Write(appset::put_session_configuration),
    ),
    (
        "SWBExternalService.GetApplicationSessionConfiguration",
        Read(appset::get_session_configuration),
    ),
    (
        "SWBExternalService.DescribeApplicationAssignment",
        Read(sso::describe_application_assignment),
    ),
    (
        "SWBExternalService.CreatePermissionSet",
        Write(ps::create_permission_set),
    ),
    (
        "SWBExternalService.DescribePermissionSet",
        Read(ps::describe_permission_set),
    ),
    (
        "SWBExternalService.UpdatePermissionSet",
        Write(ps::update_permission_set),
    ),
    (
        "SWBExternalService.DeletePermissionSet",
        Write(ps::delete_permission_set),
    ),
    (
        "SWBExternalService.ListPermissionSets",
        Read(ps::list_permission_sets),
    ),
    (
        "SWBExternalService.PutInlinePolicyToPermissionSet",
        Write(ps::put_inline_policy),
    ),
    (
        "SWBExternalService.GetInlinePolicyForPermissionSet",
        Read(ps::get_inline_policy),
    ),
    (
        "SWBExternalService.DeleteInlinePolicyFromPermissionSet",
        Write(ps::delete_inline_policy),
    ),
    (
        "SWBExternalService.AttachManagedPolicyToPermissionSet",
        Write(ps::attach_managed_policy),
    ),
    (
        "SWBExternalService.DetachManagedPolicyFromPermissionSet",
        Write(ps::detach_managed_policy),
    ),
    (
        "SWBExternalService.ListManagedPoliciesInPermissionSet",
        Read(ps::list_managed_policies),
    ),
    (
        "SWBExternalService.AttachCustomerManagedPolicyReferenceToPermissionSet",
        Write(ps::attach_customer_managed_policy),
    ),
    (
        "SWBExternalService.DetachCustomerManagedPolicyReferenceFromPermissionSet",
        Write(ps::detach_customer_managed_policy),
    ),
    (
        "SWBExternalService.ListCustomerManagedPolicyReferencesInPermissionSet",
        Read(ps::list_customer_managed_policies),
    ),
    (
        "SWBExternalService.PutPermissionsBoundaryToPermissionSet",
        Write(ps::put_permissions_boundary),
    ),
    (
        "SWBExternalService.GetPermissionsBoundaryForPermissionSet",
        Read(ps::get_permissions_boundary),
    ),
    (
        "SWBExternalService.DeletePermissionsBoundaryFromPermissionSet",
        Write(ps::delete_permissions_boundary),
    ),
    (
        "SWBExternalService.CreateAccountAssignment",
        Write(aa::create_account_assignment),
    ),
    (
        "SWBExternalService.DeleteAccountAssignment",
        Write(aa::delete_account_assignment),
    ),
    (
        "SWBExternalService.DescribeAccountAssignmentCreationStatus",
        Read(aa::describe_creation_status),
    ),
    (
        "SWBExternalService.DescribeAccountAssignmentDeletionStatus",
        Read(aa::describe_deletion_status),
    ),
    (
        "SWBExternalService.ListAccountAssignmentCreationStatus",
        Read(aa::list_creation_status),
    ),
    (
        "SWBExternalService.ListAccountAssignmentDeletionStatus",
        Read(aa::list_deletion_status),
    ),
    (
        "SWBExternalService.ListAccountAssignments",
        Read(aa::list_account_assignments),
    ),
    (
        "SWBExternalService.ListAccountAssignmentsForPrincipal",
        Read(aa::list_account_assignments_for_principal),
    ),
    (
        "SWBExternalService.ListPermissionSetsProvisionedToAccount",
        Read(aa::list_permission_sets_provisioned_to_account),
    ),
    (
        "SWBExternalService.ListAccountsForProvisionedPermissionSet",
        Read(aa::list_accounts_for_provisioned_permission_set),
    ),
    (
        "SWBExternalService.ProvisionPermissionSet",
        Write(aa::provision_permission_set),
    ),
    (
        "SWBExternalService.DescribePermissionSetProvisioningStatus",
        Read(aa::describe_provisioning_status),
    ),
    (
        "SWBExternalService.ListPermissionSetProvisioningStatus",
        Read(aa::list_provisioning_status),
    ),
    (
        "SWBExternalService.TagResource",
        Write(ssotags::tag_resource),
    ),
    (
        "SWBExternalService.UntagResource",
        Write(ssotags::untag_resource),
    ),
    (
        "SWBExternalService.ListTagsForResource",
        Read(ssotags::list_tags_for_resource),
    ),
    // Identity Store (AWS JSON 1.1, signing name `identitystore`).
    ("AWSIdentityStore.ListUsers", ReadJson(ids::list_users)),
    ("AWSIdentityStore.DescribeUser", Read(ids::describe_user)),
    ("AWSIdentityStore.ListGroups", ReadJson(ids::list_groups)),
    ("AWSIdentityStore.DescribeGroup", Read(ids::describe_group)),
    (
        "AWSIdentityStore.ListGroupMemberships",
        Read(ids::list_group_memberships),
    ),
    ("AWSIdentityStore.CreateUser", Write(ids::create_user)),
    ("AWSIdentityStore.CreateGroup", Write(ids::create_group)),
    (
        "AWSIdentityStore.CreateGroupMembership",
        Write(ids::create_group_membership),
    ),
    ("AWSIdentityStore.GetUserId", Read(ids::get_user_id)),
    (
        "AWSIdentityStore.DescribeIdentityStore",
        Read(ids::describe_identity_store),
    ),
    (
        "AWSIdentityStore.ListIdentityStores",
        Read(ids::list_identity_stores),
    ),
    (
        "AWSIdentityStore.UpdateIdentityStore",
        Write(ids::update_identity_store),
    ),
    ("AWSIdentityStore.UpdateUser", Write(idu::update_user)),
    ("AWSIdentityStore.DeleteUser", Write(idu::delete_user)),
    ("AWSIdentityStore.UpdateGroup", Write(idu::update_group)),
    ("AWSIdentityStore.DeleteGroup", Write(idu::delete_group)),
    (
        "AWSIdentityStore.DeleteGroupMembership",
        Write(idm::delete_group_membership),
    ),
    (
        "AWSIdentityStore.DescribeGroupMembership",
        Read(idm::describe_group_membership),
    ),
    (
        "AWSIdentityStore.GetGroupMembershipId",
        Read(idm::get_group_membership_id),
    ),
    (
        "AWSIdentityStore.IsMemberInGroups",
        Read(idm::is_member_in_groups),
    ),
    (
        "AWSIdentityStore.ListGroupMembershipsForMember",
        Read(idm::list_group_memberships_for_member),
    ),
    ("AWSIdentityStore.GetGroupId", Read(ids::get_group_id)),
    // Kiro subscriptions (AWS JSON 1.0; signing names `q`, `user-subscriptions`, `codewhisperer`).
    (
        "AmazonQDeveloperService.CreateAssignment",
        Write(sub::create_assignment),
    ),
    (
        "AmazonQDeveloperService.UpdateAssignment",
        Write(sub::update_assignment),
    ),
    (
        "AmazonQDeveloperService.DeleteAssignment",
        Write(sub::delete_assignment),
    ),
    // The same operations as the Kiro console calls them today (`management.<region>.kiro.dev`).
    (
        "KiroControlPlaneQDeveloperService.CreateAssignment",
        Write(sub::create_assignment),
    ),
    (
        "KiroControlPlaneQDeveloperService.UpdateAssignment",
        Write(sub::update_assignment),
    ),
    (
        "KiroControlPlaneQDeveloperService.DeleteAssignment",
        Write(sub::delete_assignment),
    ),
    (
        "AWSZornControlPlaneService.ListUserSubscriptions",
        Read(sub::list_user_subscriptions),
    ),
    (
        "AmazonCodeWhispererService.ListAvailableProfiles",
        Read(sub::list_available_profiles),
    ),
];

/// The route and handler of `target`, matched exactly.
pub fn lookup(target: &str) -> Option<(Route, Handler)> {
    let (name, handler) = TABLE.iter().find(|(t, _)| *t == target)?;
    let (prefix, operation) = name.split_once('.')?;
    let json_minor = match prefix {
        "AmazonQDeveloperService"
        | "KiroControlPlaneQDeveloperService"
        | "AWSZornControlPlaneService"
        | "AmazonCodeWhispererService" => 0,
        _ => 1,
    };
    let error_namespace = match prefix {
        "KiroControlPlaneQDeveloperService" => "com.amazon.kiro.controlplane#",
        _ => "",
    };
    Some((
        Route {
            operation,
            json_minor,
            error_namespace,
        },
        *handler,
    ))
}

/// Parses an operation's input, with AWS's errors for what does not fit.
pub fn input<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| crate::error::from_serde(&e))
}
