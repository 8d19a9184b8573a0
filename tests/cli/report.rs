//! `kiro-org report` end to end: the HTML file of every example estate, parsed with an HTML
//! tokenizer, against what `patterns`, `cost` and `audit` print for the same estate.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::support::{example, json, kiro, text, write};

/// Elements without an end tag.
const VOID: &[&str] = &[
    "meta", "br", "hr", "img", "input", "link", "wbr", "col", "source",
];
/// SVG elements the template writes self-closed.
const SELF_CLOSED: &[&str] = &["path", "circle", "rect"];

/// What a report says, as the tokenizer reads it.
#[derive(Default)]
pub(crate) struct Page {
    /// Tokenizer errors, and tags closed out of order.
    pub(crate) errors: Vec<String>,
    /// Open elements.
    open: Vec<String>,
    /// Every `src` and `href` value.
    links: Vec<String>,
    /// Tag names seen.
    tags: Vec<String>,
    /// `value` of each `<data id=…>`.
    pub(crate) data: HashMap<String, String>,
    /// The rows of each `<table id=…>`, each a list of cell texts.
    pub(crate) tables: HashMap<String, Vec<Vec<String>>>,
    /// The table being read, its row, its cell.
    table: Option<String>,
    row: Option<Vec<String>>,
    cell: Option<String>,
}

struct Sink(RefCell<Page>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut p = self.0.borrow_mut();
        match token {
            Token::ParseError(e) => p.errors.push(e.into_owned()),
            Token::TagToken(tag) => {
                let name = tag.name.to_string();
                match tag.kind {
                    TagKind::StartTag => {
                        let attr = |n: &str| {
                            tag.attrs
                                .iter()
                                .find(|a| &*a.name.local == n)
                                .map(|a| a.value.to_string())
                        };
                        for a in &tag.attrs {
                            if matches!(&*a.name.local, "src" | "href" | "xlink:href") {
                                p.links.push(a.value.to_string());
                            }
                        }
                        p.tags.push(name.clone());
                        match name.as_str() {
                            "table" => p.table = attr("id"),
                            "tr" => p.row = Some(Vec::new()),
                            "td" | "th" => p.cell = Some(String::new()),
                            "data" => {
                                if let (Some(id), Some(v)) = (attr("id"), attr("value")) {
                                    p.data.insert(id, v);
                                }
                            }
                            _ => {}
                        }
                        let void = VOID.contains(&name.as_str())
                            || (tag.self_closing && SELF_CLOSED.contains(&name.as_str()));
                        if !void {
                            p.open.push(name.clone());
                        }
                        if name == "style" || name == "title" {
                            return TokenSinkResult::RawData(if name == "style" {
                                RawKind::Rawtext
                            } else {
                                RawKind::Rcdata
                            });
                        }
                    }
                    TagKind::EndTag => {
                        match p.open.pop() {
                            Some(open) if open == name => {}
                            other => p.errors.push(format!("</{name}> closes {other:?}")),
                        }
                        match name.as_str() {
                            "td" | "th" => {
                                if let Some(c) = p.cell.take()
                                    && let Some(r) = p.row.as_mut()
                                {
                                    r.push(c.trim().to_owned());
                                }
                            }
                            "tr" => {
                                if let (Some(r), Some(t)) = (p.row.take(), p.table.clone()) {
                                    p.tables.entry(t).or_default().push(r);
                                }
                            }
                            "table" => p.table = None,
                            _ => {}
                        }
                    }
                }
            }
            Token::CharacterTokens(t) => {
                if let Some(c) = p.cell.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Tokenizes `html`, reporting every parse error.
pub(crate) fn parse(html: &str) -> Page {
    let tokenizer = Tokenizer::new(
        Sink(RefCell::new(Page::default())),
        TokenizerOpts {
            exact_errors: true,
            ..TokenizerOpts::default()
        },
    );
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(html));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// The example estates (not the operations files).
fn estates() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(example(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.ends_with(".yaml") && !name.ends_with(".ops.yaml")
        })
        .collect();
    out.sort();
    assert!(out.len() >= 5, "the examples are missing: {out:?}");
    out
}

/// Runs `report` on `estate` with `extra` arguments and parses the file.
fn report(estate: &Path, dir: &Path, extra: &[&Path]) -> (String, Page) {
    let out = dir.join("report.html");
    let mut cmd = kiro();
    cmd.arg("report").arg(estate).arg("--out").arg(&out);
    if let Some(usage) = extra.first() {
        cmd.arg("--usage").arg(usage);
    }
    let run = cmd.output().unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(
        text(&run.stderr).contains(&format!("wrote {}", out.display())),
        "it says what it wrote"
    );
    let html = std::fs::read_to_string(&out).unwrap();
    let page = parse(&html);
    (html, page)
}

/// The money `cost --format json` prints under `key`, as the report writes money.
fn cost(estate: &Path, extra: &[&str], key: &str) -> f64 {
    let out = kiro()
        .arg("cost")
        .arg(estate)
        .args(extra)
        .args(["--format", "json"])
        .output()
        .unwrap();
    json(&out.stdout)[key].as_f64().unwrap()
}

#[test]
fn report_of_every_example_matches_patterns_cost_and_audit() {
    let dir = tempfile::tempdir().unwrap();
    for estate in estates() {
        let name = estate.display().to_string();
        let (html, page) = report(&estate, dir.path(), &[]);

        assert!(page.errors.is_empty(), "{name}: {:?}", page.errors);
        assert!(page.open.is_empty(), "{name}: unclosed {:?}", page.open);
        assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
        for link in &page.links {
            assert!(
                link.starts_with('#'),
                "{name}: a link leaves the document: {link}"
            );
        }
        for tag in ["script", "link", "img", "iframe", "object"] {
            assert!(!page.tags.iter().any(|t| t == tag), "{name}: has <{tag}>");
        }
        assert!(page.tags.iter().any(|t| t == "svg"), "{name}: no drawing");

        // Every profile, its region and its pattern, as `patterns` gives them.
        let patterns = kiro()
            .arg("patterns")
            .arg(&estate)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let patterns = json(&patterns.stdout);
        let rows = page.tables.get("profiles").unwrap();
        let body: Vec<&Vec<String>> = rows.iter().skip(1).collect();
        let patterns = patterns.as_array().unwrap();
        assert_eq!(body.len(), patterns.len(), "{name}");
        for p in patterns {
            let (account, region) = (
                p["account"].as_str().unwrap(),
                p["region"].as_str().unwrap(),
            );
            let badge = match p["pattern"].as_u64() {
                Some(n) => format!("pattern {n}"),
                None => "no pattern".to_owned(),
            };
            assert!(
                body.iter()
                    .any(|r| r[0] == account && r[3] == region && r[5] == badge),
                "{name}: no row for {account} {region} with {badge}: {body:?}"
            );
        }

        // The bill, as `cost` gives it.
        let total: f64 = page.data["bill-total"].parse().unwrap();
        assert_eq!(total, cost(&estate, &[], "total"), "{name}");
        let avoidable: f64 = page.data["bill-avoidable"].parse().unwrap();
        assert_eq!(avoidable, cost(&estate, &[], "avoidable"), "{name}");

        // The findings, as `audit` gives them.
        let audit = kiro()
            .arg("audit")
            .arg(&estate)
            .args(["--format", "json", "--fail-on", "never"])
            .output()
            .unwrap();
        let findings = json(&audit.stdout);
        let n: usize = page.data["finding-count"].parse().unwrap();
        assert_eq!(n, findings.as_array().unwrap().len(), "{name}");
        for f in findings.as_array().unwrap() {
            let code = f["code"].as_str().unwrap();
            assert!(
                html.contains(&format!("id=\"rule-{code}\"")),
                "{name}: {code}"
            );
        }
    }
}

#[test]
fn report_with_usage_has_the_bill_cost_gives_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let usage = example("user-reports");
    for estate in estates() {
        let (_, page) = report(&estate, dir.path(), &[&usage]);
        let total: f64 = page.data["bill-total"].parse().unwrap();
        let usage_arg = usage.to_str().unwrap();
        assert_eq!(
            total,
            cost(&estate, &["--usage", usage_arg], "total"),
            "{}",
            estate.display()
        );
    }
}

#[test]
fn report_escapes_what_the_estate_says() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(
        dir.path(),
        "odd.yaml",
        r#"version: 1
accounts:
  - {id: "999999999999", name: "<script>alert(1)</script> & co"}
instances:
  - {account: "999999999999", kind: account, region: us-east-1, created: 2024-04-02}
profiles:
  - {account: "999999999999", region: us-east-1, instance: "999999999999"}
"#,
    );
    let (html, page) = report(&estate, dir.path(), &[]);
    assert!(page.errors.is_empty(), "{:?}", page.errors);
    assert!(!page.tags.iter().any(|t| t == "script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;"), "not escaped");
    assert!(html.contains("&amp; co"), "not escaped");
}

#[test]
fn report_of_a_bad_estate_is_a_located_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let estate = write(
        dir.path(),
        "bad.yaml",
        "version: 1\naccounts:\n  - {id: \"999999999999\", nmae: solo}\n",
    );
    let out = dir.path().join("report.html");
    let run = kiro()
        .arg("report")
        .arg(&estate)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("bad.yaml:3:"), "{stderr}");
    assert!(stderr.contains("nmae"), "{stderr}");
    assert!(!out.exists());
}
