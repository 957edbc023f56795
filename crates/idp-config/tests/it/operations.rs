//! `operations:` targets (VCF 9.1 fleet identity): reading, checking and
//! placing errors at file, line and column.

use std::path::PathBuf;

use idp_config::connection::OpsCredentials;
use idp_config::{Document, Error, LoadOptions, SecretRef};

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/operations.yaml")
}

fn read(text: &str) -> Result<Document, Error> {
    Document::from_text(text, "fleet.yaml", false, LoadOptions::default())
}

/// The error's location as `line`, `field`, and its message.
fn located(text: &str) -> (Option<usize>, String, String) {
    let err = read(text).unwrap_err();
    let Error::Document { location, message } = &err else {
        panic!("{err}")
    };
    (
        location.line,
        location.field.clone().unwrap_or_default(),
        message.clone(),
    )
}

const HEAD: &str = "operations:\n  - name: ops\n    url: https://ops.example.com\n    username: admin\n    password: env:OPS_PW\n";

#[test]
fn the_example_document_parses() {
    let doc = Document::from_file(&example(), LoadOptions::default()).unwrap();
    assert_eq!(doc.operations.len(), 1);
    let ops = &doc.operations[0];
    assert_eq!(ops.display_name(), "fleet-ops");
    assert_eq!(
        ops.connection.direct().unwrap().credentials,
        Some(OpsCredentials::Password {
            username: Some("admin".into()),
            password: Some(SecretRef::Env("FLEET_OPS_PASSWORD".into())),
            auth_source: None,
        })
    );
    let realm = &ops.realms[0];
    let provider = realm.identity_provider.as_ref().unwrap();
    assert_eq!(provider.protocol(), "OIDC");
    assert_eq!(provider.provisioning_or_default(), "SCIM");
    let roles = realm.role_assignments.as_ref().unwrap();
    assert_eq!(roles[0].scope_or_default(), "SSO_REALM");
    assert_eq!(roles[1].scope_or_default(), "VCF_INSTANCE");
    // Written back, it reads the same.
    let yaml = serde_norway::to_string(&doc).unwrap();
    assert_eq!(read(&yaml).unwrap(), doc);
}

#[test]
fn a_context_target_or_a_token_reads_and_mixed_fields_are_refused() {
    let doc = read("operations:\n  - context: lab\n").unwrap();
    assert_eq!(doc.operations[0].display_name(), "lab");
    let doc = read("operations:\n  - url: https://ops.example.com\n    token: env:T\n").unwrap();
    assert_eq!(
        doc.operations[0].connection.direct().unwrap().credentials,
        Some(OpsCredentials::Token(SecretRef::Env("T".into())))
    );
    let (line, field, message) = located("operations:\n  - context: lab\n    authSource: LDAP\n");
    assert_eq!(field, "operations[0].authSource");
    assert_eq!(line, Some(3));
    assert!(message.contains("not allowed with `context`"), "{message}");
    let (_, field, _) = located(
        "operations:\n  - url: https://ops.example.com\n    username: a\n    token: env:T\n",
    );
    assert_eq!(field, "operations[0].token");
    let (line, field, message) =
        located("operations:\n  - url: https://ops.example.com\n    username: a\n");
    assert_eq!(field, "operations[0].password");
    assert!(message.contains("required"), "{message}");
    assert!(line.is_some());
}

#[test]
fn realm_errors_name_file_line_and_field() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "    taskTimeout: soon\n",
            "operations[0].taskTimeout",
            "not a duration",
        ),
        (
            "    realms:\n      - realm: EMEA\n      - realm: emea\n",
            "operations[0].realms[1].realm",
            "named twice",
        ),
        (
            "    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          oidc:\n            discoveryEndpoint: http://idp.example.com\n            clientId: c\n            clientSecret: env:S\n          directories: [{name: d, domains: [example.com]}]\n",
            "operations[0].realms[0].identityProvider.oidc.discoveryEndpoint",
            "https://",
        ),
        (
            "    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          directories: [{name: d, domains: [example.com]}]\n",
            "operations[0].realms[0].identityProvider.oidc",
            "`oidc` or `saml` is required",
        ),
        (
            "    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          provisioning: LDAP\n          oidc: {discoveryEndpoint: 'https://i.example.com', clientId: c, clientSecret: 'env:S'}\n          directories: [{name: d, domains: [example.com]}]\n",
            "operations[0].realms[0].identityProvider.provisioning",
            "use SCIM or JIT",
        ),
        (
            "    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          oidc: {discoveryEndpoint: 'https://i.example.com', clientId: c, clientSecret: 'env:S'}\n          directories: [{name: d, domains: [example.com], defaultDomain: other.com}]\n",
            "operations[0].realms[0].identityProvider.directories[0].defaultDomain",
            "not one of `domains`",
        ),
        (
            "    realms:\n      - realm: EMEA\n        roleAssignments:\n          - {group: g, role: vcf_operator, scope: VCF_INSTANCE}\n",
            "operations[0].realms[0].roleAssignments[0].resources",
            "at least one VCF instance",
        ),
        (
            "    realms:\n      - realm: EMEA\n        roleAssignments:\n          - {group: g, role: r}\n          - {group: G, role: r, scope: sso_realm}\n",
            "operations[0].realms[0].roleAssignments[1].role",
            "twice",
        ),
        (
            "    realms:\n      - realm: EMEA\n        roleAssignments:\n          - {group: g, role: r, scope: WORLD}\n",
            "operations[0].realms[0].roleAssignments[0].scope",
            "use SSO_REALM or VCF_INSTANCE",
        ),
    ];
    for (tail, expected_field, expected_message) in cases {
        let text = format!("{HEAD}{tail}");
        let (line, field, message) = located(&text);
        assert_eq!(field, *expected_field, "{text}");
        assert!(message.contains(expected_message), "{field}: {message}");
        let line = line.unwrap();
        assert!(line > 5, "{field} at line {line}");
    }
    // The whole text: FILE:LINE:COL.
    let err = read(&format!("{HEAD}    taskTimeout: soon\n")).unwrap_err();
    assert!(err.to_string().starts_with("fleet.yaml:6:"), "{err}");
}

#[test]
fn names_are_unique_across_targets_brokers_and_operations() {
    let text = "targets:\n  - name: site\n    url: https://a.example.com\n    token: env:T\noperations:\n  - name: SITE\n    url: https://ops.example.com\n    token: env:T\n";
    let (line, field, message) = located(text);
    assert_eq!(field, "operations[0].name");
    assert_eq!(line, Some(6));
    assert!(message.contains("is used by"), "{message}");
}

#[test]
fn literal_secrets_are_refused_unless_allowed_and_never_shown() {
    let text = "operations:\n  - url: https://ops.example.com\n    token: literal-ops-token\n";
    let (_, field, message) = located(text);
    assert_eq!(field, "operations[0].token");
    assert!(!message.contains("literal-ops-token"));
    let text = format!(
        "{HEAD}    realms:\n      - realm: EMEA\n        identityProvider:\n          name: okta\n          type: OKTA\n          oidc: {{discoveryEndpoint: 'https://i.example.com', clientId: c, clientSecret: literal-oidc-secret}}\n          directories: [{{name: d, domains: [example.com]}}]\n"
    );
    let err = read(&text).unwrap_err();
    assert!(
        err.to_string()
            .contains("operations[0].realms[0].identityProvider.oidc.clientSecret"),
        "{err}"
    );
    assert!(!err.to_string().contains("literal-oidc-secret"));
    let doc = Document::from_text(
        &text,
        "f.yaml",
        false,
        LoadOptions::default().allow_literal_secrets(true),
    )
    .unwrap();
    assert!(!format!("{doc:?}").contains("literal-oidc-secret"));
}

#[test]
fn the_schema_describes_operations_targets() {
    let schema = serde_json::to_string(&idp_config::document_schema()).unwrap();
    for name in [
        "OperationsTarget",
        "RealmState",
        "taskTimeout",
        "roleAssignments",
    ] {
        assert!(schema.contains(name), "{name}");
    }
}

mod against_the_simulator {
    use idp_client::Secret;
    use idp_client::vcf_ops::Client as OpsClient;
    use idp_config::{
        Document, GroupRole, OperationsTarget, Options, Outcome, Plan, RealmDirectory,
        RealmIdentityProvider, RealmOidc, RealmSaml, RealmState, SamlAttributeMapping, SecretRef,
        TargetKind,
    };
    use idp_sim::{Profile, SimConfig, Simulator};
    use idp_testkit::{fast_config, fast_retries, start_sim};

    const OIDC_SECRET: &str = "realm-oidc-client-secret-Zq81";
    const DISCOVERY: &str = "https://example.okta.com/.well-known/openid-configuration";

    async fn ops_sim() -> Simulator {
        start_sim(SimConfig::builder().profile(Profile::Vcf91)).await
    }

    fn target(sim: &Simulator, realms: Vec<RealmState>) -> OperationsTarget {
        OperationsTarget::with_credentials(
            "fleet",
            sim.vcf_ops().url(),
            sim.vcf_ops().username(),
            SecretRef::Literal(Secret::new(sim.vcf_ops().password())),
        )
        .task_timeout("30s")
        .realms(realms)
    }

    fn document(sim: &Simulator, realms: Vec<RealmState>) -> Document {
        Document::new(Vec::new(), None).with_operations(vec![target(sim, realms)])
    }

    fn oidc_provider(discovery: &str) -> RealmIdentityProvider {
        RealmIdentityProvider::oidc(
            "okta",
            "OKTA",
            RealmOidc::new(
                discovery,
                "0oa1realm",
                SecretRef::Literal(Secret::new(OIDC_SECRET)),
            ),
            vec![
                RealmDirectory::new("okta-directory", vec!["example.com".into()])
                    .default_domain("example.com"),
            ],
        )
    }

    fn options() -> Options {
        Options::default().retry_policy(fast_retries())
    }

    async fn plan(doc: &Document, options: &Options) -> Plan {
        let plan = idp_config::plan(doc, options).await.unwrap();
        assert!(!plan.has_errors(), "{plan:?}");
        plan
    }

    fn actions(plan: &Plan) -> Vec<String> {
        plan.targets
            .iter()
            .flat_map(|t| &t.changes)
            .map(|c| format!("{} {} {}", c.action, c.object, c.name))
            .collect()
    }

    fn writes(sim: &Simulator) -> Vec<String> {
        sim.requests()
            .into_iter()
            .filter(|r| {
                r.method != "GET" && !r.path.contains("/query") && !r.path.contains("/auth/token")
            })
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    fn admin(sim: &Simulator) -> OpsClient {
        OpsClient::builder(sim.vcf_ops().url())
            .credentials(
                sim.vcf_ops().username(),
                Secret::new(sim.vcf_ops().password()),
            )
            .config(&fast_config())
            .build()
            .unwrap()
    }

    #[tokio::test]
    async fn plans_applies_and_plans_no_changes() {
        let sim = ops_sim().await;
        let realm = sim.vcf_ops().realm_id();
        let opts = options();
        let state = RealmState::new(realm.clone())
            .identity_provider(oidc_provider(DISCOVERY))
            .role_assignments(vec![GroupRole::realm_wide(
                "vcf-admins",
                "vcf_administrator",
            )]);
        let doc = document(&sim, vec![state]);

        let first = plan(&doc, &opts).await;
        assert_eq!(first.targets[0].kind, TargetKind::Operations);
        let names = actions(&first);
        assert_eq!(names.len(), 2, "{names:?}");
        assert!(
            names[0].starts_with("create realmIdentityProvider "),
            "{names:?}"
        );
        assert!(
            names[1].starts_with("create realmGroupRoles ") && names[1].ends_with("/vcf-admins")
        );
        assert_eq!(first.targets[0].changes[0].secrets, ["oidc.clientSecret"]);
        let json = serde_json::to_string(&first).unwrap();
        assert!(!json.contains(OIDC_SECRET) && !json.contains(&sim.vcf_ops().password()));
        assert!(json.contains("\"kind\":\"operations\""), "{json}");

        assert_eq!(
            sim.vcf_ops().ops_token_count(),
            0,
            "the plan released its OpsToken"
        );
        let report = idp_config::apply(&first, &opts).await;
        assert!(report.is_success(), "{report:?}");
        assert_eq!(report.targets[0].outcome, Outcome::Applied);
        assert_eq!(sim.vcf_ops().ops_token_count(), 0, "and so did the apply");
        assert_eq!(sim.vcf_ops().identity_provider_ids().len(), 1);
        let group = sim.vcf_ops().group_id(&realm, "vcf-admins").unwrap();
        assert_eq!(
            sim.vcf_ops().role_names(&realm, &group),
            ["vcf_administrator"]
        );
        let provider = admin(&sim)
            .get_identity_provider(&sim.vcf_ops().identity_provider_ids()[0])
            .await
            .unwrap();
        assert_eq!(provider.directories[0].name, "okta-directory");

        // Planned again: nothing; applied again: nothing written.
        let again = plan(&doc, &opts).await;
        assert!(!again.has_changes(), "{:?}", actions(&again));
        sim.clear_requests();
        let report = idp_config::apply(&again, &opts).await;
        assert_eq!(report.targets[0].outcome, Outcome::Unchanged);
        assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));
    }

    #[tokio::test]
    async fn an_update_needs_update_secrets_and_roles_are_set_and_pruned() {
        let sim = ops_sim().await;
        let realm = sim.vcf_ops().realm_id();
        let opts = options();
        let first = document(
            &sim,
            vec![
                RealmState::new(realm.clone())
                    .identity_provider(oidc_provider(DISCOVERY))
                    .role_assignments(vec![
                        GroupRole::realm_wide("vcf-admins", "vcf_administrator"),
                        GroupRole::realm_wide("vcf-viewers", "vcf_viewer"),
                    ]),
            ],
        );
        assert!(
            idp_config::apply(&plan(&first, &opts).await, &opts)
                .await
                .is_success()
        );

        // Another discovery endpoint: an update that resends the secret.
        let other = "https://sso2.example.com/.well-known/openid-configuration";
        let changed = document(
            &sim,
            vec![
                RealmState::new(realm.clone())
                    .identity_provider(oidc_provider(other))
                    .role_assignments(vec![GroupRole::realm_wide("vcf-admins", "vcf_operator")])
                    .prune_role_assignments(true),
            ],
        );
        let update = plan(&changed, &opts).await;
        let names = actions(&update);
        assert!(
            names[0].starts_with("update realmIdentityProvider"),
            "{names:?}"
        );
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("update realmGroupRoles") && n.ends_with("/vcf-admins")),
            "{names:?}"
        );
        assert!(
            names
                .iter()
                .any(|n| n.starts_with("delete realmGroupRoles") && n.ends_with("/vcf-viewers")),
            "{names:?}"
        );
        let field = &update.targets[0].changes[0].fields[0];
        assert_eq!(field.field, "oidc.discoveryEndpoint");
        assert_eq!(update.unpermitted(&opts).len(), 1);
        sim.clear_requests();
        let refused = idp_config::apply(&update, &opts).await;
        assert!(!refused.is_success());
        assert!(writes(&sim).is_empty(), "nothing sent: {:?}", writes(&sim));

        let opts = options().update_secrets(true);
        let update = plan(&changed, &opts).await;
        let report = idp_config::apply(&update, &opts).await;
        assert!(report.is_success(), "{report:?}");
        let admins = sim.vcf_ops().group_id(&realm, "vcf-admins").unwrap();
        let viewers = sim.vcf_ops().group_id(&realm, "vcf-viewers").unwrap();
        assert_eq!(sim.vcf_ops().role_names(&realm, &admins), ["vcf_operator"]);
        assert!(sim.vcf_ops().role_names(&realm, &viewers).is_empty());
        // With --update-secrets the provider is resent each time; without,
        // the plan is empty.
        assert!(!plan(&changed, &options()).await.has_changes());
    }

    #[tokio::test]
    async fn a_protocol_change_is_a_replace_whose_task_is_awaited() {
        let sim = ops_sim().await;
        let realm = sim.vcf_ops().realm_id();
        let opts = options();
        let oidc = document(
            &sim,
            vec![RealmState::new(realm.clone()).identity_provider(oidc_provider(DISCOVERY))],
        );
        assert!(
            idp_config::apply(&plan(&oidc, &opts).await, &opts)
                .await
                .is_success()
        );
        let before = sim.vcf_ops().identity_provider_ids();

        let saml = RealmIdentityProvider::saml(
            "okta",
            "OKTA",
            RealmSaml::new(
                "https://example.okta.com/app/saml/metadata",
                vec![SamlAttributeMapping::new("email", "email")],
            ),
            vec![RealmDirectory::new(
                "okta-directory",
                vec!["example.com".into()],
            )],
        );
        let doc = document(
            &sim,
            vec![RealmState::new(realm.clone()).identity_provider(saml)],
        );
        let replace = plan(&doc, &opts).await;
        assert!(actions(&replace)[0].starts_with("replace realmIdentityProvider"));
        assert!(replace.has_replace());
        assert!(!idp_config::apply(&replace, &opts).await.is_success());
        assert_eq!(
            sim.vcf_ops().identity_provider_ids(),
            before,
            "nothing sent without allow_replace"
        );

        // A FAILED task stops the target before the create.
        let allowed = options().allow_replace(true);
        sim.vcf_ops().fail_next_task("IDP_IN_USE", "in use");
        let report = idp_config::apply(&plan(&doc, &allowed).await, &allowed).await;
        assert_eq!(report.targets[0].outcome, Outcome::Failed, "{report:?}");
        assert_eq!(sim.vcf_ops().identity_provider_ids(), before);

        let report = idp_config::apply(&plan(&doc, &allowed).await, &allowed).await;
        assert!(report.is_success(), "{report:?}");
        assert_ne!(sim.vcf_ops().identity_provider_ids(), before);
        assert!(!plan(&doc, &allowed).await.has_changes());
    }

    #[tokio::test]
    async fn an_unknown_realm_or_group_is_that_targets_error() {
        let sim = ops_sim().await;
        let realm = sim.vcf_ops().realm_id();
        let doc = document(&sim, vec![RealmState::new("no-such-realm")]);
        let plan = idp_config::plan(&doc, &options()).await.unwrap();
        let error = plan.targets[0].error.as_ref().unwrap();
        assert!(error.message.contains("no-such-realm"), "{}", error.message);
        let doc = document(
            &sim,
            vec![
                RealmState::new(realm).role_assignments(vec![GroupRole::realm_wide("nobody", "r")]),
            ],
        );
        let plan = idp_config::plan(&doc, &options()).await.unwrap();
        let error = plan.targets[0].error.as_ref().unwrap();
        assert!(error.message.contains("nobody"), "{}", error.message);
    }
}
