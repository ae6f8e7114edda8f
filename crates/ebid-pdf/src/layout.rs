//! Where every line and cell goes: A4 portrait with 20 mm margins, a centred title, paragraphs and tables
//! wrapped to their width, a table's header repeated on each page it continues on, and a row taller than
//! what is left of a page carried over (split, only when it would not fit on a page by itself). Pure, so
//! that pagination is tested without writing a PDF.

use crate::PdfError;
use crate::font::Glyphs;
use crate::model::{Block, Document, Table};
use crate::wrap::wrap;

/// A4 in PDF points (1/72 inch).
pub(crate) const PAGE_WIDTH: f32 = 595.28;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
/// 20 mm.
const MARGIN: f32 = 56.69;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const CONTENT_HEIGHT: f32 = PAGE_HEIGHT - 2.0 * MARGIN;
const TITLE_SIZE: f32 = 16.0;
const BODY_SIZE: f32 = 10.5;
/// Line height as a multiple of the font size: Japanese reads best with generous leading.
const LEADING: f32 = 1.5;
const CELL_PADDING: f32 = 4.0;
const BLOCK_GAP: f32 = 8.0;

/// A rectangle from its top-left corner, y downwards (as krilla's page space).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Area {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) width: f32,
    pub(crate) height: f32,
}

/// One thing drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Mark {
    /// One line of text starting at `x` on its `baseline`.
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        text: String,
    },
    /// A header's or label's light background.
    Shade(Area),
    /// A cell's border.
    Frame(Area),
}

/// The document as pages of marks; there is always at least one page.
pub(crate) fn lay_out(document: &Document, glyphs: &Glyphs) -> Result<Vec<Vec<Mark>>, PdfError> {
    let mut flow = Flow {
        glyphs,
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    flow.title(&document.title);
    for block in &document.blocks {
        match block {
            Block::Paragraph(text) => flow.paragraph(text),
            Block::Table(table) => flow.table(table)?,
        }
        flow.y += BLOCK_GAP;
    }
    Ok(flow.pages)
}

struct Flow<'a> {
    glyphs: &'a Glyphs,
    pages: Vec<Vec<Mark>>,
    /// The top of what is still free on the last page.
    y: f32,
}

impl Flow<'_> {
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = MARGIN;
    }

    fn room(&self) -> f32 {
        PAGE_HEIGHT - MARGIN - self.y
    }

    fn at_page_top(&self) -> bool {
        self.y <= MARGIN
    }

    fn mark(&mut self, mark: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(mark);
        }
    }

    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.glyphs.advance(c) * size).sum()
    }

    fn lines(&self, text: &str, width: f32, size: f32) -> Vec<String> {
        wrap(text, width, |c| self.glyphs.advance(c) * size)
            .into_iter()
            .map(|range| text[range].to_owned())
            .collect()
    }

    /// A line of text in a line box whose top is `top`, centred vertically on the face's own extent.
    fn text(&mut self, x: f32, top: f32, size: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        let extent = (self.glyphs.ascent - self.glyphs.descent) * size;
        let baseline = top + (size * LEADING - extent) / 2.0 + self.glyphs.ascent * size;
        self.mark(Mark::Text {
            x,
            baseline,
            size,
            text: text.to_owned(),
        });
    }

    fn title(&mut self, title: &str) {
        for line in self.lines(title, CONTENT_WIDTH, TITLE_SIZE) {
            let x = MARGIN + (CONTENT_WIDTH - self.width(&line, TITLE_SIZE)) / 2.0;
            self.text(x, self.y, TITLE_SIZE, &line);
            self.y += TITLE_SIZE * LEADING;
        }
        self.y += BLOCK_GAP;
    }

    fn paragraph(&mut self, text: &str) {
        let height = BODY_SIZE * LEADING;
        for line in self.lines(text, CONTENT_WIDTH, BODY_SIZE) {
            if self.room() < height {
                self.new_page();
            }
            self.text(MARGIN, self.y, BODY_SIZE, &line);
            self.y += height;
        }
    }

    fn table(&mut self, table: &Table) -> Result<(), PdfError> {
        let columns = table.widths.len();
        for row in table.header.iter().chain(&table.rows) {
            if row.len() != columns {
                return Err(PdfError::RaggedTable {
                    columns,
                    found: row.len(),
                });
            }
        }
        let total: f32 = table.widths.iter().map(|w| w.max(0.0)).sum();
        if columns == 0 || total <= 0.0 {
            return Ok(());
        }
        let mut lefts = Vec::with_capacity(columns);
        let mut x = MARGIN;
        let widths: Vec<f32> = table
            .widths
            .iter()
            .map(|w| {
                lefts.push(x);
                let width = w.max(0.0) / total * CONTENT_WIDTH;
                x += width;
                width
            })
            .collect();
        let grid = Grid {
            lefts,
            widths,
            label_column: table.label_column,
        };
        let header = table.header.as_ref().map(|cells| self.cells(&grid, cells));
        let header_height = header.as_ref().map_or(0.0, |cells| row_height(cells));
        // The page the header was last drawn on.
        let mut header_page = None;
        for row in &table.rows {
            let mut cells = self.cells(&grid, row);
            loop {
                let header_here = header.is_some() && header_page != Some(self.pages.len());
                let above = if header_here { header_height } else { 0.0 };
                let height = row_height(&cells);
                let fits_here = above + height <= self.room();
                let fits_a_page = header_height + height <= CONTENT_HEIGHT;
                let lines_here =
                    ((self.room() - above - 2.0 * CELL_PADDING) / line_height()).floor();
                if !fits_here && !self.at_page_top() && (fits_a_page || lines_here < 1.0) {
                    self.new_page();
                    continue;
                }
                if let (true, Some(header)) = (header_here, &header) {
                    self.row(&grid, header, true);
                    header_page = Some(self.pages.len());
                }
                if fits_here {
                    self.row(&grid, &cells, false);
                    break;
                }
                // Taller than a page: as many lines as fit here (at least one), the rest on the next.
                let fit = if lines_here >= 1.0 {
                    lines_here as usize
                } else {
                    1
                };
                let rest: Vec<Vec<String>> = cells
                    .iter_mut()
                    .map(|lines| lines.split_off(fit.min(lines.len())))
                    .collect();
                self.row(&grid, &cells, false);
                cells = rest;
                self.new_page();
            }
        }
        Ok(())
    }

    fn cells(&self, grid: &Grid, row: &[String]) -> Vec<Vec<String>> {
        row.iter()
            .zip(&grid.widths)
            .map(|(text, width)| self.lines(text, width - 2.0 * CELL_PADDING, BODY_SIZE))
            .collect()
    }

    fn row(&mut self, grid: &Grid, cells: &[Vec<String>], header: bool) {
        let height = row_height(cells);
        for (column, lines) in cells.iter().enumerate() {
            let area = Area {
                x: grid.lefts[column],
                y: self.y,
                width: grid.widths[column],
                height,
            };
            if header || grid.label_column && column == 0 {
                self.mark(Mark::Shade(area));
            }
            self.mark(Mark::Frame(area));
            for (number, line) in lines.iter().enumerate() {
                let top = self.y + CELL_PADDING + number as f32 * line_height();
                self.text(area.x + CELL_PADDING, top, BODY_SIZE, line);
            }
        }
        self.y += height;
    }
}

/// A table's columns on the page.
struct Grid {
    lefts: Vec<f32>,
    widths: Vec<f32>,
    label_column: bool,
}

fn line_height() -> f32 {
    BODY_SIZE * LEADING
}

fn row_height(cells: &[Vec<String>]) -> f32 {
    let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    lines as f32 * line_height() + 2.0 * CELL_PADDING
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Every character one em wide, as a Japanese face draws kanji and kana.
    fn square_glyphs() -> Glyphs {
        Glyphs {
            known: HashMap::new(),
            missing_advance: 1.0,
            ascent: 0.88,
            descent: -0.12,
        }
    }

    fn texts(page: &[Mark]) -> Vec<&str> {
        page.iter()
            .filter_map(|mark| match mark {
                Mark::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    fn table(rows: usize) -> Table {
        Table {
            widths: vec![1.0, 2.0],
            header: Some(vec!["項目".into(), "内容".into()]),
            label_column: true,
            rows: (0..rows)
                .map(|n| vec![format!("項目{n}"), format!("内容{n}")])
                .collect(),
        }
    }

    #[test]
    fn text_stays_inside_the_margins() {
        let document = Document {
            title: "電子証明書更新確認".into(),
            blocks: vec![Block::Paragraph("確認".repeat(200))],
        };
        let pages = lay_out(&document, &square_glyphs()).unwrap();
        for mark in &pages[0] {
            if let Mark::Text { x, size, text, .. } = mark {
                let right = x + text.chars().count() as f32 * size;
                assert!(
                    *x >= MARGIN && right <= PAGE_WIDTH - MARGIN + 0.01,
                    "{text}"
                );
            }
        }
        // The title is centred.
        let Mark::Text { x, .. } = &pages[0][0] else {
            panic!("the title comes first")
        };
        let title_width = 9.0 * TITLE_SIZE;
        assert!((x - (PAGE_WIDTH - title_width) / 2.0).abs() < 0.01);
    }

    #[test]
    fn a_long_table_continues_on_the_next_page_under_its_header() {
        let document = Document {
            title: "更新完了".into(),
            blocks: vec![Block::Table(table(80))],
        };
        let pages = lay_out(&document, &square_glyphs()).unwrap();
        assert!(pages.len() >= 2, "{} pages", pages.len());
        for page in &pages {
            let texts = texts(page);
            let header = texts.iter().position(|t| *t == "項目").unwrap();
            assert_eq!(texts[header + 1], "内容");
        }
        // Every row once, in order, none lost at a page break.
        let all: Vec<&str> = pages.iter().flat_map(|page| texts(page)).collect();
        let rows: Vec<&str> = all
            .iter()
            .copied()
            .filter(|t| t.starts_with("項目") && *t != "項目")
            .collect();
        let expected: Vec<String> = (0..80).map(|n| format!("項目{n}")).collect();
        assert_eq!(rows, expected);
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_not_lost() {
        let mut long = table(0);
        long.rows.push(vec!["長い".into(), "行".repeat(30 * 70)]);
        let document = Document {
            title: "長い表".into(),
            blocks: vec![Block::Table(long)],
        };
        let pages = lay_out(&document, &square_glyphs()).unwrap();
        assert!(pages.len() >= 2);
        let drawn: usize = pages
            .iter()
            .flat_map(|page| texts(page))
            .filter(|t| t.starts_with('行'))
            .map(|t| t.chars().count())
            .sum();
        assert_eq!(drawn, 30 * 70);
        for page in &pages {
            for mark in page {
                if let Mark::Frame(area) = mark {
                    assert!(area.y + area.height <= PAGE_HEIGHT - MARGIN + 0.01);
                }
            }
        }
    }

    #[test]
    fn a_ragged_table_is_refused() {
        let mut ragged = table(1);
        ragged.rows.push(vec!["一つだけ".into()]);
        let document = Document {
            title: String::new(),
            blocks: vec![Block::Table(ragged)],
        };
        assert!(matches!(
            lay_out(&document, &square_glyphs()),
            Err(PdfError::RaggedTable {
                columns: 2,
                found: 1
            })
        ));
    }
}
