//! Finding the id of a provider the server created without saying its id.
//!
//! SDDC Manager has at most one external identity provider, so the external
//! provider that exists after the `POST` and did not before is the new one.
//! Only when that difference is empty (a server that replaced a provider in
//! place, a listing that omits it) are names compared: the spec's top-level
//! `name`, `fedIdpSpec.name` and the directory's name. More than one match
//! is refused: the provider was created, and guessing could hand the caller
//! someone else's provider to generate tokens for or to delete.

use std::collections::HashSet;

use crate::IdentityProviderSpec;

use crate::IdentityProvider;

/// Why the new provider could not be singled out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unidentified {
    /// The name the provider was created with, for the error.
    pub(crate) name: String,
    /// The ids that matched equally well (empty: none matched).
    pub(crate) candidates: Vec<String>,
}

/// The names a provider created from `spec` may be listed under, in the
/// order they are tried.
pub(crate) fn spec_names(spec: &IdentityProviderSpec) -> Vec<String> {
    let spec = spec.wire();
    let fed = spec.fed_idp_spec.as_ref();
    [
        spec.name.clone(),
        fed.and_then(|f| f.name.clone()),
        fed.and_then(|f| f.directory.as_ref())
            .and_then(|d| d.name.clone()),
    ]
    .into_iter()
    .flatten()
    .map(|n| n.trim().to_owned())
    .filter(|n| !n.is_empty())
    .collect()
}

/// The id of the provider that is new in `after` compared with `before`
/// (`None`: the listing before the `POST` failed; then names only).
pub(crate) fn identify(
    before: Option<&[IdentityProvider]>,
    after: &[IdentityProvider],
    names: &[String],
) -> Result<String, Unidentified> {
    let name = names.first().cloned().unwrap_or_default();
    let external = || {
        after
            .iter()
            .filter(|p| !p.is_embedded() && !p.id.trim().is_empty())
    };
    if let Some(before) = before {
        let known: HashSet<&str> = before.iter().map(|p| p.id.as_str()).collect();
        let new: Vec<&IdentityProvider> = external()
            .filter(|p| !known.contains(p.id.as_str()))
            .collect();
        if let Some(decided) = decide(&new, &name) {
            return decided;
        }
    }
    for wanted in names {
        let matches: Vec<&IdentityProvider> = external()
            .filter(|p| {
                p.has_name(wanted)
                    || p.fed_idp
                        .as_ref()
                        .and_then(|f| f.directory_list.as_ref())
                        .and_then(|d| d.name.as_deref())
                        .is_some_and(|d| d.trim().eq_ignore_ascii_case(wanted))
            })
            .collect();
        if let Some(decided) = decide(&matches, &name) {
            return decided;
        }
    }
    Err(Unidentified {
        name,
        candidates: Vec::new(),
    })
}

/// One match is the answer, several are refused, none decides nothing.
fn decide(matches: &[&IdentityProvider], name: &str) -> Option<Result<String, Unidentified>> {
    match matches {
        [] => None,
        [only] => Some(Ok(only.id.clone())),
        several => Some(Err(Unidentified {
            name: name.to_owned(),
            candidates: several.iter().map(|p| p.id.clone()).collect(),
        })),
    }
}
