//! `kiro-org scp generate --pattern N`: the guard-rail SCPs for a deployment pattern, each
//! checked by the SCP validator, with where to attach them.

use std::fmt::Write as _;

use kiro_audit::guardrails;
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
    /// The management account (named in the explanations).
    #[arg(long, value_name = "MGMT")]
    organization: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

fn account(text: &str) -> Option<AccountId> {
    (text.len() == 12 && text.bytes().all(|b| b.is_ascii_digit())).then(|| AccountId::new(text))
}

/// Runs `scp generate`.
pub fn run(args: Args) -> super::CliResult {
    let mut allow = Vec::new();
    for a in args.allow.iter().chain(args.organization.iter()) {
        if account(a).is_none() {
            return Err(super::CliError::bad_input(format!(
                "`{a}` is not an account id\nhelp: an AWS account id is 12 digits"
            )));
        }
    }
    for a in &args.allow {
        allow.extend(account(a));
    }
    let management = args.organization.as_deref().and_then(account);
    let rails = guardrails::generate(args.pattern, &allow, management.as_ref());
    for r in &rails {
        if let Err(e) = kiro_policy::Policy::from_value(&r.document) {
            return Err(anyhow::anyhow!("generated policy `{}` is invalid: {e}", r.name).into());
        }
    }
    if args.format == Format::Json {
        super::print_json(&serde_json::json!({
            "pattern": args.pattern,
            "scps": rails.iter().map(guardrails::GuardRail::to_json).collect::<Vec<_>>(),
        }))?;
        return Ok(());
    }
    let mut out = String::new();
    if rails.is_empty() {
        out.push_str("pattern 1 uses no AWS Organizations: there is nowhere to attach an SCP\n");
    }
    for r in &rails {
        let _ = writeln!(out, "# {} — {}", r.name, r.description);
        let _ = writeln!(out, "# attach to: {}", r.attach_to.join(", "));
        let _ = writeln!(out, "# why: {}", r.why);
        let _ = writeln!(out, "{}\n", serde_json::to_string_pretty(&r.document)?);
    }
    super::print(&out)?;
    Ok(())
}
