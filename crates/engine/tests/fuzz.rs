//! Loaders never panic, whatever the bytes: every input is a value or a diagnostic.

use kiro_estate::{Estate, Format};
use proptest::prelude::*;

/// Text that looks enough like an estate or an operations file to reach deep into the loaders.
fn yamlish() -> impl Strategy<Value = String> {
    let atoms = proptest::sample::select(vec![
        "version: 1\n",
        "accounts:\n",
        "  - id: \"123456789012\"\n",
        "    name: a\n",
        "organizations:\n",
        "  - management: \"123456789012\"\n",
        "    ous: [{name: x, parent: root}]\n",
        "profiles:\n",
        "  - {account: \"123456789012\", region: us-east-1, instance: \"123456789012\"}\n",
        "- op: create-account\n",
        "  id: 1\n",
        "- {op: subscribe, plan: pro}\n",
        "{",
        "}",
        "[",
        "]",
        ":",
        "- ",
        "\t",
        "\"",
        "'",
        "&a ",
        "*a\n",
        "!!binary x\n",
        "created: 2024-13-45\n",
        "at: yesterday\n",
        "document: '{\"Statement\": ['\n",
        "\u{feff}",
        "\0",
    ]);
    proptest::collection::vec(atoms, 0..30).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn estate_loader_never_panics(text in yamlish(), bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = Estate::from_text(&text, Format::Yaml);
        let _ = Estate::from_text(&text, Format::Json);
        let raw = String::from_utf8_lossy(&bytes);
        let _ = Estate::from_text(&raw, Format::Yaml);
        let _ = Estate::from_text(&raw, Format::Json);
    }

    #[test]
    fn ops_loader_never_panics(text in yamlish(), bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = kiro_engine::ops_file::parse(&text, Format::Yaml);
        let _ = kiro_engine::ops_file::parse(&text, Format::Json);
        let raw = String::from_utf8_lossy(&bytes);
        let _ = kiro_engine::ops_file::parse(&raw, Format::Yaml);
    }
}
