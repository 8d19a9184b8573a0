//! `kiro-org serve` tells a person where it listens, which instances it serves and what to paste
//! next, and how to start afresh when the data directory has state already.

use crate::support::{example, serve, serve_with};

#[test]
fn serve_prints_its_instances_and_a_command_to_paste() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut server = serve(&example("pattern-2-member-org-instance.yaml"), &data);
    let said = server.said_until("--instance-arn");
    assert!(
        said.contains(&format!("listening on {}", server.url)),
        "{said}"
    );
    assert!(
        said.contains(
            "organization instance of 123456789012 (us-east-1): arn:aws:sso:::instance/ssoins-"
        ),
        "{said}"
    );
    assert!(
        said.contains("export AWS_ACCESS_KEY_ID=123456789012")
            && said.contains(&format!(
                "aws --endpoint-url {} sso-admin list-applications --instance-arn arn:aws:sso:::instance/ssoins-",
                server.url
            )),
        "{said}"
    );
}

#[test]
fn an_ignored_estate_says_how_to_start_afresh_and_reset_does() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(serve(&example("pattern-2-member-org-instance.yaml"), &data));

    let mut again = serve(&example("enterprise.yaml"), &data);
    let said = again.said_until("--instance-arn");
    assert!(
        said.contains("--estate was ignored") && said.contains("--reset"),
        "{said}"
    );
    assert!(!said.contains("account instance of"), "{said}");
    drop(again);

    let mut reset = serve_with(&example("enterprise.yaml"), &data, &["--reset"]);
    let said = reset.said_until("--instance-arn");
    assert!(!said.contains("was ignored"), "{said}");
    assert!(said.contains("account instance of"), "{said}");
}
