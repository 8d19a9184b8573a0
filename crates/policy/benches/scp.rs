//! SCP evaluation throughput: whole decisions over a realistic hierarchy, single statement
//! evaluations, and an organization-wide governance matrix.
//!
//! Run with `cargo bench -p kiro-policy` (add `-- --measurement-time 2` for a quick run).
#![expect(clippy::expect_used, reason = "a benchmark over fixed, valid policies")]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kiro_policy::{Context, Level, Policy, Prepared, Request, decide_scps, explain_scps};
use serde_json::{Value, json};

/// One of ten statement shapes seen in real SCPs.
fn statement(level: usize, policy: usize, i: usize) -> Value {
    let sid = format!("L{level}P{policy}S{i}");
    match i % 10 {
        0 => {
            json!({"Sid": sid, "Effect": "Deny", "Action": ["sso:CreateInstance", "sso:CreateInstanceAccessControlAttributeConfiguration"], "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": ["arn:aws:iam::*:role/platform-admin", "arn:aws:iam::*:role/OrganizationAccountAccessRole"]}}})
        }
        1 => {
            json!({"Sid": sid, "Effect": "Deny", "Action": "codewhisperer:CreateProfile", "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ["111111111111", "222222222222", "333333333333"]}}})
        }
        2 => {
            json!({"Sid": sid, "Effect": "Deny", "NotAction": ["iam:*", "organizations:*", "sts:*", "support:*", "cloudfront:*", "route53:*"], "Resource": "*",
            "Condition": {"StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-central-1", "eu-west-1"]}}})
        }
        3 => {
            json!({"Sid": sid, "Effect": "Deny", "Action": ["organizations:LeaveOrganization", "account:CloseAccount"], "Resource": "*"})
        }
        4 => {
            json!({"Sid": sid, "Effect": "Deny", "Action": "s3:*", "Resource": ["arn:aws:s3:::audit-logs-*", "arn:aws:s3:::audit-logs-*/*"],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}})
        }
        5 => {
            json!({"Sid": sid, "Effect": "Deny", "Action": ["ec2:RunInstances"], "Resource": "arn:aws:ec2:*:*:instance/*",
            "Condition": {"ForAnyValue:StringNotLike": {"ec2:InstanceType": ["t3.*", "m5.*", "c6i.*"]}}})
        }
        6 => {
            json!({"Sid": sid, "Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "config:Delete*", "guardduty:Delete*"], "Resource": "*",
            "Condition": {"StringNotLikeIfExists": {"aws:PrincipalTag/team": ["security-*"]}}})
        }
        7 => json!({"Sid": sid, "Effect": "Deny", "Action": "*", "Resource": "*",
            "Condition": {"NotIpAddressIfExists": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16", "2001:db8::/32"]}, "BoolIfExists": {"aws:ViaAWSService": "false"}, "Null": {"aws:SourceVpc": "true"}}}),
        8 => {
            json!({"Sid": sid, "Effect": "Allow", "Action": ["s3:*", "ec2:*", "lambda:*", "dynamodb:*", "codewhisperer:*", "q:*", "sso:*"], "Resource": "*"})
        }
        _ => {
            json!({"Sid": sid, "Effect": "Allow", "NotAction": ["iam:CreateUser", "iam:CreateAccessKey"], "Resource": "*",
            "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}}})
        }
    }
}

fn hierarchy(levels: usize, policies: usize, statements: usize) -> Vec<Vec<Policy>> {
    (0..levels)
        .map(|l| {
            (0..policies)
                .map(|p| {
                    let doc = json!({"Version": "2012-10-17",
                        "Statement": (0..statements).map(|i| statement(l, p, i)).collect::<Vec<_>>()});
                    Policy::from_value(&doc).expect("bench policy is valid")
                })
                .collect()
        })
        .collect()
}

fn levels(policies: &[Vec<Policy>]) -> Vec<Level<'_>> {
    policies
        .iter()
        .enumerate()
        .map(|(i, ps)| Level {
            name: format!("level {i}"),
            policies: ps.iter().map(|p| ("scp", p)).collect(),
        })
        .collect()
}

fn context(account: &str) -> Context {
    let mut ctx = Context::new();
    ctx.insert("aws:PrincipalAccount", account)
        .insert(
            "aws:PrincipalArn",
            format!("arn:aws:iam::{account}:role/developer"),
        )
        .insert("aws:RequestedRegion", "us-east-1")
        .insert("aws:SourceIp", "10.1.2.3")
        .insert("aws:SecureTransport", "true")
        .insert("aws:CurrentTime", "2026-11-24T12:00:00Z")
        .insert("aws:PrincipalTag/team", "platform");
    ctx
}

fn benches(c: &mut Criterion) {
    let policies = hierarchy(5, 3, 10);
    let levels = levels(&policies);
    let ctx = context("444455556666");
    let request = Request {
        action: "s3:GetObject",
        resource: "arn:aws:s3:::data-lake/raw/2026/11/24/part-0001.parquet",
        context: &ctx,
    };

    let mut group = c.benchmark_group("decisions");
    group.throughput(Throughput::Elements(1));
    group.bench_function("5 levels x 3 policies x 10 statements, verdict only", |b| {
        b.iter(|| decide_scps(black_box(&levels), black_box(&request)))
    });
    group.bench_function("5 levels x 3 policies x 10 statements, with reasons", |b| {
        b.iter(|| explain_scps(black_box(&levels), black_box(&request)))
    });
    group.finish();

    let statements: Vec<_> = policies
        .iter()
        .flatten()
        .flat_map(|p| p.statements())
        .collect();
    let mut group = c.benchmark_group("statements");
    group.throughput(Throughput::Elements(statements.len() as u64));
    group.bench_function("statement evaluations (150 per iteration)", |b| {
        b.iter(|| {
            let prepared = Prepared::new(black_box(&request));
            statements
                .iter()
                .filter(|s| s.matches_prepared(&prepared))
                .count()
        })
    });
    group.finish();

    // The governance matrix: can each of 10,000 member accounts create an Identity Center
    // instance or a Kiro profile? Root + OU + account, each with FullAWSAccess and a guard rail.
    let full =
        Policy::parse(r#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}"#)
            .expect("valid");
    let guard = Policy::parse(r#"{"Version": "2012-10-17", "Statement": [
        {"Sid": "DenyAccountInstances", "Effect": "Deny", "Action": "sso:CreateInstance", "Resource": "*"},
        {"Sid": "DenyProfilesOutsidePlatform", "Effect": "Deny", "Action": "codewhisperer:CreateProfile", "Resource": "*",
         "Condition": {"StringNotEquals": {"aws:PrincipalAccount": ["111111111111", "222222222222"]}}}]}"#)
        .expect("valid");
    let ou_policies = hierarchy(1, 2, 10).remove(0);
    let accounts: Vec<(String, Context)> = (0..10_000u64)
        .map(|i| {
            let id = format!("{:012}", 100_000_000_000 + i);
            let ctx = context(&id);
            (id, ctx)
        })
        .collect();
    let matrix_levels = vec![
        Level {
            name: "root".into(),
            policies: vec![("FullAWSAccess", &full), ("guard", &guard)],
        },
        Level {
            name: "OU workloads".into(),
            policies: std::iter::once(("FullAWSAccess", &full))
                .chain(ou_policies.iter().map(|p| ("ou", p)))
                .collect(),
        },
        Level {
            name: "account".into(),
            policies: vec![("FullAWSAccess", &full)],
        },
    ];
    let mut group = c.benchmark_group("governance matrix");
    group.throughput(Throughput::Elements(20_000));
    group.bench_function("10,000 accounts x 2 actions", |b| {
        b.iter(|| {
            let mut allowed = 0usize;
            for (_, ctx) in &accounts {
                for action in ["sso:CreateInstance", "codewhisperer:CreateProfile"] {
                    let request = Request {
                        action,
                        resource: "*",
                        context: ctx,
                    };
                    if decide_scps(&matrix_levels, &request).kind() == "Allowed" {
                        allowed += 1;
                    }
                }
            }
            allowed
        })
    });
    group.finish();
}

criterion_group!(scp, benches);
criterion_main!(scp);
