//! idp-client's SDDC Manager users, roles and SSO domains against the
//! simulator, under every profile: listing, granting (all or nothing),
//! removing, the role looked up by name once per client, a service user's
//! key (shown once, never in `Debug`, good for API-key login), and the
//! refusals (unknown principal, role or id, duplicates, the last ADMIN).

use idp_client::vcf::{Grant, Principal, UserKind};
use idp_client::{Secret, VcfClient};
use idp_sim::{Profile, SimConfig, Simulator};
use idp_testkit::{start_sim, vcf_client};

async fn start(profile: Profile) -> Simulator {
    start_sim(SimConfig::builder().profile(profile)).await
}

fn posts_to_users(sim: &Simulator) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/v1/users")
        .count()
}

#[tokio::test]
async fn every_access_operation_under_every_profile() {
    for profile in Profile::ALL {
        let sim = start(profile).await;
        let client = vcf_client(&sim);
        let label = profile.to_string();

        let roles = client.list_roles().await.unwrap();
        let names: Vec<_> = roles.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["ADMIN", "OPERATOR", "VIEWER"], "{label}");

        let users = client.list_users().await.unwrap();
        let service = users
            .iter()
            .find(|u| u.name == sim.vcf().service_user())
            .unwrap();
        assert_eq!(service.kind, UserKind::Service, "{label}");
        assert_eq!(service.role_name.as_deref(), Some("ADMIN"), "{label}");
        assert!(service.created_at.is_some(), "{label}");
        assert_eq!(client.list_ui_users().await.unwrap().len(), users.len());

        assert_eq!(
            client.list_sso_domains().await.unwrap(),
            ["vsphere.local", "embedded-ids.com"],
            "{label}"
        );
        let found = client
            .search_principals("embedded-ids.com", Some("admins"))
            .await
            .unwrap();
        assert_eq!(
            found,
            [Principal::group("vcf-admins", "embedded-ids.com")],
            "{label}"
        );
        assert_eq!(
            client
                .search_principals("embedded-ids.com", None)
                .await
                .unwrap()
                .len(),
            2
        );

        let group = Principal::group("vcf-admins", "embedded-ids.com");
        let added = client.add_user(&group, "operator").await.unwrap();
        assert_eq!(added.role_name.as_deref(), Some("OPERATOR"), "{label}");
        assert_eq!(added.qualified_name(), "vcf-admins@embedded-ids.com");
        assert!(!added.id.is_empty());
        let found = client
            .find_user("VCF-ADMINS", Some("embedded-ids.com"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found, added, "{label}");

        // A duplicate is refused with the vendor's 400 body.
        let duplicate = client.add_user(&group, "VIEWER").await.unwrap_err();
        assert_eq!(
            duplicate.status().map(|s| s.as_u16()),
            Some(400),
            "{label}: {duplicate}"
        );
        assert!(
            duplicate.to_string().contains("already exists"),
            "{duplicate}"
        );

        client.remove_user(&added.id).await.unwrap();
        assert!(
            client
                .remove_user(&added.id)
                .await
                .unwrap_err()
                .is_not_found(),
            "{label}"
        );
        assert_eq!(client.list_users().await.unwrap().len(), users.len());
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn add_users_is_all_or_nothing() {
    let sim = start(Profile::Vcf9).await;
    let client = vcf_client(&sim);
    let before = client.list_users().await.unwrap().len();
    let grants = [
        Grant::new(Principal::user("ops", "embedded-ids.com"), "VIEWER"),
        Grant::new(Principal::group("nobody", "embedded-ids.com"), "VIEWER"),
    ];
    let refused = client.add_users(&grants).await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400), "{refused}");
    assert!(
        refused.to_string().contains("nobody@embedded-ids.com"),
        "{refused}"
    );
    assert_eq!(client.list_users().await.unwrap().len(), before);

    // A domain that is no SSO domain (yet) knows nobody.
    let elsewhere = client
        .add_user(&Principal::group("vcf-admins", "example.com"), "ADMIN")
        .await
        .unwrap_err();
    assert_eq!(elsewhere.status().map(|s| s.as_u16()), Some(400));
    assert_eq!(client.list_users().await.unwrap().len(), before);

    let both = client
        .add_users(&[
            Grant::new(Principal::user("ops", "embedded-ids.com"), "VIEWER"),
            Grant::new(Principal::group("vcf-admins", "embedded-ids.com"), "ADMIN"),
        ])
        .await
        .unwrap();
    assert_eq!(both.len(), 2);
    assert_eq!(client.list_users().await.unwrap().len(), before + 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_role_is_looked_up_by_name_once_per_client_and_an_unknown_one_lists_the_roles() {
    let sim = start(Profile::Vcf9).await;
    let client = vcf_client(&sim);
    sim.clear_requests();
    client
        .add_user(&Principal::user("ops", "embedded-ids.com"), "viewer")
        .await
        .unwrap();
    client
        .add_user(&Principal::group("vcf-admins", "embedded-ids.com"), "ADMIN")
        .await
        .unwrap();
    client.list_users().await.unwrap();
    let role_listings = sim
        .requests()
        .iter()
        .filter(|r| r.path == "/v1/roles")
        .count();
    assert_eq!(role_listings, 1, "{:?}", sim.requests());

    let posts = posts_to_users(&sim);
    let unknown = client
        .add_user(&Principal::user("jane", "embedded-ids.com"), "SUPERUSER")
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, idp_client::Error::InvalidInput { .. }),
        "{unknown:?}"
    );
    let text = unknown.to_string();
    assert!(text.contains("SUPERUSER"), "{text}");
    assert!(text.contains("ADMIN, OPERATOR, VIEWER"), "{text}");
    // Nothing was sent for it; the unknown name made the client list again.
    assert_eq!(posts_to_users(&sim), posts);
    assert_eq!(
        sim.requests()
            .iter()
            .filter(|r| r.path == "/v1/roles")
            .count(),
        2
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn a_new_service_users_key_is_shown_once_and_logs_in() {
    for profile in Profile::ALL {
        let sim = start(profile).await;
        let client = vcf_client(&sim);
        let service = client
            .add_service_user("ci-pipeline", "OPERATOR")
            .await
            .unwrap();
        let key = service.api_key.expose().to_owned();
        assert!(!key.is_empty());
        assert_eq!(
            sim.vcf().service_user_key("ci-pipeline").as_deref(),
            Some(key.as_str())
        );
        assert_eq!(service.user.kind, UserKind::Service);
        assert_eq!(service.user.role_name.as_deref(), Some("OPERATOR"));
        assert!(!format!("{service:?}").contains(&key), "{profile}");
        assert!(!serde_json::to_string(&service).unwrap().contains(&key));

        let as_service = VcfClient::builder(sim.vcf().url())
            .api_key(Secret::new(key.clone()))
            .build()
            .unwrap();
        let listed = as_service.list_users().await.unwrap();
        assert!(listed.iter().any(|u| u.name == "ci-pipeline"), "{profile}");
        // The listing never shows a key again.
        let body = serde_json::to_string(&listed).unwrap();
        assert!(!body.contains(&key));

        // Removed, the key no longer logs in.
        client.remove_user(&service.user.id).await.unwrap();
        let refused = VcfClient::builder(sim.vcf().url())
            .api_key(Secret::new(key.clone()))
            .build()
            .unwrap()
            .list_users()
            .await
            .unwrap_err();
        assert!(refused.is_unauthorized(), "{profile}: {refused}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed() {
    let sim = start(Profile::Vcf9).await;
    let client = vcf_client(&sim);
    let admins: Vec<_> = client
        .list_users()
        .await
        .unwrap()
        .into_iter()
        .filter(|u| u.role_name.as_deref() == Some("ADMIN"))
        .collect();
    assert_eq!(admins.len(), 2);
    client.remove_user(&admins[1].id).await.unwrap();
    let refused = client.remove_user(&admins[0].id).await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(400), "{refused}");
    assert!(refused.to_string().contains("last"), "{refused}");
    assert!(
        client
            .find_user(&admins[0].name, admins[0].domain.as_deref())
            .await
            .unwrap()
            .is_some()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn principals_added_through_the_simulators_admin_api_can_be_granted() {
    let sim = start(Profile::Vcf9).await;
    let client = vcf_client(&sim);
    let response = reqwest::Client::new()
        .post(format!("{}/__sim/vcf/principals", sim.admin_url()))
        .json(
            &serde_json::json!({"domain": "embedded-ids.com", "name": "auditors", "type": "GROUP"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let auditors = Principal::group("auditors", "embedded-ids.com");
    assert!(client.principal_exists(&auditors).await.unwrap());
    assert!(
        !client
            .principal_exists(&Principal::user("auditors", "embedded-ids.com"))
            .await
            .unwrap()
    );
    client.add_user(&auditors, "VIEWER").await.unwrap();
    sim.shutdown().await;
}
