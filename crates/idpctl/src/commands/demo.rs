//! `idpctl demo`: the whole lifecycle against an embedded simulator.

use std::path::{Path, PathBuf};
use std::time::Duration;

use idp_client::vcf_ops::{
    Client as OpsClient, Directory as OpsDirectory, IdentityProviderSpec, OidcSettings,
    PrincipalQuery, RoleAssignment, RoleScope,
};
use idp_client::{
    BrokerClient, BrokerDirectorySpec, BrokerOidcProfile, BrokerOidcProviderSpec, DirectorySource,
    EntraClient, FederatedSpecBuilder, IdentitySourceSpecBuilder, OktaClient, Secret,
    SyncClientCredentialKind, UnleashClient, VcfClient,
};
use idp_config::{Document, LoadOptions, Options};
use idp_sim::{Profile, SimConfig, Simulator};

use crate::commands::broker::broker_scim_url;
use crate::commands::plan::render;
use crate::commands::vcf::providers_table;
use crate::delivery::{entra, okta};
use crate::failure::Failure;
use crate::output::{mask, progress};

/// The demo's throwaway secrets: they only ever reach the in-process simulator.
const DEMO_LDAP_PASSWORD: &str = "demo-ldap-bind-password";
const DEMO_OIDC_SECRET: &str = "demo-okta-client-secret";

pub async fn run() -> Result<(), Failure> {
    let config = SimConfig::builder()
        .profile(Profile::Vcf52)
        .build()
        .map_err(|e| Failure::other(format!("simulator configuration: {e}")))?;
    let sim = Simulator::start(config)
        .await
        .map_err(|e| Failure::other(format!("cannot start the simulator: {e}")))?;
    let result = walk(&sim).await;
    sim.shutdown().await;
    result
}

async fn walk(sim: &Simulator) -> Result<(), Failure> {
    progress!(
        "idp demo: SDDC Manager ({}), Unleash and the VCF Identity Broker simulated at {}",
        sim.profile(),
        sim.vcf().url()
    );
    let vcf = VcfClient::builder(sim.vcf().url())
        .credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
        .build()?;
    let unleash = UnleashClient::builder(sim.unleash().url())
        .api_token(Secret::new(sim.unleash().api_key()))
        .build()?;

    step(1, "list identity providers");
    progress!(
        "{}",
        providers_table(&vcf.list_identity_providers().await?).trim_end()
    );

    let embedded = vcf
        .embedded_identity_provider()
        .await?
        .ok_or_else(|| Failure::other("the server lists no embedded identity provider"))?;
    let source = IdentitySourceSpecBuilder::active_directory("Corp AD")
        .domain_name("corp.example.com")
        .domain_alias("CORP")
        .bind_username("svc-vcf@corp.example.com")
        .bind_password(Secret::new(DEMO_LDAP_PASSWORD))
        .users_base_dn("ou=Users,dc=corp,dc=example,dc=com")
        .groups_base_dn("ou=Groups,dc=corp,dc=example,dc=com")
        .server_endpoint("ldap://dc01.corp.example.com:389");

    step(
        2,
        "add an Active Directory identity source to the embedded provider",
    );
    vcf.add_embedded_identity_source(&embedded.id, &source.clone().build()?)
        .await?;
    progress!(
        "added corp.example.com to {} ({})",
        embedded.name,
        embedded.id
    );

    step(3, "update it");
    let updated = source
        .server_endpoint("ldap://dc02.corp.example.com:389")
        .build()?;
    vcf.update_embedded_identity_source(&embedded.id, "corp.example.com", &updated)
        .await?;
    progress!("updated corp.example.com: two domain controllers");

    step(4, "delete it");
    vcf.delete_identity_source(&embedded.id, "corp.example.com")
        .await?;
    progress!("deleted corp.example.com");

    step(5, "add an Okta federated identity provider");
    let okta = FederatedSpecBuilder::okta("Okta")
        .directory_name("okta_dir")
        .default_domain("example.com")
        .domain("example.com")
        .client_id("0oa1demo2client3id")
        .client_secret(Secret::new(DEMO_OIDC_SECRET))
        .discovery_endpoint("https://example.okta.com/.well-known/openid-configuration")
        .build()?;
    let okta_id = vcf.add_external_identity_provider(&okta).await?;
    progress!("added Okta as {okta_id}");

    step(6, "generate its SCIM sync client token (valid 30 days)");
    let token = vcf
        .generate_sync_client_token(&okta_id, Some(Duration::from_secs(30 * 86_400)))
        .await?;
    progress!("scim url:   {}", token.scim_url.as_deref().unwrap_or("-"));
    progress!(
        "expires at: {}",
        token
            .expires_at
            .map_or_else(|| "unknown".to_owned(), |t| t.to_rfc3339())
    );
    progress!("token:      {}", mask(token.token.expose()));

    step(7, "list identity providers again");
    progress!(
        "{}",
        providers_table(&vcf.list_identity_providers().await?).trim_end()
    );

    step(8, "delete the Okta provider");
    vcf.delete_external_identity_provider(&okta_id).await?;
    let active = vcf.active_identity_provider().await?;
    progress!(
        "deleted {okta_id}; active provider: {}",
        active.map_or_else(|| "none".to_owned(), |p| p.name)
    );

    step(9, "enable Unleash SCIM and rotate its token");
    unleash.set_scim_settings(true).await?;
    let scim = unleash.generate_scim_token().await?;
    let settings = unleash.scim_settings().await?;
    progress!(
        "scim enabled: {}, has token: {}",
        settings.enabled,
        settings.has_token
    );
    progress!(
        "new scim token: {} (the previous one no longer works)",
        mask(scim.token.expose())
    );

    declare(sim).await?;
    deliver_to_okta(sim, &unleash).await?;
    identity_broker(sim).await?;
    provision(sim).await?;
    fleet_identity().await?;

    vcf.logout().await?;
    progress!("\ndemo complete: every step succeeded");
    Ok(())
}

/// Steps 10 to 12: the same Okta federation declared in a document with
/// an ADMIN grant for its group, planned, applied (the grant after the
/// provider its domain comes from), and planned again (no changes).
async fn declare(sim: &Simulator) -> Result<(), Failure> {
    // Secrets are references: files only this process can read.
    let secrets = tempfile::tempdir()
        .map_err(|e| Failure::other(format!("cannot create a directory for the secrets: {e}")))?;
    let password = write_secret(secrets.path(), "vcf-password", sim.vcf().password())?;
    let client_secret = write_secret(secrets.path(), "okta-client-secret", DEMO_OIDC_SECRET)?;
    let text = format!(
        "targets:\n  - name: demo\n    url: {url}\n    username: {user}\n    password: file:{password}\n\
         identity:\n  external:\n    type: okta\n    name: okta\n\
         \x20   directory: {{ name: okta_dir, defaultDomain: example.com, domains: [example.com] }}\n\
         \x20   oidc: {{ clientId: 0oa1demo2client3id, clientSecret: file:{client_secret},\n\
         \x20           discoveryEndpoint: https://example.okta.com/.well-known/openid-configuration }}\n\
         \x20 access:\n\
         \x20   - {{ group: vcf-admins, domain: example.com, role: ADMIN }}\n",
        url = sim.vcf().url(),
        user = sim.vcf().username(),
        password = password.display(),
        client_secret = client_secret.display(),
    );
    let document = Document::from_text(&text, "demo.yaml", false, LoadOptions::default())
        .map_err(|e| Failure::other(format!("the demo document: {e}")))?;
    let options = Options::default();

    step(
        10,
        "plan a declared Okta federation whose vcf-admins group gets the ADMIN role (idpctl plan)",
    );
    let plan = idp_config::plan(&document, &options)
        .await
        .map_err(|e| Failure::other(e.to_string()))?;
    progress!("{}", render(&plan, &options).trim_end());

    step(11, "apply it (idpctl apply)");
    let report = idp_config::apply(&plan, &options).await;
    if !report.is_success() {
        return Err(Failure::other("applying the demo document failed"));
    }
    progress!("applied every change");

    step(12, "plan again: the server matches the document");
    let again = idp_config::plan(&document, &options)
        .await
        .map_err(|e| Failure::other(e.to_string()))?;
    progress!("{}", render(&again, &options).trim_end());
    if again.has_changes() {
        return Err(Failure::other(
            "the plan after apply should have no changes",
        ));
    }
    Ok(())
}

/// Step 13: rotate the Unleash SCIM token and deliver it to the simulated
/// Okta org, as `unleash scim-token rotate --deliver okta:APP_ID` does:
/// pre-flight read, rotation, delivery with bounded retries.
async fn deliver_to_okta(sim: &Simulator, unleash: &UnleashClient) -> Result<(), Failure> {
    step(
        13,
        "rotate the Unleash SCIM token and deliver it to Okta (--deliver okta:APP_ID)",
    );
    let okta = OktaClient::builder(sim.okta().url())
        .api_token(Secret::new(sim.okta().api_token()))
        .build()?;
    let app_id = sim.okta().app_id();
    okta::preflight(&okta, &app_id).await?;
    let token = unleash.generate_scim_token().await?;
    let scim_url = format!("{}/scim", unleash.base_url());
    okta::deliver(&okta, &app_id, &scim_url, &token.token).await?;
    let connection = okta.default_provisioning_connection(&app_id).await?;
    let delivered = sim
        .okta()
        .delivered(&app_id)
        .is_some_and(|d| d.token == token.token.expose());
    if !delivered || sim.unleash().scim_token().as_deref() != Some(token.token.expose()) {
        return Err(Failure::other(
            "the token Okta holds is not the token Unleash accepts",
        ));
    }
    progress!(
        "okta app {app_id}: provisioning {} with base URL {}; the token Okta holds is the one Unleash accepts",
        connection.status,
        connection.base_url.as_deref().unwrap_or("-")
    );
    Ok(())
}

/// Steps 14 to 17: VCF 9 single sign-on through the VCF Identity Broker:
/// an admin token from vCenter credentials, a directory, an OIDC identity
/// provider for it, and its sync client token rotated and delivered to
/// Microsoft Entra ID as `broker sync-client rotate --deliver entra:ID`
/// does.
async fn identity_broker(sim: &Simulator) -> Result<(), Failure> {
    step(
        14,
        "get a VCF Identity Broker admin token with vCenter credentials",
    );
    let broker = BrokerClient::builder(sim.broker().url())
        .tenant(sim.broker().tenant())
        .vcenter_credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
        .build()?;
    let directories = broker.list_directories().await?;
    let requests = sim.requests();
    let via_vcenter = requests
        .iter()
        .any(|r| r.method == "POST" && r.path == "/api/session")
        && requests.iter().any(|r| {
            r.path
                .ends_with(&format!("/tenants/{}/admin-client", broker.tenant()))
        });
    if !via_vcenter {
        return Err(Failure::other(
            "the broker admin token did not come from a vCenter session",
        ));
    }
    progress!(
        "vCenter session -> admin client token of tenant {}; {} directories",
        broker.tenant(),
        directories.len()
    );

    step(15, "create a broker directory for example.com");
    let mut spec = BrokerDirectorySpec::default();
    spec.name = Some("okta-demo".into());
    spec.domains = vec!["example.com".into()];
    spec.default_domain = Some("example.com".into());
    spec.source = Some(DirectorySource::Okta);
    let directory = broker.create_directory(&spec).await?;
    let read = broker.get_directory(&directory.id).await?;
    if read.name != "okta-demo" || read.domains != ["example.com"] {
        return Err(Failure::other(
            "the directory read back differs from the one created",
        ));
    }
    progress!(
        "created directory {} ({}), type {}",
        read.name,
        read.id,
        read.directory_type.as_deref().unwrap_or("-")
    );

    step(16, "create an OIDC identity provider for it");
    let mut oidc = BrokerOidcProfile::default();
    oidc.configuration_url =
        Some("https://example.okta.com/.well-known/openid-configuration".into());
    oidc.client_id = Some("0oa1demo2client3id".into());
    oidc.client_secret = Some(Secret::new(DEMO_OIDC_SECRET));
    let mut idp = BrokerOidcProviderSpec::default();
    idp.name = Some("Okta".into());
    idp.directory_ids = vec![directory.id.clone()];
    idp.oidc = Some(oidc);
    let idp = broker.create_oidc_identity_provider(&idp).await?;
    let listed = broker.list_identity_providers().await?;
    if !listed
        .iter()
        .any(|i| i.id == idp.id && i.directory_ids.contains(&directory.id))
    {
        return Err(Failure::other(
            "the identity provider is not listed with its directory",
        ));
    }
    progress!(
        "created identity provider {} ({}) for directory {}",
        idp.name,
        idp.id,
        directory.id
    );

    step(
        17,
        "rotate the directory's sync client token and deliver it to Entra (--deliver entra:ID)",
    );
    let entra_client = EntraClient::builder(sim.entra().tenant_id())
        .login_url(sim.entra().login_url())
        .graph_url(sim.entra().graph_url())
        .client_id(sim.entra().client_id())
        .client_secret(Secret::new(sim.entra().client_secret()))
        .build()?;
    let sp = sim.entra().service_principal_id();
    entra::preflight(&entra_client, &sp).await?;
    let sync = broker
        .generate_sync_client_credentials(
            &directory.id,
            SyncClientCredentialKind::Token,
            Some(Duration::from_secs(30 * 86_400)),
        )
        .await?;
    let token = sync
        .access_token
        .ok_or_else(|| Failure::other("the broker returned no sync client token"))?;
    let scim_url = broker_scim_url(&broker);
    entra::deliver(&entra_client, &sp, &scim_url, &token).await?;
    let held = sim.entra().delivered(&sp);
    let delivered = held.as_ref().is_some_and(|d| {
        d.token == token.expose() && d.scim_url.as_deref() == Some(scim_url.as_str())
    });
    if !delivered || sim.broker().sync_token(&directory.id).as_deref() != Some(token.expose()) {
        return Err(Failure::other(
            "the token Entra holds is not the sync client token the broker accepts",
        ));
    }
    progress!(
        "entra service principal {sp}: Tenant URL {scim_url}, token {} (expires at {}); the token Entra holds is the one the broker accepts",
        mask(token.expose()),
        sync.access_token_expires_at
            .map_or_else(|| "unknown".to_owned(), |t| t.to_rfc3339())
    );
    Ok(())
}

/// Step 18: the last step of every rotation's purpose: Entra checks the
/// credentials it holds against the SCIM endpoint (`validateCredentials`,
/// what `--verify` asks for an entra: target), then Entra and Okta push a
/// user and a group with the SCIM URL and token they hold, and the users
/// are in the simulator's SCIM directories.
async fn provision(sim: &Simulator) -> Result<(), Failure> {
    step(
        18,
        "Entra and Okta provision a user and a group over SCIM with the tokens they hold",
    );
    let sp = sim.entra().service_principal_id();
    let held = sim
        .entra()
        .delivered(&sp)
        .ok_or_else(|| Failure::other("Entra holds no SCIM credentials"))?;
    let scim_url = held
        .scim_url
        .clone()
        .ok_or_else(|| Failure::other("Entra holds no SCIM URL"))?;
    let entra_client = EntraClient::builder(sim.entra().tenant_id())
        .login_url(sim.entra().login_url())
        .graph_url(sim.entra().graph_url())
        .client_id(sim.entra().client_id())
        .client_secret(Secret::new(sim.entra().client_secret()))
        .build()?;
    entra_client
        .validate_synchronization_credentials(&sp, &scim_url, &Secret::new(held.token.clone()))
        .await?;
    progress!("entra: validateCredentials against {scim_url}: accepted");
    let pushed = sim
        .entra()
        .push(&sp, "alice@example.com", "vcf-admins")
        .map_err(|e| Failure::other(format!("Entra's push failed: {e}")))?;
    progress!(
        "entra pushed user {} and group {} to {scim_url}",
        pushed.user.user_name,
        pushed.group.display_name
    );
    let app_id = sim.okta().app_id();
    let pushed = sim
        .okta()
        .push(&app_id, "bob@example.com", "unleash-editors")
        .map_err(|e| Failure::other(format!("Okta's push failed: {e}")))?;
    progress!(
        "okta pushed user {} and group {} to Unleash's SCIM endpoint",
        pushed.user.user_name,
        pushed.group.display_name
    );
    let users = sim.scim().users();
    if !users.iter().any(|u| u.user_name == "alice@example.com")
        || !users.iter().any(|u| u.user_name == "bob@example.com")
    {
        return Err(Failure::other("the pushed users are not in the simulator"));
    }
    for user in &users {
        progress!(
            "provisioned: {} (active: {}) in the SCIM directory {}",
            user.user_name,
            user.active,
            user.directory
        );
    }
    Ok(())
}

/// Steps 19 to 22: VCF 9.1 fleet identity in VCF Operations, on a
/// simulator of profile vcf-9.1: an `OpsToken`, the realm's OIDC provider,
/// its directory's SCIM token delivered to the simulated Okta as `ops
/// sync-client rotate --deliver okta:APP_ID` does, and the role
/// `vcf_administrator` for a group on the realm.
async fn fleet_identity() -> Result<(), Failure> {
    let config = SimConfig::builder()
        .profile(Profile::Vcf91)
        .build()
        .map_err(|e| Failure::other(format!("simulator configuration: {e}")))?;
    let sim = Simulator::start(config)
        .await
        .map_err(|e| Failure::other(format!("cannot start the simulator: {e}")))?;
    let result = fleet_steps(&sim).await;
    sim.shutdown().await;
    result
}

async fn fleet_steps(sim: &Simulator) -> Result<(), Failure> {
    step(
        19,
        "VCF 9.1: acquire an OpsToken from VCF Operations and list the SSO realms",
    );
    let ops = OpsClient::builder(sim.vcf_ops().url())
        .credentials(
            sim.vcf_ops().username(),
            Secret::new(sim.vcf_ops().password()),
        )
        .build()?;
    let realms = ops.list_realms().await?;
    let realm = realms
        .first()
        .ok_or_else(|| Failure::other("VCF Operations lists no SSO realm"))?;
    if sim.vcf_ops().ops_token_count() == 0 {
        return Err(Failure::other("no OpsToken was acquired"));
    }
    progress!(
        "OpsToken acquired as {}; {} realm(s), the first {} ({})",
        sim.vcf_ops().username(),
        realms.len(),
        realm.name.as_deref().unwrap_or("-"),
        realm.id
    );

    step(
        20,
        "create the realm's OIDC identity provider (idpctl ops idp create)",
    );
    let spec = IdentityProviderSpec::oidc(
        &realm.id,
        "Okta",
        "OKTA",
        OidcSettings::new(
            "0oa1demo2client3id",
            Secret::new(DEMO_OIDC_SECRET),
            "https://example.okta.com/.well-known/openid-configuration",
        ),
        OpsDirectory::new("okta-fleet", ["example.com".to_owned()]),
    );
    let provider = ops.create_identity_provider(&spec).await?;
    let directory = provider
        .directories
        .first()
        .and_then(|d| d.id.clone())
        .ok_or_else(|| Failure::other("the provider was created without a directory id"))?;
    progress!(
        "created identity provider {} ({}) with directory okta-fleet ({directory})",
        provider.name,
        provider.id
    );

    step(
        21,
        "generate the directory's SCIM token and deliver it to Okta (idpctl ops sync-client rotate --deliver okta:APP_ID)",
    );
    let okta = OktaClient::builder(sim.okta().url())
        .api_token(Secret::new(sim.okta().api_token()))
        .build()?;
    let app_id = sim.okta().app_id();
    okta::preflight(&okta, &app_id).await?;
    let sync = ops
        .generate_sync_client(&provider.id, &directory, None)
        .await?;
    let token = sync
        .access_token
        .ok_or_else(|| Failure::other("VCF Operations returned no sync client token"))?;
    let scim_url = sim.vcf_ops().scim_url();
    okta::deliver(&okta, &app_id, &scim_url, &token).await?;
    let held = sim.okta().delivered(&app_id);
    let accepted = sim.vcf_ops().sync_token(&provider.id, &directory);
    if held.is_none_or(|d| d.token != token.expose()) || accepted.as_deref() != Some(token.expose())
    {
        return Err(Failure::other(
            "the token Okta holds is not the sync client token VCF Operations accepts",
        ));
    }
    progress!(
        "okta app {app_id}: base URL {scim_url}, token {}; the token Okta holds is the one VCF Operations accepts",
        mask(token.expose())
    );

    step(
        22,
        "give the group vcf-admins the role vcf_administrator on the realm (idpctl ops role assign)",
    );
    let groups = ops
        .list_groups(&realm.id, &PrincipalQuery::default())
        .await?;
    let group = groups
        .iter()
        .find(|g| g.name.as_deref() == Some("vcf-admins"))
        .and_then(|g| g.id.clone())
        .ok_or_else(|| Failure::other("the realm has no group vcf-admins"))?;
    ops.set_role_assignments(
        &realm.id,
        &group,
        &[RoleAssignment::new("vcf_administrator", RoleScope::realm())],
    )
    .await?;
    let roles = ops.role_assignments(&realm.id, &group).await?;
    if !roles.iter().any(|r| r.role_name == "vcf_administrator") {
        return Err(Failure::other("the role was not assigned"));
    }
    progress!(
        "vcf-admins ({group}) has vcf_administrator on realm {}",
        realm.name.as_deref().unwrap_or(&realm.id)
    );
    ops.close().await?;
    Ok(())
}

/// Writes a secret to `dir/name`, readable by this user only.
fn write_secret(dir: &Path, name: &str, secret: &str) -> Result<PathBuf, Failure> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;

    let path = dir.join(name);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .and_then(|mut file| file.write_all(secret.as_bytes()))
        .map_err(|e| Failure::other(format!("cannot write {}: {e}", path.display())))?;
    Ok(path)
}

fn step(number: u32, title: &str) {
    progress!("\n[{number}] {title}");
}
