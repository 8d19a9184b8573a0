//! The estate as a tree — organizations, OUs, accounts, their Identity Center instances and
//! Kiro profiles — laid out once in rows, so that the SVG drawing and the table beside it
//! show the same nodes, and no two labels can overlap: each node has a row of its own.
//!
//! A large estate keeps only what matters for Kiro: the accounts that own a profile or an
//! instance, and the OUs above them. The rest are folded into one counted row per OU.

use std::collections::{BTreeMap, HashMap, HashSet};

use kiro_advice::patterns::Classification;
use kiro_estate::words::count as plural;
use kiro_estate::{AccountId, Estate, Organization};
use serde::Serialize;

/// Height of one row of the drawing, in pixels.
const ROW: u32 = 22;
/// Indentation per level of the tree, in pixels.
const INDENT: u32 = 18;
/// The width a character of the drawing's font takes, at most (a monospace font at 12px).
const CHAR: u32 = 8;
/// Widths of a pattern badge and of the wider `no pattern` badge.
pub const BADGE: u32 = 88;
/// See [`BADGE`].
pub const BADGE_NONE: u32 = 96;
/// Space between the lanes of the profile to instance lines.
const LANE: u32 = 8;

/// One node of the tree, in drawing order.
#[derive(Serialize)]
pub struct Row {
    /// `organization`, `ou`, `account`, `instance`, `profile`, `standalone` or `folded`:
    /// the CSS class, and the word shown in the table.
    pub kind: &'static str,
    /// Depth in the tree, 0 at the top.
    pub depth: u32,
    /// What the row says.
    pub label: String,
    /// The pattern badge of a profile: `1`–`4`, or `none`.
    pub badge: Option<String>,
    /// Left edge of the label, in pixels.
    pub x: u32,
    /// Baseline of the label, in pixels.
    pub y: u32,
    /// The connector from the parent: `(x, y_top)` of the parent's stem, when there is one.
    pub stem: Option<(u32, u32)>,
    /// Left edge of the badge, after the label.
    pub badge_x: u32,
    /// The row of the node above, when there is one.
    pub parent: Option<usize>,
    /// The row of the Identity Center instance a profile's users sign in through, when it
    /// is another account's (in its own account the instance is its sibling in the tree).
    pub uses: Option<usize>,
}

/// A line from a profile to the instance of another account that it uses: right from the
/// end of the profile's row to its lane, along the lane, and left to the end of the
/// instance's row. Lanes lie right of every label and each row has one node, so a line
/// crosses no label.
#[derive(Serialize)]
pub struct Link {
    /// Where it starts: the end of the profile's row, at its dot's height.
    pub from: (u32, u32),
    /// The lane's x: one lane per instance.
    pub lane: u32,
    /// Where it ends: the end of the instance's row.
    pub to: (u32, u32),
}

/// The laid-out tree.
#[derive(Serialize)]
pub struct Map {
    /// Every row, top to bottom.
    pub rows: Vec<Row>,
    /// Profile to instance lines.
    pub links: Vec<Link>,
    /// Width of the drawing.
    pub width: u32,
    /// Height of the drawing.
    pub height: u32,
    /// What was folded into counts, in words, when anything was.
    pub folded: Option<String>,
}

/// A row before it is placed: kind, depth, label, badge, and the instance's account (its
/// own for an instance row, the one it signs in through for a profile row).
type Node<'e> = (
    &'static str,
    u32,
    String,
    Option<String>,
    Option<&'e AccountId>,
);

struct Builder<'e> {
    estate: &'e Estate,
    patterns: &'e [Classification],
    /// Accounts with a profile or an instance: they are drawn.
    shown: HashSet<&'e AccountId>,
    rows: Vec<Node<'e>>,
    folded_accounts: usize,
    folded_ous: usize,
}

/// Lays out `estate`; `patterns` is [`kiro_advice::patterns::classify_all`]'s answer, one
/// per profile in estate order.
pub fn layout(estate: &Estate, patterns: &[Classification]) -> Map {
    let mut shown: HashSet<&AccountId> = estate.profiles.iter().map(|p| &p.account).collect();
    shown.extend(estate.instances.iter().map(|i| &i.account));
    let mut b = Builder {
        estate,
        patterns,
        shown,
        rows: Vec::new(),
        folded_accounts: 0,
        folded_ous: 0,
    };
    for org in estate.organizations.iter() {
        b.organization(org);
    }
    let standalone: Vec<&AccountId> = estate
        .accounts
        .iter()
        .filter(|a| a.organization.is_none())
        .map(|a| &a.id)
        .collect();
    if !standalone.is_empty() {
        b.rows.push((
            "standalone",
            0,
            "standalone accounts".to_owned(),
            None,
            None,
        ));
        b.accounts(&standalone, 1);
    }
    b.finish()
}

impl<'e> Builder<'e> {
    fn organization(&mut self, org: &'e Organization) {
        let id = if org.id.is_empty() {
            String::new()
        } else {
            format!(" {}", org.id)
        };
        self.rows.push((
            "organization",
            0,
            format!(
                "organization{id}, management account {}",
                self.account_label(&org.management)
            ),
            None,
            None,
        ));
        // Children of each node ("root" or an OU name), in file order.
        let mut ous: HashMap<&str, Vec<&str>> = HashMap::new();
        for ou in org.ous.iter() {
            ous.entry(ou.parent.as_str())
                .or_default()
                .push(ou.name.as_str());
        }
        let mut accounts: HashMap<&str, Vec<&AccountId>> = HashMap::new();
        for a in self.estate.accounts.iter() {
            if a.organization.as_ref() == Some(&org.management) {
                accounts
                    .entry(a.parent.as_deref().unwrap_or("root"))
                    .or_default()
                    .push(&a.id);
            }
        }
        // Whether a node's subtree holds a drawn account, computed bottom-up once.
        let mut live: HashMap<&str, bool> = HashMap::new();
        let mut visiting = HashSet::new();
        subtree_live(self, "root", &ous, &accounts, &mut live, &mut visiting);
        let mut visited = HashSet::new();
        self.node("root", 1, &ous, &accounts, &live, &mut visited);
    }

    /// Draws the children of `node` at `depth`: live OUs, then accounts, then counts.
    fn node(
        &mut self,
        node: &'e str,
        depth: u32,
        ous: &HashMap<&'e str, Vec<&'e str>>,
        accounts: &HashMap<&'e str, Vec<&'e AccountId>>,
        live: &HashMap<&str, bool>,
        visited: &mut HashSet<&'e str>,
    ) {
        // An OU cycle (which validation reports) is drawn once.
        if !visited.insert(node) {
            return;
        }
        let mut dead_ous = 0;
        let mut dead_accounts = 0;
        for &ou in ous.get(node).map(Vec::as_slice).unwrap_or_default() {
            if live.get(ou).copied().unwrap_or(false) {
                self.rows
                    .push(("ou", depth, format!("OU {ou}"), None, None));
                self.node(ou, depth + 1, ous, accounts, live, visited);
            } else {
                dead_ous += 1;
                dead_accounts += count_accounts(ou, ous, accounts, &mut HashSet::new());
            }
        }
        let here = accounts.get(node).map(Vec::as_slice).unwrap_or_default();
        self.accounts(here, depth);
        if dead_ous > 0 {
            self.folded_ous += dead_ous;
            self.folded_accounts += dead_accounts;
            self.rows.push((
                "folded",
                depth,
                format!(
                    "{} without profiles or instances ({})",
                    plural(dead_ous, "OU", "OUs"),
                    plural(dead_accounts, "account", "accounts")
                ),
                None,
                None,
            ));
        }
    }

    /// Draws the drawn accounts of `ids` with their instances and profiles, then one row
    /// counting the others.
    fn accounts(&mut self, ids: &[&'e AccountId], depth: u32) {
        let mut folded = 0;
        for &id in ids {
            if !self.shown.contains(id) {
                folded += 1;
                continue;
            }
            self.rows.push((
                "account",
                depth,
                format!("account {}", self.account_label(id)),
                None,
                None,
            ));
            if let Some(i) = self.estate.instances.get(id) {
                self.rows.push((
                    "instance",
                    depth + 1,
                    format!("Identity Center {} in {}", i.kind, i.region),
                    None,
                    Some(&i.account),
                ));
                // Where its users sign in, under it: what people ask first of an instance.
                self.rows
                    .push(("portal", depth + 2, i.portal_url(), None, None));
            }
            for (p, c) in self.estate.profiles.iter().zip(self.patterns) {
                if &p.account == id {
                    self.rows.push((
                        "profile",
                        depth + 1,
                        format!("Kiro profile in {}", p.region),
                        Some(
                            c.pattern
                                .map_or_else(|| "none".to_owned(), |n| n.to_string()),
                        ),
                        Some(&p.instance),
                    ));
                }
            }
        }
        if folded > 0 {
            self.folded_accounts += folded;
            self.rows.push((
                "folded",
                depth,
                format!(
                    "{} without profiles or instances",
                    plural(folded, "account", "accounts")
                ),
                None,
                None,
            ));
        }
    }

    fn account_label(&self, id: &AccountId) -> String {
        match self.estate.account(id) {
            Some(a) if !a.name.is_empty() => format!("{id} ({})", a.name),
            _ => id.to_string(),
        }
    }

    /// Places each row: one per line, indented by depth, with a stem to its parent.
    fn finish(self) -> Map {
        let mut rows = Vec::with_capacity(self.rows.len());
        // The row index of the last node seen at each depth: the parent of the next deeper one.
        let mut last_at: Vec<usize> = Vec::new();
        let mut width = 0;
        // Where each row's text (and badge) ends.
        let mut ends = Vec::with_capacity(self.rows.len());
        let instance_rows: HashMap<&AccountId, usize> = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| (r.0 == "instance").then_some((r.4?, i)))
            .collect();
        for (i, (kind, depth, label, badge, instance)) in self.rows.into_iter().enumerate() {
            let d = depth as usize;
            last_at.truncate(d);
            let parent = d.checked_sub(1).and_then(|p| last_at.get(p)).copied();
            let stem = parent.map(|parent| {
                (
                    INDENT * (depth - 1) + 14,
                    ROW * parent as u32 + ROW / 2 + 10,
                )
            });
            last_at.push(i);
            let x = INDENT * depth + 22;
            let y = ROW * i as u32 + ROW / 2 + 14;
            let label_width = CHAR * label.chars().count() as u32;
            let badge_x = x + label_width + 8;
            let end = match badge.as_deref() {
                Some("none") => badge_x + BADGE_NONE,
                Some(_) => badge_x + BADGE,
                None => x + label_width,
            };
            ends.push(end);
            width = width.max(end);
            rows.push(Row {
                kind,
                depth,
                label,
                badge,
                x,
                y,
                stem,
                badge_x,
                parent,
                uses: instance
                    .filter(|_| kind == "profile")
                    .and_then(|a| instance_rows.get(a).copied()),
            });
        }
        // A sibling instance is drawn already, by the tree.
        for i in 0..rows.len() {
            if let Some(inst) = rows[i].uses
                && rows[inst].parent == rows[i].parent
            {
                rows[i].uses = None;
            }
        }
        let mut lanes: Vec<usize> = Vec::new();
        let mut links = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            if let Some(inst) = row.uses {
                let lane = lanes.iter().position(|&l| l == inst).unwrap_or_else(|| {
                    lanes.push(inst);
                    lanes.len() - 1
                });
                links.push(Link {
                    from: (ends[i] + 4, row.y - 4),
                    lane: width + LANE * (lane as u32 + 1),
                    to: (ends[inst] + 4, rows[inst].y - 4),
                });
            }
        }
        width += LANE * lanes.len() as u32;
        let height = ROW * rows.len() as u32 + 16;
        let folded = match (self.folded_accounts, self.folded_ous) {
            (0, 0) => None,
            (a, 0) => Some(plural(a, "account", "accounts")),
            (a, o) => Some(format!(
                "{} in {}",
                plural(a, "account", "accounts"),
                plural(o, "OU", "OUs")
            )),
        };
        Map {
            rows,
            links,
            width: width + 16,
            height,
            folded,
        }
    }
}

/// Whether `node`'s subtree holds an account that is drawn, memoized in `live`.
fn subtree_live<'e>(
    b: &Builder<'e>,
    node: &'e str,
    ous: &HashMap<&'e str, Vec<&'e str>>,
    accounts: &HashMap<&'e str, Vec<&'e AccountId>>,
    live: &mut HashMap<&'e str, bool>,
    visiting: &mut HashSet<&'e str>,
) -> bool {
    if let Some(&l) = live.get(node) {
        return l;
    }
    if !visiting.insert(node) {
        return false;
    }
    let mut l = accounts
        .get(node)
        .is_some_and(|ids| ids.iter().any(|id| b.shown.contains(id)));
    for &ou in ous.get(node).map(Vec::as_slice).unwrap_or_default() {
        l |= subtree_live(b, ou, ous, accounts, live, visiting);
    }
    live.insert(node, l);
    l
}

/// The accounts in `node`'s subtree.
fn count_accounts<'e>(
    node: &'e str,
    ous: &HashMap<&'e str, Vec<&'e str>>,
    accounts: &HashMap<&'e str, Vec<&'e AccountId>>,
    seen: &mut HashSet<&'e str>,
) -> usize {
    if !seen.insert(node) {
        return 0;
    }
    let mut n = accounts.get(node).map_or(0, Vec::len);
    for &ou in ous.get(node).map(Vec::as_slice).unwrap_or_default() {
        n += count_accounts(ou, ous, accounts, seen);
    }
    n
}

/// Counts of what the estate holds, for the summary line.
pub fn counts(estate: &Estate) -> BTreeMap<&'static str, usize> {
    BTreeMap::from([
        ("organizations", estate.organizations.len()),
        (
            "ous",
            estate.organizations.iter().map(|o| o.ous.len()).sum(),
        ),
        ("accounts", estate.accounts.len()),
        ("instances", estate.instances.len()),
        ("profiles", estate.profiles.len()),
    ])
}
