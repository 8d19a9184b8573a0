//! The simulated control plane: every operation of SPEC.md as a pure function of the estate,
//! enforcing every rule with the error AWS would give.
//!
//! [`Engine::apply`] authorizes an operation against the SCPs of the acting account first (as
//! AWS does), then runs it; a refused operation changes nothing, an applied one is appended to
//! the estate's event log with its time and parameters, like CloudTrail.
#![deny(missing_docs)]

pub mod authz;
pub mod effective;
pub mod error;
pub mod ops;
pub mod ops_file;

use kiro_estate::{AccountId, Estate, Event};

pub use authz::{Action, PolicyCache, Question, Scps};
pub use error::{ErrorKind, OpError};
/// The vocabulary of operations, beside the event log in [`kiro_estate`].
pub use kiro_estate::op;
pub use kiro_estate::{Applied, Op};
pub use kiro_policy::Decision;
pub use ops_file::OpItem;

use crate::ops::Ctx;

/// An estate and what the engine keeps beside it between operations.
#[derive(Default)]
pub struct Engine {
    estate: Estate,
    cache: PolicyCache,
}

impl Engine {
    /// An engine over `estate`.
    pub fn new(estate: Estate) -> Self {
        Self {
            estate,
            cache: PolicyCache::default(),
        }
    }

    /// The current estate.
    pub fn estate(&self) -> &Estate {
        &self.estate
    }

    /// The estate, giving up the engine.
    pub fn into_estate(self) -> Estate {
        self.estate
    }

    /// Whether `question` is allowed by the SCPs of the current estate, and by what denied:
    /// the same answer [`Engine::apply`] would give, for the advice to rehearse guard rails
    /// on and for anyone asking before acting.
    pub fn decide(&mut self, question: &Question<'_>) -> Result<Decision<'static>, OpError> {
        Scps::new(&self.estate, &mut self.cache).decide(question)
    }

    /// Applies `op` at `at`: authorization, then the operation's rules, then the event log.
    pub fn apply(&mut self, op: &Op, at: jiff::Timestamp) -> Result<Applied, OpError> {
        apply_with(&mut self.estate, &mut self.cache, op, at)
    }

    /// Records that `op` was refused at `at` for `reason`, changing nothing else: for the one
    /// refusal AWS keeps a record of and answers later (a `CreateAccount` whose status is
    /// `FAILED`). Billing and every replay skip such events.
    pub fn record_refused(&mut self, op: &Op, at: jiff::Timestamp, reason: &str) {
        self.estate.events.push(Event {
            at,
            op: op.clone(),
            outcome: reason.to_owned(),
        });
    }

    /// Authorizes `op` alone, as [`Engine::apply`] does first, changing nothing: for a caller
    /// that must answer an SCP denial before it can name everything the operation needs (the
    /// server, whose requests name principals by ids that may not resolve).
    pub fn authorize(&mut self, op: &Op) -> Result<(), OpError> {
        authorize_op(&self.estate, &mut self.cache, op)
    }

    /// Authorizes an action that is no operation of the estate (the server's application
    /// assignments) with the same SCPs and the same cache.
    pub fn authorize_action(&mut self, action: &Action<'_>) -> Result<(), OpError> {
        authz::authorize(&self.estate, &mut self.cache, action)
    }
}

fn authorize_op(estate: &Estate, cache: &mut PolicyCache, op: &Op) -> Result<(), OpError> {
    match required_action(estate, op) {
        Some(action) => authz::authorize(estate, cache, &action.as_action()),
        None => Ok(()),
    }
}

/// Applies `op` to `estate` at `at` (see [`Engine::apply`]); for many operations, an
/// [`Engine`] keeps parsed SCPs between them.
pub fn apply(estate: &mut Estate, op: &Op, at: jiff::Timestamp) -> Result<Applied, OpError> {
    apply_with(estate, &mut PolicyCache::default(), op, at)
}

fn apply_with(
    estate: &mut Estate,
    cache: &mut PolicyCache,
    op: &Op,
    at: jiff::Timestamp,
) -> Result<Applied, OpError> {
    authorize_op(estate, cache, op)?;
    let ctx = Ctx { at };
    let output = dispatch(estate, op, &ctx)?;
    // The cache knows a policy by its name: one whose document changed, or a name given to
    // another policy after a deletion, must be parsed again.
    if matches!(op, Op::UpdatePolicy(_) | Op::DeletePolicy(_)) {
        cache.clear();
    }
    estate.events.push(Event {
        at,
        op: op.clone(),
        outcome: "ok".to_owned(),
    });
    Ok(output)
}

fn dispatch(estate: &mut Estate, op: &Op, ctx: &Ctx) -> Result<Applied, OpError> {
    use ops::{
        access_control as ac, directory as d, handshakes as h, identity_center as ic,
        organizations as o, permission_sets as ps, policies as p, profiles as pr, regions as rg,
        services as sv, subscriptions as s, tags as t, token_issuers as tt, transfers as tr,
    };
    match op {
        Op::CreateAccount(i) => o::create_account(estate, i, ctx),
        Op::CreateGovCloudAccount(i) => o::create_gov_cloud_account(estate, i, ctx),
        Op::CreateOrganization(i) => o::create_organization(estate, i, ctx),
        Op::CreateOu(i) => o::create_ou(estate, i, ctx),
        Op::UpdateOu(i) => o::update_ou(estate, i, ctx),
        Op::DeleteOu(i) => o::delete_ou(estate, i, ctx),
        Op::DeleteOrganization(i) => o::delete_organization(estate, i, ctx),
        Op::EnablePolicyType(i) => p::enable_policy_type(estate, i, ctx),
        Op::DisablePolicyType(i) => p::disable_policy_type(estate, i, ctx),
        Op::InviteAccount(i) => o::invite_account(estate, i, ctx),
        Op::MoveAccount(i) => o::move_account(estate, i, ctx),
        Op::CreatePolicy(i) => p::create_policy(estate, i, ctx),
        Op::UpdatePolicy(i) => p::update_policy(estate, i, ctx),
        Op::DeletePolicy(i) => p::delete_policy(estate, i, ctx),
        Op::AttachPolicy(i) => p::attach_policy(estate, i, ctx),
        Op::DetachPolicy(i) => p::detach_policy(estate, i, ctx),
        Op::EnableIdentityCenter(i) => ic::enable_identity_center(estate, i, ctx),
        Op::AllowMemberAccountInstances(i) => ic::allow_member_account_instances(estate, i, ctx),
        Op::CreateUser(i) => d::create_user(estate, i, ctx),
        Op::CreateGroup(i) => d::create_group(estate, i, ctx),
        Op::AddMember(i) => d::add_member(estate, i, ctx),
        Op::RemoveMember(i) => d::remove_member(estate, i, ctx),
        Op::CreateProfile(i) => pr::create_profile(estate, i, ctx),
        Op::DeleteProfile(i) => pr::delete_profile(estate, i, ctx),
        Op::UpdateProfileSettings(i) => pr::update_profile_settings(estate, i, ctx),
        Op::Subscribe(i) => s::subscribe(estate, i, ctx),
        Op::Unsubscribe(i) => s::unsubscribe(estate, i, ctx),
        Op::SetKiroSessionDuration(i) => ic::set_kiro_session_duration(estate, i, ctx),
        Op::EnableIdentityEnhancedSessions(i) => {
            ic::enable_identity_enhanced_sessions(estate, i, ctx)
        }
        Op::TagResource(i) => t::tag_resource(estate, i, ctx),
        Op::UntagResource(i) => t::untag_resource(estate, i, ctx),
        Op::SendInvitation(i) => h::send_invitation(estate, i, ctx),
        Op::AcceptHandshake(i) => h::accept_handshake(estate, i, ctx),
        Op::DeclineHandshake(i) => h::decline_handshake(estate, i, ctx),
        Op::CancelHandshake(i) => h::cancel_handshake(estate, i, ctx),
        Op::InviteTransfer(i) => tr::invite_transfer(estate, i, ctx),
        Op::RenameTransfer(i) => tr::rename_transfer(estate, i, ctx),
        Op::TerminateTransfer(i) => tr::terminate_transfer(estate, i, ctx),
        Op::RemoveAccount(i) => o::remove_account(estate, i, ctx),
        Op::LeaveOrganization(i) => o::leave_organization(estate, i, ctx),
        Op::CloseAccount(i) => o::close_account(estate, i, ctx),
        Op::EnableServiceAccess(i) => sv::enable_service_access(estate, i, ctx),
        Op::DisableServiceAccess(i) => sv::disable_service_access(estate, i, ctx),
        Op::RegisterDelegatedAdministrator(i) => {
            sv::register_delegated_administrator(estate, i, ctx)
        }
        Op::DeregisterDelegatedAdministrator(i) => {
            sv::deregister_delegated_administrator(estate, i, ctx)
        }
        Op::EnableAllFeatures(i) => h::enable_all_features(estate, i, ctx),
        Op::PutResourcePolicy(i) => p::put_resource_policy(estate, i, ctx),
        Op::DeleteResourcePolicy(i) => p::delete_resource_policy(estate, i, ctx),
        Op::CreateApplication(i) => ic::create_application(estate, i, ctx),
        Op::UpdateApplication(i) => ic::update_application(estate, i, ctx),
        Op::DeleteApplication(i) => ic::delete_application(estate, i, ctx),
        Op::CreatePermissionSet(i) => ps::create_permission_set(estate, i, ctx),
        Op::UpdatePermissionSet(i) => ps::update_permission_set(estate, i, ctx),
        Op::DeletePermissionSet(i) => ps::delete_permission_set(estate, i, ctx),
        Op::AssignAccount(i) => ps::assign_account(estate, i, ctx),
        Op::UnassignAccount(i) => ps::unassign_account(estate, i, ctx),
        Op::ProvisionPermissionSet(i) => ps::provision_permission_set(estate, i, ctx),
        Op::UpdateIdentityStore(i) => d::update_identity_store(estate, i, ctx),
        Op::TagInstanceResource(i) => t::tag_instance_resource(estate, i, ctx),
        Op::UntagInstanceResource(i) => t::untag_instance_resource(estate, i, ctx),
        Op::UpdateInstance(i) => ic::update_instance(estate, i, ctx),
        Op::DeleteIdentityCenter(i) => ic::delete_identity_center(estate, i, ctx),
        Op::UpdateUser(i) => d::update_user(estate, i, ctx),
        Op::DeleteUser(i) => d::delete_user(estate, i, ctx),
        Op::UpdateGroup(i) => d::update_group(estate, i, ctx),
        Op::DeleteGroup(i) => d::delete_group(estate, i, ctx),
        Op::AddRegion(i) => rg::add_region(estate, i, ctx),
        Op::RemoveRegion(i) => rg::remove_region(estate, i, ctx),
        Op::SetAccessControlAttributes(i) => ac::set_access_control_attributes(estate, i, ctx),
        Op::DeleteAccessControlAttributes(i) => {
            ac::delete_access_control_attributes(estate, i, ctx)
        }
        Op::CreateTrustedTokenIssuer(i) => tt::create_trusted_token_issuer(estate, i, ctx),
        Op::UpdateTrustedTokenIssuer(i) => tt::update_trusted_token_issuer(estate, i, ctx),
        Op::DeleteTrustedTokenIssuer(i) => tt::delete_trusted_token_issuer(estate, i, ctx),
    }
}

/// An owned [`Action`].
pub struct RequiredAction {
    /// The acting account.
    pub account: AccountId,
    /// The IAM actions.
    pub actions: &'static [&'static str],
    /// The resource.
    pub resource: String,
    /// The region.
    pub region: String,
    /// What the operation adds to the request context ([`authz::seat_context`]).
    pub context: Vec<(&'static str, String)>,
}

impl RequiredAction {
    fn as_action(&self) -> Action<'_> {
        Action {
            account: &self.account,
            actions: self.actions,
            resource: self.resource.clone(),
            region: &self.region,
            context: &self.context,
        }
    }
}

/// The account that performs `op` and the IAM actions it needs, for SCP evaluation. None for
/// operations only a management account (which SCPs never restrict) or no organization performs.
///
/// | operation | IAM actions |
/// |---|---|
/// | `enable-identity-center` | `sso:CreateInstance` |
/// | `set-kiro-session-duration`, `enable-identity-enhanced-sessions`, `update-instance` | `sso:UpdateInstance` |
/// | `delete-identity-center` | `sso:DeleteInstance` |
/// | `add-region` / `remove-region` | `sso:AddRegion` / `sso:RemoveRegion` |
/// | `set-access-control-attributes` / `delete-access-control-attributes` | `sso:CreateInstanceAccessControlAttributeConfiguration` (one there is: `UpdateInstanceAccessControlAttributeConfiguration`) / `DeleteInstanceAccessControlAttributeConfiguration` |
/// | `create-trusted-token-issuer` / `update-trusted-token-issuer` / `delete-trusted-token-issuer` | `sso:CreateTrustedTokenIssuer` / `UpdateTrustedTokenIssuer` / `DeleteTrustedTokenIssuer` |
/// | `update-identity-store` | `identitystore:UpdateIdentityStore` |
/// | `tag-instance-resource` / `untag-instance-resource` | `sso:TagResource` / `sso:UntagResource` |
/// | `provision-permission-set` | `sso:ProvisionPermissionSet` |
/// | `assign-account` / `unassign-account` | `sso:CreateAccountAssignment` / `DeleteAccountAssignment` |
/// | `create-permission-set` / `delete-permission-set` | `sso:CreatePermissionSet` / `DeletePermissionSet` |
/// | `update-permission-set` | `sso:UpdatePermissionSet`, or for its policies `sso:PutInlinePolicyToPermissionSet`, `DeleteInlinePolicyFromPermissionSet`, `AttachManagedPolicyToPermissionSet`, `DetachManagedPolicyFromPermissionSet`, `AttachCustomerManagedPolicyReferenceToPermissionSet`, `DetachCustomerManagedPolicyReferenceFromPermissionSet`, `PutPermissionsBoundaryToPermissionSet`, `DeletePermissionsBoundaryFromPermissionSet` |
/// | `create-application` / `update-application` / `delete-application` | `sso:CreateApplication` / `UpdateApplication` / `DeleteApplication`; for the setting an update changes `sso:PutApplicationAccessScope`, `DeleteApplicationAccessScope`, `PutApplicationAuthenticationMethod`, `DeleteApplicationAuthenticationMethod`, `PutApplicationGrant`, `DeleteApplicationGrant`, `PutApplicationAssignmentConfiguration` or `PutApplicationSessionConfiguration` |
/// | `create-user` / `create-group` | `identitystore:CreateUser` / `identitystore:CreateGroup` |
/// | `update-user` / `delete-user` / `update-group` / `delete-group` | `identitystore:UpdateUser` / `DeleteUser` / `UpdateGroup` / `DeleteGroup` |
/// | `add-member` / `remove-member` | `identitystore:CreateGroupMembership` / `identitystore:DeleteGroupMembership` |
/// | `create-profile` / `delete-profile` / `update-profile-settings` | `codewhisperer:CreateProfile` / `DeleteProfile` / `UpdateProfile` |
/// | `subscribe` | `q:CreateAssignment`, `user-subscriptions:CreateClaim` (re-subscribing, or `expect: existing`: `q:UpdateAssignment`, `user-subscriptions:UpdateClaim`) |
/// | `unsubscribe` | `q:DeleteAssignment`, `user-subscriptions:DeleteClaim` |
/// | `leave-organization` | `organizations:LeaveOrganization` |
/// | `accept-handshake` / `decline-handshake` | `organizations:AcceptHandshake` / `organizations:DeclineHandshake` |
///
/// `subscribe` and `unsubscribe` add the principal's `identitystore:GroupId` or
/// `identitystore:UserId` to the request context ([`authz::seat_context`]).
pub fn required_action(estate: &Estate, op: &Op) -> Option<RequiredAction> {
    let instance_region = |owner: &AccountId| {
        estate
            .instances
            .get(owner)
            .map(|i| i.region.clone())
            .unwrap_or_default()
    };
    let on_instance = |owner: &AccountId, actions: &'static [&'static str]| {
        let region = instance_region(owner);
        let resource = estate.instances.get(owner).map_or_else(
            || "*".to_owned(),
            |i| kiro_estate::ids::arn::instance(i.partition(), &i.id),
        );
        Some(RequiredAction {
            account: owner.clone(),
            actions,
            resource,
            region,
            context: Vec::new(),
        })
    };
    let on_profile = |account: &AccountId, region: &str, actions: &'static [&'static str]| {
        let resource = estate
            .profiles
            .get(&kiro_estate::ProfileKey::new(account, region))
            .map_or("*", |p| p.id.as_str());
        let resource = kiro_estate::ids::arn::profile(region, account.as_str(), resource);
        Some(RequiredAction {
            account: account.clone(),
            actions,
            resource,
            region: region.to_owned(),
            context: Vec::new(),
        })
    };
    let on_seat = |account: &AccountId,
                   region: &str,
                   user: &Option<kiro_estate::Name>,
                   group: &Option<kiro_estate::Name>,
                   actions: &'static [&'static str]| {
        on_profile(account, region, actions).map(|mut required| {
            if let Ok(who) = ops::subscriptions::principal(user, group) {
                required.context = authz::seat_context(estate, account, region, &who);
            }
            required
        })
    };
    match op {
        Op::EnableIdentityCenter(i) => Some(RequiredAction {
            account: i.account.clone(),
            actions: &["sso:CreateInstance"],
            resource: "*".to_owned(),
            region: i.region.clone(),
            context: Vec::new(),
        }),
        Op::SetKiroSessionDuration(op::SetKiroSessionDuration { instance, .. })
        | Op::EnableIdentityEnhancedSessions(op::InstanceRef { instance }) => {
            on_instance(instance, &["sso:UpdateInstance"])
        }
        Op::CreateUser(i) => on_instance(&i.instance, &["identitystore:CreateUser"]),
        Op::CreateGroup(i) => on_instance(&i.instance, &["identitystore:CreateGroup"]),
        Op::AddMember(i) => on_instance(&i.instance, &["identitystore:CreateGroupMembership"]),
        Op::UpdateInstance(i) => on_instance(&i.instance, &["sso:UpdateInstance"]),
        Op::TagInstanceResource(i) => on_instance(&i.instance, &["sso:TagResource"]),
        Op::UntagInstanceResource(i) => on_instance(&i.instance, &["sso:UntagResource"]),
        Op::ProvisionPermissionSet(i) => on_instance(&i.instance, &["sso:ProvisionPermissionSet"]),
        Op::AssignAccount(i) => on_instance(&i.instance, &["sso:CreateAccountAssignment"]),
        Op::UnassignAccount(i) => on_instance(&i.instance, &["sso:DeleteAccountAssignment"]),
        Op::CreatePermissionSet(i) => on_instance(&i.instance, &["sso:CreatePermissionSet"]),
        Op::UpdatePermissionSet(i) => on_instance(&i.instance, ops::permission_sets::actions(i)),
        Op::DeletePermissionSet(i) => on_instance(&i.instance, &["sso:DeletePermissionSet"]),
        Op::CreateApplication(i) => on_instance(&i.instance, &["sso:CreateApplication"]),
        Op::UpdateApplication(i) => on_instance(&i.instance, ops::application_settings::actions(i)),
        Op::DeleteApplication(i) => on_instance(&i.instance, &["sso:DeleteApplication"]),
        Op::DeleteIdentityCenter(i) => on_instance(&i.instance, &["sso:DeleteInstance"]),
        Op::AddRegion(i) => on_instance(&i.instance, &["sso:AddRegion"]),
        Op::RemoveRegion(i) => on_instance(&i.instance, &["sso:RemoveRegion"]),
        Op::SetAccessControlAttributes(i) => {
            on_instance(&i.instance, ops::access_control::actions(estate, i))
        }
        Op::DeleteAccessControlAttributes(i) => on_instance(
            &i.instance,
            &["sso:DeleteInstanceAccessControlAttributeConfiguration"],
        ),
        Op::CreateTrustedTokenIssuer(i) => {
            on_instance(&i.instance, &["sso:CreateTrustedTokenIssuer"])
        }
        Op::UpdateTrustedTokenIssuer(i) => {
            on_instance(&i.instance, &["sso:UpdateTrustedTokenIssuer"])
        }
        Op::DeleteTrustedTokenIssuer(i) => {
            on_instance(&i.instance, &["sso:DeleteTrustedTokenIssuer"])
        }
        Op::UpdateUser(i) => on_instance(&i.instance, &["identitystore:UpdateUser"]),
        Op::UpdateIdentityStore(i) => {
            on_instance(&i.instance, &["identitystore:UpdateIdentityStore"])
        }
        Op::DeleteUser(i) => on_instance(&i.instance, &["identitystore:DeleteUser"]),
        Op::UpdateGroup(i) => on_instance(&i.instance, &["identitystore:UpdateGroup"]),
        Op::DeleteGroup(i) => on_instance(&i.instance, &["identitystore:DeleteGroup"]),
        Op::RemoveMember(i) => on_instance(&i.instance, &["identitystore:DeleteGroupMembership"]),
        Op::CreateProfile(i) => on_profile(&i.account, &i.region, &["codewhisperer:CreateProfile"]),
        Op::DeleteProfile(i) => on_profile(&i.account, &i.region, &["codewhisperer:DeleteProfile"]),
        Op::UpdateProfileSettings(i) => {
            on_profile(&i.account, &i.region, &["codewhisperer:UpdateProfile"])
        }
        Op::Subscribe(i) => {
            // A malformed principal is no re-subscription; the operation refuses it later.
            let resubscribe = match i.expect {
                Some(op::Expect::New) => false,
                Some(op::Expect::Existing) => true,
                None => ops::subscriptions::principal(&i.user_name, &i.group)
                    .ok()
                    .zip(
                        estate
                            .profiles
                            .get(&kiro_estate::ProfileKey::new(&i.account, &i.region)),
                    )
                    .is_some_and(|(who, p)| p.subscriptions.contains(&who)),
            };
            let actions: &'static [&'static str] = if resubscribe {
                &["q:UpdateAssignment", "user-subscriptions:UpdateClaim"]
            } else {
                &["q:CreateAssignment", "user-subscriptions:CreateClaim"]
            };
            on_seat(&i.account, &i.region, &i.user_name, &i.group, actions)
        }
        Op::Unsubscribe(i) => on_seat(
            &i.account,
            &i.region,
            &i.user_name,
            &i.group,
            &["q:DeleteAssignment", "user-subscriptions:DeleteClaim"],
        ),
        Op::LeaveOrganization(i) => Some(RequiredAction {
            account: i.account.clone(),
            actions: &["organizations:LeaveOrganization"],
            resource: "*".to_owned(),
            region: "us-east-1".to_owned(),
            context: Vec::new(),
        }),
        Op::AcceptHandshake(i) | Op::DeclineHandshake(i) => Some(RequiredAction {
            account: i.account.clone(),
            actions: if matches!(op, Op::AcceptHandshake(_)) {
                &["organizations:AcceptHandshake"]
            } else {
                &["organizations:DeclineHandshake"]
            },
            resource: "*".to_owned(),
            region: "us-east-1".to_owned(),
            context: Vec::new(),
        }),
        Op::CreateAccount(_)
        | Op::CreateGovCloudAccount(_)
        | Op::TagResource(_)
        | Op::UntagResource(_)
        | Op::SendInvitation(_)
        | Op::CancelHandshake(_)
        | Op::InviteTransfer(_)
        | Op::RenameTransfer(_)
        | Op::TerminateTransfer(_)
        | Op::RemoveAccount(_)
        | Op::CloseAccount(_)
        | Op::EnableServiceAccess(_)
        | Op::DisableServiceAccess(_)
        | Op::RegisterDelegatedAdministrator(_)
        | Op::DeregisterDelegatedAdministrator(_)
        | Op::EnableAllFeatures(_)
        | Op::PutResourcePolicy(_)
        | Op::DeleteResourcePolicy(_)
        | Op::CreateOrganization(_)
        | Op::CreateOu(_)
        | Op::UpdateOu(_)
        | Op::DeleteOu(_)
        | Op::DeleteOrganization(_)
        | Op::EnablePolicyType(_)
        | Op::DisablePolicyType(_)
        | Op::UpdatePolicy(_)
        | Op::DeletePolicy(_)
        | Op::InviteAccount(_)
        | Op::MoveAccount(_)
        | Op::CreatePolicy(_)
        | Op::AttachPolicy(_)
        | Op::DetachPolicy(_)
        | Op::AllowMemberAccountInstances(_) => None,
    }
}
