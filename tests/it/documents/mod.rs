//! Real documents, built here, indexed and searched through the binary, every offset checked
//! against the original bytes: text formats and encodings, containers (PDF, DOCX, ODT, EPUB,
//! compressed), and the files that are skipped.

mod archives;
mod containers;
mod doc;
mod fonts;
mod make;
mod office;
mod rtf;
mod skips;
mod text;

use crate::util::{assert_offsets, stderr, stdout, Env, JsonHit};

/// Hits of `query` with `extra` flags, each one's offsets checked.
fn search(env: &Env, query: &str, extra: &[&str]) -> Vec<JsonHit> {
    let (hits, out) = env.search(query, extra);
    assert!(out.status.code() != Some(2), "{}", stderr(&out));
    for hit in &hits {
        assert_offsets(env.path(), hit);
    }
    hits
}

/// Hits of `query`, each one's offsets checked, and `tracuu show` of each exactly its text.
fn search_and_show(env: &Env, query: &str) -> Vec<JsonHit> {
    let hits = search(env, query, &[]);
    for hit in &hits {
        let (start, end) = (hit.start.to_string(), hit.end.to_string());
        let shown = env.run(&["show", &hit.source, &start, &end]);
        assert!(shown.status.success(), "{}", stderr(&shown));
        assert_eq!(
            stdout(&shown),
            hit.text,
            "show of {} {start} {end}",
            hit.source
        );
    }
    hits
}

/// The one hit of `query` (checked as [`search_and_show`] does), of `format` with `offsets`.
fn one_hit(env: &Env, query: &str, format: &str, offsets: &str) -> JsonHit {
    let mut hits = search_and_show(env, query);
    assert_eq!(hits.len(), 1, "{query}: {hits:?}");
    let hit = hits.remove(0);
    assert_eq!(
        (hit.format.as_str(), hit.offsets.as_str()),
        (format, offsets),
        "{query}"
    );
    hit
}
