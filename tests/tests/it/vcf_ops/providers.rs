//! Realms, identity providers (OIDC, SAML, LDAP), SCIM sync clients and
//! LDAP directories.

use idp_client::Error;
use idp_client::vcf_ops::{
    Directory, IdentityProviderSpec, IdpProtocol, LdapServer, LdapSettings, LdapSyncStatus,
    ProvisionType, SamlSettings,
};
use idp_testkit::{ops_client, start_ops_sim};

use super::{create_oidc, is_invalid, oidc_spec};

#[tokio::test]
async fn realms_are_listed_and_read() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm_id = sim.vcf_ops().realm_id();
    let realm = client.get_realm(&realm_id).await.unwrap();
    assert_eq!(
        realm.vcf_instance_id.as_deref(),
        sim.vcf_ops().vcf_instance_id(&realm_id).as_deref()
    );
    assert_eq!(realm.coverage[0].entity_type, "VCF_INSTANCE");
    assert!(realm.idp_id.is_none());
    assert!(realm.created_at.is_some());
    assert!(
        client
            .get_realm("no-such-realm")
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(is_invalid(
        &client.get_realm("..").await.unwrap_err(),
        "ssoRealmId"
    ));
}

#[tokio::test]
async fn an_oidc_provider_is_created_read_updated_and_deleted() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    let (id, directory) = create_oidc(&client, &sim).await;

    let idp = client.get_identity_provider(&id).await.unwrap();
    assert_eq!(idp.name, "Okta");
    assert_eq!(idp.protocol, IdpProtocol::Oidc);
    assert_eq!(idp.provision_type, ProvisionType::Scim);
    assert_eq!(idp.directories[0].id.as_deref(), Some(directory.as_str()));
    let oidc = idp.oidc.clone().unwrap();
    assert_eq!(oidc.client_id, "okta-client-id");
    // The server never answers the client secret.
    assert!(oidc.client_secret.is_none());
    assert_eq!(
        client.get_realm(&realm).await.unwrap().idp_id.as_deref(),
        Some(id.as_str())
    );

    // A realm has one provider.
    let again = client
        .create_identity_provider(&oidc_spec(&realm, "Second"))
        .await
        .unwrap_err();
    assert_eq!(again.status().map(|s| s.as_u16()), Some(409));

    let mut spec = idp.to_spec();
    spec.name = "Okta renamed".into();
    let updated = client.update_identity_provider(&spec).await.unwrap();
    assert_eq!(updated.name, "Okta renamed");
    assert_eq!(updated.created_at, idp.created_at);

    let task = client.delete_identity_provider(&id, false).await.unwrap();
    assert_eq!(task.status.unwrap().as_wire(), "COMPLETED");
    assert!(
        client
            .get_identity_provider(&id)
            .await
            .unwrap_err()
            .is_not_found()
    );
    assert!(client.get_realm(&realm).await.unwrap().idp_id.is_none());
    assert!(sim.vcf_ops().identity_provider_ids().is_empty());
}

#[tokio::test]
async fn provider_input_is_checked_before_sending() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    let mut spec = oidc_spec(&realm, " ");
    assert!(is_invalid(
        &client.create_identity_provider(&spec).await.unwrap_err(),
        "name"
    ));
    spec = oidc_spec(&realm, "Okta");
    if let Some(oidc) = spec.oidc.as_mut() {
        oidc.discovery_endpoint.clear();
    }
    assert!(is_invalid(
        &client.create_identity_provider(&spec).await.unwrap_err(),
        "idpConfig.oidcConfiguration.discoveryEndpoint"
    ));
    // Updating needs the id.
    assert!(is_invalid(
        &client
            .update_identity_provider(&oidc_spec(&realm, "Okta"))
            .await
            .unwrap_err(),
        "id"
    ));
    assert!(sim.requests().is_empty());
    // The server's own checks answer 400 and 404.
    let unknown_realm = client
        .create_identity_provider(&oidc_spec("no-such-realm", "Okta"))
        .await
        .unwrap_err();
    assert!(unknown_realm.is_not_found());
}

#[tokio::test]
async fn a_saml_provider_keeps_its_metadata() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    let spec = IdentityProviderSpec::saml(
        &realm,
        "Entra",
        "ENTRA_ID",
        SamlSettings::from_metadata_url("https://login.example.com/metadata.xml"),
        Directory::new("entra-directory", ["example.org".to_owned()]),
    );
    let idp = client.create_identity_provider(&spec).await.unwrap();
    assert_eq!(idp.protocol, IdpProtocol::Saml);
    assert!(idp.oidc.is_none());
    let saml = idp.saml.unwrap();
    assert_eq!(saml.metadata_source_type, "URL");
    assert_eq!(
        saml.metadata_url.as_deref(),
        Some("https://login.example.com/metadata.xml")
    );
}

#[tokio::test]
async fn the_sync_client_token_is_generated_read_and_replaced() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let (idp, directory) = create_oidc(&client, &sim).await;

    let none = client.sync_client(&idp, &directory).await.unwrap_err();
    assert!(none.is_not_found());

    let first = client
        .generate_sync_client(&idp, &directory, Some(30))
        .await
        .unwrap();
    let token = first.access_token.clone().unwrap();
    assert_eq!(
        sim.vcf_ops().sync_token(&idp, &directory).as_deref(),
        Some(token.expose())
    );
    assert_eq!(
        sim.vcf_ops().directory_sync_token(&directory).as_deref(),
        Some(token.expose())
    );
    assert_eq!(first.token_ttl, Some(30));
    assert!(first.client_secret.is_some());
    let expires = first.token_expires_at.unwrap();
    let minutes = (expires - chrono::Utc::now()).num_minutes();
    assert!((29..=30).contains(&minutes), "{minutes}");
    assert!(!format!("{first:?}").contains(token.expose()));
    assert!(
        !serde_json::to_string(&first)
            .unwrap()
            .contains(token.expose())
    );

    let read = client.sync_client(&idp, &directory).await.unwrap();
    assert_eq!(read.client_id, first.client_id);
    assert!(read.client_secret.is_none());

    let second = client
        .generate_sync_client(&idp, &directory, None)
        .await
        .unwrap();
    let replaced = second.access_token.unwrap();
    assert_ne!(replaced.expose(), token.expose());
    assert_eq!(
        sim.vcf_ops().sync_token(&idp, &directory).as_deref(),
        Some(replaced.expose())
    );
    assert_eq!(second.token_ttl, Some(262_800));

    assert!(is_invalid(
        &client
            .generate_sync_client(&idp, &directory, Some(0))
            .await
            .unwrap_err(),
        "tokenTtl"
    ));
    assert!(
        client
            .generate_sync_client(&idp, "no-such-directory", None)
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn ldap_directories_are_listed_synced_and_logged() {
    let sim = start_ops_sim().await;
    let client = ops_client(&sim);
    let realm = sim.vcf_ops().realm_id();
    let mut spec = oidc_spec(&realm, "AD");
    spec.protocol = IdpProtocol::LdapBind;
    spec.idp_type = "ADLDAP".into();
    spec.provision_type = ProvisionType::Ldap;
    spec.oidc = None;
    spec.directories.clear();
    let mut ldap = LdapSettings::new(
        "corp",
        ["corp.example.com".to_owned()],
        "ACTIVE_DIRECTORY_LDAP",
        "DC=corp,DC=example,DC=com",
        "CN=bind,DC=corp,DC=example,DC=com",
    );
    ldap.bind_password = Some(idp_client::Secret::new("bind-password-1".to_owned()));
    ldap.primary = Some(LdapServer::new("dc1.corp.example.com", Some(636), "LDAPS"));
    spec.ldap = vec![ldap];
    let idp = client.create_identity_provider(&spec).await.unwrap();
    assert!(idp.ldap[0].bind_password.is_none());

    let directories = client.list_ldap_directories(&idp.id).await.unwrap();
    assert_eq!(directories.len(), 1);
    let ldap_id = directories[0].id.clone().unwrap();
    assert_eq!(directories[0].host.as_deref(), Some("dc1.corp.example.com"));
    assert!(directories[0].last_sync_status.is_none());
    assert!(
        client
            .ldap_sync_logs(&idp.id, &ldap_id, false)
            .await
            .unwrap()
            .is_empty()
    );

    let status = client.sync_ldap_directory(&idp.id, &ldap_id).await.unwrap();
    assert_eq!(status, LdapSyncStatus::Started);
    client.sync_ldap_directory(&idp.id, &ldap_id).await.unwrap();
    let logs = client
        .ldap_sync_logs(&idp.id, &ldap_id, false)
        .await
        .unwrap();
    assert_eq!(logs.len(), 2);
    assert_eq!(logs[1].users.0, 2, "the first sync added the users");
    let last = client
        .ldap_sync_logs(&idp.id, &ldap_id, true)
        .await
        .unwrap();
    assert_eq!(last.len(), 1);
    assert_eq!(last[0].id, logs[0].id);
    let listed = client.list_ldap_directories(&idp.id).await.unwrap();
    assert_eq!(listed[0].last_sync_status, Some(LdapSyncStatus::Completed));

    let unknown = client
        .sync_ldap_directory(&idp.id, "no-such-directory")
        .await
        .unwrap_err();
    assert!(matches!(unknown, Error::Api { .. }) && unknown.is_not_found());
}
