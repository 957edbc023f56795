//! The admin token's renewal: before `expires_in` runs out, and once for
//! many callers meeting an expired token at once.

use std::time::Duration;

use idp_sim::SimConfig;
use idp_testkit::start_sim;

use super::{builder, oauth, requests, vcenter};

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
