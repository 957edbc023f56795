//! Two schemas compared property by property: type, format, enum values,
//! required, items, additional properties, alternatives (`oneOf`/`anyOf`).
//! `allOf` parts are merged first. Schema names do not matter, only shape.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::escape;
use super::normalize::SECRET_REF;

/// One difference found, before it is tied to a file and operations.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Finding {
    /// Where in our spec (or where it would be).
    pub pointer: String,
    /// What differs: `type`, `format`, `enum`, `property`, `required`,
    /// `items`, `additionalProperties`, `status`, `body`, `media type`,
    /// `requestBody`, `parameter`, `operationId`, `path`, `operation`,
    /// `security`.
    pub differs: String,
    /// Ours, rendered (`absent` when missing).
    pub ours: String,
    /// The vendor's, rendered (`absent` when missing).
    pub theirs: String,
    /// Where in the vendor's subset (or where it would be), if anywhere.
    pub vendor_pointer: Option<String>,
}

/// A schema reduced to what is compared.
#[derive(Debug, Clone)]
pub struct Shape<'a> {
    /// Where it is: the target of the last `$ref`, or the site.
    pub pointer: String,
    /// Where it is used: the pointer given, before any `$ref`.
    pub site: String,
    /// What it is.
    pub kind: Kind<'a>,
}

/// The kinds of schema.
#[derive(Debug, Clone)]
pub enum Kind<'a> {
    /// No type: anything.
    Any,
    /// `oneOf` / `anyOf`: each alternative, with its pointer.
    Alternatives(Vec<(&'a Value, String)>),
    /// A typed schema.
    Typed(Typed<'a>),
}

/// A typed schema's facets.
#[derive(Debug, Clone, Default)]
pub struct Typed<'a> {
    /// `type`.
    pub ty: String,
    /// `format`.
    pub format: Option<String>,
    /// `enum` values.
    pub values: Option<Vec<Value>>,
    /// Properties by name: schema and pointer.
    pub properties: BTreeMap<String, (&'a Value, String)>,
    /// Required property names.
    pub required: BTreeSet<String>,
    /// `items`, with its pointer.
    pub items: Option<(&'a Value, String)>,
    /// `additionalProperties`: `None` for absent, `true` or `{}`.
    pub additional: Additional<'a>,
}

/// `additionalProperties`.
#[derive(Debug, Clone, Default)]
pub enum Additional<'a> {
    /// Absent, `true` or `{}`.
    #[default]
    Any,
    /// `false`.
    Closed,
    /// A schema.
    Schema(&'a Value, String),
}

/// Which side a document is, for the normalizations that apply to ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Our spec.
    Ours,
    /// The vendor's subset.
    Theirs,
}

/// How the top level of a pair is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Both ways.
    Equal,
    /// Our error schema holds the vendor's: our extra top-level properties
    /// are not differences here (normalization 5).
    ErrorBody,
}

/// The reduced shape of `node` (at `pointer`) in `document`.
#[must_use]
pub fn shape<'a>(document: &'a Value, node: &'a Value, pointer: &str, side: Side) -> Shape<'a> {
    let site = pointer.to_owned();
    let mut node = node;
    let mut pointer = pointer.to_owned();
    for _ in 0..32 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        // Normalization 6: our redacting Secret is a string on the wire.
        if side == Side::Ours && reference == SECRET_REF {
            return Shape {
                pointer,
                site,
                kind: Kind::Typed(Typed {
                    ty: "string".to_owned(),
                    ..Typed::default()
                }),
            };
        }
        match crate::schema::resolve(document, reference) {
            Some(target) => {
                node = target;
                pointer = reference.to_owned();
            }
            None => break,
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alternatives) = node.get(key).and_then(Value::as_array) {
            return Shape {
                kind: Kind::Alternatives(
                    alternatives
                        .iter()
                        .enumerate()
                        .map(|(i, alt)| (alt, format!("{pointer}/{key}/{i}")))
                        .collect(),
                ),
                pointer,
                site,
            };
        }
    }
    let mut typed = Typed::default();
    merge(document, node, &pointer, &mut typed, 0);
    if typed.ty.is_empty() {
        typed.ty = if !typed.properties.is_empty() || !matches!(typed.additional, Additional::Any) {
            "object".to_owned()
        } else if typed.items.is_some() {
            "array".to_owned()
        } else {
            return Shape {
                pointer,
                site,
                kind: Kind::Any,
            };
        };
    }
    Shape {
        pointer,
        site,
        kind: Kind::Typed(typed),
    }
}

/// Adds `node`'s facets, and those of its `allOf` parts, to `typed`.
fn merge<'a>(
    document: &'a Value,
    node: &'a Value,
    pointer: &str,
    typed: &mut Typed<'a>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    if let Some(ty) = node.get("type").and_then(Value::as_str) {
        typed.ty = ty.to_owned();
    }
    if let Some(format) = node.get("format").and_then(Value::as_str) {
        typed.format = Some(format.to_owned());
    }
    if let Some(values) = node.get("enum").and_then(Value::as_array) {
        typed.values = Some(values.clone());
    }
    for (name, property) in node
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        typed.properties.insert(
            name.clone(),
            (property, format!("{pointer}/properties/{}", escape(name))),
        );
    }
    typed.required.extend(
        node.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned),
    );
    if let Some(items) = node.get("items") {
        typed.items = Some((items, format!("{pointer}/items")));
    }
    match node.get("additionalProperties") {
        Some(Value::Bool(false)) => typed.additional = Additional::Closed,
        Some(schema @ Value::Object(map)) if !map.is_empty() => {
            typed.additional =
                Additional::Schema(schema, format!("{pointer}/additionalProperties"));
        }
        _ => {}
    }
    for (i, part) in node
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let (part, at) = super::normalize::follow(document, part, format!("{pointer}/allOf/{i}"));
        merge(document, part, &at, typed, depth + 1);
    }
}

/// A short, stable rendering of a shape (`integer/int64 | string`,
/// `array of object`), for reports and waivers.
#[must_use]
pub fn render(document: &Value, shape: &Shape<'_>, side: Side) -> String {
    match &shape.kind {
        Kind::Any => "any".to_owned(),
        Kind::Alternatives(alternatives) => alternatives
            .iter()
            .map(|(node, at)| render(document, &self::shape(document, node, at, side), side))
            .collect::<Vec<_>>()
            .join(" | "),
        Kind::Typed(typed) => {
            let mut out = typed.ty.clone();
            if let Some(format) = &typed.format {
                out = format!("{out}/{format}");
            }
            if typed.ty == "array" {
                let items = typed.items.as_ref().map_or("any".to_owned(), |(node, at)| {
                    let inner = self::shape(document, node, at, side);
                    match &inner.kind {
                        Kind::Typed(t) if t.ty == "array" => "array".to_owned(),
                        _ => render(document, &inner, side),
                    }
                });
                out = format!("{out} of {items}");
            }
            out
        }
    }
}

/// Compares our schema with the vendor's and pushes every difference.
#[derive(Debug)]
pub struct Comparer<'a> {
    /// Our spec.
    pub ours: &'a Value,
    /// The vendor's subset.
    pub theirs: &'a Value,
    /// What was found.
    pub findings: Vec<Finding>,
    /// The pairs being compared, against `$ref` cycles.
    active: BTreeSet<(String, String)>,
}

impl<'a> Comparer<'a> {
    /// A comparer of two documents.
    #[must_use]
    pub fn new(ours: &'a Value, theirs: &'a Value) -> Self {
        Self {
            ours,
            theirs,
            findings: Vec::new(),
            active: BTreeSet::new(),
        }
    }

    /// Records one finding.
    pub fn push(
        &mut self,
        pointer: &str,
        vendor_pointer: Option<&str>,
        differs: &str,
        ours: impl Into<String>,
        theirs: impl Into<String>,
    ) {
        self.findings.push(Finding {
            pointer: pointer.to_owned(),
            differs: differs.to_owned(),
            ours: ours.into(),
            theirs: theirs.into(),
            vendor_pointer: vendor_pointer.map(str::to_owned),
        });
    }

    /// Our rendering of the schema at `node`.
    #[must_use]
    pub fn render_ours(&self, node: &Value, pointer: &str) -> String {
        render(
            self.ours,
            &shape(self.ours, node, pointer, Side::Ours),
            Side::Ours,
        )
    }

    /// The vendor's rendering of the schema at `node`.
    #[must_use]
    pub fn render_theirs(&self, node: &Value, pointer: &str) -> String {
        render(
            self.theirs,
            &shape(self.theirs, node, pointer, Side::Theirs),
            Side::Theirs,
        )
    }

    /// Compares two schemas (nodes with the pointers they are at).
    pub fn schemas(
        &mut self,
        ours: &'a Value,
        ours_at: &str,
        theirs: &'a Value,
        theirs_at: &str,
        mode: Mode,
    ) {
        let o = shape(self.ours, ours, ours_at, Side::Ours);
        let t = shape(self.theirs, theirs, theirs_at, Side::Theirs);
        let key = (o.pointer.clone(), t.pointer.clone());
        if !self.active.insert(key.clone()) {
            return;
        }
        self.shapes(&o, &t, mode);
        self.active.remove(&key);
    }

    fn shapes(&mut self, o: &Shape<'a>, t: &Shape<'a>, mode: Mode) {
        let rendered = (
            render(self.ours, o, Side::Ours),
            render(self.theirs, t, Side::Theirs),
        );
        match (&o.kind, &t.kind) {
            (Kind::Any, Kind::Any) => {}
            (Kind::Alternatives(_), _) | (_, Kind::Alternatives(_)) => {
                if rendered.0 != rendered.1 {
                    self.push(&o.site, Some(&t.site), "type", rendered.0, rendered.1);
                }
                // Then each vendor alternative against ours of the same type.
                let ours_alts = self.alternatives(o, Side::Ours);
                for t_alt in self.alternatives(t, Side::Theirs) {
                    let Kind::Typed(t_typed) = &t_alt.kind else {
                        continue;
                    };
                    let matching = ours_alts
                        .iter()
                        .find(|o_alt| matches!(&o_alt.kind, Kind::Typed(x) if x.ty == t_typed.ty));
                    if let Some(o_alt) = matching {
                        self.typed_pair(o_alt, &t_alt, mode);
                    }
                }
            }
            (Kind::Typed(x), Kind::Typed(y)) if x.ty == y.ty => self.typed_pair(o, t, mode),
            // A type difference is reported where the schema is used.
            _ => self.push(&o.site, Some(&t.site), "type", rendered.0, rendered.1),
        }
    }

    /// A shape's alternatives, or the shape itself.
    fn alternatives(&self, shape: &Shape<'a>, side: Side) -> Vec<Shape<'a>> {
        let document = match side {
            Side::Ours => self.ours,
            Side::Theirs => self.theirs,
        };
        match &shape.kind {
            Kind::Alternatives(alternatives) => alternatives
                .iter()
                .map(|(node, at)| self::shape(document, node, at, side))
                .collect(),
            _ => vec![shape.clone()],
        }
    }

    /// Two typed shapes of the same type: format, enum, object, array.
    fn typed_pair(&mut self, o: &Shape<'a>, t: &Shape<'a>, mode: Mode) {
        let (Kind::Typed(x), Kind::Typed(y)) = (&o.kind, &t.kind) else {
            return;
        };
        if x.ty != y.ty {
            return;
        }
        if x.format != y.format {
            self.push(
                &o.pointer,
                Some(&t.pointer),
                "format",
                x.format.clone().unwrap_or_else(|| "none".to_owned()),
                y.format.clone().unwrap_or_else(|| "none".to_owned()),
            );
        }
        match (&x.values, &y.values) {
            // Normalization 7: a free string where the vendor lists values.
            (None, Some(_)) if x.ty == "string" => {}
            (None, None) => {}
            (a, b) => {
                let a = enum_text(a.as_ref());
                let b = enum_text(b.as_ref());
                if a != b {
                    self.push(&o.pointer, Some(&t.pointer), "enum", a, b);
                }
            }
        }
        if x.ty == "object" {
            self.properties(&o.pointer, x, &t.pointer, y, mode);
            self.additional(o, x, t, y);
        }
        if x.ty == "array" {
            match (&x.items, &y.items) {
                (Some((oi, oa)), Some((ti, ta))) => {
                    let (oi, ti, oa, ta) = (*oi, *ti, oa.clone(), ta.clone());
                    self.schemas(oi, &oa, ti, &ta, Mode::Equal);
                }
                (None, None) => {}
                (a, b) => {
                    let a = a
                        .as_ref()
                        .map_or("any".to_owned(), |(n, p)| self.render_ours(n, p));
                    let b = b
                        .as_ref()
                        .map_or("any".to_owned(), |(n, p)| self.render_theirs(n, p));
                    if a != b {
                        self.push(
                            &format!("{}/items", o.pointer),
                            Some(&format!("{}/items", t.pointer)),
                            "items",
                            a,
                            b,
                        );
                    }
                }
            }
        }
    }

    fn properties(&mut self, o_at: &str, x: &Typed<'a>, t_at: &str, y: &Typed<'a>, mode: Mode) {
        let names: BTreeSet<&String> = x.properties.keys().chain(y.properties.keys()).collect();
        for name in names {
            let required = |typed: &Typed<'_>| {
                if typed.required.contains(name) {
                    "required"
                } else {
                    "optional"
                }
            };
            match (x.properties.get(name), y.properties.get(name)) {
                (Some((on, oa)), Some((tn, ta))) => {
                    if required(x) != required(y) {
                        self.push(oa, Some(ta), "required", required(x), required(y));
                    }
                    let (on, tn, oa, ta) = (*on, *tn, oa.clone(), ta.clone());
                    self.schemas(on, &oa, tn, &ta, Mode::Equal);
                }
                (Some((on, oa)), None) => {
                    if mode == Mode::ErrorBody {
                        continue;
                    }
                    let at = format!("{t_at}/properties/{}", escape(name));
                    let ours = format!("{}, {}", self.render_ours(on, oa), required(x));
                    self.push(oa, Some(&at), "property", ours, "absent");
                }
                (None, Some((tn, ta))) => {
                    let at = format!("{o_at}/properties/{}", escape(name));
                    let theirs = format!("{}, {}", self.render_theirs(tn, ta), required(y));
                    self.push(&at, Some(ta), "property", "absent", theirs);
                }
                (None, None) => {}
            }
        }
    }

    fn additional(&mut self, o: &Shape<'a>, x: &Typed<'a>, t: &Shape<'a>, y: &Typed<'a>) {
        match (&x.additional, &y.additional) {
            (Additional::Schema(on, oa), Additional::Schema(tn, ta)) => {
                let (on, tn, oa, ta) = (*on, *tn, oa.clone(), ta.clone());
                self.schemas(on, &oa, tn, &ta, Mode::Equal);
            }
            (Additional::Any, Additional::Any) | (Additional::Closed, Additional::Closed) => {}
            (a, b) => {
                let a = self.additional_text(a, Side::Ours);
                let b = self.additional_text(b, Side::Theirs);
                self.push(
                    &format!("{}/additionalProperties", o.pointer),
                    Some(&format!("{}/additionalProperties", t.pointer)),
                    "additionalProperties",
                    a,
                    b,
                );
            }
        }
    }

    fn additional_text(&self, additional: &Additional<'_>, side: Side) -> String {
        match additional {
            Additional::Any => "any".to_owned(),
            Additional::Closed => "none".to_owned(),
            Additional::Schema(node, at) => match side {
                Side::Ours => self.render_ours(node, at),
                Side::Theirs => self.render_theirs(node, at),
            },
        }
    }
}

fn enum_text(values: Option<&Vec<Value>>) -> String {
    values.map_or("none".to_owned(), |values| {
        let mut items: Vec<String> = values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .collect();
        items.sort();
        items.join(", ")
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn compare(ours: &Value, theirs: &Value) -> Vec<Finding> {
        let mut c = Comparer::new(ours, theirs);
        c.schemas(
            &ours["components"]["schemas"]["A"],
            "#/components/schemas/A",
            &theirs["components"]["schemas"]["A"],
            "#/components/schemas/A",
            Mode::Equal,
        );
        c.findings
    }

    #[test]
    fn equal_shapes_have_no_findings() {
        let doc = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/components/schemas/B"}}},
            "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}}
        }}});
        assert!(compare(&doc, &doc).is_empty());
    }

    #[test]
    fn secret_is_a_string_and_enums_may_be_free() {
        let ours = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"p": {"$ref": "#/components/schemas/Secret"}, "s": {"type": "string"}}},
            "Secret": {"type": "string", "format": "password"}
        }}});
        let theirs = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"p": {"type": "string"}, "s": {"type": "string", "enum": ["X", "Y"]}}}
        }}});
        assert!(compare(&ours, &theirs).is_empty());
    }

    #[test]
    fn each_facet_is_reported_at_its_pointer() {
        let ours = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {
                "gone": {"type": "string"},
                "n": {"type": "integer", "format": "int32"},
                "t": {"oneOf": [{"type": "integer", "format": "int64"}, {"type": "string"}]},
                "e": {"type": "string", "enum": ["A"]},
                "m": {"type": "object", "additionalProperties": true}
            }}
        }}});
        let theirs = json!({"components": {"schemas": {
            "A": {"type": "object", "required": ["n", "extra"], "properties": {
                "extra": {"type": "boolean"},
                "n": {"type": "integer", "format": "int64"},
                "t": {"type": "integer", "format": "int64"},
                "e": {"type": "string", "enum": ["A", "B"]},
                "m": {"type": "object", "additionalProperties": {"type": "string"}}
            }}
        }}});
        let found: Vec<(String, String, String, String)> = compare(&ours, &theirs)
            .into_iter()
            .map(|f| (f.pointer, f.differs, f.ours, f.theirs))
            .collect();
        let p = |s: &str| format!("#/components/schemas/A/properties/{s}");
        let expected = vec![
            (p("e"), "enum".into(), "A".into(), "A, B".into()),
            (
                p("extra"),
                "property".into(),
                "absent".into(),
                "boolean, required".into(),
            ),
            (
                p("gone"),
                "property".into(),
                "string, optional".into(),
                "absent".into(),
            ),
            (
                format!("{}/additionalProperties", p("m")),
                "additionalProperties".into(),
                "any".into(),
                "string".into(),
            ),
            (
                p("n"),
                "required".into(),
                "optional".into(),
                "required".into(),
            ),
            (p("n"), "format".into(), "int32".into(), "int64".into()),
            (
                p("t"),
                "type".into(),
                "integer/int64 | string".into(),
                "integer/int64".into(),
            ),
        ];
        assert_eq!(found, expected);
    }
}
