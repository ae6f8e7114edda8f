//! What a document says, without how it looks: a title and blocks of text and tables. The layout
//! (A4 portrait, margins, sizes, wrapping, page breaks) is this crate's alone, so every paper looks alike.

/// One document: its title (first on the first page, and the PDF's title) and its blocks in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A part of the page flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Wrapped to the page's width; a `\n` starts a new line.
    Paragraph(String),
    Table(Table),
}

/// A table of text columns, each cell wrapped within its column.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The columns' relative widths: `[1.0, 2.0, 2.0]` gives the first column a fifth of the page's width.
    pub widths: Vec<f32>,
    /// A shaded first row, drawn again at the top of each page the table continues on.
    pub header: Option<Vec<String>>,
    /// Whether the first column holds the rows' labels (shaded, as the header).
    pub label_column: bool,
    pub rows: Vec<Vec<String>>,
}
