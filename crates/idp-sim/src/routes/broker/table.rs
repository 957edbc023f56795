//! The broker's paths and vendor media types, as Broadcom's reference names
//! them; `docs/identity-broker-api.md` ("Vendor media types") lists the page
//! each media type was read on (`REF` =
//! `https://developer.broadcom.com/xapis/vmware-identity-broker/latest`).
//! Written here, not taken from our spec, so that tests can hold the spec
//! against them.

use crate::routes::operation::Operation;

pub(super) const DIRECTORIES: &str = "/usergroup/t/{tenant}/broker/directories";
pub(super) const DIRECTORY: &str = "/usergroup/t/{tenant}/broker/directories/{id}";
pub(super) const SYNC_CLIENT: &str = "/usergroup/t/{tenant}/broker/directories/{id}/sync-client";
pub(super) const IDENTITY_PROVIDERS: &str = "/federation/t/{tenant}/broker/identity-providers";
pub(super) const IDENTITY_PROVIDER: &str =
    "/federation/t/{tenant}/broker/identity-providers/{idpId}";
pub(super) const OAUTH_CLIENTS: &str = "/acs/t/{tenant}/broker/oauth2-clients";
pub(super) const OAUTH_CLIENT: &str = "/acs/t/{tenant}/broker/oauth2-clients/{id}";
pub(super) const TOKEN: &str = "/acs/t/{tenant}/token";

/// `REF/usergroup/t/tenant/broker/directories/get`.
pub(super) const MEDIA_DIRECTORY_LIST: &str =
    "application/vnd.vmware.vidm.usergroup.broker.directory.list+json";
/// `REF/usergroup/t/tenant/broker/directories/id/get`, `.../directories/post`,
/// `.../directories/id/patch`.
pub(super) const MEDIA_DIRECTORY: &str =
    "application/vnd.vmware.vidm.usergroup.broker.directory+json";
/// `REF/usergroup/t/tenant/broker/directories/id/sync-client/get` and `/post`.
pub(super) const MEDIA_SYNC_CLIENT: &str =
    "application/vnd.vmware.vidm.usergroup.broker.directory.syncclientconfiguration+json";
/// `REF/federation/t/tenant/broker/identity-providers/get`.
pub(super) const MEDIA_IDP_LIST: &str =
    "application/vnd.vmware.vidm.federation.broker.identityprovider.list+json";
/// `REF/federation/t/tenant/broker/identity-providers/idpId/get`, `.../post`,
/// `.../idpId/patch`.
pub(super) const MEDIA_IDP: &str =
    "application/vnd.vmware.vidm.federation.broker.identityprovider+json";
/// `REF/acs/t/tenant/broker/oauth2-clients/get`.
pub(super) const MEDIA_OAUTH_CLIENT_LIST: &str =
    "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.list+json";
/// `REF/acs/t/tenant/broker/oauth2-clients/post`, `.../id/get`, `.../id/patch`.
pub(super) const MEDIA_OAUTH_CLIENT: &str =
    "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.with.rule.sets+json";
/// `REF/acs/t/tenant/broker/oauth2-clients/id/post`.
pub(super) const MEDIA_SECRET_ROTATION: &str =
    "application/vnd.vmware.horizon.manager.accesscontrol.broker.oauth2client.secret.rotation+json";

const fn op(
    id: &'static str,
    method: &'static str,
    path: &'static str,
    request_media: Option<&'static str>,
    response_media: Option<&'static str>,
) -> Operation {
    Operation {
        id,
        method,
        path,
        request_media,
        response_media,
    }
}

/// Every broker operation the simulator serves.
pub(super) static OPERATIONS: &[Operation] = &[
    op(
        "getBrokerDirectories",
        "GET",
        DIRECTORIES,
        None,
        Some(MEDIA_DIRECTORY_LIST),
    ),
    op(
        "createBrokerDirectory",
        "POST",
        DIRECTORIES,
        Some(MEDIA_DIRECTORY),
        Some(MEDIA_DIRECTORY),
    ),
    op(
        "getBrokerDirectory",
        "GET",
        DIRECTORY,
        None,
        Some(MEDIA_DIRECTORY),
    ),
    op("deleteBrokerDirectory", "DELETE", DIRECTORY, None, None),
    op(
        "updateBrokerDirectory",
        "PATCH",
        DIRECTORY,
        Some(MEDIA_DIRECTORY),
        Some(MEDIA_DIRECTORY),
    ),
    op(
        "getBrokerSyncClient",
        "GET",
        SYNC_CLIENT,
        None,
        Some(MEDIA_SYNC_CLIENT),
    ),
    op(
        "generateBrokerSyncClientCredentials",
        "POST",
        SYNC_CLIENT,
        Some(MEDIA_SYNC_CLIENT),
        Some(MEDIA_SYNC_CLIENT),
    ),
    op(
        "getBrokerIdentityProviders",
        "GET",
        IDENTITY_PROVIDERS,
        None,
        Some(MEDIA_IDP_LIST),
    ),
    op(
        "createBrokerOidcIdentityProvider",
        "POST",
        IDENTITY_PROVIDERS,
        Some(MEDIA_IDP),
        Some(MEDIA_IDP),
    ),
    op(
        "getBrokerIdentityProvider",
        "GET",
        IDENTITY_PROVIDER,
        None,
        Some(MEDIA_IDP),
    ),
    op(
        "deleteBrokerIdentityProvider",
        "DELETE",
        IDENTITY_PROVIDER,
        None,
        None,
    ),
    op(
        "patchBrokerIdentityProvider",
        "PATCH",
        IDENTITY_PROVIDER,
        Some(MEDIA_IDP),
        Some(MEDIA_IDP),
    ),
    op(
        "getBrokerOAuth2Clients",
        "GET",
        OAUTH_CLIENTS,
        None,
        Some(MEDIA_OAUTH_CLIENT_LIST),
    ),
    op(
        "createBrokerOAuth2Client",
        "POST",
        OAUTH_CLIENTS,
        Some(MEDIA_OAUTH_CLIENT),
        Some(MEDIA_OAUTH_CLIENT),
    ),
    op(
        "getBrokerOAuth2Client",
        "GET",
        OAUTH_CLIENT,
        None,
        Some(MEDIA_OAUTH_CLIENT),
    ),
    op(
        "rotateBrokerOAuth2ClientSecret",
        "POST",
        OAUTH_CLIENT,
        Some(MEDIA_SECRET_ROTATION),
        None,
    ),
    op(
        "deleteBrokerOAuth2Client",
        "DELETE",
        OAUTH_CLIENT,
        None,
        None,
    ),
    op(
        "patchBrokerOAuth2Client",
        "PATCH",
        OAUTH_CLIENT,
        Some(MEDIA_OAUTH_CLIENT),
        Some(MEDIA_OAUTH_CLIENT),
    ),
    // The token endpoint takes a form and answers plain JSON.
    op("getBrokerAccessToken", "POST", TOKEN, None, None),
];
