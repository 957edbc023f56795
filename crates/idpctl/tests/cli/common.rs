//! Shared helpers: an in-process simulator with known credentials, an
//! `idpctl` command with a clean environment, fixtures and parsing.

use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use assert_cmd::assert::Assert;
use idp_sim::{SimConfig, SimConfigBuilder, Simulator};
use serde_json::{Value, json};

/// The simulator's VCF user (every test simulator has these credentials).
pub const VCF_USER: &str = "administrator@vsphere.local";
/// The VCF user's password.
pub const VCF_PASSWORD: &str = "Vcf-Pa55word-Q7x9Zk2M!";
/// The Unleash admin API key.
pub const UNLEASH_KEY: &str = "*:*.unleash-admin-K3yZq81xYw0Lp";
/// A known Unleash key without admin permission (403).
pub const UNLEASH_READ_ONLY_KEY: &str = "*:*.unleash-readonly-R0kV4nm2Jt";

/// Every variable `idpctl` reads, removed so the developer's environment
/// cannot leak into a test.
const INHERITED: &[&str] = &[
    "VCF_URL",
    "VCF_TOKEN",
    "VCF_USERNAME",
    "VCF_PASSWORD",
    "VCF_API_KEY",
    "VCF_CA_CERT",
    "VCF_INSECURE",
    "UNLEASH_URL",
    "UNLEASH_API_TOKEN",
    "UNLEASH_CA_CERT",
    "UNLEASH_INSECURE",
    "IDPCTL_CONTEXT",
    "IDPCTL_CONFIG",
    "COMPLETE",
    "BROKER_URL",
    "BROKER_TENANT",
    "BROKER_TOKEN",
    "BROKER_CLIENT_ID",
    "BROKER_CLIENT_SECRET",
    "BROKER_VCENTER_USERNAME",
    "BROKER_VCENTER_PASSWORD",
    "BROKER_IDP_CLIENT_SECRET",
    "BROKER_CA_CERT",
    "BROKER_INSECURE",
    "OPS_URL",
    "OPS_USERNAME",
    "OPS_PASSWORD",
    "OPS_AUTH_SOURCE",
    "OPS_TOKEN",
    "OPS_CA_CERT",
    "OPS_INSECURE",
    "RUST_LOG",
    "SCIM_TOKEN",
    "SCIM_CA_CERT",
    "SCIM_INSECURE",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The configuration file of every test that sets none: missing, so no
/// context applies.
pub const NO_CONFIG: &str = "/nonexistent/idpctl-tests/config.toml";

/// `idpctl` with none of the variables it reads set. A generous timeout
/// guards against a hang (it is not an assertion on speed).
pub fn idpctl() -> Command {
    let mut cmd = Command::cargo_bin("idpctl").unwrap();
    for name in INHERITED {
        cmd.env_remove(name);
    }
    cmd.env("NO_PROXY", "*");
    // Never the developer's own contexts: a file that does not exist.
    cmd.env("IDPCTL_CONFIG", NO_CONFIG);
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// The defaults of every test simulator: known credentials and a read-only
/// Unleash key.
pub fn config() -> SimConfigBuilder {
    SimConfig::builder()
        .vcf_user(VCF_USER, VCF_PASSWORD)
        .unleash_api_key(UNLEASH_KEY)
        .unleash_read_only_key(UNLEASH_READ_ONLY_KEY)
}

/// A simulator on `127.0.0.1:0` with the tokio runtime it runs on, owned by
/// the test; dereferences to the [`Simulator`].
#[derive(Debug)]
pub struct TestSim {
    // Dropped before the runtime.
    sim: Simulator,
    _runtime: tokio::runtime::Runtime,
}

impl TestSim {
    /// A simulator with [`config`]'s defaults (profile vcf-5.2, plain HTTP).
    pub fn start() -> Self {
        Self::with(config())
    }

    /// A simulator with the given configuration.
    pub fn with(config: SimConfigBuilder) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let sim = runtime
            .block_on(Simulator::start(config.build().unwrap()))
            .unwrap();
        Self {
            sim,
            _runtime: runtime,
        }
    }

    /// `idpctl` pointed at this simulator's broker with its admin OAuth
    /// client.
    pub fn broker(&self) -> Command {
        let mut cmd = idpctl();
        cmd.env("BROKER_URL", self.sim.broker().url())
            .env("BROKER_TENANT", self.sim.broker().tenant())
            .env("BROKER_CLIENT_ID", self.sim.broker().client_id())
            .env("BROKER_CLIENT_SECRET", self.sim.broker().client_secret());
        cmd
    }

    /// `idpctl` pointed at this simulator's VCF with username and password.
    pub fn vcf(&self) -> Command {
        let mut cmd = idpctl();
        cmd.env("VCF_URL", self.sim.vcf().url())
            .env("VCF_USERNAME", self.sim.vcf().username())
            .env("VCF_PASSWORD", self.sim.vcf().password());
        cmd
    }

    /// `idpctl` pointed at this simulator's Unleash with the admin key.
    pub fn unleash(&self) -> Command {
        let mut cmd = idpctl();
        cmd.env("UNLEASH_URL", self.sim.unleash().url())
            .env("UNLEASH_API_TOKEN", self.sim.unleash().api_key());
        cmd
    }

    /// Adds the Okta provider of the seed fixture through the CLI; its id.
    pub fn add_okta(&self) -> String {
        let assert = self
            .vcf()
            .args(["-o", "json", "vcf", "idp", "add", "--file"])
            .arg(fixture("addExternalIdentityProvider.okta.request.json"))
            .assert()
            .success();
        let id = json_stdout(&assert)["id"].as_str().unwrap().to_owned();
        assert_eq!(self.sim.vcf().external_provider_id().as_deref(), Some(&*id));
        id
    }

    /// The simulator itself, for its per-API handles (`vcf()`, `broker()`,
    /// `unleash()`), which this type's commands of the same names shadow.
    pub fn simulator(&self) -> &Simulator {
        &self.sim
    }

    /// Asserts that no request reached the server at all.
    pub fn assert_nothing_sent(&self, context: &str) {
        let requests = self.sim.requests();
        assert!(
            requests.is_empty(),
            "{context}: expected no request, the server saw {requests:?}"
        );
    }
}

impl Deref for TestSim {
    type Target = Simulator;

    fn deref(&self) -> &Simulator {
        &self.sim
    }
}

/// The path of a seed payload under `tests/fixtures/` at the workspace root.
pub use idp_testkit::seed_path as fixture;

/// A fixture's text.
pub use idp_testkit::seed as fixture_text;

/// A fixture parsed as JSON.
pub use idp_testkit::seed_json as fixture_json;

/// The Okta provider spec of the seed fixture, with another client secret.
pub fn okta_spec(client_secret: &str) -> Value {
    let mut spec = idp_testkit::okta_spec_json();
    spec["fedIdpSpec"]["oidcSpec"]["clientSecret"] = json!(client_secret);
    spec
}

/// The Active Directory source spec of the seed fixture, for another domain
/// and bind password.
pub fn ad_source_spec(domain: &str, password: &str) -> Value {
    let mut spec = fixture_json("addEmbeddedIdentitySource.activeDirectory.request.json");
    spec["name"] = json!(format!("AD {domain}"));
    spec["ldap"]["domainName"] = json!(domain);
    spec["ldap"]["domainAlias"] = json!(domain.split('.').next().unwrap_or(domain));
    spec["ldap"]["username"] = json!(format!("svc-vcf@{domain}"));
    spec["ldap"]["password"] = json!(password);
    spec
}

/// Writes `value` as `name` in `dir`; its path.
pub fn write_json(dir: &Path, name: &str, value: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec_pretty(value).unwrap()).unwrap();
    path
}

/// Stdout as text.
pub fn stdout(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(assert: &Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

/// Stdout parsed as exactly one JSON document.
pub fn json_stdout(assert: &Assert) -> Value {
    let out = &assert.get_output().stdout;
    serde_json::from_slice(out).unwrap_or_else(|e| {
        panic!(
            "stdout is not exactly one JSON document ({e}):\n{}",
            String::from_utf8_lossy(out)
        )
    })
}

/// The keys of a JSON object, sorted.
pub fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// Asserts a failure's stderr: `error: ` first, and no panic.
pub fn assert_error_line(assert: &Assert, context: &str) {
    let err = stderr(assert);
    assert!(
        err.lines().any(|l| l.starts_with("error: ")),
        "{context}: no `error:` line on stderr:\n{err}"
    );
    assert!(!err.contains("panicked"), "{context}: panic:\n{err}");
}

/// A 127.0.0.1 port with nothing listening on it.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// How many token rotations (VCF sync client tokens and Unleash SCIM
/// tokens) reached the simulator.
pub fn rotations(sim: &TestSim) -> usize {
    sim.requests()
        .iter()
        .filter(|r| {
            r.method == "POST"
                && (r.path.ends_with("/sync-client") || r.path.ends_with("/generate-new-token"))
        })
        .count()
}

/// Asserts that none of `secrets` is in the output streams or the
/// simulator's request log.
pub fn assert_not_leaked(sim: &TestSim, assert: &Assert, secrets: &[&str]) {
    let log = format!("{:?}", sim.requests());
    for secret in secrets {
        assert!(
            !stdout(assert).contains(secret),
            "stdout:\n{}",
            stdout(assert)
        );
        assert!(
            !stderr(assert).contains(secret),
            "stderr:\n{}",
            stderr(assert)
        );
        assert!(!log.contains(secret), "request log");
    }
}

/// The (single) recovery file path printed on stderr.
pub fn recovery_path(assert: &Assert) -> std::path::PathBuf {
    let err = stderr(assert);
    let start = err.find("saved to ").unwrap_or_else(|| panic!("{err}")) + "saved to ".len();
    let rest = &err[start..];
    std::path::PathBuf::from(&rest[..rest.find(" (mode 0600)").unwrap()])
}

/// A delivered token file's one line, without the newline.
pub fn read_token(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.ends_with('\n') && text.lines().count() == 1,
        "{text:?}"
    );
    text.trim_end().to_owned()
}
