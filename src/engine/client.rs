//! The HTTP client of an engine (OpenSearch or Elasticsearch): the address a user gives
//! (`http(s)://[user:password@]host:port/INDEX`), credentials (basic auth from the address or
//! `TRACUU_ENGINE_USER`/`TRACUU_ENGINE_PASSWORD`, an API key from `TRACUU_ENGINE_API_KEY`), JSON
//! requests with a 429 retried after a backoff, and every failure as one line naming the address.
//!
//! Blocking (ureq), with TLS through rustls; host names resolve through [`super::resolve`],
//! never glibc's `getaddrinfo`. Proxies are not used: the engine is reached directly.

use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

use super::resolve::HostsThenDns;
use crate::error::{Error, Result};

/// How long a request may take, connection included, unless told otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// How many times a request answered 429 (too many requests) is sent again.
const RETRIES: u32 = 5;
/// The wait before the first retry; each next one waits twice as long.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
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
        let address = Address::parse(url)?;
        let basic = |user: &str, password: &str| {
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            format!("Basic {token}")
        };
        let authorization = match (&credentials.api_key, &address.userinfo, &credentials.user) {
            (Some(key), _, _) => Some(format!("ApiKey {key}")),
            (None, Some((user, password)), _) => Some(basic(user, password)),
            (None, None, Some(user)) => {
                Some(basic(user, credentials.password.as_deref().unwrap_or("")))
            }
            (None, None, None) => None,
        };
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(timeout))
            .proxy(None)
            .max_redirects(0)
            .build();
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::new(),
            HostsThenDns,
        );
        Ok(Client {
            agent,
            address,
            authorization,
            timeout,
        })
    }

    /// The index's address, for messages.
    pub fn address(&self) -> &Address {
        &self.address
    }

    /// `POST /INDEX/_search?QUERY` with `body`.
    pub fn search(&self, query: &str, body: &Value) -> Result<Value> {
        let sep = if query.is_empty() { "" } else { "?" };
        let path = format!("/{}/_search{sep}{query}", self.address.index);
        self.request("POST", &path, Some(body))
    }

    /// `GET /INDEX/SUFFIX` (`_mapping`, …).
    pub fn get(&self, suffix: &str) -> Result<Value> {
        let path = format!("/{}/{suffix}", self.address.index);
        self.request("GET", &path, None)
    }

    /// Sends a request and reads its JSON answer; a 429 is sent again after a backoff (or the
    /// engine's `Retry-After`), up to [`RETRIES`] times.
    pub fn request(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Value> {
        let url = format!("{}{path}", self.address.base);
        let text = body.map(|b| b.to_string());
        let mut wait = FIRST_BACKOFF;
        for attempt in 0..=RETRIES {
            let (status, retry_after, answer) = self.send(method, &url, text.as_deref())?;
            if status == 429 && attempt < RETRIES {
                std::thread::sleep(retry_after.unwrap_or(wait));
                wait *= 2;
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(self.refused(status, &answer));
            }
            return serde_json::from_str(&answer).map_err(|e| {
                self.failed(&format!("answered with something that is not JSON ({e})"))
            });
        }
        unreachable!("the last attempt returns")
    }

    /// One request: its status, `Retry-After` if any, and its body.
    fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<&str>,
    ) -> Result<(u16, Option<Duration>, String)> {
        let auth = self.authorization.as_deref();
        let sent = match (method, body) {
            ("GET", _) => with_auth(self.agent.get(url), auth).call(),
            (_, body) => with_auth(self.agent.post(url), auth)
                .header("Content-Type", "application/json")
                .send(body.unwrap_or("")),
        };
        let mut response = sent.map_err(|e| self.unreachable(e))?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()?.trim().parse::<u64>().ok())
            .map(|s| Duration::from_secs(s.min(60)));
        let answer = response
            .body_mut()
            .with_config()
            .limit(MAX_ANSWER)
            .read_to_string()
            .map_err(|e| self.unreachable(e))?;
        Ok((status, retry_after, answer))
    }

    /// The one line for a request that got no answer.
    fn unreachable(&self, e: ureq::Error) -> Error {
        let why = match &e {
            ureq::Error::Timeout(_) => format!(
                "did not answer within {} s",
                self.timeout.as_secs_f32().round()
            ),
            ureq::Error::HostNotFound => {
                "cannot be reached: its host name does not resolve (/etc/hosts, DNS)".to_string()
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
                "cannot be reached: nothing listens there (connection refused); is the engine running?".to_string()
            }
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => format!(
                "did not answer within {} s",
                self.timeout.as_secs_f32().round()
            ),
            other => format!("cannot be reached ({})", one_line(&other.to_string())),
        };
        self.failed(&why)
    }

    /// The one line for an answer with an error status, with the engine's reason.
    fn refused(&self, status: u16, answer: &str) -> Error {
        let reason = serde_json::from_str::<Value>(answer)
            .ok()
            .and_then(|v| {
                let e = v.get("error")?;
                if let Some(s) = e.as_str() {
                    return Some(s.to_string());
                }
                let kind = e.get("type").and_then(Value::as_str).unwrap_or("error");
                let reason = e.get("reason").and_then(Value::as_str).unwrap_or("");
                Some(format!("{kind}: {reason}"))
            })
            .unwrap_or_else(|| answer.chars().take(200).collect());
        let hint = match status {
            401 | 403 => {
                "; check TRACUU_ENGINE_USER/TRACUU_ENGINE_PASSWORD or TRACUU_ENGINE_API_KEY"
            }
            404 => "; check the index name, or export the corpus to it first",
            _ => "",
        };
        self.failed(&format!("answered {status} ({}){hint}", one_line(&reason)))
    }

    fn failed(&self, why: &str) -> Error {
        Error::Engine(format!("the engine at {} {why}", self.address.shown()))
    }
}

fn with_auth<B>(request: ureq::RequestBuilder<B>, auth: Option<&str>) -> ureq::RequestBuilder<B> {
    match auth {
        Some(a) => request.header("Authorization", a),
        None => request,
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
        for bad in [
            "127.0.0.1:9200/docs",
            "http://127.0.0.1:9200",
            "http://127.0.0.1:9200/a/b",
            "ftp://x/docs",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
        let e = Address::parse("http://u:secret@h").unwrap_err().to_string();
        assert!(!e.contains("secret"), "{e}");
    }
}
