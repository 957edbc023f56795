//! Walks a rustdoc JSON document from the crate root through public items
//! and re-exports, and lists the public API one line per item, sorted.

use std::collections::BTreeSet;

use serde_json::Value;

use super::render::{Paths, UNKNOWN, bool_field, field, id_key, list, single_entry, str_field};

/// One line per public item of the crate documented by `document` (rustdoc
/// JSON), sorted and without duplicates.
///
/// # Errors
/// When the document has no `root` module or no `index`.
pub fn summarize(document: &Value) -> Result<Vec<String>, String> {
    let index = document
        .get("index")
        .and_then(Value::as_object)
        .ok_or("rustdoc JSON has no `index` object")?;
    let root_id = document.get("root").ok_or("rustdoc JSON has no `root`")?;
    let root = id_key(root_id)
        .and_then(|key| index.get(&key))
        .ok_or("rustdoc JSON: the `root` id is not in the index")?;
    let crate_name = str_field(root, "name").ok_or("rustdoc JSON: the root module has no name")?;
    let mut walker = Walker {
        index,
        paths: Paths::new(document),
        lines: BTreeSet::new(),
        modules_on_stack: Vec::new(),
    };
    walker.module_items(root, crate_name);
    Ok(walker.lines.into_iter().collect())
}

struct Walker<'a> {
    index: &'a serde_json::Map<String, Value>,
    paths: Paths<'a>,
    lines: BTreeSet<String>,
    /// Ids of the modules being walked: a re-export cycle stops here.
    modules_on_stack: Vec<String>,
}

impl<'a> Walker<'a> {
    fn item(&self, id: &Value) -> Option<&'a Value> {
        self.index.get(&id_key(id)?)
    }

    fn line(&mut self, line: String) {
        self.lines.insert(line);
    }

    /// The public items of `module` (an index item), under `path`.
    fn module_items(&mut self, module: &'a Value, path: &str) {
        let Some(key) = module.get("id").and_then(id_key) else {
            return;
        };
        if self.modules_on_stack.contains(&key) {
            return;
        }
        self.modules_on_stack.push(key);
        let Some(("module", body)) = single_entry(field(module, "inner")) else {
            self.modules_on_stack.pop();
            return;
        };
        for child in list(field(body, "items")) {
            let Some(child) = self.item(child) else {
                continue;
            };
            if is_public(child) {
                self.child(child, path);
            }
        }
        self.modules_on_stack.pop();
    }

    /// A public item found in a module whose public path is `parent`.
    fn child(&mut self, item: &'a Value, parent: &str) {
        match single_entry(field(item, "inner")) {
            Some(("use", body)) => self.reexport(body, parent),
            _ => {
                let name = str_field(item, "name").unwrap_or(UNKNOWN);
                self.item_lines(item, &format!("{parent}::{name}"));
            }
        }
    }

    /// `pub use`: a local target is listed under its re-exported path; an
    /// item of another crate is listed as the re-export itself.
    fn reexport(&mut self, body: &'a Value, parent: &str) {
        let name = str_field(body, "name").unwrap_or(UNKNOWN);
        let source = str_field(body, "source").unwrap_or(UNKNOWN);
        let glob = bool_field(body, "is_glob");
        let target = body.get("id").and_then(|id| self.item(id));
        match (target, glob) {
            (Some(target), true) => match single_entry(field(target, "inner")) {
                Some(("module", _)) => self.module_items(target, parent),
                _ => self.line(format!("pub use {parent}::* = {source}::*")),
            },
            (Some(target), false) => self.item_lines(target, &format!("{parent}::{name}")),
            (None, true) => self.line(format!("pub use {parent}::* = {source}::*")),
            (None, false) => self.line(format!("pub use {parent}::{name} = {source}")),
        }
    }

    /// The lines of one item (and its members) at public path `path`.
    fn item_lines(&mut self, item: &'a Value, path: &str) {
        let marker = if is_non_exhaustive(item) {
            "#[non_exhaustive] "
        } else {
            ""
        };
        let Some((kind, body)) = single_entry(field(item, "inner")) else {
            self.line(format!("pub {UNKNOWN} {path}"));
            return;
        };
        let generics = field(body, "generics");
        let params = self.paths.generic_params(generics);
        let where_clause = self.paths.where_clause(generics);
        match kind {
            "module" => {
                self.line(format!("pub mod {path}"));
                self.module_items(item, path);
            }
            "struct" | "union" => {
                self.line(format!("{marker}pub {kind} {path}{params}{where_clause}"));
                self.struct_fields(body, path);
                self.impls(field(body, "impls"), path);
            }
            "enum" => {
                self.line(format!("{marker}pub enum {path}{params}{where_clause}"));
                for variant in list(field(body, "variants")) {
                    if let Some(variant) = self.item(variant) {
                        self.variant(variant, path);
                    }
                }
                self.impls(field(body, "impls"), path);
            }
            "function" => self.function(body, path),
            "trait" => {
                let unsafety = if bool_field(body, "is_unsafe") {
                    "unsafe "
                } else {
                    ""
                };
                let supertraits = self.paths.bounds(field(body, "bounds"));
                let supertraits = if supertraits.is_empty() {
                    String::new()
                } else {
                    format!(": {supertraits}")
                };
                self.line(format!(
                    "{marker}pub {unsafety}trait {path}{params}{supertraits}{where_clause}"
                ));
                for member in list(field(body, "items")) {
                    if let Some(member) = self.item(member) {
                        self.associated(member, path);
                    }
                }
            }
            "type_alias" => {
                let ty = self.paths.ty(field(body, "type"));
                self.line(format!("pub type {path}{params} = {ty}{where_clause}"));
            }
            "constant" => {
                let ty = self.paths.ty(field(body, "type"));
                self.line(format!("pub const {path}: {ty}"));
            }
            "static" => {
                let mutability = if bool_field(body, "is_mutable") {
                    "mut "
                } else {
                    ""
                };
                let ty = self.paths.ty(field(body, "type"));
                self.line(format!("pub static {mutability}{path}: {ty}"));
            }
            "macro" => self.line(format!("pub macro {path}!")),
            "proc_macro" => {
                let proc_kind = str_field(body, "kind").unwrap_or(UNKNOWN);
                self.line(format!("pub proc_macro({proc_kind}) {path}"));
            }
            other => self.line(format!("pub {other} {path}")),
        }
    }

    fn struct_fields(&mut self, body: &'a Value, path: &str) {
        // Unions keep `fields` directly; structs nest them under `kind`.
        let fields = match single_entry(field(body, "kind")) {
            Some(("plain", plain)) => list(field(plain, "fields")),
            Some(("tuple", tuple)) => {
                for (position, id) in list(tuple).iter().enumerate() {
                    if let Some(member) = self.item(id).filter(|m| is_public(m)) {
                        let ty = self.paths.ty(field(field(member, "inner"), "struct_field"));
                        self.line(format!("pub {path}::{position}: {ty}"));
                    }
                }
                return;
            }
            _ => list(field(body, "fields")),
        };
        for id in fields {
            if let Some(member) = self.item(id).filter(|m| is_public(m)) {
                let name = str_field(member, "name").unwrap_or(UNKNOWN);
                let ty = self.paths.ty(field(field(member, "inner"), "struct_field"));
                self.line(format!("pub {path}::{name}: {ty}"));
            }
        }
    }

    fn variant(&mut self, variant: &'a Value, enum_path: &str) {
        let marker = if is_non_exhaustive(variant) {
            "#[non_exhaustive] "
        } else {
            ""
        };
        let name = str_field(variant, "name").unwrap_or(UNKNOWN);
        let body = field(field(variant, "inner"), "variant");
        let field_type = |id: &Value| {
            self.item(id).map_or_else(
                || UNKNOWN.to_owned(),
                |member| self.paths.ty(field(field(member, "inner"), "struct_field")),
            )
        };
        let shape = match single_entry(field(body, "kind")) {
            Some(("tuple", ids)) => {
                let types: Vec<String> = list(ids)
                    .iter()
                    .map(|id| {
                        if id.is_null() {
                            "_".to_owned()
                        } else {
                            field_type(id)
                        }
                    })
                    .collect();
                format!("({})", types.join(", "))
            }
            Some(("struct", fields)) => {
                let fields: Vec<String> = list(field(fields, "fields"))
                    .iter()
                    .map(|id| {
                        let name = self
                            .item(id)
                            .and_then(|m| str_field(m, "name"))
                            .unwrap_or(UNKNOWN);
                        format!("{name}: {}", field_type(id))
                    })
                    .collect();
                format!(" {{ {} }}", fields.join(", "))
            }
            _ if field(body, "kind").as_str() == Some("plain") => String::new(),
            _ => format!("({UNKNOWN})"),
        };
        let discriminant = str_field(field(body, "discriminant"), "expr")
            .map_or(String::new(), |expr| format!(" = {expr}"));
        self.line(format!(
            "{marker}pub {enum_path}::{name}{shape}{discriminant}"
        ));
    }

    fn function(&mut self, body: &'a Value, path: &str) {
        let header = field(body, "header");
        let mut qualifiers = String::new();
        for (flag, word) in [
            ("is_const", "const "),
            ("is_async", "async "),
            ("is_unsafe", "unsafe "),
        ] {
            if bool_field(header, flag) {
                qualifiers.push_str(word);
            }
        }
        match field(header, "abi") {
            Value::String(abi) if abi == "Rust" => {}
            Value::Null => {}
            abi => {
                let name = single_entry(abi).map_or(UNKNOWN, |(name, _)| name);
                qualifiers.push_str(&format!("extern \"{name}\" "));
            }
        }
        let generics = field(body, "generics");
        let sig = field(body, "sig");
        self.line(format!(
            "pub {qualifiers}fn {path}{}({}){}{}",
            self.paths.generic_params(generics),
            self.paths.inputs(sig),
            self.paths.output(sig),
            self.paths.where_clause(generics),
        ));
    }

    /// A trait's member, or a public member of an inherent impl.
    fn associated(&mut self, member: &'a Value, owner: &str) {
        let name = str_field(member, "name").unwrap_or(UNKNOWN);
        let path = format!("{owner}::{name}");
        match single_entry(field(member, "inner")) {
            Some(("function", body)) => self.function(body, &path),
            Some(("assoc_const", body)) => {
                let ty = self.paths.ty(field(body, "type"));
                self.line(format!("pub const {path}: {ty}"));
            }
            Some(("assoc_type", body)) => {
                let bounds = self.paths.bounds(field(body, "bounds"));
                let bounds = if bounds.is_empty() {
                    String::new()
                } else {
                    format!(": {bounds}")
                };
                let default = match body.get("type").filter(|t| !t.is_null()) {
                    Some(ty) => format!(" = {}", self.paths.ty(ty)),
                    None => String::new(),
                };
                self.line(format!("pub type {path}{bounds}{default}"));
            }
            Some((kind, _)) => self.line(format!("pub {kind} {path}")),
            None => self.line(format!("pub {UNKNOWN} {path}")),
        }
    }

    /// Inherent methods (public ones) and implemented traits of a type.
    /// Blanket impls (`impl<T> From<T> for T` and the like) belong to the
    /// crates that define them, and auto-trait impls (`Send`, `Sync`,
    /// `Unpin`, `UnwindSafe`, `RefUnwindSafe`, `Freeze`, and their negative
    /// forms) are the compiler's, synthesized from the fields: both are
    /// left out, so a diff shows what the crate wrote.
    fn impls(&mut self, ids: &'a Value, type_path: &str) {
        for id in list(ids) {
            let Some(item) = self.item(id) else { continue };
            let Some(("impl", body)) = single_entry(field(item, "inner")) else {
                continue;
            };
            if body.get("blanket_impl").is_some_and(|b| !b.is_null())
                || bool_field(body, "is_synthetic")
            {
                continue;
            }
            match body.get("trait").filter(|t| !t.is_null()) {
                Some(tr) => {
                    let generics = field(body, "generics");
                    let unsafety = if bool_field(body, "is_unsafe") {
                        "unsafe "
                    } else {
                        ""
                    };
                    let negation = if bool_field(body, "is_negative") {
                        "!"
                    } else {
                        ""
                    };
                    self.line(format!(
                        "{unsafety}impl{} {negation}{} for {type_path}{}",
                        self.paths.generic_params(generics),
                        self.paths.path(tr),
                        self.paths.where_clause(generics),
                    ));
                }
                None => {
                    for member in list(field(body, "items")) {
                        if let Some(member) = self.item(member).filter(|m| is_public(m)) {
                            self.associated(member, type_path);
                        }
                    }
                }
            }
        }
    }
}

fn is_public(item: &Value) -> bool {
    field(item, "visibility").as_str() == Some("public")
}

/// `#[non_exhaustive]`, whichever way the format version spells attributes
/// (`"#[non_exhaustive]"`, `"non_exhaustive"` or `{"non_exhaustive": null}`).
fn is_non_exhaustive(item: &Value) -> bool {
    list(field(item, "attrs")).iter().any(|attr| match attr {
        Value::String(text) => text.contains("non_exhaustive"),
        Value::Object(map) => {
            map.contains_key("non_exhaustive")
                || map
                    .values()
                    .any(|v| v.as_str().is_some_and(|t| t.contains("non_exhaustive")))
        }
        _ => false,
    })
}
