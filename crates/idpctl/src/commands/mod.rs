//! One module per command group.

pub mod demo;
pub mod schema;
pub mod sim;
pub mod unleash;
pub mod vcf;
