//! What every CLI test uses: the binary, the repository's and SPEC's files, output readers.

use std::path::{Path, PathBuf};

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

/// Output that must be JSON.
pub fn json(output: &[u8]) -> Value {
    serde_json::from_slice(output)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(output)))
}

/// Output as text.
pub fn text(output: &[u8]) -> String {
    String::from_utf8_lossy(output).into_owned()
}
