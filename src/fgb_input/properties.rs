//! FlatGeobuf's encoding of a feature's properties, read with every length checked (the
//! `flatgeobuf` crate's reader slices the bytes without checking, so a damaged file would
//! panic there): each value a JSON value, as the module above documents.

use super::le8;
use flatgeobuf::ColumnType;
use serde_json::Value;

/// The properties of a feature: `(column, value)` pairs from FlatGeobuf's encoding (a
/// column number, u16, then the value: fixed-size little-endian numbers, or a u32 length
/// and the bytes for text, Json, DateTime and binary), every length checked. With `only`,
/// the values of other columns are read past and given as `None`.
pub(super) fn decode_properties(
    bytes: &[u8],
    columns: &[(String, ColumnType)],
    only: Option<Option<usize>>,
) -> std::result::Result<Vec<(usize, Option<Value>)>, String> {
    let mut out = Vec::new();
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> std::result::Result<&[u8], String> {
        let piece = bytes.get(*at..at.saturating_add(n)).ok_or_else(|| {
            format!(
                "damaged properties: a value at byte {} runs past their end ({} bytes)",
                *at,
                bytes.len()
            )
        })?;
        *at += n;
        Ok(piece)
    };
    // a trailing byte after the last value occurs in files in the wild; it is not a value
    while at + 1 < bytes.len() {
        let column = usize::from(u16::from_le_bytes([bytes[at], bytes[at + 1]]));
        at += 2;
        let Some((_, kind)) = columns.get(column) else {
            return Err(format!(
                "damaged properties: column {column}, of {}",
                columns.len()
            ));
        };
        let int = |b: &[u8]| {
            let mut a = [0u8; 8];
            a[..b.len()].copy_from_slice(b);
            if b.last().is_some_and(|&x| x & 0x80 != 0) {
                a[b.len()..].fill(0xFF);
            }
            Value::from(i64::from_le_bytes(a))
        };
        let uint = |b: &[u8]| {
            let mut a = [0u8; 8];
            a[..b.len()].copy_from_slice(b);
            Value::from(u64::from_le_bytes(a))
        };
        let wanted = only.is_none_or(|c| c == Some(column));
        let real = |x: f64| {
            serde_json::Number::from_f64(x)
                .map_or_else(|| Value::from(x.to_string()), Value::Number)
        };
        let value = match *kind {
            ColumnType::Byte => int(take(&mut at, 1)?),
            ColumnType::Short => int(take(&mut at, 2)?),
            ColumnType::Int => int(take(&mut at, 4)?),
            ColumnType::Long => int(take(&mut at, 8)?),
            ColumnType::UByte => uint(take(&mut at, 1)?),
            ColumnType::UShort => uint(take(&mut at, 2)?),
            ColumnType::UInt => uint(take(&mut at, 4)?),
            ColumnType::ULong => uint(take(&mut at, 8)?),
            ColumnType::Bool => Value::Bool(take(&mut at, 1)?[0] != 0),
            ColumnType::Float => {
                let b = take(&mut at, 4)?;
                real(f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            }
            ColumnType::Double => real(f64::from_le_bytes(le8(take(&mut at, 8)?))),
            ColumnType::String | ColumnType::Json | ColumnType::DateTime | ColumnType::Binary => {
                let b = take(&mut at, 4)?;
                let n = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
                let b = take(&mut at, n)?;
                if !wanted {
                    Value::Null
                } else if *kind == ColumnType::Binary {
                    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
                    Value::String(format!("0x{hex}"))
                } else {
                    let s = std::str::from_utf8(b).map_err(|e| {
                        format!("column {:?}: invalid UTF-8: {e}", columns[column].0)
                    })?;
                    match *kind {
                        ColumnType::Json => {
                            serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.to_string()))
                        }
                        _ => Value::String(s.to_string()),
                    }
                }
            }
            other => {
                return Err(format!(
                    "column {:?}: unknown column type {}",
                    columns[column].0, other.0
                ));
            }
        };
        out.push((column, wanted.then_some(value)));
    }
    Ok(out)
}
