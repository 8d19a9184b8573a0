//! The keys and value types an input file may use, so that every unknown key, missing key and
//! wrongly typed value is reported in one pass.
//!
//! Typed deserialisation stops at the first problem. When a file fails to load, its located
//! tree is walked against its [`Shape`] to list all of them, each with a did-you-mean.

use saphyr::{MarkedYaml, Scalar, YamlData};

use crate::diagnostic::{Diagnostic, DocPath, did_you_mean};
use crate::locate::{Locator, entries, is_null, items};

/// One key of a mapping.
pub struct Field {
    /// The key.
    pub name: &'static str,
    /// Its value's shape.
    pub shape: Shape,
    /// Whether the key must be present; the help to give when it is not.
    pub required: Option<&'static str>,
}

/// A key that may be left out.
pub const fn opt(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        required: None,
    }
}

/// A key that must be present, and what to say when it is not.
pub const fn req(name: &'static str, shape: Shape, help: &'static str) -> Field {
    Field {
        name,
        shape,
        required: Some(help),
    }
}

/// The shape of one node.
pub enum Shape {
    /// A mapping with these keys.
    Map(&'static [Field]),
    /// A list of items of one shape.
    List(&'static Shape),
    /// A mapping whose keys are the file's own (user attributes), each value of one shape.
    Dict(&'static Shape),
    /// A string (any scalar but null: YAML's `name: 123` is the string `123`).
    Str,
    /// An account id: a string, never a number (a number loses leading zeros).
    AccountId,
    /// A string that may be an account id (an attachment's target: `root`, an OU name or an
    /// account id): a number is refused as for [`Shape::AccountId`].
    Target,
    /// A non-negative whole number.
    Count,
    /// `true` or `false`.
    Bool,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// An RFC 3339 timestamp.
    Timestamp,
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// Content that is not checked here (policy documents, event parameters).
    Any,
}

use Shape::{Any, Bool, Count, Date, List, Map, OneOf, Str, Timestamp};

/// What to say about an account id written as a number.
pub fn account_id_number_help(raw: &str) -> String {
    format!("account ids are strings: quote it, `\"{raw}\"`")
}

/// A customer managed policy, by name and path.
const POLICY_REFERENCE: Shape = Map(&[
    req("name", Str, "give the customer managed policy's name"),
    opt("path", Str),
]);

/// A trusted token issuer a JWT bearer grant accepts.
const AUTHORIZED_TOKEN_ISSUER: Shape = Map(&[
    req(
        "trusted-token-issuer",
        Str,
        "name the trusted token issuer of the instance",
    ),
    opt("audiences", List(&Str)),
]);

/// The estate file.
pub const ESTATE: Shape = Map(&[
    req(
        "version",
        Count,
        "add `version: 1` at the top of the file (the estate format's version)",
    ),
    opt(
        "simulator",
        Map(&[opt("profile-quota", Count), opt("kiro-regions", List(&Str))]),
    ),
    opt(
        "accounts",
        List(&Map(&[
            req("id", Shape::AccountId, "give the 12-digit account id"),
            req("name", Str, "give the account's name"),
            opt("email", Str),
            opt("organization", Shape::AccountId),
            opt("parent", Str),
            opt(
                "joined",
                Map(&[
                    req("at", Timestamp, "give when the account joined"),
                    req(
                        "method",
                        OneOf(&["invited", "created"]),
                        "use `method: invited` or `method: created`",
                    ),
                ]),
            ),
            opt("closed", Timestamp),
        ])),
    ),
    opt(
        "organizations",
        List(&Map(&[
            req(
                "management",
                Shape::AccountId,
                "an organization is named by its management account id",
            ),
            opt("id", Str),
            opt("root-id", Str),
            opt("governance", OneOf(&["central", "delegated"])),
            opt("member-account-instances-allowed", Bool),
            opt("scps-disabled", Bool),
            opt("feature-set", OneOf(&["all", "consolidated-billing"])),
            opt("policy-types", List(&Str)),
            opt(
                "typed-policies",
                List(&Map(&[
                    req("name", Str, "give the policy's name"),
                    req("id", Str, "give the policy's id"),
                    req("policy-type", Str, "give the policy type, e.g. TAG_POLICY"),
                    opt("description", Str),
                    req("content", Str, "give the policy document as a JSON string"),
                    opt("targets", List(&Shape::Target)),
                ])),
            ),
            opt("tags", Any),
            opt("resource-policy", Str),
            opt(
                "trusted-services",
                List(&Map(&[
                    req("service-principal", Str, "name the service principal"),
                    req("enabled", Timestamp, "give when access was enabled"),
                ])),
            ),
            opt(
                "delegated-administrators",
                List(&Map(&[
                    req("account", Shape::AccountId, "name the member account"),
                    req("service-principal", Str, "name the service principal"),
                    req("at", Timestamp, "give when it was registered"),
                ])),
            ),
            opt(
                "handshakes",
                List(&Map(&[
                    req("id", Str, "give the handshake's id"),
                    req("account", Shape::AccountId, "name the account asked"),
                    req(
                        "action",
                        OneOf(&["invite", "enable-all-features", "transfer-responsibility"]),
                        "use `action: invite`, `enable-all-features` or `transfer-responsibility`",
                    ),
                    req(
                        "state",
                        OneOf(&["open", "accepted", "declined", "canceled"]),
                        "use open, accepted, declined or canceled",
                    ),
                    req("requested", Timestamp, "give when it was sent"),
                    opt("notes", Str),
                ])),
            ),
            opt(
                "transfers",
                List(&Map(&[
                    req("id", Str, "give the transfer's id (`rt-…`)"),
                    req("name", Str, "give the transfer's name"),
                    req(
                        "source",
                        Shape::AccountId,
                        "name the management account whose responsibility is transferred",
                    ),
                    req("start", Timestamp, "give when the transfer starts"),
                    opt("end", Timestamp),
                    req(
                        "status",
                        OneOf(&["requested", "accepted", "declined", "canceled", "withdrawn"]),
                        "use requested, accepted, declined, canceled or withdrawn",
                    ),
                    req(
                        "handshake",
                        Str,
                        "give the id of the handshake that asked the source",
                    ),
                ])),
            ),
            opt(
                "ous",
                List(&Map(&[
                    req("name", Str, "give the OU's name"),
                    opt("id", Str),
                    req("parent", Str, "use `root` or the name of the parent OU"),
                ])),
            ),
            opt(
                "policies",
                List(&Map(&[
                    req("name", Str, "give the policy's name"),
                    opt("id", Str),
                    opt("description", Str),
                    opt("aws-managed", Bool),
                    req("document", Any, "give the policy document"),
                ])),
            ),
            opt(
                "attachments",
                List(&Map(&[
                    req("policy", Str, "name the attached policy"),
                    req(
                        "target",
                        Shape::Target,
                        "a target is `root`, an OU name or a member account id",
                    ),
                ])),
            ),
        ])),
    ),
    opt(
        "instances",
        List(&Map(&[
            req(
                "account",
                Shape::AccountId,
                "name the account that owns the instance",
            ),
            req(
                "kind",
                OneOf(&["organization", "account"]),
                "use `kind: organization` or `kind: account`",
            ),
            req("region", Str, "give the instance's region"),
            req("created", Date, "give the date the instance was enabled"),
            opt("id", Str),
            opt("identity-store", Str),
            opt("kiro-session-days", Count),
            opt("identity-enhanced-sessions", Bool),
            opt("name", Str),
            opt(
                "applications",
                List(&Map(&[
                    req("name", Str, "give the application's name"),
                    req("id", Str, "give the application's id"),
                    req("provider", Str, "give the application provider's ARN"),
                    opt("description", Str),
                    req("enabled", Bool, "say whether the application is enabled"),
                    req(
                        "created",
                        Timestamp,
                        "give when the application was created",
                    ),
                    opt("access-scopes", Shape::Dict(&List(&Str))),
                    opt("iam-authentication", Str),
                    opt(
                        "grants",
                        Shape::Dict(&Map(&[
                            opt("redirect-uris", List(&Str)),
                            opt("authorized-token-issuers", List(&AUTHORIZED_TOKEN_ISSUER)),
                        ])),
                    ),
                    opt("assignment-required", Bool),
                    opt("user-background-sessions", Bool),
                ])),
            ),
            opt(
                "permission-sets",
                List(&Map(&[
                    req("name", Str, "give the permission set's name"),
                    req("id", Str, "give the permission set's id"),
                    opt("description", Str),
                    req(
                        "session-duration",
                        Str,
                        "give the session duration, e.g. PT1H",
                    ),
                    opt("relay-state", Str),
                    req(
                        "created",
                        Timestamp,
                        "give when the permission set was created",
                    ),
                    opt("inline-policy", Str),
                    opt("managed-policies", List(&Str)),
                    opt("customer-managed-policies", List(&POLICY_REFERENCE)),
                    opt(
                        "permissions-boundary",
                        Map(&[
                            opt("managed-policy", Str),
                            opt("customer-managed", POLICY_REFERENCE),
                        ]),
                    ),
                    opt("outdated", Bool),
                ])),
            ),
            opt("tags", Any),
            opt("replica-regions", Shape::Dict(&Timestamp)),
            opt(
                "access-control-attributes",
                List(&Map(&[
                    req("key", Str, "give the session tag's key"),
                    req(
                        "source",
                        Str,
                        "give the user attribute the value comes from",
                    ),
                ])),
            ),
            opt(
                "trusted-token-issuers",
                List(&Map(&[
                    req("name", Str, "give the trusted token issuer's name"),
                    req("id", Str, "give the trusted token issuer's id"),
                    req("issuer-url", Str, "give the issuer's URL"),
                    req(
                        "claim-attribute-path",
                        Str,
                        "give the token claim that names the user",
                    ),
                    req(
                        "identity-store-attribute-path",
                        Str,
                        "give the identity store attribute the claim matches",
                    ),
                    req(
                        "created",
                        Timestamp,
                        "give when the trusted token issuer was created",
                    ),
                ])),
            ),
            opt(
                "identity-store-network",
                Map(&[
                    req(
                        "vpce-access-required",
                        Bool,
                        "say whether calls must come through a VPC endpoint",
                    ),
                    opt("api-restrict-source-vpcs", List(&Str)),
                    opt("api-allow-source-ips", List(&Str)),
                    opt("scim-allow-source-ips", List(&Str)),
                ]),
            ),
            opt(
                "account-assignments",
                List(&Map(&[
                    req("account", Shape::AccountId, "name the AWS account"),
                    req("permission-set", Str, "name the permission set"),
                    opt("user-name", Str),
                    opt("group", Str),
                ])),
            ),
            opt(
                "users",
                List(&Map(&[
                    req("user-name", Str, "give the user's name"),
                    opt("id", Str),
                    opt("email", Str),
                    opt("display-name", Str),
                    opt("attributes", Shape::Dict(&Str)),
                ])),
            ),
            opt(
                "groups",
                List(&Map(&[
                    req("name", Str, "give the group's name"),
                    opt("id", Str),
                    opt("description", Str),
                    opt("members", List(&Str)),
                ])),
            ),
        ])),
    ),
    opt(
        "profiles",
        List(&Map(&[
            req(
                "account",
                Shape::AccountId,
                "name the account that signed up",
            ),
            req("region", Str, "give the profile's region"),
            req(
                "instance",
                Shape::AccountId,
                "name the Identity Center instance by its owning account",
            ),
            opt("id", Str),
            opt("created", Date),
            opt(
                "settings",
                Map(&[opt("prompt-logging", Bool), opt("overage", Bool)]),
            ),
            opt(
                "subscriptions",
                List(&Map(&[
                    opt("user-name", Str),
                    opt("group", Str),
                    req(
                        "plan",
                        OneOf(&["pro", "pro-plus", "pro-max", "power"]),
                        "give the plan: pro, pro-plus, pro-max or power",
                    ),
                    opt("status", OneOf(&["active", "pending"])),
                ])),
            ),
        ])),
    ),
    opt(
        "events",
        List(&Map(&[
            req("at", Timestamp, "give the time of the event"),
            req("op", Any, "give the operation"),
            opt("outcome", Str),
        ])),
    ),
]);

/// Every key of the document that `shape` does not allow, every missing required key and every
/// value of the wrong type, as diagnostics in file order (not yet located).
pub fn check(doc: &Locator<'_>, shape: &Shape) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(root) = doc.root() {
        Checker { doc, out: &mut out }.node(root, shape, &DocPath::root());
    }
    out
}

struct Checker<'a, 's> {
    doc: &'a Locator<'s>,
    out: &'a mut Vec<Diagnostic>,
}

/// A resolved scalar, or none for a mapping or list.
fn scalar<'n>(node: &'n MarkedYaml<'_>) -> Option<&'n Scalar<'n>> {
    match &node.data {
        YamlData::Value(s) => Some(s),
        YamlData::Tagged(_, inner) => scalar(inner),
        _ => None,
    }
}

/// What a node is, for "expected …, found …".
fn kind(node: &MarkedYaml<'_>) -> &'static str {
    match &node.data {
        YamlData::Mapping(_) => "a mapping",
        YamlData::Sequence(_) => "a list",
        _ => match scalar(node) {
            Some(Scalar::Null) => "nothing",
            Some(Scalar::Integer(_)) | Some(Scalar::FloatingPoint(_)) => "a number",
            Some(Scalar::Boolean(_)) => "a boolean",
            _ => "a string",
        },
    }
}

/// YAML 1.1's spellings of booleans, which the deserialiser also accepts.
fn yaml11_bool(text: &str) -> bool {
    matches!(
        text.to_ascii_lowercase().as_str(),
        "y" | "yes" | "n" | "no" | "on" | "off" | "true" | "false"
    )
}

impl Checker<'_, '_> {
    fn expected(
        &mut self,
        node: &MarkedYaml<'_>,
        path: &DocPath,
        what: &str,
        help: Option<String>,
    ) {
        let found = match kind(node) {
            "a string" | "a number" | "a boolean" => {
                format!("{} `{}`", kind(node), self.doc.raw(node))
            }
            other => other.to_owned(),
        };
        self.out.push(
            Diagnostic::new(path.clone(), format!("expected {what}, found {found}"))
                .with_help_opt(help)
                .at(Some(crate::locate::location(node))),
        );
    }

    fn node(&mut self, node: &MarkedYaml<'_>, shape: &Shape, path: &DocPath) {
        match shape {
            Map(fields) => self.map(node, fields, path),
            List(item) => match items(node) {
                Some(list) => {
                    for (i, v) in list.iter().enumerate() {
                        self.node(v, item, &path.index(i));
                    }
                }
                None if is_null(node) => {}
                None => self.expected(node, path, "a list", None),
            },
            Shape::Dict(value) => match entries(node) {
                Some(map) => {
                    for (k, v) in map {
                        let key = crate::locate::scalar_text(k).unwrap_or_default();
                        self.node(v, value, &path.key(&key));
                    }
                }
                None if is_null(node) => {}
                None => self.expected(node, path, "a mapping", None),
            },
            Any => {}
            scalar_shape => self.scalar(node, scalar_shape, path),
        }
    }

    fn map(&mut self, node: &MarkedYaml<'_>, fields: &[Field], path: &DocPath) {
        let Some(map) = entries(node) else {
            if !is_null(node) {
                self.expected(node, path, "a mapping", None);
            }
            return;
        };
        for (k, v) in &map {
            let Some(key) = crate::locate::scalar_text(k) else {
                continue;
            };
            match fields.iter().find(|f| f.name == key) {
                Some(field) => self.node(v, &field.shape, &path.key(&key)),
                None => {
                    let expected: Vec<&str> = fields.iter().map(|f| f.name).collect();
                    let help = did_you_mean(&key, expected.iter().copied()).unwrap_or_else(|| {
                        format!(
                            "expected one of {}",
                            expected
                                .iter()
                                .map(|e| format!("`{e}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    });
                    self.out.push(
                        Diagnostic::new(path.key(&key), format!("unknown key `{key}`"))
                            .with_help(help),
                    );
                }
            }
        }
        for field in fields {
            let Some(help) = field.required else { continue };
            let present = map
                .iter()
                .any(|(k, _)| crate::locate::scalar_text(k).as_deref() == Some(field.name));
            if !present {
                self.out.push(
                    Diagnostic::new(path.clone(), format!("missing `{}`", field.name))
                        .with_help(help)
                        .at(Some(crate::locate::location(node))),
                );
            }
        }
    }

    fn scalar(&mut self, node: &MarkedYaml<'_>, shape: &Shape, path: &DocPath) {
        let Some(value) = scalar(node) else {
            let what = match shape {
                Count => "a whole number",
                Bool => "`true` or `false`",
                Shape::AccountId => "an account id (a quoted string)",
                _ => "a string",
            };
            return self.expected(node, path, what, None);
        };
        let text = crate::locate::scalar_text(node).unwrap_or_default();
        match (shape, value) {
            (_, Scalar::Null) => self.expected(node, path, "a value", None),
            (Shape::AccountId | Shape::Target, Scalar::Integer(_) | Scalar::FloatingPoint(_)) => {
                let raw = self.doc.raw(node);
                self.out.push(
                    Diagnostic::new(
                        path.clone(),
                        format!("`{raw}` is a number, but account ids are strings"),
                    )
                    .with_help(account_id_number_help(&raw))
                    .at(Some(crate::locate::location(node))),
                );
            }
            (Count, Scalar::Integer(i)) if *i >= 0 => {}
            (Count, _) => self.expected(node, path, "a whole number", None),
            (Bool, Scalar::Boolean(_)) => {}
            (Bool, Scalar::String(s)) if yaml11_bool(s) => {}
            (Bool, _) => self.expected(node, path, "`true` or `false`", None),
            (Date, _) if text.parse::<jiff::civil::Date>().is_ok() => {}
            (Date, _) => self.expected(node, path, "a date (YYYY-MM-DD)", None),
            (Timestamp, _) if text.parse::<jiff::Timestamp>().is_ok() => {}
            (Timestamp, _) => self.expected(
                node,
                path,
                "an RFC 3339 timestamp (2026-01-05T09:00:00Z)",
                None,
            ),
            (OneOf(words), _) if words.contains(&text.as_str()) => {}
            (OneOf(words), _) => {
                let help = did_you_mean(&text, words.iter().copied()).unwrap_or_else(|| {
                    format!(
                        "use one of {}",
                        words
                            .iter()
                            .map(|w| format!("`{w}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                });
                self.out.push(
                    Diagnostic::new(path.clone(), format!("unknown value `{text}`"))
                        .with_help(help)
                        .at(Some(crate::locate::location(node))),
                );
            }
            _ => {}
        }
    }
}
