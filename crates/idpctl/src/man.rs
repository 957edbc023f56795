//! Manual pages: one per command (`idpctl.1`, `idpctl-vcf-idp-list.1`,
//! ...), rendered by clap_mangen from the same definition as `--help`.
//! Written by the hidden `idpctl generate-man DIR`, which `cargo xtask man`
//! runs (so xtask needs neither clap nor idpctl's code).

use std::path::Path;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::failure::Failure;

/// Writes every page into `dir` (created when missing); how many.
pub fn write(dir: &Path) -> Result<usize, Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Failure::other(format!("cannot create {}: {e}", dir.display())))?;
    clap_mangen::generate_to(Cli::command(), dir)
        .map_err(|e| Failure::other(format!("cannot write the manual pages: {e}")))?;
    Ok(page_names().len())
}

/// The file name of every page: one per visible command.
pub fn page_names() -> Vec<String> {
    fn walk(cmd: &clap::Command, names: &mut Vec<String>) {
        names.push(format!(
            "{}.1",
            cmd.get_display_name().unwrap_or_else(|| cmd.get_name())
        ));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, names);
        }
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut names = Vec::new();
    walk(&cmd, &mut names);
    names
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::{page_names, write};

    #[test]
    fn every_command_gets_a_page() {
        let dir = tempfile::tempdir().unwrap();
        let count = write(dir.path()).unwrap();
        let names = page_names();
        assert_eq!(count, names.len());
        for expected in [
            "idpctl.1",
            "idpctl-vcf-idp-list.1",
            "idpctl-config-set.1",
            "idpctl-sim.1",
        ] {
            assert!(names.iter().any(|n| n == expected), "{expected}: {names:?}");
        }
        for name in &names {
            let page = std::fs::read_to_string(dir.path().join(name)).unwrap();
            assert!(page.contains(".TH "), "{name}");
        }
        let written = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(written, names.len(), "no page for a hidden command");
        let main = std::fs::read_to_string(dir.path().join("idpctl.1")).unwrap();
        assert!(main.contains("config"), "{main}");
    }
}
