//! What a cell's call needs, made (or read) with other clients before the
//! fault is injected.

use idp_client::{BrokerClient, ClientConfig, SyncClientCredentialKind};

use super::*;

/// The ids a cell's call names, made (or read) before the fault.
pub(super) struct Ids {
    pub(super) embedded: String,
    pub(super) external: Option<String>,
    pub(super) scim_enabled: bool,
    pub(super) directory: Option<String>,
    pub(super) broker_idp: Option<String>,
    pub(super) okta_app: String,
    pub(super) entra_tenant: String,
    pub(super) service_principal: String,
    /// The user `RemoveUser` removes (the seeded service user).
    pub(super) user: Option<String>,
    pub(super) entra_job: String,
    /// A SCIM URL of the simulator and its current token (Unleash's).
    pub(super) scim: Option<(String, Secret)>,
    pub(super) ops_realm: String,
    pub(super) ops_group: String,
    pub(super) ops_idp: Option<String>,
    pub(super) ops_directory: Option<String>,
    pub(super) ops_token: Option<String>,
    pub(super) ops_app: Option<String>,
}

/// Settings for the clients that prepare and read the state.
fn setup_config() -> ClientConfig {
    ClientConfig::builder()
        .root_certificates(RootCertificates::Bundled)
        .build()
        .unwrap()
}

/// A broker client for the setup, with a token the simulator issued.
fn broker_setup_client(sim: &Simulator) -> BrokerClient {
    BrokerClient::builder(sim.broker().url())
        .config(&setup_config())
        .tenant(sim.broker().tenant())
        .bearer_token(Secret::new(sim.issue_access_token()))
        .build()
        .unwrap()
}

/// Makes what the operation needs, with other clients.
pub(super) async fn setup(sim: &Simulator, op: Op) -> Ids {
    let mut ids = Ids {
        embedded: String::new(),
        external: None,
        scim_enabled: sim.unleash().scim_enabled(),
        directory: None,
        broker_idp: None,
        okta_app: sim.okta().app_id(),
        entra_tenant: sim.entra().tenant_id(),
        service_principal: sim.entra().service_principal_id(),
        user: None,
        entra_job: sim
            .entra()
            .synchronization_job_id(&sim.entra().service_principal_id()),
        scim: None,
        ops_realm: sim.vcf_ops().realm_id(),
        ops_group: String::new(),
        ops_idp: None,
        ops_directory: None,
        ops_token: None,
        ops_app: None,
    };
    ids.ops_group = sim
        .vcf_ops()
        .group_id(&ids.ops_realm, "vcf-admins")
        .unwrap_or_default();
    if op == Op::ValidateCredentials {
        let unleash = idp_client::UnleashClient::builder(sim.unleash().url())
            .api_token(Secret::new(sim.unleash().api_key()))
            .config(&setup_config())
            .build()
            .unwrap();
        let token = unleash.generate_scim_token().await.unwrap();
        ids.scim = Some((format!("{}/scim", sim.unleash().url()), token.token));
    }
    match op.api() {
        Api::Vcf => {
            let setup = VcfClient::builder(sim.vcf().url())
                .config(&setup_config())
                .credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
                .build()
                .unwrap();
            ids.embedded = setup
                .embedded_identity_provider()
                .await
                .unwrap()
                .unwrap()
                .id;
            if op == Op::RemoveUser {
                ids.user = setup
                    .find_user(sim.vcf().service_user(), None)
                    .await
                    .unwrap()
                    .map(|u| u.id);
            }
            if op.needs_external() {
                let id = setup
                    .add_external_identity_provider(&okta_spec(Duration::from_secs(7200)))
                    .await
                    .unwrap();
                if op == Op::SyncToken {
                    // A current token, so that a new one visibly replaces it.
                    setup.generate_sync_client_token(&id, None).await.unwrap();
                }
                ids.external = Some(id);
            }
            if op.needs_source() {
                setup
                    .add_embedded_identity_source(
                        &ids.embedded,
                        &ad_source("ldap://dc00.example.com"),
                    )
                    .await
                    .unwrap();
            }
        }
        Api::Broker => {
            let setup = broker_setup_client(sim);
            if op.needs_directory() {
                let directory = setup
                    .create_directory(&directory_spec("fault-matrix"))
                    .await
                    .unwrap();
                if op == Op::GenerateSyncClient {
                    // Current credentials, so that new ones visibly replace them.
                    setup
                        .generate_sync_client_credentials(
                            &directory.id,
                            SyncClientCredentialKind::Token,
                            None,
                        )
                        .await
                        .unwrap();
                }
                ids.directory = Some(directory.id);
            }
            if op.needs_broker_idp() {
                let idp = setup
                    .create_oidc_identity_provider(&oidc_spec("fault-matrix"))
                    .await
                    .unwrap();
                ids.broker_idp = Some(idp.id);
            }
            if op.needs_oauth_client() {
                setup
                    .create_oauth_client(&oauth_client_spec(OAUTH_CLIENT, Some(OLD_SECRET)))
                    .await
                    .unwrap();
                if op == Op::RetirePrimarySecret {
                    setup
                        .start_secret_rotation(OAUTH_CLIENT, &Secret::new(NEW_SECRET), None)
                        .await
                        .unwrap();
                }
            }
        }
        Api::Ops => {
            let setup = idp_client::VcfOpsClient::builder(sim.vcf_ops().url())
                .config(&setup_config())
                .bearer_token(Secret::new(sim.issue_access_token()))
                .build()
                .unwrap();
            let spec = idp_client::vcf_ops::IdentityProviderSpec::oidc(
                &ids.ops_realm,
                "fault-matrix",
                "OKTA",
                idp_client::vcf_ops::OidcSettings::new(
                    "client",
                    Secret::new("fault-matrix-secret"),
                    "https://okta.example.com/.well-known/openid-configuration",
                ),
                idp_client::vcf_ops::Directory::new("d", ["example.com".to_owned()]),
            );
            let idp = setup.create_identity_provider(&spec).await.unwrap();
            ids.ops_directory = idp.directories[0].id.clone();
            if op == Op::OpsSyncClient {
                // A current token, so that a new one visibly replaces it.
                setup
                    .generate_sync_client(&idp.id, ids.ops_directory.as_deref().unwrap(), None)
                    .await
                    .unwrap();
            }
            ids.ops_idp = Some(idp.id);
            let token = setup
                .generate_api_token(
                    &ids.ops_realm,
                    &idp_client::vcf_ops::ApiTokenSpec::new("fault-matrix"),
                )
                .await
                .unwrap();
            ids.ops_token = Some(token.id);
            let app = setup
                .create_oauth_app(
                    &ids.ops_realm,
                    &idp_client::vcf_ops::OAuthAppSpec::new("fault-matrix", Vec::new()),
                )
                .await
                .unwrap();
            ids.ops_app = Some(app.id);
        }
        Api::Unleash | Api::Vcenter | Api::Okta | Api::Entra => {}
    }
    ids
}
