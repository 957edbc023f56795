//! The facts table: for every operation of the matrix, its spec entry,
//! the facade call that makes it, how it reads its body and authenticates,
//! and whether it is idempotent.

use idp_api::broker::operations as broker;
use idp_api::{msgraph, msidentity, okta, unleash, vcenter, vcf, vcf_ops};

use super::*;

impl Op {
    /// The facts of the operation, one row each.
    #[allow(clippy::too_many_lines)]
    pub(super) fn facts(self) -> Facts {
        use Api::*;
        use Auth::*;
        let vcf = |spec, call, short, reads, empty| Facts {
            api: Vcf,
            spec,
            prefix: "",
            call,
            step: None,
            short,
            reads,
            empty,
            auth: Renewing,
            error_bodies: true,
            idempotent: false,
        };
        let unleash = |spec, call, short, reads, empty| Facts {
            api: Unleash,
            prefix: "/unleash",
            auth: Fixed,
            ..vcf(spec, call, short, reads, empty)
        };
        let ops = |spec, call, short, reads, empty| Facts {
            api: Ops,
            error_bodies: false,
            ..vcf(spec, call, short, reads, empty)
        };
        let broker = |spec, call, short, reads, empty| Facts {
            api: Broker,
            error_bodies: false,
            ..vcf(spec, call, short, reads, empty)
        };
        match self {
            Op::List => vcf(
                &vcf::operations::GET_IDENTITY_PROVIDERS,
                "list_identity_providers",
                "list",
                Reads::Json,
                Empty::Ok,
            ),
            Op::Get => vcf(
                &vcf::operations::GET_IDENTITY_PROVIDER_BY_ID,
                "get_identity_provider",
                "get",
                Reads::Json,
                Empty::Facade,
            ),
            Op::AddProvider => vcf(
                &vcf::operations::ADD_EXTERNAL_IDENTITY_PROVIDER,
                "add_external_identity_provider",
                "add IdP",
                Reads::NewId,
                Empty::Facade,
            ),
            Op::UpdateProvider => vcf(
                &vcf::operations::UPDATE_EXTERNAL_IDENTITY_PROVIDER,
                "update_external_identity_provider",
                "update IdP",
                Reads::Nothing,
                Empty::Facade,
            ),
            Op::DeleteProvider => vcf(
                &vcf::operations::DELETE_EXTERNAL_IDENTITY_PROVIDER,
                "delete_external_identity_provider",
                "delete IdP",
                Reads::Nothing,
                Empty::Facade,
            ),
            Op::AddSource => vcf(
                &vcf::operations::ADD_EMBEDDED_IDENTITY_SOURCE,
                "add_embedded_identity_source",
                "add source",
                Reads::Text,
                Empty::Facade,
            ),
            Op::UpdateSource => vcf(
                &vcf::operations::UPDATE_EMBEDDED_IDENTITY_SOURCE,
                "update_embedded_identity_source",
                "update source",
                Reads::Nothing,
                Empty::Facade,
            ),
            Op::DeleteSource => vcf(
                &vcf::operations::DELETE_IDENTITY_SOURCE,
                "delete_identity_source",
                "delete source",
                Reads::Nothing,
                Empty::Facade,
            ),
            Op::SyncToken => vcf(
                &vcf::operations::GENERATE_SYNC_CLIENT_TOKEN,
                "generate_sync_client_token",
                "sync token",
                Reads::Token,
                Empty::Facade,
            ),
            Op::Prechecks => vcf(
                &vcf::operations::GET_IDENTITY_PRECHECK_RESULT,
                "identity_broker_prechecks",
                "prechecks",
                Reads::Json,
                Empty::Ok,
            ),
            Op::ListUsers => vcf(
                &vcf::operations::GET_USERS,
                "list_users",
                "users",
                Reads::Json,
                Empty::Ok,
            ),
            Op::AddUser => vcf(
                &vcf::operations::ADD_USERS,
                "add_user",
                "add user",
                Reads::Json,
                Empty::Facade,
            ),
            Op::RemoveUser => vcf(
                &vcf::operations::REMOVE_USER,
                "remove_user",
                "remove user",
                Reads::Nothing,
                Empty::Facade,
            ),
            Op::ListRoles => vcf(
                &vcf::operations::GET_ROLES,
                "list_roles",
                "roles",
                Reads::Json,
                Empty::Ok,
            ),
            Op::ListSsoDomains => vcf(
                &vcf::operations::GET_SSO_DOMAINS,
                "list_sso_domains",
                "SSO domains",
                Reads::Json,
                Empty::Ok,
            ),
            Op::SearchPrincipals => vcf(
                &vcf::operations::GET_SSO_DOMAIN_ENTITIES,
                "search_principals",
                "principals",
                Reads::Json,
                Empty::Ok,
            ),
            Op::ScimToken => unleash(
                &unleash::operations::GENERATE_SCIM_TOKEN,
                "generate_scim_token",
                "SCIM token",
                Reads::Token,
                Empty::Generated,
            ),
            Op::GetScim => unleash(
                &unleash::operations::GET_SCIM_SETTINGS,
                "scim_settings",
                "get SCIM",
                Reads::Json,
                Empty::Facade,
            ),
            Op::SetScim => unleash(
                &unleash::operations::SET_SCIM_SETTINGS,
                "set_scim_settings",
                "set SCIM",
                Reads::Nothing,
                Empty::Facade,
            ),
            Op::ListDirectories => broker(
                &broker::GET_BROKER_DIRECTORIES,
                "list_directories",
                "list dirs",
                Reads::Json,
                Empty::Ok,
            ),
            Op::GetDirectory => broker(
                &broker::GET_BROKER_DIRECTORY,
                "get_directory",
                "get dir",
                Reads::Json,
                Empty::Ok,
            ),
            Op::CreateDirectory => broker(
                &broker::CREATE_BROKER_DIRECTORY,
                "create_directory",
                "create dir",
                Reads::Json,
                Empty::Ok,
            ),
            Op::UpdateDirectory => broker(
                &broker::UPDATE_BROKER_DIRECTORY,
                "update_directory",
                "update dir",
                Reads::Json,
                Empty::Ok,
            ),
            Op::DeleteDirectory => broker(
                &broker::DELETE_BROKER_DIRECTORY,
                "delete_directory",
                "delete dir",
                Reads::Nothing,
                Empty::Generated,
            ),
            Op::GetSyncClient => broker(
                &broker::GET_BROKER_SYNC_CLIENT,
                "sync_client",
                "get sync client",
                Reads::Json,
                Empty::Ok,
            ),
            Op::GenerateSyncClient => broker(
                &broker::GENERATE_BROKER_SYNC_CLIENT_CREDENTIALS,
                "generate_sync_client_credentials",
                "generate sync client",
                Reads::Token,
                Empty::Facade,
            ),
            Op::ListBrokerIdps => broker(
                &broker::GET_BROKER_IDENTITY_PROVIDERS,
                "list_identity_providers",
                "list IdPs",
                Reads::Json,
                Empty::Ok,
            ),
            Op::GetBrokerIdp => broker(
                &broker::GET_BROKER_IDENTITY_PROVIDER,
                "get_identity_provider",
                "get IdP",
                Reads::Json,
                Empty::Ok,
            ),
            Op::CreateBrokerIdp => broker(
                &broker::CREATE_BROKER_OIDC_IDENTITY_PROVIDER,
                "create_oidc_identity_provider",
                "create IdP",
                Reads::Json,
                Empty::Ok,
            ),
            Op::PatchBrokerIdp => broker(
                &broker::PATCH_BROKER_IDENTITY_PROVIDER,
                "update_identity_provider",
                "patch IdP",
                Reads::Json,
                Empty::Ok,
            ),
            Op::DeleteBrokerIdp => broker(
                &broker::DELETE_BROKER_IDENTITY_PROVIDER,
                "delete_identity_provider",
                "delete IdP",
                Reads::Nothing,
                Empty::Generated,
            ),
            Op::ListOAuthClients => broker(
                &broker::GET_BROKER_O_AUTH2_CLIENTS,
                "list_oauth_clients",
                "list clients",
                Reads::Json,
                Empty::Ok,
            ),
            Op::GetOAuthClient => broker(
                &broker::GET_BROKER_O_AUTH2_CLIENT,
                "get_oauth_client",
                "get client",
                Reads::Json,
                Empty::Ok,
            ),
            Op::CreateOAuthClient => broker(
                &broker::CREATE_BROKER_O_AUTH2_CLIENT,
                "create_oauth_client",
                "create client",
                Reads::Json,
                Empty::Ok,
            ),
            Op::UpdateOAuthClient => broker(
                &broker::PATCH_BROKER_O_AUTH2_CLIENT,
                "update_oauth_client",
                "update client",
                Reads::Json,
                Empty::Ok,
            ),
            Op::StartSecretRotation => broker(
                &broker::ROTATE_BROKER_O_AUTH2_CLIENT_SECRET,
                "start_secret_rotation",
                "start rotation",
                Reads::Nothing,
                Empty::Generated,
            ),
            Op::RetirePrimarySecret => broker(
                &broker::ROTATE_BROKER_O_AUTH2_CLIENT_SECRET,
                "retire_primary_secret",
                "retire secret",
                Reads::Nothing,
                Empty::Generated,
            ),
            Op::DeleteOAuthClient => broker(
                &broker::DELETE_BROKER_O_AUTH2_CLIENT,
                "delete_oauth_client",
                "delete client",
                Reads::Nothing,
                Empty::Generated,
            ),
            Op::BrokerToken => Facts {
                step: Some("admin token from the OAuth client (token endpoint)"),
                auth: Renewal,
                ..broker(
                    &broker::GET_BROKER_ACCESS_TOKEN,
                    "list_directories",
                    "admin token",
                    Reads::Token,
                    Empty::Generated,
                )
            },
            Op::VcenterSession => Facts {
                api: Vcenter,
                step: Some("vCenter session"),
                auth: Renewal,
                ..broker(
                    &vcenter::operations::CREATE_VCENTER_SESSION,
                    "list_directories",
                    "session",
                    Reads::Token,
                    Empty::Generated,
                )
            },
            Op::VcenterAdminClient => Facts {
                api: Vcenter,
                step: Some("the tenant admin client's token"),
                auth: Renewal,
                ..broker(
                    &vcenter::operations::GET_BROKER_TENANT_ADMIN_CLIENT,
                    "list_directories",
                    "admin client",
                    Reads::Token,
                    Empty::Generated,
                )
            },
            Op::VcenterEndSession => Facts {
                api: Vcenter,
                step: Some("the vCenter session's end"),
                auth: Renewal,
                ..broker(
                    &vcenter::operations::DELETE_VCENTER_SESSION,
                    "list_directories",
                    "end session",
                    Reads::Nothing,
                    Empty::Generated,
                )
            },
            Op::GetConnection => Facts {
                api: Okta,
                prefix: "/okta",
                ..unleash(
                    &okta::operations::GET_DEFAULT_PROVISIONING_CONNECTION_FOR_APPLICATION,
                    "default_provisioning_connection",
                    "get connection",
                    Reads::Json,
                    Empty::Generated,
                )
            },
            Op::SetConnection => Facts {
                api: Okta,
                prefix: "/okta",
                // Idempotent by definition: the same request twice leaves
                // the same state (the client's `ops.rs` hint).
                idempotent: true,
                ..unleash(
                    &okta::operations::UPDATE_DEFAULT_PROVISIONING_CONNECTION_FOR_APPLICATION,
                    "set_default_provisioning_connection",
                    "set connection",
                    Reads::Json,
                    Empty::Generated,
                )
            },
            Op::EntraToken => Facts {
                api: Entra,
                prefix: "/login",
                step: Some("app-only token (identity platform token endpoint)"),
                ..unleash(
                    &msidentity::operations::REQUEST_APP_TOKEN,
                    "synchronization_job_count",
                    "token",
                    Reads::Token,
                    Empty::Generated,
                )
            },
            Op::ListJobs => Facts {
                api: Entra,
                prefix: "/graph",
                auth: Cached,
                ..unleash(
                    &msgraph::operations::LIST_SYNCHRONIZATION_JOBS,
                    "synchronization_job_count",
                    "list jobs",
                    Reads::Json,
                    Empty::Ok,
                )
            },
            Op::PutSecrets => Facts {
                api: Entra,
                prefix: "/graph",
                auth: Cached,
                // Idempotent by definition: the same request twice leaves
                // the same state (the client's `ops.rs` hint).
                idempotent: true,
                ..unleash(
                    &msgraph::operations::PUT_SYNCHRONIZATION_SECRETS,
                    "put_synchronization_secrets",
                    "put secrets",
                    Reads::Nothing,
                    Empty::Generated,
                )
            },
            Op::ValidateCredentials => Facts {
                api: Entra,
                prefix: "/graph",
                auth: Cached,
                // It only tests the credentials (the client's `ops.rs` hint).
                idempotent: true,
                ..unleash(
                    &msgraph::operations::VALIDATE_SYNCHRONIZATION_CREDENTIALS,
                    "validate_synchronization_credentials",
                    "validate",
                    Reads::Nothing,
                    Empty::Generated,
                )
            },
            Op::OpsRealms => ops(
                &vcf_ops::operations::GET_SSO_REALM_LIST,
                "list_realms",
                "realms",
                Reads::Json,
                Empty::Ok,
            ),
            Op::OpsGetIdp => ops(
                &vcf_ops::operations::GET_IDP_CONFIGURATION,
                "get_identity_provider",
                "get IdP",
                Reads::Json,
                Empty::Generated,
            ),
            Op::OpsSyncClient => ops(
                &vcf_ops::operations::GENERATE_SCIM_SYNC_CLIENT,
                "generate_sync_client",
                "sync client",
                Reads::Token,
                Empty::Facade,
            ),
            Op::OpsSetRoles => Facts {
                idempotent: true,
                ..ops(
                    &vcf_ops::operations::UPDATE_ROLE_ASSIGNMENT,
                    "set_role_assignments",
                    "set roles",
                    Reads::Nothing,
                    Empty::Ok,
                )
            },
            Op::OpsListUsers => Facts {
                idempotent: true,
                ..ops(
                    &vcf_ops::operations::GET_USERS_LIST,
                    "list_users",
                    "users",
                    Reads::Json,
                    Empty::Ok,
                )
            },
            Op::OpsGenerateApiToken => ops(
                &vcf_ops::operations::GENERATE_API_TOKEN,
                "generate_api_token",
                "new token",
                Reads::Token,
                Empty::Generated,
            ),
            Op::OpsRotateOAuthApp => ops(
                &vcf_ops::operations::ROTATE_O_AUTH_APP_SECRET,
                "rotate_oauth_app_secret",
                "rotate app",
                Reads::Token,
                Empty::Generated,
            ),
            Op::OpsDeleteApiToken => ops(
                &vcf_ops::operations::DELETE_API_TOKEN,
                "delete_api_token",
                "delete token",
                Reads::Nothing,
                Empty::Ok,
            ),
        }
    }
}
