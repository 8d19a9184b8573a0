//! `cost` end to end on a large synthetic estate: load from a JSON file (parse, normalise,
//! validate) and compute the bill with duplicates and roll-ups.
//!
//! The estate: 10,000 accounts in one organization, 100,000 users, 10,000 groups, 1,000,000
//! memberships, 180 profiles (20 on the organization instance, 10 in each commercial Kiro
//! region, and 160 on member accounts' own instances) and about 300,000 subscriptions.
//!
//! `KIRO_BENCH_ESTATE=path cargo bench -p kiro-billing --bench cost` also leaves the estate
//! file at `path`, to measure the CLI: `/usr/bin/time -v kiro-org cost path --format json`.

#![expect(clippy::panic, reason = "a benchmark stops on a broken fixture")]

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use kiro_billing::{BillOptions, PriceBook, bill_current};
use kiro_estate::{
    Account, AccountId, Estate, Group, Instance, InstanceKind, Keyed, Organization, Plan, Profile,
    ProfileSettings, Status, Subscription, User,
};

const ACCOUNTS: usize = 10_000;
const ORG_USERS: usize = 49_920;
const ORG_GROUPS: usize = 4_880;
const OWN_INSTANCES: usize = 160;
const OWN_USERS: usize = 313;
const OWN_GROUPS: usize = 32;
const GROUP_SIZE: usize = 100;
/// The Kiro regions of the commercial partition, where the whole estate lives.
const REGIONS: [&str; 2] = ["us-east-1", "eu-central-1"];

fn account_id(i: usize) -> AccountId {
    AccountId::new(format!("{:012}", 100_000_000_000usize + i))
}

fn plan(i: usize) -> Plan {
    Plan::ALL[(i * 7 + i / 3) % 4]
}

fn instance(
    account: AccountId,
    kind: InstanceKind,
    users: usize,
    groups: usize,
    tag: &str,
) -> Instance {
    let users: Keyed<User> = (0..users)
        .map(|u| User {
            user_name: format!("{tag}u{u}").into(),
            id: Default::default(),
            // Every 10th user of an account instance is also in the organization instance.
            email: Some(if tag != "org" && u % 10 == 0 {
                format!("ORGU{}@example.com", u * 7 % ORG_USERS).into()
            } else {
                format!("{tag}u{u}@example.com").into()
            }),
            display_name: None,
            attributes: Default::default(),
        })
        .collect();
    let n = users.len();
    // A step coprime with the store's size keeps a group's members distinct.
    let step = if n > 10 * GROUP_SIZE { 13 } else { 1 };
    let groups: Keyed<Group> = (0..groups)
        .map(|g| Group {
            name: format!("{tag}g{g}").into(),
            id: Default::default(),
            description: None,
            members: (0..GROUP_SIZE)
                .map(|k| format!("{tag}u{}", (g * 37 + k * step) % n).into())
                .collect(),
        })
        .collect();
    Instance {
        account,
        kind,
        region: "us-east-1".to_owned(),
        created: jiff::civil::date(2024, 1, 1),
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
        users,
        groups,
    }
}

/// The synthetic estate.
pub fn large_estate() -> Estate {
    let mgmt = account_id(0);
    let mut estate = Estate::empty();
    estate.accounts = (0..ACCOUNTS)
        .map(|i| Account {
            id: account_id(i),
            name: format!("account-{i}"),
            email: None,
            organization: Some(mgmt.clone()),
            parent: (i > 0).then(|| "root".to_owned()),
            joined: None,
            closed: None,
        })
        .collect();
    estate.organizations = std::iter::once(Organization {
        management: mgmt.clone(),
        id: String::new(),
        root_id: String::new(),
        governance: None,
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
        ous: Keyed::new(),
        policies: Keyed::new(),
        attachments: Vec::new(),
    })
    .collect();
    let mut instances = vec![instance(
        mgmt.clone(),
        InstanceKind::Organization,
        ORG_USERS,
        ORG_GROUPS,
        "org",
    )];
    let mut profiles = Vec::new();
    // 20 profiles on the organization instance: 10 per region, 12,000 users and 250 groups each.
    for p in 0..20 {
        let subs = (0..12_000)
            .map(|k| Subscription {
                user_name: Some(format!("orgu{}", (p * 2_474 + k) % ORG_USERS).into()),
                group: None,
                plan: plan(p + k),
                status: if k % 50 == 0 {
                    Status::Pending
                } else {
                    Status::Active
                },
            })
            .chain((0..250).map(|k| Subscription {
                user_name: None,
                group: Some(format!("orgg{}", (p * 250 + k) % ORG_GROUPS).into()),
                plan: plan(p * 3 + k),
                status: Status::Active,
            }))
            .collect();
        profiles.push(Profile {
            account: account_id(1 + p),
            region: REGIONS[p / 10].to_owned(),
            instance: mgmt.clone(),
            id: String::new(),
            created: None,
            settings: ProfileSettings {
                prompt_logging: false,
                overage: p % 2 == 0,
            },
            subscriptions: subs,
        });
    }
    // 160 profiles on member accounts' own instances: every user and group subscribed.
    for i in 0..OWN_INSTANCES {
        let account = account_id(1_000 + i);
        let tag = format!("a{i}");
        instances.push(instance(
            account.clone(),
            InstanceKind::Account,
            OWN_USERS,
            OWN_GROUPS,
            &tag,
        ));
        let subs = (0..OWN_USERS)
            .map(|u| Subscription {
                user_name: Some(format!("{tag}u{u}").into()),
                group: None,
                plan: plan(i + u),
                status: Status::Active,
            })
            .chain((0..OWN_GROUPS).map(|g| Subscription {
                user_name: None,
                group: Some(format!("{tag}g{g}").into()),
                plan: plan(i + g + 1),
                status: Status::Active,
            }))
            .collect();
        profiles.push(Profile {
            account,
            region: "us-east-1".to_owned(),
            instance: account_id(1_000 + i),
            id: String::new(),
            created: None,
            settings: ProfileSettings::default(),
            subscriptions: subs,
        });
    }
    estate.instances = instances.into_iter().collect();
    estate.profiles = profiles.into_iter().collect();
    estate.normalize();
    estate
}

fn bench(c: &mut Criterion) {
    let estate = large_estate();
    let path = match std::env::var_os("KIRO_BENCH_ESTATE") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::temp_dir().join("kiro-billing-bench-estate.json"),
    };
    if let Err(e) = estate.save(&path) {
        eprintln!("cannot write the bench estate: {e}");
        return;
    }
    let subscriptions: usize = estate.profiles.iter().map(|p| p.subscriptions.len()).sum();
    let memberships: usize = estate
        .instances
        .iter()
        .flat_map(|i| &i.groups)
        .map(|g| g.members.len())
        .sum();
    let users: usize = estate.instances.iter().map(|i| i.users.len()).sum();
    let groups: usize = estate.instances.iter().map(|i| i.groups.len()).sum();
    eprintln!(
        "estate: {} accounts, {users} users, {groups} groups, {memberships} memberships, {} profiles, {subscriptions} subscriptions ({})",
        estate.accounts.len(),
        estate.profiles.len(),
        path.display()
    );
    drop(estate);
    let book = PriceBook::builtin().unwrap_or_else(|e| panic!("{e}"));
    let mut group = c.benchmark_group("cost");
    group.sample_size(10);
    group.bench_function("load and bill a 300k-subscription estate", |b| {
        b.iter(|| {
            let estate = Estate::load(Path::new(&path)).unwrap_or_else(|e| panic!("{e}"));
            let bill = bill_current(&estate, &book, BillOptions::default());
            black_box((bill.total(), bill.duplicates.len()))
        })
    });
    let estate = Estate::load(&path).unwrap_or_else(|e| panic!("{e}"));
    group.bench_function("bill a loaded 300k-subscription estate", |b| {
        b.iter(|| black_box(bill_current(&estate, &book, BillOptions::default()).total()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
