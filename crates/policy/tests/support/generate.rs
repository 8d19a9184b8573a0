//! Deterministic random SCP cases, shared by the property tests (reference evaluator) and the
//! differential tests (iam-simulate).
//!
//! Cases are drawn from small vocabularies so that matches are frequent: random strings would
//! almost never match and would test nothing.
#![allow(dead_code)]

use serde_json::{Value, json};

/// splitmix64: tiny, deterministic, good enough to spread choices.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn percent(&mut self, p: usize) -> bool {
        self.below(100) < p
    }
}

/// One generated question.
#[derive(Debug, Clone)]
pub struct Case {
    pub action: String,
    pub resource: String,
    /// Keys and values: a string, or a list of strings.
    pub context: Vec<(String, Value)>,
    /// Levels, root first, each a list of policy documents.
    pub levels: Vec<Vec<Value>>,
}

impl Case {
    pub fn to_json(&self) -> Value {
        let context: serde_json::Map<String, Value> = self.context.iter().cloned().collect();
        json!({"action": self.action, "resource": self.resource, "context": context, "scps": self.levels})
    }
}

const ACTION_PATTERNS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "S3:getobject",
    "ec2:*Instances",
    "sso:CreateInstance",
    "sso:Create?nstance",
    "iam:*",
    "codewhisperer:CreateProfile",
    "organizations:Leave*",
];

const ACTIONS: &[&str] = &[
    "s3:GetObject",
    "s3:PutObject",
    "ec2:RunInstances",
    "ec2:StartInstances",
    "sso:CreateInstance",
    "iam:CreateUser",
    "codewhisperer:CreateProfile",
    "organizations:LeaveOrganization",
];

const RESOURCE_PATTERNS: &[&str] = &[
    "*",
    "arn:aws:s3:::bucket/*",
    "arn:aws:s3:::bucket*",
    "arn:aws:ec2:*:*:instance/*",
    "arn:aws:ec2:us-east-1:*:instance/i-?",
    "arn:aws:iam::${aws:PrincipalAccount}:role/*",
    "arn:aws:s3:::${aws:PrincipalTag/team, 'none'}/*",
    "arn:aws:s3:::${aws:PrincipalTag/team}/*",
    "arn:aws:iam::*:role/admin-?",
    "arn:aws:s3:*",
    "arn:*:iam::111122223333:*",
    "arn:aws:s3:::b/${*}",
];

const RESOURCES: &[&str] = &[
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::bucket2/key",
    "arn:aws:s3:::red/x",
    "arn:aws:s3:::none/x",
    "arn:aws:s3:::b/*",
    "arn:aws:ec2:us-east-1:111122223333:instance/i-1",
    "arn:aws:ec2:eu-west-1:111122223333:instance/i-12",
    "arn:aws:iam::111122223333:role/admin-1",
    "arn:aws:iam::222233334444:role/admin-12",
];

/// A condition key: its name as policies write it (case varies), the operators that suit it,
/// the values policies compare with, the values requests carry, and whether requests give it
/// as a list.
struct Key {
    names: &'static [&'static str],
    operators: &'static [&'static str],
    policy_values: &'static [&'static str],
    request_values: &'static [&'static str],
    multi: bool,
}

const STRING_OPS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringLike",
    "StringNotLike",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
];

const KEYS: &[Key] = &[
    Key {
        names: &["aws:PrincipalAccount", "AWS:principalaccount"],
        operators: STRING_OPS,
        policy_values: &[
            "111122223333",
            "222233334444",
            "1111*",
            "${aws:PrincipalTag/team}",
        ],
        request_values: &["111122223333", "222233334444"],
        multi: false,
    },
    Key {
        names: &["aws:PrincipalTag/team", "aws:principaltag/TEAM"],
        operators: STRING_OPS,
        policy_values: &[
            "red",
            "Red",
            "r*",
            "b?ue",
            "${aws:PrincipalAccount}",
            "${aws:username, 'red'}",
        ],
        request_values: &["red", "RED", "blue", "111122223333"],
        multi: false,
    },
    Key {
        names: &["aws:TagKeys", "aws:tagkeys"],
        operators: STRING_OPS,
        policy_values: &["team", "env", "t*", "cost-center"],
        request_values: &["team", "env", "owner"],
        multi: true,
    },
    Key {
        names: &["s3:max-keys"],
        operators: &[
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
        ],
        policy_values: &["1", "5", "10", "2.5"],
        request_values: &["3", "10", "0", "abc"],
        multi: false,
    },
    Key {
        names: &["aws:CurrentTime"],
        operators: &[
            "DateEquals",
            "DateNotEquals",
            "DateLessThan",
            "DateLessThanEquals",
            "DateGreaterThan",
            "DateGreaterThanEquals",
        ],
        policy_values: &[
            "2024-01-01T00:00:00Z",
            "2025-06-01T00:00:00Z",
            "2024-06-01T12:00:00Z",
        ],
        request_values: &[
            "2024-06-01T12:00:00Z",
            "2023-03-03T03:03:03Z",
            "2026-01-01T00:00:00Z",
        ],
        multi: false,
    },
    Key {
        names: &["aws:SecureTransport", "aws:securetransport"],
        operators: &["Bool"],
        policy_values: &["true", "false"],
        request_values: &["true", "false"],
        multi: false,
    },
    Key {
        names: &["aws:SourceIp"],
        operators: &["IpAddress", "NotIpAddress"],
        policy_values: &["10.0.0.0/8", "192.168.1.0/24", "2001:db8::/32", "0.0.0.0/0"],
        request_values: &["10.1.2.3", "192.168.1.1", "2001:db8::1", "172.16.0.1"],
        multi: false,
    },
    Key {
        names: &["aws:PrincipalArn", "aws:principalarn"],
        operators: &["ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals"],
        policy_values: &[
            "arn:aws:iam::*:role/admin-*",
            "arn:aws:iam::111122223333:role/*",
            "arn:aws:iam::${aws:PrincipalAccount}:role/admin-1",
        ],
        request_values: &[
            "arn:aws:iam::111122223333:role/admin-1",
            "arn:aws:iam::222233334444:role/dev",
        ],
        multi: false,
    },
];

/// Choices that keep a case away from behaviour where AWS's documentation leaves room and
/// iam-simulate chose differently (see the differential test's documentation).
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub oracle_safe: bool,
}

fn one_or_many(rng: &mut Rng, pool: &[&str], max: usize) -> Value {
    let n = 1 + rng.below(max);
    let mut items: Vec<&str> = Vec::new();
    for _ in 0..n {
        let v = *rng.pick(pool);
        if !items.contains(&v) {
            items.push(v);
        }
    }
    if items.len() == 1 && rng.percent(50) {
        json!(items[0])
    } else {
        json!(items)
    }
}

fn condition(rng: &mut Rng, opts: Options, block: &mut serde_json::Map<String, Value>) {
    let key = rng.pick(KEYS);
    if rng.percent(8) {
        let name = *rng.pick(key.names);
        let v = *rng.pick(&["true", "false"]);
        block.entry("Null").or_insert_with(|| json!({}))[name] = json!(v);
        return;
    }
    let mut op = (*rng.pick(key.operators)).to_owned();
    let set = if key.multi || rng.percent(15) {
        *rng.pick(&["ForAnyValue:", "ForAllValues:", ""])
    } else {
        ""
    };
    if rng.percent(20) && !(opts.oracle_safe && set == "ForAnyValue:") {
        op.push_str("IfExists");
    }
    let op = format!("{set}{op}");
    let name = *rng.pick(key.names);
    let mut values = one_or_many(rng, key.policy_values, 3);
    if opts.oracle_safe && key.operators[0].starts_with("Arn") && values.to_string().contains("${")
    {
        // iam-simulate splits ARN condition values at every colon, also the one inside
        // `${aws:PrincipalAccount}`, so it never substitutes that variable there.
        values = json!("arn:aws:iam::*:role/admin-*");
    }
    if opts.oracle_safe && values.to_string().contains("/0\"") {
        // iam-simulate computes the /0 mask as a /32 one (`-1 << 32` is `-1` in JavaScript).
        values = json!("10.0.0.0/8");
    }
    block.entry(op).or_insert_with(|| json!({}))[name] = values;
}

fn statement(rng: &mut Rng, opts: Options, sid: usize, effect: &str) -> Value {
    let mut s = serde_json::Map::new();
    s.insert("Sid".into(), json!(format!("S{sid}")));
    s.insert("Effect".into(), json!(effect));
    let action_key = if rng.percent(20) {
        "NotAction"
    } else {
        "Action"
    };
    s.insert(action_key.into(), one_or_many(rng, ACTION_PATTERNS, 2));
    let resource_key = if rng.percent(15) {
        "NotResource"
    } else {
        "Resource"
    };
    if opts.oracle_safe || rng.percent(90) {
        let mut resources = one_or_many(rng, RESOURCE_PATTERNS, 2);
        if opts.oracle_safe && resource_key == "NotResource" {
            // iam-simulate never lets a short ARN (`arn:aws:s3:*`) in a NotResource match.
            let keep = |v: &Value| {
                v.as_str()
                    .is_some_and(|s| s.split(':').count() >= 6 || s == "*")
            };
            resources = match resources {
                Value::Array(a) => Value::Array(a.into_iter().filter(keep).collect()),
                one if keep(&one) => one,
                _ => Value::Array(vec![]),
            };
            if resources.as_array().is_some_and(|a| a.is_empty()) {
                resources = json!("arn:aws:s3:::bucket/*");
            }
        }
        s.insert(resource_key.into(), resources);
    }
    if rng.percent(60) {
        let mut block = serde_json::Map::new();
        for _ in 0..1 + rng.below(2) {
            condition(rng, opts, &mut block);
        }
        s.insert("Condition".into(), Value::Object(block));
    }
    Value::Object(s)
}

fn policy(rng: &mut Rng, opts: Options) -> Value {
    let n = 1 + rng.below(3);
    let statements: Vec<Value> = (0..n)
        .map(|i| {
            let effect = if rng.percent(40) { "Deny" } else { "Allow" };
            statement(rng, opts, i, effect)
        })
        .collect();
    json!({"Version": "2012-10-17", "Statement": statements})
}

fn allow_all() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{"Sid": "FullAWSAccess", "Effect": "Allow", "Action": "*", "Resource": "*"}]})
}

/// A random case.
pub fn case(rng: &mut Rng, opts: Options) -> Case {
    let levels = (0..1 + rng.below(3))
        .map(|_| {
            let mut policies: Vec<Value> = Vec::new();
            // Most levels carry FullAWSAccess, as real organizations do, so denies get tested.
            if rng.percent(70) {
                policies.push(allow_all());
            }
            for _ in 0..1 + rng.below(2) {
                policies.push(policy(rng, opts));
            }
            policies
        })
        .collect();
    let mut context = Vec::new();
    for key in KEYS {
        if rng.percent(65) {
            let name = key.names[0].to_owned();
            let value = if key.multi {
                let n = rng.below(3);
                let vals: Vec<&str> = (0..n).map(|_| *rng.pick(key.request_values)).collect();
                json!(vals)
            } else {
                json!(rng.pick(key.request_values))
            };
            context.push((name, value));
        }
    }
    let resource = if !opts.oracle_safe && rng.percent(10) {
        "*".to_owned()
    } else {
        let mut r = *rng.pick(RESOURCES);
        while opts.oracle_safe && r.contains('*') {
            // iam-simulate reads `*` in a request resource as a wildcard.
            r = *rng.pick(RESOURCES);
        }
        r.to_owned()
    };
    Case {
        action: (*rng.pick(ACTIONS)).to_owned(),
        resource,
        context,
        levels,
    }
}
