//! Broker targets: plan and apply directories and OIDC identity providers
//! against the simulator's broker; errors of the `brokers` and `broker`
//! fields with file, line and field.

use std::sync::Arc;

use idp_client::{BrokerClient, Secret, VcfClient};
use idp_config::{
    BrokerDirectoryConfig, BrokerIdpConfig, BrokerState, BrokerTarget, ContextResolver, Document,
    Error, LoadOptions, Options, Outcome, Plan, SecretRef, TargetKind,
};
use idp_sim::{SimConfig, Simulator};
use idp_testkit::{fast_config, fast_retries, start_sim};

const IDP_SECRET: &str = "idp-client-secret-value";

fn broker_target(sim: &Simulator) -> BrokerTarget {
    BrokerTarget::with_oauth_client(
        "vc01",
        sim.broker().url(),
        sim.broker().client_id(),
        SecretRef::Literal(Secret::new(sim.broker().client_secret())),
    )
    .tenant(sim.broker().tenant())
}

fn directory(name: &str, domains: &[&str]) -> BrokerDirectoryConfig {
    BrokerDirectoryConfig::new(name, domains.iter().map(|d| (*d).to_owned()).collect())
        .default_domain(domains[0])
        .source("OKTA")
        .kind("PROVISIONED")
}

fn idp(name: &str, directories: &[&str], url: &str) -> BrokerIdpConfig {
    BrokerIdpConfig::new(
        name,
        directories.iter().map(|d| (*d).to_owned()).collect(),
        url,
        "oidc-client-1",
        SecretRef::Literal(Secret::new(IDP_SECRET)),
    )
}

const DISCOVERY: &str = "https://sso.example.com/.well-known/openid-configuration";

fn document(target: BrokerTarget, state: BrokerState) -> Document {
    Document::new(Vec::new(), None).with_brokers(vec![target], Some(state))
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

/// The broker requests that change state (token requests excluded).
fn writes(sim: &Simulator) -> Vec<String> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method != "GET" && r.path.contains("/broker/"))
        .map(|r| format!("{} {}", r.method, r.path))
        .collect()
}

fn admin(sim: &Simulator) -> BrokerClient {
    BrokerClient::builder(sim.broker().url())
        .tenant(sim.broker().tenant())
        .oauth_client(sim.broker().client_id(), sim.broker().client_secret())
        .config(&fast_config())
        .build()
        .unwrap()
}

#[tokio::test]
async fn plan_apply_replan_update_and_prune() {
    let sim = start_sim(SimConfig::builder()).await;
    let opts = options();
    let state = BrokerState::new(
        vec![
            directory("corp", &["corp.example.com"]),
            directory("lab", &["lab.example.com"]),
        ],
        vec![idp("okta", &["corp", "lab"], DISCOVERY)],
    );
    let doc = document(broker_target(&sim), state);

    // On an empty broker: directories first, then the provider naming them.
    let first = plan(&doc, &opts).await;
    assert_eq!(first.targets[0].kind, TargetKind::Broker);
    assert_eq!(
        actions(&first),
        [
            "create brokerDirectory corp",
            "create brokerDirectory lab",
            "create brokerIdentityProvider okta"
        ]
    );
    let create = &first.targets[0].changes[2];
    assert_eq!(create.secrets, ["identityProviders[okta].clientSecret"]);
    let fields: Vec<&str> = first.targets[0].changes[0]
        .fields
        .iter()
        .map(|f| f.field.as_str())
        .collect();
    assert_eq!(fields, ["domains", "defaultDomain", "source", "type"]);
    let json = serde_json::to_string(&first).unwrap();
    assert!(!json.contains(IDP_SECRET) && !json.contains(&sim.broker().client_secret()));
    assert!(json.contains("\"kind\":\"broker\""), "{json}");

    // Apply, then a re-plan is empty and its apply writes nothing.
    let report = idp_config::apply(&first, &opts).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(report.targets[0].outcome, Outcome::Applied);
    assert_eq!(report.targets[0].done.len(), 3);
    let client = admin(&sim);
    let directories = client.list_directories().await.unwrap();
    assert_eq!(directories.len(), 2);
    let providers = client.list_identity_providers().await.unwrap();
    assert_eq!(providers.len(), 1);
    assert_eq!(providers[0].directory_ids.len(), 2);
    let again = plan(&doc, &opts).await;
    assert!(!again.has_changes(), "{again:?}");
    sim.clear_requests();
    let report = idp_config::apply(&again, &opts).await;
    assert_eq!(report.targets[0].outcome, Outcome::Unchanged);
    assert!(writes(&sim).is_empty(), "{:?}", writes(&sim));

    // Update: another domain, another discovery URL, one directory less.
    let changed = BrokerState::new(
        vec![
            directory("corp", &["corp.example.com", "example.org"]),
            directory("lab", &["lab.example.com"]),
        ],
        vec![idp(
            "okta",
            &["corp"],
            "https://sso2.example.com/.well-known/openid-configuration",
        )],
    );
    let doc = document(broker_target(&sim), changed);
    let update = plan(&doc, &opts).await;
    assert_eq!(
        actions(&update),
        [
            "update brokerDirectory corp",
            "update brokerIdentityProvider okta"
        ]
    );
    let diff: Vec<(String, String, String)> = update.targets[0]
        .changes
        .iter()
        .flat_map(|c| {
            c.fields
                .iter()
                .map(|f| (f.field.clone(), f.from.to_string(), f.to.to_string()))
        })
        .collect();
    assert_eq!(
        diff,
        [
            (
                "domains".to_owned(),
                r#"["corp.example.com"]"#.to_owned(),
                r#"["corp.example.com","example.org"]"#.to_owned()
            ),
            (
                "directories".to_owned(),
                r#"["corp","lab"]"#.to_owned(),
                r#"["corp"]"#.to_owned()
            ),
            (
                "configurationUrl".to_owned(),
                format!("\"{DISCOVERY}\""),
                "\"https://sso2.example.com/.well-known/openid-configuration\"".to_owned()
            ),
        ]
    );
    // The broker keeps a secret it is not sent: no permission needed, no
    // secret sent without update-secrets.
    assert!(
        update.targets[0]
            .changes
            .iter()
            .all(|c| c.needs.is_none() && c.secrets.is_empty())
    );
    assert!(update.unpermitted(&opts).is_empty());
    sim.clear_requests();
    let report = idp_config::apply(&update, &opts).await;
    assert!(report.is_success(), "{report:?}");
    let without_secret = patch_sizes(&sim);
    assert!(!plan(&doc, &opts).await.has_changes());
    let okta = client
        .get_identity_provider(&providers[0].id)
        .await
        .unwrap();
    assert_eq!(okta.directories.len(), 1);

    // With update-secrets, the unchanged provider is updated to push its
    // secret (and only it: directories have no secret).
    let push = plan(&doc, &opts.clone().update_secrets(true)).await;
    assert_eq!(actions(&push), ["update brokerIdentityProvider okta"]);
    assert!(push.targets[0].changes[0].fields.is_empty());
    assert_eq!(
        push.targets[0].changes[0].secrets,
        ["identityProviders[okta].clientSecret"]
    );
    sim.clear_requests();
    assert!(
        idp_config::apply(&push, &opts.clone().update_secrets(true))
            .await
            .is_success()
    );
    let with_secret = patch_sizes(&sim);
    assert_eq!(with_secret.len(), 1);
    assert!(
        with_secret[0] >= without_secret.iter().max().copied().unwrap_or(0) + IDP_SECRET.len(),
        "{with_secret:?} {without_secret:?}"
    );

    // Without prune, what the document leaves out stays.
    let fewer = BrokerState::new(
        vec![directory("corp", &["corp.example.com", "example.org"])],
        Vec::new(),
    );
    let doc = document(broker_target(&sim), fewer.clone());
    assert!(!plan(&doc, &opts).await.has_changes());

    // Prune: the provider goes before the directory it served.
    let doc = document(
        broker_target(&sim),
        fewer.prune_directories(true).prune_identity_providers(true),
    );
    let prune = plan(&doc, &opts).await;
    assert_eq!(
        actions(&prune),
        [
            "delete brokerIdentityProvider okta",
            "delete brokerDirectory lab"
        ]
    );
    sim.clear_requests();
    let report = idp_config::apply(&prune, &opts).await;
    assert!(report.is_success(), "{report:?}");
    assert_eq!(writes(&sim).len(), 2, "{:?}", writes(&sim));
    assert!(writes(&sim)[0].contains("/identity-providers/"));
    assert_eq!(sim.broker().directory_count(), 1);
    assert!(client.list_identity_providers().await.unwrap().is_empty());
    assert!(!plan(&doc, &opts).await.has_changes());
}

/// The body sizes of the broker's identity provider PATCH requests.
fn patch_sizes(sim: &Simulator) -> Vec<usize> {
    sim.requests()
        .into_iter()
        .filter(|r| r.method == "PATCH" && r.path.contains("/identity-providers/"))
        .map(|r| r.body_len)
        .collect()
}

#[tokio::test]
async fn a_provider_naming_an_unknown_directory_is_a_target_error() {
    let sim = start_sim(SimConfig::builder()).await;
    let doc = document(
        broker_target(&sim),
        BrokerState::new(Vec::new(), vec![idp("okta", &["nowhere"], DISCOVERY)]),
    );
    let plan = idp_config::plan(&doc, &options()).await.unwrap();
    let error = plan.targets[0].error.as_ref().unwrap();
    assert!(
        error.usage && error.message.contains("nowhere"),
        "{error:?}"
    );
    sim.clear_requests();
    let report = idp_config::apply(&plan, &options()).await;
    assert_eq!(report.targets[0].outcome, Outcome::Failed);
    assert!(writes(&sim).is_empty());
}

/// Resolves broker contexts to the simulator's admin OAuth client.
struct Contexts {
    url: String,
    tenant: String,
    client_id: String,
    secret: String,
}

impl ContextResolver for Contexts {
    fn client(&self, name: &str) -> Result<VcfClient, Error> {
        Err(Error::Usage(format!("no VCF context {name}")))
    }

    fn broker_client(&self, name: &str) -> Result<BrokerClient, Error> {
        if name != "lab" {
            return Err(Error::Usage(format!("no context {name}")));
        }
        Ok(BrokerClient::builder(&self.url)
            .tenant(&self.tenant)
            .oauth_client(&self.client_id, self.secret.clone())
            .config(&fast_config())
            .build()?)
    }
}

#[tokio::test]
async fn context_brokers_need_a_resolver_with_broker_settings() {
    let sim = start_sim(SimConfig::builder()).await;
    let state = BrokerState::new(vec![directory("corp", &["corp.example.com"])], Vec::new());
    let doc = document(BrokerTarget::with_context("lab"), state);
    let opts = options();

    let without = idp_config::plan(&doc, &opts).await.unwrap();
    let error = without.targets[0].error.as_ref().unwrap();
    assert!(error.message.contains("brokers[0].context"), "{error:?}");

    let resolver = Arc::new(Contexts {
        url: sim.broker().url(),
        tenant: sim.broker().tenant().to_owned(),
        client_id: sim.broker().client_id().to_owned(),
        secret: sim.broker().client_secret(),
    });
    let opts = opts.resolver(resolver);
    let with = plan(&doc, &opts).await;
    assert_eq!(with.targets[0].target, "lab");
    assert_eq!(actions(&with), ["create brokerDirectory corp"]);
    assert!(idp_config::apply(&with, &opts).await.is_success());
    assert_eq!(sim.broker().directory_count(), 1);
    assert!(!plan(&doc, &opts).await.has_changes());
    // Selecting by name works across targets and brokers.
    let only = idp_config::plan(&doc, &opts.clone().targets(vec!["LAB".into()]))
        .await
        .unwrap();
    assert_eq!(only.targets.len(), 1);
    assert!(
        idp_config::plan(&doc, &opts.targets(vec!["elsewhere".into()]))
            .await
            .is_err()
    );
}

#[test]
fn the_broker_example_parses() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/broker.yaml");
    let doc = Document::from_file(&path, LoadOptions::default()).unwrap();
    assert_eq!(doc.brokers.len(), 2);
    assert_eq!(doc.brokers[1].display_name(), "lab-broker");
    let state = doc.broker.as_ref().unwrap();
    assert_eq!(state.directories.as_ref().unwrap().len(), 1);
    assert_eq!(
        state.identity_providers.as_ref().unwrap()[0].client_secret,
        SecretRef::Env("OKTA_OIDC_CLIENT_SECRET".into())
    );
}

/// Every rule of the new fields names the file, the line and the field, in
/// YAML and in JSON.
#[test]
fn broker_errors_name_file_line_and_field() {
    const OK: &str = "brokers:\n  - name: vc\n    url: https://vc.example.com\n    clientId: c\n    clientSecret: env:S\n";
    let state = |body: &str| format!("{OK}broker:\n{body}");
    // (document, YAML line, field, part of the message)
    let cases: Vec<(String, usize, &str, &str)> = vec![
        (
            "brokers:\n  - name: vc\n    url: https://vc.example.com\n".into(),
            2,
            "brokers[0].vcenterUsername",
            "are required",
        ),
        (
            format!("{OK}    token: env:T\n"),
            6,
            "brokers[0].token",
            "one kind of credentials",
        ),
        (
            "brokers:\n  - name: vc\n    url: https://vc.example.com\n    vcenterUsername: u\n".into(),
            2,
            "brokers[0].vcenterPassword",
            "is required with",
        ),
        (
            "brokers:\n  - name: vc\n    url: https://vc.example.com\n    clientId: c\n    clientSecret: literal-value\n".into(),
            5,
            "brokers[0].clientSecret",
            "literal secret",
        ),
        (
            format!("{OK}    tenant: 'a/b'\n"),
            6,
            "brokers[0].tenant",
            "letters, digits",
        ),
        (
            "brokers:\n  - context: lab\n    token: env:T\n".into(),
            3,
            "brokers[0].token",
            "not allowed with `context`",
        ),
        (
            "targets:\n  - name: vc\n    url: https://a.example.com\n    token: env:T\nbrokers:\n  - name: VC\n    url: https://vc.example.com\n    token: env:T\n".into(),
            6,
            "brokers[0].name",
            "used by another target",
        ),
        (
            state("  directories:\n    - name: d\n      domains: [a.example.com]\n      defaultDomain: b.example.com\n"),
            10,
            "broker.directories[0].defaultDomain",
            "not one of",
        ),
        (
            state("  directories:\n    - name: d\n      domains: [a.example.com]\n      type: SCIM\n"),
            10,
            "broker.directories[0].type",
            "PROVISIONED or JIT",
        ),
        (
            state("  directories:\n    - { name: d, domains: [a.example.com] }\n    - { name: D, domains: [b.example.com] }\n"),
            9,
            "broker.directories[1].name",
            "named twice",
        ),
        (
            state("  identityProviders:\n    - name: okta\n      directories: [d]\n      configurationUrl: http://sso.example.com/x\n      clientId: c\n      clientSecret: env:X\n"),
            10,
            "broker.identityProviders[0].configurationUrl",
            "https://",
        ),
        (
            state("  identityProviders:\n    - name: okta\n      directories: []\n      configurationUrl: https://sso.example.com/x\n      clientId: c\n      clientSecret: env:X\n"),
            9,
            "broker.identityProviders[0].directories",
            "at least one directory",
        ),
        (
            format!("{OK}    broker:\n      identityProviders:\n        - name: okta\n          directories: [d]\n          configurationUrl: https://sso.example.com/x\n          clientId: c\n          clientSecret: secret-literal-value\n"),
            12,
            "brokers[0].broker.identityProviders[0].clientSecret",
            "literal secret",
        ),
        // Parse errors too.
        (
            state("  pruneDirectorys: true\n"),
            7,
            "broker",
            "pruneDirectorys",
        ),
    ];
    for (text, line, field, message) in cases {
        crate::document::assert_located(&text, "broker", line, field, message);
    }
}

#[test]
fn the_schema_describes_brokers() {
    let schema = serde_json::to_string(&idp_config::document_schema()).unwrap();
    for field in [
        "brokers",
        "vcenterUsername",
        "identityProviders",
        "configurationUrl",
        "pruneDirectories",
        "pruneIdentityProviders",
    ] {
        assert!(schema.contains(field), "{field} missing");
    }
}

/// The two other logins of a document broker, as file references: a
/// vCenter user (the client reads the tenant's admin token from vCenter)
/// and a token the caller brings.
#[tokio::test]
async fn vcenter_user_and_token_logins_plan_and_apply() {
    let sim = start_sim(SimConfig::builder()).await;
    let dir = tempfile::tempdir().unwrap();
    let password = dir.path().join("vc-password");
    std::fs::write(&password, format!("{}\n", sim.vcf().password())).unwrap();
    let token = dir.path().join("broker-token");
    std::fs::write(&token, idp_testkit::broker_admin_token(&sim).await).unwrap();
    let state = "broker:\n  directories:\n    - name: corp\n      domains: [corp.example.com]\n";
    let login = |credentials: String| {
        let path = dir.path().join("broker.yaml");
        let text = format!(
            "brokers:\n  - name: vc\n    url: {}\n    tenant: {}\n{credentials}{state}",
            sim.broker().url(),
            sim.broker().tenant()
        );
        std::fs::write(&path, text).unwrap();
        Document::from_file(&path, LoadOptions::default()).unwrap()
    };
    let opts = options();
    let sessions = |sim: &Simulator| {
        sim.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path == "/api/session")
            .count()
    };

    let by_vcenter = login(format!(
        "    vcenterUsername: {}\n    vcenterPassword: file:{}\n",
        sim.vcf().username(),
        password.display()
    ));
    let first = plan(&by_vcenter, &opts).await;
    assert_eq!(actions(&first), ["create brokerDirectory corp"]);
    assert!(idp_config::apply(&first, &opts).await.is_success());
    assert_eq!(sim.broker().directory_count(), 1);
    assert!(sessions(&sim) >= 1, "the vCenter login opened a session");

    let before = sessions(&sim);
    let by_token = login(format!("    token: file:{}\n", token.display()));
    let again = plan(&by_token, &opts).await;
    assert!(!again.has_changes(), "{again:?}");
    assert_eq!(
        sessions(&sim),
        before,
        "a token login needs no vCenter session"
    );
    let bearer_reads = sim
        .requests()
        .into_iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/broker/directories"))
        .count();
    assert!(bearer_reads >= 2, "both logins read the directories");

    // A wrong vCenter password is that broker's error, not a panic.
    std::fs::write(&password, "not-the-password\n").unwrap();
    let refused = idp_config::plan(&by_vcenter, &opts).await.unwrap();
    assert!(refused.has_errors(), "{refused:?}");
}
