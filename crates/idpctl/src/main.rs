//! `idpctl`: VMware Cloud Foundation identity providers and Unleash SCIM
//! tokens from the command line. See `idpctl --help`.

mod cli;
mod commands;
mod confirm;
mod delivery;
mod duration;
mod failure;
mod input;
mod logging;
mod output;
mod settings;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::cli::{Cli, Command, IdpCommand, OutputFormat, SourceCommand, VcfCommand};
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::Settings;

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            return report(&Failure::other(format!(
                "cannot start the async runtime: {e}"
            )));
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(&failure),
    }
}

fn report(failure: &Failure) -> ExitCode {
    // A closed stderr must not turn a reported failure into a panic.
    let _ = std::io::Write::write_all(&mut std::io::stderr(), failure.render().as_bytes());
    ExitCode::from(failure.code)
}

async fn run(cli: Cli) -> Result<(), Failure> {
    if cli.connection.secret_stdin && reads_file_from_stdin(&cli.command) {
        return Err(Failure::usage(
            "--secret-stdin and --file - both need stdin; use one",
        ));
    }
    if cli.output == OutputFormat::Prometheus && !matches!(cli.command, Command::Check(_)) {
        return Err(Failure::usage("-o prometheus is only for `idpctl check`"));
    }
    let out = Output { format: cli.output };
    let settings = Settings::new(cli.connection, cli.timeout);
    match cli.command {
        Command::Vcf { command } => commands::vcf::run(command, &settings, out).await,
        Command::Unleash { command } => commands::unleash::run(command, &settings, out).await,
        Command::Broker { command } => commands::broker::run(command, &settings, out).await,
        Command::Check(args) => commands::check::run(args, &settings, out).await,
        Command::Sim(args) => commands::sim::run(args).await,
        Command::Demo => commands::demo::run().await,
        Command::Plan(args) => commands::plan::run(args, &settings, out).await,
        Command::Apply(args) => commands::apply::run(args, &settings, out).await,
        Command::Schema { document } => commands::schema::run(document),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "idpctl", &mut script);
            output::write_stdout(&String::from_utf8_lossy(&script))
        }
    }
}

fn reads_file_from_stdin(command: &Command) -> bool {
    let file = match command {
        Command::Vcf {
            command:
                VcfCommand::Idp {
                    command: IdpCommand::Add(file) | IdpCommand::Update { file, .. },
                },
        }
        | Command::Vcf {
            command:
                VcfCommand::Source {
                    command: SourceCommand::Add { file, .. } | SourceCommand::Update { file, .. },
                },
        } => Some(file),
        _ => None,
    };
    file.is_some_and(|f| f.file == "-")
}
