//! The facade calls the rows make, and the specs they send.

use std::time::Duration;

use idp_client::{
    BrokerClient, BrokerDirectorySpec, BrokerOAuthClientSpec, BrokerOidcProfile,
    BrokerOidcProviderSpec, DirectorySource, EntraClient, OktaClient, SyncClientCredentialKind,
};

use super::*;

/// The client under test: the one of the row's API.
pub(super) enum Client {
    Vcf(VcfClient),
    Unleash(UnleashClient),
    Broker(BrokerClient),
    Okta(OktaClient),
    Entra(EntraClient),
    Ops(idp_client::VcfOpsClient),
}

impl Client {
    pub(super) fn vcf(&self) -> &VcfClient {
        match self {
            Client::Vcf(client) => client,
            _ => panic!("not a VCF client"),
        }
    }

    pub(super) fn unleash(&self) -> &UnleashClient {
        match self {
            Client::Unleash(client) => client,
            _ => panic!("not an Unleash client"),
        }
    }

    pub(super) fn broker(&self) -> &BrokerClient {
        match self {
            Client::Broker(client) => client,
            _ => panic!("not a broker client"),
        }
    }

    pub(super) fn okta(&self) -> &OktaClient {
        match self {
            Client::Okta(client) => client,
            _ => panic!("not an Okta client"),
        }
    }

    pub(super) fn ops(&self) -> &idp_client::VcfOpsClient {
        match self {
            Client::Ops(client) => client,
            _ => panic!("not a VCF Operations client"),
        }
    }

    pub(super) fn entra(&self) -> &EntraClient {
        match self {
            Client::Entra(client) => client,
            _ => panic!("not an Entra client"),
        }
    }
}

/// The name of the directory the create row makes.
pub(super) const NEW_DIRECTORY: &str = "fault-matrix-new";
/// The client id of the OAuth 2.0 client the create row makes.
pub(super) const NEW_OAUTH_CLIENT: &str = "fault-matrix-new";
/// The client id of the OAuth 2.0 client the other client rows use.
pub(super) const OAUTH_CLIENT: &str = "fault-matrix";
/// Its secret at the start.
pub(super) const OLD_SECRET: &str = "fault-matrix-old-secret";
/// The secret a rotation brings.
pub(super) const NEW_SECRET: &str = "fault-matrix-new-secret";
/// The SCIM URL delivered to Okta and Entra.
pub(super) const SCIM_URL: &str = "https://vcf.example.com/usergroup/t/CUSTOMER/scim/v2";
/// The token delivered to Okta and Entra.
pub(super) const DELIVERED_TOKEN: &str = "fault-matrix-scim-token";

impl Op {
    /// Runs the operation; a new token or id comes back for checking.
    #[allow(clippy::too_many_lines)]
    pub(super) async fn run(self, client: &Client, ids: &Ids) -> Result<Option<String>, Error> {
        let external = ids.external.as_deref().unwrap_or("none");
        let directory = ids.directory.as_deref().unwrap_or("none");
        let idp = ids.broker_idp.as_deref().unwrap_or("none");
        let delivered = Secret::new(DELIVERED_TOKEN);
        let ops_idp = ids.ops_idp.as_deref().unwrap_or("none");
        let ops_directory = ids.ops_directory.as_deref().unwrap_or("none");
        match self {
            Op::OpsRealms => client.ops().list_realms().await.map(|_| None),
            Op::OpsGetIdp => client
                .ops()
                .get_identity_provider(ops_idp)
                .await
                .map(|_| None),
            Op::OpsSyncClient => client
                .ops()
                .generate_sync_client(ops_idp, ops_directory, None)
                .await
                .map(|sync| sync.access_token.map(|t| t.expose().to_owned())),
            Op::OpsSetRoles => client
                .ops()
                .set_role_assignments(
                    &ids.ops_realm,
                    &ids.ops_group,
                    &[idp_client::vcf_ops::RoleAssignment::new(
                        "vcf_administrator",
                        idp_client::vcf_ops::RoleScope::realm(),
                    )],
                )
                .await
                .map(|()| None),
            Op::OpsListUsers => client
                .ops()
                .list_users(
                    &ids.ops_realm,
                    &idp_client::vcf_ops::PrincipalQuery::default(),
                )
                .await
                .map(|_| None),
            Op::OpsGenerateApiToken => client
                .ops()
                .generate_api_token(
                    &ids.ops_realm,
                    &idp_client::vcf_ops::ApiTokenSpec::new("fault-matrix-new"),
                )
                .await
                .map(|t| t.token.map(|t| t.expose().to_owned())),
            Op::OpsRotateOAuthApp => client
                .ops()
                .rotate_oauth_app_secret(&ids.ops_realm, ids.ops_app.as_deref().unwrap_or("none"))
                .await
                .map(|a| a.client_secret.map(|s| s.expose().to_owned())),
            Op::OpsDeleteApiToken => client
                .ops()
                .delete_api_token(&ids.ops_realm, ids.ops_token.as_deref().unwrap_or("none"))
                .await
                .map(|()| None),
            Op::List => client.vcf().list_identity_providers().await.map(|_| None),
            Op::Get => client
                .vcf()
                .get_identity_provider(&ids.embedded)
                .await
                .map(|_| None),
            Op::AddProvider => client
                .vcf()
                .add_external_identity_provider(&okta_spec(Duration::from_secs(7200)))
                .await
                .map(Some),
            Op::UpdateProvider => client
                .vcf()
                .update_external_identity_provider(external, &okta_spec(Duration::from_secs(600)))
                .await
                .map(|()| None),
            Op::DeleteProvider => client
                .vcf()
                .delete_external_identity_provider(external)
                .await
                .map(|()| None),
            Op::AddSource => client
                .vcf()
                .add_embedded_identity_source(&ids.embedded, &ad_source("ldap://dc01.example.com"))
                .await
                .map(|()| None),
            Op::UpdateSource => client
                .vcf()
                .update_embedded_identity_source(
                    &ids.embedded,
                    DOMAIN,
                    &ad_source("ldap://dc02.example.com"),
                )
                .await
                .map(|()| None),
            Op::DeleteSource => client
                .vcf()
                .delete_identity_source(&ids.embedded, DOMAIN)
                .await
                .map(|()| None),
            Op::SyncToken => client
                .vcf()
                .generate_sync_client_token(external, Some(Duration::from_secs(3600)))
                .await
                .map(|t| Some(t.token.expose().to_owned())),
            Op::Prechecks => client.vcf().identity_broker_prechecks().await.map(|_| None),
            Op::ListUsers => client.vcf().list_users().await.map(|_| None),
            Op::AddUser => client
                .vcf()
                .add_user(
                    &idp_client::vcf::Principal::group("vcf-admins", "embedded-ids.com"),
                    "VIEWER",
                )
                .await
                .map(|_| None),
            Op::RemoveUser => client
                .vcf()
                .remove_user(ids.user.as_deref().unwrap_or("none"))
                .await
                .map(|()| None),
            Op::ListRoles => client.vcf().list_roles().await.map(|_| None),
            Op::ListSsoDomains => client.vcf().list_sso_domains().await.map(|_| None),
            Op::SearchPrincipals => client
                .vcf()
                .search_principals("embedded-ids.com", Some("admins"))
                .await
                .map(|_| None),
            Op::ScimToken => client
                .unleash()
                .generate_scim_token()
                .await
                .map(|t| Some(t.token.expose().to_owned())),
            Op::GetScim => client.unleash().scim_settings().await.map(|_| None),
            Op::SetScim => client
                .unleash()
                .set_scim_settings(!ids.scim_enabled)
                .await
                .map(|()| None),
            Op::ListDirectories
            | Op::BrokerToken
            | Op::VcenterSession
            | Op::VcenterAdminClient
            | Op::VcenterEndSession => client.broker().list_directories().await.map(|_| None),
            Op::GetDirectory => client.broker().get_directory(directory).await.map(|_| None),
            Op::CreateDirectory => client
                .broker()
                .create_directory(&directory_spec(NEW_DIRECTORY))
                .await
                .map(|d| Some(d.id)),
            Op::UpdateDirectory => {
                let mut rename = BrokerDirectorySpec::default();
                rename.name = Some("fault-matrix-renamed".into());
                client
                    .broker()
                    .update_directory(directory, &rename)
                    .await
                    .map(|_| None)
            }
            Op::DeleteDirectory => client
                .broker()
                .delete_directory(directory)
                .await
                .map(|()| None),
            Op::GetSyncClient => client.broker().sync_client(directory).await.map(|_| None),
            Op::GenerateSyncClient => client
                .broker()
                .generate_sync_client_credentials(
                    directory,
                    SyncClientCredentialKind::Token,
                    Some(Duration::from_secs(3600)),
                )
                .await
                .map(|c| c.access_token.map(|t| t.expose().to_owned())),
            Op::ListBrokerIdps => client
                .broker()
                .list_identity_providers()
                .await
                .map(|_| None),
            Op::GetBrokerIdp => client
                .broker()
                .get_identity_provider(idp)
                .await
                .map(|_| None),
            Op::CreateBrokerIdp => client
                .broker()
                .create_oidc_identity_provider(&oidc_spec("fault-matrix-new"))
                .await
                .map(|i| Some(i.id)),
            Op::PatchBrokerIdp => {
                let mut rename = BrokerOidcProviderSpec::default();
                rename.name = Some("fault-matrix-renamed".into());
                client
                    .broker()
                    .update_identity_provider(idp, &rename)
                    .await
                    .map(|_| None)
            }
            Op::DeleteBrokerIdp => client
                .broker()
                .delete_identity_provider(idp)
                .await
                .map(|()| None),
            Op::ListOAuthClients => client.broker().list_oauth_clients().await.map(|_| None),
            Op::GetOAuthClient => client
                .broker()
                .get_oauth_client(OAUTH_CLIENT)
                .await
                .map(|_| None),
            Op::CreateOAuthClient => client
                .broker()
                .create_oauth_client(&oauth_client_spec(NEW_OAUTH_CLIENT, None))
                .await
                .map(|c| Some(c.client_id)),
            Op::UpdateOAuthClient => {
                let mut rename = BrokerOAuthClientSpec::default();
                rename.display_name = Some("fault-matrix-renamed".into());
                client
                    .broker()
                    .update_oauth_client(OAUTH_CLIENT, &rename)
                    .await
                    .map(|_| None)
            }
            Op::StartSecretRotation => client
                .broker()
                .start_secret_rotation(OAUTH_CLIENT, &Secret::new(NEW_SECRET), None)
                .await
                .map(|()| None),
            Op::RetirePrimarySecret => client
                .broker()
                .retire_primary_secret(OAUTH_CLIENT)
                .await
                .map(|()| None),
            Op::DeleteOAuthClient => client
                .broker()
                .delete_oauth_client(OAUTH_CLIENT)
                .await
                .map(|()| None),
            Op::GetConnection => client
                .okta()
                .default_provisioning_connection(&ids.okta_app)
                .await
                .map(|_| None),
            Op::SetConnection => client
                .okta()
                .set_default_provisioning_connection(&ids.okta_app, SCIM_URL, &delivered)
                .await
                .map(|_| None),
            Op::EntraToken | Op::ListJobs => client
                .entra()
                .synchronization_job_count(&ids.service_principal)
                .await
                .map(|_| None),
            Op::PutSecrets => client
                .entra()
                .put_synchronization_secrets(&ids.service_principal, SCIM_URL, &delivered)
                .await
                .map(|()| None),
            Op::ValidateCredentials => {
                let (url, token) = ids.scim.clone().unwrap();
                client
                    .entra()
                    .validate_synchronization_credentials(&ids.service_principal, &url, &token)
                    .await
                    .map(|()| None)
            }
        }
    }
}

pub(super) fn okta_spec(ttl: Duration) -> idp_client::IdentityProviderSpec {
    okta_builder().sync_client_token_ttl(ttl).build().unwrap()
}

pub(super) fn ad_source(endpoint: &str) -> idp_client::IdentitySourceSpec {
    ad_source_builder(DOMAIN)
        .server_endpoint(endpoint)
        .build()
        .unwrap()
}

pub(super) fn directory_spec(name: &str) -> BrokerDirectorySpec {
    let domain = format!("{name}.example.com");
    let mut spec = BrokerDirectorySpec::new(name, [domain.clone()]);
    spec.default_domain = Some(domain);
    spec.source = Some(DirectorySource::Okta);
    spec
}

pub(super) fn oidc_spec(name: &str) -> BrokerOidcProviderSpec {
    let mut oidc = BrokerOidcProfile::default();
    oidc.configuration_url =
        Some("https://okta.example.com/.well-known/openid-configuration".into());
    oidc.client_id = Some("okta-client".into());
    oidc.client_secret = Some(Secret::new("okta-secret"));
    let mut spec = BrokerOidcProviderSpec::default();
    spec.name = Some(name.into());
    spec.oidc = Some(oidc);
    spec
}

pub(super) fn oauth_client_spec(client_id: &str, secret: Option<&str>) -> BrokerOAuthClientSpec {
    let mut spec = BrokerOAuthClientSpec::default();
    spec.client_id = Some(client_id.into());
    spec.scope = vec!["admin".into()];
    spec.secret = secret.map(Secret::new);
    spec
}
