//! Identity Center instances, their settings, and the people in them.

pub mod account_instance_migration_trap;
pub mod identity_enhanced_sessions_disabled;
pub mod kiro_session_has_no_effect;
pub mod kiro_session_not_extended;
pub mod person_in_multiple_instances;
