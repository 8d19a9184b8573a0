//! Colour reaches a terminal (or `CLICOLOR_FORCE`) only: piped output and `NO_COLOR` are plain.

use crate::support::{example, kiro};

const ESC: u8 = 0x1b;

fn stdout(args: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let mut cmd = kiro();
    cmd.args(args)
        .arg(example("enterprise.yaml"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap().stdout
}

#[test]
fn severities_and_totals_are_coloured_only_where_colour_is_shown() {
    for args in [&["audit"][..], &["cost"][..]] {
        let piped = stdout(args, &[]);
        assert!(!piped.contains(&ESC), "{args:?} piped has escape codes");
        let no_color = stdout(args, &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]);
        assert!(
            !no_color.contains(&ESC),
            "{args:?} with NO_COLOR has escape codes"
        );
        assert_eq!(piped, no_color, "{args:?}");
        let forced = stdout(args, &[("CLICOLOR_FORCE", "1")]);
        assert!(forced.contains(&ESC), "{args:?} forced has no colour");
        // The same text once the styles are stripped.
        let stripped: Vec<u8> = anstream::adapter::strip_bytes(&forced).into_vec();
        assert_eq!(stripped, piped, "{args:?}");
    }
    // JSON stays plain even when colour is forced.
    let json = stdout(&["audit", "--format", "json"], &[("CLICOLOR_FORCE", "1")]);
    assert!(!json.contains(&ESC));
}
