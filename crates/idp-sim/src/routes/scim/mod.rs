//! SCIM 2.0 (RFC 7643/7644) Users and Groups at every SCIM URL the
//! simulator hands out, one engine with each vendor's quirks behind its
//! [`Flavour`]:
//!
//! - the VCF Identity Broker's `/usergroup/t/{tenant}/scim/v2` (the
//!   `scimUrl` SDDC Manager returns with a sync client token, the broker's
//!   directory SCIM URL, and the URL VCF Operations' sync clients push to):
//!   opened by the current SDDC Manager sync client tokens, broker sync
//!   client tokens and VCF Operations directory sync client tokens;
//! - Unleash's `<unleash url>/scim`: opened by the current Unleash SCIM
//!   token.
//!
//! Each URL is a [`Mount`] in [`MOUNTS`]: its path, its flavour and the
//! [`TokenSource`]s whose current tokens open it. A rotated-out token is
//! no longer current, so it gets 401 at once. [`Handle`] (from
//! [`Simulator::scim`]) reads the directories and pushes a user and a group
//! as an identity provider would.
//!
//! [`Simulator::scim`]: crate::Simulator::scim

use std::sync::Arc;

use axum::Router;
use axum::extract::Extension;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use serde_json::{Value, json};

use crate::state::broker::TENANT;
use crate::state::{Model, Shared};

mod discovery;
mod handle;
mod resources;

pub use handle::{Handle, PushError, Pushed, ScimFlavour, ScimGroup, ScimUser};

/// The SCIM media type (RFC 7644 §3.1).
pub(crate) const SCIM_MEDIA_TYPE: &str = "application/scim+json";
const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// How a vendor's SCIM server departs from RFC 7644, or uses its options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    /// The VCF Identity Broker: 200 (not 201) on create, no discovery
    /// endpoints, `POST /Users/.search`.
    Broker,
    /// Unleash Enterprise: users are soft-deleted.
    Unleash,
}

impl Flavour {
    pub(crate) fn create_status(self) -> StatusCode {
        match self {
            Flavour::Broker => StatusCode::OK,
            Flavour::Unleash => StatusCode::CREATED,
        }
    }

    pub(crate) fn has_discovery(self) -> bool {
        self == Flavour::Unleash
    }

    pub(crate) fn soft_deletes_users(self) -> bool {
        self == Flavour::Unleash
    }
}

/// The directory a current token opens (`vcf:<id>`, `broker:<id>`,
/// `unleash`), or `None` when the token is not one of this source's
/// current tokens.
pub(crate) type TokenSource = fn(&Model, &str) -> Option<String>;

/// A SCIM URL the simulator serves.
#[derive(Debug)]
pub(crate) struct Mount {
    /// The route prefix (`{tenant}` is the broker's tenant).
    pub(crate) path: &'static str,
    pub(crate) flavour: Flavour,
    /// Whose current tokens open it.
    pub(crate) tokens: &'static [TokenSource],
}

/// Every SCIM URL. Another API that hands out SCIM tokens adds its
/// [`TokenSource`] to the mount its URL points at, or a mount of its own.
pub(crate) const MOUNTS: &[Mount] = &[
    Mount {
        path: "/usergroup/t/{tenant}/scim/v2",
        flavour: Flavour::Broker,
        tokens: &[
            vcf_sync_client_token,
            broker_sync_client_token,
            vcf_ops_sync_client_token,
        ],
    },
    Mount {
        path: "/unleash/scim",
        flavour: Flavour::Unleash,
        tokens: &[unleash_scim_token],
    },
];

/// SDDC Manager's current sync client token of a federated provider.
fn vcf_sync_client_token(model: &Model, token: &str) -> Option<String> {
    model.vcf.providers.iter().find_map(|provider| {
        let crate::state::vcf::ProviderKind::Federated(fed) = &provider.kind else {
            return None;
        };
        let current = fed.sync_token.as_ref()?;
        (current.token == token && current.expire_at > chrono::Utc::now())
            .then(|| format!("vcf:{}", provider.id))
    })
}

/// The broker's current sync client token of a directory (an access token
/// of the shared store, so expiry and revocation apply).
fn broker_sync_client_token(model: &Model, token: &str) -> Option<String> {
    let (directory, _) = model
        .broker
        .sync_clients
        .iter()
        .find(|(_, sync)| sync.token.as_deref() == Some(token))?;
    let issued = model.access_tokens.get(token)?;
    (!issued.revoked && issued.expires_at > std::time::SystemTime::now())
        .then(|| format!("broker:{directory}"))
}

/// VCF Operations' current sync client token of a directory (fleet single
/// sign-on provisions through the broker's SCIM endpoint).
fn vcf_ops_sync_client_token(model: &Model, token: &str) -> Option<String> {
    let now = crate::state::vcf_ops::now_millis();
    model
        .vcf_ops
        .sync_clients
        .iter()
        .find(|(_, client)| client.token.as_deref() == Some(token) && client.token_expires_at > now)
        .map(|((_, directory), _)| format!("vcf-ops:{directory}"))
}

/// Unleash's one SCIM token.
fn unleash_scim_token(model: &Model, token: &str) -> Option<String> {
    (model.unleash.token.as_deref() == Some(token)).then(|| "unleash".to_owned())
}

/// The mount a SCIM base URL's path belongs to, with the broker tenant it
/// names.
pub(crate) fn mount_of(path: &str) -> Option<&'static Mount> {
    let path = path.trim_end_matches('/');
    MOUNTS
        .iter()
        .find(|mount| match mount.path.split_once("{tenant}") {
            Some((before, after)) => path
                .strip_prefix(before)
                .and_then(|rest| rest.strip_suffix(after))
                .is_some_and(|tenant| tenant == TENANT),
            None => path == mount.path,
        })
}

/// The directory `token` opens at `mount`.
pub(crate) fn directory_for(model: &Model, mount: &Mount, token: &str) -> Option<String> {
    mount.tokens.iter().find_map(|source| source(model, token))
}

/// The SCIM routes of every mount.
pub(crate) fn router() -> Router<Arc<Shared>> {
    MOUNTS.iter().fold(Router::new(), |router, mount| {
        router.merge(mount_router(mount))
    })
}

fn mount_router(mount: &'static Mount) -> Router<Arc<Shared>> {
    let p = mount.path;
    let mut router = Router::new();
    for kind in ["Users", "Groups"] {
        router = router
            .route(
                &format!("{p}/{kind}"),
                get(resources::list).post(resources::create),
            )
            .route(
                &format!("{p}/{kind}/{{id}}"),
                get(resources::get)
                    .put(resources::replace)
                    .patch(resources::patch)
                    .delete(resources::delete),
            );
    }
    router = router.route(&format!("{p}/Users/.search"), post(resources::search));
    if mount.flavour.has_discovery() {
        router = router
            .route(&format!("{p}/Groups/.search"), post(resources::search))
            .route(&format!("{p}/.search"), post(resources::search))
            .route(
                &format!("{p}/ServiceProviderConfig"),
                get(discovery::service_provider_config),
            )
            .route(
                &format!("{p}/ResourceTypes"),
                get(discovery::resource_types),
            )
            .route(
                &format!("{p}/ResourceTypes/{{id}}"),
                get(discovery::resource_type),
            )
            .route(&format!("{p}/Schemas"), get(discovery::schemas))
            .route(&format!("{p}/Schemas/{{id}}"), get(discovery::schema));
    }
    router
        .route(&format!("{p}/{{*rest}}"), any(resources::unknown))
        .route(p, any(resources::unknown))
        .layer(Extension(mount))
}

/// A SCIM error not yet turned into a response.
#[derive(Debug)]
pub(crate) struct ScimError {
    status: StatusCode,
    scim_type: Option<&'static str>,
    detail: String,
}

impl IntoResponse for ScimError {
    fn into_response(self) -> Response {
        scim_error(self.status, self.scim_type, &self.detail)
    }
}

/// A SCIM error with this status, `scimType` and detail.
pub(crate) fn fail(
    status: StatusCode,
    scim_type: Option<&'static str>,
    detail: impl Into<String>,
) -> ScimError {
    ScimError {
        status,
        scim_type,
        detail: detail.into(),
    }
}

/// A SCIM error (RFC 7644 §3.12).
pub(crate) fn scim_error(status: StatusCode, scim_type: Option<&str>, detail: &str) -> Response {
    let mut body = json!({
        "schemas": [ERROR_SCHEMA],
        "status": status.as_u16().to_string(),
        "detail": detail,
    });
    if let Some(scim_type) = scim_type {
        body["scimType"] = json!(scim_type);
    }
    let mut response = scim_json(status, &body);
    if status == StatusCode::UNAUTHORIZED {
        response
            .headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// A SCIM body, `application/scim+json`.
pub(crate) fn scim_json(status: StatusCode, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(SCIM_MEDIA_TYPE),
    );
    response
}

/// The bearer token of a request.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// The directory the request's token opens at `mount`, or the 401.
pub(crate) fn authorize(
    shared: &Shared,
    mount: &Mount,
    headers: &HeaderMap,
) -> Result<String, ScimError> {
    let Some(token) = bearer(headers) else {
        return Err(fail(
            StatusCode::UNAUTHORIZED,
            None,
            "Authorization: Bearer <token> is required",
        ));
    };
    directory_for(&shared.model(), mount, token).ok_or_else(|| {
        fail(
            StatusCode::UNAUTHORIZED,
            None,
            "The bearer token is not valid for this SCIM endpoint",
        )
    })
}

/// Why a SCIM URL and token do not open a directory of this simulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Not a SCIM URL this simulator serves.
    NotScimUrl,
    /// The URL's endpoint answers 401 to the token.
    TokenRefused,
}

impl Refusal {
    /// What Entra's credential validation says about it.
    pub(crate) fn describe(&self, url: &str) -> String {
        match self {
            Refusal::NotScimUrl => format!(
                "Could not connect to {url}: it is not a SCIM endpoint of the target system (HTTP 404)."
            ),
            Refusal::TokenRefused => {
                "The SCIM endpoint refused the secret token (HTTP 401).".to_owned()
            }
        }
    }
}

/// The directory `token` opens at the SCIM URL `url` of this simulator.
pub(crate) fn directory_at(shared: &Shared, url: &str, token: &str) -> Result<String, Refusal> {
    let (_, rest) = url.split_once("://").ok_or(Refusal::NotScimUrl)?;
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let path = path.split(['?', '#']).next().unwrap_or(path);
    if authority != shared.authority {
        return Err(Refusal::NotScimUrl);
    }
    let mount = mount_of(path).ok_or(Refusal::NotScimUrl)?;
    directory_for(&shared.model(), mount, token).ok_or(Refusal::TokenRefused)
}
