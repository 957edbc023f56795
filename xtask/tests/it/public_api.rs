//! The public-API summary and snapshot comparison on synthetic rustdoc JSON
//! documents: a one-function change fails the check, unknown shapes render
//! as placeholders.

use std::path::Path;

use serde_json::{Value, json};
use xtask::public_api::{compare, snapshot_text, summarize};

/// A crate `demo` with `pub fn ping(&self?)`, a `#[non_exhaustive]` struct
/// with one public and one private field and an inherent method, an enum,
/// a trait and a re-export; `extra` adds items to the root module.
fn document(extra: &[(&str, Value)]) -> Value {
    let string = json!({"resolved_path": {"path": "String", "id": 90, "args": null}});
    let mut index = json!({
        "0": {"id": 0, "name": "demo", "visibility": "public", "attrs": [],
              "inner": {"module": {"is_crate": true, "items": [1, 2, 5, 8, 11, 13], "is_stripped": false}}},
        "1": {"id": 1, "name": "ping", "visibility": "public", "attrs": [],
              "inner": {"function": {
                  "sig": {"inputs": [["host", {"borrowed_ref": {"lifetime": null, "is_mutable": false, "type": {"primitive": "str"}}}]],
                          "output": {"resolved_path": {"path": "Result", "id": 91, "args": {"angle_bracketed": {
                              "args": [{"type": {"primitive": "u16"}}, {"type": {"resolved_path": {"path": "Error", "id": 8, "args": null}}}],
                              "constraints": []}}}},
                          "is_c_variadic": false},
                  "generics": {"params": [], "where_predicates": []},
                  "header": {"is_const": false, "is_unsafe": false, "is_async": true, "abi": "Rust"},
                  "has_body": true}}},
        "2": {"id": 2, "name": "Config", "visibility": "public", "attrs": [{"non_exhaustive": null}],
              "inner": {"struct": {"kind": {"plain": {"fields": [3, 4], "has_stripped_fields": false}},
                                   "generics": {"params": [], "where_predicates": []}, "impls": [6, 7]}}},
        "3": {"id": 3, "name": "name", "visibility": "public", "attrs": [], "inner": {"struct_field": string}},
        "4": {"id": 4, "name": "secret", "visibility": "default", "attrs": [], "inner": {"struct_field": string}},
        "5": {"id": 5, "name": null, "visibility": "public", "attrs": [],
              "inner": {"use": {"source": "std::time::Duration", "name": "Duration", "id": 92, "is_glob": false}}},
        "6": {"id": 6, "name": null, "visibility": "default", "attrs": [],
              "inner": {"impl": {"is_unsafe": false, "generics": {"params": [], "where_predicates": []},
                                 "trait": null, "for": {"resolved_path": {"path": "Config", "id": 2, "args": null}},
                                 "items": [9], "is_negative": false, "is_synthetic": false, "blanket_impl": null}}},
        "7": {"id": 7, "name": null, "visibility": "default", "attrs": [],
              "inner": {"impl": {"is_unsafe": false, "generics": {"params": [], "where_predicates": []},
                                 "trait": {"path": "Clone", "id": 93, "args": null},
                                 "for": {"resolved_path": {"path": "Config", "id": 2, "args": null}},
                                 "items": [], "is_negative": false, "is_synthetic": false, "blanket_impl": null}}},
        "8": {"id": 8, "name": "Error", "visibility": "public", "attrs": ["#[non_exhaustive]"],
              "inner": {"enum": {"generics": {"params": [], "where_predicates": []}, "variants": [10, 14], "impls": [], "has_stripped_variants": false}}},
        "9": {"id": 9, "name": "builder", "visibility": "public", "attrs": [],
              "inner": {"function": {"sig": {"inputs": [["self", {"borrowed_ref": {"lifetime": null, "is_mutable": true, "type": {"generic": "Self"}}}]],
                                             "output": {"generic": "Self"}, "is_c_variadic": false},
                                     "generics": {"params": [], "where_predicates": []},
                                     "header": {"is_const": false, "is_unsafe": false, "is_async": false, "abi": "Rust"}, "has_body": true}}},
        "10": {"id": 10, "name": "Timeout", "visibility": "default", "attrs": [],
               "inner": {"variant": {"kind": "plain", "discriminant": null}}},
        "11": {"id": 11, "name": "Source", "visibility": "public", "attrs": [],
               "inner": {"trait": {"is_auto": false, "is_unsafe": false, "is_dyn_compatible": true, "items": [12],
                                   "generics": {"params": [], "where_predicates": []}, "bounds": [], "implementations": []}}},
        "12": {"id": 12, "name": "Item", "visibility": "default", "attrs": [],
               "inner": {"assoc_type": {"generics": {"params": [], "where_predicates": []}, "bounds": [], "type": null}}},
        "13": {"id": 13, "name": "odd", "visibility": "public", "attrs": [],
               "inner": {"something_new": {"from": "a future format version"}}},
        "14": {"id": 14, "name": "Status", "visibility": "default", "attrs": [],
               "inner": {"variant": {"kind": {"tuple": [15]}, "discriminant": null}}},
        "15": {"id": 15, "name": "0", "visibility": "default", "attrs": [],
               "inner": {"struct_field": {"weird_type": 1}}},
    });
    let root_items = index["0"]["inner"]["module"]["items"]
        .as_array_mut()
        .expect("items");
    let mut additions = Vec::new();
    for (id, (name, item)) in (100..).zip(extra) {
        root_items.push(json!(id));
        let mut item = item.clone();
        item["id"] = json!(id);
        item["name"] = json!(name);
        additions.push((id.to_string(), item));
    }
    for (key, item) in additions {
        index[key] = item;
    }
    json!({
        "root": 0,
        "format_version": 57,
        "index": index,
        "paths": {
            "0": {"crate_id": 0, "path": ["demo"], "kind": "module"},
            "2": {"crate_id": 0, "path": ["demo", "Config"], "kind": "struct"},
            "8": {"crate_id": 0, "path": ["demo", "error", "Error"], "kind": "enum"},
            "90": {"crate_id": 1, "path": ["alloc", "string", "String"], "kind": "struct"},
            "91": {"crate_id": 2, "path": ["core", "result", "Result"], "kind": "enum"},
            "93": {"crate_id": 2, "path": ["core", "clone", "Clone"], "kind": "trait"},
        },
    })
}

fn unit_function() -> Value {
    json!({"visibility": "public", "attrs": [],
           "inner": {"function": {"sig": {"inputs": [], "output": null, "is_c_variadic": false},
                                  "generics": {"params": [], "where_predicates": []},
                                  "header": {"is_const": false, "is_unsafe": false, "is_async": false, "abi": "Rust"},
                                  "has_body": true}}})
}

#[test]
fn summary_lists_public_items_sorted_with_signatures() {
    let lines = summarize(&document(&[])).unwrap();
    assert_eq!(
        lines,
        vec![
            "#[non_exhaustive] pub enum demo::Error",
            "#[non_exhaustive] pub struct demo::Config",
            "impl core::clone::Clone for demo::Config",
            "pub async fn demo::ping(host: &str) -> core::result::Result<u16, demo::error::Error>",
            "pub demo::Config::name: alloc::string::String",
            "pub demo::Error::Status(<?>)",
            "pub demo::Error::Timeout",
            "pub fn demo::Config::builder(&mut self) -> Self",
            "pub something_new demo::odd",
            "pub trait demo::Source",
            "pub type demo::Source::Item",
            "pub use demo::Duration = std::time::Duration",
        ]
    );
}

#[test]
fn summary_is_stable_across_runs() {
    let doc = document(&[("pong", unit_function())]);
    assert_eq!(summarize(&doc).unwrap(), summarize(&doc).unwrap());
}

#[test]
fn an_added_function_fails_the_check_with_a_diff() {
    let path = Path::new("crates/demo/public-api.txt");
    let committed = snapshot_text(&summarize(&document(&[])).unwrap());
    let current = snapshot_text(&summarize(&document(&[("pong", unit_function())])).unwrap());
    assert_eq!(compare(path, &committed, &committed), None);
    let diff = compare(path, &committed, &current).expect("the API changed");
    assert!(diff.starts_with(
        "--- crates/demo/public-api.txt (committed)\n+++ crates/demo/public-api.txt (current)\n"
    ));
    assert!(diff.contains("\n+pub fn demo::pong()\n"), "{diff}");
    assert!(
        !diff
            .lines()
            .any(|line| line.starts_with('-') && !line.starts_with("---"))
    );
}

#[test]
fn a_removed_function_shows_as_a_minus_line() {
    let path = Path::new("crates/demo/public-api.txt");
    let committed = snapshot_text(&summarize(&document(&[("pong", unit_function())])).unwrap());
    let current = snapshot_text(&summarize(&document(&[])).unwrap());
    let diff = compare(path, &committed, &current).expect("the API changed");
    assert!(diff.contains("\n-pub fn demo::pong()\n"), "{diff}");
}

#[test]
fn a_missing_snapshot_is_a_difference() {
    let current = snapshot_text(&summarize(&document(&[])).unwrap());
    let diff = compare(Path::new("x"), "", &current).expect("nothing committed");
    assert!(diff.contains("\n+pub trait demo::Source\n"), "{diff}");
}

#[test]
fn a_document_without_root_is_an_error_not_a_panic() {
    assert!(summarize(&json!({"index": {}})).is_err());
    assert!(summarize(&json!({"root": 7, "index": {}})).is_err());
    assert!(summarize(&json!([1, 2])).is_err());
}

#[test]
fn private_items_are_not_listed() {
    let private = {
        let mut f = unit_function();
        f["visibility"] = json!("crate");
        f
    };
    let lines = summarize(&document(&[("hidden", private)])).unwrap();
    assert!(!lines.iter().any(|line| line.contains("hidden")));
}

#[test]
fn a_renamed_item_shows_removal_then_addition_with_context() {
    let old: Vec<String> = ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let mut new = old.clone();
    new[6] = "g2".to_owned();
    assert_eq!(xtask::public_api::diff(&old, &new), " e\n f\n-g\n+g2\n h\n");
}

#[test]
fn auto_trait_and_blanket_impls_are_not_listed() {
    let mut doc = document(&[]);
    let config = json!({"resolved_path": {"path": "Config", "id": 2, "args": null}});
    let generics = json!({"params": [], "where_predicates": []});
    for (id, trait_id, synthetic, negative, blanket) in [
        ("16", 94, true, false, Value::Null),
        ("17", 95, true, true, Value::Null),
        ("18", 96, false, false, json!({"generic": "T"})),
    ] {
        doc["index"][id] = json!({"id": id.parse::<u32>().unwrap(), "name": null, "visibility": "default", "attrs": [],
            "inner": {"impl": {"is_unsafe": false, "generics": generics,
                               "trait": {"path": "Auto", "id": trait_id, "args": null},
                               "for": config, "items": [], "is_negative": negative,
                               "is_synthetic": synthetic, "blanket_impl": blanket}}});
        doc["index"]["2"]["inner"]["struct"]["impls"]
            .as_array_mut()
            .unwrap()
            .push(json!(id.parse::<u32>().unwrap()));
    }
    doc["paths"]["94"] =
        json!({"crate_id": 2, "path": ["core", "marker", "Send"], "kind": "trait"});
    doc["paths"]["95"] = json!({"crate_id": 2, "path": ["core", "panic", "unwind_safe", "UnwindSafe"], "kind": "trait"});
    doc["paths"]["96"] =
        json!({"crate_id": 2, "path": ["core", "convert", "Into"], "kind": "trait"});
    let lines = summarize(&doc).unwrap();
    assert_eq!(lines, summarize(&document(&[])).unwrap(), "{lines:#?}");
    assert!(lines.contains(&"impl core::clone::Clone for demo::Config".to_owned()));
}
