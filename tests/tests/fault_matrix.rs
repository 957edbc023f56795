//! The fault matrix: every operation of the facade against every fault the
//! simulator (or a closed port) can produce, each cell asserting the exact
//! outcome — the `Error` variant and its helpers, how many requests were
//! sent (seen by the client's tracing span and by the simulator's request
//! log), that no `POST` was processed twice, and what became of the
//! server's state.
//!
//! The expected outcome of every cell is computed below from the stated
//! policy ([`expected`]); the observed matrix is rendered as Markdown and
//! must equal the generated section of `docs/RELIABILITY.md`. After a
//! deliberate change, rewrite it with
//! `IDP_UPDATE_RELIABILITY=1 cargo test -p idp-tests --test fault_matrix`.

#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use idp_client::{
    Error, FederatedSpecBuilder, IdentitySourceSpecBuilder, RetryPolicy, RootCertificates, Secret,
    UnleashClient, VcfClient,
};
use idp_sim::{FaultBody, FaultRule, SimConfig, Simulator};
use tracing::instrument::WithSubscriber as _;
use tracing::span::{Attributes, Id, Record};
use tracing::{Subscriber, field::Field};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::LookupSpan;

/// Attempts per operation in the policy under test.
const MAX_ATTEMPTS: u32 = 3;
/// The request timeout of the timeout row (the simulator waits 2 s).
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);
/// The response bound of the oversized-body rows.
const SMALL_BODY_LIMIT: u64 = 256 * 1024;
/// The oversized bodies: 2 MiB.
const OVERSIZED_BODY: u64 = 2 * 1024 * 1024;
/// The nesting depth of the deep error body.
const DEEP_NESTING: usize = 10_000;
/// The domain name of the identity source the source operations use.
const DOMAIN: &str = "fault-matrix.example.com";

// ---------------------------------------------------------------------------
// Operations

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Op {
    List,
    Get,
    AddProvider,
    UpdateProvider,
    DeleteProvider,
    AddSource,
    UpdateSource,
    DeleteSource,
    SyncToken,
    Prechecks,
    ScimToken,
    GetScim,
    SetScim,
}

/// How an operation reads its success body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// A JSON document (decoded tolerantly).
    Json,
    /// A JSON document that must hold a new token.
    Token,
    /// The new provider's id as raw text, else a lookup by name.
    NewId,
    /// Raw text that is ignored.
    Text,
    /// Nothing: the body is never read.
    Nothing,
}

impl Op {
    const ALL: [Op; 13] = [
        Op::List,
        Op::Get,
        Op::AddProvider,
        Op::UpdateProvider,
        Op::DeleteProvider,
        Op::AddSource,
        Op::UpdateSource,
        Op::DeleteSource,
        Op::SyncToken,
        Op::Prechecks,
        Op::ScimToken,
        Op::GetScim,
        Op::SetScim,
    ];

    fn name(self) -> &'static str {
        match self {
            Op::List => "list_identity_providers",
            Op::Get => "get_identity_provider",
            Op::AddProvider => "add_external_identity_provider",
            Op::UpdateProvider => "update_external_identity_provider",
            Op::DeleteProvider => "delete_external_identity_provider",
            Op::AddSource => "add_embedded_identity_source",
            Op::UpdateSource => "update_embedded_identity_source",
            Op::DeleteSource => "delete_identity_source",
            Op::SyncToken => "generate_sync_client_token",
            Op::Prechecks => "identity_broker_prechecks",
            Op::ScimToken => "generate_scim_token",
            Op::GetScim => "scim_settings",
            Op::SetScim => "set_scim_settings",
        }
    }

    /// The column title of the summary grid.
    fn short(self) -> &'static str {
        match self {
            Op::List => "list",
            Op::Get => "get",
            Op::AddProvider => "add IdP",
            Op::UpdateProvider => "update IdP",
            Op::DeleteProvider => "delete IdP",
            Op::AddSource => "add source",
            Op::UpdateSource => "update source",
            Op::DeleteSource => "delete source",
            Op::SyncToken => "sync token",
            Op::Prechecks => "prechecks",
            Op::ScimToken => "SCIM token",
            Op::GetScim => "get SCIM",
            Op::SetScim => "set SCIM",
        }
    }

    /// The OpenAPI operationId (the tracing span's `operation`).
    fn operation_id(self) -> &'static str {
        match self {
            Op::List => "getIdentityProviders",
            Op::Get => "getIdentityProvider",
            Op::AddProvider => "addExternalIdentityProvider",
            Op::UpdateProvider => "updateExternalIdentityProvider",
            Op::DeleteProvider => "deleteExternalIdentityProvider",
            Op::AddSource => "addEmbeddedIdentitySource",
            Op::UpdateSource => "updateEmbeddedIdentitySource",
            Op::DeleteSource => "deleteIdentitySource",
            Op::SyncToken => "generateSyncClientToken",
            Op::Prechecks => "getIdentityBrokerPrechecks",
            Op::ScimToken => "generateScimToken",
            Op::GetScim => "getScimSettings",
            Op::SetScim => "setScimSettings",
        }
    }

    fn method(self) -> &'static str {
        match self {
            Op::List | Op::Get | Op::Prechecks | Op::GetScim => "GET",
            Op::AddProvider | Op::AddSource | Op::SyncToken | Op::ScimToken | Op::SetScim => "POST",
            Op::UpdateProvider | Op::UpdateSource => "PATCH",
            Op::DeleteProvider | Op::DeleteSource => "DELETE",
        }
    }

    fn is_unleash(self) -> bool {
        matches!(self, Op::ScimToken | Op::GetScim | Op::SetScim)
    }

    fn changes_state(self) -> bool {
        self.method() != "GET"
    }

    fn reads(self) -> Reads {
        match self {
            Op::List | Op::Get | Op::Prechecks | Op::GetScim => Reads::Json,
            Op::SyncToken | Op::ScimToken => Reads::Token,
            Op::AddProvider => Reads::NewId,
            Op::AddSource => Reads::Text,
            Op::UpdateProvider
            | Op::DeleteProvider
            | Op::UpdateSource
            | Op::DeleteSource
            | Op::SetScim => Reads::Nothing,
        }
    }

    /// Whether the cell needs an external (Okta) provider first.
    fn needs_external(self) -> bool {
        matches!(
            self,
            Op::UpdateProvider | Op::DeleteProvider | Op::SyncToken
        )
    }

    /// Whether the cell needs the identity source [`DOMAIN`] first.
    fn needs_source(self) -> bool {
        matches!(self, Op::UpdateSource | Op::DeleteSource)
    }

    /// The route a fault rule names (a template where there are ids).
    fn route(self) -> &'static str {
        match self {
            Op::List | Op::AddProvider => "/v1/identity-providers",
            Op::Get | Op::UpdateProvider | Op::DeleteProvider => "/v1/identity-providers/{id}",
            Op::AddSource => "/v1/identity-providers/{id}/identity-sources",
            Op::UpdateSource | Op::DeleteSource => {
                "/v1/identity-providers/{id}/identity-sources/{domainName}"
            }
            Op::SyncToken => "/v1/identity-providers/{id}/sync-client",
            Op::Prechecks => "/v1/identity-broker/prechecks",
            Op::ScimToken => "/unleash/api/admin/scim-settings/generate-new-token",
            Op::GetScim | Op::SetScim => "/unleash/api/admin/scim-settings",
        }
    }

    /// The path a request of this cell goes to.
    fn path(self, ids: &Ids) -> String {
        let external = ids.external.as_deref().unwrap_or("none");
        match self {
            Op::List | Op::AddProvider => "/v1/identity-providers".to_owned(),
            Op::Get => format!("/v1/identity-providers/{}", ids.embedded),
            Op::UpdateProvider | Op::DeleteProvider => {
                format!("/v1/identity-providers/{external}")
            }
            Op::AddSource => format!("/v1/identity-providers/{}/identity-sources", ids.embedded),
            Op::UpdateSource | Op::DeleteSource => format!(
                "/v1/identity-providers/{}/identity-sources/{DOMAIN}",
                ids.embedded
            ),
            Op::SyncToken => format!("/v1/identity-providers/{external}/sync-client"),
            Op::Prechecks => "/v1/identity-broker/prechecks".to_owned(),
            Op::ScimToken => "/unleash/api/admin/scim-settings/generate-new-token".to_owned(),
            Op::GetScim | Op::SetScim => "/unleash/api/admin/scim-settings".to_owned(),
        }
    }

    /// Runs the operation; a new token or id comes back for checking.
    async fn run(self, clients: &Clients, ids: &Ids) -> Result<Option<String>, Error> {
        let vcf = &clients.vcf;
        let unleash = &clients.unleash;
        let external = ids.external.as_deref().unwrap_or("none");
        match self {
            Op::List => vcf.list_identity_providers().await.map(|_| None),
            Op::Get => vcf.get_identity_provider(&ids.embedded).await.map(|_| None),
            Op::AddProvider => vcf
                .add_external_identity_provider(&okta_spec(Duration::from_secs(7200)))
                .await
                .map(Some),
            Op::UpdateProvider => vcf
                .update_external_identity_provider(external, &okta_spec(Duration::from_secs(600)))
                .await
                .map(|()| None),
            Op::DeleteProvider => vcf
                .delete_external_identity_provider(external)
                .await
                .map(|()| None),
            Op::AddSource => vcf
                .add_embedded_identity_source(&ids.embedded, &ad_source("ldap://dc01.example.com"))
                .await
                .map(|()| None),
            Op::UpdateSource => vcf
                .update_embedded_identity_source(
                    &ids.embedded,
                    DOMAIN,
                    &ad_source("ldap://dc02.example.com"),
                )
                .await
                .map(|()| None),
            Op::DeleteSource => vcf
                .delete_identity_source(&ids.embedded, DOMAIN)
                .await
                .map(|()| None),
            Op::SyncToken => vcf
                .generate_sync_client_token(external, Some(Duration::from_secs(3600)))
                .await
                .map(|t| Some(t.token.expose().to_owned())),
            Op::Prechecks => vcf.identity_broker_prechecks().await.map(|_| None),
            Op::ScimToken => unleash
                .generate_scim_token()
                .await
                .map(|t| Some(t.token.expose().to_owned())),
            Op::GetScim => unleash.scim_settings().await.map(|_| None),
            Op::SetScim => unleash
                .set_scim_settings(!ids.scim_enabled)
                .await
                .map(|()| None),
        }
    }
}

fn okta_spec(ttl: Duration) -> idp_client::types::IdentityProviderSpec {
    FederatedSpecBuilder::okta("okta")
        .directory_name("okta_dir")
        .default_domain("domain1.com")
        .domain("domain1.com")
        .client_id("5c7c57d7-54dc-4d58-ad92-7fa717604cda")
        .client_secret(Secret::new("okta-client-secret"))
        .discovery_endpoint("https://domain.com/.well-known/openid-configuration")
        .sync_client_token_ttl(ttl)
        .build()
        .unwrap()
}

fn ad_source(endpoint: &str) -> idp_client::types::IdentitySourceSpec {
    IdentitySourceSpecBuilder::active_directory("Fault matrix AD")
        .domain_name(DOMAIN)
        .domain_alias("fault-matrix")
        .bind_username("svc@fault-matrix.example.com")
        .bind_password(Secret::new("ldap-bind-password"))
        .users_base_dn("users-base-dn")
        .groups_base_dn("groups-base-dn")
        .server_endpoint(endpoint)
        .build()
        .unwrap()
}

// ---------------------------------------------------------------------------
// Faults

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Fault {
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
    fn all() -> Vec<Fault> {
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

    fn title(self) -> String {
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
                "401: access token expired (VCF: refreshed and replayed once); API key rejected (Unleash)"
                    .into()
            }
            Fault::UnauthorizedAlways => {
                "401 on every attempt (VCF: one refresh, one replay, then the 401)".into()
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
    fn rule(self, op: Op) -> Option<FaultRule> {
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
fn deep_error_body() -> String {
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

// ---------------------------------------------------------------------------
// Outcomes

/// What a cell's call returned, as the helpers describe it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Outcome {
    /// `ok`, or the `Error` variant's name.
    variant: &'static str,
    status: Option<u16>,
    transport: Option<String>,
    retryable: bool,
    may_have_been_sent: bool,
    retry_after_secs: Option<u64>,
    /// Whether a vendor error body was recognized.
    vendor: bool,
}

impl Outcome {
    fn ok() -> Self {
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

    fn api(status: u16, retryable: bool, vendor: bool) -> Self {
        Outcome {
            variant: "Api",
            status: Some(status),
            retryable,
            vendor,
            ..Outcome::ok()
        }
    }

    fn transport(kind: &str, may_have_been_sent: bool) -> Self {
        Outcome {
            variant: "Transport",
            transport: Some(kind.to_owned()),
            retryable: true,
            may_have_been_sent,
            ..Outcome::ok()
        }
    }

    fn decode(status: Option<u16>) -> Self {
        Outcome {
            variant: "Decode",
            status,
            ..Outcome::ok()
        }
    }

    fn id_unknown() -> Self {
        Outcome {
            variant: "IdUnknown",
            ..Outcome::ok()
        }
    }

    fn too_large() -> Self {
        Outcome {
            variant: "ResponseTooLarge",
            status: Some(200),
            ..Outcome::ok()
        }
    }

    fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after_secs = Some(secs);
        self
    }

    fn of(result: &Result<Option<String>, Error>) -> Self {
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
    fn short(&self) -> String {
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
enum State {
    Unchanged,
    /// Changed exactly as one successful call would change it.
    ChangedOnce,
    /// Not checked: a timed-out request may still be processed later.
    Unchecked,
}

impl State {
    fn text(self) -> &'static str {
        match self {
            State::Unchanged => "unchanged",
            State::ChangedOnce => "changed once",
            State::Unchecked => "not checked",
        }
    }
}

/// One cell's result.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Cell {
    outcome: Outcome,
    /// Requests of this operation the client sent (its tracing span's
    /// `attempt`s), 401 replays included.
    sends: u64,
    state: State,
}

/// The policy, stated once: what every cell must produce.
fn expected(op: Op, fault: Fault) -> Cell {
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

// ---------------------------------------------------------------------------
// Counting sends through the client's tracing spans

/// Sums, per operation id, the `attempt` of every finished
/// `idp_client.operation` span.
#[derive(Clone, Default)]
struct Sends(Arc<Mutex<HashMap<String, u64>>>);

#[derive(Default)]
struct SpanFields {
    operation: String,
    attempt: u64,
}

impl tracing::field::Visit for SpanFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "operation" {
            value.clone_into(&mut self.operation);
        }
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == "attempt" {
            self.attempt = value;
        }
    }

    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S> Layer<S> for Sends
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if attrs.metadata().name() != "idp_client.operation" {
            return;
        }
        let mut fields = SpanFields::default();
        attrs.record(&mut fields);
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id)
            && let Some(fields) = span.extensions_mut().get_mut::<SpanFields>()
        {
            values.record(fields);
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && let Some(fields) = span.extensions().get::<SpanFields>()
        {
            *self
                .0
                .lock()
                .unwrap()
                .entry(fields.operation.clone())
                .or_default() += fields.attempt;
        }
    }
}

impl Sends {
    fn of(&self, operation: &str) -> u64 {
        self.0.lock().unwrap().get(operation).copied().unwrap_or(0)
    }
}

// ---------------------------------------------------------------------------
// Running a cell

struct Ids {
    embedded: String,
    external: Option<String>,
    scim_enabled: bool,
}

struct Clients {
    vcf: VcfClient,
    unleash: UnleashClient,
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(MAX_ATTEMPTS)
        .with_base_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
        // `Retry-After: 1` is honoured, cut to 20 ms.
        .with_max_retry_after(Duration::from_millis(20))
}

fn clients(sim: &Simulator, fault: Fault) -> Clients {
    let timeout = if fault == Fault::Timeout {
        SHORT_TIMEOUT
    } else {
        Duration::from_secs(20)
    };
    let limit = match fault {
        Fault::OversizedDeclared | Fault::OversizedChunked => SMALL_BODY_LIMIT,
        _ => idp_client::DEFAULT_MAX_RESPONSE_BYTES,
    };
    let (vcf_url, unleash_url) = if fault == Fault::Refused {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        (
            format!("http://127.0.0.1:{port}"),
            format!("http://127.0.0.1:{port}/unleash"),
        )
    } else {
        (sim.vcf_url(), sim.unleash_url())
    };
    // Plain HTTP on loopback: the bundled roots are only cheaper to load.
    let vcf = VcfClient::builder(vcf_url)
        .root_certificates(RootCertificates::Bundled)
        .retry_policy(fast_retries())
        .request_timeout(timeout)
        .max_response_bytes(limit);
    let vcf = if matches!(fault, Fault::Refused | Fault::Timeout) {
        // Nothing to log in to, or a login that must not race the short
        // timeout: a token issued by the simulator.
        vcf.bearer_token(Secret::new(sim.issue_access_token()))
    } else {
        vcf.credentials(sim.vcf_username(), Secret::new(sim.vcf_password()))
    };
    let key = if fault == Fault::Unauthorized {
        "*:*.revoked-admin-key".to_owned()
    } else {
        sim.unleash_api_key().to_owned()
    };
    let unleash = UnleashClient::builder(unleash_url)
        .root_certificates(RootCertificates::Bundled)
        .api_token(Secret::new(key))
        .retry_policy(fast_retries())
        .request_timeout(timeout)
        .max_response_bytes(limit);
    Clients {
        vcf: vcf.build().unwrap(),
        unleash: unleash.build().unwrap(),
    }
}

/// Everything a call could change.
fn snapshot(sim: &Simulator, ids: &Ids) -> String {
    let sync = ids
        .external
        .as_deref()
        .and_then(|id| sim.sync_client_token(id));
    format!(
        "{} sync={sync:?} scim={:?} enabled={}",
        sim.identity_providers_json(),
        sim.unleash_scim_token(),
        sim.unleash_scim_enabled()
    )
}

/// Runs one cell on a fresh simulator and checks what only the cell can
/// check (no duplicate POST, tokens); returns what was observed.
async fn run_cell(op: Op, fault: Fault) -> Cell {
    let label = format!("{} × {}", op.name(), fault.title());
    let sim = Simulator::start(SimConfig::builder().build().unwrap())
        .await
        .unwrap();

    // The state the operation needs, made by another client.
    let setup = VcfClient::builder(sim.vcf_url())
        .root_certificates(RootCertificates::Bundled)
        .credentials(sim.vcf_username(), Secret::new(sim.vcf_password()))
        .build()
        .unwrap();
    let embedded = setup
        .embedded_identity_provider()
        .await
        .unwrap()
        .unwrap()
        .id;
    let external = if op.needs_external() {
        let id = setup
            .add_external_identity_provider(&okta_spec(Duration::from_secs(7200)))
            .await
            .unwrap();
        if op == Op::SyncToken {
            // A current token, so that a new one visibly replaces it.
            setup.generate_sync_client_token(&id, None).await.unwrap();
        }
        Some(id)
    } else {
        None
    };
    if op.needs_source() {
        setup
            .add_embedded_identity_source(&embedded, &ad_source("ldap://dc00.example.com"))
            .await
            .unwrap();
    }
    let ids = Ids {
        embedded,
        external,
        scim_enabled: sim.unleash_scim_enabled(),
    };

    // The client under test, logged in before the fault.
    let clients = clients(&sim, fault);
    if !matches!(fault, Fault::Refused | Fault::Timeout) && !op.is_unleash() {
        clients.vcf.list_identity_providers().await.unwrap();
    }
    if fault == Fault::Unauthorized {
        sim.expire_access_tokens();
    }
    if let Some(rule) = fault.rule(op) {
        sim.faults().try_add(rule).unwrap();
    }
    sim.clear_requests();
    let before = snapshot(&sim, &ids);

    let sends = Sends::default();
    let subscriber = tracing_subscriber::registry().with(sends.clone());
    let result = op.run(&clients, &ids).with_subscriber(subscriber).await;
    let outcome = Outcome::of(&result);
    let client_sends = sends.of(op.operation_id());

    // The simulator saw exactly what the client sent (nothing, when the
    // port was closed).
    let path = op.path(&ids);
    let requests = sim.requests();
    let on_route: Vec<_> = requests
        .iter()
        .filter(|r| r.method == op.method() && r.path == path)
        .collect();
    let seen = if fault == Fault::Refused {
        assert!(requests.is_empty(), "{label}: {requests:?}");
        client_sends
    } else {
        on_route.len() as u64
    };
    assert_eq!(seen, client_sends, "{label}: simulator vs client sends");
    // Never a duplicate POST: at most one reached the handler and succeeded.
    if op.method() == "POST" {
        let processed = on_route
            .iter()
            .filter(|r| r.fault.is_none() && r.status.is_some_and(|s| s < 300))
            .count();
        assert!(processed <= 1, "{label}: {on_route:?}");
    }
    // Only the refresh, when the token expired; never a second login.
    let token_requests: Vec<_> = requests
        .iter()
        .filter(|r| r.path.starts_with("/v1/tokens"))
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    if matches!(fault, Fault::Unauthorized | Fault::UnauthorizedAlways) && !op.is_unleash() {
        assert_eq!(
            token_requests,
            [("PATCH", "/v1/tokens/access-token/refresh")],
            "{label}"
        );
    } else {
        assert!(token_requests.is_empty(), "{label}: {token_requests:?}");
    }

    let state = if fault == Fault::Timeout {
        State::Unchecked
    } else if snapshot(&sim, &ids) == before {
        State::Unchanged
    } else {
        // What changed is what the call was to change.
        match (op, &result) {
            (Op::AddProvider, Ok(Some(id))) => {
                assert_eq!(sim.external_provider_id().as_ref(), Some(id), "{label}");
            }
            (Op::SyncToken, Ok(Some(token))) => {
                let current = sim.sync_client_token(ids.external.as_deref().unwrap());
                assert_eq!(current.as_ref(), Some(token), "{label}: one valid token");
            }
            (Op::ScimToken, Ok(Some(token))) => {
                assert_eq!(sim.unleash_scim_token().as_ref(), Some(token), "{label}");
            }
            (Op::AddSource, Ok(_)) => {
                let domains = sim.identity_source_domains();
                let count = domains.iter().filter(|d| *d == DOMAIN).count();
                assert_eq!(count, 1, "{label}");
            }
            (Op::DeleteSource, Ok(_)) => {
                assert!(!sim.identity_source_domains().iter().any(|d| d == DOMAIN));
            }
            (Op::DeleteProvider, Ok(_)) => assert_eq!(sim.external_provider_id(), None),
            (Op::SetScim, Ok(_)) => assert_eq!(sim.unleash_scim_enabled(), !ids.scim_enabled),
            (Op::UpdateProvider | Op::UpdateSource, Ok(_)) => {}
            _ => panic!("{label}: the state changed, yet the call returned {result:?}"),
        }
        State::ChangedOnce
    };

    sim.shutdown().await;
    Cell {
        outcome,
        sends: client_sends,
        state,
    }
}

// ---------------------------------------------------------------------------
// The matrix

const DOC_BEGIN: &str = "<!-- fault-matrix:begin (generated by tests/tests/fault_matrix.rs) -->";
const DOC_END: &str = "<!-- fault-matrix:end -->";

fn doc_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/RELIABILITY.md")
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn render(faults: &[Fault], cells: &BTreeMap<(Fault, Op), Cell>) -> String {
    let mut out = String::new();
    let ops = Op::ALL;
    writeln!(
        out,
        "{} operations × {} faults = {} cells, every one asserted.\n",
        ops.len(),
        faults.len(),
        ops.len() * faults.len()
    )
    .unwrap();
    out.push_str("### Summary\n\n");
    out.push_str(
        "Each cell: the outcome (`ok`, the HTTP status of an `Error::Api`, the \
         `TransportKind` of an `Error::Transport`, or the variant; `RA` when \
         `retry_after()` carries the server's `Retry-After`) and how many requests \
         the client sent.\n\n",
    );
    out.push_str("| fault |");
    for op in ops {
        write!(out, " {} |", op.short()).unwrap();
    }
    out.push_str("\n|---|");
    for _ in ops {
        out.push_str("---|");
    }
    out.push('\n');
    for fault in faults {
        write!(out, "| {} |", fault.title()).unwrap();
        for op in ops {
            let cell = &cells[&(*fault, op)];
            write!(out, " {} ×{} |", cell.outcome.short(), cell.sends).unwrap();
        }
        out.push('\n');
    }
    out.push_str("\n### Every cell\n");
    for fault in faults {
        write!(out, "\n#### {}\n\n", fault.title()).unwrap();
        out.push_str(
            "| operation | method | outcome | `status()` | `transport_kind()` | \
             `is_retryable()` | `request_may_have_been_sent()` | `retry_after()` | \
             vendor body | requests | server state |\n",
        );
        out.push_str("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for op in ops {
            let cell = &cells[&(*fault, op)];
            let o = &cell.outcome;
            let dash = || "–".to_owned();
            if o.variant == "ok" {
                writeln!(
                    out,
                    "| `{}` | {} | ok | – | – | – | – | – | – | {} | {} |",
                    op.name(),
                    op.method(),
                    cell.sends,
                    cell.state.text()
                )
                .unwrap();
                continue;
            }
            writeln!(
                out,
                "| `{}` | {} | `{}` | {} | {} | {} | {} | {} | {} | {} | {} |",
                op.name(),
                op.method(),
                o.variant,
                o.status.map_or_else(dash, |s| s.to_string()),
                o.transport.clone().unwrap_or_else(dash),
                yes_no(o.retryable),
                yes_no(o.may_have_been_sent),
                o.retry_after_secs.map_or_else(dash, |s| format!("{s} s")),
                yes_no(o.vendor),
                cell.sends,
                cell.state.text()
            )
            .unwrap();
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_under_every_fault() {
    let faults = Fault::all();
    let gate = Arc::new(tokio::sync::Semaphore::new(12));
    let mut running = tokio::task::JoinSet::new();
    for fault in &faults {
        for op in Op::ALL {
            let fault = *fault;
            let permit = Arc::clone(&gate).acquire_owned().await.unwrap();
            running.spawn(async move {
                let _permit = permit;
                let cell = tokio::time::timeout(Duration::from_secs(60), run_cell(op, fault))
                    .await
                    .unwrap_or_else(|_| panic!("{} × {}: hung", op.name(), fault.title()));
                ((fault, op), cell)
            });
        }
    }
    let mut cells = BTreeMap::new();
    while let Some(joined) = running.join_next().await {
        let (key, cell) = joined.unwrap();
        cells.insert(key, cell);
    }
    assert_eq!(cells.len(), faults.len() * Op::ALL.len());

    let mismatches: Vec<String> = cells
        .iter()
        .filter_map(|((fault, op), cell)| {
            let want = expected(*op, *fault);
            (want != *cell).then(|| {
                format!(
                    "{} × {}:\n    expected {want:?}\n    observed {cell:?}",
                    op.name(),
                    fault.title()
                )
            })
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} of {} cells differ from the policy:\n{}",
        mismatches.len(),
        cells.len(),
        mismatches.join("\n")
    );

    // The document shows exactly what was observed.
    let generated = render(&faults, &cells);
    let path = doc_path();
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let section = doc
        .split_once(DOC_BEGIN)
        .and_then(|(_, rest)| rest.split_once(DOC_END))
        .map(|(inside, _)| inside.trim().to_owned());
    if std::env::var_os("IDP_UPDATE_RELIABILITY").is_some() {
        let (head, tail) = match doc.split_once(DOC_BEGIN) {
            Some((head, rest)) => (
                head.to_owned(),
                rest.split_once(DOC_END)
                    .map_or(String::new(), |(_, t)| t.to_owned()),
            ),
            None => (doc.clone(), "\n".to_owned()),
        };
        let updated = format!(
            "{head}{DOC_BEGIN}\n\n{}\n\n{DOC_END}{tail}",
            generated.trim()
        );
        std::fs::write(&path, updated).unwrap();
        return;
    }
    let Some(section) = section else {
        panic!(
            "docs/RELIABILITY.md has no generated fault matrix section: run \
             IDP_UPDATE_RELIABILITY=1 cargo test -p idp-tests --test fault_matrix"
        );
    };
    if let Some((line, (doc_line, observed))) = section
        .lines()
        .map(Some)
        .chain(std::iter::repeat(None))
        .zip(
            generated
                .trim()
                .lines()
                .map(Some)
                .chain(std::iter::repeat(None)),
        )
        .take_while(|pair| *pair != (None, None))
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        panic!(
            "docs/RELIABILITY.md differs from the observed matrix at line {} of its \
             generated section:\n  document: {doc_line:?}\n  observed: {observed:?}\n\
             After a deliberate change, run \
             IDP_UPDATE_RELIABILITY=1 cargo test -p idp-tests --test fault_matrix",
            line + 1
        );
    }
}
