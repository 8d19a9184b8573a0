//! The SARIF the audit writes against the SARIF 2.1.0 JSON schema (the copy Microsoft's
//! `@microsoft/jest-sarif` ships, validated with the Ajv it depends on; installed from npm
//! at test time into `tests/sarif/`), and within GitHub code scanning's limits on an estate
//! with more findings than a run may hold.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use kiro_audit::render::{self, SARIF_MAX_RESULTS};
use kiro_audit::{Config, Report};
use kiro_billing::PriceBook;
use kiro_estate::Format;
use kiro_estate::generate::{Spec, generate};
use serde_json::Value;

fn audit(estate: &kiro_estate::Estate) -> Report {
    kiro_audit::audit(estate, &PriceBook::builtin().unwrap(), &Config::default())
}

fn validator_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif")
}

fn run(cmd: &mut Command, what: &str) -> std::process::Output {
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e} (node and npm are required)"));
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Writes `report` as SARIF to a file and validates it against the schema.
fn valid_sarif(report: &Report, regions: &[Option<kiro_estate::diagnostic::Location>]) -> Value {
    let dir = validator_dir();
    if !dir
        .join("node_modules/@microsoft/jest-sarif/package.json")
        .exists()
    {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
            "npm ci in tests/sarif",
        );
    }
    let file = tempfile::NamedTempFile::new().unwrap();
    render::write_sarif(
        report,
        "estate.yaml",
        regions,
        std::fs::File::create(file.path()).unwrap(),
    )
    .unwrap();
    run(
        Command::new("node")
            .arg(dir.join("validate.mjs"))
            .arg(file.path()),
        "the SARIF schema check",
    );
    serde_json::from_slice(&std::fs::read(file.path()).unwrap()).unwrap()
}

#[test]
fn the_example_audit_is_valid_sarif_with_regions() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/enterprise.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let estate = kiro_estate::Estate::read_text(&text, Format::Yaml)
        .unwrap()
        .estate;
    let report = audit(&estate);
    let regions = kiro_audit::place::regions(&report, &estate, &text, Format::Yaml);
    let sarif = valid_sarif(&report, &regions);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), report.findings.len());
    assert!(
        results
            .iter()
            .all(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].is_u64())
    );
}

#[test]
fn a_run_stays_within_code_scannings_limit_and_keeps_every_finding() {
    let spec = Spec {
        accounts: 200,
        ous: 20,
        users: 24_000,
        groups: 200,
        memberships: 48_000,
        profiles: 40,
        subscriptions: 120_000,
        seed: 7,
    };
    let estate = generate(&spec);
    let report = audit(&estate);
    assert!(
        report.findings.len() > SARIF_MAX_RESULTS,
        "the estate should have more findings than a run holds: {}",
        report.findings.len()
    );
    let sarif = valid_sarif(&report, &[]);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.len() <= SARIF_MAX_RESULTS,
        "{} results",
        results.len()
    );
    // Each finding is a result of its own or counted in its rule's summary.
    let kept: usize = results
        .iter()
        .map(|r| {
            r["properties"]["count"]
                .as_u64()
                .map_or(1, |n| usize::try_from(n).unwrap())
        })
        .sum();
    assert_eq!(kept, report.findings.len());
}
