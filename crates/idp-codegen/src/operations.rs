//! The operation table: per operation its id, method, path template, tag,
//! declared statuses and success body kind, read from the spec and emitted
//! as Rust `static`s of `idp_api::Operation`, so no crate restates them.

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr, Response, Responses, StatusCode};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::CodegenError;

/// What the spec says about one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationFacts {
    /// The `operationId`.
    pub id: String,
    /// The HTTP method, upper case (`GET`).
    pub method: String,
    /// The path template (`/v1/identity-providers/{id}`).
    pub path: String,
    /// The first tag.
    pub tag: String,
    /// The summary, if the spec has one.
    pub summary: Option<String>,
    /// Every declared response key in spec order (`200`, `2XX`, `default`).
    pub statuses: Vec<String>,
    /// What the success (`2xx`) responses carry.
    pub success: SuccessKind,
    /// The component schema a JSON success body refers to, if it is a `$ref`.
    pub success_schema: Option<String>,
    /// The request body's real media type when the spec can only key it
    /// `application/json` (`x-idp-media-types.request`).
    pub request_media: Option<String>,
    /// The answer's real media type (`x-idp-media-types.response`).
    pub response_media: Option<String>,
}

/// The kind of body an operation's success responses carry; mirrors
/// `idp_api::SuccessBody`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessKind {
    /// `application/json` (or `+json`).
    Json,
    /// A `text/*` body, read raw.
    Text,
    /// Any other media type, read raw.
    Raw,
    /// No body (or no success response declared).
    Empty,
}

impl SuccessKind {
    fn variant(self) -> TokenStream {
        match self {
            Self::Json => quote!(Json),
            Self::Text => quote!(Text),
            Self::Raw => quote!(Raw),
            Self::Empty => quote!(Empty),
        }
    }
}

/// Reads the operation facts of a parsed spec: paths in spec order,
/// methods within a path in openapiv3's order (get, put, post, delete,
/// options, head, patch, trace).
pub fn operation_facts(path: &Path, spec: &OpenAPI) -> Result<Vec<OperationFacts>, CodegenError> {
    let fail = |message: String| CodegenError::OperationTable {
        path: path.to_owned(),
        message,
    };
    let mut facts = Vec::new();
    for (template, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            return Err(fail(format!(
                "path {template}: $ref path items are not supported"
            )));
        };
        for (method, op) in item.iter() {
            let method = method.to_ascii_uppercase();
            let at = format!("{method} {template}");
            let id = op
                .operation_id
                .clone()
                .ok_or_else(|| fail(format!("{at}: missing operationId")))?;
            let tag = op
                .tags
                .first()
                .cloned()
                .ok_or_else(|| fail(format!("{at}: missing a tag")))?;
            let mut statuses: Vec<String> = op
                .responses
                .responses
                .keys()
                .map(ToString::to_string)
                .collect();
            if op.responses.default.is_some() {
                statuses.push("default".to_owned());
            }
            let (success, success_schema) = success_of(spec, &op.responses)
                .map_err(|message| fail(format!("{at}: {message}")))?;
            facts.push(OperationFacts {
                id,
                method,
                path: template.clone(),
                tag,
                summary: op.summary.clone(),
                statuses,
                success,
                success_schema,
                request_media: media_of(op, "request"),
                response_media: media_of(op, "response"),
            });
        }
    }
    Ok(facts)
}

/// The one kind every success response agrees on, and the schema a JSON
/// success body refers to.
fn success_of(
    spec: &OpenAPI,
    responses: &Responses,
) -> Result<(SuccessKind, Option<String>), String> {
    let mut kinds = Vec::new();
    let mut schema = None;
    for (status, response) in &responses.responses {
        let is_success = matches!(status, StatusCode::Code(200..=299) | StatusCode::Range(2));
        if !is_success {
            continue;
        }
        let response = resolve(spec, response)?;
        if response.content.is_empty() {
            kinds.push(SuccessKind::Empty);
        }
        for (media, body) in &response.content {
            let kind = kind_of(media);
            kinds.push(kind);
            if let (SuccessKind::Json, Some(ReferenceOr::Reference { reference })) =
                (kind, &body.schema)
            {
                schema = reference
                    .strip_prefix("#/components/schemas/")
                    .map(str::to_owned);
            }
        }
    }
    kinds.dedup();
    match kinds.as_slice() {
        [] => Ok((SuccessKind::Empty, None)),
        [kind] => Ok((*kind, schema)),
        _ => Err("success responses mix body kinds".to_owned()),
    }
}

fn kind_of(media: &str) -> SuccessKind {
    let essence = media.split(';').next().unwrap_or(media).trim();
    if essence == "application/json" || essence.ends_with("+json") {
        SuccessKind::Json
    } else if essence.starts_with("text/") {
        SuccessKind::Text
    } else {
        SuccessKind::Raw
    }
}

fn resolve<'a>(
    spec: &'a OpenAPI,
    response: &'a ReferenceOr<Response>,
) -> Result<&'a Response, String> {
    match response {
        ReferenceOr::Item(response) => Ok(response),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| spec.components.as_ref()?.responses.get(name))
            .and_then(|found| match found {
                ReferenceOr::Item(response) => Some(response),
                ReferenceOr::Reference { .. } => None,
            })
            .ok_or_else(|| format!("unresolved response {reference}")),
    }
}

/// `getIdentityProviders` -> `GET_IDENTITY_PROVIDERS`.
#[must_use]
pub fn constant_name(operation_id: &str) -> String {
    let chars: Vec<char> = operation_id.chars().collect();
    let mut name = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            if !name.is_empty() && !name.ends_with('_') {
                name.push('_');
            }
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 && !name.ends_with('_') {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                name.push('_');
            }
        }
        name.push(c.to_ascii_uppercase());
    }
    let name = name.trim_end_matches('_').to_owned();
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("OP_{name}")
    } else {
        name
    }
}

/// The Rust source of the operation table for one spec.
pub fn operation_table(path: &Path, spec: &OpenAPI) -> Result<String, CodegenError> {
    let facts = operation_facts(path, spec)?;
    let mut names = BTreeSet::from(["ALL".to_owned()]);
    let mut statics = Vec::new();
    let mut idents = Vec::new();
    for op in &facts {
        let name = constant_name(&op.id);
        if !names.insert(name.clone()) {
            return Err(CodegenError::OperationTable {
                path: path.to_owned(),
                message: format!(
                    "operationId `{}` gives the constant name {name}, which is taken",
                    op.id
                ),
            });
        }
        let ident = format_ident!("{name}");
        let summary = op.summary.as_deref().unwrap_or(&op.id);
        let doc_summary = format!(" {summary}");
        let doc_where = format!(" `{} {}` (`{}`).", op.method, op.path, op.id);
        let (id, method, template, tag) =
            (&op.id, format_ident!("{}", op.method), &op.path, &op.tag);
        let statuses = &op.statuses;
        let success = op.success.variant();
        let schema = match &op.success_schema {
            Some(name) => quote!(Some(#name)),
            None => quote!(None),
        };
        let option = |value: &Option<String>| match value {
            Some(text) => quote!(Some(#text)),
            None => quote!(None),
        };
        let (request_media, response_media) =
            (option(&op.request_media), option(&op.response_media));
        statics.push(quote! {
            #[doc = #doc_summary]
            #[doc = ""]
            #[doc = #doc_where]
            pub static #ident: crate::Operation = crate::Operation {
                id: #id,
                method: ::http::Method::#method,
                path: #template,
                tag: #tag,
                statuses: &[#(#statuses),*],
                success: crate::SuccessBody::#success,
                success_schema: #schema,
                request_media: #request_media,
                response_media: #response_media,
            };
        });
        idents.push(ident);
    }
    let tokens = quote! {
        #(#statics)*

        /// Every operation of this spec: paths in spec order, methods within a
        /// path in the order get, put, post, delete, options, head, patch, trace.
        pub static ALL: &[&crate::Operation] = &[#(&#idents),*];

        /// The operation with this `operationId`, if the spec has one.
        #[must_use]
        pub fn find(id: &str) -> Option<&'static crate::Operation> {
            crate::Operation::find_in(ALL, id)
        }
    };
    let file = syn::parse2::<syn::File>(tokens).map_err(|e| CodegenError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// One side of an operation's `x-idp-media-types` extension: the vendor
/// media types progenitor cannot generate (it knows `application/json`).
fn media_of(operation: &openapiv3::Operation, side: &str) -> Option<String> {
    operation
        .extensions
        .get("x-idp-media-types")?
        .get(side)?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn constant_names_are_screaming_snake() {
        assert_eq!(
            constant_name("getIdentityProviders"),
            "GET_IDENTITY_PROVIDERS"
        );
        assert_eq!(constant_name("generateScimToken"), "GENERATE_SCIM_TOKEN");
        assert_eq!(constant_name("getHTTPStatus"), "GET_HTTP_STATUS");
        assert_eq!(constant_name("list-v2Things"), "LIST_V2_THINGS");
        assert_eq!(constant_name("2fa"), "OP_2FA");
    }

    fn spec(paths: serde_json::Value) -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "components": {"responses": {
                "Plain": {"description": "text", "content": {"text/plain": {"schema": {"type": "string"}}}}
            }}
        }))
        .unwrap()
    }

    fn table_error(paths: serde_json::Value) -> String {
        operation_table(Path::new("t.json"), &spec(paths))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn facts_follow_the_spec() {
        let spec = spec(serde_json::json!({
            "/things/{id}": {
                "get": {"operationId": "getThing", "tags": ["Things", "Other"], "summary": "One thing",
                        "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                                      "404": {"description": "missing"},
                                      "default": {"description": "error"}}},
                "put": {"operationId": "putThing", "tags": ["Things"],
                        "responses": {"2XX": {"$ref": "#/components/responses/Plain"}}},
                "delete": {"operationId": "deleteThing", "tags": ["Things"],
                           "responses": {"204": {"description": "gone"}}}
            }
        }));
        let facts = operation_facts(Path::new("t.json"), &spec).unwrap();
        let ids: Vec<&str> = facts.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["getThing", "putThing", "deleteThing"]);
        assert_eq!(facts[0].method, "GET");
        assert_eq!(facts[0].path, "/things/{id}");
        assert_eq!(facts[0].tag, "Things");
        assert_eq!(facts[0].statuses, ["200", "404", "default"]);
        assert_eq!(facts[0].success, SuccessKind::Json);
        assert_eq!(facts[0].success_schema.as_deref(), Some("Thing"));
        assert_eq!(
            facts[1].success,
            SuccessKind::Text,
            "through a $ref response"
        );
        assert_eq!(facts[2].success, SuccessKind::Empty);
        let code = operation_table(Path::new("t.json"), &spec).unwrap();
        assert!(
            code.contains("pub static GET_THING: crate::Operation"),
            "{code}"
        );
        assert!(code.contains("/// One thing"), "{code}");
        assert!(
            code.contains("/// putThing"),
            "no summary: the id documents it: {code}"
        );
        assert!(code.contains("pub fn find(id: &str)"), "{code}");
    }

    #[test]
    fn unusable_specs_are_errors_naming_the_operation() {
        let mixed = table_error(
            serde_json::json!({"/a": {"get": {"operationId": "a", "tags": ["T"], "responses": {
            "200": {"description": "j", "content": {"application/json": {}}},
            "201": {"description": "none"}}}}}),
        );
        assert!(
            mixed.contains("t.json: operation table: GET /a: success responses mix body kinds"),
            "{mixed}"
        );
        let untagged =
            table_error(serde_json::json!({"/a": {"get": {"operationId": "a", "responses": {}}}}));
        assert!(untagged.contains("GET /a: missing a tag"), "{untagged}");
        let clash = table_error(serde_json::json!({"/a": {
            "get": {"operationId": "getA", "tags": ["T"], "responses": {}},
            "put": {"operationId": "get_a", "tags": ["T"], "responses": {}}}}));
        assert!(
            clash.contains("`get_a` gives the constant name GET_A, which is taken"),
            "{clash}"
        );
        let reserved = table_error(
            serde_json::json!({"/a": {"get": {"operationId": "all", "tags": ["T"], "responses": {}}}}),
        );
        assert!(reserved.contains("constant name ALL"), "{reserved}");
        let dangling = table_error(
            serde_json::json!({"/a": {"get": {"operationId": "a", "tags": ["T"], "responses": {
            "200": {"$ref": "#/components/responses/Nope"}}}}}),
        );
        assert!(
            dangling.contains("unresolved response #/components/responses/Nope"),
            "{dangling}"
        );
    }

    #[test]
    fn media_types_map_to_kinds() {
        assert_eq!(kind_of("application/json"), SuccessKind::Json);
        assert_eq!(
            kind_of("application/problem+json; charset=utf-8"),
            SuccessKind::Json
        );
        assert_eq!(kind_of("text/plain"), SuccessKind::Text);
        assert_eq!(kind_of("application/octet-stream"), SuccessKind::Raw);
    }
}
