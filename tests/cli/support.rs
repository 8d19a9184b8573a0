//! What every CLI test uses: the binary, the repository's and SPEC's files, output readers.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command as Std, Stdio};

use assert_cmd::Command;
use serde_json::Value;

/// The `kiro-org` binary under test.
pub fn kiro() -> Command {
    Command::cargo_bin("kiro-org").unwrap()
}

/// A file of the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// An example estate of the repository.
pub fn example(name: &str) -> PathBuf {
    repo("examples").join(name)
}

/// SPEC's worked examples, which CI keeps beside the checkout.
pub fn shared_example(name: &str) -> PathBuf {
    let path = repo("../shared/examples").join(name);
    assert!(
        path.exists(),
        "{} is missing: shared/ must sit beside the checkout",
        path.display()
    );
    path
}

/// Writes `text` to `name` in `dir`, for a test's own input files.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Output that must be JSON.
pub fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(output)))
}

/// Output as text.
pub fn text(output: &[u8]) -> String {
    String::from_utf8_lossy(output).into_owned()
}

/// `kiro-org serve` on a free port, stopped when dropped.
pub struct Serve {
    child: Child,
    /// Where it listens (`http://127.0.0.1:PORT`), its first line on stdout.
    pub url: String,
    stderr: BufReader<ChildStderr>,
}

impl Serve {
    /// What it said on stderr, up to and including the first line containing `until`.
    pub fn said_until(&mut self, until: &str) -> String {
        let mut said = String::new();
        let mut line = String::new();
        while self.stderr.read_line(&mut line).unwrap() > 0 {
            said.push_str(&line);
            if line.contains(until) {
                break;
            }
            line.clear();
        }
        said
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `kiro-org serve --port 0 --data DATA` from `estate`, with `extra` arguments.
pub fn serve_with(estate: &Path, data: &Path, extra: &[&str]) -> Serve {
    let mut child = Std::new(env!("CARGO_BIN_EXE_kiro-org"))
        .args(["serve", "--port", "0", "--estate"])
        .arg(estate)
        .arg("--data")
        .arg(data)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    assert!(url.starts_with("http://"), "{url:?}");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    Serve {
        child,
        url: url.trim().to_owned(),
        stderr,
    }
}

/// Starts `kiro-org serve --port 0 --data DATA` from `estate`.
pub fn serve(estate: &Path, data: &Path) -> Serve {
    serve_with(estate, data, &[])
}

/// The AWS CLI of the test virtualenv (`scripts/test-deps.sh` installs it; `KIRO_ORG_VENV`
/// names another), with dummy credentials naming `account`, against `url`.
pub fn aws_cli(url: &str, account: &str) -> Std {
    let venv = std::env::var_os("KIRO_ORG_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo(".venv"));
    let aws = venv.join("bin/aws");
    assert!(
        aws.exists(),
        "`{}` is missing: run `bash scripts/test-deps.sh`",
        aws.display()
    );
    let mut cmd = Std::new(aws);
    cmd.env("AWS_ACCESS_KEY_ID", account)
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .arg("--endpoint-url")
        .arg(url);
    cmd
}
