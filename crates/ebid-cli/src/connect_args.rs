//! Where `ebid renew` and `ebid info` go: the registration server, the 調達機関 and its category. The
//! configuration files say it (the administrator's, then the user's); the flags and `EBID_SERVER` override
//! them value by value.

use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use ebid_client::Client;
use ebid_config::{OrganizationSettings, ServerSettings, Settings};
use ebid_workflow::{Place, fetch_place};

use crate::config_files::ConfigFiles;
use crate::workflow_messages::fail;

#[derive(clap::Args)]
pub struct ConnectArgs {
    /// The registration server's URL (https://…; http:// only to this PC). Default: `[server] url` of the
    /// configuration files.
    #[arg(long, env = "EBID_SERVER")]
    pub server: Option<String>,
    /// The procurement organization (調達機関), e.g. nagasaki-pref. Default: `[organization] id`.
    #[arg(long)]
    pub organization: Option<String>,
    /// Its category, e.g. construction (工事・業務). Default: `[organization] category`.
    #[arg(long)]
    pub category: Option<String>,
    /// Also trust this CA certificate (PEM) for the server's HTTPS certificate: an organization's own CA.
    /// Default: `[server] ca_file`.
    #[arg(long, value_name = "FILE")]
    pub server_ca: Option<PathBuf>,
    /// HTTP proxy for every request to the server. Default: `[server] proxy`, else the OS's settings.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
}

/// The server to ask and where, settled from the files and the flags.
pub struct Connection {
    pub client: Client,
    pub organization: String,
    pub category: String,
}

impl ConnectArgs {
    /// The files' settings with the flags over them, before anything is asked of the server or a card:
    /// without a server, 調達機関 or category the command stops here, saying where it looked.
    pub fn connect(&self) -> anyhow::Result<Connection> {
        let files = ConfigFiles::read()?;
        let settings = files.loaded.settings.clone().overlay(self.as_settings());
        let (Some(url), Some(organization), Some(category)) = (
            &settings.server.url,
            &settings.organization.id,
            &settings.organization.category,
        ) else {
            bail!(not_configured(&settings, &files));
        };
        let options = settings
            .client_options()
            .map_err(|e| anyhow!(e.to_string()))?;
        let client = Client::new(url, &options).map_err(|e| anyhow!(e.to_string()))?;
        tracing::info!(
            server = %url,
            organization = %organization,
            category = %category,
            files = ?files.loaded.files,
            "where to connect"
        );
        Ok(Connection {
            client,
            organization: organization.clone(),
            category: category.clone(),
        })
    }

    /// The flags (and `EBID_SERVER`) as one more layer of settings, the last.
    fn as_settings(&self) -> Settings {
        Settings {
            server: ServerSettings {
                url: self.server.clone(),
                ca_file: self.server_ca.clone(),
                proxy: self.proxy.clone(),
            },
            organization: OrganizationSettings {
                id: self.organization.clone(),
                category: self.category.clone(),
            },
            ..Settings::default()
        }
    }
}

impl Connection {
    /// Looks the organization and category up on the server, so that a mistyped ID is named with the IDs
    /// that exist instead of failing at the card login.
    pub async fn place(&self) -> anyhow::Result<Place> {
        fetch_place(&self.client, &self.organization, &self.category)
            .await
            .map_err(fail)
    }
}

/// What is missing, how to give it, and the files looked at.
fn not_configured(settings: &Settings, files: &ConfigFiles) -> String {
    let mut text = String::new();
    if settings.server.url.is_none() {
        text.push_str(
            "接続先のサーバが指定されていません。--server にサーバのURLを指定するか（環境変数 EBID_SERVER でも指定できます）、設定ファイルの [server] url に書いてください。\n",
        );
    }
    if settings.organization.id.is_none() {
        text.push_str(
            "調達機関が指定されていません。--organization に調達機関のID（例: nagasaki-pref）を指定するか、設定ファイルの [organization] id に書いてください。\n",
        );
    }
    if settings.organization.category.is_none() {
        text.push_str(
            "区分が指定されていません。--category に区分のID（例: construction）を指定するか、設定ファイルの [organization] category に書いてください。\n",
        );
    }
    text.push_str("確認した設定ファイル:\n");
    text.push_str(&files.listing());
    text.trim_end().to_owned()
}

/// The runtime the commands drive the workflow on: one thread, the one holding the card.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("非同期処理を開始できません")
}
