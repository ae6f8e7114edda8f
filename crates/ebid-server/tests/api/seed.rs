//! `--seed FILE`: the registrations an organization loads into an empty database. The demo's file (written
//! by the demo CA) registers each demo card where the demo needs it; a file with a mistake stops the start
//! with the file, the entry and the mistake named, and leaves no database behind.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use ebid_democa::DemoSet;
use ebid_protocol::RefusalCode;
use ebid_server::{DATABASE_FILE, ServeArgs, SystemClock, start};
use serde_json::{Value, json};

use crate::support::{RunningClient, copy_demo_set, demo_serve_args};

#[tokio::test]
async fn the_demo_seed_file_registers_each_demo_card_for_its_story() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(&dir.path().join("demo"));
    let running = start(
        demo_serve_args(&set, &dir.path().join("data")),
        Arc::new(SystemClock),
    )
    .await
    .expect("starts");
    let client = RunningClient::of(&running);
    for registered in ["current", "other-company", "jpki"] {
        client
            .login(registered)
            .await
            .unwrap_or_else(|refusal| panic!("{registered} is registered at 長崎県: {refusal:?}"));
    }
    assert_eq!(
        client.login("replacement").await.unwrap_err().code,
        RefusalCode::CurrentCardNotRegistered
    );
    running.stop().await.expect("stops cleanly");
}

/// A valid seed in the demo set's folder: one organization, one company, one user with the `current` card.
fn valid_seed() -> Value {
    json!({
        "organizations": [
            { "id": "nagasaki-pref", "name": "長崎県",
              "categories": [ { "id": "construction", "name": "工事・業務" } ] }
        ],
        "companies": [
            { "organization": "nagasaki-pref", "vendor_number": "4210000123", "name": "株式会社長崎土木",
              "address": "長崎県長崎市尾上町3番1号", "representative": "長崎 太郎", "phone": "095-000-0123",
              "kind": "corporate",
              "users": [ { "category": "construction", "holder": "長崎 太郎",
                           "certificate": "registrations/current.der" } ] }
        ]
    })
}

/// A change that puts one mistake into a valid seed.
type Mistake = Box<dyn Fn(&mut Value)>;

/// The demo server's arguments (its trust) with the seed file `seed`.
fn args_with_seed(set: &DemoSet, data: &Path, seed: PathBuf) -> ServeArgs {
    ServeArgs {
        seed: Some(seed),
        ..demo_serve_args(set, data)
    }
}

/// Starts the server on `seed` (written into `set`'s folder); the error it stops with.
async fn start_error(set: &DemoSet, data: &Path, seed: &[u8]) -> String {
    let file = set.dir.join("seed-under-test.json");
    std::fs::write(&file, seed).expect("write the seed");
    let args = args_with_seed(set, data, file);
    match start(args, Arc::new(SystemClock)).await {
        Ok(running) => {
            running.stop().await.expect("stops");
            panic!("the server started on a seed with a mistake")
        }
        Err(error) => format!("{error:#}"),
    }
}

#[tokio::test]
async fn a_seed_with_a_mistake_stops_the_start_naming_it_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let set = copy_demo_set(&dir.path().join("demo"));
    let data = dir.path().join("data");
    std::fs::write(set.dir.join("not-a-certificate.pem"), "hello").expect("write");

    let mut valid = valid_seed();
    let as_bytes = |value: &Value| serde_json::to_vec(value).expect("JSON");
    // Shown valid first, so that each case below fails for its own mistake only.
    let file = set.dir.join("valid.json");
    std::fs::write(&file, as_bytes(&valid)).expect("write");
    let running = start(
        args_with_seed(&set, &dir.path().join("valid-data"), file),
        Arc::new(SystemClock),
    )
    .await
    .expect("a valid seed starts the server");
    running.stop().await.expect("stops");

    let user = "/companies/0/users/0";
    let cases: Vec<(&str, Mistake, &str)> = vec![
        (
            "a misspelt field",
            Box::new(|seed| {
                let company = seed.pointer_mut("/companies/0").unwrap();
                company["vender_number"] = company["vendor_number"].take();
                company.as_object_mut().unwrap().remove("vendor_number");
            }),
            "unknown field `vender_number`",
        ),
        (
            "an organization not declared",
            Box::new(|seed| seed["companies"][0]["organization"] = json!("sasebo-city")),
            "organization \"sasebo-city\" is not among `organizations`",
        ),
        (
            "a category not declared there",
            Box::new(move |seed| seed.pointer_mut(user).unwrap()["category"] = json!("goods")),
            "category \"goods\" is not declared at organization nagasaki-pref",
        ),
        (
            "a certificate file that is not there",
            Box::new(move |seed| {
                seed.pointer_mut(user).unwrap()["certificate"] = json!("registrations/none.der")
            }),
            "cannot read",
        ),
        (
            "a file that is no certificate",
            Box::new(move |seed| {
                seed.pointer_mut(user).unwrap()["certificate"] = json!("not-a-certificate.pem")
            }),
            "is not a certificate",
        ),
        (
            "one card for two users at one organization",
            Box::new(move |seed| {
                let again = seed.pointer(user).unwrap().clone();
                seed["companies"][0]["users"]
                    .as_array_mut()
                    .unwrap()
                    .push(again);
            }),
            "a card is registered once at an organization",
        ),
        (
            "one vendor number twice at one organization",
            Box::new(|seed| {
                let mut again = seed["companies"][0].clone();
                again["users"] = json!([]);
                seed["companies"].as_array_mut().unwrap().push(again);
            }),
            "vendor number 4210000123 is registered twice at nagasaki-pref",
        ),
        (
            "an organization declared twice",
            Box::new(|seed| {
                let again = seed["organizations"][0].clone();
                seed["organizations"].as_array_mut().unwrap().push(again);
            }),
            "this organization is declared twice",
        ),
        (
            "an unknown way of taking registrations",
            Box::new(|seed| seed["organizations"][0]["registration"] = json!("sometimes")),
            "unknown variant `sometimes`",
        ),
        (
            "a misspelt field of a contact",
            Box::new(move |seed| {
                seed.pointer_mut(user).unwrap()["contact"] = json!({ "mail": "a@b.example" })
            }),
            "unknown field `mail`",
        ),
        (
            "an unknown kind of company",
            Box::new(|seed| seed["companies"][0]["kind"] = json!("partnership")),
            "unknown variant `partnership`",
        ),
    ];
    for (what, mistake, expected) in cases {
        let mut seed = valid_seed();
        mistake(&mut seed);
        let error = start_error(&set, &data, &as_bytes(&seed)).await;
        assert!(
            error.contains("seed-under-test.json") && error.contains(expected),
            "{what}: {error}"
        );
        assert!(
            !data.join(DATABASE_FILE).exists(),
            "{what}: a refused seed leaves no database"
        );
    }

    let missing = args_with_seed(&set, &data, set.dir.join("no-such-seed.json"));
    let error = format!(
        "{:#}",
        start(missing, Arc::new(SystemClock))
            .await
            .err()
            .expect("refused")
    );
    assert!(error.contains("cannot read the seed file"), "{error}");
    let error = start_error(&set, &data, b"{ not json").await;
    assert!(error.contains("is not a seed file"), "{error}");
    valid["organizations"] = json!("長崎県");
    let error = start_error(&set, &data, &as_bytes(&valid)).await;
    assert!(error.contains("is not a seed file"), "{error}");
}
