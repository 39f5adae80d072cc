//! What kind of delimited text a file is: its delimiter, an Excel `sep=` first line, and
//! whether its numbers use decimal commas.
//!
//! Hand-written, because the one crate for the job (`csv-sniffer`) has had no release since
//! 2020 and pins an old `csv-core`; the rule here is small and stated:
//!
//! - a first line `sep=X` (Excel writes it) names the delimiter and is not data;
//! - otherwise each of `,`, `;`, tab and `|` is counted outside double quotes on the first
//!   [`SNIFF_LINES`] lines (a quoted field may span lines); the delimiter is the one that
//!   occurs on the header line and splits the most lines into as many fields as the header,
//!   ties going to the order `,` `;` tab `|`; with none of them, `,`;
//! - with `;` or tab as the delimiter a number may use a decimal comma (`39,85125`), as
//!   Excel writes it in most of Europe and the former USSR: the coordinate readers accept it.

/// How many lines the sniffer reads.
pub const SNIFF_LINES: usize = 50;

/// The delimiters the sniffer tries, in order of preference.
const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];

/// What the sniffer found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dialect {
    /// The field delimiter.
    pub(super) delimiter: u8,
    /// True when the first line is `sep=X` (skipped, and counted in line numbers).
    pub(super) sep_line: bool,
    /// True when numbers may use a decimal comma (`;` or tab delimiter).
    pub(super) decimal_comma: bool,
}

impl Dialect {
    /// The delimiter as people name it.
    pub(super) fn describe(self) -> String {
        let name = match self.delimiter {
            b',' => "','".to_string(),
            b';' => "';'".to_string(),
            b'\t' => "tab".to_string(),
            b'|' => "'|'".to_string(),
            d => format!("{:?}", d as char),
        };
        let mut s = format!("{name}-separated");
        if self.sep_line {
            s.push_str(" (sep= line)");
        }
        if self.decimal_comma {
            s.push_str(", decimal commas accepted");
        }
        s
    }
}

/// Sniffs the dialect of `text`. See the module docs.
pub(super) fn sniff(text: &str) -> Dialect {
    let first = text.lines().next().unwrap_or("");
    if let Some(rest) = first
        .trim_end_matches('\r')
        .strip_prefix("sep=")
        .or_else(|| first.trim_end_matches('\r').strip_prefix("SEP="))
        && rest.len() == 1
    {
        let delimiter = rest.as_bytes()[0];
        return Dialect {
            delimiter,
            sep_line: true,
            decimal_comma: delimiter != b',',
        };
    }
    // Per line (ending outside quotes), the count of each candidate outside quotes.
    let mut counts: Vec<[usize; 4]> = Vec::new();
    let mut current = [0usize; 4];
    let mut quoted = false;
    for &b in text.as_bytes() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => {
                counts.push(current);
                current = [0; 4];
                if counts.len() >= SNIFF_LINES {
                    break;
                }
            }
            _ if !quoted => {
                if let Some(k) = CANDIDATES.iter().position(|&c| c == b) {
                    current[k] += 1;
                }
            }
            _ => {}
        }
    }
    if counts.len() < SNIFF_LINES && current.iter().any(|&c| c > 0) {
        counts.push(current);
    }
    let mut best: Option<(usize, usize)> = None; // (candidate, lines agreeing)
    if let Some(header) = counts.first() {
        for k in 0..CANDIDATES.len() {
            if header[k] == 0 {
                continue;
            }
            let agree = counts.iter().filter(|c| c[k] == header[k]).count();
            if best.is_none_or(|(_, a)| agree > a) {
                best = Some((k, agree));
            }
        }
    }
    let delimiter = best.map_or(b',', |(k, _)| CANDIDATES[k]);
    Dialect {
        delimiter,
        sep_line: false,
        decimal_comma: delimiter != b',',
    }
}

/// The HXL hashtag row (`#date`, `#geo+lat`, …) that HDX files carry under the header: true
/// when every non-empty cell starts with `#` and at least one does.
pub(super) fn is_hxl_row<'a>(cells: impl Iterator<Item = &'a str>) -> bool {
    let mut any = false;
    for c in cells {
        let c = c.trim();
        if c.is_empty() {
            continue;
        }
        if !c.starts_with('#') {
            return false;
        }
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters_are_found() {
        assert_eq!(sniff("a,b,c\n1,2,3\n").delimiter, b',');
        let semi = sniff("lat;lon;name\n39,85;70,58;a, b\n");
        assert_eq!((semi.delimiter, semi.decimal_comma), (b';', true));
        assert_eq!(sniff("lat\tlon\n1\t2\n").delimiter, b'\t');
        assert_eq!(sniff("lat|lon\n1|2\n").delimiter, b'|');
        // Commas inside quotes do not count.
        assert_eq!(sniff("a;b\n\"x, y, z\";2\n").delimiter, b';');
        let sep = sniff("sep=;\r\na;b\r\n");
        assert_eq!((sep.delimiter, sep.sep_line), (b';', true));
        assert_eq!(sniff("single\n1\n").delimiter, b',');
    }

    #[test]
    fn hxl_rows_are_recognised() {
        assert!(is_hxl_row(["#date", "", "#geo+lat"].into_iter()));
        assert!(!is_hxl_row(["#date", "2020-01-01"].into_iter()));
        assert!(!is_hxl_row(["", ""].into_iter()));
    }
}
