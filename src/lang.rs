//! The language of the words on the maps and the HTML page: English (the default) or
//! Russian. The words themselves are in one table, [`crate::render::text`]; this module only
//! names the languages.

use std::fmt;

/// A language the maps and the page can be written in.
///
/// # Examples
/// ```
/// use bordermap::Lang;
/// assert_eq!(Lang::parse("ru"), Some(Lang::Ru));
/// assert_eq!(Lang::default(), Lang::En);
/// assert_eq!(Lang::Ru.code(), "ru");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian, in Cyrillic.
    Ru,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The ISO 639-1 code (`en`, `ru`).
    ///
    /// # Examples
    /// ```
    /// assert_eq!(bordermap::Lang::En.code(), "en");
    /// ```
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language with an ISO 639-1 code, in any case.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(bordermap::Lang::parse("EN"), Some(bordermap::Lang::En));
    /// assert_eq!(bordermap::Lang::parse("de"), None);
    /// ```
    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}
