//! Any bytes through kosum's whole pipeline: decoding either fails with an
//! error or the analysis succeeds, and every offset it reports slices the
//! input to exactly the text it claims.
#![no_main]

use std::sync::OnceLock;

use kosum::analysis::{Analyzer, AnalyzerConfig, Request};
use libfuzzer_sys::fuzz_target;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).expect("analyzer"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = kosum::normalize::decode(data.to_vec()) else {
        return;
    };
    let analysis = analyzer()
        .analyze(&text, &Request::default())
        .expect("analysis of decoded text never fails");
    let chars: Vec<char> = text.chars().collect();
    let slice = |start: usize, end: usize| -> String {
        assert!(start <= end && end <= chars.len(), "offsets {start}..{end}");
        chars[start..end].iter().collect()
    };
    let document = &analysis.document;
    for morpheme in &document.morphemes {
        assert_eq!(slice(morpheme.start, morpheme.end), morpheme.surface(&text));
    }
    let mut previous_end = 0;
    for sentence in &document.sentences {
        assert!(sentence.start >= previous_end);
        assert_eq!(slice(sentence.start, sentence.end), sentence.text(&text));
        previous_end = sentence.end;
    }
    for keyword in &analysis.keywords {
        slice(keyword.start, keyword.end);
    }
    for entity in &analysis.entities {
        for mention in &entity.mentions {
            slice(mention.start, mention.end);
        }
    }
    for chosen in &analysis.summary {
        assert!(chosen.index < document.sentences.len());
    }
});
