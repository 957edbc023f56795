//! The `OpsToken` session: acquired on first use, sent as `OpsToken`,
//! acquired again before expiry and once after a 401 (one acquisition for
//! concurrent callers), released on close and on drop; or a fixed bearer
//! or `OpsToken`.

use std::time::Duration;

use idp_client::{Error, VcfOpsClient};
use idp_sim::{Profile, SimConfig};
use idp_testkit::{fast_config, ops_client, ops_client_builder, start_ops_sim, start_sim};

use super::{ACQUIRE, RELEASE, count};

#[tokio::test]
async fn the_token_is_acquired_once_sent_as_opstoken_and_released_on_close() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realms = client.list_realms().await.unwrap();
    assert_eq!(realms.len(), 1);
    assert_eq!(realms[0].id, sim.vcf_ops().realm_id());
    client.get_realm(&realms[0].id).await.unwrap();
    assert_eq!(count(&sim, "POST", ACQUIRE), 1);
    assert_eq!(sim.vcf_ops().ops_token_count(), 1);

    client.close().await.unwrap();
    assert_eq!(count(&sim, "POST", RELEASE), 1);
    assert_eq!(sim.vcf_ops().ops_token_count(), 0);
    // Closing twice sends nothing more; a later call acquires a new token.
    client.close().await.unwrap();
    assert_eq!(count(&sim, "POST", RELEASE), 1);
    client.list_realms().await.unwrap();
    assert_eq!(count(&sim, "POST", ACQUIRE), 2);
}

#[tokio::test]
async fn a_401_acquires_a_new_token_and_replays_once() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    client.list_realms().await.unwrap();
    sim.vcf_ops().expire_ops_tokens();
    client.list_realms().await.unwrap();
    assert_eq!(count(&sim, "POST", ACQUIRE), 2);
    let statuses: Vec<Option<u16>> = sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/ssorealms"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [Some(200), Some(401), Some(200)]);
}

#[tokio::test]
async fn concurrent_callers_share_one_acquisition() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let calls = (0..8).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.list_realms().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(count(&sim, "POST", ACQUIRE), 1);
}

#[tokio::test]
async fn a_token_about_to_expire_is_replaced_before_use() {
    let sim = start_ops_sim().await;
    // A skew longer than the 6 hours the server gives: every token is
    // already due when it arrives.
    let client = ops_client_builder(&sim)
        .token_refresh_skew(Duration::from_secs(7 * 3600))
        .build()
        .unwrap();
    client.list_realms().await.unwrap();
    client.list_realms().await.unwrap();
    assert_eq!(count(&sim, "POST", ACQUIRE), 2);
    // No request was rejected: the renewal came first.
    assert!(sim.requests().iter().all(|r| r.status != Some(401)));
}

#[tokio::test]
async fn the_token_is_released_when_the_last_clone_is_dropped() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    client.list_realms().await.unwrap();
    let clone = client.clone();
    drop(client);
    assert_eq!(sim.vcf_ops().ops_token_count(), 1);
    drop(clone);
    for _ in 0..500 {
        if sim.vcf_ops().ops_token_count() == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(sim.vcf_ops().ops_token_count(), 0);
    assert_eq!(count(&sim, "POST", RELEASE), 1);
}

#[tokio::test]
async fn a_bearer_token_or_a_fixed_opstoken_is_sent_as_is() {
    let sim = start_ops_sim().await;
    let bearer = VcfOpsClient::builder(sim.vcf_ops().url())
        .bearer_token(sim.issue_access_token())
        .config(&fast_config())
        .build()
        .unwrap();
    assert_eq!(bearer.list_realms().await.unwrap().len(), 1);
    assert_eq!(count(&sim, "POST", ACQUIRE), 0);

    let session = ops_client(&sim);
    session.list_realms().await.unwrap();
    let token = sim.vcf_ops().ops_token_count();
    assert_eq!(token, 1);
    // A wrong fixed token is rejected and not renewed.
    let fixed = VcfOpsClient::builder(sim.vcf_ops().url())
        .ops_token("OpsToken not-a-token")
        .config(&fast_config())
        .build()
        .unwrap();
    let error = fixed.list_realms().await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    assert_eq!(count(&sim, "POST", ACQUIRE), 1);
    fixed.close().await.unwrap();
}

#[tokio::test]
async fn wrong_credentials_fail_with_the_hint_and_no_secret() {
    let sim = start_ops_sim().await;
    let client = ops_client_builder(&sim)
        .credentials("admin", "wrong-password-123")
        .build()
        .unwrap();
    let error = client.list_realms().await.unwrap_err();
    assert!(error.is_unauthorized());
    assert_eq!(error.operation(), Some("acquireToken"));
    let text = error.to_string();
    assert!(text.contains("authentication source"), "{text}");
    assert!(!text.contains("wrong-password-123"));
    // An LDAP source the simulator does not know is refused too.
    let ldap = ops_client_builder(&sim)
        .auth_source("Imported LDAP Server")
        .build()
        .unwrap();
    assert!(ldap.list_realms().await.unwrap_err().is_unauthorized());
    let local = ops_client_builder(&sim)
        .auth_source("LOCAL")
        .build()
        .unwrap();
    local.list_realms().await.unwrap();
}

#[tokio::test]
async fn builder_refuses_missing_or_empty_credentials() {
    for builder in [
        VcfOpsClient::builder("https://ops.example.com"),
        VcfOpsClient::builder("https://ops.example.com").credentials("", "x"),
        VcfOpsClient::builder("https://ops.example.com").credentials("admin", ""),
        VcfOpsClient::builder("https://ops.example.com").bearer_token(""),
    ] {
        assert!(matches!(builder.build(), Err(Error::Config { .. })));
    }
    let debug = format!(
        "{:?}",
        VcfOpsClient::builder("https://ops.example.com").credentials("admin", "hunter2-secret")
    );
    assert!(!debug.contains("hunter2-secret"), "{debug}");
}

#[tokio::test]
async fn other_profiles_do_not_serve_vcf_operations() {
    for profile in [Profile::Vcf52, Profile::Vcf9] {
        let sim = start_sim(SimConfig::builder().profile(profile)).await;
        assert!(!sim.vcf_ops().served());
        let error = ops_client(&sim).list_realms().await.unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(404), "{profile}");
    }
}
