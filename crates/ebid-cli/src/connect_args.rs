//! Where `ebid renew` and `ebid info` go: the registration server, the 調達機関 and its category.

use std::path::PathBuf;

use anyhow::{Context, anyhow};
use ebid_client::{Client, ClientOptions};
use ebid_workflow::{Place, fetch_place};

use crate::workflow_messages::fail;

#[derive(clap::Args)]
pub struct ConnectArgs {
    /// The registration server's URL (https://…; http:// only to this PC).
    #[arg(long, env = "EBID_SERVER")]
    pub server: String,
    /// The procurement organization (調達機関), e.g. nagasaki-pref.
    #[arg(long)]
    pub organization: String,
    /// Its category, e.g. construction (工事・業務).
    #[arg(long)]
    pub category: String,
    /// Also trust this CA certificate (PEM) for the server's HTTPS certificate: an organization's own CA.
    #[arg(long, value_name = "FILE")]
    pub server_ca: Option<PathBuf>,
}

impl ConnectArgs {
    pub fn client(&self) -> anyhow::Result<Client> {
        let extra_ca_pem = self
            .server_ca
            .as_ref()
            .map(|file| {
                std::fs::read(file).with_context(|| format!("{} を読めません", file.display()))
            })
            .transpose()?;
        let options = ClientOptions {
            extra_ca_pem,
            ..ClientOptions::default()
        };
        Client::new(&self.server, &options).map_err(|e| anyhow!(e.to_string()))
    }

    /// Looks the organization and category up on the server, so that a mistyped ID is named with the IDs
    /// that exist instead of failing at the card login.
    pub async fn place(&self, client: &Client) -> anyhow::Result<Place> {
        fetch_place(client, &self.organization, &self.category)
            .await
            .map_err(fail)
    }
}

/// The runtime the commands drive the workflow on: one thread, the one holding the card.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("非同期処理を開始できません")
}
