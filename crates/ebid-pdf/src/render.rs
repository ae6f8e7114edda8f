//! The laid-out pages written as PDF with krilla: text as real text in the Japanese face (embedded as a
//! subset, with a ToUnicode map, so it can be selected, searched and extracted), shading and cell borders
//! as paths.

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};

use crate::PdfError;
use crate::font::{Glyphs, JapaneseFont};
use crate::layout::{Area, Mark, PAGE_HEIGHT, PAGE_WIDTH, lay_out};
use crate::model::{Block, Document};

/// A header's and a label's background: light enough to print on any office printer.
const SHADE: u8 = 232;
/// Cell borders, in points.
const RULE_WIDTH: f32 = 0.5;

/// `document` as the bytes of a PDF file, A4 portrait, written with `font`.
pub fn render(document: &Document, font: &JapaneseFont) -> Result<Vec<u8>, PdfError> {
    let glyphs = font.glyphs_for(characters(document))?;
    let pages = lay_out(document, &glyphs)?;
    let mut pdf = krilla::Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(document.title.clone())
            .language("ja".to_owned())
            .creator("ebid".to_owned()),
    );
    for marks in &pages {
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
            .ok_or_else(|| PdfError::Write("A4".to_owned()))?;
        let mut page = pdf.start_page_with(settings);
        let mut surface = page.surface();
        for mark in marks {
            draw(&mut surface, mark, font, &glyphs);
        }
        surface.finish();
        page.finish();
    }
    pdf.finish()
        .map_err(|error| PdfError::Write(error.to_string()))
}

fn characters(document: &Document) -> impl Iterator<Item = char> + '_ {
    let blocks = document
        .blocks
        .iter()
        .flat_map(|block| -> Box<dyn Iterator<Item = &String>> {
            match block {
                Block::Paragraph(text) => Box::new(std::iter::once(text)),
                Block::Table(table) => Box::new(table.header.iter().chain(&table.rows).flatten()),
            }
        });
    std::iter::once(&document.title)
        .chain(blocks)
        .flat_map(|text| text.chars())
}

fn draw(surface: &mut Surface<'_>, mark: &Mark, font: &JapaneseFont, glyphs: &Glyphs) {
    match mark {
        Mark::Text {
            x,
            baseline,
            size,
            text,
        } => {
            // One glyph per character, each knowing its text: krilla's ToUnicode map is made from these.
            let run: Vec<KrillaGlyph> = text
                .char_indices()
                .map(|(at, c)| {
                    KrillaGlyph::new(
                        GlyphId::new(glyphs.id(c)),
                        glyphs.advance(c),
                        0.0,
                        0.0,
                        0.0,
                        at..at + c.len_utf8(),
                        None,
                    )
                })
                .collect();
            surface.set_stroke(None);
            surface.set_fill(Some(Fill::default()));
            surface.draw_glyphs(
                Point::from_xy(*x, *baseline),
                &run,
                font.pdf_font(),
                text,
                *size,
                false,
            );
        }
        Mark::Shade(area) => {
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: luma::Color::new(SHADE).into(),
                ..Fill::default()
            }));
            rectangle(surface, area);
        }
        Mark::Frame(area) => {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                width: RULE_WIDTH,
                ..Stroke::default()
            }));
            rectangle(surface, area);
        }
    }
}

fn rectangle(surface: &mut Surface<'_>, area: &Area) {
    let mut path = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(area.x, area.y, area.width, area.height) {
        path.push_rect(rect);
    }
    if let Some(path) = path.finish() {
        surface.draw_path(&path);
    }
}
