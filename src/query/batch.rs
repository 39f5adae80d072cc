//! Batches of questions: a CSV of query points answered in one pass, row by row.
//!
//! [`read_batch`] reads the queries (`id,lat,lon[,radius_km][,k]`); [`write_batch`] answers
//! them on all cores and writes one CSV row per answer as it goes, formatting the numbers
//! straight into reused byte buffers.

use super::Dataset;
use super::row_text::{Cell, Field, IdsBySlot, push_bearing, push_rounded, push_row};
use crate::error::{Error, Result};
use crate::index::QueryMemory;
use crate::model::LonLat;
use crate::spreadsheet::csv_field;
use std::path::Path;

/// One query of a batch file.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchQuery {
    /// The query id.
    pub id: String,
    /// Where.
    pub position: LonLat,
    /// Radius in metres, if any.
    pub radius_m: Option<f64>,
    /// k, if any.
    pub k: Option<usize>,
}

/// Reads a batch query CSV: columns `id,lat,lon[,radius_km][,k]`; empty cells fall back to
/// the defaults. Errors name the line, the column and the value.
///
/// # Examples
/// ```
/// use std::path::Path;
/// let q = bordermap::query::read_batch(Path::new("q.csv"), "id,lat,lon,radius_km\ns1,39.85,70.58,5\n", None, None).unwrap();
/// assert_eq!(q[0].radius_m, Some(5000.0));
/// let e = bordermap::query::read_batch(Path::new("q.csv"), "id,lat,lon\ns1,91,70\n", None, Some(3)).unwrap_err();
/// assert!(e.to_string().contains("line 2"), "{e}");
/// ```
pub fn read_batch(
    path: &Path,
    text: &str,
    radius_m: Option<f64>,
    k: Option<usize>,
) -> Result<Vec<BatchQuery>> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| Error::record(path, "line 1", e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(ci), Some(clat), Some(clon)) = (col("id"), col("lat"), col("lon")) else {
        return Err(Error::record(
            path,
            "line 1",
            format!(
                "expected columns id,lat,lon[,radius_km][,k]; found {}",
                header.join(",")
            ),
        ));
    };
    let (crad, ck) = (col("radius_km"), col("k"));
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            Error::record(path, format!("line {line}"), e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let at = format!("line {line}");
        let get = |c: usize| rec.get(c).unwrap_or_default();
        let num = |c: usize, name: &str| -> Result<f64> {
            let v = get(c);
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| {
                    Error::record(path, &at, format!("{name} {v:?} is not a finite number"))
                })
        };
        let position = LonLat::new(num(clon, "lon")?, num(clat, "lat")?)
            .map_err(|m| Error::record(path, &at, m))?;
        let radius = match crad.map(get).filter(|v| !v.is_empty()) {
            Some(_) => {
                let km = num(crad.unwrap_or_default(), "radius_km")?;
                if km < 0.0 {
                    return Err(Error::record(
                        path,
                        &at,
                        format!("radius_km {km} is negative"),
                    ));
                }
                Some(km * 1000.0)
            }
            None => radius_m,
        };
        let kk = match ck.map(get).filter(|v| !v.is_empty()) {
            Some(v) => Some(v.parse::<usize>().ok().filter(|k| *k > 0).ok_or_else(|| {
                Error::record(path, &at, format!("k {v:?} is not a whole number ≥ 1"))
            })?),
            None => k,
        };
        if radius.is_none() && kk.is_none() {
            return Err(Error::record(
                path,
                &at,
                "no radius_km or k for this query; add the column or pass --radius-km/--nearest",
            ));
        }
        out.push(BatchQuery {
            id: get(ci).to_string(),
            position,
            radius_m: radius,
            k: kk,
        });
    }
    Ok(out)
}

/// The header of [`answer_batch`]'s CSV.
pub const BATCH_HEADER: &str = "query_id,incident_id,rank,distance_m,bearing_deg\n";

/// Answers a batch: CSV rows `query_id,incident_id,rank,distance_m,bearing_deg` (distances
/// in metres to the millimetre, bearings in degrees to 0.01°), header first.
///
/// See [`write_batch`] for the same text written as it is made.
///
/// # Examples
/// ```
/// use bordermap::query::{Dataset, Filter, answer_batch, read_batch};
/// use std::path::Path;
/// let text = r#"{"type":"FeatureCollection","features":[
///  {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[70.58,39.85]},"properties":{}}]}"#;
/// let d = Dataset::new(bordermap::geojson_io::read_points(Path::new("x"), text).unwrap(), &Filter::default());
/// let q = read_batch(Path::new("q.csv"), "id,lat,lon,radius_km\nq1,39.86,70.58,5\n", None, None).unwrap();
/// let csv = answer_batch(&d, &q);
/// // 1,110.318 m due south
/// assert_eq!(csv.lines().nth(1), Some("q1,b,1,1110.318,180"));
/// ```
pub fn answer_batch(d: &Dataset, queries: &[BatchQuery]) -> String {
    let mut out = Vec::new();
    // writing into a Vec cannot fail, and every row is UTF-8
    let _ = write_batch(d, queries, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`answer_batch`]'s CSV written to `w` as it is made. One worker on each thread of
/// rayon's global pool takes the next query in turn and answers it while this thread writes
/// the answers in query order, so no worker waits for the others between queries: a huge
/// answer holds the rest up only once they are a window of queries (16 per
/// thread) ahead of it. Memory holds that window's rows rather than the whole answer
/// (8.6 million rows, 364 MB, for the benchmark's 1,000 radius queries over a million
/// incidents). Rows are formatted into blocks of 128 KiB that go back to a pool once
/// written, and each worker answers in memory kept from its earlier queries, so that a batch
/// works in pages already in use rather than fresh ones. When writing fails the workers stop
/// and the error is returned. The bytes are those of [`answer_batch`].
///
/// # Examples
/// ```
/// use bordermap::query::{Dataset, Filter, answer_batch, read_batch, write_batch};
/// use std::path::Path;
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[70.58,39.85]},"properties":{}}]}"#;
/// let d = Dataset::new(bordermap::geojson_io::read_points(Path::new("x"), text).unwrap(), &Filter::default());
/// let q = read_batch(Path::new("q.csv"), "id,lat,lon,k\nq1,39.86,70.58,1\n", None, None).unwrap();
/// let mut out = Vec::new();
/// write_batch(&d, &q, &mut out).unwrap();
/// assert_eq!(String::from_utf8(out).unwrap(), answer_batch(&d, &q));
/// ```
pub fn write_batch(
    d: &Dataset,
    queries: &[BatchQuery],
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;
    w.write_all(BATCH_HEADER.as_bytes())?;
    // a radius without k may give many rows: their ids are then read from a table, made
    // on all cores before the first query
    let many_rows = d.features.len() >= IDS_BY_SLOT_MIN_INCIDENTS
        && queries
            .iter()
            .any(|q| q.radius_m.is_some() && q.k.is_none());
    let ids = many_rows.then(|| IdsBySlot::new(d));
    let window = Window::new(WINDOW_PER_THREAD * rayon::current_num_threads());
    let blocks = Pool::<Vec<u8>>::default();
    // the rows of query i, in blocks, come to this thread, which writes them in order and
    // gives their blocks back
    let (answered, to_write) = mpsc::channel::<(usize, Vec<Vec<u8>>)>();
    let next = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let (ids, blocks, window, next) = (ids.as_ref(), &blocks, &window, &next);
        s.spawn(move || {
            // one worker on each thread of the pool, each taking the next query in turn
            rayon::broadcast(|_| {
                let mut memory = QueryMemory::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(q) = queries.get(i) else { return };
                    if !window.wait_for(i) {
                        return;
                    }
                    let mut rows = Vec::new();
                    answer_one(d, q, ids, &mut memory, blocks, &mut rows);
                    // the writer has stopped on an error: nothing more to answer
                    if answered.send((i, rows)).is_err() {
                        return;
                    }
                }
            });
        });
        let written = write_in_order(w, to_write, window, blocks);
        // wake and stop the workers still waiting, whether or not all was written
        window.stop();
        written
    })
}

/// Writes the answers of [`write_batch`]'s workers in query order as they come (each
/// query's index and its rows in blocks), giving each block back once written.
fn write_in_order(
    w: &mut dyn std::io::Write,
    answers: std::sync::mpsc::Receiver<(usize, Vec<Vec<u8>>)>,
    window: &Window,
    blocks: &Pool<Vec<u8>>,
) -> std::io::Result<()> {
    // the answers not yet written, at their index modulo the window
    let mut waiting: Vec<Option<Vec<Vec<u8>>>> = (0..window.size).map(|_| None).collect();
    let mut at = 0;
    for (i, rows) in answers {
        waiting[i % window.size] = Some(rows);
        while let Some(rows) = waiting[at % window.size].take() {
            for mut block in rows {
                w.write_all(&block)?;
                block.clear();
                blocks.give(block);
            }
            at += 1;
            window.written(at);
        }
    }
    Ok(())
}

/// Queries a worker may be ahead of the writer by, per thread: one thread's huge answer
/// then holds up the others only once they are this far ahead of it.
const WINDOW_PER_THREAD: usize = 16;

/// How far the answering may run ahead of the writing: query `i` is answered only once
/// fewer than `size` queries before it are unwritten, so that memory holds at most `size`
/// queries' rows.
struct Window {
    size: usize,
    /// Queries written, and whether the writer has stopped.
    state: std::sync::Mutex<(usize, bool)>,
    moved: std::sync::Condvar,
}

impl Window {
    fn new(size: usize) -> Self {
        Window {
            size: size.max(1),
            state: std::sync::Mutex::new((0, false)),
            moved: std::sync::Condvar::new(),
        }
    }

    /// Waits until query `i` may be answered: false when the writer has stopped.
    fn wait_for(&self, i: usize) -> bool {
        let mut state = self.lock();
        while !state.1 && i >= state.0 + self.size {
            state = self
                .moved
                .wait(state)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        !state.1
    }

    /// `n` queries have been written.
    fn written(&self, n: usize) {
        self.lock().0 = n;
        self.moved.notify_all();
    }

    /// The writer has stopped: no more queries are to be answered.
    fn stop(&self) {
        self.lock().1 = true;
        self.moved.notify_all();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (usize, bool)> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Bytes of rows in a block of a batch's output (the last row may run past it).
const BLOCK: usize = 128 << 10;

/// Things made once and reused: taken by whoever needs one, given back when done.
struct Pool<T>(std::sync::Mutex<Vec<T>>);

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Self(std::sync::Mutex::new(Vec::new()))
    }
}

impl<T: Default> Pool<T> {
    fn take(&self) -> T {
        self.lock().pop().unwrap_or_default()
    }

    fn give(&self, x: T) {
        self.lock().push(x);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<T>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Datasets with fewer incidents than this write ids without an [`IdsBySlot`] table.
const IDS_BY_SLOT_MIN_INCIDENTS: usize = 2048;

/// Rows of a query whose ids are fetched from the [`IdsBySlot`] table together, before
/// they are written.
const FETCH_AHEAD: usize = 32;

/// Appends the CSV rows of one query to `rows`, in blocks taken from `blocks`.
fn answer_one(
    d: &Dataset,
    q: &BatchQuery,
    table: Option<&IdsBySlot>,
    memory: &mut QueryMemory,
    blocks: &Pool<Vec<u8>>,
    rows: &mut Vec<Vec<u8>>,
) {
    d.index.near_found_into(q.position, q.radius_m, q.k, memory);
    if memory.found.is_empty() {
        return;
    }
    let qid = Field::new(&q.id);
    let mut ranks = itoa::Buffer::new();
    let mut out = blocks.take();
    let mut ids = [Cell::ASIDE; FETCH_AHEAD];
    for (c, chunk) in memory.found.chunks(FETCH_AHEAD).enumerate() {
        if let Some(t) = table {
            // a loop of independent loads: their cache misses overlap, where the rows'
            // own reads would wait for one id at a time
            for (cell, f) in ids.iter_mut().zip(chunk) {
                *cell = t.cells[f.slot as usize];
            }
        }
        for (j, f) in chunk.iter().enumerate() {
            if out.len() >= BLOCK {
                rows.push(std::mem::replace(&mut out, blocks.take()));
            }
            let rank = c * FETCH_AHEAD + j + 1;
            if let (Field::Short(q), Some(_)) = (&qid, table)
                && push_row(&mut out, (q, &ids[j]), rank, f)
            {
                continue;
            }
            qid.push_to(&mut out);
            out.push(b',');
            match table {
                Some(t) => t.push_to(&mut out, &ids[j], f.slot),
                None => {
                    out.extend_from_slice(csv_field(&d.features[f.index as usize].id).as_bytes())
                }
            }
            out.push(b',');
            out.extend_from_slice(ranks.format(rank).as_bytes());
            out.push(b',');
            push_rounded::<3>(&mut out, f.distance_m);
            out.push(b',');
            push_bearing(&mut out, f.bearing_deg);
            out.push(b'\n');
        }
    }
    rows.push(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{Filter, mm, round_bearing};
    use std::fmt::Write as _;

    /// 6,000 incidents on a grid 80 wide, 0.001° apart, from (70°E, 40°N); every 11th id
    /// needs quoting in CSV, and of the others every 13th is 28 bytes long or more (a cell
    /// holds 31).
    fn grid() -> Dataset {
        grid_of(6000)
    }

    /// [`grid`] with `n` incidents.
    fn grid_of(n: usize) -> Dataset {
        let feats: Vec<String> = (0..n)
            .map(|i| {
                let id = match (i % 11, i % 13) {
                    (0, _) => format!("\"n,{i}\\\"q\""),
                    (_, 0) => format!("\"an-id-longer-than-24-bytes-{i}\""),
                    _ => format!("\"i{i}\""),
                };
                let (lon, lat) = (70.0 + (i % 80) as f64 * 0.001, 40.0 + (i / 80) as f64 * 0.001);
                format!(r#"{{"type":"Feature","id":{id},"geometry":{{"type":"Point","coordinates":[{lon},{lat}]}},"properties":{{}}}}"#)
            })
            .collect();
        let text = format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            feats.join(",")
        );
        Dataset::new(
            crate::geojson_io::read_points(Path::new("t"), &text).unwrap(),
            &Filter::default(),
        )
    }

    /// 700 queries over [`grid`], answers from none to all 6,000 rows (several blocks), in
    /// an order where huge and empty answers alternate irregularly.
    fn varied_queries() -> Vec<BatchQuery> {
        let mut text = String::from("id,lat,lon,radius_km,k\n");
        for i in 0..700u32 {
            let (lat, lon) = (
                40.0 + f64::from(i % 97) * 0.001,
                70.0 + f64::from(i % 89) * 0.001,
            );
            let _ = match i % 7 {
                0 => writeln!(text, "q{i},{lat},{lon},50,"),
                1 | 4 => writeln!(text, "q{i},{lat},{lon},,{}", 1 + i % 13),
                2 => writeln!(text, "q{i},39,69,0.5,"),
                _ => writeln!(text, "q{i},{lat},{lon},{},", f64::from(i % 5) * 0.4),
            };
        }
        read_batch(Path::new("q.csv"), &text, None, None).unwrap()
    }

    #[test]
    fn batch_rows_are_the_plain_formatting_of_the_answers_large_and_small() {
        let d = grid();
        let q = read_batch(
            Path::new("q.csv"),
            "id,lat,lon,radius_km,k\nbig,40.03,70.04,50,\nsmall,40.01,70.01,,7\n\"a,b\",40.0,70.0,0.3,\n\
             a-query-id-too-long-for-a-cell-of-32,40.02,70.02,0.4,\n",
            None,
            None,
        )
        .unwrap();
        let got = answer_batch(&d, &q);
        let mut want = String::from(BATCH_HEADER);
        for q in &q {
            for (rank, (h, b)) in d
                .near_with_bearings(q.position, q.radius_m, q.k)
                .iter()
                .enumerate()
            {
                let id = &d.features[h.index].id;
                let _ = writeln!(
                    want,
                    "{},{},{},{},{}",
                    csv_field(&q.id),
                    csv_field(id),
                    rank + 1,
                    mm(h.distance_m),
                    round_bearing(*b, 2)
                );
            }
        }
        assert_eq!(got.lines().filter(|l| l.starts_with("big,")).count(), 6000);
        assert!(got.contains("\"n,0\"\"q\""), "ids are quoted");
        assert!(got.contains("\na-query-id-too-long-for-a-cell-of-32,"));
        assert_eq!(got, want);
    }

    /// The table of ids holds, in every slot, the CSV field of the id of the incident in
    /// that slot (quoted where it must be, and too long for a cell for some).
    #[test]
    fn the_ids_table_gives_each_slot_its_id() {
        let d = grid_of(70_000);
        let table = IdsBySlot::new(&d);
        let mut out = b"before,".to_vec();
        let mut lengths = std::collections::BTreeSet::new();
        for slot in 0..d.index.len() as u32 {
            let id = &d.features[d.index.index_at(slot)].id;
            out.truncate(7);
            table.push_to(&mut out, &table.cells[slot as usize], slot);
            let want = csv_field(id);
            assert_eq!(out[7..], *want.as_bytes(), "slot {slot}");
            lengths.insert(want.len());
        }
        // fields that fill a cell exactly, and longer ones kept aside, are among them
        assert!(lengths.contains(&(Cell::WIDTH - 1)) && lengths.contains(&Cell::WIDTH));
    }

    #[test]
    fn a_batch_is_written_in_query_order_however_long_each_answer_is() {
        let d = grid();
        let queries = varied_queries();
        // each query answered on its own, one after another
        let mut want = String::from(BATCH_HEADER);
        for q in &queries {
            let one = answer_batch(&d, std::slice::from_ref(q));
            want.push_str(&one[BATCH_HEADER.len()..]);
        }
        let got = answer_batch(&d, &queries);
        assert_eq!(got.lines().filter(|l| l.starts_with("q0,")).count(), 6000);
        assert!(got.len() > 40 * BLOCK, "{} bytes", got.len());
        assert!(
            got == want,
            "the batch differs from its queries answered one by one"
        );
    }

    /// Takes `left` bytes, then fails, counting the writes tried after the first failure.
    struct FailsAfter {
        left: usize,
        failed: usize,
    }

    impl std::io::Write for FailsAfter {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            if self.left == 0 {
                self.failed += 1;
                return Err(std::io::Error::other("disk full"));
            }
            let n = b.len().min(self.left);
            self.left -= n;
            Ok(n)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failing_writer_stops_the_batch_with_its_error() {
        let d = grid();
        let queries = varied_queries();
        let all = answer_batch(&d, &queries).len();
        for left in [0, 10, BLOCK + 7, all / 2, all - 1] {
            let mut w = FailsAfter { left, failed: 0 };
            let e = write_batch(&d, &queries, &mut w).unwrap_err();
            assert_eq!(e.to_string(), "disk full", "after {left} bytes");
            assert_eq!(w.failed, 1, "written to again after failing ({left} bytes)");
        }
        let mut w = FailsAfter {
            left: all,
            failed: 0,
        };
        write_batch(&d, &queries, &mut w).unwrap();
    }

    #[test]
    fn batch_defaults_and_errors() {
        let p = Path::new("q.csv");
        let q = read_batch(p, "id,lat,lon,k\na,40,70,\nb,40,70,3\n", Some(1000.0), None).unwrap();
        assert_eq!((q[0].k, q[0].radius_m), (None, Some(1000.0)));
        assert_eq!(q[1].k, Some(3));
        let e = read_batch(p, "id,lat,lon\na,40,inf\n", Some(1.0), None).unwrap_err();
        assert!(e.to_string().contains("lon \"inf\""), "{e}");
        let e = read_batch(p, "id,lat,lon,k\na,40,70,0\n", None, None).unwrap_err();
        assert!(e.to_string().contains("k \"0\""), "{e}");
        let e = read_batch(p, "id,lat\na,40\n", Some(1.0), None).unwrap_err();
        assert!(e.to_string().contains("expected columns"), "{e}");
    }
}
