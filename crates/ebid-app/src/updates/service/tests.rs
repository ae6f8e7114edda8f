//! The update policy over a scripted updater: the plugin itself (check, signature, install) is driven for real
//! by `tests/app_updates.rs`; here only what the app decides around it, which needs no server.

use std::sync::Mutex;

use tokio::sync::mpsc;

use super::*;
use crate::views::UpdateStateView;

/// What the scripted updater was asked to do.
#[derive(Debug, PartialEq, Eq)]
enum Asked {
    Download,
    Install,
}

/// Offers `offer` at every check, downloads in two chunks, and reports each call.
struct Scripted {
    offer: UpdateOffer,
    asked: mpsc::UnboundedSender<Asked>,
    installs: Mutex<u32>,
}

impl Updater for Scripted {
    fn current_version(&self) -> String {
        "1.0.0".into()
    }

    fn check(&self, _: UpdateRequest) -> super::super::UpdateFuture<'_, Option<UpdateOffer>> {
        Box::pin(async { Ok(Some(self.offer.clone())) })
    }

    fn download(
        &self,
        mut progress: Box<dyn FnMut(u64, Option<u64>) + Send>,
    ) -> super::super::UpdateFuture<'_, ()> {
        Box::pin(async move {
            progress(10, Some(20));
            progress(10, Some(20));
            let _ = self.asked.send(Asked::Download);
            Ok(())
        })
    }

    fn install_and_restart(&self) -> Result<(), UpdateFailure> {
        *self.installs.lock().unwrap() += 1;
        let _ = self.asked.send(Asked::Install);
        Ok(())
    }
}

fn offer(mandatory: bool) -> UpdateOffer {
    UpdateOffer {
        version: "1.1.0".into(),
        notes: "証明書の更新に対応しました。".into(),
        published: None,
        mandatory,
    }
}

fn request() -> UpdateRequest {
    UpdateRequest {
        endpoint: "https://ebid.example/updates/x".parse().unwrap(),
        reach: ebid_client::ClientOptions::default()
            .server_reach()
            .unwrap(),
    }
}

fn started(
    mandatory: bool,
    gate: RenewalGate,
) -> (
    Updates,
    mpsc::UnboundedReceiver<Asked>,
    tokio::runtime::Runtime,
) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (asked, heard) = mpsc::unbounded_channel();
    let updater = Arc::new(Scripted {
        offer: offer(mandatory),
        asked,
        installs: Mutex::new(0),
    });
    let updates = Updates::start(runtime.handle(), updater, Some(request()), gate);
    (updates, heard, runtime)
}

#[test]
fn a_mandatory_update_is_installed_without_asking() {
    let (_updates, mut heard, runtime) = started(true, RenewalGate::default());
    runtime.block_on(async {
        assert_eq!(heard.recv().await, Some(Asked::Download));
        assert_eq!(heard.recv().await, Some(Asked::Install));
    });
}

#[test]
fn a_mandatory_update_waits_for_the_renewal_under_way_to_end() {
    let gate = RenewalGate::default();
    gate.set(true);
    let (updates, mut heard, runtime) = started(true, gate.clone());
    runtime.block_on(async {
        assert_eq!(heard.recv().await, Some(Asked::Download));
        // Downloaded, then held: the renewal goes on.
        let (tx, mut waiting) = mpsc::unbounded_channel();
        let view = updates.watch(Box::new(move |view: UpdateView| {
            let _ = tx.send(matches!(view.state, UpdateStateView::Waiting { .. }));
        }));
        if !matches!(view.state, UpdateStateView::Waiting { .. }) {
            while waiting.recv().await != Some(true) {}
        }
        assert!(
            heard.try_recv().is_err(),
            "nothing installed during the renewal"
        );
        gate.set(false);
        assert_eq!(heard.recv().await, Some(Asked::Install));
    });
}

#[test]
fn an_update_the_user_may_choose_is_only_offered() {
    let (updates, mut heard, runtime) = started(false, RenewalGate::default());
    runtime.block_on(async {
        let view = updates.check_now().await;
        match view.state {
            UpdateStateView::Available(offer) => {
                assert_eq!(offer.version, "1.1.0");
                assert!(!offer.mandatory);
            }
            other => panic!("offered, not {other:?}"),
        }
        assert!(heard.try_recv().is_err(), "nothing downloaded unasked");
        updates.install_now().await.expect("installed when asked");
        assert_eq!(heard.recv().await, Some(Asked::Download));
        assert_eq!(heard.recv().await, Some(Asked::Install));
    });
}

#[test]
fn the_user_cannot_install_in_the_middle_of_a_renewal() {
    let gate = RenewalGate::default();
    let (updates, mut heard, runtime) = started(false, gate.clone());
    runtime.block_on(async {
        updates.check_now().await;
        gate.set(true);
        let refused = updates.install_now().await.expect_err("refused");
        assert_eq!(refused.code, ErrorCode::RenewalUnderWay);
        assert!(
            refused.message.contains("ICカード更新の途中"),
            "{}",
            refused.message
        );
        assert!(heard.try_recv().is_err(), "nothing downloaded or installed");
    });
}
