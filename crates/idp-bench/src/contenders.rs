//! The contenders (idp-client, raw reqwest, Python `requests`) and
//! `idp-bench load`, which measures one of them in a process of its own.

use std::future::Future;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;

use http::HeaderValue;
use http::header::{ACCEPT, AUTHORIZATION};
use idp_bench::load::{Sample, Window, drive};
use idp_client::{BrokerClient, Secret, VcfClient};
use serde_json::Value;

use crate::options::Options;
use crate::runtime::Flavor;
use crate::sim::{Op, SimProcess, Target};

async fn idp_client(op: Op, concurrency: usize, window: Window, target: &Target) -> Sample {
    match op {
        Op::List | Op::Get => vcf_client(op == Op::Get, concurrency, window, target).await,
        Op::BrokerList => broker_client(concurrency, window, target).await,
    }
}

/// `VcfClient::list_identity_providers`, or `get_identity_provider` of the
/// embedded provider, with a bearer token.
async fn vcf_client(get: bool, concurrency: usize, window: Window, target: &Target) -> Sample {
    let client = VcfClient::builder(target.url.clone())
        .bearer_token(Secret::new(target.token.clone()))
        .build();
    if get {
        let id: Arc<str> = Arc::from(target.embedded_id.as_str());
        on_client(client, concurrency, window, move |client| {
            let id = Arc::clone(&id);
            async move {
                client
                    .get_identity_provider(&id)
                    .await
                    .is_ok_and(|provider| !provider.id.is_empty())
            }
        })
        .await
    } else {
        on_client(client, concurrency, window, |client| async move {
            client
                .list_identity_providers()
                .await
                .is_ok_and(|providers| !providers.is_empty())
        })
        .await
    }
}

/// `BrokerClient::list_directories` with a bearer token (the admin token
/// as given, so no token fetch is measured).
async fn broker_client(concurrency: usize, window: Window, target: &Target) -> Sample {
    let client = BrokerClient::builder(target.url.clone())
        .tenant(target.tenant.clone())
        .bearer_token(Secret::new(target.token.clone()))
        .build();
    on_client(client, concurrency, window, |client| async move {
        client
            .list_directories()
            .await
            .is_ok_and(|directories| !directories.is_empty())
    })
    .await
}

/// Drives `call` with one client shared by every worker (a failed build
/// is a failed sample).
async fn on_client<C, F, Fut>(
    client: Result<C, idp_client::Error>,
    concurrency: usize,
    window: Window,
    call: F,
) -> Sample
where
    C: Send + Sync + 'static,
    F: Fn(Arc<C>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let client = match client {
        Ok(client) => Arc::new(client),
        Err(e) => {
            eprintln!("idp-bench: cannot build the client: {e}");
            return failed(window);
        }
    };
    drive(concurrency, window, move || call(Arc::clone(&client))).await
}

/// A plain `reqwest::Client` sending what idp-client sends (the bearer
/// token and the operation's `Accept`: the vendor media type for the
/// broker) and decoding into `serde_json::Value`.
async fn raw(op: Op, concurrency: usize, window: Window, target: &Target) -> Sample {
    idp_client::ensure_crypto_provider();
    let http = match reqwest::Client::builder().build() {
        Ok(http) => http,
        Err(e) => {
            eprintln!("idp-bench: cannot build the reqwest client: {e}");
            return failed(window);
        }
    };
    let Ok(mut authorization) = HeaderValue::from_str(&format!("Bearer {}", target.token)) else {
        return failed(window);
    };
    authorization.set_sensitive(true);
    let url: Arc<str> = Arc::from(format!("{}{}", target.url, op.path(target)));
    drive(concurrency, window, move || {
        let request = http
            .get(&*url)
            .header(AUTHORIZATION, authorization.clone())
            .header(ACCEPT, HeaderValue::from_static(op.accept()));
        async move {
            match request.send().await {
                Ok(response) if response.status().is_success() => match response.bytes().await {
                    Ok(body) => serde_json::from_slice::<Value>(&body).is_ok(),
                    Err(_) => false,
                },
                _ => false,
            }
        }
    })
    .await
}

pub(crate) fn python(
    (interpreter, script): &(PathBuf, PathBuf),
    op: Op,
    concurrency: usize,
    window: Window,
    target: &Target,
) -> Result<Sample, String> {
    let output = Command::new(interpreter)
        .arg(script)
        .args(["--url", &format!("{}{}", target.url, op.path(target))])
        .args(["--accept", op.accept()])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--warmup", &window.warmup.as_secs_f64().to_string()])
        .args(["--duration", &window.measure.as_secs_f64().to_string()])
        .env("BENCH_TOKEN", &target.token)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", interpreter.display()))?;
    if !output.status.success() {
        return Err(format!("the Python script failed: {}", output.status));
    }
    let value: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("the Python script printed no JSON: {e}"))?;
    Sample::from_json(&value).ok_or_else(|| format!("unexpected Python output: {value}"))
}

/// Measures a Rust contender in a process of its own (`idp-bench load`),
/// so that no contender inherits another's heap, connections or runtime,
/// and the process's CPU time is the contender's alone.
pub(crate) fn rust(
    contender: &str,
    op: Op,
    concurrency: usize,
    flavor: Flavor,
    window: Window,
    target: &Target,
) -> Result<Sample, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .arg("load")
        .args(["--only", contender, "--op", op.short()])
        .args(["--concurrency", &concurrency.to_string()])
        .args(["--runtime", flavor.arg()])
        .args(["--warmup", &window.warmup.as_secs_f64().to_string()])
        .args(["--duration", &window.measure.as_secs_f64().to_string()])
        .args(["--url", &target.url, "--id", &target.embedded_id])
        .args(["--tenant", &target.tenant])
        .env("BENCH_TOKEN", &target.token)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start idp-bench load: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "idp-bench load {contender} failed: {}",
            output.status
        ));
    }
    let value: Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("idp-bench load printed no JSON: {e}"))?;
    Sample::from_json(&value).ok_or_else(|| format!("unexpected load output: {value}"))
}

/// `idp-bench load`: one contender, one operation, one concurrency, in this
/// process, against `--url` (or a simulator process of its own); prints
/// the sample as JSON.
pub(crate) fn run_load(options: &Options) -> Result<(), String> {
    let contender = options
        .only
        .as_deref()
        .filter(|c| *c != "python")
        .ok_or("load needs --only idp-client or --only raw")?;
    let &[op] = options.ops.as_slice() else {
        return Err("load needs --op list, get or broker-list".to_owned());
    };
    let &[concurrency] = options.concurrencies.as_slice() else {
        return Err("load needs --concurrency N".to_owned());
    };
    let (sim, target) = match &options.url {
        Some(url) => {
            let target = Target {
                url: url.clone(),
                token: std::env::var("BENCH_TOKEN")
                    .map_err(|_| "--url needs the token in BENCH_TOKEN")?,
                embedded_id: options.id.clone().ok_or("--url needs --id")?,
                tenant: options
                    .tenant
                    .clone()
                    .unwrap_or_else(|| idp_client::DEFAULT_BROKER_TENANT.to_owned()),
            };
            (None, target)
        }
        None => {
            let (sim, target) = SimProcess::start()?;
            (Some(sim), target)
        }
    };
    let rt = options.flavor.runtime(concurrency)?;
    let window = options.window;
    let sample = rt.block_on(async {
        match contender {
            "idp-client" => idp_client(op, concurrency, window, &target).await,
            _ => raw(op, concurrency, window, &target).await,
        }
    });
    println!("{}", sample.to_json());
    drop(sim);
    Ok(())
}

fn failed(window: Window) -> Sample {
    Sample {
        requests: 0,
        errors: 1,
        seconds: window.measure.as_secs_f64(),
        p50_us: 0.0,
        p99_us: 0.0,
        cpu_us_per_request: None,
    }
}
