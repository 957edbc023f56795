//! The Microsoft identity platform and Graph operations the client runs:
//! each is the generated spec row plus what a status means for it.

use crate::runtime::op::Op;

const TOKEN_HINT: &str = "the tenant, client id or client secret is wrong, or the secret expired \
     (ENTRA_TENANT_ID, ENTRA_CLIENT_ID, ENTRA_CLIENT_SECRET)";
const GRAPH_UNAUTHORIZED_HINT: &str = "Microsoft Graph rejected the app-only token";
const GRAPH_FORBIDDEN_HINT: &str = "the app lacks the Graph application permission Synchronization.ReadWrite.All \
     (or Application.ReadWrite.OwnedBy as an owner of the service principal), with admin consent";
const GRAPH_NOT_FOUND_HINT: &str =
    "no service principal with this object id (the Enterprise application's Object ID)";
const VALIDATE_REFUSED_HINT: &str = "Entra could not use the credentials with the SCIM endpoint: \
     the Tenant URL (BaseAddress) or the Secret Token is wrong";
const THROTTLED_HINT: &str = "Microsoft Graph throttled the request; wait and try again";
const GRAPH_HINTS: &[(u16, &str)] = &[
    (401, GRAPH_UNAUTHORIZED_HINT),
    (403, GRAPH_FORBIDDEN_HINT),
    (404, GRAPH_NOT_FOUND_HINT),
    (429, THROTTLED_HINT),
];

pub(super) static REQUEST_APP_TOKEN: Op = Op::new(
    &idp_api::msidentity::operations::REQUEST_APP_TOKEN,
    &[(400, TOKEN_HINT), (401, TOKEN_HINT)],
);

pub(super) static LIST_JOBS: Op = Op::new(
    &idp_api::msgraph::operations::LIST_SYNCHRONIZATION_JOBS,
    GRAPH_HINTS,
);

/// Idempotent: putting the same secrets twice leaves the same secrets.
pub(super) static PUT_SECRETS: Op = Op::new(
    &idp_api::msgraph::operations::PUT_SYNCHRONIZATION_SECRETS,
    GRAPH_HINTS,
)
.idempotent();

/// Read-only for the directory (Entra only tests the credentials): safe
/// to repeat. A 400 is the target system refusing them.
pub(super) static VALIDATE_CREDENTIALS: Op = Op::new(
    &idp_api::msgraph::operations::VALIDATE_SYNCHRONIZATION_CREDENTIALS,
    &[
        (400, VALIDATE_REFUSED_HINT),
        (401, GRAPH_UNAUTHORIZED_HINT),
        (403, GRAPH_FORBIDDEN_HINT),
        (404, GRAPH_NOT_FOUND_HINT),
        (429, THROTTLED_HINT),
    ],
)
.idempotent();

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[
    &REQUEST_APP_TOKEN,
    &LIST_JOBS,
    &PUT_SECRETS,
    &VALIDATE_CREDENTIALS,
];
