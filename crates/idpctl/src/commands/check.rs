//! `idpctl check`: token expiry for monitoring, in the monitoring-plugin
//! convention (exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN; a summary line
//! first, then one line per finding), as JSON, or in the Prometheus text
//! exposition format for node_exporter's textfile collector.
//!
//! The exit code is the same in every output mode. Findings combine with
//! CRITICAL over WARNING over UNKNOWN over OK: a known problem is reported
//! before an unknown one, and anything unknown keeps the result from OK.

use std::fmt::Write as _;

use idp_client::ScimSettings;
use serde::Serialize;
use serde_json::json;

use crate::cli::{CheckArgs, OutputFormat};
use crate::commands::status::{TokenStatus, federated_tokens, human_duration};
use crate::failure::Failure;
use crate::output::{Output, write_stdout};
use crate::settings::Settings;

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
    unleash: Option<Result<ScimSettings, String>>,
    broker: Option<Result<Vec<BrokerToken>, String>>,
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
    let (vcf, unleash, broker) = if args.vcf || args.unleash || args.broker {
        (args.vcf, args.unleash, args.broker)
    } else {
        (
            settings.has_vcf_url(),
            settings.has_unleash_url(),
            settings.has_broker_url(),
        )
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
    if !vcf && !unleash && !broker {
        report.add(
            State::Unknown,
            "idpctl",
            "nothing to check: set VCF_URL, UNLEASH_URL and/or BROKER_URL (or pass --vcf/--unleash/--broker)".into(),
        );
    }
    if vcf {
        check_vcf(&args, settings, &mut report).await;
    }
    if unleash {
        check_unleash(settings, &mut report).await;
    }
    if broker {
        check_broker(&args, settings, &mut report).await;
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
        OutputFormat::Prometheus => prometheus_text(report),
    };
    write_stdout(&text)?;
    match report.state() {
        State::Ok => Ok(()),
        state => Err(Failure::exit_only(state.code())),
    }
}

async fn check_vcf(args: &CheckArgs, settings: &Settings, report: &mut Report) {
    let tokens = match settings.vcf_client() {
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
async fn broker_tokens(settings: &Settings) -> Result<Vec<BrokerToken>, String> {
    let client = settings.broker_client().map_err(|f| f.message)?;
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
    let tokens = broker_tokens(settings).await;
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

async fn check_unleash(settings: &Settings, report: &mut Report) {
    let scim = match settings.unleash_client() {
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

/// The Prometheus text exposition format (version 0.0.4).
fn prometheus_text(report: &Report) -> String {
    let mut text = String::new();
    metric_header(
        &mut text,
        "idp_check_status",
        "State of idpctl check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.",
    );
    let _ = writeln!(text, "idp_check_status {}", report.state().code());
    let systems = [
        ("vcf", report.vcf.as_ref().map(Result::is_ok)),
        ("unleash", report.unleash.as_ref().map(Result::is_ok)),
        ("broker", report.broker.as_ref().map(Result::is_ok)),
    ];
    if systems.iter().any(|(_, up)| up.is_some()) {
        metric_header(
            &mut text,
            "idp_up",
            "Whether the system answered the check (1) or not (0).",
        );
        for (system, up) in systems {
            if let Some(up) = up {
                let _ = writeln!(text, "idp_up{{system=\"{system}\"}} {}", u8::from(up));
            }
        }
    }
    if let Some(Ok(tokens)) = &report.vcf {
        metric_header(
            &mut text,
            "idp_sync_client_token_expiry_known",
            "Whether VCF says when the sync client token expires (0: unknown or no token).",
        );
        for token in tokens {
            let _ = writeln!(
                text,
                "idp_sync_client_token_expiry_known{{{}}} {}",
                token_labels(token),
                u8::from(token.expiry.is_some())
            );
        }
        metric_header(
            &mut text,
            "idp_sync_client_token_expiry_timestamp_seconds",
            "When the VCF SCIM sync client token expires, in seconds since the Unix epoch.",
        );
        for token in tokens {
            if let Some(expiry) = token.expiry {
                let _ = writeln!(
                    text,
                    "idp_sync_client_token_expiry_timestamp_seconds{{{}}} {}",
                    token_labels(token),
                    expiry.timestamp()
                );
            }
        }
    }
    if let Some(Ok(tokens)) = &report.broker {
        metric_header(
            &mut text,
            "idp_broker_sync_client_token_expiry_timestamp_seconds",
            "When a VCF Identity Broker directory's sync client token expires, in seconds since the Unix epoch.",
        );
        for token in tokens {
            if let Some(expiry) = token.expires_at {
                let _ = writeln!(
                    text,
                    "idp_broker_sync_client_token_expiry_timestamp_seconds{{directory=\"{}\",name=\"{}\"}} {}",
                    escape_label(&token.directory_id),
                    escape_label(&token.directory),
                    expiry.timestamp()
                );
            }
        }
    }
    if let Some(Ok(scim)) = &report.unleash {
        metric_header(
            &mut text,
            "idp_unleash_scim_enabled",
            "Whether Unleash SCIM is enabled.",
        );
        let _ = writeln!(text, "idp_unleash_scim_enabled {}", u8::from(scim.enabled));
        metric_header(
            &mut text,
            "idp_unleash_scim_has_token",
            "Whether Unleash SCIM has a token.",
        );
        let _ = writeln!(
            text,
            "idp_unleash_scim_has_token {}",
            u8::from(scim.has_token)
        );
    }
    text
}

fn metric_header(text: &mut String, name: &str, help: &str) {
    let _ = writeln!(text, "# HELP {name} {help}");
    let _ = writeln!(text, "# TYPE {name} gauge");
}

fn token_labels(token: &TokenStatus) -> String {
    format!(
        "provider=\"{}\",name=\"{}\",scim_url=\"{}\"",
        escape_label(&token.id),
        escape_label(&token.name),
        escape_label(token.scim_url.as_deref().unwrap_or(""))
    )
}

/// Label values escape `\`, `"` and line feeds.
fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::escape_label;

    #[test]
    fn escapes_label_values() {
        assert_eq!(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}
