//! `tracuu export --opensearch`: the index definition and the `_bulk` body of the documents
//! fixture compared byte for byte with `tests/data/golden/export/` (rewritten with
//! `TRACUU_BLESS=1`); incremental exports (an edited, a removed and an added file) that, applied
//! to the previous documents, give what a full export gives; standard output with `--state`; and
//! the sending path against a small HTTP server in the test (a 429 retried, a 500 and an
//! unreachable port as one line naming the address, the credentials sent).

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::Path;
use std::sync::Mutex;

use serde_json::{json, Value};

use crate::util::http::{Request, Server};
use crate::util::{
    assert_contains, assert_lacks, assert_one_clean_error_line, copy_dir, stderr, Env,
};

/// Indexes `env`'s `seeds/` on one thread (one segment: the same order on every run).
fn index(env: &Env) {
    let out = env.run(&["index", "--threads", "1", "--quiet"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Runs `tracuu export` with `args` and asserts it succeeded.
fn export(env: &Env, args: &[&str]) -> String {
    let out = env.run(&[&["export"][..], args].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

/// Compares `actual` with the golden file `export/name`, or rewrites it with `TRACUU_BLESS=1`.
fn assert_golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/golden/export")
        .join(name);
    if std::env::var_os("TRACUU_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if let Some((i, (want, got))) = expected
        .lines()
        .zip(actual.lines())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!(
            "{name} differs at line {}:\nexpected: {want:.400}\nactual:   {got:.400}\n(TRACUU_BLESS=1 rewrites it)",
            i + 1
        );
    }
    assert_eq!(
        expected.len(),
        actual.len(),
        "{name}: lengths differ (TRACUU_BLESS=1 rewrites it)"
    );
}

#[test]
fn the_documents_fixture_exports_as_the_golden_files_say() {
    let env = Env::with_files(&[]);
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/golden/docs");
    copy_dir(&docs, &env.path().join("seeds"));
    index(&env);
    let said = export(&env, &["--opensearch", "out", "--shards", "3"]);
    assert_contains(&said, "passages indexed, 0 deleted (full)");
    let out = env.path().join("out");
    let corpus = std::fs::canonicalize(env.path().join("seeds")).unwrap();
    let definition = std::fs::read_to_string(out.join("index.json"))
        .unwrap()
        .replace(corpus.to_str().unwrap(), "CORPUS");
    let def: Value = serde_json::from_str(&definition).unwrap();
    assert_eq!(def["settings"]["number_of_shards"], 3);
    assert_eq!(def["mappings"]["_meta"]["tracuu"]["corpus"], "CORPUS");
    assert_golden("index.json", &definition);
    let bulk = std::fs::read_to_string(out.join("bulk.ndjson")).unwrap();
    let docs = documents(&bulk);
    assert!(docs.len() > 10, "{} passages", docs.len());
    for (id, doc) in &docs {
        assert_eq!(
            *id,
            format!("{}:{}", doc["source"].as_str().unwrap(), doc["start"])
        );
        for field in [
            "folded", "exact", "source", "file", "text", "format", "offsets",
        ] {
            assert!(doc.get(field).is_some(), "{id} lacks {field}");
        }
    }
    assert_golden("bulk.ndjson", &bulk);
}

/// The documents an engine holds after the `_bulk` bodies `bodies`, applied in order to
/// `start`: by `_id`.
fn apply(mut start: BTreeMap<String, Value>, bodies: &[&str]) -> BTreeMap<String, Value> {
    for body in bodies {
        let mut lines = body.lines();
        while let Some(action) = lines.next() {
            let action: Value = serde_json::from_str(action).unwrap();
            if let Some(index) = action.get("index") {
                let doc = serde_json::from_str(lines.next().unwrap()).unwrap();
                start.insert(index["_id"].as_str().unwrap().to_string(), doc);
            } else {
                let id = action["delete"]["_id"].as_str().unwrap();
                start.remove(id);
            }
        }
    }
    start
}

fn documents(body: &str) -> BTreeMap<String, Value> {
    apply(BTreeMap::new(), &[body])
}

/// The actions of a `_bulk` body: (`index` or `delete`, `_id`).
fn actions(body: &str) -> Vec<(String, String)> {
    body.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter_map(|v| {
            let (kind, meta) = v.as_object()?.iter().next()?;
            let id = meta.get("_id")?.as_str()?.to_string();
            matches!(kind.as_str(), "index" | "delete").then(|| (kind.clone(), id))
        })
        .collect()
}

fn read(env: &Env, path: &str) -> String {
    std::fs::read_to_string(env.path().join(path)).unwrap()
}

#[test]
fn an_incremental_export_sends_only_what_changed_and_ends_as_a_full_one() {
    let para = |w: &str| format!("{w} một. {w} hai, ba.\n\n{w} bốn năm sáu. Hà Nội {w}.\n\n");
    let env = Env::with_files(&[
        ("a.txt", para("Alpha").repeat(3).into_bytes()),
        ("b.txt", para("Beta").repeat(3).into_bytes()),
        ("c.txt", para("Gamma").into_bytes()),
    ]);
    index(&env);
    export(&env, &["--opensearch", "out"]);
    let first = read(&env, "out/bulk.ndjson");
    // Nothing changed: nothing to send.
    index(&env);
    let said = export(&env, &["--opensearch", "out"]);
    assert_contains(&said, "0 passages indexed, 0 deleted (incremental)");
    assert_eq!(read(&env, "out/bulk.ndjson"), "");
    // b.txt shorter (its last passages go), c.txt removed, d.txt added.
    let seeds = env.path().join("seeds");
    std::fs::write(seeds.join("b.txt"), para("Beta").replace("bốn", "BỐN")).unwrap();
    std::fs::remove_file(seeds.join("c.txt")).unwrap();
    std::fs::write(seeds.join("d.txt"), para("Delta")).unwrap();
    index(&env);
    let said = export(&env, &["--opensearch", "out"]);
    assert_contains(&said, "(incremental)");
    let second = read(&env, "out/bulk.ndjson");
    let acts = actions(&second);
    let files = |kind: &str| {
        let mut f: Vec<String> = acts
            .iter()
            .filter(|(k, _)| k == kind)
            .map(|(_, id)| id.split(':').next().unwrap().to_string())
            .collect();
        f.dedup();
        f
    };
    assert_eq!(files("index"), ["b.txt", "d.txt"], "{second}");
    assert_eq!(files("delete"), ["b.txt", "c.txt"], "{second}");
    // Deletes come after the index actions, and never delete an _id written again.
    let written: Vec<&String> = acts
        .iter()
        .filter(|(k, _)| k == "index")
        .map(|(_, i)| i)
        .collect();
    assert!(acts
        .iter()
        .all(|(k, id)| k == "index" || !written.contains(&id)));
    // Applied to what the first export made, the engine holds what a full export makes.
    export(&env, &["--opensearch", "full", "--full"]);
    let full = documents(&read(&env, "full/bulk.ndjson"));
    assert_eq!(apply(documents(&first), &[&second]), full);
}

#[test]
fn another_analysis_version_is_refused_unless_full() {
    let env = Env::with_files(&[("a.txt", "Hà Nội.".as_bytes().to_vec())]);
    index(&env);
    export(&env, &["--opensearch", "out"]);
    let state_path = env.path().join("out/tracuu-export.json");
    let mut state: Value = serde_json::from_str(&read(&env, "out/tracuu-export.json")).unwrap();
    state["analysis"] = Value::from(999);
    std::fs::write(&state_path, state.to_string()).unwrap();
    let out = env.run(&["export", "--opensearch", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert_one_clean_error_line(&out);
    assert_contains(stderr(&out), "analysis version 999");
    assert_contains(stderr(&out), "--full into a new index");
    export(&env, &["--opensearch", "out", "--full"]);
}

#[test]
fn standard_output_gets_the_bulk_and_state_keeps_the_rest() {
    let env = Env::with_files(&[("a.txt", "Hà Nội, Sài Gòn.".as_bytes().to_vec())]);
    index(&env);
    let out = env.run(&["export", "--opensearch", "-", "-q"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stderr(&out), "");
    let body = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        actions(&body),
        [("index".to_string(), "a.txt:0".to_string())]
    );
    assert_contains(&body, "\"folded\":\"ha noi _ sai gon\"");
    let out = env.run(&["export", "--opensearch", "-", "--state", "st", "-q"]);
    assert!(out.status.success());
    assert!(env.path().join("st/index.json").is_file());
    let again = env.run(&["export", "--opensearch", "-", "--state", "st", "-q"]);
    assert_eq!(String::from_utf8(again.stdout).unwrap(), "");
    let bad = env.run(&["export", "--opensearch", "out", "--state", "st"]);
    assert_eq!(bad.status.code(), Some(2));
    assert_one_clean_error_line(&bad);
}

/// An engine that has no index yet and accepts everything, answering the first `_bulk` 429.
fn busy_once(request: &Request, _: usize, bulks: &Mutex<usize>) -> (u16, String) {
    match (request.method.as_str(), request.path.as_str()) {
        ("HEAD", "/docs") => (404, String::new()),
        ("POST", "/docs/_bulk") => {
            let mut n = bulks.lock().unwrap();
            *n += 1;
            if *n == 1 {
                (429, r#"{"error":{"type":"es_rejected_execution_exception","reason":"busy"},"status":429}"#.into())
            } else {
                (200, r#"{"took":1,"errors":false,"items":[]}"#.into())
            }
        }
        _ => (200, r#"{"acknowledged":true}"#.into()),
    }
}

/// An engine that keeps the `_meta` it is given and answers `_forcemerge` with `forcemerge`.
fn keeping_meta(request: &Request, meta: &Mutex<Option<Value>>, forcemerge: u16) -> (u16, String) {
    let ok = r#"{"acknowledged":true}"#.to_string();
    let mut kept = meta.lock().unwrap();
    match (request.method.as_str(), request.path.as_str()) {
        ("HEAD", "/docs") if kept.is_none() => (404, String::new()),
        ("PUT", "/docs/_mapping") => {
            let body: Value = serde_json::from_str(&request.body).unwrap();
            *kept = Some(body["_meta"].clone());
            (200, ok)
        }
        ("GET", "/docs/_mapping") => {
            let answer = json!({"docs": {"mappings": {"_meta": kept.clone()}}});
            (200, answer.to_string())
        }
        ("POST", "/docs/_bulk") => (200, r#"{"took":1,"errors":false,"items":[]}"#.into()),
        ("POST", p) if p.starts_with("/docs/_forcemerge") => (
            forcemerge,
            if forcemerge == 200 {
                ok
            } else {
                r#"{"error":{"type":"parsing_exception","reason":"not supported"},"status":400}"#
                    .into()
            },
        ),
        _ => (200, ok),
    }
}

#[test]
fn deleted_passages_are_expunged_after_an_incremental_export_or_a_warning_says_why_not() {
    for forcemerge in [200, 400] {
        let env = Env::with_files(&[
            ("a.txt", "Hà Nội, Sài Gòn.".as_bytes().to_vec()),
            ("b.txt", "Huế.".as_bytes().to_vec()),
        ]);
        index(&env);
        let meta = Mutex::new(None);
        let server = Server::start(move |r, _| keeping_meta(r, &meta, forcemerge));
        let url = server.url("127.0.0.1");
        let said = export(&env, &["--opensearch", &url]);
        assert_lacks(&said, "_forcemerge");
        std::fs::remove_file(env.path().join("seeds/b.txt")).unwrap();
        index(&env);
        let out = env.run(&["export", "--opensearch", &url]);
        assert!(out.status.success(), "{}", stderr(&out));
        let said = stderr(&out);
        assert_contains(&said, "0 passages indexed, 1 deleted (incremental)");
        let calls: Vec<String> = server
            .requests()
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect();
        let merges = calls.iter().filter(|c| c.contains("_forcemerge")).count();
        assert_eq!(merges, 1, "{calls:?}");
        assert!(calls.contains(&"POST /docs/_forcemerge?only_expunge_deletes=true".to_string()));
        if forcemerge == 200 {
            assert_eq!(said.lines().count(), 1, "{said}");
        } else {
            assert_contains(&said, "warning: the engine kept the deleted passages");
            assert_eq!(said.lines().count(), 2, "{said}");
        }
    }
}

#[test]
fn an_engine_gets_the_index_the_bulk_retried_after_429_and_the_credentials() {
    let env = Env::with_files(&[("a.txt", "Hà Nội, Sài Gòn.".as_bytes().to_vec())]);
    index(&env);
    let bulks = Mutex::new(0);
    let server = Server::start(move |r, n| busy_once(r, n, &bulks));
    let url = server
        .url("localhost")
        .replace("http://", "http://elastic:s%40cret@");
    let said = export(&env, &["--opensearch", &url]);
    assert_contains(&said, "(created)");
    assert_lacks_secret(&said);
    let requests = server.requests();
    let calls: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        calls,
        [
            "HEAD /docs",
            "PUT /docs",
            "POST /docs/_bulk",
            "POST /docs/_bulk",
            "POST /docs/_refresh",
            "PUT /docs/_mapping"
        ]
    );
    // Basic auth of elastic:s@cret.
    for r in &requests {
        assert!(
            r.headers
                .contains(&("authorization".into(), "Basic ZWxhc3RpYzpzQGNyZXQ=".into())),
            "{r:?}"
        );
    }
    let definition: Value = serde_json::from_str(&requests[1].body).unwrap();
    assert_eq!(definition["mappings"]["dynamic"], "strict");
    assert_eq!(
        actions(&requests[3].body),
        [("index".to_string(), "a.txt:0".to_string())]
    );
    let bulk = requests.iter().find(|r| r.path.ends_with("_bulk")).unwrap();
    assert!(bulk
        .headers
        .contains(&("content-type".into(), "application/x-ndjson".into())));
}

fn assert_lacks_secret(text: &str) {
    assert!(!text.contains("cret"), "a password printed: {text}");
}

#[test]
fn an_api_key_from_the_environment_is_sent() {
    let env = Env::with_files(&[("a.txt", "Hà Nội.".as_bytes().to_vec())]);
    index(&env);
    let bulks = Mutex::new(1);
    let server = Server::start(move |r, n| busy_once(r, n, &bulks));
    let out = env
        .command(&["export", "--opensearch", &server.url("127.0.0.1")])
        .env("TRACUU_ENGINE_API_KEY", "a2V5")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    for r in server.requests() {
        assert!(
            r.headers
                .contains(&("authorization".into(), "ApiKey a2V5".into())),
            "{r:?}"
        );
    }
}

#[test]
fn an_engine_error_or_no_engine_is_one_line_naming_the_address() {
    let env = Env::with_files(&[("a.txt", "Hà Nội.".as_bytes().to_vec())]);
    index(&env);
    let server = Server::start(|r, _| match r.method.as_str() {
        "HEAD" => (404, String::new()),
        _ => (
            500,
            r#"{"error":{"type":"illegal_state_exception","reason":"disk full"},"status":500}"#
                .into(),
        ),
    });
    let url = server.url("127.0.0.1");
    let out = env.run(&["export", "--opensearch", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert_one_clean_error_line(&out);
    assert_contains(stderr(&out), &url);
    assert_contains(stderr(&out), "500");
    assert_contains(stderr(&out), "disk full");
    // A port where nothing listens.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/docs");
    let out = env.run(&["export", "--opensearch", &url]);
    assert_eq!(out.status.code(), Some(2));
    assert_one_clean_error_line(&out);
    assert_contains(stderr(&out), &url);
    // A URL that names no index.
    let out = env.run(&["export", "--opensearch", "http://127.0.0.1:9200/"]);
    assert_eq!(out.status.code(), Some(2));
    assert_one_clean_error_line(&out);
}
