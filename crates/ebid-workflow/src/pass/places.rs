//! Where a pass renews: each 調達機関 and category by the server's ids (what the renewal asks with) and its
//! names (what the user reads), and the places a card is a candidate for.

use ebid_client::Client;
use ebid_history::{History, Registration};
use ebid_protocol::Organization;

use crate::{Place, RenewalError, find_place};

/// One place of a pass: the server's ids, and the names it gives them (「長崎市」, 「工事・業務」).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassPlace {
    /// The organization's id (`nagasaki-city`).
    pub organization: String,
    /// The category's id (`construction`).
    pub category: String,
    pub names: Place,
}

/// The places the server lists now where the local history says the card is registered, in the server's
/// order. A place the server no longer lists is left out (it could not be renewed there); a place the
/// history does not know is not guessed: the user adds it, or renews there alone.
pub fn candidates(
    registrations: &[Registration],
    organizations: &[Organization],
) -> Vec<PassPlace> {
    organizations
        .iter()
        .flat_map(|organization| {
            organization
                .categories
                .iter()
                .map(move |category| (organization, category))
        })
        .filter(|(organization, category)| {
            registrations.iter().any(|r| {
                r.registered && r.organization == organization.id && r.category == category.id
            })
        })
        .filter_map(|(organization, category)| {
            let names = find_place(organizations, &organization.id, &category.id).ok()?;
            Some(PassPlace {
                organization: organization.id.clone(),
                category: category.id.clone(),
                names,
            })
        })
        .collect()
}

/// [`candidates`] for the card whose certificate has `fingerprint` (SHA-256, upper-case hex: the history's
/// key), asking the server's organizations. The history is a convenience: when it cannot be read, the
/// failure is logged and no place is a candidate (the user chooses them, as for a single renewal).
pub async fn candidate_places(
    client: &Client,
    history: &History,
    fingerprint: &str,
) -> Result<Vec<PassPlace>, RenewalError> {
    let organizations = client.organizations().await?;
    let registrations = match history.registrations(fingerprint).await {
        Ok(registrations) => registrations,
        Err(error) => {
            tracing::warn!(%error, "the history's registrations could not be read: no candidate places");
            Vec::new()
        }
    };
    Ok(candidates(&registrations, &organizations))
}

#[cfg(test)]
mod tests {
    use ebid_protocol::Category;
    use time::OffsetDateTime;

    use super::*;

    fn organization(id: &str, name: &str) -> Organization {
        Organization {
            id: id.into(),
            name: name.into(),
            categories: vec![
                Category {
                    id: "construction".into(),
                    name: "工事・業務".into(),
                },
                Category {
                    id: "goods".into(),
                    name: "物品・役務".into(),
                },
            ],
        }
    }

    fn answer(organization: &str, category: &str, registered: bool) -> Registration {
        Registration {
            organization: organization.into(),
            category: category.into(),
            registered,
            answered_at: OffsetDateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn registered_places_the_server_lists_in_its_order() {
        let listed = [
            organization("nagasaki-pref", "長崎県"),
            organization("nagasaki-city", "長崎市"),
            organization("sasebo-city", "佐世保市"),
        ];
        let history = [
            answer("sasebo-city", "construction", true),
            answer("nagasaki-pref", "construction", true),
            // Said not registered, and a place the server no longer lists: neither is a candidate.
            answer("nagasaki-city", "construction", false),
            answer("isahaya-city", "construction", true),
        ];
        let found = candidates(&history, &listed);
        let named: Vec<(&str, &str)> = found
            .iter()
            .map(|p| (p.names.organization.as_str(), p.names.category.as_str()))
            .collect();
        assert_eq!(
            named,
            [("長崎県", "工事・業務"), ("佐世保市", "工事・業務")]
        );
        assert_eq!(found[1].organization, "sasebo-city");
        assert_eq!(found[1].category, "construction");
    }
}
