//! `cargo bench -p kiro-engine`: applying 100,000 subscribe operations (each authorized against
//! a member account's SCPs), and loading + checking the largest generated estate from JSON.

use criterion::{Criterion, criterion_group, criterion_main};
use kiro_engine::op::{CreateUser, Subscribe};
use kiro_engine::{Engine, Op, ops_file};
use kiro_estate::generate::{Spec, generate};
use kiro_estate::{AccountId, Estate};

const OPERATIONS: usize = 100_000;

/// An organization with a member account's profile on the organization instance, a guard-rail
/// SCP at the root and 100,000 users to subscribe.
fn rollout() -> Estate {
    let mut engine = Engine::new(Estate::empty());
    let at = ops_file::parse_at("2026-01-05").unwrap_or_default();
    let setup = r#"
- {op: create-account, id: "123456789012", name: management}
- {op: create-organization, management: "123456789012"}
- {op: create-ou, organization: "123456789012", name: eng, parent: root}
- {op: create-account, id: "210987654321", name: team}
- {op: invite-account, organization: "123456789012", account: "210987654321", parent: eng}
- {op: enable-identity-center, account: "123456789012", region: us-east-1, created: 2024-04-02}
- op: create-policy
  organization: "123456789012"
  name: deny-account-instances
  document: {Version: "2012-10-17", Statement: [{Sid: NoInstances, Effect: Deny, Action: "sso:CreateInstance", Resource: "*", Condition: {StringNotEquals: {"aws:PrincipalAccount": ["999999999999"]}}}]}
- {op: attach-policy, organization: "123456789012", policy: deny-account-instances, target: root}
- {op: create-profile, account: "210987654321", region: us-east-1}
"#;
    for item in ops_file::parse(setup, kiro_estate::Format::Yaml).unwrap_or_default() {
        let _ = engine.apply(&item.op, at);
    }
    let instance = AccountId::new("123456789012");
    for n in 0..OPERATIONS {
        let op = Op::CreateUser(CreateUser {
            instance: instance.clone(),
            user_name: format!("user{n:06}").into(),
            email: Some(format!("user{n:06}@example.com").into()),
            display_name: None,
            attributes: Default::default(),
        });
        let _ = engine.apply(&op, at);
    }
    engine.into_estate()
}

fn subscribe_ops() -> Vec<Op> {
    (0..OPERATIONS)
        .map(|n| {
            Op::Subscribe(Subscribe {
                account: AccountId::new("210987654321"),
                region: "us-east-1".into(),
                user_name: Some(format!("user{n:06}").into()),
                group: None,
                plan: ["pro", "pro-plus", "pro-max", "power"][n % 4].into(),
                status: None,
                expect: None,
            })
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let base = rollout();
    let ops = subscribe_ops();
    let at = ops_file::parse_at("2026-02-01").unwrap_or_default();
    let mut group = c.benchmark_group("apply");
    group.sample_size(10);
    group.bench_function("100k subscribe operations", |b| {
        b.iter_batched(
            || Engine::new(base.clone()),
            |mut engine| {
                for op in &ops {
                    let _ = engine.apply(op, at);
                }
                engine
            },
            criterion::BatchSize::LargeInput,
        );
    });
    group.finish();

    let dir = std::env::temp_dir().join(format!("kiro-org-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("largest.json");
    if generate(&Spec::largest()).save(&path).is_ok() {
        let mut group = c.benchmark_group("check");
        group.sample_size(10);
        group.bench_function("load and check the largest estate (JSON)", |b| {
            b.iter(|| Estate::load(&path).map(|e| e.accounts.len()).unwrap_or(0));
        });
        group.finish();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
