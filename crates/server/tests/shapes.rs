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
        let (status, out) = common::json_call(self.addr, key, &format!("{ORG}.{operation}"), &body);
        assert_eq!(status, 200, "{operation}: {out}");
        self.seen.push(("organizations", operation, out.clone()));
        out
    }
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
        let admin = br#"{"op": "create-account", "id": "777777777777", "name": "solo", "email": "solo@example.com"}"#;
        let request = [
            format!("POST /admin/ops HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n", admin.len()).into_bytes(),
            admin.to_vec(),
        ]
        .concat();
        assert_eq!(common::http(addr, &request).0, 200);
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
