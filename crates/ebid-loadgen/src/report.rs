//! One level's figures and the markdown table of them: throughput of the successful operations, and their
//! latency at the 50th and 99th percentiles (nearest rank).

use std::time::Duration;

/// What one scenario did at one level.
pub struct Row {
    pub scenario: &'static str,
    pub clients: usize,
    /// Operations that ran, succeeded or failed.
    pub operations: usize,
    pub failures: Vec<anyhow::Error>,
    /// The measured phase's wall time.
    pub elapsed: Duration,
    /// The successful operations' latencies.
    pub latencies: Vec<Duration>,
}

const HEADER: &str = "| scenario | concurrent clients | operations | failed | throughput (ops/s) | p50 | p99 |\n\
                      |---|---|---|---|---|---|---|";

/// The rows as a markdown table.
pub fn table(rows: &[Row]) -> String {
    let mut table = HEADER.to_owned();
    for row in rows {
        table.push('\n');
        table.push_str(&row.line());
    }
    table
}

impl Row {
    fn line(&self) -> String {
        let mut sorted = self.latencies.clone();
        sorted.sort();
        let throughput = sorted.len() as f64 / self.elapsed.as_secs_f64().max(f64::MIN_POSITIVE);
        format!(
            "| {} | {} | {} | {} | {throughput:.0} | {} | {} |",
            self.scenario,
            self.clients,
            self.operations,
            self.failures.len(),
            millis(percentile(&sorted, 50)),
            millis(percentile(&sorted, 99)),
        )
    }
}

/// The nearest-rank `percent`-th percentile of `sorted`: the smallest value that many percent are at or below.
fn percentile(sorted: &[Duration], percent: usize) -> Option<Duration> {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

fn millis(latency: Option<Duration>) -> String {
    latency.map_or_else(
        || "–".to_owned(),
        |latency| format!("{:.1} ms", latency.as_secs_f64() * 1000.0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: impl IntoIterator<Item = u64>) -> Vec<Duration> {
        values.into_iter().map(Duration::from_millis).collect()
    }

    #[test]
    fn nearest_rank_percentiles() {
        let hundred = ms(1..=100);
        assert_eq!(percentile(&hundred, 50), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&hundred, 99), Some(Duration::from_millis(99)));
        let three = ms([10, 20, 30]);
        assert_eq!(percentile(&three, 50), Some(Duration::from_millis(20)));
        assert_eq!(percentile(&three, 99), Some(Duration::from_millis(30)));
        assert_eq!(percentile(&ms([7]), 1), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn a_row_with_failures_and_unsorted_latencies() {
        let row = Row {
            scenario: "commit",
            clients: 16,
            operations: 5,
            failures: vec![anyhow::anyhow!("commit: refused")],
            elapsed: Duration::from_secs(2),
            latencies: ms([40, 10, 30, 20]),
        };
        assert_eq!(
            table(&[row]).lines().last(),
            Some("| commit | 16 | 5 | 1 | 2 | 20.0 ms | 40.0 ms |")
        );
    }
}
