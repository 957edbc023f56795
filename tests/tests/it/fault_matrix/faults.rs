//! Faults: what the simulator (or a closed port) does to a cell's request.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Fault {
    Refused,
    Dropped,
    DroppedOnce,
    Timeout,
    Status(u16, bool),
    Unavailable503Once,
    TruncatedJson,
    ClosedMidBody,
    HtmlErrorPage,
    EmptySuccess,
    Empty500,
    HtmlSuccess,
    PlainTextSuccess,
    Unauthorized,
    UnauthorizedAlways,
    OversizedDeclared,
    OversizedChunked,
    DeepError,
}

impl Fault {
    pub(super) fn all() -> Vec<Fault> {
        let mut all = vec![
            Fault::Refused,
            Fault::Dropped,
            Fault::DroppedOnce,
            Fault::Timeout,
        ];
        for status in [500, 502, 503, 504, 429] {
            all.push(Fault::Status(status, false));
            all.push(Fault::Status(status, true));
        }
        all.extend([
            Fault::Unavailable503Once,
            Fault::TruncatedJson,
            Fault::ClosedMidBody,
            Fault::HtmlErrorPage,
            Fault::EmptySuccess,
            Fault::Empty500,
            Fault::HtmlSuccess,
            Fault::PlainTextSuccess,
            Fault::Unauthorized,
            Fault::UnauthorizedAlways,
            Fault::OversizedDeclared,
            Fault::OversizedChunked,
            Fault::DeepError,
        ]);
        all
    }

    pub(super) fn title(self) -> String {
        match self {
            Fault::Refused => "Connection refused (closed loopback port)".into(),
            Fault::Dropped => "Connection dropped before any response, every time".into(),
            Fault::DroppedOnce => "Connection dropped once, then normal".into(),
            Fault::Timeout => format!(
                "Response delayed 2 s beyond a {} ms request timeout",
                SHORT_TIMEOUT.as_millis()
            ),
            Fault::Status(status, false) => format!("{status} with a vendor error body"),
            Fault::Status(status, true) => {
                format!("{status} with a vendor error body and `Retry-After: 1`")
            }
            Fault::Unavailable503Once => "503 once, then normal".into(),
            Fault::TruncatedJson => "200 with JSON cut in half (honest `Content-Length`)".into(),
            Fault::ClosedMidBody => {
                "200 declaring the full `Content-Length`, connection closed mid-body".into()
            }
            Fault::HtmlErrorPage => "502 HTML error page from a proxy".into(),
            Fault::EmptySuccess => "200 with an empty body".into(),
            Fault::Empty500 => "500 with an empty body".into(),
            Fault::HtmlSuccess => "200 `text/html` page instead of JSON".into(),
            Fault::PlainTextSuccess => "200 `text/plain`, not JSON".into(),
            Fault::Unauthorized => {
                "401 from the server itself: access token expired (a session renews it and replays once), or credential rejected"
                    .into()
            }
            Fault::UnauthorizedAlways => {
                "401 on every attempt (a session: one renewal, one replay, then the 401)".into()
            }
            Fault::OversizedDeclared => format!(
                "200 with a {} MiB body, `Content-Length` declared (limit {} KiB)",
                OVERSIZED_BODY / 1024 / 1024,
                SMALL_BODY_LIMIT / 1024
            ),
            Fault::OversizedChunked => format!(
                "200 with a {} MiB chunked body (limit {} KiB)",
                OVERSIZED_BODY / 1024 / 1024,
                SMALL_BODY_LIMIT / 1024
            ),
            Fault::DeepError => format!("500 whose `nestedErrors` nest {DEEP_NESTING} deep"),
        }
    }

    /// The fault rule for `op`, when the fault is one.
    pub(super) fn rule(self, op: Op) -> Option<FaultRule> {
        let rule = FaultRule::new(op.method(), op.route());
        Some(match self {
            Fault::Refused | Fault::Unauthorized => return None,
            Fault::Timeout => rule.delay(Duration::from_secs(2)),
            Fault::Dropped => rule.drop_connection(),
            Fault::DroppedOnce => rule.drop_connection().times(1),
            Fault::Status(status, false) => rule.respond(status),
            Fault::Status(status, true) => rule.respond(status).retry_after(1),
            Fault::Unavailable503Once => rule.respond(503).times(1),
            Fault::UnauthorizedAlways => rule.respond(401),
            Fault::TruncatedJson => rule.truncate_body(),
            Fault::ClosedMidBody => rule.truncate_body_declaring_full_length(),
            Fault::HtmlErrorPage => rule.respond_html(
                502,
                "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
                 <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
            ),
            Fault::EmptySuccess => rule.respond_body(200, FaultBody::raw("application/json", "")),
            Fault::Empty500 => rule.respond_body(500, FaultBody::raw("application/json", "")),
            Fault::HtmlSuccess => rule.respond_html(
                200,
                "<html><head><title>Sign in</title></head><body>Please sign in</body></html>",
            ),
            Fault::PlainTextSuccess => rule.respond_text(200, "upstream says: all good"),
            Fault::OversizedDeclared => {
                rule.respond_body(200, FaultBody::repeat("x", OVERSIZED_BODY, true))
            }
            Fault::OversizedChunked => {
                rule.respond_body(200, FaultBody::repeat("x", OVERSIZED_BODY, false))
            }
            Fault::DeepError => {
                rule.respond_body(500, FaultBody::raw("application/json", deep_error_body()))
            }
        })
    }
}

/// A VCF `Error` whose `nestedErrors` nest [`DEEP_NESTING`] levels deep.
pub(super) fn deep_error_body() -> String {
    let open = r#"{"errorCode":"E","message":"nested","nestedErrors":["#;
    let mut body = String::with_capacity(DEEP_NESTING * (open.len() + 2) + 64);
    for _ in 0..DEEP_NESTING {
        body.push_str(open);
    }
    body.push_str(r#"{"errorCode":"E","message":"innermost"}"#);
    for _ in 0..DEEP_NESTING {
        body.push_str("]}");
    }
    body
}
