//! The log of requests the simulator saw, for assertions in tests.
//!
//! Bodies are never stored (only their size) and secret-bearing headers are
//! redacted, so the log never holds a password or a token.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};

/// How many requests are kept; older ones are forgotten.
const CAPACITY: usize = 10_000;

/// What replaces the value of a secret-bearing header.
pub const REDACTED: &str = "<redacted>";

/// Headers whose values are never recorded.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
    "x-api-key",
    "x-auth-token",
    "vmware-api-session-id",
];

/// One request as the simulator received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RecordedRequest {
    /// Arrival order, starting at 1.
    pub seq: u64,
    /// The method, e.g. `"POST"`.
    pub method: String,
    /// The path exactly as received (percent-encoding kept), without the query.
    pub path: String,
    /// The raw query string, without `?`.
    pub query: Option<String>,
    /// Header names (lower case) and values; secrets show as `<redacted>`.
    pub headers: Vec<(String, String)>,
    /// The body size in bytes.
    pub body_len: usize,
    /// The status sent, or `None` when no response was sent (dropped
    /// connection) or the request is still being handled.
    pub status: Option<u16>,
    /// The kind of fault injected into this request, if any
    /// (`"respond"`, `"dropConnection"`, `"truncateBody"`, `"passThrough"`).
    pub fault: Option<String>,
}

impl RecordedRequest {
    /// The first value of a header (case-insensitive name).
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The shared, bounded request log.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestLog {
    inner: Arc<LogInner>,
}

#[derive(Debug, Default)]
struct LogInner {
    next: AtomicU64,
    entries: Mutex<VecDeque<RecordedRequest>>,
}

impl RequestLog {
    fn entries(&self) -> MutexGuard<'_, VecDeque<RecordedRequest>> {
        self.inner
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a request on arrival; returns its sequence number.
    pub(crate) fn start(
        &self,
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body_len: usize,
    ) -> u64 {
        let seq = self.inner.next.fetch_add(1, Ordering::Relaxed) + 1;
        let entry = RecordedRequest {
            seq,
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.map(str::to_owned),
            headers: redact(headers),
            body_len,
            status: None,
            fault: None,
        };
        let mut entries = self.entries();
        if entries.len() >= CAPACITY {
            entries.pop_front();
        }
        entries.push_back(entry);
        seq
    }

    /// Completes the record of request `seq`.
    pub(crate) fn finish(&self, seq: u64, status: Option<u16>, fault: Option<&str>) {
        let mut entries = self.entries();
        if let Some(entry) = entries.iter_mut().rev().find(|e| e.seq == seq) {
            entry.status = status;
            entry.fault = fault.map(str::to_owned);
        }
    }

    pub(crate) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.entries().iter().cloned().collect()
    }

    pub(crate) fn clear(&self) {
        self.entries().clear();
    }
}

fn redact(headers: &HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let name = name.as_str().to_ascii_lowercase();
            let value = if SECRET_HEADERS.contains(&name.as_str()) {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name, value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn redacts_and_completes() {
        let log = RequestLog::default();
        let mut headers = HeaderMap::new();
        headers.insert("authorization", HeaderValue::from_static("Bearer secret"));
        headers.insert("accept", HeaderValue::from_static("application/json"));
        let seq = log.start("GET", "/a%2Fb", Some("x=1"), &headers, 3);
        log.finish(seq, Some(200), None);
        let all = log.snapshot();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].header("Authorization"), Some(REDACTED));
        assert_eq!(all[0].header("accept"), Some("application/json"));
        assert_eq!(all[0].status, Some(200));
        assert_eq!(all[0].path, "/a%2Fb");
        assert!(!format!("{all:?}").contains("secret"));
        log.clear();
        assert!(log.snapshot().is_empty());
    }
}
