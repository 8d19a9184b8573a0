//! Collecting from `kiro-org serve` (in process, seeded with the example estates) must give back
//! the seed: the same organization, instances, directories, profiles and subscriptions, with no
//! write on the server. Collecting from moto's server must work for the organization and say
//! what moto lacks instead of failing.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions fail the test by panicking"
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use kiro_collect::{Collection, MemberAccess, Options, StaticKeys};
use kiro_estate::{AccountId, Estate, Instance, InstanceKind, Profile};

fn example(name: &str) -> Estate {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    Estate::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn serve(seed: Estate) -> (kiro_server::Server, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = kiro_server::Config::new(dir.path());
    config.seed = Some(seed);
    // Every call is checked, the hand-signed ListUserSubscriptions included.
    config.verify_signatures = true;
    config.secret_access_key = "secret".to_owned();
    let server = kiro_server::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let url = format!("http://{}", server.addr);
    (server, dir, url)
}

fn options(url: &str, access_key: &str) -> Options {
    Options {
        endpoint_url: Some(url.to_owned()),
        region: Some("us-east-1".to_owned()),
        keys: Some(StaticKeys {
            access_key_id: access_key.to_owned(),
            secret_access_key: "secret".to_owned(),
            session_token: None,
        }),
        max_attempts: Some(1),
        instance_regions: vec!["eu-central-1".to_owned()],
        members: MemberAccess::AccessKeyIsAccountId,
        subscriptions: true,
        ..Options::default()
    }
}

/// `GET path` on the server, as text.
async fn get(url: &str, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    )
    .await
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.unwrap();
    let text = String::from_utf8(buf).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    body.to_owned()
}

fn sorted<T: Ord>(items: impl IntoIterator<Item = T>) -> Vec<T> {
    let set: BTreeSet<T> = items.into_iter().collect();
    set.into_iter().collect()
}

/// The instance without what no API shows (its settings) and without its region, which
/// `kiro-org serve` does not report (no `PrimaryRegion`, and every region lists it).
fn instance_view(i: &Instance) -> Instance {
    Instance {
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
        region: String::new(),
        ..i.clone()
    }
}

/// The profile without its settings, which no API shows.
fn profile_view(p: &Profile) -> Profile {
    Profile {
        settings: Default::default(),
        ..p.clone()
    }
}

/// What the APIs show must equal the seed's, for the accounts in `scope`.
fn assert_api_view(seed: &Estate, c: &Collection, scope: &BTreeSet<AccountId>) {
    let got = &c.estate;
    // No API names a standalone account: its name and email come from the export.
    let accounts = |e: &Estate| {
        sorted(
            e.accounts
                .iter()
                .filter(|a| scope.contains(&a.id))
                .map(|a| {
                    let unnamed = c.unnamed_accounts.contains(&a.id);
                    (
                        a.id.clone(),
                        if unnamed {
                            a.id.to_string()
                        } else {
                            a.name.clone()
                        },
                        a.email.clone().filter(|_| !unnamed),
                        a.organization.clone(),
                        a.parent.clone().unwrap_or_else(|| "root".to_owned()),
                    )
                }),
        )
    };
    assert_eq!(accounts(got), accounts(seed), "accounts");
    assert_eq!(
        got.accounts.len(),
        scope.len(),
        "only the accounts in scope"
    );
    for org in seed
        .organizations
        .iter()
        .filter(|o| scope.contains(&o.management))
    {
        let g = got
            .organizations
            .get(&org.management)
            .unwrap_or_else(|| panic!("organization of {}", org.management));
        assert_eq!((&g.id, &g.root_id), (&org.id, &org.root_id));
        let ous = |o: &kiro_estate::Organization| {
            sorted(
                o.ous
                    .iter()
                    .map(|u| (u.name.clone(), u.id.clone(), u.parent.clone())),
            )
        };
        assert_eq!(ous(g), ous(org), "OUs");
        let policies = |o: &kiro_estate::Organization| {
            sorted(o.policies.iter().map(|p| {
                (
                    p.name.clone(),
                    p.id.clone(),
                    p.description.clone(),
                    p.aws_managed,
                    p.document.to_string(),
                )
            }))
        };
        for (a, b) in policies(g).iter().zip(policies(org).iter()) {
            assert_eq!((&a.0, &a.1, &a.2, a.3), (&b.0, &b.1, &b.2, b.3), "SCP");
        }
        for p in org.policies.iter() {
            assert_eq!(g.policies.get(&p.name).unwrap().document, p.document);
        }
        assert_eq!(g.policies.len(), org.policies.len());
        let attachments = |o: &kiro_estate::Organization| {
            sorted(
                o.attachments
                    .iter()
                    .map(|a| (a.policy.clone(), a.target.clone())),
            )
        };
        assert_eq!(attachments(g), attachments(org), "attachments");
    }
    let instances = |e: &Estate| {
        e.instances
            .iter()
            .filter(|i| scope.contains(&i.account))
            .map(|i| (i.account.clone(), instance_view(i)))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    assert_eq!(instances(got), instances(seed), "instances");
    let profiles = |e: &Estate| {
        e.profiles
            .iter()
            .filter(|p| scope.contains(&p.account))
            .map(|p| ((p.account.clone(), p.region.clone()), profile_view(p)))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let (g, s) = (profiles(got), profiles(seed));
    assert_eq!(
        g.keys().collect::<Vec<_>>(),
        s.keys().collect::<Vec<_>>(),
        "profiles"
    );
    for (k, p) in &s {
        let mut expected = p.clone();
        let mut actual = g[k].clone();
        // A profile without subscriptions shows its id nowhere: the collector derives it.
        if p.subscriptions.is_empty() {
            expected.id.clear();
            actual.id.clear();
        }
        assert_eq!(actual, expected, "profile {k:?}");
    }
}

/// The seed restricted to `scope`, with no events: what a merged collection must equal.
fn restricted(seed: &Estate, scope: &BTreeSet<AccountId>) -> Estate {
    let mut e = seed.clone();
    e.events.clear();
    for id in sorted(e.accounts.iter().map(|a| a.id.clone())) {
        if !scope.contains(&id) {
            e.accounts.remove(&id);
            e.instances.remove(&id);
            e.organizations.remove(&id);
        }
    }
    for key in sorted(e.profiles.iter().map(kiro_estate::HasKey::key)) {
        if !scope.contains(&key.account) {
            e.profiles.remove(&key);
        }
    }
    e
}

async fn collect_and_compare(seed: Estate, caller: &str, scope: &[impl AsRef<str>]) -> Collection {
    let scope: BTreeSet<AccountId> = scope.iter().map(|a| AccountId::new(a.as_ref())).collect();
    let (server, _dir, url) = serve(seed.clone()).await;
    let before = (
        get(&url, "/admin/events").await,
        get(&url, "/admin/estate").await,
    );
    let collection = kiro_collect::collect(&options(&url, caller)).await.unwrap();
    let after = (
        get(&url, "/admin/events").await,
        get(&url, "/admin/estate").await,
    );
    assert_eq!(before, after, "a collection writes nothing");
    assert_api_view(&seed, &collection, &scope);
    // The same AWS gives the same file.
    let again = kiro_collect::collect(&options(&url, caller)).await.unwrap();
    assert_eq!(
        again.estate.to_text(kiro_estate::Format::Yaml).unwrap(),
        collection
            .estate
            .to_text(kiro_estate::Format::Yaml)
            .unwrap()
    );
    assert_eq!(again.warnings, collection.warnings);
    // Without an export, the collection is a valid estate on its own.
    if let Err(problems) = kiro_collect::finish(collection.estate.clone()) {
        panic!("{problems:#?}");
    }

    // Merged with the seed as the admin's export, the collection is the seed.
    let mut merged = collection.clone();
    kiro_collect::merge(&mut merged, &seed);
    let estate = kiro_collect::finish(merged.estate).unwrap_or_else(|problems| {
        panic!("{problems:#?}");
    });
    let mut expected = restricted(&seed, &scope);
    // Attachments are a list: AWS gives them per policy, the file in its own order.
    let mut estate = estate;
    for o in estate
        .organizations
        .iter_mut()
        .chain(expected.organizations.iter_mut())
    {
        o.attachments
            .sort_by(|a, b| (&a.policy, &a.target).cmp(&(&b.policy, &b.target)));
    }
    assert_eq!(estate.organizations, expected.organizations);
    assert_eq!(estate.instances, expected.instances);
    assert_eq!(estate.profiles, expected.profiles);
    assert_eq!(estate.accounts, expected.accounts);
    assert_eq!(estate, expected);
    // And it survives the file format and `check`.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("collected.yaml");
    estate.save(&file).unwrap();
    assert_eq!(Estate::load(&file).unwrap(), estate);
    server.abort();
    collection
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pattern_2_comes_back_from_the_server() {
    let c = collect_and_compare(
        example("pattern-2-member-org-instance.yaml"),
        "AKIDMANAGEMENT",
        &["123456789012", "666666666666", "444444444444"],
    )
    .await;
    assert!(c.unlisted_instances.is_empty());
    assert_eq!(c.live_subscriptions.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pattern_4_comes_back_from_the_server() {
    let seed = example("pattern-4-management.yaml");
    let scope: Vec<String> = seed.accounts.iter().map(|a| a.id.to_string()).collect();
    collect_and_compare(seed.clone(), "AKIDMANAGEMENT", &scope).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_enterprise_comes_back_from_the_server() {
    let seed = example("enterprise.yaml");
    // Everything but the standalone subsidiary, which the organization cannot reach.
    let scope: Vec<String> = seed
        .accounts
        .iter()
        .filter(|a| a.organization.is_some())
        .map(|a| a.id.to_string())
        .collect();
    let c = collect_and_compare(seed.clone(), "AKIDMANAGEMENT", &scope).await;
    // The lab's account instance was read as the lab account.
    let lab = c
        .estate
        .instances
        .get(&AccountId::new("300000000001"))
        .unwrap();
    assert_eq!(lab.kind, InstanceKind::Account);
    assert_eq!(lab.users.len(), 2);
    // The setting that allowed it has no read API: the lab's instance proves it.
    let org = c.estate.organizations.iter().next().unwrap();
    assert!(org.member_account_instances_allowed);
    // Either the server shows where the lab's instance lives, or the collector says that its
    // region is a guess (the server may ignore the region of ListInstances and show no
    // PrimaryRegion): never a wrong region silently.
    assert!(
        lab.region == "eu-central-1"
            || (c.uncertain_regions.contains(&lab.account)
                && c.warnings.iter().any(|w| w.contains("PrimaryRegion"))),
        "{:#?}",
        c.warnings
    );

    // The subsidiary is collected with its own credentials: pattern 1.
    collect_and_compare(seed, "400000000001", &["400000000001"]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_member_access_account_instances_are_reported_missing() {
    let seed = example("enterprise.yaml");
    let (server, _dir, url) = serve(seed).await;
    let mut o = options(&url, "AKIDMANAGEMENT");
    o.members = MemberAccess::None;
    let c = kiro_collect::collect(&o).await.unwrap();
    assert!(!c.estate.instances.contains(&AccountId::new("300000000001")));
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("member accounts were not visited")),
        "{:#?}",
        c.warnings
    );
    // The lab's profile is not visible either; the estate is still consistent.
    assert!(kiro_collect::finish(c.estate).is_ok());
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_subscription_call_plans_come_from_the_export() {
    let seed = example("pattern-2-member-org-instance.yaml");
    let (server, _dir, url) = serve(seed.clone()).await;
    let mut o = options(&url, "AKIDMANAGEMENT");
    o.subscriptions = false;
    let mut c = kiro_collect::collect(&o).await.unwrap();
    assert!(c.estate.profiles.iter().all(|p| p.subscriptions.is_empty()));
    kiro_collect::merge(&mut c, &seed);
    let estate = kiro_collect::finish(c.estate).unwrap();
    assert_eq!(estate.profiles, seed.profiles);
    server.abort();
}

// ---------------------------------------------------------------------------------------------
// moto

/// The virtualenv made by `scripts/test-deps.sh`: `$KIRO_ORG_VENV` or the workspace's `.venv`.
/// A missing moto fails the test: it must not pass by skipping.
fn moto_server() -> PathBuf {
    let venv = std::env::var_os("KIRO_ORG_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv"));
    let path = venv.join("bin/moto_server");
    assert!(
        path.exists(),
        "`{}` is missing: run `bash scripts/test-deps.sh` (or set KIRO_ORG_VENV)",
        path.display()
    );
    path
}

struct Moto(tokio::process::Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.start_kill();
    }
}

async fn start_moto() -> (Moto, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = tokio::process::Command::new(moto_server())
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            return (Moto(child), url);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("moto_server did not start on port {port}");
}

/// Creates the OU `name` under `parent`, giving its id.
async fn create_ou(org: &aws_sdk_organizations::Client, parent: &str, name: &str) -> String {
    org.create_organizational_unit()
        .parent_id(parent)
        .name(name)
        .send()
        .await
        .unwrap()
        .organizational_unit()
        .unwrap()
        .id()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organization_comes_from_moto_and_missing_apis_are_warnings() {
    use aws_sdk_organizations::types::PolicyType;
    let (_moto, url) = start_moto().await;
    let o = options(&url, "AKIDMOTO");
    let sdk = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(&url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_credential_types::Credentials::new(
            "AKIDMOTO", "secret", None, None, "test",
        ))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await;
    // Set moto up (the test writes; the collector must not).
    let org = aws_sdk_organizations::Client::new(&sdk);
    org.create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap();
    let root = org.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_owned();
    let ou = create_ou(&org, &root, "projects").await;
    let nested = create_ou(&org, &ou, "web").await;
    let created = org
        .create_account()
        .account_name("web-project")
        .email("web@example.com")
        .send()
        .await
        .unwrap();
    let account = created
        .create_account_status()
        .unwrap()
        .account_id()
        .unwrap()
        .to_owned();
    org.move_account()
        .account_id(&account)
        .source_parent_id(&root)
        .destination_parent_id(&nested)
        .send()
        .await
        .unwrap();
    let policy = org
        .create_policy()
        .name("deny-kiro-signup")
        .description("no Kiro profiles in member accounts")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"codewhisperer:CreateProfile","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap()
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    org.attach_policy()
        .policy_id(&policy)
        .target_id(&ou)
        .send()
        .await
        .unwrap();
    let ids = aws_sdk_ssoadmin::Client::new(&sdk);
    let instance = ids.list_instances().send().await.unwrap().instances()[0].clone();
    let store = instance.identity_store_id().unwrap().to_owned();
    let idc = aws_sdk_identitystore::Client::new(&sdk);
    let user = idc
        .create_user()
        .identity_store_id(&store)
        .user_name("alice")
        .display_name("Alice")
        .name(
            aws_sdk_identitystore::types::Name::builder()
                .given_name("Alice")
                .family_name("Liddell")
                .build(),
        )
        .emails(
            aws_sdk_identitystore::types::Email::builder()
                .value("alice@example.com")
                .primary(true)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .user_id()
        .to_owned();
    let group = idc
        .create_group()
        .identity_store_id(&store)
        .display_name("devs")
        .send()
        .await
        .unwrap()
        .group_id()
        .to_owned();
    idc.create_group_membership()
        .identity_store_id(&store)
        .group_id(&group)
        .member_id(aws_sdk_identitystore::types::MemberId::UserId(user))
        .send()
        .await
        .unwrap();

    let c = kiro_collect::collect(&o).await.unwrap();
    let e = &c.estate;
    let org = e.organizations.iter().next().unwrap();
    let management = org.management.clone();
    assert_eq!(org.root_id, root);
    let ous: Vec<_> = org
        .ous
        .iter()
        .map(|u| (u.name.as_str(), u.id.as_str(), u.parent.as_str()))
        .collect();
    assert_eq!(
        ous,
        [
            ("projects", ou.as_str(), "root"),
            ("web", nested.as_str(), "projects")
        ]
    );
    let web = e.accounts.get(&AccountId::new(account.as_str())).unwrap();
    assert_eq!(web.name, "web-project");
    assert_eq!(web.email.as_deref(), Some("web@example.com"));
    assert_eq!(web.parent.as_deref(), Some("web"));
    assert_eq!(web.organization.as_ref(), Some(&management));
    let deny = org.policies.get("deny-kiro-signup").unwrap();
    assert_eq!(deny.id, policy);
    assert_eq!(
        deny.document["Statement"][0]["Action"],
        "codewhisperer:CreateProfile"
    );
    assert!(
        org.attachments
            .iter()
            .any(|a| a.policy == "deny-kiro-signup" && a.target == "projects")
    );
    assert!(
        org.policies
            .get("FullAWSAccess")
            .is_some_and(|p| p.aws_managed)
    );
    // The directory of moto's default instance.
    let inst = e.instances.get(&management).unwrap();
    assert_eq!(inst.kind, InstanceKind::Organization);
    assert_eq!(inst.identity_store, store);
    let alice = inst.users.get("alice").unwrap();
    assert_eq!(alice.email.as_deref(), Some("alice@example.com"));
    let devs = inst.groups.get("devs").unwrap();
    assert!(devs.members.contains("alice"));
    // moto has no ListApplications: a warning, no profiles, no crash.
    assert!(e.profiles.is_empty());
    assert!(c.unlisted_instances.contains(&management));
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("`ListApplications` is not available")),
        "{:#?}",
        c.warnings
    );
    let estate = kiro_collect::finish(c.estate.clone()).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(estate.accounts.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_estate_comes_back_through_every_page() {
    // 50 accounts (20 per Organizations page), 500 users (100 per Identity Store page),
    // nested OUs, hundreds of subscriptions.
    let mut seed = kiro_estate::generate::generate(&kiro_estate::generate::Spec::default());
    seed.normalize();
    assert!(seed.validate().is_empty());
    assert!(seed.accounts.len() > 40);
    assert!(seed.instances.iter().map(|i| i.users.len()).sum::<usize>() > 300);
    let scope: Vec<String> = seed.accounts.iter().map(|a| a.id.to_string()).collect();
    collect_and_compare(seed.clone(), "AKIDMANAGEMENT", &scope).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_in_a_new_kiro_region_extends_the_region_list() {
    let mut seed = example("pattern-2-member-org-instance.yaml");
    seed.simulator
        .kiro_regions
        .push("ap-northeast-1".to_owned());
    let mut tokyo = seed.profiles.iter().next().unwrap().clone();
    tokyo.region = "ap-northeast-1".to_owned();
    tokyo.id.clear();
    seed.profiles.insert(tokyo).unwrap();
    seed.normalize();
    assert!(seed.validate().is_empty());
    let (server, _dir, url) = serve(seed).await;
    let c = kiro_collect::collect(&options(&url, "AKIDMANAGEMENT"))
        .await
        .unwrap();
    assert!(
        c.warnings.iter().any(|w| w.contains("`ap-northeast-1`")),
        "{:#?}",
        c.warnings
    );
    let estate = kiro_collect::finish(c.estate).unwrap_or_else(|p| panic!("{p:#?}"));
    let key = kiro_estate::ProfileKey::new(&AccountId::new("666666666666"), "ap-northeast-1");
    assert_eq!(estate.profiles.get(&key).unwrap().subscriptions.len(), 2);
    server.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_are_checked_so_a_wrong_secret_fails() {
    let (server, _dir, url) = serve(example("pattern-2-member-org-instance.yaml")).await;
    let mut o = options(&url, "AKIDMANAGEMENT");
    if let Some(keys) = &mut o.keys {
        keys.secret_access_key = "wrong".to_owned();
    }
    let err = kiro_collect::collect(&o).await.unwrap_err().to_string();
    assert!(err.contains("DescribeOrganization"), "{err}");
    assert!(err.contains("Signature"), "{err}");
    server.abort();
}
