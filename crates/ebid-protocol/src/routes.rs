//! The routes, relative to the server's base URL. Shared so that server and client never spell them twice.

/// `GET`: [`crate::ServerTime`].
pub const TIME: &str = api_path!("/time");
/// `GET`: `Vec<`[`crate::Organization`]`>`.
pub const ORGANIZATIONS: &str = api_path!("/organizations");
/// `POST` [`crate::ChallengeRequest`] → [`crate::Challenge`]. A renewal challenge needs the session.
pub const CHALLENGES: &str = api_path!("/challenges");
/// `POST` [`crate::CardProof`] → [`crate::LoginResponse`]: the card login that opens a session.
pub const LOGIN: &str = api_path!("/session");
/// `DELETE`: ends the session.
pub const LOGOUT: &str = api_path!("/session");
/// `GET` (session): [`crate::Menu`], the 利用者登録メニュー.
pub const MENU: &str = api_path!("/menu");
/// `POST` [`crate::CardProof`] (session) → [`crate::RenewalConfirmation`]: the new card's proof of
/// possession, answered with the data of 電子証明書更新確認 and the rules the renewal would break.
pub const RENEWAL_PROOF: &str = api_path!("/renewals");
/// `POST` (session) → [`crate::RenewalResult`]: 【更新】, `{id}` being [`crate::RenewalConfirmation::renewal_id`].
/// Idempotent: repeating it returns the same result and changes nothing twice.
pub fn renewal_commit(renewal_id: &str) -> String {
    format!(api_path!("/renewals/{}/commit"), renewal_id)
}
/// The same path as axum routes spell it.
pub const RENEWAL_COMMIT_PATTERN: &str = api_path!("/renewals/{renewal_id}/commit");
/// `GET` (session): [`crate::RegistrationInfo`], 登録者情報 (業者概要 and 登録利用者一覧).
/// `PUT` [`crate::RegistrationChange`] (session) → [`crate::ChangeResult`]: 変更.
pub const REGISTRATION: &str = api_path!("/registration");
/// `POST` [`crate::RegistrationApplication`] → [`crate::RegistrationReceipt`]: 登録 (新規登録), no session.
pub const REGISTRATIONS: &str = api_path!("/registrations");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_under_the_versioned_prefix() {
        assert_eq!(crate::API_PREFIX, format!("/api/v{}", crate::VERSION));
        for route in [
            TIME,
            ORGANIZATIONS,
            CHALLENGES,
            LOGIN,
            LOGOUT,
            MENU,
            RENEWAL_PROOF,
            RENEWAL_COMMIT_PATTERN,
            REGISTRATION,
            REGISTRATIONS,
        ] {
            assert!(route.starts_with("/api/v2/"), "{route}");
        }
        assert_eq!(renewal_commit("r1"), "/api/v2/renewals/r1/commit");
    }
}
