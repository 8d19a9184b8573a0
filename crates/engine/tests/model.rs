//! Model-based property tests: random operation sequences over a small world of names.
//!
//! Whatever the sequence, an applied operation never leaves an estate that `check` rejects,
//! and a refused operation never changes the estate.

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

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

fn acct() -> impl Strategy<Value = &'static str> {
    pick(&ACCOUNTS)
}

fn op() -> impl Strategy<Value = Value> {
    prop_oneof![
        (acct(), pick(&NAMES)).prop_map(|(id, name)| json!({"op": "create-account", "id": id, "name": name})),
        acct().prop_map(|m| json!({"op": "create-organization", "management": m})),
        (acct(), pick(&NAMES), pick(&["root", "a", "b"])).prop_map(|(o, n, p)| json!({"op": "create-ou", "organization": o, "name": n, "parent": p})),
        (acct(), acct(), pick(&["root", "a", "b"])).prop_map(|(o, a, p)| json!({"op": "invite-account", "organization": o, "account": a, "parent": p})),
        (acct(), pick(&["root", "a", "c"])).prop_map(|(a, p)| json!({"op": "move-account", "account": a, "parent": p})),
        (acct(), pick(&NAMES), pick(&["codewhisperer:CreateProfile", "sso:CreateInstance", "*"]), pick(&["Allow", "Deny"])).prop_map(|(o, n, action, effect)| json!({
            "op": "create-policy", "organization": o, "name": n,
            "document": {"Version": "2012-10-17", "Statement": [{"Effect": effect, "Action": action, "Resource": "*"}]}
        })),
        (acct(), pick(&["a", "b", "FullAWSAccess"]), pick(&["root", "a", "111111111111", "222222222222"])).prop_map(|(o, p, t)| json!({"op": "attach-policy", "organization": o, "policy": p, "target": t})),
        (acct(), pick(&["a", "b", "FullAWSAccess"]), pick(&["root", "a", "111111111111", "222222222222"])).prop_map(|(o, p, t)| json!({"op": "detach-policy", "organization": o, "policy": p, "target": t})),
        (acct(), pick(&REGIONS), pick(&[None, Some("organization"), Some("account")]), pick(&["2023-01-01", "2024-06-01"])).prop_map(|(a, r, k, c)| {
            let mut v = json!({"op": "enable-identity-center", "account": a, "region": r, "created": c});
            if let Some(k) = k { v["kind"] = json!(k); }
            v
        }),
        acct().prop_map(|o| json!({"op": "allow-member-account-instances", "organization": o})),
        (acct(), pick(&NAMES)).prop_map(|(i, u)| json!({"op": "create-user", "instance": i, "user-name": u, "email": format!("{u}@example.com")})),
        (acct(), pick(&NAMES)).prop_map(|(i, g)| json!({"op": "create-group", "instance": i, "name": g})),
        (acct(), pick(&NAMES), pick(&NAMES), any::<bool>()).prop_map(|(i, g, u, add)| json!({"op": if add {"add-member"} else {"remove-member"}, "instance": i, "group": g, "user-name": u})),
        (acct(), pick(&REGIONS), pick(&[None, Some("organization"), Some("account")]), pick(&[None, Some("a")])).prop_map(|(a, r, s, who)| {
            let mut v = json!({"op": "create-profile", "account": a, "region": r});
            if let Some(s) = s { v["identity-source"] = json!(s); }
            if let Some(w) = who { v["as"] = json!(w); }
            v
        }),
        (acct(), pick(&REGIONS)).prop_map(|(a, r)| json!({"op": "delete-profile", "account": a, "region": r})),
        (acct(), pick(&REGIONS), any::<bool>(), any::<bool>()).prop_map(|(a, r, l, o)| json!({"op": "update-profile-settings", "account": a, "region": r, "prompt-logging": l, "overage": o})),
        (acct(), pick(&REGIONS), pick(&NAMES), any::<bool>(), pick(&PLANS)).prop_map(|(a, r, n, user, plan)| {
            let mut v = json!({"op": "subscribe", "account": a, "region": r, "plan": plan});
            v[if user {"user-name"} else {"group"}] = json!(n);
            v
        }),
        (acct(), pick(&REGIONS), pick(&NAMES), any::<bool>()).prop_map(|(a, r, n, user)| {
            let mut v = json!({"op": "unsubscribe", "account": a, "region": r});
            v[if user {"user-name"} else {"group"}] = json!(n);
            v
        }),
        (acct(), -5i64..120).prop_map(|(i, d)| json!({"op": "set-kiro-session-duration", "instance": i, "days": d})),
        acct().prop_map(|i| json!({"op": "enable-identity-enhanced-sessions", "instance": i})),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn applied_ops_keep_the_estate_valid_and_refused_ops_change_nothing(ops in proptest::collection::vec(op(), 1..60)) {
        let mut engine = Engine::new(Estate::empty());
        let at = "2026-03-01T00:00:00Z".parse().unwrap();
        for raw in ops {
            let op: Op = serde_json::from_value(raw.clone()).unwrap();
            let before = engine.estate().clone();
            match engine.apply(&op, at) {
                Ok(_) => {
                    let problems = engine.estate().validate();
                    prop_assert!(problems.is_empty(), "{raw} left an invalid estate: {problems:?}");
                }
                Err(_) => prop_assert_eq!(engine.estate(), &before, "{} changed the estate although refused", raw),
            }
        }
        // The result survives a round trip through the file format.
        let text = engine.estate().to_text(kiro_estate::Format::Yaml).unwrap();
        let back = Estate::from_text(&text, kiro_estate::Format::Yaml).unwrap();
        prop_assert_eq!(&back, engine.estate());
    }
}
