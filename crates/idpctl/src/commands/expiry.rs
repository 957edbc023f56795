//! Token expiry in words and numbers: time left, RFC 3339, `12d 3h`, and
//! whether a rotation is due.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};

/// Time until `expires_at`; `None` when unknown, zero when past.
pub fn time_left(expires_at: Option<DateTime<Utc>>) -> Option<Duration> {
    let left = expires_at? - Utc::now();
    Some(left.to_std().unwrap_or(Duration::ZERO))
}

/// RFC 3339, UTC, whole seconds.
pub fn rfc3339(time: Option<DateTime<Utc>>) -> Option<String> {
    time.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// `Some(time left)` when a token expiring at `expires_at` is not due for
/// rotation within `within`; `None` (due) when it is, or when the expiry
/// is unknown.
pub fn not_due(expires_at: Option<DateTime<Utc>>, within: Duration) -> Option<Duration> {
    time_left(expires_at).filter(|left| *left > within)
}

/// `12d 3h`, `5h 20m`, `42m`, `expired`.
pub fn human_duration(left: Duration) -> String {
    let secs = left.as_secs();
    let (days, hours, minutes) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (days, hours, minutes) {
        (0, 0, 0) if secs == 0 => "expired".into(),
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::human_duration;

    #[test]
    fn renders_time_left() {
        assert_eq!(human_duration(Duration::ZERO), "expired");
        assert_eq!(human_duration(Duration::from_secs(59)), "59s");
        assert_eq!(human_duration(Duration::from_secs(42 * 60)), "42m");
        assert_eq!(
            human_duration(Duration::from_secs(5 * 3600 + 20 * 60)),
            "5h 20m"
        );
        assert_eq!(
            human_duration(Duration::from_secs(12 * 86_400 + 3 * 3600)),
            "12d 3h"
        );
    }
}
