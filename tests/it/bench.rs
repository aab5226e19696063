//! `tracuu bench` on the seeds, and a generated corpus indexed within a memory budget.

use crate::util::synth::{self, Shape};
use crate::util::{assert_contains, assert_offsets, seeds, stderr, stdout, Env};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Stats {
    p50_us: f64,
    p95_us: f64,
    p99_us: f64,
    max_us: f64,
    mean_us: f64,
    qps: f64,
}

#[derive(Debug, Deserialize)]
struct QueryReport {
    kind: String,
    query: String,
    hits: usize,
    search: Stats,
    fetch: Stats,
    total: Stats,
}

#[derive(Debug, Deserialize)]
struct BenchReport {
    files: usize,
    passages: u64,
    iterations: usize,
    open_cold_us: f64,
    open_warm: Stats,
    queries: Vec<QueryReport>,
    overall: QueryReport,
}

fn check(stats: &Stats, what: &str) {
    assert!(stats.p50_us > 0.0, "{what}: {stats:?}");
    assert!(
        stats.p50_us <= stats.p95_us
            && stats.p95_us <= stats.p99_us
            && stats.p99_us <= stats.max_us,
        "{what}: {stats:?}"
    );
    assert!(
        stats.mean_us <= stats.max_us && stats.qps > 0.0,
        "{what}: {stats:?}"
    );
}

#[test]
fn bench_json_reports_every_figure_for_every_kind_of_query() {
    let env = Env::indexed();
    let out = env.run(&["bench", "--json", "--iterations", "5", "--warmup", "1"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: BenchReport = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!((report.files, report.iterations), (5, 5));
    assert!(report.passages > 50 && report.open_cold_us > 0.0);
    check(&report.open_warm, "open");
    let kinds: std::collections::HashSet<&str> =
        report.queries.iter().map(|q| q.kind.as_str()).collect();
    for kind in [
        "term",
        "multi-word",
        "phrase",
        "folded-name",
        "prefix",
        "typo",
    ] {
        assert!(kinds.contains(kind), "no {kind} query");
    }
    for q in &report.queries {
        assert!(q.hits > 0, "{} finds nothing on the seeds", q.query);
        check(&q.search, &q.query);
        check(&q.fetch, &q.query);
        check(&q.total, &q.query);
        assert!(q.total.p50_us >= q.search.p50_us, "{}", q.query);
    }
    check(&report.overall.total, "overall");
    // The table for people.
    let out = env.run(&["bench", "--iterations", "2", "--warmup", "0"]);
    let table = stdout(&out);
    assert!(
        table.contains("p50") && table.contains("QPS") && table.contains("Tran Duc Luong"),
        "{table}"
    );
}

#[test]
fn bench_reads_a_queries_file_and_rejects_an_empty_one() {
    let env = Env::indexed();
    std::fs::write(
        env.path().join("q.txt"),
        "# mine\nPutin\nphrase\t\"pivot to the East\"\n\n",
    )
    .unwrap();
    let out = env.run(&["bench", "--json", "--iterations", "2", "--queries", "q.txt"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let report: BenchReport = serde_json::from_str(&stdout(&out)).unwrap();
    let got: Vec<(&str, &str)> = report
        .queries
        .iter()
        .map(|q| (q.kind.as_str(), q.query.as_str()))
        .collect();
    assert_eq!(
        got,
        [("custom", "Putin"), ("phrase", "\"pivot to the East\"")]
    );
    std::fs::write(env.path().join("empty.txt"), "# nothing\n").unwrap();
    let out = env.run(&["bench", "--queries", "empty.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "has no queries");
    let out = env.run(&["bench", "--queries", "missing.txt"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_generated_corpus_indexes_within_a_small_memory_budget_and_answers_names() {
    let env = Env::new();
    let made = synth::generate(
        &seeds(),
        &env.path().join("big"),
        &Shape::bytes(2_000_000),
        42,
    )
    .unwrap();
    assert!(made.files >= 7);
    let out = env.run(&[
        "index",
        "big",
        "--index",
        "bigindex",
        "--memory",
        "30",
        "--threads",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_contains(stderr(&out), &format!("{} files", made.files));
    for q in ["Tran Duc Luong", "Trần Đức Lương", "Ha Noi", "\"Cam Ranh\""] {
        let (hits, out) = env.search(q, &["--index", "bigindex"]);
        assert_eq!(out.status.code(), Some(0), "{q}: {}", stderr(&out));
        for h in &hits {
            assert_offsets(env.path(), h);
        }
    }
    // Too little memory is a clear error, not a tantivy panic.
    let out = env.run(&["index", "big", "--index", "other", "--memory", "10"]);
    assert_eq!(out.status.code(), Some(2));
    assert_contains(stderr(&out), "--memory");
}
