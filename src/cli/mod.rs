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
pub mod reconcile;
pub mod report;
pub mod rule;
pub mod scp;
pub mod scp_generate;
pub mod serve;
pub mod shell;
pub mod style;
pub mod table;

use std::path::{Path, PathBuf};

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

/// `--format` of the commands whose report is a table: the table for people, JSON, or the
/// table's rows as CSV.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    /// Text and tables for people.
    #[value(alias = "text")]
    Human,
    /// Stable JSON for programs.
    Json,
    /// The table's rows as CSV, with a header.
    Csv,
}

/// `--format` of `cost`: a table's formats, or the bill as a FOCUS 1.2 dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BillFormat {
    /// Text and tables for people.
    #[value(alias = "text")]
    Human,
    /// Stable JSON for programs.
    Json,
    /// The table's rows as CSV, with a header.
    Csv,
    /// The bill as FOCUS 1.2 CSV, with AWS's `x_UsageType` and `x_Operation` (needs
    /// `--month`).
    Focus,
}

impl BillFormat {
    /// The table format, none for FOCUS.
    pub fn table(self) -> Option<TableFormat> {
        match self {
            BillFormat::Human => Some(TableFormat::Human),
            BillFormat::Json => Some(TableFormat::Json),
            BillFormat::Csv => Some(TableFormat::Csv),
            BillFormat::Focus => None,
        }
    }
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
    /// Loads the price book.
    pub fn load(&self) -> Result<kiro_estate::prices::PriceBook, CliError> {
        load_prices(self.prices.as_deref())
    }
}

/// `--usage`: Kiro's user reports, for `cost`, `report` and `reconcile` alike.
#[derive(clap::Args)]
pub struct UsageArg {
    /// Kiro's daily user reports: a local copy of the S3 prefix
    /// `AWSLogs/<account>/KiroLogs/user_report/` (any folder above it), or report files.
    #[arg(long, value_name = "DIR_OR_FILE", num_args = 1..)]
    pub usage: Vec<PathBuf>,
}

impl UsageArg {
    /// Reads the reports, none without `--usage`; what they hold that kiro-org does not know
    /// is printed as warnings.
    pub fn load(&self) -> Result<Option<kiro_billing::usage::Usage>, CliError> {
        if self.usage.is_empty() {
            return Ok(None);
        }
        let usage = kiro_billing::usage::Usage::read(&self.usage)?;
        for w in &usage.warnings {
            eprintln!("{w}");
        }
        Ok(Some(usage))
    }
}

/// The KEY of `--by attribute:KEY`: an Identity Center user attribute (`costCenter`).
pub fn attribute_key(value: &str) -> Option<&str> {
    value.strip_prefix("attribute:").filter(|k| !k.is_empty())
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
    /// Reads the estate (which may break domain rules: they are for the caller to report),
    /// then loads the price book.
    pub fn load(
        &self,
    ) -> Result<(kiro_estate::Readable, kiro_estate::prices::PriceBook), CliError> {
        let estate = Estate::read(&self.estate)?;
        Ok((estate, self.prices.load()?))
    }
}

/// Why a command did not succeed. Commands return it and `main` alone turns it into the exit
/// code (as in ripgrep): 2 for bad input or invocation, 1 for a refused operation, findings at
/// or above `--fail-on`, or an impossible plan. No command picks a code itself.
#[derive(Debug)]
pub enum CliError {
    /// Exit 2: an unreadable file, a file that cannot be read as what it should be (its
    /// diagnostics), a bad argument.
    BadInput(Report),
    /// Exit 1: the simulated control plane refused an operation; nothing was written.
    Refused(Report),
    /// Exit 1: findings at or above `--fail-on`, or differences between the bill and the
    /// model that no discount explains; the report was printed.
    Findings,
    /// Exit 1: a plan with blocked or impossible changes; the plan was printed.
    ImpossiblePlan,
}

/// What a [`CliError`] still has to say on stderr.
#[derive(Debug)]
pub enum Report {
    /// Nothing: it was shown already (JSON on stdout, or a message on stderr).
    Shown,
    /// A message, shown as `error: {message}` (it may continue with `help:` lines).
    Message(String),
    /// An error from below (shown with its causes).
    Error(anyhow::Error),
    /// A file that could not be loaded: every diagnostic, then how many.
    Load(LoadError),
}

impl CliError {
    /// Bad input, with what is wrong.
    pub fn bad_input(message: impl Into<String>) -> Self {
        Self::BadInput(Report::Message(message.into()))
    }

    /// The exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::BadInput(_) => 2,
            Self::Refused(_) | Self::Findings | Self::ImpossiblePlan => 1,
        }
    }

    /// Whether this is a closed stdout (`kiro-org … | head`), which is not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::BadInput(Report::Error(e)) if is_broken_pipe(e))
    }

    /// Prints what is left to say on stderr.
    pub fn report(&self) {
        match self {
            Self::BadInput(report) | Self::Refused(report) => match report {
                Report::Shown => {}
                Report::Message(message) => eprintln!("error: {message}"),
                Report::Error(err) => eprintln!("error: {err:#}"),
                Report::Load(err) => report_load_error(err),
            },
            Self::Findings | Self::ImpossiblePlan => {}
        }
    }
}

impl From<LoadError> for CliError {
    fn from(err: LoadError) -> Self {
        Self::BadInput(Report::Load(err))
    }
}

impl From<anyhow::Error> for CliError {
    fn from(err: anyhow::Error) -> Self {
        Self::BadInput(Report::Error(err))
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        anyhow::Error::from(err).into()
    }
}

impl From<serde_json::Error> for CliError {
    fn from(err: serde_json::Error) -> Self {
        anyhow::Error::from(err).into()
    }
}

/// What every command returns.
pub type CliResult = Result<(), CliError>;

/// Whether `err` is a closed stdout (`kiro-org … | head`), which is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Loads an estate that must keep every domain rule (commands that change or plan an
/// estate); its problems are the error.
pub fn load_estate(path: &Path) -> Result<Estate, CliError> {
    Ok(Estate::load(path)?)
}

/// Loads an estate that may break domain rules, for commands that can still compute on it
/// (`cost`, `patterns`): the rule breaks are printed as warnings, and the estate is used.
pub fn load_estate_warning(path: &Path) -> Result<Estate, CliError> {
    let read = Estate::read(path)?;
    if !read.rule_breaks.is_empty() {
        let n = read.rule_breaks.len();
        let warnings = kiro_estate::Diagnostics(
            read.rule_breaks
                .0
                .into_iter()
                .map(|d| d.as_warning())
                .collect(),
        );
        eprintln!("{warnings}");
        eprintln!(
            "warning: the estate breaks {}; `kiro-org check` lists them",
            kiro_estate::words::count(n, "rule", "rules")
        );
    }
    Ok(read.estate)
}

/// Loads the price book `--prices` names, or the built-in one.
pub fn load_prices(path: Option<&Path>) -> Result<kiro_estate::prices::PriceBook, CliError> {
    Ok(kiro_estate::prices::PriceBook::load_or_builtin(path)?)
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

/// Stdout for a large machine-readable output written piece by piece (JSON, CSV, SARIF,
/// FOCUS): buffered by the megabyte, so that a bill or report of tens of megabytes costs a
/// few dozen writes rather than thousands (stdout's own buffer flushes at every newline).
pub fn stdout_buffer() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock())
}

/// Writes `text` to stdout, with a trailing newline, its severities and totals in colour when
/// stdout shows colour (see [`style`]).
pub fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = anstream::stdout().lock();
    out.write_all(style::paint(text).as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// Prints a report for people, its long lines wrapped to the width tables are drawn to (see
/// [`table::wrap_prose`]). Machine formats (JSON, CSV, SARIF, policies) go through [`print`]
/// untouched.
pub fn print_prose(text: &str) -> anyhow::Result<()> {
    print(&table::wrap_prose(text, table::width()))
}

/// Prints `value` as pretty JSON.
pub fn print_json(value: &impl serde::Serialize) -> anyhow::Result<()> {
    print(&serde_json::to_string_pretty(value)?)
}
