//! The command line of `cargo xtask bench`.

/// What `cargo xtask bench` was asked to do.
#[derive(Debug, Clone, PartialEq)]
pub struct BenchOptions {
    /// Skip the cold and incremental builds (the slowest part).
    pub skip_build_cost: bool,
    /// Skip the Python contender (no venv is created).
    pub skip_python: bool,
    /// Skip the HTTP and CLI measurements.
    pub skip_http: bool,
    /// Skip the criterion decode benchmark.
    pub skip_decode: bool,
    /// Skip counting instructions per request under callgrind.
    pub skip_callgrind: bool,
    /// Skip the fleet plan benchmark.
    pub skip_fleet: bool,
    /// Run only the fleet plan benchmark.
    pub only_fleet: bool,
    /// Run only the broker list row of the HTTP benchmark.
    pub only_broker: bool,
    /// Seconds measured per contender and round.
    pub duration: f64,
    /// Seconds of warm-up per contender and round.
    pub warmup: f64,
    /// Rounds per contender (the median is reported).
    pub rounds: u32,
    /// Runs of the code generation timing.
    pub codegen_runs: u32,
    /// Only print the usage.
    pub help: bool,
}

impl Default for BenchOptions {
    fn default() -> Self {
        Self {
            skip_build_cost: false,
            skip_python: false,
            skip_http: false,
            skip_decode: false,
            skip_callgrind: false,
            skip_fleet: false,
            only_fleet: false,
            only_broker: false,
            duration: 3.0,
            warmup: 1.0,
            rounds: 5,
            codegen_runs: 5,
            help: false,
        }
    }
}

/// The usage text of `cargo xtask bench`.
pub const USAGE: &str = "\
usage: cargo xtask bench [options]
  --skip-build-cost   skip the cold and incremental `cargo build -p idp-client` (minutes)
  --skip-python       skip the Python requests contender
  --skip-http         skip the HTTP and CLI measurements
  --skip-decode       skip the criterion decode benchmark
  --skip-callgrind    skip counting instructions per request under valgrind --tool=callgrind
  --skip-fleet        skip the fleet plan (idp-config plan over 50 delayed simulators vs one)
  --only-fleet        run only the fleet plan (after the release build of idp-bench)
  --only-broker       run only the broker list row (idp-client vs raw reqwest vs Python, callgrind)
  --duration SECS     measured seconds per contender and round (default 3)
  --warmup SECS       warm-up seconds per contender and round (default 1)
  --rounds N          rounds per contender, median reported (default 5)
  --codegen-runs N    runs of the code generation timing (default 5)
  --quick             --duration 1 --warmup 0.5 --rounds 1 --skip-build-cost --skip-callgrind";

impl BenchOptions {
    /// Parses the arguments after `bench`.
    ///
    /// # Errors
    ///
    /// An unknown flag or a bad value.
    pub fn parse(args: &[String]) -> Result<BenchOptions, String> {
        let mut options = BenchOptions::default();
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || {
                args.next()
                    .cloned()
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--help" | "-h" => options.help = true,
                "--skip-build-cost" => options.skip_build_cost = true,
                "--skip-python" => options.skip_python = true,
                "--skip-http" => options.skip_http = true,
                "--skip-decode" => options.skip_decode = true,
                "--skip-callgrind" => options.skip_callgrind = true,
                "--skip-fleet" => options.skip_fleet = true,
                "--only-fleet" => options.only_fleet = true,
                "--only-broker" => options.only_broker = true,
                "--quick" => {
                    options.duration = 1.0;
                    options.warmup = 0.5;
                    options.rounds = 1;
                    options.skip_build_cost = true;
                    options.skip_callgrind = true;
                }
                "--duration" => options.duration = seconds(flag, &value()?)?,
                "--warmup" => options.warmup = seconds(flag, &value()?)?,
                "--rounds" => options.rounds = count(flag, &value()?)?,
                "--codegen-runs" => options.codegen_runs = count(flag, &value()?)?,
                other => return Err(format!("unknown option {other}")),
            }
        }
        if options.only_fleet && options.skip_fleet {
            return Err("--only-fleet and --skip-fleet contradict each other".to_owned());
        }
        if options.only_broker && (options.only_fleet || options.skip_http) {
            return Err(
                "--only-broker runs HTTP measurements only: not with --only-fleet or --skip-http"
                    .to_owned(),
            );
        }
        if options.duration <= 0.0 {
            return Err("--duration must be more than 0".to_owned());
        }
        Ok(options)
    }
}

fn seconds(flag: &str, value: &str) -> Result<f64, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| format!("{flag}: not a number of seconds: {value}"))
}

fn count(flag: &str, value: &str) -> Result<u32, String> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{flag}: not a positive count: {value}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn flags_are_parsed() {
        assert_eq!(BenchOptions::parse(&[]), Ok(BenchOptions::default()));
        let quick = BenchOptions::parse(&args(&["--quick", "--rounds", "2"])).unwrap();
        assert!(quick.skip_build_cost);
        assert_eq!(quick.rounds, 2);
        assert!((quick.duration - 1.0).abs() < f64::EPSILON);
        let skips = BenchOptions::parse(&args(&[
            "--skip-python",
            "--skip-http",
            "--skip-decode",
            "--duration",
            "0.5",
        ]))
        .unwrap();
        assert!(skips.skip_python && skips.skip_http && skips.skip_decode);
        assert!(!skips.skip_build_cost);
        assert!(BenchOptions::parse(&args(&["--rounds", "0"])).is_err());
        assert!(BenchOptions::parse(&args(&["--duration"])).is_err());
        assert!(BenchOptions::parse(&args(&["--duration", "0"])).is_err());
        assert!(BenchOptions::parse(&args(&["--fast"])).is_err());
        assert!(BenchOptions::parse(&args(&["--help"])).unwrap().help);
        assert!(
            BenchOptions::parse(&args(&["--only-fleet"]))
                .unwrap()
                .only_fleet
        );
        assert!(
            BenchOptions::parse(&args(&["--skip-fleet"]))
                .unwrap()
                .skip_fleet
        );
        assert!(BenchOptions::parse(&args(&["--only-fleet", "--skip-fleet"])).is_err());
        assert!(
            BenchOptions::parse(&args(&["--only-broker"]))
                .unwrap()
                .only_broker
        );
        assert!(BenchOptions::parse(&args(&["--only-broker", "--only-fleet"])).is_err());
        assert!(BenchOptions::parse(&args(&["--only-broker", "--skip-http"])).is_err());
    }
}
