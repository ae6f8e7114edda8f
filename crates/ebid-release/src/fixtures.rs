//! Tiny artifacts for tests (feature `fixtures`): a PE executable, an MSI and a macOS `.app.tar.gz`, each
//! with or without the OS signature [`crate::os_signature`] looks for. Not real programs: just the
//! structure the check reads.

use std::io::Write as _;

/// A PE32+ file with the given certificate table (data directory 4): a WIN_CERTIFICATE-sized blob at the
/// file's end when `signed`, an empty entry otherwise.
pub fn pe(signed: bool) -> Vec<u8> {
    const PE_AT: usize = 0x80;
    const OPTIONAL_SIZE: usize = 240;
    let optional = PE_AT + 24;
    let mut bytes = vec![0u8; optional + OPTIONAL_SIZE];
    bytes[..2].copy_from_slice(b"MZ");
    bytes[0x3c..0x40].copy_from_slice(&(PE_AT as u32).to_le_bytes());
    bytes[PE_AT..PE_AT + 4].copy_from_slice(b"PE\0\0");
    // COFF: machine x86-64, no sections, the optional header's size.
    bytes[PE_AT + 4..PE_AT + 6].copy_from_slice(&0x8664u16.to_le_bytes());
    bytes[PE_AT + 20..PE_AT + 22].copy_from_slice(&(OPTIONAL_SIZE as u16).to_le_bytes());
    bytes[optional..optional + 2].copy_from_slice(&0x20bu16.to_le_bytes());
    bytes[optional + 108..optional + 112].copy_from_slice(&16u32.to_le_bytes());
    if signed {
        let certificate = [0x5au8; 16];
        let offset = bytes.len() as u32;
        let entry = optional + 112 + 4 * 8;
        bytes[entry..entry + 4].copy_from_slice(&offset.to_le_bytes());
        bytes[entry + 4..entry + 8].copy_from_slice(&(certificate.len() as u32).to_le_bytes());
        bytes.extend_from_slice(&certificate);
    }
    bytes
}

/// An OLE compound file with an MSI-like stream, and the `\u{5}DigitalSignature` stream when `signed`.
pub fn msi(signed: bool) -> Vec<u8> {
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new()))
        .expect("an in-memory compound file");
    file.create_stream("/SummaryInformation")
        .and_then(|mut s| s.write_all(b"fake msi"))
        .expect("a stream");
    if signed {
        file.create_stream("/\u{5}DigitalSignature")
            .and_then(|mut s| s.write_all(&[0x30, 0x82, 0, 0]))
            .expect("the signature stream");
    }
    file.flush().expect("flushed");
    file.into_inner().into_inner()
}

/// A gzipped tar of `ebid.app` with its executable, and its `_CodeSignature/CodeResources` when `signed`.
pub fn app_tar_gz(signed: bool) -> Vec<u8> {
    let mut archive = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    let mut add = |path: &str, data: &[u8]| {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o755);
        header.set_cksum();
        archive
            .append_data(&mut header, path, data)
            .expect("an entry");
    };
    add("ebid.app/Contents/MacOS/ebid-desktop", b"fake executable");
    if signed {
        add(
            "ebid.app/Contents/_CodeSignature/CodeResources",
            b"<plist/>",
        );
    }
    archive
        .into_inner()
        .and_then(|gz| gz.finish())
        .expect("the archive")
}
