//! Reads a JWT's expiry without verifying it (the server does that).

use base64::Engine;
use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};

/// The `exp` claim of a JWT, or `None` if the token is not a readable JWT.
pub(crate) fn expiry(token: &str) -> Option<DateTime<Utc>> {
    let mut parts = token.split('.');
    let (_header, payload) = (parts.next()?, parts.next()?);
    parts.next()?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .or_else(|_| URL_SAFE.decode(payload))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = match claims.get("exp")? {
        serde_json::Value::Number(n) => n.as_f64()?,
        serde_json::Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    if !exp.is_finite() || exp < 0.0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation)]
    DateTime::from_timestamp(exp as i64, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_exp() {
        let exp = expiry(&jwt(r#"{"sub":"a","exp":1700000000}"#)).unwrap();
        assert_eq!(exp.timestamp(), 1_700_000_000);
        assert_eq!(
            expiry(&jwt(r#"{"exp":"1700000000"}"#)).unwrap().timestamp(),
            1_700_000_000
        );
        assert!(expiry(&jwt(r#"{"sub":"a"}"#)).is_none());
        assert!(expiry("not-a-jwt").is_none());
        assert!(expiry("a.b.c").is_none());
    }
}
