//! `cargo xtask schemathesis`: property-based API tests of the simulator
//! against our own OpenAPI specs, with [schemathesis](https://schemathesis.io)
//! from PyPI. Not part of CI (it needs Python and the network once).
//!
//! 1. creates `target/schemathesis-venv` (`python3 -m venv`) and installs
//!    schemathesis 4 there, unless it is already installed;
//! 2. starts the simulator in this process on `127.0.0.1:0`;
//! 3. runs `schemathesis run openapi/vcf-identity.json` against the VCF
//!    URL with a bearer token the simulator issued, and
//!    `schemathesis run openapi/unleash-scim.json` against the Unleash URL
//!    with the admin API key, with every check but the ones
//!    `xtask/schemathesis.toml` turns off (globally or per operation, each
//!    with its reason);
//! 4. fails when either run fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use idp_sim::{Profile, SimConfig, Simulator};

/// The usage text.
pub const USAGE: &str = "\
usage: cargo xtask schemathesis [--max-examples N] [--seed N] [--profile vcf-5.1|vcf-5.2|vcf-9]
                                [-- <more `schemathesis run` options>]
  --max-examples N   test cases per operation and phase (default 100)
  --seed N           schemathesis's random seed (default: random; printed)
  --profile P        the SDDC Manager version the simulator imitates (default vcf-5.2)";

/// The version range installed: the command-line options used here are
/// schemathesis 4's.
const SCHEMATHESIS: &str = "schemathesis>=4,<5";

/// What `cargo xtask schemathesis` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Test cases per operation and phase.
    pub max_examples: u32,
    /// schemathesis's seed.
    pub seed: Option<u64>,
    /// The simulator's profile.
    pub profile: Profile,
    /// More options for `schemathesis run`.
    pub extra: Vec<String>,
    /// Only print the usage.
    pub help: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            max_examples: 100,
            seed: None,
            profile: Profile::default(),
            extra: Vec::new(),
            help: false,
        }
    }
}

impl Options {
    /// Parses the arguments after `schemathesis`.
    ///
    /// # Errors
    ///
    /// A message for an unknown option or a bad value.
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Self::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match arg.as_str() {
                "--max-examples" => {
                    options.max_examples = value(arg)?
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or("--max-examples needs a positive integer")?;
                }
                "--seed" => {
                    options.seed = Some(
                        value(arg)?
                            .parse()
                            .map_err(|_| "--seed needs an unsigned integer")?,
                    );
                }
                "--profile" => {
                    options.profile = value(arg)?.parse().map_err(|e| format!("{e}"))?;
                }
                "-h" | "--help" => options.help = true,
                "--" => {
                    options.extra = args.cloned().collect();
                    break;
                }
                other => return Err(format!("unknown option {other}")),
            }
        }
        Ok(options)
    }
}

/// One `schemathesis run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// The API's base URL.
    pub url: String,
    /// The `Authorization` header value.
    pub authorization: String,
}

impl Run {
    /// The arguments of `schemathesis` for this run.
    #[must_use]
    pub fn args(&self, root: &Path, config: &Path, options: &Options) -> Vec<String> {
        let mut args = vec![
            "--no-color".to_owned(),
            "--config-file".to_owned(),
            config.display().to_string(),
            "run".to_owned(),
            root.join(self.spec).display().to_string(),
            "--url".to_owned(),
            self.url.clone(),
            "--header".to_owned(),
            format!("Authorization: {}", self.authorization),
            "--max-examples".to_owned(),
            options.max_examples.to_string(),
            // One worker: the simulator's state is shared, and the machine.
            "--workers".to_owned(),
            "1".to_owned(),
        ];
        if let Some(seed) = options.seed {
            args.extend(["--seed".to_owned(), seed.to_string()]);
        }
        args.extend(options.extra.iter().cloned());
        args
    }
}

/// Runs schemathesis against a fresh simulator for both specs.
///
/// # Errors
///
/// A message when the environment cannot be set up, the simulator cannot
/// start, or a run fails.
pub fn schemathesis(root: &Path, options: &Options) -> Result<(), String> {
    let program = install(root)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start a tokio runtime: {e}"))?;
    let config = SimConfig::builder()
        .profile(options.profile)
        .build()
        .map_err(|e| e.to_string())?;
    let sim = runtime
        .block_on(Simulator::start(config))
        .map_err(|e| format!("cannot start the simulator: {e}"))?;
    println!(
        "xtask schemathesis: simulator ({}) at {}",
        sim.profile(),
        sim.vcf().url()
    );
    let runs = [
        Run {
            spec: "openapi/vcf-identity.json",
            url: sim.vcf().url(),
            authorization: format!("Bearer {}", sim.issue_access_token()),
        },
        Run {
            spec: "openapi/unleash-scim.json",
            url: sim.unleash().url(),
            authorization: sim.unleash().api_key().to_owned(),
        },
    ];
    let config = config_file(root, options.profile)?;
    let mut failed = Vec::new();
    for run in &runs {
        println!("xtask schemathesis: {} against {}", run.spec, run.url);
        // The simulator keeps serving on the runtime's threads meanwhile.
        let status = Command::new(&program)
            .args(run.args(root, &config, options))
            .current_dir(root.join("target"))
            .status()
            .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
        if !status.success() {
            failed.push(run.spec);
        }
    }
    runtime.block_on(sim.shutdown());
    if failed.is_empty() {
        println!("xtask schemathesis: both specs pass");
        Ok(())
    } else {
        Err(format!("failures in {}", failed.join(", ")))
    }
}

/// What the VCF 5.1 profile adds to `xtask/schemathesis.toml`.
const VCF_51_SETTINGS: &str = r#"
# Added by `cargo xtask schemathesis --profile vcf-5.1`: VCF 5.1 does not
# know the syncClientTokenTTL query parameter (it reads the lifetime from
# the provider spec) and ignores it like any unknown parameter, so an
# out-of-range value is not rejected.
[[operations]]
include-operation-id = "generateSyncClientToken"
checks.negative_data_rejection.enabled = false
"#;

/// The configuration file for `profile`: `xtask/schemathesis.toml`, plus
/// [`VCF_51_SETTINGS`] for VCF 5.1 (written under `target/`).
fn config_file(root: &Path, profile: Profile) -> Result<PathBuf, String> {
    let base = root.join("xtask/schemathesis.toml");
    if profile != Profile::Vcf51 {
        return Ok(base);
    }
    let text = std::fs::read_to_string(&base)
        .map_err(|e| format!("cannot read {}: {e}", base.display()))?;
    let path = root.join("target/schemathesis-vcf-5.1.toml");
    std::fs::write(&path, text + VCF_51_SETTINGS)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

/// The `schemathesis` program of `target/schemathesis-venv`, installed
/// first if missing.
fn install(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target/schemathesis-venv");
    let bin = venv.join(if cfg!(windows) { "Scripts" } else { "bin" });
    let program = bin.join("schemathesis");
    if program.exists() {
        return Ok(program);
    }
    println!("xtask schemathesis: creating {}", venv.display());
    run(Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
    run(Command::new(bin.join("python")).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        SCHEMATHESIS,
    ]))?;
    if program.exists() {
        Ok(program)
    } else {
        Err(format!("pip did not install {}", program.display()))
    }
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed ({status})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_parse() {
        assert_eq!(Options::parse(&[]).unwrap(), Options::default());
        let options = Options::parse(&args(&[
            "--max-examples",
            "7",
            "--seed",
            "42",
            "--profile",
            "vcf-9",
            "--",
            "--phases",
            "fuzzing",
        ]))
        .unwrap();
        assert_eq!(options.max_examples, 7);
        assert_eq!(options.seed, Some(42));
        assert_eq!(options.profile, Profile::Vcf9);
        assert_eq!(options.extra, ["--phases", "fuzzing"]);
        assert!(Options::parse(&args(&["--max-examples", "0"])).is_err());
        assert!(Options::parse(&args(&["--seed"])).is_err());
        assert!(Options::parse(&args(&["--bogus"])).is_err());
        assert!(Options::parse(&args(&["--help"])).unwrap().help);
    }

    #[test]
    fn every_check_but_the_excluded_ones() {
        let run = Run {
            spec: "openapi/vcf-identity.json",
            url: "http://127.0.0.1:1".to_owned(),
            authorization: "Bearer t".to_owned(),
        };
        let options = Options {
            seed: Some(1),
            ..Options::default()
        };
        let args = run.args(
            Path::new("/w"),
            Path::new("/w/xtask/schemathesis.toml"),
            &options,
        );
        let joined = args.join(" ");
        assert!(
            joined.starts_with("--no-color --config-file /w/xtask/schemathesis.toml run /w/openapi/vcf-identity.json"),
            "{joined}"
        );
        // The checks are chosen in the config file: `--checks` would
        // override its per-operation settings.
        assert!(!joined.contains("--checks"), "{joined}");
        assert!(
            joined.contains("--header Authorization: Bearer t"),
            "{joined}"
        );
        assert!(joined.ends_with("--seed 1"), "{joined}");
    }
}
