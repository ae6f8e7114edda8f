//! `ebid-server admin`: the organization's administrator's commands on the server's database file, which
//! work while a server runs on it (SQLite in WAL mode: the administrator's transaction waits for the server's
//! writer, never the other way round for long). `pending` lists the registrations waiting for approval
//! (仮登録); `approve` makes one active, in one transaction, as an immediate organization's registration is;
//! `reject` refuses it. Each decision is audited.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use ebid_protocol::RefusalCode;
use time::{OffsetDateTime, UtcOffset};

use crate::clock::{Clock as _, SystemClock};
use crate::db::applications::{self, ApplicationRow, ApplicationState};
use crate::db::audit::{self, Action, Subject, code_name};
use crate::db::time::from_db;
use crate::db::{Database, registry};
use crate::error::ApiError;
use crate::registering::{self, Activation, Plan};

/// The arguments of `ebid-server admin`.
#[derive(Debug, Clone, clap::Args)]
pub struct AdminArgs {
    #[command(subcommand)]
    pub command: AdminCommand,
}

/// What the administrator asks.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum AdminCommand {
    /// List the registrations waiting for approval (仮登録), oldest first.
    Pending {
        /// The server's database file (DIR/ebid-server.sqlite3 of its --data).
        #[arg(long, value_name = "FILE")]
        database: PathBuf,
    },
    /// Approve a pending registration: its card logs in from now on.
    Approve {
        /// The server's database file (DIR/ebid-server.sqlite3 of its --data).
        #[arg(long, value_name = "FILE")]
        database: PathBuf,
        /// The application's id, as `pending` lists it.
        application: String,
    },
    /// Reject a pending registration: its card stays unregistered.
    Reject {
        /// The server's database file (DIR/ebid-server.sqlite3 of its --data).
        #[arg(long, value_name = "FILE")]
        database: PathBuf,
        /// The application's id, as `pending` lists it.
        application: String,
    },
}

/// Why an administrator's command did not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(
        "no database at {0}: give the server's database file (DIR/ebid-server.sqlite3 of its --data)"
    )]
    NoDatabase(PathBuf),
    #[error("no registration application {0}: `ebid-server admin pending` lists the pending ones")]
    UnknownApplication(String),
    #[error("application {id} was {state} already: it cannot be {asked} now")]
    AlreadyDecided {
        id: String,
        state: &'static str,
        asked: &'static str,
    },
    #[error("application {id} cannot be approved ({code}): {message}")]
    Refused {
        id: String,
        code: String,
        message: &'static str,
    },
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Runs the command; what it prints on standard output.
pub async fn admin(args: AdminArgs) -> Result<String, AdminError> {
    let now = SystemClock.now();
    match args.command {
        AdminCommand::Pending { database } => {
            let db = open(&database).await?;
            let listed = list_pending(&db).await;
            db.close().await;
            listed
        }
        AdminCommand::Approve {
            database,
            application,
        } => {
            let db = open(&database).await?;
            let decided = approve(&db, &application, now).await;
            db.close().await;
            decided
        }
        AdminCommand::Reject {
            database,
            application,
        } => {
            let db = open(&database).await?;
            let decided = reject(&db, &application, now).await;
            db.close().await;
            decided
        }
    }
}

async fn open(path: &Path) -> Result<Database, AdminError> {
    if !path.is_file() {
        return Err(AdminError::NoDatabase(path.to_owned()));
    }
    Ok(Database::open(path)
        .await
        .with_context(|| format!("opening {}", path.display()))?)
}

/// One line a pending application, tab-separated under a header: id, organization, category, company,
/// holder, serial, applied at (JST), 担当者.
async fn list_pending(db: &Database) -> Result<String, AdminError> {
    let mut conn = db.pool().acquire().await.context("reading the database")?;
    let pending = applications::pending(&mut conn)
        .await
        .context("reading the pending applications")?;
    let mut out = String::from(
        "id\torganization\tcategory\tcompany\tholder\tserial\tapplied (JST)\t担当者\n",
    );
    for application in &pending {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{} {}\t{}\t{}\t{}\t{}",
            application.id,
            application.organization_id,
            application.category_id,
            application.vendor_number,
            application.company_name,
            application.holder,
            application.serial,
            jst_minute(from_db(application.applied_at)?),
            application.operator,
        );
    }
    if pending.is_empty() {
        out.push_str("(no registration waits for approval)\n");
    }
    Ok(out)
}

/// `YYYY/MM/DD HH:MM` in JST, as the screens write times.
pub(crate) fn jst_minute(at: OffsetDateTime) -> String {
    let jst = at.to_offset(UtcOffset::from_hms(9, 0, 0).unwrap_or(UtcOffset::UTC));
    format!(
        "{:04}/{:02}/{:02} {:02}:{:02}",
        jst.year(),
        u8::from(jst.month()),
        jst.day(),
        jst.hour(),
        jst.minute()
    )
}

/// Approves `id` in one transaction: the rules a registration passes are checked again now (the card still
/// valid, not registered meanwhile, its holder not registered with a valid card meanwhile); then the card
/// becomes active as an immediate organization's would. Approving an approved application again says so and
/// changes nothing. A refusal is audited; nothing else is written.
async fn approve(db: &Database, id: &str, now: OffsetDateTime) -> Result<String, AdminError> {
    let mut tx = db
        .begin_write()
        .await
        .context("beginning the transaction")?;
    let application = pending_or_decided(&mut tx, id, "approved").await?;
    let Some(application) = application else {
        return Ok(format!(
            "application {id} was approved already: nothing changed\n"
        ));
    };
    let mut subject = subject(&application);
    let card = ebid_cert::parse_certificate(&application.der)
        .with_context(|| format!("the stored certificate of application {id}"))?;
    let activated = async {
        if card.facts().not_after <= now {
            return Err(RefusalCode::CertificateExpired.into());
        }
        if registry::fingerprint_registered(
            &mut tx,
            &application.organization_id,
            &application.fingerprint,
        )
        .await?
        {
            return Err(RefusalCode::CardAlreadyRegistered.into());
        }
        let plan = Plan::find(
            &mut tx,
            application.company_id,
            &application.category_id,
            &application.holder,
            now,
        )
        .await?;
        let replaced = plan.replaced_serial();
        let activation = Activation {
            organization: &application.organization_id,
            category: &application.category_id,
            company_id: application.company_id,
            holder: &application.holder,
            card: &card,
            contact: &application.contact(),
        };
        let became = registering::activate(&mut tx, plan, &activation, now).await?;
        Ok::<_, ApiError>((became, replaced))
    }
    .await;
    let (became, replaced) = match activated {
        Ok(activated) => activated,
        Err(ApiError::Refused(code)) => {
            // Nothing but the refusal's audit entry has been written: the rules refuse before any write.
            audit::record(
                &mut tx,
                now,
                Action::RegistrationApproval,
                &subject,
                Some(code),
            )
            .await
            .context("auditing the refused approval")?;
            tx.commit().await.context("committing")?;
            return Err(AdminError::Refused {
                id: id.to_owned(),
                code: code_name(code),
                message: code.message_ja(),
            });
        }
        Err(ApiError::Internal(error)) => return Err(error.into()),
    };
    if !applications::decide(&mut tx, id, now, Some(became))
        .await
        .context("recording the approval")?
    {
        return Err(
            anyhow::anyhow!("application {id} changed inside the approval's transaction").into(),
        );
    }
    subject.detail = replaced.as_ref().map(|serial| format!("replaced {serial}"));
    audit::record(&mut tx, now, Action::RegistrationApproval, &subject, None)
        .await
        .context("auditing the approval")?;
    tx.commit().await.context("committing the approval")?;
    let mut said = format!(
        "approved {id}: {} ({} {}) at {}, {}: the card {} logs in now",
        application.holder,
        application.vendor_number,
        application.company_name,
        application.organization_id,
        application.category_id,
        application.serial,
    );
    if let Some(serial) = replaced {
        let _ = write!(said, "; it replaces the lapsed card {serial}");
    }
    said.push('\n');
    Ok(said)
}

/// Rejects `id`: its card stays unregistered, and may apply again. Rejecting a rejected application again
/// says so and changes nothing.
async fn reject(db: &Database, id: &str, now: OffsetDateTime) -> Result<String, AdminError> {
    let mut tx = db
        .begin_write()
        .await
        .context("beginning the transaction")?;
    let Some(application) = pending_or_decided(&mut tx, id, "rejected").await? else {
        return Ok(format!(
            "application {id} was rejected already: nothing changed\n"
        ));
    };
    if !applications::decide(&mut tx, id, now, None)
        .await
        .context("recording the rejection")?
    {
        return Err(
            anyhow::anyhow!("application {id} changed inside the rejection's transaction").into(),
        );
    }
    audit::record(
        &mut tx,
        now,
        Action::RegistrationRejection,
        &subject(&application),
        None,
    )
    .await
    .context("auditing the rejection")?;
    tx.commit().await.context("committing the rejection")?;
    Ok(format!(
        "rejected {id}: {} ({} {}) at {}: the card {} stays unregistered\n",
        application.holder,
        application.vendor_number,
        application.company_name,
        application.organization_id,
        application.serial,
    ))
}

/// The application if it is pending; `None` if it was decided as `asked` already (asking again changes
/// nothing); an error if it does not exist or was decided the other way.
async fn pending_or_decided(
    conn: &mut sqlx::SqliteConnection,
    id: &str,
    asked: &'static str,
) -> Result<Option<ApplicationRow>, AdminError> {
    let application = applications::find(conn, id)
        .await
        .context("reading the application")?
        .ok_or_else(|| AdminError::UnknownApplication(id.to_owned()))?;
    match application.state()? {
        ApplicationState::Pending => Ok(Some(application)),
        state if state.as_str() == asked => Ok(None),
        state => Err(AdminError::AlreadyDecided {
            id: id.to_owned(),
            state: state.as_str(),
            asked,
        }),
    }
}

/// The audit entry's subject for a decision on `application`; the 担当者 is the applicant's.
fn subject(application: &ApplicationRow) -> Subject {
    Subject {
        organization: Some(application.organization_id.clone()),
        serial: Some(application.serial.clone()),
        application_id: Some(application.id.clone()),
        operator: Some(application.operator.clone()),
        ..Subject::default()
    }
}
