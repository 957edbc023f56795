//! `idpctl config list | show | use | set | delete`: the named contexts of
//! the configuration file. Secrets are stored and shown only as references.

mod delete;
mod keys;
mod list;
mod set;
mod show;
mod use_context;

use clap::Subcommand;

use crate::contexts::{self, Context, ContextsFile};
use crate::failure::Failure;
use crate::output::Output;
use crate::settings::{Settings, config_file_path};

/// `idpctl config ...`.
#[derive(Debug, Subcommand)]
// Parsed once per run: `Set`'s options need no box.
#[allow(clippy::large_enum_variant)]
pub enum ConfigCommand {
    /// The contexts (the current one marked with `*`) and the file's path.
    List,
    /// One context's settings (secrets only as their references).
    Show {
        /// The context (default: the one in force).
        name: Option<String>,
    },
    /// Make NAME the current context.
    Use { name: String },
    /// Create or change a context: one table per API (vcf, unleash,
    /// broker, okta, entra), each a URL, a CA file and one kind of
    /// credentials; the global --ca-cert is the CA file of every API of
    /// the context that has none of its own; --unset removes a key.
    Set(set::SetArgs),
    /// Delete a context.
    Delete { name: String },
}

pub fn run(command: ConfigCommand, settings: &Settings, out: Output) -> Result<(), Failure> {
    let path = config_file_path()?;
    let mut file = contexts::load(&path)?;
    match command {
        ConfigCommand::List => list::run(&file, &path, out),
        ConfigCommand::Show { name } => show::run(name, &file, &path, settings, out),
        ConfigCommand::Use { name } => use_context::run(&name, &mut file, &path, out),
        ConfigCommand::Set(args) => set::run(&args, &mut file, &path, settings, out),
        ConfigCommand::Delete { name } => delete::run(&name, &mut file, &path, out),
    }
}

/// The context `name` of the file, or a usage error that names the file.
fn existing<'a>(
    file: &'a ContextsFile,
    name: &str,
    path: &std::path::Path,
) -> Result<&'a Context, Failure> {
    file.contexts.get(name).ok_or_else(|| {
        Failure::usage(format!(
            "no context `{name}` in {}; see `idpctl config list`",
            path.display()
        ))
    })
}
