//! `idpctl config use NAME`: the current context.

use std::path::Path;

use serde_json::json;

use super::existing;
use crate::contexts::{self, ContextsFile};
use crate::failure::Failure;
use crate::output::Output;

pub fn run(name: &str, file: &mut ContextsFile, path: &Path, out: Output) -> Result<(), Failure> {
    existing(file, name, path)?;
    file.current_context = Some(name.to_owned());
    contexts::save(path, file)?;
    out.emit(&json!({ "currentContext": name }), || {
        format!("current context: {name}\n")
    })
}
