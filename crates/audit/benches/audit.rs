//! `audit` on the largest organization the project models (10,000 accounts, 100,000 users,
//! 200 profiles, ~300,000 subscriptions), built in code by `kiro_estate::generate`.
//!
//! `cargo bench -p kiro-audit --bench audit` — the target is under 3 s for a whole audit.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use kiro_audit::cx::Cx;
use kiro_audit::registry::RULES;
use kiro_audit::{Config, render};
use kiro_billing::PriceBook;
use kiro_estate::generate::{Spec, generate};

fn bench(c: &mut Criterion) {
    let estate = generate(&Spec::largest());
    let book = PriceBook::builtin().unwrap();
    // One pass per rule, printed once, to show where the time goes.
    let cx = Cx::new(&estate, &book);
    let start = Instant::now();
    cx.bill();
    eprintln!("bill: {:?}", start.elapsed());
    for rule in RULES {
        let start = Instant::now();
        let mut out = Vec::new();
        (rule.check)(&cx, &mut out);
        eprintln!(
            "{} {}: {} findings in {:?}",
            rule.code,
            rule.name,
            out.len(),
            start.elapsed()
        );
    }
    let mut group = c.benchmark_group("audit");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("largest", |b| {
        b.iter(|| kiro_audit::audit(&estate, &book, &Config::default()));
    });
    let report = kiro_audit::audit(&estate, &book, &Config::default());
    // What `audit --format json` does: findings serialized straight to a writer.
    group.bench_function("largest-json", |b| {
        b.iter(|| render::write_json(&report, std::io::sink()).unwrap());
    });
    group.bench_function("largest-human", |b| {
        b.iter(|| render::human(&report).len());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
