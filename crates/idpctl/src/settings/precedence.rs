//! The one precedence rule of every setting: the flag, else the
//! environment, else the context, else the default.

/// Reads a variable; unset and empty are the same.
pub type Lookup<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads an environment variable; unset and empty are the same.
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Reads no variable: for what only a context may give.
pub fn no_env(_: &str) -> Option<String> {
    None
}

/// `1`, `true`, `yes` (any case) turn a flag variable on.
pub fn env_flag(env: Lookup<'_>, name: &str) -> bool {
    env(name).is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"))
}

/// One setting's value from each layer; [`Precedence::resolve`] takes the
/// first one given.
#[derive(Debug)]
pub struct Precedence<T> {
    pub flag: Option<T>,
    pub env: Option<T>,
    pub context: Option<T>,
    pub default: Option<T>,
}

impl<T> Default for Precedence<T> {
    fn default() -> Self {
        Self {
            flag: None,
            env: None,
            context: None,
            default: None,
        }
    }
}

impl<T: Given> Precedence<T> {
    /// Flag > environment > context > default.
    pub fn resolve(self) -> Option<T> {
        [self.flag, self.env, self.context, self.default]
            .into_iter()
            .flatten()
            .find(Given::is_given)
    }
}

/// Whether a layer's value counts: an empty text does not (`--vcf-url ""`
/// leaves the URL to the environment and the context).
pub trait Given {
    fn is_given(&self) -> bool {
        true
    }
}

impl Given for String {
    fn is_given(&self) -> bool {
        !self.is_empty()
    }
}

impl Given for idp_config::PemRef {}

#[cfg(test)]
pub mod tests {
    use std::collections::HashMap;

    use super::{Lookup, Precedence};

    /// One layer value per column: flag, environment, context; `None` when
    /// that layer does not set the field.
    pub type Row = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    /// Which layer wins for every combination of set and unset layers.
    pub const PRECEDENCE: &[(Row, Option<&str>)] = &[
        ((None, None, None), None),
        ((None, None, Some("ctx")), Some("ctx")),
        ((None, Some("env"), None), Some("env")),
        ((None, Some("env"), Some("ctx")), Some("env")),
        ((Some("flag"), None, None), Some("flag")),
        ((Some("flag"), None, Some("ctx")), Some("flag")),
        ((Some("flag"), Some("env"), None), Some("flag")),
        ((Some("flag"), Some("env"), Some("ctx")), Some("flag")),
        // An empty value is no value.
        ((Some(""), Some("env"), Some("ctx")), Some("env")),
    ];

    /// An environment of `vars`.
    pub fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> + use<> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).filter(|v| !v.is_empty()).cloned()
    }

    /// An environment with `name` set to `value` when given.
    pub fn one_var(name: &str, value: Option<&str>) -> impl Fn(&str) -> Option<String> + use<> {
        lookup(&value.map(|v| (name, v)).into_iter().collect::<Vec<_>>())
    }

    #[test]
    fn the_first_given_layer_wins() {
        for ((flag, env, ctx), expected) in PRECEDENCE {
            let got = Precedence {
                flag: flag.map(str::to_owned),
                env: env.map(str::to_owned),
                context: ctx.map(str::to_owned),
                default: None,
            }
            .resolve();
            assert_eq!(got.as_deref(), *expected, "{flag:?} {env:?} {ctx:?}");
        }
        let with_default = Precedence {
            context: Some(String::new()),
            default: Some("default".to_owned()),
            ..Precedence::default()
        };
        assert_eq!(with_default.resolve().as_deref(), Some("default"));
    }

    #[test]
    fn a_flag_variable_is_on_for_1_true_or_yes() {
        for (value, on) in [("1", true), ("TRUE", true), ("yes", true), ("0", false)] {
            let env = one_var("X", Some(value));
            let env: Lookup<'_> = &env;
            assert_eq!(super::env_flag(env, "X"), on, "{value}");
        }
    }
}
