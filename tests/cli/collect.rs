//! `kiro-org collect` end to end: the binary collects from the binary's `kiro-org serve`, and what
//! it writes passes `kiro-org check`; a collection with problems writes nothing.

use std::path::Path;

use crate::support::{example, serve, write};
use assert_cmd::Command;
use serde_json::Value;

fn collect(url: &str, out: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kiro-org").unwrap();
    cmd.args(["collect", "--endpoint-url", url, "--region", "us-east-1"])
        .args(["--instance-region", "eu-central-1"])
        .args([
            "--access-key-id",
            "AKIDMANAGEMENT",
            "--secret-access-key",
            "x",
        ])
        .args(["--max-attempts", "1", "--member-access-key-ids", "--out"])
        .arg(out)
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL");
    cmd
}

#[test]
fn collects_the_enterprise_into_a_file_that_checks() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&example("enterprise.yaml"), &dir.path().join("data"));
    let out = dir.path().join("collected.yaml");
    let assert = collect(&server.url, &out)
        .args(["--format", "json"])
        .assert()
        .success();
    let report: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert_eq!(report["accounts"], 11);
    assert_eq!(report["instances"], 2);
    assert_eq!(report["profiles"], 10);
    Command::cargo_bin("kiro-org")
        .unwrap()
        .arg("check")
        .arg(&out)
        .assert()
        .success();
    // The users' enterprise attributes come back from the Identity Store's extension.
    let as_json = dir.path().join("collected.json");
    collect(&server.url, &as_json).assert().success();
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&as_json).unwrap()).unwrap();
    let taro = v["instances"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["users"].as_array().unwrap())
        .find(|u| u["user-name"] == "taro" && u["email"] == "taro@acme.example.com")
        .unwrap();
    assert_eq!(
        taro["attributes"],
        serde_json::json!({"costCenter": "CC-100", "department": "platform"})
    );

    // The patterns of the organization's profiles, as the seed has them.
    let patterns = Command::cargo_bin("kiro-org")
        .unwrap()
        .args(["patterns", "--format", "json"])
        .arg(&out)
        .assert()
        .success();
    let text = String::from_utf8_lossy(&patterns.get_output().stdout).into_owned();
    assert!(text.contains("\"pattern\": 3"), "{text}");
    assert!(text.contains("\"pattern\": 4"), "{text}");

    // With the admin's export, settings and regions come back too.
    let merged = dir.path().join("merged.json");
    collect(&server.url, &merged)
        .arg("--merge")
        .arg(example("enterprise.yaml"))
        .assert()
        .success();
    let text = std::fs::read_to_string(&merged).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["organizations"][0]["governance"], "central");
    let lab = v["instances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["account"] == "300000000001")
        .unwrap();
    assert_eq!(lab["region"], "eu-central-1");
}

#[test]
fn a_collection_with_problems_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(
        &example("pattern-2-member-org-instance.yaml"),
        &dir.path().join("data"),
    );
    // An export whose subscription names a user that AWS's directory does not have.
    let mut export = std::fs::read_to_string(example("pattern-2-member-org-instance.yaml"))
        .unwrap()
        .replace(
            "      - {user-name: dave, email: dave@example.com, display-name: Dave}\n",
            "      - {user-name: dave, email: dave@example.com, display-name: Dave}\n      - {user-name: ghost, email: ghost@example.com}\n",
        );
    export = export.replace(
        "      - {group: data-team, plan: power}\n",
        "      - {group: data-team, plan: power}\n      - {user-name: ghost, plan: pro}\n",
    );
    assert!(export.contains("ghost, plan"));
    let export_path = write(dir.path(), "export.yaml", export);
    let out = dir.path().join("collected.yaml");
    let assert = collect(&server.url, &out)
        .arg("--no-subscriptions")
        .arg("--merge")
        .arg(&export_path)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(stderr.contains("ghost"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn an_unreachable_endpoint_is_a_failure_not_an_empty_estate() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let out = dir.path().join("collected.yaml");
    let assert = collect(&format!("http://127.0.0.1:{port}"), &out)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("DescribeOrganization"), "{stderr}");
    assert!(!out.exists());
}

/// `collect` with nothing configured: no keys in the environment, no config files, no instance
/// role (the metadata service is switched off), a home of its own.
fn unconfigured(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kiro-org").unwrap();
    cmd.arg("collect")
        .arg("--out")
        .arg(home.join("collected.yaml"));
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_CONFIG_FILE",
        "AWS_SHARED_CREDENTIALS_FILE",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_ENDPOINT_URL",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("AWS_EC2_METADATA_DISABLED", "true");
    cmd
}

#[test]
fn no_credentials_says_how_to_give_them() {
    let dir = tempfile::tempdir().unwrap();
    let assert = unconfigured(dir.path())
        .args(["--region", "us-east-1"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.starts_with("error: no AWS credentials"), "{stderr}");
    assert!(stderr.contains("help: pass `--profile NAME`"), "{stderr}");
    assert!(stderr.contains("AWS_ACCESS_KEY_ID"), "{stderr}");
    assert!(!stderr.contains("IMDS"), "{stderr}");
    assert!(!dir.path().join("collected.yaml").exists());
}

#[test]
fn no_region_says_how_to_give_one() {
    let dir = tempfile::tempdir().unwrap();
    let assert = unconfigured(dir.path())
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.starts_with("error: no region"), "{stderr}");
    assert!(stderr.contains("help: pass `--region REGION`"), "{stderr}");
}

#[test]
fn print_policy_is_the_read_only_actions_and_calls_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // Nothing configured: printing the policy needs no credentials and writes no estate.
    let assert = unconfigured(dir.path())
        .arg("--print-policy")
        .assert()
        .success();
    let policy: Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(policy["Version"], "2012-10-17");
    let statements = policy["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    let actions: Vec<&str> = statements[0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let expected: Vec<&str> = {
        let mut all: Vec<&str> = kiro_collect::Call::ALL.iter().map(|c| c.action()).collect();
        all.sort_unstable();
        all
    };
    assert_eq!(actions, expected);
    assert!(actions.contains(&"organizations:ListRoots"));
    assert!(actions.contains(&"user-subscriptions:ListUserSubscriptions"));
    assert!(!dir.path().join("collected.yaml").exists());

    let with_role = Command::cargo_bin("kiro-org")
        .unwrap()
        .args(["collect", "--print-policy", "--member-role", "KiroReader"])
        .assert()
        .success();
    let policy: Value = serde_json::from_slice(&with_role.get_output().stdout).unwrap();
    assert_eq!(policy["Statement"][1]["Action"], "sts:AssumeRole");
    assert_eq!(
        policy["Statement"][1]["Resource"],
        "arn:*:iam::*:role/KiroReader"
    );
}
