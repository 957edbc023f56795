//! idp-client's `BrokerClient` against the simulated VCF Identity Broker:
//! every operation, the vendor media types on the wire, errors without a
//! body, the admin token's renewal, and the faults the fault matrix
//! (`fault_matrix/`, which runs every broker and vCenter operation under
//! every fault) does not hold.

use std::time::Duration;

use idp_client::{
    BrokerClient, BrokerClientBuilder, BrokerDirectorySpec, BrokerOAuthClientSpec,
    BrokerOidcProfile, BrokerOidcProviderSpec, DirectorySource, Error, Secret,
    SyncClientCredentialKind,
};
use idp_sim::{FaultRule, RecordedRequest, SimConfig, Simulator};
use idp_testkit::{
    TraceCapture, broker_client, broker_client_builder, broker_vcenter_client, start_sim,
};

const DIRECTORY: &str = "application/vnd.vmware.vidm.usergroup.broker.directory+json";
const DIRECTORY_LIST: &str = "application/vnd.vmware.vidm.usergroup.broker.directory.list+json";
const SYNC_CLIENT: &str =
    "application/vnd.vmware.vidm.usergroup.broker.directory.syncclientconfiguration+json";

fn builder(sim: &Simulator) -> BrokerClientBuilder {
    broker_client_builder(sim)
}

fn oauth(sim: &Simulator) -> BrokerClient {
    broker_client(sim)
}

/// A client whose admin token comes through the simulator's vCenter user.
fn vcenter(sim: &Simulator) -> BrokerClient {
    broker_vcenter_client(sim)
}

fn requests(sim: &Simulator, method: &str, path_part: &str) -> Vec<RecordedRequest> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == method && r.path.contains(path_part))
        .collect()
}

fn directory_spec(name: &str, domain: &str) -> BrokerDirectorySpec {
    let mut spec = BrokerDirectorySpec::new(name, [domain.to_owned()]);
    spec.default_domain = Some(domain.to_owned());
    spec.source = Some(DirectorySource::Okta);
    spec
}

/// An OIDC provider "Okta" for `directory_id`, with a client secret.
fn okta_oidc_spec(directory_id: &str) -> BrokerOidcProviderSpec {
    let mut oidc = BrokerOidcProfile::default();
    oidc.configuration_url =
        Some("https://okta.example.com/.well-known/openid-configuration".into());
    oidc.client_id = Some("okta-client".into());
    oidc.client_secret = Some(Secret::new("okta-secret"));
    let mut spec = BrokerOidcProviderSpec::default();
    spec.name = Some("Okta".into());
    spec.directory_ids = vec![directory_id.to_owned()];
    spec.oidc = Some(oidc);
    spec
}

#[tokio::test]
async fn directories_and_sync_clients_round_trip_with_vendor_media_types() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = oauth(&sim);
    assert!(broker.list_directories().await.unwrap().is_empty());

    let created = broker
        .create_directory(&directory_spec("okta dir", "example.com"))
        .await
        .unwrap();
    assert_eq!(created.name, "okta dir");
    assert_eq!(created.source, Some(DirectorySource::Okta));
    assert_eq!(created.default_domain.as_deref(), Some("example.com"));
    let conflict = broker
        .create_directory(&directory_spec("okta dir", "other.com"))
        .await
        .unwrap_err();
    assert_eq!(conflict.status().map(|s| s.as_u16()), Some(409));

    let listed = broker.list_directories().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, created.id);
    // The list leaves the default domain out, as documented.
    assert_eq!(listed[0].default_domain, None);

    let mut rename = BrokerDirectorySpec::default();
    rename.name = Some("renamed".into());
    let updated = broker.update_directory(&created.id, &rename).await.unwrap();
    assert_eq!(updated.name, "renamed");
    assert_eq!(
        broker.get_directory(&created.id).await.unwrap().name,
        "renamed"
    );

    // The sync client: a token, then client credentials (which invalidate it).
    let before = broker.sync_client(&created.id).await.unwrap();
    assert!(before.access_token.is_none() && before.client_secret.is_none());
    let token = broker
        .generate_sync_client_credentials(
            &created.id,
            SyncClientCredentialKind::Token,
            Some(Duration::from_secs(3600)),
        )
        .await
        .unwrap();
    let access = token.access_token.clone().unwrap();
    assert_eq!(
        sim.broker().sync_token(&created.id).as_deref(),
        Some(access.expose())
    );
    assert_eq!(token.token_ttl_minutes, Some(60));
    let expire_in = token.access_token_expire_in.unwrap();
    assert!((3500..=3600).contains(&expire_in), "{expire_in}");
    assert!(token.access_token_expires_at.is_some());
    let shown = broker.sync_client(&created.id).await.unwrap();
    assert!(
        shown.access_token.is_none(),
        "a read never returns the token"
    );
    assert!(shown.access_token_expire_in.is_some());

    let credentials = broker
        .generate_sync_client_credentials(
            &created.id,
            SyncClientCredentialKind::ClientCredentials,
            None,
        )
        .await
        .unwrap();
    assert!(credentials.client_secret.is_some());
    assert_eq!(
        sim.broker().sync_token(&created.id),
        None,
        "the old token is invalidated"
    );

    // Media types on the wire.
    let posts = requests(&sim, "POST", "/broker/directories");
    let create = posts
        .iter()
        .find(|r| r.path.ends_with("/directories"))
        .unwrap();
    assert_eq!(create.header("content-type"), Some(DIRECTORY));
    assert_eq!(create.header("accept"), Some(DIRECTORY));
    let generate = posts
        .iter()
        .find(|r| r.path.ends_with("/sync-client"))
        .unwrap();
    assert_eq!(generate.header("content-type"), Some(SYNC_CLIENT));
    assert_eq!(
        generate.query.as_deref(),
        Some("action=generate_credentials")
    );
    let list = requests(&sim, "GET", "/broker/directories")
        .into_iter()
        .find(|r| r.path.ends_with("/directories"))
        .unwrap();
    assert_eq!(list.header("accept"), Some(DIRECTORY_LIST));
    assert_eq!(list.header("authorization"), Some(idp_sim::REDACTED));

    broker.delete_directory(&created.id).await.unwrap();
    let gone = broker.get_directory(&created.id).await.unwrap_err();
    assert!(gone.is_not_found(), "{gone}");
    assert_eq!(sim.broker().directory_count(), 0);
}

#[tokio::test]
async fn the_simulator_refuses_a_body_sent_as_plain_json() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = oauth(&sim);
    broker.list_directories().await.unwrap();
    let token = sim.issue_access_token();
    idp_client::ensure_crypto_provider();
    let response = reqwest::Client::new()
        .post(format!(
            "{}/usergroup/t/CUSTOMER/broker/directories",
            sim.broker().url()
        ))
        .bearer_auth(token)
        .json(&serde_json::json!({"name": "x", "domains": ["x.com"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
    idp_client::ensure_crypto_provider();
    let response = reqwest::Client::new()
        .get(format!(
            "{}/usergroup/t/CUSTOMER/broker/directories",
            sim.broker().url()
        ))
        .bearer_auth(sim.issue_access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("content-type").unwrap(),
        DIRECTORY_LIST
    );
}

#[tokio::test]
async fn identity_providers_round_trip_and_keep_the_client_secret_out() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = oauth(&sim);
    let directory = broker
        .create_directory(&directory_spec("dir", "example.com"))
        .await
        .unwrap();
    let spec = okta_oidc_spec(&directory.id);
    let created = broker.create_oidc_identity_provider(&spec).await.unwrap();
    assert_eq!(created.name, "Okta");
    assert_eq!(created.idp_type.as_deref(), Some("OIDC"));
    assert_eq!(created.directories[0].0, directory.id);
    assert!(created.oidc.as_ref().unwrap().client_secret.is_none());

    let summaries = broker.list_identity_providers().await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].directory_ids, vec![directory.id.clone()]);

    let mut rename = BrokerOidcProviderSpec::default();
    rename.name = Some("Okta prod".into());
    let patched = broker
        .update_identity_provider(&created.id, &rename)
        .await
        .unwrap();
    assert_eq!(patched.name, "Okta prod");
    assert_eq!(
        patched.oidc.unwrap().client_id.as_deref(),
        Some("okta-client"),
        "a patch keeps the fields it does not send"
    );
    assert_eq!(
        broker
            .get_identity_provider(&created.id)
            .await
            .unwrap()
            .name,
        "Okta prod"
    );

    let mut incomplete = spec.clone();
    incomplete.oidc.as_mut().unwrap().client_secret = None;
    let invalid = broker
        .create_oidc_identity_provider(&incomplete)
        .await
        .unwrap_err();
    assert!(matches!(invalid, Error::InvalidInput { .. }), "{invalid}");

    broker.delete_identity_provider(&created.id).await.unwrap();
    assert!(broker.list_identity_providers().await.unwrap().is_empty());
    let create = requests(&sim, "POST", "/broker/identity-providers");
    assert_eq!(
        create[0].header("content-type"),
        Some("application/vnd.vmware.vidm.federation.broker.identityprovider+json")
    );
}

#[tokio::test]
async fn oauth_clients_round_trip_and_a_rotated_secret_works() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = oauth(&sim);
    let mut spec = BrokerOAuthClientSpec::default();
    spec.client_id = Some("automation".into());
    spec.scope = vec!["admin".into()];
    spec.grant_types = vec!["client_credentials".into()];
    let created = broker.create_oauth_client(&spec).await.unwrap();
    let secret = created
        .secret
        .clone()
        .expect("a generated secret is returned once");
    assert!(
        broker
            .get_oauth_client("automation")
            .await
            .unwrap()
            .secret
            .is_none()
    );
    let ids: Vec<String> = broker
        .list_oauth_clients()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.client_id)
        .collect();
    assert_eq!(ids, ["automation", sim.broker().client_id()]);

    let mut patch = BrokerOAuthClientSpec::default();
    patch.access_token_ttl_minutes = Some(30);
    let patched = broker
        .update_oauth_client("automation", &patch)
        .await
        .unwrap();
    assert_eq!(patched.access_token_ttl_minutes, Some(30));

    // The new client works, then its rotated secret does.
    let own = builder(&sim)
        .oauth_client("automation", secret.clone())
        .build()
        .unwrap();
    own.list_directories().await.unwrap();
    let new_secret = Secret::new("second-secret-value");
    broker
        .start_secret_rotation("automation", &new_secret, Some(Duration::from_secs(3600)))
        .await
        .unwrap();
    let again = broker
        .start_secret_rotation("automation", &new_secret, None)
        .await
        .unwrap_err();
    assert_eq!(again.status().map(|s| s.as_u16()), Some(400));
    broker.retire_primary_secret("automation").await.unwrap();
    let rotated = builder(&sim)
        .oauth_client("automation", new_secret)
        .build()
        .unwrap();
    rotated.list_directories().await.unwrap();
    let old = builder(&sim)
        .oauth_client("automation", secret)
        .build()
        .unwrap();
    let rejected = old.list_directories().await.unwrap_err();
    assert!(rejected.is_unauthorized(), "{rejected}");

    broker.delete_oauth_client("automation").await.unwrap();
    assert!(
        broker
            .get_oauth_client("automation")
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn vcenter_credentials_get_the_tenant_admin_token() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = vcenter(&sim);
    broker.list_directories().await.unwrap();
    assert_eq!(requests(&sim, "POST", "/api/session").len(), 1);
    let admin = requests(&sim, "GET", "/admin-client");
    assert_eq!(admin.len(), 1);
    assert_eq!(
        admin[0].header("vmware-api-session-id"),
        Some(idp_sim::REDACTED)
    );
    // The session ends once the token is read.
    let ended = requests(&sim, "DELETE", "/api/session");
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].status, Some(204));
    assert_eq!(
        ended[0].header("vmware-api-session-id"),
        Some(idp_sim::REDACTED)
    );
    assert!(sim.vcenter().sessions().is_empty());
    let order: Vec<(String, String)> = sim
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path))
        .take(3)
        .collect();
    assert_eq!(
        order,
        [
            ("POST".to_owned(), "/api/session".to_owned()),
            (
                "GET".to_owned(),
                "/api/vcenter/identity/broker/tenants/CUSTOMER/admin-client".to_owned()
            ),
            ("DELETE".to_owned(), "/api/session".to_owned()),
        ]
    );

    let wrong = builder(&sim)
        .vcenter_credentials(sim.vcf().username(), "wrong")
        .build()
        .unwrap();
    let err = wrong.list_directories().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(!format!("{err} {err:?}").contains("wrong\""));
}

#[tokio::test]
async fn a_renewal_before_expires_in_runs_out_ends_its_vcenter_session_too() {
    // Tokens live 30 s and are renewed 60 s early: every operation fetches
    // a new admin token through a new vCenter session first.
    let sim = start_sim(SimConfig::builder().access_token_lifetime(Duration::from_secs(30))).await;
    let broker = builder(&sim)
        .vcenter_credentials(sim.vcf().username(), sim.vcf().password())
        .token_refresh_skew(Duration::from_secs(60))
        .build()
        .unwrap();
    for _ in 0..3 {
        broker.list_directories().await.unwrap();
    }
    assert_eq!(requests(&sim, "GET", "/admin-client").len(), 3);
    let ended = requests(&sim, "DELETE", "/api/session");
    assert_eq!(ended.len(), 3);
    assert!(ended.iter().all(|r| r.status == Some(204)));
    assert!(sim.vcenter().sessions().is_empty());
    assert!(sim.requests().iter().all(|r| r.status != Some(401)));
}

#[tokio::test]
async fn a_failing_session_delete_does_not_fail_the_operation() {
    let sim = start_sim(SimConfig::builder()).await;
    let password = sim.vcf().password().to_owned();
    let broker = builder(&sim)
        .vcenter_credentials(sim.vcf().username(), password.clone())
        .build()
        .unwrap();
    sim.faults().add(
        FaultRule::new("DELETE", "/api/session")
            .respond(503)
            .times(1),
    );
    let capture = TraceCapture::start();
    let directories = broker.list_directories().await;
    let log = capture.text();
    drop(capture);
    assert!(directories.unwrap().is_empty());
    // A DELETE that reached the server is not retried; the session stays
    // open until vCenter's idle timeout.
    let ended = requests(&sim, "DELETE", "/api/session");
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].status, Some(503));
    assert_eq!(sim.vcenter().sessions().len(), 1);
    let warning = log
        .lines()
        .find(|line| line.contains("WARN") && line.contains("ending the vCenter session failed"))
        .unwrap_or_else(|| panic!("no warning in:\n{log}"));
    assert!(warning.contains("503"), "{warning}");
    // No secret anywhere in what was logged: not the password, the admin
    // token, nor the session id.
    assert!(!log.contains(&password), "{log}");
    // The simulator's tokens are JWTs.
    assert!(!log.contains("eyJ"), "{log}");
    for session in sim.vcenter().sessions() {
        assert!(!log.contains(&session), "{log}");
    }
    // The token in hand keeps working.
    broker.list_identity_providers().await.unwrap();
    assert_eq!(requests(&sim, "POST", "/api/session").len(), 1);
}

#[tokio::test]
async fn the_session_ends_even_when_the_admin_token_is_refused() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = vcenter(&sim);
    sim.faults().add(
        FaultRule::new(
            "GET",
            "/api/vcenter/identity/broker/tenants/CUSTOMER/admin-client",
        )
        .respond(403)
        .times(1),
    );
    let err = broker.list_directories().await.unwrap_err();
    assert!(err.is_forbidden(), "{err}");
    assert!(
        err.to_string().contains("VcIdentityProviders.Manage"),
        "{err}"
    );
    let ended = requests(&sim, "DELETE", "/api/session");
    assert_eq!(ended.len(), 1);
    assert_eq!(ended[0].status, Some(204));
    assert!(sim.vcenter().sessions().is_empty());
    assert!(requests(&sim, "GET", "/broker/directories").is_empty());

    // A refused login opens no session, so there is nothing to end.
    sim.clear_requests();
    let wrong = builder(&sim)
        .vcenter_credentials(sim.vcf().username(), "wrong")
        .build()
        .unwrap();
    assert!(
        wrong
            .list_directories()
            .await
            .unwrap_err()
            .is_unauthorized()
    );
    assert!(requests(&sim, "DELETE", "/api/session").is_empty());
}

#[tokio::test]
async fn errors_without_a_body_keep_status_and_hint() {
    let sim = start_sim(SimConfig::builder()).await;
    let unknown = builder(&sim).bearer_token("not-a-token").build().unwrap();
    let err = unknown.list_directories().await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(
        err.to_string().contains("admin token was rejected"),
        "{err}"
    );

    // A token of a client without the admin scope: 403.
    let broker = oauth(&sim);
    let mut spec = BrokerOAuthClientSpec::default();
    spec.client_id = Some("reader".into());
    spec.scope = vec!["user".into()];
    let reader = broker.create_oauth_client(&spec).await.unwrap();
    let reader = builder(&sim)
        .oauth_client("reader", reader.secret.unwrap())
        .build()
        .unwrap();
    let err = reader.list_directories().await.unwrap_err();
    assert!(err.is_forbidden(), "{err}");
    assert!(
        err.body_snippet().is_none() && err.vendor().is_none(),
        "{err}"
    );
    // Writes too: refused before anything changes.
    let directory = broker
        .create_directory(&directory_spec("dir", "example.com"))
        .await
        .unwrap();
    let err = reader
        .create_directory(&directory_spec("other", "other.com"))
        .await
        .unwrap_err();
    assert!(err.is_forbidden(), "{err}");
    assert!(!err.is_retryable(), "{err}");
    let err = reader.delete_directory(&directory.id).await.unwrap_err();
    assert!(err.is_forbidden(), "{err}");
    assert_eq!(sim.broker().directory_count(), 1);
    let err = unknown.delete_directory(&directory.id).await.unwrap_err();
    assert!(err.is_unauthorized(), "{err}");
    assert!(
        err.body_snippet().is_none() && err.vendor().is_none(),
        "{err}"
    );
    assert!(
        sim.requests()
            .iter()
            .filter(|r| r.status == Some(401) || r.status == Some(403))
            .all(|r| r.fault.is_none()),
        "the simulator's own answers, not injected faults"
    );

    let other_tenant = builder(&sim)
        .tenant("OTHER")
        .bearer_token(sim.issue_access_token())
        .build()
        .unwrap();
    assert!(
        other_tenant
            .list_directories()
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn the_admin_token_is_renewed_before_expires_in_runs_out() {
    // Tokens live 30 s; renewing 60 s before expiry means every operation
    // finds its token due and gets a new one first, with no 401 seen.
    let sim = start_sim(SimConfig::builder().access_token_lifetime(Duration::from_secs(30))).await;
    let broker = builder(&sim)
        .oauth_client(sim.broker().client_id(), sim.broker().client_secret())
        .token_refresh_skew(Duration::from_secs(60))
        .build()
        .unwrap();
    broker.list_directories().await.unwrap();
    broker.list_identity_providers().await.unwrap();
    assert_eq!(requests(&sim, "POST", "/acs/t/CUSTOMER/token").len(), 2);
    assert!(sim.requests().iter().all(|r| r.status != Some(401)));

    // With a skew shorter than the lifetime the token is reused.
    let steady = builder(&sim)
        .oauth_client(sim.broker().client_id(), sim.broker().client_secret())
        .token_refresh_skew(Duration::from_secs(1))
        .build()
        .unwrap();
    sim.clear_requests();
    steady.list_directories().await.unwrap();
    steady.list_directories().await.unwrap();
    assert_eq!(requests(&sim, "POST", "/acs/t/CUSTOMER/token").len(), 1);
}

/// Broker faults the fault matrix (`fault_matrix/`) does not hold: a `GET`
/// meeting a transient failure a few times (503 twice, a 429 with
/// `Retry-After`, a body cut short, a proxy's HTML 502 twice) gets its
/// answer in the end; a proxy's HTML page is summarized; a 403 with an
/// undeclared JSON body is still a 403.
#[tokio::test]
async fn every_fault_kind_on_broker_routes() {
    let sim = start_sim(SimConfig::builder()).await;
    let broker = oauth(&sim);
    let list = "/usergroup/t/CUSTOMER/broker/directories";
    broker
        .create_directory(&directory_spec("dir", "example.com"))
        .await
        .unwrap();
    let sent = |method: &str, path: &str| {
        sim.requests()
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .count()
    };

    // GET: transient faults are retried until the answer comes.
    for rule in [
        FaultRule::new("GET", list).respond(503).times(2),
        FaultRule::new("GET", list)
            .respond(429)
            .retry_after(1)
            .times(1),
        FaultRule::new("GET", list)
            .truncate_body_declaring_full_length()
            .times(1),
        FaultRule::new("GET", list)
            .respond_html(502, "<html><body>Bad gateway</body></html>")
            .times(2),
    ] {
        sim.clear_requests();
        let times = rule.clone();
        sim.faults().add(rule);
        let listed = broker.list_directories().await;
        assert_eq!(listed.unwrap().len(), 1, "{times:?}");
        assert!(sent("GET", list) >= 2, "{times:?}");
        assert!(sim.faults().list().is_empty(), "{times:?}");
    }

    // GET: a fault that stays gives up after the policy's attempts.
    sim.clear_requests();
    let html = sim.faults().add(
        FaultRule::new("GET", list).respond_html(502, "<html><body>Bad gateway</body></html>"),
    );
    let err = broker.list_directories().await.unwrap_err();
    sim.faults().remove(html);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert!(err.is_retryable(), "{err}");
    assert!(
        err.body_snippet()
            .is_some_and(|b| b.contains("Bad gateway"))
    );
    assert_eq!(sent("GET", list), 3);

    // A 403 with a JSON body the spec does not declare is still a 403.
    let json = sim.faults().add(
        FaultRule::new("GET", list)
            .respond_json(403, serde_json::json!({"message": "forbidden"}))
            .times(1),
    );
    let err = broker.list_directories().await.unwrap_err();
    sim.faults().remove(json);
    assert!(err.is_forbidden(), "{err}");
}

/// Whether `path` fits the spec's path `template` (`{name}` matches one
/// segment).
fn fits(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) if t.starts_with('{') || t == p => {}
            _ => return false,
        }
    }
}

/// Every broker and vCenter operation, run through the library: each
/// request the simulator saw carries its operation's media types (the
/// vendor ones from the spec, on `Accept` when an answer body is expected
/// and on `Content-Type` with a body), and each read answers with its
/// vendor media type.
#[tokio::test]
async fn every_operation_sends_and_receives_its_media_types() {
    use idp_api::Operation;

    let sim = start_sim(SimConfig::builder()).await;
    let broker = vcenter(&sim);
    let directory = broker
        .create_directory(&directory_spec("dir", "example.com"))
        .await
        .unwrap();
    broker.list_directories().await.unwrap();
    broker.get_directory(&directory.id).await.unwrap();
    let mut rename = BrokerDirectorySpec::default();
    rename.name = Some("renamed".into());
    broker
        .update_directory(&directory.id, &rename)
        .await
        .unwrap();
    broker.sync_client(&directory.id).await.unwrap();
    broker
        .generate_sync_client_credentials(&directory.id, SyncClientCredentialKind::Token, None)
        .await
        .unwrap();
    let spec = okta_oidc_spec(&directory.id);
    let idp = broker.create_oidc_identity_provider(&spec).await.unwrap();
    broker.list_identity_providers().await.unwrap();
    broker.get_identity_provider(&idp.id).await.unwrap();
    let mut idp_rename = BrokerOidcProviderSpec::default();
    idp_rename.name = Some("Okta prod".into());
    broker
        .update_identity_provider(&idp.id, &idp_rename)
        .await
        .unwrap();
    let mut client = BrokerOAuthClientSpec::default();
    client.client_id = Some("automation".into());
    client.scope = vec!["admin".into()];
    client.grant_types = vec!["client_credentials".into()];
    let created = broker.create_oauth_client(&client).await.unwrap();
    broker.list_oauth_clients().await.unwrap();
    broker.get_oauth_client("automation").await.unwrap();
    let mut ttl = BrokerOAuthClientSpec::default();
    ttl.access_token_ttl_minutes = Some(30);
    broker
        .update_oauth_client("automation", &ttl)
        .await
        .unwrap();
    broker
        .start_secret_rotation("automation", &Secret::new("second-secret-value"), None)
        .await
        .unwrap();
    // The token endpoint, through the new client.
    let own = builder(&sim)
        .oauth_client("automation", created.secret.unwrap())
        .build()
        .unwrap();
    own.list_directories().await.unwrap();
    broker.delete_oauth_client("automation").await.unwrap();
    broker.delete_identity_provider(&idp.id).await.unwrap();
    broker.delete_directory(&directory.id).await.unwrap();

    let all: Vec<&Operation> = idp_api::broker::operations::ALL
        .iter()
        .chain(idp_api::vcenter::operations::ALL)
        .copied()
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for request in sim.requests() {
        let op = all
            .iter()
            .find(|op| op.method.as_str() == request.method && fits(op.path, &request.path))
            .unwrap_or_else(|| panic!("no operation for {request:?}"));
        seen.insert(op.id);
        // An operation answered without a body asks for none in particular.
        if op.success != idp_api::SuccessBody::Empty {
            let accept = op.response_media.unwrap_or("application/json");
            assert_eq!(request.header("accept"), Some(accept), "{}", op.id);
        }
        if request.body_len > 0 {
            // The token endpoint takes a form (the spec keys it so: no
            // vendor type to record).
            let plain = if op.id == "getBrokerAccessToken" {
                "application/x-www-form-urlencoded"
            } else {
                "application/json"
            };
            let sent = op.request_media.unwrap_or(plain);
            assert_eq!(request.header("content-type"), Some(sent), "{}", op.id);
        }
    }
    let missing: Vec<&str> = all
        .iter()
        .map(|op| op.id)
        .filter(|id| !seen.contains(id))
        .collect();
    assert!(missing.is_empty(), "not run: {missing:?}");

    // The reads answer with their vendor media types.
    let directory = broker
        .create_directory(&directory_spec("again", "example.org"))
        .await
        .unwrap();
    let idp = broker
        .create_oidc_identity_provider(&okta_oidc_spec(&directory.id))
        .await
        .unwrap();
    let token = sim.issue_access_token();
    idp_client::ensure_crypto_provider();
    let http = reqwest::Client::new();
    for op in idp_api::broker::operations::ALL
        .iter()
        .filter(|op| op.method.as_str() == "GET")
    {
        let id = if op.path.contains("oauth2-clients") {
            sim.broker().client_id()
        } else {
            directory.id.as_str()
        };
        let path = op
            .path
            .replace("{tenant}", sim.broker().tenant())
            .replace("{id}", id)
            .replace("{idpId}", &idp.id);
        let response = http
            .get(format!("{}{path}", sim.broker().url()))
            .bearer_auth(&token)
            .header("accept", op.response_media.unwrap_or("application/json"))
            .send()
            .await
            .unwrap();
        let path = op.path;
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some(op.response_media.unwrap_or("application/json")),
            "{path}"
        );
    }
}

/// Sixteen callers meeting an expired admin token at once: one renewal
/// (one token request, or one vCenter session that is then ended), every
/// call replayed with the new token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_admin_token_renewal() {
    let sim = start_sim(SimConfig::builder()).await;
    for through_vcenter in [false, true] {
        let broker = if through_vcenter {
            vcenter(&sim)
        } else {
            oauth(&sim)
        };
        broker.list_directories().await.unwrap();
        sim.expire_access_tokens();
        sim.clear_requests();
        let mut calls = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let broker = broker.clone();
            calls.spawn(async move { broker.list_directories().await });
        }
        while let Some(call) = calls.join_next().await {
            call.unwrap().unwrap();
        }
        if through_vcenter {
            assert_eq!(requests(&sim, "POST", "/api/session").len(), 1);
            assert_eq!(requests(&sim, "GET", "/admin-client").len(), 1);
            assert_eq!(requests(&sim, "DELETE", "/api/session").len(), 1);
            assert!(sim.vcenter().sessions().is_empty());
        } else {
            assert_eq!(requests(&sim, "POST", "/acs/t/CUSTOMER/token").len(), 1);
        }
        let answered: Vec<Option<u16>> = requests(&sim, "GET", "/broker/directories")
            .iter()
            .map(|r| r.status)
            .filter(|s| *s == Some(200))
            .collect();
        assert_eq!(answered.len(), 16, "through vCenter: {through_vcenter}");
    }
}
