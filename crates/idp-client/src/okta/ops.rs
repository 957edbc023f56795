//! The Okta operations the client runs: each is the generated spec row
//! plus what a status means for it.

use crate::runtime::op::Op;

const UNAUTHORIZED_HINT: &str = "the Okta API token is missing, invalid, expired or revoked \
     (an API token is sent as `SSWS <token>`, an OAuth access token as `Bearer <token>`)";
const FORBIDDEN_HINT: &str = "the token lacks the permission to manage the app (an API token of an admin, or okta.apps.manage)";
const NOT_FOUND_HINT: &str =
    "no app with this id in this Okta org (the id is in the app's Admin Console URL, 0oa...)";
const RATE_LIMIT_HINT: &str = "Okta's rate limit was reached; wait and try again";

pub(super) static GET_CONNECTION: Op = Op::new(
    &idp_api::okta::operations::GET_DEFAULT_PROVISIONING_CONNECTION_FOR_APPLICATION,
    &[
        (401, UNAUTHORIZED_HINT),
        (403, FORBIDDEN_HINT),
        (404, NOT_FOUND_HINT),
        (429, RATE_LIMIT_HINT),
    ],
);

/// Idempotent although a `POST`: setting the same connection twice leaves
/// the same connection (the token is not generated here, only stored).
pub(super) static SET_CONNECTION: Op = Op::new(
    &idp_api::okta::operations::UPDATE_DEFAULT_PROVISIONING_CONNECTION_FOR_APPLICATION,
    &[
        (
            400,
            "Okta refused the connection: the app may not support a token-based provisioning connection set through the API",
        ),
        (401, UNAUTHORIZED_HINT),
        (403, FORBIDDEN_HINT),
        (404, NOT_FOUND_HINT),
        (429, RATE_LIMIT_HINT),
    ],
)
.idempotent();

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[&GET_CONNECTION, &SET_CONNECTION];
