//! `idpctl completions SHELL`: the script that registers idpctl's dynamic
//! completions with a shell.

use clap::Args;

use crate::failure::Failure;
use crate::output;

/// The variable that turns a run into a shell-completion request (what the
/// scripts set).
pub const COMPLETE_ENV: &str = "COMPLETE";

/// `idpctl completions SHELL`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// The shell asks `idpctl` itself (with `COMPLETE` set) for candidates, so
/// context names come from the configuration file at that moment.
pub fn run(args: &CompletionsArgs) -> Result<(), Failure> {
    let name = args.shell.to_string();
    let shells = clap_complete::env::Shells::builtins();
    let completer = shells
        .completer(&name)
        .ok_or_else(|| Failure::usage(format!("no completions for {name}")))?;
    let mut script = Vec::new();
    completer
        .write_registration(COMPLETE_ENV, "idpctl", "idpctl", "idpctl", &mut script)
        .map_err(|e| Failure::other(format!("cannot write the script: {e}")))?;
    output::write_stdout(&String::from_utf8_lossy(&script))
}
