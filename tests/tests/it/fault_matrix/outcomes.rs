//! Outcomes: what a call returned, what became of the state, and the policy that says what every cell must produce.

use super::*;

/// What a cell's call returned, as the helpers describe it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Outcome {
    /// `ok`, or the `Error` variant's name.
    pub(super) variant: &'static str,
    pub(super) status: Option<u16>,
    pub(super) transport: Option<String>,
    pub(super) retryable: bool,
    pub(super) may_have_been_sent: bool,
    pub(super) retry_after_secs: Option<u64>,
    /// Whether a vendor error body was recognized.
    pub(super) vendor: bool,
}

impl Outcome {
    pub(super) fn ok() -> Self {
        Outcome {
            variant: "ok",
            status: None,
            transport: None,
            retryable: false,
            may_have_been_sent: true,
            retry_after_secs: None,
            vendor: false,
        }
    }

    pub(super) fn api(status: u16, retryable: bool, vendor: bool) -> Self {
        Outcome {
            variant: "Api",
            status: Some(status),
            retryable,
            vendor,
            ..Outcome::ok()
        }
    }

    pub(super) fn transport(kind: &str, may_have_been_sent: bool) -> Self {
        Outcome {
            variant: "Transport",
            transport: Some(kind.to_owned()),
            retryable: true,
            may_have_been_sent,
            ..Outcome::ok()
        }
    }

    pub(super) fn decode(status: Option<u16>) -> Self {
        Outcome {
            variant: "Decode",
            status,
            ..Outcome::ok()
        }
    }

    pub(super) fn id_unknown() -> Self {
        Outcome {
            variant: "IdUnknown",
            ..Outcome::ok()
        }
    }

    pub(super) fn too_large() -> Self {
        Outcome {
            variant: "ResponseTooLarge",
            status: Some(200),
            ..Outcome::ok()
        }
    }

    pub(super) fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    pub(super) fn of(result: &Result<Option<String>, Error>) -> Self {
        let error = match result {
            Ok(_) => return Outcome::ok(),
            Err(error) => error,
        };
        let variant = match error {
            Error::Api { .. } => "Api",
            Error::Transport { .. } => "Transport",
            Error::Decode { .. } => "Decode",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::InvalidInput { .. } => "InvalidInput",
            Error::Config { .. } => "Config",
            Error::IdUnknown { .. } => "IdUnknown",
            Error::Other { .. } => "Other",
            _ => "unknown",
        };
        Outcome {
            variant,
            status: error.status().map(|s| s.as_u16()),
            transport: error.transport_kind().map(|k| format!("{k:?}")),
            retryable: error.is_retryable(),
            may_have_been_sent: error.request_may_have_been_sent(),
            retry_after_secs: error.retry_after().map(|d| d.as_secs()),
            vendor: error.vendor().is_some(),
        }
    }

    /// The summary grid's text.
    pub(super) fn short(&self) -> String {
        let mut text = match (self.variant, self.status, &self.transport) {
            ("Api", Some(status), _) => status.to_string(),
            ("Transport", _, Some(kind)) => kind.clone(),
            ("ResponseTooLarge", _, _) => "TooLarge".to_owned(),
            (variant, _, _) => variant.to_owned(),
        };
        if self.retry_after_secs.is_some() {
            text.push_str(" RA");
        }
        text
    }
}

/// What became of the server's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum State {
    Unchanged,
    /// Changed exactly as one successful call would change it.
    ChangedOnce,
    /// Not checked: a timed-out request may still be processed later.
    Unchecked,
}

impl State {
    pub(super) fn text(self) -> &'static str {
        match self {
            State::Unchanged => "unchanged",
            State::ChangedOnce => "changed once",
            State::Unchecked => "not checked",
        }
    }
}

/// One cell's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Cell {
    pub(super) outcome: Outcome,
    /// Requests of this operation the client sent (its tracing span's
    /// `attempt`s), 401 replays included.
    pub(super) sends: u64,
    pub(super) state: State,
}

/// The policy, stated once: what every cell must produce.
pub(super) fn expected(op: Op, fault: Fault) -> Cell {
    let get = op.method() == "GET";
    let post = op.method() == "POST";
    let max = u64::from(MAX_ATTEMPTS);
    // Transient failures: GET retried; PATCH/DELETE only when the request
    // never left; POST never.
    let retried = |outcome: Outcome| {
        let sends = if outcome.retryable && (get || (!post && !outcome.may_have_been_sent)) {
            max
        } else {
            1
        };
        Cell {
            outcome,
            sends,
            state: State::Unchanged,
        }
    };
    // A success body that is not what the operation needs.
    let bad_success = |json_or_token: Outcome| {
        let outcome = match op.reads() {
            Reads::Json | Reads::Token => json_or_token,
            Reads::NewId => Outcome::id_unknown(),
            Reads::Text | Reads::Nothing => Outcome::ok(),
        };
        // The fault answered instead of the handler: nothing changed.
        Cell {
            outcome,
            sends: 1,
            state: State::Unchanged,
        }
    };
    match fault {
        Fault::Refused => retried(Outcome::transport("Connect", false)),
        Fault::Dropped => retried(Outcome::transport("Other", true)),
        Fault::DroppedOnce | Fault::Unavailable503Once => {
            if get {
                Cell {
                    outcome: Outcome::ok(),
                    sends: 2,
                    state: State::Unchanged,
                }
            } else if fault == Fault::DroppedOnce {
                retried(Outcome::transport("Other", true))
            } else {
                retried(Outcome::api(503, true, true))
            }
        }
        Fault::Timeout => Cell {
            state: State::Unchecked,
            ..retried(Outcome::transport("Timeout", true))
        },
        Fault::Status(status, retry_after) => {
            let retryable = matches!(status, 429 | 502 | 503 | 504);
            let outcome = Outcome::api(status, retryable, true);
            retried(if retry_after {
                outcome.with_retry_after(1)
            } else {
                outcome
            })
        }
        Fault::TruncatedJson | Fault::HtmlSuccess | Fault::PlainTextSuccess => {
            bad_success(Outcome::decode(Some(200)))
        }
        Fault::EmptySuccess => match op {
            // An empty body reads as `{}`: the list is empty, the
            // settings are read as required below.
            Op::List | Op::Prechecks => bad_success(Outcome::ok()),
            // A token must be there (the generated type requires Unleash's);
            // a provider needs its id; the SCIM settings need `enabled`.
            Op::ScimToken => bad_success(Outcome::decode(Some(200))),
            _ => bad_success(Outcome::decode(None)),
        },
        // A body that is read fails as a transport error (retried for GET);
        // an operation that reads no body has its 2xx.
        Fault::ClosedMidBody => match op.reads() {
            Reads::Json | Reads::Token | Reads::NewId | Reads::Text => {
                retried(Outcome::transport("Body", true))
            }
            Reads::Nothing => bad_success(Outcome::ok()),
        },
        // Bodies that are read are bounded; unread ones do not matter.
        Fault::OversizedDeclared | Fault::OversizedChunked => Cell {
            outcome: match op.reads() {
                Reads::Json | Reads::Token | Reads::NewId | Reads::Text => Outcome::too_large(),
                Reads::Nothing => Outcome::ok(),
            },
            sends: 1,
            state: State::Unchanged,
        },
        Fault::HtmlErrorPage => retried(Outcome::api(502, true, false)),
        Fault::Empty500 | Fault::DeepError => retried(Outcome::api(500, false, false)),
        Fault::UnauthorizedAlways => {
            if op.is_unleash() {
                retried(Outcome::api(401, false, true))
            } else {
                // Replayed once after the refresh, never more.
                Cell {
                    sends: 2,
                    ..retried(Outcome::api(401, false, true))
                }
            }
        }
        Fault::Unauthorized => {
            if op.is_unleash() {
                retried(Outcome::api(401, false, true))
            } else {
                Cell {
                    outcome: Outcome::ok(),
                    // The add lists the providers first (to learn the new
                    // id): that GET meets the expired token, so the POST
                    // goes once, with the refreshed one.
                    sends: if op.reads() == Reads::NewId { 1 } else { 2 },
                    state: if op.changes_state() {
                        State::ChangedOnce
                    } else {
                        State::Unchanged
                    },
                }
            }
        }
    }
}
