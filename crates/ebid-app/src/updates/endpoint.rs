//! Where the app asks for updates: the feed on the organization's server, the same server the renewal uses
//! (the deployed configuration's, or 接続先設定's), with the install's channel and id.

use ebid_client::ServerReach;
use ebid_protocol::updates::{Channel, ENDPOINT_TEMPLATE};
use url::Url;

/// One check's request, as the shell's updater makes it.
#[derive(Clone)]
pub struct UpdateRequest {
    /// The feed's URL, with the plugin's `{{target}}`, `{{arch}}` and `{{current_version}}` left to fill.
    pub endpoint: Url,
    /// The server's CA and proxy, as the renewal's requests use them.
    pub reach: ServerReach,
}

/// The feed's URL on `server` (its base URL, as configured).
pub fn feed_endpoint(
    server: &str,
    channel: Channel,
    install_id: &str,
) -> Result<Url, url::ParseError> {
    let mut base = Url::parse(server)?;
    if !base.path().ends_with('/') {
        // `https://host/ebid` is the folder `ebid/`: the feed is under it, not beside it.
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    // Relative: a server under a path (`https://host/ebid/`) keeps it.
    let mut url = base.join(ENDPOINT_TEMPLATE.trim_start_matches('/'))?;
    url.query_pairs_mut()
        .clear()
        .append_pair("channel", channel.as_str())
        .append_pair("install", install_id);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_feed_is_under_the_server_with_the_channel_and_install() {
        let url =
            feed_endpoint("https://ebid.example.lg.jp/", Channel::Beta, "abcd-1234-ef").unwrap();
        assert_eq!(url.host_str(), Some("ebid.example.lg.jp"));
        assert_eq!(
            url.query(),
            Some("channel=beta&install=abcd-1234-ef"),
            "{url}"
        );
        // The plugin replaces the template's words, encoded or not.
        assert!(url.path().starts_with("/updates/"), "{url}");
        assert!(url.path().contains("current_version"), "{url}");
    }

    #[test]
    fn a_server_under_a_path_keeps_it() {
        let url =
            feed_endpoint("https://host.example/ebid", Channel::Stable, "abcd-1234-ef").unwrap();
        assert!(url.path().starts_with("/ebid/updates/"), "{url}");
    }
}
