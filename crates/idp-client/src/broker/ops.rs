//! The broker operations the client runs: each is the generated spec row,
//! what a status means for it, and its vendor media types (the spec's
//! `x-idp-media-types`, which progenitor cannot apply; a test checks this
//! table against the spec).

use crate::exec::MediaTypes;
use crate::op::Op;

/// One broker operation and its media types.
pub(crate) struct BrokerOp {
    pub(crate) op: Op,
    pub(crate) media: MediaTypes,
}

const UNAUTHORIZED: &str = "the admin token was rejected (missing, expired or revoked)";
const FORBIDDEN: &str = "the token lacks the admin scope or rule set for this operation";
const DIRECTORY_NOT_FOUND: &str = "no directory has this id in this tenant";
const IDP_NOT_FOUND: &str = "no identity provider has this id in this tenant";
const CLIENT_NOT_FOUND: &str = "no OAuth 2.0 client has this client id in this tenant";

const DIRECTORY: &str = "application/vnd.vmware.vidm.usergroup.broker.directory+json";
const DIRECTORY_LIST: &str = "application/vnd.vmware.vidm.usergroup.broker.directory.list+json";
const SYNC_CLIENT: &str =
    "application/vnd.vmware.vidm.usergroup.broker.directory.syncclientconfiguration+json";
const IDP: &str = "application/vnd.vmware.vidm.federation.broker.identityprovider+json";
const IDP_LIST: &str = "application/vnd.vmware.vidm.federation.broker.identityprovider.list+json";
const OAUTH_CLIENT: &str =
    "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.with.rule.sets+json";
const OAUTH_CLIENT_LIST: &str =
    "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.list+json";
const ROTATION: &str =
    "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.secret.rotation+json";

const fn media(request: Option<&'static str>, response: Option<&'static str>) -> MediaTypes {
    MediaTypes { request, response }
}

macro_rules! broker_op {
    ($name:ident, $spec:ident, $media:expr, [$($hint:expr),* $(,)?]) => {
        pub(super) static $name: BrokerOp = BrokerOp {
            op: Op {
                spec: &idp_api::broker::operations::$spec,
                hints: &[$($hint),*],
            },
            media: $media,
        };
    };
}

broker_op!(
    LIST_DIRECTORIES,
    GET_BROKER_DIRECTORIES,
    media(None, Some(DIRECTORY_LIST)),
    [(401, UNAUTHORIZED), (403, FORBIDDEN)]
);
broker_op!(
    GET_DIRECTORY,
    GET_BROKER_DIRECTORY,
    media(None, Some(DIRECTORY)),
    [
        (404, DIRECTORY_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    CREATE_DIRECTORY,
    CREATE_BROKER_DIRECTORY,
    media(Some(DIRECTORY), Some(DIRECTORY)),
    [
        (409, "a directory with this name or domain already exists"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    UPDATE_DIRECTORY,
    UPDATE_BROKER_DIRECTORY,
    media(Some(DIRECTORY), Some(DIRECTORY)),
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
    media(None, None),
    [
        (404, DIRECTORY_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    GET_SYNC_CLIENT,
    GET_BROKER_SYNC_CLIENT,
    media(None, Some(SYNC_CLIENT)),
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
    media(Some(SYNC_CLIENT), Some(SYNC_CLIENT)),
    [
        (404, DIRECTORY_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    LIST_IDPS,
    GET_BROKER_IDENTITY_PROVIDERS,
    media(None, Some(IDP_LIST)),
    [(401, UNAUTHORIZED), (403, FORBIDDEN)]
);
broker_op!(
    GET_IDP,
    GET_BROKER_IDENTITY_PROVIDER,
    media(None, Some(IDP)),
    [(404, IDP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)]
);
broker_op!(
    CREATE_IDP,
    CREATE_BROKER_OIDC_IDENTITY_PROVIDER,
    media(Some(IDP), Some(IDP)),
    [
        (409, "an identity provider with this name already exists"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    PATCH_IDP,
    PATCH_BROKER_IDENTITY_PROVIDER,
    media(Some(IDP), Some(IDP)),
    [(404, IDP_NOT_FOUND), (401, UNAUTHORIZED), (403, FORBIDDEN)]
);
broker_op!(
    DELETE_IDP,
    DELETE_BROKER_IDENTITY_PROVIDER,
    media(None, None),
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
    media(None, Some(OAUTH_CLIENT_LIST)),
    [
        (400, "invalid start index or page size"),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    GET_CLIENT,
    GET_BROKER_O_AUTH2_CLIENT,
    media(None, Some(OAUTH_CLIENT)),
    [
        (404, CLIENT_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    CREATE_CLIENT,
    CREATE_BROKER_O_AUTH2_CLIENT,
    media(Some(OAUTH_CLIENT), Some(OAUTH_CLIENT)),
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
    media(Some(OAUTH_CLIENT), Some(OAUTH_CLIENT)),
    [
        (404, CLIENT_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);
broker_op!(
    ROTATE_CLIENT_SECRET,
    ROTATE_BROKER_O_AUTH2_CLIENT_SECRET,
    media(Some(ROTATION), None),
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
    media(None, None),
    [
        (404, CLIENT_NOT_FOUND),
        (401, UNAUTHORIZED),
        (403, FORBIDDEN)
    ]
);

/// Every operation of this client, for the tests that check it against
/// the spec.
#[cfg(test)]
pub(crate) static ALL: &[&BrokerOp] = &[
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

#[cfg(test)]
mod tests {
    use super::ALL;

    /// The media types here are the spec's `x-idp-media-types`, operation
    /// by operation, and every spec operation with them is in the table.
    #[test]
    fn media_types_match_the_spec_extension() {
        let spec: serde_json::Value =
            serde_json::from_str(include_str!("../../../../openapi/vcf-identity-broker.json"))
                .expect("the spec is JSON");
        let mut in_spec = std::collections::BTreeMap::new();
        for item in spec["paths"].as_object().expect("paths").values() {
            for operation in item.as_object().expect("path item").values() {
                let id = operation["operationId"].as_str().expect("operationId");
                let media = &operation["x-idp-media-types"];
                in_spec.insert(
                    id.to_owned(),
                    (
                        media["request"].as_str().map(str::to_owned),
                        media["response"].as_str().map(str::to_owned),
                    ),
                );
            }
        }
        for op in ALL {
            let expected = in_spec
                .remove(op.op.id())
                .unwrap_or_else(|| panic!("{} is not in the spec", op.op.id()));
            let actual = (
                op.media.request.map(str::to_owned),
                op.media.response.map(str::to_owned),
            );
            assert_eq!(actual, expected, "{}", op.op.id());
        }
        // The token endpoint is run by the session, with the form type the
        // generated code sets.
        assert_eq!(in_spec.keys().collect::<Vec<_>>(), ["getBrokerAccessToken"]);
    }
}
