//! The report as people see it: opened from disk in a real headless Chromium (Debian's
//! `chromium` and `chromium-driver`, which `scripts/test-deps.sh` installs), driven over
//! WebDriver. The HTML tokenizer tests (`report.rs`) check the file; these check what the
//! browser draws from it: nothing fetched, nothing logged, labels apart, numbers shown.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::wd::{PrintConfiguration, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

use crate::support::{example, json as parse_json, kiro, text};

/// A program on `PATH`, or a failure saying how to install it: these tests never skip.
fn required(program: &str) -> PathBuf {
    std::env::var_os("PATH")
        .and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(program))
                .find(|p| p.is_file())
        })
        .unwrap_or_else(|| {
            panic!(
                "`{program}` is not on PATH: the browser tests need Debian's `chromium` and \
                 `chromium-driver`; `bash scripts/test-deps.sh` installs them"
            )
        })
}

/// A chromedriver-specific command: `POST /session/{id}/{path}` with `body`.
#[derive(Debug)]
struct Chromium {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for Chromium {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/{}",
            session.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// chromedriver in a process group of its own (so that the browser it starts goes with it),
/// and a session with a headless Chromium that can reach no host but 127.0.0.1.
struct Browser {
    driver: Child,
    client: Client,
}

impl Browser {
    async fn start() -> Browser {
        let driver_path = required("chromedriver");
        let chromium = required("chromium");
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1280,900", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                    "--force-prefers-reduced-motion",
                ],
            },
            "goog:loggingPrefs": {"browser": "ALL"},
        });
        let caps = caps.as_object().unwrap().clone();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(c) => break c,
                Err(e) if started.elapsed() > Duration::from_secs(30) => {
                    panic!("chromedriver on {url} gave no session: {e}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        Browser { driver, client }
    }

    /// Runs `script` (a function body) in the page and returns what it returns.
    async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    async fn chromium(&self, path: &'static str, body: Value) -> Value {
        self.client
            .issue_cmd(Chromium { path, body })
            .await
            .unwrap()
    }

    /// The console messages logged since the last call, as `LEVEL message`.
    async fn console(&self) -> Vec<String> {
        let log = self.chromium("se/log", json!({"type": "browser"})).await;
        log.as_array()
            .unwrap()
            .iter()
            .map(|e| format!("{} {}", e["level"], e["message"]))
            .collect()
    }

    async fn print_media(&self, on: bool) {
        let media = if on { "print" } else { "" };
        self.chromium(
            "goog/cdp/execute",
            json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": media}}),
        )
        .await;
    }

    /// Ends the session (the browser quits); chromedriver goes when `self` is dropped.
    async fn close(self) {
        self.client.clone().close().await.unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The group: chromedriver and the Chromium it started, also when a test failed.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.wait();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Writes the report of `estate` to `out`.
fn write_report(estate: &Path, out: &Path) {
    let run = kiro()
        .arg("report")
        .arg(estate)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
}

fn command_json(args: &[&str], estate: &Path) -> Value {
    let out = kiro()
        .arg(args[0])
        .arg(estate)
        .args(&args[1..])
        .output()
        .unwrap();
    parse_json(&out.stdout)
}

/// A rectangle as `getBoundingClientRect` gives it.
#[derive(Debug, Clone, Copy)]
struct Rect {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

impl Rect {
    fn from(v: &Value) -> Rect {
        let n = |k: &str| v[k].as_f64().unwrap();
        Rect {
            left: n("left"),
            top: n("top"),
            right: n("right"),
            bottom: n("bottom"),
        }
    }

    fn overlaps(&self, o: &Rect) -> bool {
        self.left < o.right && o.left < self.right && self.top < o.bottom && o.top < self.bottom
    }

    fn inside(&self, o: &Rect) -> bool {
        self.left >= o.left && self.right <= o.right && self.top >= o.top && self.bottom <= o.bottom
    }
}

/// What the estate map draws: its box, each label and badge with its text and box.
const MAP_BOXES: &str = r#"
const box = e => { const r = e.getBoundingClientRect();
  return {text: e.textContent, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          size: parseFloat(getComputedStyle(e).fontSize)}; };
const svg = document.getElementById('map');
return {
  svg: box(svg),
  labels: [...svg.querySelectorAll('text.label')].map(box),
  badges: [...svg.querySelectorAll('rect.badge, rect.badge-none')].map(box),
  badge_texts: [...svg.querySelectorAll('text.badge-text')].map(box),
  links: [...svg.querySelectorAll('path.uses')].map(box),
};
"#;

/// Checks that the map's labels and badges do not overlap, that each badge's text sits in
/// its badge, that nothing is cut off by the drawing's edge and that the text stays at a
/// readable size; returns the badge texts.
fn check_map(name: &str, map: &Value) -> Vec<String> {
    let svg = Rect::from(&map["svg"]);
    let labels: Vec<Rect> = map["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(Rect::from)
        .collect();
    let badges: Vec<Rect> = map["badges"]
        .as_array()
        .unwrap()
        .iter()
        .map(Rect::from)
        .collect();
    let texts = map["badge_texts"].as_array().unwrap();
    assert!(!labels.is_empty(), "{name}: the map has no labels");
    assert_eq!(badges.len(), texts.len(), "{name}");
    let all: Vec<(String, Rect)> = map["labels"]
        .as_array()
        .unwrap()
        .iter()
        .chain(map["badges"].as_array().unwrap())
        .map(|v| {
            (
                v["text"].as_str().unwrap_or("badge").to_owned(),
                Rect::from(v),
            )
        })
        .collect();
    for (i, (a, ra)) in all.iter().enumerate() {
        assert!(
            ra.inside(&svg),
            "{name}: `{a}` is cut off: {ra:?} outside {svg:?}"
        );
        for (b, rb) in &all[i + 1..] {
            assert!(
                !ra.overlaps(rb),
                "{name}: `{a}` {ra:?} overlaps `{b}` {rb:?}"
            );
        }
    }
    // The profile to instance lines run right of every label and badge, inside the drawing.
    let rightmost = all.iter().map(|(_, r)| r.right).fold(0.0, f64::max);
    for l in map["links"].as_array().unwrap() {
        let r = Rect::from(l);
        assert!(r.inside(&svg), "{name}: a line leaves the drawing");
        assert!(r.right > rightmost, "{name}: a line runs over the labels");
    }
    for (t, badge) in texts.iter().zip(&badges) {
        let r = Rect::from(t);
        assert!(r.inside(badge), "{name}: `{}` leaves its badge", t["text"]);
    }
    for l in map["labels"].as_array().unwrap().iter().chain(texts) {
        let size = l["size"].as_f64().unwrap();
        let height = l["bottom"].as_f64().unwrap() - l["top"].as_f64().unwrap();
        assert!(
            size >= 12.0 && height >= 12.0,
            "{name}: `{}` is drawn {height}px high at {size}px: too small to read",
            l["text"]
        );
    }
    texts
        .iter()
        .map(|t| t["text"].as_str().unwrap().to_owned())
        .collect()
}

/// The badge a profile of `patterns --format json` shows.
fn badge(pattern: &Value) -> String {
    match pattern["pattern"].as_u64() {
        Some(n) => format!("pattern {n}"),
        None => "no pattern".to_owned(),
    }
}

/// The number at the end of a shown amount (`USD 1234.50`).
fn amount(shown: &Value) -> f64 {
    let s = shown.as_str().unwrap();
    s.rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|e| panic!("`{s}` does not end in an amount: {e}"))
}

/// The example estates (not the operations files).
fn estates() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(example(""))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.ends_with(".yaml") && !n.ends_with(".ops.yaml")
        })
        .collect();
    out.sort();
    assert!(out.len() >= 5, "the examples are missing: {out:?}");
    out
}

/// Where people find the screenshot of the enterprise example's report.
fn screenshot_path() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots/enterprise.png")
}

#[test]
fn every_example_report_shows_in_chromium_what_patterns_cost_and_audit_say() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let browser = Browser::start().await;
        for estate in estates() {
            let stem = estate.file_stem().unwrap().to_string_lossy().into_owned();
            let name = stem.as_str();
            let out = dir.path().join(format!("{name}.html"));
            write_report(&estate, &out);
            browser
                .client
                .goto(&format!("file://{}", out.display()))
                .await
                .unwrap();

            // Opened from disk, it fetches nothing and logs nothing.
            let loaded = browser
                .eval(
                    "return {protocol: location.protocol, ready: document.readyState,
                       fetched: performance.getEntriesByType('resource').map(r => r.name)};",
                )
                .await;
            assert_eq!(loaded["protocol"], "file:", "{name}");
            assert_eq!(loaded["ready"], "complete", "{name}");
            assert_eq!(loaded["fetched"], json!([]), "{name}: it fetched");
            let console = browser.console().await;
            assert!(console.is_empty(), "{name}: the console says {console:?}");

            // Every profile's account, region and badge, in the table and on the map.
            let patterns = command_json(&["patterns", "--format", "json"], &estate);
            let patterns = patterns.as_array().unwrap();
            let rows = browser
                .eval(
                    "return [...document.querySelectorAll('#profiles tbody tr')]
                       .filter(r => r.checkVisibility())
                       .map(r => [...r.cells].map(c => c.innerText.trim()));",
                )
                .await;
            let rows: Vec<Vec<String>> = serde_json::from_value(rows).unwrap();
            if patterns.is_empty() {
                assert_eq!(rows.len(), 1, "{name}: {rows:?}");
            } else {
                assert_eq!(rows.len(), patterns.len(), "{name}");
            }
            for p in patterns {
                let (account, region) = (
                    p["account"].as_str().unwrap(),
                    p["region"].as_str().unwrap(),
                );
                assert!(
                    rows.iter()
                        .any(|r| r[0] == account && r[3] == region && r[5] == badge(p)),
                    "{name}: no row shows {account} {region} {}: {rows:?}",
                    badge(p)
                );
            }
            let map = browser.eval(MAP_BOXES).await;
            let mut drawn = check_map(name, &map);
            let mut expected: Vec<String> = patterns.iter().map(badge).collect();
            drawn.sort();
            expected.sort();
            assert_eq!(drawn, expected, "{name}: the map's badges");
            // A line for each profile whose users sign in through another account's instance.
            let crossing = patterns
                .iter()
                .filter(|p| p["instance"] != p["account"])
                .count();
            assert_eq!(map["links"].as_array().unwrap().len(), crossing, "{name}");

            // The numbers shown are those of `cost` and `audit`.
            let shown = browser
                .eval(
                    "const t = id => document.getElementById(id).innerText;
                     return {total: t('bill-total'), avoidable: t('bill-avoidable'),
                             findings: t('finding-count')};",
                )
                .await;
            let cost = command_json(&["cost", "--format", "json"], &estate);
            assert_eq!(
                amount(&shown["total"]),
                cost["total"].as_f64().unwrap(),
                "{name}"
            );
            assert_eq!(
                amount(&shown["avoidable"]),
                cost["avoidable"].as_f64().unwrap(),
                "{name}"
            );
            let audit = command_json(
                &["audit", "--format", "json", "--fail-on", "never"],
                &estate,
            );
            assert_eq!(
                shown["findings"].as_str().unwrap(),
                audit.as_array().unwrap().len().to_string(),
                "{name}"
            );

            // Printed on A4 (794 CSS pixels wide): each section starts a page, and the map
            // fits the paper with its labels still apart.
            browser.client.set_window_size(794, 1123).await.unwrap();
            browser.print_media(true).await;
            let printed = browser
                .eval(
                    "return {breaks: [...document.querySelectorAll('main > section')].slice(1)
                                .map(s => getComputedStyle(s).breakBefore),
                             width: document.documentElement.clientWidth};",
                )
                .await;
            assert!(
                printed["breaks"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|b| b == "page"),
                "{name}: {printed}"
            );
            let map = browser.eval(MAP_BOXES).await;
            let right = Rect::from(&map["svg"]).right;
            assert!(
                right <= printed["width"].as_f64().unwrap(),
                "{name}: the printed map is {right}px wide, wider than the page"
            );
            check_map(&format!("{name} printed"), &map);
            browser.print_media(false).await;
            let pdf = browser
                .client
                .print(PrintConfiguration::default())
                .await
                .unwrap();
            assert!(pdf.starts_with(b"%PDF-"), "{name}: printing gave no PDF");
            browser.client.set_window_size(1280, 900).await.unwrap();

            if name == "enterprise" {
                let height = browser
                    .eval("return document.documentElement.scrollHeight;")
                    .await;
                let height = u32::try_from(height.as_u64().unwrap()).unwrap();
                browser
                    .client
                    .set_window_size(1280, height + 120)
                    .await
                    .unwrap();
                let png = browser.client.screenshot().await.unwrap();
                let path = screenshot_path();
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &png).unwrap();
                assert!(png.starts_with(b"\x89PNG"), "{}", path.display());
                browser.client.set_window_size(1280, 900).await.unwrap();
            }
            let console = browser.console().await;
            assert!(console.is_empty(), "{name}: the console says {console:?}");
        }
        browser.close().await;
    });
}

/// A generated estate of 200 profiles over 400 accounts in 40 OUs.
fn large_estate(dir: &Path) -> PathBuf {
    let estate = dir.join("large.yaml");
    let run = kiro()
        .args([
            "generate",
            "--accounts",
            "400",
            "--ous",
            "40",
            "--users",
            "400",
            "--groups",
            "20",
            "--memberships",
            "400",
            "--profiles",
            "200",
            "--subscriptions",
            "400",
            "--out",
        ])
        .arg(&estate)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    estate
}

#[test]
fn report_of_200_profiles_keeps_every_label_readable_and_apart() {
    let dir = tempfile::tempdir().unwrap();
    let estate = large_estate(dir.path());
    let out = dir.path().join("large.html");
    write_report(&estate, &out);
    runtime().block_on(async {
        let browser = Browser::start().await;
        browser
            .client
            .goto(&format!("file://{}", out.display()))
            .await
            .unwrap();
        let map = browser.eval(MAP_BOXES).await;
        let badges = check_map("200 profiles", &map);
        assert_eq!(badges.len(), 200);
        let console = browser.console().await;
        assert!(console.is_empty(), "the console says {console:?}");
        browser.close().await;
    });
}

/// Mermaid itself, installed by `npm ci` from `tests/cli/mermaid/package-lock.json`: its
/// browser bundle parses and draws the diagrams as GitHub's renderer does.
fn mermaid_bundle() -> PathBuf {
    let dir = crate::support::repo("tests/cli/mermaid");
    let bundle = dir.join("node_modules/mermaid/dist/mermaid.min.js");
    if !bundle.exists() {
        let run = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .output()
            .unwrap_or_else(|e| panic!("cannot run npm (Node.js and npm are required): {e}"));
        assert!(
            run.status.success(),
            "npm ci in {}: {}",
            dir.display(),
            text(&run.stderr)
        );
    }
    bundle
}

/// Parses and draws `diagram` with Mermaid's defaults (its size limits included) in the page
/// that loaded the bundle: the number of nodes and edges drawn, or Mermaid's error.
async fn mermaid(browser: &Browser, diagram: &str) -> Result<(u64, u64), String> {
    let drawn = browser
        .client
        .execute_async(
            "const [text, done] = arguments;
             mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});
             mermaid.parse(text)
               .then(() => mermaid.render('d' + performance.now().toFixed(0), text))
               .then(r => { const box = document.createElement('div'); box.innerHTML = r.svg;
                            done({nodes: box.querySelectorAll('g.node').length,
                                  edges: box.querySelectorAll('.edgePaths path').length}); },
                     e => done({error: String(e && e.message || e)}));",
            vec![json!(diagram)],
        )
        .await
        .unwrap();
    match drawn["error"].as_str() {
        Some(e) => Err(e.to_owned()),
        None => Ok((
            drawn["nodes"].as_u64().unwrap(),
            drawn["edges"].as_u64().unwrap(),
        )),
    }
}

/// The fenced Mermaid block of a Markdown text.
fn fenced_mermaid(markdown: &str) -> &str {
    let start = markdown
        .find("```mermaid\n")
        .unwrap_or_else(|| panic!("no Mermaid block in {markdown}"))
        + "```mermaid\n".len();
    let len = markdown[start..].find("```").unwrap();
    &markdown[start..start + len]
}

#[test]
fn mermaid_parses_and_draws_the_estate_diagrams() {
    let dir = tempfile::tempdir().unwrap();
    let page = crate::support::write(
        dir.path(),
        "mermaid.html",
        format!(
            "<!DOCTYPE html><meta charset=utf-8><title>diagram</title><script src=\"file://{}\"></script>",
            mermaid_bundle().display()
        ),
    );
    let mut estates = estates();
    estates.push(large_estate(dir.path()));
    runtime().block_on(async {
        let browser = Browser::start().await;
        browser
            .client
            .goto(&format!("file://{}", page.display()))
            .await
            .unwrap();
        for estate in &estates {
            let name = estate.display().to_string();
            let out = kiro()
                .arg("patterns")
                .arg(estate)
                .args(["--format", "mermaid"])
                .output()
                .unwrap();
            assert!(out.status.success(), "{name}: {}", text(&out.stderr));
            let diagram = text(&out.stdout);
            let nodes = diagram.lines().filter(|l| l.contains(":::")).count() as u64;
            let edges = diagram
                .lines()
                .filter(|l| l.contains("-->") || l.contains(".->"))
                .count() as u64;
            let (drawn_nodes, drawn_edges) = mermaid(&browser, &diagram)
                .await
                .unwrap_or_else(|e| panic!("{name}: Mermaid refuses the diagram: {e}\n{diagram}"));
            assert_eq!((drawn_nodes, drawn_edges), (nodes, edges), "{name}");
            let patterns = command_json(&["patterns", "--format", "json"], estate);
            for p in patterns.as_array().unwrap() {
                assert!(diagram.contains(&badge(p)), "{name}: no `{}`", badge(p));
            }

            // The Markdown audit embeds the same diagram.
            let audit = kiro()
                .arg("audit")
                .arg(estate)
                .args(["--format", "markdown", "--fail-on", "never"])
                .output()
                .unwrap();
            let markdown = text(&audit.stdout);
            assert_eq!(
                fenced_mermaid(&markdown).trim_end(),
                diagram.trim_end(),
                "{name}"
            );
        }
        // A diagram Mermaid cannot read is reported, so the checks above can fail.
        assert!(
            mermaid(&browser, "flowchart LR\n  a[\"x\"] --> \n")
                .await
                .is_err()
        );
        let console = browser.console().await;
        assert!(console.iter().all(|m| !m.contains("SEVERE")), "{console:?}");
        browser.close().await;
    });
}

/// The text a browser shows of `main` in the page at `url`, and the OU count it states.
async fn shown(browser: &Browser, url: &str) -> (String, u64) {
    browser.client.goto(url).await.unwrap();
    let page = browser
        .eval(
            "const dt = [...document.querySelectorAll('dl.summary dt')].find(d => d.innerText == 'OUs');
             return {main: document.querySelector('main').innerText,
                     ous: Number(dt.nextElementSibling.innerText)};",
        )
        .await;
    (
        page["main"].as_str().unwrap().to_owned(),
        page["ous"].as_u64().unwrap(),
    )
}

#[test]
fn serve_shows_the_live_report_which_follows_an_operation_sent_with_the_aws_cli() {
    let dir = tempfile::tempdir().unwrap();
    let server = crate::support::serve(
        &example("pattern-2-member-org-instance.yaml"),
        &dir.path().join("data"),
    );
    let root = crate::support::aws_cli(&server.url, "123456789012")
        .args([
            "organizations",
            "list-roots",
            "--query",
            "Roots[0].Id",
            "--output",
            "text",
        ])
        .output()
        .unwrap();
    assert!(root.status.success(), "{}", text(&root.stderr));
    let root = text(&root.stdout).trim().to_owned();
    runtime().block_on(async {
        let browser = Browser::start().await;
        let page = format!("{}/", server.url);
        let (before, ous) = shown(&browser, &page).await;
        browser.eval("window.kiroMarker = 1; return 0;").await;

        let created = crate::support::aws_cli(&server.url, "123456789012")
            .args([
                "organizations",
                "create-organizational-unit",
                "--parent-id",
                &root,
            ])
            .args(["--name", "research"])
            .output()
            .unwrap();
        assert!(created.status.success(), "{}", text(&created.stderr));

        // The open page follows by itself: no reload (the marker set on the old page stays).
        let mut followed = None;
        for _ in 0..150 {
            let now = browser
                .eval(
                    "const dt = [...document.querySelectorAll('dl.summary dt')].find(d => d.innerText == 'OUs');
                     return {ous: Number(dt.nextElementSibling.innerText), marker: window.kiroMarker === 1,
                             main: document.querySelector('main').innerText};",
                )
                .await;
            assert!(now["marker"].as_bool().unwrap(), "the page reloaded");
            if now["ous"].as_u64() == Some(ous + 1) {
                followed = Some(now["main"].as_str().unwrap().to_owned());
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let followed = followed.expect("the open page shows the new OU within 30 s");

        browser.client.refresh().await.unwrap();
        let (after, ous_after) = shown(&browser, &page).await;
        assert_eq!(ous_after, ous + 1, "the reload shows the new OU");
        assert_ne!(before, after);
        assert_eq!(followed, after, "the page that followed shows what a reload shows");

        // The page is the report `kiro-org report` writes of the same state.
        browser
            .client
            .goto(&format!("{}/admin/estate", server.url))
            .await
            .unwrap();
        let estate = browser.eval("return document.body.innerText;").await;
        let estate = crate::support::write(dir.path(), "live.json", estate.as_str().unwrap());
        let file = dir.path().join("live.html");
        write_report(&estate, &file);
        let (written, _) = shown(&browser, &format!("file://{}", file.display())).await;
        assert_eq!(after, written);
        let console = browser.console().await;
        assert!(console.is_empty(), "the console says {console:?}");
        browser.close().await;
    });
}
