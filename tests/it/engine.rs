//! `tracuu search --engine URL` through the binary, against a small engine in the test (no Java,
//! no server): hits printed as local search prints them, host names resolved without glibc
//! (`localhost`, a name of `/etc/hosts`), and an address where nothing listens one line, exit 2.

use std::net::TcpListener;

use serde_json::{json, Value};

use crate::util::http::Server;
use crate::util::{decode, stderr, Env};

/// An engine on a free port answering `_mapping` with `mapping`, `_search` with `search` and
/// `_count` with the number of its hits, for as long as the test runs.
fn engine(mapping: Value, search: Value) -> Server {
    let count = search
        .pointer("/hits/hits")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    Server::start(move |request, _| {
        let answer = if request.path.contains("/_mapping") {
            mapping.to_string()
        } else if request.path.contains("/_count") {
            json!({"count": count}).to_string()
        } else {
            search.to_string()
        };
        (200, answer)
    })
}

#[test]
fn hits_from_an_engine_print_as_local_search_prints_them() {
    let env = Env::indexed();
    let (local, out) = env.search("Cam Ranh", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let raw: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let corpus = std::fs::canonicalize(env.path().join("seeds")).unwrap();
    let mapping = json!({"docs": {"mappings": {"_meta": {"tracuu": {"corpus": corpus}}}}});
    // The engine returns the same passages, with its own scores, the second first: tracuu puts
    // them back in score order.
    let hits: Vec<Value> = raw
        .iter()
        .rev()
        .map(|h| {
            let source: Value = [
                "source", "start", "end", "line", "column", "text", "format", "encoding", "offsets",
            ]
            .iter()
            .map(|&f| (f.to_string(), h[f].clone()))
            .collect::<serde_json::Map<_, _>>()
            .into();
            json!({"_id": "x", "_score": h["score"].as_f64().unwrap() + 0.5, "_source": source})
        })
        .collect();
    let port = engine(mapping, json!({"hits": {"hits": hits}})).port;
    let mut hosts = vec!["127.0.0.1".to_string(), "localhost".to_string()];
    // A name of /etc/hosts for this machine's loopback, if it has one besides localhost.
    let etc = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    hosts.extend(etc.lines().find_map(|l| {
        let mut f = l.split('#').next()?.split_whitespace();
        (f.next()? == "127.0.0.1").then(|| f.find(|n| *n != "localhost").map(str::to_string))?
    }));
    for host in hosts {
        let url = format!("http://{host}:{port}/docs");
        let (remote, out) = env.search("Cam Ranh", &["--engine", &url]);
        assert!(out.status.success(), "{url}: {}", stderr(&out));
        assert_eq!(remote.len(), local.len(), "{url}");
        for (r, l) in remote.iter().zip(&local) {
            assert_eq!(r.score, l.score + 0.5, "{url}");
            assert_eq!(
                (&r.source, &r.path, r.start, r.end, r.line, r.column),
                (&l.source, &l.path, l.start, l.end, l.line, l.column)
            );
            assert_eq!(
                (&r.text, &r.highlights, r.rank),
                (&l.text, &l.highlights, l.rank)
            );
        }
        // The same for people.
        let human = env.run(&[
            "search", "--limit", "2", "--color", "never", "--engine", &url, "Cam Ranh",
        ]);
        let local_human = env.run(&["search", "--limit", "2", "--color", "never", "Cam Ranh"]);
        let strip_scores = |o: &std::process::Output| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .map(|l| l.split("score").next().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(strip_scores(&human), strip_scores(&local_human), "{url}");
    }
}

/// An engine index of the corpus of `env` (its documents as `tracuu export` writes them) that
/// answers every search with the passages of `local`, with their scores: its URL.
pub(crate) fn engine_answering(env: &Env, local: &[crate::util::JsonHit]) -> String {
    let bulk = env.run(&["export", "--opensearch", "-"]);
    assert!(bulk.status.success(), "{}", stderr(&bulk));
    let docs: Vec<Value> = String::from_utf8_lossy(&bulk.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &Value| v.get("index").is_none())
        .collect();
    let hits: Vec<Value> = local
        .iter()
        .map(|l| {
            let doc = docs
                .iter()
                .find(|d| d["source"] == l.source.as_str() && d["start"] == l.start)
                .expect("every local hit is exported");
            json!({"_id": "x", "_score": l.score, "_source": doc})
        })
        .collect();
    let corpus = std::fs::canonicalize(env.path().join("seeds")).unwrap();
    let mapping = json!({"docs": {"mappings": {"_meta": {"tracuu": {"corpus": corpus}}}}});
    engine(mapping, json!({"hits": {"hits": hits}})).url("127.0.0.1")
}

#[test]
fn bench_measures_an_engine_index_end_to_end() {
    let env = Env::indexed();
    let (local, _) = env.search("Cam Ranh", &[]);
    let url = engine_answering(&env, &local);
    let queries = env.path().join("queries.txt");
    std::fs::write(&queries, "name\tCam Ranh\nphrase\t\"Cam Ranh\"\n").unwrap();
    let out = env.run(&[
        "bench",
        "--engine",
        &url,
        "--queries",
        queries.to_str().unwrap(),
        "--iterations",
        "3",
        "--warmup",
        "1",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["index"], url.as_str());
    let queries = report["queries"].as_array().unwrap();
    assert_eq!(queries.len(), 2);
    assert_eq!(queries[1]["query"], "\"Cam Ranh\"");
    assert!(report["overall"]["total"]["p50_us"].as_f64().unwrap() > 0.0);
}

#[test]
fn exported_passages_of_html_and_legacy_text_come_back_with_local_highlights() {
    // Text whose bytes are not the passage's: entities, tags, a legacy encoding.
    let env = Env::indexed_files(&[
        (
            "trang.html",
            "<html><body><p>Ông Tr&#7847;n Đức&nbsp;Lương <b>thăm</b> Moskva.</p></body></html>"
                .as_bytes()
                .to_vec(),
        ),
        (
            "thu.txt",
            // "Trần Đức Lương ở Huế." in windows-1258, tone marks combining.
            b"Tr\xe2\xccn \xd0\xfd\xecc L\xfd\xf5ng \xf4\xd2 Hu\xea\xec.\n".to_vec(),
        ),
    ]);
    let (local, out) = env.search("Tran Duc Luong", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(local.len(), 2, "{local:?}");
    let url = engine_answering(&env, &local);
    let (remote, out) = env.search("Tran Duc Luong", &["--engine", &url]);
    assert!(remote
        .iter()
        .all(|r| r.format != "text" || r.encoding != "utf-8"));
    assert!(out.status.success(), "{}", stderr(&out));
    for (r, l) in remote.iter().zip(&local) {
        assert_eq!(
            (
                &r.source,
                r.start,
                r.end,
                &r.text,
                &r.highlights,
                &r.encoding
            ),
            (
                &l.source,
                l.start,
                l.end,
                &l.text,
                &l.highlights,
                &l.encoding
            )
        );
    }
}

#[test]
fn an_engine_where_nothing_listens_is_one_line_naming_it_and_exit_2() {
    let env = Env::new();
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/docs");
    let out = env.run(&["search", "--engine", &url, "Hanoi"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(out.stdout.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with(&format!("tracuu: the engine at {url} cannot be reached")),
        "{err}"
    );
    assert!(decode(&out).is_empty());
}
