//! `ebid server` as the command line starts it: a data folder that persists, the demo seeded once, a stale
//! demo CRL re-issued.

use std::sync::Arc;

use ebid_protocol::{Purpose, RefusalCode, routes};
use ebid_server::{Clock as _, DATABASE_FILE, ServeArgs, SystemClock, start};
use time::Duration;

use crate::support::{RunningClient, card, copy_demo_set};

fn args(data: &std::path::Path, demo_set: &std::path::Path) -> ServeArgs {
    ServeArgs {
        listen: "127.0.0.1:0".parse().expect("address"),
        demo_set: Some(demo_set.to_path_buf()),
        ..ServeArgs::new(data.to_path_buf())
    }
}

#[tokio::test]
async fn the_data_folder_keeps_the_registration_across_restarts() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(&dir.path().join("demo"));
    let data = dir.path().join("data");

    let running = start(args(&data, &set.dir), Arc::new(SystemClock))
        .await
        .expect("starts");
    assert!(running.url().starts_with("http://127.0.0.1:"));
    assert!(data.join(DATABASE_FILE).is_file());
    let client = RunningClient::of(&running);
    let token = client.login("current").await.expect("login");
    let challenge = client
        .challenge(Purpose::RenewalNewCard, Some(&token))
        .await;
    let confirmation: ebid_protocol::RenewalConfirmation = client
        .post(
            routes::RENEWAL_PROOF,
            &card("replacement").prove(&challenge),
            Some(&token),
        )
        .await
        .expect("proof");
    let _: ebid_protocol::RenewalResult = client
        .post(
            &routes::renewal_commit(&confirmation.renewal_id),
            &(),
            Some(&token),
        )
        .await
        .expect("commit");
    running.stop().await.expect("stops cleanly");

    // Started again on the same folder: the demo is not seeded twice, and the renewal is still there.
    let running = start(args(&data, &set.dir), Arc::new(SystemClock))
        .await
        .expect("starts again");
    let client = RunningClient::of(&running);
    assert_eq!(
        client.login("current").await.unwrap_err().code,
        RefusalCode::CurrentCardNotRegistered
    );
    client
        .login("replacement")
        .await
        .expect("the new card logs in");
    running.stop().await.expect("stops cleanly");
}

#[tokio::test]
async fn a_stale_demo_crl_is_reissued_at_start() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(&dir.path().join("demo"));
    let now = SystemClock.now();
    set.reissue_crl(now - Duration::days(40))
        .expect("stale CRL");

    let running = start(
        args(&dir.path().join("data"), &set.dir),
        Arc::new(SystemClock),
    )
    .await
    .expect("starts");
    let client = RunningClient::of(&running);
    client
        .login("current")
        .await
        .expect("login checks a current CRL");
    // The revoked card is still refused: the new CRL lists it too.
    assert_eq!(
        client.login("revoked").await.unwrap_err().code,
        RefusalCode::CertificateRevoked
    );
    running.stop().await.expect("stops cleanly");
}
