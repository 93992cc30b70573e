//! The one place kosum's own data in `dict/` is read: the tech-term user
//! dictionary and gazetteer (`terms.tsv`), the stopword list
//! (`stopwords.txt`), the background word statistics (`background.tsv`) and
//! the word classes of the entity patterns (`entity-words.tsv`).
//! The files are embedded at compile time, parsed once (the background table
//! is searched where it lies), and shared; users can add rows of the terms
//! format at run time (`--user-dict`).

use foldhash::HashSet;
use std::borrow::Cow;
use std::sync::OnceLock;

use crate::entities::EntityType;
use crate::error::{Error, Result};

const TERMS_TSV: &str = include_str!("../dict/terms.tsv");
const STOPWORDS_TXT: &str = include_str!("../dict/stopwords.txt");
const BACKGROUND_TSV: &str = include_str!("../dict/background.tsv");
const ENTITY_WORDS_TSV: &str = include_str!("../dict/entity-words.tsv");
const ABBREVIATIONS_TXT: &str = include_str!("../dict/abbreviations.txt");

/// How a term row takes part in analysis (the `pos` column of `terms.tsv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermPos {
    /// A proper noun the tokenizer must keep whole.
    ProperNoun,
    /// A common noun the tokenizer must keep whole.
    CommonNoun,
    /// A Latin-alphabet form; the tokenizer keeps those whole already.
    Latin,
    /// An alias for the entity gazetteer only, never a tokenizer entry.
    GazetteerOnly,
}

impl TermPos {
    fn parse(column: &str) -> Option<Self> {
        match column {
            "NNP" => Some(Self::ProperNoun),
            "NNG" => Some(Self::CommonNoun),
            "SL" => Some(Self::Latin),
            "GAZ" => Some(Self::GazetteerOnly),
            _ => None,
        }
    }

    /// The mecab-ko-dic tag a tokenizer entry gets.
    pub fn tag(self) -> &'static str {
        match self {
            Self::ProperNoun => "NNP",
            Self::CommonNoun => "NNG",
            Self::Latin => "SL",
            Self::GazetteerOnly => "NNP",
        }
    }
}

/// One row of `terms.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The form as written in text (may contain spaces).
    pub surface: String,
    pub pos: TermPos,
    /// The entity type, or `None` for a plain term (`-`).
    pub entity: Option<EntityType>,
    /// The canonical name all aliases of one entity share.
    pub canonical: String,
}

impl Term {
    /// Whether the tokenizer's user dictionary should hold this row: a
    /// noun written without spaces that contains Hangul (pure Latin forms are
    /// single tokens already).
    pub fn is_tokenizer_entry(&self) -> bool {
        matches!(self.pos, TermPos::ProperNoun | TermPos::CommonNoun)
            && !self.surface.contains(char::is_whitespace)
            && self.surface.chars().any(is_hangul_syllable)
    }
}

/// The content lines of a data file with their 1-based line numbers: blank
/// lines and `#` comments are skipped and a trailing CR is dropped.
pub(crate) fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    // Line ends found with `memchr` rather than `str::lines`, whose
    // per-line search set-up shows on short lines. Callgrind, builds that
    // differ only here: reading an IDF file of 11,007 lines takes 9.9 M
    // instructions against 10.7 M, and the term rows read at every start
    // 2.1 M against 2.2 M (the whole one-line run 28.0 M against 28.3 M).
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    let mut start = 0;
    ends.enumerate()
        .map(move |(index, end)| {
            let line = &text[start..end];
            start = end + 1;
            (index + 1, line.trim_end_matches('\r'))
        })
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
}

/// The text before and after the first tab of a data line, if it has one:
/// the one column split of the data parsers (background table, entity
/// words, IDF files). A `memchr` search here measured no cheaper than
/// `str::split_once` (reading background.tsv: 22.0 M against 21.5 M
/// instructions; an IDF file of 11,007 lines: 9.00 M either way).
pub(crate) fn split_at_tab(line: &str) -> Option<(&str, &str)> {
    line.split_once('\t')
}

/// Whether `c` is a precomposed Hangul syllable (가–힣).
pub fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// Whether lower-casing `text` char by char leaves it as it is. ASCII and
/// Hangul syllables, most of kosum's text, are answered from their bytes,
/// without decoding them or reading the Unicode case tables.
pub fn is_lowercase(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        if byte.is_ascii() {
            if byte.is_ascii_uppercase() {
                return false;
            }
            index += 1;
            continue;
        }
        if let [_, second, third, ..] = bytes[index..]
            && HANGUL_SYLLABLES_UTF8.contains(&u32::from_be_bytes([0, byte, second, third]))
        {
            index += 3;
            continue;
        }
        let Some(c) = text[index..].chars().next() else {
            break;
        };
        let mut lower = c.to_lowercase();
        if lower.next() != Some(c) || lower.next().is_some() {
            return false;
        }
        index += c.len_utf8();
    }
    true
}

/// The UTF-8 of the Hangul syllables (가 to 힣), as the three bytes of a char
/// read as one number: as UTF-8 keeps the order of code points, a char of
/// three bytes is a syllable exactly when its number lies in this range.
const HANGUL_SYLLABLES_UTF8: std::ops::RangeInclusive<u32> = 0xEA_B0_80..=0xED_9E_A3;

/// `text` lower-cased char by char, borrowed when that changes nothing.
pub fn lowercase(text: &str) -> Cow<'_, str> {
    if is_lowercase(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().flat_map(char::to_lowercase).collect())
    }
}

/// Appends `text` to `buffer`, lower-cased char by char.
pub fn push_lowercase(buffer: &mut String, text: &str) {
    if is_lowercase(text) {
        buffer.push_str(text);
    } else {
        buffer.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// Terms of the user dictionary and gazetteer, in file order.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    rows: Vec<Term>,
}

impl Terms {
    /// Parses rows in the `terms.tsv` format; `source_name` names the file in
    /// errors.
    pub fn parse(source_name: &str, text: &str) -> Result<Self> {
        let mut rows = Vec::new();
        for (number, line) in data_lines(text) {
            let error = |message: String| Error::data_format(source_name, number, message);
            let columns: Vec<&str> = line.split('\t').collect();
            let [surface, pos, entity, canonical] = columns[..] else {
                return Err(error(format!(
                    "expected 4 tab-separated columns (surface, pos, type, canonical), found {}",
                    columns.len()
                )));
            };
            let surface = surface.trim();
            if surface.is_empty() {
                return Err(error("the surface column is empty".into()));
            }
            let pos = TermPos::parse(pos.trim()).ok_or_else(|| {
                error(format!(
                    "unknown pos {pos:?}; use NNP, NNG, SL or GAZ (see dict/README.md)"
                ))
            })?;
            let entity = match entity.trim() {
                "-" => None,
                name => Some(EntityType::parse(name).ok_or_else(|| {
                    error(format!(
                        "unknown entity type {name:?}; use ORG, PRODUCT, PERSON, LOCATION or -"
                    ))
                })?),
            };
            let canonical = match canonical.trim() {
                "" => surface.to_string(),
                name => name.to_string(),
            };
            rows.push(Term {
                surface: surface.to_string(),
                pos,
                entity,
                canonical,
            });
        }
        Ok(Self { rows })
    }

    /// kosum's own terms (`dict/terms.tsv`).
    pub fn builtin() -> &'static Terms {
        static BUILTIN: OnceLock<Terms> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Terms::parse("dict/terms.tsv", TERMS_TSV)
                .expect("dict/terms.tsv is checked by the test suite")
        })
    }

    /// Appends another set of rows (a user's file after ours).
    pub fn extend(&mut self, other: &Terms) {
        self.rows.extend(other.rows.iter().cloned());
    }

    pub fn iter(&self) -> impl Iterator<Item = &Term> {
        self.rows.iter()
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Words never reported as keywords (`dict/stopwords.txt`).
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    words: HashSet<String>,
}

/// The entries of a one-word-per-line list: trimmed lines, without blank
/// lines and `#` comments.
fn list_entries(text: &str) -> impl Iterator<Item = &str> {
    data_lines(text)
        .map(|(_, line)| line.trim())
        .filter(|line| !line.starts_with('#'))
}

impl Stopwords {
    pub fn parse(text: &str) -> Self {
        let words = list_entries(text)
            .map(|word| lowercase(word).into_owned())
            .collect();
        Self { words }
    }

    pub fn builtin() -> &'static Stopwords {
        static BUILTIN: OnceLock<Stopwords> = OnceLock::new();
        BUILTIN.get_or_init(|| Stopwords::parse(STOPWORDS_TXT))
    }

    /// Whether `word` (compared in lower case) is a stopword.
    pub fn contains(&self, word: &str) -> bool {
        self.contains_lowercase(lowercase(word).as_ref())
    }

    /// Whether `key`, already in lower case ([`lowercase`]), is a stopword:
    /// for callers that made the key anyway, so it is not checked again.
    pub fn contains_lowercase(&self, key: &str) -> bool {
        debug_assert!(is_lowercase(key), "{key:?} is not in lower case");
        self.words.contains(key)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// Latin abbreviations whose period does not end a sentence
/// (`dict/abbreviations.txt`), for the sentence splitter.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    words: HashSet<String>,
}

impl Abbreviations {
    pub fn parse(text: &str) -> Self {
        let words = list_entries(text).map(str::to_string).collect();
        Self { words }
    }

    pub fn builtin() -> &'static Abbreviations {
        static BUILTIN: OnceLock<Abbreviations> = OnceLock::new();
        BUILTIN.get_or_init(|| Abbreviations::parse(ABBREVIATIONS_TXT))
    }

    /// Whether `word` (without its period) is a listed abbreviation.
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }
}

/// Background word frequencies (Zipf scale: log10 of occurrences per
/// billion words) from general Korean text, for inverse document frequency.
///
/// The table is searched where it lies. Its rows are sorted by word, so a
/// look-up is a binary search over the row starts, which one `memchr` pass
/// finds: building a hash map of the 30,000 rows took 21.5 M instructions
/// at every start (callgrind, one-line run), more than the dictionary load.
/// (A search without the row starts, finding the line ends around each
/// probe, took 5,100 instructions a look-up.)
#[derive(Debug, Clone, Default)]
pub struct Background {
    /// The `word<TAB>zipf` rows, sorted by word, each ended by a line feed
    /// but maybe the last; the header comments are left out.
    rows: &'static str,
    /// The byte offset in `rows` where each row starts.
    starts: Vec<u32>,
}

impl Background {
    /// The table in `text` (header comments, then rows sorted by word), with
    /// every row checked: a tab between word and Zipf value, a value that
    /// parses, a word in lower case and after the word of the row before.
    /// An error names the line.
    pub fn parse(source_name: &str, text: &'static str) -> Result<Self> {
        let (header_lines, rows) = split_header(text);
        let background = Self::unchecked(rows);
        let mut previous: Option<&str> = None;
        for (index, row) in background.rows.lines().enumerate() {
            let number = header_lines + index + 1;
            let fault = match split_at_tab(row) {
                None => Some("expected `word<TAB>zipf frequency`"),
                Some((_, value)) if value.trim().parse::<f32>().is_err() => {
                    Some("expected a number after the tab")
                }
                Some((word, _)) if !is_lowercase(word) => Some("expected a word in lower case"),
                Some((word, _)) if previous.is_some_and(|previous| previous >= word) => Some(
                    "expected a word after the one above (rows sorted by word, each word once)",
                ),
                Some((word, _)) => {
                    previous = Some(word);
                    None
                }
            };
            if let Some(fault) = fault {
                return Err(Error::data_format(source_name, number, fault));
            }
        }
        Ok(background)
    }

    /// The table of `rows` (the header left out) without checking them: for
    /// the embedded table, which the test suite checks with
    /// [`Background::parse`].
    fn unchecked(rows: &'static str) -> Self {
        let row_ends = memchr::memchr_iter(b'\n', rows.as_bytes());
        let starts = std::iter::once(0)
            .chain(row_ends.map(|end| end + 1))
            .take_while(|&start| start < rows.len())
            .map(|start| start as u32)
            .collect();
        Self { rows, starts }
    }

    pub fn builtin() -> &'static Background {
        static BUILTIN: OnceLock<Background> = OnceLock::new();
        BUILTIN.get_or_init(|| Background::unchecked(split_header(BACKGROUND_TSV).1))
    }

    /// The Zipf frequency of `word`, if the table has it.
    pub fn zipf(&self, word: &str) -> Option<f32> {
        let rows = self.rows.as_bytes();
        let found = self
            .starts
            .binary_search_by(|&start| {
                // A row is its word, a tab and the value.
                let row = &rows[start as usize..];
                match row.get(..word.len()) {
                    None => row.cmp(word.as_bytes()),
                    Some(head) => head.cmp(word.as_bytes()).then_with(|| {
                        // The row starts with `word`: its word is `word` if a
                        // tab follows, else a longer one.
                        if row.get(word.len()) == Some(&b'\t') {
                            std::cmp::Ordering::Equal
                        } else {
                            std::cmp::Ordering::Greater
                        }
                    }),
                }
            })
            .ok()?;
        let row = &self.rows[self.starts[found] as usize..];
        let row = row.split_once('\n').map_or(row, |(row, _)| row);
        let (_, value) = split_at_tab(row)?;
        value.trim().parse().ok()
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }
}

/// The number of header lines of a background table and the rows after
/// them. The header is the leading lines that start with `#` and hold no
/// tab: every row has one, so a word may start with `#`.
fn split_header(text: &str) -> (usize, &str) {
    let mut rows = text;
    let mut header_lines = 0;
    while let Some(line) = rows.lines().next()
        && line.starts_with('#')
        && !line.contains('\t')
    {
        rows = rows.split_once('\n').map_or("", |(_, rest)| rest);
        header_lines += 1;
    }
    (header_lines, rows)
}

/// Word classes of the entity patterns (`dict/entity-words.tsv`): titles,
/// surnames, organization and place suffixes, units and date words. Which
/// classes exist is the entity stage's business; this only reads the rows.
#[derive(Debug, Clone, Default)]
pub struct EntityWords {
    rows: Vec<(String, String)>,
}

impl EntityWords {
    /// Parses `word<TAB>class` lines.
    pub fn parse(source_name: &str, text: &str) -> Result<Self> {
        let mut rows = Vec::new();
        for (number, line) in data_lines(text) {
            match split_at_tab(line) {
                Some((word, class)) if !word.trim().is_empty() && !class.trim().is_empty() => {
                    rows.push((word.trim().to_string(), class.trim().to_string()));
                }
                _ => {
                    return Err(Error::data_format(
                        source_name,
                        number,
                        "expected `word<TAB>class`",
                    ));
                }
            }
        }
        Ok(Self { rows })
    }

    pub fn builtin() -> &'static EntityWords {
        static BUILTIN: OnceLock<EntityWords> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            EntityWords::parse("dict/entity-words.tsv", ENTITY_WORDS_TSV)
                .expect("dict/entity-words.tsv is checked by the test suite")
        })
    }

    /// `(word, class)` rows in file order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.rows
            .iter()
            .map(|(word, class)| (word.as_str(), class.as_str()))
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use foldhash::HashMap;

    #[test]
    fn data_lines_are_numbered_from_one_without_blanks_comments_or_cr() {
        let text = "# comment\n\n가\t1\r\n  \t \r\nb\r\r\n#x\nlast\tno newline";
        let lines: Vec<(usize, &str)> = data_lines(text).collect();
        assert_eq!(lines, [(3, "가\t1"), (5, "b"), (7, "last\tno newline")]);
        assert_eq!(data_lines("").count(), 0);
        assert_eq!(data_lines("a\n").collect::<Vec<_>>(), [(1, "a")]);
        // A lone CR does not end a line.
        assert_eq!(data_lines("a\rb\n").collect::<Vec<_>>(), [(1, "a\rb")]);
    }

    /// The data lines as `str::lines` gives them, the definition
    /// [`data_lines`] was first written with.
    fn by_str_lines(text: &str) -> Vec<(usize, &str)> {
        text.lines()
            .enumerate()
            .map(|(index, line)| (index + 1, line.trim_end_matches('\r')))
            .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
            .collect()
    }

    #[test]
    fn data_lines_match_str_lines_on_the_data_files() {
        for text in [
            TERMS_TSV,
            STOPWORDS_TXT,
            BACKGROUND_TSV,
            ENTITY_WORDS_TSV,
            ABBREVIATIONS_TXT,
        ] {
            assert_eq!(data_lines(text).collect::<Vec<_>>(), by_str_lines(text));
        }
    }

    proptest::proptest! {
        #[test]
        fn data_lines_match_str_lines_on_any_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\n", "\r", "\r\n", "#", " ", "\t", "가", "a", "\u{3000}", "1.5",
                ]),
                0..40,
            )
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(data_lines(&text).collect::<Vec<_>>(), by_str_lines(&text));
        }

        #[test]
        fn list_entries_are_the_trimmed_lines_that_are_not_comments(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "\n", "\r", "\r\n", "#", " ", "\t", "가", "a", "\u{3000}",
                ]),
                0..40,
            )
        ) {
            let text = pieces.concat();
            let by_str_lines: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with('#'))
                .collect();
            proptest::prop_assert_eq!(list_entries(&text).collect::<Vec<_>>(), by_str_lines);
        }

        #[test]
        fn split_at_tab_is_split_once_at_tab(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["\t", " ", "가", "a", "\u{3000}", "1.5", "\r"]),
                0..20,
            )
        ) {
            let line = pieces.concat();
            proptest::prop_assert_eq!(split_at_tab(&line), line.split_once('\t'));
        }
    }

    #[test]
    fn builtin_data_files_parse() {
        assert!(Terms::builtin().len() >= 400);
        assert!(Stopwords::builtin().len() >= 100);
        assert!(Background::builtin().len() >= 10_000);
        assert!(EntityWords::builtin().len() >= 300);
    }

    #[test]
    fn builtin_terms_hold_the_names_mecab_ko_dic_splits() {
        let terms = Terms::builtin();
        for name in [
            "마이크로소프트",
            "오픈AI",
            "깃허브",
            "코파일럿",
            "애저",
            "엔비디아",
        ] {
            assert!(
                terms
                    .iter()
                    .any(|term| term.surface == name && term.is_tokenizer_entry()),
                "{name} is not a tokenizer entry"
            );
        }
    }

    #[test]
    fn terms_errors_name_the_line() {
        let err = Terms::parse("mine.tsv", "# c\n마이크로소프트\tNNP\tORG\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "mine.tsv, line 2: expected 4 tab-separated columns (surface, pos, type, canonical), found 3"
        );
        let err = Terms::parse("mine.tsv", "애저\tXX\tPRODUCT\tAzure\n").unwrap_err();
        assert!(err.to_string().contains("unknown pos"), "{err}");
        let err = Terms::parse("mine.tsv", "애저\tNNP\tTHING\tAzure\n").unwrap_err();
        assert!(err.to_string().contains("unknown entity type"), "{err}");
    }

    #[test]
    fn spaced_and_latin_rows_are_not_tokenizer_entries() {
        let terms = Terms::parse(
            "t",
            "깃허브 코파일럿\tNNP\tPRODUCT\tGitHub Copilot\nAzure\tSL\tPRODUCT\tAzure\n메타\tGAZ\tORG\tMeta\n",
        )
        .unwrap();
        assert!(terms.iter().all(|term| !term.is_tokenizer_entry()));
    }

    #[test]
    fn lower_case_is_told_from_bytes_as_the_case_tables_tell_it() {
        let by_tables = |text: &str| {
            text.chars().all(|c| {
                let mut lower = c.to_lowercase();
                lower.next() == Some(c) && lower.next().is_none()
            })
        };
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let text = c.to_string();
            assert_eq!(is_lowercase(&text), by_tables(&text), "{c:?}");
        }
        let utf8 =
            |c: &str| u32::from_be_bytes([0, c.as_bytes()[0], c.as_bytes()[1], c.as_bytes()[2]]);
        assert_eq!(HANGUL_SYLLABLES_UTF8, utf8("가")..=utf8("힣"));
        for text in [
            "깃허브 Copilot",
            "오픈ai",
            "힣Ａ",
            "가\u{D7A4}",
            "ǅ글",
            "ßİ",
            "",
        ] {
            assert_eq!(is_lowercase(text), by_tables(text), "{text:?}");
        }
    }

    #[test]
    fn lower_casing_borrows_what_it_leaves_alone() {
        assert!(is_lowercase("클라우드 gpu é"));
        assert!(!is_lowercase("클라우드 GPU"));
        assert!(!is_lowercase("É"));
        assert!(matches!(lowercase("오픈ai"), Cow::Borrowed("오픈ai")));
        assert_eq!(lowercase("오픈AI Émile"), "오픈ai émile");
        let mut buffer = String::from("키:");
        push_lowercase(&mut buffer, "ChatGPT");
        assert_eq!(buffer, "키:chatgpt");
    }

    #[test]
    fn stopwords_compare_in_lower_case() {
        let stopwords = Stopwords::parse("com\n것\n");
        assert!(stopwords.contains("COM"));
        assert!(stopwords.contains("것"));
        assert!(!stopwords.contains("클라우드"));
    }

    #[test]
    fn background_rejects_bad_lines() {
        for (text, line, fault) in [
            (
                "# header\n클라우드\t4.1\n이상한 줄\n",
                3,
                "expected `word<TAB>",
            ),
            ("가\t4.1\n나\t높음\n", 2, "expected a number"),
            ("gpu\t4.1\nGPU\t4.0\n", 2, "expected a word in lower case"),
            ("클라우드\t4.1\n가\t5.0\n", 2, "expected a word after"),
            ("가\t4.1\n가\t5.0\n", 2, "expected a word after"),
        ] {
            let err = Background::parse("bg.tsv", text).unwrap_err().to_string();
            assert!(err.starts_with(&format!("bg.tsv, line {line}")), "{err}");
            assert!(err.contains(fault), "{err}");
        }
        let background = Background::parse("bg.tsv", "# header\n가\t5.5\n클라우드\t4.1\n").unwrap();
        assert_eq!(background.zipf("클라우드"), Some(4.1));
        assert_eq!(background.len(), 2);
    }

    #[test]
    fn builtin_background_table_is_sorted_and_well_formed() {
        let checked = Background::parse("dict/background.tsv", BACKGROUND_TSV).unwrap();
        assert_eq!(checked.rows, Background::builtin().rows);
        assert!(checked.rows.starts_with("0\t"), "the header is left out");
    }

    /// The binary search finds every row of the table, and nothing between
    /// or around them: checked against a map of all rows.
    #[test]
    fn background_search_finds_exactly_the_rows() {
        let background = Background::builtin();
        let rows: HashMap<&str, f32> = background
            .rows
            .lines()
            .map(|row| {
                let (word, value) = row.split_once('\t').unwrap();
                (word, value.trim().parse().unwrap())
            })
            .collect();
        for (word, value) in &rows {
            assert_eq!(background.zipf(word), Some(*value), "{word}");
            for near in [
                format!("{word}!"),
                format!("{word}\u{10FFFF}"),
                format!("!{word}"),
            ] {
                assert_eq!(
                    background.zipf(&near),
                    rows.get(near.as_str()).copied(),
                    "{near}"
                );
            }
        }
        for absent in ["", "\u{10FFFF}", "클라우드네이티브컴퓨팅"] {
            assert_eq!(background.zipf(absent), None, "{absent}");
        }
        assert!(
            Background::parse("t", "# only a header")
                .unwrap()
                .is_empty()
        );
        let hashed = Background::parse("t", "# header\n#태그\t3\n가\t1\n").unwrap();
        assert_eq!((hashed.len(), hashed.zipf("#태그")), (2, Some(3.0)));
        let crlf = Background::parse("t", "# header\r\n가\t1\r\n나\t2\r\n").unwrap();
        assert_eq!((crlf.zipf("가"), crlf.zipf("나")), (Some(1.0), Some(2.0)));
        let small = Background::parse("t", "가\t1\n나\t2\n다\t3").unwrap();
        for (word, value) in [
            ("가", Some(1.0)),
            ("나", Some(2.0)),
            ("다", Some(3.0)),
            ("라", None),
            ("0", None),
        ] {
            assert_eq!(small.zipf(word), value, "{word}");
        }
    }
}
