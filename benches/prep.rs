//! Throughput of the corpus pipeline's hot paths, in MB/s of input text.
//!
//! Run: `cargo bench -p awal-benches --bench prep`. The input is the project's sample corpus
//! (`corpora/sample/social.txt`: Darija in both scripts, Tamazight in both scripts,
//! French, MSA, PII, boilerplate, junk), one document per line, repeated to ~2 MiB with
//! a counter so that documents stay unique.
//!
//! * `redact`: PII detection and replacement alone (`awal redact`).
//! * `process`: the per-document stages of `awal prepare` — normalize, scripts, filters,
//!   redact, dedup keys (exact + MinHash), JSON — then the in-order dedup decision.
//! * `process-exact-only`: the same with near-dup detection off.

use awal_prep::config::Config;
use awal_prep::dedup::Deduper;
use awal_prep::pii::Redactor;
use awal_prep::pipeline::{Outcome, Pipeline};
use awal_prep::source::Item;
use awal_prep::Record;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const SOCIAL: &str = include_str!("../corpora/sample/social.txt");

fn docs(bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut total = 0;
    let mut round = 0;
    while total < bytes {
        for line in SOCIAL.lines() {
            let doc = format!("{line} {round}");
            total += doc.len();
            out.push(doc);
        }
        round += 1;
    }
    out
}

fn redact(c: &mut Criterion) {
    let docs = docs(2 << 20);
    let bytes: usize = docs.iter().map(String::len).sum();
    let r = Redactor::new();
    let mut group = c.benchmark_group("prep");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("redact", |b| {
        b.iter(|| {
            let mut n = 0;
            for d in &docs {
                n += r.redact(black_box(d)).1.total();
            }
            n
        })
    });
    group.finish();
}

fn process(c: &mut Criterion) {
    let docs = docs(2 << 20);
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut group = c.benchmark_group("prep");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for (name, near) in [("process", true), ("process-exact-only", false)] {
        let mut config = Config::default();
        config.dedup.near = near;
        let pipeline = Pipeline::new(config.clone()).expect("default config is valid");
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut index = Deduper::new(&config.dedup);
                let mut kept = 0;
                for (i, d) in docs.iter().enumerate() {
                    let item = Item::Doc(Record::new(i.to_string(), d.as_str(), "bench"));
                    if let Outcome::Candidate(c) = pipeline.process(item) {
                        if index.check(&c.keys).is_none() {
                            kept += 1;
                        }
                    }
                }
                kept
            })
        });
    }
    group.finish();
}

criterion_group!(benches, redact, process);
criterion_main!(benches);
