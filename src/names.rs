//! Name normalisation: folding case, diacritics and punctuation, and transliterating
//! Cyrillic (Russian, Kyrgyz, Tajik) to a Latin phonetic key.
//!
//! Two keys are derived from every name:
//! - [`fold`] keeps the script but drops case, diacritics, hyphens, apostrophes and spaces:
//!   `Ak-Sai` → `aksai`, `Ак-Сай` → `аксай`.
//! - [`skeleton`] transliterates to Latin and folds the spelling variants reporters use:
//!   `Vorukh`, `Voruh`, `Woruch` and `Ворух` all give `voruh`.
//!
//! Transliteration uses the `deunicode` crate, with a small table in front of it for the
//! Kyrgyz and Tajik letters where its output differs from the usual romanisation (ҷ is `j`,
//! not `ch'`; ҳ is `h`, not `kh'`). The phonetic folding rules are specific to this region's
//! romanisations, so no crate provides them.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds case, diacritics and punctuation, keeping the script.
///
/// # Examples
/// ```
/// use bordermap::names::fold;
/// assert_eq!(fold("Ak-Sai"), "aksai");
/// assert_eq!(fold("Qal’acha"), "qalacha");
/// assert_eq!(fold("Көк-Таш"), "көкташ");
/// ```
pub fn fold(name: &str) -> String {
    // Most names are plain ASCII, whose decomposition is themselves: the gazetteer folds
    // every name of 8,000 places at start-up.
    if name.is_ascii() {
        return fold_ascii(name);
    }
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        out.push_str(&per_char(c).fold);
    }
    out
}

/// What one character becomes in [`fold`] and in the Latin letters of [`skeleton`]: both
/// work a character at a time (decomposition marks and the spaces transliteration puts
/// between words are dropped), so a character's result can be kept and looked up.
#[derive(Clone)]
struct CharKeys {
    fold: Box<str>,
    latin: Box<str>,
}

/// The keys of `c`: those of the Latin and Cyrillic blocks (below U+0500, where nearly every
/// name's letters are) are computed once, the rest each time. Hand-written: no crate keeps
/// per-character results of decomposition and transliteration.
fn per_char(c: char) -> std::borrow::Cow<'static, CharKeys> {
    use std::sync::OnceLock;
    const TABLE: usize = 0x500;
    static KEYS: [OnceLock<CharKeys>; TABLE] = [const { OnceLock::new() }; TABLE];
    let compute = || {
        let mut buf = [0; 4];
        let one = &*c.encode_utf8(&mut buf);
        CharKeys {
            fold: fold_any(one).into(),
            latin: latin_letters_any(one, "e").into(),
        }
    };
    match KEYS.get(c as usize) {
        Some(cell) => std::borrow::Cow::Borrowed(cell.get_or_init(compute)),
        None => std::borrow::Cow::Owned(compute()),
    }
}

/// [`fold`] for a name written in ASCII: its letters and digits, in lower case.
fn fold_ascii(name: &str) -> String {
    name.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| char::from(b.to_ascii_lowercase()))
        .collect()
}

/// [`fold`] for a name in any script, decomposed as a whole: what [`per_char`] keeps for
/// one character, and the reference a test holds the lookup to.
fn fold_any(name: &str) -> String {
    name.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// The Latin phonetic key of a name, in any script.
///
/// # Examples
/// ```
/// use bordermap::names::skeleton;
/// for v in ["Vorukh", "Voruh", "Woruch", "Ворух"] {
///     assert_eq!(skeleton(v), "voruh", "{v}");
/// }
/// assert_eq!(skeleton("Ак-Сай"), skeleton("Aksay"));
/// assert_eq!(skeleton("Көк-Таш"), skeleton("Koktash"));
/// assert_eq!(skeleton("Хоҷаи Аъло"), skeleton("Khojai A'lo"));
/// assert_eq!(skeleton("Sovetskoye"), skeleton("Советское"));
/// ```
pub fn skeleton(name: &str) -> String {
    let latin = if name.is_ascii() {
        fold_ascii(name)
    } else {
        latin_letters(name)
    };
    phonetic(latin)
}

/// The other Latin phonetic key of a name with ё, read as "yo" rather than "e": Tajik
/// romanisation writes Сомониён as Somoniyon and Ёвон as Yovon, where Russian reads
/// Кёк-Таш as Kek-Tash. `None` for a name without ё.
///
/// # Examples
/// ```
/// use bordermap::names::{skeleton, skeleton_yo};
/// assert_eq!(skeleton_yo("Сомониён"), Some(skeleton("Somoniyon")));
/// assert_eq!(skeleton("Кёк-Таш"), skeleton("Kek-Tash"));
/// assert_eq!(skeleton_yo("Ворух"), None);
/// ```
pub fn skeleton_yo(name: &str) -> Option<String> {
    (!name.is_ascii() && name.chars().any(|c| c == 'ё' || c == 'Ё'))
        .then(|| phonetic(latin_letters_with(name, "yo")))
}

/// The lower-case ASCII letters and digits of a name in any script: Kyrgyz and Tajik letters
/// first as reporters write them, then every other letter transliterated.
fn latin_letters(name: &str) -> String {
    latin_letters_with(name, "e")
}

/// [`latin_letters`], with ё written as `yo` gives (`"e"` there, `"yo"` for [`skeleton_yo`]),
/// a character at a time through [`per_char`].
fn latin_letters_with(name: &str, yo: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if c == 'ё' || c == 'Ё' {
            out.push_str(yo);
        } else {
            out.push_str(&per_char(c).latin);
        }
    }
    out
}

/// [`latin_letters_with`] transliterated as a whole: what [`per_char`] keeps for one
/// character, and the reference a test holds the lookup to.
fn latin_letters_any(name: &str, yo: &str) -> String {
    let mut pre = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ҷ' => pre.push('j'),
            'ҳ' => pre.push('h'),
            'қ' => pre.push('q'),
            'ғ' => pre.push_str("gh"),
            'ң' => pre.push_str("ng"),
            'ө' => pre.push('o'),
            'ү' => pre.push('u'),
            'ӣ' => pre.push('i'),
            'ӯ' => pre.push('u'),
            'ё' => pre.push_str(yo),
            'й' => pre.push('y'),
            'ъ' | 'ь' => {}
            _ => pre.push(c),
        }
    }
    deunicode::deunicode(&pre)
        .to_lowercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// The phonetic key of lower-case ASCII letters and digits: spelling variants folded
/// (`kh` and `x` as `h`, `dzh`, `zh` and `dj` as `j`, …), doubled letters as one.
fn phonetic(latin: String) -> String {
    let mut s = latin;
    // Which letters a string has: a rule is looked for only where all of its letters are
    // (most names have no x, q, w or "ye"), and the set is taken again after a change.
    let letters = |s: &str| {
        s.bytes()
            .filter(u8::is_ascii_lowercase)
            .fold(0u32, |m, b| m | 1 << (b - b'a'))
    };
    let mut has = letters(&s);
    for (from, to) in [
        // Russian е after a vowel is "ye" in English romanisation and "e" in most others
        // (Sovetskoye, Sovetskoe, Советское; Chapayeva, Chapaeva).
        ("aye", "ae"),
        ("eye", "ee"),
        ("iye", "ie"),
        ("oye", "oe"),
        ("uye", "ue"),
        ("tsch", "ch"),
        ("sch", "sh"),
        ("dzh", "j"),
        ("zh", "j"),
        ("dj", "j"),
        ("kh", "h"),
        ("ck", "k"),
        ("x", "h"),
        ("q", "k"),
        ("gh", "g"),
        ("w", "v"),
        ("y", "i"),
    ] {
        let need = letters(from);
        if has & need == need && s.contains(from) {
            s = s.replace(from, to);
            has = letters(&s);
        }
    }
    // German "ch" for the Russian х at the end of a name (Woruch).
    if s.len() > 3 && s.ends_with("ch") {
        let before = s.as_bytes()[s.len() - 3];
        if b"aeiou".contains(&before) {
            s.truncate(s.len() - 2);
            s.push('h');
        }
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// True when the name is written (at least partly) in Cyrillic.
///
/// # Examples
/// ```
/// assert!(bordermap::names::is_cyrillic("Ворух"));
/// assert!(!bordermap::names::is_cyrillic("Vorukh"));
/// ```
pub fn is_cyrillic(name: &str) -> bool {
    name.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_shortcuts_fold_as_the_general_path_does() {
        // Every name of the shipped gazetteer written in ASCII, and some awkward ones.
        let mut names: Vec<&str> = crate::shipped::GAZETTEER_CSV
            .split(['\n', ',', '|', '@'])
            .filter(|n| n.is_ascii())
            .collect();
        names.extend([
            "",
            " ",
            "--",
            "O'Neil",
            "KH-X",
            "Dzh'a  DJ",
            "a1b2",
            "TSCH sch",
        ]);
        assert!(names.len() > 20_000, "{}", names.len());
        for n in names {
            assert_eq!(fold(n), fold_any(n), "{n:?}");
            assert_eq!(skeleton(n), phonetic(latin_letters(n)), "{n:?}");
        }
    }

    #[test]
    fn a_name_keyed_a_character_at_a_time_is_keyed_as_a_whole() {
        // Every name of the shipped gazetteer and of the hand-added places, every character
        // below U+3400 alone and followed by two marks, and some awkward names.
        let mut names: Vec<String> = crate::shipped::GAZETTEER_CSV
            .split(['\n', ',', '|', '@'])
            .map(str::to_string)
            .collect();
        names.extend(
            crate::shipped::PLACES_MANUAL_TOML
                .split('"')
                .map(str::to_string),
        );
        for c in (0..0x3400).filter_map(char::from_u32) {
            names.push(c.to_string());
            names.push(format!("{c}\u{301}\u{327}a"));
        }
        names.extend(
            [
                "Ёвон",
                "КЁК-ТАШ",
                "Şähri",
                "ǅa",
                "İstanbul",
                "Ꭰꮳ",
                "北京 市",
                "ﬁeld",
                "Ⅻ",
                "Å\u{30a}",
            ]
            .map(str::to_string),
        );
        assert!(names.len() > 60_000, "{}", names.len());
        for n in &names {
            assert_eq!(fold(n), fold_any(n), "{n:?}");
            for yo in ["e", "yo"] {
                assert_eq!(latin_letters_with(n, yo), latin_letters_any(n, yo), "{n:?}");
            }
        }
    }

    #[test]
    fn spelling_variants_share_a_skeleton() {
        let groups: &[&[&str]] = &[
            &["Vorukh", "Voruh", "Woruch", "Ворух", "VORUKH"],
            &["Ak-Sai", "Aksay", "Ак-Сай", "Ak-Say", "Aksai"],
            &["Kok-Tash", "Koktash", "Көк-Таш", "Kök-Tash"],
            &["Isfara", "Исфара"],
            &["Batken", "Баткен"],
            &["Chorkuh", "Чоркуҳ"],
            &["Jalal-Abad", "Dzhalal-Abad", "Жалал-Абад"],
        ];
        for group in groups {
            let k = skeleton(group[0]);
            for v in *group {
                assert_eq!(skeleton(v), k, "{v} vs {}", group[0]);
            }
        }
    }

    #[test]
    fn distinct_places_stay_distinct() {
        assert_ne!(skeleton("Isfara"), skeleton("Isfana"));
        assert_ne!(skeleton("Samarkand"), skeleton("Samarkandek"));
        assert_ne!(skeleton("Batken"), skeleton("Isfana"));
    }

    #[test]
    fn fold_keeps_script_and_drops_marks() {
        assert_eq!(fold("Këk-Tash"), "kektash");
        assert_eq!(fold("  Vo-rukh "), "vorukh");
        assert_eq!(fold("Исфара"), "исфара");
    }
}
