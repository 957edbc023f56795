//! Renders rustdoc JSON type trees (types, generics, bounds, signatures) as
//! Rust-like text. Walks `serde_json::Value` rather than typed structs so a
//! new rustdoc `format_version` degrades to placeholders instead of failing.

use serde_json::Value;

/// Shown where the JSON has a shape this renderer does not know.
pub const UNKNOWN: &str = "<?>";

/// Resolves item ids to full paths through the document's `paths` table.
#[derive(Debug)]
pub struct Paths<'a> {
    paths: Option<&'a serde_json::Map<String, Value>>,
}

impl<'a> Paths<'a> {
    /// The `paths` table of a rustdoc JSON document.
    #[must_use]
    pub fn new(document: &'a Value) -> Self {
        Self {
            paths: document.get("paths").and_then(Value::as_object),
        }
    }

    /// `a::b::C` for the item `id`, when rustdoc recorded its path.
    #[must_use]
    pub fn full_path(&self, id: &Value) -> Option<String> {
        let key = id_key(id)?;
        let segments = self.paths?.get(&key)?.get("path")?.as_array()?;
        let names: Vec<&str> = segments.iter().filter_map(Value::as_str).collect();
        (!names.is_empty()).then(|| names.join("::"))
    }

    /// A type as Rust source text.
    #[must_use]
    pub fn ty(&self, ty: &Value) -> String {
        let Some((kind, body)) = single_entry(ty) else {
            return match ty.as_str() {
                Some("infer") => "_".to_owned(),
                _ => UNKNOWN.to_owned(),
            };
        };
        match kind {
            "resolved_path" => self.path(body),
            "generic" | "primitive" => body.as_str().unwrap_or(UNKNOWN).to_owned(),
            "tuple" => {
                let items = list(body).iter().map(|t| self.ty(t)).collect::<Vec<_>>();
                if items.len() == 1 {
                    format!("({},)", items[0])
                } else {
                    format!("({})", items.join(", "))
                }
            }
            "slice" => format!("[{}]", self.ty(body)),
            "array" => format!(
                "[{}; {}]",
                self.ty(field(body, "type")),
                str_field(body, "len").unwrap_or(UNKNOWN)
            ),
            "borrowed_ref" => format!(
                "&{}{}",
                reference_prefix(body),
                self.ty(field(body, "type"))
            ),
            "raw_pointer" => {
                let mutability = if bool_field(body, "is_mutable") {
                    "mut"
                } else {
                    "const"
                };
                format!("*{mutability} {}", self.ty(field(body, "type")))
            }
            "dyn_trait" => {
                let mut parts: Vec<String> = list(field(body, "traits"))
                    .iter()
                    .map(|t| self.path(field(t, "trait")))
                    .collect();
                if let Some(lifetime) = str_field(body, "lifetime") {
                    parts.push(lifetime.to_owned());
                }
                format!("dyn {}", parts.join(" + "))
            }
            "impl_trait" => format!("impl {}", self.bounds(body)),
            "function_pointer" => {
                let sig = field(body, "sig");
                format!("fn({}){}", self.inputs(sig), self.output(sig))
            }
            "qualified_path" => {
                let name = str_field(body, "name").unwrap_or(UNKNOWN);
                let self_type = self.ty(field(body, "self_type"));
                match body.get("trait").filter(|t| !t.is_null()) {
                    Some(tr) => format!("<{self_type} as {}>::{name}", self.path(tr)),
                    None => format!("{self_type}::{name}"),
                }
            }
            "pat" => self.ty(field(body, "type")),
            _ => UNKNOWN.to_owned(),
        }
    }

    /// A path with its generic arguments, e.g. `core::option::Option<T>`.
    #[must_use]
    pub fn path(&self, path: &Value) -> String {
        let written = str_field(path, "path")
            .or_else(|| str_field(path, "name"))
            .unwrap_or(UNKNOWN);
        let name = path
            .get("id")
            .and_then(|id| self.full_path(id))
            .unwrap_or_else(|| written.to_owned());
        format!("{name}{}", self.generic_args(field(path, "args")))
    }

    /// `<A, B, Item = C>` or `(A) -> B`, or nothing.
    fn generic_args(&self, args: &Value) -> String {
        let Some((kind, body)) = single_entry(args) else {
            return String::new();
        };
        match kind {
            "angle_bracketed" => {
                let mut parts: Vec<String> = list(field(body, "args"))
                    .iter()
                    .map(|arg| match single_entry(arg) {
                        Some(("type", t)) => self.ty(t),
                        Some(("lifetime", l)) => l.as_str().unwrap_or(UNKNOWN).to_owned(),
                        Some(("const", c)) => str_field(c, "expr").unwrap_or(UNKNOWN).to_owned(),
                        _ if arg.as_str() == Some("infer") => "_".to_owned(),
                        _ => UNKNOWN.to_owned(),
                    })
                    .collect();
                let constraints = body
                    .get("constraints")
                    .or_else(|| body.get("bindings"))
                    .unwrap_or(&Value::Null);
                for constraint in list(constraints) {
                    let name = str_field(constraint, "name").unwrap_or(UNKNOWN);
                    let rendered = match single_entry(field(constraint, "binding")) {
                        Some(("equality", term)) => match single_entry(term) {
                            Some(("type", t)) => format!("{name} = {}", self.ty(t)),
                            _ => format!("{name} = {UNKNOWN}"),
                        },
                        Some(("constraint", bounds)) => format!("{name}: {}", self.bounds(bounds)),
                        _ => format!("{name} = {UNKNOWN}"),
                    };
                    parts.push(rendered);
                }
                enclosed("<", &parts, ", ", ">")
            }
            "parenthesized" => {
                let inputs: Vec<String> = list(field(body, "inputs"))
                    .iter()
                    .map(|t| self.ty(t))
                    .collect();
                let output = match body.get("output").filter(|o| !o.is_null()) {
                    Some(o) => format!(" -> {}", self.ty(o)),
                    None => String::new(),
                };
                format!("({}){output}", inputs.join(", "))
            }
            _ => String::new(),
        }
    }

    /// `A + B + 'a`.
    #[must_use]
    pub fn bounds(&self, bounds: &Value) -> String {
        let rendered: Vec<String> = list(bounds)
            .iter()
            .map(|bound| match single_entry(bound) {
                Some(("trait_bound", body)) => {
                    let modifier = match str_field(body, "modifier") {
                        Some("maybe") => "?",
                        Some("maybe_const") => "~const ",
                        _ => "",
                    };
                    format!("{modifier}{}", self.path(field(body, "trait")))
                }
                Some(("outlives", l)) => l.as_str().unwrap_or(UNKNOWN).to_owned(),
                Some(("use", args)) => format!(
                    "use<{}>",
                    list(args)
                        .iter()
                        .map(|a| single_entry(a)
                            .and_then(|(_, v)| v.as_str())
                            .or_else(|| a.as_str())
                            .unwrap_or(UNKNOWN))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => UNKNOWN.to_owned(),
            })
            .collect();
        rendered.join(" + ")
    }

    /// `<'a, T: Bound, const N: usize>` from a `generics` object, or nothing.
    #[must_use]
    pub fn generic_params(&self, generics: &Value) -> String {
        let params: Vec<String> = list(field(generics, "params"))
            .iter()
            .filter_map(|param| {
                let name = str_field(param, "name").unwrap_or(UNKNOWN);
                match single_entry(field(param, "kind")) {
                    // Synthetic params stand for `impl Trait` arguments.
                    Some(("type", body)) if bool_field(body, "is_synthetic") => None,
                    Some(("type", body)) => {
                        let bounds = self.bounds(field(body, "bounds"));
                        Some(if bounds.is_empty() {
                            name.to_owned()
                        } else {
                            format!("{name}: {bounds}")
                        })
                    }
                    Some(("lifetime", _)) => Some(name.to_owned()),
                    Some(("const", body)) => {
                        Some(format!("const {name}: {}", self.ty(field(body, "type"))))
                    }
                    _ => Some(format!("{name}: {UNKNOWN}")),
                }
            })
            .collect();
        enclosed("<", &params, ", ", ">")
    }

    /// ` where T: Bound` from a `generics` object, or nothing.
    #[must_use]
    pub fn where_clause(&self, generics: &Value) -> String {
        let predicates: Vec<String> = list(field(generics, "where_predicates"))
            .iter()
            .map(|predicate| match single_entry(predicate) {
                Some(("bound_predicate", body)) => format!(
                    "{}: {}",
                    self.ty(field(body, "type")),
                    self.bounds(field(body, "bounds"))
                ),
                Some(("lifetime_predicate", body)) => format!(
                    "{}: {}",
                    str_field(body, "lifetime").unwrap_or(UNKNOWN),
                    list(field(body, "outlives"))
                        .iter()
                        .map(|l| l.as_str().unwrap_or(UNKNOWN))
                        .collect::<Vec<_>>()
                        .join(" + ")
                ),
                Some(("eq_predicate", body)) => format!(
                    "{} = {}",
                    self.ty(field(body, "lhs")),
                    single_entry(field(body, "rhs"))
                        .map_or_else(|| UNKNOWN.to_owned(), |(_, t)| self.ty(t))
                ),
                _ => UNKNOWN.to_owned(),
            })
            .collect();
        enclosed(" where ", &predicates, ", ", "")
    }

    /// The parameter list of a function signature, `&self, name: T`.
    #[must_use]
    pub fn inputs(&self, sig: &Value) -> String {
        let inputs: Vec<String> = list(field(sig, "inputs"))
            .iter()
            .map(|input| {
                let pair = list(input);
                let name = pair.first().and_then(Value::as_str).unwrap_or("_");
                let ty = pair.get(1).unwrap_or(&Value::Null);
                if name == "self" {
                    self.self_param(ty)
                } else {
                    format!("{name}: {}", self.ty(ty))
                }
            })
            .collect();
        inputs.join(", ")
    }

    /// ` -> T`, or nothing for `()`.
    #[must_use]
    pub fn output(&self, sig: &Value) -> String {
        match sig.get("output").filter(|o| !o.is_null()) {
            Some(output) => format!(" -> {}", self.ty(output)),
            None => String::new(),
        }
    }

    /// `self`, `&self`, `&mut self` or `self: T`.
    fn self_param(&self, ty: &Value) -> String {
        let is_self = |t: &Value| t.get("generic").and_then(Value::as_str) == Some("Self");
        if is_self(ty) {
            return "self".to_owned();
        }
        if let Some(body) = ty
            .get("borrowed_ref")
            .filter(|body| is_self(field(body, "type")))
        {
            return format!("&{}self", reference_prefix(body));
        }
        format!("self: {}", self.ty(ty))
    }
}

/// `parts` joined by `separator` between `before` and `after`, or nothing
/// when there are no parts.
fn enclosed(before: &str, parts: &[String], separator: &str, after: &str) -> String {
    if parts.is_empty() {
        String::new()
    } else {
        format!("{before}{}{after}", parts.join(separator))
    }
}

/// `'a mut ` of a `borrowed_ref`: its lifetime and mutability, if any.
fn reference_prefix(body: &Value) -> String {
    let lifetime = str_field(body, "lifetime").map_or(String::new(), |l| format!("{l} "));
    let mutability = if bool_field(body, "is_mutable") {
        "mut "
    } else {
        ""
    };
    format!("{lifetime}{mutability}")
}

/// The key of an id in `index` and `paths` (ids are numbers or strings,
/// depending on the format version).
#[must_use]
pub fn id_key(id: &Value) -> Option<String> {
    match id {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.clone()),
        _ => None,
    }
}

/// The one `(key, value)` of an externally tagged enum value.
#[must_use]
pub fn single_entry(value: &Value) -> Option<(&str, &Value)> {
    let object = value.as_object()?;
    if object.len() != 1 {
        return None;
    }
    object.iter().next().map(|(k, v)| (k.as_str(), v))
}

/// `value[key]`, or null.
#[must_use]
pub fn field<'v>(value: &'v Value, key: &str) -> &'v Value {
    value.get(key).unwrap_or(&Value::Null)
}

/// `value[key]` as a string.
#[must_use]
pub fn str_field<'v>(value: &'v Value, key: &str) -> Option<&'v str> {
    value.get(key).and_then(Value::as_str)
}

/// `value[key]` as a bool, false when absent.
#[must_use]
pub fn bool_field(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// `value` as an array, empty when it is not one.
#[must_use]
pub fn list(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}
