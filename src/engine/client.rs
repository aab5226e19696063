//! The one HTTP client of an engine (OpenSearch or Elasticsearch), for `search --engine` and
//! `export --opensearch` alike: the address a user gives
//! (`http(s)://[user:password@]host:port/INDEX`), credentials (basic auth from the address or
//! `TRACUU_ENGINE_USER`/`TRACUU_ENGINE_PASSWORD`, an API key from `TRACUU_ENGINE_API_KEY`),
//! requests with a JSON or NDJSON body, a 429 retried after a backoff ([`Backoff`]), and every
//! failure as one line naming the address.
//!
//! Blocking (ureq), with TLS through rustls; host names resolve through [`super::resolve`],
//! never glibc's `getaddrinfo`. Proxies are not used: the engine is reached directly.

use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;
pub use ureq::http::Method;
use ureq::http::Request;

use super::resolve::HostsThenDns;
use crate::error::{Error, Result};

/// How long a request may take, connection included, unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How long making the connection may take (or the whole timeout, if shorter).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How many times a request answered 429 (too many requests) is sent again.
const RETRIES: u32 = 5;
/// The wait before the first retry; each next one waits twice as long.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// The longest wait an engine's `Retry-After` gets.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);
/// The largest answer read, in bytes.
const MAX_ANSWER: u64 = 512 << 20;

/// An engine index as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// `http(s)://host:port`, without credentials or path.
    pub base: String,
    /// The index name.
    pub index: String,
    /// User and password given in the address.
    pub userinfo: Option<(String, String)>,
}

impl Address {
    /// Reads `http(s)://[user[:password]@]host[:port]/INDEX`.
    pub fn parse(url: &str) -> Result<Address> {
        let bad = |why: &str| {
            Error::Usage(format!(
                "bad engine address `{}`: {why}; give it as http://host:port/INDEX, e.g. http://127.0.0.1:9200/docs",
                redact(url)
            ))
        };
        let (scheme, rest) = url
            .split_once("://")
            .filter(|(s, _)| matches!(*s, "http" | "https"))
            .ok_or_else(|| bad("it must start with http:// or https://"))?;
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        if host.is_empty() {
            return Err(bad("it names no host"));
        }
        let index = path.trim_end_matches('/');
        if index.is_empty() || index.contains(['/', '?', '#', '*', ',', ' ']) {
            return Err(bad("it must end with the index name, one path segment"));
        }
        let userinfo = userinfo.map(|u| {
            let (user, password) = u.split_once(':').unwrap_or((u, ""));
            (percent_decode(user), percent_decode(password))
        });
        Ok(Address {
            base: format!("{scheme}://{host}"),
            index: index.to_string(),
            userinfo,
        })
    }

    /// The address for messages: without credentials.
    pub fn shown(&self) -> String {
        format!("{}/{}", self.base, self.index)
    }
}

/// `url` with any password replaced by `***`.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***@{}", &url[..s + 3], &url[at + 1..]),
        _ => url.to_string(),
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where the credentials come from: the environment, read once by the caller.
#[derive(Clone, Debug, Default)]
pub struct Credentials {
    /// `TRACUU_ENGINE_USER`.
    pub user: Option<String>,
    /// `TRACUU_ENGINE_PASSWORD`.
    pub password: Option<String>,
    /// `TRACUU_ENGINE_API_KEY` (sent as `Authorization: ApiKey …`).
    pub api_key: Option<String>,
}

impl Credentials {
    /// The credentials the environment gives.
    pub fn from_env() -> Credentials {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
        Credentials {
            user: var("TRACUU_ENGINE_USER"),
            password: var("TRACUU_ENGINE_PASSWORD"),
            api_key: var("TRACUU_ENGINE_API_KEY"),
        }
    }
}

/// The `Authorization` header for `address`: an API key first, else basic auth with the user of
/// the address, else with the user of `credentials`; `None` without any.
pub fn authorization(address: &Address, credentials: &Credentials) -> Option<String> {
    let basic = |user: &str, password: &str| {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        format!("Basic {token}")
    };
    match (&credentials.api_key, &address.userinfo, &credentials.user) {
        (Some(key), _, _) => Some(format!("ApiKey {key}")),
        (None, Some((user, password)), _) => Some(basic(user, password)),
        (None, None, Some(user)) => {
            Some(basic(user, credentials.password.as_deref().unwrap_or("")))
        }
        (None, None, None) => None,
    }
}

/// The body of a request.
#[derive(Clone, Copy, Debug)]
pub enum Body<'a> {
    /// A JSON document (`application/json`).
    Json(&'a [u8]),
    /// Newline-delimited JSON, as `_bulk` takes it (`application/x-ndjson`).
    Ndjson(&'a [u8]),
}

impl<'a> Body<'a> {
    fn parts(self) -> (&'a [u8], &'static str) {
        match self {
            Body::Json(b) => (b, "application/json"),
            Body::Ndjson(b) => (b, "application/x-ndjson"),
        }
    }
}

/// An engine's answer: its status and body.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body, as text.
    pub body: String,
}

/// The waits between the tries of a request the engine answered 429 (too many requests): from
/// [`FIRST_BACKOFF`], twice as long each time, or what the engine's `Retry-After` asks (up to
/// [`MAX_RETRY_AFTER`]), [`RETRIES`] times.
#[derive(Clone, Debug)]
pub struct Backoff {
    left: u32,
    wait: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            left: RETRIES,
            wait: FIRST_BACKOFF,
        }
    }
}

impl Backoff {
    /// The wait before the next try, `asked` (a `Retry-After`) if given; `None` when the
    /// retries are spent.
    pub fn next(&mut self, asked: Option<Duration>) -> Option<Duration> {
        self.left = self.left.checked_sub(1)?;
        let wait = asked.map_or(self.wait, |a| a.min(MAX_RETRY_AFTER));
        self.wait *= 2;
        Some(wait)
    }

    /// Sleeps before the next try and says so; `false` when the retries are spent.
    pub fn pause(&mut self, asked: Option<Duration>) -> bool {
        self.next(asked).map(std::thread::sleep).is_some()
    }
}

/// A connection to one engine index.
pub struct Client {
    agent: ureq::Agent,
    address: Address,
    authorization: Option<String>,
    timeout: Duration,
}

impl Client {
    /// A client of the index at `url`, with `credentials` (an API key wins over a user), each
    /// request given `timeout`.
    pub fn new(url: &str, credentials: &Credentials, timeout: Duration) -> Result<Client> {
        Ok(Client::at(Address::parse(url)?, credentials, timeout))
    }

    /// [`Client::new`] of an address already read.
    pub fn at(address: Address, credentials: &Credentials, timeout: Duration) -> Client {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(timeout.min(CONNECT_TIMEOUT)))
            .user_agent(concat!("tracuu/", env!("CARGO_PKG_VERSION")))
            .proxy(None)
            .max_redirects(0)
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::new(),
            HostsThenDns,
        );
        Client {
            agent,
            authorization: authorization(&address, credentials),
            address,
            timeout,
        }
    }

    /// The index's address, for messages.
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// `POST /INDEX/_search?QUERY` with `body`.
    pub fn search(&self, query: &str, body: &Value) -> Result<Value> {
        let sep = if query.is_empty() { "" } else { "?" };
        self.request(Method::POST, &format!("/_search{sep}{query}"), Some(body))
    }

    /// `GET /INDEX/SUFFIX` (`_mapping`, …).
    pub fn get(&self, suffix: &str) -> Result<Value> {
        self.request(Method::GET, &format!("/{suffix}"), None)
    }

    /// Whether the index exists (`HEAD /INDEX`: 404 is no).
    pub fn exists(&self) -> Result<bool> {
        let answer = self.send(Method::HEAD, "", None)?;
        match answer.status {
            200..=299 => Ok(true),
            404 => Ok(false),
            status => Err(self.refused(status, &answer.body)),
        }
    }

    /// `METHOD /INDEX{path}` (`path` is `""` or starts with `/`) with a JSON `body`, its JSON
    /// answer read; an answer other than 2xx is an error.
    pub fn request(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let text = body.map(|b| b.to_string());
        let answer = self.expect_ok(
            method,
            path,
            text.as_deref().map(str::as_bytes).map(Body::Json),
        )?;
        serde_json::from_str(&answer.body)
            .map_err(|e| self.failed(&format!("answered with something that is not JSON ({e})")))
    }

    /// [`Client::send`], where an answer other than 2xx is an error naming the address and
    /// what the engine said.
    pub fn expect_ok(&self, method: Method, path: &str, body: Option<Body>) -> Result<Answer> {
        let answer = self.send(method, path, body)?;
        if !(200..300).contains(&answer.status) {
            return Err(self.refused(answer.status, &answer.body));
        }
        Ok(answer)
    }

    /// Sends `METHOD /INDEX{path}` with `body`; a 429 is sent again after a [`Backoff`]. Fails
    /// only when the engine does not answer: any status is returned.
    pub fn send(&self, method: Method, path: &str, body: Option<Body>) -> Result<Answer> {
        let url = format!("{}/{}{path}", self.address.base, self.address.index);
        let mut backoff = Backoff::default();
        loop {
            let (answer, retry_after) = self.once(&method, &url, body)?;
            if answer.status == 429 && backoff.pause(retry_after) {
                continue;
            }
            return Ok(answer);
        }
    }

    /// One request: its answer, and `Retry-After` if any.
    fn once(
        &self,
        method: &Method,
        url: &str,
        body: Option<Body>,
    ) -> Result<(Answer, Option<Duration>)> {
        let mut request = Request::builder().method(method.clone()).uri(url);
        if let Some(auth) = &self.authorization {
            request = request.header("Authorization", auth);
        }
        let sent = match body.map(Body::parts) {
            Some((bytes, content_type)) => request
                .header("Content-Type", content_type)
                .body(bytes)
                .map_err(ureq::Error::from)
                .and_then(|r| self.agent.run(r)),
            None => request
                .body(())
                .map_err(ureq::Error::from)
                .and_then(|r| self.agent.run(r)),
        };
        let mut response = sent.map_err(|e| self.unreachable(e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_string()
            .map_err(|e| self.unreachable(e))?;
        Ok((Answer { status, body }, retry_after))
    }

    /// The one line for a request that got no answer.
    fn unreachable(&self, e: ureq::Error) -> Error {
        let within =
            |limit: Duration| format!("did not answer within {} s", limit.as_secs_f32().round());
        let why = match &e {
            ureq::Error::Timeout(ureq::Timeout::Connect) => within(self.timeout.min(CONNECT_TIMEOUT)),
            ureq::Error::Timeout(_) => within(self.timeout),
            ureq::Error::HostNotFound => {
                "cannot be reached: its host name does not resolve (/etc/hosts, DNS)".to_string()
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                "cannot be reached: nothing listens there (connection refused); is the engine running?".to_string()
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => within(self.timeout),
            other => format!("cannot be reached ({})", one_line(&other.to_string())),
        };
        self.failed(&why)
    }

    /// The one line for an answer with an error status, with the engine's reason.
    pub fn refused(&self, status: u16, answer: &str) -> Error {
        let reason = match serde_json::from_str::<Value>(answer) {
            Ok(v) if v.get("error").is_some() => reason(&v["error"]),
            _ if answer.trim().is_empty() => "no details".to_string(),
            _ => answer.chars().take(200).collect(),
        };
        let hint = match status {
            401 | 403 => {
                "; check TRACUU_ENGINE_USER/TRACUU_ENGINE_PASSWORD or TRACUU_ENGINE_API_KEY"
            }
            404 => "; check the index name, or export the corpus to it first",
            _ => "",
        };
        self.failed(&format!("answered {status} ({}){hint}", one_line(&reason)))
    }

    /// The one line `the engine at ADDRESS {why}`.
    pub fn failed(&self, why: &str) -> Error {
        Error::Engine(format!("the engine at {} {why}", self.address.shown()))
    }
}

/// The reason in an engine's error (`{"type", "reason"}`, or a string), on one line.
pub fn reason(error: &Value) -> String {
    match (
        error.as_str(),
        error["type"].as_str(),
        error["reason"].as_str(),
    ) {
        (Some(s), _, _) => one_line(s),
        (None, Some(kind), Some(why)) => one_line(&format!("{kind}: {why}")),
        (None, None, Some(why)) => one_line(why),
        _ => one_line(&error.to_string()),
    }
}

/// `s` on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_read_with_their_credentials_and_shown_without() {
        let a = Address::parse("https://elastic:p%40ss@es.lan:9243/docs/").unwrap();
        assert_eq!(a.base, "https://es.lan:9243");
        assert_eq!(a.index, "docs");
        assert_eq!(a.userinfo, Some(("elastic".into(), "p@ss".into())));
        assert_eq!(a.shown(), "https://es.lan:9243/docs");
        let a = Address::parse("http://127.0.0.1:9200/docs").unwrap();
        assert_eq!(
            (a.base.as_str(), a.index.as_str(), a.userinfo),
            ("http://127.0.0.1:9200", "docs", None)
        );
        let a = Address::parse("https://el%40stic:p%3Aw@search.example:443/lib/").unwrap();
        assert_eq!(a.userinfo, Some(("el@stic".into(), "p:w".into())));
        assert_eq!(a.shown(), "https://search.example:443/lib");
        for bad in [
            "127.0.0.1:9200/docs",
            "http://127.0.0.1:9200",
            "http://127.0.0.1:9200/",
            "http://127.0.0.1:9200/a/b",
            "ftp://x/docs",
            "http:///docs",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
        let e = Address::parse("http://u:secret@h").unwrap_err().to_string();
        assert!(!e.contains("secret"), "{e}");
    }

    #[test]
    fn credentials_come_from_the_address_or_the_environment() {
        let with_user = Address::parse("http://u:p@h:1/i").unwrap();
        let none = Credentials::default();
        assert_eq!(authorization(&with_user, &none).unwrap(), "Basic dTpw");
        let key = Credentials {
            api_key: Some("K".into()),
            ..Credentials::default()
        };
        assert_eq!(authorization(&with_user, &key).unwrap(), "ApiKey K");
        let plain = Address::parse("http://h:1/i").unwrap();
        assert_eq!(authorization(&plain, &none), None);
        let env = Credentials {
            user: Some("elastic".into()),
            password: Some("secret".into()),
            api_key: None,
        };
        assert_eq!(
            authorization(&plain, &env).unwrap(),
            "Basic ZWxhc3RpYzpzZWNyZXQ="
        );
        assert_eq!(authorization(&with_user, &env).unwrap(), "Basic dTpw");
    }

    #[test]
    fn backoff_doubles_heeds_retry_after_and_ends() {
        let mut b = Backoff::default();
        let ms = Duration::from_millis;
        assert_eq!(b.next(None), Some(ms(200)));
        assert_eq!(b.next(Some(ms(5))), Some(ms(5)));
        assert_eq!(b.next(None), Some(ms(800)));
        assert_eq!(
            b.next(Some(Duration::from_secs(3600))),
            Some(MAX_RETRY_AFTER)
        );
        assert_eq!(b.next(None), Some(ms(3200)));
        assert_eq!(b.next(None), None, "{RETRIES} retries");
        assert_eq!(b.next(Some(ms(1))), None);
    }

    #[test]
    fn an_engines_reason_is_one_line() {
        let r = |v: Value| reason(&v);
        assert_eq!(
            r(serde_json::json!({"type": "t", "reason": "a\n b"})),
            "t: a b"
        );
        assert_eq!(r(serde_json::json!({"reason": "only"})), "only");
        assert_eq!(r(serde_json::json!("too many")), "too many");
        assert_eq!(r(serde_json::json!({"code": 1})), r#"{"code":1}"#);
    }
}
