//! Load: 2,000 mixed operations from 64 concurrent tasks through one shared
//! client of each kind, every access token expired half-way through. No
//! update may be lost, exactly one token of each kind may remain valid, no
//! 5xx may appear, one refresh must serve every caller, and the simulator
//! must still answer afterwards. Counts are asserted, never timings.

use std::collections::{BTreeSet, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use idp_client::{
    ClientConfig, Error, RetryPolicy, RootCertificates, Secret, UnleashClient, VcfClient,
};
use idp_sim::{SimConfig, Simulator};
use idp_testkit::{ad_source_builder, okta_spec, start_sim};

const TASKS: usize = 64;
const OPERATIONS: usize = 2_000;

/// One task's operations, repeated: a source is added, updated and deleted
/// in each round, so a task cut short in its last round leaves exactly the
/// source of that round behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    AddSource,
    UpdateSource,
    List,
    Get,
    SyncToken,
    GetScim,
    SetScim,
    Prechecks,
    ScimToken,
    DeleteSource,
}

const ROUND: [Step; 10] = [
    Step::AddSource,
    Step::UpdateSource,
    Step::List,
    Step::Get,
    Step::SyncToken,
    Step::GetScim,
    Step::SetScim,
    Step::Prechecks,
    Step::ScimToken,
    Step::DeleteSource,
];

fn source(domain: &str, endpoint: &str) -> idp_client::IdentitySourceSpec {
    ad_source_builder(domain)
        .server_endpoint(endpoint)
        .build()
        .unwrap()
}

struct Shared {
    sim: Simulator,
    vcf: VcfClient,
    unleash: UnleashClient,
    embedded: String,
    external: String,
    done: AtomicUsize,
    sync_tokens: Mutex<Vec<String>>,
    scim_tokens: Mutex<Vec<String>>,
}

impl Shared {
    /// Counts one finished operation; the one that completes half of them
    /// expires every access token.
    fn finished(&self) {
        if self.done.fetch_add(1, Ordering::SeqCst) + 1 == OPERATIONS / 2 {
            self.sim.expire_access_tokens();
        }
    }
}

/// What a task expects to remain: its last source's domain and endpoint.
async fn run_task(shared: Arc<Shared>, task: usize, operations: usize) -> Vec<(String, String)> {
    let mut left = Vec::new();
    for n in 0..operations {
        let round = n / ROUND.len();
        let domain = format!("t{task}-r{round}.load.example.com");
        let endpoint = format!("ldap://dc{round}.t{task}.example.com");
        let updated = format!("ldap://dc{round}-updated.t{task}.example.com");
        let step = ROUND[n % ROUND.len()];
        let label = format!("task {task}, operation {n}: {step:?}");
        let vcf = &shared.vcf;
        let result: Result<(), Error> = match step {
            Step::AddSource => {
                let r = vcf
                    .add_embedded_identity_source(&shared.embedded, &source(&domain, &endpoint))
                    .await;
                left = vec![(domain.clone(), endpoint.clone())];
                r
            }
            Step::UpdateSource => {
                let r = vcf
                    .update_embedded_identity_source(
                        &shared.embedded,
                        &domain,
                        &source(&domain, &updated),
                    )
                    .await;
                left = vec![(domain.clone(), updated.clone())];
                r
            }
            Step::DeleteSource => {
                let r = vcf.delete_identity_source(&shared.embedded, &domain).await;
                left.clear();
                r
            }
            Step::List => vcf.list_identity_providers().await.map(|providers| {
                // The two providers are always there, whatever else runs.
                assert_eq!(providers.len(), 2, "{label}");
            }),
            Step::Get => vcf
                .get_identity_provider(&shared.embedded)
                .await
                .map(|p| assert_eq!(p.id, shared.embedded, "{label}")),
            Step::Prechecks => vcf.identity_broker_prechecks().await.map(|_| ()),
            Step::SyncToken => vcf
                .generate_sync_client_token(&shared.external, Some(Duration::from_secs(3600)))
                .await
                .map(|t| {
                    shared
                        .sync_tokens
                        .lock()
                        .unwrap()
                        .push(t.token.expose().to_owned());
                }),
            Step::GetScim => shared.unleash.scim_settings().await.map(|_| ()),
            Step::SetScim => {
                shared
                    .unleash
                    .set_scim_settings(round.is_multiple_of(2))
                    .await
            }
            Step::ScimToken => shared.unleash.generate_scim_token().await.map(|t| {
                shared
                    .scim_tokens
                    .lock()
                    .unwrap()
                    .push(t.token.expose().to_owned());
            }),
        };
        if let Err(error) = result {
            panic!("{label}: {error:?}");
        }
        shared.finished();
    }
    left
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_thousand_concurrent_operations_lose_nothing() {
    let sim = start_sim(SimConfig::builder()).await;
    // No retries: nothing is injected, so nothing may need one.
    let vcf = VcfClient::builder(sim.vcf().url())
        .config(
            &ClientConfig::builder()
                .root_certificates(RootCertificates::Bundled)
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap(),
        )
        .credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
        .build()
        .unwrap();
    let unleash = UnleashClient::builder(sim.unleash().url())
        .config(
            &ClientConfig::builder()
                .root_certificates(RootCertificates::Bundled)
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap(),
        )
        .api_token(Secret::new(sim.unleash().api_key()))
        .build()
        .unwrap();
    let embedded = vcf.embedded_identity_provider().await.unwrap().unwrap().id;
    let external = vcf
        .add_external_identity_provider(&okta_spec())
        .await
        .unwrap();
    let domains_before: BTreeSet<String> =
        sim.vcf().identity_source_domains().into_iter().collect();
    sim.clear_requests();

    let shared = Arc::new(Shared {
        sim,
        vcf,
        unleash,
        embedded,
        external,
        done: AtomicUsize::new(0),
        sync_tokens: Mutex::new(Vec::new()),
        scim_tokens: Mutex::new(Vec::new()),
    });
    let mut tasks = tokio::task::JoinSet::new();
    for task in 0..TASKS {
        // 2,000 = 16 × 32 + 48 × 31.
        let operations = OPERATIONS / TASKS + usize::from(task < OPERATIONS % TASKS);
        tasks.spawn(run_task(Arc::clone(&shared), task, operations));
    }
    let mut left = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        left.extend(joined.unwrap());
    }
    assert_eq!(shared.done.load(Ordering::SeqCst), OPERATIONS);
    let sim = &shared.sim;

    // No lost update: exactly the sources the tasks left, each with its
    // last endpoint.
    assert_eq!(left.len(), TASKS);
    let expected: BTreeSet<String> = domains_before
        .iter()
        .cloned()
        .chain(left.iter().map(|(domain, _)| domain.clone()))
        .collect();
    let domains: Vec<String> = sim.vcf().identity_source_domains();
    assert_eq!(domains.len(), expected.len(), "no duplicates");
    assert_eq!(domains.into_iter().collect::<BTreeSet<_>>(), expected);
    let embedded = shared
        .vcf
        .get_identity_provider(&shared.embedded)
        .await
        .unwrap();
    for (domain, endpoint) in &left {
        let source = embedded
            .identity_sources
            .iter()
            .find(|s| s.domain_names.contains(domain))
            .unwrap();
        let endpoints = &source
            .ldap
            .as_ref()
            .unwrap()
            .source_details
            .as_ref()
            .unwrap()
            .server_endpoints;
        assert_eq!(
            endpoints.as_slice(),
            std::slice::from_ref(endpoint),
            "{domain}"
        );
    }

    // Concurrent token generations: every caller got its own token and
    // exactly one of them is still valid.
    for (tokens, current) in [
        (
            shared.sync_tokens.lock().unwrap().clone(),
            sim.vcf().sync_client_token(&shared.external),
        ),
        (
            shared.scim_tokens.lock().unwrap().clone(),
            sim.unleash().scim_token(),
        ),
    ] {
        assert_eq!(tokens.len(), 3 * TASKS);
        let distinct: HashSet<&String> = tokens.iter().collect();
        assert_eq!(distinct.len(), tokens.len(), "a token was handed out twice");
        assert!(tokens.contains(&current.unwrap()));
    }
    let settings = shared.unleash.scim_settings().await.unwrap();
    assert_eq!(settings.enabled, sim.unleash().scim_enabled());
    assert!(settings.has_token);

    // The requests: no 5xx; one per operation plus one replay per 401; one
    // login before and one refresh for every caller after the expiry.
    let requests = sim.requests();
    assert!(
        requests.iter().all(|r| r.status.is_some_and(|s| s < 500)),
        "{:?}",
        requests.iter().find(|r| r.status.is_none_or(|s| s >= 500))
    );
    let tokens: Vec<_> = requests
        .iter()
        .filter(|r| r.path.starts_with("/v1/tokens"))
        .map(|r| (r.method.as_str(), r.path.as_str()))
        .collect();
    assert_eq!(tokens, [("PATCH", "/v1/tokens/access-token/refresh")]);
    let unauthorized = requests.iter().filter(|r| r.status == Some(401)).count();
    assert!((1..=TASKS).contains(&unauthorized), "{unauthorized}");
    let api = requests.len() - tokens.len();
    // The two reads just above came after the load.
    assert_eq!(api, OPERATIONS + unauthorized + 2);

    // Still responsive, state unchanged by reading it.
    let providers = shared.vcf.list_identity_providers().await.unwrap();
    assert_eq!(providers.len(), 2);
    assert_eq!(sim.vcf().identity_source_count(), expected.len());
}
