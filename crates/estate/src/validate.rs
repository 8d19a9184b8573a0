//! Every invariant of SPEC.md's domain, checked on a whole estate at once.
//!
//! The simulator refuses operations that would break these rules; a hand-written file can still
//! break them, so `kiro-org check` runs this and reports every problem with its location.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::bounds::{self, Bound};
use crate::diagnostic::{Diagnostic, DocPath, did_you_mean};
use crate::ids::{self, AccountId};
use crate::keyed::{HasKey, Keyed};
use crate::model::{
    Date, Estate, HandshakeAction, InstanceKind, Joined, Organization, TransferStatus,
};
use crate::query::Standing;

/// The date from which new organization instances let member accounts create account instances.
pub fn account_instance_cutover() -> jiff::civil::Date {
    jiff::civil::date(2023, 11, 15)
}

/// When an account instance was created, as [`account_instance_rule`] reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Created {
    /// Being created now (the engine's `enable-identity-center`): after its account joined,
    /// and after any organization instance that exists.
    Now,
    /// On this date, as an estate records it.
    On(Date),
}

/// An account instance of a member account that the 2023-11-15 rule forbids: the
/// organization instance predates 2023-11-15 and member account instances were not allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ForbiddenAccountInstance {
    /// When the organization instance was enabled.
    pub organization_instance: Date,
}

/// The 2023-11-15 rule, the one home of it: may a member account hold an account instance
/// created at `created`, given when the account `joined` its organization, when the
/// organization instance was enabled (none: it has none) and whether the management account
/// allowed member account instances?
///
/// SPEC.md: member accounts may create account instances when the organization instance was
/// enabled on or after 2023-11-15, or before it once allowed (irreversibly), or while the
/// organization has no organization instance; an account instance created while the account
/// was standalone stays an account instance when it joins. So the instance is allowed when
/// any of these holds:
/// - it was created before its account joined (`joined` records when; when the file does not
///   say, as hand-written files may not, the account is taken to have been a member then);
/// - it was created before the organization instance was enabled;
/// - the organization has no organization instance, or one enabled on or after 2023-11-15;
/// - member account instances are allowed.
///
/// Estates record an instance's creation as a day. AWS is silent on order within a day, and a
/// file cannot state it, so an instance created on the day its account joined, or on the day
/// the organization instance was enabled, counts as created first. The engine, which knows the
/// order, passes [`Created::Now`] for an instance it is creating, and re-asks this rule for the
/// existing instances whenever an operation changes one of its other inputs (an account
/// joining, an organization instance enabled with a backdated `created`), refusing what `check`
/// would then refuse; so `apply` and `check` agree on every estate `apply` writes.
pub fn account_instance_rule(
    created: Created,
    joined: Option<&Joined>,
    organization_instance: Option<Date>,
    allowed: bool,
) -> Result<(), ForbiddenAccountInstance> {
    let Some(org_created) = organization_instance else {
        return Ok(());
    };
    let (before_joining, before_org_instance) = match created {
        Created::Now => (false, false),
        Created::On(day) => (
            joined.is_some_and(|j| day <= j.at.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()),
            day <= org_created,
        ),
    };
    if allowed || org_created >= account_instance_cutover() || before_joining || before_org_instance
    {
        Ok(())
    } else {
        Err(ForbiddenAccountInstance {
            organization_instance: org_created,
        })
    }
}

/// The one-partition rule, the one home of it: may the estate whose home region is `home`
/// ([`Estate::home_region`]) hold an instance or profile in `region`? An organization, its
/// Identity Center instances and its Kiro profiles live in one partition (`aws`, `aws-cn`,
/// `aws-us-gov`): no account, and so no ARN, crosses partitions. The error is the message;
/// [`PARTITION_HELP`] is its help.
pub fn partition_rule(home: Option<&str>, region: &str) -> Result<(), String> {
    let Some(home) = home else {
        return Ok(());
    };
    let (theirs, ours) = (ids::partition(region), ids::partition(home));
    if theirs == ours {
        Ok(())
    } else {
        Err(format!(
            "`{region}` is in partition `{theirs}`, but the estate is in `{ours}` (from `{home}`)"
        ))
    }
}

/// What to do about a region outside the estate's partition.
pub const PARTITION_HELP: &str = "an organization, its Identity Center instances and Kiro profiles live in one partition; describe the other partition in an estate of its own";

/// At most this many OU levels below the root.
pub const MAX_OU_DEPTH: usize = 5;
/// At most this many SCPs attached to one target.
pub const MAX_SCPS_PER_TARGET: usize = 5;
/// At most this many managed policies per permission set, AWS managed and customer managed
/// together (Identity Center's default quota).
pub const MAX_MANAGED_POLICIES: usize = 20;
/// At most this many access scopes per application (Identity Center's quota, not adjustable).
pub const MAX_ACCESS_SCOPES: usize = 25;

/// What only an organization instance holds: an account instance gives no access to AWS
/// accounts, so permission sets, attributes for access control (the session tags of their
/// roles) and other regions are not for it. Why the account instance of `owner` cannot hold
/// `what`, when `kind` is one.
pub fn organization_only(kind: InstanceKind, owner: &AccountId, what: &str) -> Result<(), String> {
    match kind {
        InstanceKind::Organization => Ok(()),
        InstanceKind::Account => Err(format!(
            "the account instance of `{owner}` cannot hold {what}: an account instance gives no access to AWS accounts; use the organization instance"
        )),
    }
}

/// Whether `text`, a policy document (`what` names it), is a JSON object; why not otherwise.
pub fn json_object(text: &str, what: &str) -> Result<(), String> {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) if v.is_object() => Ok(()),
        Ok(_) => Err(format!("{what} must be a JSON object")),
        Err(e) => Err(format!("{what} is not valid JSON: {e}")),
    }
}

/// Every problem of `estate`, in file order.
pub fn validate(estate: &Estate) -> Vec<Diagnostic> {
    let mut v = Validator {
        estate,
        out: Vec::new(),
    };
    v.accounts();
    v.organizations();
    v.instances();
    v.profiles();
    v.out
}

struct Validator<'e> {
    estate: &'e Estate,
    out: Vec<Diagnostic>,
}

/// The account that had `email` first, or none after recording `account` as its first.
fn first_with<'e>(
    seen: &mut HashMap<std::borrow::Cow<'e, str>, &'e AccountId>,
    email: &'e str,
    account: &'e AccountId,
) -> Option<&'e AccountId> {
    match seen.entry(crate::email::person(email)) {
        std::collections::hash_map::Entry::Occupied(first) => Some(first.get()),
        std::collections::hash_map::Entry::Vacant(slot) => {
            slot.insert(account);
            None
        }
    }
}

fn duplicates<T: HasKey>(keyed: &Keyed<T>, path: &DocPath, what: &str, out: &mut Vec<Diagnostic>) {
    for (position, key) in keyed.duplicates() {
        out.push(duplicate(path.index(*position), what, key));
    }
}

/// The entry at `path` repeats the `what` named `key`.
fn duplicate(path: DocPath, what: &str, key: impl fmt::Display) -> Diagnostic {
    Diagnostic::new(path, format!("duplicate {what} `{key}`")).with_help(format!(
        "each {what} may appear once; merge or remove this entry"
    ))
}

/// The audit rule (by name) that reports a subscription whose principal is not in the
/// profile's identity store: the audit turns this rule break into its finding.
pub const SUBSCRIPTION_PRINCIPAL_MISSING: &str = "subscription-principal-missing";

impl<'e> Validator<'e> {
    fn push(&mut self, path: DocPath, message: String, help: Option<String>) {
        self.out
            .push(Diagnostic::new(path, message).with_help_opt(help));
    }

    /// A string that AWS bounds (see [`crate::bounds`]), at `path`.
    /// The path is built only for a diagnostic: a large directory's users are checked by the
    /// hundred thousand, and nearly all of them pass.
    fn bounded(&mut self, bound: &Bound, value: &str, path: impl FnOnce() -> DocPath) {
        if let Err(message) = bound.check(value) {
            self.push(path(), message, None);
        }
    }

    /// A region outside the estate's partition ([`partition_rule`]), at `path`.
    fn partition(&mut self, home: Option<&str>, region: &str, path: impl FnOnce() -> DocPath) {
        if let Err(message) = partition_rule(home, region) {
            self.push(path(), message, Some(PARTITION_HELP.to_owned()));
        }
    }

    fn push_breaking(
        &mut self,
        rule: &'static str,
        path: DocPath,
        message: String,
        help: Option<String>,
    ) {
        self.out.push(
            Diagnostic::new(path, message)
                .with_help_opt(help)
                .breaking(rule),
        );
    }

    fn account_ref(&mut self, id: &AccountId, path: DocPath) -> bool {
        if self.estate.accounts.contains(id) {
            return true;
        }
        let ids: Vec<String> = self
            .estate
            .accounts
            .iter()
            .map(|a| a.id.to_string())
            .collect();
        self.push(
            path,
            format!("unknown account `{id}`"),
            did_you_mean(id.as_str(), ids.iter().map(String::as_str))
                .or_else(|| Some("declare it under `accounts`".to_owned())),
        );
        false
    }

    fn accounts(&mut self) {
        let base = DocPath::root().key("accounts");
        duplicates(&self.estate.accounts, &base, "account", &mut self.out);
        let mut emails: HashMap<std::borrow::Cow<'_, str>, &AccountId> = HashMap::new();
        for (i, acct) in self.estate.accounts.positioned() {
            let path = base.index(i);
            self.bounded(&bounds::ACCOUNT_NAME, &acct.name, || path.key("name"));
            if let Some(email) = &acct.email {
                if let Err(message) = crate::email::check(email) {
                    self.push(path.key("email"), message, None);
                } else if let Some(first) = first_with(&mut emails, email, &acct.id) {
                    self.push(
                        path.key("email"),
                        format!("account `{}` has the email of account `{first}`", acct.id),
                        Some("AWS keeps every account's root email unique".to_owned()),
                    );
                }
            }
            if !acct.id.is_valid() {
                self.push(
                    path.key("id"),
                    format!("`{}` is not an AWS account id", acct.id),
                    Some(
                        "an account id is exactly 12 digits, written as a quoted string".to_owned(),
                    ),
                );
            }
            match &acct.organization {
                Some(org_id) => {
                    let Some(org) = self.estate.organizations.get(org_id) else {
                        let known: Vec<String> = self
                            .estate
                            .organizations
                            .iter()
                            .map(|o| o.management.to_string())
                            .collect();
                        self.push(
                            path.key("organization"),
                            format!("unknown organization `{org_id}`"),
                            did_you_mean(org_id.as_str(), known.iter().map(String::as_str))
                                .or_else(|| {
                                    Some(
                                        "an organization is named by its management account id"
                                            .to_owned(),
                                    )
                                }),
                        );
                        continue;
                    };
                    if self.estate.organizations.contains(&acct.id) && org_id != &acct.id {
                        self.push(
                            path.key("organization"),
                            format!("account `{}` manages its own organization and cannot be a member of `{org_id}`", acct.id),
                            None,
                        );
                    }
                    if let Some(parent) = &acct.parent {
                        self.parent_ref(org, parent, path.key("parent"));
                    }
                }
                None => {
                    if acct.parent.is_some() {
                        self.push(
                            path.key("parent"),
                            format!("standalone account `{}` has a parent", acct.id),
                            Some("set `organization` to the management account id, or remove `parent`".to_owned()),
                        );
                    }
                }
            }
        }
    }

    fn parent_ref(&mut self, org: &Organization, parent: &str, path: DocPath) {
        if parent == "root" || org.ous.contains(&parent.to_owned()) {
            return;
        }
        let mut names: Vec<&str> = org.ous.iter().map(|o| o.name.as_str()).collect();
        names.push("root");
        self.push(
            path,
            format!("unknown OU `{parent}` in organization `{}`", org.management),
            did_you_mean(parent, names)
                .or_else(|| Some("use `root` or the name of an OU".to_owned())),
        );
    }

    fn organizations(&mut self) {
        let base = DocPath::root().key("organizations");
        duplicates(
            &self.estate.organizations,
            &base,
            "organization",
            &mut self.out,
        );
        for (i, org) in self.estate.organizations.positioned() {
            let path = base.index(i);
            if self.account_ref(&org.management, path.key("management"))
                && let Some(other) = self
                    .estate
                    .accounts
                    .get(&org.management)
                    .and_then(|a| a.organization.as_ref())
                && other != &org.management
            {
                self.push(
                    path.key("management"),
                    format!(
                        "account `{}` is a member of `{other}` and cannot manage an organization",
                        org.management
                    ),
                    None,
                );
            }
            duplicates(&org.ous, &path.key("ous"), "OU", &mut self.out);
            for (j, ou) in org.ous.positioned() {
                let ou_path = path.key("ous").index(j);
                self.bounded(&bounds::OU_NAME, &ou.name, || ou_path.key("name"));
                if ou.name == "root" {
                    self.push(
                        ou_path.key("name"),
                        "an OU cannot be named `root`".to_owned(),
                        None,
                    );
                }
                self.parent_ref(org, &ou.parent, ou_path.key("parent"));
                let chain = org.ou_path(&ou.name);
                let cyclic = chain.first().is_some_and(|first| first.parent != "root")
                    && org.ous.contains(&chain[0].parent);
                if cyclic {
                    self.push(
                        ou_path.key("parent"),
                        format!("OU `{}` is its own ancestor", ou.name),
                        None,
                    );
                } else if chain.len() > MAX_OU_DEPTH {
                    self.push(
                        ou_path.key("parent"),
                        format!(
                            "OU `{}` is nested {} levels below the root",
                            ou.name,
                            chain.len()
                        ),
                        Some(format!("AWS allows at most {MAX_OU_DEPTH} levels of OUs")),
                    );
                }
            }
            self.policies(org, &path);
            self.transfers(org, &path);
        }
    }

    /// Each responsibility transfer asks its source by a `TRANSFER_RESPONSIBILITY` handshake
    /// of the organization, and no source is transferred to two organizations at once.
    fn transfers(&mut self, org: &Organization, path: &DocPath) {
        let mut ids = HashSet::new();
        for (j, t) in org.transfers.iter().enumerate() {
            let at = path.key("transfers").index(j);
            if !ids.insert(t.id.as_str()) {
                self.out
                    .push(duplicate(at.key("id"), "responsibility transfer", &t.id));
            }
            let asked = org.handshakes.iter().any(|h| {
                h.id == t.handshake
                    && h.action == HandshakeAction::TransferResponsibility
                    && h.account == t.source
            });
            if !asked {
                self.push(
                    at.key("handshake"),
                    format!(
                        "responsibility transfer `{}` names handshake `{}`, which is no invitation of `{}` to transfer responsibility in this organization",
                        t.id, t.handshake, t.source
                    ),
                    Some("a transfer is made by `invite-transfer`, which records both".to_owned()),
                );
            }
            // Of two transfers in force for one source, the later (by managing account, then
            // id) is the one reported, not both.
            if t.status == TransferStatus::Accepted
                && let Some((other, held)) =
                    self.estate.transfer_in_force(&t.source, Some(&t.handshake))
                && (other.management.as_str(), held.id.as_str())
                    < (org.management.as_str(), t.id.as_str())
            {
                self.push(
                    at.key("status"),
                    format!(
                        "the organization of `{}` transfers its billing to `{}` already ({}): one transfer is in force at a time",
                        t.source, other.management, held.id
                    ),
                    Some("terminate one of them (`terminate-transfer`)".to_owned()),
                );
            }
        }
    }

    fn policies(&mut self, org: &Organization, path: &DocPath) {
        duplicates(
            &org.policies,
            &path.key("policies"),
            "policy",
            &mut self.out,
        );
        for (j, p) in org.policies.positioned() {
            let at = path.key("policies").index(j);
            self.bounded(&bounds::POLICY_NAME, &p.name, || at.key("name"));
            if let Some(d) = &p.description {
                self.bounded(&bounds::POLICY_DESCRIPTION, d, || at.key("description"));
            }
            if let Err(e) = crate::scp::check_document(&p.document) {
                self.push(at.key("document"), e, None);
            }
        }
        let members: HashSet<&str> = self
            .estate
            .accounts
            .iter()
            .filter(|a| a.organization.as_ref() == Some(&org.management))
            .map(|a| a.id.as_str())
            .collect();
        let mut per_target: HashMap<&str, usize> = HashMap::new();
        let mut seen = HashSet::new();
        for (j, a) in org.attachments.iter().enumerate() {
            let apath = path.key("attachments").index(j);
            if !org.policies.contains(&a.policy) {
                let names: Vec<&str> = org.policies.iter().map(|p| p.name.as_str()).collect();
                self.push(
                    apath.key("policy"),
                    format!("unknown policy `{}`", a.policy),
                    did_you_mean(&a.policy, names),
                );
            }
            if !org.has_target(&a.target, |t| members.contains(t)) {
                let mut names: Vec<&str> = org.ous.iter().map(|o| o.name.as_str()).collect();
                names.push("root");
                names.extend(members.iter().copied());
                self.push(
                    apath.key("target"),
                    format!("unknown target `{}`", a.target),
                    did_you_mean(&a.target, names).or_else(|| {
                        Some("a target is `root`, an OU name or a member account id".to_owned())
                    }),
                );
            }
            if !seen.insert((a.policy.as_str(), a.target.as_str())) {
                self.push(
                    apath,
                    format!("policy `{}` is attached to `{}` twice", a.policy, a.target),
                    None,
                );
                continue;
            }
            let n = per_target.entry(a.target.as_str()).or_default();
            *n += 1;
            if *n == MAX_SCPS_PER_TARGET + 1 {
                self.push(
                    apath,
                    format!(
                        "target `{}` has more than {MAX_SCPS_PER_TARGET} SCPs attached",
                        a.target
                    ),
                    Some("AWS allows at most 5 SCPs per root, OU or account".to_owned()),
                );
            }
        }
        if org.scps_disabled {
            // With SCPs disabled nothing is attached, and AWS keeps no SCP anywhere.
            if !org.attachments.is_empty() {
                self.push(
                    path.key("attachments"),
                    "SCPs are attached while `scps-disabled` is true".to_owned(),
                    Some(
                        "remove the attachments, or enable SCPs (drop `scps-disabled`)".to_owned(),
                    ),
                );
            }
            return;
        }
        let mut targets: Vec<&str> = vec!["root"];
        targets.extend(org.ous.iter().map(|o| o.name.as_str()));
        let mut member_list: Vec<&str> = members
            .iter()
            .copied()
            .filter(|m| *m != org.management.as_str())
            .collect();
        member_list.sort_unstable();
        targets.extend(member_list);
        for t in targets {
            if !per_target.contains_key(t) {
                self.push(
                    path.key("attachments"),
                    format!("`{t}` has no SCP attached"),
                    Some(format!("AWS keeps at least one SCP on every root, OU and account; attach `FullAWSAccess` to `{t}`")),
                );
            }
        }
    }

    fn instances(&mut self) {
        let base = DocPath::root().key("instances");
        duplicates(
            &self.estate.instances,
            &base,
            "instance for account",
            &mut self.out,
        );
        let home = self.estate.home_region();
        for (i, inst) in self.estate.instances.positioned() {
            let path = base.index(i);
            self.partition(home, &inst.region, || path.key("region"));
            if !self.account_ref(&inst.account, path.key("account")) {
                continue;
            }
            let standing = self.estate.standing(&inst.account);
            match (inst.kind, standing) {
                (InstanceKind::Organization, Standing::Management) | (InstanceKind::Account, Standing::Member | Standing::Standalone) => {}
                (InstanceKind::Organization, _) => self.push(
                    path.key("kind"),
                    format!("an organization instance must be in a management account, and `{}` is not one", inst.account),
                    Some("use `kind: account` for an account instance".to_owned()),
                ),
                (InstanceKind::Account, Standing::Management) => self.push(
                    path.key("kind"),
                    format!("an account instance cannot be created in the management account `{}`", inst.account),
                    Some("use `kind: organization` for the organization instance".to_owned()),
                ),
            }
            if inst.kind == InstanceKind::Account
                && standing == Standing::Member
                && let Some(org) = self.estate.organization_of(&inst.account)
                && let Err(forbidden) = account_instance_rule(
                    Created::On(inst.created),
                    self.estate
                        .account(&inst.account)
                        .and_then(|a| a.joined.as_ref()),
                    self.estate.organization_instance(org).map(|i| i.created),
                    org.member_account_instances_allowed,
                )
            {
                self.push(
                    path.key("created"),
                    format!(
                        "member account `{}` has an account instance created on {} as a member, but the organization instance was enabled on {} (before 2023-11-15) and member account instances were never allowed",
                        inst.account, inst.created, forbidden.organization_instance
                    ),
                    Some("set `member-account-instances-allowed: true` on the organization (irreversible in AWS), or record with `joined` that the account joined after creating it".to_owned()),
                );
            }
            if let Some(days) = inst.kiro_session_days
                && !(1..=90).contains(&days)
            {
                self.push(
                    path.key("kiro-session-days"),
                    format!("`{days}` days is out of range"),
                    Some("the extended Kiro session lasts 1 to 90 days".to_owned()),
                );
            }
            if inst.identity_enhanced_sessions && inst.kind == InstanceKind::Account {
                self.push(
                    path.key("identity-enhanced-sessions"),
                    "identity-enhanced sessions need an organization instance".to_owned(),
                    Some("account instances cannot enable them; remove this setting".to_owned()),
                );
            }
            let held = [
                (
                    "permission-sets",
                    "permission sets",
                    !inst.permission_sets.is_empty(),
                ),
                (
                    "account-assignments",
                    "account assignments",
                    !inst.account_assignments.is_empty(),
                ),
                (
                    "access-control-attributes",
                    "attributes for access control",
                    inst.access_control_attributes.is_some(),
                ),
                (
                    "replica-regions",
                    "other regions",
                    !inst.replica_regions.is_empty(),
                ),
            ];
            for (key, what, _) in held.iter().filter(|(_, _, there)| *there) {
                if let Err(message) = organization_only(inst.kind, &inst.account, what) {
                    self.push(path.key(key), message, Some(format!("remove `{key}`")));
                }
            }
            for (j, app) in inst.applications.positioned() {
                let at = || path.key("applications").index(j);
                if app.access_scopes.len() > MAX_ACCESS_SCOPES {
                    self.push(
                        at().key("access-scopes"),
                        format!(
                            "application `{}` has {} access scopes",
                            app.name,
                            app.access_scopes.len()
                        ),
                        Some(format!(
                            "AWS allows at most {MAX_ACCESS_SCOPES} per application"
                        )),
                    );
                }
                if let Some(Err(message)) = app
                    .iam_authentication
                    .as_deref()
                    .map(|p| json_object(p, "the actor policy"))
                {
                    self.push(at().key("iam-authentication"), message, None);
                }
                for (kind, grant) in &app.grants {
                    for (k, issuer) in grant.authorized_token_issuers.iter().enumerate() {
                        let name = &issuer.trusted_token_issuer;
                        if !inst.trusted_token_issuers.contains(name) {
                            let names = inst.trusted_token_issuers.iter().map(|t| t.name.as_str());
                            self.push(
                                at().key("grants")
                                    .key(kind)
                                    .key("authorized-token-issuers")
                                    .index(k),
                                format!(
                                    "application `{}` names unknown trusted token issuer `{name}`",
                                    app.name
                                ),
                                did_you_mean(name, names),
                            );
                        }
                    }
                }
            }
            for (j, ps) in inst.permission_sets.positioned() {
                let attached = ps.managed_policies.len() + ps.customer_managed_policies.len();
                if attached > MAX_MANAGED_POLICIES {
                    self.push(
                        path.key("permission-sets").index(j).key("managed-policies"),
                        format!(
                            "permission set `{}` has {attached} managed and customer managed policies",
                            ps.name
                        ),
                        Some(format!("AWS allows at most {MAX_MANAGED_POLICIES} per permission set")),
                    );
                }
            }
            duplicates(&inst.users, &path.key("users"), "user", &mut self.out);
            for (j, u) in inst.users.positioned() {
                let at = || path.key("users").index(j);
                self.bounded(&bounds::USER_NAME, &u.user_name, || at().key("user-name"));
                if let Some(name) = &u.display_name {
                    self.bounded(&bounds::DISPLAY_NAME, name, || at().key("display-name"));
                }
                if let Some(Err(message)) = u.email.as_deref().map(crate::email::check) {
                    self.push(at().key("email"), message, None);
                }
            }
            duplicates(&inst.groups, &path.key("groups"), "group", &mut self.out);
            let mut listed_by = vec![0u32; inst.users.len()];
            for (j, g) in inst.groups.positioned() {
                self.bounded(&bounds::GROUP_NAME, &g.name, || {
                    path.key("groups").index(j).key("name")
                });
                let at = |k| path.key("groups").index(j).key("members").index(k);
                for (k, m) in g.members.iter().enumerate() {
                    let Some(u) = inst.users.index_of(m) else {
                        let names = inst.users.iter().map(|u| u.user_name.as_str());
                        self.push(
                            at(k),
                            format!("group `{}` has unknown member `{m}`", g.name),
                            did_you_mean(m, names),
                        );
                        continue;
                    };
                    // Which group listed each user last: a repeat within a group is found
                    // without hashing the names again.
                    let group = u32::try_from(j + 1).unwrap_or(u32::MAX);
                    if std::mem::replace(&mut listed_by[u], group) == group {
                        self.push(
                            at(k),
                            format!("group `{}` lists member `{m}` twice", g.name),
                            Some("each member may appear once; remove this entry".to_owned()),
                        );
                    }
                }
            }
        }
    }

    fn profiles(&mut self) {
        let base = DocPath::root().key("profiles");
        duplicates(&self.estate.profiles, &base, "profile", &mut self.out);
        let quota = self.estate.simulator.profile_quota as usize;
        let mut per_org_instance: HashMap<(&AccountId, &str), usize> = HashMap::new();
        let home = self.estate.home_region();
        for (i, p) in self.estate.profiles.positioned() {
            let path = base.index(i);
            self.partition(home, &p.region, || path.key("region"));
            let regions = &self.estate.simulator.kiro_regions;
            if !regions.contains(&p.region) {
                self.push(
                    path.key("region"),
                    format!("Kiro does not run in `{}`", p.region),
                    did_you_mean(&p.region, regions.iter().map(String::as_str))
                        .or_else(|| Some(format!("Kiro regions: {}", regions.join(", ")))),
                );
            }
            if !self.account_ref(&p.account, path.key("account")) {
                continue;
            }
            let available = self.estate.available_instances(&p.account);
            let Some(inst) = available.iter().find(|i| i.account == p.instance) else {
                let names: Vec<String> = available.iter().map(|i| i.account.to_string()).collect();
                self.push(
                    path.key("instance"),
                    format!("profile `{}/{}` cannot use the Identity Center instance of `{}`", p.account, p.region, p.instance),
                    Some(if names.is_empty() {
                        format!("account `{}` has no Identity Center instance available: enable its organization's instance or an account instance", p.account)
                    } else {
                        format!("a profile uses its organization's instance or its account's own; available: {}", names.join(", "))
                    }),
                );
                continue;
            };
            if inst.kind == InstanceKind::Organization {
                let n = per_org_instance
                    .entry((&inst.account, p.region.as_str()))
                    .or_default();
                *n += 1;
                if *n == quota + 1 {
                    self.push(
                        path.clone(),
                        format!("more than {quota} profiles use the organization instance of `{}` in `{}`", inst.account, p.region),
                        Some(format!("the quota is {quota} profiles per organization instance per region; use account instances (pattern 3) or another region")),
                    );
                }
            }
            let spath = path.key("subscriptions");
            duplicates(&p.subscriptions, &spath, "subscription for", &mut self.out);
            for (j, s) in p.subscriptions.positioned() {
                let sp = || spath.index(j);
                match (&s.user_name, &s.group) {
                    (Some(u), None) => {
                        if !inst.users.contains(u) {
                            let names = inst.users.iter().map(|u| u.user_name.as_str());
                            self.push_breaking(
                                SUBSCRIPTION_PRINCIPAL_MISSING,
                                sp().key("user-name"),
                                format!(
                                    "user `{u}` is not in the identity store {} of `{}`",
                                    inst.identity_store, inst.account
                                ),
                                did_you_mean(u, names),
                            );
                        }
                    }
                    (None, Some(g)) => {
                        if !inst.groups.contains(g) {
                            let names = inst.groups.iter().map(|g| g.name.as_str());
                            self.push_breaking(
                                SUBSCRIPTION_PRINCIPAL_MISSING,
                                sp().key("group"),
                                format!(
                                    "group `{g}` is not in the identity store {} of `{}`",
                                    inst.identity_store, inst.account
                                ),
                                did_you_mean(g, names),
                            );
                        }
                    }
                    _ => self.push(
                        sp(),
                        "a subscription names exactly one of `user-name` and `group`".to_owned(),
                        None,
                    ),
                }
            }
        }
    }
}
