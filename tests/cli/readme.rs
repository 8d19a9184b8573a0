//! The README's commands, run as a newcomer runs them on an 80-column terminal.

use crate::support::{kiro, repo};

/// Every `kiro-org …` (or `cargo run --release -- …`) command the README shows, in its shell
/// blocks or inline, that a newcomer can run as written from the clone: no placeholder
/// (`ESTATE`, `[--out FILE]`, `…`), no redirection, every file it names shipped with the
/// repository. Long-running or networked commands (`serve`, `collect`) and those that write
/// files are left to their own tests.
fn commands(readme: &str) -> Vec<Vec<String>> {
    let mut candidates = Vec::new();
    let mut in_shell = false;
    for line in readme.lines() {
        if let Some(fence) = line.trim_start().strip_prefix("```") {
            in_shell = !in_shell && matches!(fence.trim(), "sh" | "bash" | "console" | "");
            continue;
        }
        if in_shell {
            let line = line.trim().trim_start_matches("$ ");
            candidates.push(line.split(" #").next().unwrap_or_default().to_owned());
        } else {
            // Inline code spans: every other piece between backticks.
            candidates.extend(line.split('`').skip(1).step_by(2).map(str::to_owned));
        }
    }
    let mut out: Vec<Vec<String>> = Vec::new();
    for candidate in candidates {
        let Some(rest) = candidate
            .strip_prefix("kiro-org ")
            .or_else(|| candidate.strip_prefix("cargo run --release -- "))
        else {
            continue;
        };
        let words: Vec<String> = rest.split_whitespace().map(str::to_owned).collect();
        let placeholder = |w: &String| {
            w.chars()
                .all(|c| c.is_ascii_uppercase() || c == '_' || c == '.')
        };
        let runnable = !rest.contains(['|', '>', '<', '$', '…', '[', '{'])
            && !words.iter().any(placeholder)
            && !matches!(
                words.first().map(String::as_str),
                Some("serve" | "collect" | "export" | "man" | "completions")
            )
            && !words
                .iter()
                .any(|w| w == "--out" || w == "--in-place" || w == "--largest")
            && words
                .iter()
                .filter(|w| w.contains('/') || w.ends_with(".yaml") || w.ends_with(".json"))
                .all(|w| repo(w).exists());
        if runnable && !out.contains(&words) {
            out.push(words);
        }
    }
    out
}

#[test]
fn the_readme_commands_run_as_written_at_80_columns() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let commands = commands(&readme);
    assert!(
        commands
            .iter()
            .any(|c| c[..2] == ["audit", "examples/enterprise.yaml"]),
        "the main command is among {commands:?}"
    );
    assert!(
        commands.len() >= 3,
        "the README's runnable commands: {commands:?}"
    );
    for words in &commands {
        let out = kiro()
            .current_dir(repo(""))
            .env("COLUMNS", "80")
            .args(words)
            .output()
            .unwrap();
        let code = out.status.code();
        // 0, or 1 for findings and refused operations as documented; never bad input (2) nor
        // a crash.
        assert!(
            matches!(code, Some(0 | 1)),
            "`kiro-org {}` exited {code:?}: {}",
            words.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        let machine = words.iter().any(|w| w == "--format");
        if !machine {
            for line in String::from_utf8_lossy(&out.stdout).lines() {
                assert!(
                    line.chars().count() <= 80,
                    "`kiro-org {}` runs {} wide at COLUMNS=80: {line}",
                    words.join(" "),
                    line.chars().count()
                );
            }
        }
    }
}
