//! Web addresses in text: e-mail addresses, URLs and bare domain names.
//!
//! Three stages need them: the sentence splitter (no sentence ends inside
//! one), keyword candidates (they are not keywords) and entities (e-mail and
//! URL mentions, bylines). They are defined once here so that all three agree
//! on where an address starts and ends.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// What kind of address a span is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    Email,
    Url,
    /// A domain name without a scheme (`naver.com`, `openai.com/blog`).
    Domain,
}

/// One address: its byte span in the text and its kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub span: Range<usize>,
    pub kind: AddressKind,
}

/// ASCII word boundaries, and no Hangul inside an address: a Korean word or
/// particle glued to an address (`…com에서`) is not part of it, and the
/// patterns stay within what the regex crate's fast DFA runs on Korean text.
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("the e-mail pattern is valid")
});

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:(?-u:\b)(?:https?|ftp)://|(?-u:\b)www\.)[^\s<>\x22'“”‘’()\[\]\u{3000}가-힣]+",
    )
    .expect("the URL pattern is valid")
});

static DOMAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?-u:\b)(?:[a-z0-9-]+\.)+",
        r"(?:com|net|org|kr|io|ml|ai|co|me|dev|app|jp|cn|info|biz|edu|gov)(?-u:\b)",
        r"(?:/[^\s<>\x22'“”‘’()\[\]\u{3000}가-힣]*)?",
    ))
    .expect("the domain pattern is valid")
});

/// Compiles the patterns now rather than on first use (see
/// [`crate::analysis::warm_up`]).
pub(crate) fn warm_up() {
    for pattern in [&EMAIL, &URL, &DOMAIN] {
        LazyLock::force(pattern);
    }
}

/// Sentence punctuation that ends a sentence written right after an address
/// rather than belonging to it.
const TRAILING: [char; 7] = ['.', ',', ';', ':', '!', '?', '>'];

/// The addresses of `text`, in order and not overlapping (an e-mail address
/// wins over a URL, a URL over a bare domain where they overlap).
pub fn find(text: &str) -> Vec<Address> {
    let mut found: BTreeMap<usize, Address> = BTreeMap::new();
    let patterns = [
        (&*EMAIL, AddressKind::Email),
        (&*URL, AddressKind::Url),
        (&*DOMAIN, AddressKind::Domain),
    ];
    for (pattern, kind) in patterns {
        for m in pattern.find_iter(text) {
            let end = m.start() + m.as_str().trim_end_matches(TRAILING).len();
            let span = m.start()..end;
            let overlaps = found
                .range(..span.end)
                .next_back()
                .is_some_and(|(_, kept)| kept.span.end > span.start);
            if !span.is_empty() && !overlaps {
                found.insert(span.start, Address { span, kind });
            }
        }
    }
    found.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<(&str, AddressKind)> {
        find(text)
            .into_iter()
            .map(|a| (&text[a.span], a.kind))
            .collect()
    }

    #[test]
    fn emails_urls_and_domains_with_their_kinds() {
        assert_eq!(
            spans(
                "문의는 hong@example.co.kr 또는 https://kosum.dev/docs?q=1 참고. naver.com에서도 본다."
            ),
            vec![
                ("hong@example.co.kr", AddressKind::Email),
                ("https://kosum.dev/docs?q=1", AddressKind::Url),
                ("naver.com", AddressKind::Domain),
            ]
        );
    }

    #[test]
    fn punctuation_after_an_address_ends_the_sentence_not_the_address() {
        assert_eq!(
            spans("자세한 내용은 www.example.com. 다음 문장."),
            vec![("www.example.com", AddressKind::Url)]
        );
        assert_eq!(
            spans("(주소: https://a.io/x)"),
            vec![("https://a.io/x", AddressKind::Url)]
        );
    }

    #[test]
    fn korean_glued_to_an_address_stays_outside() {
        assert_eq!(
            spans("메일은hong@example.com으로"),
            vec![("hong@example.com", AddressKind::Email)]
        );
        assert_eq!(
            spans("사이트https://example.com에서"),
            vec![("https://example.com", AddressKind::Url)]
        );
    }
}
