//! Reading point features: a FeatureCollection parsed straight into typed structs (no
//! intermediate JSON tree for the geometry), each position checked, each problem reported
//! with the feature's index and id.

use crate::error::{Error, Result};
use crate::input::line_col_of;
use crate::model::LonLat;
use compact_str::{CompactString, ToCompactString};
use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

/// One point feature read from a GeoJSON file.
#[derive(Debug, Clone, PartialEq)]
pub struct PointFeature {
    /// The id: the Feature `id`, else `properties.id`, else the feature index. Numbers are
    /// kept as their exact JSON text, so `1` and `"1"` are the same id. An id of up to 24
    /// bytes is held in the feature itself rather than in an allocation of its own.
    pub id: CompactString,
    /// The position, or `None` for `geometry: null` (an unresolved incident).
    pub position: Option<LonLat>,
    /// The properties, as read (kept as JSON text; see [`Properties`]).
    pub properties: Properties,
}

/// The properties of a feature, kept as their JSON text and parsed only when asked for.
///
/// A million incidents with a dozen properties each would need well over a gigabyte as
/// `Map<String, Value>`s, and most queries read none of them. The text of every feature's
/// properties lives in one buffer shared by all the features of a file.
///
/// # Examples
/// ```
/// use bordermap::geojson_io::Properties;
/// use serde_json::json;
/// let p = Properties::from_map(json!({"title": "Vorukh", "fatalities_best": 2}).as_object().unwrap());
/// assert_eq!(p.get("title"), Some(json!("Vorukh")));
/// assert_eq!(p.get("missing"), None);
/// assert_eq!(p.to_map()["fatalities_best"], 2);
/// ```
#[derive(Clone, Default)]
pub struct Properties {
    /// The shared text (`None`: no properties, which costs no allocation).
    pub(super) buf: Option<Arc<String>>,
    pub(super) start: usize,
    pub(super) end: usize,
}

impl Properties {
    /// The properties at `start..end` of a shared text (as [`span`](Self::span) gave them),
    /// or `None` when that range is not a JSON object's place in `buf`. `0..0` is `{}`.
    ///
    /// # Examples
    /// ```
    /// use bordermap::geojson_io::Properties;
    /// let text = std::sync::Arc::new(r#"[{"a":1}]"#.to_string());
    /// let p = Properties::shared(text.clone(), 1, 8).unwrap();
    /// assert_eq!((p.raw(), p.span()), (r#"{"a":1}"#, (1, 8)));
    /// assert!(Properties::shared(text, 0, 8).is_none());
    /// ```
    pub fn shared(buf: Arc<String>, start: usize, end: usize) -> Option<Self> {
        let ok = (start, end) == (0, 0)
            || buf
                .get(start..end)
                .is_some_and(|s| s.starts_with('{') && s.ends_with('}'));
        ok.then_some(Properties {
            buf: Some(buf),
            start,
            end,
        })
    }

    /// Where the properties' text lies in the text they share (`(0, 0)`: none).
    pub fn span(&self) -> (usize, usize) {
        (self.start, self.end)
    }

    /// Properties holding a copy of `map`.
    pub fn from_map(map: &Map<String, Value>) -> Self {
        let text = Value::Object(map.clone()).to_string();
        let end = text.len();
        Properties {
            buf: Some(Arc::new(text)),
            start: 0,
            end,
        }
    }

    /// The JSON text of the properties object (`{}` when the feature had none).
    pub fn raw(&self) -> &str {
        match self
            .buf
            .as_deref()
            .and_then(|b| b.get(self.start..self.end))
        {
            Some(s) if !s.is_empty() => s,
            _ => "{}",
        }
    }

    /// All the properties, parsed, in file order. Duplicate keys: the last one wins.
    pub fn to_map(&self) -> Map<String, Value> {
        serde_json::from_str(self.raw()).unwrap_or_default()
    }

    /// One property, parsed (only that value is built). Duplicate keys: the last one wins.
    pub fn get(&self, key: &str) -> Option<Value> {
        let [v] = self.get_many([key]);
        v
    }

    /// Calls `each` with every key, in file order (a repeated key each time it appears),
    /// without building the values.
    ///
    /// # Examples
    /// ```
    /// use bordermap::geojson_io::Properties;
    /// let text = std::sync::Arc::new(r#"{"a":[1,{"x":2}],"b\u0021":"c"}"#.to_string());
    /// let p = Properties::shared(text.clone(), 0, text.len()).unwrap();
    /// let mut keys = Vec::new();
    /// p.each_key(|k| keys.push(k.to_string()));
    /// assert_eq!(keys, ["a", "b!"]);
    /// ```
    pub fn each_key(&self, each: impl FnMut(&str)) {
        use serde::Deserializer as _;
        let mut de = serde_json::Deserializer::from_str(self.raw());
        let _ = de.deserialize_map(Keys(each));
    }

    /// Several properties in one pass over the text.
    pub fn get_many<const N: usize>(&self, keys: [&str; N]) -> [Option<Value>; N] {
        use serde::Deserializer as _;
        let mut de = serde_json::Deserializer::from_str(self.raw());
        de.deserialize_map(Pick(keys))
            .unwrap_or_else(|_| std::array::from_fn(|_| None))
    }
}

impl PartialEq for Properties {
    fn eq(&self, other: &Self) -> bool {
        self.raw() == other.raw() || self.to_map() == other.to_map()
    }
}

impl std::fmt::Debug for Properties {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Properties").field(&self.raw()).finish()
    }
}

/// Picks the values of some keys out of a JSON object, skipping the rest unparsed.
struct Pick<'k, const N: usize>([&'k str; N]);

impl<'de, const N: usize> Visitor<'de> for Pick<'_, N> {
    type Value = [Option<Value>; N];

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out: [Option<Value>; N] = std::array::from_fn(|_| None);
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match self.0.iter().position(|k| *k == key.0) {
                Some(i) => out[i] = Some(map.next_value()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// Calls a function with each key of a JSON object, skipping the values unparsed.
struct Keys<F>(F);

impl<'de, F: FnMut(&str)> Visitor<'de> for Keys<F> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<Str<'de>>()? {
            (self.0)(&key.0);
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// A JSON string, borrowed from the text when it has no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> std::result::Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

#[derive(Deserialize)]
pub(super) struct RawFeature<'a> {
    #[serde(rename = "type", default, borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    geometry: Option<&'a RawValue>,
    #[serde(default, borrow)]
    properties: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RawGeometry<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
    #[serde(default, borrow)]
    coordinates: Option<&'a RawValue>,
}

/// The deepest nesting of properties accepted: serde_json's own recursion limit, which the
/// lazily parsed properties would otherwise meet only later, when an output needs them.
pub const MAX_NESTING: usize = 128;

/// Where the properties' text goes while reading.
enum Store<'s> {
    /// Copied into a new buffer (the caller keeps the file text).
    Copy(String),
    /// Left in the file text, which the features then share.
    Shared(&'s Arc<String>),
}

/// A problem with one feature, found while the rest of the file is still being read.
struct FeatureError {
    index: usize,
    error: Error,
    /// The feature's id, when the problem was found after the duplicate-id check (the
    /// duplicate then takes precedence, as it is checked first).
    id_after_dup_check: Option<String>,
}

/// Reading state: the features so far, and the first problem.
struct Reader<'t, 's> {
    path: &'t Path,
    text: &'t str,
    store: Store<'s>,
    out: Vec<PointFeature>,
    problem: Option<FeatureError>,
    count: usize,
}

impl Reader<'_, '_> {
    fn feature(&mut self, f: RawFeature<'_>) {
        let i = self.count;
        self.count += 1;
        if self.problem.is_some() {
            return;
        }
        match self.convert(i, f) {
            Ok(pf) => self.out.push(pf),
            Err((error, id_after_dup_check)) => {
                self.problem = Some(FeatureError {
                    index: i,
                    error,
                    id_after_dup_check,
                });
            }
        }
    }

    fn convert(
        &mut self,
        i: usize,
        f: RawFeature<'_>,
    ) -> std::result::Result<PointFeature, (Error, Option<String>)> {
        let Checked {
            id,
            position,
            props,
            ..
        } = check(self.path, i, f)?;
        let (start, end) = match (props, &mut self.store) {
            (None, _) => (0, 0),
            (Some(p), Store::Copy(buf)) => {
                buf.push_str(p);
                (buf.len() - p.len(), buf.len())
            }
            (Some(p), Store::Shared(_)) => {
                let start = p.as_ptr() as usize - self.text.as_ptr() as usize;
                (start, start + p.len())
            }
        };
        let buf = match &self.store {
            Store::Shared(src) => Some(Arc::clone(src)),
            Store::Copy(_) => None, // set when the whole file has been read
        };
        Ok(PointFeature {
            id,
            position,
            properties: Properties { buf, start, end },
        })
    }
}

/// What is wrong with a feature's properties object (`obj`, valid JSON), if anything: too
/// deep a nesting, a repeated key, or a value serde_json cannot build, in that order. One
/// pass finds all three.
pub(super) fn properties_problem(obj: &str) -> Option<String> {
    let scan = super::values::scan(obj);
    if scan.depth > MAX_NESTING {
        return Some(format!(
            "properties nest {} levels deep; the limit is {MAX_NESTING}",
            scan.depth
        ));
    }
    if let Some(key) = scan.duplicate {
        return Some(format!(
            "property {key:?} appears more than once; one of its values would be lost"
        ));
    }
    if scan.suspicious
        && let Some((key, value, why)) = super::values::unreadable_value(obj)
    {
        return Some(format!(
            "property {key:?}: the value {value} cannot be read ({why})"
        ));
    }
    None
}

/// One feature, checked: its id (`has_id` false when it fell back to the index), position
/// and properties text.
pub(super) struct Checked<'a> {
    pub(super) id: CompactString,
    pub(super) has_id: bool,
    pub(super) position: Option<LonLat>,
    pub(super) props: Option<&'a str>,
}

/// Checks feature `i`: errors name the feature index (and its id once known); the id is in
/// the error when the problem comes after the duplicate-id check.
pub(super) fn check<'a>(
    path: &Path,
    i: usize,
    f: RawFeature<'a>,
) -> std::result::Result<Checked<'a>, (Error, Option<String>)> {
    let early = |m: String| (Error::record(path, format!("feature {i}"), m), None);
    let props = match f.properties {
        None => None,
        Some(raw) if raw.get().starts_with('{') => Some(raw.get()),
        Some(raw) => {
            let v: Value = serde_json::from_str(raw.get()).unwrap_or_default();
            return Err(early(format!(
                "properties must be an object or null, got {}",
                short(&v)
            )));
        }
    };
    let id = match f.id {
        Some(raw) => parse_id(raw.get()).map_err(early)?,
        None => match props.map(serde_json::from_str::<Map<String, Value>>) {
            Some(Ok(m)) => match m.get("id") {
                None | Some(Value::Null) => None,
                Some(v) => parse_id(&v.to_string()).map_err(early)?,
            },
            _ => None,
        },
    };
    let has_id = id.is_some();
    let id = id.map_or_else(|| i.to_compact_string(), CompactString::from);
    let at = || format!("feature {i} (id {id:?})");
    if f.kind.as_deref() != Some("Feature") {
        return Err((
            Error::record(
                path,
                at(),
                format!(
                    "type is {:?}; expected \"Feature\"",
                    f.kind.as_deref().unwrap_or_default()
                ),
            ),
            None,
        ));
    }
    let late = |m: String| (Error::record(path, at(), m), Some(id.to_string()));
    let geometry = match f.geometry.map(RawValue::get) {
        None | Some("null") => None,
        Some(raw) => Some(serde_json::from_str::<RawGeometry<'_>>(raw).map_err(|_| {
            late(format!(
                "geometry must be a GeoJSON geometry object with \"type\" and \"coordinates\", or null; got {}",
                shorten(raw)
            ))
        })?),
    };
    if let Some(problem) = props.and_then(properties_problem) {
        return Err(late(problem));
    }
    let position = match geometry {
        None => None,
        Some(g) => {
            if g.kind != "Point" {
                let hint = if g.kind.eq_ignore_ascii_case("point") {
                    " (type names are case-sensitive: \"Point\")"
                } else {
                    ""
                };
                return Err(late(format!(
                    "geometry type is {:?}; an incident file holds Points (or null){hint}",
                    g.kind
                )));
            }
            Some(parse_position(g.coordinates).map_err(late)?)
        }
    };
    Ok(Checked {
        has_id,
        id,
        position,
        props,
    })
}

/// The `features` array, read one feature at a time.
struct FeaturesSeed<'r, 't, 's>(&'r mut Reader<'t, 's>);

impl<'de> DeserializeSeed<'de> for FeaturesSeed<'_, '_, '_> {
    type Value = bool;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<bool, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for FeaturesSeed<'_, '_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a sequence")
    }
    fn visit_none<E>(self) -> std::result::Result<bool, E> {
        Ok(false)
    }
    fn visit_unit<E>(self) -> std::result::Result<bool, E> {
        Ok(false)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<bool, D::Error> {
        d.deserialize_seq(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<bool, A::Error> {
        if let Some(n) = seq.size_hint() {
            self.0.out.reserve(n);
        }
        while let Some(f) = seq.next_element::<RawFeature<'de>>()? {
            self.0.feature(f);
        }
        Ok(true)
    }
}

/// The top-level object: its `type`, and whether it had a `features` array.
struct CollectionSeed<'r, 't, 's>(&'r mut Reader<'t, 's>);

impl<'de> Visitor<'de> for CollectionSeed<'_, '_, '_> {
    type Value = (String, bool);
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("struct RawCollection")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut kind = None;
        let mut features = false;
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match key.0.as_ref() {
                "type" => kind = Some(map.next_value::<String>()?),
                "features" => features = map.next_value_seed(FeaturesSeed(&mut *self.0))?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let kind = kind.ok_or_else(|| serde::de::Error::missing_field("type"))?;
        Ok((kind, features))
    }
}

/// Reads a FeatureCollection of Points (or `geometry: null`) from GeoJSON text.
///
/// Positions may be 3D (z is ignored). Errors name the feature index and id and the value:
/// non-Point geometries, invalid positions, duplicate ids (`1` and `"1"` are the same id).
/// The properties are copied out of `text` (see [`read_points_owned`](super::read_points_owned) to avoid the copy).
///
/// # Examples
/// ```
/// use std::path::Path;
/// let text = r#"{"type":"FeatureCollection","features":[
///   {"type":"Feature","id":7,"geometry":{"type":"Point","coordinates":[70.58,39.85,1200]},"properties":{}}]}"#;
/// let f = bordermap::geojson_io::read_points(Path::new("x.geojson"), text).unwrap();
/// assert_eq!(f[0].id, "7");
/// assert_eq!(f[0].position.unwrap().lat(), 39.85);
/// ```
pub fn read_points(path: &Path, text: &str) -> Result<Vec<PointFeature>> {
    let mut out = read(path, text, Store::Copy(String::new()))?;
    let buf = Arc::new(out.1.unwrap_or_default());
    for f in &mut out.0 {
        f.properties.buf = Some(Arc::clone(&buf));
    }
    Ok(out.0)
}

/// Reads the features of `text`, sharing it (kept by the features' properties) instead of
/// copying: the one-core reader behind [`super::read_points_owned`], which decides (and words)
/// every problem.
pub(super) fn read_shared(path: &Path, src: &Arc<String>) -> Result<Vec<PointFeature>> {
    Ok(read(path, src.as_str(), Store::Shared(src))?.0)
}

fn read(path: &Path, text: &str, store: Store<'_>) -> Result<(Vec<PointFeature>, Option<String>)> {
    use serde::Deserializer as _;
    if text.trim().is_empty() {
        return Err(Error::Syntax {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            message: "the file is empty; expected a GeoJSON FeatureCollection".into(),
        });
    }
    let mut reader = Reader {
        path,
        text,
        store,
        out: Vec::new(),
        problem: None,
        count: 0,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = de
        .deserialize_map(CollectionSeed(&mut reader))
        .and_then(|v| de.end().map(|()| v));
    let (kind, has_features) = parsed.map_err(|e| {
        let line = e.line();
        let column = e.column();
        let (line, column) = if line == 0 {
            line_col_of(text, text.len())
        } else {
            (line, column)
        };
        Error::Syntax {
            path: path.to_path_buf(),
            line,
            column,
            message: format!("invalid GeoJSON: {e}"),
        }
    })?;
    if kind != "FeatureCollection" {
        return Err(Error::record(
            path,
            "the top level",
            format!("type is {kind:?}; expected \"FeatureCollection\""),
        ));
    }
    if !has_features {
        return Err(Error::record(
            path,
            "the top level",
            "the FeatureCollection has no \"features\" array",
        ));
    }
    // Duplicate ids, in feature order, up to the first other problem. Ids in strictly
    // increasing order (the usual case) have none, and need no hashing.
    let increasing = reader.out.windows(2).all(|w| w[0].id < w[1].id);
    let mut seen: HashSet<&str> = HashSet::new();
    if !increasing {
        seen.reserve(reader.out.len());
    }
    let dup = reader
        .out
        .iter()
        .enumerate()
        .filter(|_| !increasing)
        .find(|(_, f)| !seen.insert(f.id.as_str()))
        .map(|(i, f)| (i, f.id.to_string()))
        .or_else(|| {
            let p = reader.problem.as_ref()?;
            let id = p.id_after_dup_check.as_ref()?;
            let known = if increasing {
                reader
                    .out
                    .binary_search_by(|f| f.id.as_str().cmp(id))
                    .is_ok()
            } else {
                seen.contains(id.as_str())
            };
            known.then(|| (p.index, id.clone()))
        });
    drop(seen);
    if let Some((i, id)) = dup {
        return Err(Error::record(
            path,
            format!("feature {i} (id {id:?})"),
            format!("duplicate id {id:?} (ids 1 and \"1\" count as the same)"),
        ));
    }
    if let Some(p) = reader.problem {
        return Err(p.error);
    }
    let buf = match reader.store {
        Store::Copy(mut b) => {
            b.shrink_to_fit();
            Some(b)
        }
        Store::Shared(_) => None,
    };
    Ok((reader.out, buf))
}

fn short(v: &Value) -> String {
    shorten(&v.to_string())
}

/// Reads an id from its exact JSON text (one valid JSON value): a string, or a number kept
/// verbatim (so that ids too large for f64 survive), or null.
fn parse_id(raw: &str) -> std::result::Result<Option<String>, String> {
    let raw = raw.trim();
    if raw == "null" {
        return Ok(None);
    }
    // a valid JSON string without escapes is its text between the quotes
    if let Some(plain) = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .filter(|t| !t.contains(['\\', '"']))
    {
        return Ok(Some(plain.to_string()));
    }
    if raw.starts_with('"') {
        return serde_json::from_str::<String>(raw)
            .map(Some)
            .map_err(|e| format!("invalid id {raw}: {e}"));
    }
    if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return Ok(Some(raw.to_string()));
    }
    Err(format!(
        "id must be a string or a number, got {}",
        shorten(raw)
    ))
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s.to_string()
    }
}

fn parse_position(v: Option<&RawValue>) -> std::result::Result<LonLat, String> {
    let raw = v.map_or("nothing", |r| r.get());
    let (lon, lat, n) = serde_json::from_str::<Position>(raw)
        .map(|p| (p.0, p.1, p.2))
        .map_err(|_| {
            format!(
                "Point coordinates must be an array of numbers [lon, lat], got {}",
                shorten(raw)
            )
        })?;
    if n < 2 {
        return Err(format!(
            "a position needs at least 2 numbers, got {}",
            shorten(raw)
        ));
    }
    LonLat::new(lon, lat)
}

/// A GeoJSON position read without allocating: lon, lat, and how many numbers it had.
struct Position(f64, f64, usize);

impl<'de> Deserialize<'de> for Position {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Position;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Position, A::Error> {
                let mut p = Position(f64::NAN, f64::NAN, 0);
                while let Some(x) = seq.next_element::<f64>()? {
                    match p.2 {
                        0 => p.0 = x,
                        1 => p.1 = x,
                        _ => {}
                    }
                    p.2 += 1;
                }
                Ok(p)
            }
        }
        d.deserialize_seq(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geojson_io::{feature, feature_collection, point_geometry, read_points_owned};
    use serde_json::json;

    fn err(text: &str) -> String {
        read_points(Path::new("t.geojson"), text)
            .unwrap_err()
            .to_string()
    }

    fn fc(features: &str) -> String {
        format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#)
    }

    #[test]
    fn string_coordinates_are_refused_with_the_value() {
        let e = err(&fc(
            r#"{"type":"Feature","geometry":{"type":"Point","coordinates":["10","20"]},"properties":{}}"#,
        ));
        assert!(e.contains(r#"["10","20"]"#), "{e}");
        assert!(e.contains("feature 0"), "{e}");
    }

    #[test]
    fn duplicate_numeric_and_string_ids() {
        let f = r#"{"type":"Feature","id":1,"geometry":null,"properties":{}},{"type":"Feature","id":"1","geometry":null,"properties":{}}"#;
        assert!(err(&fc(f)).contains("duplicate id \"1\""));
    }

    #[test]
    fn duplicates_are_found_in_any_order_and_before_later_problems() {
        let f = |id: &str, geometry: &str| {
            format!(r#"{{"type":"Feature","id":{id},"geometry":{geometry},"properties":{{}}}}"#)
        };
        let ok = r#"{"type":"Point","coordinates":[70,40]}"#;
        let bad = r#"{"type":"LineString","coordinates":[[70,40],[71,40]]}"#;
        let text = fc(&[f("\"b\"", ok), f("\"a\"", ok), f("\"b\"", ok)].join(","));
        assert!(
            err(&text).contains("feature 2 (id \"b\"): duplicate id"),
            "{}",
            err(&text)
        );
        // a duplicate id is reported before a bad geometry of the same feature …
        let text = fc(&[f("\"a\"", ok), f("\"a\"", bad)].join(","));
        assert!(err(&text).contains("duplicate id"), "{}", err(&text));
        // … and a bad geometry before a later duplicate
        let text = fc(&[f("\"a\"", bad), f("\"a\"", ok)].join(","));
        assert!(err(&text).contains("LineString"), "{}", err(&text));
    }

    #[test]
    fn owned_and_copied_reads_agree_and_properties_parse_lazily() {
        let text = fc(
            r#"{"type":"Feature","id":"a","geometry":null,"properties":{"title":"Vorukh 2","n":1}},
               {"type":"Feature","id":"b","geometry":{"type":"Point","coordinates":[70,40]},"properties":null}"#,
        );
        let copied = read_points(Path::new("t"), &text).unwrap();
        let owned = read_points_owned(Path::new("t"), text.clone()).unwrap();
        assert_eq!(copied, owned);
        assert_eq!(copied[0].properties.get("title"), Some(json!("Vorukh 2")));
        assert_eq!(copied[0].properties.to_map()["title"], "Vorukh 2");
        assert_eq!(copied[1].properties.raw(), "{}");
        assert!(copied[1].properties.to_map().is_empty());
    }

    #[test]
    fn a_repeated_property_key_is_refused_in_both_reads() {
        let text = fc(
            r#"{"type":"Feature","id":"a","geometry":null,"properties":{"title":"Vorukh","n":1,"title":"Vorukh 2"}}"#,
        );
        for e in [
            read_points(Path::new("t"), &text).unwrap_err(),
            read_points_owned(Path::new("t"), text.clone()).unwrap_err(),
        ] {
            let e = e.to_string();
            assert!(
                e.contains("feature 0 (id \"a\"): property \"title\" appears more than once"),
                "{e}"
            );
        }
    }

    #[test]
    fn big_ids_are_kept_exactly() {
        let f = r#"{"type":"Feature","id":123456789012345678901234567890,"geometry":null,"properties":{}}"#;
        let v = read_points(Path::new("t"), &fc(f)).unwrap();
        assert_eq!(v[0].id, "123456789012345678901234567890");
        // strings: as written when plain, decoded when escaped
        assert_eq!(parse_id(r#" "syn-1" "#), Ok(Some("syn-1".into())));
        assert_eq!(parse_id(r#""a\"b\u00e9""#), Ok(Some("a\"bé".into())));
        let e = err(&fc(
            r#"{"type":"Feature","id":{},"geometry":null,"properties":{}}"#,
        ));
        assert!(e.contains("id must be a string or a number, got {}"), "{e}");
    }

    #[test]
    fn non_point_and_bad_properties() {
        let e = err(&fc(
            r#"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]},"properties":{}}"#,
        ));
        assert!(e.contains("LineString"), "{e}");
        let e = err(&fc(
            r#"{"type":"Feature","geometry":null,"properties":[1,2]}"#,
        ));
        assert!(e.contains("[1,2]"), "{e}");
    }

    #[test]
    fn collection_output_is_stable_and_rounded() {
        let f = feature(
            Some("x".into()),
            Some(point_geometry(LonLat::new(70.1234567, 39.7654321).unwrap())),
            Map::new(),
        );
        let a = feature_collection(std::slice::from_ref(&f));
        assert_eq!(a, feature_collection(&[f]));
        assert!(a.contains("[70.123457,39.765432]"), "{a}");
        assert!(!a.contains("crs"));
    }
}
