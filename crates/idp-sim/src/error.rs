//! The simulator's own error type: what can go wrong starting and
//! configuring it (the vendor error bodies it serves are in
//! `vendor_error`).

use std::net::SocketAddr;

/// The simulator's one error type.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The configuration is invalid (or a profile/edition name is unknown).
    #[error("invalid simulator configuration: {0}")]
    Config(String),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The TLS material could not be generated or loaded.
    #[error("TLS setup failed: {0}")]
    Tls(String),
    /// A fault rule is invalid.
    #[error("invalid fault rule: {0}")]
    InvalidFault(String),
    /// Another I/O failure.
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}
