//! Throughput of the transliteration and script-detection hot paths, in MB/s of input.
//!
//! Run: `cargo bench -p awal-benches --bench translit`. The input is ~1 MiB of
//! realistic multi-line text built from the hand-written samples in `corpora/`.

use awal_translit::script::spans_into;
use awal_translit::{Options, Registry};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const TIFINAGH: &str = include_str!("../corpora/bench/tifinagh.txt");
const MIXED: &str = include_str!("../corpora/sample/mixed.txt");

/// Repeats `seed` until the text is at least `bytes` long, so that timings are not
/// dominated by call overhead.
fn repeat_to(seed: &str, bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + seed.len());
    while text.len() < bytes {
        text.push_str(seed);
    }
    text
}

fn translit(c: &mut Criterion) {
    let reg = Registry::builtin();
    let tfng = repeat_to(TIFINAGH, 1 << 20);
    let to_latin = reg
        .transliterator("zgh-tfng", "zgh-latn", Options::default())
        .expect("built-in schemes");
    let latin = to_latin.convert(&tfng);
    let to_tfng = reg
        .transliterator("zgh-latn", "zgh-tfng", Options::default())
        .expect("built-in schemes");
    let to_arab = reg
        .transliterator("zgh-tfng", "zgh-arab", Options::default())
        .expect("built-in schemes");

    let mut group = c.benchmark_group("translit");
    group.throughput(Throughput::Bytes(tfng.len() as u64));
    group.bench_function("zgh-tfng->zgh-latn", |b| {
        let mut out = String::with_capacity(tfng.len());
        b.iter(|| {
            out.clear();
            for line in tfng.lines() {
                to_latin.convert_into(black_box(line), &mut out);
                out.push('\n');
            }
            out.len()
        })
    });
    group.bench_function("zgh-tfng->zgh-arab", |b| {
        b.iter(|| {
            tfng.lines()
                .map(|l| to_arab.convert(black_box(l)).len())
                .sum::<usize>()
        })
    });
    group.throughput(Throughput::Bytes(latin.len() as u64));
    group.bench_function("zgh-latn->zgh-tfng", |b| {
        let mut out = String::with_capacity(tfng.len());
        b.iter(|| {
            out.clear();
            for line in latin.lines() {
                to_tfng.convert_into(black_box(line), &mut out);
                out.push('\n');
            }
            out.len()
        })
    });
    group.finish();
}

fn scripts(c: &mut Criterion) {
    let mixed = repeat_to(MIXED, 1 << 20);
    let mut group = c.benchmark_group("script");
    group.throughput(Throughput::Bytes(mixed.len() as u64));
    group.bench_function("spans/mixed", |b| {
        let mut buf = Vec::new();
        b.iter(|| {
            let mut n = 0;
            for line in mixed.lines() {
                spans_into(black_box(line), &mut buf);
                n += buf.len();
            }
            n
        })
    });
    group.finish();
}

criterion_group!(benches, translit, scripts);
criterion_main!(benches);
