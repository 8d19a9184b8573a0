//! Crash safety: the `kiro-org` binary under a write load is killed with SIGKILL, restarted on
//! the same data directory, and must still have every acknowledged write; its export must pass
//! `kiro-org check`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The `kiro-org` binary of this build (`target/<profile>/kiro-org`), built if missing.
fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap().to_owned();
    let bin = profile_dir.join("kiro-org");
    if !bin.exists() {
        // Built by `cargo test --workspace` with the root package's tests; when this crate is
        // tested alone, build it here (bounded, so a held build lock fails instead of hanging).
        let target_dir = profile_dir.parent().unwrap();
        let mut build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["build", "--bin", "kiro-org"])
            .env("CARGO_TARGET_DIR", target_dir)
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(1200);
        let status = loop {
            if let Some(status) = build.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = build.kill();
                panic!("building kiro-org took too long: run `cargo build --bin kiro-org` first");
            }
            std::thread::sleep(Duration::from_millis(200));
        };
        assert!(status.success(), "cannot build kiro-org");
    }
    bin
}

fn serve(data: &Path, seed: Option<&Path>) -> (Child, std::net::SocketAddr) {
    let mut cmd = Command::new(binary());
    cmd.arg("serve")
        .arg("--data")
        .arg(data)
        .args(["--port", "0"]);
    if let Some(seed) = seed {
        cmd.arg("--estate").arg(seed);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("first line `{line}`"))
        .parse()
        .unwrap();
    (child, addr)
}

fn call(addr: std::net::SocketAddr, target: &str, body: &str) -> (u16, String) {
    let (status, _, body) = common::http(
        addr,
        &common::aws_request(target, "application/x-amz-json-1.1", body),
    );
    (status, body)
}

fn all_users(addr: std::net::SocketAddr, store: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let body = match &token {
            Some(t) => format!(r#"{{"IdentityStoreId": "{store}", "NextToken": "{t}"}}"#),
            None => format!(r#"{{"IdentityStoreId": "{store}"}}"#),
        };
        let (status, text) = call(addr, "AWSIdentityStore.ListUsers", &body);
        assert_eq!(status, 200, "{text}");
        let v: Value = serde_json::from_str(&text).unwrap();
        names.extend(
            v["Users"]
                .as_array()
                .unwrap()
                .iter()
                .map(|u| u["UserName"].as_str().unwrap().to_owned()),
        );
        match v["NextToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => return names,
        }
    }
}

#[test]
fn kill_nine_loses_no_acknowledged_write() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed.yaml");
    let (mut child, addr) = serve(&data, Some(&seed));
    let (status, text) = call(addr, "SWBExternalService.ListInstances", "{}");
    assert_eq!(status, 200, "{text}");
    let store = serde_json::from_str::<Value>(&text).unwrap()["Instances"][0]["IdentityStoreId"]
        .as_str()
        .unwrap()
        .to_owned();

    // Four writers create users as fast as the server acknowledges them.
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (stop, store) = (Arc::clone(&stop), store.clone());
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                for i in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let name = format!("load-{w}-{i}");
                    let body = format!(
                        r#"{{"IdentityStoreId": "{store}", "UserName": "{name}", "Emails": [{{"Value": "{name}@example.com", "Primary": true}}]}}"#
                    );
                    match std::panic::catch_unwind(|| call(addr, "AWSIdentityStore.CreateUser", &body)) {
                        Ok((200, _)) => acked.push(name),
                        _ => break,
                    }
                }
                acked
            })
        })
        .collect();
    let started = Instant::now();
    std::thread::sleep(Duration::from_millis(1500));
    child.kill().unwrap(); // SIGKILL, mid-load
    child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let acked: Vec<String> = writers
        .into_iter()
        .flat_map(|w| w.join().unwrap())
        .collect();
    assert!(
        acked.len() > 10,
        "only {} writes in {:?}",
        acked.len(),
        started.elapsed()
    );

    let (mut child, addr) = serve(&data, None);
    let users = all_users(addr, &store);
    let missing: Vec<_> = acked.iter().filter(|n| !users.contains(n)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged writes lost: {missing:?}",
        missing.len(),
        acked.len()
    );
    // Writes go on after the restart.
    let body = format!(
        r#"{{"IdentityStoreId": "{store}", "UserName": "after-restart", "Emails": [{{"Value": "a@example.com"}}]}}"#
    );
    assert_eq!(call(addr, "AWSIdentityStore.CreateUser", &body).0, 200);
    child.kill().unwrap();
    child.wait().unwrap();

    let out = dir.path().join("exported.yaml");
    let export = Command::new(binary())
        .arg("export")
        .arg("--data")
        .arg(&data)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&export.stderr);
    assert!(export.status.success(), "{said}");
    assert!(
        said.contains("exported the state of") && said.contains("kiro-org check"),
        "export says what it wrote and what to run next: {said}"
    );
    let check = Command::new(binary())
        .arg("check")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let exported = kiro_estate::Estate::load(&out).unwrap();
    let inst = exported.instances.iter().next().unwrap();
    assert!(acked.iter().all(|n| inst.users.contains(n.as_str())));
    assert!(inst.users.contains("after-restart"));
}
