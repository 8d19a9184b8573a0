//! What the server's integration tests share: a server started in-process on 127.0.0.1:0 from
//! the fixture estate, SDK configuration, and where the Python tools are.
#![allow(dead_code, reason = "each test binary uses part of this")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::path::{Path, PathBuf};

use kiro_estate::Estate;
use kiro_server::{Config, Server};

/// The fixture estate.
pub fn fixture() -> Estate {
    Estate::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed.yaml"))
        .expect("fixture loads")
}

/// The fixture with a standalone account 777777777777 (in no organization).
pub fn with_standalone_account() -> Estate {
    let mut estate = fixture();
    let _ = estate.accounts.insert(kiro_estate::Account {
        id: kiro_estate::AccountId::new("777777777777"),
        name: "solo".to_owned(),
        email: Some("solo@example.com".to_owned()),
        organization: None,
        parent: None,
        joined: None,
        closed: None,
    });
    estate
}

/// The fixture moved to the China regions: every instance and profile in `cn-north-1`, which
/// the simulator is told Kiro runs in.
pub fn in_china() -> Estate {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed.yaml");
    let text = std::fs::read_to_string(path)
        .expect("fixture reads")
        .replace("region: us-east-1", "region: cn-north-1")
        .replace(
            "version: 1\n",
            "version: 1\nsimulator: {kiro-regions: [cn-north-1]}\n",
        );
    Estate::from_text(&text, kiro_estate::Format::Yaml).expect("fixture in China loads")
}

/// A server on 127.0.0.1:0 over a fresh data directory seeded with `estate`.
pub async fn start_with(estate: Estate) -> (Server, tempfile::TempDir, String) {
    start_configured(estate, |_| {}).await
}

/// A server on 127.0.0.1:0 over a fresh data directory seeded with `estate`, its configuration
/// changed by `configure` first.
pub async fn start_configured(
    estate: Estate,
    configure: impl FnOnce(&mut Config),
) -> (Server, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut config = Config::new(dir.path());
    config.seed = Some(estate);
    configure(&mut config);
    let server = kiro_server::start(config, "127.0.0.1:0".parse().expect("addr"))
        .await
        .expect("server starts");
    let url = format!("http://{}", server.addr);
    (server, dir, url)
}

/// A server seeded with the fixture.
pub async fn start() -> (Server, tempfile::TempDir, String) {
    start_with(fixture()).await
}

/// SDK configuration for `url`, signing as `access_key`, without retries.
pub async fn sdk(url: &str, access_key: &str) -> aws_config::SdkConfig {
    sdk_signed(url, access_key, "secret").await
}

/// SDK configuration for `url`, signing as `access_key` with `secret`, without retries.
pub async fn sdk_signed(url: &str, access_key: &str, secret: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .endpoint_url(url)
        .region(aws_config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_ssoadmin::config::Credentials::new(
            access_key, secret, None, None, "test",
        ))
        .retry_config(aws_config::retry::RetryConfig::disabled())
        .load()
        .await
}

/// The virtualenv with the AWS CLI, moto and botocore (`scripts/test-deps.sh` makes it):
/// `$KIRO_ORG_VENV` or the workspace's `.venv`. A missing tool fails the test: these tests
/// are the proof that the real clients work, so they must not pass by skipping.
pub fn venv_bin(tool: &str) -> PathBuf {
    let venv = std::env::var_os("KIRO_ORG_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv"));
    let path = venv.join("bin").join(tool);
    assert!(
        path.exists(),
        "`{}` is missing: run `bash scripts/test-deps.sh` (or set KIRO_ORG_VENV to a virtualenv with awscli, moto[server] and botocore)",
        path.display()
    );
    path
}

/// Environment for the AWS CLI and botocore against the server: dummy credentials, a region,
/// one attempt, no config files of the machine.
pub fn cli_env(cmd: &mut std::process::Command, access_key: &str) {
    cmd.env("AWS_ACCESS_KEY_ID", access_key)
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL");
}

/// A raw AWS JSON 1.0 request signed with botocore's SigV4Auth, as public admin scripts send
/// the Kiro subscription APIs: `(status, body)`.
pub fn signed(
    url: &str,
    access_key: &str,
    service: &str,
    region: &str,
    target: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/kiro_subscribe.py");
    let mut cmd = std::process::Command::new(venv_bin("python"));
    cli_env(&mut cmd, access_key);
    let out = cmd
        .arg(script)
        .args([url, service, region, target, &body.to_string()])
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json line");
    (
        u16::try_from(v["status"].as_u64().unwrap()).unwrap(),
        v["body"].clone(),
    )
}

/// A raw HTTP/1.1 exchange on loopback: `(status, headers lowercased, body)`.
pub fn http(addr: std::net::SocketAddr, request: &[u8]) -> (u16, Vec<(String, String)>, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .expect("timeout");
    s.write_all(request).expect("write");
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

/// A signed-looking (unverified) JSON request to `POST /`.
pub fn aws_request(target: &str, content_type: &str, body: &str) -> Vec<u8> {
    aws_request_as("AKIDTEST", target, content_type, body)
}

/// A signed-looking (unverified) JSON request to `POST /` with the access key `access_key`
/// (a 12-digit key acts as that account).
pub fn aws_request_as(access_key: &str, target: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Amz-Target: {target}\r\nContent-Type: {content_type}\r\nAuthorization: AWS4-HMAC-SHA256 Credential={access_key}/20260101/us-east-1/sso/aws4_request, SignedHeaders=host, Signature=00\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// Checks every `(service, operation, output)` strictly against botocore's service model (no
/// member the model lacks, required members, types, enums, lengths and patterns), failing with
/// every problem found.
pub fn check_shapes(calls: &[(&str, &str, serde_json::Value)]) {
    use std::io::Write;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/check_shape.py");
    let mut child = std::process::Command::new(venv_bin("python"))
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python runs");
    let mut stdin = child.stdin.take().expect("stdin");
    for (service, operation, output) in calls {
        let line =
            serde_json::json!({"service": service, "operation": operation, "output": output});
        writeln!(stdin, "{line}").expect("write");
    }
    drop(stdin);
    let out = child.wait_with_output().expect("checker runs");
    assert!(
        out.status.success(),
        "answers that break botocore's model:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// A JSON 1.1 call to the server at `addr` as `access_key`: `(status, body)`.
pub fn json_call(
    addr: std::net::SocketAddr,
    access_key: &str,
    target: &str,
    body: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let (status, _, text) = http(
        addr,
        &aws_request_as(
            access_key,
            target,
            "application/x-amz-json-1.1",
            &body.to_string(),
        ),
    );
    let value = if text.trim().is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("`{text}` is not JSON: {e}"))
    };
    (status, value)
}
