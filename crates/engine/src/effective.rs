//! Effective management policies: what the policies of one type attached from the root down to
//! an account add up to, merged as AWS documents its inheritance operators (Organizations user
//! guide, "Inheritance operators").
//!
//! From the root, through each OU, to the account, each policy changes the settings it
//! inherits. `@@assign` replaces a value (or a whole array), `@@append` adds values to an
//! inherited array, `@@remove` takes values out of one. `@@operators_allowed_for_child_policies`
//! on a setting limits which of them the levels below may use on it and on everything inside
//! it (`@@all`, some operators, or `@@none`), and a level below cannot lift a limit: an
//! operator a level may not use changes nothing, so the inherited setting stands. A setting
//! written without an operator is an `@@assign`. The effective policy shows the settings
//! without their operators.
//!
//! Authorization policies (SCPs and RCPs) have no effective policy: they are evaluated
//! ([`crate::authz`]).

use serde_json::{Map, Value};

use kiro_estate::{AccountId, Estate, Organization};

use crate::ops::policies::POLICY_TYPES;

const ASSIGN: &str = "@@assign";
const APPEND: &str = "@@append";
const REMOVE: &str = "@@remove";
/// The value-setting operators, in the order one setting's are applied.
const VALUE_OPERATORS: [&str; 3] = [ASSIGN, APPEND, REMOVE];
const CHILD_CONTROL: &str = "@@operators_allowed_for_child_policies";

/// The authorization policy types, which AWS evaluates rather than merges.
pub const AUTHORIZATION_TYPES: [&str; 2] = ["SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY"];

/// Why there is no effective policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NoEffective {
    /// Not a management policy type: an authorization type, or no type at all.
    NotManagement,
    /// The type is not enabled in the root.
    NotEnabled,
    /// No policy of the type is attached anywhere on the account's path.
    NoneAttached,
}

/// The effective policy of type `policy_type` for `account` of `org`: every policy of the type
/// attached to the root, each OU down to the account and the account itself, merged in that
/// order (policies at one level in the estate's order).
pub fn effective(
    estate: &Estate,
    org: &Organization,
    account: &AccountId,
    policy_type: &str,
) -> Result<Value, NoEffective> {
    if AUTHORIZATION_TYPES.contains(&policy_type) || !POLICY_TYPES.contains(&policy_type) {
        return Err(NoEffective::NotManagement);
    }
    if !org.policy_types.iter().any(|t| t == policy_type) {
        return Err(NoEffective::NotEnabled);
    }
    let parent = estate
        .account(account)
        .and_then(|a| a.parent.as_deref())
        .unwrap_or("root");
    let mut targets = vec!["root"];
    targets.extend(org.ou_path(parent).iter().map(|ou| ou.name.as_str()));
    targets.push(account.as_str());
    let mut merge = Merge::default();
    let mut attached = false;
    for target in targets {
        let mut limits = Vec::new();
        for p in org
            .typed_policies
            .iter()
            .filter(|p| p.policy_type == policy_type && p.targets.iter().any(|t| t == target))
        {
            attached = true;
            // The engine keeps only JSON objects as content; anything else adds nothing.
            if let Ok(Value::Object(document)) = serde_json::from_str::<Value>(&p.content) {
                merge.level(&document, &mut limits);
            }
        }
        merge.limits.extend(limits);
    }
    if attached {
        Ok(Value::Object(merge.settings))
    } else {
        Err(NoEffective::NoneAttached)
    }
}

/// The settings merged so far, and the limits the levels above set on the levels below.
#[derive(Default)]
struct Merge {
    settings: Map<String, Value>,
    /// A setting's path and the operators allowed inside it.
    limits: Vec<(Vec<String>, Vec<String>)>,
}

impl Merge {
    /// Merges one policy of the current level; the limits it sets are added to `limits`, for
    /// the levels below.
    fn level(
        &mut self,
        document: &Map<String, Value>,
        limits: &mut Vec<(Vec<String>, Vec<String>)>,
    ) {
        let mut path = Vec::new();
        merge_into(
            &mut self.settings,
            document,
            &mut path,
            &self.limits,
            limits,
        );
    }
}

/// Whether `operator` may change the setting at `path`, given the limits of the levels above.
fn allowed(limits: &[(Vec<String>, Vec<String>)], path: &[String], operator: &str) -> bool {
    limits
        .iter()
        .filter(|(at, _)| path.starts_with(at))
        .all(|(_, operators)| operators.iter().any(|o| o == operator || o == "@@all"))
}

/// The operators a child-control value allows (`@@none` allows none).
fn operators(value: &Value) -> Vec<String> {
    let listed: Vec<String> = match value {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Value::String(one) => vec![one.clone()],
        _ => Vec::new(),
    };
    listed.into_iter().filter(|o| o != "@@none").collect()
}

fn merge_into(
    settings: &mut Map<String, Value>,
    node: &Map<String, Value>,
    path: &mut Vec<String>,
    inherited: &[(Vec<String>, Vec<String>)],
    limits: &mut Vec<(Vec<String>, Vec<String>)>,
) {
    for (key, value) in node {
        if key == CHILD_CONTROL {
            limits.push((path.clone(), operators(value)));
            continue;
        }
        path.push(key.clone());
        match value {
            Value::Object(inner) if VALUE_OPERATORS.iter().any(|o| inner.contains_key(*o)) => {
                if let Some(control) = inner.get(CHILD_CONTROL) {
                    limits.push((path.clone(), operators(control)));
                }
                for operator in VALUE_OPERATORS {
                    if let Some(given) = inner.get(operator)
                        && allowed(inherited, path, operator)
                    {
                        set(settings, key, operator, given);
                    }
                }
            }
            Value::Object(inner) => {
                let entry = settings
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !entry.is_object() {
                    *entry = Value::Object(Map::new());
                }
                if let Value::Object(child) = entry {
                    merge_into(child, inner, path, inherited, limits);
                }
            }
            other => {
                if allowed(inherited, path, ASSIGN) {
                    set(settings, key, ASSIGN, other);
                }
            }
        }
        path.pop();
    }
}

/// Applies `operator` with `given` to the setting `key`.
fn set(settings: &mut Map<String, Value>, key: &str, operator: &str, given: &Value) {
    let values = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        one => vec![one.clone()],
    };
    match operator {
        APPEND => {
            let mut merged = settings.get(key).map(values).unwrap_or_default();
            for v in values(given) {
                if !merged.contains(&v) {
                    merged.push(v);
                }
            }
            settings.insert(key.to_owned(), Value::Array(merged));
        }
        REMOVE => {
            if let Some(current) = settings.get(key).map(values) {
                let removed = values(given);
                let kept = current.into_iter().filter(|v| !removed.contains(v));
                settings.insert(key.to_owned(), Value::Array(kept.collect()));
            }
        }
        _ => {
            settings.insert(key.to_owned(), given.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn merged(levels: &[Value]) -> Value {
        let mut merge = Merge::default();
        for level in levels {
            let mut limits = Vec::new();
            if let Value::Object(document) = level {
                merge.level(document, &mut limits);
            }
            merge.limits.extend(limits);
        }
        Value::Object(merge.settings)
    }

    #[test]
    fn assign_append_and_remove_merge_down_the_path() {
        let root = json!({"tags": {"costcenter": {
            "tag_key": {"@@assign": "CostCenter"},
            "tag_value": {"@@assign": ["100", "200"]},
        }}});
        let ou = json!({"tags": {"costcenter": {"tag_value": {"@@append": ["300", "100"]}}}});
        let account = json!({"tags": {"costcenter": {"tag_value": {"@@remove": ["200"]}}}});
        assert_eq!(
            merged(&[root, ou, account]),
            json!({"tags": {"costcenter": {"tag_key": "CostCenter", "tag_value": ["100", "300"]}}})
        );
    }

    #[test]
    fn a_parent_limits_the_operators_of_the_levels_below() {
        let root = json!({"tags": {"project": {
            "tag_value": {
                "@@assign": ["a"],
                "@@operators_allowed_for_child_policies": ["@@append"],
            },
            "tag_key": {"@@assign": "Project", "@@operators_allowed_for_child_policies": ["@@none"]},
        }}});
        let child = json!({"tags": {"project": {
            "tag_value": {"@@assign": ["x"], "@@append": ["b"]},
            "tag_key": {"@@assign": "PROJECT"},
        }}});
        assert_eq!(
            merged(&[root, child]),
            json!({"tags": {"project": {"tag_value": ["a", "b"], "tag_key": "Project"}}})
        );
    }

    #[test]
    fn a_limit_on_a_container_holds_inside_it_for_the_levels_below_only() {
        let root = json!({"services": {
            "@@operators_allowed_for_child_policies": ["@@none"],
            "default": {"opt_out_policy": {"@@assign": "optOut"}},
        }});
        let beside = json!({"services": {"default": {"opt_out_policy": {"@@assign": "optIn"}}}});
        let below = json!({"services": {"default": {"opt_out_policy": {"@@assign": "optInToo"}}}});
        // A policy at the root's own level still assigns; the level below cannot.
        let mut merge = Merge::default();
        let mut limits = Vec::new();
        for level in [&root, &beside] {
            if let Value::Object(d) = level {
                merge.level(d, &mut limits);
            }
        }
        merge.limits.extend(limits);
        if let Value::Object(d) = &below {
            merge.level(d, &mut Vec::new());
        }
        assert_eq!(
            Value::Object(merge.settings),
            json!({"services": {"default": {"opt_out_policy": "optIn"}}})
        );
        assert_eq!(
            merged(&[root, below]),
            json!({"services": {"default": {"opt_out_policy": "optOut"}}})
        );
    }
}
