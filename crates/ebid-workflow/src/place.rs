//! Where a renewal happens: the 調達機関 and its category, chosen by their server ids and named as the server
//! names them. Asked before the renewal opens, so that an id the server does not know is said with the ones
//! it does, instead of failing at the card login.

use ebid_client::Client;
use ebid_protocol::Organization;

use crate::RenewalError;

/// The organization and category of a renewal, as the server names them (「長崎県」, 「工事・業務」).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub organization: String,
    pub category: String,
}

/// An organization or category id the server does not list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    #[error("調達機関 {id} はこのサーバにありません。選択できる調達機関: {known}")]
    UnknownOrganization { id: String, known: String },
    #[error("{organization}に区分 {id} はありません。選択できる区分: {known}")]
    UnknownCategory {
        organization: String,
        id: String,
        known: String,
    },
}

/// Asks the server's organizations and finds `organization` / `category` among them.
pub async fn fetch_place(
    client: &Client,
    organization: &str,
    category: &str,
) -> Result<Place, RenewalError> {
    let organizations = client.organizations().await?;
    tracing::debug!(
        listed = organizations.len(),
        organization,
        category,
        "the server's organizations"
    );
    Ok(find_place(&organizations, organization, category)?)
}

/// `organization` / `category` (server ids) among `organizations`.
pub fn find_place(
    organizations: &[Organization],
    organization: &str,
    category: &str,
) -> Result<Place, PlaceError> {
    let Some(found) = organizations.iter().find(|o| o.id == organization) else {
        return Err(PlaceError::UnknownOrganization {
            id: organization.to_owned(),
            known: listing(organizations.iter().map(|o| (&o.id, &o.name))),
        });
    };
    let Some(in_it) = found.categories.iter().find(|c| c.id == category) else {
        return Err(PlaceError::UnknownCategory {
            organization: found.name.clone(),
            id: category.to_owned(),
            known: listing(found.categories.iter().map(|c| (&c.id, &c.name))),
        });
    };
    Ok(Place {
        organization: found.name.clone(),
        category: in_it.name.clone(),
    })
}

/// "nagasaki-pref (長崎県), sasebo-city (佐世保市)".
fn listing<'a>(entries: impl Iterator<Item = (&'a String, &'a String)>) -> String {
    entries
        .map(|(id, name)| format!("{id} ({name})"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use ebid_protocol::Category;

    use super::*;

    fn nagasaki() -> Vec<Organization> {
        vec![Organization {
            id: "nagasaki-pref".into(),
            name: "長崎県".into(),
            categories: vec![Category {
                id: "construction".into(),
                name: "工事・業務".into(),
            }],
        }]
    }

    #[test]
    fn a_known_place_is_named_as_the_server_names_it() {
        let place = find_place(&nagasaki(), "nagasaki-pref", "construction").unwrap();
        assert_eq!(place.organization, "長崎県");
        assert_eq!(place.category, "工事・業務");
    }

    #[test]
    fn an_unknown_id_is_said_with_the_ones_that_exist() {
        let error = find_place(&nagasaki(), "sasebo", "construction").unwrap_err();
        assert_eq!(
            error.to_string(),
            "調達機関 sasebo はこのサーバにありません。選択できる調達機関: nagasaki-pref (長崎県)"
        );
        let error = find_place(&nagasaki(), "nagasaki-pref", "goods").unwrap_err();
        assert_eq!(
            error.to_string(),
            "長崎県に区分 goods はありません。選択できる区分: construction (工事・業務)"
        );
    }
}
