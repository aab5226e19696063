//! What an export asks of an engine index, over the engine's HTTP client
//! ([`crate::engine::client`], which owns the address, credentials, resolver, retries, timeouts
//! and error lines): create the index, read and set its mapping's `_meta`, send `_bulk` batches
//! and read their answers (an item answered 429 sends the batch again), refresh.

use std::time::Duration;

use serde_json::Value;

use crate::engine::client::{self, Address, Backoff, Body, Client, Credentials, Method};
use crate::error::{Error, Result};

/// How long one request of an export may take: a `_bulk` batch of several megabytes can keep
/// an engine busy well beyond a search's timeout.
const TIMEOUT: Duration = Duration::from_secs(120);

/// A client of the engine index at `url`, with the credentials of the environment.
pub fn client(url: &Address) -> Client {
    Client::at(url.clone(), &Credentials::from_env(), TIMEOUT)
}

/// Creates the index with `definition`.
pub fn create(client: &Client, definition: &Value) -> Result<()> {
    let body = serde_json::to_vec(definition).map_err(Error::Json)?;
    client.expect_ok(Method::PUT, "", Some(Body::Json(&body)))?;
    Ok(())
}

/// The index's mapping `_meta`, if it has one.
pub fn meta(client: &Client) -> Result<Option<Value>> {
    let mapping = client.get("_mapping")?;
    // `{"INDEX": {"mappings": {"_meta": …}}}`; an alias answers under the real name.
    Ok(mapping
        .as_object()
        .and_then(|o| o.values().next())
        .and_then(|i| i.pointer("/mappings/_meta"))
        .cloned())
}

/// Sets the index's mapping `_meta`.
pub fn set_meta(client: &Client, meta: &Value) -> Result<()> {
    let body = serde_json::to_vec(&serde_json::json!({ "_meta": meta })).map_err(Error::Json)?;
    client.expect_ok(Method::PUT, "/_mapping", Some(Body::Json(&body)))?;
    Ok(())
}

/// Sends one `_bulk` body; an item the engine refused is an error naming it, an item it
/// answered 429 sends the whole body again after a [`Backoff`] (every action is by `_id`, so
/// sending it again is harmless).
pub fn bulk(client: &Client, ndjson: &[u8]) -> Result<()> {
    let mut backoff = Backoff::default();
    loop {
        let answer = client.expect_ok(Method::POST, "/_bulk", Some(Body::Ndjson(ndjson)))?;
        match bulk_failure(&answer.body) {
            None => return Ok(()),
            Some(Failure::Busy) if backoff.pause(None) => {}
            Some(Failure::Busy) => {
                return Err(client.failed("stayed too busy for _bulk (429)"));
            }
            Some(Failure::Item(reason)) => {
                return Err(client.failed(&format!("refused a document of _bulk: {reason}")));
            }
        }
    }
}

/// Drops deleted passages from the engine's statistics: Lucene counts a deleted document in its
/// term statistics until its segment merges, so after an incremental export scores would drift
/// from those of a full export (near-ties swap). `None` when done, else the engine's refusal on
/// one line (not an error: the export itself succeeded).
pub fn expunge_deletes(client: &Client) -> Result<Option<String>> {
    let answer = client.send(Method::POST, "/_forcemerge?only_expunge_deletes=true", None)?;
    if (200..300).contains(&answer.status) {
        return Ok(None);
    }
    let why: String = answer.body.split_whitespace().collect::<Vec<_>>().join(" ");
    let why: String = why.chars().take(200).collect();
    Ok(Some(format!("answered {}: {why}", answer.status)))
}

/// Makes what was sent visible to searches.
pub fn refresh(client: &Client) -> Result<()> {
    client.expect_ok(Method::POST, "/_refresh", None)?;
    Ok(())
}

/// Why a `_bulk` answer with `"errors": true` failed.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// Some item was answered 429 and none failed otherwise.
    Busy,
    /// An item failed: its `_id` and the reason.
    Item(String),
}

/// The failure a `_bulk` answer tells, if any (a `delete` of a missing document is none).
fn bulk_failure(body: &str) -> Option<Failure> {
    let value: Value = serde_json::from_str(body).ok()?;
    if value["errors"] != Value::Bool(true) {
        return None;
    }
    let mut busy = false;
    for item in value["items"].as_array()?.iter() {
        let Some((_, result)) = item.as_object().and_then(|o| o.iter().next()) else {
            continue;
        };
        match result["status"].as_u64() {
            Some(429) => busy = true,
            Some(s) if s >= 300 && !(s == 404 && result["result"] == "not_found") => {
                let id = result["_id"].as_str().unwrap_or("?");
                let reason = client::reason(&result["error"]);
                return Some(Failure::Item(format!("{id}: {reason}")));
            }
            _ => {}
        }
    }
    busy.then_some(Failure::Busy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_answers_are_read() {
        assert_eq!(bulk_failure(r#"{"errors":false,"items":[]}"#), None);
        let missing = r#"{"errors":true,"items":[{"delete":{"_id":"a:0","status":404,"result":"not_found"}}]}"#;
        assert_eq!(bulk_failure(missing), None);
        let busy = r#"{"errors":true,"items":[{"index":{"_id":"a:0","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}}]}"#;
        assert_eq!(bulk_failure(busy), Some(Failure::Busy));
        let bad = r#"{"errors":true,"items":[{"index":{"_id":"a:0","status":400,"error":{"type":"strict_dynamic_mapping_exception","reason":"no x"}}}]}"#;
        assert_eq!(
            bulk_failure(bad),
            Some(Failure::Item(
                "a:0: strict_dynamic_mapping_exception: no x".into()
            ))
        );
        let deleted_and_busy = r#"{"errors":true,"items":[{"delete":{"_id":"a:1","status":404,"result":"not_found"}},{"index":{"_id":"a:0","status":429}}]}"#;
        assert_eq!(bulk_failure(deleted_and_busy), Some(Failure::Busy));
    }
}
