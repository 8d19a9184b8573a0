//! Shared test helpers: estates from the examples and from YAML. The audit's tests use them
//! too.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kiro_estate::{Estate, Format};

pub fn example(name: &str) -> Estate {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    Estate::load(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn yaml(text: &str) -> Estate {
    Estate::from_text(text, Format::Yaml).unwrap_or_else(|e| panic!("{e}"))
}

/// An organization with `n` member accounts, each with a profile in us-east-1 on the
/// organization instance.
pub fn org_with_profiles(n: usize) -> Estate {
    let mut text = String::from("version: 1\naccounts:\n  - {id: \"100000000000\", name: mgmt}\n");
    for i in 0..n {
        text.push_str(&format!(
            "  - {{id: \"2000000000{i:02}\", name: p{i}, organization: \"100000000000\"}}\n"
        ));
    }
    text.push_str("organizations:\n  - management: \"100000000000\"\n    governance: delegated\ninstances:\n  - {account: \"100000000000\", kind: organization, region: us-east-1, created: 2024-04-02, kiro-session-days: 90, identity-enhanced-sessions: true, users: [{user-name: u, email: u@example.com}]}\nprofiles:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  - {{account: \"2000000000{i:02}\", region: us-east-1, instance: \"100000000000\", subscriptions: [{{user-name: u, plan: pro}}]}}\n"
        ));
    }
    yaml(&text)
}
