//! The inputs the properties run on: the seed fixtures, generated JSON
//! (with spec field names, and marked string values), mutated fixtures and
//! raw bytes.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::Value;

/// The character every generated JSON string value contains (keys never
/// do): when it shows in a decode error, a body value leaked into it.
pub(super) const MARK: char = '§';

/// Field names of the specs' response and error schemas, so that generated
/// JSON hits the decoders' real paths and not only unknown fields.
pub(super) const KEYS: &[&str] = &[
    "elements",
    "pageMetadata",
    "id",
    "name",
    "type",
    "status",
    "domainNames",
    "identitySources",
    "idpMessage",
    "ldap",
    "oidc",
    "fedIdp",
    "domainName",
    "domainAlias",
    "username",
    "sourceDetails",
    "usersBaseDn",
    "groupsBaseDn",
    "certChain",
    "serverEndpoints",
    "clientId",
    "discoveryEndpoint",
    "authEndpoint",
    "authMethod",
    "issuer",
    "logoutEndpoint",
    "publicKeyUri",
    "tokenEndpoint",
    "source",
    "directoryList",
    "directoryId",
    "defaultDomain",
    "domains",
    "federatedIdpSourceType",
    "oidcInfo",
    "syncClientTokenTTL",
    "syncClientTokenInfo",
    "expireAt",
    "expireIn",
    "token",
    "scimUrl",
    "accessToken",
    "refreshToken",
    "enabled",
    "hasToken",
    "message",
    "errorCode",
    "errorType",
    "remediationMessage",
    "referenceToken",
    "arguments",
    "causes",
    "cause",
    "nestedErrors",
    "label",
    "remediationUrl",
    "notifications",
    "error",
    "error_description",
];

/// Every seed payload under `tests/fixtures`, request and response bodies
/// alike, JSON and text.
pub(super) fn fixtures() -> &'static [(String, Vec<u8>)] {
    static FIXTURES: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut all: Vec<(String, Vec<u8>)> = idp_testkit::all_fixtures()
            .into_iter()
            .map(|f| {
                let name = f.path.file_name().unwrap().to_string_lossy().into_owned();
                (name, f.text.into_bytes())
            })
            .collect();
        all.sort();
        assert!(all.len() >= 20, "the seed fixtures are missing");
        all
    })
}

/// The JSON seed payloads, parsed.
pub(super) fn json_fixtures() -> Vec<Value> {
    fixtures()
        .iter()
        .filter_map(|(_, body)| serde_json::from_slice(body).ok())
        .collect()
}

pub(super) fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(KEYS).prop_map(str::to_owned),
        2 => "[a-zA-Z_]{1,8}",
        1 => "[a-z\\x00-\\x1f\\x7f\\u{85}]{1,6}",
    ]
}

/// String values: what servers send in those fields, and anything else.
pub(super) fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::sample::select(
            &[
                "ACTIVE",
                "inactive",
                "Embedded",
                "FEDERATED_IDP_BROKER",
                "Microsoft ADFS",
                "Okta",
                "AZURE",
                "MICROSOFT_ENTRA_ID",
                "PING_FEDERATE",
                "ActiveDirectory",
                "SUCCESS",
                "true",
                "no",
                "1696263522",
                "1e300",
                "-1",
                "NaN",
                "2023-10-02T16:18:42.681Z",
                "2023-10-02 16:18:42",
                "Wed, 21 Oct 2015 07:28:00 GMT",
                "{\"id\": \"x\"}",
                "[1]",
                "\"",
                "\\",
                "\u{1b}[2J\u{1b}[31mred",
                "line one\nline two\r\n",
            ][..]
        )
        .prop_map(str::to_owned),
        "[0-9]{1,25}",
        "[ -~]{0,24}",
        "\\PC{0,24}",
        "[a-z\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{0,12}",
    ]
}

/// Arbitrary JSON, biased towards the schemas' field names.
pub(super) fn json_with(text: BoxedStrategy<String>) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text.prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

pub(super) fn json() -> impl Strategy<Value = Value> {
    json_with(text().boxed())
}

/// JSON whose every string value contains [`MARK`], and quotes and
/// backslashes (which serde escapes in its messages).
pub(super) fn marked_json() -> impl Strategy<Value = Value> {
    let marked = (text(), "[\"\\\\a-z]{0,6}", text())
        .prop_map(|(a, b, c)| format!("{a}{MARK}{b}\"{c}\\{MARK}"))
        .boxed();
    json_with(marked)
}

/// One change to a seed payload.
#[derive(Debug, Clone)]
pub(super) enum Mutation {
    /// The node becomes another value.
    Replace(Value),
    /// The node is removed from its object or list.
    Remove,
    /// The node is wrapped in a one-item list.
    WrapInList,
    /// The node is replaced by its JSON text, as a string.
    Stringify,
    /// A member is added to the node, if it is an object.
    Insert(String, Value),
}

pub(super) fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => json().prop_map(Mutation::Replace),
        2 => Just(Mutation::Remove),
        1 => Just(Mutation::WrapInList),
        1 => Just(Mutation::Stringify),
        2 => (key(), json()).prop_map(|(k, v)| Mutation::Insert(k, v)),
    ]
}

/// The paths of every node of `value`, parents first.
pub(super) fn paths(value: &Value) -> Vec<Vec<PathStep>> {
    let mut out = Vec::new();
    let mut stack = vec![(Vec::new(), value)];
    while let Some((path, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (k, v) in map {
                    let mut p = path.clone();
                    p.push(PathStep::Key(k.clone()));
                    stack.push((p, v));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    let mut p = path.clone();
                    p.push(PathStep::Index(i));
                    stack.push((p, v));
                }
            }
            _ => {}
        }
        out.push(path);
    }
    out
}

#[derive(Debug, Clone)]
pub(super) enum PathStep {
    Key(String),
    Index(usize),
}

pub(super) fn node_mut<'v>(root: &'v mut Value, path: &[PathStep]) -> Option<&'v mut Value> {
    let mut node = root;
    for step in path {
        node = match step {
            PathStep::Key(k) => node.as_object_mut()?.get_mut(k)?,
            PathStep::Index(i) => node.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(node)
}

pub(super) fn apply(root: &mut Value, at: Index, mutation: Mutation) {
    let all = paths(root);
    let path = at.get(&all).clone();
    if let Mutation::Remove = mutation {
        if let Some((last, parent)) = path.split_last()
            && let Some(parent) = node_mut(root, parent)
        {
            match (parent, last) {
                (Value::Object(map), PathStep::Key(k)) => {
                    map.shift_remove(k);
                }
                (Value::Array(items), PathStep::Index(i)) if *i < items.len() => {
                    items.remove(*i);
                }
                _ => {}
            }
        }
        return;
    }
    let Some(node) = node_mut(root, &path) else {
        return;
    };
    match mutation {
        Mutation::Replace(v) => *node = v,
        Mutation::WrapInList => *node = Value::Array(vec![node.take()]),
        Mutation::Stringify => *node = Value::String(node.to_string()),
        Mutation::Insert(k, v) => {
            if let Value::Object(map) = node {
                map.insert(k, v);
            }
        }
        Mutation::Remove => {}
    }
}

/// A seed payload with one to four mutations, sometimes also cut short or
/// with a byte changed.
pub(super) fn mutated_fixture() -> impl Strategy<Value = Vec<u8>> {
    let seeds = json_fixtures();
    (
        prop::sample::select(seeds),
        prop::collection::vec((any::<Index>(), mutation()), 1..5),
        prop::option::weighted(0.2, (any::<Index>(), any::<u8>(), any::<bool>())),
    )
        .prop_map(|(mut value, mutations, bytes)| {
            for (at, m) in mutations {
                apply(&mut value, at, m);
            }
            let mut body = serde_json::to_vec(&value).unwrap();
            if let Some((at, byte, truncate)) = bytes
                && !body.is_empty()
            {
                let i = at.index(body.len());
                if truncate {
                    body.truncate(i);
                } else {
                    body[i] = byte;
                }
            }
            body
        })
}

/// Bytes: raw seed payloads (text ones too), arbitrary bytes, arbitrary
/// JSON, mutated seeds, and deep nesting.
pub(super) fn body() -> impl Strategy<Value = Vec<u8>> {
    let raw: Vec<Vec<u8>> = fixtures().iter().map(|(_, b)| b.clone()).collect();
    prop_oneof![
        1 => prop::sample::select(raw),
        2 => prop::collection::vec(any::<u8>(), 0..512),
        3 => json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        3 => mutated_fixture(),
        1 => (1usize..2000, prop::sample::select(&["[", "{\"elements\":", "{\"nestedErrors\":["][..]))
            .prop_map(|(n, open)| open.repeat(n).into_bytes()),
    ]
}
