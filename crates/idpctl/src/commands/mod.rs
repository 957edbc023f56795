//! One module per command group.

pub mod apply;
pub mod broker;
pub mod check;
pub mod config;
pub mod demo;
pub mod plan;
pub mod rotate;
pub mod schema;
pub mod sim;
pub mod status;
pub mod unleash;
pub mod vcf;
