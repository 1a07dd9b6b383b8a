//! Throughput of Darija Arabizi <-> Arabic script with the built-in model, in MB/s of
//! input.
//!
//! Run: `cargo bench -p awal-benches --bench arabizi`. The input is the project's own
//! hand-written Darija sentences (`corpora/lid/ary_Latn.txt`, `ary_Arab.txt`) repeated
//! to ~1 MiB. Two Latin -> Arabic figures are reported:
//!
//! * `ary-latn->ary-arab`: the real path, where a word met before is answered from the
//!   lexicon or the per-thread cache — corpora are Zipfian, so this is what a long run
//!   sees;
//! * `ary-latn->ary-arab/cold`: every word decoded by the beam search, as if never seen
//!   (the worst case: a stream of only new words).

use awal_translit::arabizi::Model;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;

const LATIN: &str = include_str!("../corpora/lid/ary_Latn.txt");
const ARABIC: &str = include_str!("../corpora/lid/ary_Arab.txt");

fn repeat_to(seed: &str, bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + seed.len());
    while text.len() < bytes {
        text.push_str(seed);
    }
    text
}

fn arabizi(c: &mut Criterion) {
    let model = Model::builtin();
    let latin = repeat_to(LATIN, 1 << 20);
    let arabic = repeat_to(ARABIC, 1 << 20);
    let mut group = c.benchmark_group("arabizi");
    group.throughput(Throughput::Bytes(latin.len() as u64));
    group.bench_function("ary-latn->ary-arab", |b| {
        let mut out = String::with_capacity(latin.len() * 2);
        b.iter(|| {
            out.clear();
            for line in latin.lines() {
                model.to_arabic_into(black_box(line), false, &mut out);
                out.push('\n');
            }
            out.len()
        })
    });
    group.throughput(Throughput::Bytes(arabic.len() as u64));
    group.bench_function("ary-arab->ary-latn", |b| {
        let mut out = String::with_capacity(arabic.len());
        b.iter(|| {
            out.clear();
            for line in arabic.lines() {
                model.to_latin_into(black_box(line), false, &mut out);
                out.push('\n');
            }
            out.len()
        })
    });
    let words: Vec<&str> = LATIN.split_whitespace().collect();
    let bytes: usize = words.iter().map(|w| w.len() + 1).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("ary-latn->ary-arab/cold", |b| {
        let mut out = String::new();
        b.iter(|| {
            out.clear();
            for word in &words {
                model.decode_word_uncached(black_box(word), &mut out);
                out.push(' ');
            }
            out.len()
        })
    });
    group.finish();
}

criterion_group!(benches, arabizi);
criterion_main!(benches);
