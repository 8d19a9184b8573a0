//! Every Organizations operation served answers in botocore's shapes: a call sequence that
//! touches each one, every answer checked strictly against the service model.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use serde_json::{Value, json};

const ORG: &str = "AWSOrganizationsV20161128";

/// Records each call's answer for the checker; every call must succeed.
struct Calls {
    addr: std::net::SocketAddr,
    seen: Vec<(&'static str, &'static str, Value)>,
}

impl Calls {
    fn org(&mut self, key: &str, operation: &'static str, body: Value) -> Value {
        self.call("organizations", ORG, key, operation, body)
    }

    fn ids(&mut self, operation: &'static str, body: Value) -> Value {
        self.call(
            "identitystore",
            "AWSIdentityStore",
            "AKIDTEST",
            operation,
            body,
        )
    }

    fn call(
        &mut self,
        service: &'static str,
        prefix: &str,
        key: &str,
        operation: &'static str,
        body: Value,
    ) -> Value {
        let (status, out) =
            common::json_call(self.addr, key, &format!("{prefix}.{operation}"), &body);
        assert_eq!(status, 200, "{operation}: {out}");
        self.seen.push((service, operation, out.clone()));
        out
    }

    /// The exception `operation` fails with (a 400).
    fn refused(&self, key: &str, target: &str, body: Value) -> String {
        let (status, out) = common::json_call(self.addr, key, target, &body);
        assert_eq!(status, 400, "{target}: {out}");
        out["__type"].as_str().unwrap().to_owned()
    }
}

/// Applies one operation through the admin API (what AWS has no API for).
fn admin(addr: std::net::SocketAddr, op: &str) {
    let request = [
        format!("POST /admin/ops HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", op.len()).into_bytes(),
        op.as_bytes().to_vec(),
    ]
    .concat();
    let (status, _, body) = common::http(addr, &request);
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizations_answers_match_botocore() {
    let (server, _dir, _) = common::start().await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let mut c = Calls { addr, seen: Vec::new() };
        let m = "AKIDTEST";
        c.org(m, "DescribeOrganization", json!({}));
        let access = c.org(m, "ListAWSServiceAccessForOrganization", json!({}));
        // The fixture's organization instance was enabled on 2024-04-02.
        assert_eq!(access["EnabledServicePrincipals"], json!([{"ServicePrincipal": "sso.amazonaws.com", "DateEnabled": 1_712_016_000}]));
        let none = c.org(m, "ListHandshakesForOrganization", json!({"Filter": {"ActionType": "INVITE"}}));
        assert_eq!(none["Handshakes"], json!([]));
        c.org("555555555555", "ListHandshakesForAccount", json!({}));
        let admins = c.org(m, "ListDelegatedAdministrators", json!({"ServicePrincipal": "sso.amazonaws.com"}));
        assert_eq!(admins["DelegatedAdministrators"], json!([]));
        let (status, err) = common::json_call(addr, m, &format!("{ORG}.ListDelegatedServicesForAccount"), &json!({"AccountId": "555555555555"}));
        assert_eq!((status, err["__type"].as_str()), (400, Some("AccountNotRegisteredException")));
        let (status, err) = common::json_call(addr, m, &format!("{ORG}.DescribeHandshake"), &json!({"HandshakeId": "h-abcdefgh12"}));
        assert_eq!((status, err["__type"].as_str()), (400, Some("HandshakeNotFoundException")));
        let root = c.org(m, "ListRoots", json!({}))["Roots"][0]["Id"].as_str().unwrap().to_owned();
        c.org(m, "ListAccounts", json!({"MaxResults": 2}));
        c.org(m, "DescribeAccount", json!({"AccountId": "555555555555"}));
        let ous = c.org(m, "ListOrganizationalUnitsForParent", json!({"ParentId": root}));
        let projects = ous["OrganizationalUnits"][0]["Id"].as_str().unwrap().to_owned();
        c.org(m, "DescribeOrganizationalUnit", json!({"OrganizationalUnitId": projects}));
        let parents = c.org(m, "ListParents", json!({"ChildId": "666666666666"}));
        assert_eq!(parents["Parents"], json!([{"Id": projects, "Type": "ORGANIZATIONAL_UNIT"}]));
        let parents = c.org(m, "ListParents", json!({"ChildId": projects}));
        assert_eq!(parents["Parents"], json!([{"Id": root, "Type": "ROOT"}]));
        c.org(m, "ListChildren", json!({"ParentId": root, "ChildType": "ORGANIZATIONAL_UNIT"}));
        c.org(m, "ListAccountsForParent", json!({"ParentId": projects}));
        let policies = c.org(m, "ListPolicies", json!({"Filter": "SERVICE_CONTROL_POLICY"}));
        let full = policies["Policies"][0]["Id"].as_str().unwrap().to_owned();
        c.org(m, "DescribePolicy", json!({"PolicyId": full}));
        c.org(m, "ListTargetsForPolicy", json!({"PolicyId": full}));
        c.org(m, "ListPoliciesForTarget", json!({"TargetId": root, "Filter": "SERVICE_CONTROL_POLICY"}));
        let created = c.org(m, "CreatePolicy", json!({
            "Name": "deny-leave", "Description": "", "Type": "SERVICE_CONTROL_POLICY",
            "Content": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#,
        }));
        let policy = created["Policy"]["PolicySummary"]["Id"].as_str().unwrap().to_owned();
        c.org(m, "AttachPolicy", json!({"PolicyId": policy, "TargetId": projects}));
        c.org(m, "DetachPolicy", json!({"PolicyId": policy, "TargetId": projects}));
        let status = c.org(m, "CreateAccount", json!({"Email": "new@example.com", "AccountName": "new"}));
        let request = status["CreateAccountStatus"]["Id"].as_str().unwrap().to_owned();
        let account = status["CreateAccountStatus"]["AccountId"].as_str().unwrap().to_owned();
        c.org(m, "DescribeCreateAccountStatus", json!({"CreateAccountRequestId": request}));
        let listed = c.org(m, "ListCreateAccountStatus", json!({"States": ["SUCCEEDED"]}));
        assert_eq!(listed["CreateAccountStatuses"][0]["AccountId"], account.as_str());
        let none = c.org(m, "ListCreateAccountStatus", json!({"States": ["FAILED"]}));
        assert_eq!(none["CreateAccountStatuses"], json!([]));
        c.org(m, "CreateOrganizationalUnit", json!({"ParentId": projects, "Name": "web"}));
        c.org(m, "MoveAccount", json!({"AccountId": account, "SourceParentId": root, "DestinationParentId": projects}));
        let parents = c.org(m, "ListParents", json!({"ChildId": account}));
        assert_eq!(parents["Parents"][0]["Id"], projects.as_str());
        let web = c.org(m, "CreateOrganizationalUnit", json!({"ParentId": root, "Name": "webs"}));
        let web = web["OrganizationalUnit"]["Id"].as_str().unwrap().to_owned();
        let renamed = c.org(m, "UpdateOrganizationalUnit", json!({"OrganizationalUnitId": web, "Name": "web-apps"}));
        assert_eq!(renamed["OrganizationalUnit"]["Id"], web.as_str());
        assert_eq!(renamed["OrganizationalUnit"]["Name"], "web-apps");
        c.org(m, "DeleteOrganizationalUnit", json!({"OrganizationalUnitId": web}));
        let updated = c.org(m, "UpdatePolicy", json!({"PolicyId": policy, "Name": "deny-leaving", "Description": "stay"}));
        assert_eq!(updated["Policy"]["PolicySummary"]["Id"], policy.as_str());
        assert_eq!(updated["Policy"]["PolicySummary"]["Name"], "deny-leaving");
        c.org(m, "DeletePolicy", json!({"PolicyId": policy}));

        // A standalone account makes an organization of its own.
        admin(addr, r#"{"op": "create-account", "id": "777777777777", "name": "solo", "email": "solo@example.com"}"#);
        let solo = "777777777777";
        let made = c.org(solo, "CreateOrganization", json!({"FeatureSet": "ALL"}));
        assert_eq!(made["Organization"]["MasterAccountId"], solo);
        let described = c.org(solo, "DescribeOrganization", json!({}));
        assert_eq!(described["Organization"], made["Organization"]);
        c.org(solo, "ListRoots", json!({}));
        let solo_root = c.org(solo, "ListRoots", json!({}))["Roots"][0]["Id"].as_str().unwrap().to_owned();
        let on = c.org(solo, "EnablePolicyType", json!({"RootId": solo_root, "PolicyType": "SERVICE_CONTROL_POLICY"}));
        assert_eq!(on["Root"]["PolicyTypes"], json!([{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}]));
        let off = c.org(solo, "DisablePolicyType", json!({"RootId": solo_root, "PolicyType": "SERVICE_CONTROL_POLICY"}));
        assert_eq!(off["Root"]["PolicyTypes"], json!([]));
        let access = c.org(solo, "ListAWSServiceAccessForOrganization", json!({}));
        assert_eq!(access["EnabledServicePrincipals"], json!([]));
        c.org(solo, "DeleteOrganization", json!({}));
        let (status, gone) = common::json_call(addr, solo, &format!("{ORG}.DescribeOrganization"), &json!({}));
        assert_eq!((status, gone["__type"].as_str()), (400, Some("AWSOrganizationsNotInUseException")));

        // Every write is an engine operation in the event log, in order.
        let (_, _, events) = common::http(addr, b"GET /admin/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let events: Value = serde_json::from_str(&events).unwrap();
        let ops: Vec<&str> = events.as_array().unwrap().iter().filter_map(|e| e["op"]["op"].as_str()).collect();
        assert!(
            ops.ends_with(&[
                "move-account", "create-ou", "update-ou", "delete-ou", "update-policy", "delete-policy",
                "create-account", "create-organization", "enable-policy-type", "disable-policy-type",
                "delete-organization",
            ]),
            "{ops:?}"
        );

        common::check_shapes(&c.seen);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_policy_types_handshakes_and_services_match_botocore() {
    let (server, _dir, _) = common::start().await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let mut c = Calls { addr, seen: Vec::new() };
        let m = "AKIDTEST";
        let t = |op: &str| format!("{ORG}.{op}");
        let root = c.org(m, "ListRoots", json!({}))["Roots"][0]["Id"].as_str().unwrap().to_owned();

        // Tags on the root and on what a call creates.
        c.org(m, "TagResource", json!({"ResourceId": root, "Tags": [{"Key": "env", "Value": "prod"}]}));
        let tags = c.org(m, "ListTagsForResource", json!({"ResourceId": root}));
        assert_eq!(tags["Tags"], json!([{"Key": "env", "Value": "prod"}]));
        let ou = c.org(m, "CreateOrganizationalUnit", json!({"ParentId": root, "Name": "tagged", "Tags": [{"Key": "team", "Value": "web"}]}));
        let ou = ou["OrganizationalUnit"]["Id"].as_str().unwrap().to_owned();
        assert_eq!(c.org(m, "ListTagsForResource", json!({"ResourceId": ou}))["Tags"][0]["Value"], "web");
        c.org(m, "UntagResource", json!({"ResourceId": ou, "TagKeys": ["team"]}));
        assert_eq!(c.org(m, "ListTagsForResource", json!({"ResourceId": ou}))["Tags"], json!([]));
        assert_eq!(c.refused(m, &t("TagResource"), json!({"ResourceId": "ou-none-00000000", "Tags": []})), "TargetNotFoundException");
        let long = "k".repeat(129);
        assert_eq!(c.refused(m, &t("CreateOrganizationalUnit"), json!({"ParentId": root, "Name": "never", "Tags": [{"Key": long, "Value": ""}]})), "InvalidInputException");

        // A tag policy: stored, validated as JSON, attachable once its type is enabled.
        let content = r#"{"tags": {"team": {"tag_key": {"@@assign": "team"}}}}"#;
        let tag_policy = json!({"Name": "team-tags", "Description": "", "Type": "TAG_POLICY", "Content": content, "Tags": [{"Key": "owner", "Value": "finops"}]});
        assert_eq!(c.refused(m, &t("CreatePolicy"), tag_policy.clone()), "PolicyTypeNotEnabledException");
        let on = c.org(m, "EnablePolicyType", json!({"RootId": root, "PolicyType": "TAG_POLICY"}));
        assert_eq!(on["Root"]["PolicyTypes"], json!([{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}, {"Type": "TAG_POLICY", "Status": "ENABLED"}]));
        let created = c.org(m, "CreatePolicy", tag_policy);
        assert_eq!(created["Policy"]["Content"], content);
        let policy = created["Policy"]["PolicySummary"]["Id"].as_str().unwrap().to_owned();
        assert!(created["Policy"]["PolicySummary"]["Arn"].as_str().unwrap().contains("/tag_policy/"));
        assert_eq!(c.org(m, "ListTagsForResource", json!({"ResourceId": policy}))["Tags"][0]["Key"], "owner");
        assert_eq!(c.refused(m, &t("CreatePolicy"), json!({"Name": "broken", "Description": "", "Type": "TAG_POLICY", "Content": "{not json"})), "MalformedPolicyDocumentException");
        let listed = c.org(m, "ListPolicies", json!({"Filter": "TAG_POLICY"}));
        assert_eq!(listed["Policies"][0]["Id"], policy.as_str());
        c.org(m, "DescribePolicy", json!({"PolicyId": policy}));
        c.org(m, "AttachPolicy", json!({"PolicyId": policy, "TargetId": "555555555555"}));
        let effective = c.org(m, "DescribeEffectivePolicy", json!({"PolicyType": "TAG_POLICY", "TargetId": "555555555555"}));
        assert_eq!(effective["EffectivePolicy"]["PolicyContent"], r#"{"tags":{"team":{"tag_key":"team"}}}"#);
        c.org(m, "ListAccountsWithInvalidEffectivePolicy", json!({"PolicyType": "TAG_POLICY"}));
        c.org(m, "ListEffectivePolicyValidationErrors", json!({"AccountId": "555555555555", "PolicyType": "TAG_POLICY"}));
        c.org(m, "ListOutboundResponsibilityTransfers", json!({"Type": "BILLING"}));
        c.org(m, "ListInboundResponsibilityTransfers", json!({"Type": "BILLING"}));
        let targets = c.org(m, "ListTargetsForPolicy", json!({"PolicyId": policy}));
        assert_eq!(targets["Targets"][0]["TargetId"], "555555555555");
        let attached = c.org(m, "ListPoliciesForTarget", json!({"TargetId": "555555555555", "Filter": "TAG_POLICY"}));
        assert_eq!(attached["Policies"].as_array().unwrap().len(), 1);
        let scps = c.org(m, "ListPoliciesForTarget", json!({"TargetId": "555555555555", "Filter": "SERVICE_CONTROL_POLICY"}));
        assert!(scps["Policies"].as_array().unwrap().iter().all(|p| p["Type"] == "SERVICE_CONTROL_POLICY"));
        c.org(m, "DetachPolicy", json!({"PolicyId": policy, "TargetId": "555555555555"}));
        c.org(m, "UpdatePolicy", json!({"PolicyId": policy, "Description": "team tags"}));
        c.org(m, "DeletePolicy", json!({"PolicyId": policy}));
        c.org(m, "DisablePolicyType", json!({"RootId": root, "PolicyType": "TAG_POLICY"}));

        // RCPs: RCPFullAWSAccess is at every target once they are enabled, and stays there.
        c.org(m, "EnablePolicyType", json!({"RootId": root, "PolicyType": "RESOURCE_CONTROL_POLICY"}));
        let rcps = c.org(m, "ListPolicies", json!({"Filter": "RESOURCE_CONTROL_POLICY"}));
        assert_eq!(rcps["Policies"][0]["Id"], "p-RCPFullAWSAccess");
        assert_eq!(rcps["Policies"][0]["Arn"], "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess");
        assert_eq!(rcps["Policies"][0]["AwsManaged"], true);
        let on_account = c.org(m, "ListPoliciesForTarget", json!({"TargetId": "555555555555", "Filter": "RESOURCE_CONTROL_POLICY"}));
        assert_eq!(on_account["Policies"][0]["Name"], "RCPFullAWSAccess");
        let everywhere = c.org(m, "ListTargetsForPolicy", json!({"PolicyId": "p-RCPFullAWSAccess"}));
        assert!(everywhere["Targets"].as_array().unwrap().iter().any(|t| t["Type"] == "ROOT"));
        let described = c.org(m, "DescribePolicy", json!({"PolicyId": "p-RCPFullAWSAccess"}));
        assert!(described["Policy"]["Content"].as_str().unwrap().contains(r#""Principal":"*""#));
        let full = json!({"PolicyId": "p-RCPFullAWSAccess", "TargetId": "555555555555"});
        assert_eq!(c.refused(m, &t("DetachPolicy"), full.clone()), "InvalidInputException");
        assert_eq!(c.refused(m, &t("AttachPolicy"), full), "DuplicatePolicyAttachmentException");
        assert_eq!(c.refused(m, &t("DeletePolicy"), json!({"PolicyId": "p-RCPFullAWSAccess"})), "InvalidInputException");
        c.org(m, "DisablePolicyType", json!({"RootId": root, "PolicyType": "RESOURCE_CONTROL_POLICY"}));
        assert_eq!(c.org(m, "ListPolicies", json!({"Filter": "RESOURCE_CONTROL_POLICY"}))["Policies"], json!([]));

        // An invitation is a handshake the invited account answers.
        for (id, email) in [("777777777777", "solo@example.com"), ("888888888888", "eight@example.com"), ("999999999999", "nine@example.com")] {
            admin(addr, &format!(r#"{{"op": "create-account", "id": "{id}", "name": "standalone", "email": "{email}"}}"#));
        }
        let invite = |c: &mut Calls, target: Value| {
            let h = c.org(m, "InviteAccountToOrganization", json!({"Target": target, "Notes": "welcome"}));
            assert_eq!(h["Handshake"]["State"], "OPEN");
            h["Handshake"]["Id"].as_str().unwrap().to_owned()
        };
        let h7 = invite(&mut c, json!({"Id": "777777777777", "Type": "ACCOUNT"}));
        let h8 = invite(&mut c, json!({"Id": "eight@example.com", "Type": "EMAIL"}));
        let h9 = invite(&mut c, json!({"Id": "999999999999", "Type": "ACCOUNT"}));
        assert_eq!(c.refused(m, &t("InviteAccountToOrganization"), json!({"Target": {"Id": "777777777777", "Type": "ACCOUNT"}})), "HandshakeConstraintViolationException");
        let all = c.org(m, "ListHandshakesForOrganization", json!({"Filter": {"ActionType": "INVITE"}}));
        assert_eq!(all["Handshakes"].as_array().unwrap().len(), 3);
        let mine = c.org("777777777777", "ListHandshakesForAccount", json!({}));
        assert_eq!(mine["Handshakes"][0]["Id"], h7.as_str());
        c.org("777777777777", "DescribeHandshake", json!({"HandshakeId": h7}));
        assert_eq!(c.refused("888888888888", &t("AcceptHandshake"), json!({"HandshakeId": h7})), "HandshakeNotFoundException");
        let accepted = c.org("777777777777", "AcceptHandshake", json!({"HandshakeId": h7}));
        assert_eq!(accepted["Handshake"]["State"], "ACCEPTED");
        assert_eq!(c.org(m, "DescribeAccount", json!({"AccountId": "777777777777"}))["Account"]["JoinedMethod"], "INVITED");
        assert_eq!(c.refused("777777777777", &t("AcceptHandshake"), json!({"HandshakeId": h7})), "InvalidHandshakeTransitionException");
        assert_eq!(c.org("888888888888", "DeclineHandshake", json!({"HandshakeId": h8}))["Handshake"]["State"], "DECLINED");
        assert_eq!(c.org(m, "CancelHandshake", json!({"HandshakeId": h9}))["Handshake"]["State"], "CANCELED");

        // Leaving is the member's call, which SCPs may deny; the management account never leaves.
        let stay = c.org(m, "CreatePolicy", json!({"Name": "stay", "Description": "", "Type": "SERVICE_CONTROL_POLICY",
            "Content": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#}));
        let stay = stay["Policy"]["PolicySummary"]["Id"].as_str().unwrap().to_owned();
        c.org(m, "AttachPolicy", json!({"PolicyId": stay, "TargetId": "777777777777"}));
        assert_eq!(c.refused("777777777777", &t("LeaveOrganization"), json!({})), "AccessDeniedException");
        c.org(m, "DetachPolicy", json!({"PolicyId": stay, "TargetId": "777777777777"}));
        c.org("777777777777", "LeaveOrganization", json!({}));
        assert_eq!(c.refused("777777777777", &t("LeaveOrganization"), json!({})), "AWSOrganizationsNotInUseException");
        assert_eq!(c.refused(m, &t("RemoveAccountFromOrganization"), json!({"AccountId": "123456789012"})), "MasterCannotLeaveOrganizationException");
        assert_eq!(c.refused(m, &t("RemoveAccountFromOrganization"), json!({"AccountId": "777777777777"})), "AccountNotFoundException");

        // Trusted access, then a delegated administrator of the service.
        assert_eq!(c.refused(m, &t("EnableAWSServiceAccess"), json!({"ServicePrincipal": "nothing.amazonaws.com"})), "InvalidInputException");
        c.org(m, "EnableAWSServiceAccess", json!({"ServicePrincipal": "guardduty.amazonaws.com"}));
        let access = c.org(m, "ListAWSServiceAccessForOrganization", json!({}));
        assert_eq!(access["EnabledServicePrincipals"].as_array().unwrap().len(), 2);
        let delegate = json!({"AccountId": "555555555555", "ServicePrincipal": "guardduty.amazonaws.com"});
        c.org(m, "RegisterDelegatedAdministrator", delegate.clone());
        assert_eq!(c.refused(m, &t("RegisterDelegatedAdministrator"), delegate.clone()), "AccountAlreadyRegisteredException");
        let admins = c.org(m, "ListDelegatedAdministrators", json!({}));
        assert_eq!(admins["DelegatedAdministrators"][0]["Id"], "555555555555");
        let services = c.org(m, "ListDelegatedServicesForAccount", json!({"AccountId": "555555555555"}));
        assert_eq!(services["DelegatedServices"][0]["ServicePrincipal"], "guardduty.amazonaws.com");
        assert_eq!(c.refused(m, &t("DisableAWSServiceAccess"), json!({"ServicePrincipal": "guardduty.amazonaws.com"})), "ConstraintViolationException");
        c.org(m, "DeregisterDelegatedAdministrator", delegate.clone());
        assert_eq!(c.refused(m, &t("DeregisterDelegatedAdministrator"), delegate), "AccountNotRegisteredException");
        c.org(m, "DisableAWSServiceAccess", json!({"ServicePrincipal": "guardduty.amazonaws.com"}));

        // Closing keeps the account in the organization, suspended.
        c.org(m, "CloseAccount", json!({"AccountId": "555555555555"}));
        assert_eq!(c.org(m, "DescribeAccount", json!({"AccountId": "555555555555"}))["Account"]["Status"], "SUSPENDED");
        assert_eq!(c.refused(m, &t("CloseAccount"), json!({"AccountId": "555555555555"})), "AccountAlreadyClosedException");

        // An e-mail in use fails in the status, as AWS fails it, and the status stays.
        let failed = c.org(m, "CreateAccount", json!({"Email": "web@example.com", "AccountName": "again"}));
        assert_eq!(failed["CreateAccountStatus"]["State"], "FAILED");
        assert_eq!(failed["CreateAccountStatus"]["FailureReason"], "EMAIL_ALREADY_EXISTS");
        let request = failed["CreateAccountStatus"]["Id"].as_str().unwrap().to_owned();
        let described = c.org(m, "DescribeCreateAccountStatus", json!({"CreateAccountRequestId": request}));
        assert_eq!(described["CreateAccountStatus"]["FailureReason"], "EMAIL_ALREADY_EXISTS");
        let listed = c.org(m, "ListCreateAccountStatus", json!({"States": ["FAILED"]}));
        assert_eq!(listed["CreateAccountStatuses"].as_array().unwrap().len(), 1);

        // The resource policy: put (with tags), described, deleted.
        assert_eq!(c.refused(m, &t("DescribeResourcePolicy"), json!({})), "ResourcePolicyNotFoundException");
        let document = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::555555555555:root"},"Action":"organizations:Describe*","Resource":"*"}]}"#;
        let put = c.org(m, "PutResourcePolicy", json!({"Content": document, "Tags": [{"Key": "by", "Value": "security"}]}));
        let rp = put["ResourcePolicy"]["ResourcePolicySummary"]["Id"].as_str().unwrap().to_owned();
        assert_eq!(c.org(m, "DescribeResourcePolicy", json!({}))["ResourcePolicy"]["Content"], document);
        assert_eq!(c.org(m, "ListTagsForResource", json!({"ResourceId": rp}))["Tags"][0]["Value"], "security");
        assert_eq!(c.refused(m, &t("PutResourcePolicy"), json!({"Content": "[]"})), "InvalidInputException");
        c.org(m, "DeleteResourcePolicy", json!({}));
        assert_eq!(c.refused(m, &t("DeleteResourcePolicy"), json!({})), "ResourcePolicyNotFoundException");

        // A consolidated-billing organization has no policies until it enables all features.
        let cb = "121212121212";
        admin(addr, r#"{"op": "create-account", "id": "121212121212", "name": "billing-only", "email": "cb@example.com"}"#);
        let made = c.org(cb, "CreateOrganization", json!({"FeatureSet": "CONSOLIDATED_BILLING"}));
        assert_eq!(made["Organization"]["FeatureSet"], "CONSOLIDATED_BILLING");
        let cb_root = c.org(cb, "ListRoots", json!({}))["Roots"][0]["Id"].as_str().unwrap().to_owned();
        assert_eq!(c.refused(cb, &t("EnablePolicyType"), json!({"RootId": cb_root, "PolicyType": "SERVICE_CONTROL_POLICY"})), "PolicyTypeNotAvailableForOrganizationException");
        let all = c.org(cb, "EnableAllFeatures", json!({}));
        assert_eq!(all["Handshake"]["Action"], "ENABLE_ALL_FEATURES");
        assert_eq!(c.org(cb, "DescribeOrganization", json!({}))["Organization"]["FeatureSet"], "ALL");

        // A billing transfer: the consolidated-billing organization's management account is
        // asked; it accepts, then ends the transfer.
        let offer = json!({"Type": "BILLING", "Target": {"Id": cb, "Type": "ACCOUNT"}, "StartTimestamp": 1_800_000_000, "SourceName": "group billing", "Notes": "from the group"});
        let invited = c.org(m, "InviteOrganizationToTransferResponsibility", offer.clone());
        assert_eq!(invited["Handshake"]["Action"], "TRANSFER_RESPONSIBILITY");
        let ht = invited["Handshake"]["Id"].as_str().unwrap().to_owned();
        let resources = invited["Handshake"]["Resources"].as_array().unwrap();
        let rt = resources.iter().find(|r| r["Type"] == "RESPONSIBILITY_TRANSFER").unwrap()["Value"].as_str().unwrap().to_owned();
        assert_eq!(c.refused(m, &t("InviteOrganizationToTransferResponsibility"), offer), "DuplicateHandshakeException");
        let member = json!({"Type": "BILLING", "Target": {"Id": "555555555555", "Type": "ACCOUNT"}, "StartTimestamp": 1_800_000_000, "SourceName": "x"});
        assert_eq!(c.refused(m, &t("InviteOrganizationToTransferResponsibility"), member), "HandshakeConstraintViolationException");
        let inbound = c.org(m, "ListInboundResponsibilityTransfers", json!({"Type": "BILLING"}));
        assert_eq!(inbound["ResponsibilityTransfers"][0]["Status"], "REQUESTED");
        assert_eq!(inbound["ResponsibilityTransfers"][0]["ActiveHandshakeId"], ht.as_str());
        c.org(cb, "ListOutboundResponsibilityTransfers", json!({"Type": "BILLING"}));
        assert_eq!(c.org(cb, "AcceptHandshake", json!({"HandshakeId": ht}))["Handshake"]["State"], "ACCEPTED");
        c.org(m, "UpdateResponsibilityTransfer", json!({"Id": rt, "Name": "billing of the group"}));
        let ended = c.org(cb, "TerminateResponsibilityTransfer", json!({"Id": rt}));
        assert_eq!(ended["ResponsibilityTransfer"]["Status"], "WITHDRAWN");
        assert_eq!(ended["ResponsibilityTransfer"]["Name"], "billing of the group");
        c.org(m, "DescribeResponsibilityTransfer", json!({"Id": rt}));

        // Every write is an engine operation in the event log.
        let (_, _, events) = common::http(addr, b"GET /admin/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        let events: Value = serde_json::from_str(&events).unwrap();
        let ops: Vec<&str> = events.as_array().unwrap().iter().filter_map(|e| e["op"]["op"].as_str()).collect();
        for op in ["tag-resource", "untag-resource", "send-invitation", "accept-handshake", "decline-handshake", "cancel-handshake", "invite-transfer", "rename-transfer", "terminate-transfer", "leave-organization", "enable-service-access", "register-delegated-administrator", "deregister-delegated-administrator", "disable-service-access", "close-account", "enable-all-features"] {
            assert!(ops.contains(&op), "{op} is not in {ops:?}");
        }
        assert!(events.as_array().unwrap().iter().any(|e| e["outcome"] == "EMAIL_ALREADY_EXISTS"));

        common::check_shapes(&c.seen);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_store_answers_match_botocore() {
    let (server, _dir, _) = common::start().await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let mut c = Calls { addr, seen: Vec::new() };
        let instance = c.call("sso-admin", "SWBExternalService", "AKIDTEST", "ListInstances", json!({}))["Instances"][0].clone();
        let store = instance["IdentityStoreId"].as_str().unwrap().to_owned();
        let arn = instance["InstanceArn"].clone();
        c.call("sso-admin", "SWBExternalService", "AKIDTEST", "UpdateInstance", json!({"InstanceArn": arn, "Name": "rollout"}));
        let described = c.call("sso-admin", "SWBExternalService", "AKIDTEST", "DescribeInstance", json!({"InstanceArn": arn}));
        assert_eq!(described["Name"], "rollout");
        c.call("sso-admin", "SWBExternalService", "AKIDTEST", "ListInstances", json!({}));
        let s = |v: Value| {
            let mut v = v;
            v["IdentityStoreId"] = json!(store);
            v
        };
        let listed = c.ids("ListIdentityStores", json!({}));
        assert_eq!(listed["IdentityStores"][0]["IdentityStoreId"], store.as_str());
        c.ids("DescribeIdentityStore", s(json!({})));
        c.ids("UpdateIdentityStore", s(json!({"NetworkConfiguration": {"VpceAccessRequired": false, "ApiAllowSourceIps": ["203.0.113.0/24"]}})));
        let described = c.ids("DescribeIdentityStore", s(json!({})));
        assert_eq!(described["NetworkConfiguration"]["ApiAllowSourceIps"], json!(["203.0.113.0/24"]));
        assert_eq!(c.refused("AKIDTEST", "AWSIdentityStore.UpdateIdentityStore", s(json!({"NetworkConfiguration": {"VpceAccessRequired": true, "ApiAllowSourceIps": ["203.0.113.0/33"]}}))), "ValidationException");
        let user = c.ids("CreateUser", s(json!({"UserName": "erin", "DisplayName": "Erin", "Emails": [{"Value": "erin@example.com", "Primary": true}]})));
        let user = user["UserId"].as_str().unwrap().to_owned();
        let group = c.ids("CreateGroup", s(json!({"DisplayName": "reviewers", "Description": "code review"})));
        let group = group["GroupId"].as_str().unwrap().to_owned();
        assert_eq!(c.ids("DescribeGroup", s(json!({"GroupId": group})))["Description"], "code review");
        let made = c.ids("CreateGroupMembership", s(json!({"GroupId": group, "MemberId": {"UserId": user}})));
        let membership = made["MembershipId"].as_str().unwrap().to_owned();
        let got = c.ids("GetGroupMembershipId", s(json!({"GroupId": group, "MemberId": {"UserId": user}})));
        assert_eq!(got["MembershipId"], membership.as_str());
        let described = c.ids("DescribeGroupMembership", s(json!({"MembershipId": membership})));
        assert_eq!(described["GroupId"], group.as_str());
        let asked = c.ids("IsMemberInGroups", s(json!({"MemberId": {"UserId": user}, "GroupIds": [group]})));
        assert_eq!(asked["Results"][0]["MembershipExists"], true);
        let mine = c.ids("ListGroupMembershipsForMember", s(json!({"MemberId": {"UserId": user}})));
        assert_eq!(mine["GroupMemberships"][0]["MembershipId"], membership.as_str());
        c.ids("UpdateUser", s(json!({"UserId": user, "Operations": [
            {"AttributePath": "displayName", "AttributeValue": "Erin E."},
            {"AttributePath": "emails", "AttributeValue": [{"Value": "erin.e@example.com", "Primary": true}]},
        ]})));
        let described = c.ids("DescribeUser", s(json!({"UserId": user})));
        assert_eq!(described["DisplayName"], "Erin E.");
        assert_eq!(described["Emails"][0]["Value"], "erin.e@example.com");
        let t = |op: &str| format!("AWSIdentityStore.{op}");
        assert_eq!(c.refused("AKIDTEST", &t("UpdateUser"), s(json!({"UserId": user, "Operations": [{"AttributePath": "userName", "AttributeValue": "x"}]}))), "ValidationException");
        c.ids("UpdateGroup", s(json!({"GroupId": group, "Operations": [{"AttributePath": "description", "AttributeValue": "reviews"}]})));
        assert_eq!(c.ids("DescribeGroup", s(json!({"GroupId": group})))["Description"], "reviews");
        c.ids("DeleteGroupMembership", s(json!({"MembershipId": membership})));
        let asked = c.ids("IsMemberInGroups", s(json!({"MemberId": {"UserId": user}, "GroupIds": [group]})));
        assert_eq!(asked["Results"][0]["MembershipExists"], false);
        assert_eq!(c.refused("AKIDTEST", &t("DescribeGroupMembership"), s(json!({"MembershipId": membership}))), "ResourceNotFoundException");
        // A group Kiro charges for cannot go; one it does not can.
        let subscribed = c.ids("GetGroupId", s(json!({"AlternateIdentifier": {"UniqueAttribute": {"AttributePath": "displayName", "AttributeValue": "group-a"}}})));
        assert_eq!(c.refused("AKIDTEST", &t("DeleteGroup"), s(json!({"GroupId": subscribed["GroupId"]}))), "ConflictException");
        // A customer managed application on the organization instance, assigned, then gone.
        let sso = |c: &mut Calls, op: &'static str, body: Value| c.call("sso-admin", "SWBExternalService", "AKIDTEST", op, body);
        let custom = "arn:aws:sso::aws:applicationProvider/custom";
        let providers = sso(&mut c, "ListApplicationProviders", json!({}));
        assert_eq!(providers["ApplicationProviders"].as_array().unwrap().len(), 3);
        assert_eq!(sso(&mut c, "DescribeApplicationProvider", json!({"ApplicationProviderArn": custom}))["FederationProtocol"], "OAUTH");
        let app = sso(&mut c, "CreateApplication", json!({"InstanceArn": arn, "ApplicationProviderArn": custom, "Name": "wiki", "Description": "the team wiki"}));
        let app = app["ApplicationArn"].clone();
        let listed = sso(&mut c, "ListApplications", json!({"InstanceArn": arn, "Filter": {"ApplicationProvider": custom}}));
        assert_eq!(listed["Applications"][0]["ApplicationArn"], app);
        sso(&mut c, "UpdateApplication", json!({"ApplicationArn": app, "Status": "DISABLED", "Name": "team-wiki"}));
        let described = sso(&mut c, "DescribeApplication", json!({"ApplicationArn": app}));
        assert_eq!((described["Name"].as_str(), described["Status"].as_str()), (Some("team-wiki"), Some("DISABLED")));
        sso(&mut c, "CreateApplicationAssignment", json!({"ApplicationArn": app, "PrincipalId": user, "PrincipalType": "USER"}));
        let assigned = sso(&mut c, "ListApplicationAssignments", json!({"ApplicationArn": app}));
        assert_eq!(assigned["ApplicationAssignments"][0]["PrincipalId"], user.as_str());
        let sso_t = |op: &str| format!("SWBExternalService.{op}");
        assert_eq!(c.refused("AKIDTEST", &sso_t("CreateApplication"), json!({"InstanceArn": arn, "ApplicationProviderArn": custom, "Name": "team-wiki"})), "ConflictException");
        assert_eq!(c.refused("AKIDTEST", &sso_t("CreateApplication"), json!({"InstanceArn": arn, "ApplicationProviderArn": "arn:aws:sso::aws:applicationProvider/codewhisperer", "Name": "q"})), "ValidationException");
        sso(&mut c, "DeleteApplication", json!({"ApplicationArn": app}));
        assert_eq!(c.refused("AKIDTEST", &sso_t("DescribeApplication"), json!({"ApplicationArn": app})), "ResourceNotFoundException");
        // A permission set with its policies, then gone.
        let made = sso(&mut c, "CreatePermissionSet", json!({"InstanceArn": arn, "Name": "Developers", "Description": "build", "SessionDuration": "PT4H"}));
        let ps = made["PermissionSet"]["PermissionSetArn"].clone();
        assert_eq!(made["PermissionSet"]["SessionDuration"], "PT4H");
        let psb = |extra: Value| {
            let mut v = json!({"InstanceArn": arn, "PermissionSetArn": ps});
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            v
        };
        assert_eq!(sso(&mut c, "ListPermissionSets", json!({"InstanceArn": arn}))["PermissionSets"][0], ps);
        sso(&mut c, "TagResource", json!({"InstanceArn": arn, "ResourceArn": ps, "Tags": [{"Key": "team", "Value": "dev"}]}));
        assert_eq!(sso(&mut c, "ListTagsForResource", json!({"InstanceArn": arn, "ResourceArn": ps}))["Tags"], json!([{"Key": "team", "Value": "dev"}]));
        sso(&mut c, "UntagResource", json!({"InstanceArn": arn, "ResourceArn": ps, "TagKeys": ["team"]}));
        assert_eq!(sso(&mut c, "ListTagsForResource", json!({"InstanceArn": arn, "ResourceArn": ps}))["Tags"], json!([]));
        sso(&mut c, "TagResource", json!({"ResourceArn": arn, "Tags": [{"Key": "env", "Value": "prod"}]}));
        assert_eq!(c.refused("AKIDTEST", &sso_t("TagResource"), json!({"ResourceArn": "arn:aws:sso:::permissionSet/ssoins-x/ps-none", "Tags": []})), "ResourceNotFoundException");
        sso(&mut c, "UpdatePermissionSet", psb(json!({"SessionDuration": "PT8H", "RelayState": "https://console.aws.amazon.com/"})));
        assert_eq!(sso(&mut c, "DescribePermissionSet", psb(json!({})))["PermissionSet"]["SessionDuration"], "PT8H");
        let inline = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ListBucket","Resource":"*"}]}"#;
        sso(&mut c, "PutInlinePolicyToPermissionSet", psb(json!({"InlinePolicy": inline})));
        assert_eq!(sso(&mut c, "GetInlinePolicyForPermissionSet", psb(json!({})))["InlinePolicy"], inline);
        sso(&mut c, "DeleteInlinePolicyFromPermissionSet", psb(json!({})));
        let read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess";
        sso(&mut c, "AttachManagedPolicyToPermissionSet", psb(json!({"ManagedPolicyArn": read_only})));
        assert_eq!(c.refused("AKIDTEST", &sso_t("AttachManagedPolicyToPermissionSet"), psb(json!({"ManagedPolicyArn": read_only}))), "ConflictException");
        let listed = sso(&mut c, "ListManagedPoliciesInPermissionSet", psb(json!({})));
        assert_eq!(listed["AttachedManagedPolicies"], json!([{"Name": "ReadOnlyAccess", "Arn": read_only}]));
        sso(&mut c, "DetachManagedPolicyFromPermissionSet", psb(json!({"ManagedPolicyArn": read_only})));
        assert_eq!(c.refused("AKIDTEST", &sso_t("UpdatePermissionSet"), psb(json!({"SessionDuration": "PT13H"}))), "ValidationException");
        assert_eq!(c.refused("AKIDTEST", &sso_t("PutInlinePolicyToPermissionSet"), psb(json!({"InlinePolicy": "{"}))), "ValidationException");
        // Erin gets the permission set in the sandbox account, and loses it again.
        let assignment = json!({"InstanceArn": arn, "TargetId": "555555555555", "TargetType": "AWS_ACCOUNT", "PermissionSetArn": ps, "PrincipalType": "USER", "PrincipalId": user});
        let created = sso(&mut c, "CreateAccountAssignment", assignment.clone());
        assert_eq!(created["AccountAssignmentCreationStatus"]["Status"], "SUCCEEDED");
        let request = created["AccountAssignmentCreationStatus"]["RequestId"].clone();
        let described = sso(&mut c, "DescribeAccountAssignmentCreationStatus", json!({"InstanceArn": arn, "AccountAssignmentCreationRequestId": request}));
        assert_eq!(described["AccountAssignmentCreationStatus"]["TargetId"], "555555555555");
        sso(&mut c, "ListAccountAssignmentCreationStatus", json!({"InstanceArn": arn, "Filter": {"Status": "SUCCEEDED"}}));
        let listed = sso(&mut c, "ListAccountAssignments", json!({"InstanceArn": arn, "AccountId": "555555555555", "PermissionSetArn": ps}));
        assert_eq!(listed["AccountAssignments"][0]["PrincipalId"], user.as_str());
        let mine = sso(&mut c, "ListAccountAssignmentsForPrincipal", json!({"InstanceArn": arn, "PrincipalId": user, "PrincipalType": "USER"}));
        assert_eq!(mine["AccountAssignments"][0]["AccountId"], "555555555555");
        let sets = sso(&mut c, "ListPermissionSetsProvisionedToAccount", json!({"InstanceArn": arn, "AccountId": "555555555555"}));
        assert_eq!(sets["PermissionSets"][0], ps);
        let accounts = sso(&mut c, "ListAccountsForProvisionedPermissionSet", json!({"InstanceArn": arn, "PermissionSetArn": ps}));
        assert_eq!(accounts["AccountIds"], json!(["555555555555"]));
        assert_eq!(c.refused("AKIDTEST", &sso_t("CreateAccountAssignment"), assignment.clone()), "ConflictException");
        assert_eq!(c.refused("AKIDTEST", &sso_t("DeletePermissionSet"), psb(json!({}))), "ConflictException");
        assert_eq!(c.refused("AKIDTEST", &t("DeleteUser"), s(json!({"UserId": user}))), "ConflictException");
        let mut elsewhere = assignment.clone();
        elsewhere["TargetId"] = json!("777777777777");
        assert_eq!(c.refused("AKIDTEST", &sso_t("CreateAccountAssignment"), elsewhere), "ResourceNotFoundException");
        // A change leaves the assigned accounts behind until the permission set is provisioned.
        sso(&mut c, "UpdatePermissionSet", psb(json!({"Description": "build and ship"})));
        let behind = sso(&mut c, "ListPermissionSetsProvisionedToAccount", json!({"InstanceArn": arn, "AccountId": "555555555555", "ProvisioningStatus": "LATEST_PERMISSION_SET_NOT_PROVISIONED"}));
        assert_eq!(behind["PermissionSets"][0], ps);
        let provisioned = sso(&mut c, "ProvisionPermissionSet", psb(json!({"TargetType": "ALL_PROVISIONED_ACCOUNTS"})));
        let request = provisioned["PermissionSetProvisioningStatus"]["RequestId"].clone();
        sso(&mut c, "DescribePermissionSetProvisioningStatus", json!({"InstanceArn": arn, "ProvisionPermissionSetRequestId": request}));
        sso(&mut c, "ListPermissionSetProvisioningStatus", json!({"InstanceArn": arn}));
        let behind = sso(&mut c, "ListPermissionSetsProvisionedToAccount", json!({"InstanceArn": arn, "AccountId": "555555555555", "ProvisioningStatus": "LATEST_PERMISSION_SET_NOT_PROVISIONED"}));
        assert_eq!(behind["PermissionSets"], json!([]));
        let deleted = sso(&mut c, "DeleteAccountAssignment", assignment);
        let request = deleted["AccountAssignmentDeletionStatus"]["RequestId"].clone();
        sso(&mut c, "DescribeAccountAssignmentDeletionStatus", json!({"InstanceArn": arn, "AccountAssignmentDeletionRequestId": request}));
        sso(&mut c, "ListAccountAssignmentDeletionStatus", json!({"InstanceArn": arn}));
        sso(&mut c, "DeletePermissionSet", psb(json!({})));
        assert_eq!(c.refused("AKIDTEST", &sso_t("DescribePermissionSet"), psb(json!({}))), "ResourceNotFoundException");

        // An account instance holds AWS managed applications only, and no permission set.
        let own = c.call("sso-admin", "SWBExternalService", "555555555555", "CreateInstance", json!({"Name": "sandbox", "Tags": [{"Key": "owner", "Value": "sandbox"}]}));
        let own_tags = c.call("sso-admin", "SWBExternalService", "555555555555", "ListTagsForResource", json!({"ResourceArn": own["InstanceArn"]}));
        assert_eq!(own_tags["Tags"][0]["Value"], "sandbox");
        assert_eq!(c.refused("555555555555", &sso_t("CreateApplication"), json!({"InstanceArn": own["InstanceArn"], "ApplicationProviderArn": custom, "Name": "wiki"})), "ValidationException");
        assert_eq!(c.refused("555555555555", &sso_t("CreatePermissionSet"), json!({"InstanceArn": own["InstanceArn"], "Name": "Admins"})), "ValidationException");
        c.call("sso-admin", "SWBExternalService", "555555555555", "DeleteInstance", json!({"InstanceArn": own["InstanceArn"]}));

        c.ids("DeleteGroup", s(json!({"GroupId": group})));
        c.ids("DeleteUser", s(json!({"UserId": user})));
        assert_eq!(c.refused("AKIDTEST", &t("DescribeUser"), s(json!({"UserId": user}))), "ResourceNotFoundException");
        common::check_shapes(&c.seen);
    })
    .await
    .unwrap();
}

/// The SSO Admin operations beyond instances, applications and permission sets' basics: each
/// answer checked against botocore's model.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_admin_settings_match_botocore() {
    let (server, _dir, _) = common::start().await;
    let addr = server.addr;
    tokio::task::spawn_blocking(move || {
        let mut c = Calls { addr, seen: Vec::new() };
        let sso = |c: &mut Calls, op: &'static str, body: Value| c.call("sso-admin", "SWBExternalService", "AKIDTEST", op, body);
        let sso_t = |op: &str| format!("SWBExternalService.{op}");
        let arn = sso(&mut c, "ListInstances", json!({}))["Instances"][0]["InstanceArn"].clone();
        // Customer managed policy references and a permissions boundary.
        let made = sso(&mut c, "CreatePermissionSet", json!({"InstanceArn": arn, "Name": "Developers"}));
        let psb = json!({"InstanceArn": arn, "PermissionSetArn": made["PermissionSet"]["PermissionSetArn"]});
        let with = |extra: Value| {
            let mut v = psb.clone();
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            v
        };
        sso(&mut c, "AttachCustomerManagedPolicyReferenceToPermissionSet", with(json!({"CustomerManagedPolicyReference": {"Name": "deploy", "Path": "/team/"}})));
        let listed = sso(&mut c, "ListCustomerManagedPolicyReferencesInPermissionSet", psb.clone());
        assert_eq!(listed["CustomerManagedPolicyReferences"], json!([{"Name": "deploy", "Path": "/team/"}]));
        sso(&mut c, "PutPermissionsBoundaryToPermissionSet", with(json!({"PermissionsBoundary": {"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}})));
        let got = sso(&mut c, "GetPermissionsBoundaryForPermissionSet", psb.clone());
        assert_eq!(got["PermissionsBoundary"], json!({"ManagedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}));
        assert_eq!(c.refused("AKIDTEST", &sso_t("PutPermissionsBoundaryToPermissionSet"), with(json!({"PermissionsBoundary": {}}))), "ValidationException");
        sso(&mut c, "DeletePermissionsBoundaryFromPermissionSet", psb.clone());
        sso(&mut c, "DetachCustomerManagedPolicyReferenceFromPermissionSet", with(json!({"CustomerManagedPolicyReference": {"Name": "deploy", "Path": "/team/"}})));
        // Regions.
        let region = |name: &str| json!({"InstanceArn": arn, "RegionName": name});
        assert_eq!(sso(&mut c, "AddRegion", region("eu-west-1"))["Status"], "ACTIVE");
        assert_eq!(sso(&mut c, "ListRegions", json!({"InstanceArn": arn}))["Regions"].as_array().unwrap().len(), 2);
        assert_eq!(sso(&mut c, "DescribeRegion", region("eu-west-1"))["IsPrimaryRegion"], false);
        sso(&mut c, "DescribeInstance", json!({"InstanceArn": arn}));
        assert_eq!(c.refused("AKIDTEST", &sso_t("AddRegion"), region("eu_west")), "ValidationException");
        sso(&mut c, "RemoveRegion", region("eu-west-1"));
        assert_eq!(c.refused("AKIDTEST", &sso_t("DescribeRegion"), region("eu-west-1")), "ResourceNotFoundException");
        // Attributes for access control.
        let abac = json!({"InstanceArn": arn, "InstanceAccessControlAttributeConfiguration": {"AccessControlAttributes": [
            {"Key": "CostCenter", "Value": {"Source": ["${path:enterprise.costCenter}"]}},
        ]}});
        sso(&mut c, "CreateInstanceAccessControlAttributeConfiguration", abac.clone());
        assert_eq!(c.refused("AKIDTEST", &sso_t("CreateInstanceAccessControlAttributeConfiguration"), abac.clone()), "ConflictException");
        sso(&mut c, "UpdateInstanceAccessControlAttributeConfiguration", abac);
        let described = sso(&mut c, "DescribeInstanceAccessControlAttributeConfiguration", json!({"InstanceArn": arn}));
        assert_eq!(described["Status"], "ENABLED");
        sso(&mut c, "DeleteInstanceAccessControlAttributeConfiguration", json!({"InstanceArn": arn}));
        // Trusted token issuers.
        let oidc = json!({"OidcJwtConfiguration": {"IssuerUrl": "https://idp.example.com", "ClaimAttributePath": "email", "IdentityStoreAttributePath": "emails.value", "JwksRetrievalOption": "OPEN_ID_DISCOVERY"}});
        let made = sso(&mut c, "CreateTrustedTokenIssuer", json!({"InstanceArn": arn, "Name": "okta", "TrustedTokenIssuerType": "OIDC_JWT", "TrustedTokenIssuerConfiguration": oidc, "Tags": [{"Key": "team", "Value": "identity"}]}));
        let tti = made["TrustedTokenIssuerArn"].clone();
        assert_eq!(sso(&mut c, "ListTagsForResource", json!({"InstanceArn": arn, "ResourceArn": tti}))["Tags"][0]["Value"], "identity");
        assert_eq!(c.refused("AKIDTEST", &sso_t("CreateTrustedTokenIssuer"), json!({"InstanceArn": arn, "Name": "other", "TrustedTokenIssuerType": "SAML", "TrustedTokenIssuerConfiguration": oidc})), "ValidationException");
        sso(&mut c, "UpdateTrustedTokenIssuer", json!({"TrustedTokenIssuerArn": tti, "Name": "workforce", "TrustedTokenIssuerConfiguration": {"OidcJwtConfiguration": {"IdentityStoreAttributePath": "userName"}}}));
        assert_eq!(sso(&mut c, "DescribeTrustedTokenIssuer", json!({"TrustedTokenIssuerArn": tti}))["Name"], "workforce");
        assert_eq!(sso(&mut c, "ListTrustedTokenIssuers", json!({"InstanceArn": arn}))["TrustedTokenIssuers"][0]["Name"], "workforce");
        // An application's settings, and an assignment described.
        let app = sso(&mut c, "CreateApplication", json!({"InstanceArn": arn, "ApplicationProviderArn": "arn:aws:sso::aws:applicationProvider/custom", "Name": "wiki"}));
        let a = app["ApplicationArn"].clone();
        let on = |extra: Value| {
            let mut v = json!({"ApplicationArn": a});
            for (k, x) in extra.as_object().unwrap() {
                v[k] = x.clone();
            }
            v
        };
        sso(&mut c, "PutApplicationAccessScope", on(json!({"Scope": "wiki:read", "AuthorizedTargets": [a]})));
        assert_eq!(sso(&mut c, "GetApplicationAccessScope", on(json!({"Scope": "wiki:read"})))["AuthorizedTargets"], json!([a]));
        sso(&mut c, "ListApplicationAccessScopes", on(json!({})));
        assert_eq!(c.refused("AKIDTEST", &sso_t("PutApplicationAccessScope"), on(json!({"Scope": "wiki read"}))), "ValidationException");
        sso(&mut c, "DeleteApplicationAccessScope", on(json!({"Scope": "wiki:read"})));
        let policy = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sso-oauth:CreateTokenWithIAM", "Resource": "*"}]});
        sso(&mut c, "PutApplicationAuthenticationMethod", on(json!({"AuthenticationMethodType": "IAM", "AuthenticationMethod": {"Iam": {"ActorPolicy": policy}}})));
        assert_eq!(sso(&mut c, "GetApplicationAuthenticationMethod", on(json!({"AuthenticationMethodType": "IAM"})))["AuthenticationMethod"]["Iam"]["ActorPolicy"], policy);
        sso(&mut c, "ListApplicationAuthenticationMethods", on(json!({})));
        sso(&mut c, "DeleteApplicationAuthenticationMethod", on(json!({"AuthenticationMethodType": "IAM"})));
        assert_eq!(c.refused("AKIDTEST", &sso_t("GetApplicationAuthenticationMethod"), on(json!({"AuthenticationMethodType": "IAM"}))), "ResourceNotFoundException");
        let bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
        sso(&mut c, "PutApplicationGrant", on(json!({"GrantType": bearer, "Grant": {"JwtBearer": {"AuthorizedTokenIssuers": [{"TrustedTokenIssuerArn": tti, "AuthorizedAudiences": ["wiki"]}]}}})));
        sso(&mut c, "PutApplicationGrant", on(json!({"GrantType": "authorization_code", "Grant": {"AuthorizationCode": {"RedirectUris": ["https://wiki.example.com/callback"]}}})));
        sso(&mut c, "PutApplicationGrant", on(json!({"GrantType": "urn:ietf:params:oauth:grant-type:token-exchange", "Grant": {"TokenExchange": {}}})));
        assert_eq!(sso(&mut c, "GetApplicationGrant", on(json!({"GrantType": bearer})))["Grant"]["JwtBearer"]["AuthorizedTokenIssuers"][0]["TrustedTokenIssuerArn"], tti);
        assert_eq!(sso(&mut c, "ListApplicationGrants", on(json!({})))["Grants"].as_array().unwrap().len(), 3);
        assert_eq!(c.refused("AKIDTEST", &sso_t("DeleteTrustedTokenIssuer"), json!({"TrustedTokenIssuerArn": tti})), "ConflictException");
        let unknown = "arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-0000000000000000/tti-00000000-0000-0000-0000-000000000000";
        assert_eq!(c.refused("AKIDTEST", &sso_t("PutApplicationGrant"), on(json!({"GrantType": bearer, "Grant": {"JwtBearer": {"AuthorizedTokenIssuers": [{"TrustedTokenIssuerArn": unknown}]}}}))), "ResourceNotFoundException");
        sso(&mut c, "DeleteApplicationGrant", on(json!({"GrantType": bearer})));
        sso(&mut c, "PutApplicationAssignmentConfiguration", on(json!({"AssignmentRequired": false})));
        assert_eq!(sso(&mut c, "GetApplicationAssignmentConfiguration", on(json!({})))["AssignmentRequired"], false);
        sso(&mut c, "PutApplicationSessionConfiguration", on(json!({"UserBackgroundSessionApplicationStatus": "ENABLED"})));
        assert_eq!(sso(&mut c, "GetApplicationSessionConfiguration", on(json!({})))["UserBackgroundSessionApplicationStatus"], "ENABLED");
        let store = sso(&mut c, "DescribeInstance", json!({"InstanceArn": arn}))["IdentityStoreId"].clone();
        let alice = c.ids("GetUserId", json!({"IdentityStoreId": store, "AlternateIdentifier": {"UniqueAttribute": {"AttributePath": "userName", "AttributeValue": "alice"}}}))["UserId"].clone();
        let assignment = on(json!({"PrincipalId": alice, "PrincipalType": "USER"}));
        assert_eq!(c.refused("AKIDTEST", &sso_t("DescribeApplicationAssignment"), assignment.clone()), "ResourceNotFoundException");
        sso(&mut c, "CreateApplicationAssignment", assignment.clone());
        assert_eq!(sso(&mut c, "DescribeApplicationAssignment", assignment)["PrincipalId"], alice);
        sso(&mut c, "DeleteTrustedTokenIssuer", json!({"TrustedTokenIssuerArn": tti}));
        assert_eq!(c.refused("AKIDTEST", &sso_t("DescribeTrustedTokenIssuer"), json!({"TrustedTokenIssuerArn": tti})), "ResourceNotFoundException");
        common::check_shapes(&c.seen);
    })
    .await
    .unwrap();
}
