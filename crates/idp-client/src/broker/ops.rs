//! The broker operations the client runs (its token endpoint included): each is the generated spec row
//! (with its vendor media types, the spec's `x-idp-media-types`) plus what
//! a status means for it.

use crate::runtime::op::Op;

const UNAUTHORIZED: &str = "the admin token was rejected (missing, expired or revoked)";
const FORBIDDEN: &str = "the token lacks the admin scope or rule set for this operation";
const DIRECTORY_NOT_FOUND: &str = "no directory has this id in this tenant";
const IDP_NOT_FOUND: &str = "no identity provider has this id in this tenant";
const CLIENT_NOT_FOUND: &str = "no OAuth 2.0 client has this client id in this tenant";

macro_rules! broker_op {
    ($name:ident, $spec:ident, [$($hint:expr),* $(,)?]) => {
        pub(super) static $name: Op =
            Op::new(&idp_api::broker::operations::$spec, &[$($hint),*]);
    };
}

broker_op!(
    LIST_DIRECTORIES,
    GET_BROKER_DIRECTORIES,
    [(401, UNAUTHORIZED), (403, FORBIDDEN)]
);
broker_op!(
    GET_DIRECTORY,
    GET_BROKER_DIRECTORY,
    [
        (404, DIRECTORY_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    CREATE_DIRECTORY,
    CREATE_BROKER_DIRECTORY,
    [
        (409, "a directory with this name or domain already exists"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    UPDATE_DIRECTORY,
    UPDATE_BROKER_DIRECTORY,
    [
        (404, DIRECTORY_NOT_FOUND),
        (409, "another directory has this name or domain"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    DELETE_DIRECTORY,
    DELETE_BROKER_DIRECTORY,
    [
        (404, DIRECTORY_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    GET_SYNC_CLIENT,
    GET_BROKER_SYNC_CLIENT,
    [
        (
            404,
            "the directory has no sync client (or no directory has this id)"
        ),
        (
            409,
            "more than one sync client configuration exists for the directory"
        ),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    GENERATE_SYNC_CLIENT,
    GENERATE_BROKER_SYNC_CLIENT_CREDENTIALS,
    [
        (404, DIRECTORY_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    LIST_IDPS,
    GET_BROKER_IDENTITY_PROVIDERS,
    [(401, UNAUTHORIZED), (403, FORBIDDEN)]
);
broker_op!(
    GET_IDP,
    GET_BROKER_IDENTITY_PROVIDER,
    [(404, IDP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)]
);
broker_op!(
    CREATE_IDP,
    CREATE_BROKER_OIDC_IDENTITY_PROVIDER,
    [
        (409, "an identity provider with this name already exists"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    PATCH_IDP,
    PATCH_BROKER_IDENTITY_PROVIDER,
    [(404, IDP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)]
);
broker_op!(
    DELETE_IDP,
    DELETE_BROKER_IDENTITY_PROVIDER,
    [
        (404, IDP_NOT_FOUND),
        (
            409,
            "a rule still refers to the identity provider: remove the rules first"
        ),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    LIST_CLIENTS,
    GET_BROKER_O_AUTH2_CLIENTS,
    [
        (400, "invalid start index or page size"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    GET_CLIENT,
    GET_BROKER_O_AUTH2_CLIENT,
    [
        (404, CLIENT_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    CREATE_CLIENT,
    CREATE_BROKER_O_AUTH2_CLIENT,
    [
        (
            409,
            "an OAuth 2.0 client with this client id already exists"
        ),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    PATCH_CLIENT,
    PATCH_BROKER_O_AUTH2_CLIENT,
    [
        (404, CLIENT_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    ROTATE_CLIENT_SECRET,
    ROTATE_BROKER_O_AUTH2_CLIENT_SECRET,
    [
        (
            400,
            "a rotation is already running (start) or none is running (retire)"
        ),
        (404, CLIENT_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    DELETE_CLIENT,
    DELETE_BROKER_O_AUTH2_CLIENT,
    [
        (404, CLIENT_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);

broker_op!(
    GET_ACCESS_TOKEN,
    GET_BROKER_ACCESS_TOKEN,
    [(
        401,
        "the OAuth 2.0 client id or secret was rejected (or the client lacks the client_credentials grant)"
    )]
);

/// Every operation of this client, for the tests that check it against
/// the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[
    &GET_ACCESS_TOKEN,
    &LIST_DIRECTORIES,
    &GET_DIRECTORY,
    &CREATE_DIRECTORY,
    &UPDATE_DIRECTORY,
    &DELETE_DIRECTORY,
    &GET_SYNC_CLIENT,
    &GENERATE_SYNC_CLIENT,
    &LIST_IDPS,
    &GET_IDP,
    &CREATE_IDP,
    &PATCH_IDP,
    &DELETE_IDP,
    &LIST_CLIENTS,
    &GET_CLIENT,
    &CREATE_CLIENT,
    &PATCH_CLIENT,
    &ROTATE_CLIENT_SECRET,
    &DELETE_CLIENT,
];
