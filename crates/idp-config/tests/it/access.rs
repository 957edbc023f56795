//! `identity.access` against the simulator: the example document grants an
//! Okta group ADMIN and converges; unknown principals and roles are plan
//! findings; a role change is one change; pruning spares the administrator
//! and the caller; a service user's key is delivered once.

use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use idp_client::Secret;
use idp_config::connection::{Endpoint, Vcf, VcfCredentials};
use idp_config::{
    AccessGrant, Action, Connection, Document, Error, External, Identity, KeyDelivery, LoadOptions,
    Options, Outcome, Plan, SecretRef, Target,
};
use idp_sim::{Profile, SimConfig, Simulator};
use idp_testkit::start_sim;

use crate::fleet::{options, target};

async fn plan(doc: &Document, options: &Options) -> Plan {
    idp_config::plan(doc, options).await.unwrap()
}

fn access_changes(plan: &Plan) -> Vec<(Action, String)> {
    plan.targets
        .iter()
        .flat_map(|t| &t.changes)
        .filter(|c| c.object == "access")
        .map(|c| (c.action, c.name.clone()))
        .collect()
}

fn writes(sim: &Simulator) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method != "GET" && !r.path.starts_with("/v1/tokens"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// The example document's identity, its secrets made literal (the test has
/// no `OKTA_CLIENT_SECRET`, bind password or certificate file).
fn example_identity() -> Identity {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/fleet.yaml");
    let doc = Document::from_file(&path, LoadOptions::default()).unwrap();
    let mut identity = doc.identity.unwrap();
    if let Some(External::Provider(provider)) = &mut identity.external {
        provider.oidc.client_secret = SecretRef::Literal(Secret::new("okta-client-secret"));
    }
    for source in identity.embedded_sources.iter_mut().flatten() {
        source.password = SecretRef::Literal(Secret::new("bind-password"));
        // Without the example's certificate file, plain LDAP.
        source.cert_chain = None;
        source.server_endpoints = vec!["ldap://dc1.corp.example.com:389".to_owned()];
    }
    identity
}

#[tokio::test]
async fn the_example_grants_an_okta_group_admin_and_converges_under_every_profile() {
    for profile in Profile::ALL {
        let sim = start_sim(SimConfig::builder().profile(profile)).await;
        let identity = example_identity();
        let doc = Document::new(vec![target("sfo", &sim)], Some(identity));
        let opts = options();
        let first = plan(&doc, &opts).await;
        assert!(!first.has_errors(), "{first:?}");
        let changes: Vec<_> = first.targets[0]
            .changes
            .iter()
            .map(|c| c.summary())
            .collect();
        // The provider, the source, then the grant that needs the provider's
        // directory domain.
        assert_eq!(
            changes,
            [
                "create externalProvider okta",
                "create embeddedSource corp.example.com",
                "grant access group vcf-admins@example.com"
            ],
            "{profile}"
        );
        let grant = &first.targets[0].changes[2];
        assert!(
            grant
                .note
                .as_deref()
                .unwrap()
                .contains("checked when apply grants it")
        );
        let report = idp_config::apply(&first, &opts).await;
        assert!(report.is_success(), "{report:?}");
        assert!(sim.vcf().users().contains(&(
            "vcf-admins@example.com".into(),
            "GROUP".into(),
            "ADMIN".into()
        )));
        let after = plan(&doc, &opts).await;
        assert!(!after.has_changes() && !after.has_errors(), "{after:?}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn an_unknown_principal_or_role_is_a_plan_finding_and_nothing_is_sent() {
    let sim = start_sim(SimConfig::builder()).await;
    let cases = [
        (
            AccessGrant::group("nobody", "embedded-ids.com", "ADMIN"),
            "SSO domain embedded-ids.com knows no group named `nobody`",
        ),
        (
            AccessGrant::user("vcf-admins", "embedded-ids.com", "ADMIN"),
            "knows no user named `vcf-admins`",
        ),
        (
            AccessGrant::group("vcf-admins", "elsewhere.example", "ADMIN"),
            "`elsewhere.example` is not an SSO domain",
        ),
        (
            AccessGrant::group("vcf-admins", "embedded-ids.com", "ROOT"),
            "ADMIN, OPERATOR, VIEWER",
        ),
    ];
    for (grant, expected) in cases {
        let identity = Identity::default().access(vec![grant]);
        let doc = Document::new(vec![target("t", &sim)], Some(identity));
        sim.clear_requests();
        let p = plan(&doc, &options()).await;
        let error = p.targets[0].error.as_ref().expect("a finding");
        assert!(error.usage, "{error:?}");
        assert!(
            error.message.contains("identity.access[0]"),
            "{}",
            error.message
        );
        assert!(error.message.contains(expected), "{}", error.message);
        let report = idp_config::apply(&p, &options()).await;
        assert_eq!(report.targets[0].outcome, Outcome::Failed);
        assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn a_role_change_is_one_change_and_new_grants_come_before_it() {
    let sim = start_sim(SimConfig::builder()).await;
    let opts = options();
    let grant = |role: &str| AccessGrant::group("vcf-admins", "embedded-ids.com", role);
    let doc = |grants| {
        Document::new(
            vec![target("t", &sim)],
            Some(Identity::default().access(grants)),
        )
    };
    let p = plan(&doc(vec![grant("VIEWER")]), &opts).await;
    assert_eq!(
        access_changes(&p),
        [(
            Action::Grant,
            "group vcf-admins@embedded-ids.com".to_owned()
        )]
    );
    assert!(idp_config::apply(&p, &opts).await.is_success());

    let p = plan(
        &doc(vec![
            grant("operator"),
            AccessGrant::user("ops", "embedded-ids.com", "VIEWER"),
        ]),
        &opts,
    )
    .await;
    assert_eq!(
        access_changes(&p),
        [
            (Action::Grant, "user ops@embedded-ids.com".to_owned()),
            (
                Action::ChangeRole,
                "group vcf-admins@embedded-ids.com".to_owned()
            ),
        ]
    );
    let change = &p.targets[0].changes[1];
    assert_eq!(
        change.summary(),
        "change role access group vcf-admins@embedded-ids.com"
    );
    assert_eq!(change.fields[0].from, "VIEWER");
    assert_eq!(change.fields[0].to, "OPERATOR");
    sim.clear_requests();
    assert!(idp_config::apply(&p, &opts).await.is_success());
    let sent = writes(&sim);
    assert_eq!(sent.len(), 3, "{sent:?}");
    assert!(sent[0].starts_with("POST /v1/users") && sent[1].starts_with("DELETE /v1/users/"));
    assert!(sim.vcf().users().contains(&(
        "vcf-admins@embedded-ids.com".into(),
        "GROUP".into(),
        "OPERATOR".into()
    )));
    assert!(
        !plan(&doc(vec![grant("OPERATOR")]), &opts)
            .await
            .has_changes()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn pruning_spares_the_administrator_and_the_caller() {
    let sim = start_sim(SimConfig::builder()).await;
    let opts = options();
    // Other grants to prune.
    let setup = Document::new(
        vec![target("t", &sim)],
        Some(Identity::default().access(vec![
            AccessGrant::group("vcf-admins", "embedded-ids.com", "ADMIN"),
            AccessGrant::user("ops", "embedded-ids.com", "VIEWER"),
        ])),
    );
    assert!(
        idp_config::apply(&plan(&setup, &opts).await, &opts)
            .await
            .is_success()
    );

    let keep_group = Identity::default()
        .access(vec![AccessGrant::group(
            "vcf-admins",
            "embedded-ids.com",
            "ADMIN",
        )])
        .prune_access(true);
    // As the administrator (user name and password): the service user and
    // `ops` go; the administrator (the caller too) stays.
    let doc = Document::new(vec![target("t", &sim)], Some(keep_group.clone()));
    let p = plan(&doc, &opts).await;
    let mut revoked = access_changes(&p);
    revoked.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        revoked,
        [
            (Action::Revoke, "serviceUser svc-automation".to_owned()),
            (Action::Revoke, "user ops@embedded-ids.com".to_owned()),
        ]
    );

    // With the service user's API key the caller is not known by name:
    // no user or service user is pruned, only groups.
    let mut as_service = Target::default();
    as_service.name = Some("t".into());
    as_service.connection = Connection::Direct(Vcf::new(
        Endpoint::new(sim.vcf().url()),
        Some(VcfCredentials::ApiKey(SecretRef::Literal(Secret::new(
            sim.vcf().api_key(),
        )))),
    ));
    let doc = Document::new(
        vec![as_service],
        Some(Identity::default().access(Vec::new()).prune_access(true)),
    );
    let p = plan(&doc, &opts).await;
    assert_eq!(
        access_changes(&p),
        [(
            Action::Revoke,
            "group vcf-admins@embedded-ids.com".to_owned()
        )]
    );

    let doc = Document::new(vec![target("t", &sim)], Some(keep_group));
    assert!(
        idp_config::apply(&plan(&doc, &opts).await, &opts)
            .await
            .is_success()
    );
    let users = sim.vcf().users();
    assert!(users.iter().any(|u| u.0 == "administrator@vsphere.local"));
    assert!(!users.iter().any(|u| u.0 == "svc-automation@vsphere.local"));
    sim.shutdown().await;
}

/// Records deliveries; refuses targets under `/refused`.
#[derive(Default)]
struct Recorder {
    delivered: Mutex<Vec<(String, String, String)>>,
}

impl KeyDelivery for Recorder {
    fn preflight(&self, target: &str) -> Result<(), Error> {
        if target.starts_with("file:/refused") {
            return Err(Error::Usage(format!("{target}: cannot be written")));
        }
        Ok(())
    }

    fn deliver<'a>(
        &'a self,
        target: &'a str,
        user: &'a str,
        key: &'a Secret,
    ) -> BoxFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            self.delivered.lock().unwrap().push((
                target.to_owned(),
                user.to_owned(),
                key.expose().to_owned(),
            ));
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_service_user_made_by_apply_delivers_its_key_once() {
    let sim = start_sim(SimConfig::builder()).await;
    let recorder = Arc::new(Recorder::default());
    let grant =
        AccessGrant::service_user("ci-pipeline", "OPERATOR", "file:/run/secrets/vcf-ci-key");
    let doc = Document::new(
        vec![target("t", &sim)],
        Some(Identity::default().access(vec![grant])),
    );

    // No delivery set: refused before any request.
    let p = plan(&doc, &options()).await;
    assert_eq!(
        access_changes(&p),
        [(Action::Grant, "serviceUser ci-pipeline".to_owned())]
    );
    sim.clear_requests();
    let refused = idp_config::apply(&p, &options()).await;
    assert_eq!(refused.targets[0].outcome, Outcome::Failed);
    assert!(
        refused.targets[0]
            .error
            .as_ref()
            .unwrap()
            .message
            .contains("shown once")
    );
    assert!(writes(&sim).is_empty());

    let opts = options().key_delivery(recorder.clone());
    let report = idp_config::apply(&plan(&doc, &opts).await, &opts).await;
    assert!(report.is_success(), "{report:?}");
    let delivered = recorder.delivered.lock().unwrap().clone();
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].0, "file:/run/secrets/vcf-ci-key");
    assert_eq!(delivered[0].1, "ci-pipeline");
    assert_eq!(
        Some(delivered[0].2.clone()),
        sim.vcf().service_user_key("ci-pipeline")
    );
    // Applied again: nothing to do, nothing delivered.
    let again = idp_config::apply(&plan(&doc, &opts).await, &opts).await;
    assert_eq!(again.targets[0].outcome, Outcome::Unchanged);
    assert_eq!(recorder.delivered.lock().unwrap().len(), 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_key_target_that_fails_its_preflight_stops_the_target_before_any_request() {
    let sim = start_sim(SimConfig::builder()).await;
    let opts = options().key_delivery(Arc::new(Recorder::default()));
    let doc = Document::new(
        vec![target("t", &sim)],
        Some(Identity::default().access(vec![
            AccessGrant::group("vcf-admins", "embedded-ids.com", "ADMIN"),
            AccessGrant::service_user("ci", "VIEWER", "file:/refused/key"),
        ])),
    );
    let p = plan(&doc, &opts).await;
    sim.clear_requests();
    let report = idp_config::apply(&p, &opts).await;
    assert_eq!(report.targets[0].outcome, Outcome::Failed);
    assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_targets_own_access_overrides_the_documents() {
    let sim = start_sim(SimConfig::builder()).await;
    let document_wide = Identity::default().access(vec![AccessGrant::group(
        "vcf-admins",
        "embedded-ids.com",
        "ADMIN",
    )]);
    let own = Identity::default().access(vec![AccessGrant::group(
        "nobody",
        "embedded-ids.com",
        "VIEWER",
    )]);
    let doc = Document::new(
        vec![target("own", &sim).identity(own), target("shared", &sim)],
        Some(document_wide),
    );
    let p = plan(&doc, &options()).await;
    let error = p.targets[0]
        .error
        .as_ref()
        .expect("the target's own grant is checked");
    assert!(
        error.message.starts_with("targets[0].identity.access[0]:"),
        "{}",
        error.message
    );
    assert_eq!(
        p.targets[1]
            .changes
            .iter()
            .map(|c| c.summary())
            .collect::<Vec<_>>(),
        ["grant access group vcf-admins@embedded-ids.com"]
    );
    sim.shutdown().await;
}
