//! A domain name becomes exactly one percent-encoded path segment; values
//! that URL normalization would collapse are refused before sending.

use super::common;

use common::{server, vcf_bearer};
use idp_client::Error;
use idp_client::IdentitySourceSpec;
use wiremock::{Mock, ResponseTemplate};

fn spec() -> IdentitySourceSpec {
    serde_json::from_str(&common::seed(
        "updateEmbeddedIdentitySource.activeDirectory.request.json",
    ))
    .unwrap()
}

#[tokio::test]
async fn a_domain_name_is_one_encoded_segment() {
    let server = server().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, "t");
    vcf.update_embedded_identity_source("idp 1", "a/b?c#d%e f..g", &spec())
        .await
        .unwrap();
    vcf.delete_identity_source("idp-1", "..x").await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].url.path(),
        "/v1/identity-providers/idp%201/identity-sources/a%2Fb%3Fc%23d%25e%20f..g"
    );
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(
        requests[1].url.path(),
        "/v1/identity-providers/idp-1/identity-sources/..x"
    );
}

#[tokio::test]
async fn dot_segments_and_control_characters_are_refused_unsent() {
    let server = server().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let vcf = vcf_bearer(&server, "t");
    for bad in [".", "..", "", "a\nb", "tab\there", "back\\slash"] {
        let err = vcf.delete_identity_source("idp-1", bad).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput { ref field, .. } if field == "domainName"),
            "{bad:?}: {err:?}"
        );
        assert!(!err.request_may_have_been_sent());
        let err = vcf
            .update_embedded_identity_source("idp-1", bad, &spec())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput { .. }),
            "{bad:?}: {err:?}"
        );
    }
    for bad in [".", ".."] {
        let err = vcf.get_identity_provider(bad).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput { ref field, .. } if field == "id"),
            "{err:?}"
        );
        assert!(vcf.generate_sync_client_token(bad, None).await.is_err());
        assert!(vcf.delete_external_identity_provider(bad).await.is_err());
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}
