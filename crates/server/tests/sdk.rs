//! The real AWS SDK for Rust clients against the server, in process on 127.0.0.1:0, including
//! their paginators.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

mod common;

use aws_sdk_identitystore::types::{AlternateIdentifier, Email, MemberId, UniqueAttribute};
use aws_sdk_organizations::types::{ChildType, PolicyType};
use aws_sdk_ssoadmin::types::PrincipalType;

/// Every item of every page of the paginated request `$request`.
macro_rules! every_item {
    ($request:expr) => {
        $request
            .into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .unwrap()
    };
}

/// Identifies a user or group by the unique attribute `path` being `value`.
fn unique(path: &str, value: &str) -> AlternateIdentifier {
    AlternateIdentifier::UniqueAttribute(
        UniqueAttribute::builder()
            .attribute_path(path)
            .attribute_value(aws_smithy_types::Document::String(value.into()))
            .build()
            .unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizations_through_the_sdk() {
    let (_server, _dir, url) = common::start().await;
    let org = aws_sdk_organizations::Client::new(&common::sdk(&url, "AKIDTEST").await);

    let o = org
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(o.master_account_id(), Some("123456789012"));
    assert!(o.id().unwrap().starts_with("o-"));

    // Organizations paginators have no `.items()`: iterate pages.
    let mut pages = org.list_accounts().max_results(1).into_paginator().send();
    let mut ids = Vec::new();
    let mut n_pages = 0;
    while let Some(page) = pages.next().await {
        n_pages += 1;
        ids.extend(
            page.unwrap()
                .accounts
                .unwrap_or_default()
                .into_iter()
                .map(|a| a.id.unwrap()),
        );
    }
    assert_eq!(n_pages, 4);
    assert_eq!(
        ids,
        [
            "123456789012",
            "666666666666",
            "444444444444",
            "555555555555"
        ]
    );

    let roots = org.list_roots().send().await.unwrap().roots.unwrap();
    let root = roots[0].id().unwrap().to_owned();
    assert!(root.starts_with("r-"));
    let ous = org
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .send()
        .await
        .unwrap();
    let projects = ous.organizational_units()[0].clone();
    assert_eq!(projects.name(), Some("projects"));
    let children = org
        .list_children()
        .parent_id(projects.id().unwrap())
        .child_type(ChildType::Account)
        .send()
        .await
        .unwrap();
    assert_eq!(children.children().len(), 2);
    let in_projects = org
        .list_accounts_for_parent()
        .parent_id(projects.id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(in_projects.accounts().len(), 2);

    let policies = org
        .list_policies()
        .filter(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = policies
        .policies()
        .iter()
        .filter_map(|p| p.name())
        .collect();
    assert_eq!(names, ["FullAWSAccess", "deny-account-instances"]);

    let created = org
        .create_policy()
        .name("deny-kiro-signup")
        .description("no Kiro profiles in member accounts")
        .r#type(PolicyType::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"codewhisperer:CreateProfile","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let policy_id = created
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let attach = org.attach_policy().policy_id(&policy_id).target_id(&root);
    attach.clone().send().await.unwrap();
    let described = org
        .describe_policy()
        .policy_id(&policy_id)
        .send()
        .await
        .unwrap();
    assert!(
        described
            .policy()
            .unwrap()
            .content()
            .unwrap()
            .contains("codewhisperer:CreateProfile")
    );
    let targets = org
        .list_targets_for_policy()
        .policy_id(&policy_id)
        .send()
        .await
        .unwrap();
    assert_eq!(targets.targets()[0].target_id(), Some(root.as_str()));
    let on_root = org
        .list_policies_for_target()
        .target_id(&root)
        .filter(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    assert_eq!(on_root.policies().len(), 2);
    let again = attach.send().await.unwrap_err();
    assert_eq!(
        again.into_service_error().meta().code(),
        Some("DuplicatePolicyAttachmentException")
    );
    org.detach_policy()
        .policy_id(&policy_id)
        .target_id(&root)
        .send()
        .await
        .unwrap();
    let missing = org
        .describe_policy()
        .policy_id("p-doesnotexist")
        .send()
        .await
        .unwrap_err();
    assert!(missing.into_service_error().is_policy_not_found_exception());

    let create_ou = org
        .create_organizational_unit()
        .parent_id(&root)
        .name("platform");
    let ou = create_ou.clone().send().await.unwrap();
    let ou = ou.organizational_unit().unwrap();
    assert!(ou.id().unwrap().starts_with("ou-"));
    let dup = create_ou.send().await.unwrap_err();
    assert!(
        dup.into_service_error()
            .is_duplicate_organizational_unit_exception()
    );

    let status = org
        .create_account()
        .email("new@example.com")
        .account_name("newbie")
        .send()
        .await
        .unwrap();
    let status = status.create_account_status().unwrap();
    assert_eq!(status.state().map(|s| s.as_str()), Some("SUCCEEDED"));
    let new_id = status.account_id().unwrap().to_owned();
    let described = org
        .describe_create_account_status()
        .create_account_request_id(status.id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.create_account_status().unwrap().account_id(),
        Some(new_id.as_str())
    );
    let all = org.list_accounts().send().await.unwrap();
    assert!(
        all.accounts()
            .iter()
            .any(|a| a.id() == Some(new_id.as_str()) && a.name() == Some("newbie"))
    );

    // A member account sees its organization but may not list it.
    let member = aws_sdk_organizations::Client::new(&common::sdk(&url, "666666666666").await);
    assert_eq!(
        member
            .describe_organization()
            .send()
            .await
            .unwrap()
            .organization
            .unwrap()
            .master_account_id(),
        Some("123456789012")
    );
    assert!(
        member
            .list_accounts()
            .send()
            .await
            .unwrap_err()
            .into_service_error()
            .is_access_denied_exception()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sso_admin_through_the_sdk() {
    let (_server, _dir, url) = common::start().await;
    let conf = common::sdk(&url, "AKIDTEST").await;
    let sso = aws_sdk_ssoadmin::Client::new(&conf);
    let ids = aws_sdk_identitystore::Client::new(&conf);

    let instances = sso.list_instances().send().await.unwrap();
    let inst = instances.instances()[0].clone();
    let instance_arn = inst.instance_arn().unwrap().to_owned();
    assert!(instance_arn.starts_with("arn:aws:sso:::instance/ssoins-"));
    assert_eq!(inst.owner_account_id(), Some("123456789012"));
    let described = sso
        .describe_instance()
        .instance_arn(&instance_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.identity_store_id(), inst.identity_store_id());

    let apps: Vec<_> = every_item!(
        sso.list_applications()
            .instance_arn(&instance_arn)
            .max_results(1)
    );
    let table: Vec<_> = apps
        .iter()
        .map(|a| (a.name().unwrap(), a.application_account().unwrap()))
        .collect();
    assert_eq!(
        table,
        [
            ("KiroProfile-us-east-1", "123456789012"),
            ("KiroProfile-us-east-1", "666666666666"),
            ("KiroProfile-us-east-1", "444444444444")
        ]
    );
    let app_arn = apps[1].application_arn().unwrap().to_owned();
    let app = sso
        .describe_application()
        .application_arn(&app_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(app.application_account(), Some("666666666666"));
    assert_eq!(
        app.application_provider_arn(),
        Some("arn:aws:sso::aws:applicationProvider/codewhisperer")
    );

    // Subscriptions exist, application assignments are kept apart: empty until made.
    let none = sso
        .list_application_assignments()
        .application_arn(&app_arn)
        .send()
        .await
        .unwrap();
    assert!(none.application_assignments().is_empty());
    let store = inst.identity_store_id().unwrap();
    let alice = ids
        .get_user_id()
        .identity_store_id(store)
        .alternate_identifier(unique("userName", "alice"))
        .send()
        .await
        .unwrap()
        .user_id;
    sso.create_application_assignment()
        .application_arn(&app_arn)
        .principal_id(&alice)
        .principal_type(PrincipalType::User)
        .send()
        .await
        .unwrap();
    let assigned: Vec<_> =
        every_item!(sso.list_application_assignments().application_arn(&app_arn));
    assert_eq!(assigned.len(), 1);
    assert_eq!(assigned[0].principal_id(), alice);
    let for_alice = sso
        .list_application_assignments_for_principal()
        .instance_arn(&instance_arn)
        .principal_id(&alice)
        .principal_type(PrincipalType::User)
        .send()
        .await
        .unwrap();
    assert_eq!(for_alice.application_assignments().len(), 1);
    let delete = sso
        .delete_application_assignment()
        .application_arn(&app_arn)
        .principal_id(&alice)
        .principal_type(PrincipalType::User);
    delete.clone().send().await.unwrap();
    let gone = delete.send().await.unwrap_err();
    assert!(gone.into_service_error().is_resource_not_found_exception());

    // SCPs apply per calling account: `projects` denies sso:CreateInstance, the root does not.
    let web = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "666666666666").await);
    let denied = web
        .create_instance()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(denied.is_access_denied_exception(), "{denied:?}");
    let sandbox = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "555555555555").await);
    let created = sandbox
        .create_instance()
        .name("sandbox")
        .send()
        .await
        .unwrap();
    let listed = sandbox.list_instances().send().await.unwrap();
    assert_eq!(listed.instances()[0].instance_arn(), created.instance_arn());
    assert_eq!(
        listed.instances()[0].owner_account_id(),
        Some("555555555555")
    );
    // The management account cannot create an account instance.
    let mgmt = sso
        .create_instance()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        mgmt.meta().code() == Some("ValidationException")
            || mgmt.meta().code() == Some("ConflictException"),
        "{mgmt:?}"
    );
}

/// The caller's organization instance: its ARN.
async fn organization_instance(sso: &aws_sdk_ssoadmin::Client) -> String {
    let instances = sso.list_instances().send().await.unwrap();
    instances.instances()[0].instance_arn().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permission_sets_take_customer_managed_policies_and_a_boundary() {
    use aws_sdk_ssoadmin::types::{CustomerManagedPolicyReference, PermissionsBoundary};
    let (_server, _dir, url) = common::start().await;
    let sso = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let instance_arn = organization_instance(&sso).await;
    let ps = sso
        .create_permission_set()
        .instance_arn(&instance_arn)
        .name("Developers")
        .send()
        .await
        .unwrap()
        .permission_set
        .unwrap()
        .permission_set_arn
        .unwrap();
    let reference = |name: &str, path: Option<&str>| {
        CustomerManagedPolicyReference::builder()
            .name(name)
            .set_path(path.map(str::to_owned))
            .build()
            .unwrap()
    };
    for (name, path) in [("deploy", Some("/team/")), ("read", None), ("audit", None)] {
        sso.attach_customer_managed_policy_reference_to_permission_set()
            .instance_arn(&instance_arn)
            .permission_set_arn(&ps)
            .customer_managed_policy_reference(reference(name, path))
            .send()
            .await
            .unwrap();
    }
    let again = sso
        .attach_customer_managed_policy_reference_to_permission_set()
        .instance_arn(&instance_arn)
        .permission_set_arn(&ps)
        .customer_managed_policy_reference(reference("read", Some("/")))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(again.is_conflict_exception(), "{again:?}");
    let listed: Vec<_> = every_item!(
        sso.list_customer_managed_policy_references_in_permission_set()
            .instance_arn(&instance_arn)
            .permission_set_arn(&ps)
            .max_results(2)
    );
    let listed: Vec<_> = listed.iter().map(|r| (r.name(), r.path())).collect();
    assert_eq!(
        listed,
        [
            ("deploy", Some("/team/")),
            ("read", Some("/")),
            ("audit", Some("/"))
        ]
    );
    sso.detach_customer_managed_policy_reference_from_permission_set()
        .instance_arn(&instance_arn)
        .permission_set_arn(&ps)
        .customer_managed_policy_reference(reference("audit", None))
        .send()
        .await
        .unwrap();
    let gone = sso
        .detach_customer_managed_policy_reference_from_permission_set()
        .instance_arn(&instance_arn)
        .permission_set_arn(&ps)
        .customer_managed_policy_reference(reference("audit", None))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(gone.is_resource_not_found_exception(), "{gone:?}");

    let get = sso
        .get_permissions_boundary_for_permission_set()
        .instance_arn(&instance_arn)
        .permission_set_arn(&ps);
    let none = get.clone().send().await.unwrap_err().into_service_error();
    assert!(none.is_resource_not_found_exception(), "{none:?}");
    let both = PermissionsBoundary::builder()
        .managed_policy_arn("arn:aws:iam::aws:policy/PowerUserAccess")
        .customer_managed_policy_reference(reference("limits", None))
        .build();
    let refused = sso
        .put_permissions_boundary_to_permission_set()
        .instance_arn(&instance_arn)
        .permission_set_arn(&ps)
        .permissions_boundary(both)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(refused.is_validation_exception(), "{refused:?}");
    sso.put_permissions_boundary_to_permission_set()
        .instance_arn(&instance_arn)
        .permission_set_arn(&ps)
        .permissions_boundary(
            PermissionsBoundary::builder()
                .customer_managed_policy_reference(reference("limits", Some("/guard/")))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let boundary = get
        .clone()
        .send()
        .await
        .unwrap()
        .permissions_boundary
        .unwrap();
    let cmp = boundary.customer_managed_policy_reference().unwrap();
    assert_eq!((cmp.name(), cmp.path()), ("limits", Some("/guard/")));
    assert_eq!(boundary.managed_policy_arn(), None);
    sso.delete_permissions_boundary_from_permission_set()
        .instance_arn(&instance_arn)
        .permission_set_arn(&ps)
        .send()
        .await
        .unwrap();
    let none = get.send().await.unwrap_err().into_service_error();
    assert!(none.is_resource_not_found_exception(), "{none:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_is_replicated_to_other_regions() {
    let (_server, _dir, url) = common::start().await;
    let sso = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let instance_arn = organization_instance(&sso).await;
    for region in ["eu-west-1", "ap-southeast-2"] {
        let added = sso
            .add_region()
            .instance_arn(&instance_arn)
            .region_name(region)
            .send()
            .await
            .unwrap();
        assert_eq!(
            added.status(),
            Some(&aws_sdk_ssoadmin::types::RegionStatus::Active)
        );
    }
    let again = sso
        .add_region()
        .instance_arn(&instance_arn)
        .region_name("eu-west-1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(again.is_conflict_exception(), "{again:?}");
    let listed: Vec<_> = every_item!(
        sso.list_regions()
            .instance_arn(&instance_arn)
            .max_results(1)
    );
    let listed: Vec<_> = listed
        .iter()
        .map(|r| (r.region_name().unwrap(), r.is_primary_region()))
        .collect();
    assert_eq!(
        listed,
        [
            ("us-east-1", true),
            ("ap-southeast-2", false),
            ("eu-west-1", false)
        ]
    );
    let described = sso
        .describe_instance()
        .instance_arn(&instance_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.regions().len(), 3);
    let primary = sso
        .remove_region()
        .instance_arn(&instance_arn)
        .region_name("us-east-1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(primary.is_validation_exception(), "{primary:?}");
    sso.remove_region()
        .instance_arn(&instance_arn)
        .region_name("eu-west-1")
        .send()
        .await
        .unwrap();
    let gone = sso
        .describe_region()
        .instance_arn(&instance_arn)
        .region_name("eu-west-1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(gone.is_resource_not_found_exception(), "{gone:?}");
    let kept = sso
        .describe_region()
        .instance_arn(&instance_arn)
        .region_name("ap-southeast-2")
        .send()
        .await
        .unwrap();
    assert!(!kept.is_primary_region());
    assert!(kept.added_date().is_some());
    // Another account's instance is not the caller's to replicate.
    let web = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "666666666666").await);
    let denied = web
        .add_region()
        .instance_arn(&instance_arn)
        .region_name("eu-central-1")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(denied.is_access_denied_exception(), "{denied:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attributes_for_access_control_through_the_sdk() {
    use aws_sdk_ssoadmin::types::{
        AccessControlAttribute, AccessControlAttributeValue,
        InstanceAccessControlAttributeConfiguration,
    };
    let (_server, _dir, url) = common::start().await;
    let sso = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let instance_arn = organization_instance(&sso).await;
    let configuration = |pairs: &[(&str, &str)]| {
        let attributes = pairs.iter().map(|(key, source)| {
            AccessControlAttribute::builder()
                .key(*key)
                .value(
                    AccessControlAttributeValue::builder()
                        .source(*source)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap()
        });
        InstanceAccessControlAttributeConfiguration::builder()
            .set_access_control_attributes(Some(attributes.collect()))
            .build()
            .unwrap()
    };
    let describe = sso
        .describe_instance_access_control_attribute_configuration()
        .instance_arn(&instance_arn);
    let none = describe
        .clone()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(none.is_resource_not_found_exception(), "{none:?}");
    let early = sso
        .update_instance_access_control_attribute_configuration()
        .instance_arn(&instance_arn)
        .instance_access_control_attribute_configuration(configuration(&[("Team", "x")]))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(early.is_resource_not_found_exception(), "{early:?}");
    let create = sso
        .create_instance_access_control_attribute_configuration()
        .instance_arn(&instance_arn)
        .instance_access_control_attribute_configuration(configuration(&[(
            "CostCenter",
            "${path:enterprise.costCenter}",
        )]));
    create.clone().send().await.unwrap();
    let twice = create.send().await.unwrap_err().into_service_error();
    assert!(twice.is_conflict_exception(), "{twice:?}");
    sso.update_instance_access_control_attribute_configuration()
        .instance_arn(&instance_arn)
        .instance_access_control_attribute_configuration(configuration(&[
            ("CostCenter", "${path:enterprise.costCenter}"),
            ("Team", "${path:enterprise.department}"),
        ]))
        .send()
        .await
        .unwrap();
    let described = describe.clone().send().await.unwrap();
    assert_eq!(
        described.status(),
        Some(&aws_sdk_ssoadmin::types::InstanceAccessControlAttributeConfigurationStatus::Enabled)
    );
    let keys: Vec<_> = described
        .instance_access_control_attribute_configuration()
        .unwrap()
        .access_control_attributes()
        .iter()
        .map(|a| (a.key(), a.value().unwrap().source()[0].as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("CostCenter", "${path:enterprise.costCenter}"),
            ("Team", "${path:enterprise.department}")
        ]
    );
    sso.delete_instance_access_control_attribute_configuration()
        .instance_arn(&instance_arn)
        .send()
        .await
        .unwrap();
    let gone = describe.send().await.unwrap_err().into_service_error();
    assert!(gone.is_resource_not_found_exception(), "{gone:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_token_issuers_through_the_sdk() {
    use aws_sdk_ssoadmin::types::{
        JwksRetrievalOption, OidcJwtConfiguration, OidcJwtUpdateConfiguration,
        TrustedTokenIssuerConfiguration, TrustedTokenIssuerType,
        TrustedTokenIssuerUpdateConfiguration,
    };
    let (_server, _dir, url) = common::start().await;
    let sso = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let instance_arn = organization_instance(&sso).await;
    let create = |name: &str, issuer: &str| {
        sso.create_trusted_token_issuer()
            .instance_arn(&instance_arn)
            .name(name)
            .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
            .trusted_token_issuer_configuration(
                TrustedTokenIssuerConfiguration::OidcJwtConfiguration(
                    OidcJwtConfiguration::builder()
                        .issuer_url(issuer)
                        .claim_attribute_path("email")
                        .identity_store_attribute_path("emails.value")
                        .jwks_retrieval_option(JwksRetrievalOption::OpenIdDiscovery)
                        .build()
                        .unwrap(),
                ),
            )
    };
    let mut arns = Vec::new();
    for (name, issuer) in [
        ("okta", "https://okta.example.com"),
        ("entra", "https://login.example.com/tenant"),
        ("github", "https://token.actions.example.com"),
    ] {
        let made = create(name, issuer).send().await.unwrap();
        arns.push(made.trusted_token_issuer_arn.unwrap());
    }
    assert!(arns[0].starts_with("arn:aws:sso::123456789012:trustedTokenIssuer/ssoins-"));
    let clash = create("okta", "https://other.example.com")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(clash.is_conflict_exception(), "{clash:?}");
    let listed: Vec<_> = every_item!(
        sso.list_trusted_token_issuers()
            .instance_arn(&instance_arn)
            .max_results(2)
    );
    let names: Vec<_> = listed.iter().map(|t| t.name().unwrap()).collect();
    assert_eq!(names, ["okta", "entra", "github"]);
    sso.update_trusted_token_issuer()
        .trusted_token_issuer_arn(&arns[0])
        .name("workforce")
        .trusted_token_issuer_configuration(
            TrustedTokenIssuerUpdateConfiguration::OidcJwtConfiguration(
                OidcJwtUpdateConfiguration::builder()
                    .claim_attribute_path("sub")
                    .build(),
            ),
        )
        .send()
        .await
        .unwrap();
    let described = sso
        .describe_trusted_token_issuer()
        .trusted_token_issuer_arn(&arns[0])
        .send()
        .await
        .unwrap();
    assert_eq!(described.name(), Some("workforce"));
    let Some(TrustedTokenIssuerConfiguration::OidcJwtConfiguration(oidc)) =
        described.trusted_token_issuer_configuration()
    else {
        panic!("{described:?}");
    };
    assert_eq!(
        (oidc.issuer_url(), oidc.claim_attribute_path()),
        ("https://okta.example.com", "sub")
    );
    sso.delete_trusted_token_issuer()
        .trusted_token_issuer_arn(&arns[0])
        .send()
        .await
        .unwrap();
    let gone = sso
        .describe_trusted_token_issuer()
        .trusted_token_issuer_arn(&arns[0])
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(gone.is_resource_not_found_exception(), "{gone:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_takes_scopes_methods_grants_and_configurations() {
    use aws_sdk_ssoadmin::types::{
        AuthenticationMethod, AuthenticationMethodType, AuthorizationCodeGrant,
        AuthorizedTokenIssuer, Grant, GrantType, IamAuthenticationMethod, JwksRetrievalOption,
        JwtBearerGrant, OidcJwtConfiguration, RefreshTokenGrant, TrustedTokenIssuerConfiguration,
        TrustedTokenIssuerType, UserBackgroundSessionApplicationStatus,
    };
    let (_server, _dir, url) = common::start().await;
    let sso = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let instance_arn = organization_instance(&sso).await;
    let app = sso
        .create_application()
        .instance_arn(&instance_arn)
        .application_provider_arn("arn:aws:sso::aws:applicationProvider/custom")
        .name("wiki")
        .send()
        .await
        .unwrap()
        .application_arn
        .unwrap();

    for i in 0..12 {
        sso.put_application_access_scope()
            .application_arn(&app)
            .scope(format!("wiki:read{i}"))
            .authorized_targets(&app)
            .send()
            .await
            .unwrap();
    }
    let scopes: Vec<_> = every_item!(sso.list_application_access_scopes().application_arn(&app));
    assert_eq!(scopes.len(), 12);
    assert_eq!(scopes[0].authorized_targets(), std::slice::from_ref(&app));
    let too_many = sso
        .list_application_access_scopes()
        .application_arn(&app)
        .max_results(11)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(too_many.is_validation_exception(), "{too_many:?}");
    let got = sso
        .get_application_access_scope()
        .application_arn(&app)
        .scope("wiki:read3")
        .send()
        .await
        .unwrap();
    assert_eq!(got.scope(), "wiki:read3");
    sso.delete_application_access_scope()
        .application_arn(&app)
        .scope("wiki:read3")
        .send()
        .await
        .unwrap();
    let gone = sso
        .get_application_access_scope()
        .application_arn(&app)
        .scope("wiki:read3")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(gone.is_resource_not_found_exception(), "{gone:?}");

    let policy: aws_smithy_types::Document = {
        let mut statement = std::collections::HashMap::new();
        statement.insert("Effect".to_owned(), "Allow".into());
        statement.insert("Action".to_owned(), "sso-oauth:CreateTokenWithIAM".into());
        statement.insert("Resource".to_owned(), "*".into());
        let mut document = std::collections::HashMap::new();
        document.insert("Version".to_owned(), "2012-10-17".into());
        document.insert(
            "Statement".to_owned(),
            aws_smithy_types::Document::Array(vec![aws_smithy_types::Document::Object(statement)]),
        );
        aws_smithy_types::Document::Object(document)
    };
    sso.put_application_authentication_method()
        .application_arn(&app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .authentication_method(AuthenticationMethod::Iam(
            IamAuthenticationMethod::builder()
                .actor_policy(policy.clone())
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .unwrap();
    let methods: Vec<_> = every_item!(
        sso.list_application_authentication_methods()
            .application_arn(&app)
    );
    assert_eq!(methods.len(), 1);
    let got = sso
        .get_application_authentication_method()
        .application_arn(&app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .send()
        .await
        .unwrap();
    let Some(AuthenticationMethod::Iam(iam)) = got.authentication_method() else {
        panic!("{got:?}");
    };
    assert_eq!(iam.actor_policy(), &policy);
    sso.delete_application_authentication_method()
        .application_arn(&app)
        .authentication_method_type(AuthenticationMethodType::Iam)
        .send()
        .await
        .unwrap();

    let issuer = sso
        .create_trusted_token_issuer()
        .instance_arn(&instance_arn)
        .name("okta")
        .trusted_token_issuer_type(TrustedTokenIssuerType::OidcJwt)
        .trusted_token_issuer_configuration(TrustedTokenIssuerConfiguration::OidcJwtConfiguration(
            OidcJwtConfiguration::builder()
                .issuer_url("https://okta.example.com")
                .claim_attribute_path("email")
                .identity_store_attribute_path("emails.value")
                .jwks_retrieval_option(JwksRetrievalOption::OpenIdDiscovery)
                .build()
                .unwrap(),
        ))
        .send()
        .await
        .unwrap()
        .trusted_token_issuer_arn
        .unwrap();
    let grants = [
        (
            GrantType::AuthorizationCode,
            Grant::AuthorizationCode(
                AuthorizationCodeGrant::builder()
                    .redirect_uris("https://wiki.example.com/callback")
                    .build(),
            ),
        ),
        (
            GrantType::JwtBearer,
            Grant::JwtBearer(
                JwtBearerGrant::builder()
                    .authorized_token_issuers(
                        AuthorizedTokenIssuer::builder()
                            .trusted_token_issuer_arn(&issuer)
                            .authorized_audiences("wiki")
                            .build(),
                    )
                    .build(),
            ),
        ),
        (
            GrantType::RefreshToken,
            Grant::RefreshToken(RefreshTokenGrant::builder().build()),
        ),
    ];
    for (kind, grant) in grants {
        sso.put_application_grant()
            .application_arn(&app)
            .grant_type(kind)
            .grant(grant)
            .send()
            .await
            .unwrap();
    }
    let mismatched = sso
        .put_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::TokenExchange)
        .grant(Grant::RefreshToken(RefreshTokenGrant::builder().build()))
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(mismatched.is_validation_exception(), "{mismatched:?}");
    let listed: Vec<_> = every_item!(sso.list_application_grants().application_arn(&app));
    assert_eq!(listed.len(), 3);
    let bearer = sso
        .get_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::JwtBearer)
        .send()
        .await
        .unwrap();
    let Some(Grant::JwtBearer(jwt)) = bearer.grant() else {
        panic!("{bearer:?}");
    };
    assert_eq!(
        jwt.authorized_token_issuers()[0].trusted_token_issuer_arn(),
        Some(issuer.as_str())
    );
    let held = sso
        .delete_trusted_token_issuer()
        .trusted_token_issuer_arn(&issuer)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(held.is_conflict_exception(), "{held:?}");
    sso.delete_application_grant()
        .application_arn(&app)
        .grant_type(GrantType::JwtBearer)
        .send()
        .await
        .unwrap();
    sso.delete_trusted_token_issuer()
        .trusted_token_issuer_arn(&issuer)
        .send()
        .await
        .unwrap();

    let required = sso
        .get_application_assignment_configuration()
        .application_arn(&app);
    assert!(required.clone().send().await.unwrap().assignment_required());
    sso.put_application_assignment_configuration()
        .application_arn(&app)
        .assignment_required(false)
        .send()
        .await
        .unwrap();
    assert!(!required.send().await.unwrap().assignment_required());
    let session = sso
        .get_application_session_configuration()
        .application_arn(&app);
    assert_eq!(
        session
            .clone()
            .send()
            .await
            .unwrap()
            .user_background_session_application_status(),
        Some(&UserBackgroundSessionApplicationStatus::Disabled)
    );
    sso.put_application_session_configuration()
        .application_arn(&app)
        .user_background_session_application_status(UserBackgroundSessionApplicationStatus::Enabled)
        .send()
        .await
        .unwrap();
    assert_eq!(
        session
            .send()
            .await
            .unwrap()
            .user_background_session_application_status(),
        Some(&UserBackgroundSessionApplicationStatus::Enabled)
    );

    // An assignment, described; a Kiro profile's application keeps AWS's settings.
    let ids = aws_sdk_identitystore::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let store = sso
        .describe_instance()
        .instance_arn(&instance_arn)
        .send()
        .await
        .unwrap()
        .identity_store_id
        .unwrap();
    let alice = ids
        .get_user_id()
        .identity_store_id(store)
        .alternate_identifier(unique("userName", "alice"))
        .send()
        .await
        .unwrap()
        .user_id;
    let describe = sso
        .describe_application_assignment()
        .application_arn(&app)
        .principal_id(&alice)
        .principal_type(PrincipalType::User);
    let none = describe
        .clone()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(none.is_resource_not_found_exception(), "{none:?}");
    sso.create_application_assignment()
        .application_arn(&app)
        .principal_id(&alice)
        .principal_type(PrincipalType::User)
        .send()
        .await
        .unwrap();
    let described = describe.send().await.unwrap();
    assert_eq!(described.principal_id(), Some(alice.as_str()));
    let kiro: Vec<_> = every_item!(sso.list_applications().instance_arn(&instance_arn));
    let kiro = kiro[0].application_arn().unwrap();
    let managed = sso
        .put_application_access_scope()
        .application_arn(kiro)
        .scope("wiki:read")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(managed.is_validation_exception(), "{managed:?}");
    let none: Vec<_> = every_item!(sso.list_application_access_scopes().application_arn(kiro));
    assert!(none.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_store_through_the_sdk() {
    let (_server, _dir, url) = common::start().await;
    let conf = common::sdk(&url, "AKIDTEST").await;
    let sso = aws_sdk_ssoadmin::Client::new(&conf);
    let ids = aws_sdk_identitystore::Client::new(&conf);
    let store = sso.list_instances().send().await.unwrap().instances()[0]
        .identity_store_id()
        .unwrap()
        .to_owned();

    let users: Vec<_> = every_item!(ids.list_users().identity_store_id(&store).max_results(2));
    let names: Vec<_> = users.iter().filter_map(|u| u.user_name()).collect();
    assert_eq!(names, ["alice", "bob", "dave"]);

    let created = ids
        .create_user()
        .identity_store_id(&store)
        .user_name("erin")
        .display_name("Erin")
        .emails(
            Email::builder()
                .value("erin@example.com")
                .primary(true)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let erin = ids
        .describe_user()
        .identity_store_id(&store)
        .user_id(created.user_id())
        .send()
        .await
        .unwrap();
    assert_eq!(erin.user_name(), Some("erin"));
    assert_eq!(erin.emails()[0].value(), Some("erin@example.com"));
    let dup = ids
        .create_user()
        .identity_store_id(&store)
        .user_name("erin")
        .emails(Email::builder().value("erin@example.com").build())
        .send()
        .await
        .unwrap_err();
    assert!(dup.into_service_error().is_conflict_exception());

    let group = ids
        .create_group()
        .identity_store_id(&store)
        .display_name("platform")
        .send()
        .await
        .unwrap();
    ids.create_group_membership()
        .identity_store_id(&store)
        .group_id(group.group_id())
        .member_id(MemberId::UserId(created.user_id().to_owned()))
        .send()
        .await
        .unwrap();
    let members: Vec<_> = every_item!(
        ids.list_group_memberships()
            .identity_store_id(&store)
            .group_id(group.group_id())
    );
    assert_eq!(members.len(), 1);
    assert_eq!(
        members[0].member_id(),
        Some(&MemberId::UserId(created.user_id().to_owned()))
    );
    let found = ids
        .get_group_id()
        .identity_store_id(&store)
        .alternate_identifier(unique("displayName", "platform"))
        .send()
        .await
        .unwrap();
    assert_eq!(found.group_id(), group.group_id());
    let g = ids
        .describe_group()
        .identity_store_id(&store)
        .group_id(group.group_id())
        .send()
        .await
        .unwrap();
    assert_eq!(g.display_name(), Some("platform"));
    let groups: Vec<_> = every_item!(ids.list_groups().identity_store_id(&store));
    assert_eq!(groups.len(), 3);
    let missing = ids
        .describe_user()
        .identity_store_id(&store)
        .user_id("0000000000-00000000-0000-4000-0000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert!(
        missing
            .into_service_error()
            .is_resource_not_found_exception()
    );

    // Another account may not read this store.
    let member = aws_sdk_identitystore::Client::new(&common::sdk(&url, "666666666666").await);
    let denied = member
        .list_users()
        .identity_store_id(&store)
        .send()
        .await
        .unwrap_err();
    assert!(denied.into_service_error().is_access_denied_exception());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_are_verified_when_asked() {
    let (_server, _dir, url) =
        common::start_configured(common::fixture(), |c| c.verify_signatures = true).await;
    let signed = |secret: &'static str| {
        let url = url.clone();
        async move {
            aws_sdk_ssoadmin::Client::new(&common::sdk_signed(&url, "555555555555", secret).await)
        }
    };
    // The documented convention: every access key's secret is the server's one secret.
    let good = signed(kiro_server::sigv4::DEFAULT_SECRET).await;
    good.list_instances().send().await.unwrap();
    good.create_instance().name("sandbox").send().await.unwrap();
    let bad = signed("not-the-secret").await;
    let err = bad
        .list_instances()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("SignatureDoesNotMatch"));
}

/// An STS client for `url` signing as `access_key` in `region`.
async fn sts(url: &str, access_key: &str, secret: &str, region: &str) -> aws_sdk_sts::Client {
    let config = common::sdk_signed(url, access_key, secret).await;
    aws_sdk_sts::Client::from_conf(
        aws_sdk_sts::config::Builder::from(&config)
            .region(aws_config::Region::new(region.to_owned()))
            .build(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sts_names_the_caller_in_the_partition_of_the_estate() {
    for (estate, partition) in [(common::fixture(), "aws"), (common::in_china(), "aws-cn")] {
        let (_server, _dir, url) = common::start_with(estate).await;
        // The region a client calls in does not move its account to another partition.
        for (key, region, account) in [
            ("555555555555", "us-east-1", "555555555555"),
            ("666666666666", "cn-north-1", "666666666666"),
            ("444444444444", "us-gov-west-1", "444444444444"),
            // Any other key acts as the management account of the first organization.
            ("AKIDTEST", "eu-central-1", "123456789012"),
        ] {
            let me = sts(&url, key, "secret", region)
                .await
                .get_caller_identity()
                .send()
                .await
                .unwrap();
            assert_eq!(me.account(), Some(account), "{key}");
            assert_eq!(me.user_id(), Some(account), "{key}");
            let arn = format!("arn:{partition}:iam::{account}:root");
            assert_eq!(me.arn(), Some(arn.as_str()), "{key}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_estate_in_china_answers_with_aws_cn_arns() {
    let (_server, _dir, url) = common::start_with(common::in_china()).await;
    let config = common::sdk(&url, "AKIDTEST").await;
    let org = aws_sdk_organizations::Client::new(&config);
    let o = org
        .describe_organization()
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert!(
        o.arn()
            .unwrap()
            .starts_with("arn:aws-cn:organizations::123456789012:organization/o-")
    );
    assert!(
        o.master_account_arn()
            .unwrap()
            .starts_with("arn:aws-cn:organizations::")
    );
    let accounts = org.list_accounts().send().await.unwrap().accounts.unwrap();
    assert!(!accounts.is_empty());
    for a in &accounts {
        assert!(
            a.arn().unwrap().starts_with("arn:aws-cn:organizations::"),
            "{a:?}"
        );
    }
    let roots = org.list_roots().send().await.unwrap().roots.unwrap();
    assert!(
        roots[0]
            .arn()
            .unwrap()
            .starts_with("arn:aws-cn:organizations::")
    );
    let policies = org
        .list_policies()
        .filter(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap()
        .policies
        .unwrap();
    assert!(
        policies
            .iter()
            .all(|p| p.arn().unwrap().starts_with("arn:aws-cn:organizations::"))
    );

    let sso = aws_sdk_ssoadmin::Client::new(&config);
    let instances = sso
        .list_instances()
        .send()
        .await
        .unwrap()
        .instances
        .unwrap();
    let instance = instances[0].instance_arn().unwrap().to_owned();
    assert!(
        instance.starts_with("arn:aws-cn:sso:::instance/ssoins-"),
        "{instance}"
    );
    let apps = sso
        .list_applications()
        .instance_arn(&instance)
        .send()
        .await
        .unwrap()
        .applications
        .unwrap();
    assert!(!apps.is_empty());
    for a in &apps {
        assert!(
            a.application_arn().unwrap().starts_with("arn:aws-cn:sso::"),
            "{a:?}"
        );
        assert_eq!(
            a.application_provider_arn(),
            Some("arn:aws-cn:sso::aws:applicationProvider/codewhisperer")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sts_errors_are_the_query_protocols_and_the_sdk_reads_their_codes() {
    let (_server, _dir, url) =
        common::start_configured(common::fixture(), |c| c.verify_signatures = true).await;
    let good = sts(
        &url,
        "555555555555",
        kiro_server::sigv4::DEFAULT_SECRET,
        "us-east-1",
    )
    .await;
    good.get_caller_identity().send().await.unwrap();
    let err = good
        .assume_role()
        .role_arn("arn:aws:iam::555555555555:role/admin")
        .role_session_name("s")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("UnknownOperationException"));
    assert!(
        err.meta()
            .message()
            .is_some_and(|m| m.contains("AssumeRole")),
        "{err:?}"
    );
    let bad = sts(&url, "555555555555", "not-the-secret", "us-east-1").await;
    let err = bad
        .get_caller_identity()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert_eq!(err.meta().code(), Some("SignatureDoesNotMatch"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_script_starts_by_creating_its_organization() {
    let (_server, _dir, url) = common::start_with(common::with_standalone_account()).await;
    let solo = aws_sdk_organizations::Client::new(&common::sdk(&url, "777777777777").await);
    let err = solo
        .describe_organization()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_aws_organizations_not_in_use_exception(), "{err:?}");
    assert_eq!(
        err.meta().message(),
        Some("Your account is not a member of an organization.")
    );
    // A consolidated-billing organization, as AWS makes one, and gone again.
    let consolidated = solo
        .create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::ConsolidatedBilling)
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(
        consolidated.feature_set(),
        Some(&aws_sdk_organizations::types::OrganizationFeatureSet::ConsolidatedBilling)
    );
    solo.delete_organization().send().await.unwrap();

    let made = solo
        .create_organization()
        .feature_set(aws_sdk_organizations::types::OrganizationFeatureSet::All)
        .send()
        .await
        .unwrap()
        .organization
        .unwrap();
    assert_eq!(made.master_account_id(), Some("777777777777"));
    assert_eq!(made.master_account_email(), Some("solo@example.com"));
    let org_id = made.id().unwrap();
    assert!(org_id.starts_with("o-"));
    assert_eq!(
        made.arn(),
        Some(format!("arn:aws:organizations::777777777777:organization/{org_id}").as_str())
    );
    let described = solo.describe_organization().send().await.unwrap();
    assert_eq!(described.organization(), Some(&made));
    let again = solo.create_organization().send().await.unwrap_err();
    assert!(
        again
            .into_service_error()
            .is_already_in_organization_exception()
    );

    // The new organization's tree: its management account under a root of its own.
    let root = solo.list_roots().send().await.unwrap().roots()[0].clone();
    let accounts = solo.list_accounts().send().await.unwrap();
    let ids: Vec<_> = accounts.accounts().iter().filter_map(|a| a.id()).collect();
    assert_eq!(ids, ["777777777777"]);
    let parents = solo
        .list_parents()
        .child_id("777777777777")
        .send()
        .await
        .unwrap();
    assert_eq!(parents.parents()[0].id(), root.id());
    assert_eq!(
        parents.parents()[0].r#type(),
        Some(&aws_sdk_organizations::types::ParentType::Root)
    );
    // A member of another organization stays out of it.
    let member = aws_sdk_organizations::Client::new(&common::sdk(&url, "555555555555").await);
    let err = member.create_organization().send().await.unwrap_err();
    assert!(
        err.into_service_error()
            .is_already_in_organization_exception()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_move_between_parents_named_by_id() {
    let (_server, _dir, url) = common::start().await;
    let org = aws_sdk_organizations::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let root = org.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_owned();
    let projects = org
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .send()
        .await
        .unwrap()
        .organizational_units()[0]
        .clone();
    let described = org
        .describe_organizational_unit()
        .organizational_unit_id(projects.id().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(described.organizational_unit(), Some(&projects));
    let wrong_source = org
        .move_account()
        .account_id("555555555555")
        .source_parent_id(projects.id().unwrap())
        .destination_parent_id(&root)
        .send()
        .await
        .unwrap_err();
    assert!(
        wrong_source
            .into_service_error()
            .is_source_parent_not_found_exception()
    );
    let nowhere = org
        .move_account()
        .account_id("555555555555")
        .source_parent_id(&root)
        .destination_parent_id("ou-zzzz-zzzzzzzz")
        .send()
        .await
        .unwrap_err();
    assert!(
        nowhere
            .into_service_error()
            .is_destination_parent_not_found_exception()
    );
    org.move_account()
        .account_id("555555555555")
        .source_parent_id(&root)
        .destination_parent_id(projects.id().unwrap())
        .send()
        .await
        .unwrap();
    let parents = org
        .list_parents()
        .child_id("555555555555")
        .send()
        .await
        .unwrap();
    assert_eq!(parents.parents()[0].id(), projects.id());
    let missing = org
        .list_parents()
        .child_id("999999999999")
        .send()
        .await
        .unwrap_err();
    assert!(missing.into_service_error().is_child_not_found_exception());
    let missing = org
        .describe_organizational_unit()
        .organizational_unit_id("ou-zzzz-zzzzzzzz")
        .send()
        .await
        .unwrap_err();
    assert!(
        missing
            .into_service_error()
            .is_organizational_unit_not_found_exception()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_still_holds_something_cannot_be_deleted() {
    let (_server, _dir, url) = common::start().await;
    let org = aws_sdk_organizations::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let err = org.delete_organization().send().await.unwrap_err();
    assert!(
        err.into_service_error()
            .is_organization_not_empty_exception()
    );
    let root = org.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_owned();
    let projects = org
        .list_organizational_units_for_parent()
        .parent_id(&root)
        .send()
        .await
        .unwrap()
        .organizational_units()[0]
        .id()
        .unwrap()
        .to_owned();
    let err = org
        .delete_organizational_unit()
        .organizational_unit_id(&projects)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.into_service_error()
            .is_organizational_unit_not_empty_exception()
    );
    let policies = org
        .list_policies()
        .filter(PolicyType::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let deny = policies
        .policies()
        .iter()
        .find(|p| p.name() == Some("deny-account-instances"))
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let err = org
        .delete_policy()
        .policy_id(&deny)
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_policy_in_use_exception());
    let bad = org
        .update_policy()
        .policy_id(&deny)
        .content(r#"{"Statement": ["#)
        .send()
        .await
        .unwrap_err();
    assert!(
        bad.into_service_error()
            .is_malformed_policy_document_exception()
    );
    org.detach_policy()
        .policy_id(&deny)
        .target_id(&projects)
        .send()
        .await
        .unwrap();
    org.delete_policy().policy_id(&deny).send().await.unwrap();
    let err = org
        .describe_policy()
        .policy_id(&deny)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_policy_not_found_exception());
    assert_eq!(
        err.meta().message(),
        Some("You specified a policy that doesn't exist.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_root_has_no_policy_type_until_it_is_enabled() {
    use aws_sdk_organizations::types::{PolicyType as T, PolicyTypeStatus};
    let (_server, _dir, url) = common::start_with(common::with_standalone_account()).await;
    let solo = aws_sdk_organizations::Client::new(&common::sdk(&url, "777777777777").await);
    let made = solo.create_organization().send().await.unwrap();
    assert_eq!(made.organization().unwrap().available_policy_types(), []);
    let root = solo.list_roots().send().await.unwrap().roots()[0].clone();
    assert_eq!(root.policy_types(), []);
    let root_id = root.id().unwrap();
    let policy = solo
        .create_policy()
        .name("deny-leave")
        .description("")
        .r#type(T::ServiceControlPolicy)
        .content(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}"#)
        .send()
        .await
        .unwrap();
    let policy_id = policy
        .policy()
        .unwrap()
        .policy_summary()
        .unwrap()
        .id()
        .unwrap()
        .to_owned();
    let attach = solo
        .attach_policy()
        .policy_id(&policy_id)
        .target_id(root_id);
    let err = attach.clone().send().await.unwrap_err();
    assert!(
        err.into_service_error()
            .is_policy_type_not_enabled_exception()
    );
    let err = solo
        .disable_policy_type()
        .root_id(root_id)
        .policy_type(T::ServiceControlPolicy)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.into_service_error()
            .is_policy_type_not_enabled_exception()
    );
    let err = solo
        .enable_policy_type()
        .root_id("r-zzzz")
        .policy_type(T::ServiceControlPolicy)
        .send()
        .await
        .unwrap_err();
    assert!(err.into_service_error().is_root_not_found_exception());

    let enabled = solo
        .enable_policy_type()
        .root_id(root_id)
        .policy_type(T::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let types = enabled.root().unwrap().policy_types();
    let described = solo.describe_organization().send().await.unwrap();
    assert_eq!(
        described.organization().unwrap().available_policy_types(),
        types
    );
    assert_eq!(types.len(), 1);
    assert_eq!(types[0].r#type(), Some(&T::ServiceControlPolicy));
    assert_eq!(types[0].status(), Some(&PolicyTypeStatus::Enabled));
    let again = solo
        .enable_policy_type()
        .root_id(root_id)
        .policy_type(T::ServiceControlPolicy)
        .send()
        .await
        .unwrap_err();
    assert!(
        again
            .into_service_error()
            .is_policy_type_already_enabled_exception()
    );
    // Enabling attached FullAWSAccess to the root, as AWS does; the new SCP attaches now.
    let on_root = solo
        .list_policies_for_target()
        .target_id(root_id)
        .filter(T::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = on_root.policies().iter().filter_map(|p| p.name()).collect();
    assert_eq!(names, ["FullAWSAccess"]);
    attach.send().await.unwrap();

    let disabled = solo
        .disable_policy_type()
        .root_id(root_id)
        .policy_type(T::ServiceControlPolicy)
        .send()
        .await
        .unwrap();
    assert_eq!(disabled.root().unwrap().policy_types(), []);
    let targets = solo
        .list_targets_for_policy()
        .policy_id(&policy_id)
        .send()
        .await
        .unwrap();
    assert_eq!(targets.targets(), []);
    // The fixture's own organization keeps its SCPs enabled.
    let seeded = aws_sdk_organizations::Client::new(&common::sdk(&url, "123456789012").await);
    let root = seeded.list_roots().send().await.unwrap().roots()[0].clone();
    assert_eq!(root.policy_types().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_billing_transfer_is_invited_accepted_and_terminated_over_the_sdk() {
    use aws_sdk_organizations::types::{
        HandshakeParty, HandshakePartyType, HandshakeResourceType, HandshakeState,
        ResponsibilityTransferStatus as Status, ResponsibilityTransferType as Billing,
    };
    let (_server, _dir, url) = common::start_with(common::with_standalone_account()).await;
    let group = aws_sdk_organizations::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let solo = aws_sdk_organizations::Client::new(&common::sdk(&url, "777777777777").await);
    solo.create_organization().send().await.unwrap();
    let invite = || {
        group
            .invite_organization_to_transfer_responsibility()
            .r#type(Billing::Billing)
            .target(
                HandshakeParty::builder()
                    .id("777777777777")
                    .r#type(HandshakePartyType::Account)
                    .build()
                    .unwrap(),
            )
            .start_timestamp(aws_smithy_types::DateTime::from_secs(1_800_000_000))
            .source_name("group billing")
    };
    let sent = invite().send().await.unwrap();
    let handshake = sent.handshake().unwrap();
    assert_eq!(handshake.state(), Some(&HandshakeState::Open));
    let transfer = handshake
        .resources()
        .iter()
        .find(|r| r.r#type() == Some(&HandshakeResourceType::ResponsibilityTransfer))
        .and_then(|r| r.value())
        .unwrap()
        .to_owned();
    let again = invite().send().await.unwrap_err().into_service_error();
    assert!(again.is_duplicate_handshake_exception(), "{again:?}");

    // The inviter manages it (inbound); the invited organization's billing goes (outbound).
    let inbound = group
        .list_inbound_responsibility_transfers()
        .r#type(Billing::Billing)
        .send()
        .await
        .unwrap();
    let listed = &inbound.responsibility_transfers()[0];
    assert_eq!(listed.status(), Some(&Status::Requested));
    assert_eq!(
        listed.source().and_then(|p| p.management_account_id()),
        Some("777777777777")
    );
    let outbound = solo
        .list_outbound_responsibility_transfers()
        .r#type(Billing::Billing)
        .send()
        .await
        .unwrap();
    let arn = outbound.responsibility_transfers()[0].arn().unwrap();
    assert!(arn.contains("/billing/outbound/"), "{arn}");
    let early = solo
        .terminate_responsibility_transfer()
        .id(&transfer)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        early.is_invalid_responsibility_transfer_transition_exception(),
        "{early:?}"
    );

    solo.accept_handshake()
        .handshake_id(handshake.id().unwrap())
        .send()
        .await
        .unwrap();
    let described = solo
        .describe_responsibility_transfer()
        .id(&transfer)
        .send()
        .await
        .unwrap();
    let described = described.responsibility_transfer().unwrap();
    assert_eq!(described.status(), Some(&Status::Accepted));
    assert_eq!(
        described.start_timestamp().map(|t| t.secs()),
        Some(1_800_000_000)
    );
    let renamed = group
        .update_responsibility_transfer()
        .id(&transfer)
        .name("billing of the group")
        .send()
        .await
        .unwrap();
    assert_eq!(
        renamed.responsibility_transfer().and_then(|t| t.name()),
        Some("billing of the group")
    );
    let ended = solo
        .terminate_responsibility_transfer()
        .id(&transfer)
        .send()
        .await
        .unwrap();
    let ended = ended.responsibility_transfer().unwrap();
    assert_eq!(ended.status(), Some(&Status::Withdrawn));
    assert!(ended.end_timestamp().is_some());
    let twice = solo
        .terminate_responsibility_transfer()
        .id(&transfer)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        twice.is_responsibility_transfer_already_in_status_exception(),
        "{twice:?}"
    );
    let missing = group
        .describe_responsibility_transfer()
        .id("rt-00000000")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(
        missing.is_responsibility_transfer_not_found_exception(),
        "{missing:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_account_joins_by_accepting_its_handshake() {
    use aws_sdk_organizations::types::{HandshakeParty, HandshakePartyType, HandshakeState, Tag};
    let (_server, _dir, url) = common::start_with(common::with_standalone_account()).await;
    let org = aws_sdk_organizations::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let solo = aws_sdk_organizations::Client::new(&common::sdk(&url, "777777777777").await);
    let sent = org
        .invite_account_to_organization()
        .target(
            HandshakeParty::builder()
                .id("solo@example.com")
                .r#type(HandshakePartyType::Email)
                .build()
                .unwrap(),
        )
        .notes("welcome")
        .send()
        .await
        .unwrap()
        .handshake
        .unwrap();
    assert_eq!(sent.state(), Some(&HandshakeState::Open));
    let mut pages = solo.list_handshakes_for_account().into_paginator().send();
    let page = pages.next().await.unwrap().unwrap();
    assert_eq!(page.handshakes()[0].id(), sent.id());
    let accepted = solo
        .accept_handshake()
        .handshake_id(sent.id().unwrap())
        .send()
        .await
        .unwrap()
        .handshake
        .unwrap();
    assert_eq!(accepted.state(), Some(&HandshakeState::Accepted));
    let joined = org
        .describe_account()
        .account_id("777777777777")
        .send()
        .await
        .unwrap()
        .account
        .unwrap();
    assert_eq!(joined.email(), Some("solo@example.com"));

    // Tags page like every Organizations list: 25 tags, at most 20 a page.
    let tags: Vec<Tag> = (0..25)
        .map(|i| {
            Tag::builder()
                .key(format!("k{i:02}"))
                .value("v")
                .build()
                .unwrap()
        })
        .collect();
    org.tag_resource()
        .resource_id("777777777777")
        .set_tags(Some(tags))
        .send()
        .await
        .unwrap();
    let mut pages = org
        .list_tags_for_resource()
        .resource_id("777777777777")
        .into_paginator()
        .send();
    let mut keys = Vec::new();
    while let Some(page) = pages.next().await {
        keys.extend(page.unwrap().tags().iter().map(|t| t.key().to_owned()));
    }
    assert_eq!(keys.len(), 25);
    assert_eq!(keys[24], "k24");

    solo.leave_organization().send().await.unwrap();
    let err = solo
        .describe_organization()
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_aws_organizations_not_in_use_exception(), "{err:?}");
    let err = org
        .enable_aws_service_access()
        .service_principal("nothing.amazonaws.com")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_invalid_input_exception(), "{err:?}");
    assert_eq!(
        err.meta().message(),
        Some("You specified an unrecognized service principal.")
    );
    let err = org
        .close_account()
        .account_id("777777777777")
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_account_not_found_exception(), "{err:?}");
    assert_eq!(
        err.meta().message(),
        Some("You specified an account that doesn't exist.")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identity_store_memberships_by_member_through_the_sdk() {
    let (_server, _dir, url) = common::start().await;
    let sso = aws_sdk_ssoadmin::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let ids = aws_sdk_identitystore::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let inst = sso.list_instances().send().await.unwrap().instances()[0].clone();
    let store = inst.identity_store_id().unwrap();
    let alice = ids
        .get_user_id()
        .identity_store_id(store)
        .alternate_identifier(unique("userName", "alice"))
        .send()
        .await
        .unwrap()
        .user_id;
    let member = MemberId::UserId(alice.clone());
    let groups: Vec<_> = every_item!(
        ids.list_group_memberships_for_member()
            .identity_store_id(store)
            .member_id(member.clone())
            .max_results(1)
    );
    assert_eq!(groups.len(), 1);
    let group = groups[0].group_id().unwrap().to_owned();
    let asked = ids
        .is_member_in_groups()
        .identity_store_id(store)
        .member_id(member.clone())
        .group_ids(&group)
        .send()
        .await
        .unwrap();
    assert!(asked.results()[0].membership_exists());
    let membership = ids
        .get_group_membership_id()
        .identity_store_id(store)
        .group_id(&group)
        .member_id(member.clone())
        .send()
        .await
        .unwrap()
        .membership_id;
    ids.delete_group_membership()
        .identity_store_id(store)
        .membership_id(&membership)
        .send()
        .await
        .unwrap();
    let err = ids
        .describe_group_membership()
        .identity_store_id(store)
        .membership_id(&membership)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_resource_not_found_exception(), "{err:?}");

    // An instance is renamed; one that Kiro profiles use cannot be deleted.
    let arn = inst.instance_arn().unwrap();
    sso.update_instance()
        .instance_arn(arn)
        .name("rollout")
        .send()
        .await
        .unwrap();
    let described = sso
        .describe_instance()
        .instance_arn(arn)
        .send()
        .await
        .unwrap();
    assert_eq!(described.name(), Some("rollout"));
    let err = sso
        .delete_instance()
        .instance_arn(arn)
        .send()
        .await
        .unwrap_err()
        .into_service_error();
    assert!(err.is_conflict_exception(), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn effective_policies_merge_down_the_path_and_others_are_answered_as_aws_does() {
    use aws_sdk_organizations::types::{
        EffectivePolicyType, PolicyType, ResponsibilityTransferType,
    };
    let (_server, _dir, url) = common::start().await;
    let org = aws_sdk_organizations::Client::new(&common::sdk(&url, "AKIDTEST").await);
    let member = aws_sdk_organizations::Client::new(&common::sdk(&url, "666666666666").await);
    let root = org.list_roots().send().await.unwrap().roots()[0]
        .id()
        .unwrap()
        .to_owned();
    let ask = |c: &aws_sdk_organizations::Client, target: Option<&str>| {
        c.describe_effective_policy()
            .policy_type(EffectivePolicyType::TagPolicy)
            .set_target_id(target.map(str::to_owned))
    };
    let not_enabled = ask(&org, Some("666666666666")).send().await.unwrap_err();
    assert_eq!(
        code(not_enabled).as_deref(),
        Some("EffectivePolicyNotFoundException")
    );
    org.enable_policy_type()
        .root_id(&root)
        .policy_type(PolicyType::TagPolicy)
        .send()
        .await
        .unwrap();
    let none = ask(&org, Some("666666666666")).send().await.unwrap_err();
    assert_eq!(
        code(none).as_deref(),
        Some("EffectivePolicyNotFoundException")
    );
    let mut policy_ids = Vec::new();
    for (name, content, target) in [
        (
            "at-root",
            r#"{"tags": {"team": {"tag_key": {"@@assign": "Team"}, "tag_value": {"@@assign": ["web", "data"]}}}}"#,
            root.clone(),
        ),
        (
            "at-account",
            r#"{"tags": {"team": {"tag_value": {"@@append": ["ml"], "@@remove": ["data"]}}}}"#,
            "666666666666".to_owned(),
        ),
    ] {
        let p = org
            .create_policy()
            .name(name)
            .description("")
            .r#type(PolicyType::TagPolicy)
            .content(content)
            .send()
            .await
            .unwrap();
        let id = p
            .policy()
            .unwrap()
            .policy_summary()
            .unwrap()
            .id()
            .unwrap()
            .to_owned();
        org.attach_policy()
            .policy_id(&id)
            .target_id(&target)
            .send()
            .await
            .unwrap();
        policy_ids.push(id);
    }
    let got = ask(&org, Some("666666666666")).send().await.unwrap();
    let got = got.effective_policy().unwrap();
    assert_eq!(got.target_id(), Some("666666666666"));
    let content: serde_json::Value = serde_json::from_str(got.policy_content().unwrap()).unwrap();
    assert_eq!(
        content,
        serde_json::json!({"tags": {"team": {"tag_key": "Team", "tag_value": ["web", "ml"]}}})
    );
    // A member sees its own, by default; another account's is the management account's to see.
    let own = ask(&member, None).send().await.unwrap();
    assert_eq!(
        own.effective_policy().unwrap().target_id(),
        Some("666666666666")
    );
    let other = ask(&member, Some("444444444444")).send().await.unwrap_err();
    assert_eq!(code(other).as_deref(), Some("AccessDeniedException"));
    let of_root = ask(&org, Some(&root)).send().await.unwrap_err();
    assert_eq!(code(of_root).as_deref(), Some("InvalidInputException"));
    let unknown = ask(&org, Some("000000000000")).send().await.unwrap_err();
    assert_eq!(code(unknown).as_deref(), Some("TargetNotFoundException"));
    let scp = org
        .describe_effective_policy()
        .policy_type(EffectivePolicyType::from("SERVICE_CONTROL_POLICY"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(scp).as_deref(), Some("InvalidInputException"));
    let invalid = org
        .list_accounts_with_invalid_effective_policy()
        .policy_type(EffectivePolicyType::TagPolicy)
        .send()
        .await
        .unwrap();
    assert_eq!(invalid.accounts(), []);
    let errors = org
        .list_effective_policy_validation_errors()
        .account_id("666666666666")
        .policy_type(EffectivePolicyType::TagPolicy)
        .send()
        .await
        .unwrap();
    assert_eq!(errors.effective_policy_validation_errors(), []);
    assert!(errors.path().unwrap().ends_with("/666666666666/"));

    let gov = org
        .create_gov_cloud_account()
        .email("gov@example.com")
        .account_name("gov")
        .send()
        .await
        .unwrap_err();
    assert_eq!(code(gov).as_deref(), Some("ConstraintViolationException"));
    let inbound = org
        .list_inbound_responsibility_transfers()
        .r#type(ResponsibilityTransferType::Billing)
        .send()
        .await
        .unwrap();
    assert_eq!(inbound.responsibility_transfers(), []);
    let described = org
        .describe_responsibility_transfer()
        .id("rt-abcdefgh12")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(described).as_deref(),
        Some("ResponsibilityTransferNotFoundException")
    );
    let ended = org
        .terminate_responsibility_transfer()
        .id("rt-abcdefgh12")
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        code(ended).as_deref(),
        Some("ResponsibilityTransferNotFoundException")
    );
}

/// The error code of a failed SDK call.
fn code(e: impl aws_sdk_organizations::error::ProvideErrorMetadata) -> Option<String> {
    e.code().map(str::to_owned)
}
