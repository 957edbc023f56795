//! When and how long to wait before trying a request again.

use std::time::Duration;

use super::op::{Op, Repeat};
use crate::Error;

/// The retry policy shared by every operation of a client.
///
/// Which failures are retried depends on the operation, decided in one
/// place from its method and whether the client marks it idempotent:
///
/// - `GET`, and the operations whose repetition has the same result (Microsoft
///   Graph's synchronization secrets `PUT`, Okta's default provisioning
///   connection `POST`: setting the same value twice), are retried on
///   transient failures: a connect error, a timeout, another transport
///   failure, or 408, 429, 502, 503, 504.
/// - Other `PATCH`, `PUT` and `DELETE` are retried only when the request
///   never left (a connect error).
/// - Other `POST` are never retried: a retried token generation would
///   invalidate a token the caller never saw, and a retried add would
///   create a duplicate.
///
/// The delay before retry *n* (1-based) is `base_backoff * 2^(n-1)`, capped
/// at `max_backoff`, with "equal jitter" (a random value between half the
/// delay and the delay) unless jitter is off. A `Retry-After` from the
/// server (seconds or an HTTP date) is honoured up to `max_retry_after`.
///
/// Re-authenticating after a 401 and replaying the request once is not a
/// retry and is not governed by this policy.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    max_attempts: u32,
    base_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// Three attempts, 250 ms base backoff, at most 5 s between attempts,
    /// `Retry-After` honoured up to 60 s, jitter on.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    #[must_use]
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The total number of attempts, the first included (at least 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay before the first retry; it doubles for each further one.
    #[must_use]
    pub fn with_base_backoff(mut self, delay: Duration) -> Self {
        self.base_backoff = delay;
        self
    }

    /// The longest computed backoff between two attempts.
    #[must_use]
    pub fn with_max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// The longest `Retry-After` that is honoured; longer ones are cut to it.
    #[must_use]
    pub fn with_max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Whether delays are randomized (on by default), so that many clients
    /// do not retry in lockstep.
    #[must_use]
    pub fn with_jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The total number of attempts.
    #[must_use]
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The delay before the first retry.
    #[must_use]
    pub fn base_backoff(&self) -> Duration {
        self.base_backoff
    }

    /// The longest computed backoff.
    #[must_use]
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` honoured.
    #[must_use]
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether delays are randomized.
    #[must_use]
    pub fn jitter(&self) -> bool {
        self.jitter
    }

    /// The backoff before retry `retry` (1 for the first retry), before
    /// jitter: `base_backoff * 2^(retry-1)`, at most `max_backoff`.
    #[must_use]
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(31);
        self.base_backoff
            .checked_mul(1u32 << exponent)
            .unwrap_or(Duration::MAX)
            .min(self.max_backoff)
    }

    /// The delay before retry `retry`, given the server's `Retry-After`.
    ///
    /// Without jitter it is `backoff(retry)`; with jitter it lies between
    /// half of that and all of it. A `Retry-After` raises the delay to its
    /// value, cut at `max_retry_after`. The result never exceeds the larger
    /// of `max_backoff` and `max_retry_after`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let backoff = self.backoff(retry);
        let backoff = if self.jitter && !backoff.is_zero() {
            let half = backoff / 2;
            let spread = u64::try_from((backoff - half).as_micros()).unwrap_or(u64::MAX);
            half + Duration::from_micros(rand::random_range(0..=spread))
        } else {
            backoff
        };
        match retry_after {
            Some(wait) => backoff.max(wait.min(self.max_retry_after)),
            None => backoff,
        }
    }

    /// Whether `op`, which failed with `error` on attempt number
    /// `attempts_made` (1 for the first), should be sent again.
    pub(crate) fn should_retry(&self, op: &Op, error: &Error, attempts_made: u32) -> bool {
        if attempts_made >= self.max_attempts || !error.is_retryable() {
            return false;
        }
        match op.repeat() {
            Repeat::Transient => true,
            Repeat::IfUnsent => !error.request_may_have_been_sent(),
            Repeat::Never => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy::default()
            .with_base_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_secs(1))
            .with_jitter(false);
        assert_eq!(p.backoff(1), Duration::from_millis(100));
        assert_eq!(p.backoff(2), Duration::from_millis(200));
        assert_eq!(p.backoff(4), Duration::from_millis(800));
        assert_eq!(p.backoff(5), Duration::from_secs(1));
        assert_eq!(p.backoff(1000), Duration::from_secs(1));
        assert_eq!(p.delay(3, None), Duration::from_millis(400));
    }

    #[test]
    fn jittered_delays_stay_within_bounds() {
        let p = RetryPolicy::default()
            .with_base_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_secs(2));
        for retry in 1..=40 {
            for _ in 0..20 {
                let d = p.delay(retry, None);
                assert!(d <= p.backoff(retry), "{d:?}");
                assert!(d >= p.backoff(retry) / 2, "{d:?}");
                assert!(d <= Duration::from_secs(2));
            }
        }
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let p = RetryPolicy::default()
            .with_base_backoff(Duration::from_millis(10))
            .with_max_retry_after(Duration::from_secs(60))
            .with_jitter(false);
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(7))),
            Duration::from_secs(7)
        );
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(60)
        );
        assert_eq!(p.delay(1, Some(Duration::ZERO)), Duration::from_millis(10));
    }

    // One operation of each method, from the generated tables.
    static GET: Op = Op::new(&idp_api::vcf::operations::GET_IDENTITY_PROVIDERS, &[]);
    static POST: Op = Op::new(&idp_api::vcf::operations::GENERATE_SYNC_CLIENT_TOKEN, &[]);
    static PATCH: Op = Op::new(
        &idp_api::vcf::operations::UPDATE_EMBEDDED_IDENTITY_SOURCE,
        &[],
    );
    static DELETE: Op = Op::new(&idp_api::vcf::operations::DELETE_IDENTITY_SOURCE, &[]);
    static PUT: Op = Op::new(
        &idp_api::msgraph::operations::PUT_SYNCHRONIZATION_SECRETS,
        &[],
    );

    #[test]
    fn the_test_operations_have_the_methods_they_are_named_for() {
        for (op, method) in [
            (&GET, http::Method::GET),
            (&POST, http::Method::POST),
            (&PATCH, http::Method::PATCH),
            (&DELETE, http::Method::DELETE),
            (&PUT, http::Method::PUT),
        ] {
            assert_eq!(*op.method(), method, "{}", op.id());
        }
    }

    #[test]
    fn methods_and_budget() {
        let p = RetryPolicy::default();
        let unavailable =
            Error::from_body("op", http::StatusCode::SERVICE_UNAVAILABLE, None, None, b"");
        assert!(p.should_retry(&GET, &unavailable, 1));
        assert!(p.should_retry(&GET, &unavailable, 2));
        assert!(!p.should_retry(&GET, &unavailable, 3));
        assert!(!p.should_retry(&POST, &unavailable, 1));
        // The 503 proves the request arrived: not retried for PATCH/DELETE.
        assert!(!p.should_retry(&PATCH, &unavailable, 1));
        assert!(!p.should_retry(&DELETE, &unavailable, 1));
        let not_found = Error::from_body("op", http::StatusCode::NOT_FOUND, None, None, b"");
        assert!(!p.should_retry(&GET, &not_found, 1));
        assert!(!RetryPolicy::none().should_retry(&GET, &unavailable, 1));
    }

    #[test]
    fn an_idempotent_operation_is_retried_like_a_get_whatever_its_method() {
        let p = RetryPolicy::default();
        let unavailable =
            Error::from_body("op", http::StatusCode::SERVICE_UNAVAILABLE, None, None, b"");
        assert!(!p.should_retry(&PUT, &unavailable, 1));
        for op in [
            Op::new(PUT.spec, &[]).idempotent(),
            Op::new(POST.spec, &[]).idempotent(),
        ] {
            assert_eq!(op.repeat(), Repeat::Transient, "{}", op.id());
            assert!(p.should_retry(&op, &unavailable, 1));
            assert!(p.should_retry(&op, &unavailable, 2));
            assert!(!p.should_retry(&op, &unavailable, 3), "bounded");
            let refused = Error::from_body("op", http::StatusCode::BAD_REQUEST, None, None, b"");
            assert!(!p.should_retry(&op, &refused, 1), "transient failures only");
        }
    }

    #[test]
    fn computed_delays_are_bounded() {
        let policy = RetryPolicy::default()
            .with_base_backoff(Duration::from_millis(200))
            .with_max_backoff(Duration::from_secs(3))
            .with_max_retry_after(Duration::from_secs(30));
        for retry in 1..=64 {
            let backoff = policy.backoff(retry);
            assert!(backoff <= Duration::from_secs(3));
            let delay = policy.delay(retry, None);
            assert!(
                delay <= backoff && delay >= backoff / 2,
                "{retry}: {delay:?}"
            );
            let delay = policy.delay(retry, Some(Duration::from_secs(86_400)));
            assert_eq!(delay, Duration::from_secs(30));
        }
        assert_eq!(policy.backoff(1), Duration::from_millis(200));
        assert_eq!(policy.backoff(2), Duration::from_millis(400));
        let none = RetryPolicy::none();
        assert_eq!(none.max_attempts(), 1);
    }
}
