//! What `cargo xtask idle-memory` prints: each start as it is measured, then the table the README quotes
//! (the median of the rounds with their range, since one machine shared with builds moves from run to run).

use super::round::Sample;

/// One line for a start just measured.
pub fn print_sample(label: &str, sample: &Sample) {
    let settled = if sample.settled {
        "settled"
    } else {
        "NOT settled (still moving by more than 1 MiB)"
    };
    println!(
        "    {label}: PSS {:.1} MiB, RSS {:.1} MiB over {} processes ({}), {settled} after {:.1} s",
        mib(sample.memory.pss_kib),
        mib(sample.memory.rss_kib),
        sample.processes.len(),
        sample.processes.join(", "),
        sample.after.as_secs_f64()
    );
}

/// The table: each program's median and range, then the app over the empty window, as the ratio of the
/// medians and the range of each round's own ratio.
pub fn print_table(app: &[Sample], empty: &[Sample]) {
    let pss = |samples: &[Sample]| kib(samples, |s| s.memory.pss_kib);
    let rss = |samples: &[Sample]| kib(samples, |s| s.memory.rss_kib);
    println!(
        "\nidle memory over {} rounds: median (min – max), summed over each program's processes",
        app.len()
    );
    println!("| program | PSS | RSS | processes |");
    println!("|---|---|---|---|");
    for (label, samples) in [
        ("ebid-desktop (the app)", app),
        ("empty Tauri 2 window", empty),
    ] {
        println!(
            "| {label} | {} | {} | {} |",
            range_mib(&pss(samples)),
            range_mib(&rss(samples)),
            samples
                .last()
                .map(|s| s.processes.join(", "))
                .unwrap_or_default()
        );
    }
    println!(
        "| app / empty | {} | {} | |",
        ratio(&pss(app), &pss(empty)),
        ratio(&rss(app), &rss(empty))
    );
    println!(
        "the app above the empty window: PSS +{:.1} MiB, RSS +{:.1} MiB (medians)",
        mib(median(&pss(app))) - mib(median(&pss(empty))),
        mib(median(&rss(app))) - mib(median(&rss(empty)))
    );
}

fn kib(samples: &[Sample], field: impl Fn(&Sample) -> u64) -> Vec<u64> {
    samples.iter().map(field).collect()
}

/// `123.4 MiB (120.1 – 125.0)`.
fn range_mib(values: &[u64]) -> String {
    let (min, max) = min_max(values.iter().copied().map(mib));
    format!("{:.1} MiB ({min:.1} – {max:.1})", mib(median(values)))
}

/// `1.23× (1.20 – 1.25)`: the medians' ratio, and the range of the rounds' ratios (round n of the app over
/// round n of the empty window, started one after the other).
fn ratio(app: &[u64], empty: &[u64]) -> String {
    let medians = median(app) as f64 / median(empty) as f64;
    let (min, max) = min_max(app.iter().zip(empty).map(|(a, e)| *a as f64 / *e as f64));
    format!("{medians:.2}× ({min:.2} – {max:.2})")
}

/// The middle value; the lower of the two middle ones for an even count (a value that was measured).
fn median(values: &[u64]) -> u64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted
        .get((sorted.len().saturating_sub(1)) / 2)
        .copied()
        .unwrap_or(0)
}

fn min_max(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(min, max), v| {
        (min.min(v), max.max(v))
    })
}

/// For display: a few hundred thousand KiB convert to f64 exactly.
fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
