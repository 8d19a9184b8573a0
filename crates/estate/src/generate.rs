//! A deterministic synthetic-estate generator, for tests and benchmarks at the scale of the
//! largest organizations AWS allows.
//!
//! The same [`Spec`] always yields the same estate. Every estate it yields is valid: profiles
//! on the organization instance stay within the quota per Kiro region (the rest use account
//! instances in member accounts, as pattern 3 does), OUs stay within five levels, and every
//! subscription names a principal of the profile's identity store.

use crate::ids::AccountId;
use crate::members::Members;
use crate::model::{
    Account, Attachment, Estate, Governance, Group, Instance, InstanceKind, Name, Organization, Ou,
    Plan, Profile, ProfileSettings, Scp, Status, Subscription, User,
};

/// The sizes of an estate to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spec {
    /// Accounts, the management account included.
    pub accounts: usize,
    /// Organizational units.
    pub ous: usize,
    /// Users of the organization instance.
    pub users: usize,
    /// Groups of the organization instance.
    pub groups: usize,
    /// Group memberships in the organization instance, in all.
    pub memberships: usize,
    /// Kiro profiles.
    pub profiles: usize,
    /// Subscriptions, in all.
    pub subscriptions: usize,
    /// The seed: another seed, another estate of the same sizes.
    pub seed: u64,
}

impl Spec {
    /// The largest organization the benchmarks model: 10,000 accounts, 100,000 users, 10,000
    /// groups, 1,000,000 memberships, 200 profiles, 300,000 subscriptions.
    pub fn largest() -> Self {
        Self {
            accounts: 10_000,
            ous: 500,
            users: 100_000,
            groups: 10_000,
            memberships: 1_000_000,
            profiles: 200,
            subscriptions: 300_000,
            seed: 1,
        }
    }
}

impl Spec {
    /// The spec within what AWS allows and what the generator lays out, with a sentence for
    /// each size it lowered. AWS grants an organization at most 50,000 accounts and 2,000 OUs
    /// (the Organizations quotas); it documents no hard maximum for an identity store, so
    /// users and groups stop at ten times the largest organization the benchmarks model. The
    /// generator gives each profile an account of its own and each user one membership of a
    /// group at most, so profiles stop at the accounts and memberships at users × groups.
    pub fn bounded(mut self) -> (Spec, Vec<String>) {
        let mut notes = Vec::new();
        let mut cap = |what: &str, value: &mut usize, max: usize, why: &str| {
            if *value > max {
                notes.push(format!("{what}: {value} lowered to {max} ({why})"));
                *value = max;
            }
        };
        cap(
            "accounts",
            &mut self.accounts,
            50_000,
            "AWS grants an organization at most 50,000 accounts",
        );
        cap(
            "ous",
            &mut self.ous,
            2_000,
            "an organization holds at most 2,000 OUs",
        );
        cap(
            "users",
            &mut self.users,
            1_000_000,
            "ten times the largest organization modelled",
        );
        cap(
            "groups",
            &mut self.groups,
            100_000,
            "ten times the largest organization modelled",
        );
        let pairs = self.users.saturating_mul(self.groups);
        cap(
            "memberships",
            &mut self.memberships,
            pairs,
            "each user is in each group at most once",
        );
        let accounts = self.accounts;
        cap(
            "profiles",
            &mut self.profiles,
            accounts,
            "each profile is in an account of its own",
        );
        let seats = self
            .profiles
            .saturating_mul(self.users.saturating_add(self.groups));
        cap(
            "subscriptions",
            &mut self.subscriptions,
            seats,
            "one per user or group per profile at most",
        );
        (self, notes)
    }
}

impl Default for Spec {
    fn default() -> Self {
        Self {
            accounts: 50,
            ous: 8,
            users: 500,
            groups: 40,
            memberships: 1_500,
            profiles: 12,
            subscriptions: 600,
            seed: 1,
        }
    }
}

/// splitmix64, seeded: small, fast and stable across platforms and releases. Every synthetic
/// input kiro-org generates (estates, billing exports) draws from it, so a seed means the same
/// everywhere.
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        usize::try_from(self.next_u64() % n as u64).unwrap_or(0)
    }
}

const MANAGEMENT: u64 = 100_000_000_000;

fn account_id(n: usize) -> AccountId {
    AccountId::new(format!("{:012}", MANAGEMENT + n as u64))
}

/// Generates the estate `spec` describes.
pub fn generate(spec: &Spec) -> Estate {
    let mut rng = Rng::new(spec.seed);
    let mut estate = Estate::empty();
    let management = account_id(0);
    let regions = ["us-east-1", "eu-central-1"];
    let quota = estate.simulator.profile_quota as usize;

    // OUs: a tree no deeper than AWS allows (name, parent, depth).
    let mut ous: Vec<(String, String, usize)> = Vec::with_capacity(spec.ous);
    for i in 0..spec.ous {
        let (parent, depth) = match i {
            0..4 => ("root".to_owned(), 1),
            _ if rng.below(4) == 0 => ("root".to_owned(), 1),
            _ => {
                let (name, _, depth) = &ous[rng.below(i)];
                if *depth >= crate::validate::MAX_OU_DEPTH {
                    ("root".to_owned(), 1)
                } else {
                    (name.clone(), depth + 1)
                }
            }
        };
        ous.push((format!("ou-{i:04}"), parent, depth));
    }
    let mut org = Organization {
        management: management.clone(),
        id: String::new(),
        root_id: String::new(),
        governance: Some(Governance::Delegated),
        member_account_instances_allowed: false,
        scps_disabled: false,
        feature_set: Default::default(),
        policy_types: Vec::new(),
        typed_policies: Default::default(),
        tags: Default::default(),
        trusted_services: Vec::new(),
        delegated_administrators: Vec::new(),
        handshakes: Vec::new(),
        transfers: Vec::new(),
        resource_policy: None,
        ous: Default::default(),
        policies: Default::default(),
        attachments: vec![Attachment {
            policy: "FullAWSAccess".into(),
            target: "root".into(),
        }],
    };
    for (name, parent, _) in &ous {
        org.attachments.push(Attachment {
            policy: "FullAWSAccess".into(),
            target: name.clone(),
        });
        let _ = org.ous.insert(Ou {
            name: name.clone(),
            id: String::new(),
            parent: parent.clone(),
        });
    }
    let _ = org.policies.insert(Scp::full_aws_access());

    // Accounts: the management account, then members spread over the root and the OUs.
    let _ = estate.accounts.insert(Account {
        id: management.clone(),
        name: "management".into(),
        email: Some("aws-root@example.com".into()),
        organization: Some(management.clone()),
        parent: None,
        joined: None,
        closed: None,
    });
    for n in 1..spec.accounts.max(1) {
        let id = account_id(n);
        let parent = match rng.below(ous.len() + 1) {
            0 => None,
            k => Some(ous[k - 1].0.clone()),
        };
        org.attachments.push(Attachment {
            policy: "FullAWSAccess".into(),
            target: id.to_string(),
        });
        let _ = estate.accounts.insert(Account {
            id,
            name: format!("account-{n:05}"),
            email: Some(format!("account-{n:05}@example.com")),
            organization: Some(management.clone()),
            parent,
            joined: None,
            closed: None,
        });
    }
    let _ = estate.organizations.insert(org);

    // The organization instance, its users, groups and memberships.
    let created = jiff::civil::date(2024, 1, 15);
    let mut org_instance = instance(&management, InstanceKind::Organization, created);
    org_instance.kiro_session_days = Some(90);
    org_instance.identity_enhanced_sessions = true;
    for u in 0..spec.users {
        let _ = org_instance.users.insert(user(u));
    }
    let groups = if spec.users == 0 { 0 } else { spec.groups };
    let mut members: Vec<Members> = vec![Members::default(); groups];
    if groups > 0 {
        let per_user = spec.memberships / spec.users.max(1);
        let extra = spec.memberships % spec.users.max(1);
        for u in 0..spec.users {
            let k = (per_user + usize::from(u < extra)).min(groups);
            let start = rng.below(groups);
            for j in 0..k {
                members[(start + j * 7919) % groups].insert(user_name(u));
            }
        }
    }
    for (g, m) in members.into_iter().enumerate() {
        let _ = org_instance.groups.insert(Group {
            name: compact_str::format_compact!("group-{g:05}"),
            id: Name::default(),
            description: None,
            members: m,
        });
    }

    // Profiles: up to the quota per Kiro region on the organization instance (the management
    // account first), the rest on account instances of member accounts.
    let mut profiles = Vec::with_capacity(spec.profiles);
    let mut next_member = 1;
    for p in 0..spec.profiles {
        let on_org = p < quota * regions.len();
        let region = regions[p % regions.len()];
        let account = if p == 0 {
            management.clone()
        } else {
            account_id(next_member)
        };
        if p > 0 {
            next_member += 1;
            if next_member >= spec.accounts {
                break;
            }
        }
        if !on_org {
            let mut inst = instance(
                &account,
                InstanceKind::Account,
                jiff::civil::date(2025, 2, 1),
            );
            let local = (spec.users / spec.profiles.max(1))
                .clamp(1, 500)
                .min(spec.users.max(1));
            for k in 0..local {
                let _ = inst.users.insert(user((p * 131 + k) % spec.users.max(1)));
            }
            let members = inst.users.iter().map(|u| u.user_name.clone()).collect();
            let _ = inst.groups.insert(Group {
                name: "developers".into(),
                id: Name::default(),
                description: None,
                members,
            });
            let _ = estate.instances.insert(inst);
        }
        profiles.push(Profile {
            account: account.clone(),
            region: region.to_owned(),
            instance: if on_org { management.clone() } else { account },
            id: String::new(),
            created: Some(jiff::civil::date(2025, 3, 1)),
            settings: ProfileSettings {
                prompt_logging: p % 3 == 0,
                overage: p % 4 == 0,
            },
            subscriptions: Default::default(),
        });
    }
    let _ = estate.instances.insert(org_instance);

    // Subscriptions: spread evenly, users directly and some groups, never past a store's size;
    // what the small account-instance stores cannot hold goes to the organization instance's.
    let capacity: Vec<usize> = profiles
        .iter()
        .map(|p| {
            estate
                .instances
                .get(&p.instance)
                .map_or(0, |i| i.users.len() + i.groups.len())
        })
        .collect();
    let quotas = spread(spec.subscriptions, &capacity);
    for (profile, want) in profiles.iter_mut().zip(quotas) {
        let Some(inst) = estate.instances.get(&profile.instance) else {
            continue;
        };
        let user_count = inst.users.len();
        let group_subs = (want / 50).min(inst.groups.len());
        let offset = rng.below(inst.groups.len().max(1));
        for g in 0..group_subs {
            if let Some(group) = inst.groups.get_index((offset + g * 37) % inst.groups.len()) {
                let _ = profile.subscriptions.insert(Subscription {
                    user_name: None,
                    group: Some(group.name.clone()),
                    plan: Plan::ALL[rng.below(Plan::ALL.len())],
                    status: Status::Active,
                });
            }
        }
        let start = rng.below(user_count);
        for k in 0..want.saturating_sub(group_subs).min(user_count) {
            if let Some(u) = inst.users.get_index((start + k) % user_count) {
                let _ = profile.subscriptions.insert(Subscription {
                    user_name: Some(u.user_name.clone()),
                    group: None,
                    plan: Plan::ALL[rng.below(Plan::ALL.len())],
                    status: if rng.below(20) == 0 {
                        Status::Pending
                    } else {
                        Status::Active
                    },
                });
            }
        }
    }
    for p in profiles {
        let _ = estate.profiles.insert(p);
    }
    estate.normalize();
    estate
}

/// Splits `total` over slots of the given capacities: evenly first, then what did not fit goes
/// to the slots with room left, in order.
fn spread(total: usize, capacity: &[usize]) -> Vec<usize> {
    let even = total / capacity.len().max(1);
    let mut out: Vec<usize> = capacity.iter().map(|c| even.min(*c)).collect();
    let mut left = total - out.iter().sum::<usize>();
    for (slot, cap) in out.iter_mut().zip(capacity) {
        let more = left.min(cap - *slot);
        *slot += more;
        left -= more;
    }
    out
}

fn instance(owner: &AccountId, kind: InstanceKind, created: jiff::civil::Date) -> Instance {
    Instance {
        account: owner.clone(),
        kind,
        region: "us-east-1".into(),
        created,
        id: String::new(),
        identity_store: String::new(),
        kiro_session_days: None,
        identity_enhanced_sessions: false,
        name: None,
        applications: Default::default(),
        permission_sets: Default::default(),
        account_assignments: Vec::new(),
        identity_store_network: None,
        replica_regions: Default::default(),
        access_control_attributes: None,
        trusted_token_issuers: Default::default(),
        tags: Default::default(),
        users: Default::default(),
        groups: Default::default(),
    }
}

fn user_name(n: usize) -> Name {
    compact_str::format_compact!("user{n:06}")
}

fn user(n: usize) -> User {
    User {
        user_name: user_name(n),
        id: Name::default(),
        email: Some(compact_str::format_compact!("user{n:06}@example.com")),
        display_name: None,
        attributes: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_estates_are_valid_and_deterministic() {
        for seed in 1..4 {
            let spec = Spec {
                seed,
                profiles: 30,
                accounts: 60,
                ..Spec::default()
            };
            let a = generate(&spec);
            assert_eq!(a.validate(), Vec::new());
            assert_eq!(a, generate(&spec));
            assert_eq!(a.profiles.len(), 30);
            let subs: usize = a.profiles.iter().map(|p| p.subscriptions.len()).sum();
            assert!(subs > 0 && subs <= spec.subscriptions);
        }
    }
}
