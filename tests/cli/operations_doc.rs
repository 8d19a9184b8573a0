//! `docs/operations.md` against the one vocabulary (`kiro_estate::Op`): every operation, every
//! parameter with whether it is required, and the IAM action the engine asks for, so the page
//! cannot drift from the code. The vocabulary is read through serde's own answers (the
//! operations and fields it expects), not by a second list.

use std::collections::BTreeSet;

use kiro_estate::{Estate, Op};
use serde_json::{Value, json};

use crate::support::repo;

/// The backticked words serde lists after "expected" in `err` (`a`; `a` or `b`; one of …).
fn expected(err: &str) -> BTreeSet<String> {
    let list = err
        .split(", expected ")
        .nth(1)
        .unwrap_or_else(|| panic!("no list in `{err}`"));
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

fn parse(item: &Value) -> Result<Op, String> {
    serde_json::from_value::<Op>(item.clone()).map_err(|e| e.to_string())
}

struct Section {
    name: String,
    /// (parameter, required)
    params: Vec<(String, bool)>,
    action: String,
    example: Value,
}

fn sections() -> Vec<Section> {
    let doc = std::fs::read_to_string(repo("docs/operations.md")).unwrap();
    doc.split("\n## `")
        .skip(1)
        .map(|part| {
            let name = part.split('`').next().unwrap().to_owned();
            let params = part
                .lines()
                .filter(|l| l.starts_with("| `"))
                .map(|l| {
                    let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                    let required = match cells[3] {
                        "required" => true,
                        "optional" => false,
                        other => panic!("`{name}`: `{other}` is neither required nor optional"),
                    };
                    (cells[1].trim_matches('`').to_owned(), required)
                })
                .collect();
            let action = part
                .lines()
                .find_map(|l| l.strip_prefix("IAM action: "))
                .unwrap_or_else(|| panic!("`{name}` names no IAM action"))
                .to_owned();
            let yaml = part
                .split("```yaml\n")
                .nth(1)
                .and_then(|y| y.split("```").next())
                .unwrap_or_else(|| panic!("`{name}` has no example"));
            let list: Vec<Value> = serde_saphyr::from_str(yaml).unwrap();
            Section {
                name,
                params,
                action,
                example: list.into_iter().next().unwrap(),
            }
        })
        .collect()
}

#[test]
fn every_operation_and_parameter_of_the_vocabulary_is_documented() {
    let sections = sections();
    let all_ops = expected(&parse(&json!({"op": "no-such-operation"})).unwrap_err());
    let documented: BTreeSet<String> = sections.iter().map(|s| s.name.clone()).collect();
    assert_eq!(documented, all_ops, "docs/operations.md against `Op`");
    for s in &sections {
        let op = parse(&s.example).unwrap_or_else(|e| panic!("`{}`'s example: {e}", s.name));
        assert_eq!(op.name(), s.name);
        // Every parameter, and no other.
        let mut unknown = s.example.clone();
        unknown["no-such-parameter"] = json!(1);
        let fields = expected(&parse(&unknown).unwrap_err());
        let listed: BTreeSet<String> = s.params.iter().map(|(p, _)| p.clone()).collect();
        assert_eq!(listed, fields, "the parameters of `{}`", s.name);
        // Required ones cannot be left out; optional ones can.
        for (param, required) in &s.params {
            let mut without = s.example.clone();
            let had = without.as_object_mut().unwrap().remove(param).is_some();
            assert!(
                had || !required,
                "`{}`'s example lacks required `{param}`",
                s.name
            );
            if had {
                assert_eq!(
                    parse(&without).is_err(),
                    *required,
                    "`{}` without `{param}`",
                    s.name
                );
            }
        }
        // The IAM action: what the engine asks of a first such operation.
        let wanted = match kiro_engine::required_action(&Estate::empty(), &op) {
            None => "— (the management account)".to_owned(),
            Some(r) => r
                .actions
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let first = s.action.split(" (re-").next().unwrap();
        assert_eq!(first, wanted, "the IAM action of `{}`", s.name);
    }
}

#[test]
fn the_readme_links_the_operations_page() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    assert!(readme.contains("(docs/operations.md)"));
}
