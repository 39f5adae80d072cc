//! SVG → PNG through resvg (and → PDF through svg2pdf, in [`svg_to_pdf`]), with the shipped font (DejaVu Sans, in `assets/fonts/`) loaded
//! explicitly, so text renders the same on a machine with no fonts installed. System fonts
//! are never consulted: the output depends only on the SVG.

use crate::error::{Error, Result};
use resvg::{tiny_skia, usvg};
use std::sync::{Arc, OnceLock};

/// The shipped regular font.
pub const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The shipped bold font.
pub const BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The largest PNG side, px: `--dpi` cannot ask for an image that no viewer opens.
pub const MAX_PNG_SIDE: u32 = 30_000;

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

/// Rasterises an SVG document at its own size (1 px per SVG unit, 96 dpi) to PNG bytes.
///
/// # Examples
/// ```
/// let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">
///   <text x="2" y="15" font-size="12">Ворух</text></svg>"#;
/// let png = bordermap::render::svg_to_png(svg).unwrap();
/// assert_eq!(&png[1..4], b"PNG");
/// ```
pub fn svg_to_png(svg: &str) -> Result<Vec<u8>> {
    svg_to_png_at(svg, 96.0)
}

/// Rasterises an SVG document to PNG bytes at `dpi` dots per inch (96 = 1 px per SVG unit;
/// 300 for print). An image larger than [`MAX_PNG_SIDE`] on a side, or a degenerate one, is
/// an error, never a panic.
///
/// # Examples
/// ```
/// let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"/>"#;
/// let png = bordermap::render::png::svg_to_png_at(svg, 192.0).unwrap();
/// // The PNG header's width field: twice the SVG's 40 units.
/// assert_eq!(u32::from_be_bytes([png[16], png[17], png[18], png[19]]), 80);
/// ```
pub fn svg_to_png_at(svg: &str, dpi: f64) -> Result<Vec<u8>> {
    let opt = usvg::Options {
        font_family: super::style::FONT_FAMILY.to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt)
        .map_err(|e| Error::Output(format!("the SVG could not be read for PNG output: {e}")))?;
    let scale = dpi / 96.0;
    let (w, h) = (
        f64::from(tree.size().width()) * scale,
        f64::from(tree.size().height()) * scale,
    );
    let fits = |x: f64| x.is_finite() && x >= 1.0 && x <= f64::from(MAX_PNG_SIDE);
    if !(fits(w) && fits(h)) {
        return Err(Error::Output(format!(
            "cannot make a {w:.0}×{h:.0} px image at {dpi} dpi: each side must be 1 to {MAX_PNG_SIDE} px; choose a smaller --dpi or --width"
        )));
    }
    let mut pixmap = tiny_skia::Pixmap::new(w.ceil() as u32, h.ceil() as u32)
        .ok_or_else(|| Error::Output(format!("cannot make a {w:.0}×{h:.0} px image")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let t = tiny_skia::Transform::from_scale(scale as f32, scale as f32);
    resvg::render(&tree, t, &mut pixmap.as_mut());
    pixmap
        .encode_png()
        .map_err(|e| Error::Output(format!("PNG encoding failed: {e}")))
}

/// Converts an SVG document to a vector PDF with real, selectable text in the shipped font
/// (embedded, subset), one page the size of the map: for print and for layout in InDesign.
///
/// # Examples
/// ```
/// let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40">
///   <text x="2" y="20" font-size="12" font-family="DejaVu Sans">Vorukh</text></svg>"#;
/// let pdf = bordermap::render::png::svg_to_pdf(svg).unwrap();
/// assert!(pdf.starts_with(b"%PDF-"));
/// ```
pub fn svg_to_pdf(svg: &str) -> Result<Vec<u8>> {
    use svg2pdf::usvg as pusvg;
    let mut opt = pusvg::Options {
        font_family: super::style::FONT_FAMILY.to_string(),
        ..pusvg::Options::default()
    };
    let db = opt.fontdb_mut();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    db.set_sans_serif_family(super::style::FONT_FAMILY);
    let tree = pusvg::Tree::from_str(svg, &opt)
        .map_err(|e| Error::Output(format!("the SVG could not be read for PDF output: {e}")))?;
    svg2pdf::to_pdf(
        &tree,
        svg2pdf::ConversionOptions::default(),
        svg2pdf::PageOptions::default(),
    )
    .map_err(|e| Error::Output(format!("PDF conversion failed: {e}")))
}
