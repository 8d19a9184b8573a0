//! The AWS operations `collect` calls and the IAM action each needs: the one list from which
//! `collect --print-policy` prints its least-privilege policy and a denied call names what the
//! caller lacks. A test reads the crate's sources so that a new call cannot miss the list.

use serde_json::{Value, json};

/// Declares [`Call`] from each IAM service prefix and the operations of that service, so the
/// operation's name and its action are spelled once.
macro_rules! calls {
    ($($prefix:literal => [$($op:ident),* $(,)?]),* $(,)?) => {
        /// An AWS operation the collector calls (every one only reads).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Call {
            $($(
                #[doc = concat!("`", $prefix, ":", stringify!($op), "`")]
                $op,
            )*)*
        }

        impl Call {
            /// Every call, in the order the collector makes them.
            pub const ALL: &'static [Call] = &[$($(Call::$op,)*)*];

            /// The API operation's name (`ListRoots`).
            pub fn name(self) -> &'static str {
                match self {
                    $($(Call::$op => stringify!($op),)*)*
                }
            }

            /// The IAM action it needs (`organizations:ListRoots`).
            pub fn action(self) -> &'static str {
                match self {
                    $($(Call::$op => concat!($prefix, ":", stringify!($op)),)*)*
                }
            }
        }
    };
}

calls! {
    "organizations" => [
        DescribeOrganization,
        ListRoots,
        ListOrganizationalUnitsForParent,
        ListAccounts,
        ListAccountsForParent,
        ListPolicies,
        DescribePolicy,
        ListTargetsForPolicy,
    ],
    "sso" => [ListInstances, DescribeInstance, ListApplications],
    "identitystore" => [ListUsers, ListGroups, ListGroupMemberships],
    "user-subscriptions" => [ListUserSubscriptions],
}

/// What a denied call adds to AWS's message: the action the caller lacks and where the whole
/// policy is.
pub fn denied_help(call: Call) -> String {
    format!(
        "the caller lacks `{}`; `kiro-org collect --print-policy` prints every permission collect needs",
        call.action()
    )
}

/// Whether an AWS error code means the caller lacks a permission.
pub fn is_denied(code: &str) -> bool {
    code.starts_with("AccessDenied") || code == "UnauthorizedOperation"
}

/// The least-privilege identity policy of the collecting principal: every [`Call`]'s action,
/// and, when member accounts are read through `role`, `sts:AssumeRole` of that role (which then
/// needs the same read actions in each member account).
pub fn policy(member_role: Option<&str>) -> Value {
    let mut actions: Vec<&str> = Call::ALL.iter().map(|c| c.action()).collect();
    actions.sort_unstable();
    let mut statements = vec![json!({
        "Sid": "KiroOrgCollectReadOnly",
        "Effect": "Allow",
        "Action": actions,
        "Resource": "*",
    })];
    if let Some(role) = member_role {
        statements.push(json!({
            "Sid": "KiroOrgCollectMemberRole",
            "Effect": "Allow",
            "Action": "sts:AssumeRole",
            "Resource": format!("arn:*:iam::*:role/{role}"),
        }));
    }
    json!({"Version": "2012-10-17", "Statement": statements})
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    /// The snake-case method the SDK's client has for an operation (`list_roots`).
    fn snake(name: &str) -> String {
        let mut out = String::new();
        for (i, c) in name.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Every `.verb_noun()` of the crate's sources that names an AWS operation: SDK clients'
    /// operations are argument-less methods that begin with an API verb.
    fn sdk_calls() -> Vec<String> {
        const VERBS: &[&str] = &[
            "list",
            "describe",
            "get",
            "create",
            "delete",
            "update",
            "put",
            "attach",
            "detach",
            "enable",
            "disable",
            "tag",
            "untag",
            "move",
            "remove",
            "register",
            "deregister",
            "invite",
            "accept",
            "start",
            "stop",
            "provision",
            "associate",
            "disassociate",
            "add",
            "leave",
            "close",
            "cancel",
            "decline",
            "search",
            "batch",
        ];
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
        let mut found = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices("()") {
                let before = &text[..i];
                let start = before
                    .rfind(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                    .unwrap();
                let method = &before[start + 1..];
                let is_call = before[..=start].trim_end().ends_with('.');
                let verb = method.split('_').next().unwrap();
                if is_call && method.contains('_') && VERBS.contains(&verb) {
                    found.push(method.to_owned());
                }
            }
        }
        found.sort();
        found.dedup();
        found
    }

    #[test]
    fn every_sdk_operation_collect_calls_is_in_the_policy() {
        let listed: Vec<String> = Call::ALL.iter().map(|c| snake(c.name())).collect();
        let calls = sdk_calls();
        assert!(calls.contains(&"list_roots".to_owned()), "{calls:?}");
        for call in &calls {
            assert!(
                listed.contains(call),
                "`{call}` is called but not in `Call`"
            );
        }
        let policy = policy(None).to_string();
        for call in Call::ALL {
            assert!(policy.contains(call.action()), "{}", call.action());
            // The hand-signed call is not an SDK method; every other one must be called.
            if *call != Call::ListUserSubscriptions {
                assert!(
                    calls.contains(&snake(call.name())),
                    "`{}` is in `Call` but never called",
                    call.name()
                );
            }
        }
        assert!(crate::subscriptions::TARGET.ends_with(Call::ListUserSubscriptions.name()));
    }

    #[test]
    fn every_action_of_the_policy_is_an_iam_action() {
        let catalog = kiro_policy::Catalog::get();
        for call in Call::ALL {
            let (prefix, name) = call.action().split_once(':').unwrap();
            let service = catalog.service(prefix).unwrap();
            let action = service.action(name).unwrap();
            // Read-only: `List` or `Read`, never `Write` or permissions management.
            assert!(
                ["List", "Read"].contains(&action.access_level),
                "{} is {}",
                call.action(),
                action.access_level
            );
        }
    }

    #[test]
    fn the_member_role_adds_only_its_assume_role() {
        assert_eq!(policy(None)["Statement"].as_array().unwrap().len(), 1);
        let with_role = policy(Some("KiroReader"));
        assert_eq!(
            with_role["Statement"][1]["Resource"],
            "arn:*:iam::*:role/KiroReader"
        );
    }
}
