//! What the IAM catalog says about a statement. AWS accepts unknown actions and condition keys
//! silently, and such a statement then grants or denies nothing: each is reported as a
//! warning with a stable code, graded as IAM Access Analyzer grades its policy checks, and,
//! where one is close, a did-you-mean.

use super::{Catalog, Key, Service};
use crate::condition::{Condition, Family, SetOp};
use crate::error::Problem;
use crate::validate::did_you_mean;

/// How bad a catalog warning is, in IAM Access Analyzer's four grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    /// A better way to write what works.
    Suggestion,
    /// Works, but not as the author probably meant.
    Warning,
    /// Lets more through than the author meant.
    SecurityWarning,
    /// Cannot work as written: the statement grants or denies nothing of what it names.
    Error,
}

impl Grade {
    /// `error`, `security warning`, `warning` or `suggestion`, as Access Analyzer writes them.
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Error => "error",
            Grade::SecurityWarning => "security warning",
            Grade::Warning => "warning",
            Grade::Suggestion => "suggestion",
        }
    }
}

/// Every code the catalog checks give, with its grade and what it means.
pub const CHECKS: &[(&str, Grade, &str)] = &[
    (
        "UNKNOWN_SERVICE",
        Grade::Error,
        "no AWS service has that prefix",
    ),
    (
        "UNKNOWN_ACTION",
        Grade::Error,
        "the service has no such action",
    ),
    (
        "NO_MATCHING_ACTION",
        Grade::Error,
        "a wildcard matches none of the service's actions",
    ),
    (
        "DENIES_NOTHING",
        Grade::Error,
        "a `Deny` statement none of whose actions exists",
    ),
    (
        "UNKNOWN_CONDITION_KEY",
        Grade::Error,
        "no service and no global key of that name",
    ),
    (
        "OPERATOR_KEY_TYPE_MISMATCH",
        Grade::Error,
        "the operator compares another type than the key's",
    ),
    (
        "UNSUPPORTED_CONDITION_KEY",
        Grade::SecurityWarning,
        "none of the statement's actions supports the key",
    ),
    (
        "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
        Grade::SecurityWarning,
        "`ForAllValues` on a single-valued key also holds when the key is absent",
    ),
    (
        "FORANYVALUE_WITH_SINGLE_VALUED_KEY",
        Grade::Suggestion,
        "`ForAnyValue` on a single-valued key changes nothing",
    ),
    (
        "REDUNDANT_IF_EXISTS",
        Grade::Suggestion,
        "`IfExists` on a key every request carries changes nothing",
    ),
];

/// The grade of catalog code `code`.
pub fn grade(code: &str) -> Option<Grade> {
    CHECKS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, g, _)| *g)
}

/// The global keys AWS's documentation says are always included in the request context
/// ("Availability – This key is always included"), whatever the principal and the call:
/// `IfExists` on them changes nothing. Keys present for most calls only (`aws:PrincipalArn`
/// for a service principal, `aws:ViaAWSService`) are left out, as AWS's own data perimeter
/// examples write `IfExists` with them on purpose.
const ALWAYS_PRESENT: &[&str] = &[
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:SecureTransport",
];

/// Warnings about the actions `written` at `path` of a statement (`listed` when `Action` is
/// a list, so each warning names its entry), and, for a `Deny` statement at `statement`
/// whose every action is unknown, that it denies nothing.
pub(crate) fn actions(
    written: &[String],
    path: &str,
    listed: bool,
    deny: Option<&str>,
    warnings: &mut Vec<Problem>,
) {
    let catalog = Catalog::get();
    let mut unknown = 0;
    for (i, a) in written.iter().enumerate() {
        let at = if listed {
            format!("{path}[{i}]")
        } else {
            path.to_owned()
        };
        let Some((prefix, name)) = a.split_once(':') else {
            continue;
        };
        if prefix.contains(['*', '?']) {
            continue;
        }
        let Some(service) = catalog.service(prefix) else {
            let mut p = Problem::new(&at, format!("unknown service prefix `{prefix}` in `{a}`"))
                .code("UNKNOWN_SERVICE")
                .at(format!("\"{a}\""));
            if let Some(s) = did_you_mean(prefix, catalog.services().iter().map(|s| s.prefix)) {
                p = p.help(format!("did you mean `{s}:{name}`?"));
            }
            warnings.push(p);
            unknown += 1;
            continue;
        };
        if name.contains(['*', '?']) {
            if catalog.matching(service, name).next().is_none() {
                warnings.push(
                    Problem::new(
                        &at,
                        format!("`{a}` matches no action of service `{}`", service.prefix),
                    )
                    .code("NO_MATCHING_ACTION")
                    .at(format!("\"{a}\"")),
                );
                unknown += 1;
            }
        } else if service.action(name).is_none() {
            let mut p = Problem::new(
                &at,
                format!(
                    "unknown action `{a}`: service `{}` has no such action",
                    service.prefix
                ),
            )
            .code("UNKNOWN_ACTION")
            .at(format!("\"{a}\""));
            if let Some(s) = did_you_mean(name, service.actions().iter().map(|a| a.name)) {
                p = p.help(format!("did you mean `{}:{s}`?", service.prefix));
            }
            warnings.push(p);
            unknown += 1;
        }
    }
    if let Some(statement) = deny
        && unknown > 0
        && unknown == written.len()
    {
        warnings.push(
            Problem::new(
                statement,
                "this `Deny` statement denies nothing: AWS has none of its actions",
            )
            .code("DENIES_NOTHING")
            .help(
                "correct the action names; AWS accepts the policy and the guard rail does not hold",
            ),
        );
    }
}

/// Warnings about condition `c` at `path`, in a statement whose `Action` is `actions`
/// (`None` for `NotAction`, which covers too much to judge support).
pub(crate) fn condition(
    c: &Condition,
    actions: Option<&[String]>,
    path: &str,
    warnings: &mut Vec<Problem>,
) {
    let catalog = Catalog::get();
    let key = c.key.as_str();
    let service = key
        .split_once(':')
        .and_then(|(prefix, _)| catalog.service(prefix));
    let known = catalog
        .global_key(key)
        .or_else(|| service.and_then(|s| s.key(key)));
    if known.is_none() && actions.is_some_and(|list| list.iter().any(|a| supports(a, key))) {
        // Another service's key that one of the actions takes (`q:CreateAssignment` takes
        // `identitystore:GroupId`): real, of a type the catalog does not give.
        return;
    }
    let Some(known) = known else {
        let mut p = Problem::new(path, format!("unknown condition key `{key}`"))
            .code("UNKNOWN_CONDITION_KEY")
            .at(format!("\"{key}\""));
        let candidates = catalog
            .global_keys()
            .iter()
            .chain(service.map_or(&[][..], Service::keys))
            .map(|k| k.name);
        if let Some(s) = did_you_mean(key, candidates) {
            p = p.help(format!("did you mean `{s}`?"));
        }
        warnings.push(p);
        return;
    };
    operator(c, known, path, warnings);
    if catalog.global_key(key).is_none() {
        supported(key, actions, path, warnings);
    }
}

/// Warnings about the operator of `c`, whose key the catalog knows as `known`.
fn operator(c: &Condition, known: &Key, path: &str, warnings: &mut Vec<Problem>) {
    let at = format!("\"{}\"", c.key);
    let (multi, kind) = match known.kind.strip_prefix("ArrayOf") {
        Some(kind) => (true, kind),
        None => (false, known.kind),
    };
    if let Some(fits) = fitting(kind)
        && !fits.contains(&c.operator.family)
    {
        warnings.push(
            Problem::new(
                path,
                format!(
                    "`{}` compares {}, but `{}` is a {} key",
                    c.operator_name,
                    compares(c.operator.family),
                    c.key,
                    known.kind
                ),
            )
            .code("OPERATOR_KEY_TYPE_MISMATCH")
            .help(format!("use {} operator", operators_for(kind)))
            .at(at.clone()),
        );
    }
    match c.operator.set {
        Some(SetOp::ForAllValues) if !multi => warnings.push(
            Problem::new(
                path,
                format!(
                    "`ForAllValues` with single-valued key `{}` also holds when the key is absent",
                    c.key
                ),
            )
            .code("FORALLVALUES_WITH_SINGLE_VALUED_KEY")
            .help("remove `ForAllValues:`; set operators are for multivalued keys")
            .at(at.clone()),
        ),
        Some(SetOp::ForAnyValue) if !multi => warnings.push(
            Problem::new(
                path,
                format!(
                    "`ForAnyValue` with single-valued key `{}` changes nothing",
                    c.key
                ),
            )
            .code("FORANYVALUE_WITH_SINGLE_VALUED_KEY")
            .help("remove `ForAnyValue:`; set operators are for multivalued keys")
            .at(at.clone()),
        ),
        _ => {}
    }
    if c.operator.if_exists
        && ALWAYS_PRESENT
            .iter()
            .any(|k| k.eq_ignore_ascii_case(&c.key))
    {
        warnings.push(
            Problem::new(
                path,
                format!(
                    "`IfExists` changes nothing: every request carries `{}`",
                    c.key
                ),
            )
            .code("REDUNDANT_IF_EXISTS")
            .help("drop the `IfExists` suffix")
            .at(at),
        );
    }
}

/// The operator families that fit a key of catalog type `kind` (without `ArrayOf`); `None`
/// for a type the catalog does not name.
fn fitting(kind: &str) -> Option<&'static [Family]> {
    const STRING: &[Family] = &[
        Family::String,
        Family::StringIgnoreCase,
        Family::StringLike,
        Family::Null,
    ];
    // ARN keys take the ARN operators and, as AWS allows, the string ones.
    const ARN: &[Family] = &[
        Family::Arn,
        Family::String,
        Family::StringIgnoreCase,
        Family::StringLike,
        Family::Null,
    ];
    Some(match kind {
        "String" => STRING,
        "ARN" => ARN,
        "Bool" => &[Family::Bool, Family::Null],
        "Numeric" => &[
            Family::Numeric(crate::condition::Cmp::Eq),
            Family::Numeric(crate::condition::Cmp::Lt),
            Family::Numeric(crate::condition::Cmp::Le),
            Family::Numeric(crate::condition::Cmp::Gt),
            Family::Numeric(crate::condition::Cmp::Ge),
            Family::Null,
        ],
        "Date" => &[
            Family::Date(crate::condition::Cmp::Eq),
            Family::Date(crate::condition::Cmp::Lt),
            Family::Date(crate::condition::Cmp::Le),
            Family::Date(crate::condition::Cmp::Gt),
            Family::Date(crate::condition::Cmp::Ge),
            Family::Null,
        ],
        "IPAddress" => &[Family::Ip, Family::Null],
        _ => return None,
    })
}

/// What an operator family compares, for messages.
fn compares(family: Family) -> &'static str {
    match family {
        Family::String | Family::StringIgnoreCase | Family::StringLike => "strings",
        Family::Numeric(_) => "numbers",
        Family::Date(_) => "dates",
        Family::Bool => "booleans",
        Family::Binary => "binary values",
        Family::Ip => "IP addresses",
        Family::Arn => "ARNs",
        Family::Null => "presence",
    }
}

/// The operators to use with a key of type `kind`, for help.
fn operators_for(kind: &str) -> &'static str {
    match kind {
        "ARN" => "an `Arn…` (or `String…`)",
        "Bool" => "the `Bool`",
        "Numeric" => "a `Numeric…`",
        "Date" => "a `Date…`",
        "IPAddress" => "an `IpAddress` or `NotIpAddress`",
        _ => "a `String…`",
    }
}

/// Whether action `a` (a pattern) covers an action that supports condition key `key`.
fn supports(a: &str, key: &str) -> bool {
    let catalog = Catalog::get();
    a.split_once(':').is_some_and(|(prefix, name)| {
        catalog
            .service(prefix)
            .is_some_and(|s| catalog.matching(s, name).any(|action| action.supports(key)))
    })
}

/// Whether any of `actions` supports service key `key`; says so when none does and every
/// action could be judged (a wildcard or unknown service hides what it covers).
fn supported(key: &str, actions: Option<&[String]>, path: &str, warnings: &mut Vec<Problem>) {
    let catalog = Catalog::get();
    let Some(list) = actions else { return };
    // A key that no action of its own service lists is one the reference leaves unplaced
    // (`states:HTTPEndpoint`): the catalog cannot tell which actions take it.
    let placed = key
        .split_once(':')
        .and_then(|(prefix, _)| catalog.service(prefix))
        .is_some_and(|s| s.actions().iter().any(|a| a.supports(key)));
    if !placed {
        return;
    }
    let judged = |a: &String| {
        a.split_once(':').is_some_and(|(prefix, _)| {
            !prefix.contains(['*', '?']) && catalog.service(prefix).is_some()
        })
    };
    if !list.is_empty() && list.iter().all(judged) && !list.iter().any(|a| supports(a, key)) {
        warnings.push(
            Problem::new(
                path,
                format!("none of the statement's actions supports condition key `{key}`"),
            )
            .code("UNSUPPORTED_CONDITION_KEY")
            .help("the condition never holds for these actions; use a key they support or a global key")
            .at(format!("\"{key}\"")),
        );
    }
}
