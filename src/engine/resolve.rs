//! Host names to addresses without glibc: an IP literal, `localhost`, a name in `/etc/hosts`,
//! else a DNS query (A, then AAAA) over UDP to the name servers of `/etc/resolv.conf`.
//!
//! The release binary is linked statically against glibc, whose `getaddrinfo` would load NSS
//! modules at run time (of the very glibc version it was linked with, or crash). So the HTTP
//! client ([`super::client`]) asks this resolver, never `getaddrinfo`: what `/etc/hosts` and DNS
//! say, which is what a desktop or server answers too (mDNS, LDAP or NIS host names aside).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::Duration;

use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long one DNS server gets to answer one question.
const DNS_TIMEOUT: Duration = Duration::from_secs(3);

/// The resolver ureq is given.
#[derive(Debug, Default)]
pub struct HostsThenDns;

impl Resolver for HostsThenDns {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        _config: &ureq::config::Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri.host().ok_or(ureq::Error::HostNotFound)?;
        let https = uri.scheme_str() == Some("https");
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        let ips = lookup(host);
        if ips.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        let mut out = self.empty();
        for ip in ips.into_iter().take(16) {
            out.push(SocketAddr::new(ip, port));
        }
        Ok(out)
    }
}

/// The addresses of `host`: an IP literal (IPv6 in brackets or not), `localhost`, a name of
/// `/etc/hosts`, else what DNS answers; empty if none.
pub fn lookup(host: &str) -> Vec<IpAddr> {
    let hosts = std::fs::read_to_string("/etc/hosts").unwrap_or_default();
    let found = local(host, &hosts);
    if !found.is_empty() {
        return found;
    }
    let name = name_of(host);
    let conf = std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default();
    for server in name_servers(&conf) {
        for qtype in [1u16, 28] {
            if let Some(ips) = ask(server, &name, qtype) {
                if !ips.is_empty() {
                    return ips;
                }
            }
        }
    }
    Vec::new()
}

/// The addresses of `host` that need no DNS: an IP literal (IPv6 in brackets or not), a name
/// `hosts` (the text of a hosts file) lists, in its order, else `localhost` (and `*.localhost`)
/// as the loopback addresses. Empty when none of these applies.
pub fn local(host: &str, hosts: &str) -> Vec<IpAddr> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return vec![ip];
    }
    let name = name_of(bare);
    let found = in_hosts(hosts, &name);
    if found.is_empty() && (name == "localhost" || name.ends_with(".localhost")) {
        return vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ];
    }
    found
}

/// A host name as looked up: lower case, without a final dot.
fn name_of(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// The addresses `/etc/hosts` (its text `hosts`) gives `name`, in file order (a final dot of a
/// name there does not count).
pub fn in_hosts(hosts: &str, name: &str) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for line in hosts.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let Some(ip) = fields.next().and_then(|a| a.parse::<IpAddr>().ok()) else {
            continue;
        };
        let named = fields.any(|n| n.trim_end_matches('.').eq_ignore_ascii_case(name));
        if named && !out.contains(&ip) {
            out.push(ip);
        }
    }
    out
}

/// The name servers of a `resolv.conf`, port 53.
fn name_servers(conf: &str) -> Vec<SocketAddr> {
    conf.lines()
        .filter_map(|l| l.trim().strip_prefix("nameserver"))
        .filter_map(|a| a.trim().split('%').next()?.parse::<IpAddr>().ok())
        .map(|ip| SocketAddr::new(ip, 53))
        .collect()
}

/// Asks `server` for the records of type `qtype` (1: A, 28: AAAA) of `name`; `None` if it does
/// not answer.
fn ask(server: SocketAddr, name: &str, qtype: u16) -> Option<Vec<IpAddr>> {
    let local: SocketAddr = if server.is_ipv4() {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(local).ok()?;
    socket.set_read_timeout(Some(DNS_TIMEOUT)).ok()?;
    let id = (std::process::id() as u16) ^ qtype;
    let query = question(id, name, qtype)?;
    socket.send_to(&query, server).ok()?;
    let mut buf = [0u8; 1500];
    let (n, _) = socket.recv_from(&mut buf).ok()?;
    answers(&buf[..n], id)
}

/// A DNS query packet: one question, recursion desired.
fn question(id: u16, name: &str, qtype: u16) -> Option<Vec<u8>> {
    let mut p = Vec::with_capacity(name.len() + 18);
    p.extend_from_slice(&id.to_be_bytes());
    p.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    for label in name.split('.') {
        if label.is_empty() || label.len() > 63 {
            return None;
        }
        p.push(label.len() as u8);
        p.extend_from_slice(label.as_bytes());
    }
    p.push(0);
    p.extend_from_slice(&qtype.to_be_bytes());
    p.extend_from_slice(&[0, 1]);
    Some(p)
}

/// The addresses in the answer section of a DNS response (CNAMEs followed by the server, as
/// recursive servers put the target's records in the same answer).
fn answers(p: &[u8], id: u16) -> Option<Vec<IpAddr>> {
    if p.len() < 12 || u16::from_be_bytes([p[0], p[1]]) != id || p[3] & 0x0f != 0 {
        return None;
    }
    let questions = u16::from_be_bytes([p[4], p[5]]);
    let count = u16::from_be_bytes([p[6], p[7]]);
    let mut at = 12;
    for _ in 0..questions {
        at = skip_name(p, at)? + 4;
    }
    let mut out = Vec::new();
    for _ in 0..count {
        at = skip_name(p, at)?;
        let head = p.get(at..at + 10)?;
        let kind = u16::from_be_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_be_bytes([head[8], head[9]]));
        let data = p.get(at + 10..at + 10 + len)?;
        match (kind, len) {
            (1, 4) => out.push(IpAddr::from(<[u8; 4]>::try_from(data).ok()?)),
            (28, 16) => out.push(IpAddr::from(<[u8; 16]>::try_from(data).ok()?)),
            _ => {}
        }
        at += 10 + len;
    }
    Some(out)
}

/// The offset just past the (possibly compressed) name at `at`.
fn skip_name(p: &[u8], mut at: usize) -> Option<usize> {
    loop {
        let len = *p.get(at)?;
        if len & 0xc0 == 0xc0 {
            return Some(at + 2);
        }
        if len == 0 {
            return Some(at + 1);
        }
        at += 1 + usize::from(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_localhost_and_hosts_names_resolve_without_dns() {
        assert_eq!(lookup("127.0.0.1"), [IpAddr::V4(Ipv4Addr::LOCALHOST)]);
        assert_eq!(lookup("[::1]"), [IpAddr::V6(Ipv6Addr::LOCALHOST)]);
        assert!(lookup("localhost").contains(&IpAddr::V4(Ipv4Addr::LOCALHOST)));
        let hosts = "127.0.0.1 localhost\n# 10.0.0.9 search\n10.1.2.3  search.lan Search # db\n";
        assert_eq!(
            in_hosts(hosts, "search"),
            [IpAddr::V4(Ipv4Addr::new(10, 1, 2, 3))]
        );
        assert!(in_hosts(hosts, "nothing").is_empty());
    }

    const HOSTS: &str = "127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n\
                         # comment 10.0.0.9 commented\n10.1.2.3 search.internal. search # a node\n";

    #[test]
    fn literals_hosts_names_and_localhost_need_no_dns() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(local("192.168.1.5", ""), [ip("192.168.1.5")]);
        assert_eq!(local("[::1]", ""), [ip("::1")]);
        assert_eq!(local("localhost", HOSTS), [ip("127.0.0.1"), ip("::1")]);
        assert_eq!(local("LOCALHOST", ""), [ip("127.0.0.1"), ip("::1")]);
        assert_eq!(local("db.localhost", ""), [ip("127.0.0.1"), ip("::1")]);
        assert_eq!(local("Search.Internal.", HOSTS), [ip("10.1.2.3")]);
        assert_eq!(local("search.internal", HOSTS), [ip("10.1.2.3")]);
        assert_eq!(local("search", HOSTS), [ip("10.1.2.3")]);
        assert!(local("commented", HOSTS).is_empty());
        assert!(local("example.org", HOSTS).is_empty());
    }

    #[test]
    fn a_dns_answer_with_a_cname_and_compressed_names_is_read() {
        let q = question(7, "es.example.org", 1).unwrap();
        let mut p = q.clone();
        p[2] = 0x81;
        p[3] = 0x80;
        p[7] = 2; // two answers
                  // CNAME es.example.org -> a pointer, then A 192.0.2.5.
        p.extend_from_slice(&[0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 2, 0xc0, 12]);
        p.extend_from_slice(&[0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 5]);
        assert_eq!(
            answers(&p, 7).unwrap(),
            [IpAddr::V4(Ipv4Addr::new(192, 0, 2, 5))]
        );
        assert!(answers(&p, 8).is_none(), "another query's answer");
        assert_eq!(
            name_servers("search lan\nnameserver 10.0.0.1\nnameserver fe80::1%eth0\n").len(),
            2
        );
    }
}
