//! `kiro-org completions SHELL` and `kiro-org man`: what a shell and `man` need, generated
//! from the same clap definitions that parse the arguments, so they never fall behind.

use std::path::PathBuf;

/// Arguments of `completions`.
#[derive(clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Arguments of `man`.
#[derive(clap::Args)]
pub struct ManArgs {
    /// Write one page per command (`kiro-org.1`, `kiro-org-cost.1`, …) into this directory,
    /// created if missing; without it, the main page goes to standard output.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// Prints the completion script of `shell` for `command`.
pub fn completions(args: CompletionsArgs, mut command: clap::Command) -> super::CliResult {
    let name = command.get_name().to_owned();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, &name, &mut out);
    let mut script = String::from_utf8_lossy(&out).into_owned();
    if args.shell == clap_complete::Shell::Bash {
        script = mend_bash(&script, &name);
    }
    super::print(&script)?;
    Ok(())
}

/// clap_complete's bash script names each subcommand's `case` branch after the command path
/// with every `-` turned into its subcommand separator, so a program named `kiro-org` gets
/// branches `kiro__subcmd__org__subcmd__cost` that the dispatcher (which spells the program
/// `kiro__org`) never reaches, and no subcommand's options complete. Spelling the branches as
/// the dispatcher does mends it.
fn mend_bash(script: &str, name: &str) -> String {
    const SEP: &str = "__subcmd__";
    let wrong = format!("{}{SEP}", name.replace('-', SEP));
    let right = format!("{}{SEP}", name.replace('-', "__"));
    script.replace(&wrong, &right)
}

/// Prints the manual page of `command`, or writes every page into `--out`.
pub fn man(args: ManArgs, command: clap::Command) -> super::CliResult {
    match args.out {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(command).render(&mut out)?;
            super::print(&String::from_utf8_lossy(&out))?;
            Ok(())
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|e| {
                super::CliError::bad_input(format!("cannot create `{}`: {e}", dir.display()))
            })?;
            clap_mangen::generate_to(command, &dir).map_err(|e| {
                super::CliError::bad_input(format!(
                    "cannot write the pages into `{}`: {e}",
                    dir.display()
                ))
            })?;
            eprintln!(
                "wrote the manual pages into {}\nhelp: `man -l {}` reads one; add the directory to MANPATH to read them as `man kiro-org`",
                dir.display(),
                dir.join("kiro-org.1").display()
            );
            Ok(())
        }
    }
}
