//! Questions every part of kiro-org asks of an estate: whose organization is this account in,
//! which instances can a profile use, which SCPs apply at which level.

use crate::ids::AccountId;
use crate::model::{Account, Estate, Instance, InstanceKind, Organization, Ou, Scp};

/// Where an account stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Not in any organization.
    Standalone,
    /// The management account of its organization.
    Management,
    /// A member account.
    Member,
}

/// One level of the SCP hierarchy that applies to an account: root, each OU, the account.
#[derive(Clone, Debug)]
pub struct ScpLevel<'e> {
    /// A name for people: `root r-ab12`, `OU engineering (ou-…)`, `account 210987654321`.
    pub name: String,
    /// The policies attached at this level.
    pub policies: Vec<&'e Scp>,
}

impl Estate {
    /// The account with `id`.
    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.accounts.get(id)
    }

    /// The organization `account` belongs to (as member or management).
    pub fn organization_of(&self, account: &AccountId) -> Option<&Organization> {
        if let Some(org) = self.organizations.get(account) {
            return Some(org);
        }
        let org = self.accounts.get(account)?.organization.as_ref()?;
        self.organizations.get(org)
    }

    /// Whether `account` is standalone, a management or a member account.
    pub fn standing(&self, account: &AccountId) -> Standing {
        match self.organization_of(account) {
            None => Standing::Standalone,
            Some(org) if &org.management == account => Standing::Management,
            Some(_) => Standing::Member,
        }
    }

    /// The organization instance of `org`, if it has one.
    pub fn organization_instance(&self, org: &Organization) -> Option<&Instance> {
        self.instances
            .get(&org.management)
            .filter(|i| i.kind == InstanceKind::Organization)
    }

    /// The account instance `account` owns, if any.
    pub fn account_instance(&self, account: &AccountId) -> Option<&Instance> {
        self.instances
            .get(account)
            .filter(|i| i.kind == InstanceKind::Account)
    }

    /// The instances a profile of `account` may use: its organization's instance and its own
    /// account instance (for a management account, its organization instance is its own).
    pub fn available_instances(&self, account: &AccountId) -> Vec<&Instance> {
        let mut out = Vec::new();
        if let Some(org) = self.organization_of(account)
            && let Some(i) = self.organization_instance(org)
        {
            out.push(i);
        }
        if let Some(i) = self.account_instance(account) {
            out.push(i);
        }
        out
    }

    /// The SCP levels that apply to `account`, root first. Empty for standalone and management
    /// accounts: SCPs never restrict a management account.
    pub fn scp_levels(&self, account: &AccountId) -> Vec<ScpLevel<'_>> {
        let Some(org) = self.organization_of(account) else {
            return Vec::new();
        };
        if &org.management == account {
            return Vec::new();
        }
        let parent = self
            .accounts
            .get(account)
            .and_then(|a| a.parent.as_deref())
            .unwrap_or("root");
        let mut levels = vec![ScpLevel {
            name: format!("root {}", org.root_id),
            policies: org.attached_to("root"),
        }];
        for ou in org.ou_path(parent) {
            levels.push(ScpLevel {
                name: format!("OU {} ({})", ou.name, ou.id),
                policies: org.attached_to(&ou.name),
            });
        }
        levels.push(ScpLevel {
            name: format!("account {account}"),
            policies: org.attached_to(account.as_str()),
        });
        levels
    }
}

impl Organization {
    /// The OUs from the root down to `ou` (inclusive); empty for `root` or an unknown OU.
    /// Stops on a cycle, which validation reports.
    pub fn ou_path(&self, ou: &str) -> Vec<&Ou> {
        let mut path = Vec::new();
        let mut current = ou;
        while current != "root" {
            let Some(node) = self.ous.get(&current.to_owned()) else {
                break;
            };
            if path.iter().any(|o: &&Ou| o.name == node.name) {
                break;
            }
            path.push(node);
            current = &node.parent;
        }
        path.reverse();
        path
    }

    /// The policies attached to `target` (`root`, an OU name or an account id).
    pub fn attached_to(&self, target: &str) -> Vec<&Scp> {
        self.attachments
            .iter()
            .filter(|a| a.target == target)
            .filter_map(|a| self.policies.get(&a.policy))
            .collect()
    }

    /// Whether `target` is `root`, one of this organization's OUs, or (given `is_member`) one
    /// of its accounts.
    pub fn has_target(&self, target: &str, is_member: impl Fn(&str) -> bool) -> bool {
        target == "root" || self.ous.contains(&target.to_owned()) || is_member(target)
    }
}
