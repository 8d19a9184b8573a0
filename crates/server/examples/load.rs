//! Load benchmark: requests per second and latency (p50, p99) of `kiro-org serve` and of moto's
//! server, side by side on this machine, over loopback only.
//!
//! Workloads, on a store of 10,000 users:
//! - `ListUsers`, paged (`MaxResults` 100): each client walks the pages with `NextToken`, starting
//!   over at the end.
//! - `CreateApplicationAssignment`: each request assigns another user (every one a durable,
//!   fsynced write). moto has no application APIs (it answers 500), so its figure is for the
//!   nearest write it has, SSO Admin's `CreateAccountAssignment`.
//!
//! Every run is bounded in requests and in time. Run with
//! `cargo run --release -p kiro-server --example load -- [--users N] [--clients C] [--seconds S] [--no-moto]`
//! (moto's server comes from `$KIRO_ORG_VENV` or the workspace's `.venv`: `bash scripts/test-deps.sh`).
//!
//! Figures on the 2-core development machine (release build, moto 5.2.5), requests per second
//! and p99:
//!
//! | clients | workload | kiro-org | moto |
//! |---|---|---|---|
//! | 32 | ListUsers, 100/page | 14,909 (p99 4.4 ms) | 14 (p99 2,386 ms) |
//! | 32 | assignment write | 23,638 (p99 4.6 ms) | 261 (p99 155 ms) |
//! | 128 | ListUsers, 100/page | 16,860 (p99 14 ms) | 20 (p99 6,743 ms) |
//! | 128 | assignment write | 29,414 (p99 9.3 ms) | 490 (p99 513 ms) |
//!
//! Every kiro-org write is fsynced before it is acknowledged, so write throughput grows with
//! concurrency (group commit puts the writes that arrive during one fsync into the next).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark driver"
)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The allocator of the `kiro-org` binary, so the server is measured as it ships.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// What a paging client reads of a `ListUsers` page: how many users, and the next token (the
/// users themselves are checked to be well-formed JSON and skipped).
#[derive(serde::Deserialize)]
struct UsersPage {
    #[serde(rename = "Users")]
    users: Vec<serde::de::IgnoredAny>,
    #[serde(rename = "NextToken")]
    next_token: Option<String>,
}
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Args {
    users: usize,
    clients: usize,
    seconds: u64,
    max_requests: usize,
    moto: bool,
}

fn args() -> Args {
    let mut a = Args {
        users: 10_000,
        clients: 32,
        seconds: 10,
        max_requests: 200_000,
        moto: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut num = || {
            it.next()
                .and_then(|v| v.parse::<usize>().ok())
                .expect("a number")
        };
        match flag.as_str() {
            "--users" => a.users = num(),
            "--clients" => a.clients = num(),
            "--seconds" => a.seconds = num() as u64,
            "--max-requests" => a.max_requests = num(),
            "--no-moto" => a.moto = false,
            other => panic!("unknown flag `{other}`"),
        }
    }
    a
}

/// A tiny HTTP/1.1 client: keeps the connection when the server does, reconnects otherwise.
struct Conn {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn new(addr: SocketAddr) -> Self {
        Self { addr, stream: None }
    }

    async fn call(&mut self, service: &str, target: &str, body: &str) -> (u16, String) {
        for _ in 0..3 {
            if self.stream.is_none() {
                let s = TcpStream::connect(self.addr).await.expect("connect");
                s.set_nodelay(true).ok();
                self.stream = Some(BufReader::new(s));
            }
            match self.exchange(service, target, body).await {
                Ok(r) => return r,
                Err(_) => self.stream = None,
            }
        }
        panic!("{target}: the server does not answer");
    }

    async fn exchange(
        &mut self,
        service: &str,
        target: &str,
        body: &str,
    ) -> std::io::Result<(u16, String)> {
        let s = self.stream.as_mut().expect("connected");
        let req = format!(
            "POST / HTTP/1.1\r\nHost: {}\r\nX-Amz-Target: {target}\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Date: 20260101T000000Z\r\nAuthorization: AWS4-HMAC-SHA256 Credential=123456789012/20260101/us-east-1/{service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=00\r\nContent-Length: {}\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        s.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        if s.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let mut keep = line.starts_with("HTTP/1.1");
        let mut length = None;
        loop {
            let mut h = String::new();
            s.read_line(&mut h).await?;
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').unwrap_or((h, ""));
            match k.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = v.trim().parse::<usize>().ok(),
                "connection" if v.trim().eq_ignore_ascii_case("close") => keep = false,
                _ => {}
            }
        }
        let mut buf = Vec::new();
        match length {
            Some(n) => {
                buf.resize(n, 0);
                s.read_exact(&mut buf).await?;
            }
            None => {
                s.read_to_end(&mut buf).await?;
                keep = false;
            }
        }
        if !keep {
            self.stream = None;
        }
        let text = String::from_utf8(buf)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Ok((status, text))
    }
}

struct Report {
    requests: usize,
    errors: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

impl Report {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.elapsed.as_secs_f64()
    }
    fn percentile(&self, p: f64) -> Duration {
        let mut l = self.latencies.clone();
        l.sort_unstable();
        l.get(((l.len() as f64 * p) as usize).min(l.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    }
}

/// Runs `clients` loops of `step` until `max` requests or `seconds` have passed.
async fn run<F, Fut>(clients: usize, seconds: u64, max: usize, step: F) -> Report
where
    F: Fn(usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let step = Arc::new(step);
    let issued = Arc::new(AtomicUsize::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (step, issued) = (Arc::clone(&step), Arc::clone(&issued));
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut errors) = (Vec::new(), 0);
            loop {
                let n = issued.fetch_add(1, Ordering::Relaxed);
                if n >= max || Instant::now() >= deadline {
                    break;
                }
                let t = Instant::now();
                if !step(c, n).await {
                    errors += 1;
                }
                lat.push(t.elapsed());
            }
            (lat, errors)
        }));
    }
    let mut report = Report {
        requests: 0,
        errors: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for t in tasks {
        let (lat, errors) = t.await.unwrap();
        report.requests += lat.len();
        report.errors += errors;
        report.latencies.extend(lat);
    }
    report.elapsed = start.elapsed();
    report
}

fn estate_yaml(users: usize) -> String {
    let mut y = String::from(
        "version: 1\naccounts:\n  - {id: \"123456789012\", name: management, email: root@example.com}\norganizations:\n  - management: \"123456789012\"\ninstances:\n  - account: \"123456789012\"\n    kind: organization\n    region: us-east-1\n    created: 2024-04-02\n    users:\n",
    );
    for i in 0..users {
        y.push_str(&format!(
            "      - {{user-name: user{i:05}, email: user{i:05}@example.com}}\n"
        ));
    }
    y.push_str("profiles:\n  - {account: \"123456789012\", region: us-east-1, instance: \"123456789012\"}\n");
    y
}

fn venv_bin(tool: &str) -> PathBuf {
    let venv = std::env::var_os("KIRO_ORG_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv"));
    venv.join("bin").join(tool)
}

struct Moto(Child);
impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn list_users_workload(addr: SocketAddr, store: String, a: &Args) -> Report {
    let conns: Vec<_> = (0..a.clients)
        .map(|_| tokio::sync::Mutex::new((Conn::new(addr), None::<String>)))
        .collect();
    let conns = Arc::new(conns);
    run(a.clients, a.seconds, a.max_requests, move |c, _| {
        let (conns, store) = (Arc::clone(&conns), store.clone());
        async move {
            let mut guard = conns[c].lock().await;
            let (conn, token) = &mut *guard;
            let body = match token.take() {
                Some(t) => json!({"IdentityStoreId": store, "MaxResults": 100, "NextToken": t}),
                None => json!({"IdentityStoreId": store, "MaxResults": 100}),
            };
            let (status, text) = conn
                .call(
                    "identitystore",
                    "AWSIdentityStore.ListUsers",
                    &body.to_string(),
                )
                .await;
            if status != 200 {
                return false;
            }
            let Ok(page) = serde_json::from_str::<UsersPage>(&text) else {
                return false;
            };
            *token = page.next_token;
            !page.users.is_empty()
        }
    })
    .await
}

async fn write_workload(
    addr: SocketAddr,
    a: &Args,
    service: &'static str,
    target: &'static str,
    body: Arc<dyn Fn(usize) -> String + Send + Sync>,
) -> Report {
    let conns: Arc<Vec<_>> = Arc::new(
        (0..a.clients)
            .map(|_| tokio::sync::Mutex::new(Conn::new(addr)))
            .collect(),
    );
    run(
        a.clients,
        a.seconds,
        a.max_requests.min(a.users),
        move |c, n| {
            let (conns, body) = (Arc::clone(&conns), Arc::clone(&body));
            async move {
                let mut conn = conns[c].lock().await;
                let (status, _) = conn.call(service, target, &body(n)).await;
                status == 200
            }
        },
    )
    .await
}

fn print(server: &str, workload: &str, r: &Report) {
    println!(
        "{server:<10} {workload:<38} {:>8} req {:>6.2} s {:>10.0} req/s  p50 {:>8.2} ms  p99 {:>8.2} ms  errors {}",
        r.requests,
        r.elapsed.as_secs_f64(),
        r.rps(),
        r.percentile(0.50).as_secs_f64() * 1e3,
        r.percentile(0.99).as_secs_f64() * 1e3,
        r.errors
    );
}

#[tokio::main]
async fn main() {
    let a = args();
    println!(
        "{} users, {} clients, at most {} s and {} requests per workload, loopback",
        a.users, a.clients, a.seconds, a.max_requests
    );

    // kiro-org serve, in process, over a fresh SQLite store.
    let dir = tempfile::tempdir().unwrap();
    let estate = kiro_estate::Estate::from_text(&estate_yaml(a.users), kiro_estate::Format::Yaml)
        .expect("estate");
    let mut config = kiro_server::Config::new(dir.path());
    config.seed = Some(estate);
    let server = kiro_server::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let ours = server.addr;
    let mut c = Conn::new(ours);
    let (_, inst) = c
        .call("sso", "SWBExternalService.ListInstances", "{}")
        .await;
    let inst: Value = serde_json::from_str(&inst).unwrap();
    let store = inst["Instances"][0]["IdentityStoreId"]
        .as_str()
        .unwrap()
        .to_owned();
    let instance_arn = inst["Instances"][0]["InstanceArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, apps) = c
        .call(
            "sso",
            "SWBExternalService.ListApplications",
            &json!({"InstanceArn": instance_arn}).to_string(),
        )
        .await;
    let app_arn =
        serde_json::from_str::<Value>(&apps).unwrap()["Applications"][0]["ApplicationArn"]
            .as_str()
            .unwrap()
            .to_owned();
    let user_ids: Arc<Vec<kiro_estate::Name>> = Arc::new(
        (0..a.users)
            .map(|i| kiro_estate::ids::principal_id(&store, "user", &format!("user{i:05}")))
            .collect(),
    );

    let r = list_users_workload(ours, store.clone(), &a).await;
    print("kiro-org", "ListUsers (paged, 100/page)", &r);
    let ours_list = r.rps();
    let ids = Arc::clone(&user_ids);
    let body: Arc<dyn Fn(usize) -> String + Send + Sync> = Arc::new(move |n| {
        json!({"ApplicationArn": app_arn, "PrincipalId": ids[n % ids.len()], "PrincipalType": "USER"}).to_string()
    });
    let r = write_workload(
        ours,
        &a,
        "sso",
        "SWBExternalService.CreateApplicationAssignment",
        body,
    )
    .await;
    print("kiro-org", "CreateApplicationAssignment", &r);
    let ours_write = r.rps();

    if !a.moto {
        return;
    }
    let bin = venv_bin("moto_server");
    assert!(
        bin.exists(),
        "`{}` is missing: run `bash scripts/test-deps.sh`",
        bin.display()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let _moto = Moto(
        Command::new(bin)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let moto: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(moto).await.is_err() {
        assert!(Instant::now() < deadline, "moto_server did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Seed moto with the same users (moto takes any identity store id).
    let seeded = Instant::now();
    let store2 = store.clone();
    let seed_args = Args {
        users: a.users,
        clients: 8,
        seconds: 600,
        max_requests: a.users,
        moto: true,
    };
    let body: Arc<dyn Fn(usize) -> String + Send + Sync> = Arc::new(move |n| {
        json!({"IdentityStoreId": store2, "UserName": format!("user{n:05}"), "DisplayName": format!("User {n}"), "Name": {"GivenName": "User", "FamilyName": format!("N{n}")}, "Emails": [{"Value": format!("user{n:05}@example.com"), "Primary": true}]}).to_string()
    });
    let r = write_workload(
        moto,
        &seed_args,
        "identitystore",
        "AWSIdentityStore.CreateUser",
        body,
    )
    .await;
    println!(
        "(moto seeded with {} users in {:.1} s)",
        r.requests - r.errors,
        seeded.elapsed().as_secs_f64()
    );
    let r = list_users_workload(moto, store.clone(), &a).await;
    print("moto", "ListUsers (paged, 100/page)", &r);
    let moto_list = r.rps();
    // moto's nearest write: CreateAccountAssignment of a permission set to a user.
    let mut c = Conn::new(moto);
    let (_, inst) = c
        .call("sso", "SWBExternalService.ListInstances", "{}")
        .await;
    let moto_instance =
        serde_json::from_str::<Value>(&inst).unwrap()["Instances"][0]["InstanceArn"]
            .as_str()
            .unwrap()
            .to_owned();
    let (_, ps) = c
        .call(
            "sso",
            "SWBExternalService.CreatePermissionSet",
            &json!({"InstanceArn": moto_instance, "Name": "KiroUsers"}).to_string(),
        )
        .await;
    let ps = serde_json::from_str::<Value>(&ps).unwrap()["PermissionSet"]["PermissionSetArn"]
        .as_str()
        .unwrap()
        .to_owned();
    let ids = Arc::clone(&user_ids);
    let body: Arc<dyn Fn(usize) -> String + Send + Sync> = Arc::new(move |n| {
        json!({"InstanceArn": moto_instance, "TargetId": "123456789012", "TargetType": "AWS_ACCOUNT", "PermissionSetArn": ps, "PrincipalType": "USER", "PrincipalId": ids[n % ids.len()]}).to_string()
    });
    let r = write_workload(
        moto,
        &a,
        "sso",
        "SWBExternalService.CreateAccountAssignment",
        body,
    )
    .await;
    print("moto", "CreateAccountAssignment (nearest write)", &r);
    let moto_write = r.rps();
    println!(
        "kiro-org / moto: ListUsers {:.1}x, writes {:.1}x",
        ours_list / moto_list,
        ours_write / moto_write
    );
    server.abort();
}
