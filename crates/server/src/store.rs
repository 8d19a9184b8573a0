//! The server's state in SQLite, and the single thread that owns it.
//!
//! ## Design
//! The **event log is the source of truth**. Table `events` holds every applied operation
//! exactly as `kiro-org apply` takes it (the serialized [`Op`] and its time); `snapshots` holds
//! the whole estate as JSON after some event (seq 0 is the seed given with `--estate`), so a
//! restart loads the newest snapshot and replays only the events after it. Application
//! assignments, which are not part of an estate (SPEC: they are not Kiro subscriptions), live in
//! their own table `assignments`, written in the same transactions.
//!
//! One thread owns the SQLite connection and the in-memory [`Engine`] (which is not `Send`); the
//! HTTP handlers send it closures. Reads run against the engine's estate. Writes run through
//! [`Tx::apply`], i.e. through [`Engine::apply`] with every rule and SCP check, and are
//! acknowledged only after the transaction holding their event has committed with
//! `synchronous=FULL` in WAL mode: a crash or `kill -9` at any moment loses no acknowledged write
//! and, since a transaction commits whole or not at all, leaves no partial one.
//!
//! Writes are **group-committed**: writes that arrive while the previous commit is being
//! flushed are applied in order and committed together in one transaction, then all of them are
//! acknowledged. A read never sees a write that is not yet committed (pending writes are
//! committed before any read runs), so clients observe a strictly serial history.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use kiro_engine::{Engine, Op, OpError};
use kiro_estate::{Estate, HasKey, Keyed, Name, Principal};
use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::{oneshot, watch};

use crate::error::ApiError;

/// Take a snapshot after this many events since the last one: restart replays at most this many.
pub const SNAPSHOT_EVERY: u64 = 2000;
/// Commit at most this many writes in one transaction.
const MAX_BATCH: usize = 512;

/// Why the store could not be opened or read.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("database `{path}`: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// What SQLite said.
        source: rusqlite::Error,
    },
    /// The data directory could not be created.
    #[error("cannot create data directory `{path}`: {source}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The stored state does not load.
    #[error("database `{path}` is not a kiro-org store: {message}")]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// An application assignment: a user or group assigned to an Identity Center application.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Assignment {
    /// The application's ARN.
    pub application_arn: String,
    /// `USER` or `GROUP`.
    pub principal_type: String,
    /// The user or group id.
    pub principal_id: String,
}

/// What the store thread owns: the engine (with the estate) and the application assignments.
pub struct State {
    /// The control plane.
    pub engine: Engine,
    /// Application assignments, ordered for stable listings.
    pub assignments: BTreeSet<Assignment>,
    /// Users and groups by id (APIs name principals by id, the estate keys them by name),
    /// built on first use after a change: lookups stay O(1) on a 10,000-user store.
    by_id: std::cell::OnceCell<PrincipalIndex>,
}

#[derive(Default)]
struct PrincipalIndex {
    users: std::collections::HashMap<Name, (String, Name)>,
    groups: std::collections::HashMap<Name, (String, Name)>,
}

impl State {
    fn new(engine: Engine, assignments: BTreeSet<Assignment>) -> Self {
        Self {
            engine,
            assignments,
            by_id: std::cell::OnceCell::new(),
        }
    }

    /// The current estate.
    pub fn estate(&self) -> &Estate {
        self.engine.estate()
    }

    fn index(&self) -> &PrincipalIndex {
        self.by_id.get_or_init(|| {
            let mut index = PrincipalIndex::default();
            for inst in self.engine.estate().instances.iter() {
                for u in inst.users.iter() {
                    index.users.insert(
                        u.id.clone(),
                        (inst.identity_store.clone(), u.user_name.clone()),
                    );
                }
                for g in inst.groups.iter() {
                    index
                        .groups
                        .insert(g.id.clone(), (inst.identity_store.clone(), g.name.clone()));
                }
            }
            index
        })
    }

    /// The user of `inst` with id `id`.
    pub fn user_by_id<'s>(
        &'s self,
        inst: &'s kiro_estate::Instance,
        id: &str,
    ) -> Option<&'s kiro_estate::User> {
        indexed(&self.index().users, inst, &inst.users, id)
    }

    /// The group of `inst` with id `id`.
    pub fn group_by_id<'s>(
        &'s self,
        inst: &'s kiro_estate::Instance,
        id: &str,
    ) -> Option<&'s kiro_estate::Group> {
        indexed(&self.index().groups, inst, &inst.groups, id)
    }

    /// The user or group of `inst` that `kind` and `id` name, if any: application
    /// assignments and subscriptions take principals the same way.
    pub fn principal_by_id(
        &self,
        inst: &kiro_estate::Instance,
        kind: PrincipalType,
        id: &str,
    ) -> Option<Principal> {
        match kind {
            PrincipalType::User => self
                .user_by_id(inst, id)
                .map(|u| Principal::User(u.user_name.clone())),
            PrincipalType::Group => self
                .group_by_id(inst, id)
                .map(|g| Principal::Group(g.name.clone())),
        }
    }
}

/// A `principalType` / `PrincipalType` member: `USER` or `GROUP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalType {
    /// `USER`.
    User,
    /// `GROUP`.
    Group,
}

impl PrincipalType {
    /// The member's value; another is a `ValidationException`, as AWS validates an enum.
    pub fn parse(wire: &str) -> Result<Self, ApiError> {
        match wire {
            "USER" => Ok(Self::User),
            "GROUP" => Ok(Self::Group),
            other => Err(ApiError::validation(format!(
                "`{other}` is not a principal type: use USER or GROUP"
            ))),
        }
    }

    /// `user` or `group`, for messages.
    pub fn noun(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Group => "group",
        }
    }

    /// The principal of this type called `name`.
    pub fn named(self, name: Name) -> Principal {
        match self {
            Self::User => Principal::User(name),
            Self::Group => Principal::Group(name),
        }
    }
}

/// The member of `members` (`inst`'s users or groups) that `index` files under `id`, if the
/// entry is of `inst`'s store: users and groups are indexed and looked up alike.
fn indexed<'s, T: HasKey<Key = Name>>(
    index: &std::collections::HashMap<Name, (String, Name)>,
    inst: &kiro_estate::Instance,
    members: &'s Keyed<T>,
    id: &str,
) -> Option<&'s T> {
    let (store, name) = index.get(id)?;
    (*store == inst.identity_store)
        .then(|| members.get(name))
        .flatten()
}

enum Pending {
    Event {
        at: jiff::Timestamp,
        op: String,
        outcome: String,
    },
    Assign(Assignment),
    Unassign(Assignment),
}

/// A write in progress: what a write handler may do to the state.
pub struct Tx<'a> {
    state: &'a mut State,
    pending: &'a mut Vec<Pending>,
    at: jiff::Timestamp,
}

impl Tx<'_> {
    /// The state as it is now (including this batch's earlier writes).
    pub fn state(&self) -> &State {
        self.state
    }

    /// The estate as it is now.
    pub fn estate(&self) -> &Estate {
        self.state.engine.estate()
    }

    /// When this write happens: the time its operations are recorded at.
    pub fn at(&self) -> jiff::Timestamp {
        self.at
    }

    /// Applies `op` through the engine (authorization, rules, event log) and queues its event.
    pub fn apply(&mut self, op: &Op) -> Result<kiro_estate::Applied, OpError> {
        self.apply_at(op, None)
    }

    /// Authorizes `op` without applying it (see [`crate::translate`]).
    pub fn authorize(&mut self, op: &Op) -> Result<(), OpError> {
        self.state.engine.authorize(op)
    }

    /// Checks the SCPs of `account` for `actions` on `resource` in `region`, as the engine does
    /// for its own operations (for the writes that are not engine operations).
    pub fn authorize_action(
        &mut self,
        account: &kiro_estate::AccountId,
        actions: &[&str],
        resource: &str,
        region: &str,
    ) -> Result<(), OpError> {
        self.state.engine.authorize_action(&kiro_engine::Action {
            account,
            actions,
            resource: resource.to_owned(),
            region,
            context: &[],
        })
    }

    /// Applies `op` at `at` (now when none): the admin API's operations may carry their own
    /// time, as in an operations file, so scripted histories can be billed month by month.
    pub fn apply_at(
        &mut self,
        op: &Op,
        at: Option<jiff::Timestamp>,
    ) -> Result<kiro_estate::Applied, OpError> {
        let at = at.unwrap_or(self.at);
        let out = self.state.engine.apply(op, at)?;
        self.state.by_id.take();
        let text = serde_json::to_string(op).unwrap_or_default();
        self.pending.push(Pending::Event {
            at,
            op: text,
            outcome: "ok".to_owned(),
        });
        Ok(out)
    }

    /// Records `op` as refused for `reason` (see [`Engine::record_refused`]), durably like an
    /// applied one.
    pub fn record_refused(&mut self, op: &Op, reason: &str) {
        self.state.engine.record_refused(op, self.at, reason);
        let text = serde_json::to_string(op).unwrap_or_default();
        self.pending.push(Pending::Event {
            at: self.at,
            op: text,
            outcome: reason.to_owned(),
        });
    }

    /// Adds an application assignment; false when it existed already.
    pub fn assign(&mut self, a: Assignment) -> bool {
        let added = self.state.assignments.insert(a.clone());
        if added {
            self.pending.push(Pending::Assign(a));
        }
        added
    }

    /// Removes an application assignment; false when there was none.
    pub fn unassign(&mut self, a: &Assignment) -> bool {
        let removed = self.state.assignments.remove(a);
        if removed {
            self.pending.push(Pending::Unassign(a.clone()));
        }
        removed
    }
}

type Completion = Box<dyn FnOnce(Result<(), ApiError>) + Send>;
type WriteJob = Box<dyn FnOnce(&mut Tx<'_>) -> Completion + Send>;
type ReadJob = Box<dyn FnOnce(&State) + Send>;

enum Msg {
    Read(ReadJob),
    Write(WriteJob),
}

/// A handle on the store thread. Cloning it is cheap; the thread ends when every handle is gone.
#[derive(Clone)]
pub struct Store {
    tx: mpsc::Sender<Msg>,
    /// The sequence number of the last durable event: what the live page waits on.
    seq: watch::Receiver<u64>,
}

fn gone() -> ApiError {
    ApiError::internal("the store is shutting down")
}

impl Store {
    /// Opens (or creates) the store in `dir` and starts its thread. `seed` becomes the initial
    /// estate of an empty store; a store that has state already keeps it, and the returned flag
    /// says the seed was ignored.
    pub fn open(dir: &Path, seed: Option<Estate>) -> Result<(Store, bool), StoreError> {
        // The engine is not `Send`: it is built on the thread that owns it, which reports back
        // whether the store opened.
        let (tx, rx) = mpsc::channel();
        let (ready_tx, ready_rx) = mpsc::channel();
        let (seq_tx, seq) = watch::channel(0);
        let dir_owned = dir.to_owned();
        std::thread::Builder::new()
            .name("kiro-store".to_owned())
            .spawn(move || match Actor::open(&dir_owned, seed, seq_tx) {
                Ok((mut actor, ignored)) => {
                    let _ = ready_tx.send(Ok(ignored));
                    actor.run(&rx);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })
            .map_err(|source| StoreError::Io {
                path: dir.to_owned(),
                source,
            })?;
        let ignored = ready_rx.recv().map_err(|_| StoreError::Corrupt {
            path: dir.to_owned(),
            message: "the store thread stopped while opening".to_owned(),
        })??;
        Ok((Store { tx, seq }, ignored))
    }

    /// Runs `f` on the current state with the sequence number of its last event: the two
    /// belong together (the store thread runs `f` between commits).
    pub async fn read_at<R: Send + 'static>(
        &self,
        f: impl FnOnce(&State, u64) -> R + Send + 'static,
    ) -> Result<R, ApiError> {
        let seq = self.seq.clone();
        self.read(move |state| f(state, *seq.borrow())).await
    }

    /// The sequence number of the last durable event once it is no longer `seen` (at once if
    /// it is not), or `seen` again after `patience`: a long poll for the next change.
    pub async fn next_change(&self, seen: u64, patience: std::time::Duration) -> u64 {
        let mut seq = self.seq.clone();
        match tokio::time::timeout(patience, seq.wait_for(|now| *now != seen)).await {
            Ok(Ok(now)) => *now,
            // Timed out, or the store is gone: nothing new to show.
            _ => seen,
        }
    }

    /// Runs `f` on the current state.
    pub async fn read<R: Send + 'static>(
        &self,
        f: impl FnOnce(&State) -> R + Send + 'static,
    ) -> Result<R, ApiError> {
        let (tx, rx) = oneshot::channel();
        let job: ReadJob = Box::new(move |state| {
            let _ = tx.send(f(state));
        });
        self.tx.send(Msg::Read(job)).map_err(|_| gone())?;
        rx.await.map_err(|_| gone())
    }

    /// Runs the write `f` and answers once its changes are durable. `f` applies at most one
    /// engine operation, which changes nothing when refused: a write never needs undoing.
    pub async fn write<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Tx<'_>) -> Result<R, ApiError> + Send + 'static,
    ) -> Result<R, ApiError> {
        let (tx, rx) = oneshot::channel();
        let job: WriteJob = Box::new(move |t| {
            let result = f(t);
            Box::new(move |commit| {
                let _ = tx.send(commit.and(result));
            })
        });
        self.tx.send(Msg::Write(job)).map_err(|_| gone())?;
        rx.await.map_err(|_| gone())?
    }
}

/// Reads the state of the store in `dir` without serving it (for `kiro-org export`). Safe while
/// a server runs on the same directory: WAL readers see the last committed state.
pub fn read_estate(dir: &Path) -> Result<Estate, StoreError> {
    let path = dir.join(DB_FILE);
    if !path.exists() {
        return Err(StoreError::Corrupt {
            path,
            message: "no database here: start `kiro-org serve --data DIR` first".to_owned(),
        });
    }
    let (conn, path) = connect(dir)?;
    let (state, _, _) = load(&conn, &path)?;
    Ok(state.engine.into_estate())
}

/// The database's file name inside the data directory.
pub const DB_FILE: &str = "kiro-org.sqlite3";

fn connect(dir: &Path) -> Result<(Connection, PathBuf), StoreError> {
    std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let path = dir.join(DB_FILE);
    let sql = |source| StoreError::Sqlite {
        path: path.clone(),
        source,
    };
    let conn = Connection::open(&path).map_err(sql)?;
    conn.execute_batch(
        "PRAGMA journal_mode = WAL;
         PRAGMA synchronous = FULL;
         PRAGMA foreign_keys = ON;
         PRAGMA busy_timeout = 5000;
         CREATE TABLE IF NOT EXISTS events (
             seq INTEGER PRIMARY KEY,
             at TEXT NOT NULL,
             op TEXT NOT NULL,
             outcome TEXT NOT NULL DEFAULT 'ok'
         );
         CREATE TABLE IF NOT EXISTS snapshots (
             seq INTEGER PRIMARY KEY,
             estate TEXT NOT NULL
         );
         CREATE TABLE IF NOT EXISTS assignments (
             application_arn TEXT NOT NULL,
             principal_type TEXT NOT NULL CHECK (principal_type IN ('USER', 'GROUP')),
             principal_id TEXT NOT NULL,
             PRIMARY KEY (application_arn, principal_type, principal_id)
         ) WITHOUT ROWID;",
    )
    .map_err(sql)?;
    // A store written before refusals were recorded has no `outcome`: every event it has was
    // applied.
    let has_outcome: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM pragma_table_info('events') WHERE name = 'outcome')",
            [],
            |r| r.get(0),
        )
        .map_err(sql)?;
    if !has_outcome {
        conn.execute_batch("ALTER TABLE events ADD COLUMN outcome TEXT NOT NULL DEFAULT 'ok'")
            .map_err(sql)?;
    }
    Ok((conn, path))
}

fn load(conn: &Connection, path: &Path) -> Result<(State, u64, u64), StoreError> {
    let sql = |source| StoreError::Sqlite {
        path: path.to_owned(),
        source,
    };
    let corrupt = |message: String| StoreError::Corrupt {
        path: path.to_owned(),
        message,
    };
    let snapshot: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, estate FROM snapshots ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(sql)?;
    let (snapshot_seq, estate) = match snapshot {
        Some((seq, text)) => {
            let estate: Estate =
                serde_json::from_str(&text).map_err(|e| corrupt(format!("snapshot {seq}: {e}")))?;
            (seq, estate)
        }
        None => (0, Estate::empty()),
    };
    let mut engine = Engine::new(estate);
    let mut last_seq = snapshot_seq;
    let mut stmt = conn
        .prepare("SELECT seq, at, op, outcome FROM events WHERE seq > ?1 ORDER BY seq")
        .map_err(sql)?;
    let rows = stmt
        .query_map(params![snapshot_seq], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .map_err(sql)?;
    for row in rows {
        let (seq, at, op, outcome) = row.map_err(sql)?;
        let at: jiff::Timestamp = at
            .parse()
            .map_err(|e| corrupt(format!("event {seq}: bad time `{at}`: {e}")))?;
        let op: Op = serde_json::from_str(&op).map_err(|e| corrupt(format!("event {seq}: {e}")))?;
        if outcome != "ok" {
            engine.record_refused(&op, at, &outcome);
            last_seq = seq;
            continue;
        }
        engine.apply(&op, at).map_err(|e| {
            corrupt(format!(
                "event {seq} ({}) no longer applies: {e}",
                op.name()
            ))
        })?;
        last_seq = seq;
    }
    drop(stmt);
    let mut assignments = BTreeSet::new();
    let mut stmt = conn
        .prepare("SELECT application_arn, principal_type, principal_id FROM assignments")
        .map_err(sql)?;
    let rows = stmt
        .query_map([], |r| {
            Ok(Assignment {
                application_arn: r.get(0)?,
                principal_type: r.get(1)?,
                principal_id: r.get(2)?,
            })
        })
        .map_err(sql)?;
    for row in rows {
        assignments.insert(row.map_err(sql)?);
    }
    let as_u64 = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok((
        State::new(engine, assignments),
        as_u64(last_seq),
        as_u64(snapshot_seq),
    ))
}

struct Actor {
    conn: Connection,
    path: PathBuf,
    state: State,
    last_seq: u64,
    snapshot_seq: u64,
    pending: Vec<Pending>,
    waiting: Vec<Completion>,
    /// Tells [`Store::next_change`] the last durable event.
    seq: watch::Sender<u64>,
}

impl Actor {
    fn open(
        dir: &Path,
        seed: Option<Estate>,
        seq: watch::Sender<u64>,
    ) -> Result<(Actor, bool), StoreError> {
        let (conn, path) = connect(dir)?;
        let sql = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let empty: bool = conn
            .query_row(
                "SELECT NOT EXISTS (SELECT 1 FROM snapshots) AND NOT EXISTS (SELECT 1 FROM events)",
                [],
                |r| r.get(0),
            )
            .map_err(sql)?;
        let ignored = match seed {
            Some(estate) if empty => {
                let text = serde_json::to_string(&estate).map_err(|e| StoreError::Corrupt {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                conn.execute(
                    "INSERT INTO snapshots (seq, estate) VALUES (0, ?1)",
                    params![text],
                )
                .map_err(sql)?;
                false
            }
            Some(_) => true,
            None => false,
        };
        let (state, last_seq, snapshot_seq) = load(&conn, &path)?;
        seq.send_replace(last_seq);
        let actor = Actor {
            conn,
            path,
            state,
            last_seq,
            snapshot_seq,
            pending: Vec::new(),
            waiting: Vec::new(),
            seq,
        };
        Ok((actor, ignored))
    }

    fn run(&mut self, rx: &mpsc::Receiver<Msg>) {
        while let Ok(first) = rx.recv() {
            self.handle(first);
            while let Ok(next) = rx.try_recv() {
                self.handle(next);
                if self.waiting.len() >= MAX_BATCH {
                    self.commit();
                }
            }
            self.commit();
        }
    }

    fn handle(&mut self, msg: Msg) {
        match msg {
            Msg::Read(job) => {
                // No dirty reads: whatever a read sees is durable.
                self.commit();
                job(&self.state);
            }
            Msg::Write(job) => {
                let mut tx = Tx {
                    state: &mut self.state,
                    pending: &mut self.pending,
                    at: jiff::Timestamp::now(),
                };
                let done = job(&mut tx);
                self.waiting.push(done);
            }
        }
    }

    fn commit(&mut self) {
        if self.waiting.is_empty() && self.pending.is_empty() {
            return;
        }
        let outcome = if self.pending.is_empty() {
            Ok(self.last_seq)
        } else {
            write_batch(&mut self.conn, self.last_seq, &self.pending)
        };
        self.pending.clear();
        let waiting = std::mem::take(&mut self.waiting);
        match outcome {
            Ok(seq) => {
                self.last_seq = seq;
                self.seq
                    .send_if_modified(|last| std::mem::replace(last, seq) != seq);
                for done in waiting {
                    done(Ok(()));
                }
                if self.last_seq.saturating_sub(self.snapshot_seq) >= SNAPSHOT_EVERY {
                    self.snapshot();
                }
            }
            Err(e) => {
                for done in waiting {
                    done(Err(ApiError::internal(format!(
                        "the write could not be stored: {e}"
                    ))));
                }
                // What is in memory is ahead of the disk: go back to what the disk holds.
                match load(&self.conn, &self.path) {
                    Ok((state, last, snap)) => {
                        self.state = state;
                        self.last_seq = last;
                        self.snapshot_seq = snap;
                        self.seq.send_replace(last);
                    }
                    Err(e) => eprintln!(
                        "kiro-org serve: cannot reload the store after a failed commit: {e}"
                    ),
                }
            }
        }
    }

    fn snapshot(&mut self) {
        let Ok(text) = serde_json::to_string(self.state.engine.estate()) else {
            return;
        };
        let seq = i64::try_from(self.last_seq).unwrap_or(i64::MAX);
        match self.conn.execute(
            "INSERT OR REPLACE INTO snapshots (seq, estate) VALUES (?1, ?2)",
            params![seq, text],
        ) {
            Ok(_) => self.snapshot_seq = self.last_seq,
            Err(e) => eprintln!(
                "kiro-org serve: snapshot failed (the event log still has everything): {e}"
            ),
        }
    }
}

fn write_batch(conn: &mut Connection, last_seq: u64, pending: &[Pending]) -> rusqlite::Result<u64> {
    let tx = conn.transaction()?;
    let mut seq = last_seq;
    {
        let mut event =
            tx.prepare_cached("INSERT INTO events (seq, at, op, outcome) VALUES (?1, ?2, ?3, ?4)")?;
        let mut assign = tx.prepare_cached(
            "INSERT OR IGNORE INTO assignments (application_arn, principal_type, principal_id) VALUES (?1, ?2, ?3)",
        )?;
        let mut unassign = tx.prepare_cached(
            "DELETE FROM assignments WHERE application_arn = ?1 AND principal_type = ?2 AND principal_id = ?3",
        )?;
        for p in pending {
            match p {
                Pending::Event { at, op, outcome } => {
                    seq += 1;
                    let n = i64::try_from(seq).unwrap_or(i64::MAX);
                    event.execute(params![n, at.to_string(), op, outcome])?;
                }
                Pending::Assign(a) => {
                    assign.execute(params![a.application_arn, a.principal_type, a.principal_id])?;
                }
                Pending::Unassign(a) => {
                    unassign.execute(params![
                        a.application_arn,
                        a.principal_type,
                        a.principal_id
                    ])?;
                }
            }
        }
    }
    tx.commit()?;
    Ok(seq)
}
