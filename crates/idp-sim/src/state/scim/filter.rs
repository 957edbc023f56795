//! SCIM filters (RFC 7644 §3.4.2.2): `userName eq "x"`, `displayName eq
//! "x"`, `pr`, `and`, `or`, `not (...)` and the comparison operators,
//! matched against a rendered resource.

use serde_json::Value;

/// A parsed filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    Compare {
        path: String,
        op: CompareOp,
        value: Value,
    },
    Present(String),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Value(Value),
    Open,
    Close,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            ' ' | '\t' => {
                chars.next();
            }
            '(' => {
                chars.next();
                tokens.push(Token::Open);
            }
            ')' => {
                chars.next();
                tokens.push(Token::Close);
            }
            '"' => {
                let mut raw = String::from('"');
                chars.next();
                let mut closed = false;
                while let Some(c) = chars.next() {
                    raw.push(c);
                    if c == '\\' {
                        if let Some(escaped) = chars.next() {
                            raw.push(escaped);
                        }
                    } else if c == '"' {
                        closed = true;
                        break;
                    }
                }
                if !closed {
                    return Err("unterminated string".into());
                }
                let value: Value =
                    serde_json::from_str(&raw).map_err(|_| "invalid string".to_owned())?;
                tokens.push(Token::Value(value));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if matches!(c, ' ' | '\t' | '(' | ')' | '"') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(Token::Word(word));
            }
        }
    }
    Ok(tokens)
}

/// Parses `userName eq "x"`, `displayName eq "x"`, `pr`, `and`, `or`,
/// `not (...)` and the comparison operators of RFC 7644.
pub(crate) fn parse_filter(text: &str) -> Result<Filter, String> {
    let tokens = tokenize(text)?;
    let mut parser = Parser { tokens, at: 0 };
    let filter = parser.or()?;
    if parser.at != parser.tokens.len() {
        return Err("unexpected text after the filter".into());
    }
    Ok(filter)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek_word(&self, word: &str) -> bool {
        matches!(self.tokens.get(self.at), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn or(&mut self) -> Result<Filter, String> {
        let mut left = self.and()?;
        while self.peek_word("or") {
            self.at += 1;
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Filter, String> {
        let mut left = self.factor()?;
        while self.peek_word("and") {
            self.at += 1;
            let right = self.factor()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn factor(&mut self) -> Result<Filter, String> {
        if self.peek_word("not") {
            self.at += 1;
            return Ok(Filter::Not(Box::new(self.factor()?)));
        }
        match self.tokens.get(self.at).cloned() {
            Some(Token::Open) => {
                self.at += 1;
                let inner = self.or()?;
                if self.tokens.get(self.at) != Some(&Token::Close) {
                    return Err("missing )".into());
                }
                self.at += 1;
                Ok(inner)
            }
            Some(Token::Word(path)) => {
                self.at += 1;
                let Some(Token::Word(op)) = self.tokens.get(self.at).cloned() else {
                    return Err(format!("expected an operator after {path}"));
                };
                self.at += 1;
                if op.eq_ignore_ascii_case("pr") {
                    return Ok(Filter::Present(path));
                }
                let op = match op.to_ascii_lowercase().as_str() {
                    "eq" => CompareOp::Eq,
                    "ne" => CompareOp::Ne,
                    "co" => CompareOp::Co,
                    "sw" => CompareOp::Sw,
                    "ew" => CompareOp::Ew,
                    "gt" => CompareOp::Gt,
                    "ge" => CompareOp::Ge,
                    "lt" => CompareOp::Lt,
                    "le" => CompareOp::Le,
                    other => return Err(format!("unknown operator {other}")),
                };
                let value = match self.tokens.get(self.at).cloned() {
                    Some(Token::Value(v)) => v,
                    Some(Token::Word(w)) => match w.as_str() {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        "null" => Value::Null,
                        number => serde_json::from_str::<serde_json::Number>(number)
                            .map(Value::Number)
                            .map_err(|_| format!("invalid value {number}"))?,
                    },
                    _ => return Err("expected a value".into()),
                };
                self.at += 1;
                Ok(Filter::Compare { path, op, value })
            }
            _ => Err("expected an attribute".into()),
        }
    }
}

/// The values at `path` (`userName`, `name.familyName`, `emails.value`,
/// `meta.lastModified`) of a rendered resource; multi-valued attributes
/// give each element's value.
fn values_at<'a>(resource: &'a Value, path: &str) -> Vec<&'a Value> {
    let mut current = vec![resource];
    for part in path.split('.') {
        let mut next = Vec::new();
        for value in current {
            let field = value.as_object().and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(part))
                    .map(|(_, v)| v)
            });
            match field {
                Some(Value::Array(items)) => next.extend(items.iter()),
                Some(v) => next.push(v),
                None => {}
            }
        }
        current = next;
    }
    // A multi-valued complex attribute compared directly compares its values.
    current
        .into_iter()
        .map(|v| match v {
            Value::Object(o) if o.contains_key("value") => &o["value"],
            other => other,
        })
        .collect()
}

fn compare(found: &Value, op: CompareOp, wanted: &Value, case_exact: bool) -> bool {
    let fold = |s: &str| {
        if case_exact {
            s.to_owned()
        } else {
            s.to_lowercase()
        }
    };
    match (found, wanted) {
        (Value::String(a), Value::String(b)) => {
            let (a, b) = (fold(a), fold(b));
            match op {
                CompareOp::Eq => a == b,
                CompareOp::Ne => a != b,
                CompareOp::Co => a.contains(&b),
                CompareOp::Sw => a.starts_with(&b),
                CompareOp::Ew => a.ends_with(&b),
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                CompareOp::Le => a <= b,
            }
        }
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            match op {
                CompareOp::Eq => a == b,
                CompareOp::Ne => a != b,
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                CompareOp::Le => a <= b,
                _ => false,
            }
        }
        (a, b) => match op {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            _ => false,
        },
    }
}

impl Filter {
    /// Whether a rendered resource matches.
    pub(crate) fn matches(&self, resource: &Value) -> bool {
        match self {
            Filter::Present(path) => values_at(resource, path)
                .iter()
                .any(|v| !v.is_null() && *v != &Value::String(String::new())),
            Filter::Compare { path, op, value } => {
                let case_exact = matches!(path.as_str(), "id" | "externalId");
                let found = values_at(resource, path);
                if found.is_empty() {
                    return *op == CompareOp::Ne;
                }
                found.iter().any(|f| compare(f, *op, value, case_exact))
            }
            Filter::And(a, b) => a.matches(resource) && b.matches(resource),
            Filter::Or(a, b) => a.matches(resource) || b.matches(resource),
            Filter::Not(inner) => !inner.matches(resource),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_match_as_rfc_7644_says() {
        let user = json!({"userName": "Alice@Example.com", "name": {"familyName": "Smith"},
            "emails": [{"value": "a@example.com", "type": "work"}], "active": true});
        for (text, expected) in [
            (r#"userName eq "alice@example.com""#, true),
            (r#"userName eq "bob""#, false),
            (r#"name.familyName sw "Sm""#, true),
            (r#"emails.value co "example""#, true),
            (r#"emails[type eq "work"]"#, false),
            (r#"active eq true and userName pr"#, true),
            (r#"not (userName eq "bob") or active eq false"#, true),
        ] {
            match parse_filter(text) {
                Ok(filter) => assert_eq!(filter.matches(&user), expected, "{text}"),
                Err(_) => assert!(!expected, "{text}"),
            }
        }
        assert!(parse_filter(r#"userName zz "x""#).is_err());
        assert!(parse_filter(r#"userName eq "x"#).is_err());
    }
}
