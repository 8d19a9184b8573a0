//! SCP documents inside an estate, checked with the policy engine as AWS checks them.

use kiro_policy::{Policy, Problem, Step};

use crate::diagnostic::{Diagnostic, DocPath};
use crate::model::Estate;

/// Checks that `document` (a mapping, or a string holding JSON) is a valid SCP of at most
/// 5,120 characters once insignificant whitespace is removed.
pub fn check_document(document: &serde_json::Value) -> Result<(), String> {
    Policy::from_document(document)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// What the policy engine warns about the estate's valid SCPs (the IAM catalog's unknown
/// actions and condition keys, placeholders left in): AWS accepts such policies, so these
/// are warnings, never rule breaks. Each points into its document — for a document written as
/// a mapping at the very key or entry, for one written as a JSON string at the string, with
/// the line and column inside it.
pub fn warnings(estate: &Estate) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let base = DocPath::root().key("organizations");
    for (i, org) in estate.organizations.positioned() {
        let policies = base.index(i).key("policies");
        for (j, scp) in org.policies.positioned() {
            let Ok(policy) = Policy::from_document(&scp.document) else {
                continue;
            };
            let document = policies.index(j).key("document");
            for w in policy.warnings() {
                out.push(diagnostic(
                    &document,
                    scp.document.is_string(),
                    &scp.name,
                    w,
                ));
            }
        }
    }
    out
}

/// The warning `w` of policy `name`, whose document is at `document` (a string when
/// `written_as_text`).
fn diagnostic(document: &DocPath, written_as_text: bool, name: &str, w: &Problem) -> Diagnostic {
    let mut path = document.clone();
    let mut message = format!("SCP `{name}`: ");
    if written_as_text {
        if let (Some(line), Some(column)) = (w.line, w.column) {
            message.push_str(&format!("line {line}, column {column} of the document: "));
        }
        if !w.path.is_empty() {
            message.push_str(&format!("`{}`: ", w.path));
        }
    } else {
        for step in w.steps() {
            path = match step {
                Step::Key(k) => path.key(k),
                Step::Index(n) => path.index(n),
            };
        }
    }
    message.push_str(&w.message);
    Diagnostic::new(path, message)
        .with_help_opt(w.help.clone())
        .with_code(w.code)
        .as_warning()
}
