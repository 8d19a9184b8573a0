//! Where a finding's subject is written in the estate file.
//!
//! Code scanning shows a result only where it has a place in a file, so SARIF results carry
//! the line of their subject's entry: the account, the profile, the organization unit, the
//! first user with the person's email, the organization for its root and its settings. A subject is one of
//! the forms the rules write (an account id, `account/region`, `management/setting`, an OU's
//! name or id, an email, an SCP's name); the index of them all is built once per report.

use std::collections::HashMap;

use kiro_estate::diagnostic::{DocPath, Location};
use kiro_estate::locate;
use kiro_estate::{Estate, Format, HasKey, email};

use crate::Report;

/// The line and column of each finding's subject in `text`, the estate file `estate` was
/// read from (written in `format`), in the order of the report's findings (none for a subject the file does not
/// hold, such as a configuration entry).
pub fn regions(
    report: &Report,
    estate: &Estate,
    text: &str,
    format: Format,
) -> Vec<Option<Location>> {
    let places = Places::new(estate);
    let paths: Vec<Option<&DocPath>> = report
        .findings
        .iter()
        .map(|f| places.of(&f.subject))
        .collect();
    let wanted: Vec<DocPath> = paths.iter().flatten().map(|p| (*p).clone()).collect();
    let mut found = locate::find_all(text, format, &wanted).into_iter();
    paths
        .iter()
        .map(|p| p.and_then(|_| found.next().flatten()))
        .collect()
}

/// Every subject's entry in the estate file, as a path into the document.
pub struct Places {
    by_subject: HashMap<String, DocPath>,
}

impl Places {
    /// The index of `estate`'s entries. Where two entries would answer one subject, the more
    /// specific one wins (a profile over an account) and then the first in the file.
    pub fn new(estate: &Estate) -> Self {
        let mut by_subject = HashMap::new();
        let mut add = |subject: String, path: DocPath| {
            by_subject.entry(subject).or_insert(path);
        };
        let root = DocPath::root();
        for (i, p) in estate.profiles.positioned() {
            add(p.key().to_string(), root.key("profiles").index(i));
        }
        for (o, org) in estate.organizations.positioned() {
            let at = root.key("organizations").index(o);
            for (i, ou) in org.ous.positioned() {
                let ou_at = at.key("ous").index(i);
                add(ou.name.clone(), ou_at.clone());
                if !ou.id.is_empty() {
                    add(ou.id.clone(), ou_at);
                }
            }
            for (i, scp) in org.policies.positioned() {
                add(scp.name.clone(), at.key("policies").index(i));
            }
            // The root and `management/setting`: the organization entry holds them.
            add("root".to_owned(), at.clone());
            if !org.root_id.is_empty() {
                add(org.root_id.clone(), at.clone());
            }
            add(format!("{}/", org.management), at);
        }
        for (i, a) in estate.accounts.positioned() {
            add(a.id.to_string(), root.key("accounts").index(i));
        }
        for (n, instance) in estate.instances.positioned() {
            let at = root.key("instances").index(n);
            for (i, user) in instance.users.positioned() {
                if let Some(person) = email::person_of(user.email.as_deref()) {
                    add(person.into_owned(), at.key("users").index(i));
                }
            }
        }
        Self { by_subject }
    }

    /// The entry `subject` is about, when the estate file has one.
    pub fn of(&self, subject: &str) -> Option<&DocPath> {
        let exact = self.by_subject.get(subject);
        let person = || {
            let person = email::person_of(Some(subject))?;
            self.by_subject.get(person.as_ref())
        };
        // `management/setting`, then the account of `account/anything`.
        let prefix = || {
            let (account, _) = subject.split_once('/')?;
            self.by_subject
                .get(&format!("{account}/"))
                .or_else(|| self.by_subject.get(account))
        };
        exact.or_else(person).or_else(prefix)
    }
}
