//! Query latency by kind of query, in-process, on the seeds; and on a larger index when
//! TRACUU_BENCH_INDEX names one (e.g. built from `make_corpus --mb 100`).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use tracuu::bench::DEFAULT_QUERIES;
use tracuu::{build, Engine, IndexOptions, SearchOptions};

fn bench_engine(c: &mut Criterion, name: &str, engine: &Engine) {
    let mut group = c.benchmark_group(format!("query/{name}"));
    let options = SearchOptions::default();
    for (kind, query) in DEFAULT_QUERIES {
        // The answer is checked once, outside the timed loop, and its size inside it.
        let expected = engine.search(query, &options).unwrap().hits.len();
        assert!(expected > 0, "{query} finds nothing in {name}");
        group.bench_with_input(BenchmarkId::new(*kind, query), query, |b, q| {
            b.iter(|| {
                let outcome = engine.search(q, &options).unwrap();
                assert_eq!(outcome.hits.len(), expected);
                outcome.total
            })
        });
    }
    group.finish();
}

fn query(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("index");
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    build(&seeds, &index, &IndexOptions::default(), &mut |_: &str| {}).unwrap();
    bench_engine(c, "seeds", &Engine::open(&index).unwrap());
    if let Some(large) = std::env::var_os("TRACUU_BENCH_INDEX") {
        let engine =
            Engine::open(std::path::Path::new(&large)).expect("TRACUU_BENCH_INDEX is an index");
        bench_engine(c, "large", &engine);
    }
}

criterion_group!(benches, query);
criterion_main!(benches);
