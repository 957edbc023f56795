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
    /// The operation the error names (`operation()`).
    pub(super) operation: Option<&'static str>,
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
            operation: None,
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

    /// The error as `op` reports it (`ok` stays `ok`).
    pub(super) fn of_op(mut self, op: Op) -> Self {
        if self.variant != "ok" {
            self.operation = Some(op.operation_id());
        }
        self
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
            operation: error.operation(),
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
    /// A vCenter session stays open (until vCenter's idle timeout).
    SessionLeftOpen,
}

impl State {
    pub(super) fn text(self) -> &'static str {
        match self {
            State::Unchanged => "unchanged",
            State::ChangedOnce => "changed once",
            State::Unchecked => "not checked",
            State::SessionLeftOpen => "vCenter session left open",
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
    /// The other requests the call sent: logins, renewals, the call that
    /// carries a login step ([`TRACKED`], in its order, nonzero only).
    pub(super) also: Vec<(&'static str, u64)>,
    pub(super) state: State,
}

/// The policy, stated once: what every cell must produce.
pub(super) fn expected(op: Op, fault: Fault) -> Cell {
    if op.is_login() {
        return login(op, fault);
    }
    if let Some(first) = op.reads_first() {
        return after_first(op, first, fault);
    }
    own(op, fault)
}

/// A call that reads `first` (Graph's job list) before its own request:
/// a refused connection fails the read (retried as a read); an expired
/// app-only token is met by the read, which renews it and replays once;
/// every other fault is the call's own, after one read.
fn after_first(op: Op, first: Op, fault: Fault) -> Cell {
    let read = tracked_label(first.facts().spec);
    match fault {
        Fault::Refused => {
            let failed = request(first, fault);
            Cell {
                outcome: failed.outcome,
                sends: 0,
                also: vec![(read, failed.sends)],
                state: State::Unchanged,
            }
        }
        Fault::Unauthorized => Cell {
            outcome: Outcome::ok(),
            sends: 1,
            also: vec![
                (
                    tracked_label(&idp_api::msidentity::operations::REQUEST_APP_TOKEN),
                    1,
                ),
                (read, 2),
            ],
            state: State::Unchanged,
        },
        _ => {
            let mut cell = own(op, fault);
            cell.also.push((read, 1));
            cell
        }
    }
}

/// The policy for the operation's own requests.
fn own(op: Op, fault: Fault) -> Cell {
    // A renewing session renews once after the 401, whatever follows.
    let renewal = match (op.api(), op.auth(), fault) {
        (Api::Vcf, Auth::Renewing, Fault::Unauthorized | Fault::UnauthorizedAlways) => {
            vec![(
                tracked_label(&idp_api::vcf::operations::REFRESH_ACCESS_TOKEN),
                1,
            )]
        }
        (Api::Ops, Auth::Renewing, Fault::Unauthorized | Fault::UnauthorizedAlways) => {
            vec![(
                tracked_label(&idp_api::vcf_ops::operations::ACQUIRE_TOKEN),
                1,
            )]
        }
        (_, Auth::Renewing, Fault::Unauthorized | Fault::UnauthorizedAlways) => {
            vec![(
                tracked_label(&idp_api::broker::operations::GET_BROKER_ACCESS_TOKEN),
                1,
            )]
        }
        (_, Auth::Cached, Fault::Unauthorized | Fault::UnauthorizedAlways) => {
            vec![(
                tracked_label(&idp_api::msidentity::operations::REQUEST_APP_TOKEN),
                1,
            )]
        }
        _ => Vec::new(),
    };
    Cell {
        also: renewal,
        ..request(op, fault)
    }
}

/// What the requests of `op` meet and produce, by the method, whether the
/// operation is idempotent, how it reads its body and how its API
/// authenticates.
fn request(op: Op, fault: Fault) -> Cell {
    let post = op.method() == "POST";
    // Retried on every transient failure: reads, and what the client
    // knows to be idempotent.
    let idempotent = op.method() == "GET" || op.idempotent();
    let vendor = |status| op.vendor(status);
    let max = u64::from(MAX_ATTEMPTS);
    let cell = |outcome: Outcome, sends: u64, state: State| Cell {
        outcome: outcome.of_op(op),
        sends,
        also: Vec::new(),
        state,
    };
    // Transient failures: idempotent operations retried; PATCH, PUT and
    // DELETE only when the request never left; POST never.
    let retried = |outcome: Outcome| {
        let sends = if outcome.retryable && (idempotent || (!post && !outcome.may_have_been_sent)) {
            max
        } else {
            1
        };
        cell(outcome, sends, State::Unchanged)
    };
    // A success body that is not what the operation needs.
    let bad_success = |json_or_token: Outcome| {
        let outcome = match op.reads() {
            Reads::Json | Reads::Token => json_or_token,
            Reads::NewId => Outcome::id_unknown(),
            Reads::Text | Reads::Nothing => Outcome::ok(),
        };
        // The fault answered instead of the handler: nothing changed.
        cell(outcome, 1, State::Unchanged)
    };
    // A 200 the spec does not declare (it lists 201 or 204 only) is an
    // error status to the generated code, whatever the body.
    let undeclared_200 = || cell(Outcome::api(200, false, false), 1, State::Unchanged);
    // As one successful call changes it.
    let changed = if op.changes_state() {
        State::ChangedOnce
    } else {
        State::Unchanged
    };
    match fault {
        // A grant names its role, which the client looks up first (once
        // per client; the other rows find it cached): with no server, that
        // lookup is what fails, and the grant is never sent.
        Fault::Refused if op == Op::AddUser => {
            let mut failed = retried(Outcome::transport("Connect", false));
            failed.outcome.operation = Some(idp_api::vcf::operations::GET_ROLES.id);
            failed.sends = 0;
            failed
        }
        Fault::Refused => retried(Outcome::transport("Connect", false)),
        Fault::Dropped => retried(Outcome::transport("Other", true)),
        Fault::DroppedOnce | Fault::Unavailable503Once => {
            if idempotent {
                cell(Outcome::ok(), 2, changed)
            } else if fault == Fault::DroppedOnce {
                retried(Outcome::transport("Other", true))
            } else {
                retried(Outcome::api(503, true, vendor(503)))
            }
        }
        Fault::Timeout => Cell {
            state: State::Unchecked,
            ..retried(Outcome::transport("Timeout", true))
        },
        Fault::Status(status, retry_after) => {
            let retryable = matches!(status, 429 | 502 | 503 | 504);
            let outcome = Outcome::api(status, retryable, vendor(status));
            retried(if retry_after {
                outcome.with_retry_after(1)
            } else {
                outcome
            })
        }
        Fault::TruncatedJson
        | Fault::HtmlSuccess
        | Fault::PlainTextSuccess
        | Fault::EmptySuccess
        | Fault::ClosedMidBody
        | Fault::OversizedDeclared
        | Fault::OversizedChunked
            if !op.declares(200) =>
        {
            undeclared_200()
        }
        Fault::TruncatedJson | Fault::HtmlSuccess | Fault::PlainTextSuccess => {
            bad_success(Outcome::decode(Some(200)))
        }
        Fault::EmptySuccess => bad_success(match op.facts().empty {
            // An empty body reads as `{}`: an empty list.
            Empty::Ok => Outcome::ok(),
            // The generated type requires a field `{}` lacks.
            Empty::Generated => Outcome::decode(Some(200)),
            // A token must be there, a provider needs its id, the SCIM
            // settings need `enabled`.
            Empty::Facade => Outcome::decode(None),
        }),
        // A body that is read fails as a transport error (retried when
        // idempotent); an operation that reads no body has its 2xx.
        Fault::ClosedMidBody => match op.reads() {
            Reads::Json | Reads::Token | Reads::NewId | Reads::Text => {
                retried(Outcome::transport("Body", true))
            }
            Reads::Nothing => bad_success(Outcome::ok()),
        },
        // Bodies that are read are bounded; unread ones do not matter.
        Fault::OversizedDeclared | Fault::OversizedChunked => cell(
            match op.reads() {
                Reads::Json | Reads::Token | Reads::NewId | Reads::Text => Outcome::too_large(),
                Reads::Nothing => Outcome::ok(),
            },
            1,
            State::Unchanged,
        ),
        Fault::HtmlErrorPage => retried(Outcome::api(502, true, false)),
        Fault::Empty500 | Fault::DeepError => retried(Outcome::api(500, false, false)),
        Fault::UnauthorizedAlways => match op.auth() {
            // Replayed once after the renewal, never more.
            Auth::Renewing | Auth::Cached => Cell {
                sends: 2,
                ..retried(Outcome::api(401, false, vendor(401)))
            },
            // A fixed credential, a login step: returned.
            Auth::Fixed | Auth::Renewal => retried(Outcome::api(401, false, vendor(401))),
        },
        Fault::Unauthorized => match op.auth() {
            // The add lists the providers first (to learn the new id):
            // that GET meets the expired token, so the POST goes once,
            // with the renewed one.
            Auth::Renewing => cell(
                Outcome::ok(),
                if op.reads() == Reads::NewId { 1 } else { 2 },
                changed,
            ),
            // A new token from the token endpoint, then the replay.
            Auth::Cached => cell(Outcome::ok(), 2, changed),
            Auth::Fixed => retried(Outcome::api(401, false, vendor(401))),
            // The renewal runs the login step once.
            Auth::Renewal => cell(Outcome::ok(), 1, State::Unchanged),
        },
    }
}

/// A login step, exercised through the call that carries it on a client
/// without a session (in the "401" row: through the renewal after the
/// carrying call's 401). The step's requests follow the policy; the steps
/// after it, and the carrying call, are sent only when it succeeded —
/// except the end of a vCenter session, sent whenever the session was
/// created, whose failure is logged, not returned. Under "connection
/// refused" the login's first request fails and nothing follows it.
fn login(op: Op, fault: Fault) -> Cell {
    let chain = op.chain();
    let first = chain[0];
    if fault == Fault::Refused {
        let failed = request(first, fault);
        if first == op {
            return failed;
        }
        return Cell {
            sends: 0,
            also: vec![(tracked_label(first.facts().spec), failed.sends)],
            ..failed
        };
    }
    let own = request(op, fault);
    let succeeded = own.outcome.variant == "ok";
    let position = chain.iter().position(|step| *step == op).unwrap();
    let mut also = Vec::new();
    for (index, step) in chain.iter().enumerate() {
        let sent = match index.cmp(&position) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Equal => false,
            // The session exists unless the row's step was its creation
            // and failed.
            std::cmp::Ordering::Greater if step.swallows_errors() => position > 0 || succeeded,
            std::cmp::Ordering::Greater => succeeded,
        };
        if sent {
            also.push((tracked_label(step.facts().spec), 1));
        }
    }
    if succeeded || op.swallows_errors() {
        // In the "401" row: the carrying call's 401, then its replay.
        let carried = if fault == Fault::Unauthorized { 2 } else { 1 };
        let carrier = op.carrier().unwrap();
        also.push((tracked_label(carrier.facts().spec), carried));
    }
    also.sort_by_key(|(label, _)| TRACKED.iter().position(|t| t.label == *label));
    let state = if fault == Fault::Timeout {
        State::Unchecked
    } else if op.swallows_errors() && fault.rule(op).is_some() {
        // The fault answered instead of vCenter: the session stays open.
        State::SessionLeftOpen
    } else {
        State::Unchanged
    };
    Cell {
        outcome: if op.swallows_errors() {
            Outcome::ok()
        } else {
            own.outcome
        },
        sends: own.sends,
        also,
        state,
    }
}

/// The label of a tracked operation.
fn tracked_label(op: &idp_api::Operation) -> &'static str {
    TRACKED
        .iter()
        .find(|t| t.op.id == op.id)
        .map(|t| t.label)
        .unwrap()
}
