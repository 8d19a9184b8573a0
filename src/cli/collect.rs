//! `kiro-org collect --out FILE`: read the real estate from AWS, read-only, into an estate file.
//!
//! The collected estate is checked as `kiro-org check` would before anything is written: when it
//! has problems, they are reported, nothing is written, and the exit code is 1. What could not be
//! read is reported as warnings on stderr (exit code 0): the estate then lacks exactly that part.
//! See the `kiro_collect` crate for which API each field comes from.

use std::path::PathBuf;

use anyhow::Context as _;
use kiro_collect::{MemberAccess, Options, StaticKeys};

use super::ReportFormat;

/// Where each part of the estate comes from, for `kiro-org collect --help`.
const SOURCES: &str = "\
Where each part comes from (only List*/Describe* calls; nothing is changed in AWS):
  accounts, names, emails     Organizations ListAccounts
  organization, root          DescribeOrganization, ListRoots
  OUs and account parents     ListOrganizationalUnitsForParent, ListAccountsForParent
  SCPs and attachments        ListPolicies(SERVICE_CONTROL_POLICY), DescribePolicy,
                              ListTargetsForPolicy
  instances                   SSO Admin ListInstances, DescribeInstance (region: PrimaryRegion,
                              else the region listed in; see --instance-region)
  users, groups, members      Identity Store ListUsers, ListGroups, ListGroupMemberships
  profiles                    SSO Admin ListApplications: `KiroProfile-<region>` applications,
                              ApplicationAccount = the profile's account
  subscriptions (plans)       the internal AWSZornControlPlaneService.ListUserSubscriptions
                              (a failure is a warning), else --merge
  profile settings, governance, Kiro session days, identity-enhanced sessions
                              --merge (no API shows them)
  member-account-instances-allowed
                              inferred from a member's account instance, else --merge

Account instances of member accounts are read as those accounts: --member-role ROLE
(assumed through STS) or, against `kiro-org serve`, --member-access-key-ids.";

/// Arguments of `collect`.
#[derive(clap::Args)]
#[command(after_long_help = SOURCES)]
pub struct Args {
    /// Where to write the estate (YAML, or JSON by extension); written atomically.
    #[arg(long, short, required_unless_present = "print_policy")]
    out: Option<PathBuf>,
    /// Print the least-privilege IAM policy collect needs (with `sts:AssumeRole` of
    /// `--member-role` when given) and call nothing.
    #[arg(long)]
    print_policy: bool,
    /// An admin export (an estate file) for what no API shows: profile settings, governance,
    /// Identity Center settings, and plans when the subscription call is unavailable.
    #[arg(long, value_name = "FILE")]
    merge: Option<PathBuf>,
    /// Send every call to this endpoint (an emulator such as `kiro-org serve`) instead of AWS.
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,
    /// A named profile of the AWS config files (otherwise the normal credential chain).
    #[arg(long, value_name = "NAME")]
    profile: Option<String>,
    /// The region to call and to look for Identity Center instances in.
    #[arg(long, value_name = "REGION")]
    region: Option<String>,
    /// More regions to look for Identity Center instances in (repeatable).
    #[arg(long = "instance-region", value_name = "REGION")]
    instance_regions: Vec<String>,
    /// An explicit access key id, for emulators and tests (needs `--secret-access-key`);
    /// `kiro-org serve` acts as the account a 12-digit key names.
    #[arg(long, requires = "secret_access_key", value_name = "KEY")]
    access_key_id: Option<String>,
    /// The secret of `--access-key-id` (or set AWS_SECRET_ACCESS_KEY and use the chain).
    #[arg(long, requires = "access_key_id", value_name = "SECRET")]
    secret_access_key: Option<String>,
    /// A session token for `--access-key-id`.
    #[arg(long, requires = "access_key_id", value_name = "TOKEN")]
    session_token: Option<String>,
    /// Assume this role in each member account to read its account instance, directory and
    /// profiles (only the owning account can read them).
    #[arg(long, value_name = "ROLE", conflicts_with = "member_access_key_ids")]
    member_role: Option<String>,
    /// Act as each member account by signing with its account id as the access key id and the
    /// same secret (`kiro-org serve`'s convention); needs `--access-key-id`.
    #[arg(long, requires = "access_key_id")]
    member_access_key_ids: bool,
    /// Do not call the internal `ListUserSubscriptions` (plans then come from `--merge`).
    #[arg(long)]
    no_subscriptions: bool,
    /// Attempts per call, 1 for no retries (default: the SDK's, 3).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    max_attempts: Option<u32>,
    /// Output format of the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

/// Runs `collect`.
pub fn run(args: Args) -> super::CliResult {
    if args.print_policy {
        return Ok(super::print_json(&kiro_collect::calls::policy(
            args.member_role.as_deref(),
        ))?);
    }
    let Some(out) = args.out.clone() else {
        return Err(anyhow::anyhow!("`--out FILE` is missing").into());
    };
    let export = match &args.merge {
        Some(path) => Some(super::load_estate(path)?),
        None => None,
    };
    let options = Options {
        endpoint_url: args.endpoint_url.clone(),
        profile: args.profile.clone(),
        region: args.region.clone(),
        keys: match (&args.access_key_id, &args.secret_access_key) {
            (Some(id), Some(secret)) => Some(StaticKeys {
                access_key_id: id.clone(),
                secret_access_key: secret.clone(),
                session_token: args.session_token.clone(),
            }),
            _ => None,
        },
        max_attempts: args.max_attempts,
        instance_regions: args.instance_regions.clone(),
        members: match (&args.member_role, args.member_access_key_ids) {
            (Some(role), _) => MemberAccess::AssumeRole(role.clone()),
            (None, true) => MemberAccess::AccessKeyIsAccountId,
            (None, false) => MemberAccess::None,
        },
        subscriptions: !args.no_subscriptions,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let mut collection = match runtime.block_on(kiro_collect::collect(&options)) {
        Ok(c) => c,
        Err(e) => {
            report_failure(args.format, &e.to_string(), &[])?;
            return Err(super::CliError::Refused(super::Report::Shown));
        }
    };
    if let Some(export) = &export {
        kiro_collect::merge(&mut collection, export);
    }
    let warnings = collection.warnings.clone();
    let estate = match kiro_collect::finish(collection.estate) {
        Ok(estate) => estate,
        Err(problems) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|d| match &d.help {
                    Some(help) => format!("{}: {}\n  help: {help}", d.path, d.message),
                    None => format!("{}: {}", d.path, d.message),
                })
                .collect();
            report_failure(
                args.format,
                &format!(
                    "the collected estate has {} problem(s); nothing was written",
                    problems.len()
                ),
                &lines,
            )?;
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            return Err(super::CliError::Refused(super::Report::Shown));
        }
    };
    estate
        .save(&out)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("cannot write `{}`", out.display()))?;
    match args.format {
        ReportFormat::Human => {
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            super::print(&format!(
                "{}: collected {} accounts, {} organizations, {} instances, {} profiles{}",
                out.display(),
                estate.accounts.len(),
                estate.organizations.len(),
                estate.instances.len(),
                estate.profiles.len(),
                if warnings.is_empty() {
                    String::new()
                } else {
                    format!(" ({} warnings)", warnings.len())
                }
            ))?;
        }
        ReportFormat::Json => super::print_json(&serde_json::json!({
            "ok": true,
            "out": out.display().to_string(),
            "accounts": estate.accounts.len(),
            "organizations": estate.organizations.len(),
            "instances": estate.instances.len(),
            "profiles": estate.profiles.len(),
            "warnings": warnings,
        }))?,
    }
    Ok(())
}

fn report_failure(format: ReportFormat, message: &str, problems: &[String]) -> anyhow::Result<()> {
    match format {
        ReportFormat::Human => {
            eprintln!("error: {message}");
            for p in problems {
                eprintln!("{p}");
            }
        }
        ReportFormat::Json => super::print_json(&serde_json::json!({
            "ok": false,
            "error": message,
            "problems": problems,
        }))?,
    }
    Ok(())
}
