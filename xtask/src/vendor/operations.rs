//! Our spec and a vendor subset compared operation by operation: the
//! operations themselves (ours the vendor lacks and the reverse),
//! `operationId`, the path's parameter names, security (when the vendor
//! declares any), parameters (name, location, required, schema), the
//! request body (presence, required, media types, schema) and the responses
//! (statuses, media types, schemas); schemas property by property
//! ([`super::compare`]), after the normalizations of [`super::normalize`].

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::compare::{Comparer, Finding, Kind, Mode, Side, shape};
use super::normalize::{self, Body, Operation, is_raw_text, is_success};

/// How our spec's operations are matched with the vendor's.
#[derive(Debug, Clone, Copy)]
pub struct Matching<'p> {
    /// Removed from our paths before matching (the vendor's server URL
    /// holds it).
    pub our_path_prefix: &'p str,
    /// Whether a vendor operation our spec lacks is a difference.
    pub all_vendor_operations: bool,
}

impl Default for Matching<'_> {
    fn default() -> Self {
        Self {
            our_path_prefix: "",
            all_vendor_operations: true,
        }
    }
}

/// Every difference between our spec and a vendor subset, each with the
/// operations it is reached from, sorted.
#[must_use]
pub fn compare_documents(ours: &Value, theirs: &Value) -> Vec<(Finding, BTreeSet<String>)> {
    compare_documents_with(ours, theirs, Matching::default())
}

/// [`compare_documents`], matching operations as `matching` says.
#[must_use]
pub fn compare_documents_with(
    ours: &Value,
    theirs: &Value,
    matching: Matching<'_>,
) -> Vec<(Finding, BTreeSet<String>)> {
    let our_operations = normalize::operations(ours, true);
    let their_operations = normalize::operations(theirs, false);
    let mut found: BTreeMap<Finding, BTreeSet<String>> = BTreeMap::new();
    let mut comparer = Comparer::new(ours, theirs);
    let mut matched = BTreeSet::new();
    let mut our_errors: BTreeMap<String, (&Value, BTreeSet<String>)> = BTreeMap::new();
    let mut their_errors: BTreeMap<String, &Value> = BTreeMap::new();

    for o in &our_operations {
        let name =
            o.id.clone()
                .unwrap_or_else(|| format!("{} {}", o.method.to_uppercase(), o.path));
        let key = super::normalized_path(strip_prefix(&o.path, matching.our_path_prefix));
        let Some((i, t)) = their_operations
            .iter()
            .enumerate()
            .find(|(_, t)| t.method == o.method && super::normalized_path(&t.path) == key)
        else {
            comparer.push(
                &o.pointer,
                None,
                "operation",
                format!("{} {}", o.method.to_uppercase(), o.path),
                "absent",
            );
            drain(&mut comparer, &mut found, &name);
            continue;
        };
        matched.insert(i);
        operation(&mut comparer, o, t, matching.our_path_prefix);
        for (status, body) in &o.responses {
            if !is_success(status) {
                for (schema, at) in body.content.values().flatten() {
                    let s = shape(ours, schema, at, Side::Ours);
                    our_errors
                        .entry(s.pointer)
                        .or_insert((schema, BTreeSet::new()))
                        .1
                        .insert(name.clone());
                }
            }
        }
        for (status, body) in &t.responses {
            if !is_success(status) {
                for (schema, at) in body.content.values().flatten() {
                    let s = shape(theirs, schema, at, Side::Theirs);
                    their_errors.entry(s.pointer).or_insert(schema);
                }
            }
        }
        drain(&mut comparer, &mut found, &name);
    }
    for (i, t) in their_operations.iter().enumerate() {
        if matched.contains(&i) || !matching.all_vendor_operations {
            continue;
        }
        let name =
            t.id.clone()
                .unwrap_or_else(|| format!("{} {}", t.method.to_uppercase(), t.path));
        comparer.push(
            &super::operation_pointer(&t.path, t.method),
            Some(&t.pointer),
            "operation",
            "absent",
            format!("{} {}", t.method.to_uppercase(), t.path),
        );
        drain(&mut comparer, &mut found, &name);
    }

    // Normalization 5, second half: each top-level property of our error
    // schema is in at least one of the vendor's error schemas.
    let mut union = BTreeSet::new();
    for (at, schema) in &their_errors {
        if let Kind::Typed(t) = shape(theirs, schema, at, Side::Theirs).kind {
            union.extend(t.properties.into_keys());
        }
    }
    for (at, (schema, operations)) in &our_errors {
        let Kind::Typed(typed) = shape(ours, schema, at, Side::Ours).kind else {
            continue;
        };
        for (property, (node, pointer)) in &typed.properties {
            if !union.contains(property) {
                let required = if typed.required.contains(property) {
                    "required"
                } else {
                    "optional"
                };
                let rendered = format!("{}, {required}", comparer.render_ours(node, pointer));
                found
                    .entry(Finding {
                        pointer: pointer.clone(),
                        differs: "property".to_owned(),
                        ours: rendered,
                        theirs: "absent".to_owned(),
                        vendor_pointer: None,
                    })
                    .or_default()
                    .extend(operations.iter().cloned());
            }
        }
    }
    found.into_iter().collect()
}

/// `path` without `prefix` when it starts with it (and then a `/`).
fn strip_prefix<'p>(path: &'p str, prefix: &str) -> &'p str {
    path.strip_prefix(prefix)
        .filter(|rest| !prefix.is_empty() && rest.starts_with('/'))
        .unwrap_or(path)
}

fn drain(comparer: &mut Comparer<'_>, found: &mut BTreeMap<Finding, BTreeSet<String>>, name: &str) {
    for finding in std::mem::take(&mut comparer.findings) {
        found.entry(finding).or_default().insert(name.to_owned());
    }
}

/// Compares one matched pair of operations (`prefix` removed from our
/// path).
fn operation<'a>(c: &mut Comparer<'a>, o: &Operation<'a>, t: &Operation<'a>, prefix: &str) {
    if o.id != t.id {
        c.push(
            &format!("{}/operationId", o.pointer),
            Some(&format!("{}/operationId", t.pointer)),
            "operationId",
            o.id.clone().unwrap_or_else(|| "absent".to_owned()),
            t.id.clone().unwrap_or_else(|| "absent".to_owned()),
        );
    }
    if strip_prefix(&o.path, prefix) != t.path {
        c.push(&o.pointer, Some(&t.pointer), "path", &o.path, &t.path);
    }
    if let (Some(a), Some(b)) = (o.secured, t.secured)
        && a != b
    {
        let text = |s: bool| if s { "required" } else { "none" };
        c.push(
            &format!("{}/security", o.pointer),
            Some(&format!("{}/security", t.pointer)),
            "security",
            text(a),
            text(b),
        );
    }
    parameters(c, o, t);
    match (&o.request, &t.request) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            if a.required != b.required {
                let text = |r: bool| if r { "required" } else { "optional" };
                c.push(
                    &a.pointer,
                    Some(&b.pointer),
                    "required",
                    text(a.required),
                    text(b.required),
                );
            }
            body(c, a, b, Mode::Equal);
        }
        (Some(a), None) => {
            let ours = render_body(c, a, Side::Ours);
            c.push(
                &a.pointer,
                Some(&format!("{}/requestBody", t.pointer)),
                "requestBody",
                ours,
                "absent",
            );
        }
        (None, Some(b)) => {
            let theirs = render_body(c, b, Side::Theirs);
            c.push(
                &format!("{}/requestBody", o.pointer),
                Some(&b.pointer),
                "requestBody",
                "absent",
                theirs,
            );
        }
    }
    responses(c, o, t);
}

fn parameters<'a>(c: &mut Comparer<'a>, o: &Operation<'a>, t: &Operation<'a>) {
    let keys: BTreeSet<(&str, &str)> = o
        .parameters
        .iter()
        .chain(&t.parameters)
        .map(|p| (p.location.as_str(), p.name.as_str()))
        .collect();
    let required = |r: bool| if r { "required" } else { "optional" };
    for (location, name) in keys {
        let a = o
            .parameters
            .iter()
            .find(|p| p.location == location && p.name == name);
        let b = t
            .parameters
            .iter()
            .find(|p| p.location == location && p.name == name);
        match (a, b) {
            (Some(a), Some(b)) => {
                if a.required != b.required {
                    c.push(
                        &a.pointer,
                        Some(&b.pointer),
                        "required",
                        required(a.required),
                        required(b.required),
                    );
                }
                match (&a.schema, &b.schema) {
                    (Some((x, xa)), Some((y, ya))) => {
                        let (x, y, xa, ya) = (*x, *y, xa.clone(), ya.clone());
                        c.schemas(x, &xa, y, &ya, Mode::Equal);
                    }
                    (None, None) => {}
                    _ => {
                        let ours = a
                            .schema
                            .as_ref()
                            .map_or("any".to_owned(), |(n, p)| c.render_ours(n, p));
                        let theirs = b
                            .schema
                            .as_ref()
                            .map_or("any".to_owned(), |(n, p)| c.render_theirs(n, p));
                        c.push(&a.pointer, Some(&b.pointer), "type", ours, theirs);
                    }
                }
            }
            (Some(a), None) => {
                let rendered = render_parameter(c, a, Side::Ours);
                c.push(
                    &a.pointer,
                    Some(&format!("{}/parameters", t.pointer)),
                    "parameter",
                    rendered,
                    "absent",
                );
            }
            (None, Some(b)) => {
                let rendered = render_parameter(c, b, Side::Theirs);
                c.push(
                    &format!("{}/parameters", o.pointer),
                    Some(&b.pointer),
                    "parameter",
                    "absent",
                    rendered,
                );
            }
            (None, None) => {}
        }
    }
}

fn render_parameter(c: &Comparer<'_>, p: &normalize::Parameter<'_>, side: Side) -> String {
    let schema = p
        .schema
        .as_ref()
        .map_or("any".to_owned(), |(n, at)| match side {
            Side::Ours => c.render_ours(n, at),
            Side::Theirs => c.render_theirs(n, at),
        });
    let required = if p.required { "required" } else { "optional" };
    format!("{} {}: {schema}, {required}", p.location, p.name)
}

fn responses<'a>(c: &mut Comparer<'a>, o: &Operation<'a>, t: &Operation<'a>) {
    let at = |op: &Operation<'_>, status: &str| {
        format!("{}/responses/{}", op.pointer, super::escape(status))
    };
    let their_success: Vec<&String> = t.responses.keys().filter(|s| is_success(s)).collect();
    for status in &their_success {
        // Normalization 3: our 2XX stands for every vendor 2xx.
        let ours = o.responses.get(*status).or_else(|| o.responses.get("2XX"));
        match ours {
            Some(a) => body(c, a, &t.responses[*status], Mode::Equal),
            None => c.push(
                &at(o, status),
                Some(&at(t, status)),
                "status",
                "absent",
                status.as_str(),
            ),
        }
    }
    for status in o.responses.keys().filter(|s| is_success(s)) {
        let covered = if status == "2XX" {
            !their_success.is_empty()
        } else {
            t.responses.contains_key(status)
        };
        if !covered {
            c.push(
                &at(o, status),
                Some(&at(t, status)),
                "status",
                status.as_str(),
                "absent",
            );
        }
    }
    let errors: BTreeSet<&String> = o
        .responses
        .keys()
        .chain(t.responses.keys())
        .filter(|s| !is_success(s))
        .collect();
    for status in errors {
        match (o.responses.get(status), t.responses.get(status)) {
            (Some(a), Some(b)) => body(c, a, b, Mode::ErrorBody),
            (Some(_), None) => c.push(
                &at(o, status),
                Some(&at(t, status)),
                "status",
                status.as_str(),
                "absent",
            ),
            (None, Some(_)) => c.push(
                &at(o, status),
                Some(&at(t, status)),
                "status",
                "absent",
                status.as_str(),
            ),
            (None, None) => {}
        }
    }
}

fn render_body(c: &Comparer<'_>, b: &Body<'_>, side: Side) -> String {
    if b.content.is_empty() {
        return "none".to_owned();
    }
    b.content
        .iter()
        .map(|(media, schema)| {
            let rendered = schema
                .as_ref()
                .map_or("any".to_owned(), |(n, at)| match side {
                    Side::Ours => c.render_ours(n, at),
                    Side::Theirs => c.render_theirs(n, at),
                });
            format!("{media} {rendered}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compares two bodies (request bodies or responses).
fn body<'a>(c: &mut Comparer<'a>, a: &Body<'a>, b: &Body<'a>, mode: Mode) {
    let content_at = |body: &Body<'_>| format!("{}/content", body.pointer);
    match (a.content.is_empty(), b.content.is_empty()) {
        (true, true) => return,
        (false, true) | (true, false) => {
            let ours = render_body(c, a, Side::Ours);
            let theirs = render_body(c, b, Side::Theirs);
            c.push(&content_at(a), Some(&content_at(b)), "body", ours, theirs);
            return;
        }
        (false, false) => {}
    }
    // Normalization 4: a raw text body of ours takes any string body.
    if is_raw_text(&a.content) {
        let strings = b.content.values().all(|schema| {
            schema.as_ref().is_some_and(|(n, at)| {
                matches!(shape(c.theirs, n, at, Side::Theirs).kind, Kind::Typed(ref t) if t.ty == "string")
            })
        });
        if !strings {
            let ours = render_body(c, a, Side::Ours);
            let theirs = render_body(c, b, Side::Theirs);
            c.push(&content_at(a), Some(&content_at(b)), "body", ours, theirs);
        }
        return;
    }
    let ours: Vec<&String> = a.content.keys().collect();
    let theirs: Vec<&String> = b.content.keys().collect();
    if ours != theirs {
        let join = |m: &[&String]| m.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ");
        c.push(
            &content_at(a),
            Some(&content_at(b)),
            "media type",
            join(&ours),
            join(&theirs),
        );
    }
    let mut pairs: Vec<(&String, &String)> = ours
        .iter()
        .filter(|m| b.content.contains_key(**m))
        .map(|m| (*m, *m))
        .collect();
    if pairs.is_empty()
        && let (Some(x), Some(y)) = (ours.first(), theirs.first())
    {
        pairs.push((x, y));
    }
    for (x, y) in pairs {
        match (&a.content[x], &b.content[y]) {
            (Some((on, oa)), Some((tn, ta))) => {
                let (on, tn, oa, ta) = (*on, *tn, oa.clone(), ta.clone());
                c.schemas(on, &oa, tn, &ta, mode);
            }
            (None, None) => {}
            (one, other) => {
                let ours = one
                    .as_ref()
                    .map_or("any".to_owned(), |(n, p)| c.render_ours(n, p));
                let theirs = other
                    .as_ref()
                    .map_or("any".to_owned(), |(n, p)| c.render_theirs(n, p));
                c.push(&content_at(a), Some(&content_at(b)), "type", ours, theirs);
            }
        }
    }
}
