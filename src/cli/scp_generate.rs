//! `kiro-org scp generate --pattern N`: the guard-rail SCPs for a deployment pattern, with
//! where to attach them — rehearsed on the simulator first (`kiro_advice::guardrails`), so
//! what is printed leaves the pattern possible for the accounts meant to use it and blocks it
//! for the rest. Patterns 2 and 3 without `--allow` print a template whose placeholder
//! accounts are to be replaced, and say so on stderr. `--seat-groups` adds the rail that
//! gives seats only to approved groups.

use std::fmt::Write as _;
use std::path::PathBuf;

use kiro_advice::guardrails::{self, AdviceError, GuardRails};
use kiro_estate::AccountId;

/// Arguments of `scp generate`.
#[derive(clap::Args)]
pub struct Args {
    /// The deployment pattern (1–4).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=4))]
    pattern: u8,
    /// An account exempt from the guard rails (a department that holds its own profile or
    /// account instance); repeatable.
    #[arg(long, value_name = "ACCOUNT")]
    allow: Vec<String>,
    /// The management account (named in the explanations; with `--estate`, the organization
    /// to rehearse in).
    #[arg(long, value_name = "MGMT")]
    organization: Option<String>,
    /// Add the guard rail that lets member accounts give Kiro seats only to these Identity
    /// Store groups (their `identitystore:GroupId`; with `--estate`, a group's name in the
    /// organization instance stands for its id). Patterns 2 and 3.
    #[arg(long, value_name = "GROUP", num_args = 1..)]
    seat_groups: Vec<String>,
    /// Rehearse in a copy of this estate's organization instead of a scratch one.
    #[arg(long, value_name = "ESTATE")]
    estate: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = super::ReportFormat::Human)]
    format: super::ReportFormat,
}

/// The account ids `texts`; bad input naming the first that is not an account id.
pub fn accounts(texts: &[String]) -> Result<Vec<AccountId>, super::CliError> {
    texts
        .iter()
        .map(|text| {
            if text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit()) {
                Ok(AccountId::new(text.as_str()))
            } else {
                Err(super::CliError::bad_input(format!(
                    "`{text}` is not an account id\nhelp: an AWS account id is 12 digits"
                )))
            }
        })
        .collect()
}

/// Why guard rails were not given: bad input when the estate cannot host them, a refusal
/// when they failed their rehearsal (they are never printed then).
pub fn refused(e: &AdviceError) -> super::CliError {
    use super::{CliError, Report};
    match e {
        AdviceError::Estate(_) => CliError::bad_input(e.to_string()),
        AdviceError::Rehearsal { .. } => CliError::Refused(Report::Message(format!(
            "{e}\nnote: guard rails that fail their rehearsal are never printed"
        ))),
    }
}

/// The guard rails as text: each SCP with where to attach it and why; a template says so
/// first; pattern 1 says it needs none.
pub fn human(rails: &GuardRails) -> anyhow::Result<String> {
    let mut out = String::new();
    if rails.rails.is_empty() {
        out.push_str("pattern 1 needs no organization SCPs: it uses no AWS Organizations, so there is nowhere to attach one\n");
    }
    if let Some(notice) = rails.notice() {
        let _ = writeln!(out, "# TEMPLATE: {notice}\n");
    }
    for r in &rails.rails {
        let _ = writeln!(out, "# {} — {}", r.name, r.description);
        let _ = writeln!(out, "# attach to: {}", r.attach_to.join(", "));
        let _ = writeln!(out, "# why: {}", r.why);
        let _ = writeln!(out, "{}\n", serde_json::to_string_pretty(&r.document)?);
    }
    if !rails.rails.is_empty() {
        out.push_str("# rehearsed on the simulator: the pattern stays possible for the accounts meant to use it and is blocked for the rest\n");
    }
    Ok(out)
}

/// Runs `scp generate`.
pub fn run(args: Args) -> super::CliResult {
    let allow = accounts(&args.allow)?;
    let management = accounts(args.organization.as_slice())?.into_iter().next();
    let estate = match &args.estate {
        Some(path) => Some(super::load_estate(path)?),
        None => None,
    };
    let seat_groups = match &estate {
        Some(estate) => group_ids(estate, management.as_ref(), &args.seat_groups),
        None => args.seat_groups.clone(),
    };
    let rails = guardrails::advise_with_seats(
        args.pattern,
        &allow,
        management.as_ref(),
        estate.as_ref(),
        &seat_groups,
    )
    .map_err(|e| refused(&e))?;
    if let Some(notice) = rails.notice() {
        eprintln!("note: this is a template: {notice}");
    }
    if args.format == super::ReportFormat::Json {
        super::print_json(&rails.to_json())?;
    } else {
        super::print(&human(&rails)?)?;
    }
    Ok(())
}

/// The group ids `groups` name: a group's name in the organization instance of `estate`'s
/// organization (the one `management` names, else its first) stands for its id; anything
/// else is taken as an id.
fn group_ids(
    estate: &kiro_estate::Estate,
    management: Option<&AccountId>,
    groups: &[String],
) -> Vec<String> {
    let instance = match management {
        Some(m) => estate.organizations.get(m),
        None => estate.organizations.iter().next(),
    }
    .and_then(|org| estate.organization_instance(org));
    groups
        .iter()
        .map(|g| {
            instance
                .and_then(|i| i.groups.get(g.as_str()))
                .map_or_else(|| g.clone(), |group| group.id.to_string())
        })
        .collect()
}
