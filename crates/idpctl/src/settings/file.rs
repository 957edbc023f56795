//! Where the configuration file of the contexts is, and the context names
//! it offers to shell completion.

use std::path::PathBuf;

use crate::contexts;
use crate::failure::Failure;

/// The variable that names the configuration file instead of the default.
pub const CONFIG_ENV: &str = "IDPCTL_CONFIG";

/// The configuration file of the contexts: `$IDPCTL_CONFIG`, else
/// `idpctl/config.toml` in the platform's configuration directory
/// (`$XDG_CONFIG_HOME`, by default `~/.config`, on Linux;
/// `~/Library/Application Support` on macOS; `%APPDATA%` on Windows; as the
/// `dirs` crate gives them).
pub fn config_file_path() -> Result<PathBuf, Failure> {
    if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(path));
    }
    dirs::config_dir()
        .map(|dir| dir.join("idpctl").join("config.toml"))
        .ok_or_else(|| {
            Failure::usage(format!(
                "cannot find the configuration directory (no home directory?); set {CONFIG_ENV}"
            ))
        })
}

/// The context names of the configuration file that start with
/// `current`, for shell completion (an unreadable file has none).
pub fn complete_context_name(current: &std::ffi::OsStr) -> Vec<clap_complete::CompletionCandidate> {
    let current = current.to_string_lossy();
    config_file_path()
        .and_then(|p| contexts::load(&p))
        .map(|file| file.contexts.into_keys().collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .filter(|name| name.starts_with(current.as_ref()))
        .map(clap_complete::CompletionCandidate::new)
        .collect()
}
