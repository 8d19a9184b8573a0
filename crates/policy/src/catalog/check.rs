//! What the IAM catalog says about a statement. AWS accepts unknown actions and condition keys
//! silently, and such a statement then grants or denies nothing: each is reported as a
//! warning with a stable code and, where one is close, a did-you-mean.
//!
//! | code | Access Analyzer grade | meaning |
//! |---|---|---|
//! | `UNKNOWN_SERVICE` | error | no AWS service has that prefix |
//! | `UNKNOWN_ACTION` | error | the service has no such action |
//! | `NO_MATCHING_ACTION` | error | a wildcard matches none of the service's actions |
//! | `UNKNOWN_CONDITION_KEY` | error | no service and no global key of that name |
//! | `UNSUPPORTED_CONDITION_KEY` | security warning | none of the statement's actions supports the key |

use super::{Catalog, Service};
use crate::error::Problem;
use crate::validate::did_you_mean;

/// Warnings about the actions `written` at `path` of a statement.
pub(crate) fn actions(written: &[String], path: &str, warnings: &mut Vec<Problem>) {
    let catalog = Catalog::get();
    for a in written {
        let Some((prefix, name)) = a.split_once(':') else {
            continue;
        };
        if prefix.contains(['*', '?']) {
            continue;
        }
        let Some(service) = catalog.service(prefix) else {
            let mut p = Problem::new(path, format!("unknown service prefix `{prefix}` in `{a}`"))
                .code("UNKNOWN_SERVICE")
                .at(format!("\"{a}\""));
            if let Some(s) = did_you_mean(prefix, catalog.services().iter().map(|s| s.prefix)) {
                p = p.help(format!("did you mean `{s}:{name}`?"));
            }
            warnings.push(p);
            continue;
        };
        if name.contains(['*', '?']) {
            if catalog.matching(service, name).next().is_none() {
                warnings.push(
                    Problem::new(
                        path,
                        format!("`{a}` matches no action of service `{}`", service.prefix),
                    )
                    .code("NO_MATCHING_ACTION")
                    .at(format!("\"{a}\"")),
                );
            }
        } else if service.action(name).is_none() {
            let mut p = Problem::new(
                path,
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
        }
    }
}

/// Warnings about condition key `key` at `path`, in a statement whose `Action` is `actions`
/// (`None` for `NotAction`, which covers too much to judge support).
pub(crate) fn condition_key(
    key: &str,
    actions: Option<&[String]>,
    path: &str,
    warnings: &mut Vec<Problem>,
) {
    let catalog = Catalog::get();
    if catalog.global_key(key).is_some() {
        return;
    }
    let supported = |a: &String| {
        a.split_once(':').is_some_and(|(prefix, name)| {
            catalog
                .service(prefix)
                .is_some_and(|s| catalog.matching(s, name).any(|action| action.supports(key)))
        })
    };
    if actions.is_some_and(|list| list.iter().any(supported)) {
        return;
    }
    let service = key
        .split_once(':')
        .and_then(|(prefix, _)| catalog.service(prefix));
    if service.and_then(|s| s.key(key)).is_none() {
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
    }
    // The key is real but no action supports it (checked above). Say so only when every action
    // could be judged: a wildcard service or an unknown service hides what it covers.
    let judged = |a: &String| {
        a.split_once(':').is_some_and(|(prefix, _)| {
            !prefix.contains(['*', '?']) && catalog.service(prefix).is_some()
        })
    };
    if actions.is_some_and(|list| !list.is_empty() && list.iter().all(judged)) {
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
