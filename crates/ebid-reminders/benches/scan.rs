//! The reminder scan over 100,000 cards: each card's schedule assessed against what was delivered for it,
//! as `ebid remind --check` or the app's background check does over the store. Its peer in the same run
//! clones the same 100,000 records (what merely reading them out of a store costs at least), so that the
//! README can give the scan as a ratio that does not depend on the machine.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ebid_reminders::{Clock, Milestone, Thresholds, assess};
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const CARDS: usize = 100_000;

/// One card as the store gives it to the scan.
#[derive(Clone)]
struct CardRecord {
    fingerprint: String,
    not_after: OffsetDateTime,
    delivered: Vec<Milestone>,
}

/// Expiries spread over three years around now, at every second of the day, with the thresholds already
/// passed delivered (so that most cards have nothing due, as on a real day).
fn cards(now: OffsetDateTime, thresholds: &Thresholds) -> Vec<CardRecord> {
    (0..CARDS)
        .map(|index| {
            let spread = i64::try_from(index).expect("small") * 947;
            let not_after = now + Duration::seconds(spread % (3 * 365 * 86_400) - 200 * 86_400);
            let clock = Clock::new(now, Duration::ZERO);
            let delivered = assess(not_after, clock, thresholds, &[])
                .due
                .map(|due| due.settles)
                .unwrap_or_default();
            CardRecord {
                fingerprint: format!("{index:064X}"),
                not_after,
                delivered,
            }
        })
        .collect()
}

fn scan(c: &mut Criterion) {
    let thresholds = Thresholds::default();
    let now = datetime!(2027-03-01 09:00 +9);
    let records = cards(now, &thresholds);
    let clock = Clock::new(now + Duration::DAY, Duration::seconds(-42));

    let mut group = c.benchmark_group("reminders 100,000 cards");
    group.bench_function("scan (assess each card)", |b| {
        b.iter(|| {
            records
                .iter()
                .filter(|card| {
                    assess(card.not_after, clock, &thresholds, &card.delivered)
                        .due
                        .is_some()
                })
                .count()
        })
    });
    group.bench_function("peer: clone each record", |b| {
        b.iter(|| {
            records
                .iter()
                .map(|card| black_box(card.clone()).fingerprint.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, scan);
criterion_main!(benches);
