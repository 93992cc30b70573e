//! Turning input bytes into text kosum can analyse, without ever losing the
//! link to the input: offsets in every result point into the document as read
//! (after BOM removal, before any other change).
//!
//! Two pieces: [`decode`] accepts UTF-8 (with or without BOM) and rejects
//! anything else with a message that says what the bytes look like; and
//! [`analysis_view`] gives the analysers a copy in which invisible or exotic
//! whitespace and control characters are replaced by ASCII of the *same byte
//! length*, so byte offsets found in the view are byte offsets in the input.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// Decodes input bytes as UTF-8, dropping a leading BOM. Other encodings are
/// refused with a description of what was found.
pub fn decode(bytes: Vec<u8>) -> Result<String> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::Encoding(
            "the input is UTF-16 (it starts with a UTF-16 byte-order mark); convert it to UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`".into(),
        ));
    }
    if let Some(position) = memchr::memchr(0, &bytes) {
        return Err(Error::Encoding(format!(
            "the input looks binary (a NUL byte at byte {position}); kosum reads UTF-8 text"
        )));
    }
    let mut text = utf8_string(bytes).map_err(|position| {
        Error::Encoding(format!(
            "the input is not valid UTF-8 (first bad byte at byte {position}); convert it to UTF-8, e.g. `iconv -f CP949 -t UTF-8` for Korean legacy encodings"
        ))
    })?;
    if text.starts_with('\u{FEFF}') {
        text.drain(..'\u{FEFF}'.len_utf8());
    }
    Ok(text)
}

/// `bytes` as a string if they are UTF-8, else the offset of the first byte
/// that is not: the one UTF-8 check of kosum's inputs (files, standard input,
/// JSONL lines). simdutf8 checks with vector instructions, where the standard
/// library's check goes a char at a time through Korean text (three bytes a
/// char). Instructions (callgrind) with the standard check and with this
/// one: reading `samples/` x20, 3.87 and 0.26 M (with the NUL search); the
/// UTF-8 check of the konlpy documents x10 as JSONL lines, 16.8 and 1.3 M.
pub fn utf8_string(bytes: Vec<u8>) -> std::result::Result<String, usize> {
    match simdutf8::compat::from_utf8(&bytes) {
        // SAFETY: the bytes were just checked to be UTF-8.
        Ok(_) => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
        Err(err) => Err(err.valid_up_to()),
    }
}

/// The only whitespace an analysis view holds: [`analysis_view`] keeps these
/// bytes and turns all other whitespace into them. No byte of a char of
/// several bytes is ASCII, so a view's words and lines can be found from its
/// bytes without decoding its chars.
pub const VIEW_WHITESPACE: [u8; 3] = [b' ', b'\n', b'\t'];

/// Whether byte `byte` of an analysis view is (part of) whitespace.
pub fn is_view_whitespace(byte: u8) -> bool {
    VIEW_WHITESPACE.contains(&byte)
}

/// The ASCII replacement for `c` in the analysis view, if it needs one: line
/// breaks become `\n`, other whitespace, invisible format characters and
/// controls become spaces.
fn replacement(c: char) -> Option<u8> {
    match c {
        c if u8::try_from(c).is_ok_and(is_view_whitespace) => None,
        '\r' | '\u{0085}' | '\u{2028}' | '\u{2029}' => Some(b'\n'),
        c if c.is_whitespace() || c.is_control() => Some(b' '),
        // Zero-width space/joiners, word joiner, BOM used as ZWNBSP, soft
        // hyphen, and the other invisible format characters.
        '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}' => Some(b' '),
        _ => None,
    }
}

/// Whether `c` is whitespace to the analysers: ordinary whitespace, or a
/// control or invisible format character that [`analysis_view`] blanks out.
pub fn is_blank(c: char) -> bool {
    u8::try_from(c).is_ok_and(is_view_whitespace) || replacement(c).is_some()
}

/// The text the analysers see: `text` with exotic whitespace, controls and
/// invisible characters replaced by ASCII spaces (line breaks by `\n`), each
/// replacement exactly as many bytes long as the character it replaces.
/// A `\r\n` pair becomes ` \n`, so it counts as one line break.
pub fn analysis_view(text: &str) -> Cow<'_, str> {
    let mut replaced = replaced_chars(text).peekable();
    if replaced.peek().is_none() {
        return Cow::Borrowed(text);
    }
    let mut view = String::with_capacity(text.len());
    let mut copied = 0;
    for (index, c, ascii) in replaced {
        view.push_str(&text[copied..index]);
        let ascii = if c == '\r' && text[index + 1..].starts_with('\n') {
            ' '
        } else {
            char::from(ascii)
        };
        view.extend(std::iter::repeat_n(ascii, c.len_utf8()));
        copied = index + c.len_utf8();
    }
    view.push_str(&text[copied..]);
    Cow::Owned(view)
}

/// The chars of `text` that have a [`replacement`], with their byte offsets
/// and replacements. Only ASCII controls and chars whose UTF-8 form starts
/// with one of five lead bytes can have one (U+0080–U+00BF, U+1680,
/// U+2000–U+206F, U+3000, U+FEFF), so the scan decodes only those and never
/// looks closely at Hangul (lead bytes 0xEA–0xED): it runs over every
/// document.
fn replaced_chars(text: &str) -> impl Iterator<Item = (usize, char, u8)> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, byte)| MAY_START_REPLACED[usize::from(byte)])
        .filter_map(|(index, _)| {
            let c = text[index..].chars().next()?;
            replacement(c).map(|ascii| (index, c, ascii))
        })
}

/// Per byte, whether a char with a [`replacement`] may start with it (see
/// [`replaced_chars`]).
static MAY_START_REPLACED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = matches!(byte, 0x00..=0x1F | 0x7F | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
            && byte != b'\n' as usize
            && byte != b'\t' as usize;
        byte += 1;
    }
    table
};

/// Converts byte offsets into char offsets for one text. Queries are cheapest
/// in increasing order (the usual case: tokens, sentences, mentions), but any
/// order is answered correctly.
pub struct CharCounter<'t> {
    text: &'t str,
    byte: usize,
    char: usize,
}

impl<'t> CharCounter<'t> {
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            byte: 0,
            char: 0,
        }
    }

    /// The char offset of byte offset `byte`, which must be a char boundary
    /// of the text (or its length).
    pub fn char_offset(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.char = 0;
        }
        self.char += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.char
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy as _;

    /// The view built char by char, as [`analysis_view`] did before it
    /// scanned bytes.
    fn view_char_by_char(text: &str) -> String {
        let mut view = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match replacement(c) {
                None => view.push(c),
                Some(_) if c == '\r' && chars.peek() == Some(&'\n') => view.push(' '),
                Some(ascii) => view.extend(std::iter::repeat_n(char::from(ascii), c.len_utf8())),
            }
        }
        view
    }

    #[test]
    fn the_byte_scan_replaces_exactly_the_chars_with_a_replacement() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("가{c}a{c}\n"), format!("{c}\r\n{c}")] {
                assert_eq!(
                    analysis_view(&text),
                    view_char_by_char(&text),
                    "U+{:04X}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn a_view_holds_no_whitespace_but_its_three_bytes() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("가{c}나");
            for kept in analysis_view(&text).chars() {
                assert!(
                    !kept.is_whitespace() || u8::try_from(kept).is_ok_and(is_view_whitespace),
                    "{c:?} left {kept:?} in the view"
                );
            }
        }
    }

    #[test]
    fn decode_accepts_utf8_and_drops_the_bom() {
        assert_eq!(decode("한국어".into()).unwrap(), "한국어");
        assert_eq!(decode("\u{FEFF}한국어".into()).unwrap(), "한국어");
    }

    #[test]
    fn decode_names_what_is_wrong() {
        let utf16 = vec![0xFF, 0xFE, 0x5C, 0xD5];
        assert!(decode(utf16).unwrap_err().to_string().contains("UTF-16"));
        let binary = vec![b'a', 0, b'b'];
        assert!(
            decode(binary)
                .unwrap_err()
                .to_string()
                .contains("NUL byte at byte 1")
        );
        let cp949 = vec![b'a', 0xC7, 0xD1];
        assert!(
            decode(cp949)
                .unwrap_err()
                .to_string()
                .contains("not valid UTF-8")
        );
    }

    /// What [`decode`] should say of `bytes`, from the standard library's
    /// UTF-8 check: the text, or a word of the error message.
    fn decoded_by_std(bytes: &[u8]) -> std::result::Result<String, String> {
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err("UTF-16".into());
        }
        if let Some(position) = bytes.iter().position(|&b| b == 0) {
            return Err(format!("NUL byte at byte {position})"));
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text).to_string()),
            Err(err) => Err(format!("first bad byte at byte {})", err.valid_up_to())),
        }
    }

    proptest::proptest! {
        #[test]
        fn decode_agrees_with_the_standard_check(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::arbitrary::any::<char>().prop_map(|c| c.to_string().into_bytes()),
                    proptest::sample::select(vec!["한", "a", "\u{FEFF}", " "])
                        .prop_map(|s| s.as_bytes().to_vec()),
                    proptest::arbitrary::any::<u8>().prop_map(|b| vec![b]),
                ],
                0..40,
            )
        ) {
            let bytes = pieces.concat();
            match (decode(bytes.clone()), decoded_by_std(&bytes)) {
                (Ok(text), Ok(expected)) => proptest::prop_assert_eq!(text, expected),
                (Err(err), Err(word)) => {
                    proptest::prop_assert!(err.to_string().contains(&word), "{err} / {word}")
                }
                (got, expected) => proptest::prop_assert!(false, "{got:?} / {expected:?}"),
            }
        }
    }

    #[test]
    fn analysis_view_keeps_the_byte_layout() {
        let text = "가\u{200B}나\u{00A0}다\r\n라\r마\u{3000}바\u{0007}";
        let view = analysis_view(text);
        assert_eq!(view.len(), text.len());
        assert_eq!(view, "가   나  다 \n라\n마   바 ");
        for (index, _) in view.char_indices() {
            // Every char boundary of the view that starts a kept char is one
            // of the input too.
            if !view[index..].starts_with(' ') && !view[index..].starts_with('\n') {
                assert!(text.is_char_boundary(index));
            }
        }
    }

    #[test]
    fn analysis_view_borrows_plain_text() {
        assert!(matches!(analysis_view("보통 문장.\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn char_counter_counts_chars() {
        let text = "a한b국";
        let mut counter = CharCounter::new(text);
        assert_eq!(counter.char_offset(1), 1);
        assert_eq!(counter.char_offset(4), 2);
        assert_eq!(counter.char_offset(text.len()), 4);
        assert_eq!(counter.char_offset(0), 0);
    }
}
