//! Running one cell on a fresh simulator.

use idp_client::{BrokerClient, ClientConfig, EntraClient, OktaClient};

use super::*;

pub(super) fn fast_retries() -> RetryPolicy {
    // `Retry-After: 1` is honoured, cut to 20 ms.
    idp_testkit::fast_retries().with_max_attempts(MAX_ATTEMPTS)
}

/// The transport settings of the client under test.
fn config(fault: Fault) -> ClientConfig {
    let timeout = if fault == Fault::Timeout {
        SHORT_TIMEOUT
    } else {
        Duration::from_secs(20)
    };
    let limit = match fault {
        Fault::OversizedDeclared | Fault::OversizedChunked => SMALL_BODY_LIMIT,
        _ => idp_client::DEFAULT_MAX_RESPONSE_BYTES,
    };
    // Plain HTTP on loopback: the bundled roots are only cheaper to load.
    ClientConfig::builder()
        .root_certificates(RootCertificates::Bundled)
        .retry_policy(fast_retries())
        .request_timeout(timeout)
        .max_response_bytes(limit)
        .build()
        .unwrap()
}

/// A loopback port that is bound but does not listen: connecting to it is
/// refused, and no other cell's simulator can take it while it is held
/// (a port merely closed again could be).
pub(super) struct ClosedPort(
    // Held, never read.
    #[allow(dead_code)] tokio::net::TcpSocket,
);

/// The simulator's URL, or when `closed` the URL of a closed port, held
/// in `held`.
fn base(sim: &Simulator, closed: bool, held: &mut Vec<ClosedPort>) -> String {
    if !closed {
        return sim.vcf().url();
    }
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let port = socket.local_addr().unwrap().port();
    held.push(ClosedPort(socket));
    format!("http://127.0.0.1:{port}")
}

/// The client under test for `op` facing `fault`, and under "connection
/// refused" the closed port it is sent to.
pub(super) fn client(sim: &Simulator, op: Op, fault: Fault) -> (Client, Vec<ClosedPort>) {
    let config = config(fault);
    let refused = fault == Fault::Refused;
    let mut held = Vec::new();
    let rejected = fault == Fault::Unauthorized;
    // Nothing to log in to, or a login that must not race the short
    // timeout: a token issued by the simulator.
    let bearer = matches!(fault, Fault::Refused | Fault::Timeout) && !op.is_login();
    let client = match op.api() {
        Api::Vcf => {
            let vcf = VcfClient::builder(base(sim, refused, &mut held)).config(&config);
            let vcf = if bearer {
                vcf.bearer_token(Secret::new(sim.issue_access_token()))
            } else {
                vcf.credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
            };
            Client::Vcf(vcf.build().unwrap())
        }
        Api::Unleash => {
            let key = if rejected {
                "*:*.revoked-admin-key".to_owned()
            } else {
                sim.unleash().api_key().to_owned()
            };
            let url = format!("{}/unleash", base(sim, refused, &mut held));
            Client::Unleash(
                UnleashClient::builder(url)
                    .config(&config)
                    .api_token(Secret::new(key))
                    .build()
                    .unwrap(),
            )
        }
        Api::Broker | Api::Vcenter => {
            let broker = BrokerClient::builder(base(sim, refused, &mut held))
                .config(&config)
                .tenant(sim.broker().tenant());
            let broker = if bearer {
                broker.bearer_token(Secret::new(sim.issue_access_token()))
            } else if op.api() == Api::Vcenter {
                broker.vcenter_credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
            } else {
                broker.oauth_client(sim.broker().client_id(), sim.broker().client_secret())
            };
            Client::Broker(broker.build().unwrap())
        }
        Api::Okta => {
            let token = if rejected {
                "00-revoked-okta-token".to_owned()
            } else {
                sim.okta().api_token()
            };
            let url = format!("{}/okta", base(sim, refused, &mut held));
            Client::Okta(
                OktaClient::builder(url)
                    .config(&config)
                    .api_token(Secret::new(token))
                    .build()
                    .unwrap(),
            )
        }
        Api::Ops => {
            let ops =
                idp_client::VcfOpsClient::builder(base(sim, refused, &mut held)).config(&config);
            let ops = if bearer {
                ops.bearer_token(Secret::new(sim.issue_access_token()))
            } else {
                ops.credentials(
                    sim.vcf_ops().username(),
                    Secret::new(sim.vcf_ops().password()),
                )
            };
            Client::Ops(ops.build().unwrap())
        }
        Api::Entra => {
            // The closed port is the login host's for the token row, else
            // Graph's (the token comes first, from the simulator).
            let login = base(sim, refused && op.is_login(), &mut held);
            let graph = base(sim, refused && !op.is_login(), &mut held);
            let secret = if rejected && op.is_login() {
                "wrong-client-secret".to_owned()
            } else {
                sim.entra().client_secret()
            };
            Client::Entra(
                EntraClient::builder(sim.entra().tenant_id())
                    .config(&config)
                    .login_url(format!("{login}/login"))
                    .graph_url(format!("{graph}/graph"))
                    .client_id(sim.entra().client_id())
                    .client_secret(Secret::new(secret))
                    .build()
                    .unwrap(),
            )
        }
    };
    (client, held)
}

/// Logs the client under test in before the fault where it keeps a
/// session, so that the call meets the fault, not a login; for the "401"
/// row, then expires the access tokens. A login step's row starts from a
/// client that has not logged in, so that the call runs the login, except
/// in the "401" row, where the renewal runs it.
async fn prepare(sim: &Simulator, op: Op, fault: Fault, client: &Client, ids: &Ids) {
    let unauthorized = fault == Fault::Unauthorized;
    let bearer = matches!(fault, Fault::Refused | Fault::Timeout);
    match op.auth() {
        Auth::Renewing if bearer => {}
        Auth::Renewing if op.api() == Api::Vcf => {
            client.vcf().list_identity_providers().await.unwrap();
            if op == Op::AddUser {
                // The role a grant names is looked up once per client.
                client.vcf().list_roles().await.unwrap();
            }
        }
        Auth::Renewing if op.api() == Api::Ops => {
            client.ops().list_realms().await.unwrap();
        }
        Auth::Renewing => {
            client.broker().list_directories().await.unwrap();
        }
        Auth::Renewal if unauthorized => {
            client.broker().list_directories().await.unwrap();
        }
        Auth::Cached => {
            let first = client
                .entra()
                .synchronization_job_count(&ids.service_principal)
                .await;
            // Under "connection refused" only Graph's port is closed: the
            // token is in hand all the same.
            assert!(fault == Fault::Refused || first.is_ok(), "{first:?}");
        }
        Auth::Renewal | Auth::Fixed => {}
    }
    if unauthorized {
        match op.auth() {
            Auth::Renewing | Auth::Renewal => {
                sim.expire_access_tokens();
                sim.vcf_ops().expire_ops_tokens();
            }
            Auth::Cached => sim.entra().expire_tokens(),
            Auth::Fixed => {}
        }
    }
}

/// Everything the row's call could change.
async fn snapshot(sim: &Simulator, op: Op, ids: &Ids) -> String {
    match op.api() {
        Api::Vcf | Api::Unleash => {
            let sync = ids
                .external
                .as_deref()
                .and_then(|id| sim.vcf().sync_client_token(id));
            format!(
                "{} users={:?} sync={sync:?} scim={:?} enabled={}",
                sim.vcf().identity_providers_json(),
                sim.vcf().users(),
                sim.unleash().scim_token(),
                sim.unleash().scim_enabled()
            )
        }
        Api::Broker => {
            let directories = broker_json(sim, "/usergroup/t/CUSTOMER/broker/directories").await;
            let idps = broker_json(sim, "/federation/t/CUSTOMER/broker/identity-providers").await;
            let clients = broker_json(sim, "/acs/t/CUSTOMER/broker/oauth2-clients").await;
            let sync = ids
                .directory
                .as_deref()
                .and_then(|id| sim.broker().sync_token(id));
            let mut text = format!("{directories} {idps} {clients} sync={sync:?}");
            if matches!(op, Op::StartSecretRotation | Op::RetirePrimarySecret) {
                let old = secret_accepted(sim, OLD_SECRET).await;
                let new = secret_accepted(sim, NEW_SECRET).await;
                write!(text, " old secret={old} new secret={new}").unwrap();
            }
            text
        }
        Api::Vcenter => format!("vCenter sessions={}", sim.vcenter().sessions().len()),
        Api::Okta => format!("{:?}", sim.okta().delivered(&ids.okta_app)),
        Api::Entra => format!("{:?}", sim.entra().delivered(&ids.service_principal)),
        Api::Ops => {
            let ops = sim.vcf_ops();
            let sync = match (&ids.ops_idp, &ids.ops_directory) {
                (Some(idp), Some(directory)) => ops.sync_token(idp, directory),
                _ => None,
            };
            let token = ids
                .ops_token
                .as_deref()
                .and_then(|id| ops.api_token(&ids.ops_realm, id));
            let app = ids
                .ops_app
                .as_deref()
                .and_then(|id| ops.oauth_app_secret(&ids.ops_realm, id));
            format!(
                "idps={:?} sync={sync:?} roles={:?} api token={token:?} app={app:?} tokens={}",
                ops.identity_provider_ids(),
                ops.role_names(&ids.ops_realm, &ids.ops_group),
                ops.api_token_count(&ids.ops_realm)
            )
        }
    }
}

/// One plain HTTP client for the state reads of every cell (building a
/// client per read would cost more than the reads).
fn http() -> &'static reqwest::Client {
    static HTTP: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    HTTP.get_or_init(|| {
        idp_client::ensure_crypto_provider();
        reqwest::Client::new()
    })
}

/// A broker list as the simulator serves it now, read with a token it
/// issues now (valid even after the 401 row expired every token).
async fn broker_json(sim: &Simulator, path: &str) -> serde_json::Value {
    let answer = http()
        .get(format!("{}{path}", sim.broker().url()))
        .bearer_auth(sim.issue_access_token())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200, "GET {path}");
    answer.json().await.unwrap()
}

/// The `items` of a broker list.
async fn broker_items(sim: &Simulator, path: &str) -> Vec<serde_json::Value> {
    match broker_json(sim, path).await.get("items") {
        Some(serde_json::Value::Array(items)) => items.clone(),
        other => panic!("GET {path}: items {other:?}"),
    }
}

/// Whether the broker's token endpoint accepts `secret` for [`OAUTH_CLIENT`].
async fn secret_accepted(sim: &Simulator, secret: &str) -> bool {
    let answer = http()
        .post(format!("{}/acs/t/CUSTOMER/token", sim.broker().url()))
        .basic_auth(OAUTH_CLIENT, Some(secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    match answer.status().as_u16() {
        200 => true,
        401 => false,
        other => panic!("the token endpoint with {OAUTH_CLIENT}: {other}"),
    }
}

/// Runs one cell on a fresh simulator and checks what only the cell can
/// check (the simulator saw what the client sent, no duplicate POST, what
/// changed); returns what was observed.
#[allow(clippy::too_many_lines)]
pub(super) async fn run_cell(op: Op, fault: Fault) -> Cell {
    let label = format!("{} {} × {}", grid(op), op.name(), fault.title());
    let profile = if op.api() == Api::Ops {
        idp_sim::Profile::Vcf91
    } else {
        idp_sim::Profile::default()
    };
    let sim = start_sim(SimConfig::builder().profile(profile)).await;

    // The state the operation needs, made by other clients; the client
    // under test, logged in before the fault where it keeps a session.
    let ids = setup(&sim, op).await;
    let (client, _closed) = client(&sim, op, fault);
    prepare(&sim, op, fault, &client, &ids).await;
    let before = snapshot(&sim, op, &ids).await;
    if let Some(rule) = fault.rule(op) {
        sim.faults().try_add(rule).unwrap();
    }
    sim.clear_requests();

    let sends = Sends::default();
    let subscriber = tracing_subscriber::registry().with(sends.clone());
    let result = op.run(&client, &ids).with_subscriber(subscriber).await;
    let outcome = Outcome::of(&result);
    let client_sends = sends.of(op.operation_id());
    let requests = sim.requests();
    sim.faults().clear();

    // The simulator saw exactly what the client sent (nothing, when the
    // port was closed).
    let refused = fault == Fault::Refused;
    if refused {
        assert!(requests.is_empty(), "{label}: {requests:?}");
    }
    let count = |method: &str, path: &str| {
        requests
            .iter()
            .filter(|r| r.method == method && r.path == path)
            .count() as u64
    };
    let path = op.path(&ids);
    if !refused {
        assert_eq!(
            count(op.method(), &path),
            client_sends,
            "{label}: simulator vs client sends"
        );
    }
    // So were the logins, renewals and carrying calls.
    let mut also = Vec::new();
    let mut logins = if op.is_login() { client_sends } else { 0 };
    for tracked in &TRACKED {
        if tracked.op.id == op.operation_id() {
            continue;
        }
        let sent = sends.of(tracked.op.id);
        if !refused {
            let seen = count(tracked.op.method.as_str(), &tracked.path(&ids));
            assert_eq!(
                seen, sent,
                "{label}: {}: simulator vs client",
                tracked.label
            );
        }
        if tracked.login {
            logins += sent;
        }
        if sent > 0 {
            also.push((tracked.label, sent));
        }
    }
    // No other login or renewal than those counted.
    let login_requests: Vec<_> = requests
        .iter()
        .filter(|r| Tracked::is_login_path(&r.path))
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    if !refused {
        assert_eq!(
            login_requests.len() as u64,
            logins,
            "{label}: {login_requests:?}"
        );
    }
    // Never a duplicate POST: at most one reached the handler and succeeded.
    if op.method() == "POST" {
        let processed = requests
            .iter()
            .filter(|r| r.method == "POST" && r.path == path)
            .filter(|r| r.fault.is_none() && r.status.is_some_and(|s| s < 300))
            .count();
        assert!(processed <= 1, "{label}: {requests:?}");
    }

    let state = if fault == Fault::Timeout {
        State::Unchecked
    } else if snapshot(&sim, op, &ids).await == before {
        State::Unchanged
    } else {
        changed(&sim, op, &ids, &result, &label).await
    };

    sim.shutdown().await;
    Cell {
        outcome,
        sends: client_sends,
        also,
        state,
    }
}

/// What changed is what the call was to change (or a vCenter session was
/// left open); panics otherwise.
async fn changed(
    sim: &Simulator,
    op: Op,
    ids: &Ids,
    result: &Result<Option<String>, Error>,
    label: &str,
) -> State {
    let directory = ids.directory.as_deref().unwrap_or("none");
    match (op, result) {
        (Op::VcenterEndSession, _) => {
            assert_eq!(sim.vcenter().sessions().len(), 1, "{label}");
            return State::SessionLeftOpen;
        }
        (Op::AddProvider, Ok(Some(id))) => {
            assert_eq!(
                sim.vcf().external_provider_id().as_ref(),
                Some(id),
                "{label}"
            );
        }
        (Op::SyncToken, Ok(Some(token))) => {
            let current = sim
                .vcf()
                .sync_client_token(ids.external.as_deref().unwrap());
            assert_eq!(current.as_ref(), Some(token), "{label}: one valid token");
        }
        (Op::ScimToken, Ok(Some(token))) => {
            assert_eq!(sim.unleash().scim_token().as_ref(), Some(token), "{label}");
        }
        (Op::AddSource, Ok(_)) => {
            let domains = sim.vcf().identity_source_domains();
            let count = domains.iter().filter(|d| *d == DOMAIN).count();
            assert_eq!(count, 1, "{label}");
        }
        (Op::DeleteSource, Ok(_)) => {
            assert!(
                !sim.vcf()
                    .identity_source_domains()
                    .iter()
                    .any(|d| d == DOMAIN)
            );
        }
        (Op::DeleteProvider, Ok(_)) => assert_eq!(sim.vcf().external_provider_id(), None),
        (Op::SetScim, Ok(_)) => assert_eq!(sim.unleash().scim_enabled(), !ids.scim_enabled),
        (Op::CreateDirectory, Ok(Some(id))) => {
            let all = broker_items(sim, "/usergroup/t/CUSTOMER/broker/directories").await;
            assert_eq!(all.len(), 1, "{label}: one directory");
            assert_eq!(all[0]["id"], id.as_str(), "{label}");
        }
        (Op::DeleteDirectory, Ok(_)) => assert_eq!(sim.broker().directory_count(), 0, "{label}"),
        (Op::GenerateSyncClient, Ok(Some(token))) => {
            let current = sim.broker().sync_token(directory);
            assert_eq!(current.as_ref(), Some(token), "{label}: one valid token");
        }
        (Op::CreateBrokerIdp, Ok(Some(id))) => {
            let all = broker_items(sim, "/federation/t/CUSTOMER/broker/identity-providers").await;
            assert_eq!(all.len(), 1, "{label}: one identity provider");
            assert_eq!(all[0]["id"], id.as_str(), "{label}");
        }
        (Op::DeleteBrokerIdp, Ok(_)) => {
            let all = broker_items(sim, "/federation/t/CUSTOMER/broker/identity-providers").await;
            assert!(all.is_empty(), "{label}");
        }
        (Op::CreateOAuthClient, Ok(Some(id))) => {
            let all = broker_items(sim, "/acs/t/CUSTOMER/broker/oauth2-clients").await;
            let same = all.iter().filter(|c| c["client_id"] == id.as_str());
            assert_eq!(same.count(), 1, "{label}");
        }
        (Op::DeleteOAuthClient, Ok(_)) => {
            let all = broker_items(sim, "/acs/t/CUSTOMER/broker/oauth2-clients").await;
            assert!(
                !all.iter().any(|c| c["client_id"] == OAUTH_CLIENT),
                "{label}"
            );
        }
        (Op::StartSecretRotation, Ok(_)) => {
            assert!(secret_accepted(sim, OLD_SECRET).await, "{label}");
            assert!(secret_accepted(sim, NEW_SECRET).await, "{label}");
        }
        (Op::RetirePrimarySecret, Ok(_)) => {
            assert!(!secret_accepted(sim, OLD_SECRET).await, "{label}");
            assert!(secret_accepted(sim, NEW_SECRET).await, "{label}");
        }
        (Op::AddUser, Ok(_)) => {
            let users = sim.vcf().users();
            let granted = users
                .iter()
                .filter(|u| u.0 == "vcf-admins@embedded-ids.com")
                .count();
            assert_eq!(granted, 1, "{label}: granted once");
        }
        (Op::RemoveUser, Ok(_)) => {
            assert!(
                sim.vcf()
                    .service_user_key(sim.vcf().service_user())
                    .is_none(),
                "{label}"
            );
        }
        (Op::SetConnection, Ok(_)) => {
            let delivered = sim.okta().delivered(&ids.okta_app).unwrap();
            assert_eq!(delivered.token, DELIVERED_TOKEN, "{label}");
            assert!(delivered.active, "{label}");
        }
        (Op::PutSecrets, Ok(_)) => {
            let delivered = sim.entra().delivered(&ids.service_principal).unwrap();
            assert_eq!(delivered.token, DELIVERED_TOKEN, "{label}");
        }
        (Op::OpsSyncClient, Ok(Some(token))) => {
            let current = sim.vcf_ops().sync_token(
                ids.ops_idp.as_deref().unwrap(),
                ids.ops_directory.as_deref().unwrap(),
            );
            assert_eq!(current.as_ref(), Some(token), "{label}: one valid token");
        }
        (Op::OpsSetRoles, Ok(_)) => {
            let roles = sim.vcf_ops().role_names(&ids.ops_realm, &ids.ops_group);
            assert_eq!(roles, ["vcf_administrator"], "{label}");
        }
        (Op::OpsGenerateApiToken, Ok(Some(token))) => {
            let count = sim
                .vcf_ops()
                .secrets()
                .iter()
                .filter(|s| *s == token)
                .count();
            assert_eq!(count, 1, "{label}: one new token");
        }
        (Op::OpsRotateOAuthApp, Ok(Some(secret))) => {
            let current = sim
                .vcf_ops()
                .oauth_app_secret(&ids.ops_realm, ids.ops_app.as_deref().unwrap());
            assert_eq!(current.as_ref(), Some(secret), "{label}: the new secret");
        }
        (Op::OpsDeleteApiToken, Ok(_)) => {
            let token = ids.ops_token.as_deref().unwrap();
            assert_eq!(
                sim.vcf_ops().api_token(&ids.ops_realm, token),
                None,
                "{label}"
            );
        }
        (
            Op::UpdateProvider
            | Op::UpdateSource
            | Op::UpdateDirectory
            | Op::PatchBrokerIdp
            | Op::UpdateOAuthClient,
            Ok(_),
        ) => {}
        _ => panic!("{label}: the state changed, yet the call returned {result:?}"),
    }
    State::ChangedOnce
}
