//! Plan and apply against the simulator under every profile.

use idp_client::Secret;
use idp_config::{
    Action, Directory, Document, EmbeddedSource, External, ExternalProvider, ExternalType,
    Identity, OidcClient, Options, Outcome, Permission, Plan, SecretRef, SourceType, Target,
};
use idp_sim::{FaultRule, Profile, SimConfig, Simulator};
use idp_testkit::{fast_retries, start_sim, vcf_client};

pub(crate) fn target(name: &str, sim: &Simulator) -> Target {
    Target::with_credentials(
        name,
        sim.vcf().url(),
        sim.vcf().username(),
        SecretRef::Literal(Secret::new(sim.vcf().password())),
    )
}

fn broker(kind: ExternalType, domains: &[&str]) -> External {
    broker_named(kind, "corp-sso", domains)
}

pub(crate) fn broker_named(kind: ExternalType, name: &str, domains: &[&str]) -> External {
    External::Provider(Box::new(ExternalProvider::broker(
        kind,
        name,
        Directory::new(
            "corp_dir",
            domains[0],
            domains.iter().map(|d| (*d).to_owned()).collect(),
        ),
        OidcClient::new(
            "client-1",
            SecretRef::Literal(Secret::new("oidc-secret-value")),
            "https://sso.example.com/.well-known/openid-configuration",
        ),
    )))
}

pub(crate) fn source(domain: &str, users: &str) -> EmbeddedSource {
    EmbeddedSource::new(
        SourceType::ActiveDirectory,
        format!("AD {domain}"),
        domain,
        format!("svc@{domain}"),
        SecretRef::Literal(Secret::new("bind-secret-value")),
        users,
        "ou=groups,dc=corp",
        vec!["ldap://dc1.corp.example.com:389".to_owned()],
    )
    .domain_alias("CORP")
}

pub(crate) fn options() -> Options {
    Options::default().retry_policy(fast_retries())
}

async fn plan(doc: &Document, options: &Options) -> Plan {
    idp_config::plan(doc, options).await.unwrap()
}

fn actions(plan: &Plan) -> Vec<(Action, String)> {
    plan.targets
        .iter()
        .flat_map(|t| &t.changes)
        .map(|c| (c.action, c.name.clone()))
        .collect()
}

/// Requests that change state (the login `POST /v1/tokens` excluded).
fn writes(sim: &Simulator) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method != "GET" && !r.path.starts_with("/v1/tokens"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

/// [`converge`], for the property test.
pub(crate) async fn converge_for_property(doc: &Document, options: &Options, sim: &Simulator) {
    converge(doc, options, sim).await;
}

/// Plans with `options`, applies with updates allowed (`update_secrets`),
/// then checks that a plan without `update_secrets` (which would update
/// every object again) is empty and its apply sends no write request.
async fn converge(doc: &Document, options: &Options, sim: &Simulator) {
    let before = plan(doc, options).await;
    assert!(!before.has_errors(), "{before:?}");
    let report = idp_config::apply(&before, &options.clone().update_secrets(true)).await;
    assert!(report.is_success(), "{report:?}");
    let options = &options.clone().update_secrets(false);
    let after = plan(doc, options).await;
    assert!(
        !after.has_changes() && !after.has_errors(),
        "not converged: {after:?}"
    );
    sim.clear_requests();
    let again = idp_config::apply(&after, options).await;
    assert!(again.is_success());
    assert_eq!(again.targets[0].outcome, Outcome::Unchanged);
    assert!(
        writes(sim).is_empty(),
        "a no-op apply wrote: {:?}",
        writes(sim)
    );
}

#[tokio::test]
async fn lifecycle_under_every_profile() {
    for profile in Profile::ALL {
        let sim = start_sim(SimConfig::builder().profile(profile)).await;
        let t = target("t1", &sim);
        let opts = options();

        // Create from nothing.
        let mut identity =
            Identity::with_external(broker(ExternalType::Okta, &["corp.example.com"]))
                .embedded_sources(vec![source("corp.example.com", "ou=users,dc=corp")]);
        let doc = Document::new(vec![t.clone()], Some(identity.clone()));
        let first = plan(&doc, &opts).await;
        assert_eq!(
            actions(&first),
            vec![
                (Action::Create, "corp-sso".to_owned()),
                (Action::Create, "corp.example.com".to_owned())
            ],
            "{profile:?}"
        );
        let text = serde_json::to_string(&first).unwrap();
        assert!(!text.contains("oidc-secret-value") && !text.contains("bind-secret-value"));
        assert!(text.contains("external.oidc.clientSecret"), "{text}");
        converge(&doc, &opts, &sim).await;

        // Update: another domain, another users base DN.
        identity.external = Some(broker(
            ExternalType::Okta,
            &["corp.example.com", "example.org"],
        ));
        identity.embedded_sources = Some(vec![source("corp.example.com", "ou=people,dc=corp")]);
        let doc = Document::new(vec![t.clone()], Some(identity.clone()));
        let p = plan(&doc, &opts).await;
        let fields: Vec<&str> = p.targets[0]
            .changes
            .iter()
            .flat_map(|c| c.fields.iter().map(|f| f.field.as_str()))
            .collect();
        assert_eq!(
            actions(&p).iter().map(|a| a.0).collect::<Vec<_>>(),
            [Action::Update, Action::Update]
        );
        assert_eq!(fields, ["directory.domains", "usersBaseDn"], "{profile:?}");
        // An update resends the secrets: refused without update-secrets.
        assert!(p.targets[0].changes.iter().all(|c| {
            c.needs == Some(Permission::UpdateSecrets) && c.note.is_some() && !c.secrets.is_empty()
        }));
        assert_eq!(p.unpermitted(&opts).len(), 2);
        assert!(p.unpermitted(&opts.clone().update_secrets(true)).is_empty());
        sim.clear_requests();
        let refused = idp_config::apply(&p, &opts).await;
        assert_eq!(refused.targets[0].outcome, Outcome::Failed);
        let error = refused.targets[0].error.as_ref().unwrap();
        assert!(
            error.usage
                && error.message.contains("--update-secrets")
                && error.message.contains("external.oidc.clientSecret"),
            "{error:?}"
        );
        assert_eq!(refused.targets[0].not_done.len(), 2);
        assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));
        converge(&doc, &opts, &sim).await;

        // Replace: Okta to Entra ID, refused without permission.
        identity.external = Some(broker(ExternalType::EntraId, &["corp.example.com"]));
        let doc = Document::new(vec![t.clone()], Some(identity.clone()));
        let p = plan(&doc, &opts).await;
        assert_eq!(actions(&p)[0].0, Action::Replace);
        assert_eq!(
            p.targets[0].changes[0].needs,
            Some(Permission::AllowReplace)
        );
        sim.clear_requests();
        let refused = idp_config::apply(&p, &opts).await;
        assert_eq!(refused.targets[0].outcome, Outcome::Failed);
        assert!(writes(&sim).is_empty());
        converge(&doc, &opts.clone().allow_replace(true), &sim).await;
        let providers = vcf_client(&sim).list_identity_providers().await.unwrap();
        assert_eq!(providers.iter().filter(|p| !p.is_embedded()).count(), 1);

        // Sources: add a second, then prune the first.
        identity.embedded_sources = Some(vec![
            source("corp.example.com", "ou=people,dc=corp"),
            source("lab.example.com", "ou=users,dc=lab"),
        ]);
        let doc = Document::new(vec![t.clone()], Some(identity.clone()));
        assert_eq!(
            actions(&plan(&doc, &opts).await),
            vec![(Action::Create, "lab.example.com".to_owned())]
        );
        converge(&doc, &opts, &sim).await;
        identity.embedded_sources = Some(vec![source("lab.example.com", "ou=users,dc=lab")]);
        let unpruned = Document::new(vec![t.clone()], Some(identity.clone()));
        assert!(
            !plan(&unpruned, &opts).await.has_changes(),
            "unnamed sources are left alone"
        );
        identity.prune_embedded_sources = true;
        let doc = Document::new(vec![t.clone()], Some(identity.clone()));
        // The simulator's seeded source is not built in: pruned too.
        let pruned = actions(&plan(&doc, &opts).await);
        assert!(
            pruned.contains(&(Action::Delete, "corp.example.com".to_owned())),
            "{pruned:?}"
        );
        assert!(
            pruned
                .iter()
                .all(|(a, d)| *a == Action::Delete && !idp_config::is_builtin_domain(d))
        );
        converge(&doc, &opts, &sim).await;

        // Delete: `external: none`.
        identity.external = Some(External::None);
        let doc = Document::new(vec![t.clone()], Some(identity.clone()));
        assert_eq!(actions(&plan(&doc, &opts).await)[0].0, Action::Delete);
        converge(&doc, &opts, &sim).await;
        let providers = vcf_client(&sim).list_identity_providers().await.unwrap();
        assert!(providers.iter().all(|p| p.is_embedded()), "{profile:?}");
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn one_failing_target_does_not_stop_the_other_and_a_rerun_converges() {
    let good = start_sim(SimConfig::builder()).await;
    let bad = start_sim(SimConfig::builder()).await;
    bad.faults()
        .add(FaultRule::new("POST", "/v1/identity-providers/{id}/identity-sources").respond(500));
    let identity = Identity::with_external(broker(ExternalType::Okta, &["corp.example.com"]))
        .embedded_sources(vec![source("corp.example.com", "ou=users,dc=corp")]);
    let doc = Document::new(
        vec![target("good", &good), target("bad", &bad)],
        Some(identity),
    );
    let opts = options().parallel(2);
    let report = idp_config::apply(&plan(&doc, &opts).await, &opts).await;
    assert_eq!(report.targets[0].outcome, Outcome::Applied);
    let failed = &report.targets[1];
    assert_eq!(failed.outcome, Outcome::Failed);
    assert_eq!(failed.done, ["create externalProvider corp-sso"]);
    assert_eq!(failed.not_done, ["create embeddedSource corp.example.com"]);
    // The API failure is idp-client's error, unchanged.
    let error = failed.error.as_ref().unwrap();
    assert!(!error.usage);
    let client = error.client_error().expect("an idp_client::Error");
    assert_eq!(client.status().map(|s| s.as_u16()), Some(500));
    assert!(client.request_may_have_been_sent());

    bad.faults().clear();
    let again = plan(&doc, &opts).await;
    assert_eq!(
        actions(&again),
        vec![(Action::Create, "corp.example.com".to_owned())]
    );
    let report = idp_config::apply(&again, &opts).await;
    assert!(report.is_success(), "{report:?}");
    assert!(!plan(&doc, &opts).await.has_changes());
    let providers = vcf_client(&bad).list_identity_providers().await.unwrap();
    assert_eq!(providers.iter().filter(|p| !p.is_embedded()).count(), 1);
    good.shutdown().await;
    bad.shutdown().await;
}

#[tokio::test]
async fn a_plan_reads_each_target_with_one_get() {
    let sim = start_sim(SimConfig::builder()).await;
    let identity = Identity::with_external(broker(ExternalType::Okta, &["corp.example.com"]))
        .embedded_sources(vec![source("corp.example.com", "ou=users,dc=corp")]);
    let doc = Document::new(vec![target("t", &sim)], Some(identity));
    sim.clear_requests();
    plan(&doc, &options()).await;
    let reads: Vec<String> = sim
        .requests()
        .into_iter()
        .filter(|r| !r.path.starts_with("/v1/tokens"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(reads, ["GET /v1/identity-providers"]);
    sim.shutdown().await;
}

/// A fault on each kind of write, at every stage of a lifecycle: the failed
/// apply stops, and a re-run converges without duplicates.
#[tokio::test]
async fn a_rerun_after_any_fault_converges() {
    for profile in Profile::ALL {
        let sim = start_sim(SimConfig::builder().profile(profile)).await;
        // update-secrets: the faulted applies carry out updates too.
        let opts = options().allow_replace(true).update_secrets(true);
        let stages = [
            Identity::with_external(broker(ExternalType::Okta, &["corp.example.com"]))
                .embedded_sources(vec![source("corp.example.com", "ou=users,dc=corp")]),
            Identity::with_external(broker(ExternalType::Okta, &["corp.example.com", "b.org"]))
                .embedded_sources(vec![source("corp.example.com", "ou=people,dc=corp")]),
            // VCF 5.1 has no Ping Federate (the simulator refuses it, as VCF does).
            Identity::with_external(broker(
                if profile == Profile::Vcf51 {
                    ExternalType::EntraId
                } else {
                    ExternalType::PingFederate
                },
                &["corp.example.com"],
            ))
            .embedded_sources(vec![source("lab.example.com", "ou=users,dc=lab")])
            .prune_embedded_sources(true),
            Identity::with_external(External::None),
        ];
        for identity in stages {
            let doc = Document::new(vec![target("t", &sim)], Some(identity));
            for (method, drop) in [
                ("DELETE", false),
                ("POST", false),
                ("PATCH", false),
                ("POST", true),
            ] {
                let p = plan(&doc, &opts).await;
                let rule = FaultRule::new(method, "*").times(1);
                sim.faults().add(if drop {
                    rule.drop_connection()
                } else {
                    rule.respond(500)
                });
                let report = idp_config::apply(&p, &opts).await;
                sim.faults().clear();
                let t = &report.targets[0];
                if t.outcome == Outcome::Failed {
                    assert!(!t.not_done.is_empty() && t.error.is_some(), "{t:?}");
                }
            }
            converge(&doc, &opts, &sim).await;
            let providers = vcf_client(&sim).list_identity_providers().await.unwrap();
            assert!(
                providers.iter().filter(|p| !p.is_embedded()).count() <= 1,
                "{profile:?}: {providers:?}"
            );
        }
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn update_secrets_updates_what_cannot_be_compared() {
    let sim = start_sim(SimConfig::builder()).await;
    let identity = Identity::with_external(broker(ExternalType::EntraId, &["corp.example.com"]))
        .embedded_sources(vec![source("corp.example.com", "ou=users,dc=corp")]);
    let doc = Document::new(vec![target("t", &sim)], Some(identity));
    converge(&doc, &options(), &sim).await;
    let forced = plan(&doc, &options().update_secrets(true)).await;
    let changes = &forced.targets[0].changes;
    assert_eq!(changes.len(), 2);
    assert!(
        changes
            .iter()
            .all(|c| c.action == Action::Update && c.fields.is_empty())
    );
    assert_eq!(changes[0].secrets, ["external.oidc.clientSecret"]);
    assert_eq!(
        changes[1].secrets,
        ["embeddedSources[corp.example.com].password"]
    );
    assert!(changes.iter().all(|c| c.note.is_none()));
    let json = serde_json::to_value(&forced).unwrap();
    assert_eq!(
        json["targets"][0]["changes"][0]["needs"],
        serde_json::json!("updateSecrets")
    );
    assert_eq!(
        json["targets"][0]["changes"][0]["secrets"],
        serde_json::json!(["external.oidc.clientSecret"])
    );
    // Applied without update-secrets: refused before any request.
    sim.clear_requests();
    let refused = idp_config::apply(&forced, &options()).await;
    assert_eq!(refused.targets[0].outcome, Outcome::Failed);
    assert!(writes(&sim).is_empty());
    let report = idp_config::apply(&forced, &options().update_secrets(true)).await;
    assert!(report.is_success(), "{report:?}");
    let sent = writes(&sim);
    assert_eq!(sent.len(), 2, "{sent:?}");
    assert!(sent.iter().all(|w| w.starts_with("PATCH ")), "{sent:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn secret_references_are_read_when_needed() {
    let sim = start_sim(SimConfig::builder()).await;
    let dir = tempfile::tempdir().unwrap();
    let password = dir.path().join("password");
    std::fs::write(&password, format!("{}\n", sim.vcf().password())).unwrap();
    let t = Target::with_credentials(
        "t",
        sim.vcf().url(),
        sim.vcf().username(),
        SecretRef::File(password),
    );
    let missing = dir.path().join("missing-secret");
    let external = External::Provider(Box::new(ExternalProvider::broker(
        ExternalType::Okta,
        "okta",
        Directory::new("dir", "example.com", Vec::new()),
        OidcClient::new(
            "c",
            SecretRef::File(missing.clone()),
            "https://sso.example.com/.well-known/openid-configuration",
        ),
    )));
    let doc = Document::new(vec![t], Some(Identity::with_external(external)));
    // Planning needs no provider secret.
    let p = plan(&doc, &options()).await;
    assert!(!p.has_errors(), "{p:?}");
    assert_eq!(p.targets[0].changes.len(), 1);
    // Applying does: the reference is named, nothing is sent.
    sim.clear_requests();
    let report = idp_config::apply(&p, &options()).await;
    let error = report.targets[0].error.as_ref().unwrap();
    assert!(
        error.usage && error.message.contains("external.oidc.clientSecret"),
        "{error:?}"
    );
    assert!(writes(&sim).is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn adfs_is_created_updated_and_converges_under_every_profile() {
    let adfs = |servers: &[&str]| {
        let text = format!(
            r#"{{"type":"adfs","name":"corp-adfs",
                "oidc":{{"clientId":"adfs-client","clientSecret":"adfs-secret-value",
                        "discoveryEndpoint":"https://adfs.example.com/adfs/.well-known/openid-configuration"}},
                "ldap":{{"domainName":"corp.example.com","domainAlias":"CORP","username":"svc@corp.example.com",
                        "password":"ldap-secret-value","usersBaseDn":"ou=users,dc=corp",
                        "groupsBaseDn":"ou=groups,dc=corp","serverEndpoints":{}}}}}"#,
            serde_json::to_string(servers).unwrap()
        );
        serde_json::from_str::<External>(&text).unwrap()
    };
    for profile in Profile::ALL {
        let sim = start_sim(SimConfig::builder().profile(profile)).await;
        let t = target("t", &sim);
        let doc = Document::new(
            vec![t.clone()],
            Some(Identity::with_external(adfs(&[
                "ldap://dc1.corp.example.com",
            ]))),
        );
        let p = plan(&doc, &options()).await;
        assert_eq!(
            p.targets[0].changes[0].secrets,
            ["external.oidc.clientSecret", "external.ldap.password"]
        );
        converge(&doc, &options(), &sim).await;
        let doc = Document::new(
            vec![t],
            Some(Identity::with_external(adfs(&[
                "ldap://dc1.corp.example.com",
                "ldap://dc2.corp.example.com",
            ]))),
        );
        let p = plan(&doc, &options()).await;
        let fields: Vec<&str> = p.targets[0].changes[0]
            .fields
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert_eq!(fields, ["ldap.serverEndpoints"], "{profile:?}");
        converge(&doc, &options(), &sim).await;
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn ldaps_sources_with_a_certificate_file_converge() {
    let sim = start_sim(SimConfig::builder()).await;
    let dir = tempfile::tempdir().unwrap();
    let pem_path = dir.path().join("chain.pem");
    let cert =
        |n: u8| format!("-----BEGIN CERTIFICATE-----\nMIIB{n}AAAA\n-----END CERTIFICATE-----");
    std::fs::write(&pem_path, format!("{}\n{}\n", cert(1), cert(2))).unwrap();
    let mut ldaps = source("corp.example.com", "ou=users,dc=corp")
        .cert_chain(idp_config::PemRef(format!("file:{}", pem_path.display())));
    ldaps.server_endpoints = vec!["ldaps://dc1.corp.example.com:636".to_owned()];
    let doc = Document::new(
        vec![target("t", &sim)],
        Some(Identity::default().embedded_sources(vec![ldaps])),
    );
    let p = plan(&doc, &options()).await;
    let certs = p.targets[0].changes[0]
        .fields
        .iter()
        .find(|f| f.field == "certChain")
        .unwrap();
    assert_eq!(certs.to, serde_json::json!([cert(1), cert(2)]));
    converge(&doc, &options(), &sim).await;
    // Another chain in the file: an update of the certificates only.
    std::fs::write(&pem_path, cert(3)).unwrap();
    let p = plan(&doc, &options()).await;
    let fields: Vec<&str> = p.targets[0].changes[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["certChain"]);
    converge(&doc, &options(), &sim).await;
    sim.shutdown().await;
}
