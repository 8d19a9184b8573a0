//! The real AWS CLI (v1, from the test virtualenv) against the server, the seed's command
//! among them, and the Kiro subscription APIs driven as public scripts drive them: a raw JSON
//! 1.0 request signed with botocore's SigV4Auth. These fail, not skip, without the tools.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use std::process::Command;

use serde_json::Value;

fn aws(url: &str, access_key: &str, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(common::venv_bin("aws"));
    common::cli_env(&mut cmd, access_key);
    cmd.arg("--endpoint-url").arg(url).args(args);
    let out = cmd.output().expect("aws runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_seed_command_prints_the_seed_table() {
    let (_server, _dir, url) = common::start().await;
    let url2 = url.clone();
    let (ok, instance_arn, err) = tokio::task::spawn_blocking(move || {
        aws(
            &url2,
            "AKIDTEST",
            &[
                "sso-admin",
                "list-instances",
                "--query",
                "Instances[0].InstanceArn",
                "--output",
                "text",
            ],
        )
    })
    .await
    .unwrap();
    assert!(ok, "{err}");
    let instance_arn = instance_arn.trim().to_owned();
    assert!(instance_arn.starts_with("arn:aws:sso:::instance/ssoins-"));
    // The seed's command, unchanged apart from --endpoint-url.
    let (ok, table, err) = tokio::task::spawn_blocking(move || {
        aws(
            &url,
            "AKIDTEST",
            &[
                "sso-admin",
                "list-applications",
                "--instance-arn",
                &instance_arn,
                "--query",
                "Applications[?Name != null && starts_with(Name,`KiroProfile`)].{Name:Name, ApplicationAccount:ApplicationAccount}",
                "--output",
                "table",
            ],
        )
    })
    .await
    .unwrap();
    assert!(ok, "{err}");
    let expected = "\
-------------------------------------------------
|               ListApplications                |
+---------------------+-------------------------+
| ApplicationAccount  |          Name           |
+---------------------+-------------------------+
|  123456789012       |  KiroProfile-us-east-1  |
|  666666666666       |  KiroProfile-us-east-1  |
|  444444444444       |  KiroProfile-us-east-1  |
+---------------------+-------------------------+
";
    assert_eq!(table, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_reads_and_writes_every_service() {
    let (_server, _dir, url) = common::start().await;
    tokio::task::spawn_blocking(move || {
        let (ok, out, err) = aws(
            &url,
            "AKIDTEST",
            &[
                "organizations",
                "list-accounts",
                "--query",
                "Accounts[].Id",
                "--output",
                "text",
            ],
        );
        assert!(ok, "{err}");
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            [
                "123456789012",
                "666666666666",
                "444444444444",
                "555555555555"
            ]
        );
        let (ok, out, err) = aws(
            &url,
            "AKIDTEST",
            &[
                "sso-admin",
                "list-instances",
                "--query",
                "Instances[0].IdentityStoreId",
                "--output",
                "text",
            ],
        );
        assert!(ok, "{err}");
        let store = out.trim().to_owned();
        let (ok, out, err) = aws(
            &url,
            "AKIDTEST",
            &[
                "identitystore",
                "create-user",
                "--identity-store-id",
                &store,
                "--user-name",
                "frank",
                "--display-name",
                "Frank",
                "--name",
                "GivenName=Frank,FamilyName=Doe",
                "--emails",
                "Value=frank@example.com,Primary=true",
            ],
        );
        assert!(ok, "{err}");
        let created: Value = serde_json::from_str(&out).unwrap();
        assert!(created["UserId"].as_str().unwrap().len() > 36);
        let (ok, out, err) = aws(
            &url,
            "AKIDTEST",
            &[
                "identitystore",
                "list-users",
                "--identity-store-id",
                &store,
                "--query",
                "Users[].UserName",
                "--output",
                "text",
            ],
        );
        assert!(ok, "{err}");
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            ["alice", "bob", "dave", "frank"]
        );
        // An AWS-shaped error reaches the CLI's user as AWS's would.
        let (ok, _, err) = aws(
            &url,
            "AKIDTEST",
            &[
                "organizations",
                "describe-policy",
                "--policy-id",
                "p-nosuchpolicy",
            ],
        );
        assert!(!ok);
        assert!(err.contains("PolicyNotFoundException"), "{err}");
        // A member account's SCP denies sso:CreateInstance.
        let (ok, _, err) = aws(&url, "666666666666", &["sso-admin", "create-instance"]);
        assert!(!ok);
        assert!(
            err.contains("AccessDeniedException") && err.contains("deny-account-instances"),
            "{err}"
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_through_signed_json_1_0_requests() {
    let (_server, _dir, url) = common::start().await;
    tokio::task::spawn_blocking(move || {
        let (ok, out, err) = aws(&url, "AKIDTEST", &["sso-admin", "list-instances", "--output", "json"]);
        assert!(ok, "{err}");
        let inst: Value = serde_json::from_str(&out).unwrap();
        let instance_arn = inst["Instances"][0]["InstanceArn"].as_str().unwrap().to_owned();
        let store = inst["Instances"][0]["IdentityStoreId"].as_str().unwrap().to_owned();
        let (ok, out, err) = aws(&url, "AKIDTEST", &["identitystore", "get-user-id", "--identity-store-id", &store, "--alternate-identifier", r#"{"UniqueAttribute":{"AttributePath":"userName","AttributeValue":"bob"}}"#]);
        assert!(ok, "{err}");
        let bob = serde_json::from_str::<Value>(&out).unwrap()["UserId"].as_str().unwrap().to_owned();

        let (status, body) = common::signed(&url, "AKIDTEST", "codewhisperer", "us-east-1", "AmazonCodeWhispererService.ListAvailableProfiles", &serde_json::json!({}));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["profiles"][0]["profileName"], "KiroProfile-us-east-1");
        assert!(body["profiles"][0]["arn"].as_str().unwrap().starts_with("arn:aws:codewhisperer:us-east-1:123456789012:profile/"));

        // The management account's profile in the signing region gets the subscription.
        let create = serde_json::json!({"principalId": bob, "principalType": "USER", "subscriptionType": "Q_DEVELOPER_STANDALONE_PRO_PLUS"});
        let (status, body) = common::signed(&url, "AKIDTEST", "q", "us-east-1", "AmazonQDeveloperService.CreateAssignment", &create);
        assert_eq!(status, 200, "{body}");
        let (status, body) = common::signed(&url, "AKIDTEST", "q", "us-east-1", "AmazonQDeveloperService.CreateAssignment", &create);
        assert_eq!((status, body["__type"].as_str()), (400, Some("ConflictException")));
        let update = serde_json::json!({"principalId": bob, "principalType": "USER", "subscriptionType": "Q_DEVELOPER_STANDALONE_PRO_MAX"});
        let (status, body) = common::signed(&url, "AKIDTEST", "q", "us-east-1", "AmazonQDeveloperService.UpdateAssignment", &update);
        assert_eq!(status, 200, "{body}");

        let list = serde_json::json!({"instanceArn": instance_arn, "maxResults": 1000, "subscriptionRegion": "us-east-1"});
        let (status, body) = common::signed(&url, "AKIDTEST", "user-subscriptions", "us-east-1", "AWSZornControlPlaneService.ListUserSubscriptions", &list);
        assert_eq!(status, 200, "{body}");
        let subs = body["UserSubscriptions"].as_array().unwrap();
        let mine: Vec<_> = subs.iter().filter(|s| s["applicationAccount"] == "123456789012").collect();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0]["principalId"], bob.as_str());
        assert_eq!(mine[0]["subscriptionType"], "Q_DEVELOPER_STANDALONE_PRO_MAX");
        assert_eq!(subs.len(), 3, "the two member profiles' group subscriptions too");

        // Subscriptions are not application assignments.
        let (ok, out, err) = aws(&url, "AKIDTEST", &["sso-admin", "list-applications", "--instance-arn", &instance_arn, "--query", "Applications[0].ApplicationArn", "--output", "text"]);
        assert!(ok, "{err}");
        let (ok, out, err) = aws(&url, "AKIDTEST", &["sso-admin", "list-application-assignments", "--application-arn", out.trim(), "--output", "json"]);
        assert!(ok, "{err}");
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap()["ApplicationAssignments"], serde_json::json!([]));

        let delete = serde_json::json!({"principalId": bob, "principalType": "USER"});
        let (status, body) = common::signed(&url, "AKIDTEST", "q", "us-east-1", "AmazonQDeveloperService.DeleteAssignment", &delete);
        assert_eq!(status, 200, "{body}");
        let (status, body) = common::signed(&url, "AKIDTEST", "q", "us-east-1", "AmazonQDeveloperService.DeleteAssignment", &delete);
        assert_eq!((status, body["__type"].as_str()), (400, Some("ResourceNotFoundException")));

        // A principal of no identity store the profile uses, and a region without a profile.
        let stranger = serde_json::json!({"principalId": "0000000000-00000000-0000-4000-8000-000000000000", "principalType": "USER", "subscriptionType": "Q_DEVELOPER_STANDALONE_PRO"});
        let (status, body) = common::signed(&url, "AKIDTEST", "q", "us-east-1", "AmazonQDeveloperService.CreateAssignment", &stranger);
        assert_eq!((status, body["__type"].as_str()), (400, Some("ValidationException")));
        let (status, body) = common::signed(&url, "AKIDTEST", "q", "eu-central-1", "AmazonQDeveloperService.CreateAssignment", &create);
        assert_eq!((status, body["__type"].as_str()), (400, Some("ResourceNotFoundException")));
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_caller_identity_is_the_first_command_and_it_works() {
    let (_server, _dir, url) = common::start().await;
    let (ok, out, err) = tokio::task::spawn_blocking(move || {
        let first = aws(&url, "444444444444", &["sts", "get-caller-identity"]);
        let cn = aws(
            &url,
            "444444444444",
            &[
                "--region",
                "cn-northwest-1",
                "sts",
                "get-caller-identity",
                "--query",
                "Arn",
                "--output",
                "text",
            ],
        );
        let unknown = aws(&url, "444444444444", &["sts", "get-session-token"]);
        assert!(cn.0, "{}", cn.2);
        // The estate's partition names the caller, whatever region the client calls in.
        assert_eq!(cn.1.trim(), "arn:aws:iam::444444444444:root");
        assert!(!unknown.0);
        assert!(
            unknown.2.contains("UnknownOperationException")
                && unknown.2.contains("GetSessionToken"),
            "{}",
            unknown.2
        );
        first
    })
    .await
    .unwrap();
    assert!(ok, "{err}");
    let me: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(me["Account"], "444444444444");
    assert_eq!(me["UserId"], "444444444444");
    assert_eq!(me["Arn"], "arn:aws:iam::444444444444:root");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rollout_script_creates_its_organization_first() {
    let (_server, _dir, url) = common::start_with(common::with_standalone_account()).await;
    tokio::task::spawn_blocking(move || {
        let solo = "777777777777";
        let (ok, _, err) = aws(&url, solo, &["organizations", "describe-organization"]);
        assert!(!ok);
        assert!(err.contains("AWSOrganizationsNotInUseException"), "{err}");
        let (ok, out, err) = aws(
            &url,
            solo,
            &[
                "organizations",
                "create-organization",
                "--feature-set",
                "ALL",
            ],
        );
        assert!(ok, "{err}");
        let made: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(made["Organization"]["MasterAccountId"], solo);
        let (ok, root, err) = aws(
            &url,
            solo,
            &[
                "organizations",
                "list-roots",
                "--query",
                "Roots[0].Id",
                "--output",
                "text",
            ],
        );
        assert!(ok, "{err}");
        let root = root.trim();
        let (ok, out, err) = aws(
            &url,
            solo,
            &[
                "organizations",
                "create-organizational-unit",
                "--parent-id",
                root,
                "--name",
                "workloads",
            ],
        );
        assert!(ok, "{err}");
        let ou: Value = serde_json::from_str(&out).unwrap();
        let ou = ou["OrganizationalUnit"]["Id"].as_str().unwrap();
        let (ok, out, err) = aws(
            &url,
            solo,
            &["organizations", "list-parents", "--child-id", ou],
        );
        assert!(ok, "{err}");
        let parents: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(parents["Parents"][0]["Id"], root);
        let (ok, _, err) = aws(&url, solo, &["organizations", "create-organization"]);
        assert!(!ok);
        assert!(err.contains("AlreadyInOrganizationException"), "{err}");
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rollout_script_invites_tags_and_assigns_through_the_cli() {
    let (_server, _dir, url) = common::start_with(common::with_standalone_account()).await;
    tokio::task::spawn_blocking(move || {
        let run = |key: &str, args: &[&str]| -> Value {
            let (ok, out, err) = aws(&url, key, args);
            assert!(ok, "{args:?}: {err}");
            if out.trim().is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&out).unwrap()
            }
        };
        let sent = run(
            "AKIDTEST",
            &["organizations", "invite-account-to-organization", "--target", "Id=777777777777,Type=ACCOUNT", "--notes", "welcome"],
        );
        let handshake = sent["Handshake"]["Id"].as_str().unwrap().to_owned();
        let accepted = run("777777777777", &["organizations", "accept-handshake", "--handshake-id", &handshake]);
        assert_eq!(accepted["Handshake"]["State"], "ACCEPTED");
        run("AKIDTEST", &["organizations", "tag-resource", "--resource-id", "777777777777", "--tags", "Key=team,Value=kiro"]);
        let tags = run("AKIDTEST", &["organizations", "list-tags-for-resource", "--resource-id", "777777777777"]);
        assert_eq!(tags["Tags"], serde_json::json!([{"Key": "team", "Value": "kiro"}]));
        let (ok, _, err) = aws(&url, "AKIDTEST", &["organizations", "enable-aws-service-access", "--service-principal", "nothing.amazonaws.com"]);
        assert!(!ok && err.contains("InvalidInputException"), "{err}");

        let instance = run("AKIDTEST", &["sso-admin", "list-instances"])["Instances"][0].clone();
        let arn = instance["InstanceArn"].as_str().unwrap().to_owned();
        let store = instance["IdentityStoreId"].as_str().unwrap().to_owned();
        let ps = run("AKIDTEST", &["sso-admin", "create-permission-set", "--instance-arn", &arn, "--name", "Developers"]);
        let ps = ps["PermissionSet"]["PermissionSetArn"].as_str().unwrap().to_owned();
        run("AKIDTEST", &["sso-admin", "attach-managed-policy-to-permission-set", "--instance-arn", &arn, "--permission-set-arn", &ps, "--managed-policy-arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"]);
        let group = run("AKIDTEST", &["identitystore", "get-group-id", "--identity-store-id", &store, "--alternate-identifier", r#"{"UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "group-a"}}"#]);
        let group = group["GroupId"].as_str().unwrap().to_owned();
        let status = run("AKIDTEST", &["sso-admin", "create-account-assignment", "--instance-arn", &arn, "--target-id", "777777777777", "--target-type", "AWS_ACCOUNT", "--permission-set-arn", &ps, "--principal-type", "GROUP", "--principal-id", &group]);
        assert_eq!(status["AccountAssignmentCreationStatus"]["Status"], "SUCCEEDED");
        let listed = run("AKIDTEST", &["sso-admin", "list-account-assignments", "--instance-arn", &arn, "--account-id", "777777777777", "--permission-set-arn", &ps]);
        assert_eq!(listed["AccountAssignments"][0]["PrincipalId"], group.as_str());
        let alice = run("AKIDTEST", &["identitystore", "get-user-id", "--identity-store-id", &store, "--alternate-identifier", r#"{"UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "alice"}}"#]);
        let alice = alice["UserId"].as_str().unwrap().to_owned();
        let asked = run("AKIDTEST", &["identitystore", "is-member-in-groups", "--identity-store-id", &store, "--member-id", &format!("UserId={alice}"), "--group-ids", &group]);
        assert_eq!(asked["Results"][0]["MembershipExists"], true);
        // A member that leaves loses its assignments.
        run("777777777777", &["organizations", "leave-organization"]);
        let listed = run("AKIDTEST", &["sso-admin", "list-account-assignments", "--instance-arn", &arn, "--account-id", "777777777777", "--permission-set-arn", &ps]);
        assert_eq!(listed["AccountAssignments"], serde_json::json!([]));
    })
    .await
    .unwrap();
}
