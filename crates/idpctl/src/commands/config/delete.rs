//! `idpctl config delete NAME`.

use std::path::Path;

use serde_json::json;

use super::existing;
use crate::contexts::{self, ContextsFile};
use crate::failure::Failure;
use crate::output::Output;

pub fn run(name: &str, file: &mut ContextsFile, path: &Path, out: Output) -> Result<(), Failure> {
    existing(file, name, path)?;
    file.contexts.remove(name);
    let was_current = file.current_context.as_deref() == Some(name);
    if was_current {
        file.current_context = None;
    }
    contexts::save(path, file)?;
    out.emit(&json!({ "context": name, "result": "deleted" }), || {
        let mut text = format!("context {name} deleted\n");
        if was_current {
            text.push_str("it was the current context: none is current now\n");
        }
        text
    })
}
