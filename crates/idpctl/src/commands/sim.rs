//! `idpctl sim`: the simulator, standalone, until SIGINT (Ctrl-C) or
//! SIGTERM; with `--pid-file`, detached in a process of its own.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser as _};
use idp_sim::{Profile, SimConfig, Simulator};

use crate::delivery::file::write_private;
use crate::failure::Failure;
use crate::output::progress;

/// The line with which a detached simulator tells the process that started
/// it that everything is printed; never shown.
const READY: &str = "idpctl-sim-ready";

/// `idpctl sim`.
#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,
    /// Which SDDC Manager version to behave like; `vcf-9.1` also serves
    /// VCF Operations' fleet identity (OPS_URL).
    #[arg(long, value_name = "PROFILE", default_value = "vcf-5.2", value_parser = profile_parser())]
    pub profile: Profile,
    /// Serve HTTPS with a self-signed certificate (its CA is printed).
    #[arg(long)]
    pub tls: bool,
    /// Print `export NAME='value'` lines for a POSIX shell instead of the
    /// readable text: `eval "$(idpctl sim --pid-file sim.pid --print-env)"`.
    #[arg(long)]
    pub print_env: bool,
    /// Run detached: return once the simulator listens, with its process id
    /// in PATH; stop it with SIGTERM or SIGINT (`kill $(cat PATH)`), which
    /// removes PATH.
    #[arg(long, value_name = "PATH")]
    pub pid_file: Option<PathBuf>,
    /// The detached simulator process itself (started by --pid-file).
    #[arg(long, hide = true, requires = "pid_file")]
    pub detached_child: bool,
}

/// The simulator's own profiles by their names (`vcf-5.1`, `vcf-5.2`,
/// `vcf-9`), listed in help and in the error for any other value.
fn profile_parser() -> impl clap::builder::TypedValueParser<Value = Profile> {
    PossibleValuesParser::new(Profile::ALL.map(Profile::as_str))
        .try_map(|name| name.parse::<Profile>())
}

pub async fn run(args: SimArgs) -> Result<(), Failure> {
    let profile = args.profile;
    if args.pid_file.is_some() && !args.detached_child {
        return detach(&args);
    }
    let config = SimConfig::builder()
        .profile(profile)
        .listen(args.listen)
        .tls(args.tls)
        .build()
        .map_err(|e| Failure::usage(format!("simulator configuration: {e}")))?;
    // Listen for the signals before anyone can learn where we are.
    let stop = stop_signal()?;
    let sim = Simulator::start(config)
        .await
        .map_err(|e| Failure::other(format!("cannot start the simulator: {e}")))?;
    if let Some(path) = &args.pid_file {
        let pid = format!("{}\n", std::process::id());
        if let Err(e) = write_private(path, &[pid.as_bytes()]) {
            sim.shutdown().await;
            return Err(Failure::usage(format!(
                "cannot write the pid file {}: {e}",
                path.display()
            )));
        }
    }
    if args.print_env {
        progress!("{}", environment(&sim, args.pid_file.is_some()));
    } else {
        describe(&sim, profile, args.pid_file.as_deref());
    }
    if args.detached_child {
        progress!("{READY}");
    }
    stop.await;
    sim.shutdown().await;
    if let Some(path) = &args.pid_file {
        remove_pid_file(path);
    }
    Ok(())
}

/// Resolves on the first SIGINT or SIGTERM.
fn stop_signal() -> Result<impl Future<Output = ()>, Failure> {
    use tokio::signal::unix::{SignalKind, signal};
    let listen = |kind: SignalKind| {
        signal(kind).map_err(|e| Failure::other(format!("cannot wait for signals: {e}")))
    };
    let mut interrupt = listen(SignalKind::interrupt())?;
    let mut terminate = listen(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

/// Removes the pid file if it is still ours.
fn remove_pid_file(path: &Path) {
    let ours = std::fs::read_to_string(path)
        .is_ok_and(|text| text.trim() == std::process::id().to_string());
    if ours {
        let _ = std::fs::remove_file(path);
    }
}

/// The readable description: where it listens and its throwaway
/// credentials, printed so that a user can point idpctl or a test suite
/// at it.
fn describe(sim: &Simulator, profile: Profile, pid_file: Option<&Path>) {
    progress!(
        "idp simulator ({profile}) listening on {}",
        sim.local_addr()
    );
    progress!("");
    for (name, value) in connection_variables(sim) {
        progress!("{name}={value}");
    }
    progress!(
        "admin: {}/__sim/faults, {}/__sim/requests",
        sim.admin_url(),
        sim.admin_url()
    );
    if let Some(pem) = sim.ca_pem() {
        progress!("");
        progress!("CA certificate (save it and pass --ca-cert FILE):");
        progress!("{}", pem.trim_end());
    }
    progress!("");
    match pid_file {
        Some(path) => progress!(
            "Detached (pid {}); stop it with: kill $(cat {})",
            std::process::id(),
            sh_quote(&path.display().to_string())
        ),
        None => progress!("Press Ctrl-C to stop."),
    }
}

/// The variables idpctl and the examples read to reach the simulator, in
/// the order both printers show them.
fn connection_variables(sim: &Simulator) -> Vec<(&'static str, String)> {
    let mut vars = vec![
        ("VCF_URL", sim.vcf().url()),
        ("VCF_USERNAME", sim.vcf().username().to_owned()),
        ("VCF_PASSWORD", sim.vcf().password().to_owned()),
        ("VCF_API_KEY", sim.vcf().api_key()),
        ("UNLEASH_URL", sim.unleash().url()),
        ("UNLEASH_API_TOKEN", sim.unleash().api_key().to_owned()),
        ("BROKER_URL", sim.broker().url()),
        ("BROKER_TENANT", sim.broker().tenant().to_owned()),
        ("BROKER_CLIENT_ID", sim.broker().client_id().to_owned()),
        ("BROKER_CLIENT_SECRET", sim.broker().client_secret()),
        ("OKTA_URL", sim.okta().url()),
        ("OKTA_API_TOKEN", sim.okta().api_token()),
        ("OKTA_APP_ID", sim.okta().app_id()),
        ("ENTRA_LOGIN_URL", sim.entra().login_url()),
        ("ENTRA_GRAPH_URL", sim.entra().graph_url()),
        ("ENTRA_TENANT_ID", sim.entra().tenant_id()),
        ("ENTRA_CLIENT_ID", sim.entra().client_id()),
        ("ENTRA_CLIENT_SECRET", sim.entra().client_secret()),
        (
            "ENTRA_SERVICE_PRINCIPAL_ID",
            sim.entra().service_principal_id(),
        ),
    ];
    if sim.vcf_ops().served() {
        vars.extend([
            ("OPS_URL", sim.vcf_ops().url()),
            ("OPS_USERNAME", sim.vcf_ops().username().to_owned()),
            ("OPS_PASSWORD", sim.vcf_ops().password()),
        ]);
    }
    vars
}

/// `export NAME='value'` lines for a POSIX shell.
fn environment(sim: &Simulator, detached: bool) -> String {
    let mut vars = connection_variables(sim);
    vars.push(("IDP_SIM_ADMIN_URL", sim.admin_url()));
    if let Some(pem) = sim.ca_pem() {
        vars.push(("IDP_SIM_CA_PEM", pem.trim_end().to_owned()));
    }
    if detached {
        vars.push(("IDP_SIM_PID", std::process::id().to_string()));
    }
    vars.iter()
        .map(|(name, value)| format!("export {name}={}", sh_quote(value)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Quotes `value` for a POSIX shell: single quotes, and each `'` inside as
/// `'\''`.
fn sh_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// Starts this command again as a detached process (its own process group,
/// so a terminal's Ctrl-C does not reach it), passes on what it prints
/// until it is ready, and returns.
fn detach(args: &SimArgs) -> Result<(), Failure> {
    use std::os::unix::process::CommandExt as _;
    let exe = std::env::current_exe()
        .map_err(|e| Failure::other(format!("cannot find the idpctl executable: {e}")))?;
    let mut command = std::process::Command::new(exe);
    command
        .arg("sim")
        .arg("--listen")
        .arg(args.listen.to_string())
        .arg("--profile")
        .arg(args.profile.as_str())
        .arg("--detached-child");
    if args.tls {
        command.arg("--tls");
    }
    if args.print_env {
        command.arg("--print-env");
    }
    if let Some(path) = &args.pid_file {
        command.arg("--pid-file").arg(path);
    }
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| Failure::other(format!("cannot start the simulator process: {e}")))?;
    let mut printed = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if line == READY {
                crate::output::write_stdout(&printed)?;
                return Ok(());
            }
            printed.push_str(&line);
            printed.push('\n');
        }
    }
    // It stopped before it was ready: say why, from its stderr.
    let mut reason = String::new();
    if let Some(stderr) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut reason);
    }
    let status = child.wait().ok().and_then(|s| s.code());
    let _ = std::io::stderr().write_all(reason.as_bytes());
    Err(Failure::exit_with(
        status
            .and_then(|c| u8::try_from(c).ok())
            .filter(|c| *c != 0)
            .unwrap_or(1),
        "the detached simulator did not start (see above)",
    ))
}

#[cfg(test)]
mod tests {
    use super::sh_quote;

    #[test]
    fn quotes_for_a_posix_shell() {
        assert_eq!(sh_quote("plain"), "'plain'");
        assert_eq!(sh_quote("it's $HOME `x`"), r"'it'\''s $HOME `x`'");
        assert_eq!(sh_quote(""), "''");
    }
}
