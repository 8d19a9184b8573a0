//! Validating the shared SCP corpus (`../shared/data/scp-corpus/`, 96 documents) with the IAM
//! catalog: every parse checks each action and condition key against it. The target is under
//! 50 ms for the whole corpus.
//!
//! Run with `cargo bench -p kiro-policy --bench corpus`.
#![expect(
    clippy::unwrap_used,
    clippy::panic,
    reason = "a benchmark over the fixed corpus"
)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kiro_policy::{Catalog, Policy};

#[path = "../tests/support/corpus.rs"]
mod corpus;

fn benches(c: &mut Criterion) {
    // The documents as a reader gets them: text, or the guardrail descriptions' JSON.
    let mut texts = Vec::new();
    let mut values = Vec::new();
    let mut files = Vec::new();
    corpus::json_files(&corpus::corpus_dir(), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        if text.contains("\"Guardrail\"") {
            if let Ok(v) = corpus::guardrail_policy(&text) {
                values.push(v);
            }
        } else {
            texts.push(text);
        }
    }
    let documents = texts.len() + values.len();
    // Index the embedded catalog once, as the first parse of a run does.
    let started = std::time::Instant::now();
    black_box(Catalog::get());
    eprintln!(
        "indexing the catalog: {:.1} ms (once per process)",
        started.elapsed().as_secs_f64() * 1e3
    );

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Elements(documents as u64));
    group.bench_function(
        format!("{documents} corpus SCPs parsed and checked with the catalog"),
        |b| {
            b.iter(|| {
                let mut warnings = 0;
                for t in &texts {
                    if let Ok(p) = Policy::parse(black_box(t)) {
                        warnings += p.warnings().len();
                    }
                }
                for v in &values {
                    if let Ok(p) = Policy::from_value(black_box(v)) {
                        warnings += p.warnings().len();
                    }
                }
                warnings
            })
        },
    );
    group.finish();
}

criterion_group!(corpus_benches, benches);
criterion_main!(corpus_benches);
