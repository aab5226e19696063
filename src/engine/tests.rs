//! Tests of the engine hand-off without an engine: the request bodies of every query of
//! `tests/data/queries.tsv` against golden files (`tests/data/golden/engine/`, rewritten with
//! `TRACUU_BLESS=1`), and the HTTP client against a small server in the test answering canned
//! responses (errors, a 429 retried, the credentials sent, HEAD and NDJSON bodies, nothing
//! listening, no answer).

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};

use super::client::{Body, Client, Credentials, Method};
use super::translate::{self, Dictionary, COMPOUND, EXACT, FOLDED};
use super::{body, requests, SEARCH_PARAMS};
use crate::error::{Error, Result};
use crate::search::query;
use crate::search::SearchOptions;
use crate::text::Analysis;

/// The words of the seeds, as a dictionary: what an engine holding them would answer.
struct Seeds {
    words: [HashMap<String, u64>; 3],
}

impl Seeds {
    fn load() -> Seeds {
        let mut words: [HashMap<String, u64>; 3] = Default::default();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut a = Analysis::default();
        for f in files {
            let text = String::from_utf8_lossy(&std::fs::read(f).unwrap()).into_owned();
            a.run(&text);
            for (i, list) in [&a.folded, &a.exact, &a.compounds].into_iter().enumerate() {
                let distinct: HashSet<&str> =
                    list.as_slice().iter().map(|t| t.text.as_str()).collect();
                for w in distinct {
                    *words[i].entry(w.to_string()).or_default() += 1;
                }
            }
        }
        Seeds { words }
    }
}

impl Dictionary for Seeds {
    fn doc_freq(&mut self, field: &str, term: &str) -> Result<u64> {
        let i = [FOLDED, EXACT, COMPOUND]
            .iter()
            .position(|f| *f == field)
            .unwrap();
        Ok(self.words[i].get(term).copied().unwrap_or(0))
    }

    fn prefix_terms(&mut self, prefix: &str) -> Result<Vec<String>> {
        let mut found: Vec<(u64, &String)> = self.words[0]
            .iter()
            .filter(|(w, _)| w.starts_with(prefix))
            .map(|(w, &n)| (n, w))
            .collect();
        found.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        Ok(found.into_iter().take(64).map(|(_, w)| w.clone()).collect())
    }
}

/// What `tracuu search QUERY` sends for a first page of 10.
fn sent(dict: &mut Seeds, q: &str) -> Value {
    let ast = query::parse(q).unwrap();
    let r = requests(dict, &ast, &SearchOptions::default()).unwrap();
    let mut tiers = Vec::new();
    if let Some(t) = &r.exact {
        tiers.push(json!({"tier": "exact spelling", "params": SEARCH_PARAMS, "body": body(t, 20)}));
    }
    tiers.push(json!({"tier": if r.exact.is_some() { "the rest" } else { "all" }, "params": SEARCH_PARAMS, "body": body(&r.rest, 20)}));
    json!({
        "query": q,
        "description": r.text,
        "requests": tiers,
        "highlighted": translate::highlight_words(&r.plan.terms),
    })
}

#[test]
fn the_requests_of_every_relevance_query_match_their_golden_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let golden = root.join("tests/data/golden/engine");
    let bless = std::env::var_os("TRACUU_BLESS").is_some();
    let mut dict = Seeds::load();
    let set = std::fs::read_to_string(root.join("tests/data/queries.tsv")).unwrap();
    let mut checked = 0;
    for line in set.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 3 || cols[0] == "id" {
            continue;
        }
        let got = serde_json::to_string_pretty(&sent(&mut dict, cols[2])).unwrap() + "\n";
        let file = golden.join(format!("{}.json", cols[0]));
        if bless {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(&file, &got).unwrap();
        } else {
            let want = std::fs::read_to_string(&file)
                .unwrap_or_else(|_| panic!("{} is missing: TRACUU_BLESS=1", file.display()));
            assert_eq!(got, want, "{} (TRACUU_BLESS=1 rewrites it)", file.display());
        }
        checked += 1;
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn phrases_keep_tracuus_gaps_and_ties_go_to_the_rescore() {
    let mut dict = Seeds::load();
    let v = sent(&mut dict, "\"Hà Đông, Thành phố\" Cam Ranh");
    let text = v.to_string();
    assert!(
        text.contains(r#""match_phrase":{"exact":"hà đông _ thành phố"}"#),
        "{text}"
    );
    assert!(
        text.contains(r#""match_phrase":{"folded":"cam ranh"}"#),
        "{text}"
    );
    assert!(text.contains(r#""window_size":100"#), "{text}");
    let source = translate::source_filter("004*").unwrap().to_string();
    assert!(
        source.contains(r#"{"prefix":{"source":"004"}}"#),
        "{source}"
    );
    let contains = translate::source_filter("notes").unwrap().to_string();
    assert!(
        contains.contains(r#"{"wildcard":{"source":"*notes*"}}"#),
        "{contains}"
    );
}

/// A server answering each connection with the next of `answers` (status, body), recording
/// each request (head and body) it read.
fn canned(answers: Vec<(u16, &'static str)>) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for (status, body) in answers {
            let Ok((stream, _)) = listener.accept() else {
                return;
            };
            let mut reader = BufReader::new(stream);
            let mut head = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut content = vec![0; length];
            let _ = reader.read_exact(&mut content);
            log.lock()
                .unwrap()
                .push(head + &String::from_utf8_lossy(&content));
            let mut stream = reader.into_inner();
            if status == 0 {
                // No answer: hold the connection open past the client's timeout.
                std::thread::sleep(Duration::from_secs(3));
                continue;
            }
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (format!("127.0.0.1:{port}"), seen)
}

fn client(url: &str, credentials: &Credentials) -> Client {
    Client::new(url, credentials, Duration::from_millis(800)).unwrap()
}

#[test]
fn a_429_is_retried_and_the_answer_read() {
    let (addr, seen) = canned(vec![
        (429, r#"{"error":"too many"}"#),
        (200, r#"{"hits":{"hits":[]}}"#),
    ]);
    let c = client(&format!("http://{addr}/docs"), &Credentials::default());
    let answer = c.search(SEARCH_PARAMS, &json!({"size": 1})).unwrap();
    assert_eq!(answer, json!({"hits": {"hits": []}}));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen[1].starts_with("POST /docs/_search?search_type=dfs_query_then_fetch HTTP/1.1"));
    assert!(seen[1].ends_with(r#"{"size":1}"#), "{}", seen[1]);
}

#[test]
fn credentials_are_sent_from_the_address_or_the_environment() {
    let (addr, seen) = canned(vec![(200, "{}"), (200, "{}"), (200, "{}")]);
    client(
        &format!("http://elastic:s%3Acret@{addr}/docs"),
        &Credentials::default(),
    )
    .get("_mapping")
    .unwrap();
    let key = Credentials {
        api_key: Some("a2V5".into()),
        user: Some("ignored".into()),
        ..Credentials::default()
    };
    client(&format!("http://{addr}/docs"), &key)
        .get("_mapping")
        .unwrap();
    let user = Credentials {
        user: Some("u".into()),
        password: Some("p".into()),
        ..Credentials::default()
    };
    client(&format!("http://{addr}/docs"), &user)
        .get("_mapping")
        .unwrap();
    let seen = seen.lock().unwrap();
    let auth = |i: usize| {
        seen[i]
            .lines()
            .find_map(|l| {
                l.strip_prefix("authorization: ")
                    .or(l.strip_prefix("Authorization: "))
            })
            .map(str::to_string)
    };
    // "elastic:s:cret", "u:p" in base64.
    assert_eq!(auth(0).as_deref(), Some("Basic ZWxhc3RpYzpzOmNyZXQ="));
    assert_eq!(auth(1).as_deref(), Some("ApiKey a2V5"));
    assert_eq!(auth(2).as_deref(), Some("Basic dTpw"));
}

#[test]
fn head_tells_whether_the_index_exists_and_any_status_can_be_read() {
    let (addr, seen) = canned(vec![
        (200, ""),
        (404, ""),
        (200, r#"{"errors":false}"#),
        (409, r#"{"error":{"type":"conflict","reason":"exists"}}"#),
    ]);
    let c = client(&format!("http://{addr}/docs"), &Credentials::default());
    assert!(c.exists().unwrap());
    assert!(!c.exists().unwrap());
    let answer = c
        .expect_ok(Method::POST, "/_bulk", Some(Body::Ndjson(b"{}\n{}\n")))
        .unwrap();
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"errors":false}"#)
    );
    let answer = c.send(Method::PUT, "", Some(Body::Json(b"{}"))).unwrap();
    assert_eq!(answer.status, 409, "a status is the caller's to judge");
    let seen = seen.lock().unwrap();
    let has = |i: usize, start: &str, within: &str| {
        let r = seen[i].to_ascii_lowercase();
        assert!(r.starts_with(start) && r.contains(within), "{r}");
    };
    has(0, "head /docs http/1.1", "user-agent: tracuu/");
    has(
        2,
        "post /docs/_bulk http/1.1",
        "content-type: application/x-ndjson",
    );
    assert!(seen[2].ends_with("{}\n{}\n"), "{}", seen[2]);
    has(3, "put /docs http/1.1", "content-type: application/json");
}

fn message(e: Error) -> String {
    assert!(matches!(e, Error::Engine(_)), "{e:?}");
    let m = e.to_string();
    assert!(!m.contains('\n'), "{m}");
    m
}

#[test]
fn errors_name_the_address_and_the_engines_reason_on_one_line() {
    let (addr, _) = canned(vec![
        (
            404,
            r#"{"error":{"type":"index_not_found_exception","reason":"no such index [docs]"},"status":404}"#,
        ),
        (
            401,
            r#"{"error":{"type":"security_exception","reason":"missing authentication"}}"#,
        ),
        (0, ""),
    ]);
    let c = client(
        &format!("http://user:hidden@{addr}/docs"),
        &Credentials::default(),
    );
    let m = message(c.get("_mapping").unwrap_err());
    assert_eq!(
        m,
        format!("the engine at http://{addr}/docs answered 404 (index_not_found_exception: no such index [docs]); check the index name, or export the corpus to it first")
    );
    let m = message(c.get("_mapping").unwrap_err());
    assert!(
        m.contains("401") && m.contains("TRACUU_ENGINE_API_KEY"),
        "{m}"
    );
    let m = message(c.get("_mapping").unwrap_err());
    assert!(m.contains("did not answer within"), "{m}");
    assert!(!m.contains("hidden"), "{m}");
}

#[test]
fn an_address_where_nothing_listens_is_one_line_naming_it() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for host in ["127.0.0.1", "localhost"] {
        let url = format!("http://{host}:{port}/docs");
        let m = message(
            client(&url, &Credentials::default())
                .get("_mapping")
                .unwrap_err(),
        );
        assert!(
            m.starts_with(&format!("the engine at {url} cannot be reached")),
            "{m}"
        );
    }
}
