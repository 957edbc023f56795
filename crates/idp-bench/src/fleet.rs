//! `idp-bench fleet`: `idp_config::plan` over a fleet of simulated SDDC
//! Managers against the same plan over one of them.
//!
//! ```text
//! idp-bench fleet [--targets 50] [--parallel 16] [--delay-ms 20] [--rounds 7] [--json OUT]
//! ```
//!
//! - **Targets**: `--targets` simulators, each its own `idp_sim::Simulator`
//!   (own listener on its own 127.0.0.1 port, own state, own request log),
//!   all served by one tokio runtime of their own in this process. The
//!   document names each by its URL, so `idp_config::plan` builds one
//!   `VcfClient` (own connection pool, own login) per target, as against
//!   real SDDC Managers.
//! - **Latency**: every simulator delays every request (`FaultRule::new("*",
//!   "*").delay(..)`, then the real handler answers): a slow SDDC Manager.
//! - **Document**: the targets log in with a user and password (as the
//!   issue's example) and want an Okta federation and one embedded source;
//!   the simulators have neither, so every target's plan has two creates.
//! - **Measure**: per round, the plan of one target alone (`--parallel 1`),
//!   then the plan of the whole fleet (`--parallel`); one warm-up round; the
//!   medians are reported, and their ratio.
//! - **Requests per target**: after the rounds, the request logs are cleared,
//!   the fleet is planned once more, and each simulator's log is counted:
//!   GETs, and every other request by method and path.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use idp_client::Secret;
use idp_config::{
    Directory, Document, EmbeddedSource, External, ExternalProvider, ExternalType, Identity,
    LoadOptions, OidcClient, Options, SecretRef, SourceType, Target,
};
use idp_sim::{FaultRule, SimConfig, Simulator};
use serde_json::{Value, json};

use crate::runtime::runtime;

/// What `idp-bench fleet` was asked.
#[derive(Debug)]
struct FleetOptions {
    targets: usize,
    parallel: usize,
    delay: Duration,
    rounds: usize,
    json: Option<PathBuf>,
}

impl FleetOptions {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = FleetOptions {
            targets: 50,
            parallel: 16,
            delay: Duration::from_millis(20),
            rounds: 7,
            json: None,
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let count = || {
                value
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{flag}: not a positive count: {value}"))
            };
            match flag.as_str() {
                "--targets" => options.targets = count()?,
                "--parallel" => options.parallel = count()?,
                "--rounds" => options.rounds = count()?,
                "--delay-ms" => {
                    options.delay = Duration::from_millis(
                        value
                            .parse()
                            .map_err(|_| format!("--delay-ms: not a number: {value}"))?,
                    );
                }
                "--json" => options.json = Some(PathBuf::from(value)),
                other => return Err(format!("fleet: unknown option {other}")),
            }
        }
        Ok(options)
    }
}

fn document(sims: &[Simulator]) -> Result<Document, String> {
    let targets = sims
        .iter()
        .enumerate()
        .map(|(i, sim)| {
            Target::with_credentials(
                format!("sddc-{i:02}"),
                sim.vcf().url(),
                sim.vcf().username(),
                SecretRef::Literal(Secret::new(sim.vcf().password())),
            )
        })
        .collect();
    let external = ExternalProvider::broker(
        ExternalType::Okta,
        "okta",
        Directory::new("okta_dir", "example.com", vec!["example.com".to_owned()]),
        OidcClient::new(
            "0oa1bench",
            SecretRef::Env("IDP_BENCH_UNUSED_SECRET".to_owned()),
            "https://example.okta.com/.well-known/openid-configuration",
        ),
    );
    let source = EmbeddedSource::new(
        SourceType::ActiveDirectory,
        "corp",
        "corp.example.com",
        "svc@corp.example.com",
        SecretRef::Env("IDP_BENCH_UNUSED_SECRET".to_owned()),
        "ou=users,dc=corp",
        "ou=groups,dc=corp",
        vec!["ldap://dc1.corp.example.com".to_owned()],
    );
    let identity = Identity::with_external(External::Provider(Box::new(external)))
        .embedded_sources(vec![source]);
    let document = Document::new(targets, Some(identity));
    // Built in code, checked like a file (the target passwords are the
    // simulators' own, given as values).
    document
        .validate(LoadOptions::default().allow_literal_secrets(true))
        .map_err(|e| e.to_string())?;
    Ok(document)
}

/// Plans `document` and checks every target was read and has its two
/// creates; returns the wall time.
async fn timed_plan(document: &Document, options: &Options) -> Result<Duration, String> {
    let started = Instant::now();
    let plan = idp_config::plan(document, options)
        .await
        .map_err(|e| e.to_string())?;
    let elapsed = started.elapsed();
    if let Some(failed) = plan.targets.iter().find(|t| t.error.is_some()) {
        return Err(format!("{}: {:?}", failed.target, failed.error));
    }
    if plan.targets.len() != document.targets.len()
        || plan.targets.iter().any(|t| t.changes.len() != 2)
    {
        return Err(format!("unexpected plan: {plan:?}"));
    }
    Ok(elapsed)
}

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values.get(values.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The simulator's requests: GETs, and the others by `METHOD path`.
fn requests_of(sim: &Simulator) -> (usize, BTreeMap<String, usize>) {
    let mut gets = 0;
    let mut others = BTreeMap::new();
    for r in sim.requests() {
        if r.method == "GET" {
            gets += 1;
        } else {
            *others
                .entry(format!("{} {}", r.method, r.path))
                .or_insert(0) += 1;
        }
    }
    (gets, others)
}

/// Runs the fleet benchmark and prints (and with `--json` writes) its
/// figures.
pub(crate) fn run_fleet(args: &[String]) -> Result<(), String> {
    let options = FleetOptions::parse(args)?;
    // The simulators' runtime: its own worker threads, so serving them
    // never waits on the measuring runtime.
    let sims_rt = runtime()?;
    let sims = sims_rt.block_on(async {
        let mut sims = Vec::with_capacity(options.targets);
        for _ in 0..options.targets {
            let sim = Simulator::start(SimConfig::builder().build().map_err(|e| e.to_string())?)
                .await
                .map_err(|e| e.to_string())?;
            sim.faults()
                .add(FaultRule::new("*", "*").delay(options.delay));
            sims.push(sim);
        }
        Ok::<_, String>(sims)
    })?;
    let fleet_doc = document(&sims)?;
    let single_doc = document(&sims[..1])?;
    let fleet_opts = Options::default().parallel(options.parallel);
    let single_opts = Options::default().parallel(1);

    let rt = runtime()?;
    let mut single = Vec::new();
    let mut fleet = Vec::new();
    rt.block_on(async {
        for round in 0..=options.rounds {
            let one = timed_plan(&single_doc, &single_opts).await?;
            let all = timed_plan(&fleet_doc, &fleet_opts).await?;
            if round > 0 {
                single.push(one);
                fleet.push(all);
            }
        }
        for sim in &sims {
            sim.clear_requests();
        }
        timed_plan(&fleet_doc, &fleet_opts).await.map(drop)
    })?;
    let counts: Vec<(usize, BTreeMap<String, usize>)> = sims.iter().map(requests_of).collect();
    let single_ms = ms(median(single.clone()));
    let fleet_ms = ms(median(fleet.clone()));
    let ratio = if single_ms > 0.0 {
        fleet_ms / single_ms
    } else {
        0.0
    };
    let gets: Vec<usize> = counts.iter().map(|c| c.0).collect();
    let mut others: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (_, map) in &counts {
        for (request, n) in map {
            let entry = others.entry(request.clone()).or_insert((usize::MAX, 0));
            entry.0 = entry.0.min(*n);
            entry.1 = entry.1.max(*n);
        }
    }
    // The login path is the same on every simulator; paths with ids differ
    // per simulator, so a request kind seen on fewer than all targets
    // counts as 0 on the others.
    for (request, (min, _)) in &mut others {
        if counts.iter().any(|(_, map)| !map.contains_key(request)) {
            *min = 0;
        }
    }
    let report = json!({
        "targets": options.targets,
        "parallel": options.parallel,
        "delay_ms": ms(options.delay),
        "rounds": options.rounds,
        "single_ms_median": single_ms,
        "fleet_ms_median": fleet_ms,
        "single_ms": single.iter().map(|d| ms(*d)).collect::<Vec<_>>(),
        "fleet_ms": fleet.iter().map(|d| ms(*d)).collect::<Vec<_>>(),
        "fleet_over_single": ratio,
        "gets_per_target": { "min": gets.iter().min(), "max": gets.iter().max() },
        "other_requests_per_target": others
            .iter()
            .map(|(k, (min, max))| (k.clone(), json!({ "min": min, "max": max })))
            .collect::<serde_json::Map<String, Value>>(),
    });
    println!(
        "fleet plan: {} targets, --parallel {}, {} ms injected per request, {} rounds (median)",
        options.targets,
        options.parallel,
        ms(options.delay),
        options.rounds
    );
    println!("| plan | wall time (median) |");
    println!("|---|---:|");
    println!("| one target | {single_ms:.1} ms |");
    println!("| {} targets | {fleet_ms:.1} ms |", options.targets);
    println!("| ratio | {ratio:.2}x (target <= 5x) |");
    println!(
        "requests per target: GET {}..{}",
        gets.iter().min().unwrap_or(&0),
        gets.iter().max().unwrap_or(&0)
    );
    for (request, (min, max)) in &others {
        println!("requests per target: {request} {min}..{max}");
    }
    if let Some(path) = &options.json {
        let text = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    drop(rt);
    sims_rt.block_on(async {
        for sim in sims {
            sim.shutdown().await;
        }
    });
    Ok(())
}
