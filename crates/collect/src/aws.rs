//! SDK configuration: one [`Access`] per identity the collector acts as (the caller, and each
//! member account it visits), with clients made per region.

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_credential_types::Credentials;
use aws_credential_types::provider::error::CredentialsError;
use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use kiro_estate::ids::Partition;

use crate::calls::{self, Call};
use crate::{CollectError, MemberAccess, Options};

/// One identity to call AWS as.
#[derive(Clone, Debug)]
pub struct Access {
    /// The SDK configuration (credentials, retries, endpoint, default region).
    pub config: SdkConfig,
    /// The default region.
    pub region: String,
    /// The endpoint override, when there is one.
    pub endpoint_url: Option<String>,
}

impl Access {
    /// The caller's own access, from the options.
    pub async fn home(options: &Options) -> Result<Access, CollectError> {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(url) = &options.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        if let Some(profile) = &options.profile {
            loader = loader.profile_name(profile);
        }
        let is_region = |r: &str| {
            !r.is_empty()
                && r.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        for r in options.region.iter().chain(&options.instance_regions) {
            if !is_region(r) {
                return Err(CollectError::Config(format!(
                    "`{r}` is not a region (e.g. `us-east-1`)"
                )));
            }
        }
        if let Some(region) = &options.region {
            loader = loader.region(Region::new(region.clone()));
        }
        if let Some(keys) = &options.keys {
            loader = loader.credentials_provider(Credentials::new(
                keys.access_key_id.clone(),
                keys.secret_access_key.clone(),
                keys.session_token.clone(),
                None,
                "kiro-org-collect",
            ));
        }
        if let Some(n) = options.max_attempts {
            let retry = if n <= 1 {
                RetryConfig::disabled()
            } else {
                RetryConfig::standard().with_max_attempts(n)
            };
            loader = loader.retry_config(retry);
        }
        let config = loader.load().await;
        if options.keys.is_none() {
            credentials(&config, options.profile.as_deref()).await?;
        }
        let region = config
            .region()
            .map(|r| r.as_ref().to_owned())
            .ok_or_else(|| {
                CollectError::Config(
                    "no region: the AWS config names none\n  help: pass `--region REGION` (the region Identity Center runs in, e.g. `us-east-1`) or set `AWS_REGION`".to_owned(),
                )
            })?;
        Ok(Access {
            config,
            region,
            endpoint_url: options.endpoint_url.clone(),
        })
    }

    /// The access of member account `account`, as `how` says.
    pub async fn member(
        &self,
        options: &Options,
        account: &str,
        partition: Partition,
    ) -> Result<Option<Access>, CollectError> {
        let provider = match &options.members {
            MemberAccess::None => return Ok(None),
            MemberAccess::AssumeRole(role) => {
                let arn = kiro_estate::ids::arn::role(partition, account, role);
                let provider = aws_config::sts::AssumeRoleProvider::builder(arn)
                    .session_name("kiro-org-collect")
                    .configure(&self.config)
                    .build()
                    .await;
                SharedCredentialsProvider::new(provider)
            }
            MemberAccess::AccessKeyIsAccountId => {
                let keys = options.keys.as_ref().ok_or_else(|| {
                    CollectError::Config(
                        "acting as member accounts by access key id needs `--access-key-id` and `--secret-access-key`"
                            .to_owned(),
                    )
                })?;
                SharedCredentialsProvider::new(Credentials::new(
                    account,
                    keys.secret_access_key.clone(),
                    None,
                    None,
                    "kiro-org-collect",
                ))
            }
        };
        let config = self
            .config
            .to_builder()
            .credentials_provider(provider)
            .build();
        Ok(Some(Access {
            config,
            region: self.region.clone(),
            endpoint_url: self.endpoint_url.clone(),
        }))
    }

    /// The configuration with `region` as its region.
    pub fn in_region(&self, region: &str) -> SdkConfig {
        self.config
            .to_builder()
            .region(Region::new(region.to_owned()))
            .build()
    }

    /// An Organizations client (a global service: the default region).
    pub fn organizations(&self) -> aws_sdk_organizations::Client {
        aws_sdk_organizations::Client::new(&self.config)
    }

    /// An SSO Admin client in `region`.
    pub fn sso_admin(&self, region: &str) -> aws_sdk_ssoadmin::Client {
        aws_sdk_ssoadmin::Client::new(&self.in_region(region))
    }

    /// An Identity Store client in `region`.
    pub fn identity_store(&self, region: &str) -> aws_sdk_identitystore::Client {
        aws_sdk_identitystore::Client::new(&self.in_region(region))
    }
}

/// The error code AWS gave (`AccessDeniedException`, …), if the call got that far.
pub fn error_code<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> Option<String> {
    match err {
        SdkError::ServiceError(e) => e.err().code().map(str::to_owned),
        _ => None,
    }
}

/// Asks the credential chain for credentials once, before any call: the SDK installs a chain
/// even when it will find nothing, and its last link's error (the EC2 metadata service's token)
/// says nothing about what to do.
async fn credentials(config: &SdkConfig, profile: Option<&str>) -> Result<(), CollectError> {
    const HELP: &str = "help: pass `--profile NAME` (a profile of `~/.aws/config`), set `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY`, or sign in with `aws sso login`; `kiro-org collect --print-policy` prints the permissions collect needs";
    let Some(provider) = config.credentials_provider() else {
        return Err(CollectError::Config(format!(
            "no AWS credentials: the credential chain is empty\n  {HELP}"
        )));
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(e) => {
            let cause = chain(&e);
            Err(CollectError::Config(match (profile, &e) {
                (Some(p), _) => format!(
                    "cannot load the credentials of profile `{p}`: {cause}\n  help: check it with `aws configure list --profile {p}`; an SSO profile needs `aws sso login --profile {p}`"
                ),
                (None, CredentialsError::CredentialsNotLoaded(_)) => format!(
                    "no AWS credentials: neither the environment, the AWS config files nor an instance role has any\n  {HELP}"
                ),
                (None, _) => format!("no AWS credentials: {cause}\n  {HELP}"),
            }))
        }
    }
}

/// [`describe`] of a failed `call`, and for a denied one the action the caller lacks.
pub fn failure<E>(call: Call, err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let text = describe(err);
    match error_code(err) {
        Some(code) if calls::is_denied(&code) => {
            format!("{text} ({})", calls::denied_help(call))
        }
        _ => text,
    }
}

/// A one-line account of an SDK error for people: the code and message when AWS answered, the
/// HTTP status when the answer was not AWS's (an emulator's 500 for an unimplemented call), or
/// the transport's error.
pub fn describe<E>(err: &SdkError<E, HttpResponse>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    match err {
        SdkError::ServiceError(e) => {
            let inner = e.err();
            match (inner.code(), inner.message()) {
                (Some(code), Some(message)) => format!("{code}: {message}"),
                (Some(code), None) => code.to_owned(),
                _ => format!(
                    "HTTP {} without an AWS error in the body (the endpoint does not implement the call)",
                    e.raw().status().as_u16()
                ),
            }
        }
        SdkError::ResponseError(e) => format!(
            "HTTP {} that is not a valid answer",
            e.raw().status().as_u16()
        ),
        SdkError::TimeoutError(_) => "the call timed out".to_owned(),
        SdkError::DispatchFailure(e) => match e.as_connector_error() {
            Some(c) => format!("cannot reach the endpoint: {}", chain(c)),
            None => "cannot reach the endpoint".to_owned(),
        },
        _ => aws_sdk_ssoadmin::error::DisplayErrorContext(err).to_string(),
    }
}

/// An error and its causes, as `a: b: c`, without debug output.
fn chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(e) = source {
        let text = e.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = e.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use aws_sdk_organizations::operation::list_roots::ListRootsError;
    use aws_sdk_organizations::types::error::AccessDeniedException;
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    use super::*;

    fn answered(code: &str) -> SdkError<ListRootsError, HttpResponse> {
        let meta = ErrorMetadata::builder()
            .code(code)
            .message("not authorized")
            .build();
        let err = ListRootsError::AccessDeniedException(
            AccessDeniedException::builder()
                .message("not authorized")
                .meta(meta)
                .build(),
        );
        SdkError::service_error(
            err,
            HttpResponse::new(403.try_into().unwrap(), SdkBody::empty()),
        )
    }

    #[test]
    fn a_denied_call_names_the_action_and_the_policy() {
        let text = failure(Call::ListRoots, &answered("AccessDeniedException"));
        assert!(
            text.starts_with("AccessDeniedException: not authorized"),
            "{text}"
        );
        assert!(text.contains("lacks `organizations:ListRoots`"), "{text}");
        assert!(text.contains("kiro-org collect --print-policy"), "{text}");
        let other = failure(Call::ListRoots, &answered("TooManyRequestsException"));
        assert!(!other.contains("--print-policy"), "{other}");
    }
}
