//! HTTPS: the server's certificate chain and key, with rustls.

use std::path::Path;
use std::sync::Arc;

use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::TlsFiles;
use crate::error::{Error, Result};

/// A rustls server configuration from PEM files. The crypto provider is named here, not left to the process
/// default, which is ambiguous (and panics) when two providers are compiled in.
pub(crate) fn load(files: &TlsFiles) -> Result<tokio_rustls::TlsAcceptor> {
    let chain = CertificateDer::pem_file_iter(&files.cert_pem)
        .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
        .map_err(|error| pem_error(&files.cert_pem, error))?;
    if chain.is_empty() {
        return Err(Error::Tls(format!(
            "{} holds no certificate",
            files.cert_pem.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&files.key_pem)
        .map_err(|error| pem_error(&files.key_pem, error))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_no_client_auth().with_single_cert(chain, key))
        .map_err(|error| Error::Tls(error.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

fn pem_error(path: &Path, error: rustls_pki_types::pem::Error) -> Error {
    Error::Tls(format!("{}: {error}", path.display()))
}
