//! Running one cell on a fresh simulator.

use super::*;

pub(super) struct Ids {
    pub(super) embedded: String,
    pub(super) external: Option<String>,
    pub(super) scim_enabled: bool,
}

pub(super) struct Clients {
    pub(super) vcf: VcfClient,
    pub(super) unleash: UnleashClient,
}

pub(super) fn fast_retries() -> RetryPolicy {
    // `Retry-After: 1` is honoured, cut to 20 ms.
    idp_tests::fast_retries().with_max_attempts(MAX_ATTEMPTS)
}

pub(super) fn clients(sim: &Simulator, fault: Fault) -> Clients {
    let timeout = if fault == Fault::Timeout {
        SHORT_TIMEOUT
    } else {
        Duration::from_secs(20)
    };
    let limit = match fault {
        Fault::OversizedDeclared | Fault::OversizedChunked => SMALL_BODY_LIMIT,
        _ => idp_client::DEFAULT_MAX_RESPONSE_BYTES,
    };
    let (vcf_url, unleash_url) = if fault == Fault::Refused {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        (
            format!("http://127.0.0.1:{port}"),
            format!("http://127.0.0.1:{port}/unleash"),
        )
    } else {
        (sim.vcf_url(), sim.unleash_url())
    };
    // Plain HTTP on loopback: the bundled roots are only cheaper to load.
    let vcf = VcfClient::builder(vcf_url).config(
        &ClientConfig::builder()
            .root_certificates(RootCertificates::Bundled)
            .retry_policy(fast_retries())
            .request_timeout(timeout)
            .max_response_bytes(limit)
            .build()
            .unwrap(),
    );
    let vcf = if matches!(fault, Fault::Refused | Fault::Timeout) {
        // Nothing to log in to, or a login that must not race the short
        // timeout: a token issued by the simulator.
        vcf.bearer_token(Secret::new(sim.issue_access_token()))
    } else {
        vcf.credentials(sim.vcf_username(), Secret::new(sim.vcf_password()))
    };
    let key = if fault == Fault::Unauthorized {
        "*:*.revoked-admin-key".to_owned()
    } else {
        sim.unleash_api_key().to_owned()
    };
    let unleash = UnleashClient::builder(unleash_url)
        .config(
            &ClientConfig::builder()
                .root_certificates(RootCertificates::Bundled)
                .retry_policy(fast_retries())
                .request_timeout(timeout)
                .max_response_bytes(limit)
                .build()
                .unwrap(),
        )
        .api_token(Secret::new(key));
    Clients {
        vcf: vcf.build().unwrap(),
        unleash: unleash.build().unwrap(),
    }
}

/// Everything a call could change.
pub(super) fn snapshot(sim: &Simulator, ids: &Ids) -> String {
    let sync = ids
        .external
        .as_deref()
        .and_then(|id| sim.sync_client_token(id));
    format!(
        "{} sync={sync:?} scim={:?} enabled={}",
        sim.identity_providers_json(),
        sim.unleash_scim_token(),
        sim.unleash_scim_enabled()
    )
}

/// Runs one cell on a fresh simulator and checks what only the cell can
/// check (no duplicate POST, tokens); returns what was observed.
pub(super) async fn run_cell(op: Op, fault: Fault) -> Cell {
    let label = format!("{} × {}", op.name(), fault.title());
    let sim = start_sim(SimConfig::builder()).await;

    // The state the operation needs, made by another client.
    let setup = VcfClient::builder(sim.vcf_url())
        .config(
            &ClientConfig::builder()
                .root_certificates(RootCertificates::Bundled)
                .build()
                .unwrap(),
        )
        .credentials(sim.vcf_username(), Secret::new(sim.vcf_password()))
        .build()
        .unwrap();
    let embedded = setup
        .embedded_identity_provider()
        .await
        .unwrap()
        .unwrap()
        .id;
    let external = if op.needs_external() {
        let id = setup
            .add_external_identity_provider(&okta_spec(Duration::from_secs(7200)))
            .await
            .unwrap();
        if op == Op::SyncToken {
            // A current token, so that a new one visibly replaces it.
            setup.generate_sync_client_token(&id, None).await.unwrap();
        }
        Some(id)
    } else {
        None
    };
    if op.needs_source() {
        setup
            .add_embedded_identity_source(&embedded, &ad_source("ldap://dc00.example.com"))
            .await
            .unwrap();
    }
    let ids = Ids {
        embedded,
        external,
        scim_enabled: sim.unleash_scim_enabled(),
    };

    // The client under test, logged in before the fault.
    let clients = clients(&sim, fault);
    if !matches!(fault, Fault::Refused | Fault::Timeout) && !op.is_unleash() {
        clients.vcf.list_identity_providers().await.unwrap();
    }
    if fault == Fault::Unauthorized {
        sim.expire_access_tokens();
    }
    if let Some(rule) = fault.rule(op) {
        sim.faults().try_add(rule).unwrap();
    }
    sim.clear_requests();
    let before = snapshot(&sim, &ids);

    let sends = Sends::default();
    let subscriber = tracing_subscriber::registry().with(sends.clone());
    let result = op.run(&clients, &ids).with_subscriber(subscriber).await;
    let outcome = Outcome::of(&result);
    let client_sends = sends.of(op.operation_id());

    // The simulator saw exactly what the client sent (nothing, when the
    // port was closed).
    let path = op.path(&ids);
    let requests = sim.requests();
    let on_route: Vec<_> = requests
        .iter()
        .filter(|r| r.method == op.method() && r.path == path)
        .collect();
    let seen = if fault == Fault::Refused {
        assert!(requests.is_empty(), "{label}: {requests:?}");
        client_sends
    } else {
        on_route.len() as u64
    };
    assert_eq!(seen, client_sends, "{label}: simulator vs client sends");
    // Never a duplicate POST: at most one reached the handler and succeeded.
    if op.method() == "POST" {
        let processed = on_route
            .iter()
            .filter(|r| r.fault.is_none() && r.status.is_some_and(|s| s < 300))
            .count();
        assert!(processed <= 1, "{label}: {on_route:?}");
    }
    // Only the refresh, when the token expired; never a second login.
    let token_requests: Vec<_> = requests
        .iter()
        .filter(|r| r.path.starts_with("/v1/tokens"))
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    if matches!(fault, Fault::Unauthorized | Fault::UnauthorizedAlways) && !op.is_unleash() {
        assert_eq!(
            token_requests,
            [("PATCH", "/v1/tokens/access-token/refresh")],
            "{label}"
        );
    } else {
        assert!(token_requests.is_empty(), "{label}: {token_requests:?}");
    }

    let state = if fault == Fault::Timeout {
        State::Unchecked
    } else if snapshot(&sim, &ids) == before {
        State::Unchanged
    } else {
        // What changed is what the call was to change.
        match (op, &result) {
            (Op::AddProvider, Ok(Some(id))) => {
                assert_eq!(sim.external_provider_id().as_ref(), Some(id), "{label}");
            }
            (Op::SyncToken, Ok(Some(token))) => {
                let current = sim.sync_client_token(ids.external.as_deref().unwrap());
                assert_eq!(current.as_ref(), Some(token), "{label}: one valid token");
            }
            (Op::ScimToken, Ok(Some(token))) => {
                assert_eq!(sim.unleash_scim_token().as_ref(), Some(token), "{label}");
            }
            (Op::AddSource, Ok(_)) => {
                let domains = sim.identity_source_domains();
                let count = domains.iter().filter(|d| *d == DOMAIN).count();
                assert_eq!(count, 1, "{label}");
            }
            (Op::DeleteSource, Ok(_)) => {
                assert!(!sim.identity_source_domains().iter().any(|d| d == DOMAIN));
            }
            (Op::DeleteProvider, Ok(_)) => assert_eq!(sim.external_provider_id(), None),
            (Op::SetScim, Ok(_)) => assert_eq!(sim.unleash_scim_enabled(), !ids.scim_enabled),
            (Op::UpdateProvider | Op::UpdateSource, Ok(_)) => {}
            _ => panic!("{label}: the state changed, yet the call returned {result:?}"),
        }
        State::ChangedOnce
    };

    sim.shutdown().await;
    Cell {
        outcome,
        sends: client_sends,
        state,
    }
}
