//! `--ttl` values: `3600`, `90s`, `90m`, `12h`, `30d` (the same parser
//! reads `syncClientTokenTtl` in declarative documents).

pub use idp_config::parse_duration;
