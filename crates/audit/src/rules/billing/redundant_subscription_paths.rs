#![doc = include_str!("redundant_subscription_paths.md")]

use std::collections::HashMap;
use std::fmt::Write as _;

use kiro_billing::Bill;
use kiro_billing::seats::Line;
use serde::Serialize;

use crate::cx::Cx;
use crate::finding::{Finding, Severity};
use crate::registry::RuleInfo;

/// `KO102`.
pub static RULE: RuleInfo = RuleInfo {
    code: "KO102",
    name: "redundant-subscription-paths",
    area: "billing",
    severity: Severity::Info,
    doc: include_str!("redundant_subscription_paths.md"),
    check,
};

/// How many people the details show as examples, and how many path combinations.
const EXAMPLES: usize = 5;
const COMBINATIONS: usize = 10;

#[derive(Serialize)]
struct Example<'a> {
    #[serde(rename = "user-name")]
    user_name: &'a str,
    plan: &'static str,
    paths: Vec<String>,
}

#[derive(Serialize)]
struct Combination {
    paths: String,
    people: usize,
}

#[derive(Serialize)]
struct Details<'a> {
    people: usize,
    combinations: Vec<Combination>,
    examples: Vec<Example<'a>>,
}

/// `direct + group `a` + group `b``: the paths of a line, plans left out.
fn combination(line: &Line) -> String {
    let mut text = String::new();
    for (i, p) in line.paths.iter().enumerate() {
        if i > 0 {
            text.push_str(" + ");
        }
        let _ = write!(text, "{}", p.via);
    }
    text
}

fn check(cx: &Cx<'_>, out: &mut Vec<Finding>) {
    let bill = cx.bill();
    let lines = &bill.lines;
    // Lines come profile by profile: one finding per run of a profile.
    let mut start = 0;
    while start < lines.len() {
        let first = &lines[start];
        let len = lines[start..]
            .iter()
            .take_while(|l| l.profile == first.profile)
            .count();
        profile(bill, &lines[start..start + len], out);
        start += len;
    }
}

fn profile(bill: &Bill, lines: &[Line], out: &mut Vec<Finding>) {
    let mut people = 0;
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut examples = Vec::new();
    for line in lines.iter().filter(|l| l.paths.len() > 1) {
        people += 1;
        *counts.entry(combination(line)).or_default() += 1;
        if examples.len() < EXAMPLES {
            examples.push(Example {
                user_name: &bill.user(line.user).user_name,
                plan: line.plan.as_str(),
                paths: line
                    .paths
                    .iter()
                    .map(|p| format!("{} via {}", p.plan.display_name(), p.via))
                    .collect(),
            });
        }
    }
    let Some(first) = lines.first() else { return };
    if people == 0 {
        return;
    }
    let mut combinations: Vec<Combination> = counts
        .into_iter()
        .map(|(paths, people)| Combination { paths, people })
        .collect();
    combinations
        .sort_unstable_by(|a, b| b.people.cmp(&a.people).then_with(|| a.paths.cmp(&b.paths)));
    combinations.truncate(COMBINATIONS);
    let key = bill.profile(first.profile);
    let most = combinations
        .first()
        .map(|c| format!(" (most often {}: {})", c.paths, c.people))
        .unwrap_or_default();
    let who = if people == 1 {
        "1 person reaches".to_owned()
    } else {
        format!("{people} people reach")
    };
    out.push(
        Finding::of(
            &RULE,
            key.to_string(),
            format!(
                "{who} profile {key} through several paths{most}: each is charged once, at the highest plan of their paths"
            ),
        )
        .help("keep one path per person and profile so the plan is explicit: subscribe groups whose members do not overlap, or drop direct subscriptions of users a group already covers")
        .details(&Details {
            people,
            combinations,
            examples,
        }),
    );
}
