//! The organization's guard rails against its declared governance intent.

pub mod gap;
pub mod governance_undeclared;
pub mod member_can_create_account_instance;
pub mod member_can_create_profile;
pub mod member_can_give_seats_to_any_group;
pub mod member_instances_allowed_irreversibly;
