//! Query understanding: the feature words people write around a name ("Sokh enclave",
//! "село Ак-Сай", "Баткенская область", "аэропорт Ош"), airport codes (IATA, ICAO), and the
//! nominative of a Russian adjectival district or region name ("Сохский район" → Сох), and
//! the region or district a hint names.
//!
//! A feature word is removed from the name and becomes a [`FeatureKind`]: a constraint on the
//! kind of place the answer may be. The words are matched after [`fold`], so case, diacritics
//! and full stops do not matter (`г.`, `с.`, `р-н`).

use super::PlaceKind;
use crate::names::{fold, is_cyrillic};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The kind of place a feature word asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeatureKind {
    /// village, село, кишлак, айыл, деҳа, qishloq, …
    Village,
    /// town, city, город, шаҳр, шаары, …
    Town,
    /// airport, airfield, аэропорт, фурудгоҳ, …
    Airport,
    /// enclave, анклав
    Enclave,
    /// district, raion, район, ноҳия, tumani, …
    District,
    /// region, oblast, область, вилоят, облусу, …
    Region,
    /// bazaar, market, базар, бозор, рынок: the settlement the market is in
    Bazaar,
    /// border post, outpost, border crossing, checkpoint, застава, КПП, пункт пропуска
    BorderPost,
}

impl FeatureKind {
    /// True when a place of `kind` can be what the word asks for. A village word accepts
    /// towns (reporters call small towns villages), and a district word accepts enclaves
    /// (Uzbekistan's Sokh District is the Sokh enclave).
    ///
    /// # Examples
    /// ```
    /// use bordermap::gazetteer::{FeatureKind, PlaceKind};
    /// assert!(FeatureKind::Village.accepts(PlaceKind::Town));
    /// assert!(!FeatureKind::Enclave.accepts(PlaceKind::Village));
    /// ```
    pub fn accepts(self, kind: PlaceKind) -> bool {
        use PlaceKind as K;
        match self {
            FeatureKind::Village | FeatureKind::Town | FeatureKind::Bazaar => {
                matches!(kind, K::Village | K::Town)
            }
            FeatureKind::Airport => kind == K::Airport,
            FeatureKind::Enclave => kind == K::Enclave,
            FeatureKind::District => matches!(kind, K::District | K::Enclave),
            FeatureKind::Region => kind == K::Region,
            FeatureKind::BorderPost => kind == K::BorderPost,
        }
    }

    /// True when `kind` is the one the word names most directly (a town for "city", a
    /// village for "село", a district for "район"); such places get a small bonus over the
    /// other accepted kinds.
    pub fn prefers(self, kind: PlaceKind) -> bool {
        matches!(
            (self, kind),
            (FeatureKind::Town, PlaceKind::Town)
                | (FeatureKind::Village, PlaceKind::Village)
                | (FeatureKind::District, PlaceKind::District)
        )
    }

    /// The word used in reasons: "village", "airport", …
    pub fn as_str(self) -> &'static str {
        match self {
            FeatureKind::Village => "village",
            FeatureKind::Town => "town",
            FeatureKind::Airport => "airport",
            FeatureKind::Enclave => "enclave",
            FeatureKind::District => "district",
            FeatureKind::Region => "region",
            FeatureKind::Bazaar => "bazaar",
            FeatureKind::BorderPost => "border post",
        }
    }
}

/// Feature words, folded, one or two tokens, in Latin and Cyrillic script (Russian, Kyrgyz,
/// Tajik, Uzbek and English forms).
const WORDS: &[(&str, FeatureKind)] = {
    use FeatureKind as F;
    &[
        ("village", F::Village),
        ("vil", F::Village),
        ("kishlak", F::Village),
        ("qishloq", F::Village),
        ("qishlogi", F::Village),
        ("selo", F::Village),
        ("aiyl", F::Village),
        ("ayil", F::Village),
        ("ayyl", F::Village),
        ("ail", F::Village),
        ("aul", F::Village),
        ("deha", F::Village),
        ("dehai", F::Village),
        ("hamlet", F::Village),
        ("settlement", F::Village),
        ("село", F::Village),
        ("с", F::Village),
        ("кишлак", F::Village),
        ("кишлок", F::Village),
        ("кишлоқ", F::Village),
        ("қишлоқ", F::Village),
        ("айыл", F::Village),
        ("айылы", F::Village),
        ("аул", F::Village),
        ("деха", F::Village),
        ("деҳа", F::Village),
        ("дехаи", F::Village),
        ("деҳаи", F::Village),
        ("деревня", F::Village),
        ("поселок", F::Village),
        ("пос", F::Village),
        ("п", F::Village),
        ("town", F::Town),
        ("city", F::Town),
        ("shahr", F::Town),
        ("shahri", F::Town),
        ("shaary", F::Town),
        ("gorod", F::Town),
        ("город", F::Town),
        ("г", F::Town),
        ("пгт", F::Town),
        ("шахр", F::Town),
        ("шаҳр", F::Town),
        ("шахри", F::Town),
        ("шаҳри", F::Town),
        ("шаар", F::Town),
        ("шаары", F::Town),
        ("airport", F::Airport),
        ("international airport", F::Airport),
        ("airfield", F::Airport),
        ("aerodrome", F::Airport),
        ("air base", F::Airport),
        ("airbase", F::Airport),
        ("aeroport", F::Airport),
        ("аэропорт", F::Airport),
        ("аэропорту", F::Airport),
        ("эл аралык аэропорту", F::Airport),
        ("эл аралык аэропорт", F::Airport),
        ("международный аэропорт", F::Airport),
        ("фурудгоҳи байналмилалии", F::Airport),
        ("фурудгохи байналмилалии", F::Airport),
        ("аэродром", F::Airport),
        ("авиабаза", F::Airport),
        ("фурудгох", F::Airport),
        ("фурудгоҳ", F::Airport),
        ("фурудгохи", F::Airport),
        ("фурудгоҳи", F::Airport),
        ("enclave", F::Enclave),
        ("exclave", F::Enclave),
        ("анклав", F::Enclave),
        ("эксклав", F::Enclave),
        ("анклавы", F::Enclave),
        ("анклави", F::Enclave),
        ("эксклави", F::Enclave),
        ("district", F::District),
        ("raion", F::District),
        ("rayon", F::District),
        ("nohiya", F::District),
        ("nohiyai", F::District),
        ("tumani", F::District),
        ("tuman", F::District),
        ("район", F::District),
        ("району", F::District),
        ("рн", F::District),
        ("нохия", F::District),
        ("ноҳия", F::District),
        ("нохияи", F::District),
        ("ноҳияи", F::District),
        ("тумани", F::District),
        ("region", F::Region),
        ("oblast", F::Region),
        ("oblasty", F::Region),
        ("oblusu", F::Region),
        ("province", F::Region),
        ("viloyat", F::Region),
        ("viloyati", F::Region),
        ("область", F::Region),
        ("обл", F::Region),
        ("облусу", F::Region),
        ("облысы", F::Region),
        ("вилоят", F::Region),
        ("вилояти", F::Region),
        ("bazaar", F::Bazaar),
        ("bazar", F::Bazaar),
        ("bozor", F::Bazaar),
        ("market", F::Bazaar),
        ("базар", F::Bazaar),
        ("базары", F::Bazaar),
        ("бозор", F::Bazaar),
        ("бозори", F::Bazaar),
        ("рынок", F::Bazaar),
        ("border post", F::BorderPost),
        ("border outpost", F::BorderPost),
        ("outpost", F::BorderPost),
        ("checkpoint", F::BorderPost),
        ("застава", F::BorderPost),
        ("погранзастава", F::BorderPost),
        ("заставасы", F::BorderPost),
        ("border crossing", F::BorderPost),
        ("crossing point", F::BorderPost),
        ("border checkpoint", F::BorderPost),
        ("frontier post", F::BorderPost),
        ("кпп", F::BorderPost),
        ("погранпост", F::BorderPost),
        ("пограничный пост", F::BorderPost),
        ("пограничная застава", F::BorderPost),
        ("пункт пропуска", F::BorderPost),
        ("чек ара бекети", F::BorderPost),
        ("чек ара заставасы", F::BorderPost),
        ("чек ара посту", F::BorderPost),
        ("посгоҳи сарҳадӣ", F::BorderPost),
        ("посгоҳи сарҳадии", F::BorderPost),
        ("посгохи сархади", F::BorderPost),
        ("посгохи сархадии", F::BorderPost),
        ("посгоҳи марзӣ", F::BorderPost),
        ("гузаргоҳи сарҳадӣ", F::BorderPost),
        ("chegara posti", F::BorderPost),
        ("chegara punkti", F::BorderPost),
    ]
};

/// A name with its feature word removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    /// The name without the word: `Sokh` for `Sokh enclave`.
    pub name: String,
    /// What the word asks for.
    pub kind: FeatureKind,
}

/// Removes one feature word from the start or the end of `name` (a word needs a name
/// beside it: `Airport` alone is a name, not a word).
///
/// # Examples
/// ```
/// use bordermap::gazetteer::{strip_feature_word, FeatureKind};
/// let s = strip_feature_word("Sokh enclave").unwrap();
/// assert_eq!((s.name.as_str(), s.kind), ("Sokh", FeatureKind::Enclave));
/// let s = strip_feature_word("село Ак-Сай").unwrap();
/// assert_eq!((s.name.as_str(), s.kind), ("Ак-Сай", FeatureKind::Village));
/// let s = strip_feature_word("Manas International Airport").unwrap();
/// assert_eq!(s.name, "Manas");
/// assert_eq!(strip_feature_word("Vorukh"), None);
/// ```
pub fn strip_feature_word(name: &str) -> Option<Stripped> {
    if !name.trim().contains(char::is_whitespace) {
        return None;
    }
    let tokens: Vec<&str> = name.split_whitespace().collect();
    let folded: Vec<String> = tokens.iter().map(|t| fold(t)).collect();
    let n = tokens.len();
    // Longest word first, at the end, then at the start.
    for len in [3, 2, 1] {
        if n <= len {
            continue;
        }
        let tail = folded[n - len..].join(" ");
        if let Some(kind) = word_kind(&tail) {
            return Some(Stripped {
                name: tokens[..n - len].join(" "),
                kind,
            });
        }
        let head = folded[..len].join(" ");
        if let Some(kind) = word_kind(&head) {
            return Some(Stripped {
                name: tokens[len..].join(" "),
                kind,
            });
        }
    }
    None
}

fn word_kind(folded: &str) -> Option<FeatureKind> {
    static FOLDED: OnceLock<HashMap<String, FeatureKind>> = OnceLock::new();
    FOLDED
        .get_or_init(|| WORDS.iter().map(|&(w, k)| (fold_words(w), k)).collect())
        .get(folded)
        .copied()
}

fn fold_words(w: &str) -> String {
    w.split_whitespace().map(fold).collect::<Vec<_>>().join(" ")
}

/// The nominatives a Russian adjectival name may stand for: `Сохский` → `Сох`,
/// `Баткенская` → `Баткен`, `Исфаринский` → `Исфара`, `Согдийская` → `Согд`. Empty for
/// anything else.
///
/// # Examples
/// ```
/// use bordermap::gazetteer::adjective_stems;
/// assert!(adjective_stems("Сохский").contains(&"Сох".to_string()));
/// assert!(adjective_stems("Исфаринский").contains(&"Исфара".to_string()));
/// assert!(adjective_stems("Баткенская").contains(&"Баткен".to_string()));
/// assert!(adjective_stems("Vorukh").is_empty());
/// ```
pub fn adjective_stems(name: &str) -> Vec<String> {
    if !is_cyrillic(name) {
        return vec![];
    }
    let lower = name.to_lowercase();
    let Some(suffix) = ["ского", "ский", "ская", "ское", "ской", "ские"]
        .iter()
        .find(|s| lower.ends_with(*s))
    else {
        return vec![];
    };
    let chars: Vec<char> = name.chars().collect();
    let stem: String = chars[..chars.len() - suffix.chars().count()]
        .iter()
        .collect();
    let mut out = vec![stem.clone(), format!("{stem}а")];
    for tail in ["ин", "ен", "ий", "ов", "ев"] {
        if let Some(s) = stem.strip_suffix(tail) {
            out.push(s.to_string());
            out.push(format!("{s}а"));
        }
    }
    out.retain(|s| s.chars().count() >= 2);
    out
}

/// True for an airport code as people write it: three (IATA) or four (ICAO) capital letters.
///
/// # Examples
/// ```
/// assert!(bordermap::gazetteer::looks_like_code("OSS"));
/// assert!(bordermap::gazetteer::looks_like_code("UCFO"));
/// assert!(!bordermap::gazetteer::looks_like_code("Osh"));
/// ```
pub fn looks_like_code(query: &str) -> bool {
    let q = query.trim();
    (3..=4).contains(&q.len()) && q.chars().all(|c| c.is_ascii_uppercase())
}

/// The consonants of a skeleton, marked so that they never equal a skeleton: "Andijon" and
/// "Андижан" differ in a vowel only.
pub(super) fn consonants(skeleton: &str) -> String {
    std::iter::once('~')
        .chain(skeleton.chars().filter(|c| !"aeiouy".contains(*c)))
        .collect()
}

/// The preferred-name key of an admin unit named `hint` in any of its names, with or
/// without its feature word ("Batken Region", "Баткенская область", "Sughd").
pub(super) fn admin_key(keys: &foldhash::HashMap<String, String>, hint: &str) -> Option<String> {
    let hint = hint.trim();
    if hint.is_empty() {
        return None;
    }
    if let Some(k) = keys.get(&fold(hint)) {
        return Some(k.clone());
    }
    let s = strip_feature_word(hint)?;
    std::iter::once(s.name.clone())
        .chain(adjective_stems(&s.name))
        .find_map(|n| keys.get(&fold(&n)).cloned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_before_and_after_in_both_scripts() {
        for (q, name, kind) in [
            ("Vorukh enclave", "Vorukh", FeatureKind::Enclave),
            ("анклав Ворух", "Ворух", FeatureKind::Enclave),
            ("Аэропорт Баткен", "Баткен", FeatureKind::Airport),
            ("Osh airport", "Osh", FeatureKind::Airport),
            ("кишлак Ходжаи-Аало", "Ходжаи-Аало", FeatureKind::Village),
            ("Isfara District", "Isfara", FeatureKind::District),
            ("Баткен району", "Баткен", FeatureKind::District),
            ("ноҳияи Исфара", "Исфара", FeatureKind::District),
            ("Batken oblast", "Batken", FeatureKind::Region),
            ("вилояти Суғд", "Суғд", FeatureKind::Region),
            ("г. Ош", "Ош", FeatureKind::Town),
            ("Kara-Suu bazaar", "Kara-Suu", FeatureKind::Bazaar),
            ("Dostuk border post", "Dostuk", FeatureKind::BorderPost),
            (
                "Kyzyl-Bel border crossing",
                "Kyzyl-Bel",
                FeatureKind::BorderPost,
            ),
            ("КПП Кызыл-Бел", "Кызыл-Бел", FeatureKind::BorderPost),
            (
                "пункт пропуска Бор-Добо",
                "Бор-Добо",
                FeatureKind::BorderPost,
            ),
            ("Ak-Sai village", "Ak-Sai", FeatureKind::Village),
        ] {
            let s = strip_feature_word(q).unwrap_or_else(|| panic!("{q}"));
            assert_eq!((s.name.as_str(), s.kind), (name, kind), "{q}");
        }
    }

    #[test]
    fn a_word_alone_or_inside_a_name_is_not_stripped() {
        assert_eq!(strip_feature_word("Airport"), None);
        assert_eq!(strip_feature_word("Kara-Bazar"), None);
        assert_eq!(strip_feature_word("Kok-Tash"), None);
    }

    #[test]
    fn codes_are_capitals_only() {
        assert!(looks_like_code("LBD"));
        assert!(!looks_like_code("lbd"));
        assert!(!looks_like_code("UCFOO"));
    }
}
