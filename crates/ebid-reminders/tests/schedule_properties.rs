//! The schedule over dates: JST midnights, month ends, leap days, expiry at a month end, the server's clock
//! ahead of or behind the PC's; delivered once per threshold, and a catch-up after the PC was off gives one
//! notice. Inputs are built from JST calendar dates and times of day, and the expected days are the
//! difference of those dates, so the tests do not share the code's conversion through UTC.

use ebid_reminders::{Assessment, Clock, Milestone, Thresholds, assess};
use proptest::prelude::*;
use time::macros::{datetime, offset};
use time::{Date, Duration, Month, OffsetDateTime, Time, UtcOffset};

const JST: UtcOffset = offset!(+9);

/// Any date from 2024 to 2035, or one at a month's end (±1 day), including 2028-02-29 and 2032-02-29.
fn date() -> impl Strategy<Value = Date> {
    let any = (2024i32..=2035, 1u16..=365).prop_map(|(year, ordinal)| {
        Date::from_ordinal_date(year, ordinal).expect("every year has 365 days")
    });
    let month_end = (2024i32..=2035, 1u8..=12, -1i64..=1).prop_map(|(year, month, shift)| {
        let month = Month::try_from(month).expect("1..=12");
        let last = Date::from_calendar_date(year, month, month.length(year)).expect("a real date");
        last + Duration::days(shift)
    });
    let leap_days = prop::sample::select(vec![
        Date::from_calendar_date(2028, Month::February, 29).expect("leap"),
        Date::from_calendar_date(2032, Month::February, 29).expect("leap"),
    ]);
    prop_oneof![any, month_end, leap_days]
}

/// A time of day in Japan, often right at or around midnight.
fn time_of_day() -> impl Strategy<Value = Time> {
    let edge = prop::sample::select(vec![
        Time::MIDNIGHT,
        Time::from_hms(0, 0, 1).expect("valid"),
        Time::from_hms(23, 59, 59).expect("valid"),
        Time::from_hms(8, 59, 59).expect("valid"),
        Time::from_hms(9, 0, 0).expect("valid"),
    ]);
    let any = (0u32..86_400).prop_map(|second| Time::MIDNIGHT + Duration::seconds(second.into()));
    prop_oneof![edge, any]
}

/// The server's clock minus the PC's: none, a little, or days, either way.
fn offset() -> impl Strategy<Value = Duration> {
    prop_oneof![
        Just(Duration::ZERO),
        (-300i64..=300).prop_map(Duration::seconds),
        (-3 * 86_400i64..=3 * 86_400).prop_map(Duration::seconds),
    ]
}

fn thresholds() -> impl Strategy<Value = Thresholds> {
    prop_oneof![
        Just(Thresholds::default()),
        prop::collection::btree_set(1u32..=120, 0..8)
            .prop_map(|days| Thresholds::new(days).expect("distinct and in range")),
    ]
}

/// An instant given as its JST date and time, handed to the code in UTC.
fn jst(date: Date, time: Time) -> OffsetDateTime {
    date.with_time(time)
        .assume_offset(JST)
        .to_offset(UtcOffset::UTC)
}

/// The PC's clock such that the server's, `offset` ahead of it, reads `server_now`.
fn clock(server_now: OffsetDateTime, offset: Duration) -> Clock {
    Clock::new(server_now - offset, offset)
}

/// Runs the check at `pc_now` and delivers what is due, as the app does; returns the milestone notified.
fn check(
    expiry: OffsetDateTime,
    clock: Clock,
    thresholds: &Thresholds,
    delivered: &mut Vec<Milestone>,
) -> (Assessment, Option<Milestone>) {
    let assessment = assess(expiry, clock, thresholds, delivered);
    let notified = assessment.due.as_ref().map(|due| {
        for milestone in &due.settles {
            assert!(
                !delivered.contains(milestone),
                "{milestone:?} settled twice"
            );
            delivered.push(*milestone);
        }
        due.milestone
    });
    (assessment, notified)
}

proptest! {
    #[test]
    fn days_left_is_the_jst_calendar_difference_at_the_servers_time(
        expiry_date in date(), expiry_time in time_of_day(),
        today in date(), now_time in time_of_day(),
        offset in offset(),
    ) {
        let expiry = jst(expiry_date, expiry_time);
        let server_now = jst(today, now_time);
        let assessment = assess(expiry, clock(server_now, offset), &Thresholds::default(), &[]);
        let calendar = (expiry_date - today).whole_days();
        let expired = server_now > expiry;
        prop_assert_eq!(assessment.expired, expired);
        prop_assert_eq!(assessment.expiry_date, expiry_date);
        prop_assert_eq!(assessment.days_left, if expired { calendar.min(-1) } else { calendar });
    }

    #[test]
    fn the_offset_only_moves_the_pcs_wake_up_time(
        expiry_date in date(), expiry_time in time_of_day(),
        today in date(), now_time in time_of_day(),
        offset in offset(), thresholds in thresholds(),
    ) {
        let expiry = jst(expiry_date, expiry_time);
        let server_now = jst(today, now_time);
        let corrected = assess(expiry, clock(server_now, offset), &thresholds, &[]);
        let synchronised = assess(expiry, Clock::new(server_now, Duration::ZERO), &thresholds, &[]);
        prop_assert_eq!(&corrected.due, &synchronised.due);
        prop_assert_eq!(corrected.days_left, synchronised.days_left);
        prop_assert_eq!(
            corrected.next.map(|next| (next.milestone, next.date, next.pc_time + offset)),
            synchronised.next.map(|next| (next.milestone, next.date, next.pc_time))
        );
    }

    #[test]
    fn the_due_notice_is_the_nearest_threshold_crossed(
        expiry_date in date(), expiry_time in time_of_day(),
        today in date(), now_time in time_of_day(),
        offset in offset(), thresholds in thresholds(),
    ) {
        let expiry = jst(expiry_date, expiry_time);
        let assessment = assess(expiry, clock(jst(today, now_time), offset), &thresholds, &[]);
        let crossed: Vec<u32> = thresholds
            .days()
            .iter()
            .copied()
            .filter(|&days| i64::from(days) >= assessment.days_left)
            .collect();
        let expected = if assessment.expired {
            Some(Milestone::Expired)
        } else {
            crossed.last().map(|&days| Milestone::DaysBefore(days))
        };
        prop_assert_eq!(assessment.due.as_ref().map(|due| due.milestone), expected);
        if let Some(due) = &assessment.due {
            prop_assert_eq!(due.settles[0], due.milestone);
            prop_assert_eq!(
                due.settles.len(),
                crossed.len() + usize::from(assessment.expired),
                "everything crossed is settled by the one notice"
            );
        }
    }

    /// Checked once a day (24 h apart, so every JST date once): each threshold still ahead is notified on
    /// its own day, once, in order, then the expiry once; what was crossed before the first check is one
    /// notice.
    #[test]
    fn daily_checks_notify_each_threshold_once_then_the_expiry(
        expiry_date in date(), expiry_time in time_of_day(),
        lead_days in 0i64..=200, first_time in time_of_day(),
        offset in offset(), thresholds in thresholds(),
    ) {
        let expiry = jst(expiry_date, expiry_time);
        let first = jst(expiry_date - Duration::days(lead_days), first_time);
        let mut delivered = Vec::new();
        let mut notices = Vec::new();
        let mut first_days_left = None;
        let mut server_now = first;
        while server_now <= expiry + Duration::days(3) {
            let (assessment, notified) = check(expiry, clock(server_now, offset), &thresholds, &mut delivered);
            first_days_left.get_or_insert(assessment.days_left);
            notices.extend(notified);
            server_now += Duration::DAY;
        }
        let start = first_days_left.expect("checked at least once");
        let initial = thresholds
            .days()
            .iter()
            .rfind(|&&days| i64::from(days) >= start)
            .map(|&days| Milestone::DaysBefore(days));
        let expected: Vec<Milestone> = (start >= 0)
            .then_some(initial)
            .flatten()
            .into_iter()
            .chain(
                thresholds
                    .days()
                    .iter()
                    .filter(|&&days| i64::from(days) < start)
                    .map(|&days| Milestone::DaysBefore(days)),
            )
            .chain([Milestone::Expired])
            .collect();
        prop_assert_eq!(notices, expected);
    }

    /// Checks at random gaps (the PC off for hours or weeks, several checks a day): never two notices at
    /// once, never one milestone twice, after each check everything crossed is settled, and the notices come
    /// nearer and nearer.
    #[test]
    fn random_checks_never_repeat_and_catch_up_with_one_notice(
        expiry_date in date(), expiry_time in time_of_day(),
        lead_days in 0i64..=200, first_time in time_of_day(),
        gaps in prop::collection::vec(0i64..=40 * 24 * 3600, 1..40),
        offset in offset(), thresholds in thresholds(),
    ) {
        let expiry = jst(expiry_date, expiry_time);
        let mut server_now = jst(expiry_date - Duration::days(lead_days), first_time);
        let mut delivered = Vec::new();
        let mut notices: Vec<Milestone> = Vec::new();
        for gap in gaps {
            let (assessment, notified) = check(expiry, clock(server_now, offset), &thresholds, &mut delivered);
            if let Some(milestone) = notified {
                prop_assert!(!notices.contains(&milestone), "{:?} notified twice", milestone);
                if let Some(&Milestone::DaysBefore(previous)) = notices.last() {
                    prop_assert!(milestone == Milestone::Expired || milestone < Milestone::DaysBefore(previous));
                }
                notices.push(milestone);
            }
            for &days in thresholds.days() {
                if i64::from(days) >= assessment.days_left {
                    prop_assert!(delivered.contains(&Milestone::DaysBefore(days)), "{} days crossed, not settled", days);
                }
            }
            prop_assert_eq!(assessment.expired, delivered.contains(&Milestone::Expired));
            let (_, again) = check(expiry, clock(server_now, offset), &thresholds, &mut delivered);
            prop_assert_eq!(again, None, "the same check twice gives nothing the second time");
            server_now += Duration::seconds(gap);
        }
    }

    /// The next reminder is exactly when it says: nothing new until the PC's clock reads `pc_time`, then
    /// that milestone.
    #[test]
    fn the_next_reminder_falls_due_at_its_time_and_not_before(
        expiry_date in date(), expiry_time in time_of_day(),
        today in date(), now_time in time_of_day(),
        offset in offset(), thresholds in thresholds(),
    ) {
        let expiry = jst(expiry_date, expiry_time);
        let mut delivered = Vec::new();
        let (assessment, _) = check(expiry, clock(jst(today, now_time), offset), &thresholds, &mut delivered);
        if let Some(next) = assessment.next {
            let just_before = assess(expiry, Clock::new(next.pc_time - Duration::SECOND, offset), &thresholds, &delivered);
            prop_assert_eq!(just_before.due, None);
            let then = assess(expiry, Clock::new(next.pc_time, offset), &thresholds, &delivered);
            prop_assert_eq!(then.due.map(|due| due.milestone), Some(next.milestone));
            match next.milestone {
                Milestone::DaysBefore(days) => prop_assert_eq!(then.days_left, i64::from(days)),
                Milestone::Expired => prop_assert!(then.expired && !just_before.expired),
            }
            prop_assert_eq!((next.pc_time + offset).to_offset(JST).date(), next.date);
        } else {
            prop_assert!(assessment.expired);
        }
    }
}

#[test]
fn a_leap_day_expiry_counts_february_29() {
    let expiry = datetime!(2028-02-29 23:59:59 +9);
    let on = |server_now| {
        assess(
            expiry,
            Clock::new(server_now, Duration::ZERO),
            &Thresholds::default(),
            &[],
        )
    };
    assert_eq!(on(datetime!(2027-12-01 00:00 +9)).days_left, 90);
    assert_eq!(on(datetime!(2027-11-30 23:59:59 +9)).days_left, 91);
    assert_eq!(on(datetime!(2028-02-28 12:00 +9)).days_left, 1);
    let day_of_expiry = on(datetime!(2028-02-29 23:59:59 +9));
    assert_eq!((day_of_expiry.days_left, day_of_expiry.expired), (0, false));
    let after = on(datetime!(2028-03-01 00:00 +9));
    assert_eq!((after.days_left, after.expired), (-1, true));
}

#[test]
fn an_expiry_at_a_month_end_is_counted_through_shorter_months() {
    let expiry = datetime!(2028-03-31 23:59:59 +9);
    let next = assess(
        expiry,
        Clock::new(datetime!(2028-01-15 10:00 +9), Duration::ZERO),
        &Thresholds::default(),
        &[Milestone::DaysBefore(90)],
    )
    .next
    .expect("thresholds ahead");
    assert_eq!(next.milestone, Milestone::DaysBefore(60));
    // 60 days before 2028-03-31 through a 29-day February.
    assert_eq!(next.date, time::macros::date!(2028 - 01 - 31));
    assert_eq!(next.pc_time, datetime!(2028-01-31 00:00 +9));
}

#[test]
fn a_pc_clock_behind_the_server_sees_the_expiry_at_the_servers_time() {
    let expiry = datetime!(2027-03-31 23:59:59 +9);
    let pc_now = datetime!(2027-03-31 23:50 +9);
    let on_pc_time = assess(
        expiry,
        Clock::new(pc_now, Duration::ZERO),
        &Thresholds::default(),
        &[],
    );
    assert!(!on_pc_time.expired);
    let server_ahead = assess(
        expiry,
        Clock::new(pc_now, Duration::minutes(15)),
        &Thresholds::default(),
        &[],
    );
    assert!(server_ahead.expired);
    assert_eq!(
        server_ahead.due.map(|due| due.milestone),
        Some(Milestone::Expired)
    );
    let server_behind = assess(
        expiry,
        Clock::new(datetime!(2027-04-01 00:05 +9), -Duration::minutes(15)),
        &Thresholds::default(),
        &[],
    );
    assert_eq!((server_behind.days_left, server_behind.expired), (0, false));
}
