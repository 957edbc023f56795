//! Users, groups, roles, role assignments, API tokens and OAuth apps.

use idp_client::vcf_ops::{
    ApiTokenQuery, ApiTokenSpec, ApiTokenStatus, OAuthAppSpec, PrincipalFilter, PrincipalQuery,
    RoleAssignment, RoleScope, ScopeType,
};
use idp_testkit::{ops_client, start_ops_sim};

use super::is_invalid;

#[tokio::test]
async fn roles_users_and_groups_are_listed_and_queried() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    let roles = client.list_roles().await.unwrap();
    assert!(roles.iter().any(|r| r.name == "vcf_administrator"));
    assert!(roles.iter().all(|r| !r.component_roles.is_empty()));

    let users = client
        .list_users(&realm, &PrincipalQuery::default())
        .await
        .unwrap();
    assert_eq!(users.len(), 2);
    let alice = client
        .list_users(&realm, &PrincipalQuery::like("USERNAME", "ali"))
        .await
        .unwrap();
    assert_eq!(alice.len(), 1);
    assert_eq!(alice[0].user_name.as_deref(), Some("alice"));
    assert_eq!(alice[0].id, sim.vcf_ops().user_id(&realm, "alice"));
    let groups = client
        .list_groups(&realm, &PrincipalQuery::default())
        .await
        .unwrap();
    assert_eq!(groups.len(), 2);
    assert!(
        client
            .list_users("no-such-realm", &PrincipalQuery::default())
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn a_group_is_assigned_a_role_on_the_realm_and_revoked() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    let group = sim.vcf_ops().group_id(&realm, "vcf-admins").unwrap();
    assert!(
        client
            .role_assignments(&realm, &group)
            .await
            .unwrap()
            .is_empty()
    );

    let instance = sim.vcf_ops().vcf_instance_id(&realm).unwrap();
    let wanted = [
        RoleAssignment::new("vcf_administrator", RoleScope::realm()),
        RoleAssignment::new("vcf_viewer", RoleScope::vcf_instances([instance.clone()])),
    ];
    client
        .set_role_assignments(&realm, &group, &wanted)
        .await
        .unwrap();
    // Replacing with the same list again is harmless (and retried like a read).
    client
        .set_role_assignments(&realm, &group, &wanted)
        .await
        .unwrap();
    assert_eq!(
        sim.vcf_ops().role_names(&realm, &group),
        ["vcf_administrator", "vcf_viewer"]
    );
    let read = client.role_assignments(&realm, &group).await.unwrap();
    assert_eq!(read.len(), 2);
    assert_eq!(read[0].scope.scope_type, ScopeType::SsoRealm);
    assert_eq!(read[1].scope.resources[0].id, instance);

    let with_roles = client
        .list_groups(
            &realm,
            &PrincipalQuery::default().with_filter(PrincipalFilter::HasRole),
        )
        .await
        .unwrap();
    assert_eq!(with_roles.len(), 1);
    assert_eq!(with_roles[0].roles, ["vcf_administrator", "vcf_viewer"]);

    let unknown_role = client
        .set_role_assignments(
            &realm,
            &group,
            &[RoleAssignment::new("no_such_role", RoleScope::realm())],
        )
        .await
        .unwrap_err();
    assert_eq!(unknown_role.status().map(|s| s.as_u16()), Some(400));
    assert!(is_invalid(
        &client
            .set_role_assignments(
                &realm,
                &group,
                &[RoleAssignment::new(" ", RoleScope::realm())]
            )
            .await
            .unwrap_err(),
        "roleName"
    ));

    client
        .delete_role_assignments(&realm, &group)
        .await
        .unwrap();
    assert!(sim.vcf_ops().role_names(&realm, &group).is_empty());
    assert!(
        client
            .role_assignments(&realm, "no-such-principal")
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn api_tokens_are_generated_listed_regenerated_expired_and_deleted() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    let mut spec = ApiTokenSpec::new("automation");
    spec.ttl = Some(60);
    let created = client.generate_api_token(&realm, &spec).await.unwrap();
    let token = created.token.clone().unwrap();
    assert_eq!(
        sim.vcf_ops().api_token(&realm, &created.id).as_deref(),
        Some(token.expose())
    );
    assert_eq!(created.status, Some(ApiTokenStatus::Active));
    let lifetime = created.expires_at.unwrap() - created.created_at.unwrap();
    assert_eq!(lifetime.num_minutes(), 60);
    assert!(
        !serde_json::to_string(&created)
            .unwrap()
            .contains(token.expose())
    );

    let read = client.get_api_token(&realm, &created.id).await.unwrap();
    assert!(read.token.is_none());
    assert_eq!(read.name, "automation");

    let regenerated = client
        .regenerate_api_token(&realm, &created.id)
        .await
        .unwrap();
    let new_token = regenerated.token.unwrap();
    assert_ne!(new_token.expose(), token.expose());
    assert_eq!(
        sim.vcf_ops().api_token(&realm, &created.id).as_deref(),
        Some(new_token.expose())
    );

    client
        .generate_api_token(&realm, &ApiTokenSpec::new("other"))
        .await
        .unwrap();
    assert!(sim.vcf_ops().expire_api_token(&realm, &created.id));
    let all = client
        .list_api_tokens(&realm, &ApiTokenQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().all(|t| t.token.is_none()));
    let mut expired_only = ApiTokenQuery::default();
    expired_only.statuses = vec![ApiTokenStatus::Expired];
    let expired = client.list_api_tokens(&realm, &expired_only).await.unwrap();
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0].id, created.id);
    let mut named = ApiTokenQuery::default();
    named.name_like = Some("oth".into());
    assert_eq!(
        client.list_api_tokens(&realm, &named).await.unwrap()[0].name,
        "other"
    );

    client.delete_api_token(&realm, &created.id).await.unwrap();
    assert!(
        client
            .get_api_token(&realm, &created.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(is_invalid(
        &client
            .generate_api_token(&realm, &ApiTokenSpec::new(""))
            .await
            .unwrap_err(),
        "tokenName"
    ));
}

#[tokio::test]
async fn api_tokens_are_listed_across_pages() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    for i in 0..105 {
        client
            .generate_api_token(&realm, &ApiTokenSpec::new(format!("token-{i}")))
            .await
            .unwrap();
    }
    let all = client
        .list_api_tokens(&realm, &ApiTokenQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 105);
    let pages = sim
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/api-tokens/query"))
        .count();
    assert_eq!(pages, 2);
}

#[tokio::test]
async fn oauth_apps_are_created_read_rotated_and_deleted() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    let spec = OAuthAppSpec::new("automation", ["https://app.example.com/cb".to_owned()]);
    let app = client.create_oauth_app(&realm, &spec).await.unwrap();
    let secret = app.client_secret.clone().unwrap();
    assert_eq!(
        sim.vcf_ops().oauth_app_secret(&realm, &app.id).as_deref(),
        Some(secret.expose())
    );
    assert_eq!(app.redirect_urls, ["https://app.example.com/cb"]);

    let listed = client.list_oauth_apps(&realm).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(listed[0].client_secret.is_none());
    let read = client.get_oauth_app(&realm, &app.id).await.unwrap();
    assert_eq!(read.client_id, app.client_id);
    assert!(read.client_secret.is_none());

    let rotated = client
        .rotate_oauth_app_secret(&realm, &app.id)
        .await
        .unwrap();
    let new_secret = rotated.client_secret.unwrap();
    assert_ne!(new_secret.expose(), secret.expose());
    assert_eq!(
        sim.vcf_ops().oauth_app_secret(&realm, &app.id).as_deref(),
        Some(new_secret.expose())
    );

    let duplicate = client.create_oauth_app(&realm, &spec).await.unwrap_err();
    assert_eq!(duplicate.status().map(|s| s.as_u16()), Some(409));
    client.delete_oauth_app(&realm, &app.id).await.unwrap();
    assert!(
        client
            .get_oauth_app(&realm, &app.id)
            .await
            .unwrap_err()
            .is_not_found()
    );
}
