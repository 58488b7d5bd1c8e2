//! What a workload run measures: process CPU time, allocations, latency
//! percentiles and the peak resident set.

use std::alloc::System;
use std::time::{Duration, Instant};

use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

/// Every allocation of the bench process (client and server alike) is counted.
#[global_allocator]
pub static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not yet freed, process wide (the counters already
/// include the growth and shrinking of reallocations).
pub fn live_bytes() -> i64 {
    let stats = GLOBAL.stats();
    stats.bytes_allocated as i64 - stats.bytes_deallocated as i64
}

/// CPU time of the whole process (user and system, every thread), in
/// nanoseconds: the sum of the threads' `/proc/self/task/*/schedstat`.
pub fn cpu_time() -> Duration {
    let mut total = 0u64;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            let stat = std::fs::read_to_string(task.path().join("schedstat")).unwrap_or_default();
            total += stat
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    Duration::from_nanos(total)
}

/// The peak resident set (`VmHWM`) in KiB.
pub fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// A measurement window over a run of `events` events.
pub struct Window {
    cpu: Duration,
    wall: Instant,
    region: Region<'static, System>,
}

impl Window {
    /// Starts measuring now.
    pub fn start() -> Window {
        Window {
            cpu: cpu_time(),
            wall: Instant::now(),
            region: Region::new(GLOBAL),
        }
    }

    /// The figures of the window, `latencies` in nanoseconds.
    pub fn finish(self, events: usize, mut latencies: Vec<u64>) -> Figures {
        let wall = self.wall.elapsed();
        let cpu = cpu_time().saturating_sub(self.cpu);
        let allocs = self.region.change().allocations;
        latencies.sort_unstable();
        let pct = |p: f64| -> u64 {
            if latencies.is_empty() {
                return 0;
            }
            let i = ((latencies.len() as f64 * p).ceil() as usize).clamp(1, latencies.len());
            latencies[i - 1]
        };
        Figures {
            events,
            wall_ns: wall.as_nanos() as u64,
            cpu_ns: cpu.as_nanos() as u64,
            allocs: allocs as u64,
            p50_ns: pct(0.50),
            p99_ns: pct(0.99),
            hwm_kib: peak_rss_kib(),
        }
    }
}

/// The figures of one run, as a child process prints them.
#[derive(Debug, Clone, Copy, Default)]
pub struct Figures {
    pub events: usize,
    pub wall_ns: u64,
    pub cpu_ns: u64,
    pub allocs: u64,
    pub p50_ns: u64,
    pub p99_ns: u64,
    pub hwm_kib: u64,
}

impl Figures {
    /// One line: `RESULT events=.. wall_ns=.. ...`.
    pub fn line(&self) -> String {
        format!(
            "RESULT events={} wall_ns={} cpu_ns={} allocs={} p50_ns={} p99_ns={} hwm_kib={}",
            self.events,
            self.wall_ns,
            self.cpu_ns,
            self.allocs,
            self.p50_ns,
            self.p99_ns,
            self.hwm_kib
        )
    }

    /// Reads a line written by [`Figures::line`].
    pub fn parse(line: &str) -> Option<Figures> {
        let rest = line.strip_prefix("RESULT ")?;
        let mut f = Figures::default();
        for pair in rest.split_whitespace() {
            let (k, v) = pair.split_once('=')?;
            let v: u64 = v.parse().ok()?;
            match k {
                "events" => f.events = v as usize,
                "wall_ns" => f.wall_ns = v,
                "cpu_ns" => f.cpu_ns = v,
                "allocs" => f.allocs = v,
                "p50_ns" => f.p50_ns = v,
                "p99_ns" => f.p99_ns = v,
                "hwm_kib" => f.hwm_kib = v,
                _ => {}
            }
        }
        Some(f)
    }

    pub fn events_per_sec(&self) -> f64 {
        self.events as f64 / (self.wall_ns.max(1) as f64 / 1e9)
    }

    pub fn cpu_us_per_event(&self) -> f64 {
        self.cpu_ns as f64 / 1e3 / self.events.max(1) as f64
    }

    pub fn allocs_per_event(&self) -> f64 {
        self.allocs as f64 / self.events.max(1) as f64
    }
}
