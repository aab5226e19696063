//! Tokenizer throughput on the seeds, in MB/s: folded words, exact words, compounds, and the one
//! pass that makes all three as indexing does.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tracuu::text::{compounds, words, Analysis, Mode};
use unicode_segmentation::UnicodeSegmentation;

const SEEDS: [&str; 5] = [
    include_str!("../seeds/000_a4a2b0632f3d8560.txt"),
    include_str!("../seeds/001_fab5263dfb4bd43e.txt"),
    include_str!("../seeds/002_49310b09fbf5f71a.txt"),
    include_str!("../seeds/003_153e3b127f3097f9.txt"),
    include_str!("../seeds/004_fde5aab7314cabf6.txt"),
];

fn tokenizer(c: &mut Criterion) {
    let text = SEEDS.concat();
    let mut group = c.benchmark_group("tokenizer");
    group.throughput(Throughput::Bytes(text.len() as u64));
    // The ceiling: UAX #29 word segmentation alone, which every mode starts with.
    group.bench_with_input(BenchmarkId::new("uax29_only", "seeds"), &text, |b, t| {
        b.iter(|| {
            let n = t.unicode_word_indices().count();
            assert!(n > 10_000);
            n
        })
    });
    for mode in [Mode::Folded, Mode::Exact] {
        group.bench_with_input(
            BenchmarkId::new("words", format!("{mode:?}")),
            &text,
            |b, t| {
                b.iter(|| {
                    let n = words(t, mode).len();
                    assert!(n > 10_000);
                    n
                })
            },
        );
    }
    group.bench_with_input(BenchmarkId::new("compounds", "seeds"), &text, |b, t| {
        b.iter(|| {
            let n = compounds(t).len();
            assert!(n > 0);
            n
        })
    });
    group.bench_with_input(BenchmarkId::new("analysis", "seeds"), &text, |b, t| {
        let mut analysis = Analysis::default();
        b.iter(|| {
            analysis.run(t);
            let n = analysis.folded.as_slice().len();
            assert!(n > 10_000 && !analysis.compounds.as_slice().is_empty());
            n
        })
    });
    group.finish();
}

criterion_group!(benches, tokenizer);
criterion_main!(benches);
