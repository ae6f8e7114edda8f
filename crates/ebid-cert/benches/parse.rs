//! `parse_certificate` + `facts()` on a certificate of the size the accredited CAs issue (RSA-2048 key,
//! RSA-SHA256 signature, romaji subject and kanji directoryName), as DER and as PEM.

#[path = "../tests/support/mod.rs"]
mod support;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ebid_cert::parse_certificate;

fn parse(c: &mut Criterion) {
    let certificate = support::realistic_rsa_2048();
    let der = certificate.der().to_vec();
    let pem = certificate.pem();

    c.bench_function("parse_certificate+facts DER RSA-2048", |b| {
        b.iter(|| {
            let certificate = parse_certificate(black_box(&der)).expect("parses");
            black_box(certificate.facts().clone())
        })
    });
    c.bench_function("parse_certificate+facts PEM RSA-2048", |b| {
        b.iter(|| {
            let certificate = parse_certificate(black_box(pem.as_bytes())).expect("parses");
            black_box(certificate.facts().clone())
        })
    });
}

criterion_group!(benches, parse);
criterion_main!(benches);
