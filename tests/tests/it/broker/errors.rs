//! Errors: answers without a body keep their status and a hint; faults on
//! broker routes that the fault matrix does not hold.

use idp_client::BrokerOAuthClientSpec;
use idp_sim::{FaultRule, SimConfig};
use idp_testkit::start_sim;

use super::{builder, directory_spec, oauth};

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
