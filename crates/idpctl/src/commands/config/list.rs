//! `idpctl config list`: the contexts, the current one marked, and where
//! the file is.

use std::path::Path;

use serde_json::json;

use crate::contexts::ContextsFile;
use crate::failure::Failure;
use crate::output::{self, Output};

pub fn run(file: &ContextsFile, path: &Path, out: Output) -> Result<(), Failure> {
    let json = json!({
        "path": path.display().to_string(),
        "currentContext": file.current_context,
        "contexts": file.contexts,
    });
    out.emit(&json, || {
        let url = |endpoint: Option<&idp_config::connection::Endpoint>| {
            endpoint.and_then(|e| e.url.clone()).unwrap_or_default()
        };
        let rows: Vec<Vec<String>> = file
            .contexts
            .iter()
            .map(|(name, context)| {
                let current = file.current_context.as_deref() == Some(name.as_str());
                vec![
                    if current { "*" } else { "" }.to_owned(),
                    name.clone(),
                    url(context.vcf.as_ref().map(|v| &v.endpoint)),
                    url(context.unleash.as_ref().map(|u| &u.endpoint)),
                    url(context.broker.as_ref().map(|b| &b.endpoint)),
                    url(context.ops.as_ref().map(|o| &o.endpoint)),
                ]
            })
            .collect();
        let mut text = output::table(
            &[
                "CURRENT",
                "NAME",
                "VCF URL",
                "UNLEASH URL",
                "BROKER URL",
                "OPS URL",
            ],
            &rows,
        );
        text.push_str(&format!("file: {}\n", path.display()));
        text
    })
}
