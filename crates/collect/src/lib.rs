//! `kiro-org collect`: read a real estate from AWS, read-only, into an estate file.
//!
//! The collector calls only `List*`, `Describe*` and the internal `ListUserSubscriptions`: it
//! never changes anything in AWS. It signs in with the normal AWS credential chain (or explicit
//! keys, for emulators and tests) and works against AWS or any endpoint that speaks the same
//! protocols (`kiro-org serve`, moto).
//!
//! ## What comes from where
//! | estate field | source |
//! |---|---|
//! | `accounts[].id`, `name`, `email` | Organizations `ListAccounts` |
//! | `accounts[].organization`, `organizations[].management`, `id` | Organizations `DescribeOrganization` |
//! | `organizations[].root-id` | Organizations `ListRoots` |
//! | `organizations[].ous` (name, id, parent) | Organizations `ListOrganizationalUnitsForParent`, from the root down |
//! | `accounts[].parent` | Organizations `ListAccountsForParent`, per root and OU |
//! | `organizations[].policies` (name, id, description, AWS managed, document) | Organizations `ListPolicies(SERVICE_CONTROL_POLICY)` + `DescribePolicy` |
//! | `organizations[].attachments` | Organizations `ListTargetsForPolicy` per policy |
//! | `instances[]` (account, id, identity store, created) | SSO Admin `ListInstances` + `DescribeInstance` |
//! | `instances[].region` | the instance's `PrimaryRegion`, else the region it was listed in (`ListInstances` is regional); the admin export when that is ambiguous |
//! | `instances[].kind` | organization instance when the management account owns it, else account instance |
//! | `instances[].users`, `groups`, members | Identity Store `ListUsers`, `ListGroups`, `ListGroupMemberships` |
//! | `profiles[]` (account, region, instance, created) | SSO Admin `ListApplications`: each `KiroProfile-<region>` application, `ApplicationAccount` = the profile's account |
//! | `profiles[].subscriptions` (principal, plan, status), `profiles[].id` | the internal `AWSZornControlPlaneService.ListUserSubscriptions` (optional; a failure is a warning) |
//! | `profiles[].settings` | the admin export (`--merge`): no API shows prompt logging or overage |
//! | `profiles[].subscriptions` when `ListUserSubscriptions` is unavailable | the admin export |
//! | `organizations[].member-account-instances-allowed` | inferred when a member account holds an account instance next to an organization instance from before 2023-11-15; else the admin export (the setting has no read API) |
//! | `organizations[].governance` | the admin export: governance is intent |
//! | `instances[].kiro-session-days`, `identity-enhanced-sessions` | the admin export: no read API |
//! | `simulator` | the admin export |
//! | profiles of an instance whose `ListApplications` failed | the admin export (with a warning) |
//!
//! Account instances live in member accounts, whose Identity Center and identity store only
//! those accounts can read: [`MemberAccess`] says how the collector acts as them. Standalone
//! accounts outside the organization are separate collections.
#![deny(missing_docs)]

mod aws;
pub mod calls;
mod identity;
pub mod merge;
mod organization;
mod subscriptions;

use std::collections::BTreeSet;

use kiro_estate::{AccountId, Diagnostic, Estate, ProfileKey};

pub use calls::Call;
pub use merge::merge;

/// The explicit keys tests and emulators sign with, instead of the credential chain.
#[derive(Clone, Debug)]
pub struct StaticKeys {
    /// The access key id (`kiro-org serve` acts as the account a 12-digit key names).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// A session token, for temporary credentials.
    pub session_token: Option<String>,
}

/// How the collector acts as each member account to read its account instance, its directory
/// and its profiles (only the owning account can read them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum MemberAccess {
    /// Member accounts are not visited: only instances the caller can see are collected.
    #[default]
    None,
    /// Assume `arn:<partition>:iam::<account>:role/<name>` in each member account through STS
    /// (e.g. a read-only role deployed with StackSets).
    AssumeRole(String),
    /// Sign as each member account with its account id as the access key id and the same
    /// secret: `kiro-org serve`'s convention for acting as an account. Needs [`StaticKeys`].
    AccessKeyIsAccountId,
}

/// What to collect, and how to reach AWS.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// An endpoint for every service (an emulator); AWS's own endpoints when absent.
    pub endpoint_url: Option<String>,
    /// A named profile of the shared AWS config files.
    pub profile: Option<String>,
    /// The region to call (and to look for Identity Center instances in); the credential
    /// chain's region when absent.
    pub region: Option<String>,
    /// Explicit keys instead of the credential chain.
    pub keys: Option<StaticKeys>,
    /// Attempts per call (1 = no retries); the SDK's default (3, standard mode) when absent.
    pub max_attempts: Option<u32>,
    /// More regions to look for Identity Center instances in, besides `region`.
    pub instance_regions: Vec<String>,
    /// How member accounts are read.
    pub members: MemberAccess,
    /// Whether to call the internal `ListUserSubscriptions`.
    pub subscriptions: bool,
}

/// What a collection found.
#[derive(Clone, Debug, Default)]
pub struct Collection {
    /// The estate, not yet merged, normalised or validated.
    pub estate: Estate,
    /// What could not be read, and why; the estate lacks exactly these parts.
    pub warnings: Vec<String>,
    /// Profiles whose subscriptions came from `ListUserSubscriptions` (live, so an export does
    /// not override them).
    pub live_subscriptions: BTreeSet<ProfileKey>,
    /// Instances (by owner) whose `ListApplications` failed: their profiles are unknown.
    pub unlisted_instances: BTreeSet<AccountId>,
    /// Instances (by owner) whose region is a guess: listed in several regions with no
    /// `PrimaryRegion`, as from an endpoint that ignores the signing region.
    pub uncertain_regions: BTreeSet<AccountId>,
    /// Accounts known only by id (no organization shows their name).
    pub unnamed_accounts: BTreeSet<AccountId>,
}

/// Why a collection failed outright.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// The configuration is unusable (no region, member access without keys, …).
    #[error("{0}")]
    Config(String),
    /// A call that the estate cannot do without failed.
    #[error("`{operation}` failed: {message}")]
    Call {
        /// The API operation.
        operation: String,
        /// What AWS (or the endpoint) said.
        message: String,
    },
}

/// Collects the estate that the configured credentials can see.
pub async fn collect(options: &Options) -> Result<Collection, CollectError> {
    let home = aws::Access::home(options).await?;
    let mut out = Collection {
        estate: Estate::empty(),
        ..Collection::default()
    };
    let org = organization::collect(&home, &mut out).await?;
    identity::collect(options, &home, org.as_ref(), &mut out).await?;
    infer_member_instances_allowed(&mut out);
    admit_profile_regions(&mut out.estate, &mut out.warnings);
    Ok(out)
}

/// Kiro's regions are configuration, not code: a profile that AWS shows in a region the list
/// lacks means that Kiro runs there now, so the region joins the list (with a warning) rather
/// than the collection failing `check`.
pub(crate) fn admit_profile_regions(estate: &mut Estate, warnings: &mut Vec<String>) {
    let mut missing: Vec<String> = Vec::new();
    for p in estate.profiles.iter() {
        if !estate.simulator.kiro_regions.contains(&p.region) && !missing.contains(&p.region) {
            missing.push(p.region.clone());
        }
    }
    for region in missing {
        warnings.push(format!(
            "AWS shows a Kiro profile in `{region}`, which is not among Kiro's regions: `{region}` is added to `simulator.kiro-regions`"
        ));
        estate.simulator.kiro_regions.push(region);
    }
}

/// No API reads whether member accounts were allowed to create account instances, but an
/// account instance in a member account, next to an organization instance from before
/// 2023-11-15, shows that they were: AWS refuses such an instance otherwise.
fn infer_member_instances_allowed(out: &mut Collection) {
    let cutover = kiro_estate::validate::account_instance_cutover();
    let estate = &mut out.estate;
    for org in estate.organizations.iter_mut() {
        let Some(org_instance) = estate
            .instances
            .get(&org.management)
            .filter(|i| i.kind == kiro_estate::InstanceKind::Organization)
        else {
            continue;
        };
        if org_instance.created >= cutover || org.member_account_instances_allowed {
            continue;
        }
        let witness = estate.instances.iter().find(|i| {
            i.kind == kiro_estate::InstanceKind::Account
                && i.account != org.management
                && estate
                    .accounts
                    .get(&i.account)
                    .is_some_and(|a| a.organization.as_ref() == Some(&org.management))
        });
        if let Some(w) = witness {
            org.member_account_instances_allowed = true;
            out.warnings.push(format!(
                "member accounts were allowed to create account instances (no API reads this setting; member account `{}` holds one and the organization instance predates 2023-11-15)",
                w.account
            ));
        }
    }
}

/// Normalises the collected (and merged) estate and checks it as `kiro-org check` would:
/// the estate, or every problem found.
pub fn finish(mut estate: Estate) -> Result<Estate, Vec<Diagnostic>> {
    estate.normalize();
    let problems = estate.validate();
    if problems.is_empty() {
        Ok(estate)
    } else {
        Err(problems)
    }
}
