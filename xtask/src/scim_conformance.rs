//! `cargo xtask scim-conformance`: the third-party SCIM tester
//! `scim2-tester` (PyPI) against every SCIM flavour of the simulator.
//!
//! 1. installs `scim2-tester` and `scim2-server` into
//!    `target/tools/scim-venv` (once; `idp_testkit::scim_tools`, shared
//!    with the tests);
//! 2. starts the simulator in-process and obtains each flavour's current
//!    token the way a rotation does (an SDDC Manager sync client token for
//!    the broker's SCIM URL, Unleash's SCIM token);
//! 3. runs `xtask/scim/check.py` (scim2-tester's `check_server`) against
//!    each SCIM URL, bounded in time;
//! 4. fails unless every check passes, or fails as a deliberate vendor
//!    quirk listed with its reason in `xtask/scim-quirks.toml`. A skipped
//!    check is a failure unless listed; a listed quirk that no longer
//!    fails is a failure too (the list stays true).

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use idp_client::{FederatedSpecBuilder, Secret, UnleashClient, VcfClient};
use idp_sim::scim::ScimFlavour;
use idp_sim::{SimConfig, Simulator};
use serde::Deserialize;

/// How long one flavour's run may take.
const RUN_WAIT: Duration = Duration::from_secs(300);

/// The runs: the broker's creation checks alone (`broker-create`), the
/// broker's other checks with its 200 on create taken as a creation
/// (`broker`), and Unleash with discovery (`unleash`).
const FLAVOURS: &[&str] = &["broker-create", "broker", "unleash"];

/// The statuses scim2-tester gives a check that conforms.
const PASSING: &[&str] = &["SUCCESS", "COMPLIANT", "ACCEPTABLE"];

/// One scim2-tester result, as `check.py` prints it.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckLine {
    /// The check's title (several results may share one).
    pub title: Option<String>,
    /// scim2-tester's status name (`SUCCESS`, `ERROR`, `SKIPPED`, ...).
    pub status: String,
    /// `User`, `Group`, or none for the server-wide checks.
    pub resource_type: Option<String>,
    /// Why it failed, or how it passed.
    pub reason: Option<String>,
}

/// scim2-tester's reason for a check a run's tag filter left out.
const FILTERED_OUT: &str = "Skipped due to tag filtering";

impl CheckLine {
    /// A check this run left out on purpose (`describe-create` runs only
    /// the creation checks; the `broker` run runs the others).
    fn left_to_another_run(&self) -> bool {
        self.status == "SKIPPED" && self.reason.as_deref() == Some(FILTERED_OUT)
    }
}

/// A deliberate vendor quirk: the checks it makes fail, and why.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quirk {
    /// The run: one of [`FLAVOURS`].
    pub flavour: String,
    /// The scim2-tester check's title.
    pub check: String,
    /// Only results of this resource type (`User`, `Group`); all when absent.
    pub resource_type: Option<String>,
    /// Why the vendor's server (and so the simulator) answers this way.
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuirkFile {
    quirk: Vec<Quirk>,
}

impl Quirk {
    fn covers(&self, flavour: &str, line: &CheckLine) -> bool {
        self.flavour == flavour
            && line.title.as_deref() == Some(self.check.as_str())
            && self
                .resource_type
                .as_ref()
                .is_none_or(|r| line.resource_type.as_ref() == Some(r))
    }
}

/// Reads and checks `xtask/scim-quirks.toml`.
pub fn read_quirks(root: &Path) -> Result<Vec<Quirk>, String> {
    let path = root.join("xtask/scim-quirks.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file: QuirkFile = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    for quirk in &file.quirk {
        if !FLAVOURS.contains(&quirk.flavour.as_str()) {
            return Err(format!(
                "{}: flavour {:?} is not one of {FLAVOURS:?}",
                path.display(),
                quirk.flavour
            ));
        }
        if quirk.reason.trim().is_empty() {
            return Err(format!(
                "{}: the quirk {} has no reason",
                path.display(),
                quirk.check
            ));
        }
    }
    Ok(file.quirk)
}

/// The verdict over one flavour's results: the lines that fail without a
/// quirk, and the quirks that covered nothing.
pub fn judge<'q>(
    flavour: &str,
    lines: &[CheckLine],
    quirks: &'q [Quirk],
) -> (Vec<CheckLine>, Vec<&'q Quirk>) {
    let failing: Vec<&CheckLine> = lines
        .iter()
        .filter(|l| !PASSING.contains(&l.status.as_str()) && !l.left_to_another_run())
        .collect();
    let unexplained = failing
        .iter()
        .filter(|l| !quirks.iter().any(|q| q.covers(flavour, l)))
        .map(|l| (*l).clone())
        .collect();
    let stale = quirks
        .iter()
        .filter(|q| q.flavour == flavour && !failing.iter().any(|l| q.covers(flavour, l)))
        .collect();
    (unexplained, stale)
}

/// Runs the whole check.
pub fn scim_conformance(root: &Path) -> Result<(), String> {
    let quirks = read_quirks(root)?;
    let tools = idp_testkit::scim_tools().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    let config = SimConfig::builder().build().map_err(|e| e.to_string())?;
    let sim = runtime
        .block_on(Simulator::start(config))
        .map_err(|e| format!("cannot start the simulator: {e}"))?;
    let targets = runtime.block_on(targets(&sim));
    let result = targets.and_then(|targets| {
        let mut problems = Vec::new();
        for (flavour, mode, url, token) in &targets {
            println!("xtask scim-conformance: scim2-tester against {flavour} at {url}");
            let lines = run_tester(root, &tools, url, mode, token)?;
            let (unexplained, stale) = judge(flavour, &lines, &quirks);
            let passed = lines.iter().filter(|l| PASSING.contains(&l.status.as_str())).count();
            let elsewhere = lines.iter().filter(|l| l.left_to_another_run()).count();
            println!(
                "xtask scim-conformance: {flavour}: {} checks, {passed} pass, {} fail as listed vendor quirks, {} fail unexplained, {elsewhere} left to another run",
                lines.len(),
                lines.len() - passed - elsewhere - unexplained.len(),
                unexplained.len()
            );
            for line in unexplained {
                problems.push(format!(
                    "{flavour}: {} ({}) {}: {}",
                    line.title.as_deref().unwrap_or("?"),
                    line.resource_type.as_deref().unwrap_or("-"),
                    line.status,
                    line.reason.as_deref().unwrap_or("")
                ));
            }
            for quirk in stale {
                problems.push(format!(
                    "{flavour}: the listed quirk {} no longer fails: remove it from xtask/scim-quirks.toml",
                    quirk.check
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("{} problem(s):\n  {}", problems.len(), problems.join("\n  ")))
        }
    });
    runtime.block_on(sim.shutdown());
    result
}

/// (flavour, check.py mode, SCIM URL, token) of each flavour.
async fn targets(
    sim: &Simulator,
) -> Result<Vec<(&'static str, &'static str, String, String)>, String> {
    let vcf = VcfClient::builder(sim.vcf().url())
        .credentials(sim.vcf().username(), Secret::new(sim.vcf().password()))
        .build()
        .map_err(|e| e.to_string())?;
    let spec = FederatedSpecBuilder::okta("okta")
        .directory_name("okta_dir")
        .default_domain("example.com")
        .domain("example.com")
        .client_id("scim-conformance")
        .client_secret(Secret::new("scim-conformance-secret"))
        .discovery_endpoint("https://example.com/.well-known/openid-configuration")
        .build()
        .map_err(|e| e.to_string())?;
    let id = vcf
        .add_external_identity_provider(&spec)
        .await
        .map_err(|e| format!("adding a federated provider: {e}"))?;
    let token = vcf
        .generate_sync_client_token(&id, None)
        .await
        .map_err(|e| format!("generating its sync client token: {e}"))?;
    let broker_url = token
        .scim_url
        .clone()
        .unwrap_or_else(|| sim.scim().url(ScimFlavour::Broker));
    let unleash = UnleashClient::builder(sim.unleash().url())
        .api_token(Secret::new(sim.unleash().api_key()))
        .build()
        .map_err(|e| e.to_string())?;
    let unleash_token = unleash
        .generate_scim_token()
        .await
        .map_err(|e| format!("generating Unleash's SCIM token: {e}"))?;
    let broker_token = token.token.expose().to_owned();
    Ok(vec![
        (
            "broker-create",
            "describe-create",
            broker_url.clone(),
            broker_token.clone(),
        ),
        ("broker", "describe-ok-on-create", broker_url, broker_token),
        (
            "unleash",
            "discover",
            sim.scim().url(ScimFlavour::Unleash),
            unleash_token.token.expose().to_owned(),
        ),
    ])
}

/// Runs `check.py` with a bounded wait; its JSON lines.
fn run_tester(
    root: &Path,
    tools: &idp_testkit::ScimTools,
    url: &str,
    mode: &str,
    token: &str,
) -> Result<Vec<CheckLine>, String> {
    let script = root.join("xtask/scim/check.py");
    let out = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
    let stdout = out.reopen().map_err(|e| e.to_string())?;
    let mut child = Command::new(tools.program("python"))
        .arg(&script)
        .arg(url)
        .arg(mode)
        .env("SCIM_TOKEN", token)
        .stdin(Stdio::null())
        .stdout(stdout)
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", script.display()))?;
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if started.elapsed() > RUN_WAIT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "scim2-tester took over {}s against {url}; stopped",
                RUN_WAIT.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    if !status.success() {
        return Err(format!("scim2-tester failed against {url} ({status})"));
    }
    let text = std::fs::read_to_string(out.path()).map_err(|e| e.to_string())?;
    let lines: Vec<CheckLine> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).map_err(|e| format!("scim2-tester printed {l:?}: {e}")))
        .collect::<Result<_, _>>()?;
    if lines.is_empty() {
        return Err(format!("scim2-tester ran no check against {url}"));
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(title: &str, status: &str, resource: Option<&str>) -> CheckLine {
        CheckLine {
            title: Some(title.into()),
            status: status.into(),
            resource_type: resource.map(Into::into),
            reason: None,
        }
    }

    #[test]
    fn unlisted_failures_skips_and_stale_quirks_fail() {
        let quirks = vec![
            Quirk {
                flavour: "broker".into(),
                check: "object_creation".into(),
                resource_type: None,
                reason: "200 on create".into(),
            },
            Quirk {
                flavour: "broker".into(),
                check: "gone".into(),
                resource_type: None,
                reason: "x".into(),
            },
        ];
        let lines = vec![
            line("object_creation", "ERROR", Some("User")),
            line("object_query", "SUCCESS", Some("User")),
            line("random_url", "SKIPPED", None),
        ];
        let (unexplained, stale) = judge("broker", &lines, &quirks);
        assert_eq!(unexplained.len(), 1);
        assert_eq!(unexplained[0].title.as_deref(), Some("random_url"));
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].check, "gone");
        // Another flavour's quirk covers nothing here.
        let (unexplained, _) = judge("unleash", &lines, &quirks);
        assert_eq!(unexplained.len(), 2);
    }

    #[test]
    fn the_committed_quirks_read() {
        let root = crate::workspace_root();
        let quirks = read_quirks(&root).unwrap();
        assert!(quirks.iter().all(|q| !q.reason.is_empty()));
    }
}
