//! The tokio runtime that drives a Rust contender ([`Flavor`]).

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start tokio: {e}"))
}

/// Which tokio runtime drives the Rust contenders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `current_thread` at concurrency 1 (one task: what a CLI or a script
    /// runs), `multi_thread` (one worker per core) above.
    Auto,
    /// Always `current_thread`.
    CurrentThread,
    /// Always `multi_thread`.
    MultiThread,
}

impl Flavor {
    pub(crate) fn name(self, concurrency: usize) -> &'static str {
        if self.multi(concurrency) {
            "multi_thread"
        } else {
            "current_thread"
        }
    }

    pub(crate) fn arg(self) -> &'static str {
        match self {
            Flavor::Auto => "auto",
            Flavor::CurrentThread => "current-thread",
            Flavor::MultiThread => "multi-thread",
        }
    }

    pub(crate) fn runtime(self, concurrency: usize) -> Result<tokio::runtime::Runtime, String> {
        if self.multi(concurrency) {
            runtime()
        } else {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start tokio: {e}"))
        }
    }

    fn multi(self, concurrency: usize) -> bool {
        match self {
            Flavor::Auto => concurrency > 1,
            Flavor::CurrentThread => false,
            Flavor::MultiThread => true,
        }
    }
}
