//! The estate: every entity of SPEC.md's domain, as it is written in an estate file.
//!
//! Field names are the file's (kebab-case). Optional ids are filled in deterministically by
//! [`crate::Estate::normalize`], so a hand-written file may leave them out.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::AccountId;
use crate::keyed::{HasKey, Keyed};
use crate::members::Members;

/// Today's date or an explicit one, as estates and operations record them.
pub type Date = jiff::civil::Date;
/// An instant, as the event log records it.
pub type Timestamp = jiff::Timestamp;

/// A name, id or email of an identity store (user and group names, ids, emails, members) and
/// an account id.
///
/// A large estate holds millions of them (every membership names a user), most of them
/// shorter than 25 bytes: a compact string keeps those inline, in the 24 bytes a `String`
/// takes anyway, so loading, copying and dropping them allocates nothing. Longer ones (user
/// and group ids are 47 bytes) live on the heap as a `String` would.
pub type Name = compact_str::CompactString;

/// A whole estate: what one file describes.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Estate {
    /// The version of the file format; 1 (required, so that a future format is never misread).
    pub version: u32,
    /// Parameters of the simulated control plane.
    #[serde(default, skip_serializing_if = "Simulator::is_default")]
    pub simulator: Simulator,
    /// Every AWS account, standalone or in an organization.
    #[serde(default)]
    pub accounts: Keyed<Account>,
    /// Organizations, keyed by their management account.
    #[serde(default)]
    pub organizations: Keyed<Organization>,
    /// IAM Identity Center instances, keyed by the account that owns them.
    #[serde(default)]
    pub instances: Keyed<Instance>,
    /// Kiro profiles, keyed by account and region.
    #[serde(default)]
    pub profiles: Keyed<Profile>,
    /// The operations applied to this estate, oldest first (like CloudTrail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub events: Vec<Event>,
}

/// The simulator's parameters: facts of AWS that the sources leave uncertain or that change.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Simulator {
    /// At most this many Kiro profiles per organization instance per region (the seed's 10,
    /// reported from Amazon Q Developer's documentation; no Kiro page confirms it).
    #[serde(default = "default_quota")]
    pub profile_quota: u32,
    /// Regions where Kiro runs and profiles can be created.
    #[serde(default = "default_kiro_regions")]
    pub kiro_regions: Vec<String>,
}

fn default_quota() -> u32 {
    10
}

fn default_kiro_regions() -> Vec<String> {
    [
        "us-east-1",
        "eu-central-1",
        "us-gov-east-1",
        "us-gov-west-1",
    ]
    .map(String::from)
    .to_vec()
}

impl Default for Simulator {
    fn default() -> Self {
        Self {
            profile_quota: default_quota(),
            kiro_regions: default_kiro_regions(),
        }
    }
}

impl Simulator {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// An AWS account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Account {
    /// The 12-digit account id.
    pub id: AccountId,
    /// The account's name.
    pub name: String,
    /// The root user's email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The organization (its management account) this account belongs to; none when standalone.
    /// A management account belongs to its own organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<AccountId>,
    /// Where the account sits in its organization: `root` or an OU name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// When and how it joined its organization, as the operations that made it a member record
    /// it (AWS's `JoinedTimestamp` and `JoinedMethod`); optional in hand-written files. It
    /// decides what the final state alone cannot: whether an account instance was created
    /// before its account joined (see [`crate::validate::account_instance_rule`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<Joined>,
    /// When the account was closed (AWS's `SUSPENDED`): it stays in its organization, and
    /// can no longer be moved, removed or closed again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Timestamp>,
}

/// When and how an account joined its organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Joined {
    /// When.
    pub at: Timestamp,
    /// Invited (`invite-account`, and a management account creating its organization) or
    /// created in the organization (`create-account` with `organization`).
    pub method: JoinedMethod,
}

/// How an account joined its organization (AWS's `JoinedMethod`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JoinedMethod {
    /// It existed and accepted an invitation (AWS's `INVITED`).
    Invited,
    /// The organization created it (AWS's `CREATED`).
    Created,
}

impl JoinedMethod {
    /// The name AWS's Organizations API uses.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Invited => "INVITED",
            Self::Created => "CREATED",
        }
    }
}

impl HasKey for Account {
    type Key = AccountId;
    fn key(&self) -> AccountId {
        self.id.clone()
    }
}

/// An AWS Organization.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Organization {
    /// The management (payer) account.
    pub management: AccountId,
    /// `o-…`; derived from the management account when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// `r-…`; derived when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub root_id: String,
    /// How the organization means Kiro to be governed; audits grade findings by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governance: Option<Governance>,
    /// Whether the management account has allowed member accounts to create account instances
    /// of Identity Center (needed when the organization instance predates 2023-11-15).
    /// Irreversible once true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub member_account_instances_allowed: bool,
    /// Whether service control policies are disabled, as Organizations' `DisablePolicyType`
    /// leaves them (and a root made by its `CreateOrganization` starts): nothing is attached
    /// and nothing is denied by an SCP. An estate has them enabled unless it says so.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scps_disabled: bool,
    /// Organizational units, each under `root` or another OU.
    #[serde(default)]
    pub ous: Keyed<Ou>,
    /// Service control policies (customer managed, and `FullAWSAccess`).
    #[serde(default)]
    pub policies: Keyed<Scp>,
    /// Which policy is attached to which target.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// All features (default), or consolidated billing only: then no policy type can be
    /// enabled, as in AWS, until all features are.
    #[serde(default, skip_serializing_if = "FeatureSet::is_all")]
    pub feature_set: FeatureSet,
    /// The policy types besides SCPs enabled in the root, by AWS's names (`TAG_POLICY`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_types: Vec<String>,
    /// Policies of those other types: stored, validated as JSON and attachable. RCPs are
    /// evaluated beside the SCPs (`kiro_engine::authz`); management policies are merged into
    /// effective policies (`kiro_engine::effective`), never evaluated.
    #[serde(default, skip_serializing_if = "Keyed::is_empty")]
    pub typed_policies: Keyed<TypedPolicy>,
    /// Tags of the root, OUs, accounts and policies, by their AWS id (`r-…`, `ou-…`, the
    /// account id, `p-…`): ids survive renames, which names do not.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, BTreeMap<String, String>>,
    /// The AWS services given trusted access to the organization.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_services: Vec<TrustedService>,
    /// Member accounts registered as delegated administrators of a service.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub delegated_administrators: Vec<DelegatedAdministrator>,
    /// Invitations and requests to enable all features, open or answered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub handshakes: Vec<Handshake>,
    /// Responsibility transfers this organization's management account invited another
    /// organization to (AWS's billing transfer), whatever became of them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transfers: Vec<Transfer>,
    /// The organization's resource-based policy (who may call Organizations' read operations
    /// from other accounts), as the JSON text it was put in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_policy: Option<String>,
}

/// An organization's feature set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FeatureSet {
    /// Every feature, policies included (AWS's `ALL`).
    #[default]
    All,
    /// Shared billing only (AWS's `CONSOLIDATED_BILLING`).
    ConsolidatedBilling,
}

impl FeatureSet {
    fn is_all(&self) -> bool {
        *self == Self::All
    }

    /// The name AWS's Organizations API uses.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::All => "ALL",
            Self::ConsolidatedBilling => "CONSOLIDATED_BILLING",
        }
    }
}

/// A policy of a type other than SCP (tag, backup, AI-services opt-out, RCP, …).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TypedPolicy {
    /// The policy's name, unique within its organization across every type.
    pub name: String,
    /// `p-…`.
    pub id: String,
    /// AWS's name of its type (`TAG_POLICY`, …).
    pub policy_type: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The document, as it was sent (a JSON object).
    pub content: String,
    /// Where it is attached: `root`, OU names, account ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<String>,
}

impl HasKey for TypedPolicy {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// An AWS service with trusted access to an organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TrustedService {
    /// Its service principal (`sso.amazonaws.com`, …).
    pub service_principal: String,
    /// When access was enabled.
    pub enabled: Timestamp,
}

/// A member account that administers a service for its organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct DelegatedAdministrator {
    /// The member account.
    pub account: AccountId,
    /// The service principal it administers.
    pub service_principal: String,
    /// When it was registered.
    pub at: Timestamp,
}

/// A handshake: a request to an account that it accepts or declines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Handshake {
    /// `h-…`.
    pub id: String,
    /// The account asked.
    pub account: AccountId,
    /// What it is asked.
    pub action: HandshakeAction,
    /// Where it stands.
    pub state: HandshakeState,
    /// When it was sent.
    pub requested: Timestamp,
    /// Free text sent with an invitation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// What a handshake asks (AWS's `ActionType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandshakeAction {
    /// Join the organization (`INVITE`).
    Invite,
    /// Agree to all features (`ENABLE_ALL_FEATURES`).
    EnableAllFeatures,
    /// Let the sending organization's management account manage a responsibility of the
    /// asked account's organization (`TRANSFER_RESPONSIBILITY`; see [`Transfer`]).
    TransferResponsibility,
}

/// A responsibility transfer: the organization that holds it (its management account sent the
/// invitation) manages a responsibility of another organization, the *source*, whose
/// management account was asked. The only responsibility AWS transfers is billing
/// (`BILLING`), so the type is not recorded.
///
/// The management account that manages is AWS's `Target` of the transfer (it lists the
/// transfer as inbound); the source lists it as outbound.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Transfer {
    /// `rt-…`.
    pub id: String,
    /// The name the inviting management account gave it (AWS's `SourceName`, renamed by
    /// `UpdateResponsibilityTransfer`).
    pub name: String,
    /// The management account of the organization whose responsibility is transferred.
    pub source: AccountId,
    /// When the managing account begins to manage it.
    pub start: Timestamp,
    /// When it ended, once terminated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Timestamp>,
    /// Where it stands.
    pub status: TransferStatus,
    /// The handshake that asked the source (`h-…`).
    pub handshake: String,
}

/// Where a responsibility transfer stands (AWS's `ResponsibilityTransferStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransferStatus {
    /// Invited; the source has not answered.
    Requested,
    /// The source accepted: the transfer is in force (until terminated).
    Accepted,
    /// The source declined.
    Declined,
    /// The inviting organization canceled its invitation.
    Canceled,
    /// Ended by `TerminateResponsibilityTransfer` after it was accepted.
    Withdrawn,
}

impl TransferStatus {
    /// The name AWS's Organizations API uses.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Requested => "REQUESTED",
            Self::Accepted => "ACCEPTED",
            Self::Declined => "DECLINED",
            Self::Canceled => "CANCELED",
            Self::Withdrawn => "WITHDRAWN",
        }
    }

    /// What answering its handshake makes of a transfer.
    pub fn answered(state: HandshakeState) -> Self {
        match state {
            HandshakeState::Open => Self::Requested,
            HandshakeState::Accepted => Self::Accepted,
            HandshakeState::Declined => Self::Declined,
            HandshakeState::Canceled => Self::Canceled,
        }
    }
}

/// Where a handshake stands (AWS's `HandshakeState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HandshakeState {
    /// Waiting for an answer.
    Open,
    /// Accepted.
    Accepted,
    /// Declined by the account asked.
    Declined,
    /// Withdrawn by the organization.
    Canceled,
}

impl HandshakeAction {
    /// The name AWS's Organizations API uses.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Invite => "INVITE",
            Self::EnableAllFeatures => "ENABLE_ALL_FEATURES",
            Self::TransferResponsibility => "TRANSFER_RESPONSIBILITY",
        }
    }
}

impl HandshakeState {
    /// The name AWS's Organizations API uses.
    pub fn aws_name(self) -> &'static str {
        match self {
            Self::Open => "OPEN",
            Self::Accepted => "ACCEPTED",
            Self::Declined => "DECLINED",
            Self::Canceled => "CANCELED",
        }
    }
}

impl HasKey for Organization {
    type Key = AccountId;
    fn key(&self) -> AccountId {
        self.management.clone()
    }
}

/// The governance intent an organization declares for Kiro.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Governance {
    /// Profiles, settings and cost live in the management account (pattern 4): member accounts
    /// must not sign up for Kiro or create account instances on their own.
    Central,
    /// Member accounts run their own profiles (patterns 2 and 3).
    Delegated,
}

/// An organizational unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Ou {
    /// The OU's name, unique within its organization (the operations file names OUs by name).
    pub name: String,
    /// `ou-…`; derived when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// `root` or the name of the parent OU.
    pub parent: String,
}

impl HasKey for Ou {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// A service control policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Scp {
    /// The policy's name, unique within its organization.
    pub name: String,
    /// `p-…`; derived when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether AWS manages it (`FullAWSAccess`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub aws_managed: bool,
    /// The IAM policy document, as a mapping or a JSON string.
    pub document: serde_json::Value,
}

impl HasKey for Scp {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// One policy attached to one target.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Attachment {
    /// The policy's name.
    pub policy: String,
    /// `root`, an OU name, or an account id.
    #[serde(deserialize_with = "crate::ids::not_a_number")]
    pub target: String,
}

/// An IAM Identity Center instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Instance {
    /// The account that owns the instance (an account owns at most one).
    pub account: AccountId,
    /// Organization instance or account instance.
    pub kind: InstanceKind,
    /// The region the instance lives in: where identities and subscriptions are stored.
    pub region: String,
    /// When the instance was enabled (matters for organization instances: 2023-11-15).
    pub created: Date,
    /// `ssoins-…`; derived when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// `d-…`; derived when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub identity_store: String,
    /// The extended session duration for Kiro, in days (1–90); none when not extended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiro_session_days: Option<u32>,
    /// Identity-enhanced console sessions (organization instances only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identity_enhanced_sessions: bool,
    /// The instance's display name, as Identity Center's `UpdateInstance` sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Customer managed applications (OAuth or SAML), made with Identity Center's
    /// `CreateApplication`; Kiro profiles are AWS managed applications of their own.
    #[serde(default, skip_serializing_if = "Keyed::is_empty")]
    pub applications: Keyed<Application>,
    /// Permission sets: what a user or group may do in the AWS accounts it is assigned to
    /// (organization instances only: an account instance gives no access to AWS accounts).
    #[serde(default, skip_serializing_if = "Keyed::is_empty")]
    pub permission_sets: Keyed<PermissionSet>,
    /// Who may sign in to which AWS account with which permission set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub account_assignments: Vec<AccountAssignment>,
    /// Where the identity store may be called from, as Identity Store's `UpdateIdentityStore`
    /// sets it; none is no restriction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_store_network: Option<StoreNetwork>,
    /// The regions it is replicated to besides its own (multi-Region Identity Center, AWS's
    /// `AddRegion`), each with when it was added; its own `region` is the primary one.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub replica_regions: BTreeMap<String, Timestamp>,
    /// Attributes for access control (ABAC): which user attribute each session tag comes
    /// from; none when the instance has no such configuration (organization instances only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_control_attributes: Option<Vec<AccessControlAttribute>>,
    /// Trusted token issuers: outside OAuth 2.0 issuers whose tokens applications may
    /// exchange for Identity Center's (trusted identity propagation).
    #[serde(default, skip_serializing_if = "Keyed::is_empty")]
    pub trusted_token_issuers: Keyed<TrustedTokenIssuer>,
    /// Tags of the instance, its permission sets and customer managed applications, by ARN.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, BTreeMap<String, String>>,
    /// The identity store's users.
    #[serde(default)]
    pub users: Keyed<User>,
    /// The identity store's groups.
    #[serde(default)]
    pub groups: Keyed<Group>,
}

impl HasKey for Instance {
    type Key = AccountId;
    fn key(&self) -> AccountId {
        self.account.clone()
    }
}

impl Instance {
    /// The AWS access portal URL of this instance.
    pub fn portal_url(&self) -> String {
        format!("https://{}.awsapps.com/start", self.identity_store)
    }
}

/// One attribute for access control: the session tag `key` takes its value from `source`,
/// a path into the user's attributes such as `${path:enterprise.costCenter}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AccessControlAttribute {
    /// The session tag's key.
    pub key: String,
    /// Where its value comes from.
    pub source: String,
}

/// A trusted token issuer of an instance (always of AWS's type `OIDC_JWT`, its keys found by
/// OpenID discovery, the only kinds AWS has).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct TrustedTokenIssuer {
    /// Its name, unique within its instance.
    pub name: String,
    /// `tti-…`, a UUID.
    pub id: String,
    /// The issuer's URL (the tokens' `iss`), unique within its instance.
    pub issuer_url: String,
    /// The token claim that names the user.
    pub claim_attribute_path: String,
    /// The identity store attribute that claim is matched with.
    pub identity_store_attribute_path: String,
    /// When it was created.
    pub created: Timestamp,
}

impl HasKey for TrustedTokenIssuer {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// A customer managed application of an Identity Center instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Application {
    /// Its name, unique within its instance.
    pub name: String,
    /// `apl-…`.
    pub id: String,
    /// Its application provider's ARN (`…:applicationProvider/custom` or `custom-saml`).
    pub provider: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Whether users can sign in to it (AWS's `ENABLED`; `DISABLED` otherwise).
    pub enabled: bool,
    /// When it was created.
    pub created: Timestamp,
    /// The access scopes it may request (`sso:account:access`, `redshift:connect`, …), each
    /// with the application ARNs it may use the scope with (none: any).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub access_scopes: BTreeMap<String, Vec<String>>,
    /// Its IAM authentication method: the policy (JSON text) saying which IAM principals may
    /// call Identity Center's OIDC API as it; none when it has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iam_authentication: Option<String>,
    /// Its OAuth 2.0 grants, by AWS's grant type (`authorization_code`, `refresh_token`,
    /// `urn:ietf:params:oauth:grant-type:jwt-bearer`, `…:token-exchange`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub grants: BTreeMap<String, Grant>,
    /// Whether a user must be assigned (directly or by a group) to use it; none is AWS's
    /// default, required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignment_required: Option<bool>,
    /// Whether it may run user background sessions (AWS's
    /// `UserBackgroundSessionApplicationStatus`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub user_background_sessions: bool,
}

/// One OAuth 2.0 grant of an application: the redirect URIs of an authorization code grant,
/// the trusted token issuers of a JWT bearer grant; a refresh token or token exchange grant
/// holds nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Grant {
    /// Where an authorization code may be sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirect_uris: Vec<String>,
    /// Whose tokens it accepts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authorized_token_issuers: Vec<AuthorizedTokenIssuer>,
}

/// A trusted token issuer of the instance whose tokens a JWT bearer grant accepts, for some
/// audiences.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AuthorizedTokenIssuer {
    /// The trusted token issuer, by name.
    pub trusted_token_issuer: String,
    /// The tokens' `aud` values it accepts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub audiences: Vec<String>,
}

impl HasKey for Application {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// A permission set of an organization instance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PermissionSet {
    /// Its name, unique within its instance.
    pub name: String,
    /// `ps-…`.
    pub id: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How long a session lasts, ISO 8601 (`PT1H` to `PT12H`).
    pub session_duration: String,
    /// Where the console opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_state: Option<String>,
    /// When it was created.
    pub created: Timestamp,
    /// Its inline IAM policy, as JSON text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline_policy: Option<String>,
    /// The ARNs of the AWS managed policies attached to it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub managed_policies: Vec<String>,
    /// The customer managed policies it references, by name and path: each account it is
    /// provisioned to must hold a policy of that name and path.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub customer_managed_policies: Vec<PolicyReference>,
    /// The most its roles may do, whatever their policies allow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions_boundary: Option<PermissionsBoundary>,
    /// Whether it changed since it was last provisioned to the accounts it is assigned in
    /// (AWS's `LATEST_PERMISSION_SET_NOT_PROVISIONED`): they keep the old permissions until
    /// `provision-permission-set`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub outdated: bool,
}

impl HasKey for PermissionSet {
    type Key = String;
    fn key(&self) -> String {
        self.name.clone()
    }
}

/// A customer managed policy, by the name and path it has in every account (IAM's
/// `CustomerManagedPolicyReference`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PolicyReference {
    /// The policy's name.
    pub name: String,
    /// Its path, `/` unless given.
    #[serde(default = "PolicyReference::root_path")]
    pub path: String,
}

impl PolicyReference {
    /// The path IAM gives a policy created without one.
    pub fn root_path() -> String {
        "/".to_owned()
    }
}

impl fmt::Display for PolicyReference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.path, self.name)
    }
}

/// A permission set's permissions boundary: one AWS managed policy or one customer managed
/// policy reference, never both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum PermissionsBoundary {
    /// An AWS managed policy, by ARN.
    ManagedPolicy(String),
    /// A customer managed policy, by name and path.
    CustomerManaged(PolicyReference),
}

/// The network restrictions of an identity store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct StoreNetwork {
    /// Whether calls must come through a VPC endpoint.
    pub vpce_access_required: bool,
    /// The VPCs (`vpc-…`) the API may be called from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_restrict_source_vpcs: Vec<String>,
    /// The CIDR ranges the API may be called from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub api_allow_source_ips: Vec<String>,
    /// The CIDR ranges SCIM provisioning may come from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scim_allow_source_ips: Vec<String>,
}

/// A user or group of an instance given a permission set in an AWS account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AccountAssignment {
    /// The AWS account, a member of the instance's organization.
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

/// The two kinds of Identity Center instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InstanceKind {
    /// Enabled in a management account; one per organization; every feature.
    Organization,
    /// Bound to one member or standalone account; AWS managed applications only.
    Account,
}

impl fmt::Display for InstanceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Organization => "organization instance",
            Self::Account => "account instance",
        })
    }
}

/// A user of an identity store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct User {
    /// The user name, unique within its identity store.
    pub user_name: Name,
    /// The user id; derived when absent.
    #[serde(default, skip_serializing_if = "Name::is_empty")]
    pub id: Name,
    /// The primary email address: how the same person is recognised across identity stores
    /// (see [`crate::email`]). Optional, as in AWS: a user without one is kept, and is the same
    /// person as nobody in another store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<Name>,
    /// The display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Identity Center user attributes (`costCenter`, `department`, …): what chargeback by
    /// attribute groups by, as AWS's cost allocation by user attribute does. The Identity
    /// Store API carries them in the [`ENTERPRISE_EXTENSION`].
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
}

/// The Identity Store API's extension of a user with its enterprise attributes (`costCenter`,
/// `department`, `division`, `organization`, `employeeNumber`), returned when asked for.
pub const ENTERPRISE_EXTENSION: &str = "aws:identitystore:enterprise";

impl HasKey for User {
    type Key = Name;
    fn key(&self) -> Name {
        self.user_name.clone()
    }
}

/// A group of an identity store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Group {
    /// The group's display name, unique within its identity store.
    pub name: Name,
    /// The group id; derived when absent.
    #[serde(default, skip_serializing_if = "Name::is_empty")]
    pub id: Name,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// User names of the members.
    #[serde(default)]
    pub members: Members,
}

impl HasKey for Group {
    type Key = Name;
    fn key(&self) -> Name {
        self.name.clone()
    }
}

/// A Kiro profile: the settings and subscriptions of one account in one region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Profile {
    /// The account that signed up.
    pub account: AccountId,
    /// Where data and inference stay (a Kiro region).
    pub region: String,
    /// The Identity Center instance, named by its owning account.
    pub instance: AccountId,
    /// The profile id; derived when absent.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    /// When the profile was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<Date>,
    /// The management settings.
    #[serde(default)]
    pub settings: ProfileSettings,
    /// Users and groups subscribed to a plan.
    #[serde(default)]
    pub subscriptions: Keyed<Subscription>,
}

/// A profile's natural key: account and region.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProfileKey {
    /// The account.
    pub account: AccountId,
    /// The region.
    pub region: String,
}

impl ProfileKey {
    /// The key of the profile of `account` in `region`.
    pub fn new(account: &AccountId, region: &str) -> Self {
        Self {
            account: account.clone(),
            region: region.to_owned(),
        }
    }
}

impl fmt::Display for ProfileKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.account, self.region)
    }
}

impl HasKey for Profile {
    type Key = ProfileKey;
    fn key(&self) -> ProfileKey {
        ProfileKey::new(&self.account, &self.region)
    }
}

impl Profile {
    /// The name of the Identity Center application that registers this profile.
    pub fn application_name(&self) -> String {
        format!("KiroProfile-{}", self.region)
    }
}

/// A profile's management settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ProfileSettings {
    /// Prompt logging to S3.
    #[serde(default)]
    pub prompt_logging: bool,
    /// Overage beyond the plan's credits (off by default, as in AWS).
    #[serde(default)]
    pub overage: bool,
}

/// A user or a group, as a subscription names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Principal {
    /// A user, by user name.
    User(Name),
    /// A group, by name: shorthand for each of its members.
    Group(Name),
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::User(name) => write!(f, "user `{name}`"),
            Self::Group(name) => write!(f, "group `{name}`"),
        }
    }
}

/// A subscription of a user or group to a plan in a profile.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Subscription {
    /// The subscribed user (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_name: Option<Name>,
    /// The subscribed group (exactly one of `user-name` and `group`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Name>,
    /// The plan.
    pub plan: Plan,
    /// Active (charged) or pending (not yet signed in, not charged).
    #[serde(default, skip_serializing_if = "Status::is_active")]
    pub status: Status,
}

impl Subscription {
    /// The subscribed principal. A subscription that names both a user and a group is reported
    /// by validation; it is keyed as the user.
    pub fn principal(&self) -> Principal {
        match (&self.user_name, &self.group) {
            (Some(user), _) => Principal::User(user.clone()),
            (None, Some(group)) => Principal::Group(group.clone()),
            (None, None) => Principal::User(Name::default()),
        }
    }
}

impl HasKey for Subscription {
    type Key = Principal;
    fn key(&self) -> Principal {
        self.principal()
    }
}

/// The Kiro plans, in ascending order of price and credits: the order that decides which plan
/// counts when a person reaches one profile through several paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Plan {
    /// Pro.
    Pro,
    /// Pro+.
    ProPlus,
    /// Pro Max (added in 2026).
    ProMax,
    /// Power.
    Power,
}

impl Plan {
    /// Every plan, lowest first.
    pub const ALL: [Plan; 4] = [Plan::Pro, Plan::ProPlus, Plan::ProMax, Plan::Power];

    /// The name used in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pro => "pro",
            Self::ProPlus => "pro-plus",
            Self::ProMax => "pro-max",
            Self::Power => "power",
        }
    }

    /// The plan with `name` as written in files.
    pub fn parse(name: &str) -> Option<Plan> {
        Self::ALL.into_iter().find(|p| p.as_str() == name)
    }

    /// The name AWS's consoles show.
    pub fn display_name(self) -> &'static str {
        match self {
            Self::Pro => "Pro",
            Self::ProPlus => "Pro+",
            Self::ProMax => "Pro Max",
            Self::Power => "Power",
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a subscription is charged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The user has signed in: charged.
    #[default]
    Active,
    /// Not charged until the user first signs in.
    Pending,
}

impl Status {
    fn is_active(&self) -> bool {
        *self == Status::Active
    }
}

/// One applied operation in the event log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Event {
    /// When it happened.
    pub at: Timestamp,
    /// The operation and its parameters, as in an operations file (without `at`).
    pub op: crate::op::Op,
    /// `ok`, or the error name when a failure is recorded (the server records refused calls).
    #[serde(default = "ok")]
    pub outcome: String,
}

fn ok() -> String {
    "ok".to_owned()
}
