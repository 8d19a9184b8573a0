//! The vocabulary of operations: every operation of SPEC.md's operations table with its
//! parameters ([`Op`]), what it acts on ([`Target`]), and what it reports once applied
//! ([`Applied`]).
//!
//! It lives beside the event log ([`crate::Event`] holds an [`Op`]) so that everything that
//! reads the log — the engine replaying it, billing, the server, audits — matches on one typed
//! enum: adding an operation makes the compiler name every place that must handle it.
//!
//! Parameters that AWS validates on the server (plans, kinds, ranges, id formats) are kept as
//! written and checked by the operation, so that a bad value is a `ValidationException` at its
//! index, like AWS's answer, rather than a parse error of the whole file.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::AccountId;
use crate::model::{
    InstanceKind, Name, Plan, PolicyReference, Principal, ProfileKey, Status, Timestamp,
};

/// One operation on the control plane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Op {
    /// An account: standalone, or created directly as a member of an organization.
    CreateAccount(CreateAccount),
    /// An account in AWS GovCloud (US) paired with a new member account, as Organizations'
    /// `CreateGovCloudAccount` makes them: refused, since no estate pairs its management
    /// account with GovCloud.
    CreateGovCloudAccount(CreateGovCloudAccount),
    /// An organization managed by an existing account.
    CreateOrganization(CreateOrganization),
    /// An organizational unit.
    CreateOu(CreateOu),
    /// Rename an organizational unit.
    UpdateOu(UpdateOu),
    /// Delete an empty organizational unit.
    DeleteOu(OuRef),
    /// Delete an organization that has no member accounts left.
    DeleteOrganization(OrganizationRef),
    /// Enable a policy type (SCPs) in an organization.
    EnablePolicyType(PolicyTypeRef),
    /// Disable a policy type (SCPs) in an organization, detaching its policies.
    DisablePolicyType(PolicyTypeRef),
    /// A standalone account joins an organization.
    InviteAccount(InviteAccount),
    /// A member account moves to another parent.
    MoveAccount(MoveAccount),
    /// A service control policy.
    CreatePolicy(CreatePolicy),
    /// Change an SCP's name, description or document.
    UpdatePolicy(UpdatePolicy),
    /// Delete an SCP attached to nothing.
    DeletePolicy(PolicyRef),
    /// Attach an SCP to a target.
    AttachPolicy(PolicyTarget),
    /// Detach an SCP from a target.
    DetachPolicy(PolicyTarget),
    /// Enable IAM Identity Center in an account.
    EnableIdentityCenter(EnableIdentityCenter),
    /// Let member accounts create account instances (irreversible).
    AllowMemberAccountInstances(OrganizationRef),
    /// A user in an identity store.
    CreateUser(CreateUser),
    /// A group in an identity store.
    CreateGroup(CreateGroup),
    /// Add a user to a group.
    AddMember(Membership),
    /// Remove a user from a group.
    RemoveMember(Membership),
    /// Sign up for Kiro: a profile in an account and region.
    CreateProfile(CreateProfile),
    /// Delete a profile and its subscriptions.
    DeleteProfile(ProfileRef),
    /// Change a profile's management settings.
    UpdateProfileSettings(UpdateProfileSettings),
    /// Subscribe a user or group to a plan (or change its plan).
    Subscribe(Subscribe),
    /// Cancel a subscription.
    Unsubscribe(Unsubscribe),
    /// The extended session duration for Kiro.
    SetKiroSessionDuration(SetKiroSessionDuration),
    /// Identity-enhanced console sessions.
    EnableIdentityEnhancedSessions(InstanceRef),
    /// Tag the root, an OU, an account or a policy of an organization.
    TagResource(TagResource),
    /// Remove tags from a resource of an organization.
    UntagResource(UntagResource),
    /// Invite a standalone account: an open handshake it may accept.
    SendInvitation(SendInvitation),
    /// The account asked accepts a handshake (joining, for an invitation).
    AcceptHandshake(HandshakeRef),
    /// The account asked declines a handshake.
    DeclineHandshake(HandshakeRef),
    /// The organization withdraws an open handshake.
    CancelHandshake(CancelHandshake),
    /// A management account invites another organization's management account to let it
    /// manage that organization's billing: a transfer, asked by an open handshake.
    InviteTransfer(InviteTransfer),
    /// Either management account of a transfer renames it.
    RenameTransfer(RenameTransfer),
    /// Either management account of an accepted transfer ends it.
    TerminateTransfer(TerminateTransfer),
    /// The management account removes a member account: it is standalone again.
    RemoveAccount(MemberRef),
    /// A member account leaves its organization on its own.
    LeaveOrganization(AccountRef),
    /// Close a member account; it stays in its organization, suspended.
    CloseAccount(MemberRef),
    /// Give an AWS service trusted access to the organization.
    EnableServiceAccess(ServiceRef),
    /// Take trusted access away from an AWS service.
    DisableServiceAccess(ServiceRef),
    /// Make a member account a delegated administrator of a service.
    RegisterDelegatedAdministrator(Delegation),
    /// Make a member account no longer a delegated administrator of a service.
    DeregisterDelegatedAdministrator(Delegation),
    /// Move a consolidated-billing organization to all features.
    EnableAllFeatures(OrganizationRef),
    /// Put the organization's resource-based policy, replacing one there is.
    PutResourcePolicy(PutResourcePolicy),
    /// Delete the organization's resource-based policy.
    DeleteResourcePolicy(OrganizationRef),
    /// A customer managed application of an Identity Center instance.
    CreateApplication(CreateApplication),
    /// Change an application: its name, description or status, access scopes,
    /// authentication method, grants, assignment or session configuration.
    UpdateApplication(UpdateApplication),
    /// Delete a customer managed application.
    DeleteApplication(ApplicationRef),
    /// A permission set of an organization instance.
    CreatePermissionSet(CreatePermissionSet),
    /// Change a permission set: its settings, inline policy, managed and customer managed
    /// policies or permissions boundary.
    UpdatePermissionSet(UpdatePermissionSet),
    /// Delete a permission set.
    DeletePermissionSet(PermissionSetRef),
    /// Give a user or group a permission set in an AWS account.
    AssignAccount(AccountAssignmentOp),
    /// Take an account assignment away.
    UnassignAccount(AccountAssignmentOp),
    /// Provision a permission set to the accounts it is assigned in.
    ProvisionPermissionSet(ProvisionPermissionSet),
    /// Tag an Identity Center instance, permission set or application.
    TagInstanceResource(InstanceTags),
    /// Remove tags from an Identity Center instance, permission set or application.
    UntagInstanceResource(InstanceUntags),
    /// Restrict where an identity store may be called from.
    UpdateIdentityStore(UpdateIdentityStore),
    /// Rename an Identity Center instance.
    UpdateInstance(UpdateInstance),
    /// Delete an Identity Center instance and its identity store.
    DeleteIdentityCenter(InstanceRef),
    /// Change a user's email or display name.
    UpdateUser(UpdateUser),
    /// Delete a user and its memberships.
    DeleteUser(UserRef),
    /// Change a group's description.
    UpdateGroup(UpdateGroup),
    /// Delete a group and its memberships.
    DeleteGroup(GroupRef),
    /// Replicate an organization instance to another region of its partition.
    AddRegion(InstanceRegion),
    /// Stop replicating an instance to a region.
    RemoveRegion(InstanceRegion),
    /// The attributes for access control of an organization instance.
    SetAccessControlAttributes(SetAccessControlAttributes),
    /// Delete an instance's attributes for access control.
    DeleteAccessControlAttributes(InstanceRef),
    /// A trusted token issuer of an instance.
    CreateTrustedTokenIssuer(CreateTrustedTokenIssuer),
    /// Rename a trusted token issuer or change how its tokens name a user.
    UpdateTrustedTokenIssuer(UpdateTrustedTokenIssuer),
    /// Delete a trusted token issuer.
    DeleteTrustedTokenIssuer(TrustedTokenIssuerRef),
}

/// A region of an instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InstanceRegion {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The region.
    pub region: String,
}

/// Parameters of `set-access-control-attributes`: the whole configuration, replacing the one
/// there is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SetAccessControlAttributes {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// Each session tag's key and the user attribute its value comes from.
    pub attributes: Vec<crate::model::AccessControlAttribute>,
    /// Whether a configuration must exist already (`existing`, AWS's `Update…`) or not yet
    /// (`new`, `Create…`); by default either way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
}

/// Parameters of `create-trusted-token-issuer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateTrustedTokenIssuer {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// Its name.
    pub name: String,
    /// The issuer's URL.
    pub issuer_url: String,
    /// The token claim that names the user.
    pub claim_attribute_path: String,
    /// The identity store attribute that claim is matched with.
    pub identity_store_attribute_path: String,
}

/// Parameters of `update-trusted-token-issuer`: what is given changes, the rest stays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdateTrustedTokenIssuer {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The trusted token issuer's current name.
    pub trusted_token_issuer: String,
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new claim that names the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_attribute_path: Option<String>,
    /// A new identity store attribute to match it with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_store_attribute_path: Option<String>,
}

/// A trusted token issuer, by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TrustedTokenIssuerRef {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The trusted token issuer's name.
    pub trusted_token_issuer: String,
}

/// Parameters of `tag-resource`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TagResource {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The resource's AWS id: `r-…`, `ou-…`, an account id or `p-…`.
    pub resource: String,
    /// Keys and values; a key tagged already gets the new value.
    pub tags: std::collections::BTreeMap<String, String>,
}

/// Parameters of `untag-resource`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UntagResource {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The resource's AWS id.
    pub resource: String,
    /// The keys to remove; a key the resource lacks is no error, as in AWS.
    pub keys: Vec<String>,
}

/// Parameters of `send-invitation`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SendInvitation {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The standalone account invited.
    pub account: AccountId,
    /// Free text sent with the invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// A handshake answered by the account it asks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct HandshakeRef {
    /// The account answering.
    pub account: AccountId,
    /// `h-…`.
    pub handshake: String,
}

/// Parameters of `cancel-handshake`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CancelHandshake {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// `h-…`.
    pub handshake: String,
}

/// Parameters of `invite-transfer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InviteTransfer {
    /// The inviting organization, by its management account: the one that will manage.
    pub organization: AccountId,
    /// The management account of the organization whose billing would be transferred.
    pub account: AccountId,
    /// The transfer's name.
    pub name: String,
    /// When the inviting account begins to manage it.
    pub start: Timestamp,
    /// Free text sent with the invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// Parameters of `rename-transfer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RenameTransfer {
    /// The management account calling: either side of the transfer.
    pub account: AccountId,
    /// `rt-…`.
    pub transfer: String,
    /// The new name.
    pub name: String,
}

/// Parameters of `terminate-transfer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TerminateTransfer {
    /// The management account calling: either side of the transfer.
    pub account: AccountId,
    /// `rt-…`.
    pub transfer: String,
    /// When it ends; the operation's time when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
}

/// A member account of an organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MemberRef {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The member account.
    pub account: AccountId,
}

/// An account acting for itself.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AccountRef {
    /// The account.
    pub account: AccountId,
}

/// A service's trusted access to an organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ServiceRef {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The service principal, `<service>.amazonaws.com`.
    pub service_principal: String,
}

/// A delegated administrator of a service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Delegation {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The member account.
    pub account: AccountId,
    /// The service principal.
    pub service_principal: String,
}

/// Parameters of `create-account`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateAccount {
    /// The 12-digit id.
    pub id: AccountId,
    /// The name.
    pub name: String,
    /// The root user's email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The organization (its management account) to create the account in, as Organizations'
    /// `CreateAccount` does; none for a standalone account.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<AccountId>,
    /// `root` (default) or an OU name; only with `organization`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// Parameters of `create-gov-cloud-account`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateGovCloudAccount {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The name of the accounts.
    pub name: String,
    /// The root user's email of the commercial account.
    pub email: String,
}

/// Parameters of `create-organization`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateOrganization {
    /// The account that becomes the management account.
    pub management: AccountId,
    /// Whether SCPs start enabled (default): false starts the root with no policy type
    /// enabled, as Organizations' `CreateOrganization` does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scps_enabled: Option<bool>,
    /// `consolidated-billing` for an organization without policies; all features when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feature_set: Option<crate::model::FeatureSet>,
}

/// Parameters of `enable-policy-type` and `disable-policy-type`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PolicyTypeRef {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// `SERVICE_CONTROL_POLICY`, the one policy type an estate models.
    pub policy_type: String,
}

/// Parameters of `create-ou`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateOu {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The OU's name.
    pub name: String,
    /// `root` or an OU name.
    pub parent: String,
}

/// Parameters of `update-ou`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdateOu {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The OU's current name.
    pub ou: String,
    /// Its new name.
    pub name: String,
}

/// An OU of an organization, by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct OuRef {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The OU's name.
    pub ou: String,
}

/// Parameters of `invite-account`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InviteAccount {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The standalone account that joins.
    pub account: AccountId,
    /// `root` (default) or an OU name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// Parameters of `move-account`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct MoveAccount {
    /// The member account.
    pub account: AccountId,
    /// `root` or an OU name.
    pub parent: String,
}

/// Parameters of `create-policy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreatePolicy {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The policy's name.
    pub name: String,
    /// The IAM policy document, as a string or a mapping.
    pub document: serde_json::Value,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// AWS's name of the policy type; `SERVICE_CONTROL_POLICY` when none. A policy of
    /// another type is stored and attachable, its document only checked to be a JSON object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_type: Option<String>,
}

/// Parameters of `update-policy`: what is given changes, the rest stays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdatePolicy {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The policy's current name.
    pub policy: String,
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new description (empty for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A new IAM policy document, as a string or a mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<serde_json::Value>,
}

/// An SCP of an organization, by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PolicyRef {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The policy's name.
    pub policy: String,
}

/// Parameters of `attach-policy` and `detach-policy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PolicyTarget {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The policy's name.
    pub policy: String,
    /// `root`, an OU name, or an account id.
    pub target: AccountOrName,
}

/// A target written as a name or as an (unquoted) account id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountOrName(pub AccountId);

impl AccountOrName {
    /// The target as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Parameters of `enable-identity-center`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct EnableIdentityCenter {
    /// The account.
    pub account: AccountId,
    /// The instance's region.
    pub region: String,
    /// `organization` or `account`; by default an organization instance in a management
    /// account and an account instance elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// When it was enabled (default: the operation's date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<jiff::civil::Date>,
}

/// An organization, by its management account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct OrganizationRef {
    /// The management account.
    pub organization: AccountId,
}

/// An instance, by its owning account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InstanceRef {
    /// The account that owns the instance.
    pub instance: AccountId,
}

/// Parameters of `create-user`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateUser {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The user name.
    pub user_name: Name,
    /// The primary email; optional, as in AWS (a user without one is kept, and recognised in
    /// no other identity store).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Name>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Identity Center user attributes (`costCenter`, …), for chargeback.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub attributes: std::collections::BTreeMap<String, String>,
}

/// Parameters of `create-group`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateGroup {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The group's name.
    pub name: Name,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Parameters of `put-resource-policy`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PutResourcePolicy {
    /// The organization, by its management account.
    pub organization: AccountId,
    /// The policy document, a JSON object as text.
    pub content: String,
}

/// Parameters of `create-application`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateApplication {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The application's name.
    pub name: String,
    /// Its application provider's ARN.
    pub provider: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether it starts enabled (default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Parameters of `update-application`: what is given changes, the rest stays.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdateApplication {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The application's current name.
    pub application: String,
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new description (empty for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Enabled or disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// An access scope to put, replacing one of that name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put_access_scope: Option<AccessScope>,
    /// An access scope to delete, by name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_access_scope: Option<String>,
    /// An IAM authentication method to put: its actor policy, a JSON object as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put_iam_authentication: Option<String>,
    /// Whether to delete the IAM authentication method.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub delete_iam_authentication: bool,
    /// A grant to put, replacing one of its type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub put_grant: Option<GrantInput>,
    /// A grant to delete, by type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delete_grant: Option<String>,
    /// Whether users must be assigned to use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_required: Option<bool>,
    /// Whether it may run user background sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_background_sessions: Option<bool>,
}

/// An access scope of an application.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AccessScope {
    /// The scope, such as `sso:account:access`.
    pub scope: String,
    /// The application ARNs it may be used with; none for any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

/// A grant of an application, by its type: the redirect URIs of `authorization_code`, the
/// trusted token issuers of `urn:ietf:params:oauth:grant-type:jwt-bearer`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct GrantInput {
    /// AWS's grant type.
    pub grant_type: String,
    /// Where an authorization code may be sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirect_uris: Vec<String>,
    /// Whose tokens it accepts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorized_token_issuers: Vec<crate::model::AuthorizedTokenIssuer>,
}

/// A customer managed application, by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ApplicationRef {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The application's name.
    pub application: String,
}

/// Parameters of `create-permission-set`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreatePermissionSet {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The permission set's name.
    pub name: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The session duration, ISO 8601 (default `PT1H`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_duration: Option<String>,
    /// Where the console opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
}

/// Parameters of `update-permission-set`: what is given changes, the rest stays.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdatePermissionSet {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The permission set's name.
    pub permission_set: String,
    /// A new description (empty for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A new session duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_duration: Option<String>,
    /// A new relay state (empty for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    /// A new inline policy (empty deletes it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_policy: Option<String>,
    /// An AWS managed policy to attach, by ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_managed_policy: Option<String>,
    /// An AWS managed policy to detach, by ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detach_managed_policy: Option<String>,
    /// A customer managed policy to attach, by name and path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attach_customer_managed_policy: Option<PolicyReference>,
    /// A customer managed policy to detach, by name and path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detach_customer_managed_policy: Option<PolicyReference>,
    /// A permissions boundary, replacing the one there is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<BoundaryInput>,
    /// Whether to delete the permissions boundary.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub delete_permissions_boundary: bool,
}

/// A permissions boundary as a request gives it: exactly one of the two (checked by the
/// operation, which AWS answers with a `ValidationException`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BoundaryInput {
    /// An AWS managed policy, by ARN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub managed_policy: Option<String>,
    /// A customer managed policy, by name and path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_managed: Option<PolicyReference>,
}

/// Parameters of `provision-permission-set`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ProvisionPermissionSet {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The permission set's name.
    pub permission_set: String,
    /// One account it is assigned in; every such account when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountId>,
}

/// A permission set, by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PermissionSetRef {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The permission set's name.
    pub permission_set: String,
}

/// Parameters of `assign-account` and `unassign-account`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AccountAssignmentOp {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The AWS account.
    pub account: AccountId,
    /// The permission set, by name.
    pub permission_set: String,
    /// The user (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<Name>,
    /// The group (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Name>,
}

/// Parameters of `tag-instance-resource`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InstanceTags {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The ARN of the instance, a permission set or a customer managed application of it.
    pub resource: String,
    /// Keys and values; a key tagged already gets the new value.
    pub tags: std::collections::BTreeMap<String, String>,
}

/// Parameters of `untag-instance-resource`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct InstanceUntags {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The resource's ARN.
    pub resource: String,
    /// The keys to remove.
    pub keys: Vec<String>,
}

/// Parameters of `update-identity-store`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdateIdentityStore {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The restrictions, replacing those there are.
    pub network: crate::model::StoreNetwork,
}

/// Parameters of `update-instance`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdateInstance {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// Its new display name.
    pub name: String,
}

/// Parameters of `update-user`: what is given changes, the rest stays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdateUser {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The user.
    pub user_name: Name,
    /// A new primary email (empty for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Name>,
    /// A new display name (empty for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// A user of an identity store, by user name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UserRef {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The user.
    pub user_name: Name,
}

/// Parameters of `update-group`: what is given changes, the rest stays.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdateGroup {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The group's current name.
    pub group: Name,
    /// A new description (empty for none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A group of an identity store, by name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct GroupRef {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The group.
    pub group: Name,
}

/// Parameters of `add-member` and `remove-member`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Membership {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The group.
    pub group: Name,
    /// The user.
    pub user_name: Name,
}

/// Parameters of `create-profile`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateProfile {
    /// The account signing up.
    pub account: AccountId,
    /// The Kiro region.
    pub region: String,
    /// `organization` or `account`: which Identity Center instance to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_source: Option<String>,
    /// The user name of the person signing up, used when both instances are available.
    #[serde(default, rename = "as", skip_serializing_if = "Option::is_none")]
    pub as_user: Option<String>,
}

/// A profile, by account and region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ProfileRef {
    /// The account.
    pub account: AccountId,
    /// The region.
    pub region: String,
}

/// Parameters of `update-profile-settings`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct UpdateProfileSettings {
    /// The account.
    pub account: AccountId,
    /// The region.
    pub region: String,
    /// Prompt logging on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt_logging: Option<bool>,
    /// Overage on or off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overage: Option<bool>,
}

/// Parameters of `subscribe`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Subscribe {
    /// The profile's account.
    pub account: AccountId,
    /// The profile's region.
    pub region: String,
    /// The user (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<Name>,
    /// The group (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Name>,
    /// `pro`, `pro-plus`, `pro-max` or `power`.
    pub plan: String,
    /// `active` (default) or `pending`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Whether the principal must be subscribed already; by default either way, and
    /// subscribing again changes the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect: Option<Expect>,
}

/// What a `subscribe` expects of the principal's subscription, as AWS's two APIs do: each is
/// its own IAM action and refuses the other's case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expect {
    /// Not subscribed yet (`CreateAssignment`): a subscribed one is a `ConflictException`.
    New,
    /// Subscribed already (`UpdateAssignment`): one that is not is a
    /// `ResourceNotFoundException`.
    Existing,
}

/// Parameters of `unsubscribe`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Unsubscribe {
    /// The profile's account.
    pub account: AccountId,
    /// The profile's region.
    pub region: String,
    /// The user (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<Name>,
    /// The group (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Name>,
}

/// Parameters of `set-kiro-session-duration`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SetKiroSessionDuration {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// 1 to 90.
    pub days: i64,
}

impl Op {
    /// The operation's name, as in the file.
    pub fn name(&self) -> &'static str {
        match self {
            Op::CreateAccount(_) => "create-account",
            Op::CreateGovCloudAccount(_) => "create-gov-cloud-account",
            Op::CreateOrganization(_) => "create-organization",
            Op::CreateOu(_) => "create-ou",
            Op::UpdateOu(_) => "update-ou",
            Op::DeleteOu(_) => "delete-ou",
            Op::DeleteOrganization(_) => "delete-organization",
            Op::EnablePolicyType(_) => "enable-policy-type",
            Op::DisablePolicyType(_) => "disable-policy-type",
            Op::InviteAccount(_) => "invite-account",
            Op::MoveAccount(_) => "move-account",
            Op::CreatePolicy(_) => "create-policy",
            Op::UpdatePolicy(_) => "update-policy",
            Op::DeletePolicy(_) => "delete-policy",
            Op::AttachPolicy(_) => "attach-policy",
            Op::DetachPolicy(_) => "detach-policy",
            Op::EnableIdentityCenter(_) => "enable-identity-center",
            Op::AllowMemberAccountInstances(_) => "allow-member-account-instances",
            Op::CreateUser(_) => "create-user",
            Op::CreateGroup(_) => "create-group",
            Op::AddMember(_) => "add-member",
            Op::RemoveMember(_) => "remove-member",
            Op::CreateProfile(_) => "create-profile",
            Op::DeleteProfile(_) => "delete-profile",
            Op::UpdateProfileSettings(_) => "update-profile-settings",
            Op::Subscribe(_) => "subscribe",
            Op::Unsubscribe(_) => "unsubscribe",
            Op::SetKiroSessionDuration(_) => "set-kiro-session-duration",
            Op::EnableIdentityEnhancedSessions(_) => "enable-identity-enhanced-sessions",
            Op::TagResource(_) => "tag-resource",
            Op::UntagResource(_) => "untag-resource",
            Op::SendInvitation(_) => "send-invitation",
            Op::AcceptHandshake(_) => "accept-handshake",
            Op::DeclineHandshake(_) => "decline-handshake",
            Op::CancelHandshake(_) => "cancel-handshake",
            Op::InviteTransfer(_) => "invite-transfer",
            Op::RenameTransfer(_) => "rename-transfer",
            Op::TerminateTransfer(_) => "terminate-transfer",
            Op::RemoveAccount(_) => "remove-account",
            Op::LeaveOrganization(_) => "leave-organization",
            Op::CloseAccount(_) => "close-account",
            Op::EnableServiceAccess(_) => "enable-service-access",
            Op::DisableServiceAccess(_) => "disable-service-access",
            Op::RegisterDelegatedAdministrator(_) => "register-delegated-administrator",
            Op::DeregisterDelegatedAdministrator(_) => "deregister-delegated-administrator",
            Op::EnableAllFeatures(_) => "enable-all-features",
            Op::PutResourcePolicy(_) => "put-resource-policy",
            Op::DeleteResourcePolicy(_) => "delete-resource-policy",
            Op::CreateApplication(_) => "create-application",
            Op::UpdateApplication(_) => "update-application",
            Op::DeleteApplication(_) => "delete-application",
            Op::CreatePermissionSet(_) => "create-permission-set",
            Op::UpdatePermissionSet(_) => "update-permission-set",
            Op::DeletePermissionSet(_) => "delete-permission-set",
            Op::AssignAccount(_) => "assign-account",
            Op::UnassignAccount(_) => "unassign-account",
            Op::ProvisionPermissionSet(_) => "provision-permission-set",
            Op::TagInstanceResource(_) => "tag-instance-resource",
            Op::UntagInstanceResource(_) => "untag-instance-resource",
            Op::UpdateIdentityStore(_) => "update-identity-store",
            Op::UpdateInstance(_) => "update-instance",
            Op::DeleteIdentityCenter(_) => "delete-identity-center",
            Op::UpdateUser(_) => "update-user",
            Op::DeleteUser(_) => "delete-user",
            Op::UpdateGroup(_) => "update-group",
            Op::DeleteGroup(_) => "delete-group",
            Op::AddRegion(_) => "add-region",
            Op::RemoveRegion(_) => "remove-region",
            Op::SetAccessControlAttributes(_) => "set-access-control-attributes",
            Op::DeleteAccessControlAttributes(_) => "delete-access-control-attributes",
            Op::CreateTrustedTokenIssuer(_) => "create-trusted-token-issuer",
            Op::UpdateTrustedTokenIssuer(_) => "update-trusted-token-issuer",
            Op::DeleteTrustedTokenIssuer(_) => "delete-trusted-token-issuer",
        }
    }

    /// Every operation name, for did-you-mean.
    pub const NAMES: [&'static str; 73] = [
        "create-account",
        "create-gov-cloud-account",
        "create-organization",
        "create-ou",
        "update-ou",
        "delete-ou",
        "delete-organization",
        "enable-policy-type",
        "disable-policy-type",
        "invite-account",
        "move-account",
        "create-policy",
        "update-policy",
        "delete-policy",
        "attach-policy",
        "detach-policy",
        "enable-identity-center",
        "allow-member-account-instances",
        "create-user",
        "create-group",
        "add-member",
        "remove-member",
        "create-profile",
        "delete-profile",
        "update-profile-settings",
        "subscribe",
        "unsubscribe",
        "set-kiro-session-duration",
        "enable-identity-enhanced-sessions",
        "tag-resource",
        "untag-resource",
        "send-invitation",
        "accept-handshake",
        "decline-handshake",
        "cancel-handshake",
        "invite-transfer",
        "rename-transfer",
        "terminate-transfer",
        "remove-account",
        "leave-organization",
        "close-account",
        "enable-service-access",
        "disable-service-access",
        "register-delegated-administrator",
        "deregister-delegated-administrator",
        "enable-all-features",
        "put-resource-policy",
        "delete-resource-policy",
        "create-application",
        "update-application",
        "delete-application",
        "create-permission-set",
        "update-permission-set",
        "delete-permission-set",
        "assign-account",
        "unassign-account",
        "provision-permission-set",
        "tag-instance-resource",
        "untag-instance-resource",
        "update-identity-store",
        "update-instance",
        "delete-identity-center",
        "update-user",
        "delete-user",
        "update-group",
        "delete-group",
        "add-region",
        "remove-region",
        "set-access-control-attributes",
        "delete-access-control-attributes",
        "create-trusted-token-issuer",
        "update-trusted-token-issuer",
        "delete-trusted-token-issuer",
    ];
}

/// What an operation acts on: the one resource whose state it can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// An account: its creation, membership or place in its organization.
    Account(&'a AccountId),
    /// An organization (by its management account): itself, its OUs, policies and settings.
    Organization(&'a AccountId),
    /// An Identity Center instance (by its owning account): its creation or settings.
    Instance(&'a AccountId),
    /// The users, groups and memberships of an instance's identity store.
    Directory(&'a AccountId),
    /// The profile of an account in a region: itself, its settings and subscriptions.
    Profile(&'a AccountId, &'a str),
}

impl Op {
    /// The resource this operation acts on; consumers of the event log (billing's replay)
    /// derive from it what an event can have changed.
    pub fn target(&self) -> Target<'_> {
        match self {
            Op::CreateAccount(i) => Target::Account(&i.id),
            Op::InviteAccount(InviteAccount { account, .. })
            | Op::MoveAccount(MoveAccount { account, .. })
            | Op::AcceptHandshake(HandshakeRef { account, .. })
            | Op::DeclineHandshake(HandshakeRef { account, .. })
            | Op::RemoveAccount(MemberRef { account, .. })
            | Op::LeaveOrganization(AccountRef { account })
            | Op::CloseAccount(MemberRef { account, .. }) => Target::Account(account),
            Op::CreateOrganization(i) => Target::Organization(&i.management),
            Op::CreateOu(CreateOu { organization, .. })
            | Op::UpdateOu(UpdateOu { organization, .. })
            | Op::DeleteOu(OuRef { organization, .. })
            | Op::DeleteOrganization(OrganizationRef { organization })
            | Op::CreateGovCloudAccount(CreateGovCloudAccount { organization, .. })
            | Op::EnablePolicyType(PolicyTypeRef { organization, .. })
            | Op::DisablePolicyType(PolicyTypeRef { organization, .. })
            | Op::CreatePolicy(CreatePolicy { organization, .. })
            | Op::UpdatePolicy(UpdatePolicy { organization, .. })
            | Op::DeletePolicy(PolicyRef { organization, .. })
            | Op::AttachPolicy(PolicyTarget { organization, .. })
            | Op::DetachPolicy(PolicyTarget { organization, .. })
            | Op::AllowMemberAccountInstances(OrganizationRef { organization })
            | Op::TagResource(TagResource { organization, .. })
            | Op::UntagResource(UntagResource { organization, .. })
            | Op::SendInvitation(SendInvitation { organization, .. })
            | Op::CancelHandshake(CancelHandshake { organization, .. })
            | Op::InviteTransfer(InviteTransfer { organization, .. })
            | Op::RenameTransfer(RenameTransfer {
                account: organization,
                ..
            })
            | Op::TerminateTransfer(TerminateTransfer {
                account: organization,
                ..
            })
            | Op::EnableServiceAccess(ServiceRef { organization, .. })
            | Op::DisableServiceAccess(ServiceRef { organization, .. })
            | Op::RegisterDelegatedAdministrator(Delegation { organization, .. })
            | Op::DeregisterDelegatedAdministrator(Delegation { organization, .. })
            | Op::EnableAllFeatures(OrganizationRef { organization })
            | Op::PutResourcePolicy(PutResourcePolicy { organization, .. })
            | Op::DeleteResourcePolicy(OrganizationRef { organization }) => {
                Target::Organization(organization)
            }
            Op::EnableIdentityCenter(i) => Target::Instance(&i.account),
            Op::SetKiroSessionDuration(SetKiroSessionDuration { instance, .. })
            | Op::EnableIdentityEnhancedSessions(InstanceRef { instance })
            | Op::UpdateInstance(UpdateInstance { instance, .. })
            | Op::TagInstanceResource(InstanceTags { instance, .. })
            | Op::UntagInstanceResource(InstanceUntags { instance, .. })
            | Op::ProvisionPermissionSet(ProvisionPermissionSet { instance, .. })
            | Op::AssignAccount(AccountAssignmentOp { instance, .. })
            | Op::UnassignAccount(AccountAssignmentOp { instance, .. })
            | Op::CreatePermissionSet(CreatePermissionSet { instance, .. })
            | Op::UpdatePermissionSet(UpdatePermissionSet { instance, .. })
            | Op::DeletePermissionSet(PermissionSetRef { instance, .. })
            | Op::CreateApplication(CreateApplication { instance, .. })
            | Op::UpdateApplication(UpdateApplication { instance, .. })
            | Op::DeleteApplication(ApplicationRef { instance, .. })
            | Op::DeleteIdentityCenter(InstanceRef { instance })
            | Op::AddRegion(InstanceRegion { instance, .. })
            | Op::RemoveRegion(InstanceRegion { instance, .. })
            | Op::SetAccessControlAttributes(SetAccessControlAttributes { instance, .. })
            | Op::DeleteAccessControlAttributes(InstanceRef { instance })
            | Op::CreateTrustedTokenIssuer(CreateTrustedTokenIssuer { instance, .. })
            | Op::UpdateTrustedTokenIssuer(UpdateTrustedTokenIssuer { instance, .. })
            | Op::DeleteTrustedTokenIssuer(TrustedTokenIssuerRef { instance, .. }) => {
                Target::Instance(instance)
            }
            Op::CreateUser(CreateUser { instance, .. })
            | Op::CreateGroup(CreateGroup { instance, .. })
            | Op::AddMember(Membership { instance, .. })
            | Op::RemoveMember(Membership { instance, .. })
            | Op::UpdateUser(UpdateUser { instance, .. })
            | Op::UpdateIdentityStore(UpdateIdentityStore { instance, .. })
            | Op::DeleteUser(UserRef { instance, .. })
            | Op::UpdateGroup(UpdateGroup { instance, .. })
            | Op::DeleteGroup(GroupRef { instance, .. }) => Target::Directory(instance),
            Op::CreateProfile(CreateProfile {
                account, region, ..
            })
            | Op::DeleteProfile(ProfileRef { account, region })
            | Op::UpdateProfileSettings(UpdateProfileSettings {
                account, region, ..
            })
            | Op::Subscribe(Subscribe {
                account, region, ..
            })
            | Op::Unsubscribe(Unsubscribe {
                account, region, ..
            }) => Target::Profile(account, region),
        }
    }
}

/// What an applied operation created or changed: one variant per operation.
///
/// It serialises (untagged) to the small JSON summary that `kiro-org apply --format json` and
/// the admin API print; fields marked `skip` only feed the human summary ([`fmt::Display`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged, rename_all_fields = "kebab-case")]
pub enum Applied {
    /// `create-account`.
    AccountCreated {
        /// The new account.
        account: AccountId,
        /// Its organization's management account, when created as a member.
        #[serde(skip_serializing_if = "Option::is_none")]
        organization: Option<AccountId>,
        /// Its ARN, when created as a member (`arn:aws:organizations::…:account/o-…/…`).
        #[serde(skip_serializing_if = "Option::is_none")]
        arn: Option<String>,
        /// Its parent (`root` or an OU name), when created as a member.
        #[serde(skip_serializing_if = "Option::is_none")]
        parent: Option<String>,
        /// Its name.
        #[serde(skip)]
        name: String,
    },
    /// `create-organization`.
    OrganizationCreated {
        /// `o-…`.
        organization: String,
        /// `r-…`.
        root: String,
        /// The management account.
        #[serde(skip)]
        management: AccountId,
    },
    /// `create-ou`.
    OuCreated {
        /// `ou-…`.
        ou: String,
        /// Its name.
        #[serde(skip)]
        name: String,
        /// Its parent (`root` or an OU name).
        #[serde(skip)]
        parent: String,
    },
    /// `update-ou`.
    OuUpdated {
        /// `ou-…`, which a rename keeps.
        ou: String,
        /// Its new name.
        name: String,
    },
    /// `delete-ou`.
    OuDeleted {
        /// `ou-…`.
        ou: String,
        /// Its name.
        #[serde(skip)]
        name: String,
    },
    /// `delete-organization`.
    OrganizationDeleted {
        /// `o-…`.
        organization: String,
        /// The account that managed it, standalone now.
        #[serde(skip)]
        management: AccountId,
    },
    /// `enable-policy-type` and `disable-policy-type`.
    PolicyTypeChanged {
        /// `o-…`.
        organization: String,
        /// The policy type.
        policy_type: String,
        /// Whether it is enabled now.
        enabled: bool,
    },
    /// `invite-account`.
    AccountInvited {
        /// The account that joined.
        account: AccountId,
        /// Its organization's management account.
        #[serde(skip)]
        organization: AccountId,
    },
    /// `move-account`.
    AccountMoved {
        /// The account.
        account: AccountId,
        /// Its new parent.
        parent: String,
    },
    /// `create-policy`.
    PolicyCreated {
        /// `p-…`.
        policy: String,
        /// Its name.
        #[serde(skip)]
        name: String,
    },
    /// `update-policy`.
    PolicyUpdated {
        /// `p-…`, which a rename keeps.
        policy: String,
        /// Its name now.
        name: String,
    },
    /// `delete-policy`.
    PolicyDeleted {
        /// `p-…`.
        policy: String,
        /// Its name.
        #[serde(skip)]
        name: String,
    },
    /// `attach-policy`.
    PolicyAttached {
        /// The policy's name.
        policy: String,
        /// `root`, an OU name or an account id.
        target: String,
    },
    /// `detach-policy`.
    PolicyDetached {
        /// The policy's name.
        policy: String,
        /// `root`, an OU name or an account id.
        target: String,
    },
    /// `enable-identity-center`.
    InstanceEnabled {
        /// The instance's ARN.
        instance_arn: String,
        /// `d-…`.
        identity_store: String,
        /// Organization or account instance.
        kind: InstanceKind,
        /// The owning account.
        #[serde(skip)]
        account: AccountId,
        /// The region.
        #[serde(skip)]
        region: String,
    },
    /// `allow-member-account-instances`.
    MemberAccountInstancesAllowed {
        /// `o-…`.
        organization: String,
        /// Always true: the setting is irreversible.
        member_account_instances_allowed: bool,
    },
    /// `create-user`.
    UserCreated {
        /// The user id.
        user_id: Name,
        /// `d-…`.
        identity_store: String,
        /// The user name.
        #[serde(skip)]
        user_name: Name,
    },
    /// `create-group`.
    GroupCreated {
        /// The group id.
        group_id: Name,
        /// The group's name.
        #[serde(skip)]
        name: Name,
        /// `d-…`.
        #[serde(skip)]
        identity_store: String,
    },
    /// `put-resource-policy` and `delete-resource-policy`.
    ResourcePolicyChanged {
        /// `rp-…`.
        resource_policy: String,
        /// Whether it is gone.
        deleted: bool,
    },
    /// `create-application`, `update-application` and `delete-application`.
    ApplicationChanged {
        /// The application's ARN.
        application_arn: String,
        /// What happened: `created`, `updated` or `deleted`.
        change: &'static str,
    },
    /// `create-permission-set`, `update-permission-set`, `provision-permission-set` and
    /// `delete-permission-set`.
    PermissionSetChanged {
        /// The permission set's ARN.
        permission_set_arn: String,
        /// What happened: `created`, `updated`, `provisioned` or `deleted`.
        change: &'static str,
    },
    /// `assign-account` and `unassign-account`.
    AccountAssignmentChanged {
        /// The AWS account.
        account: AccountId,
        /// The permission set's ARN.
        permission_set_arn: String,
        /// Whether the assignment exists now.
        assigned: bool,
    },
    /// `update-identity-store`.
    IdentityStoreUpdated {
        /// `d-…`.
        identity_store: String,
    },
    /// `update-instance` and `delete-identity-center`.
    InstanceChanged {
        /// The instance's ARN.
        instance_arn: String,
        /// Whether it is gone.
        deleted: bool,
    },
    /// `add-region` and `remove-region`.
    RegionChanged {
        /// The instance's ARN.
        instance_arn: String,
        /// The region.
        region: String,
        /// Whether the instance is replicated there now.
        added: bool,
    },
    /// `set-access-control-attributes` and `delete-access-control-attributes`.
    AccessControlAttributesChanged {
        /// The instance's ARN.
        instance_arn: String,
        /// What happened: `created`, `updated` or `deleted`.
        change: &'static str,
    },
    /// `create-trusted-token-issuer`, `update-trusted-token-issuer` and
    /// `delete-trusted-token-issuer`.
    TrustedTokenIssuerChanged {
        /// The trusted token issuer's ARN.
        trusted_token_issuer_arn: String,
        /// What happened: `created`, `updated` or `deleted`.
        change: &'static str,
    },
    /// `update-user`, `delete-user`, `update-group` and `delete-group`.
    PrincipalChanged {
        /// The user or group id.
        id: Name,
        /// `user` or `group`.
        kind: &'static str,
        /// Whether it still exists.
        deleted: bool,
        /// How many memberships went with it.
        memberships_removed: usize,
    },
    /// `add-member`.
    MemberAdded {
        /// The group.
        group: Name,
        /// The user.
        user_name: Name,
    },
    /// `remove-member`.
    MemberRemoved {
        /// The group.
        group: Name,
        /// The user.
        user_name: Name,
    },
    /// `create-profile`.
    ProfileCreated {
        /// The profile's ARN.
        profile_arn: String,
        /// The instance it uses, by owning account.
        instance: AccountId,
        /// The application that registers it, `KiroProfile-<region>`.
        application: String,
        /// That application's ARN.
        application_arn: String,
        /// The profile.
        #[serde(skip)]
        profile: ProfileKey,
    },
    /// `delete-profile`.
    ProfileDeleted {
        /// How many subscriptions went with it.
        subscriptions_removed: usize,
        /// The profile.
        #[serde(skip)]
        profile: ProfileKey,
    },
    /// `update-profile-settings`.
    ProfileSettingsUpdated {
        /// Prompt logging, as it is now.
        prompt_logging: bool,
        /// Overage, as it is now.
        overage: bool,
        /// The profile.
        #[serde(skip)]
        profile: ProfileKey,
    },
    /// `subscribe`.
    Subscribed {
        /// The plan.
        plan: Plan,
        /// The plan before, when the principal was subscribed already.
        previous_plan: Option<Plan>,
        /// Active or pending.
        status: Status,
        /// Who.
        #[serde(skip)]
        principal: Principal,
        /// The profile.
        #[serde(skip)]
        profile: ProfileKey,
    },
    /// `unsubscribe`.
    Unsubscribed {
        /// The plan the subscription had.
        plan: Plan,
        /// Who.
        #[serde(skip)]
        principal: Principal,
        /// The profile.
        #[serde(skip)]
        profile: ProfileKey,
    },
    /// `set-kiro-session-duration`.
    KiroSessionDurationSet {
        /// 1 to 90.
        kiro_session_days: u32,
        /// The instance, by owning account.
        #[serde(skip)]
        instance: AccountId,
    },
    /// `tag-resource` and `untag-resource`.
    Tagged {
        /// The resource's AWS id.
        resource: String,
        /// How many tags it has now.
        tags: usize,
    },
    /// `send-invitation`, `invite-transfer`, `accept-handshake`, `decline-handshake`,
    /// `cancel-handshake` and `enable-all-features` (which asks nobody here, and is accepted
    /// at once).
    Handshake {
        /// `h-…`.
        handshake: String,
        /// The account asked.
        account: AccountId,
        /// Its state now, AWS's name (`OPEN`, `ACCEPTED`, …).
        state: &'static str,
    },
    /// `rename-transfer` and `terminate-transfer`.
    Transfer {
        /// `rt-…`.
        transfer: String,
        /// Its status now, AWS's name (`ACCEPTED`, `WITHDRAWN`, …).
        status: &'static str,
    },
    /// `remove-account` and `leave-organization`.
    AccountRemoved {
        /// The account, standalone now.
        account: AccountId,
        /// The organization it left, by its management account.
        #[serde(skip)]
        organization: AccountId,
    },
    /// `close-account`.
    AccountClosed {
        /// The account.
        account: AccountId,
    },
    /// `enable-service-access` and `disable-service-access`.
    ServiceAccessChanged {
        /// The service principal.
        service_principal: String,
        /// Whether it has trusted access now.
        enabled: bool,
    },
    /// `register-delegated-administrator` and `deregister-delegated-administrator`.
    DelegationChanged {
        /// The member account.
        account: AccountId,
        /// The service principal.
        service_principal: String,
        /// Whether it is a delegated administrator now.
        registered: bool,
    },
    /// `enable-identity-enhanced-sessions`.
    IdentityEnhancedSessionsEnabled {
        /// Always true.
        identity_enhanced_sessions: bool,
        /// The instance, by owning account.
        #[serde(skip)]
        instance: AccountId,
    },
}

/// The human summary of what an operation did, one line.
impl fmt::Display for Applied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Applied::AccountCreated {
                account,
                organization,
                parent,
                name,
                ..
            } => match (organization, parent) {
                (Some(org), Some(parent)) => write!(
                    f,
                    "created account {account} ({name}) in the organization of {org}, under {parent}"
                ),
                _ => write!(f, "created standalone account {account} ({name})"),
            },
            Applied::OrganizationCreated {
                organization,
                root,
                management,
            } => write!(
                f,
                "created organization {organization} (root {root}) managed by {management}"
            ),
            Applied::OuCreated { ou, name, parent } => {
                write!(f, "created OU {name} ({ou}) under {parent}")
            }
            Applied::OuUpdated { ou, name } => write!(f, "renamed OU {ou} to {name}"),
            Applied::OuDeleted { ou, name } => write!(f, "deleted OU {name} ({ou})"),
            Applied::OrganizationDeleted {
                organization,
                management,
            } => write!(
                f,
                "deleted organization {organization}; {management} is a standalone account again"
            ),
            Applied::PolicyTypeChanged {
                organization,
                policy_type,
                enabled,
            } => write!(
                f,
                "{} {policy_type} in {organization}",
                if *enabled { "enabled" } else { "disabled" }
            ),
            Applied::PolicyUpdated { policy, name } => write!(f, "updated SCP {name} ({policy})"),
            Applied::PolicyDeleted { policy, name } => write!(f, "deleted SCP {name} ({policy})"),
            Applied::AccountInvited {
                account,
                organization,
            } => write!(
                f,
                "account {account} joined the organization of {organization}"
            ),
            Applied::AccountMoved { account, parent } => {
                write!(f, "moved account {account} to {parent}")
            }
            Applied::PolicyCreated { policy, name } => {
                write!(f, "created SCP {name} ({policy})")
            }
            Applied::PolicyAttached { policy, target } => {
                write!(f, "attached SCP {policy} to {target}")
            }
            Applied::PolicyDetached { policy, target } => {
                write!(f, "detached SCP {policy} from {target}")
            }
            Applied::InstanceEnabled {
                instance_arn,
                identity_store,
                kind,
                account,
                region,
            } => write!(
                f,
                "enabled an {kind} of IAM Identity Center in {account} ({region}): {instance_arn}, identity store {identity_store}"
            ),
            Applied::MemberAccountInstancesAllowed { organization, .. } => write!(
                f,
                "allowed member accounts of {organization} to create account instances (irreversible)"
            ),
            Applied::UserCreated {
                user_id,
                identity_store,
                user_name,
            } => write!(
                f,
                "created user {user_name} ({user_id}) in identity store {identity_store}"
            ),
            Applied::GroupCreated {
                group_id,
                name,
                identity_store,
            } => write!(
                f,
                "created group {name} ({group_id}) in identity store {identity_store}"
            ),
            Applied::ResourcePolicyChanged {
                resource_policy,
                deleted,
            } => write!(
                f,
                "{} resource policy {resource_policy}",
                if *deleted { "deleted" } else { "put" }
            ),
            Applied::ApplicationChanged {
                application_arn,
                change,
            } => write!(f, "{change} application {application_arn}"),
            Applied::PermissionSetChanged {
                permission_set_arn,
                change,
            } => write!(f, "{change} permission set {permission_set_arn}"),
            Applied::AccountAssignmentChanged {
                account,
                permission_set_arn,
                assigned,
            } => write!(
                f,
                "{} {permission_set_arn} in account {account}",
                if *assigned { "assigned" } else { "unassigned" }
            ),
            Applied::IdentityStoreUpdated { identity_store } => {
                write!(
                    f,
                    "updated the network restrictions of identity store {identity_store}"
                )
            }
            Applied::InstanceChanged {
                instance_arn,
                deleted,
            } => write!(
                f,
                "{} instance {instance_arn}",
                if *deleted { "deleted" } else { "renamed" }
            ),
            Applied::RegionChanged {
                instance_arn,
                region,
                added,
            } => {
                if *added {
                    write!(f, "replicated instance {instance_arn} to {region}")
                } else {
                    write!(f, "removed {region} from instance {instance_arn}")
                }
            }
            Applied::AccessControlAttributesChanged {
                instance_arn,
                change,
            } => write!(
                f,
                "{change} the attributes for access control of instance {instance_arn}"
            ),
            Applied::TrustedTokenIssuerChanged {
                trusted_token_issuer_arn,
                change,
            } => write!(
                f,
                "{change} trusted token issuer {trusted_token_issuer_arn}"
            ),
            Applied::PrincipalChanged {
                id,
                kind,
                deleted,
                memberships_removed,
            } => {
                if *deleted {
                    write!(
                        f,
                        "deleted {kind} {id} and {}",
                        crate::words::count(*memberships_removed, "membership", "memberships")
                    )
                } else {
                    write!(f, "updated {kind} {id}")
                }
            }
            Applied::MemberAdded { group, user_name } => {
                write!(f, "added {user_name} to group {group}")
            }
            Applied::MemberRemoved { group, user_name } => {
                write!(f, "removed {user_name} from group {group}")
            }
            Applied::ProfileCreated {
                profile_arn,
                instance,
                application,
                profile,
                ..
            } => write!(
                f,
                "created Kiro profile {profile} ({profile_arn}), registered as {application} in the instance of {instance}"
            ),
            Applied::ProfileDeleted {
                subscriptions_removed,
                profile,
            } => write!(
                f,
                "deleted Kiro profile {profile} and its {subscriptions_removed} subscription(s)"
            ),
            Applied::ProfileSettingsUpdated {
                prompt_logging,
                overage,
                profile,
            } => write!(
                f,
                "updated profile {profile}: prompt logging {}, overage {}",
                on_off(*prompt_logging),
                on_off(*overage)
            ),
            Applied::Subscribed {
                plan,
                previous_plan,
                status,
                principal,
                profile,
            } => {
                let status = match status {
                    Status::Active => "",
                    Status::Pending => " (pending)",
                };
                match previous_plan {
                    Some(before) => write!(
                        f,
                        "changed {principal} in profile {profile} from {before} to {plan}{status}"
                    ),
                    None => write!(
                        f,
                        "subscribed {principal} to {plan} in profile {profile}{status}"
                    ),
                }
            }
            Applied::Unsubscribed {
                plan,
                principal,
                profile,
            } => write!(
                f,
                "unsubscribed {principal} from {plan} in profile {profile}"
            ),
            Applied::KiroSessionDurationSet {
                kiro_session_days,
                instance,
            } => write!(
                f,
                "set the extended Kiro session of the instance of {instance} to {kiro_session_days} days"
            ),
            Applied::Tagged { resource, tags } => {
                write!(
                    f,
                    "{resource} has {}",
                    crate::words::count(*tags, "tag", "tags")
                )
            }
            Applied::Handshake {
                handshake,
                account,
                state,
            } => write!(f, "handshake {handshake} with {account} is {state}"),
            Applied::Transfer { transfer, status } => {
                write!(f, "responsibility transfer {transfer} is {status}")
            }
            Applied::AccountRemoved {
                account,
                organization,
            } => write!(
                f,
                "account {account} left the organization of {organization}; it is standalone now"
            ),
            Applied::AccountClosed { account } => write!(f, "closed account {account}"),
            Applied::ServiceAccessChanged {
                service_principal,
                enabled,
            } => write!(
                f,
                "{} trusted access for {service_principal}",
                if *enabled { "enabled" } else { "disabled" }
            ),
            Applied::DelegationChanged {
                account,
                service_principal,
                registered,
            } => write!(
                f,
                "{} {account} as a delegated administrator of {service_principal}",
                if *registered {
                    "registered"
                } else {
                    "deregistered"
                }
            ),
            Applied::IdentityEnhancedSessionsEnabled { instance, .. } => write!(
                f,
                "enabled identity-enhanced sessions on the instance of {instance}"
            ),
        }
    }
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}
