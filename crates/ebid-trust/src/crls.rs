//! The store's CRLs, kept current without a restart.
//!
//! The store remembers the file each CRL came from. Before a validation it looks at those files with one
//! `stat` each (no read): a file that changed (size, modification time, or a new file moved into place) is
//! read again at once; a file whose CRL is past its nextUpdate is read again at most once a second, in case
//! it was rewritten in a way `stat` cannot see. A file that can no longer be read, or no longer holds a usable
//! CRL, is reported in the log and its last good CRL stays in use until that one is past its nextUpdate too.
//!
//! The current CRLs are an immutable snapshot behind an `RwLock<Arc<_>>`: a request holds the lock only to
//! clone the `Arc` (no lock is held while webpki works), and a re-read builds a new snapshot and swaps it in.
//! Re-reads are rare, so a plain `RwLock` is enough and no lock-free crate is needed; a `Mutex` lets one
//! request re-read while the others keep using the snapshot they have.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock, TryLockError};
use std::time::{Duration, Instant, SystemTime};

use rustls_pki_types::CertificateRevocationListDer;
use time::OffsetDateTime;
use webpki::{CertRevocationList, OwnedCertRevocationList};

use crate::ca::rfc3339;
use crate::{TrustError, load, names};

/// How often a file whose CRL is past its nextUpdate, but which `stat` says is unchanged, is read again.
const STALE_RETRY: Duration = Duration::from_secs(1);

/// One CRL, readable by webpki, with what the operator's messages say about it.
#[derive(Debug)]
pub(crate) struct Crl {
    pub webpki: CertRevocationList<'static>,
    /// The issuer, `C=JP, O=..., CN=...`.
    pub issuer: String,
    pub next_update: OffsetDateTime,
}

impl Crl {
    pub fn read(der: &[u8]) -> Result<Self, TrustError> {
        let webpki = OwnedCertRevocationList::from_der(der)
            .map(CertRevocationList::from)
            .map_err(|error| TrustError::CrlUnusable(error.to_string()))?;
        let (_, parsed) = x509_parser::parse_x509_crl(der)
            .map_err(|error| TrustError::CrlUnusable(error.to_string()))?;
        // webpki has already refused a CRL without nextUpdate.
        let next_update = parsed
            .next_update()
            .map(|at| at.to_datetime())
            .ok_or_else(|| TrustError::CrlUnusable("no nextUpdate".into()))?;
        Ok(Self {
            webpki,
            issuer: names::crl_issuer(der).unwrap_or_else(|| "an unnamed CA".into()),
            next_update,
        })
    }

    /// Whether `at` is past the CRL's life, as webpki judges it: nextUpdate itself is too late.
    pub fn out_of_date_at(&self, at: OffsetDateTime) -> bool {
        at >= self.next_update
    }

    /// Whether webpki would take this CRL and `other` as authoritative for the same certificates.
    fn rivals(&self, other: &Self) -> bool {
        self.webpki.issuer() == other.webpki.issuer()
            && self.webpki.issuing_distribution_point() == other.webpki.issuing_distribution_point()
    }
}

/// What `stat` says about a file: enough to notice a rewrite or a new file renamed over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
    /// Device and inode: a file moved into place is another file even when size and time agree.
    #[cfg(unix)]
    identity: (u64, u64),
}

impl FileStamp {
    /// `None` when the file cannot be looked at (removed, no permission).
    fn of(path: &Path) -> Option<Self> {
        let metadata = fs::metadata(path).ok()?;
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt as _;
            (metadata.dev(), metadata.ino())
        };
        Some(Self {
            len: metadata.len(),
            modified: metadata.modified().ok(),
            #[cfg(unix)]
            identity,
        })
    }
}

/// The CRLs of one source: a file (one DER CRL, or PEM with one or more), or CRLs given in memory.
#[derive(Debug, Clone)]
pub(crate) struct CrlFile {
    /// `None` for CRLs given in memory, which are never read again.
    path: Option<PathBuf>,
    /// The file as last read (or tried).
    stamp: Option<FileStamp>,
    read_at: Instant,
    crls: Arc<[Crl]>,
}

impl CrlFile {
    /// Reads the CRLs in `path`; a file that cannot be read or holds no usable CRL is refused.
    pub fn read(path: &Path) -> Result<Self, TrustError> {
        let stamp = FileStamp::of(path);
        let crls = read_crls(path)?;
        Ok(Self {
            path: Some(path.to_path_buf()),
            stamp,
            read_at: Instant::now(),
            crls: crls.into(),
        })
    }

    pub fn in_memory(ders: &[Vec<u8>]) -> Result<Self, TrustError> {
        let crls = ders
            .iter()
            .map(|der| Crl::read(der))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            path: None,
            stamp: None,
            read_at: Instant::now(),
            crls: crls.into(),
        })
    }

    /// Whether the file should be read again: it changed, or its CRL is out of date at `now` and it was last
    /// read a while ago. Costs one `stat`.
    fn wants_reading(&self, now: OffsetDateTime, clock: Instant) -> bool {
        let Some(path) = &self.path else {
            return false;
        };
        FileStamp::of(path) != self.stamp
            || (self.crls.iter().any(|crl| crl.out_of_date_at(now))
                && clock.duration_since(self.read_at) >= STALE_RETRY)
    }

    fn display(&self) -> String {
        self.path
            .as_ref()
            .map_or_else(|| "(in memory)".into(), |path| path.display().to_string())
    }
}

fn read_crls(path: &Path) -> Result<Vec<Crl>, TrustError> {
    load::read_objects::<CertificateRevocationListDer<'static>>(path, TrustError::CrlUnusable)?
        .iter()
        .map(|der| {
            Crl::read(der)
                .map_err(|error| TrustError::CrlUnusable(format!("{}: {error}", path.display())))
        })
        .collect()
}

/// The CRLs in force: every source's last good CRLs.
#[derive(Debug)]
pub(crate) struct CrlSnapshot {
    files: Vec<CrlFile>,
}

impl CrlSnapshot {
    /// Refuses two CRLs that webpki would both take as authoritative for the same certificates (same issuer,
    /// same issuing distribution point): webpki would consult whichever comes first, so a stale one could
    /// hide a fresh one.
    pub fn new(files: Vec<CrlFile>) -> Result<Self, TrustError> {
        let snapshot = Self { files };
        let all: Vec<&Crl> = snapshot.crls().collect();
        for (index, crl) in all.iter().enumerate() {
            if all[..index].iter().any(|earlier| earlier.rivals(crl)) {
                return Err(TrustError::CrlUnusable(format!(
                    "two CRLs of {}; keep only the newest",
                    crl.issuer
                )));
            }
        }
        Ok(snapshot)
    }

    pub fn crls(&self) -> impl Iterator<Item = &Crl> {
        self.files.iter().flat_map(|file| file.crls.iter())
    }

    /// The CRLs as webpki's revocation options take them.
    pub fn webpki(&self) -> Vec<&CertRevocationList<'static>> {
        self.crls().map(|crl| &crl.webpki).collect()
    }

    /// Whether a CRL of the CA named `subject` (webpki's form) covers every certificate the CA issues: it is
    /// that CA's and has no issuing distribution point limiting its scope.
    pub fn covers(&self, subject: &[u8]) -> bool {
        self.crls().any(|crl| {
            crl.webpki.issuer() == subject && crl.webpki.issuing_distribution_point().is_none()
        })
    }

    /// Which CRLs are out of date at `now`, and from which files, for the operator.
    pub fn out_of_date(&self, now: OffsetDateTime) -> String {
        let stale: Vec<String> = self
            .files
            .iter()
            .flat_map(|file| {
                file.crls
                    .iter()
                    .filter(|crl| crl.out_of_date_at(now))
                    .map(|crl| {
                        format!(
                            "the CRL of {} in {} (nextUpdate {})",
                            crl.issuer,
                            file.display(),
                            rfc3339(crl.next_update)
                        )
                    })
            })
            .collect();
        if stale.is_empty() {
            "a CRL is past its nextUpdate".into()
        } else {
            format!("{} is past its nextUpdate", stale.join(", "))
        }
    }

    fn wants_reading(&self, now: OffsetDateTime) -> bool {
        let clock = Instant::now();
        self.files.iter().any(|file| file.wants_reading(now, clock))
    }

    /// A new snapshot with the files that want it read again; what cannot be read is logged and the last good
    /// CRLs of that file are kept.
    fn reread(&self, now: OffsetDateTime) -> Self {
        let clock = Instant::now();
        let mut files = self.files.clone();
        for index in 0..files.len() {
            let file = &files[index];
            let Some(path) = file.path.clone() else {
                continue;
            };
            if !file.wants_reading(now, clock) {
                continue;
            }
            let stamp = FileStamp::of(&path);
            let changed = stamp != file.stamp;
            let verdict = read_crls(&path).and_then(|crls| {
                let rival = crls.iter().find(|crl| {
                    files
                        .iter()
                        .enumerate()
                        .filter(|(other, _)| *other != index)
                        .any(|(_, other)| other.crls.iter().any(|kept| kept.rivals(crl)))
                });
                match rival {
                    Some(crl) => Err(TrustError::CrlUnusable(format!(
                        "another CRL file already holds a CRL of {}",
                        crl.issuer
                    ))),
                    None => Ok(crls),
                }
            });
            let file = &mut files[index];
            match verdict {
                Ok(crls) => {
                    for crl in &crls {
                        tracing::info!(
                            file = %path.display(),
                            issuer = %crl.issuer,
                            next_update = %rfc3339(crl.next_update),
                            "read the CRL again"
                        );
                    }
                    file.crls = crls.into();
                }
                // A change that made the file unusable is said once; the retries of a stale one say nothing new.
                Err(error) if changed => {
                    let kept: Vec<String> = file
                        .crls
                        .iter()
                        .map(|crl| format!("{} until {}", crl.issuer, rfc3339(crl.next_update)))
                        .collect();
                    tracing::warn!(
                        file = %path.display(),
                        %error,
                        kept = %kept.join(", "),
                        "cannot use the CRL file any more; keeping the CRL read from it before"
                    );
                }
                Err(_) => {}
            }
            file.stamp = stamp;
            file.read_at = clock;
        }
        Self { files }
    }
}

/// The snapshot in force, and the re-reading of its files.
#[derive(Debug)]
pub(crate) struct Crls {
    current: RwLock<Arc<CrlSnapshot>>,
    /// Held by the one request that re-reads files; the others go on with the snapshot they have.
    rereading: Mutex<()>,
}

impl Crls {
    pub fn new(snapshot: CrlSnapshot) -> Self {
        Self {
            current: RwLock::new(Arc::new(snapshot)),
            rereading: Mutex::new(()),
        }
    }

    /// The CRLs to validate with at `now`, after reading again the files that changed or went stale.
    pub fn current(&self, now: OffsetDateTime) -> Arc<CrlSnapshot> {
        let snapshot = self.snapshot();
        if !snapshot.wants_reading(now) {
            return snapshot;
        }
        let _turn = match self.rereading.try_lock() {
            Ok(turn) => turn,
            // A panic while re-reading left nothing half-done: the snapshot is swapped in whole or not at all.
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            // Another request is reading the files now: use the CRLs in force until it is done.
            Err(TryLockError::WouldBlock) => return snapshot,
        };
        let latest = self.snapshot();
        let fresh = Arc::new(latest.reread(now));
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::clone(&fresh);
        fresh
    }

    pub fn snapshot(&self) -> Arc<CrlSnapshot> {
        // Poisoning cannot leave a half-written snapshot: the lock guards a single `Arc`.
        Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner))
    }
}
