//! Talking to an engine (OpenSearch or Elasticsearch) over HTTP: its address parsed from the
//! URL the user gives (`http(s)://[user:password@]host:port/INDEX`), credentials (basic auth
//! from the URL or `TRACUU_ENGINE_USER`/`TRACUU_ENGINE_PASSWORD`, an API key from
//! `TRACUU_ENGINE_API_KEY`), and the few requests an export makes. A 429 is retried with
//! backoff; an engine that cannot be reached, times out or answers 4xx/5xx is one error naming
//! the address. ureq: blocking, no async runtime; host names resolved by [`super::hosts`].

use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;
use ureq::http::{Method, Request};

use super::hosts::HostsResolver;
use crate::error::{Error, Result};

/// How long one request may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(120);
/// How long a connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Tries of a request the engine answers 429 (too many requests).
const TRIES: u32 = 8;
/// The first wait after a 429; each next one doubles.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// The most an engine's answer may hold.
const MAX_ANSWER: u64 = 256 << 20;

/// An engine index named by a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineUrl {
    /// `scheme://host[:port]`, without credentials.
    pub base: String,
    /// The index name.
    pub index: String,
    /// User and password given in the URL.
    pub user: Option<(String, String)>,
}

impl EngineUrl {
    /// Parses `http(s)://[user[:password]@]host[:port]/INDEX`.
    pub fn parse(url: &str) -> Result<EngineUrl> {
        let bad = |why: &str| {
            Error::Usage(format!(
                "{url} is not an engine index URL ({why}); give one like http://127.0.0.1:9200/docs"
            ))
        };
        let (scheme, rest) = url.split_once("://").ok_or_else(|| bad("no http://"))?;
        if !matches!(scheme, "http" | "https") {
            return Err(bad("the scheme must be http or https"));
        }
        let (authority, path) = rest.split_once('/').ok_or_else(|| bad("no index name"))?;
        let index = path.trim_end_matches('/');
        if index.is_empty() || index.contains(['/', '?', '#']) {
            return Err(bad("the path must be the index name alone"));
        }
        let (user, host) = match authority.rsplit_once('@') {
            Some((userinfo, host)) => {
                let (u, p) = userinfo.split_once(':').unwrap_or((userinfo, ""));
                (Some((percent_decode(u), percent_decode(p))), host)
            }
            None => (None, authority),
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        Ok(EngineUrl {
            base: format!("{scheme}://{host}"),
            index: index.to_string(),
            user,
        })
    }

    /// The URL for people: without credentials.
    pub fn display(&self) -> String {
        format!("{}/{}", self.base, self.index)
    }
}

/// `%XX` escapes of a URL's user or password decoded.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of the `Authorization` header: an API key from the environment, else basic auth
/// from the URL, else from the environment; `None` without credentials.
pub fn authorization(url: &EngineUrl, env: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    if let Some(key) = env("TRACUU_ENGINE_API_KEY").filter(|k| !k.is_empty()) {
        return Some(format!("ApiKey {key}"));
    }
    let (user, password) = match &url.user {
        Some(pair) => pair.clone(),
        None => (
            env("TRACUU_ENGINE_USER").filter(|u| !u.is_empty())?,
            env("TRACUU_ENGINE_PASSWORD").unwrap_or_default(),
        ),
    };
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    Some(format!("Basic {token}"))
}

/// An answer: its status and body.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// A client of one engine index.
pub struct Client {
    agent: ureq::Agent,
    url: EngineUrl,
    auth: Option<String>,
}

impl Client {
    /// A client of `url`, with credentials from it or the environment.
    pub fn new(url: EngineUrl) -> Client {
        let auth = authorization(&url, &|name| std::env::var(name).ok());
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(TIMEOUT))
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .user_agent(concat!("tracuu/", env!("CARGO_PKG_VERSION")))
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            HostsResolver::default(),
        );
        Client { agent, url, auth }
    }

    /// The index URL, for messages.
    pub fn address(&self) -> String {
        self.url.display()
    }

    /// Sends `method path` (path relative to the index, `""` for the index itself) with an
    /// optional JSON or NDJSON body; retries 429. Fails on no answer; any status is returned.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        body: Option<(&[u8], &str)>,
    ) -> Result<Answer> {
        let uri = format!("{}/{}{path}", self.url.base, self.url.index);
        let mut wait = FIRST_BACKOFF;
        for attempt in 1..=TRIES {
            let answer = self.once(&method, &uri, body)?;
            if answer.status != 429 || attempt == TRIES {
                return Ok(answer);
            }
            std::thread::sleep(wait);
            wait *= 2;
        }
        unreachable!("the last try returns")
    }

    fn once(&self, method: &Method, uri: &str, body: Option<(&[u8], &str)>) -> Result<Answer> {
        let mut request = Request::builder().method(method.clone()).uri(uri);
        if let Some(auth) = &self.auth {
            request = request.header("Authorization", auth);
        }
        let unreachable =
            |e: ureq::Error| Error::Engine(format!("{}: {}", self.address(), describe(&e)));
        let built = |r: std::result::Result<_, ureq::http::Error>| {
            r.map_err(|e| Error::Usage(format!("{}: {e}", self.address())))
        };
        let response = match body {
            Some((bytes, content_type)) => {
                let request = request.header("Content-Type", content_type).body(bytes);
                self.agent.run(built(request)?)
            }
            None => self.agent.run(
                request
                    .body(())
                    .map_err(|e| Error::Usage(format!("{}: {e}", self.address())))?,
            ),
        }
        .map_err(unreachable)?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_string()
            .map_err(unreachable)?;
        Ok(Answer { status, body })
    }

    /// [`request`](Self::request), where an answer other than 2xx is an error naming the
    /// address and what the engine said.
    pub fn expect_ok(
        &self,
        method: Method,
        path: &str,
        body: Option<(&[u8], &str)>,
    ) -> Result<Answer> {
        let answer = self.request(method.clone(), path, body)?;
        if (200..300).contains(&answer.status) {
            return Ok(answer);
        }
        Err(self.refused(&method, path, &answer))
    }

    /// The error of an answer `answer` to `method path` that is not a success.
    pub fn refused(&self, method: &Method, path: &str, answer: &Answer) -> Error {
        Error::Engine(format!(
            "{}: {method} {}{path} answered {}: {}",
            self.address(),
            self.url.index,
            answer.status,
            reason_of(&answer.body)
        ))
    }

    /// Whether the index exists.
    pub fn exists(&self) -> Result<bool> {
        let answer = self.request(Method::HEAD, "", None)?;
        match answer.status {
            200..=299 => Ok(true),
            404 => Ok(false),
            _ => Err(self.refused(&Method::HEAD, "", &answer)),
        }
    }

    /// Creates the index with `definition`.
    pub fn create(&self, definition: &Value) -> Result<()> {
        let body = serde_json::to_vec(definition).map_err(Error::Json)?;
        self.expect_ok(Method::PUT, "", Some((&body, JSON)))?;
        Ok(())
    }

    /// The index's mapping `_meta`, if it has one.
    pub fn meta(&self) -> Result<Option<Value>> {
        let answer = self.expect_ok(Method::GET, "/_mapping", None)?;
        let value: Value = serde_json::from_str(&answer.body).map_err(Error::Json)?;
        // `{"INDEX": {"mappings": {"_meta": …}}}`; an alias answers under the real name.
        Ok(value
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(|i| i.pointer("/mappings/_meta"))
            .cloned())
    }

    /// Sets the index's mapping `_meta`.
    pub fn set_meta(&self, meta: &Value) -> Result<()> {
        let body =
            serde_json::to_vec(&serde_json::json!({ "_meta": meta })).map_err(Error::Json)?;
        self.expect_ok(Method::PUT, "/_mapping", Some((&body, JSON)))?;
        Ok(())
    }

    /// Sends one `_bulk` body; an item the engine refused is an error naming it, an item it
    /// answered 429 retries the whole body (every action is by `_id`, so sending it again is
    /// harmless).
    pub fn bulk(&self, ndjson: &[u8]) -> Result<()> {
        let mut wait = FIRST_BACKOFF;
        for attempt in 1..=TRIES {
            let answer = self.expect_ok(Method::POST, "/_bulk", Some((ndjson, NDJSON)))?;
            match bulk_failure(&answer.body) {
                None => return Ok(()),
                Some(Failure::Busy) if attempt < TRIES => {
                    std::thread::sleep(wait);
                    wait *= 2;
                }
                Some(Failure::Busy) => {
                    return Err(self.bulk_error("the engine stayed too busy (429)".into()))
                }
                Some(Failure::Item(reason)) => return Err(self.bulk_error(reason)),
            }
        }
        unreachable!("the last try returns")
    }

    fn bulk_error(&self, reason: String) -> Error {
        Error::Engine(format!(
            "{}: _bulk refused a document: {reason}",
            self.address()
        ))
    }

    /// Makes what was sent visible to searches.
    pub fn refresh(&self) -> Result<()> {
        self.expect_ok(Method::POST, "/_refresh", None)?;
        Ok(())
    }
}

const JSON: &str = "application/json";
const NDJSON: &str = "application/x-ndjson";

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
                return Some(Failure::Item(format!(
                    "{id}: {}",
                    reason_in(&result["error"])
                )));
            }
            _ => {}
        }
    }
    busy.then_some(Failure::Busy)
}

/// The reason in an engine's error object (`{"type", "reason"}`), or the text itself.
fn reason_in(error: &Value) -> String {
    match (error["type"].as_str(), error["reason"].as_str()) {
        (Some(t), Some(r)) => format!("{t}: {r}"),
        (None, Some(r)) => r.to_string(),
        _ => one_line(&error.to_string()),
    }
}

/// What an engine's error answer says, on one line.
fn reason_of(body: &str) -> String {
    match serde_json::from_str::<Value>(body) {
        Ok(v) if v.get("error").is_some() => reason_in(&v["error"]),
        _ if body.trim().is_empty() => "no details".into(),
        _ => one_line(body),
    }
}

/// `s` on one line, cut to 300 characters.
fn one_line(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// A ureq error for people: what went wrong reaching the engine.
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "the engine did not answer in time".into(),
        ureq::Error::HostNotFound => "the host name does not resolve".into(),
        ureq::Error::ConnectionFailed => "cannot connect".into(),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "cannot connect: connection refused (is the engine running?)".into()
        }
        other => format!("cannot reach the engine: {}", one_line(&other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_with_and_without_credentials() {
        let u = EngineUrl::parse("http://127.0.0.1:9200/docs").unwrap();
        assert_eq!(
            (u.base.as_str(), u.index.as_str(), u.user),
            ("http://127.0.0.1:9200", "docs", None)
        );
        let u = EngineUrl::parse("https://el%40stic:p%3Aw@search.example:443/lib/").unwrap();
        assert_eq!(u.user, Some(("el@stic".into(), "p:w".into())));
        assert_eq!(u.display(), "https://search.example:443/lib");
        for bad in [
            "127.0.0.1:9200/docs",
            "ftp://h/docs",
            "http://h:1",
            "http://h:1/",
            "http://h/a/b",
        ] {
            assert!(EngineUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn credentials_come_from_the_url_or_the_environment() {
        let url = EngineUrl::parse("http://u:p@h:1/i").unwrap();
        let none = |_: &str| None;
        assert_eq!(authorization(&url, &none).unwrap(), "Basic dTpw");
        let key = |n: &str| (n == "TRACUU_ENGINE_API_KEY").then(|| "K".to_string());
        assert_eq!(authorization(&url, &key).unwrap(), "ApiKey K");
        let plain = EngineUrl::parse("http://h:1/i").unwrap();
        assert_eq!(authorization(&plain, &none), None);
        let env = |n: &str| match n {
            "TRACUU_ENGINE_USER" => Some("elastic".to_string()),
            "TRACUU_ENGINE_PASSWORD" => Some("secret".to_string()),
            _ => None,
        };
        assert_eq!(
            authorization(&plain, &env).unwrap(),
            "Basic ZWxhc3RpYzpzZWNyZXQ="
        );
    }

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
    }
}
