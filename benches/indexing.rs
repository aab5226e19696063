//! Indexing throughput: passage splitting alone, and a whole index build of the seeds, in MB/s.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tracuu::{build, passage, IndexOptions};

fn seeds() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds")
}

fn indexing(c: &mut Criterion) {
    let texts: Vec<String> = std::fs::read_dir(seeds())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("indexing");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("passages", |b| {
        b.iter(|| {
            let n: usize = texts.iter().map(|t| passage::split(t).len()).sum();
            assert!(n > 50);
            n
        })
    });
    group.sample_size(20);
    group.bench_function("build_seeds", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |dir| {
                let report = build(
                    &seeds(),
                    &dir.path().join("index"),
                    &IndexOptions::default(),
                    &mut |_: &str| {},
                )
                .unwrap();
                assert_eq!(report.files, 5);
                dir
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, indexing);
criterion_main!(benches);
