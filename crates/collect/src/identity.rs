//! Identity Center: instances, their directories, the `KiroProfile-*` applications (profiles)
//! and, optionally, the subscriptions of those profiles.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use aws_sdk_ssoadmin::types::InstanceMetadata;
use kiro_estate::{
    Account, AccountId, Group, Instance, InstanceKind, Name, Plan, Profile, ProfileKey, Status,
    Subscription, User,
};
use serde_json::Value;

use crate::aws::{Access, failure};
use crate::organization::OrgInfo;
use crate::{Call, CollectError, Collection, MemberAccess, Options, subscriptions};

/// The prefix of the application that registers a Kiro profile.
pub const PROFILE_PREFIX: &str = "KiroProfile-";

fn date_of(dt: &aws_smithy_types::DateTime) -> Option<jiff::civil::Date> {
    jiff::Timestamp::from_second(dt.secs())
        .ok()
        .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

fn today() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// How many member accounts (and groups of a directory) are read at once: enough to hide
/// latency on large organizations, few enough to stay clear of AWS's throttling.
pub const CONCURRENCY: usize = 8;

/// What every visit shares.
struct Ctx {
    options: Options,
    org: Option<OrgInfo>,
    /// The regions to list instances in.
    regions: Vec<String>,
    /// Accounts the organization listed (a visit adds placeholders only for others).
    known: HashSet<AccountId>,
    /// Member accounts visited as themselves: only they read their instances.
    visited: HashSet<AccountId>,
}

/// Runs `f` on every item, at most `limit` at once, and gives the results in item order (so
/// that the estate does not depend on which call answered first).
pub async fn ordered<T, R, F, Fut>(
    items: Vec<T>,
    limit: usize,
    f: F,
) -> Result<Vec<R>, CollectError>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut,
    Fut: Future<Output = R> + Send + 'static,
{
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let mut tasks = tokio::task::JoinSet::new();
    let mut pending = items.into_iter().enumerate();
    loop {
        while tasks.len() < limit.max(1) {
            let Some((i, item)) = pending.next() else {
                break;
            };
            let fut = f(item);
            tasks.spawn(async move { (i, fut.await) });
        }
        match tasks.join_next().await {
            Some(Ok((i, r))) => {
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(r);
                }
            }
            Some(Err(e)) => {
                return Err(CollectError::Call {
                    operation: "collect".to_owned(),
                    message: format!("a concurrent read failed: {e}"),
                });
            }
            None => break,
        }
    }
    Ok(results.into_iter().flatten().collect())
}

/// Collects every instance the caller (and each member account it may act as) can see.
pub async fn collect(
    options: &Options,
    home: &Access,
    org: Option<&OrgInfo>,
    out: &mut Collection,
) -> Result<(), CollectError> {
    let mut regions = vec![home.region.clone()];
    for r in &options.instance_regions {
        if !regions.contains(r) {
            regions.push(r.clone());
        }
    }
    let mut members: Vec<(AccountId, Access)> = Vec::new();
    if let Some(org) = org {
        if options.members == MemberAccess::None && !org.members.is_empty() {
            out.warnings.push(format!(
                "the {} member accounts were not visited: their account instances, directories and profiles are not collected (use `--member-role`)",
                org.members.len()
            ));
        }
        for m in &org.members {
            if let Some(access) = home.member(options, m.as_str(), org.partition).await? {
                members.push((m.clone(), access));
            }
        }
    }
    let ctx = Arc::new(Ctx {
        options: options.clone(),
        org: org.cloned(),
        regions,
        known: out.estate.accounts.iter().map(|a| a.id.clone()).collect(),
        visited: members.iter().map(|(m, _)| m.clone()).collect(),
    });
    let home_part = visit(Arc::clone(&ctx), None, home.clone()).await;
    absorb(out, home_part);
    let parts = ordered(members, CONCURRENCY, |(m, access)| {
        visit(Arc::clone(&ctx), Some(m), access)
    })
    .await?;
    for part in parts {
        absorb(out, part);
    }
    // ListInstances is regional: an empty answer most often means the wrong region.
    if out.estate.instances.is_empty() {
        out.warnings.push(format!(
            "no Identity Center instance was found in {}: pass `--region` or `--instance-region` with the region Identity Center runs in (the Identity Center console's Settings page shows it)",
            ctx.regions
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(())
}

/// Adds what one visit found to the collection, in order.
fn absorb(out: &mut Collection, part: Collection) {
    out.warnings.extend(part.warnings);
    for a in part.estate.accounts.iter() {
        let id = a.id.clone();
        if out.estate.accounts.insert(a.clone()).is_ok() && part.unnamed_accounts.contains(&id) {
            out.unnamed_accounts.insert(id);
        }
    }
    for i in part.estate.instances.iter() {
        if let Err(i) = out.estate.instances.insert(i.clone()) {
            out.warnings.push(format!(
                "account `{}` owns two instances: only the first is kept",
                i.account
            ));
        }
    }
    for p in part.estate.profiles.iter() {
        if let Err(p) = out.estate.profiles.insert(p.clone()) {
            out.warnings.push(format!(
                "two profiles for `{}/{}`: only the first is kept",
                p.account, p.region
            ));
        }
    }
    out.live_subscriptions.extend(part.live_subscriptions);
    out.unlisted_instances.extend(part.unlisted_instances);
    out.uncertain_regions.extend(part.uncertain_regions);
}

/// Lists and reads the instances that `who` (the caller when `None`) owns, in every region.
async fn visit(ctx: Arc<Ctx>, who: Option<AccountId>, access: Access) -> Collection {
    let mut out = Collection::default();
    // Every region each instance was listed in, and its owner when its region is only inferred.
    let mut seen: HashMap<String, Vec<String>> = HashMap::new();
    let mut inferred: Vec<(String, AccountId)> = Vec::new();
    for region in &ctx.regions {
        let client = access.sso_admin(region);
        let mut stream = client.list_instances().into_paginator().items().send();
        let mut listed: Vec<InstanceMetadata> = Vec::new();
        let mut failed = None;
        while let Some(item) = stream.next().await {
            match item {
                Ok(i) => listed.push(i),
                Err(e) => {
                    failed = Some(failure(Call::ListInstances, &e));
                    break;
                }
            }
        }
        if let Some(e) = failed {
            let whose = who
                .as_ref()
                .map_or_else(|| "the caller".to_owned(), |m| format!("account `{m}`"));
            out.warnings.push(format!(
                "cannot list the Identity Center instances of {whose} in `{region}`: {e}"
            ));
            continue;
        }
        for meta in listed {
            let Some(arn) = meta.instance_arn().map(str::to_owned) else {
                continue;
            };
            let owner = AccountId::new(meta.owner_account_id().unwrap_or_default());
            let read_here = match &who {
                Some(m) => *m == owner,
                // The management account sees its members' account instances too, but only
                // their owners can read their directories and applications.
                None => !ctx.visited.contains(&owner),
            };
            if !read_here {
                continue;
            }
            let regions_seen = seen.entry(arn.clone()).or_default();
            regions_seen.push(region.clone());
            if regions_seen.len() > 1 {
                continue;
            }
            if let Some(owner) = instance(&ctx, &access, region, &arn, meta, &mut out).await {
                inferred.push((arn, owner));
            }
        }
    }
    // ListInstances is regional in AWS: an instance listed in one region lives there. One listed
    // in several regions without a `PrimaryRegion` came from an endpoint that ignores the region.
    for (arn, owner) in inferred {
        let regions = seen.get(&arn).cloned().unwrap_or_default();
        if regions.len() > 1 {
            out.warnings.push(format!(
                "instance `{arn}` is listed in {} and shows no `PrimaryRegion`: its region is taken as `{}` (an export given to `--merge` corrects it)",
                regions.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", "),
                regions.first().map_or("", String::as_str)
            ));
            out.uncertain_regions.insert(owner);
        }
    }
    out
}

/// Collects one instance, its directory, its profiles and their subscriptions.
async fn instance(
    ctx: &Ctx,
    access: &Access,
    listed_in: &str,
    arn: &str,
    meta: InstanceMetadata,
    out: &mut Collection,
) -> Option<AccountId> {
    let org = ctx.org.as_ref();
    let sso = access.sso_admin(listed_in);
    let mut created = meta.created_date().and_then(date_of);
    let mut primary = meta.primary_region().map(str::to_owned);
    let mut store = meta.identity_store_id().map(str::to_owned);
    match sso.describe_instance().instance_arn(arn).send().await {
        Ok(d) => {
            created = d.created_date().and_then(date_of).or(created);
            primary = d.primary_region().map(str::to_owned).or(primary);
            store = d.identity_store_id().map(str::to_owned).or(store);
        }
        Err(e) => out.warnings.push(format!(
            "`DescribeInstance` of `{arn}` failed ({}): using what `ListInstances` shows",
            failure(Call::DescribeInstance, &e)
        )),
    }
    let owner = AccountId::new(meta.owner_account_id().unwrap_or_default());
    let region_inferred = primary.is_none();
    let region = primary.unwrap_or_else(|| listed_in.to_owned());
    let Some(store) = store else {
        out.warnings
            .push(format!("instance `{arn}` has no identity store: skipped"));
        return None;
    };
    let created = created.unwrap_or_else(|| {
        out.warnings.push(format!(
            "instance `{arn}` shows no creation date: today's is used (it decides whether member accounts may create account instances)"
        ));
        today()
    });
    let kind = if org.is_some_and(|o| o.management == owner) {
        InstanceKind::Organization
    } else {
        InstanceKind::Account
    };
    let id = arn.rsplit('/').next().unwrap_or(arn).to_owned();
    let mut inst = Instance {
        account: owner.clone(),
        kind,
        region: region.clone(),
        created,
        id,
        identity_store: store.clone(),
        kiro_session_days: None,
        identity_enhanced_sessions: false,
        name: None,
        applications: Default::default(),
        permission_sets: Default::default(),
        account_assignments: Vec::new(),
        identity_store_network: None,
        replica_regions: Default::default(),
        access_control_attributes: None,
        trusted_token_issuers: Default::default(),
        tags: Default::default(),
        users: Default::default(),
        groups: Default::default(),
    };
    directory(access, &region, &mut inst, out).await;

    if !ctx.known.contains(&owner) && !out.estate.accounts.contains(&owner) {
        out.unnamed_accounts.insert(owner.clone());
        let _ = out.estate.accounts.insert(Account {
            id: owner.clone(),
            name: owner.to_string(),
            email: None,
            organization: None,
            parent: None,
            joined: None,
            closed: None,
        });
    }

    // Profiles: the `KiroProfile-<region>` applications of this instance.
    let mut profiles: Vec<Profile> = Vec::new();
    let mut apps = sso
        .list_applications()
        .instance_arn(arn)
        .into_paginator()
        .items()
        .send();
    let mut failed = None;
    while let Some(app) = apps.next().await {
        match app {
            Ok(app) => {
                let Some(profile_region) = app.name().and_then(|n| n.strip_prefix(PROFILE_PREFIX))
                else {
                    continue;
                };
                let account = app
                    .application_account()
                    .map_or_else(|| owner.clone(), AccountId::new);
                profiles.push(Profile {
                    account,
                    region: profile_region.to_owned(),
                    instance: owner.clone(),
                    id: String::new(),
                    created: app.created_date().and_then(date_of),
                    settings: Default::default(),
                    subscriptions: Default::default(),
                });
            }
            Err(e) => {
                failed = Some(failure(Call::ListApplications, &e));
                break;
            }
        }
    }
    if let Some(e) = failed {
        out.warnings.push(format!(
            "`ListApplications` is not available for instance `{arn}` ({e}): its Kiro profiles are not collected"
        ));
        out.unlisted_instances.insert(owner.clone());
        profiles.clear();
    }

    if ctx.options.subscriptions && !profiles.is_empty() {
        let regions: BTreeSet<String> = profiles.iter().map(|p| p.region.clone()).collect();
        for sub_region in regions {
            match subscriptions::list(access, &region, arn, &sub_region).await {
                Ok(items) => {
                    attach_subscriptions(&inst, &sub_region, &items, &mut profiles, out);
                }
                Err(e) => out.warnings.push(format!(
                    "`{}` failed for instance `{arn}` in `{sub_region}` ({e}): those subscriptions come from `--merge` or are left empty",
                    subscriptions::TARGET
                )),
            }
        }
    }

    for p in profiles {
        let key = ProfileKey::new(&p.account, &p.region);
        if !ctx.known.contains(&p.account) && !out.estate.accounts.contains(&p.account) {
            out.warnings.push(format!(
                "profile `{key}` belongs to account `{}`, which the organization does not list: the account is added by id",
                p.account
            ));
            out.unnamed_accounts.insert(p.account.clone());
            let _ = out.estate.accounts.insert(Account {
                id: p.account.clone(),
                name: p.account.to_string(),
                email: None,
                organization: None,
                parent: None,
                joined: None,
                closed: None,
            });
        }
        if let Err(p) = out.estate.profiles.insert(p) {
            out.warnings.push(format!(
                "two profiles for `{}/{}`: only the first is kept",
                p.account, p.region
            ));
            out.live_subscriptions.remove(&key);
        }
    }
    if let Err(i) = out.estate.instances.insert(inst) {
        out.warnings.push(format!(
            "account `{}` owns two instances: only the first is kept (`{arn}` is dropped)",
            i.account
        ));
        return None;
    }
    region_inferred.then_some(owner)
}

/// The user's enterprise attributes (`costCenter`, `department`, …), for chargeback: the
/// string values of the extension the listing asked for.
fn enterprise_attributes(
    u: &aws_sdk_identitystore::types::User,
) -> std::collections::BTreeMap<String, String> {
    use aws_smithy_types::Document;
    match u
        .extensions()
        .and_then(|e| e.get(kiro_estate::ENTERPRISE_EXTENSION))
    {
        Some(Document::Object(map)) => map
            .iter()
            .filter_map(|(k, v)| match v {
                Document::String(s) => Some((k.clone(), s.clone())),
                _ => None,
            })
            .collect(),
        _ => std::collections::BTreeMap::new(),
    }
}

/// Users, groups and memberships of `inst`'s identity store.
async fn directory(access: &Access, region: &str, inst: &mut Instance, out: &mut Collection) {
    let client = access.identity_store(region);
    let store = inst.identity_store.clone();
    let mut names_by_id: HashMap<String, Name> = HashMap::new();
    let mut users = client
        .list_users()
        .identity_store_id(&store)
        .extensions(kiro_estate::ENTERPRISE_EXTENSION)
        .into_paginator()
        .items()
        .send();
    while let Some(u) = users.next().await {
        let u = match u {
            Ok(u) => u,
            Err(e) => {
                out.warnings.push(format!(
                    "cannot list the users of identity store `{store}`: {}",
                    failure(Call::ListUsers, &e)
                ));
                break;
            }
        };
        let Some(user_name) = u.user_name() else {
            continue;
        };
        let emails = u.emails();
        let email = emails
            .iter()
            .find(|e| e.primary())
            .or_else(|| emails.first())
            .and_then(|e| e.value())
            .unwrap_or_default()
            .to_owned();
        let email = (!email.is_empty()).then_some(email);
        if email.is_none() {
            out.warnings.push(format!(
                "user `{user_name}` of identity store `{store}` has no email address: duplicates across identity stores cannot be recognised for them"
            ));
        }
        names_by_id.insert(u.user_id().to_owned(), user_name.into());
        let _ = inst.users.insert(User {
            user_name: user_name.into(),
            id: u.user_id().into(),
            email: email.map(Into::into),
            display_name: u.display_name().map(str::to_owned),
            attributes: enterprise_attributes(&u),
        });
    }
    let mut groups = client
        .list_groups()
        .identity_store_id(&store)
        .into_paginator()
        .items()
        .send();
    let mut listed = Vec::new();
    while let Some(g) = groups.next().await {
        match g {
            Ok(g) => listed.push(g),
            Err(e) => {
                out.warnings.push(format!(
                    "cannot list the groups of identity store `{store}`: {}",
                    failure(Call::ListGroups, &e)
                ));
                break;
            }
        }
    }
    // Memberships are one call (or more) per group: read several groups at once.
    let requests: Vec<(String, String)> = listed
        .iter()
        .map(|g| {
            (
                g.group_id().to_owned(),
                g.display_name().unwrap_or(g.group_id()).to_owned(),
            )
        })
        .collect();
    let memberships = ordered(requests.clone(), CONCURRENCY, |(group_id, _)| {
        let client = client.clone();
        let store = store.clone();
        async move {
            let mut members = client
                .list_group_memberships()
                .identity_store_id(&store)
                .group_id(&group_id)
                .into_paginator()
                .items()
                .send();
            let mut user_ids = Vec::new();
            while let Some(m) = members.next().await {
                match m {
                    Ok(m) => {
                        if let Some(user_id) = m.member_id().and_then(|id| id.as_user_id().ok()) {
                            user_ids.push(user_id.to_owned());
                        }
                    }
                    Err(e) => return (user_ids, Some(failure(Call::ListGroupMemberships, &e))),
                }
            }
            (user_ids, None)
        }
    })
    .await;
    let memberships = match memberships {
        Ok(m) => m,
        Err(e) => {
            out.warnings.push(format!(
                "cannot list the group memberships of identity store `{store}`: {e}"
            ));
            Vec::new()
        }
    };
    let empty = (Vec::new(), None);
    for (i, (group_id, name)) in requests.into_iter().enumerate() {
        let (user_ids, failure) = memberships.get(i).unwrap_or(&empty);
        if let Some(e) = failure {
            out.warnings.push(format!(
                "cannot list the members of group `{name}` in identity store `{store}`: {e}"
            ));
        }
        let mut group = Group {
            name: name.as_str().into(),
            id: group_id.as_str().into(),
            description: None,
            members: Default::default(),
        };
        for user_id in user_ids {
            match names_by_id.get(user_id) {
                Some(n) => {
                    group.members.insert(n.clone());
                }
                None => out.warnings.push(format!(
                    "group `{name}` of identity store `{store}` has an unknown member `{user_id}`: skipped"
                )),
            }
        }
        if inst.groups.insert(group).is_err() {
            out.warnings.push(format!(
                "two groups are named `{name}` in identity store `{store}`: only the first is kept"
            ));
        }
    }
}

/// The plan a `subscriptionType` names (`Q_DEVELOPER_STANDALONE_PRO_PLUS`, …), by its suffix so
/// that other prefixes of the same plans are understood too.
pub fn plan_of(wire: &str) -> Option<Plan> {
    let w = wire.to_ascii_uppercase();
    if w.ends_with("PRO_PLUS") {
        Some(Plan::ProPlus)
    } else if w.ends_with("PRO_MAX") {
        Some(Plan::ProMax)
    } else if w.ends_with("POWER") {
        Some(Plan::Power)
    } else if w.ends_with("PRO") {
        Some(Plan::Pro)
    } else {
        None
    }
}

/// Puts the `ListUserSubscriptions` items of `region` into the instance's profiles there.
fn attach_subscriptions(
    inst: &Instance,
    region: &str,
    items: &[Value],
    profiles: &mut [Profile],
    out: &mut Collection,
) {
    let in_region: Vec<usize> = profiles
        .iter()
        .enumerate()
        .filter(|(_, p)| p.region == region)
        .map(|(i, _)| i)
        .collect();
    for &i in &in_region {
        out.live_subscriptions
            .insert(ProfileKey::new(&profiles[i].account, region));
    }
    let field = |item: &Value, k: &str| item.get(k).and_then(Value::as_str).map(str::to_owned);
    for item in items {
        let kind = field(item, "principalType").unwrap_or_default();
        let id = field(item, "principalId").unwrap_or_default();
        let name = field(item, "principalName");
        let (user_name, group) = match kind.as_str() {
            "USER" => (
                inst.users
                    .iter()
                    .find(|u| u.id == id)
                    .map(|u| u.user_name.clone())
                    .or(name.map(Into::into)),
                None,
            ),
            "GROUP" => (
                None,
                inst.groups
                    .iter()
                    .find(|g| g.id == id)
                    .map(|g| g.name.clone())
                    .or(name.map(Into::into)),
            ),
            _ => (None, None),
        };
        if user_name.is_none() && group.is_none() {
            out.warnings.push(format!(
                "a subscription in `{region}` names no principal this collector understands ({item}): skipped"
            ));
            continue;
        }
        let Some(plan) = field(item, "subscriptionType").as_deref().and_then(plan_of) else {
            out.warnings.push(format!(
                "a subscription in `{region}` has an unknown subscription type ({item}): skipped"
            ));
            continue;
        };
        let status = match field(item, "status").as_deref() {
            Some(s) if s.eq_ignore_ascii_case("PENDING") => Status::Pending,
            _ => Status::Active,
        };
        let account = field(item, "applicationAccount");
        let target = match account {
            Some(a) => in_region
                .iter()
                .copied()
                .find(|&i| profiles[i].account.as_str() == a),
            None if in_region.len() == 1 => in_region.first().copied(),
            None => None,
        };
        let Some(i) = target else {
            out.warnings.push(format!(
                "a subscription in `{region}` belongs to no profile of instance `{}` ({item}): skipped",
                inst.id
            ));
            continue;
        };
        let profile = &mut profiles[i];
        if let Some(id) = field(item, "profileArn")
            .as_deref()
            .and_then(|a| a.rsplit('/').next())
            .filter(|s| !s.is_empty() && profile.id.is_empty())
        {
            profile.id = id.to_owned();
        }
        let sub = Subscription {
            user_name,
            group,
            plan,
            status,
        };
        if let Err(s) = profile.subscriptions.insert(sub) {
            out.warnings.push(format!(
                "{} is listed twice in profile `{}/{}`: the first is kept",
                s.principal(),
                profile.account,
                profile.region
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn concurrent_reads_keep_the_order_of_their_items() {
        let items: Vec<u64> = (0..20).collect();
        let out = ordered(items.clone(), 4, |i| async move {
            // The first items answer last.
            tokio::time::sleep(std::time::Duration::from_millis(20 - i)).await;
            i * 10
        })
        .await
        .unwrap();
        assert_eq!(out, items.iter().map(|i| i * 10).collect::<Vec<_>>());
    }

    #[test]
    fn plans_by_wire_name() {
        assert_eq!(plan_of("Q_DEVELOPER_STANDALONE_PRO"), Some(Plan::Pro));
        assert_eq!(
            plan_of("Q_DEVELOPER_STANDALONE_PRO_PLUS"),
            Some(Plan::ProPlus)
        );
        assert_eq!(
            plan_of("Q_DEVELOPER_STANDALONE_PRO_MAX"),
            Some(Plan::ProMax)
        );
        assert_eq!(plan_of("Q_DEVELOPER_STANDALONE_POWER"), Some(Plan::Power));
        assert_eq!(plan_of("SOMETHING_ELSE"), None);
    }
}
