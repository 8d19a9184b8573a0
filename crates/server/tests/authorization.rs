//! Authorization first, over the wire as in `kiro-org apply`: a caller that an SCP denies gets
//! `AccessDeniedException` naming the policy and statement whatever ids or values it sent, and
//! the server refuses every request with the error name `apply` gives the same operation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use kiro_engine::{Engine, ops_file};
use kiro_estate::{AccountId, Estate, Format};
use serde_json::{Value, json};

const MANAGEMENT: &str = "123456789012";
const WEB: &str = "666666666666";
const SANDBOX: &str = "555555555555";
const UNKNOWN_ID: &str = "0000000000-00000000-0000-4000-8000-000000000000";

/// The operations of an operations file, as `kiro-org apply` reads them.
fn ops(yaml: &str) -> Vec<kiro_engine::Op> {
    ops_file::parse(yaml, Format::Yaml)
        .unwrap_or_else(|d| panic!("{d:?}"))
        .into_iter()
        .map(|item| item.op)
        .collect()
}

/// The fixture after `yaml` was applied as `kiro-org apply` applies it.
fn estate_after(yaml: &str) -> Estate {
    let mut engine = Engine::new(common::fixture());
    for op in ops(yaml) {
        engine.apply(&op, jiff::Timestamp::now()).unwrap();
    }
    engine.into_estate()
}

/// What `kiro-org apply` answers for the single operation `yaml` on `estate`: the error name
/// and message of its refusal.
fn applied(estate: &Estate, yaml: &str) -> (String, String) {
    let [op] = ops(yaml).try_into().unwrap();
    let err = Engine::new(estate.clone())
        .apply(&op, jiff::Timestamp::now())
        .expect_err("apply refuses it");
    (err.name().to_owned(), err.message)
}

/// What the server answers `access_key` for `target` with `body`: its status, error name and
/// message.
fn served(
    addr: std::net::SocketAddr,
    access_key: &str,
    target: &str,
    body: &Value,
) -> (u16, String, String) {
    let content_type = if target.starts_with("AmazonQDeveloperService.") {
        "application/x-amz-json-1.0"
    } else {
        "application/x-amz-json-1.1"
    };
    let request = common::aws_request_as(access_key, target, content_type, &body.to_string());
    let (status, _, text) = common::http(addr, &request);
    let body: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("`{text}`: {e}"));
    (
        status,
        body["__type"].as_str().unwrap_or_default().to_owned(),
        body["message"].as_str().unwrap_or_default().to_owned(),
    )
}

fn instance<'e>(estate: &'e Estate, owner: &str) -> &'e kiro_estate::Instance {
    estate.instances.get(&AccountId::new(owner)).unwrap()
}

fn user_id(estate: &Estate, owner: &str, name: &str) -> String {
    instance(estate, owner)
        .users
        .get(name)
        .unwrap()
        .id
        .to_string()
}

fn group_id(estate: &Estate, owner: &str, name: &str) -> String {
    instance(estate, owner)
        .groups
        .get(name)
        .unwrap()
        .id
        .to_string()
}

fn assert_denied_alike(server: &(u16, String, String), apply: &(String, String), scp: &str) {
    let (status, name, message) = server;
    assert_eq!(
        (*status, name, message),
        (400, &apply.0, &apply.1),
        "server and apply differ"
    );
    assert_eq!(name, "AccessDeniedException");
    assert!(message.contains(scp), "{message}");
}

/// An SCP on the member account 666666666666 denies giving seats: `CreateAssignment` is refused
/// before its principal, its subscription and its plan are looked at, exactly as `apply`
/// refuses the `subscribe` it becomes. The raw requests are signed by botocore, as public
/// admin scripts sign them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_scp_denied_create_assignment_is_access_denied_whatever_it_names() {
    let estate = estate_after(
        r#"
- op: create-policy
  organization: "123456789012"
  name: deny-kiro-seats
  document: {Version: "2012-10-17", Statement: [{Sid: NoSeats, Effect: Deny, Action: ["q:CreateAssignment", "user-subscriptions:CreateClaim"], Resource: "*"}]}
- {op: attach-policy, organization: "123456789012", policy: deny-kiro-seats, target: "666666666666"}
"#,
    );
    let group_a = group_id(&estate, MANAGEMENT, "group-a");
    let alice = user_id(&estate, MANAGEMENT, "alice");
    let cases = [
        (
            json!({"principalId": UNKNOWN_ID, "principalType": "USER", "subscriptionType": "Q_DEVELOPER_STANDALONE_PRO"}),
            "{op: subscribe, account: '666666666666', region: us-east-1, user-name: nobody, plan: pro, expect: new}",
        ),
        (
            json!({"principalId": group_a, "principalType": "GROUP", "subscriptionType": "Q_DEVELOPER_STANDALONE_PRO"}),
            "{op: subscribe, account: '666666666666', region: us-east-1, group: group-a, plan: pro, expect: new}",
        ),
        (
            json!({"principalId": alice, "principalType": "USER", "subscriptionType": "Q_DEVELOPER_STANDALONE_GOLD"}),
            "{op: subscribe, account: '666666666666', region: us-east-1, user-name: alice, plan: gold, expect: new}",
        ),
    ];
    let (_server, _dir, url) = common::start_with(estate.clone()).await;
    tokio::task::spawn_blocking(move || {
        for (body, op) in cases {
            let (status, reply) = common::signed(
                &url,
                WEB,
                "q",
                "us-east-1",
                "AmazonQDeveloperService.CreateAssignment",
                &body,
            );
            let server = (
                status,
                reply["__type"].as_str().unwrap_or_default().to_owned(),
                reply["message"].as_str().unwrap_or_default().to_owned(),
            );
            let apply = applied(&estate, &format!("- {op}"));
            assert_denied_alike(&server, &apply, "deny-kiro-seats");
            assert!(server.2.contains("NoSeats"), "{}", server.2);
        }
    })
    .await
    .unwrap();
}

/// The Kiro console's own targets (`KiroControlPlaneQDeveloperService.*`) are the same
/// operations: both `subscriptionType` families give seats, the values that are no seat plan
/// are refused saying why, and every error is named in the console's namespace.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiro_consoles_targets_give_seats_with_both_families_and_name_errors_its_way() {
    let estate = estate_after(
        r#"
- op: create-policy
  organization: "123456789012"
  name: deny-kiro-seats
  document: {Version: "2012-10-17", Statement: [{Sid: NoSeats, Effect: Deny, Action: "q:CreateAssignment", Resource: "*"}]}
- {op: attach-policy, organization: "123456789012", policy: deny-kiro-seats, target: "666666666666"}
"#,
    );
    let alice = user_id(&estate, MANAGEMENT, "alice");
    let group_a = group_id(&estate, MANAGEMENT, "group-a");
    let (server, _dir, url) = common::start_with(estate).await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let call = |account: &str, op: &str, body: Value| {
            common::signed(
                &url,
                account,
                "q",
                "us-east-1",
                &format!("KiroControlPlaneQDeveloperService.{op}"),
                &body,
            )
        };
        let plan_of = |who: &str| {
            let r = common::http(
                addr,
                b"GET /admin/estate HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            );
            let estate: Value = serde_json::from_str(&r.2).unwrap();
            estate["profiles"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["account"] == MANAGEMENT && p["region"] == "us-east-1")
                .unwrap()["subscriptions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["user-name"] == who)
                .map(|s| s["plan"].as_str().unwrap().to_owned())
        };
        let (status, reply) = call(
            MANAGEMENT,
            "CreateAssignment",
            json!({"principalId": alice, "principalType": "USER", "subscriptionType": "Q_DEVELOPER_PRO"}),
        );
        assert_eq!(status, 200, "{reply}");
        assert_eq!(plan_of("alice").as_deref(), Some("pro"));
        let (status, reply) = call(
            MANAGEMENT,
            "UpdateAssignment",
            json!({"principalId": alice, "principalType": "USER", "subscriptionType": "Q_DEVELOPER_STANDALONE_POWER"}),
        );
        assert_eq!(status, 200, "{reply}");
        assert_eq!(plan_of("alice").as_deref(), Some("power"));
        for (value, why) in [
            ("CREDIT_POOL", "a credit pool is not a seat"),
            ("Q_DEVELOPER_FREE", "the free tier"),
            ("Q_DEVELOPER_GOLD", "is not a subscription type"),
        ] {
            let (status, reply) = call(
                MANAGEMENT,
                "CreateAssignment",
                json!({"principalId": group_a, "principalType": "GROUP", "subscriptionType": value}),
            );
            assert_eq!(status, 400, "{reply}");
            assert_eq!(reply["__type"], "com.amazon.kiro.controlplane#ValidationException");
            let message = reply["message"].as_str().unwrap();
            assert!(message.contains(why) && message.contains("Q_DEVELOPER_PRO_PLUS"), "{message}");
        }
        let (status, reply) = call(
            WEB,
            "CreateAssignment",
            json!({"principalId": group_a, "principalType": "GROUP", "subscriptionType": "Q_DEVELOPER_PRO_MAX"}),
        );
        assert_eq!(status, 400, "{reply}");
        assert_eq!(reply["__type"], "com.amazon.kiro.controlplane#AccessDeniedException");
        assert!(reply["message"].as_str().unwrap().contains("NoSeats"), "{reply}");
        let (status, reply) = call(
            MANAGEMENT,
            "DeleteAssignment",
            json!({"principalId": alice, "principalType": "USER"}),
        );
        assert_eq!(status, 200, "{reply}");
        assert_eq!(plan_of("alice"), None);
        // The older targets keep AWS's plain names.
        let (_, reply) = common::signed(
            &url,
            MANAGEMENT,
            "q",
            "us-east-1",
            "AmazonQDeveloperService.CreateAssignment",
            &json!({"principalId": alice, "principalType": "USER", "subscriptionType": "CREDIT_POOL"}),
        );
        assert_eq!(reply["__type"], "ValidationException");
    })
    .await
    .unwrap();
}

/// A member account's own instance, its directory writes denied by an SCP: Identity Store
/// writes are refused before the store, the user or the group is looked up, and before the
/// user name is found taken, as `apply` refuses them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_scp_denied_identity_store_write_is_access_denied_whatever_it_names() {
    use aws_sdk_identitystore::types::{Email, MemberId};

    let estate = estate_after(
        r#"
- {op: enable-identity-center, account: "555555555555", region: us-east-1}
- {op: create-user, instance: "555555555555", user-name: sam, email: sam@example.com}
- {op: create-group, instance: "555555555555", name: sandbox-team}
- op: create-policy
  organization: "123456789012"
  name: deny-directory-writes
  document: {Version: "2012-10-17", Statement: [{Sid: NoDirectoryWrites, Effect: Deny, Action: ["identitystore:CreateUser", "identitystore:CreateGroupMembership"], Resource: "*"}]}
- {op: attach-policy, organization: "123456789012", policy: deny-directory-writes, target: "555555555555"}
"#,
    );
    let store = instance(&estate, SANDBOX).identity_store.clone();
    let team = group_id(&estate, SANDBOX, "sandbox-team");
    let (_server, _dir, url) = common::start_with(estate.clone()).await;
    let ids = aws_sdk_identitystore::Client::new(&common::sdk(&url, SANDBOX).await);
    let refusal = |e: &dyn aws_smithy_types::error::metadata::ProvideErrorMetadata| {
        (
            400,
            e.code().unwrap_or_default().to_owned(),
            e.message().unwrap_or_default().to_owned(),
        )
    };
    let email = Email::builder()
        .value("sam@example.com")
        .primary(true)
        .build();

    // A user name taken already, in the caller's store and in a store that does not exist.
    for store_id in [store.as_str(), "d-0000000000"] {
        let err = ids
            .create_user()
            .identity_store_id(store_id)
            .user_name("sam")
            .emails(email.clone())
            .send()
            .await
            .unwrap_err()
            .into_service_error();
        let apply = applied(
            &estate,
            "- {op: create-user, instance: '555555555555', user-name: sam, email: sam@example.com}",
        );
        assert_denied_alike(&refusal(&err), &apply, "deny-directory-writes");
    }
    // A member that does not exist.
    let err = ids
        .create_group_membership()
        .identity_store_id(&store)
        .group_id(&team)
        .member_id(MemberId::UserId(UNKNOWN_ID.to_owned()))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    let apply = applied(
        &estate,
        "- {op: add-member, instance: '555555555555', group: sandbox-team, user-name: nobody}",
    );
    assert_denied_alike(&refusal(&err), &apply, "deny-directory-writes");
    assert!(refusal(&err).2.contains("NoDirectoryWrites"));
}

/// One refused operation per rule, sent to the server and applied: both give the same error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_refuses_as_apply_does() {
    let estate = common::fixture();
    let store = instance(&estate, MANAGEMENT).identity_store.clone();
    let alice = user_id(&estate, MANAGEMENT, "alice");
    let group_a = group_id(&estate, MANAGEMENT, "group-a");
    let full_access = estate
        .organizations
        .get(&AccountId::new(MANAGEMENT))
        .unwrap()
        .policies
        .get("FullAWSAccess")
        .unwrap()
        .id
        .clone();
    let pro = "Q_DEVELOPER_STANDALONE_PRO";
    let cases: Vec<(&str, &str, Value, String)> = vec![
        (
            MANAGEMENT,
            "AmazonQDeveloperService.CreateAssignment",
            json!({"principalId": UNKNOWN_ID, "principalType": "USER", "subscriptionType": pro}),
            "{op: subscribe, account: '123456789012', region: us-east-1, user-name: nobody, plan: pro, expect: new}".into(),
        ),
        (
            WEB,
            "AmazonQDeveloperService.CreateAssignment",
            json!({"principalId": group_a, "principalType": "GROUP", "subscriptionType": pro}),
            "{op: subscribe, account: '666666666666', region: us-east-1, group: group-a, plan: pro, expect: new}".into(),
        ),
        (
            WEB,
            "AmazonQDeveloperService.CreateAssignment",
            json!({"principalId": alice, "principalType": "USER", "subscriptionType": "Q_DEVELOPER_STANDALONE_GOLD"}),
            "{op: subscribe, account: '666666666666', region: us-east-1, user-name: alice, plan: gold, expect: new}".into(),
        ),
        (
            WEB,
            "AmazonQDeveloperService.UpdateAssignment",
            json!({"principalId": alice, "principalType": "USER", "subscriptionType": pro}),
            "{op: subscribe, account: '666666666666', region: us-east-1, user-name: alice, plan: pro, expect: existing}".into(),
        ),
        (
            WEB,
            "AmazonQDeveloperService.DeleteAssignment",
            json!({"principalId": alice, "principalType": "USER"}),
            "{op: unsubscribe, account: '666666666666', region: us-east-1, user-name: alice}"
                .into(),
        ),
        (
            SANDBOX,
            "AmazonQDeveloperService.CreateAssignment",
            json!({"principalId": alice, "principalType": "USER", "subscriptionType": pro}),
            "{op: subscribe, account: '555555555555', region: us-east-1, user-name: alice, plan: pro, expect: new}".into(),
        ),
        (
            MANAGEMENT,
            "AWSIdentityStore.CreateUser",
            json!({"IdentityStoreId": store, "UserName": "alice", "Emails": [{"Value": "alice@example.com"}]}),
            "{op: create-user, instance: '123456789012', user-name: alice, email: alice@example.com}".into(),
        ),
        (
            MANAGEMENT,
            "AWSIdentityStore.CreateUser",
            json!({"IdentityStoreId": store, "Emails": [{"Value": "anon@example.com"}]}),
            "{op: create-user, instance: '123456789012', user-name: '', email: anon@example.com}"
                .into(),
        ),
        (
            MANAGEMENT,
            "AWSIdentityStore.CreateGroup",
            json!({"IdentityStoreId": store, "DisplayName": "group-a"}),
            "{op: create-group, instance: '123456789012', name: group-a}".into(),
        ),
        (
            MANAGEMENT,
            "AWSIdentityStore.CreateGroupMembership",
            json!({"IdentityStoreId": store, "GroupId": group_a, "MemberId": {"UserId": alice}}),
            "{op: add-member, instance: '123456789012', group: group-a, user-name: alice}".into(),
        ),
        (
            MANAGEMENT,
            "AWSIdentityStore.CreateGroupMembership",
            json!({"IdentityStoreId": store, "GroupId": group_a, "MemberId": {"UserId": UNKNOWN_ID}}),
            "{op: add-member, instance: '123456789012', group: group-a, user-name: nobody}".into(),
        ),
        (
            WEB,
            "SWBExternalService.CreateInstance",
            json!({}),
            "{op: enable-identity-center, account: '666666666666', region: us-east-1, kind: account}".into(),
        ),
        (
            MANAGEMENT,
            "SWBExternalService.CreateInstance",
            json!({}),
            "{op: enable-identity-center, account: '123456789012', region: us-east-1, kind: account}".into(),
        ),
        (
            MANAGEMENT,
            "AWSOrganizationsV20161128.DetachPolicy",
            json!({"PolicyId": full_access, "TargetId": SANDBOX}),
            "{op: detach-policy, organization: '123456789012', policy: FullAWSAccess, target: '555555555555'}".into(),
        ),
        (
            MANAGEMENT,
            "AWSOrganizationsV20161128.CreatePolicy",
            json!({"Name": "with-principal", "Description": "", "Type": "SERVICE_CONTROL_POLICY",
                   "Content": r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}"#}),
            r#"{op: create-policy, organization: '123456789012', name: with-principal, document: '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*"}]}'}"#.into(),
        ),
    ];
    let (server, _dir, _) = common::start_with(estate.clone()).await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let mut names = std::collections::BTreeSet::new();
        for (caller, target, body, op) in cases {
            let (status, name, message) = served(addr, caller, target, &body);
            let (expected, _) = applied(&estate, &format!("- {op}"));
            assert_eq!(
                (status, name.as_str()),
                (400, expected.as_str()),
                "{target} as {caller}: {message}"
            );
            names.insert(expected);
        }
        assert_eq!(
            names.into_iter().collect::<Vec<_>>(),
            [
                "AccessDeniedException",
                "ConflictException",
                "ConstraintViolationException",
                "MalformedPolicyDocumentException",
                "ResourceNotFoundException",
                "ValidationException",
            ],
            "the table covers each rule's error"
        );
    })
    .await
    .unwrap();
}

/// Seats only for an approved group: the server's `CreateAssignment` carries the group's
/// `identitystore:GroupId` as `apply`'s `subscribe` does, so the SCP refuses a seat for any
/// other group (naming its statement) and lets the approved one through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_for_approved_groups_only_are_enforced_by_the_server_as_by_apply() {
    let fixture = common::fixture();
    let group_a = group_id(&fixture, MANAGEMENT, "group-a");
    let data_team = group_id(&fixture, MANAGEMENT, "data-team");
    let estate = estate_after(&format!(
        r#"
- op: create-policy
  organization: "123456789012"
  name: approved-seats
  document: {{Version: "2012-10-17", Statement: [{{Sid: SeatsForApprovedGroups, Effect: Deny, Action: "q:CreateAssignment", Resource: "*", Condition: {{StringNotEquals: {{"identitystore:GroupId": ["{group_a}"]}}}}}}]}}
- {{op: attach-policy, organization: "123456789012", policy: approved-seats, target: "666666666666"}}
"#
    ));
    let (_server, _dir, url) = common::start_with(estate.clone()).await;
    tokio::task::spawn_blocking(move || {
        let assign = |group: &str| {
            let body = json!({"principalId": group, "principalType": "GROUP", "subscriptionType": "Q_DEVELOPER_STANDALONE_PRO"});
            common::signed(
                &url,
                WEB,
                "q",
                "us-east-1",
                "AmazonQDeveloperService.CreateAssignment",
                &body,
            )
        };
        let (status, reply) = assign(&data_team);
        let server = (
            status,
            reply["__type"].as_str().unwrap_or_default().to_owned(),
            reply["message"].as_str().unwrap_or_default().to_owned(),
        );
        let apply = applied(
            &estate,
            "- {op: subscribe, account: '666666666666', region: us-east-1, group: data-team, plan: pro, expect: new}",
        );
        assert_denied_alike(&server, &apply, "approved-seats");
        assert!(server.2.contains("SeatsForApprovedGroups"), "{}", server.2);
        let (status, reply) = assign(&group_a);
        assert_ne!(
            reply["__type"].as_str().unwrap_or_default(),
            "AccessDeniedException",
            "{status} {reply}"
        );
    })
    .await
    .unwrap();
}

/// A member account's own instance, its trusted token issuers denied by an SCP: creating one
/// is refused before its instance is looked up or its values are checked, and deleting one
/// before its ARN is resolved, as `apply` refuses the operations they become.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_scp_denied_trusted_token_issuer_write_is_access_denied_whatever_it_names() {
    let estate = estate_after(
        r#"
- {op: enable-identity-center, account: "555555555555", region: us-east-1}
- op: create-policy
  organization: "123456789012"
  name: deny-token-issuers
  document: {Version: "2012-10-17", Statement: [{Sid: NoIssuers, Effect: Deny, Action: ["sso:CreateTrustedTokenIssuer", "sso:DeleteTrustedTokenIssuer"], Resource: "*"}]}
- {op: attach-policy, organization: "123456789012", policy: deny-token-issuers, target: "555555555555"}
"#,
    );
    let own = kiro_estate::ids::arn::instance(estate.partition(), &instance(&estate, SANDBOX).id);
    let (server, _dir, _) = common::start_with(estate.clone()).await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let create = |instance_arn: &str, url: &str| {
            json!({"InstanceArn": instance_arn, "Name": "okta", "TrustedTokenIssuerType": "OIDC_JWT",
                "TrustedTokenIssuerConfiguration": {"OidcJwtConfiguration": {"IssuerUrl": url,
                "ClaimAttributePath": "email", "IdentityStoreAttributePath": "emails.value",
                "JwksRetrievalOption": "OPEN_ID_DISCOVERY"}}})
        };
        let apply = applied(
            &estate,
            r#"- {op: create-trusted-token-issuer, instance: "555555555555", name: okta, issuer-url: "https://idp.example.com", claim-attribute-path: email, identity-store-attribute-path: emails.value}"#,
        );
        for body in [
            create(&own, "https://idp.example.com"),
            create("arn:aws:sso:::instance/ssoins-0000000000000000", "https://idp.example.com"),
        ] {
            let server = served(addr, SANDBOX, "SWBExternalService.CreateTrustedTokenIssuer", &body);
            assert_denied_alike(&server, &apply, "deny-token-issuers");
        }
        // A bad issuer URL is not looked at either.
        let server = served(addr, SANDBOX, "SWBExternalService.CreateTrustedTokenIssuer", &create(&own, "ftp://x"));
        assert_eq!(server.1, "AccessDeniedException", "{server:?}");
        let unknown = "arn:aws:sso::555555555555:trustedTokenIssuer/ssoins-0000000000000000/tti-00000000-0000-0000-0000-000000000000";
        let server = served(addr, SANDBOX, "SWBExternalService.DeleteTrustedTokenIssuer", &json!({"TrustedTokenIssuerArn": unknown}));
        let apply = applied(
            &estate,
            &format!(r#"- {{op: delete-trusted-token-issuer, instance: "555555555555", trusted-token-issuer: "{unknown}"}}"#),
        );
        assert_denied_alike(&server, &apply, "deny-token-issuers");
    })
    .await
    .unwrap();
}
