//! Incidents from a FlatGeobuf file: every feature, or only those in some lon/lat boxes,
//! found through the file's packed Hilbert R-tree without reading the rest of it.
//!
//! A radius or area question about a FlatGeobuf file then reads the index nodes on the way
//! down to the features it needs, and those features: a file far larger than memory (or
//! than `--max-input-mb`) can be asked about. [`FgbFile::read_all`] reads every feature, for
//! the commands that need them all, and is held to the size cap like any other input.
//!
//! The file is a local one ([`FgbFile::open`]) or one on a web server
//! ([`FgbFile::open_url`]), whose bytes come by HTTP range requests ([`crate::remote`]); the
//! features a question found are announced before they are read, so that a web server is
//! asked for them in few requests.
//!
//! The `flatgeobuf` crate reads and verifies the header and each feature (FlatBuffers). Two
//! things are done here rather than by its reader, which trusts the file: the index search
//! (the crate's follows node offsets as the file gives them, so a damaged index can make it
//! panic or allocate without bound, and its `select_bbox` assumes nodes of 16 entries
//! whatever the header says) and the decoding of the properties (the crate's slices the
//! bytes without checking their length). Here every offset and length is checked, and a
//! damaged file is an error naming the file, the feature and what is wrong.
//!
//! What is read:
//! - **Geometry**: Points, longitude and latitude on WGS84. A file in another coordinate
//!   system is refused (reproject it first); a feature without a geometry, or with an empty
//!   one, is an incident without a position, as `geometry: null` is in GeoJSON.
//! - **Id**: the `id` column (text or a number) when the feature has one, else the feature's
//!   place in the file (0, 1, …), as in GeoJSON.
//! - **Properties**: every column (`id` too), in the header's order, a JSON value: integers
//!   and numbers as numbers, booleans, text and DateTime as strings, a Json column as the
//!   JSON it holds, and null where the feature gives no value (FlatGeobuf writes a null as
//!   nothing). No value is lost: a non-finite number (which JSON cannot hold) is kept as its
//!   text (`"NaN"`), and binary as `0x` and its bytes in hexadecimal.
//!
//! | file | what it owns |
//! |---|---|
//! | `mod.rs` | [`FgbFile`]: opening a file or a URL, the header, reading features whole or by region |
//! | `rtree.rs` | the packed Hilbert R-tree: its levels, and the search by boxes |
//! | `properties.rs` | decoding a feature's properties into JSON values |

mod properties;
mod rtree;

use crate::error::{Diagnostic, Error, Result, Severity};
use crate::geojson_io::{PointFeature, Properties};
use crate::model::LonLat;
use crate::region::{Region, in_boxes, radius_holding};
use crate::remote::RemoteFile;
use flatgeobuf::{ColumnType, GeometryType};
use properties::decode_properties;
use rtree::{Found, NODE_BYTES, level_bounds};
use serde_json::{Map, Value};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The box of the whole globe, `[west, south, east, north]`.
/// Features read before they are decoded together on all cores.
const DECODED_AT_ONCE: usize = 1 << 14;

/// Whether `path` is a FlatGeobuf file (see [`has_magic`]). A file that cannot be read is
/// not.
///
/// # Examples
/// ```
/// use std::path::Path;
/// assert!(!bordermap::fgb_input::is_flatgeobuf(Path::new("geodata/incidents.toml")));
/// ```
pub fn is_flatgeobuf(path: &Path) -> bool {
    let mut magic = [0u8; 8];
    File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .is_ok_and(|()| has_magic(&magic))
}

/// Whether `bytes` start as a FlatGeobuf file does: `fgb`, the major version (3 or
/// earlier), `fgb` and the patch version.
///
/// # Examples
/// ```
/// use bordermap::fgb_input::has_magic;
/// assert!(has_magic(b"fgb\x03fgb\x01rest of the file")); // as GDAL writes it
/// assert!(!has_magic(b"fgb\x04fgb\x00") && !has_magic(b"{\"type\""));
/// ```
pub fn has_magic(bytes: &[u8]) -> bool {
    bytes.len() >= 8
        && bytes[..3] == *b"fgb"
        && bytes[3] <= flatgeobuf::VERSION
        && bytes[4..7] == *b"fgb"
}

/// Where the bytes of a FlatGeobuf file come from: a local file, or a file on a web server
/// read by HTTP range requests ([`RemoteFile`]).
trait Source: Read + Seek + Send + Sync {
    /// Told which byte ranges (`[start, end)`) will be read next, in order: a file on a web
    /// server asks for them in few requests; a local file has nothing to do.
    fn will_read(&mut self, _ranges: &[(u64, u64)]) -> std::io::Result<()> {
        Ok(())
    }
}

impl Source for File {}

impl Source for std::io::Cursor<Arc<[u8]>> {}

impl Source for RemoteFile {
    fn will_read(&mut self, ranges: &[(u64, u64)]) -> std::io::Result<()> {
        self.prefetch(ranges)
    }
}

/// Features closer than this (bytes between the end of one and the start of the next) are
/// asked of a web server in one range.
const NEAR_FEATURES: u64 = 64 << 10;

/// Bytes after the start of the last feature of a range that are read with it: enough for
/// any feature bordermap writes (a point and its properties), and a request cut short reads
/// the rest.
const FEATURE_BYTES: u64 = 16 << 10;

/// What a URL given as an input holds (see [`FgbFile::open_url_input`]).
pub enum UrlInput {
    /// A FlatGeobuf file, read with range requests or downloaded whole (its note comes from
    /// [`FgbFile::download_note`]).
    Fgb(FgbFile),
    /// Another format, downloaded whole: its bytes, and the note of the download.
    Whole(Vec<u8>, Diagnostic),
}

/// An open FlatGeobuf file of points, its header read and checked.
pub struct FgbFile {
    /// The file's path, or its URL.
    path: PathBuf,
    reader: BufReader<Box<dyn Source>>,
    /// A second handle on the file for the index's nodes, read a node at a time, so that
    /// the searches leave the features' buffer alone.
    nodes: Box<dyn Source>,
    /// The requests and bytes of a file on a web server.
    remote: Option<RemoteFile>,
    /// For a file on a web server downloaded whole (it does not answer range requests), the
    /// bytes the server sent (fewer than the file's when it compressed them).
    downloaded: Option<u64>,
    /// Where the reader is (bytes from the start of the file).
    at: u64,
    len: u64,
    /// Features according to the header (0: not given).
    count: u64,
    /// Entries per node of the index; 0 when the file has no index.
    node_size: u16,
    index_start: u64,
    features_start: u64,
    geometry_type: GeometryType,
    columns: Vec<(String, ColumnType)>,
    /// Which of `columns` is `id`.
    id_column: Option<usize>,
}

impl FgbFile {
    /// Opens `path` and reads its header: the geometry type, the coordinate system, the
    /// columns and the index. A file that is not FlatGeobuf, not of points or not in
    /// longitude and latitude on WGS84 is an error that says so.
    ///
    /// # Examples
    /// ```
    /// use std::path::Path;
    /// let e = bordermap::fgb_input::FgbFile::open(Path::new("geodata/incidents.toml")).err().unwrap();
    /// assert!(e.to_string().contains("not a FlatGeobuf file"), "{e}");
    /// ```
    pub fn open(path: &Path) -> Result<Self> {
        let io = |e| Error::io(path, e);
        let file = File::open(path).map_err(io)?;
        let meta = file.metadata().map_err(io)?;
        if meta.is_dir() {
            return Err(Error::record(path, "input", "is a directory, not a file"));
        }
        crate::output::note_input(path, &meta);
        let nodes = File::open(path).map_err(io)?;
        Self::from_source(path, Box::new(file), Box::new(nodes), meta.len(), None)
    }

    /// Opens the FlatGeobuf file at `url` (`http://` or `https://`) and reads its header, as
    /// [`open`](Self::open) does, with HTTP range requests ([`crate::remote`]): a question
    /// through its index then downloads the header, the index nodes on the way down and the
    /// features found, not the whole file. An error names the URL.
    ///
    /// # Examples
    /// ```
    /// let e = bordermap::fgb_input::FgbFile::open_url("http://127.0.0.1:9/a.fgb").err().unwrap();
    /// assert!(e.to_string().contains("http://127.0.0.1:9/a.fgb"), "{e}");
    /// ```
    pub fn open_url(url: &str) -> Result<Self> {
        Self::open_remote(url, RemoteFile::open(url)?)
    }

    fn open_remote(url: &str, file: RemoteFile) -> Result<Self> {
        let (nodes, len) = (file.another(), file.len());
        let counts = file.another();
        Self::from_source(
            Path::new(url),
            Box::new(file),
            Box::new(nodes),
            len,
            Some(counts),
        )
    }

    /// Opens the file at `url` as an input: a FlatGeobuf file on a server that answers range
    /// requests is opened as [`open_url`](Self::open_url) opens it, and read a range at a
    /// time; anything else is downloaded whole ([`crate::remote::download`], at most `cap`
    /// bytes): a FlatGeobuf file then read from memory, or the bytes of another format (a
    /// GeoJSON file) for the caller to read, with a note of the download. An error names
    /// the URL.
    ///
    /// # Examples
    /// ```
    /// let e = bordermap::fgb_input::FgbFile::open_url_input("http://127.0.0.1:9/a.geojson", 1 << 20).err().unwrap();
    /// assert!(e.to_string().starts_with("http://127.0.0.1:9/a.geojson: "), "{e}");
    /// ```
    pub fn open_url_input(url: &str, cap: u64) -> Result<UrlInput> {
        match RemoteFile::open(url) {
            Ok(file) => {
                let mut magic = [0u8; 8];
                let fgb = file.another().read_exact(&mut magic).is_ok() && has_magic(&magic);
                if fgb {
                    return Self::open_remote(url, file).map(UrlInput::Fgb);
                }
            }
            Err(e) if crate::remote::ranges_unsupported(&e) => {}
            Err(e) => return Err(e),
        }
        let download = crate::remote::download(url, cap)?;
        if !has_magic(&download.bytes) {
            let note = download.note(url);
            return Ok(UrlInput::Whole(download.bytes, note));
        }
        let sent = download.sent;
        let bytes: Arc<[u8]> = download.bytes.into();
        let len = bytes.len() as u64;
        let (file, nodes) = (
            std::io::Cursor::new(Arc::clone(&bytes)),
            std::io::Cursor::new(bytes),
        );
        let mut fgb =
            Self::from_source(Path::new(url), Box::new(file), Box::new(nodes), len, None)?;
        fgb.downloaded = Some(sent);
        Ok(UrlInput::Fgb(fgb))
    }

    /// The features in `regions` (see [`read_regions`](Self::read_regions)), or all of them
    /// within `cap` bytes when there are none (see [`read_all`](Self::read_all)).
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-read.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// let all = FgbFile::open(&path).unwrap().read(None, u64::MAX, false).unwrap();
    /// assert_eq!(all.len(), shipped.iter().filter(|f| f.position.is_some()).count());
    /// ```
    pub fn read(
        &mut self,
        regions: Option<&[Region]>,
        cap: u64,
        properties: bool,
    ) -> Result<Vec<PointFeature>> {
        match regions {
            None => self.read_all(cap, properties),
            Some(regions) => self.read_regions(regions, properties),
        }
    }

    /// The requests made and the bytes received so far, for a file on a web server.
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-transferred.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// assert_eq!(FgbFile::open(&path).unwrap().transferred(), None); // a local file
    /// ```
    pub fn transferred(&self) -> Option<(u64, u64)> {
        self.remote.as_ref().map(RemoteFile::transferred)
    }

    /// For a file on a web server, a note of how much of it was downloaded so far: "read
    /// BYTES of its LENGTH bytes in N HTTP range request(s)", or "downloaded LENGTH bytes"
    /// (and how many came gzip-compressed) when the server sent it whole.
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-download-note.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// assert!(FgbFile::open(&path).unwrap().download_note().is_none()); // a local file
    /// ```
    pub fn download_note(&self) -> Option<Diagnostic> {
        if let Some(sent) = self.downloaded {
            return Some(crate::remote::download_note(
                &self.path.to_string_lossy(),
                self.len,
                sent,
            ));
        }
        let (requests, bytes) = self.transferred()?;
        Some(Diagnostic {
            severity: Severity::Note,
            kind: "http_ranges",
            location: self.path.display().to_string(),
            message: format!(
                "read {bytes} of its {} bytes in {requests} HTTP range request(s)",
                self.len
            ),
        })
    }

    /// The file's length in bytes.
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-len.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// let file = FgbFile::open(&path).unwrap();
    /// assert_eq!(file.len(), std::fs::metadata(&path).unwrap().len());
    /// assert!(!file.is_empty()); // an empty file is not FlatGeobuf, and does not open
    /// ```
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file has no bytes (never, for a file that opened: see [`len`](Self::len)).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Reads the header from `file` (of `len` bytes, named `path`); `nodes` is a second
    /// handle on it.
    fn from_source(
        path: &Path,
        file: Box<dyn Source>,
        nodes: Box<dyn Source>,
        len: u64,
        remote: Option<RemoteFile>,
    ) -> Result<Self> {
        let io = |e| Error::io(path, e);
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let header_error = |m: String| Error::record(path, "header", m);
        let fgb = flatgeobuf::FgbReader::open(&mut reader).map_err(|e| match e {
            flatgeobuf::Error::MissingMagicBytes => {
                header_error("not a FlatGeobuf file (its first bytes are not \"fgb\")".into())
            }
            flatgeobuf::Error::IO(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                header_error("the file ends inside the FlatGeobuf header".into())
            }
            flatgeobuf::Error::IO(e) => Error::io(path, e),
            e => header_error(format!("unreadable FlatGeobuf header: {e}")),
        })?;
        let header = fgb.header();
        let geometry_type = header.geometry_type();
        if geometry_type != GeometryType::Point && geometry_type != GeometryType::Unknown {
            return Err(header_error(format!(
                "the features are {}; bordermap reads points",
                geometry_name(geometry_type)
            )));
        }
        if let Some(crs) = header.crs() {
            let org = crs.org().unwrap_or("EPSG");
            let lonlat = (org.eq_ignore_ascii_case("EPSG") && matches!(crs.code(), 0 | 4326))
                || crs.code_string().is_some_and(|c| c.contains("CRS84"));
            if !lonlat {
                return Err(header_error(format!(
                    "coordinates in {org}:{}; bordermap reads longitude and latitude on WGS84 \
                     (EPSG:4326): reproject the file first (for example `ogr2ogr -t_srs \
                     EPSG:4326 out.fgb in.fgb`)",
                    crs.code()
                )));
            }
        }
        let columns: Vec<(String, ColumnType)> = header
            .columns()
            .map(|cs| {
                cs.iter()
                    .map(|c| (c.name().to_string(), c.type_()))
                    .collect()
            })
            .unwrap_or_default();
        let (count, node_size) = (header.features_count(), header.index_node_size());
        drop(fgb);
        let index_start = reader.stream_position().map_err(io)?;
        let index_bytes = match (node_size, count) {
            (0, _) | (_, 0) => 0,
            (1, _) => {
                return Err(header_error(
                    "the index has nodes of 1 entry; FlatGeobuf needs at least 2".into(),
                ));
            }
            _ if count > len / NODE_BYTES => {
                return Err(header_error(format!(
                    "the header gives {count} features, but the file ({len} bytes) is too \
                     short for their index"
                )));
            }
            _ => level_bounds(count, node_size)[0].1 * NODE_BYTES,
        };
        let features_start = index_start + index_bytes;
        if features_start > len {
            return Err(header_error(format!(
                "the file ({len} bytes) ends inside the index, which runs to byte {features_start}"
            )));
        }
        Ok(FgbFile {
            path: path.to_path_buf(),
            reader,
            nodes,
            remote,
            downloaded: None,
            at: index_start,
            len,
            count,
            node_size: if index_bytes == 0 { 0 } else { node_size },
            index_start,
            features_start,
            geometry_type,
            id_column: columns.iter().position(|(name, _)| name == "id"),
            columns,
        })
    }

    /// Whether the file has a spatial index (without one, a box is found by reading every
    /// feature).
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-indexed.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// assert!(FgbFile::open(&path).unwrap().indexed()); // bordermap writes one
    /// ```
    pub fn indexed(&self) -> bool {
        self.node_size > 0
    }

    /// Every feature, in the order of the file. With `properties` false, every feature's
    /// properties are empty (the ids and positions are read as always). A file larger than
    /// `cap` bytes is refused, as every input read whole is.
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-read-all.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// let all = FgbFile::open(&path).unwrap().read_all(1 << 20, true).unwrap();
    /// assert_eq!(all.len(), 13); // the shipped incidents that have a position
    /// let e = FgbFile::open(&path).unwrap().read_all(100, true).unwrap_err();
    /// assert!(e.to_string().contains("over the 100-byte limit"), "{e}");
    /// ```
    pub fn read_all(&mut self, cap: u64, properties: bool) -> Result<Vec<PointFeature>> {
        if self.len > cap {
            return Err(Error::TooLarge {
                path: self.path.clone(),
                size: self.len,
                cap,
            });
        }
        self.scan(properties, &|_, _| true)
    }

    /// The features whose positions lie in any of `boxes` (`[west, south, east, north]`,
    /// degrees, edges included), each once, in the order of the file: through the index when
    /// the file has one (only the nodes on the way and the features found are read), else by
    /// reading every feature and keeping those inside. With `properties` false, every
    /// feature's properties are empty.
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-read-boxes.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// // around Vorukh, 0.1° each way
    /// let near = FgbFile::open(&path).unwrap().read_boxes(&[[70.48, 39.75, 70.68, 39.95]], true).unwrap();
    /// assert!(near.iter().any(|f| f.id == "kgtj-2022-06-03-vorukh"));
    /// assert!(near.len() < 13);
    /// ```
    pub fn read_boxes(
        &mut self,
        boxes: &[[f64; 4]],
        properties: bool,
    ) -> Result<Vec<PointFeature>> {
        if !self.indexed() {
            let inside = |_, p: Option<LonLat>| p.is_some_and(|p| in_boxes(boxes, p));
            return self.scan(properties, &inside);
        }
        let found = self.search(boxes)?;
        // the index's boxes are those the file gives: the positions themselves decide
        let inside = |in_box: usize, p: Option<LonLat>| {
            p.is_some_and(|p| in_boxes(&boxes[in_box..=in_box], p) || in_boxes(boxes, p))
        };
        let mut kept = Kept::default();
        for part in found.chunks(DECODED_AT_ONCE) {
            self.will_read(part)?;
            let mut raw = Vec::with_capacity(part.len());
            for &Found {
                index,
                offset,
                in_box,
            } in part
            {
                raw.push((index, in_box, self.feature_at(index, offset)?.1));
            }
            self.decode_into(&raw, properties, &inside, &mut kept)?;
        }
        kept.finish(&self.path)
    }

    /// Every feature in the order of the file, keeping those whose position `keep` accepts
    /// (given 0 and the position).
    fn scan(
        &mut self,
        properties: bool,
        keep: &(dyn Fn(usize, Option<LonLat>) -> bool + Sync),
    ) -> Result<Vec<PointFeature>> {
        let mut kept = Kept::default();
        let (mut index, mut offset) = (0, 0);
        let mut raw = Vec::new();
        // a file on a web server is downloaded: how far, on a terminal
        let bar = match self.remote {
            Some(_) => crate::progress::bytes_bar(self.len - self.features_start, "downloading"),
            None => indicatif::ProgressBar::hidden(),
        };
        while self.features_start + offset < self.len {
            let (size, buf) = self.feature_at(index, offset)?;
            raw.push((index, 0, buf));
            if raw.len() == DECODED_AT_ONCE {
                self.decode_into(&raw, properties, keep, &mut kept)?;
                raw.clear();
                bar.set_position(offset);
            }
            offset += 4 + u64::from(size);
            index += 1;
        }
        self.decode_into(&raw, properties, keep, &mut kept)?;
        bar.finish_and_clear();
        if self.count != 0 && index != self.count {
            return Err(Error::record(
                &self.path,
                "header",
                format!(
                    "the header gives {} features, but the file holds {index}",
                    self.count
                ),
            ));
        }
        kept.finish(&self.path)
    }

    /// Decodes `raw` features (their number in the file, a hint for `keep` and their bytes)
    /// on all cores and keeps, in order, those whose position `keep` accepts; the first
    /// damaged one is the error.
    fn decode_into(
        &self,
        raw: &[(u64, usize, Vec<u8>)],
        properties: bool,
        keep: &(dyn Fn(usize, Option<LonLat>) -> bool + Sync),
        kept: &mut Kept,
    ) -> Result<()> {
        use rayon::prelude::*;
        let decoded: Vec<Result<_>> = raw
            .par_iter()
            .map(|(index, _, buf)| self.decode(*index, buf, properties))
            .collect();
        for ((index, hint, _), d) in raw.iter().zip(decoded) {
            let Decoded {
                id,
                position,
                properties,
            } = d?;
            if keep(*hint, position) {
                kept.push(*index, id, position, properties);
            }
        }
        Ok(())
    }

    /// The features that the questions about `regions` need, each once, in the order of the
    /// file: [`read_boxes`](Self::read_boxes) of the discs' boxes
    /// ([`disc_boxes`](crate::geodesic::disc_boxes)), of a disc holding the `k` nearest
    /// ([`radius_holding`](Self::radius_holding); the whole globe when the file holds fewer),
    /// and of the boxes, split at the antimeridian.
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// use bordermap::region::Region;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-read-regions.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// let vorukh = bordermap::LonLat::new(70.58, 39.85).unwrap();
    /// let mut file = FgbFile::open(&path).unwrap();
    /// let near = file.read_regions(&[Region::Disc(vorukh, 1_000.0)], false).unwrap(); // metres
    /// assert_eq!(near.len(), 1);
    /// assert!(file.read_regions(&[Region::Nearest(vorukh, 3)], false).unwrap().len() >= 3);
    /// ```
    pub fn read_regions(
        &mut self,
        regions: &[Region],
        properties: bool,
    ) -> Result<Vec<PointFeature>> {
        let boxes = Region::boxes(regions, |center, k| self.radius_holding(center, k))?;
        self.read_boxes(&boxes, properties)
    }

    /// A radius (metres) within which at least `k` features lie around `center`, found by
    /// widening a search through the index; `None` when the file holds fewer than `k`
    /// located features (then the question needs them all).
    ///
    /// # Examples
    /// ```
    /// use bordermap::export::{export, Format};
    /// use bordermap::fgb_input::FgbFile;
    /// let shipped = bordermap::pipeline::load_features(None, 0).unwrap();
    /// let path = std::env::temp_dir().join("bordermap-doc-radius-holding.fgb");
    /// std::fs::write(&path, export(Format::Fgb, &shipped).unwrap().bytes).unwrap();
    /// let vorukh = bordermap::LonLat::new(70.58, 39.85).unwrap();
    /// let mut file = FgbFile::open(&path).unwrap();
    /// let r = file.radius_holding(vorukh, 2).unwrap().unwrap();
    /// assert!(r >= 5_600.0); // metres: the second nearest, in Ak-Sai, is 5.6 km away
    /// assert_eq!(file.radius_holding(vorukh, 14).unwrap(), None); // 13 have a position
    /// ```
    pub fn radius_holding(&mut self, center: LonLat, k: usize) -> Result<Option<f64>> {
        // the header's count includes the features without a position
        if self.count != 0 && self.count < k as u64 {
            return Ok(None);
        }
        radius_holding(center, k, |boxes| {
            let near = self.read_boxes(boxes, false)?;
            Ok(near.into_iter().filter_map(|f| f.position).collect())
        })
    }

    /// Tells the source the byte ranges of `features` (in the order of the file), features
    /// near each other in one range.
    fn will_read(&mut self, features: &[Found]) -> Result<()> {
        let mut ranges: Vec<(u64, u64)> = Vec::new();
        for f in features {
            let start = self.features_start.saturating_add(f.offset);
            let end = start.saturating_add(FEATURE_BYTES).min(self.len);
            match ranges.last_mut() {
                Some(last) if start <= last.1.saturating_add(NEAR_FEATURES) => last.1 = end,
                _ => ranges.push((start, end)),
            }
        }
        ranges.retain(|(start, end)| start < end);
        self.reader
            .get_mut()
            .will_read(&ranges)
            .map_err(|e| Error::io(&self.path, e))
    }

    fn truncated(&self, index: u64, at: u64) -> Error {
        Error::record(
            &self.path,
            format!("feature {index}"),
            format!(
                "the feature at byte {at} runs past the end of the file ({} bytes): is the \
                 file complete?",
                self.len
            ),
        )
    }

    /// The feature at `offset` of the feature section: its size and its bytes, the size
    /// prefix included, checked against the end of the file.
    fn feature_at(&mut self, index: u64, offset: u64) -> Result<(u32, Vec<u8>)> {
        let at = self.features_start.saturating_add(offset);
        if at.saturating_add(4) > self.len {
            return Err(self.truncated(index, at));
        }
        self.seek(at)?;
        let mut prefix = [0u8; 4];
        self.read_exact_here(&mut prefix, "a feature")?;
        let size = u32::from_le_bytes(prefix);
        if at + 4 + u64::from(size) > self.len {
            return Err(self.truncated(index, at));
        }
        let mut buf = vec![0; size as usize + 4];
        buf[..4].copy_from_slice(&prefix);
        self.read_exact_here(&mut buf[4..], "a feature")?;
        Ok((size, buf))
    }

    /// A feature's id, position and properties, from its size-prefixed bytes.
    /// With `properties` false, only the `id` column's value is made (the others are read
    /// past, their lengths checked) and the properties are `None`.
    fn decode(&self, index: u64, buf: &[u8], properties: bool) -> Result<Decoded> {
        let at = |what: String| Error::record(&self.path, format!("feature {index}"), what);
        let feature = flatgeobuf::size_prefixed_root_as_feature(buf)
            .map_err(|e| at(format!("damaged feature: {e}")))?;
        let own_columns: Option<Vec<(String, ColumnType)>> = feature.columns().map(|cs| {
            cs.iter()
                .map(|c| (c.name().to_string(), c.type_()))
                .collect()
        });
        let (columns, id_column) = match own_columns.as_deref() {
            Some(own) => (own, own.iter().position(|(name, _)| name == "id")),
            None => (&self.columns[..], self.id_column),
        };
        let only = if properties { None } else { Some(id_column) };
        // every column, in the header's order: one the feature does not give is null
        let mut values: Vec<Option<Value>> = vec![None; columns.len()];
        let mut given = vec![false; columns.len()];
        if let Some(bytes) = feature.properties() {
            for (column, value) in decode_properties(bytes.bytes(), columns, only).map_err(&at)? {
                if std::mem::replace(&mut given[column], true) {
                    return Err(at(format!(
                        "the column {:?} is given twice",
                        columns[column].0
                    )));
                }
                values[column] = value;
            }
        }
        let id = id_column
            .and_then(|c| values[c].as_ref())
            .and_then(|v| match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
        let props: Option<Map<String, Value>> = properties.then(|| {
            columns
                .iter()
                .zip(values)
                .map(|((name, _), v)| (name.clone(), v.unwrap_or(Value::Null)))
                .collect()
        });
        let id = id.unwrap_or_else(|| index.to_string());
        let at =
            |what: String| Error::record(&self.path, format!("feature {index} (id {id:?})"), what);
        let position = match feature.geometry() {
            None => None,
            Some(g) => {
                let kind = if self.geometry_type == GeometryType::Unknown {
                    g.type_()
                } else {
                    self.geometry_type
                };
                if kind != GeometryType::Point {
                    return Err(at(format!(
                        "a {}; bordermap reads points",
                        geometry_name(kind)
                    )));
                }
                match g.xy() {
                    None => None,
                    Some(xy) if xy.is_empty() => None,
                    Some(xy) if xy.len() == 2 => {
                        Some(LonLat::new(xy.get(0), xy.get(1)).map_err(at)?)
                    }
                    Some(xy) => {
                        return Err(at(format!(
                            "a Point with {} coordinates instead of 2",
                            xy.len()
                        )));
                    }
                }
            }
        };
        Ok(Decoded {
            id,
            position,
            properties: props,
        })
    }

    fn seek(&mut self, to: u64) -> Result<()> {
        let delta = to as i128 - self.at as i128;
        let moved = if (0..1 << 16).contains(&delta) {
            self.reader.seek_relative(delta as i64)
        } else {
            self.reader.seek(SeekFrom::Start(to)).map(|_| ())
        };
        moved.map_err(|e| Error::io(&self.path, e))?;
        self.at = to;
        Ok(())
    }

    fn read_exact_here(&mut self, buf: &mut [u8], what: &str) -> Result<()> {
        self.reader.read_exact(buf).map_err(|e| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                Error::record(
                    &self.path,
                    format!("byte {}", self.at),
                    format!("the file ends inside {what}"),
                )
            } else {
                Error::io(&self.path, e)
            }
        })?;
        self.at += buf.len() as u64;
        Ok(())
    }
}

/// A feature as read: its id, position and (when asked for) properties.
struct Decoded {
    id: String,
    position: Option<LonLat>,
    properties: Option<Map<String, Value>>,
}

/// The features kept so far: their properties in one text, shared once all are read.
#[derive(Default)]
struct Kept {
    features: Vec<PointFeature>,
    indices: Vec<u64>,
    text: String,
    spans: Vec<(usize, usize)>,
}

impl Kept {
    fn push(
        &mut self,
        index: u64,
        id: String,
        position: Option<LonLat>,
        props: Option<Map<String, Value>>,
    ) {
        let span = match props {
            Some(map) if !map.is_empty() => {
                let start = self.text.len();
                self.text.push_str(&Value::Object(map).to_string());
                (start, self.text.len())
            }
            _ => (0, 0),
        };
        self.spans.push(span);
        self.indices.push(index);
        self.features.push(PointFeature {
            id: id.into(),
            position,
            properties: Properties::default(),
        });
    }

    /// The features, their properties set; a repeated id is an error naming the feature.
    fn finish(self, path: &Path) -> Result<Vec<PointFeature>> {
        let Kept {
            mut features,
            indices,
            text,
            spans,
        } = self;
        let mut seen = std::collections::HashSet::with_capacity(features.len());
        for (f, index) in features.iter().zip(&indices) {
            if !seen.insert(f.id.as_str()) {
                return Err(Error::record(
                    path,
                    format!("feature {index} (id {:?})", f.id),
                    format!("duplicate id {:?}: an earlier feature has it too", f.id),
                ));
            }
        }
        drop(seen);
        let text = Arc::new(text);
        for (f, (start, end)) in features.iter_mut().zip(spans) {
            if let Some(p) = Properties::shared(Arc::clone(&text), start, end) {
                f.properties = p;
            }
        }
        Ok(features)
    }
}

fn le8(b: &[u8]) -> [u8; 8] {
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    a
}

fn geometry_name(t: GeometryType) -> String {
    t.variant_name()
        .map_or_else(|| format!("geometry type {}", t.0), str::to_string)
}
