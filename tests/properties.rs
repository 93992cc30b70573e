//! Properties of the whole pipeline on arbitrary text: every offset slices
//! the input to exactly its text, sentences cover the input in order without
//! overlap, and the analysis is deterministic.

use std::sync::OnceLock;

use kosum::analysis::{Analysis, Analyzer, AnalyzerConfig, Request};
use proptest::prelude::*;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).expect("analyzer"))
}

/// Characters real Korean pastes are made of, plus the odd ones that break
/// other splitters: zero-width and joiner characters, CR, NBSP, emoji,
/// compatibility and old-Hangul jamo, combining jamo, controls.
fn text_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => (0xAC00u32..=0xD7A3).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        2 => prop::sample::select(vec![
            "마이크로소프트", "오픈AI", "는", "가", "를", "했다", "입니다", "1억 달러", "2019년",
            "30%", "gildong@example.com", "https://example.com/a?b=1", "GPT-4", "3.5", "\"", "'",
            "“", "”", "(", ")", "…", "ㅋㅋ", "다.", "요!", "?", "음.", "함.",
        ])
        .prop_map(str::to_string),
        2 => prop::sample::select(vec![
            ' ', '\n', '\n', '\t', '\r', '.', ',', '!', '\u{200B}', '\u{200D}', '\u{FEFF}',
            '\u{00A0}', '\u{3000}', '😀', 'ㄱ', 'ㅏ', '\u{1100}', '\u{1161}', '\u{11A8}',
            'ᄒ', '\u{0007}', 'A', 'z', '7', '漢',
        ])
        .prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..120).prop_map(|pieces| pieces.concat())
}

fn check_offsets(text: &str, analysis: &Analysis) {
    let chars: Vec<char> = text.chars().collect();
    let slice = |start: usize, end: usize| -> String {
        assert!(start <= end && end <= chars.len(), "offsets {start}..{end}");
        chars[start..end].iter().collect()
    };
    let document = &analysis.document;
    for m in &document.morphemes {
        assert_eq!(slice(m.start, m.end), m.surface(text));
        assert!(!m.surface(text).is_empty());
    }
    // Sentences: in order, no overlap, only blanks between and after them.
    let mut covered = 0;
    for sentence in &document.sentences {
        let between = slice(covered, sentence.start);
        assert!(
            between.chars().all(kosum::normalize::is_blank),
            "text lost between sentences: {between:?}"
        );
        assert!(sentence.start < sentence.end);
        assert_eq!(slice(sentence.start, sentence.end), sentence.text(text));
        covered = sentence.end;
    }
    let rest = slice(covered, chars.len());
    assert!(
        rest.chars().all(kosum::normalize::is_blank),
        "text lost at the end: {rest:?}"
    );
    for keyword in &analysis.keywords {
        assert!(!slice(keyword.start, keyword.end).is_empty());
        assert!(keyword.count >= 1);
    }
    for entity in &analysis.entities {
        assert!(!entity.mentions.is_empty());
        for mention in &entity.mentions {
            assert!(!slice(mention.start, mention.end).is_empty());
        }
    }
    for chosen in &analysis.summary {
        assert!(chosen.index < document.sentences.len());
    }
    assert!(analysis.summary.windows(2).all(|w| w[0].index < w[1].index));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn offsets_slice_the_input_and_sentences_cover_it(text in text_strategy()) {
        let analysis = analyzer().analyze(&text, &Request::default()).unwrap();
        check_offsets(&text, &analysis);
    }

    #[test]
    fn analysis_is_deterministic(text in text_strategy()) {
        let first = analyzer().analyze(&text, &Request::default()).unwrap();
        let second = analyzer().analyze(&text, &Request::default()).unwrap();
        prop_assert_eq!(format!("{first:?}"), format!("{second:?}"));
    }
}
