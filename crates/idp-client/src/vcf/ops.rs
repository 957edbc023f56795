//! The SDDC Manager operations the client runs (identity providers, users
//! and roles, and the token API its session uses): each is the generated spec row plus
//! what a status means for it.

use crate::runtime::op::Op;

const ID_NOT_FOUND: &str = "no identity provider has this id";
const UNAUTHORIZED: &str = "the access token was rejected (missing, expired or revoked)";
const FORBIDDEN: &str =
    "the user lacks the privilege for this operation (the ADMIN role is needed)";

pub(super) static GET_IDENTITY_PROVIDERS: Op = Op::new(
    &idp_api::vcf::operations::GET_IDENTITY_PROVIDERS,
    &[(401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_IDENTITY_PROVIDER_BY_ID: Op = Op::new(
    &idp_api::vcf::operations::GET_IDENTITY_PROVIDER_BY_ID,
    &[(404, ID_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static ADD_EXTERNAL_IDENTITY_PROVIDER: Op = Op::new(
    &idp_api::vcf::operations::ADD_EXTERNAL_IDENTITY_PROVIDER,
    &[(401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static UPDATE_EXTERNAL_IDENTITY_PROVIDER: Op = Op::new(
    &idp_api::vcf::operations::UPDATE_EXTERNAL_IDENTITY_PROVIDER,
    &[(404, ID_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static DELETE_EXTERNAL_IDENTITY_PROVIDER: Op = Op::new(
    &idp_api::vcf::operations::DELETE_EXTERNAL_IDENTITY_PROVIDER,
    &[(404, ID_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static ADD_EMBEDDED_IDENTITY_SOURCE: Op = Op::new(
    &idp_api::vcf::operations::ADD_EMBEDDED_IDENTITY_SOURCE,
    &[
        (404, "no embedded identity provider has this id"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static UPDATE_EMBEDDED_IDENTITY_SOURCE: Op = Op::new(
    &idp_api::vcf::operations::UPDATE_EMBEDDED_IDENTITY_SOURCE,
    &[
        (
            404,
            "no such identity provider, or no identity source with this domain name",
        ),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static DELETE_IDENTITY_SOURCE: Op = Op::new(
    &idp_api::vcf::operations::DELETE_IDENTITY_SOURCE,
    &[
        (
            404,
            "no such identity provider, or no identity source with this domain name",
        ),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static GENERATE_SYNC_CLIENT_TOKEN: Op = Op::new(
    &idp_api::vcf::operations::GENERATE_SYNC_CLIENT_TOKEN,
    &[
        (404, "no federated identity provider has this id"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static GET_IDENTITY_PRECHECK_RESULT: Op = Op::new(
    &idp_api::vcf::operations::GET_IDENTITY_PRECHECK_RESULT,
    &[
        (404, "the server knows no precheck of this type"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static CREATE_TOKEN: Op = Op::new(
    &idp_api::vcf::operations::CREATE_TOKEN,
    &[(
        401,
        "the user name or password, or the API key, was rejected",
    )],
);

pub(super) static REFRESH_ACCESS_TOKEN: Op =
    Op::new(&idp_api::vcf::operations::REFRESH_ACCESS_TOKEN, &[]);

pub(super) static INVALIDATE_REFRESH_TOKEN: Op =
    Op::new(&idp_api::vcf::operations::INVALIDATE_REFRESH_TOKEN, &[]);

const USER_REFUSED: &str = "the server refused the users: an unknown principal or role id, a user that exists already, or a malformed list (none was added)";

pub(super) static GET_USERS: Op = Op::new(
    &idp_api::vcf::operations::GET_USERS,
    &[(401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_UI_USERS: Op = Op::new(
    &idp_api::vcf::operations::GET_UI_USERS,
    &[(401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static ADD_USERS: Op = Op::new(
    &idp_api::vcf::operations::ADD_USERS,
    &[(400, USER_REFUSED), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static REMOVE_USER: Op = Op::new(
    &idp_api::vcf::operations::REMOVE_USER,
    &[
        (404, "no user has this id"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static GET_ROLES: Op = Op::new(
    &idp_api::vcf::operations::GET_ROLES,
    &[(401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_SSO_DOMAINS: Op = Op::new(
    &idp_api::vcf::operations::GET_SSO_DOMAINS,
    &[(401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_SSO_DOMAIN_ENTITIES: Op = Op::new(
    &idp_api::vcf::operations::GET_SSO_DOMAIN_ENTITIES,
    &[(401, UNAUTHORIZED), (403, FORBIDDEN)],
);

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[
    &CREATE_TOKEN,
    &REFRESH_ACCESS_TOKEN,
    &INVALIDATE_REFRESH_TOKEN,
    &GET_IDENTITY_PROVIDERS,
    &GET_IDENTITY_PROVIDER_BY_ID,
    &ADD_EXTERNAL_IDENTITY_PROVIDER,
    &UPDATE_EXTERNAL_IDENTITY_PROVIDER,
    &DELETE_EXTERNAL_IDENTITY_PROVIDER,
    &ADD_EMBEDDED_IDENTITY_SOURCE,
    &UPDATE_EMBEDDED_IDENTITY_SOURCE,
    &DELETE_IDENTITY_SOURCE,
    &GENERATE_SYNC_CLIENT_TOKEN,
    &GET_IDENTITY_PRECHECK_RESULT,
    &GET_USERS,
    &GET_UI_USERS,
    &ADD_USERS,
    &REMOVE_USER,
    &GET_ROLES,
    &GET_SSO_DOMAINS,
    &GET_SSO_DOMAIN_ENTITIES,
];
