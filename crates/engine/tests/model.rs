//! Model-based property tests: random operation sequences over a small world of names and
//! dates.
//!
//! Whatever the sequence — with times out of order, instances backdated before or after the
//! 2023-11-15 cutover, accounts invited after they made an account instance — an applied
//! operation never leaves an estate that `check` rejects (validation and the round trip
//! through the estate file that `kiro-org check` reads), and a refused operation never changes
//! the estate.

use kiro_engine::{Engine, Op};
use kiro_estate::Estate;
use proptest::prelude::*;
use serde_json::{Value, json};

const ACCOUNTS: [&str; 4] = [
    "111111111111",
    "222222222222",
    "333333333333",
    "444444444444",
];
const REGIONS: [&str; 3] = ["us-east-1", "eu-central-1", "ap-south-1"];
const NAMES: [&str; 3] = ["a", "b", "c"];
const PLANS: [&str; 5] = ["pro", "pro-plus", "pro-max", "power", "gold"];
/// When operations happen: out of order on purpose, on both sides of 2023-11-15.
const TIMES: [&str; 5] = [
    "2022-06-01T00:00:00Z",
    "2023-11-15T12:00:00Z",
    "2024-05-01T08:00:00Z",
    "2025-03-01T00:00:00Z",
    "2026-03-01T00:00:00Z",
];
/// Instance `created` dates, backdated or not, none meaning the operation's date.
const CREATED: [Option<&str>; 7] = [
    None,
    Some("2021-01-01"),
    Some("2022-06-01"),
    Some("2023-01-01"),
    Some("2023-11-15"),
    Some("2024-06-01"),
    Some("2025-03-01"),
];
/// E-mail addresses, with a case variant, a blank-free invalid one and none.
const EMAILS: [Option<&str>; 5] = [
    None,
    Some("x@example.com"),
    Some("X@Example.com"),
    Some("y@example.com"),
    Some("not-an-email"),
];

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

fn acct() -> impl Strategy<Value = &'static str> {
    pick(&ACCOUNTS)
}

fn op() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => (acct(), pick(&NAMES), pick(&EMAILS), pick(&[None, Some("111111111111"), Some("222222222222")]), pick(&[None, Some("root"), Some("a")])).prop_map(|(id, name, email, org, parent)| {
            let mut v = json!({"op": "create-account", "id": id, "name": name});
            if let Some(e) = email { v["email"] = json!(e); }
            if let Some(o) = org { v["organization"] = json!(o); }
            if let Some(p) = parent { v["parent"] = json!(p); }
            v
        }),
        1 => (acct(), pick(&[None, Some(true), Some(false)])).prop_map(|(m, scps)| {
            let mut v = json!({"op": "create-organization", "management": m});
            if let Some(on) = scps { v["scps-enabled"] = json!(on); }
            v
        }),
        1 => (acct(), pick(&NAMES), pick(&["root", "a", "b"])).prop_map(|(o, n, p)| json!({"op": "create-ou", "organization": o, "name": n, "parent": p})),
        3 => (acct(), acct(), pick(&["root", "a", "b"])).prop_map(|(o, a, p)| json!({"op": "invite-account", "organization": o, "account": a, "parent": p})),
        1 => (acct(), pick(&["root", "a", "c"])).prop_map(|(a, p)| json!({"op": "move-account", "account": a, "parent": p})),
        1 => (acct(), pick(&NAMES), pick(&["codewhisperer:CreateProfile", "sso:CreateInstance", "*"]), pick(&["Allow", "Deny"])).prop_map(|(o, n, action, effect)| json!({
            "op": "create-policy", "organization": o, "name": n,
            "document": {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}]}
        })),
        1 => (acct(), pick(&["a", "b", "FullAWSAccess"]), pick(&["root", "a", "111111111111", "222222222222"])).prop_map(|(o, p, t)| json!({"op": "attach-policy", "organization": o, "policy": p, "target": t})),
        1 => (acct(), pick(&["a", "b", "FullAWSAccess"]), pick(&["root", "a", "111111111111", "222222222222"])).prop_map(|(o, p, t)| json!({"op": "detach-policy", "organization": o, "policy": p, "target": t})),
        3 => (acct(), pick(&REGIONS), pick(&[None, Some("organization"), Some("account")]), pick(&CREATED)).prop_map(|(a, r, k, c)| {
            let mut v = json!({"op": "enable-identity-center", "account": a, "region": r});
            if let Some(k) = k { v["kind"] = json!(k); }
            if let Some(c) = c { v["created"] = json!(c); }
            v
        }),
        1 => (acct(), pick(&["a", "b", "c"]), pick(&NAMES)).prop_map(|(o, ou, n)| json!({"op": "update-ou", "organization": o, "ou": ou, "name": n})),
        1 => (acct(), pick(&["a", "b"])).prop_map(|(o, ou)| json!({"op": "delete-ou", "organization": o, "ou": ou})),
        1 => acct().prop_map(|o| json!({"op": "delete-organization", "organization": o})),
        1 => (acct(), any::<bool>(), pick(&["SERVICE_CONTROL_POLICY", "TAG_POLICY"])).prop_map(|(o, on, t)| json!({"op": if on {"enable-policy-type"} else {"disable-policy-type"}, "organization": o, "policy-type": t})),
        1 => (acct(), pick(&["a", "b", "FullAWSAccess"]), pick(&[None, Some("b"), Some("c")]), any::<bool>()).prop_map(|(o, p, n, doc)| {
            let mut v = json!({"op": "update-policy", "organization": o, "policy": p});
            if let Some(n) = n { v["name"] = json!(n); }
            if doc { v["document"] = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "sso:CreateInstance", "Resource": "*"}]}); }
            v
        }),
        1 => (acct(), pick(&["a", "b", "FullAWSAccess"])).prop_map(|(o, p)| json!({"op": "delete-policy", "organization": o, "policy": p})),
        1 => acct().prop_map(|o| json!({"op": "allow-member-account-instances", "organization": o})),
        1 => (acct(), pick(&NAMES), pick(&EMAILS)).prop_map(|(i, u, e)| {
            let mut v = json!({"op": "create-user", "instance": i, "user-name": u});
            if let Some(e) = e { v["email"] = json!(e); }
            v
        }),
        1 => (acct(), pick(&NAMES)).prop_map(|(i, g)| json!({"op": "create-group", "instance": i, "name": g})),
        1 => (acct(), pick(&NAMES), pick(&NAMES), any::<bool>()).prop_map(|(i, g, u, add)| json!({"op": if add {"add-member"} else {"remove-member"}, "instance": i, "group": g, "user-name": u})),
        1 => (acct(), pick(&REGIONS), pick(&[None, Some("organization"), Some("account")]), pick(&[None, Some("a")])).prop_map(|(a, r, s, who)| {
            let mut v = json!({"op": "create-profile", "account": a, "region": r});
            if let Some(s) = s { v["identity-source"] = json!(s); }
            if let Some(w) = who { v["as"] = json!(w); }
            v
        }),
        1 => (acct(), pick(&REGIONS)).prop_map(|(a, r)| json!({"op": "delete-profile", "account": a, "region": r})),
        1 => (acct(), pick(&REGIONS), any::<bool>(), any::<bool>()).prop_map(|(a, r, l, o)| json!({"op": "update-profile-settings", "account": a, "region": r, "prompt-logging": l, "overage": o})),
        1 => (acct(), pick(&REGIONS), pick(&NAMES), any::<bool>(), pick(&PLANS)).prop_map(|(a, r, n, user, plan)| {
            let mut v = json!({"op": "subscribe", "account": a, "region": r, "plan": plan});
            v[if user {"user-name"} else {"group"}] = json!(n);
            v
        }),
        1 => (acct(), pick(&REGIONS), pick(&NAMES), any::<bool>()).prop_map(|(a, r, n, user)| {
            let mut v = json!({"op": "unsubscribe", "account": a, "region": r});
            v[if user {"user-name"} else {"group"}] = json!(n);
            v
        }),
        1 => (acct(), -5i64..120).prop_map(|(i, d)| json!({"op": "set-kiro-session-duration", "instance": i, "days": d})),
        1 => acct().prop_map(|i| json!({"op": "enable-identity-enhanced-sessions", "instance": i})),
        1 => (acct(), pick(&["eu-west-1", "us-east-1", "cn-north-1"]), any::<bool>()).prop_map(|(i, r, add)| json!({"op": if add {"add-region"} else {"remove-region"}, "instance": i, "region": r})),
        1 => (acct(), pick(&NAMES), pick(&["https://a.example.com", "https://b.example.com"])).prop_map(|(i, n, u)| json!({"op": "create-trusted-token-issuer", "instance": i, "name": n, "issuer-url": u, "claim-attribute-path": "email", "identity-store-attribute-path": "emails.value"})),
        1 => (acct(), pick(&NAMES), pick(&NAMES)).prop_map(|(i, t, n)| json!({"op": "update-trusted-token-issuer", "instance": i, "trusted-token-issuer": t, "name": n})),
        1 => (acct(), pick(&NAMES)).prop_map(|(i, t)| json!({"op": "delete-trusted-token-issuer", "instance": i, "trusted-token-issuer": t})),
        1 => acct().prop_map(|i| json!({"op": "create-application", "instance": i, "name": "wiki", "provider": "arn:aws:sso::aws:applicationProvider/custom"})),
        1 => (acct(), pick(&NAMES), any::<bool>()).prop_map(|(i, t, put)| {
            let bearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
            let mut v = json!({"op": "update-application", "instance": i, "application": "wiki"});
            if put {
                v["put-grant"] = json!({"grant-type": bearer, "authorized-token-issuers": [{"trusted-token-issuer": t}]});
            } else {
                v["delete-grant"] = json!(bearer);
            }
            v
        }),
        2 => (acct(), acct()).prop_map(|(o, a)| json!({"op": "invite-transfer", "organization": o, "account": a, "name": "billing", "start": TIMES[3]})),
        2 => (acct(), acct(), 0..3usize, pick(&["accept-handshake", "decline-handshake", "cancel-handshake"])).prop_map(|(who, org, n, answer)| {
            let handshake = kiro_estate::ids::handshake_id(&org.into(), n);
            match answer {
                "cancel-handshake" => json!({"op": answer, "organization": org, "handshake": handshake}),
                _ => json!({"op": answer, "account": who, "handshake": handshake}),
            }
        }),
        1 => (acct(), acct(), 0..3usize, any::<bool>()).prop_map(|(who, org, n, end)| {
            let transfer = kiro_estate::ids::transfer_id(&org.into(), n);
            if end {
                json!({"op": "terminate-transfer", "account": who, "transfer": transfer})
            } else {
                json!({"op": "rename-transfer", "account": who, "transfer": transfer, "name": "renamed"})
            }
        }),
    ]
}

/// An operation and when it happens.
fn timed_op() -> impl Strategy<Value = (Value, &'static str)> {
    (op(), pick(&TIMES))
}

/// A start and an end that make the interesting histories likely: every account exists, the
/// first manages an organization and the second may be invited into it, first or last (after
/// it may have made an account instance); the organization instance, possibly dated before
/// 2023-11-15, is enabled first or last (after member account instances exist).
type Timed = (Value, &'static str);

fn skeleton() -> impl Strategy<Value = (Vec<Timed>, Vec<Timed>)> {
    (pick(&TIMES), pick(&TIMES), pick(&CREATED), pick(&[None, Some(true), Some(false)]), pick(&[None, Some(true), Some(false)])).prop_map(
        |(invited, at, created, instance_first, invite_first)| {
            let mut start: Vec<Timed> = ACCOUNTS
                .iter()
                .map(|id| (json!({"op": "create-account", "id": id, "name": id}), TIMES[0]))
                .collect();
            start.push((json!({"op": "create-organization", "management": ACCOUNTS[0]}), TIMES[0]));
            // A second organization, which may transfer its billing to the first.
            start.push((json!({"op": "create-organization", "management": ACCOUNTS[3]}), TIMES[0]));
            let mut end = Vec::new();
            if let Some(first) = invite_first {
                let invite = (json!({"op": "invite-account", "organization": ACCOUNTS[0], "account": ACCOUNTS[1]}), invited);
                if first { start.push(invite) } else { end.push(invite) }
            }
            if let Some(first) = instance_first {
                let mut v = json!({"op": "enable-identity-center", "account": ACCOUNTS[0], "region": "us-east-1"});
                if let Some(c) = created { v["created"] = json!(c); }
                if first { start.push((v, at)) } else { end.push((v, at)) }
            }
            (start, end)
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn applied_ops_keep_the_estate_valid_and_refused_ops_change_nothing((start, end) in skeleton(), ops in proptest::collection::vec(timed_op(), 1..60)) {
        let mut engine = Engine::new(Estate::empty());
        for (raw, at) in start.into_iter().chain(ops).chain(end) {
            let op: Op = serde_json::from_value(raw.clone()).unwrap();
            let before = engine.estate().clone();
            match engine.apply(&op, at.parse().unwrap()) {
                Ok(_) => {
                    let problems = engine.estate().validate();
                    prop_assert!(problems.is_empty(), "{raw} at {at} left an invalid estate: {problems:?}");
                    // What `kiro-org check` reads: the file `apply` writes, loaded again.
                    for format in [kiro_estate::Format::Yaml, kiro_estate::Format::Json] {
                        let text = engine.estate().to_text(format).unwrap();
                        let back = Estate::from_text(&text, format);
                        prop_assert!(back.is_ok(), "{raw} at {at}: check refuses the file apply writes: {}", back.err().map(|d| d.to_string()).unwrap_or_default());
                        prop_assert_eq!(&back.unwrap(), engine.estate());
                    }
                }
                Err(_) => prop_assert_eq!(engine.estate(), &before, "{} changed the estate although refused", raw),
            }
        }
    }
}
