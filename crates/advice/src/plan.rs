//! From one estate to another: the ordered operations, rehearsed on the simulator.
//!
//! The plan is built *by* simulation: each phase compares the simulated estate (a clone of
//! CURRENT with the plan so far applied) with DESIRED and emits the operations that close
//! the gap, applying each one to the simulator at once. A step the simulator refuses is kept
//! with AWS's error (`ServiceQuotaExceededException` for an 11th profile,
//! `AccessDeniedException` where an SCP blocks it, …), and changes no operation can make
//! (converting an account instance, leaving an organization, reverting an irreversible
//! setting, deleting users) are listed as impossible. Nothing is applied to CURRENT itself.
//!
//! The phases run in a safe order: accounts; organizations; OUs (parents first); invitations
//! and moves; policies; detachments of SCPs that DESIRED drops (after attaching a target's new
//! SCPs, so no target is ever left without one); Identity Center instances (organization
//! instances, then the member-instances setting, then account instances) and their settings;
//! users, groups and memberships; profile deletions (freeing quota) before creations;
//! profile settings; subscriptions (new and changed before cancellations); memberships to
//! remove; and last the new SCP attachments, so a new guard rail cannot block the rollout it
//! guards.
//!
//! The estate's `governance` is a declaration in the file, not an AWS setting: the plan leaves
//! it to the file.

use std::collections::BTreeSet;

use jiff::Timestamp;
use kiro_billing::{BillOptions, Money, PriceBook};
use kiro_engine::op::{self, Op};
use kiro_engine::{Engine, OpError};
use kiro_estate::query::Standing;
use kiro_estate::{AccountId, Estate, HasKey, InstanceKind, Principal, ProfileKey};
use serde_json::{Value, json};

/// One operation of the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// The operation.
    pub op: Op,
    /// When it is recorded as happening (dates DESIRED gives, e.g. a profile's creation).
    pub at: Option<Timestamp>,
    /// The simulator's refusal, if it refused.
    pub blocked: Option<Blocked>,
}

/// A refusal, as AWS would answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// The AWS error name.
    pub error: String,
    /// The message.
    pub message: String,
}

/// A difference no operation can make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impossible {
    /// What differs.
    pub subject: String,
    /// Why it cannot be done.
    pub reason: String,
}

/// A plan and what it would do.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The steps, in order.
    pub steps: Vec<Step>,
    /// Differences that stay.
    pub impossible: Vec<Impossible>,
    /// The price book's currency.
    pub currency: String,
    /// The monthly bill of CURRENT.
    pub cost_before: Money,
    /// The monthly bill after the plan.
    pub cost_after: Money,
    /// The simulated result.
    pub result: Estate,
}

impl Plan {
    /// Whether every step is accepted and nothing is impossible.
    pub fn is_clean(&self) -> bool {
        self.impossible.is_empty() && self.steps.iter().all(|s| s.blocked.is_none())
    }

    /// The steps as an operations file's items (each `op`, its parameters, and `at` when set).
    pub fn items(&self) -> Vec<Value> {
        self.steps
            .iter()
            .map(|s| {
                let mut v = serde_json::to_value(&s.op).unwrap_or(Value::Null);
                if let Value::Object(map) = &mut v {
                    map.retain(|_, v| !v.is_null());
                    if let Some(at) = s.at {
                        map.insert("at".into(), json!(at.to_string()));
                    }
                }
                v
            })
            .collect()
    }

    /// The operations file (YAML) that `kiro-org apply` accepts.
    pub fn ops_yaml(&self) -> Result<String, String> {
        serde_saphyr::to_string(&self.items()).map_err(|e| e.to_string())
    }

    /// As JSON: `ok`, `operations` (with `blocked` per refused step), `impossible`, `cost`.
    pub fn to_json(&self) -> Value {
        let items = self.items();
        json!({
            "ok": self.is_clean(),
            "operations": self.steps.iter().zip(items).enumerate().map(|(i, (s, item))| json!({
                "index": i,
                "operation": item,
                "blocked": s.blocked.as_ref().map(|b| json!({"error": b.error, "message": b.message})),
            })).collect::<Vec<_>>(),
            "impossible": self.impossible.iter().map(|i| json!({"subject": i.subject, "reason": i.reason})).collect::<Vec<_>>(),
            "cost": {
                "currency": self.currency,
                "before": self.cost_before.to_json(),
                "after": self.cost_after.to_json(),
                "delta": (self.cost_after - self.cost_before).to_json(),
            },
        })
    }
}

struct Planner<'d> {
    engine: Engine,
    desired: &'d Estate,
    now: Timestamp,
    steps: Vec<Step>,
    impossible: Vec<Impossible>,
}

fn date_at(date: jiff::civil::Date) -> Option<Timestamp> {
    date.to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp())
}

fn parent_of(p: Option<&str>) -> &str {
    p.unwrap_or("root")
}

impl Planner<'_> {
    fn sim(&self) -> &Estate {
        self.engine.estate()
    }

    fn run(&mut self, op: Op, at: Option<Timestamp>) -> bool {
        let result: Result<kiro_estate::Applied, OpError> =
            self.engine.apply(&op, at.unwrap_or(self.now));
        let blocked = result.err().map(|e| Blocked {
            error: e.name().to_owned(),
            message: e.message.clone(),
        });
        let ok = blocked.is_none();
        self.steps.push(Step { op, at, blocked });
        ok
    }

    fn impossible(&mut self, subject: impl Into<String>, reason: impl Into<String>) {
        self.impossible.push(Impossible {
            subject: subject.into(),
            reason: reason.into(),
        });
    }

    fn accounts(&mut self) {
        for a in &self.desired.accounts {
            match self.sim().account(&a.id).cloned() {
                None => {
                    self.run(
                        Op::CreateAccount(op::CreateAccount {
                            id: a.id.clone(),
                            name: a.name.clone(),
                            email: a.email.clone(),
                            organization: None,
                            parent: None,
                        }),
                        None,
                    );
                }
                Some(s) if s.name != a.name || s.email != a.email => self.impossible(
                    format!("account `{}`", a.id),
                    "an account's name and email are not changed by kiro-org operations",
                ),
                Some(_) => {}
            }
        }
        let gone: Vec<AccountId> = self
            .sim()
            .accounts
            .iter()
            .filter(|a| !self.desired.accounts.contains(&a.id))
            .map(|a| a.id.clone())
            .collect();
        for id in gone {
            self.impossible(
                format!("account `{id}`"),
                "closing an account is not an operation: remove it by hand",
            );
        }
    }

    fn organizations(&mut self) {
        for org in &self.desired.organizations {
            if self.sim().organizations.contains(&org.management) {
                continue;
            }
            match self.sim().standing(&org.management) {
                Standing::Standalone => {
                    self.run(
                        Op::CreateOrganization(op::CreateOrganization {
                            management: org.management.clone(),
                            scps_enabled: org.scps_disabled.then_some(false),
                            feature_set: (org.feature_set != kiro_estate::FeatureSet::All)
                                .then_some(org.feature_set),
                        }),
                        None,
                    );
                }
                _ => self.impossible(
                    format!("organization of `{}`", org.management),
                    "the account is already in an organization; leaving one is not an operation",
                ),
            }
        }
        let gone: Vec<AccountId> = self
            .sim()
            .organizations
            .iter()
            .filter(|o| !self.desired.organizations.contains(&o.management))
            .map(|o| o.management.clone())
            .collect();
        for m in gone {
            self.impossible(
                format!("organization of `{m}`"),
                "deleting an organization is not an operation",
            );
        }
        for org in &self.desired.organizations {
            let mut ous: Vec<&kiro_estate::Ou> = org.ous.iter().collect();
            ous.sort_by_key(|ou| org.ou_path(&ou.name).len());
            for ou in ous {
                let existing = self
                    .sim()
                    .organizations
                    .get(&org.management)
                    .and_then(|o| o.ous.get(&ou.name))
                    .map(|o| o.parent.clone());
                match existing {
                    None => {
                        self.run(
                            Op::CreateOu(op::CreateOu {
                                organization: org.management.clone(),
                                name: ou.name.clone(),
                                parent: ou.parent.clone(),
                            }),
                            None,
                        );
                    }
                    Some(p) if p != ou.parent => self.impossible(
                        format!("OU `{}`", ou.name),
                        "moving an OU is not an operation",
                    ),
                    Some(_) => {}
                }
            }
        }
    }

    fn membership(&mut self) {
        for a in &self.desired.accounts {
            let Some(org) = a.organization.clone() else {
                if self.sim().standing(&a.id) == Standing::Member {
                    self.impossible(
                        format!("account `{}`", a.id),
                        "leaving an organization is not an operation",
                    );
                }
                continue;
            };
            if org == a.id {
                continue;
            }
            let parent = parent_of(a.parent.as_deref()).to_owned();
            let current = self.sim().account(&a.id).map(|s| {
                (
                    s.organization.clone(),
                    parent_of(s.parent.as_deref()).to_owned(),
                )
            });
            match current {
                Some((None, _)) => {
                    self.run(
                        Op::InviteAccount(op::InviteAccount {
                            organization: org.clone(),
                            account: a.id.clone(),
                            parent: (parent != "root").then_some(parent),
                        }),
                        None,
                    );
                }
                Some((Some(o), p)) if o == org && p != parent => {
                    self.run(Op::MoveAccount(op::MoveAccount { account: a.id.clone(), parent }), None);
                }
                Some((Some(o), _)) if o != org => self.impossible(
                    format!("account `{}`", a.id),
                    format!("the account is in the organization of `{o}`; moving it to another organization is not an operation"),
                ),
                _ => {}
            }
        }
    }

    fn policies(&mut self) {
        for org in &self.desired.organizations {
            for p in &org.policies {
                let existing = self
                    .sim()
                    .organizations
                    .get(&org.management)
                    .and_then(|o| o.policies.get(&p.name))
                    .map(|s| s.document.clone());
                match existing {
                    None => {
                        self.run(
                            Op::CreatePolicy(op::CreatePolicy {
                                organization: org.management.clone(),
                                name: p.name.clone(),
                                document: p.document.clone(),
                                description: p.description.clone(),
                                policy_type: None,
                            }),
                            None,
                        );
                    }
                    Some(doc) if doc != p.document => self.impossible(
                        format!("policy `{}`", p.name),
                        "changing a policy's document is not an operation: create a policy with a new name and attach it instead",
                    ),
                    Some(_) => {}
                }
            }
            let extra: Vec<String> = self
                .sim()
                .organizations
                .get(&org.management)
                .map(|o| {
                    o.policies
                        .iter()
                        .filter(|p| !org.policies.contains(&p.name))
                        .map(|p| p.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            for name in extra {
                self.impossible(
                    format!("policy `{name}`"),
                    "deleting a policy is not an operation (detaching it is)",
                );
            }
        }
    }

    fn attach(&mut self, org: &AccountId, policy: &str, target: &str) {
        self.run(
            Op::AttachPolicy(op::PolicyTarget {
                organization: org.clone(),
                policy: policy.to_owned(),
                target: op::AccountOrName(AccountId::new(target)),
            }),
            None,
        );
    }

    fn detachments(&mut self) {
        for org in &self.desired.organizations {
            let want: BTreeSet<(String, String)> = org
                .attachments
                .iter()
                .map(|a| (a.policy.clone(), a.target.clone()))
                .collect();
            let have: Vec<(String, String)> = self
                .sim()
                .organizations
                .get(&org.management)
                .map(|o| {
                    o.attachments
                        .iter()
                        .map(|a| (a.policy.clone(), a.target.clone()))
                        .collect()
                })
                .unwrap_or_default();
            // SCPs never restrict the management account: what is attached to it is moot, and
            // AWS attaches `FullAWSAccess` to it whatever the file says.
            let management = org.management.as_str();
            for (policy, target) in have
                .iter()
                .filter(|a| !want.contains(a) && a.1 != management)
            {
                let remaining = self
                    .sim()
                    .organizations
                    .get(&org.management)
                    .map_or(0, |o| {
                        o.attachments.iter().filter(|a| &a.target == target).count()
                    });
                if remaining <= 1 {
                    let adds: Vec<String> = want
                        .iter()
                        .filter(|(p, t)| t == target && !have.contains(&(p.clone(), t.clone())))
                        .map(|(p, _)| p.clone())
                        .collect();
                    for p in adds {
                        let present =
                            self.sim()
                                .organizations
                                .get(&org.management)
                                .is_some_and(|o| {
                                    o.attachments
                                        .iter()
                                        .any(|a| a.policy == p && &a.target == target)
                                });
                        if !present {
                            self.attach(&org.management, &p, target);
                        }
                    }
                }
                self.run(
                    Op::DetachPolicy(op::PolicyTarget {
                        organization: org.management.clone(),
                        policy: policy.clone(),
                        target: op::AccountOrName(AccountId::new(target.clone())),
                    }),
                    None,
                );
            }
        }
    }

    fn attachments(&mut self) {
        for org in &self.desired.organizations {
            for a in &org.attachments {
                let present = self
                    .sim()
                    .organizations
                    .get(&org.management)
                    .is_some_and(|o| {
                        o.attachments
                            .iter()
                            .any(|x| x.policy == a.policy && x.target == a.target)
                    });
                if !present {
                    self.attach(&org.management, &a.policy, &a.target);
                }
            }
        }
    }

    fn instances(&mut self) {
        let mut order: Vec<&kiro_estate::Instance> = self.desired.instances.iter().collect();
        order.sort_by_key(|i| i.kind != InstanceKind::Organization);
        let mut allowed_done = false;
        for inst in order {
            if inst.kind == InstanceKind::Account && !allowed_done {
                self.allow_member_instances();
                allowed_done = true;
            }
            match self.sim().instances.get(&inst.account).map(|s| (s.kind, s.region.clone(), s.created)) {
                None => {
                    let kind = match inst.kind {
                        InstanceKind::Organization => "organization",
                        InstanceKind::Account => "account",
                    };
                    self.run(
                        Op::EnableIdentityCenter(op::EnableIdentityCenter {
                            account: inst.account.clone(),
                            region: inst.region.clone(),
                            kind: Some(kind.to_owned()),
                            created: Some(inst.created),
                        }),
                        date_at(inst.created),
                    );
                }
                Some((kind, region, _)) if kind != inst.kind || region != inst.region => self.impossible(
                    format!("instance of `{}`", inst.account),
                    if kind == InstanceKind::Account && inst.kind == InstanceKind::Organization {
                        "an account instance can never be converted into the organization instance".to_owned()
                    } else {
                        format!("the {kind} in `{region}` cannot be changed into an {} in `{}`: an account owns one instance and it cannot be moved or converted", inst.kind, inst.region)
                    },
                ),
                Some((_, _, created)) if created != inst.created => {
                    self.impossible(format!("instance of `{}`", inst.account), "an instance's creation date is history")
                }
                Some(_) => {}
            }
            let Some(sim) = self.sim().instances.get(&inst.account).cloned() else {
                continue;
            };
            if sim.kind != inst.kind {
                continue;
            }
            match (sim.kiro_session_days, inst.kiro_session_days) {
                (a, Some(d)) if a != Some(d) => {
                    self.run(
                        Op::SetKiroSessionDuration(op::SetKiroSessionDuration {
                            instance: inst.account.clone(),
                            days: i64::from(d),
                        }),
                        None,
                    );
                }
                (Some(_), None) => self.impossible(
                    format!("instance of `{}`", inst.account),
                    "resetting the extended Kiro session to the default is not an operation",
                ),
                _ => {}
            }
            if inst.identity_enhanced_sessions && !sim.identity_enhanced_sessions {
                self.run(
                    Op::EnableIdentityEnhancedSessions(op::InstanceRef {
                        instance: inst.account.clone(),
                    }),
                    None,
                );
            } else if !inst.identity_enhanced_sessions && sim.identity_enhanced_sessions {
                self.impossible(
                    format!("instance of `{}`", inst.account),
                    "disabling identity-enhanced sessions is not an operation",
                );
            }
        }
        if !allowed_done {
            self.allow_member_instances();
        }
        let gone: Vec<AccountId> = self
            .sim()
            .instances
            .iter()
            .filter(|i| !self.desired.instances.contains(&i.account))
            .map(|i| i.account.clone())
            .collect();
        for a in gone {
            self.impossible(
                format!("instance of `{a}`"),
                "deleting an Identity Center instance is not an operation",
            );
        }
    }

    fn allow_member_instances(&mut self) {
        for org in &self.desired.organizations {
            let sim = self
                .sim()
                .organizations
                .get(&org.management)
                .map(|o| o.member_account_instances_allowed);
            match (sim, org.member_account_instances_allowed) {
                (Some(false), true) => {
                    self.run(
                        Op::AllowMemberAccountInstances(op::OrganizationRef {
                            organization: org.management.clone(),
                        }),
                        None,
                    );
                }
                (Some(true), false) => self.impossible(
                    format!("organization of `{}`", org.management),
                    "allowing member account instances is irreversible",
                ),
                _ => {}
            }
        }
    }

    fn directories(&mut self) {
        for inst in &self.desired.instances {
            let Some(sim) = self.sim().instances.get(&inst.account).cloned() else {
                continue;
            };
            for u in &inst.users {
                match sim.users.get(&u.user_name) {
                    None => {
                        self.run(
                            Op::CreateUser(op::CreateUser {
                                instance: inst.account.clone(),
                                user_name: u.user_name.clone(),
                                email: u.email.clone(),
                                display_name: u.display_name.clone(),
                                attributes: u.attributes.clone(),
                            }),
                            None,
                        );
                    }
                    Some(s) if s.email != u.email || s.display_name != u.display_name => self
                        .impossible(
                            format!("user `{}` of instance `{}`", u.user_name, inst.account),
                            "changing a user's email or display name is not an operation",
                        ),
                    Some(_) => {}
                }
            }
            for u in sim
                .users
                .iter()
                .filter(|u| !inst.users.contains(&u.user_name))
            {
                self.impossible(
                    format!("user `{}` of instance `{}`", u.user_name, inst.account),
                    "deleting a user is not an operation",
                );
            }
            for g in &inst.groups {
                if !sim.groups.contains(&g.name) {
                    self.run(
                        Op::CreateGroup(op::CreateGroup {
                            instance: inst.account.clone(),
                            name: g.name.clone(),
                            description: g.description.clone(),
                        }),
                        None,
                    );
                }
                let have = sim
                    .groups
                    .get(&g.name)
                    .map(|s| s.members.clone())
                    .unwrap_or_default();
                for m in g.members.iter().filter(|m| !have.contains(m)) {
                    self.run(
                        Op::AddMember(op::Membership {
                            instance: inst.account.clone(),
                            group: g.name.clone(),
                            user_name: m.clone(),
                        }),
                        None,
                    );
                }
            }
            for g in sim.groups.iter().filter(|g| !inst.groups.contains(&g.name)) {
                self.impossible(
                    format!("group `{}` of instance `{}`", g.name, inst.account),
                    "deleting a group is not an operation",
                );
            }
        }
    }

    fn removed_members(&mut self) {
        for inst in &self.desired.instances {
            let Some(sim) = self.sim().instances.get(&inst.account).cloned() else {
                continue;
            };
            for g in &inst.groups {
                let Some(have) = sim.groups.get(&g.name) else {
                    continue;
                };
                for m in have.members.iter().filter(|m| !g.members.contains(m)) {
                    self.run(
                        Op::RemoveMember(op::Membership {
                            instance: inst.account.clone(),
                            group: g.name.clone(),
                            user_name: m.clone(),
                        }),
                        None,
                    );
                }
            }
        }
    }

    fn profiles(&mut self) {
        let doomed: Vec<ProfileKey> = self
            .sim()
            .profiles
            .iter()
            .filter(|p| {
                self.desired
                    .profiles
                    .get(&p.key())
                    .is_none_or(|d| d.instance != p.instance)
            })
            .map(HasKey::key)
            .collect();
        for key in doomed {
            self.run(
                Op::DeleteProfile(op::ProfileRef {
                    account: key.account.clone(),
                    region: key.region.clone(),
                }),
                None,
            );
        }
        for p in &self.desired.profiles {
            let key = p.key();
            if !self.sim().profiles.contains(&key) {
                let source = self
                    .desired
                    .instances
                    .get(&p.instance)
                    .map(|i| match i.kind {
                        InstanceKind::Organization => "organization".to_owned(),
                        InstanceKind::Account => "account".to_owned(),
                    });
                self.run(
                    Op::CreateProfile(op::CreateProfile {
                        account: p.account.clone(),
                        region: p.region.clone(),
                        identity_source: source,
                        as_user: None,
                    }),
                    p.created.and_then(date_at),
                );
            }
            let Some(sim) = self.sim().profiles.get(&key).cloned() else {
                continue;
            };
            if sim.created != p.created && p.created.is_some() {
                self.impossible(
                    format!("profile {key}"),
                    "a profile's creation date is history",
                );
            }
            let logging = (sim.settings.prompt_logging != p.settings.prompt_logging)
                .then_some(p.settings.prompt_logging);
            let overage =
                (sim.settings.overage != p.settings.overage).then_some(p.settings.overage);
            if logging.is_some() || overage.is_some() {
                self.run(
                    Op::UpdateProfileSettings(op::UpdateProfileSettings {
                        account: p.account.clone(),
                        region: p.region.clone(),
                        prompt_logging: logging,
                        overage,
                    }),
                    None,
                );
            }
            for s in &p.subscriptions {
                let changed = sim
                    .subscriptions
                    .get(&s.principal())
                    .is_none_or(|x| x.plan != s.plan || x.status != s.status);
                if changed {
                    self.run(
                        Op::Subscribe(op::Subscribe {
                            account: p.account.clone(),
                            region: p.region.clone(),
                            user_name: s.user_name.clone(),
                            group: s.group.clone(),
                            plan: s.plan.as_str().to_owned(),
                            status: Some(match s.status {
                                kiro_estate::Status::Active => "active".to_owned(),
                                kiro_estate::Status::Pending => "pending".to_owned(),
                            }),
                            expect: None,
                        }),
                        None,
                    );
                }
            }
            for s in sim
                .subscriptions
                .iter()
                .filter(|s| !p.subscriptions.contains(&s.principal()))
            {
                let (user_name, group) = match s.principal() {
                    Principal::User(u) => (Some(u), None),
                    Principal::Group(g) => (None, Some(g)),
                };
                self.run(
                    Op::Unsubscribe(op::Unsubscribe {
                        account: p.account.clone(),
                        region: p.region.clone(),
                        user_name,
                        group,
                    }),
                    None,
                );
            }
        }
    }
}

/// The plan from `current` to `desired`, rehearsed on a clone of `current` at `now`, priced
/// with `book`.
pub fn plan(current: &Estate, desired: &Estate, book: &PriceBook, now: Timestamp) -> Plan {
    let mut planner = Planner {
        engine: Engine::new(current.clone()),
        desired,
        now,
        steps: Vec::new(),
        impossible: Vec::new(),
    };
    planner.accounts();
    planner.organizations();
    planner.membership();
    planner.policies();
    planner.detachments();
    planner.instances();
    planner.directories();
    planner.profiles();
    planner.removed_members();
    planner.attachments();
    let result = planner.engine.into_estate();
    let before = kiro_billing::bill_current(current, book, BillOptions::default()).total();
    let after = kiro_billing::bill_current(&result, book, BillOptions::default()).total();
    Plan {
        steps: planner.steps,
        impossible: planner.impossible,
        currency: book.currency.clone(),
        cost_before: before,
        cost_after: after,
        result,
    }
}

/// `estate` reduced to what a plan can reproduce, for comparing two estates: no event log,
/// no governance declaration, no description on AWS managed policies, no attachments to the
/// management account (SCPs never restrict it), attachments sorted, `root` parents as none.
pub fn comparable(estate: &Estate) -> Estate {
    let mut e = estate.clone();
    e.events.clear();
    for org in e.organizations.iter_mut() {
        org.governance = None;
        for p in org.policies.iter_mut().filter(|p| p.aws_managed) {
            p.description = None;
        }
        let management = org.management.to_string();
        org.attachments.retain(|a| a.target != management);
        org.attachments
            .sort_by(|a, b| (&a.target, &a.policy).cmp(&(&b.target, &b.policy)));
        org.attachments.dedup();
    }
    for a in e.accounts.iter_mut() {
        if a.parent.as_deref() == Some("root") {
            a.parent = None;
        }
    }
    e
}
