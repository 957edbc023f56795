//! `idpctl`: identity federation from the command line: SDDC Manager
//! identity providers, Unleash SCIM, the VCF Identity Broker, and rotated
//! tokens delivered to Okta and Microsoft Entra. See `idpctl --help`.

mod cli;
mod commands;
mod confirm;
mod contexts;
mod delivery;
mod duration;
mod failure;
mod input;
mod logging;
mod man;
mod output;
mod settings;
mod terminal;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use clap_complete::env::CompleteEnv;

use crate::cli::{Cli, Command};
use crate::commands::completions::COMPLETE_ENV;
use crate::failure::Failure;
use crate::output::{Output, OutputFormat};
use crate::settings::Settings;

/// `idpctl --version`: the version, and the git commit when built from git.
pub const VERSION: &str = env!("IDPCTL_VERSION");

fn main() -> ExitCode {
    // Answers a completion request from the shell (and exits) before
    // anything is written to stdout.
    CompleteEnv::with_factory(completing_command)
        .var(COMPLETE_ENV)
        .complete();
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
    if cli.connection.secret_stdin && cli.command.reads_stdin() {
        return Err(Failure::usage(
            "--secret-stdin and --file - (or --token-stdin) both need stdin; use one",
        ));
    }
    if cli.output == OutputFormat::Prometheus && !matches!(cli.command, Command::Check(_)) {
        return Err(Failure::usage("-o prometheus is only for `idpctl check`"));
    }
    let out = Output { format: cli.output };
    let settings = Settings::new(
        cli.connection,
        cli.early,
        cli.timeout,
        cli.context.as_deref(),
    );
    match cli.command {
        Command::Vcf(args) => commands::vcf::run(args, &settings, out).await,
        Command::Unleash(args) => commands::unleash::run(args, &settings, out).await,
        Command::Broker(args) => commands::broker::run(args, &settings, out).await,
        Command::Ops(args) => commands::ops::run(args, &settings, out).await,
        Command::Scim(args) => commands::scim::run(args, &settings, out).await,
        Command::Check(args) => commands::check::run(args, &settings, out).await,
        Command::Sim(args) => commands::sim::run(args).await,
        Command::Demo => commands::demo::run().await,
        Command::Plan(args) => commands::plan::run(args, &settings, out).await,
        Command::Apply(args) => commands::apply::run(args, &settings, out).await,
        Command::Config { command } => commands::config::run(command, &settings, out),
        Command::Schema { document } => commands::schema::run(document),
        Command::Completions(args) => commands::completions::run(&args),
        Command::GenerateMan { out_dir } => {
            let count = man::write(&out_dir)?;
            output::write_stdout(&format!("{count} manual pages in {}\n", out_dir.display()))
        }
    }
}

/// The command line with the completers of context names: the global
/// `--context` and the NAME of `config show | use | set | delete`.
fn completing_command() -> clap::Command {
    use clap_complete::engine::ArgValueCompleter;
    let names = || ArgValueCompleter::new(settings::complete_context_name);
    Cli::command()
        .mut_arg("context", |arg| arg.add(names()))
        .mut_subcommand("config", |config| {
            ["show", "use", "set", "delete"]
                .into_iter()
                .fold(config, |config, sub| {
                    config.mut_subcommand(sub, |c| c.mut_arg("name", |arg| arg.add(names())))
                })
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_completing_command_line_is_well_formed() {
        super::completing_command().debug_assert();
    }
}
