//! 【更新】 is one transaction: a failure anywhere inside it leaves nothing half-done, and the same commit
//! succeeds once the failure is gone.

use ebid_protocol::RefusalCode;

use crate::support::{PREF, TestServer, audit};

#[tokio::test]
async fn a_failure_inside_the_commit_leaves_nothing_half_done() {
    let server = TestServer::start().await;
    let token = server.logged_in("current", PREF).await;
    let confirmation = server
        .renewal_proof(&token, PREF, "replacement")
        .await
        .expect("proof");
    let before = server.tables().await;
    let db = server.db().await;

    // The commit's last write (ending the session) fails, after the certificates and the renewal were
    // already written inside the transaction.
    sqlx::query(
        "CREATE TRIGGER fail_commit BEFORE UPDATE OF ended_at ON sessions
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END",
    )
    .execute(&db)
    .await
    .expect("trigger");
    let failed = server
        .commit(&token, &confirmation.renewal_id)
        .await
        .unwrap_err();
    assert_eq!(failed.code, RefusalCode::ServerError);

    assert_eq!(server.tables().await, before);
    let committed: Option<i64> =
        sqlx::query_scalar("SELECT committed_at FROM renewals WHERE id = $1")
            .bind(&confirmation.renewal_id)
            .fetch_one(&db)
            .await
            .expect("renewal");
    assert_eq!(committed, None);
    assert!(
        !audit(&db)
            .await
            .iter()
            .any(|(action, _, _)| action == "renewal_commit"),
        "no audit entry for a commit that did not happen"
    );
    server
        .menu(&token)
        .await
        .expect("the session is still live");

    sqlx::query("DROP TRIGGER fail_commit")
        .execute(&db)
        .await
        .expect("drop trigger");
    let result = server
        .commit(&token, &confirmation.renewal_id)
        .await
        .expect("the retried commit succeeds");
    assert_eq!(result.renewal_id, confirmation.renewal_id);
    let after = server.tables().await;
    assert_eq!(after.certificates.len(), before.certificates.len() + 1);
    server.logged_in("replacement", PREF).await;
}

#[tokio::test]
async fn one_user_never_has_two_active_certificates() {
    let server = TestServer::start().await;
    let db = server.db().await;
    // The schema itself refuses a second active certificate for a user, whatever the code above it does.
    let duplicate = sqlx::query(
        "INSERT INTO certificates (id, user_id, organization_id, der, serial, issuer, fingerprint,
                                   not_before, not_after, status, registered_at)
         SELECT id + 1, user_id, organization_id, der, serial, issuer, 'other', not_before, not_after,
                'active', registered_at
         FROM certificates WHERE status = 'active' LIMIT 1",
    )
    .execute(&db)
    .await;
    assert!(duplicate.is_err(), "{duplicate:?}");
}
