//! The text of a batch's CSV rows: ids in fixed-width cells laid out in the index's slot
//! order, numbers written digit by digit, and a whole row written into room made once.
//!
//! Every text field goes through [`csv_field`], the project's one place where CSV text is
//! defused and quoted for rows written by hand; every number is written as `Display`
//! writes the rounded value, which the tests check against it.

use super::{Dataset, round_bearing};
use crate::index::Found;
use crate::spreadsheet::csv_field;

/// A short CSV field in a fixed-width cell: its text, then padding, and its length in the
/// last byte. Appending it copies the whole cell (a copy of known size, which the compiler
/// does with a few wide moves instead of a call) and then cuts the output back to the text.
#[derive(Clone, Copy)]
pub(super) struct Cell([u8; Cell::WIDTH]);

impl Cell {
    /// Bytes of a cell; it holds a field of up to `WIDTH - 1` bytes.
    pub(super) const WIDTH: usize = 32;

    /// The cell of a field kept aside, too long for a cell.
    pub(super) const ASIDE: Cell = Cell([u8::MAX; Cell::WIDTH]);

    /// The cell of `field`, if it fits.
    pub(super) fn new(field: &str) -> Option<Cell> {
        let len = u8::try_from(field.len())
            .ok()
            .filter(|&n| usize::from(n) < Cell::WIDTH)?;
        let mut cell = [0u8; Cell::WIDTH];
        cell[..field.len()].copy_from_slice(field.as_bytes());
        cell[Cell::WIDTH - 1] = len;
        Some(Cell(cell))
    }

    /// The length of its field, or more than `WIDTH` for [`Cell::ASIDE`].
    pub(super) fn len(&self) -> usize {
        usize::from(self.0[Cell::WIDTH - 1])
    }

    fn push_to(&self, out: &mut Vec<u8>) {
        let end = out.len() + self.len();
        out.extend_from_slice(&self.0);
        out.truncate(end);
    }

    /// Writes the cell at the start of `buf` (at least `WIDTH` bytes long) and returns the
    /// length of its field.
    fn put(&self, buf: &mut [u8]) -> usize {
        buf[..Cell::WIDTH].copy_from_slice(&self.0);
        self.len()
    }
}

/// A CSV field as written in rows: in a [`Cell`] when short enough, else as text.
pub(super) enum Field<'a> {
    Short(Cell),
    Long(std::borrow::Cow<'a, str>),
}

impl<'a> Field<'a> {
    pub(super) fn new(s: &'a str) -> Self {
        let field = csv_field(s);
        match Cell::new(&field) {
            Some(cell) => Field::Short(cell),
            None => Field::Long(field),
        }
    }

    pub(super) fn push_to(&self, out: &mut Vec<u8>) {
        match self {
            Field::Short(cell) => cell.push_to(out),
            Field::Long(text) => out.extend_from_slice(text.as_bytes()),
        }
    }
}

/// The incident ids as CSV fields, laid out in the spatial index's slot order, so that the
/// rows of a query (points near each other) read them from nearby memory instead of
/// scattered over the features. Built once per batch, when its answers may be large, on all
/// cores. Each id is a [`Cell`] of 32 bytes, two to a cache line, found without first
/// reading where it starts, so that the ids of many rows can be fetched from memory at once;
/// an id too long for one is kept aside, its cell holding its place there.
pub(super) struct IdsBySlot {
    pub(super) cells: Vec<Cell>,
    /// The fields too long for a cell, each with its slot, by slot.
    long: Vec<(u32, String)>,
}

impl IdsBySlot {
    pub(super) fn new(d: &Dataset) -> Self {
        use rayon::prelude::*;
        let field = |slot: u32| csv_field(&d.features[d.index.index_at(slot)].id);
        let cells: Vec<Option<Cell>> = (0..d.index.len() as u32)
            .into_par_iter()
            .map(|slot| Cell::new(&field(slot)))
            .collect();
        let long = (0u32..)
            .zip(&cells)
            .filter(|(_, cell)| cell.is_none())
            .map(|(slot, _)| (slot, field(slot).into_owned()))
            .collect();
        let cells = cells
            .into_iter()
            .map(|cell| cell.unwrap_or(Cell::ASIDE))
            .collect();
        IdsBySlot { cells, long }
    }

    /// Appends the id of `slot`, whose cell is `cell`, to `out`.
    pub(super) fn push_to(&self, out: &mut Vec<u8>, cell: &Cell, slot: u32) {
        if cell.len() < Cell::WIDTH {
            cell.push_to(out);
        } else if let Ok(i) = self.long.binary_search_by_key(&slot, |(s, _)| *s) {
            // every slot whose cell is kept aside is in `long`, by construction
            out.extend_from_slice(self.long[i].1.as_bytes());
        }
    }
}

/// `x·scale` rounded half away from zero, as `f64::round` does, while it is below 2^52 (and
/// every such whole number is exact); `None` beyond, or for a negative or NaN `x`.
fn scaled(x: f64, scale: f64) -> Option<u64> {
    let y = x * scale;
    if !(0.0..4.5e15).contains(&y) {
        return None;
    }
    // y − t is exact (t ≤ y < t + 1 ≤ 2t, or t = 0), so the comparison decides as round does
    let t = y as i64;
    Some((t + i64::from(y - t as f64 >= 0.5)) as u64)
}

/// Two decimal digits for each whole number below 100, in order: `00`, `01`, … `99`.
const DIGIT_PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// Bytes that any text [`decimal_into`] writes fits in.
const DECIMAL_ROOM: usize = 24;

/// Writes the decimal digits of `n` at the start of `buf` (20 bytes hold any `u64`), two at
/// a time, and returns how many there are.
fn digits_into(buf: &mut [u8], mut n: u64) -> usize {
    let len = n.checked_ilog10().map_or(1, |l| l as usize + 1);
    let mut end = len;
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        end -= 2;
        buf[end..end + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        buf[..2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else {
        buf[0] = b'0' + n as u8;
    }
    len
}

/// Writes the whole number `n` as a decimal with `PLACES` (at most 3) places, trailing
/// zeros cut, at the start of `buf` ([`DECIMAL_ROOM`] bytes hold any): the shortest text
/// that reads back as `n / 10^PLACES`. Returns the bytes written. (The places are a
/// constant so that the divisions by powers of ten are multiplications.)
fn decimal_into<const PLACES: u32>(buf: &mut [u8], n: u64) -> usize {
    let unit = 10u64.pow(PLACES);
    let mut len = digits_into(buf, n / unit);
    let mut frac = n % unit;
    if frac != 0 {
        buf[len] = b'.';
        let mut places = PLACES as usize;
        while frac.is_multiple_of(10) {
            frac /= 10;
            places -= 1;
        }
        // the places left, with their leading zeros
        for place in buf[len + 1..len + 1 + places].iter_mut().rev() {
            *place = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        len += 1 + places;
    }
    len
}

/// Appends the whole number `n` as [`decimal_into`] writes it.
fn push_decimal<const PLACES: u32>(out: &mut Vec<u8>, n: u64) {
    let at = out.len();
    out.extend_from_slice(&[0; DECIMAL_ROOM]);
    let len = decimal_into::<PLACES>(&mut out[at..], n);
    out.truncate(at + len);
}

/// Appends `x` rounded to `PLACES` (at most 3) places, as the shortest text that reads
/// back as `(x·10^PLACES).round() / 10^PLACES`: what `Display` prints for that value.
pub(super) fn push_rounded<const PLACES: u32>(out: &mut Vec<u8>, x: f64) {
    let scale = 10u64.pow(PLACES) as f64;
    // integers below 2^52 are exact; the decimal n / scale then has at most `PLACES`
    // places, and no shorter text falls within half an ulp of it
    match scaled(x, scale) {
        Some(n) => push_decimal::<PLACES>(out, n),
        None => {
            let _ = std::io::Write::write_fmt(out, format_args!("{}", (x * scale).round() / scale));
        }
    }
}

/// Appends a bearing (degrees, `[0, 360)`) rounded to 0.01° as [`round_bearing`] rounds it
/// (359.996 is 0), and printed as [`push_rounded`] prints it.
pub(super) fn push_bearing(out: &mut Vec<u8>, bearing_deg: f64) {
    match hundredths_of_bearing(bearing_deg) {
        Some(n) => push_decimal::<2>(out, n),
        None => push_rounded::<2>(out, round_bearing(bearing_deg, 2)),
    }
}

/// A bearing (degrees, `[0, 360)`) in whole hundredths of a degree, rounded as
/// [`round_bearing`] rounds it (359.996 is 0); `None` outside that range.
fn hundredths_of_bearing(bearing_deg: f64) -> Option<u64> {
    match scaled(bearing_deg, 100.0)? {
        // a bearing below 360 rounds to at most 36000 hundredths, which is 0
        36_000 => Some(0),
        n => (n < 36_000).then_some(n),
    }
}

/// Bytes that any row [`push_row`] writes fits in: two cells, three numbers, separators.
const ROW_ROOM: usize = 2 * Cell::WIDTH + 3 * DECIMAL_ROOM + 8;

/// Appends one row, `query,incident,rank,distance,bearing`, the distance in metres to the
/// millimetre and the bearing in degrees to the hundredth as [`push_rounded`] and
/// [`push_bearing`] write them, when both ids are in cells and both numbers are in the range
/// that [`decimal_into`] writes; else writes nothing and returns false. Every byte is
/// written into room made once, without a call per field.
pub(super) fn push_row(
    out: &mut Vec<u8>,
    (qid, id): (&Cell, &Cell),
    rank: usize,
    found: &Found,
) -> bool {
    let (Some(mm), Some(centi)) = (
        scaled(found.distance_m, 1e3),
        hundredths_of_bearing(found.bearing_deg),
    ) else {
        return false;
    };
    if id.len() >= Cell::WIDTH {
        return false;
    }
    let at = out.len();
    out.extend_from_slice(&[0; ROW_ROOM]);
    let row = &mut out[at..];
    let mut len = qid.put(row);
    row[len] = b',';
    len += 1;
    len += id.put(&mut row[len..]);
    row[len] = b',';
    len += 1;
    len += digits_into(&mut row[len..], rank as u64);
    row[len] = b',';
    len += 1;
    len += decimal_into::<3>(&mut row[len..], mm);
    row[len] = b',';
    len += 1;
    len += decimal_into::<2>(&mut row[len..], centi);
    row[len] = b'\n';
    out.truncate(at + len + 1);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::{centi, mm};

    #[test]
    fn rounded_numbers_print_as_display_prints_them() {
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut xs = vec![
            0.0, 0.0004, 0.0005, 0.001, 0.01, 0.1, 1.0, 359.995, 359.999, 1e7,
        ];
        for _ in 0..200_000 {
            let x = next() * 10f64.powf(next() * 7.5);
            // values on the half-millimetre and half-hundredth, where rounding turns
            xs.extend([
                x,
                (x * 1000.0).floor() / 1000.0 + 0.0005,
                (x * 100.0).floor() / 100.0 + 0.005,
            ]);
        }
        xs.extend([1e16, 2.5e17]);
        for x in xs {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            push_rounded::<3>(&mut a, x);
            push_rounded::<2>(&mut b, x);
            assert_eq!(String::from_utf8(a).unwrap(), mm(x).to_string(), "{x}");
            assert_eq!(String::from_utf8(b).unwrap(), centi(x).to_string(), "{x}");
        }
        // bearings: every hundredth and its half, and the last values below 360
        let mut bearings: Vec<f64> = (0..36_000)
            .flat_map(|h| [h as f64 / 100.0, (h as f64 + 0.5) / 100.0])
            .collect();
        bearings.extend([
            359.995,
            359.99499999999995,
            359.99999999999994,
            0.004999,
            0.005,
        ]);
        for _ in 0..200_000 {
            bearings.push(next() * 360.0);
        }
        for x in bearings.into_iter().filter(|x| *x < 360.0) {
            let mut a = Vec::new();
            push_bearing(&mut a, x);
            assert_eq!(
                String::from_utf8(a).unwrap(),
                round_bearing(x, 2).to_string(),
                "{x}"
            );
        }
    }

    /// A row written in one go reads as the row written field by field, or is left to it.
    #[test]
    fn a_row_written_in_one_go_is_the_plain_formatting_or_nothing() {
        let mut rng = crate::synthetic::SplitMix64(99);
        let mut next = || rng.next_u64() >> 11;
        let fields = ["q", "\"a,b\"", "x".repeat(31).as_str(), "syn42-0598138"].map(String::from);
        for i in 0..300_000u64 {
            let unit = (next() % 1_000_000_000) as f64 / 1e3;
            let distance_m = match i % 4 {
                0 => unit,
                1 => unit.floor() + 0.0005,
                2 => (next() % 20_000_000_000) as f64 / 1e3 + 0.0005,
                _ => (next() >> 11) as f64 / (1u64 << 42) as f64,
            };
            let bearing_deg = match i % 3 {
                0 => (next() % 36_000) as f64 / 100.0 + 0.005,
                1 => [359.995, 359.99499999999995, 359.99999999999994, 0.0, 0.005][i as usize % 5],
                _ => (next() >> 11) as f64 / (1u64 << 53) as f64 * 360.0,
            };
            let rank = [1, 9, 10, 99, 100, 12_345, usize::MAX][i as usize % 7];
            let (q, id) = (&fields[i as usize % 4], &fields[(i / 4) as usize % 4]);
            let found = Found {
                index: 0,
                slot: 0,
                distance_m,
                bearing_deg,
            };
            let mut out = b"x\n".to_vec();
            let cells = (Cell::new(q).unwrap(), Cell::new(id).unwrap());
            assert!(push_row(&mut out, (&cells.0, &cells.1), rank, &found));
            let want = format!(
                "x\n{q},{id},{rank},{},{}\n",
                mm(distance_m),
                round_bearing(bearing_deg, 2)
            );
            assert_eq!(
                String::from_utf8(out).unwrap(),
                want,
                "{distance_m} {bearing_deg}"
            );
        }
        // what it leaves to the plain formatting: an id kept aside, a distance beyond its
        // range, a bearing of 360 or more
        let short = Cell::new("a").unwrap();
        let f = |distance_m, bearing_deg| Found {
            index: 0,
            slot: 0,
            distance_m,
            bearing_deg,
        };
        let mut out = Vec::new();
        assert!(!push_row(&mut out, (&short, &Cell::ASIDE), 1, &f(1.0, 1.0)));
        assert!(!push_row(&mut out, (&short, &short), 1, &f(1e16, 1.0)));
        assert!(!push_row(&mut out, (&short, &short), 1, &f(f64::NAN, 1.0)));
        assert!(!push_row(&mut out, (&short, &short), 1, &f(1.0, 360.005)));
        assert!(out.is_empty());
    }
}
