//! The shared SCP corpus (`../shared/data/scp-corpus/`), read where it is, never copied.
#![allow(dead_code, reason = "each test binary uses what it needs")]

use std::path::{Path, PathBuf};

use kiro_policy::PolicyError;
use serde_json::json;

pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/scp-corpus")
}

pub fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
    {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// The aws-iam-permissions-guardrails files describe a guardrail (`IAM Actions`, `Resource`,
/// a list of `Condition` objects) rather than holding a policy document: this builds the deny
/// statement each describes, as that repository's tooling does.
pub fn guardrail_policy(text: &str) -> Result<serde_json::Value, PolicyError> {
    let g: serde_json::Value = serde_json::from_str(text).map_err(|e| PolicyError::Malformed {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    let mut statement = json!({
        "Sid": "Guardrail",
        "Effect": "Deny",
        "Action": g["IAM Actions"].clone(),
        "Resource": g.get("Resource").cloned().unwrap_or(json!("*")),
    });
    if let Some(conditions) = g.get("Condition").and_then(|c| c.as_array()) {
        let mut merged = serde_json::Map::new();
        for c in conditions {
            for (op, keys) in c.as_object().unwrap() {
                let entry = merged.entry(op.clone()).or_insert_with(|| json!({}));
                for (k, v) in keys.as_object().unwrap() {
                    entry[k] = v.clone();
                }
            }
        }
        statement["Condition"] = serde_json::Value::Object(merged);
    }
    Ok(json!({"Version": "2012-10-17", "Statement": [statement]}))
}

/// Every document of the corpus, sorted by path, with its text made a policy document (the
/// guardrail descriptions become the deny statement they describe).
pub fn documents() -> Vec<(PathBuf, Result<kiro_policy::Policy, PolicyError>)> {
    let dir = corpus_dir();
    assert!(
        dir.is_dir(),
        "the SCP corpus is missing at {}: CI must have shared/ beside the checkout",
        dir.display()
    );
    let mut files = Vec::new();
    json_files(&dir, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file).unwrap();
            let policy = if text.contains("\"Guardrail\"") {
                guardrail_policy(&text).and_then(|v| kiro_policy::Policy::from_value(&v))
            } else {
                kiro_policy::Policy::parse(&text)
            };
            (file, policy)
        })
        .collect()
}
