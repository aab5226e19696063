//! How an engine's host name becomes addresses without glibc's NSS (the release binary is linked
//! statically, and NSS modules loaded into it at run time must be of the same glibc version): an
//! IP literal as it is, `localhost` (and `*.localhost`) as the loopback addresses, a name of
//! `/etc/hosts` as that file says; only other names go to the system resolver (DNS).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// The hosts file read for names.
const HOSTS_FILE: &str = "/etc/hosts";

/// The addresses of `host` that need no resolver: an IP literal (IPv6 in brackets or not),
/// `localhost`, or a name `hosts` (the text of a hosts file) lists, in its order. Empty when
/// none of these applies.
pub fn local_addresses(host: &str, hosts: &str) -> Vec<IpAddr> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return vec![ip];
    }
    let name = bare.trim_end_matches('.').to_ascii_lowercase();
    let mut found: Vec<IpAddr> = hosts
        .lines()
        .map(|l| l.split('#').next().unwrap_or(""))
        .filter_map(|l| {
            let mut parts = l.split_whitespace();
            let ip = parts.next()?.parse::<IpAddr>().ok()?;
            parts
                .any(|n| n.trim_end_matches('.').eq_ignore_ascii_case(&name))
                .then_some(ip)
        })
        .collect();
    if found.is_empty() && (name == "localhost" || name.ends_with(".localhost")) {
        found = vec![
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(Ipv6Addr::LOCALHOST),
        ];
    }
    found
}

/// ureq's resolver: [`local_addresses`] first, the system resolver for the rest.
#[derive(Debug, Default)]
pub struct HostsResolver {
    system: DefaultResolver,
}

impl Resolver for HostsResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(authority) = uri.authority() else {
            return self.system.resolve(uri, config, timeout);
        };
        let https = uri.scheme_str() == Some("https");
        let port = authority.port_u16().unwrap_or(if https { 443 } else { 80 });
        let hosts = std::fs::read_to_string(HOSTS_FILE).unwrap_or_default();
        let found = local_addresses(authority.host(), &hosts);
        if found.is_empty() {
            // A name the system resolver cannot find is said so, not as its I/O error.
            return self
                .system
                .resolve(uri, config, timeout)
                .map_err(|e| match e {
                    ureq::Error::Io(_) => ureq::Error::HostNotFound,
                    other => other,
                });
        }
        let mut out = self.empty();
        for ip in found {
            if out.try_push(SocketAddr::new(ip, port)).is_err() {
                break;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTS: &str = "127.0.0.1\tlocalhost\n::1 localhost ip6-localhost\n\
                         # comment 10.0.0.9 commented\n10.1.2.3 search.internal search # a node\n";

    #[test]
    fn literals_localhost_and_hosts_names_resolve_locally() {
        let v4 = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(local_addresses("192.168.1.5", ""), [v4("192.168.1.5")]);
        assert_eq!(local_addresses("[::1]", ""), [v4("::1")]);
        assert_eq!(
            local_addresses("localhost", HOSTS),
            [v4("127.0.0.1"), v4("::1")]
        );
        assert_eq!(
            local_addresses("LOCALHOST", ""),
            [v4("127.0.0.1"), v4("::1")]
        );
        assert_eq!(local_addresses("Search.Internal.", HOSTS), [v4("10.1.2.3")]);
        assert_eq!(local_addresses("search", HOSTS), [v4("10.1.2.3")]);
        assert!(local_addresses("commented", HOSTS).is_empty());
        assert!(local_addresses("example.org", HOSTS).is_empty());
    }
}
