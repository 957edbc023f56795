//! The simulator's own record of the operations an API serves, written from
//! the vendor's reference (not from our specs), so tests can hold the specs
//! against it.

/// One operation a simulated API serves: its path and the media types the
/// simulator requires and answers with, as the vendor's reference names
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// The operation's name (the `operationId` of the workspace's spec).
    pub id: &'static str,
    /// The HTTP method (`GET`, `POST`, ...).
    pub method: &'static str,
    /// The path template, with a `{parameter}` per variable segment.
    pub path: &'static str,
    /// The vendor media type a request body must be sent as (any other is
    /// refused with 415); `None` when the operation takes no body or a
    /// plain one (JSON, a form).
    pub request_media: Option<&'static str>,
    /// The vendor media type of the answer; `None` for `application/json`
    /// or no body.
    pub response_media: Option<&'static str>,
}
