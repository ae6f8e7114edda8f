//! The renewal's two papers end to end: built by the workflow from protocol answers, laid out by the app
//! (`paper::sheet_document`) as ebid-pdf's document, rendered with the PC's Japanese font, and read back by an independent extractor
//! (poppler's `pdftotext`), which proves the text is real text, in Japanese, and complete.
//!
//! Skipped with a note where the PC has no Japanese font or no `pdftotext`; required under
//! `EBID_REQUIRE_ALL=1` (`cargo xtask test`, whose setup installs fonts-noto-cjk and poppler-utils).

use std::env;
use std::io::Write as _;
use std::process::Command;

use ebid_app::paper::sheet_document;
use ebid_pdf::{JapaneseFont, render};
use ebid_protocol::{CardColumn, RenewalConfirmation, RenewalResult};
use ebid_workflow::Place;
use ebid_workflow::sheets::{
    CONFIRMATION_LABELS, SheetContext, completion_sheet, confirmation_sheet,
};
use time::macros::datetime;

fn column(serial: &str, card_holder: &str, expiry: &str) -> CardColumn {
    CardColumn {
        company_name: "株式会社長崎土木".into(),
        company_address: "長崎県長崎市尾上町3番1号".into(),
        card_company: Some("株式会社長崎土木".into()),
        card_holder: Some(card_holder.into()),
        card_address: Some("長崎県長崎市尾上町3番1号".into()),
        serial: serial.into(),
        issuer: "Demo Business CA".into(),
        not_after: datetime!(2026-12-31 14:59:59 UTC),
        not_after_jst: expiry.into(),
    }
}

fn place() -> Place {
    Place {
        organization: "長崎県".into(),
        category: "工事・業務".into(),
    }
}

fn context(place: &Place) -> SheetContext<'_> {
    SheetContext {
        place,
        operator: Some("山田 花子"),
        printed_at: datetime!(2026-12-02 05:04:30 UTC),
    }
}

#[test]
fn the_confirmation_as_pdf_reads_back_whole() {
    let Some(font) = japanese_font() else { return };
    if !pdftotext_installed() {
        return;
    }
    let confirmation = RenewalConfirmation {
        renewal_id: "r1".into(),
        current: column("0A1B2C3D4E5F6071", "長崎 太郎", "2026/12/31"),
        new: column("7F3C9E1D5A2B4C68", "長崎 太郎", "2031/12/30"),
        violations: Vec::new(),
    };
    let place = place();
    let pdf = render(
        &sheet_document(&confirmation_sheet(&confirmation, &context(&place))),
        &font,
    )
    .unwrap();
    // Subset, not the whole face (Noto Sans CJK's collection is about 20 MB, one face about 16 MB).
    assert!(pdf.len() < 250_000, "{} bytes", pdf.len());
    let text = pdftotext(&pdf);
    let joined = without_spaces(&text);
    let mut expected = vec![
        "電子証明書更新確認",
        "現在使用しているICカード",
        "新規に使用するICカード",
        "調達機関：長崎県",
        "区分：工事・業務",
        "担当者：山田花子",
        "印刷日時：2026年12月02日14時04分（サーバの時刻）",
        "0A1B2C3D4E5F6071",
        "7F3C9E1D5A2B4C68",
        "2026/12/31",
        "2031/12/30",
        "株式会社長崎土木",
        "長崎県長崎市尾上町3番1号",
        "長崎太郎",
        "DemoBusinessCA",
        "新規に使用するICカードの企業名称とICカード企業名称が御社の企業名称であることを確認してください。",
        "この内容でよろしければ更新ボタンを押してください",
    ];
    expected.extend(CONFIRMATION_LABELS);
    for needle in expected {
        assert!(
            joined.contains(needle),
            "{needle} is not in the PDF's text:\n{text}"
        );
    }
    // Both serial numbers on the one row of 証明書シリアル番号, the current card's first.
    let serial_line = text
        .lines()
        .find(|line| line.contains("証明書シリアル番号"))
        .unwrap();
    let current = serial_line.find("0A1B2C3D4E5F6071").unwrap();
    assert!(
        serial_line[current..].contains("7F3C9E1D5A2B4C68"),
        "{serial_line}"
    );
}

#[test]
fn the_completion_as_pdf_reads_back_whole() {
    let Some(font) = japanese_font() else { return };
    if !pdftotext_installed() {
        return;
    }
    let result = RenewalResult {
        renewal_id: "r1".into(),
        organization: "nagasaki-pref".into(),
        old_serial: "0A1B2C3D4E5F6071".into(),
        new_serial: "7F3C9E1D5A2B4C68".into(),
        committed_at: datetime!(2026-12-02 05:03:10 UTC),
    };
    let place = place();
    let pdf = render(
        &sheet_document(&completion_sheet(&result, &context(&place))),
        &font,
    )
    .unwrap();
    assert!(pdf.len() < 250_000, "{} bytes", pdf.len());
    let text = pdftotext(&pdf);
    let joined = without_spaces(&text);
    for needle in [
        "更新完了",
        "ICカードの更新が完了しました。",
        "調達機関：長崎県",
        "区分：工事・業務",
        "担当者：山田花子",
        "更新前の証明書シリアル番号",
        "0A1B2C3D4E5F6071",
        "更新後の証明書シリアル番号",
        "7F3C9E1D5A2B4C68",
        "更新日時",
        "2026年12月02日14時03分",
    ] {
        assert!(
            joined.contains(needle),
            "{needle} is not in the PDF's text:\n{text}"
        );
    }
}

/// `pdftotext -layout`'s reading of `pdf`, written to a temporary file first.
fn pdftotext(pdf: &[u8]) -> String {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("sheet.pdf");
    std::fs::write(&path, pdf).unwrap();
    let output = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "pdftotext: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text with every space and line break dropped: a sentence wrapped over two lines reads whole.
fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn japanese_font() -> Option<JapaneseFont> {
    match JapaneseFont::find_system() {
        Ok(font) => Some(font),
        Err(error) => {
            met(false, &format!("a Japanese font ({error})"));
            None
        }
    }
}

fn pdftotext_installed() -> bool {
    let on_path = env::var_os("PATH").is_some_and(|path| {
        env::split_paths(&path)
            .any(|dir| dir.join("pdftotext").is_file() || dir.join("pdftotext.exe").is_file())
    });
    met(on_path, "pdftotext (poppler-utils) on PATH")
}

/// As `ebid_tests::needs`: `true` when the need is there; otherwise a failure under `EBID_REQUIRE_ALL`, or
/// a `skipped …` line and `false`.
fn met(there: bool, need: &str) -> bool {
    if there {
        return true;
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("this test")
        .to_owned();
    assert!(
        env::var_os("EBID_REQUIRE_ALL").is_none_or(|v| v.is_empty()),
        "{test} needs {need}; EBID_REQUIRE_ALL is set, so it must run (see `cargo xtask test`)"
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped {test}: needs {need}; `cargo xtask test` runs it"
    );
    false
}
