//! `ebid-server` as the command line starts it: a data folder that persists, the seed imported once.

use std::sync::Arc;

use ebid_protocol::{Purpose, RefusalCode, routes};
use ebid_server::{DATABASE_FILE, SystemClock, start};

use crate::support::{RunningClient, card, copy_demo_set, demo_serve_args};

#[tokio::test]
async fn the_data_folder_keeps_the_registration_across_restarts() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(&dir.path().join("demo"));
    let data = dir.path().join("data");

    let running = start(demo_serve_args(&set, &data), Arc::new(SystemClock))
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
            &ebid_protocol::RenewalCommit::default(),
            Some(&token),
        )
        .await
        .expect("commit");
    running.stop().await.expect("stops cleanly");

    // Started again on the same folder with the same seed: it is not imported twice, and the renewal is
    // still there.
    let running = start(demo_serve_args(&set, &data), Arc::new(SystemClock))
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
