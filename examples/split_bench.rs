//! Sentence-splitting throughput on one core, tokenization included.
//!
//! usage: cargo run --release --example split_bench [FILE...]
//! Without files it reads the evaluation corpus's sentence-split gold
//! (../shared/corpus/sentence-split) as running text. With `--stdin-json` it
//! instead splits stdin and prints `{"sentences":[{"text":…}]}`, the form
//! ../shared/peers/eval_split.py accepts with `--kosum`.

use std::io::Read;
use std::path::PathBuf;
use std::time::Instant;

use kosum::analysis::{Analyzer, AnalyzerConfig, SentenceMode};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let analyzer = Analyzer::new(&AnalyzerConfig::default())?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().is_some_and(|arg| arg == "--stdin-json") {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        let document = analyzer.document(&text, SentenceMode::Split)?;
        let sentences: Vec<_> = document
            .sentences
            .iter()
            .map(|sentence| serde_json::json!({ "text": sentence.text(&text) }))
            .collect();
        println!("{}", serde_json::json!({ "sentences": sentences }));
        return Ok(());
    }
    let paths: Vec<PathBuf> = if args.is_empty() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/sentence-split");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
            .collect();
        paths.sort();
        paths
    } else {
        args.iter().map(PathBuf::from).collect()
    };
    let mut text = String::new();
    for path in &paths {
        text.push_str(&std::fs::read_to_string(path)?);
        text.push('\n');
    }
    // Repeat the text to about 4 MB so that timing is stable.
    let copies = (4_000_000 / text.len().max(1)).max(1);
    let text = text.repeat(copies);
    let mut best_tokenize = f64::MAX;
    let mut best_total = f64::MAX;
    let mut sentences = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let morphemes = analyzer.tokenizer().tokenize(&text)?;
        let tokenized = started.elapsed().as_secs_f64();
        sentences = kosum::sentences::split(&text, &morphemes).len();
        let total = started.elapsed().as_secs_f64();
        best_tokenize = best_tokenize.min(tokenized);
        best_total = best_total.min(total);
    }
    let megabytes = text.len() as f64 / 1_000_000.0;
    println!(
        "{megabytes:.2} MB, {sentences} sentences: tokenize {:.2} MB/s, tokenize+split {:.2} MB/s (split alone {:.1} ms)",
        megabytes / best_tokenize,
        megabytes / best_total,
        (best_total - best_tokenize) * 1000.0
    );
    Ok(())
}
