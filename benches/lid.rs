//! Throughput of language identification, in MB/s of input.
//!
//! Run: `cargo bench -p awal-benches --bench lid`. Input: the project's own training
//! sentences (all labels, interleaved), repeated to ~1 MiB.

use awal_lid::default_detector;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

fn input() -> String {
    let data = awal_lid::default_training_data();
    let mut lines: Vec<&str> = Vec::new();
    let longest = data.iter().map(|d| d.lines.len()).max().unwrap_or(0);
    for i in 0..longest {
        lines.extend(data.iter().filter_map(|d| d.lines.get(i)));
    }
    let seed = lines.join("\n");
    let mut text = String::new();
    while text.len() < 1 << 20 {
        text.push_str(&seed);
        text.push('\n');
    }
    text
}

fn lid(c: &mut Criterion) {
    let detector = default_detector().expect("default model trains");
    let text = input();
    let mut group = c.benchmark_group("lid");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("detect/lines", |b| {
        b.iter(|| {
            text.lines()
                .map(|l| detector.detect(black_box(l)).score)
                .sum::<f64>()
        })
    });
    group.bench_function("spans/lines", |b| {
        b.iter(|| {
            text.lines()
                .map(|l| detector.spans(black_box(l)).len())
                .sum::<usize>()
        })
    });
    group.finish();
    c.bench_function("lid/train-default", |b| {
        b.iter(|| {
            awal_lid::Model::train(
                &awal_lid::default_training_data(),
                &awal_lid::default_markers(),
                awal_lid::TrainConfig::default(),
            )
            .map(|m| m.labels().len())
        })
    });
}

criterion_group!(benches, lid);
criterion_main!(benches);
