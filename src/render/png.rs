//! SVG → PNG through resvg, with the shipped font (DejaVu Sans, in `assets/fonts/`) loaded
//! explicitly, so text renders the same on a machine with no fonts installed. System fonts
//! are never consulted: the output depends only on the SVG.

use crate::error::{Error, Result};
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(REGULAR.to_vec());
        db.load_font_data(BOLD.to_vec());
        db.set_sans_serif_family(super::style::FONT_FAMILY);
        db.set_serif_family(super::style::FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG document at its own size (1 px per SVG unit) to PNG bytes.
///
/// # Examples
/// ```
/// let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">
///   <text x="2" y="15" font-size="12">Ворух</text></svg>"#;
/// let png = bordermap::render::svg_to_png(svg).unwrap();
/// assert_eq!(&png[1..4], b"PNG");
/// ```
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    let opt = usvg::Options {
        font_family: super::style::FONT_FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt)
        .map_err(|e| Error::Output(format!("the SVG could not be read for PNG output: {e}")))?;
    let size = tree.size().to_int_size();
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| {
        Error::Output(format!(
            "cannot make a {}×{} px image",
            size.width(),
            size.height()
        ))
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| Error::Output(format!("PNG encoding failed: {e}")))
}
