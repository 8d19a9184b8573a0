//! The `kiro-org` command line: argument parsing, output rendering and exit codes.
//!
//! Exit codes mean something, as in ripgrep: 0 success (or nothing at or above the threshold),
//! 1 the operation failed or findings were found, 2 the input or the invocation was wrong.
//! Commands return a typed [`cli::CliError`]; only `main` turns it into a code.

mod cli;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// mimalloc rather than the system allocator: the large analyses (`cost`, `audit` of a big
/// estate) make millions of small allocations while loading the estate and building their
/// results, and glibc's malloc spends a large share of their CPU time on them; mimalloc is a
/// small C library built with the binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Model, simulate, analyse and serve an AWS Organization's Kiro rollout through IAM Identity
/// Center.
#[derive(Parser)]
#[command(name = "kiro-org", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check an estate file: every problem at once, with file, line and column.
    Check(cli::check::Args),
    /// Apply an operations file to an estate, as AWS's control plane would.
    Apply(cli::apply::Args),
    /// Service control policies: simulate a request against SCP levels, validate documents.
    #[command(subcommand)]
    Scp(cli::scp::ScpCommand),
    /// Generate a deterministic synthetic estate, sized by flags, for tests and benchmarks.
    Generate(cli::generate::Args),
    /// The monthly Kiro bill: per profile, account, OU and payer, with duplicate charges,
    /// pending seats, overage and right-sizing (`--month YYYY-MM` replays the event log).
    Cost(cli::cost::Args),
    /// What AWS billed for Kiro (a CUR 2.0 export) against the model's bill of the month:
    /// differences with reasons, duplicates, idle seats (exit 1 when differences remain).
    Reconcile(cli::reconcile::Args),
    /// The deployment pattern (1–4) of every Kiro profile, with a reason.
    Patterns(cli::patterns::Args),
    /// Audit an estate: duplicate charges, quota headroom, governance gaps, settings drift…
    /// (`--format json|sarif|markdown`, `--fail-on SEVERITY`, `--config FILE`).
    Audit(cli::audit::Args),
    /// Print an audit rule's documentation (`kiro-org rule KO101`), or list them (`--all`).
    Rule(cli::rule::Args),
    /// Recommend a deployment pattern (1–4) for stated requirements, with reasons, caveats
    /// and the SCPs to attach.
    Recommend(cli::recommend::Args),
    /// The operations that turn one estate into another, rehearsed on the simulator, with
    /// the monthly cost before and after (`--out OPS` for `kiro-org apply`).
    Plan(cli::plan::Args),
    /// One self-contained HTML report of an estate: its tree and patterns, quota gauges, the
    /// bill, the governance matrix and the audit findings (`--out report.html`).
    Report(cli::report::Args),
    /// Serve the simulated control plane over AWS's own wire protocols (and an admin API).
    Serve(cli::serve::Args),
    /// Export a server's live state as an estate file.
    Export(cli::export::Args),
    /// Collect the real estate from AWS, read-only, into an estate file (`--merge` adds what
    /// no API shows from an admin's export).
    Collect(cli::collect::Args),
    /// Print the completion script for a shell (`kiro-org completions bash > …`).
    Completions(cli::shell::CompletionsArgs),
    /// Print the manual page, or write one page per command with `--out DIR`.
    Man(cli::shell::ManArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => cli::check::run(args),
        Command::Apply(args) => cli::apply::run(args),
        Command::Generate(args) => cli::generate::run(args),
        Command::Scp(cmd) => cli::scp::run(cmd),
        Command::Cost(args) => cli::cost::run(args),
        Command::Reconcile(args) => cli::reconcile::run(args),
        Command::Patterns(args) => cli::patterns::run(args),
        Command::Audit(args) => cli::audit::run(args),
        Command::Rule(args) => cli::rule::run(args),
        Command::Recommend(args) => cli::recommend::run(args),
        Command::Plan(args) => cli::plan::run(args),
        Command::Report(args) => cli::report::run(args),
        Command::Serve(args) => cli::serve::run(args),
        Command::Export(args) => cli::export::run(args),
        Command::Collect(args) => cli::collect::run(args),
        Command::Completions(args) => cli::shell::completions(args, Cli::command()),
        Command::Man(args) => cli::shell::man(args, Cli::command()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is_broken_pipe() => ExitCode::SUCCESS,
        Err(err) => {
            err.report();
            ExitCode::from(err.exit_code())
        }
    }
}
