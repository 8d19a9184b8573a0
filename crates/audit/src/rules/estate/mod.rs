//! The estate file's own rules: what the validator finds in a readable estate.

pub mod estate_rule_broken;
