//! The independent check: OpenSC, which nobody here wrote, reads and signs with the virtual cards through
//! the same pcscd, and openssl verifies its signatures. If OpenSC cannot read a virtual card, the virtual
//! card is wrong, whatever ebid's own client says.

use std::path::Path;
use std::process::{Command, Output};

use ebid_tests::{Bench, card_spec};
use ebid_vcard::spec::CardSpec;

const PKCS11_MODULE: &str = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so";

fn run(program: &str, args: &[&str]) -> Output {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn text(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The DER of the PEM certificate OpenSC wrote.
fn der_of_pem_file(path: &Path) -> Vec<u8> {
    let out = path.with_extension("der");
    run(
        "openssl",
        &[
            "x509",
            "-in",
            path.to_str().unwrap(),
            "-outform",
            "DER",
            "-out",
            out.to_str().unwrap(),
        ],
    );
    std::fs::read(out).unwrap()
}

/// Signs `data` with OpenSC's PKCS#11 module and checks the signature with openssl against `certificate`.
fn pkcs11_sign_and_verify(
    dir: &Path,
    token: &str,
    pin: &str,
    id: &str,
    mechanism: &str,
    certificate: &[u8],
) {
    let data = dir.join("data.txt");
    std::fs::write(&data, "電子入札 ICカード更新: OpenSC が署名する").unwrap();
    let (cert, public_key, signature) = (
        dir.join("cert.der"),
        dir.join("pub.pem"),
        dir.join(format!("sig-{id}")),
    );
    std::fs::write(&cert, certificate).unwrap();
    let mut args = vec![
        "--module",
        PKCS11_MODULE,
        "--token-label",
        token,
        "--login",
        "--pin",
        pin,
        "--sign",
        "--mechanism",
        mechanism,
        "--id",
        id,
        "-i",
        data.to_str().unwrap(),
        "-o",
        signature.to_str().unwrap(),
    ];
    if mechanism.starts_with("ECDSA") {
        args.extend(["--signature-format", "openssl"]);
    }
    run("pkcs11-tool", &args);
    let exported = run(
        "openssl",
        &[
            "x509",
            "-inform",
            "DER",
            "-in",
            cert.to_str().unwrap(),
            "-pubkey",
            "-noout",
        ],
    );
    std::fs::write(&public_key, exported.stdout).unwrap();
    let verified = run(
        "openssl",
        &[
            "dgst",
            "-sha256",
            "-verify",
            public_key.to_str().unwrap(),
            "-signature",
            signature.to_str().unwrap(),
            data.to_str().unwrap(),
        ],
    );
    assert!(
        text(&verified).contains("Verified OK"),
        "{}",
        text(&verified)
    );
}

#[test]
fn opensc_reads_and_signs_with_the_virtual_jpki_card() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "jpki");
    let CardSpec::Jpki(spec) = card_spec(bench.set_dir(), "jpki") else {
        panic!("jpki is a JPKI card")
    };
    let dir = bench.set_dir().to_owned();

    let detected = text(&run("opensc-tool", &["--reader", "0", "--name"]));
    assert!(
        detected.contains("jpki"),
        "OpenSC's JPKI driver takes the card: {detected}"
    );

    let listed = text(&run(
        "pkcs15-tool",
        &["--reader", "0", "--list-certificates", "--list-pins"],
    ));
    assert_eq!(listed.matches("X.509 Certificate").count(), 4, "{listed}");
    assert!(
        listed.contains("Tries left") && listed.contains(": 5") && listed.contains(": 3"),
        "{listed}"
    );

    // The authentication certificate is readable without a PIN, the signing one only with it.
    let auth = dir.join("auth.pem");
    run(
        "pkcs15-tool",
        &[
            "--reader",
            "0",
            "--read-certificate",
            "01",
            "-o",
            auth.to_str().unwrap(),
        ],
    );
    assert_eq!(der_of_pem_file(&auth), spec.auth.certificate);
    let sign = dir.join("sign.pem");
    let pin = spec.sign_pin.value.as_str();
    let sign_out = sign.to_str().unwrap();
    let read_signing = [
        "--reader",
        "0",
        "--read-certificate",
        "02",
        "--auth-id",
        "02",
        "--verify-pin",
        "--pin",
        pin,
    ];
    run(
        "pkcs15-tool",
        &[&read_signing[..], &["-o", sign_out]].concat(),
    );
    assert_eq!(der_of_pem_file(&sign), spec.sign.certificate);

    pkcs11_sign_and_verify(
        &dir,
        "JPKI (Digital Signature PIN)",
        pin,
        "02",
        "SHA256-RSA-PKCS",
        &spec.sign.certificate,
    );
}

#[test]
fn opensc_reads_and_signs_with_the_virtual_piv_card() {
    let Some(mut bench) = Bench::new() else {
        return;
    };
    bench.insert(0, "current");
    let CardSpec::Piv(spec) = card_spec(bench.set_dir(), "current") else {
        panic!("current is a PIV card")
    };
    let dir = bench.set_dir().to_owned();

    let listed = text(&run(
        "pkcs15-tool",
        &["--reader", "0", "--list-certificates", "--list-keys"],
    ));
    assert_eq!(listed.matches("X.509 Certificate").count(), 2, "{listed}");
    let signing = dir.join("9c.pem");
    run(
        "pkcs15-tool",
        &[
            "--reader",
            "0",
            "--read-certificate",
            "02",
            "-o",
            signing.to_str().unwrap(),
        ],
    );
    assert_eq!(der_of_pem_file(&signing), spec.slot_9c.certificate);

    let token = "Taro Nagasaki";
    let pin = spec.pin.value.as_str();
    pkcs11_sign_and_verify(
        &dir,
        token,
        pin,
        "02",
        "SHA256-RSA-PKCS",
        &spec.slot_9c.certificate,
    );
    pkcs11_sign_and_verify(
        &dir,
        token,
        pin,
        "01",
        "ECDSA-SHA256",
        &spec.slot_9a.certificate,
    );
}
