//! Directories and their sync clients: create, list, read, rename and
//! delete a directory; a sync client token, then client credentials that
//! invalidate it; the vendor media types on the wire.

use std::time::Duration;

use idp_client::{BrokerDirectorySpec, DirectorySource, SyncClientCredentialKind};
use idp_sim::SimConfig;
use idp_testkit::start_sim;

use super::{DIRECTORY, DIRECTORY_LIST, SYNC_CLIENT, directory_spec, oauth, requests};

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
