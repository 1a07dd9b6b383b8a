//! Throughput of the tokenization hot paths, in MB/s of input.
//!
//! Run: `cargo bench -p awal-benches --bench tokenize`. Inputs are ~1 MiB of text built
//! from the hand-written samples in `corpora/`.

use awal_tokenize::corpus::Corpus;
use awal_tokenize::normalize::{Normalizer, Profile};
use awal_tokenize::pipeline::FastEncoder;
use awal_tokenize::pretokenize::split_ranges;
use awal_tokenize::train::{train, ModelKind, TrainConfig};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rayon::prelude::*;
use std::hint::black_box;

const FRA: &str = include_str!("../corpora/lid/fra_Latn.txt");
const ENG: &str = include_str!("../corpora/lid/eng_Latn.txt");
const ARY: &str = include_str!("../corpora/lid/ary_Arab.txt");
const ZGH: &str = include_str!("../corpora/lid/zgh_Tfng.txt");
const MIXED: &str = include_str!("../corpora/sample/mixed.txt");

fn repeat_lines(seed: &str, bytes: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut n = 0;
    while n < bytes {
        for l in seed.lines() {
            n += l.len() + 1;
            out.push(l.to_string());
        }
    }
    out
}

fn bytes(lines: &[String]) -> u64 {
    lines.iter().map(|l| l.len() as u64 + 1).sum()
}

fn normalize(c: &mut Criterion) {
    let n = Normalizer::new(Profile::Auto.options());
    let mut group = c.benchmark_group("normalize");
    for (name, seed) in [
        ("eng", ENG),
        ("fra", FRA),
        ("ary_Arab", ARY),
        ("zgh_Tfng", ZGH),
        ("mixed", MIXED),
    ] {
        let lines = repeat_lines(seed, 1 << 20);
        group.throughput(Throughput::Bytes(bytes(&lines)));
        group.bench_function(name, |b| {
            b.iter(|| {
                for l in &lines {
                    black_box(n.normalize(l));
                }
            })
        });
    }
    group.finish();
}

fn pretokenize(c: &mut Criterion) {
    let mut group = c.benchmark_group("pretokenize");
    for (name, seed) in [("fra", FRA), ("ary_Arab", ARY), ("zgh_Tfng", ZGH)] {
        let lines = repeat_lines(seed, 1 << 20);
        group.throughput(Throughput::Bytes(bytes(&lines)));
        group.bench_function(name, |b| {
            b.iter(|| {
                for l in &lines {
                    black_box(split_ranges(l));
                }
            })
        });
    }
    group.finish();
}

fn encode(c: &mut Criterion) {
    let corpus = |lang: &str, text: &str| Corpus {
        lang: lang.into(),
        paths: vec![],
        lines: text.lines().map(str::to_string).collect(),
    };
    let corpora = [
        corpus("fra", FRA),
        corpus("eng", ENG),
        corpus("ary", ARY),
        corpus("zgh", ZGH),
    ];
    let n = Normalizer::new(Profile::Auto.options());
    let cfg = TrainConfig {
        model: ModelKind::Bpe,
        vocab_size: 4000,
        temperature: 2.0,
        min_frequency: 2,
    };
    let (tok, _) = train(&corpora, &n, &cfg).expect("training on the project's samples");
    let fast = FastEncoder::new(&n, tok.get_model());
    let lines = repeat_lines(&[FRA, ARY, ZGH].concat(), 1 << 20);
    let mut group = c.benchmark_group("encode-batch");
    group.throughput(Throughput::Bytes(bytes(&lines)));
    group.sample_size(10);
    group.bench_function("awal-fast-path-rayon", |b| {
        b.iter(|| {
            let ids: Vec<Vec<u32>> = lines
                .par_iter()
                .map(|l| fast.encode(l).unwrap_or_default())
                .collect();
            black_box(ids)
        })
    });
    group.bench_function("stock-tokenizers-encode_batch", |b| {
        b.iter(|| {
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            black_box(tok.encode_batch(refs, false).expect("encode"))
        })
    });
    group.finish();
}

criterion_group!(benches, normalize, pretokenize, encode);
criterion_main!(benches);
