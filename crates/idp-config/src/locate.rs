//! Where a field is in a document's text, for errors found after parsing
//! (a literal secret, a duplicate name, a bad URL or lifetime...).
//!
//! The text has already been read once; to place `targets[1].url`, it is
//! read again by a probe that walks only along that path and fails on
//! reaching the value. Both readers attach the position of the value being
//! read to an error raised while reading it (serde_norway the value's start,
//! serde_json where the value's first token ends), so the probe's error
//! carries the line and column. A path that does not exist in the text (a
//! missing field) is placed at its nearest existing parent (in JSON, at
//! that object's first member).

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// The probe's own error message, to tell it from any other.
const FOUND: &str = "idp-config: located";

/// One step of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `targets[1].identity.external.oidc` as steps; `None` when the path is
/// not of that form.
fn segments(path: &str) -> Option<Vec<Segment>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            steps.push(Segment::Key(key.to_owned()));
        }
        while let Some(inner) = rest.strip_prefix('[') {
            let end = inner.find(']')?;
            steps.push(Segment::Index(inner[..end].parse().ok()?));
            rest = &inner[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// The line and column (1-based) of `field`'s value in `text`, else of its
/// nearest parent present in the text.
pub(crate) fn locate(text: &str, json: bool, field: &str) -> Option<(usize, usize)> {
    let steps = segments(field)?;
    (1..=steps.len())
        .rev()
        .find_map(|n| probe(text, json, &steps[..n]))
}

fn probe(text: &str, json: bool, path: &[Segment]) -> Option<(usize, usize)> {
    let seed = Probe { rest: path };
    if json {
        let mut de = serde_json::Deserializer::from_str(text);
        match seed.deserialize(&mut de) {
            Err(e) if e.to_string().contains(FOUND) && e.line() > 0 => {
                Some((e.line(), e.column().max(1)))
            }
            _ => None,
        }
    } else {
        match seed.deserialize(serde_norway::Deserializer::from_str(text)) {
            Err(e) if e.to_string().contains(FOUND) => e.location().map(|l| (l.line(), l.column())),
            _ => None,
        }
    }
}

/// Reads a value; fails inside it when `rest` is empty (the wanted value),
/// else descends along `rest` and skips everything else.
struct Probe<'p> {
    rest: &'p [Segment],
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Segment::Key(want), rest)) = self.rest.split_first() else {
            return self.found();
        };
        while let Some(key) = map.next_key_seed(Key)? {
            if key.as_deref() == Some(want.as_str()) {
                return map.next_value_seed(Probe { rest });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Segment::Index(want), rest)) = self.rest.split_first() else {
            return self.found();
        };
        let mut index = 0;
        loop {
            if index == *want {
                return seq.next_element_seed(Probe { rest }).map(drop);
            }
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
            index += 1;
        }
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.found()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.found()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.found()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.found()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.found()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.found()
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.found()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl Probe<'_> {
    /// Fails here when this is the wanted value; a scalar where the path
    /// goes on means the path is not in the text.
    fn found<E: de::Error>(&self) -> Result<(), E> {
        if self.rest.is_empty() {
            Err(E::custom(FOUND))
        } else {
            Ok(())
        }
    }
}

/// A mapping key: its text, or `None` for a key that is not a string.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::{Segment, locate, segments};

    #[test]
    fn paths_are_split_into_steps() {
        assert_eq!(
            segments("targets[1].identity.embeddedSources[0].password"),
            Some(vec![
                Segment::Key("targets".into()),
                Segment::Index(1),
                Segment::Key("identity".into()),
                Segment::Key("embeddedSources".into()),
                Segment::Index(0),
                Segment::Key("password".into()),
            ])
        );
        assert_eq!(segments("a[x]"), None);
        assert_eq!(segments("a[1]b"), None);
    }

    #[test]
    fn values_are_found_in_yaml_and_json() {
        let yaml = "targets:\n  - name: a\n    url: x\n  - name: b\n    url: y\n";
        assert_eq!(locate(yaml, false, "targets[1].url").map(|p| p.0), Some(5));
        assert_eq!(locate(yaml, false, "targets[0].name").map(|p| p.0), Some(2));
        // Absent: its parent.
        assert_eq!(
            locate(yaml, false, "targets[1].token").map(|p| p.0),
            Some(4)
        );
        let json = "{\n  \"targets\": [\n    {\"name\": \"a\"},\n    {\n      \"name\": \"b\",\n      \"url\": \"y\"\n    }\n  ]\n}\n";
        assert_eq!(locate(json, true, "targets[1].url").map(|p| p.0), Some(6));
        assert_eq!(locate(json, true, "targets[0].name").map(|p| p.0), Some(3));
        // JSON places an object at its first member.
        assert_eq!(locate(json, true, "targets[1].token").map(|p| p.0), Some(5));
        assert_eq!(locate(json, true, "nothing").map(|p| p.0), None);
    }
}
