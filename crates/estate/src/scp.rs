//! SCP documents inside an estate, checked with the policy engine as AWS checks them.

use kiro_policy::Policy;

/// Checks that `document` (a mapping, or a string holding JSON) is a valid SCP of at most
/// 5,120 characters once insignificant whitespace is removed.
pub fn check_document(document: &serde_json::Value) -> Result<(), String> {
    Policy::from_document(document)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
