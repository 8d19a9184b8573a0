//! One module per subcommand, plus what they share.

pub mod apply;
pub mod audit;
pub mod check;
pub mod collect;
pub mod cost;
pub mod export;
pub mod generate;
pub mod patterns;
pub mod plan;
pub mod recommend;
pub mod rule;
pub mod scp;
pub mod scp_generate;
pub mod serve;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kiro_estate::{Estate, LoadError};

/// `--format` of the commands that print either a report for people or JSON for programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Text and tables for people.
    #[value(alias = "text")]
    Human,
    /// Stable JSON for programs.
    Json,
}

/// `--prices FILE`, for every command that puts money on an estate: one flag, one help
/// text and one way of loading it ([`load_prices`]).
#[derive(clap::Args)]
pub struct PricesArg {
    /// The price book (YAML); default: the built-in list prices.
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
}

impl PricesArg {
    /// Loads the price book, or returns exit code 2 having printed why it cannot.
    pub fn load(&self) -> Result<kiro_estate::prices::PriceBook, ExitCode> {
        load_prices(self.prices.as_deref())
    }
}

/// An estate file and `--prices`: what the commands that price one estate (`audit`, `cost`)
/// take and load alike.
#[derive(clap::Args)]
pub struct PricedEstate {
    /// The estate file (YAML, or JSON by extension).
    pub estate: PathBuf,
    #[command(flatten)]
    pub prices: PricesArg,
}

impl PricedEstate {
    /// Loads the estate, then the price book, or returns exit code 2 having printed why the
    /// first that cannot be loaded cannot.
    pub fn load(&self) -> Result<(Estate, kiro_estate::prices::PriceBook), ExitCode> {
        let estate = load_estate(&self.estate)?;
        Ok((estate, self.prices.load()?))
    }
}

/// Exit code 1: the operation failed, or findings at or above the threshold.
pub const FAILURE: u8 = 1;
/// Exit code 2: bad input or invocation.
pub const INVALID: u8 = 2;

/// Whether `err` is a closed stdout (`kiro-org … | head`), which is not an error.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Loads an estate, printing its problems and returning exit code 2 when it is invalid.
pub fn load_estate(path: &Path) -> Result<Estate, ExitCode> {
    Estate::load(path).map_err(|err| {
        report_load_error(&err);
        ExitCode::from(INVALID)
    })
}

/// Loads the price book `--prices` names, or the built-in one, printing its problems and
/// returning exit code 2 when it is invalid.
pub fn load_prices(path: Option<&Path>) -> Result<kiro_estate::prices::PriceBook, ExitCode> {
    kiro_estate::prices::PriceBook::load_or_builtin(path).map_err(|err| {
        report_load_error(&err);
        ExitCode::from(INVALID)
    })
}

/// Prints a load error to stderr, one diagnostic per paragraph.
pub fn report_load_error(err: &LoadError) {
    match err {
        // Each diagnostic already starts with `error:`.
        LoadError::Invalid(_) => eprintln!("{err}"),
        LoadError::Io { .. } => eprintln!("error: {err}"),
    }
    let n = err.diagnostics().len();
    if n > 1 {
        eprintln!("{n} problems found");
    }
}

/// Writes `text` to stdout, with a trailing newline.
pub fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Prints `value` as pretty JSON.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    print(&serde_json::to_string_pretty(value)?)
}
