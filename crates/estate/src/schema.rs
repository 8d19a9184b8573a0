//! The keys an estate file may use, so that every unknown key is reported in one pass.
//!
//! Typed deserialisation stops at the first unknown key. When a file fails to load, the source
//! is walked against this table to list all of them, each with a did-you-mean.

use saphyr::{MarkedYaml, YamlData};

use crate::diagnostic::{Diagnostic, DocPath, did_you_mean};

/// The shape of one node.
pub enum Shape {
    /// A mapping with these keys.
    Map(&'static [(&'static str, Shape)]),
    /// A list of items of one shape.
    List(&'static Shape),
    /// A scalar, or content that is not checked here (policy documents, event parameters).
    Any,
}

use Shape::{Any, List, Map};

/// The estate file.
pub const ESTATE: Shape = Map(&[
    ("version", Any),
    (
        "simulator",
        Map(&[("profile-quota", Any), ("kiro-regions", Any)]),
    ),
    (
        "accounts",
        List(&Map(&[
            ("id", Any),
            ("name", Any),
            ("email", Any),
            ("organization", Any),
            ("parent", Any),
            ("joined", Map(&[("at", Any), ("method", Any)])),
        ])),
    ),
    (
        "organizations",
        List(&Map(&[
            ("management", Any),
            ("id", Any),
            ("root-id", Any),
            ("governance", Any),
            ("member-account-instances-allowed", Any),
            (
                "ous",
                List(&Map(&[("name", Any), ("id", Any), ("parent", Any)])),
            ),
            (
                "policies",
                List(&Map(&[
                    ("name", Any),
                    ("id", Any),
                    ("description", Any),
                    ("aws-managed", Any),
                    ("document", Any),
                ])),
            ),
            (
                "attachments",
                List(&Map(&[("policy", Any), ("target", Any)])),
            ),
        ])),
    ),
    (
        "instances",
        List(&Map(&[
            ("account", Any),
            ("kind", Any),
            ("region", Any),
            ("created", Any),
            ("id", Any),
            ("identity-store", Any),
            ("kiro-session-days", Any),
            ("identity-enhanced-sessions", Any),
            (
                "users",
                List(&Map(&[
                    ("user-name", Any),
                    ("id", Any),
                    ("email", Any),
                    ("display-name", Any),
                ])),
            ),
            (
                "groups",
                List(&Map(&[("name", Any), ("id", Any), ("members", Any)])),
            ),
        ])),
    ),
    (
        "profiles",
        List(&Map(&[
            ("account", Any),
            ("region", Any),
            ("instance", Any),
            ("id", Any),
            ("created", Any),
            (
                "settings",
                Map(&[("prompt-logging", Any), ("overage", Any)]),
            ),
            (
                "subscriptions",
                List(&Map(&[
                    ("user-name", Any),
                    ("group", Any),
                    ("plan", Any),
                    ("status", Any),
                ])),
            ),
        ])),
    ),
    (
        "events",
        List(&Map(&[("at", Any), ("op", Any), ("outcome", Any)])),
    ),
]);

/// Every key of `node` that `shape` does not allow, as diagnostics.
pub fn unknown_keys(
    node: &MarkedYaml<'_>,
    shape: &Shape,
    path: &DocPath,
    out: &mut Vec<Diagnostic>,
) {
    match (shape, &node.data) {
        (Map(fields), YamlData::Mapping(map)) => {
            for (k, v) in map {
                let Some(key) = k.data.as_str() else { continue };
                match fields.iter().find(|(name, _)| *name == key) {
                    Some((_, child)) => unknown_keys(v, child, &path.key(key), out),
                    None => {
                        let expected: Vec<&str> = fields.iter().map(|(n, _)| *n).collect();
                        let help =
                            did_you_mean(key, expected.iter().copied()).unwrap_or_else(|| {
                                format!(
                                    "expected one of {}",
                                    expected
                                        .iter()
                                        .map(|e| format!("`{e}`"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            });
                        out.push(
                            Diagnostic::new(path.key(key), format!("unknown key `{key}`"))
                                .with_help(help),
                        );
                    }
                }
            }
        }
        (List(item), YamlData::Sequence(items)) => {
            for (i, v) in items.iter().enumerate() {
                unknown_keys(v, item, &path.index(i), out);
            }
        }
        _ => {}
    }
}
