//! The VCF Operations operations the client runs (fleet identity and the
//! token calls its session makes): each is the generated spec row plus
//! what a status means for it.

use crate::runtime::op::Op;

const UNAUTHORIZED: &str =
    "the OpsToken or bearer token was rejected (missing, expired or released)";
const FORBIDDEN: &str = "the user lacks the privilege for this operation";
const BAD_INPUT: &str = "the server rejected the request document";
const BAD_LOGIN: &str = "the login document was rejected";
const LOGIN_REJECTED: &str = "the user name, password or authentication source was rejected";
const IDP_NOT_FOUND: &str = "no identity provider has this id";
const LDAP_NOT_FOUND: &str = "no such identity provider or LDAP directory";
const PRINCIPAL_NOT_FOUND: &str = "no such SSO realm or principal";
const REALM_NOT_FOUND: &str = "no SSO realm has this id";
const TOKEN_NOT_FOUND: &str = "no such SSO realm or API token";
const APP_NOT_FOUND: &str = "no such SSO realm or OAuth app";

pub(super) static ACQUIRE_TOKEN: Op = Op::new(
    &idp_api::vcf_ops::operations::ACQUIRE_TOKEN,
    &[(400, BAD_LOGIN), (401, LOGIN_REJECTED)],
);

pub(super) static RELEASE_TOKEN: Op = Op::new(
    &idp_api::vcf_ops::operations::RELEASE_TOKEN,
    &[(401, UNAUTHORIZED)],
);

pub(super) static GET_SSO_REALM_LIST: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_SSO_REALM_LIST,
    &[(401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_SSO_REALM: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_SSO_REALM,
    &[
        (404, "no SSO realm has this id"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static CONFIGURE_IDP: Op = Op::new(
    &idp_api::vcf_ops::operations::CONFIGURE_IDP,
    &[
        (409, "the realm already has an identity provider"),
        (400, BAD_INPUT),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static GET_IDP_CONFIGURATION: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_IDP_CONFIGURATION,
    &[(404, IDP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static UPDATE_IDP_CONFIGURATION: Op = Op::new(
    &idp_api::vcf_ops::operations::UPDATE_IDP_CONFIGURATION,
    &[
        (404, IDP_NOT_FOUND),
        (400, BAD_INPUT),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static DELETE_IDP_CONFIGURATION: Op = Op::new(
    &idp_api::vcf_ops::operations::DELETE_IDP_CONFIGURATION,
    &[(404, IDP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_SCIM_SYNC_CLIENT_INFO: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_SCIM_SYNC_CLIENT_INFO,
    &[
        (
            404,
            "no such identity provider or directory, or the directory has no sync client yet",
        ),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static GENERATE_SCIM_SYNC_CLIENT: Op = Op::new(
    &idp_api::vcf_ops::operations::GENERATE_SCIM_SYNC_CLIENT,
    &[
        (404, "no such identity provider or directory"),
        (400, BAD_INPUT),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static GET_LDAP_DIRECTORIES: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_LDAP_DIRECTORIES,
    &[(404, IDP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static EXECUTE_LDAP_SYNC: Op = Op::new(
    &idp_api::vcf_ops::operations::EXECUTE_LDAP_SYNC,
    &[(404, LDAP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_LDAP_SYNC_LOGS: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_LDAP_SYNC_LOGS,
    &[(404, LDAP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_ROLE_ASSIGNMENT: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_ROLE_ASSIGNMENT,
    &[
        (404, PRINCIPAL_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static UPDATE_ROLE_ASSIGNMENT: Op = Op::new(
    &idp_api::vcf_ops::operations::UPDATE_ROLE_ASSIGNMENT,
    &[
        (404, PRINCIPAL_NOT_FOUND),
        (400, "an unknown role or scope"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
)
.idempotent();

pub(super) static DELETE_ROLE_ASSIGNMENTS: Op = Op::new(
    &idp_api::vcf_ops::operations::DELETE_ROLE_ASSIGNMENTS,
    &[
        (404, PRINCIPAL_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static GET_USERS_LIST: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_USERS_LIST,
    &[
        (404, REALM_NOT_FOUND),
        (400, BAD_INPUT),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
)
.idempotent();

pub(super) static GET_GROUPS_LIST: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_GROUPS_LIST,
    &[
        (404, REALM_NOT_FOUND),
        (400, BAD_INPUT),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
)
.idempotent();

pub(super) static GET_VCF_ROLES_PAGINATED: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_VCF_ROLES_PAGINATED,
    &[(400, BAD_INPUT), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GENERATE_API_TOKEN: Op = Op::new(
    &idp_api::vcf_ops::operations::GENERATE_API_TOKEN,
    &[
        (404, REALM_NOT_FOUND),
        (400, BAD_INPUT),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static QUERY_API_TOKENS: Op = Op::new(
    &idp_api::vcf_ops::operations::QUERY_API_TOKENS,
    &[
        (404, REALM_NOT_FOUND),
        (400, BAD_INPUT),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
)
.idempotent();

pub(super) static GET_API_TOKEN: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_API_TOKEN,
    &[
        (404, TOKEN_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static RE_GENERATE_API_TOKEN: Op = Op::new(
    &idp_api::vcf_ops::operations::RE_GENERATE_API_TOKEN,
    &[
        (404, TOKEN_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static DELETE_API_TOKEN: Op = Op::new(
    &idp_api::vcf_ops::operations::DELETE_API_TOKEN,
    &[
        (404, TOKEN_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static LIST_OAUTH_APPS: Op = Op::new(
    &idp_api::vcf_ops::operations::LIST_O_AUTH_APPS,
    &[
        (404, REALM_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static CREATE_OAUTH_APP: Op = Op::new(
    &idp_api::vcf_ops::operations::CREATE_O_AUTH_APP,
    &[
        (409, "the realm has an OAuth app with this name"),
        (404, REALM_NOT_FOUND),
        (400, BAD_INPUT),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

pub(super) static GET_OAUTH_APP: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_O_AUTH_APP,
    &[(404, APP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static ROTATE_OAUTH_APP_SECRET: Op = Op::new(
    &idp_api::vcf_ops::operations::ROTATE_O_AUTH_APP_SECRET,
    &[(404, APP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static DELETE_OAUTH_APP: Op = Op::new(
    &idp_api::vcf_ops::operations::DELETE_O_AUTH_APP,
    &[(404, APP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)],
);

pub(super) static GET_IAM_TASK_DETAILS: Op = Op::new(
    &idp_api::vcf_ops::operations::GET_IAM_TASK_DETAILS,
    &[
        (404, "no task has this id"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN),
    ],
);

/// Every operation of this client, for the test that checks the hints
/// against the spec.
#[cfg(test)]
pub(crate) static ALL: &[&Op] = &[
    &ACQUIRE_TOKEN,
    &RELEASE_TOKEN,
    &GET_SSO_REALM_LIST,
    &GET_SSO_REALM,
    &CONFIGURE_IDP,
    &GET_IDP_CONFIGURATION,
    &UPDATE_IDP_CONFIGURATION,
    &DELETE_IDP_CONFIGURATION,
    &GET_SCIM_SYNC_CLIENT_INFO,
    &GENERATE_SCIM_SYNC_CLIENT,
    &GET_LDAP_DIRECTORIES,
    &EXECUTE_LDAP_SYNC,
    &GET_LDAP_SYNC_LOGS,
    &GET_ROLE_ASSIGNMENT,
    &UPDATE_ROLE_ASSIGNMENT,
    &DELETE_ROLE_ASSIGNMENTS,
    &GET_USERS_LIST,
    &GET_GROUPS_LIST,
    &GET_VCF_ROLES_PAGINATED,
    &GENERATE_API_TOKEN,
    &QUERY_API_TOKENS,
    &GET_API_TOKEN,
    &RE_GENERATE_API_TOKEN,
    &DELETE_API_TOKEN,
    &LIST_OAUTH_APPS,
    &CREATE_OAUTH_APP,
    &GET_OAUTH_APP,
    &ROTATE_OAUTH_APP_SECRET,
    &DELETE_OAUTH_APP,
    &GET_IAM_TASK_DETAILS,
];
