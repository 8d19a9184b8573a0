//! The organization: accounts, OUs, parents, SCPs and their attachments.

use std::collections::HashMap;

use aws_sdk_organizations::types::{PolicyType, PolicyTypeStatus, TargetType};
use kiro_estate::ids::Partition;
use kiro_estate::{Account, AccountId, Attachment, Organization, Ou, Scp};

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::aws::{Access, error_code, failure};
use crate::{Call, CollectError, Collection};

/// What the rest of the collection needs to know about the organization.
#[derive(Clone, Debug)]
pub struct OrgInfo {
    /// The management account.
    pub management: AccountId,
    /// The partition the organization's ARN names, for role ARNs.
    pub partition: Partition,
    /// The member accounts, in `ListAccounts` order.
    pub members: Vec<AccountId>,
}

fn call_error(call: Call, message: String) -> CollectError {
    CollectError::Call {
        operation: call.name().to_owned(),
        message,
    }
}

/// `call` failed: what AWS said, and for a denied call the action the caller lacks.
fn failed<E>(call: Call, err: &SdkError<E, HttpResponse>) -> CollectError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    call_error(call, failure(call, err))
}

/// `call`, which only the management account (or a delegated administrator) may make, failed.
fn needs_management<E>(call: Call, err: &SdkError<E, HttpResponse>) -> CollectError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    call_error(
        call,
        format!(
            "{} (collect with the management account's credentials, or a delegated administrator's)",
            failure(call, err)
        ),
    )
}

/// Collects the organization the caller belongs to into `out`; `None` when the caller is not
/// in one (a standalone account).
pub async fn collect(home: &Access, out: &mut Collection) -> Result<Option<OrgInfo>, CollectError> {
    let client = home.organizations();
    let described = match client.describe_organization().send().await {
        Ok(d) => d,
        Err(e) if error_code(&e).as_deref() == Some("AWSOrganizationsNotInUseException") => {
            return Ok(None);
        }
        Err(e) => return Err(failed(Call::DescribeOrganization, &e)),
    };
    let org = described.organization.ok_or_else(|| {
        call_error(
            Call::DescribeOrganization,
            "the answer has no organization".to_owned(),
        )
    })?;
    let management = AccountId::new(org.master_account_id().unwrap_or_default());
    let partition = org
        .arn()
        .and_then(|arn| arn.split(':').nth(1))
        .and_then(Partition::named)
        .unwrap_or_default();

    let mut roots = client.list_roots().into_paginator().send();
    let mut root_id = None;
    // Whether the root lists SCPs as enabled. AWS detaches every SCP when they are disabled,
    // so an attachment proves them enabled too (some emulators list no policy types).
    let mut scps_enabled = false;
    while let Some(page) = roots.next().await {
        let page = page.map_err(|e| needs_management(Call::ListRoots, &e))?;
        if let Some(root) = page.roots().first()
            && root_id.is_none()
        {
            root_id = root.id().map(str::to_owned);
            scps_enabled = root.policy_types().iter().any(|t| {
                t.r#type() == Some(&PolicyType::ServiceControlPolicy)
                    && t.status() == Some(&PolicyTypeStatus::Enabled)
            });
        }
    }
    let root_id = root_id.ok_or_else(|| call_error(Call::ListRoots, "no root".to_owned()))?;

    // OUs, from the root down (depth first, in the order AWS lists each parent's children).
    let mut ous: Vec<Ou> = Vec::new();
    let mut names_by_id: HashMap<String, String> = HashMap::new();
    names_by_id.insert(root_id.clone(), "root".to_owned());
    let mut stack = vec![root_id.clone()];
    let mut parents_in_order = vec![root_id.clone()];
    while let Some(parent) = stack.pop() {
        let parent_name = names_by_id.get(&parent).cloned().unwrap_or_default();
        let mut pages = client
            .list_organizational_units_for_parent()
            .parent_id(&parent)
            .into_paginator()
            .send();
        let mut children = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed(Call::ListOrganizationalUnitsForParent, &e))?;
            for ou in page.organizational_units() {
                let (Some(id), Some(name)) = (ou.id(), ou.name()) else {
                    continue;
                };
                if let Some(other) = ous.iter().find(|o| o.name == name) {
                    out.warnings.push(format!(
                        "OU name `{name}` is used by `{}` and `{id}`: the estate names OUs by name, so `{id}` is kept as `{name} ({id})`",
                        other.id
                    ));
                    let renamed = format!("{name} ({id})");
                    names_by_id.insert(id.to_owned(), renamed.clone());
                    ous.push(Ou {
                        name: renamed,
                        id: id.to_owned(),
                        parent: parent_name.clone(),
                    });
                } else {
                    names_by_id.insert(id.to_owned(), name.to_owned());
                    ous.push(Ou {
                        name: name.to_owned(),
                        id: id.to_owned(),
                        parent: parent_name.clone(),
                    });
                }
                children.push(id.to_owned());
                parents_in_order.push(id.to_owned());
            }
        }
        // Reversed so that the stack pops them in AWS's order.
        stack.extend(children.into_iter().rev());
    }

    // Accounts, in ListAccounts order; parents from ListAccountsForParent.
    let mut accounts: Vec<Account> = Vec::new();
    let mut pages = client.list_accounts().into_paginator().send();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| needs_management(Call::ListAccounts, &e))?;
        for a in page.accounts() {
            let Some(id) = a.id() else { continue };
            if let Some(state) = a.state().filter(|s| s.as_str() != "ACTIVE") {
                out.warnings.push(format!(
                    "account `{id}` is {}: collected as it is",
                    state.as_str().to_lowercase()
                ));
            }
            accounts.push(Account {
                id: AccountId::new(id),
                name: a.name().unwrap_or(id).to_owned(),
                email: a.email().map(str::to_owned),
                organization: Some(management.clone()),
                parent: None,
                joined: None,
                closed: None,
            });
        }
    }
    let mut parent_of: HashMap<String, String> = HashMap::new();
    for parent in &parents_in_order {
        let name = names_by_id.get(parent).cloned().unwrap_or_default();
        let mut pages = client
            .list_accounts_for_parent()
            .parent_id(parent)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed(Call::ListAccountsForParent, &e))?;
            for a in page.accounts() {
                if let Some(id) = a.id() {
                    parent_of.insert(id.to_owned(), name.clone());
                }
            }
        }
    }
    for a in &mut accounts {
        a.parent = match parent_of.get(a.id.as_str()) {
            // The root is where an account sits when the file says nothing.
            Some(p) if p == "root" => None,
            Some(p) => Some(p.clone()),
            None => {
                out.warnings.push(format!(
                    "account `{}` is in no root or OU that `ListAccountsForParent` shows: placed under the root",
                    a.id
                ));
                None
            }
        };
    }

    // SCPs and where they are attached.
    let mut policies: Vec<Scp> = Vec::new();
    let mut attachments: Vec<Attachment> = Vec::new();
    let mut pages = client
        .list_policies()
        .filter(PolicyType::ServiceControlPolicy)
        .into_paginator()
        .send();
    let mut summaries = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| failed(Call::ListPolicies, &e))?;
        summaries.extend(page.policies().iter().cloned());
    }
    for summary in summaries {
        let (Some(id), Some(name)) = (summary.id(), summary.name()) else {
            continue;
        };
        let described = client
            .describe_policy()
            .policy_id(id)
            .send()
            .await
            .map_err(|e| failed(Call::DescribePolicy, &e))?;
        let content = described
            .policy()
            .and_then(|p| p.content())
            .unwrap_or_default();
        let document = serde_json::from_str(content).unwrap_or_else(|_| {
            out.warnings.push(format!(
                "the document of policy `{name}` is not JSON: kept as text"
            ));
            serde_json::Value::String(content.to_owned())
        });
        policies.push(Scp {
            name: name.to_owned(),
            id: id.to_owned(),
            description: summary
                .description()
                .filter(|d| !d.is_empty())
                .map(str::to_owned),
            aws_managed: summary.aws_managed(),
            document,
        });
        let mut pages = client
            .list_targets_for_policy()
            .policy_id(id)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| failed(Call::ListTargetsForPolicy, &e))?;
            for t in page.targets() {
                let Some(target_id) = t.target_id() else {
                    continue;
                };
                let target = match t.r#type() {
                    Some(TargetType::Root) => "root".to_owned(),
                    Some(TargetType::OrganizationalUnit) => match names_by_id.get(target_id) {
                        Some(n) => n.clone(),
                        None => {
                            out.warnings.push(format!(
                                    "policy `{name}` is attached to unknown OU `{target_id}`: attachment skipped"
                                ));
                            continue;
                        }
                    },
                    _ => target_id.to_owned(),
                };
                attachments.push(Attachment {
                    policy: name.to_owned(),
                    target,
                });
            }
        }
    }

    let members = accounts
        .iter()
        .filter(|a| a.id != management)
        .map(|a| a.id.clone())
        .collect();
    for a in accounts {
        let _ = out.estate.accounts.insert(a);
    }
    let mut organization = Organization {
        management: management.clone(),
        id: org.id().unwrap_or_default().to_owned(),
        root_id,
        governance: None,
        member_account_instances_allowed: false,
        scps_disabled: !scps_enabled && attachments.is_empty(),
        feature_set: Default::default(),
        policy_types: Vec::new(),
        typed_policies: Default::default(),
        tags: Default::default(),
        trusted_services: Vec::new(),
        delegated_administrators: Vec::new(),
        handshakes: Vec::new(),
        transfers: Vec::new(),
        resource_policy: None,
        ous: Default::default(),
        policies: Default::default(),
        attachments,
    };
    for ou in ous {
        let _ = organization.ous.insert(ou);
    }
    for p in policies {
        if let Err(p) = organization.policies.insert(p) {
            out.warnings.push(format!(
                "two SCPs are named `{}`: only the first is kept",
                p.name
            ));
        }
    }
    if !out.estate.accounts.contains(&management) {
        out.warnings.push(format!(
            "`ListAccounts` does not list the management account `{management}`"
        ));
        let _ = out.estate.accounts.insert(Account {
            id: management.clone(),
            name: management.to_string(),
            email: org.master_account_email().map(str::to_owned),
            organization: Some(management.clone()),
            parent: None,
            joined: None,
            closed: None,
        });
        out.unnamed_accounts.insert(management.clone());
    }
    let _ = out.estate.organizations.insert(organization);
    Ok(Some(OrgInfo {
        management,
        partition,
        members,
    }))
}
