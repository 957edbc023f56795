//! The command line: [`Options`] and the contenders `--only` names.

use std::path::PathBuf;
use std::time::Duration;

use idp_bench::load::Window;

use crate::USAGE;
use crate::runtime::Flavor;
use crate::sim::Op;

/// The contenders, in the order their rounds run and their rows print.
pub(crate) const CONTENDERS: [&str; 3] = ["idp-client", "raw", "python"];

#[derive(Debug)]
pub(crate) struct Options {
    pub(crate) window: Window,
    pub(crate) rounds: usize,
    pub(crate) python: Option<(PathBuf, PathBuf)>,
    pub(crate) idpctl: Option<PathBuf>,
    pub(crate) help_runs: usize,
    pub(crate) json: Option<PathBuf>,
    pub(crate) only: Option<String>,
    pub(crate) ops: Vec<Op>,
    pub(crate) concurrencies: Vec<usize>,
    pub(crate) sim_capacity: bool,
    pub(crate) flavor: Flavor,
    pub(crate) url: Option<String>,
    pub(crate) id: Option<String>,
    pub(crate) tenant: Option<String>,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Options, String> {
        let mut options = Options {
            window: Window {
                warmup: Duration::from_secs(1),
                measure: Duration::from_secs(3),
            },
            rounds: 3,
            python: None,
            idpctl: None,
            help_runs: 20,
            json: None,
            only: None,
            ops: vec![Op::List, Op::Get, Op::BrokerList],
            concurrencies: vec![1, 32],
            sim_capacity: true,
            flavor: Flavor::Auto,
            url: None,
            id: None,
            tenant: None,
        };
        let mut python = None;
        let mut script = None;
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            let seconds = |v: String| {
                v.parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| format!("{flag}: not a number of seconds: {v}"))
            };
            let count = |v: String| {
                v.parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{flag}: not a positive count: {v}"))
            };
            match flag.as_str() {
                "--duration" => options.window.measure = seconds(value()?)?,
                "--warmup" => options.window.warmup = seconds(value()?)?,
                "--rounds" => options.rounds = count(value()?)?,
                "--help-runs" => options.help_runs = count(value()?)?,
                "--python" => python = Some(PathBuf::from(value()?)),
                "--script" => script = Some(PathBuf::from(value()?)),
                "--idpctl" => options.idpctl = Some(PathBuf::from(value()?)),
                "--json" => options.json = Some(PathBuf::from(value()?)),
                "--only" => {
                    let name = value()?;
                    if !CONTENDERS.contains(&name.as_str()) {
                        return Err(format!("--only: one of {CONTENDERS:?}"));
                    }
                    options.only = Some(name);
                }
                "--op" => {
                    let name = value()?;
                    let op = Op::parse(&name)
                        .ok_or_else(|| format!("--op: list, get or broker-list, not {name}"))?;
                    options.ops = vec![op];
                }
                "--concurrency" => options.concurrencies = vec![count(value()?)?],
                "--no-sim-capacity" => options.sim_capacity = false,
                "--url" => options.url = Some(value()?),
                "--id" => options.id = Some(value()?),
                "--tenant" => options.tenant = Some(value()?),
                "--runtime" => {
                    options.flavor = match value()?.as_str() {
                        "auto" => Flavor::Auto,
                        "current-thread" => Flavor::CurrentThread,
                        "multi-thread" => Flavor::MultiThread,
                        other => {
                            return Err(format!(
                                "--runtime: auto, current-thread or multi-thread, not {other}"
                            ));
                        }
                    }
                }
                other => return Err(format!("unknown option {other}\n{USAGE}")),
            }
        }
        options.python = match (python, script) {
            (Some(p), Some(s)) => Some((p, s)),
            (None, None) => None,
            _ => return Err("--python and --script go together".to_owned()),
        };
        Ok(options)
    }
}
