//! The admin token through vCenter credentials: a session opened for the
//! admin-client call and always ended, also when renewing early, when the
//! token is refused or when ending the session fails.

use std::time::Duration;

use idp_sim::{FaultRule, SimConfig};
use idp_testkit::{TraceCapture, start_sim};

use super::{builder, requests, vcenter};

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
