//! Questions every part of kiro-org asks of an estate: whose organization is this account in,
//! which instances can a profile use, which SCPs apply at which level.

use std::collections::HashMap;

use crate::ids::{self, AccountId, Partition};
use crate::model::{
    Account, Estate, Instance, InstanceKind, Organization, Ou, Scp, Transfer, TransferStatus,
};

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
    /// Where the level is.
    pub at: LevelAt<'e>,
    /// The policies attached at this level.
    pub policies: Vec<&'e Scp>,
}

/// Where an SCP level is: the root, an OU, or the account itself.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LevelAt<'e> {
    /// The root, by its id (`r-…`).
    Root(&'e str),
    /// An OU on the path from the root to the account.
    Ou(&'e Ou),
    /// The account.
    Account(&'e AccountId),
}

impl ScpLevel<'_> {
    /// A name for people: `root r-ab12`, `OU engineering (ou-…)`, `account 210987654321`.
    /// Built on demand: a question answered from a cache never needs it.
    pub fn name(&self) -> String {
        match self.at {
            LevelAt::Root(id) => format!("root {id}"),
            LevelAt::Ou(ou) => format!("OU {} ({})", ou.name, ou.id),
            LevelAt::Account(id) => format!("account {id}"),
        }
    }
}

/// The SCPs attached to each target of one organization, indexed once: asking for the levels
/// of many accounts by scanning every attachment each time would be quadratic in large
/// organizations.
#[derive(Clone, Debug)]
pub struct Attached<'e> {
    org: &'e Organization,
    by_target: HashMap<&'e str, Vec<&'e Scp>>,
}

impl<'e> Attached<'e> {
    /// The organization indexed.
    pub fn organization(&self) -> &'e Organization {
        self.org
    }

    /// The policies attached to `target` (`root`, an OU name or an account id).
    pub fn to(&self, target: &str) -> &[&'e Scp] {
        self.by_target.get(target).map_or(&[], Vec::as_slice)
    }

    /// The SCP levels that apply to `account` of this organization, root first: the one
    /// place the path from the root to an account is turned into levels. Empty for the
    /// management account (SCPs never restrict it) and for an account the estate does not
    /// hold as a member of this organization.
    pub fn levels(&self, estate: &'e Estate, account: &AccountId) -> Vec<ScpLevel<'e>> {
        let org = self.org;
        let Some(member) = estate.account(account) else {
            return Vec::new();
        };
        if org.management == member.id || member.organization.as_ref() != Some(&org.management) {
            return Vec::new();
        }
        let level = |at, target: &str| ScpLevel {
            at,
            policies: self.to(target).to_vec(),
        };
        let parent = member.parent.as_deref().unwrap_or("root");
        let path = org.ou_path(parent);
        let mut levels = Vec::with_capacity(path.len() + 2);
        levels.push(level(LevelAt::Root(&org.root_id), "root"));
        levels.extend(path.into_iter().map(|ou| level(LevelAt::Ou(ou), &ou.name)));
        levels.push(level(LevelAt::Account(&member.id), member.id.as_str()));
        levels
    }
}

impl Estate {
    /// The region that decides the estate's partition: its first Identity Center instance's,
    /// else its first Kiro profile's; none while it has neither. Instances come first because
    /// a profile needs one; the organization has no region of its own.
    pub fn home_region(&self) -> Option<&str> {
        self.instances
            .iter()
            .map(|i| i.region.as_str())
            .chain(self.profiles.iter().map(|p| p.region.as_str()))
            .next()
    }

    /// The partition every ARN of the estate is in: its home region's ([`Estate::home_region`]),
    /// `aws` for an estate without regions. One for the whole estate, as an organization, its
    /// instances and profiles live in one partition in AWS;
    /// [`crate::validate::partition_rule`] keeps every other region in it.
    pub fn partition(&self) -> Partition {
        self.home_region().map_or(Partition::Aws, ids::partition)
    }

    /// The account with `id`.
    pub fn account(&self, id: &AccountId) -> Option<&Account> {
        self.accounts.get(id)
    }

    /// The responsibility transfer `id`, when `party` takes part in it (as the management
    /// account that manages it or the one whose organization's billing it transfers): the
    /// organization holding it and its position there.
    pub fn transfer(&self, party: &AccountId, id: &str) -> Option<(&Organization, usize)> {
        self.organizations.iter().find_map(|o| {
            o.transfers
                .iter()
                .position(|t| t.id == id && (&o.management == party || &t.source == party))
                .map(|i| (o, i))
        })
    }

    /// The transfer in force (accepted, not terminated) of the organization whose management
    /// account is `source`, other than the one handshake `except` asks for, and the
    /// organization managing it: an organization transfers its billing to one organization
    /// at a time.
    pub fn transfer_in_force(
        &self,
        source: &AccountId,
        except: Option<&str>,
    ) -> Option<(&Organization, &Transfer)> {
        self.organizations.iter().find_map(|o| {
            o.transfers
                .iter()
                .find(|t| {
                    &t.source == source
                        && t.status == TransferStatus::Accepted
                        && except != Some(t.handshake.as_str())
                })
                .map(|t| (o, t))
        })
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
    /// accounts: SCPs never restrict a management account. For many accounts, index the
    /// attachments once with [`Organization::attached`] and ask [`Attached::levels`].
    pub fn scp_levels(&self, account: &AccountId) -> Vec<ScpLevel<'_>> {
        self.organization_of(account)
            .map(|org| org.attached().levels(self, account))
            .unwrap_or_default()
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

    /// The policies attached to every target, indexed for many lookups.
    pub fn attached(&self) -> Attached<'_> {
        let mut by_target: HashMap<&str, Vec<&Scp>> = HashMap::new();
        for a in &self.attachments {
            if let Some(scp) = self.policies.get(&a.policy) {
                by_target.entry(a.target.as_str()).or_default().push(scp);
            }
        }
        Attached {
            org: self,
            by_target,
        }
    }

    /// Whether `target` is `root`, one of this organization's OUs, or (given `is_member`) one
    /// of its accounts.
    pub fn has_target(&self, target: &str, is_member: impl Fn(&str) -> bool) -> bool {
        target == "root" || self.ous.contains(&target.to_owned()) || is_member(target)
    }
}

impl Instance {
    /// The partition of the instance's ARNs and its identity store's: its region's, which is
    /// the estate's ([`Estate::partition`]) in any valid estate, and already the right one for
    /// an instance being created as the estate's first.
    pub fn partition(&self) -> Partition {
        ids::partition(&self.region)
    }
}
