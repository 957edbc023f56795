//! A closed-loop load generator: `concurrency` tokio tasks, each sending
//! its next request as soon as the previous one is answered, for a warm-up
//! and then a fixed measuring window.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long to warm up and how long to measure.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    /// Requests sent before measuring starts (connections opened, caches
    /// warm); not counted.
    pub warmup: Duration,
    /// The measuring window: requests started in it are counted.
    pub measure: Duration,
}

/// What one contender achieved in one window.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Successful requests started in the window.
    pub requests: u64,
    /// Failed requests started in the window.
    pub errors: u64,
    /// The window, in seconds.
    pub seconds: f64,
    /// Median latency, microseconds.
    pub p50_us: f64,
    /// 99th percentile latency, microseconds.
    pub p99_us: f64,
    /// CPU time (user + system) the client process spent per request,
    /// microseconds, when known.
    pub cpu_us_per_request: Option<f64>,
}

impl Sample {
    /// Requests per second.
    #[must_use]
    pub fn rps(&self) -> f64 {
        if self.seconds > 0.0 {
            self.requests as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// As JSON (what `idp-bench http --json` writes).
    #[must_use]
    pub fn to_json(&self) -> Value {
        json!({
            "requests": self.requests,
            "errors": self.errors,
            "seconds": self.seconds,
            "rps": self.rps(),
            "p50_us": self.p50_us,
            "p99_us": self.p99_us,
            "cpu_us_per_request": self.cpu_us_per_request,
        })
    }

    /// Reads what [`Sample::to_json`] (or the Python script) wrote.
    #[must_use]
    pub fn from_json(value: &Value) -> Option<Sample> {
        Some(Sample {
            requests: value.get("requests")?.as_u64()?,
            errors: value.get("errors")?.as_u64()?,
            seconds: value.get("seconds")?.as_f64()?,
            p50_us: value.get("p50_us")?.as_f64()?,
            p99_us: value.get("p99_us")?.as_f64()?,
            cpu_us_per_request: value.get("cpu_us_per_request").and_then(Value::as_f64),
        })
    }

    /// The sample with the median throughput of several rounds (the
    /// first, for an empty slice: none).
    #[must_use]
    pub fn median(samples: &[Sample]) -> Option<Sample> {
        let mut sorted: Vec<&Sample> = samples.iter().collect();
        sorted.sort_by(|a, b| a.rps().total_cmp(&b.rps()));
        sorted.get(sorted.len() / 2).map(|s| (*s).clone())
    }
}

/// The `q` quantile (0..=1) of sorted nanosecond latencies, in
/// microseconds (nearest rank).
#[must_use]
pub fn percentile_us(sorted_ns: &[u64], q: f64) -> f64 {
    if sorted_ns.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted_ns.len() as f64).ceil() as usize).clamp(1, sorted_ns.len());
    sorted_ns[rank - 1] as f64 / 1_000.0
}

/// The CPU time (user + system, all threads) this process has used, from
/// `/proc/self/stat`; `None` off Linux.
#[must_use]
pub fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold
    // spaces: state is field 3, utime 14, stime 15 (1-based).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_ascii_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    // USER_HZ is 100 on every Linux ABI Rust supports.
    Some(Duration::from_millis((utime + stime) * 10))
}

/// Runs `op` from `concurrency` tasks for `window.warmup + window.measure`
/// and reports the measuring window. `op` returns whether the request
/// succeeded.
pub async fn drive<F, Fut>(concurrency: usize, window: Window, op: F) -> Sample
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = bool> + Send,
{
    let op = Arc::new(op);
    let start = Instant::now();
    let measure_from = start + window.warmup;
    let end = measure_from + window.measure;
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let op = Arc::clone(&op);
        tasks.push(tokio::spawn(async move {
            let mut latencies: Vec<u64> = Vec::with_capacity(1 << 16);
            let mut errors = 0u64;
            loop {
                let sent = Instant::now();
                if sent >= end {
                    break;
                }
                let ok = op().await;
                if sent >= measure_from {
                    if ok {
                        let ns = u64::try_from(sent.elapsed().as_nanos()).unwrap_or(u64::MAX);
                        latencies.push(ns);
                    } else {
                        errors += 1;
                    }
                }
            }
            (latencies, errors)
        }));
    }
    tokio::time::sleep_until(measure_from.into()).await;
    let cpu_before = process_cpu_time();
    tokio::time::sleep_until(end.into()).await;
    let cpu_after = process_cpu_time();
    let mut all = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok((latencies, failed)) = task.await {
            all.extend(latencies);
            errors += failed;
        } else {
            errors += 1;
        }
    }
    all.sort_unstable();
    let requests = all.len() as u64;
    let cpu_us_per_request = match (cpu_before, cpu_after) {
        (Some(before), Some(after)) if requests > 0 => {
            Some(after.saturating_sub(before).as_secs_f64() * 1e6 / requests as f64)
        }
        _ => None,
    };
    Sample {
        requests,
        errors,
        seconds: window.measure.as_secs_f64(),
        p50_us: percentile_us(&all, 0.50),
        p99_us: percentile_us(&all, 0.99),
        cpu_us_per_request,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let ns: Vec<u64> = (1..=100).map(|i| i * 1_000).collect();
        assert!((percentile_us(&ns, 0.50) - 50.0).abs() < f64::EPSILON);
        assert!((percentile_us(&ns, 0.99) - 99.0).abs() < f64::EPSILON);
        assert!((percentile_us(&[7_000], 0.99) - 7.0).abs() < f64::EPSILON);
        assert!(percentile_us(&[], 0.5).abs() < f64::EPSILON);
    }

    #[test]
    fn the_median_round_is_picked_by_throughput() {
        let sample = |requests| Sample {
            requests,
            errors: 0,
            seconds: 1.0,
            p50_us: 0.0,
            p99_us: 0.0,
            cpu_us_per_request: None,
        };
        let median = Sample::median(&[sample(5), sample(1), sample(9)]);
        assert_eq!(median.map(|s| s.requests), Some(5));
        let round_trip = Sample::from_json(&sample(3).to_json());
        assert_eq!(round_trip, Some(sample(3)));
    }

    #[test]
    fn this_process_has_used_cpu() {
        if cfg!(target_os = "linux") {
            assert!(process_cpu_time().is_some());
        }
    }
}
