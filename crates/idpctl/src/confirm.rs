//! Confirmation before destructive commands: one `--yes` for all of them.

use std::io::{BufRead, IsTerminal, Write};

use clap::Args;

use crate::failure::Failure;

/// `--yes`, `-y`.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct Confirm {
    /// Do not ask for confirmation (required without a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

impl Confirm {
    /// Asks `question` unless `--yes` was given; see [`confirm`].
    pub fn ask(self, question: &str) -> Result<(), Failure> {
        confirm(self.yes, question)
    }
}

/// Asks on the terminal unless `yes`; without a terminal, `--yes` is required.
/// Nothing has been sent when this fails.
pub fn confirm(yes: bool, question: &str) -> Result<(), Failure> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Failure::usage(format!(
            "{question}: refusing without confirmation; pass --yes when not on a terminal"
        )));
    }
    let mut stderr = std::io::stderr().lock();
    let _ = write!(
        stderr,
        "{}? [y/N] ",
        idp_client::terminal::sanitize(question)
    );
    let _ = stderr.flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::usage(format!("cannot read the answer: {e}")))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(Failure::usage("aborted: nothing was changed"))
    }
}
