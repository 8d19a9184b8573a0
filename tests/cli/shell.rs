//! `completions` and `man`: generated from the parser, checked by the programs that read them.

use crate::support::{kiro, text};

/// Completes `line` in bash with the generated script: what bash would offer after it.
fn bash_completes(script: &str, words: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiro-org.bash");
    std::fs::write(&path, script).unwrap();
    let words_array = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let program = format!(
        "source '{}'; COMP_WORDS=({words_array}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; _kiro__org kiro-org '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display(),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "-c", &program])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(str::to_owned)
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_bash_completion_script_offers_the_commands_and_their_options() {
    let out = kiro().args(["completions", "bash"]).output().unwrap();
    assert!(out.status.success());
    let script = text(&out.stdout);
    let check = std::process::Command::new("bash")
        .args(["-n", "-c", &script])
        .output()
        .unwrap();
    assert!(check.status.success(), "bash -n: {}", text(&check.stderr));

    let commands = bash_completes(&script, &["kiro-org", "co"]);
    for expected in ["collect", "completions", "cost"] {
        assert!(commands.iter().any(|c| c == expected), "{commands:?}");
    }
    assert!(!commands.iter().any(|c| c == "audit"), "{commands:?}");
    let options = bash_completes(&script, &["kiro-org", "cost", "--f"]);
    assert!(options.iter().any(|o| o == "--format"), "{options:?}");
    let nested = bash_completes(&script, &["kiro-org", "scp", "s"]);
    assert!(nested.iter().any(|c| c == "simulate"), "{nested:?}");
}

#[test]
fn every_shell_clap_knows_gets_a_script_and_an_unknown_one_is_refused() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = kiro().args(["completions", shell]).output().unwrap();
        assert!(out.status.success(), "{shell}");
        assert!(text(&out.stdout).contains("kiro-org"), "{shell}");
    }
    let out = kiro().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("possible values"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn man_prints_the_main_page_and_writes_one_page_per_command() {
    let out = kiro().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = text(&out.stdout);
    assert!(page.contains(".TH kiro-org 1"), "{page}");
    assert!(page.contains("cost"), "the main page lists the commands");

    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("man1");
    let out = kiro().args(["man", "--out"]).arg(&pages).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("wrote the manual pages"));
    for command in [
        "kiro-org",
        "kiro-org-cost",
        "kiro-org-audit",
        "kiro-org-scp-simulate",
    ] {
        let page = std::fs::read_to_string(pages.join(format!("{command}.1")))
            .unwrap_or_else(|e| panic!("{command}.1: {e}"));
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{command}");
        assert!(
            page.contains(&format!(".TH {command} 1")),
            "{command}: {page}"
        );
    }
    let cost = std::fs::read_to_string(pages.join("kiro-org-cost.1")).unwrap();
    assert!(cost.contains(r"\-\-format"), "the options are documented");
}
