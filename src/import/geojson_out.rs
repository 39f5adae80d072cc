//! The GeoJSON of imported records, written a block at a time as the import makes them: the
//! columns of `bordermap build` (with the border analytics), then the `src_*` columns. A
//! large import is never held whole, as records or as text; the collection's `bbox`, known
//! only at the end, is its last member (RFC 7946 §5 puts no order on members).

use super::Record;
use crate::border::Layers;
use crate::error::{Error, Result};
use crate::gazetteer::Gazetteer;
use crate::geojson_io::{bbox_of_positions, collection_head, collection_tail, feature_separator};
use crate::model::LonLat;
use crate::schema::{Settlements, add_border_properties, incident_feature_with};
use rayon::prelude::*;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Records per thread and block of [`RecordsWriter::write`].
pub const WRITE_BLOCK: usize = 2048;

/// Writes records as one GeoJSON FeatureCollection; the features of a block are made on
/// every core and written in order, so the same records give the same bytes however they
/// are split into blocks.
///
/// # Examples
/// ```
/// use bordermap::import::{Options, RecordsWriter, import_text};
/// let g = bordermap::Gazetteer::default();
/// let text = "name,lat,lon,date\nclash,39.85,70.58,2022-09-16\n";
/// let imported = import_text("t.csv".as_ref(), text, &Options::default(), &g).unwrap();
/// let mut out = Vec::new();
/// let mut w = RecordsWriter::new(&g, &mut out).unwrap();
/// w.write(&imported.records).unwrap();
/// w.finish().unwrap();
/// let fc: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(fc["features"][0]["geometry"]["coordinates"][0], 70.58);
/// assert_eq!(fc["bbox"], serde_json::json!([70.58, 39.85, 70.58, 39.85]));
/// ```
pub struct RecordsWriter<'g, 'w> {
    w: BufWriter<&'w mut dyn Write>,
    layers: Layers,
    settlements: Settlements<'g>,
    positions: Vec<LonLat>,
    written: usize,
    /// The collection's head is written with the first block (or by `finish`), so that an
    /// import refused as a whole writes nothing, not even to stdout.
    started: bool,
    /// The output's name in errors.
    name: PathBuf,
}

impl<'g, 'w> RecordsWriter<'g, 'w> {
    /// A writer of one collection to `w` (nothing is written before the first block);
    /// `gazetteer` names the settlement nearest to given coordinates.
    pub fn new(gazetteer: &'g Gazetteer, w: &'w mut dyn Write) -> Result<Self> {
        Ok(RecordsWriter {
            w: BufWriter::with_capacity(1 << 16, w),
            layers: Layers::shipped()?,
            settlements: Settlements::new(gazetteer),
            positions: Vec::new(),
            written: 0,
            started: false,
            name: PathBuf::from("<output>"),
        })
    }

    /// Names the output in errors (`<stdout>`, a file): a closed pipe or a full disk is then
    /// reported as any other write to it is.
    pub fn named(mut self, name: &Path) -> Self {
        self.name = name.to_path_buf();
        self
    }

    fn failed(&self, e: std::io::Error) -> Error {
        Error::io(self.name.clone(), e)
    }

    fn start(&mut self) -> Result<()> {
        if !self.started {
            self.started = true;
            if let Err(e) = self.w.write_all(collection_head(None).as_bytes()) {
                return Err(self.failed(e));
            }
        }
        Ok(())
    }

    /// Writes the features of `records`, after those already written.
    pub fn write(&mut self, records: &[Record]) -> Result<()> {
        self.start()?;
        let (layers, settlements) = (&self.layers, &self.settlements);
        // One block of features as text, the first being feature `first` of the file.
        let block = |first: usize, chunk: &[Record]| -> Vec<u8> {
            let mut buf = Vec::with_capacity(chunk.len() * 4096);
            for (k, r) in chunk.iter().enumerate() {
                // One map per feature: the incident's columns, the border's, then `src_*`.
                let f = incident_feature_with(&r.geocoded, &r.sources, |props| {
                    add_border_properties(props, layers, settlements, &r.geocoded);
                    for (key, value) in r.extra.iter() {
                        props.insert(key.clone(), value);
                    }
                });
                buf.extend_from_slice(feature_separator(first + k));
                // Serialising a Value into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut buf, &f);
            }
            buf
        };
        let base = self.written;
        // Rayon's threads live for the whole run, so each keeps its heap warm between
        // blocks (threads spawned per block would fault in fresh pages every time).
        let parts: Vec<Vec<u8>> = records
            .par_chunks(WRITE_BLOCK)
            .enumerate()
            .map(|(c, chunk)| block(base + c * WRITE_BLOCK, chunk))
            .collect();
        for part in parts {
            if let Err(e) = self.w.write_all(&part) {
                return Err(self.failed(e));
            }
        }
        self.written += records.len();
        self.positions.extend(
            records
                .iter()
                .filter_map(|r| r.geocoded.location.as_ref().map(|l| l.position)),
        );
        Ok(())
    }

    /// Ends the collection with the `bbox` of every position written.
    pub fn finish(mut self) -> Result<()> {
        self.start()?;
        let bbox = bbox_of_positions(self.positions.drain(..));
        let written = self
            .w
            .write_all(collection_tail(bbox).as_bytes())
            .and_then(|()| self.w.flush());
        written.map_err(|e| self.failed(e))
    }
}
