//! `idpctl check`: token expiry for monitoring, in the monitoring-plugin
//! convention (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; a summary line
//! first, then one line per finding), as JSON, or in the Prometheus text
//! exposition format for node_exporter's textfile collector.
//!
//! The exit code is the same in every output mode. Findings combine with
//! CRITICAL over WARNING over UNKNOWN over OK: a known problem is reported
//! before an unknown one, and anything unknown keeps the result from OK.

mod ops;
mod prometheus;

use std::fmt::Write as _;
use std::time::Duration;

use clap::{Args, ValueEnum};
use idp_client::ScimSettings;
use serde::Serialize;
use serde_json::json;

use crate::commands::expiry::human_duration;
use crate::commands::vcf::{TokenStatus, federated_tokens};
use crate::duration::parse_duration;
use crate::failure::Failure;
use crate::output::{Output, OutputFormat, write_stdout};
use crate::settings::{
    BrokerConnection, OpsConnection, Settings, UnleashConnection, VcfConnection,
};

/// `idpctl check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// WARNING when a token expires within this time.
    #[arg(long, value_name = "DURATION", default_value = "14d", value_parser = parse_duration)]
    pub warn: Duration,
    /// CRITICAL when a token expires within this time (or has expired).
    #[arg(long, value_name = "DURATION", default_value = "3d", value_parser = parse_duration)]
    pub critical: Duration,
    /// WARNING for each VCF service user whose API key (from its
    /// creationTimestamp) is older than this; not checked without it.
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub service_key_max_age: Option<Duration>,
    /// The systems to check, a comma list or repeated (default: every
    /// system whose URL is set).
    #[arg(
        long = "system",
        value_name = "SYSTEM",
        value_enum,
        value_delimiter = ','
    )]
    pub systems: Vec<System>,
    /// The VCF sync client tokens (same as --system vcf).
    #[arg(long)]
    pub vcf: bool,
    /// The Unleash SCIM settings (same as --system unleash).
    #[arg(long)]
    pub unleash: bool,
    /// The VCF Identity Broker sync client tokens (same as --system broker).
    #[arg(long)]
    pub broker: bool,
    /// VCF Operations' sync client tokens and API tokens (same as --system
    /// ops).
    #[arg(long)]
    pub ops: bool,
    #[command(flatten)]
    pub vcf_connection: VcfConnection,
    #[command(flatten)]
    pub unleash_connection: UnleashConnection,
    #[command(flatten)]
    pub broker_connection: BrokerConnection,
    #[command(flatten)]
    pub ops_connection: OpsConnection,
}

/// A system `check` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum System {
    /// SDDC Manager: the sync client tokens of the federated identity providers.
    Vcf,
    /// Unleash: the SCIM settings.
    Unleash,
    /// The VCF Identity Broker: the directories' sync client tokens.
    Broker,
    /// VCF Operations (VCF 9.1 fleet identity): the directories' sync
    /// client tokens and the realms' API tokens.
    Ops,
}

impl CheckArgs {
    /// Whether `system` was asked for, by `--system` or its own flag.
    fn asks_for(&self, system: System) -> bool {
        let flag = match system {
            System::Vcf => self.vcf,
            System::Unleash => self.unleash,
            System::Broker => self.broker,
            System::Ops => self.ops,
        };
        flag || self.systems.contains(&system)
    }
}

/// A monitoring state; the discriminant is the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum State {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

impl State {
    /// How bad: CRITICAL > WARNING > UNKNOWN > OK.
    fn rank(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Unknown => 1,
            Self::Warning => 2,
            Self::Critical => 3,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Self::Ok => "OK",
            Self::Warning => "WARNING",
            Self::Critical => "CRITICAL",
            Self::Unknown => "UNKNOWN",
        }
    }

    fn code(self) -> u8 {
        self as u8
    }
}

/// One line of the details.
#[derive(Debug, Clone, Serialize)]
struct Finding {
    state: State,
    system: &'static str,
    message: String,
}

/// What was read from the servers, and the findings.
#[derive(Debug, Default)]
struct Report {
    findings: Vec<Finding>,
    vcf: Option<Result<Vec<TokenStatus>, String>>,
    service_keys: Option<Result<Vec<ServiceKey>, String>>,
    unleash: Option<Result<ScimSettings, String>>,
    broker: Option<Result<Vec<BrokerToken>, String>>,
    ops: Option<Result<Vec<ops::OpsToken>, String>>,
}

/// A VCF service user's API key, as `check` reads it.
#[derive(Debug)]
struct ServiceKey {
    name: String,
    created_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A broker directory's sync client token, as `check` reads it.
#[derive(Debug)]
struct BrokerToken {
    directory_id: String,
    directory: String,
    /// `false`: the sync client uses a client id and secret (no expiry).
    uses_token: bool,
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Report {
    fn state(&self) -> State {
        self.findings
            .iter()
            .map(|f| f.state)
            .max_by_key(|s| s.rank())
            .unwrap_or(State::Unknown)
    }

    fn summary(&self) -> String {
        let state = self.state();
        let count = |s: State| self.findings.iter().filter(|f| f.state == s).count();
        format!(
            "IDP TOKENS {}: {} critical, {} warning, {} unknown, {} ok",
            state.label(),
            count(State::Critical),
            count(State::Warning),
            count(State::Unknown),
            count(State::Ok)
        )
    }

    fn add(&mut self, state: State, system: &'static str, message: String) {
        self.findings.push(Finding {
            state,
            system,
            message,
        });
    }
}

/// Runs the check; a non-OK state becomes the exit code (no `error:` line).
pub async fn run(args: CheckArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let asked =
        [System::Vcf, System::Unleash, System::Broker, System::Ops].map(|s| args.asks_for(s));
    let [vcf, unleash, broker, ops] = if asked.contains(&true) {
        asked
    } else {
        [
            settings.vcf(&args.vcf_connection).has_url(),
            settings.unleash(&args.unleash_connection).has_url(),
            settings.broker(&args.broker_connection).has_url(),
            settings.ops(&args.ops_connection).has_url(),
        ]
    };
    let mut report = Report::default();
    if args.critical > args.warn {
        // Said on stdout like every other state, for the monitoring system.
        report.add(
            State::Unknown,
            "idpctl",
            "--critical must not be longer than --warn".into(),
        );
        return finish(&report, out);
    }
    if !vcf && !unleash && !broker && !ops {
        report.add(
            State::Unknown,
            "idpctl",
            "nothing to check: set VCF_URL, UNLEASH_URL, BROKER_URL and/or OPS_URL (or pass --system vcf,unleash,broker,ops)".into(),
        );
    }
    if vcf {
        check_vcf(&args, settings, &mut report).await;
    }
    if unleash {
        check_unleash(&args, settings, &mut report).await;
    }
    if broker {
        check_broker(&args, settings, &mut report).await;
    }
    if ops {
        ops::check_ops(&args, settings, &mut report).await;
    }
    finish(&report, out)
}

/// Prints the report; a non-OK state becomes the exit code.
fn finish(report: &Report, out: Output) -> Result<(), Failure> {
    let text = match out.format {
        // Provider names and messages come from servers.
        OutputFormat::Table => crate::output::terminal_safe(&plugin_text(report)),
        OutputFormat::Json => {
            let mut text = serde_json::to_string_pretty(&json!({
                "status": report.state(),
                "summary": report.summary(),
                "checks": report.findings,
            }))
            .map_err(|e| {
                Failure::exit_with(State::Unknown.code(), format!("cannot render JSON: {e}"))
            })?;
            text.push('\n');
            text
        }
        OutputFormat::Prometheus => prometheus::prometheus_text(report),
    };
    write_stdout(&text)?;
    match report.state() {
        State::Ok => Ok(()),
        state => Err(Failure::exit_only(state.code())),
    }
}

async fn check_vcf(args: &CheckArgs, settings: &Settings, report: &mut Report) {
    let tokens = match settings.vcf(&args.vcf_connection).client() {
        Ok(client) => federated_tokens(&client).await.map_err(|e| e.to_string()),
        Err(failure) => Err(failure.message),
    };
    match &tokens {
        Err(error) => report.add(
            State::Unknown,
            "vcf",
            format!("cannot read the identity providers: {error}"),
        ),
        Ok(tokens) if tokens.is_empty() => {
            report.add(State::Ok, "vcf", "no federated identity provider".into());
        }
        Ok(tokens) => {
            for token in tokens {
                let (state, message) = judge(token, args);
                report.add(state, "vcf", message);
            }
        }
    }
    report.vcf = Some(tokens);
    if let Some(max_age) = args.service_key_max_age {
        check_service_keys(args, settings, max_age, report).await;
    }
}

/// WARNING for each service user whose key is older than `max_age`.
async fn check_service_keys(
    args: &CheckArgs,
    settings: &Settings,
    max_age: Duration,
    report: &mut Report,
) {
    let keys = match settings.vcf(&args.vcf_connection).client() {
        Ok(client) => client
            .list_users()
            .await
            .map(|users| {
                users
                    .into_iter()
                    .filter(|u| u.kind == idp_client::vcf::UserKind::Service)
                    .map(|u| ServiceKey {
                        name: u.name,
                        created_at: u.created_at,
                    })
                    .collect::<Vec<_>>()
            })
            .map_err(|e| e.to_string()),
        Err(failure) => Err(failure.message),
    };
    match &keys {
        Err(error) => report.add(
            State::Unknown,
            "vcf",
            format!("cannot read the service users: {error}"),
        ),
        Ok(keys) => {
            for key in keys {
                let subject = format!("API key of service user {}", key.name);
                let Some(created) = key.created_at else {
                    report.add(State::Unknown, "vcf", format!("{subject}: age unknown"));
                    continue;
                };
                let age = (chrono::Utc::now() - created).to_std().unwrap_or_default();
                let state = if age > max_age {
                    State::Warning
                } else {
                    State::Ok
                };
                report.add(
                    state,
                    "vcf",
                    format!(
                        "{subject}: created at {} ({} old; max age {})",
                        created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                        human_duration(age),
                        human_duration(max_age)
                    ),
                );
            }
        }
    }
    report.service_keys = Some(keys);
}

/// The state of one sync client token.
fn judge(token: &TokenStatus, args: &CheckArgs) -> (State, String) {
    let subject = format!("sync client token of {} ({})", token.name, token.id);
    let (Some(left), Some(at)) = (token.left(), &token.expires_at) else {
        return (State::Unknown, format!("{subject}: expiry unknown"));
    };
    judge_left(&subject, left, at, args)
}

/// The state of a token with `left` to live (expiring at `at`).
fn judge_left(
    subject: &str,
    left: std::time::Duration,
    at: &dyn std::fmt::Display,
    args: &CheckArgs,
) -> (State, String) {
    let state = if left <= args.critical {
        State::Critical
    } else if left <= args.warn {
        State::Warning
    } else {
        State::Ok
    };
    let when = if left.is_zero() {
        format!("expired at {at}")
    } else {
        format!("expires at {at} (in {})", human_duration(left))
    };
    (state, format!("{subject}: {when}"))
}

/// Reads every broker directory's sync client.
async fn broker_tokens(args: &CheckArgs, settings: &Settings) -> Result<Vec<BrokerToken>, String> {
    let client = settings
        .broker(&args.broker_connection)
        .client()
        .map_err(|f| f.message)?;
    let directories = client.list_directories().await.map_err(|e| e.to_string())?;
    let mut tokens = Vec::new();
    for directory in directories {
        let sync = client
            .sync_client(&directory.id)
            .await
            .map_err(|e| format!("directory {}: {e}", directory.id))?;
        tokens.push(BrokerToken {
            directory_id: directory.id,
            directory: directory.name,
            uses_token: sync.generate_token != Some(false),
            expires_at: sync.access_token_expires_at,
        });
    }
    Ok(tokens)
}

async fn check_broker(args: &CheckArgs, settings: &Settings, report: &mut Report) {
    let tokens = broker_tokens(args, settings).await;
    match &tokens {
        Err(error) => report.add(
            State::Unknown,
            "broker",
            format!("cannot read the sync clients: {error}"),
        ),
        Ok(tokens) if tokens.is_empty() => {
            report.add(State::Ok, "broker", "no directory".into());
        }
        Ok(tokens) => {
            for token in tokens {
                let subject = format!(
                    "sync client of directory {} ({})",
                    token.directory, token.directory_id
                );
                let (state, message) = match (token.uses_token, token.expires_at) {
                    (false, _) => (
                        State::Ok,
                        format!("{subject}: client credentials (no token expiry)"),
                    ),
                    (true, None) => (
                        State::Unknown,
                        format!("{subject}: no token, expiry unknown"),
                    ),
                    (true, Some(at)) => {
                        let left = (at - chrono::Utc::now()).to_std().unwrap_or_default();
                        judge_left(&subject, left, &at, args)
                    }
                };
                report.add(state, "broker", message);
            }
        }
    }
    report.broker = Some(tokens);
}

async fn check_unleash(args: &CheckArgs, settings: &Settings, report: &mut Report) {
    let scim = match settings.unleash(&args.unleash_connection).client() {
        Ok(client) => client.scim_settings().await.map_err(|e| e.to_string()),
        Err(failure) => Err(failure.message),
    };
    match &scim {
        Err(error) => report.add(
            State::Unknown,
            "unleash",
            format!("cannot read the SCIM settings: {error}"),
        ),
        Ok(s) if !s.enabled => report.add(State::Ok, "unleash", "SCIM is disabled".into()),
        Ok(s) if s.has_token => report.add(
            State::Ok,
            "unleash",
            "SCIM is enabled and has a token".into(),
        ),
        Ok(_) => report.add(
            State::Critical,
            "unleash",
            "SCIM is enabled but has no token: provisioning cannot authenticate".into(),
        ),
    }
    report.unleash = Some(scim);
}

/// The summary line, then one line per finding.
fn plugin_text(report: &Report) -> String {
    let mut text = format!("{}\n", report.summary());
    for finding in &report.findings {
        let _ = writeln!(
            text,
            "{} {}: {}",
            finding.state.label(),
            finding.system,
            finding.message
        );
    }
    text
}
