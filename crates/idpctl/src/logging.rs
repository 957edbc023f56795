//! `-v`, `-vv`, `-vvv`: tracing on stderr.

use tracing_subscriber::EnvFilter;

/// Installs a stderr subscriber: warnings by default, then info, debug, trace.
pub fn init(verbosity: u8) {
    let level = match verbosity {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    // Our own crates at the chosen level; HTTP internals one step quieter
    // so -vvv stays readable (they never see secrets: headers are marked
    // sensitive and bodies are not logged).
    let filter = EnvFilter::new(format!(
        "warn,idpctl={level},idp_client={level},idp_sim={level}"
    ));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(verbosity >= 2)
        .with_ansi(crate::settings::colour(std::io::IsTerminal::is_terminal(
            &std::io::stderr(),
        )))
        .try_init();
}
