//! `ebid config show`: for an administrator checking a deployment, the two files (the machine's and the
//! user's), whether each exists, and the settings `ebid` and the app take from them, each with the file it
//! came from. The flags of `renew` and `info` override these per run; they are not shown here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::anyhow;
use ebid_config::{Places, Settings};
use serde::Serialize;

use crate::config_files::ConfigFiles;

/// One key's value in a file's settings (or the merged ones).
type Read = fn(&Settings) -> Option<String>;

/// Every key of the files, in the order the files' documentation gives them.
const KEYS: [(&str, Read); 8] = [
    ("server.url", |s| s.server.url.clone()),
    ("server.ca_file", |s| {
        s.server.ca_file.as_ref().map(|p| p.display().to_string())
    }),
    ("server.proxy", |s| s.server.proxy.clone()),
    ("organization.id", |s| s.organization.id.clone()),
    ("organization.category", |s| s.organization.category.clone()),
    ("reminders.days", |s| {
        s.reminders
            .days
            .as_ref()
            .map(|days| format!("{:?}", days.days()))
    }),
    ("reminders.notify", |s| {
        s.reminders.notify.map(|notify| notify.to_string())
    }),
    ("updates.channel", |s| {
        s.updates.channel.map(|channel| channel.to_string())
    }),
];

#[derive(Serialize)]
struct Shown {
    files: Vec<ShownFile>,
    settings: BTreeMap<&'static str, ShownValue>,
}

#[derive(Serialize)]
struct ShownFile {
    place: &'static str,
    path: Option<PathBuf>,
    exists: bool,
}

/// A value and the place whose file gave it (`None`: no file sets it).
#[derive(Serialize)]
struct ShownValue {
    value: Option<String>,
    from: Option<&'static str>,
}

pub fn show(json: bool) -> anyhow::Result<()> {
    let files = ConfigFiles::read()?;
    let sources = each_file_alone(&files)?;
    let settings = KEYS
        .iter()
        .map(|(key, get)| {
            // The later file wins (ebid-config's order): the last that sets the key gave its value.
            let from = sources
                .iter()
                .rev()
                .find(|(_, alone)| get(alone).is_some())
                .map(|(place, _)| *place);
            let value = get(&files.loaded.settings);
            (*key, ShownValue { value, from })
        })
        .collect();
    let shown = Shown {
        files: files
            .places()
            .iter()
            .map(|place| ShownFile {
                place: place.place,
                path: place.path.map(ToOwned::to_owned),
                exists: place.exists,
            })
            .collect(),
        settings,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&shown)?);
    } else {
        print_text(&files, &shown);
    }
    Ok(())
}

/// Each existing file's own settings, machine first, read as `ebid_config::load` reads them (values
/// checked, a relative CA path made absolute) by naming that file alone.
fn each_file_alone(files: &ConfigFiles) -> anyhow::Result<Vec<(&'static str, Settings)>> {
    files
        .places()
        .iter()
        .filter(|place| place.exists)
        .map(|place| {
            let alone = Places {
                machine: place.path.map(ToOwned::to_owned),
                user: None,
            };
            let loaded = ebid_config::load(&alone).map_err(|e| anyhow!(e.to_string()))?;
            Ok((place.place, loaded.settings))
        })
        .collect()
}

fn print_text(files: &ConfigFiles, shown: &Shown) {
    println!("設定ファイル（後のものが優先されます）:");
    print!("{}", files.listing());
    println!("有効な設定:");
    let places = files.places();
    for (key, _) in KEYS {
        let Some(shown) = shown.settings.get(key) else {
            continue;
        };
        let value = shown.value.as_deref().unwrap_or("（なし）");
        let whose = places
            .iter()
            .find(|place| Some(place.place) == shown.from)
            .map(|place| place.whose);
        match whose {
            Some(whose) => println!("  {key:<22} {value}  （{whose}の設定ファイル）"),
            None => println!("  {key:<22} {value}"),
        }
    }
}
