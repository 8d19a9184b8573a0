//! Overlaying an admin's export (an estate file) on a collection: what no API shows.
//!
//! Taken from the export, where the collection has the same organization, instance or profile:
//! - an organization's `governance` and `member-account-instances-allowed`;
//! - an instance's `kiro-session-days` and `identity-enhanced-sessions`, and its `region` when
//!   the collection could not establish it;
//! - a profile's `settings`, and its `created` date when the application showed none;
//! - a profile's `subscriptions`, unless `ListUserSubscriptions` answered for it (live data wins);
//! - the name and email of accounts that no organization names (standalone accounts);
//! - the `simulator` parameters.
//!
//! Profiles of the export that AWS did not list are added only for instances whose
//! `ListApplications` failed; elsewhere AWS is right and they are reported as gone. Nothing else
//! of the export is used: accounts, OUs, SCPs, instances and directories are AWS's.

use crate::Collection;
use kiro_estate::Estate;

/// Overlays `export` on `collection` (see the module documentation), adding a warning for each
/// part of the export that does not match what AWS shows.
pub fn merge(collection: &mut Collection, export: &Estate) {
    let Collection {
        estate,
        warnings,
        live_subscriptions,
        unlisted_instances,
        unnamed_accounts,
        uncertain_regions,
    } = collection;
    estate.simulator = export.simulator.clone();
    for org in export.organizations.iter() {
        match estate.organizations.get_mut(&org.management) {
            Some(target) => {
                target.governance = org.governance;
                target.member_account_instances_allowed |= org.member_account_instances_allowed;
            }
            None => warnings.push(format!(
                "the export's organization of `{}` is not the one collected: its governance is ignored",
                org.management
            )),
        }
    }
    for inst in export.instances.iter() {
        match estate.instances.get_mut(&inst.account) {
            Some(target) => {
                target.kiro_session_days = inst.kiro_session_days;
                target.identity_enhanced_sessions = inst.identity_enhanced_sessions;
                if uncertain_regions.contains(&inst.account) {
                    target.region = inst.region.clone();
                }
            }
            None => warnings.push(format!(
                "the export's instance of account `{}` was not collected: its settings are ignored",
                inst.account
            )),
        }
    }
    for account in unnamed_accounts.iter() {
        if let (Some(target), Some(from)) = (
            estate.accounts.get_mut(account),
            export.accounts.get(account),
        ) {
            target.name = from.name.clone();
            if target.email.is_none() {
                target.email = from.email.clone();
            }
        }
    }
    for profile in export.profiles.iter() {
        let key = kiro_estate::HasKey::key(profile);
        match estate.profiles.get_mut(&key) {
            Some(target) => {
                target.settings = profile.settings.clone();
                if target.created.is_none() {
                    target.created = profile.created;
                }
                if !live_subscriptions.contains(&key) {
                    target.subscriptions = profile.subscriptions.clone();
                }
            }
            None if unlisted_instances.contains(&profile.instance) => {
                warnings.push(format!(
                    "profile `{key}` comes from the export: AWS could not list its instance's applications"
                ));
                let _ = estate.profiles.insert(profile.clone());
            }
            None => warnings.push(format!(
                "the export's profile `{key}` is not in AWS: ignored"
            )),
        }
    }
    crate::admit_profile_regions(estate, warnings);
}
