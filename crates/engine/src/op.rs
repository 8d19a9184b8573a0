//! The operations of SPEC.md's operations table, with their parameters.
//!
//! Parameters that AWS validates on the server (plans, kinds, ranges, id formats) are kept as
//! written and checked by the operation, so that a bad value is a `ValidationException` at its
//! index, like AWS's answer, rather than a parse error of the whole file.

use kiro_estate::AccountId;
use serde::{Deserialize, Serialize};

/// One operation on the control plane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "kebab-case")]
pub enum Op {
    /// A standalone account.
    CreateAccount(CreateAccount),
    /// An organization managed by an existing account.
    CreateOrganization(CreateOrganization),
    /// An organizational unit.
    CreateOu(CreateOu),
    /// A standalone account joins an organization.
    InviteAccount(InviteAccount),
    /// A member account moves to another parent.
    MoveAccount(MoveAccount),
    /// A service control policy.
    CreatePolicy(CreatePolicy),
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
}

/// Parameters of `create-organization`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateOrganization {
    /// The account that becomes the management account.
    pub management: AccountId,
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
    pub user_name: String,
    /// The primary email.
    pub email: String,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
}

/// Parameters of `create-group`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct CreateGroup {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The group's name.
    pub name: String,
}

/// Parameters of `add-member` and `remove-member`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Membership {
    /// The instance, by its owning account.
    pub instance: AccountId,
    /// The group.
    pub group: String,
    /// The user.
    pub user_name: String,
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
    pub user_name: Option<String>,
    /// The group (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
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
    pub user_name: Option<String>,
    /// The group (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
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
            Op::CreateOrganization(_) => "create-organization",
            Op::CreateOu(_) => "create-ou",
            Op::InviteAccount(_) => "invite-account",
            Op::MoveAccount(_) => "move-account",
            Op::CreatePolicy(_) => "create-policy",
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
        }
    }

    /// Every operation name, for did-you-mean.
    pub const NAMES: [&'static str; 21] = [
        "create-account",
        "create-organization",
        "create-ou",
        "invite-account",
        "move-account",
        "create-policy",
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
    ];
}
