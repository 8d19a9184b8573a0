//! Which deployment pattern (1–4) fits stated requirements, with reasons, caveats and the
//! guard-rail SCPs to attach. The trade-offs are the seed's:
//!
//! - **1** (standalone account, its own account instance) is the only choice without AWS
//!   Organizations, and locks that instance out of a later migration: an account instance can
//!   never become the organization instance.
//! - **2** (member accounts on the organization instance) gives per-account cost and
//!   per-profile settings, but each profile spends one of the 10 allowed per organization
//!   instance per region: more than 10 departments in a region do not fit.
//! - **3** (member accounts with their own account instances) avoids the quota and splits
//!   finest, but duplicates identities: separate credentials and MFA per instance.
//! - **4** (the management account's profile on the organization instance) centralises cost,
//!   settings and governance, and needs SCPs to stop member accounts from going their own way.
//!
//! The guard rails come from [`guardrails::advise`], so a recommendation is only given with
//! rails that passed their rehearsal.

use kiro_estate::query::Standing;
use kiro_estate::{AccountId, Estate, Governance, InstanceKind};
use serde_json::{Value, json};

use crate::guardrails::{self, AdviceError, GuardRail, GuardRails};

/// What the organization needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirements {
    /// Whether AWS Organizations is (or will be) used.
    pub organizations: bool,
    /// Whether cost must be split per department (account).
    pub split_cost: bool,
    /// Whether departments need their own settings (prompt logging, overage).
    pub per_department_settings: bool,
    /// Whether Kiro must be governed centrally.
    pub central_governance: bool,
    /// How many departments (would-be profiles) per region.
    pub departments: u32,
    /// How many Kiro regions.
    pub regions: u32,
    /// Whether Organizations may be adopted later (only meaningful without it now).
    pub adopt_organizations_later: bool,
    /// The profile quota per organization instance per region (default 10).
    pub quota: u32,
}

impl Default for Requirements {
    fn default() -> Self {
        Self {
            organizations: true,
            split_cost: false,
            per_department_settings: false,
            central_governance: true,
            departments: 1,
            regions: 1,
            adopt_organizations_later: false,
            quota: 10,
        }
    }
}

/// The answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendation {
    /// 1–4.
    pub pattern: u8,
    /// Why this pattern.
    pub reasons: Vec<String>,
    /// What to watch out for.
    pub caveats: Vec<String>,
    /// The SCPs to attach, rehearsed.
    pub guard_rails: GuardRails,
}

impl Recommendation {
    /// As JSON: `{pattern, reasons, caveats, scps, template, placeholders}` (see
    /// [`GuardRails::to_json`]).
    pub fn to_json(&self) -> Value {
        json!({
            "pattern": self.pattern,
            "reasons": self.reasons,
            "caveats": self.caveats,
            "scps": self.guard_rails.rails.iter().map(GuardRail::to_json).collect::<Vec<_>>(),
            "template": self.guard_rails.template,
            "placeholders": self.guard_rails.to_json()["placeholders"],
        })
    }
}

/// The pattern for `req`, with its guard rails rehearsed (see [`guardrails::advise`]):
/// `allow` names the department accounts of patterns 2 and 3; when it is empty and `estate`
/// is given, the departments its first organization shows are used, and with neither the
/// rails are a template.
pub fn recommend(
    req: &Requirements,
    allow: &[AccountId],
    estate: Option<&Estate>,
) -> Result<Recommendation, AdviceError> {
    let (pattern, reasons, caveats) = choose(req);
    let shown = match estate {
        Some(e) if allow.is_empty() && matches!(pattern, 2 | 3) => e
            .organizations
            .iter()
            .next()
            .map(|org| crate::patterns::organization_pattern(e, org).1)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let allow = if shown.is_empty() { allow } else { &shown };
    Ok(Recommendation {
        pattern,
        reasons,
        caveats,
        guard_rails: guardrails::advise(pattern, allow, None, estate)?,
    })
}

/// The pattern for `req`, with its reasons and caveats.
fn choose(req: &Requirements) -> (u8, Vec<String>, Vec<String>) {
    let mut reasons = Vec::new();
    let mut caveats = Vec::new();
    if !req.organizations {
        reasons.push("without AWS Organizations, pattern 1 (a standalone account with its own account instance) is the only choice".to_owned());
        if req.split_cost || req.per_department_settings || req.departments > 1 {
            reasons.push("each department that needs its own bill or settings gets its own standalone account, each with its own account instance and profile".to_owned());
            caveats.push("several standalone accounts mean several identity stores: the same person in two of them has two credentials and two MFA devices, and is charged in each profile".to_owned());
        }
        if req.adopt_organizations_later {
            caveats.push("you plan to adopt Organizations later: an account instance can never be converted into the organization instance, so users, groups and subscriptions will have to be recreated there — consider creating the organization now and using pattern 4 or 2".to_owned());
        } else {
            caveats.push("if the account ever joins an organization, its account instance stays an account instance (it can never become the organization instance)".to_owned());
        }
        return (1, reasons, caveats);
    }
    let split = req.split_cost || req.per_department_settings;
    let over_quota = req.departments > req.quota;
    let pattern = if !split {
        reasons.push("one profile in the management account on the organization instance centralises cost, settings and governance".to_owned());
        if req.departments > 1 {
            reasons.push("departments are told apart by groups subscribed in that one profile; no per-department bill or settings are needed".to_owned());
        }
        4
    } else if over_quota {
        reasons.push(format!(
            "{} departments per region exceed the quota of {} profiles per organization instance per region, so departments need account instances (pattern 3), which do not count against it",
            req.departments, req.quota
        ));
        reasons.push("each department's member account holds its own profile: cost and settings split per account".to_owned());
        3
    } else {
        if req.split_cost {
            reasons.push("each department's member account holds its own profile, so the charges land on that account (cost allocation per account/OU)".to_owned());
        }
        if req.per_department_settings {
            reasons.push(
                "each profile has its own management settings (prompt logging, overage)".to_owned(),
            );
        }
        reasons.push(
            "the organization instance keeps one identity per person: one sign-in, one MFA device"
                .to_owned(),
        );
        2
    };
    match pattern {
        2 => {
            let left = req.quota.saturating_sub(req.departments);
            caveats.push(format!(
                "each department spends one of the {} profiles per organization instance per region: {} departments leave {left} per region for growth; beyond that, new departments need pattern 3",
                req.quota, req.departments
            ));
            caveats.push(
                "a person subscribed in two departments' profiles is charged in each".to_owned(),
            );
            if req.central_governance {
                caveats.push("central governance with per-department profiles: only the SCPs decide which accounts may sign up; list the department accounts as exceptions".to_owned());
            }
        }
        3 => {
            caveats.push("each account instance is a separate identity store: people in several departments get separate credentials and MFA, and are charged in each profile".to_owned());
            caveats.push("account instances cannot sign in to the AWS console or obtain account credentials, nor enable identity-enhanced sessions".to_owned());
            caveats.push("if the organization instance was enabled before 2023-11-15, the management account must first allow member account instances — an irreversible setting".to_owned());
            if req.central_governance {
                caveats.push("central governance is hard with pattern 3: settings live in each profile; use SCPs to limit which accounts may create instances and profiles".to_owned());
            }
        }
        _ => {
            caveats.push("without SCPs denying `codewhisperer:CreateProfile` and `sso:CreateInstance`, member accounts can still sign up on their own and split cost and settings".to_owned());
            if req.split_cost {
                caveats.push("all charges land on the management account; per-department cost needs allocation outside AWS billing".to_owned());
            }
            if req.per_department_settings {
                caveats.push("one profile means one set of settings for everybody".to_owned());
            }
        }
    }
    if req.regions > 1 {
        caveats.push(format!(
            "{} regions: a profile exists per account and region, and the quota applies per region",
            req.regions
        ));
    }
    (pattern, reasons, caveats)
}

/// Requirements inferred from an existing estate: whether it uses Organizations, the declared
/// governance, the busiest region's number of profile accounts, the Kiro regions in use, and
/// whether standalone accounts exist (which may join later). Settings that differ between
/// profiles, or profiles in member accounts, suggest per-department settings and cost.
pub fn infer(estate: &Estate) -> Requirements {
    let mut req = Requirements {
        quota: estate.simulator.profile_quota,
        ..Requirements::default()
    };
    req.organizations = !estate.organizations.is_empty();
    let governance: Vec<Governance> = estate
        .organizations
        .iter()
        .filter_map(|o| o.governance)
        .collect();
    req.central_governance = governance.is_empty() || governance.contains(&Governance::Central);
    let mut per_region: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
    for p in &estate.profiles {
        *per_region.entry(p.region.as_str()).or_default() += 1;
    }
    req.departments = per_region.values().copied().max().unwrap_or(1).max(1);
    req.regions = u32::try_from(per_region.len()).unwrap_or(1).max(1);
    let member_profiles = estate
        .profiles
        .iter()
        .any(|p| estate.standing(&p.account) == Standing::Member);
    req.split_cost = member_profiles;
    let first = estate.profiles.iter().next().map(|p| p.settings.clone());
    req.per_department_settings = estate
        .profiles
        .iter()
        .any(|p| Some(&p.settings) != first.as_ref());
    req.adopt_organizations_later = estate.instances.iter().any(|i| {
        i.kind == InstanceKind::Account && estate.standing(&i.account) == Standing::Standalone
    });
    if governance.contains(&Governance::Delegated) && !governance.contains(&Governance::Central) {
        req.split_cost = true;
    }
    req
}
