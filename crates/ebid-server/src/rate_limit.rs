//! Rate limits: per client (by address) and for the whole server, with governor's GCRA (a token bucket that
//! keeps one timestamp per key). Over a limit the answer is 429 with `Retry-After` and the `rate_limited`
//! refusal; nothing else runs.
//!
//! The client is its IP address; an IPv6 client is its /64, the block one subscriber gets, so that one
//! machine cannot take a fresh key per request. Behind a reverse proxy every request comes from the proxy's
//! address: give the proxy its own limits and raise the per-client one here.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use ebid_protocol::RefusalCode;
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::RateLimit;
use crate::error::refusal_response;
use crate::state::SharedState;

/// The limiters of one server.
pub(crate) struct Limiter {
    per_client: Option<DefaultKeyedRateLimiter<IpAddr>>,
    global: Option<DefaultDirectRateLimiter>,
    clock: DefaultClock,
}

impl Limiter {
    pub fn new(per_client: Option<RateLimit>, global: Option<RateLimit>) -> Self {
        Self {
            per_client: per_client.map(|limit| RateLimiter::keyed(quota(limit))),
            global: global.map(|limit| RateLimiter::direct(quota(limit))),
            clock: DefaultClock::default(),
        }
    }

    /// `Ok` when `client` may make one more request now; otherwise how long until it may. The client's own
    /// limit is asked first, so that one flooding client's refused requests take nothing from everyone's.
    fn check(&self, client: IpAddr) -> Result<(), Duration> {
        let now = self.clock.now();
        if let Some(per_client) = &self.per_client {
            per_client
                .check_key(&client_key(client))
                .map_err(|not_until| not_until.wait_time_from(now))?;
        }
        if let Some(global) = &self.global {
            global
                .check()
                .map_err(|not_until| not_until.wait_time_from(now))?;
        }
        Ok(())
    }

    /// Forgets clients whose bucket is full again (they would be allowed as new ones): the per-client table
    /// holds only clients seen in the last moments.
    pub fn prune(&self) {
        if let Some(per_client) = &self.per_client {
            per_client.retain_recent();
            per_client.shrink_to_fit();
        }
    }
}

fn quota(limit: RateLimit) -> Quota {
    Quota::per_second(limit.per_second).allow_burst(limit.burst)
}

/// The key a client is limited by: its IPv4 address, or the /64 of its IPv6 address.
fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !u128::from(u64::MAX))),
        },
    }
}

/// The middleware: every request is counted against its client's limit and the server's.
pub(crate) async fn limit(
    State(state): State<SharedState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    match state.limiter.check(peer.ip()) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let mut response = refusal_response(RefusalCode::RateLimited);
            // Whole seconds, rounded up: a client that waits exactly this long is let in.
            let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds.max(1)));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU32;

    use super::*;

    #[test]
    fn an_ipv6_client_is_its_slash_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn past_the_burst_a_client_waits_and_others_do_not() {
        let limit = RateLimit {
            per_second: NonZeroU32::new(1).unwrap(),
            burst: NonZeroU32::new(2).unwrap(),
        };
        let limiter = Limiter::new(Some(limit), None);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        assert!(limiter.check(a).is_ok());
        assert!(limiter.check(a).is_ok());
        let wait = limiter.check(a).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(1),
            "{wait:?}"
        );
        assert!(limiter.check(b).is_ok());
    }
}
