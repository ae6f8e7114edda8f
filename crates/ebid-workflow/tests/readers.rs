//! Which card is in which reader, and the wait for the swap, through the real pcscd with vpcd's two readers
//! and the demo set's virtual cards (`ebid_tests::Bench`: one test at a time on the readers).

use std::sync::mpsc;
use std::time::Duration;

use ebid_card::{Pcsc, Profile};
use ebid_tests::{Bench, pcsc_reader_name};
use ebid_vcard::vpcd::Behaviour;
use ebid_workflow::readers::{SwapEvent, SwapWatch, WaitError, find_cards, identify};

/// Long enough for pcscd to notice every change; a test that fails on it fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(60);

fn fingerprint_in(reader: &str) -> String {
    let pcsc = Pcsc::establish().unwrap();
    identify(&pcsc, reader)
        .unwrap()
        .fingerprint()
        .expect("a PIV card shows its certificate")
        .to_owned()
}

#[test]
fn find_cards_tells_which_reader_holds_which_card() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench
        .readers
        .insert(0, "current", Behaviour::default())
        .unwrap();
    bench
        .readers
        .insert(1, "jpki", Behaviour::default())
        .unwrap();
    let set = ebid_democa::DemoSet::load(bench.set_dir()).unwrap();

    let cards = find_cards(&Pcsc::establish().unwrap()).unwrap();
    let in_reader = |n: u8| {
        let name = pcsc_reader_name(n);
        cards
            .iter()
            .find(|card| card.reader == name)
            .and_then(|card| card.card.as_ref().ok())
            .expect("the reader's card was read")
    };
    let current = in_reader(0);
    assert_eq!(current.profile, Profile::Piv);
    assert_eq!(
        current.certificate.as_ref().unwrap().facts().serial,
        set.card("current").unwrap().signing_serial.to_string()
    );
    // JPKI: known by its profile and tries left only, until its signing password is given.
    let jpki = in_reader(1);
    assert_eq!(jpki.profile, Profile::Jpki);
    assert!(jpki.certificate.is_none());
}

#[test]
fn the_wait_ends_on_a_different_card_and_reports_the_same_card_put_back() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench
        .readers
        .insert(0, "current", Behaviour::default())
        .unwrap();
    let reader = pcsc_reader_name(0);
    let current = fingerprint_in(&reader);

    let (events, heard) = mpsc::channel::<&'static str>();
    let waiter = {
        let reader = reader.clone();
        let current = current.clone();
        std::thread::spawn(move || {
            let mut watch = SwapWatch::new(&Pcsc::establish().unwrap()).unwrap();
            events.send("watching").unwrap();
            watch.wait_for_card_change(&reader, &current, PATIENCE, |event| {
                let said = match event {
                    SwapEvent::CardRemoved => "removed",
                    SwapEvent::SameCard => "same card",
                    SwapEvent::Unreadable(_) => "unreadable",
                };
                events.send(said).unwrap();
            })
        })
    };
    assert_eq!(heard.recv_timeout(PATIENCE).unwrap(), "watching");

    bench.readers.remove(0).unwrap();
    assert_eq!(heard.recv_timeout(PATIENCE).unwrap(), "removed");
    bench
        .readers
        .insert(0, "current", Behaviour::default())
        .unwrap();
    assert_eq!(heard.recv_timeout(PATIENCE).unwrap(), "same card");

    bench
        .readers
        .swap(0, "replacement", Behaviour::default())
        .unwrap();
    let reading = waiter.join().unwrap().expect("the new card");
    let set = ebid_democa::DemoSet::load(bench.set_dir()).unwrap();
    assert_eq!(
        reading.certificate.unwrap().facts().serial,
        set.card("replacement").unwrap().signing_serial.to_string()
    );
}

#[test]
fn a_card_swapped_before_the_wait_counts_at_once() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench
        .readers
        .insert(0, "current", Behaviour::default())
        .unwrap();
    let reader = pcsc_reader_name(0);
    let current = fingerprint_in(&reader);
    bench
        .readers
        .swap(0, "replacement", Behaviour::default())
        .unwrap();

    let mut watch = SwapWatch::new(&Pcsc::establish().unwrap()).unwrap();
    let reading = watch
        .wait_for_card_change(&reader, &current, PATIENCE, |_| {})
        .unwrap();
    assert_ne!(reading.fingerprint(), Some(current.as_str()));
}

#[test]
fn the_wait_is_bounded_and_cancellable() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench
        .readers
        .insert(0, "current", Behaviour::default())
        .unwrap();
    let reader = pcsc_reader_name(0);
    let current = fingerprint_in(&reader);
    let pcsc = Pcsc::establish().unwrap();

    let mut watch = SwapWatch::new(&pcsc).unwrap();
    let timed_out =
        watch.wait_for_card_change(&reader, &current, Duration::from_millis(200), |_| {});
    assert!(
        matches!(timed_out, Err(WaitError::TimedOut)),
        "{timed_out:?}"
    );

    let watch = SwapWatch::new(&pcsc).unwrap();
    let canceller = watch.canceller();
    let (ready, watching) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let mut watch = watch;
        ready.send(()).unwrap();
        watch.wait_for_card_change(&reader, &current, PATIENCE, |_| {})
    });
    watching.recv_timeout(PATIENCE).unwrap();
    canceller.cancel();
    let cancelled = waiter.join().unwrap();
    assert!(
        matches!(cancelled, Err(WaitError::Cancelled)),
        "{cancelled:?}"
    );
}
