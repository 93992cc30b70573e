//! A measuring tool for the keyword stage (`kosum keywords` is the user's
//! command): the title-term recall data for benches/keyword_recall.py, and
//! keyword-versus-tokenization timing.
//!
//! ```text
//! cargo run --release --example keywords -- FILE [-k N]
//!     top keywords of a text file, with scores, counts and offsets
//! cargo run --release --example keywords -- --recall DEV.jsonl [-k N] [--idf-corpus]
//!     for benches/keyword_recall.py: one JSON line per article with the
//!     title's nouns (kosum's tokenizer: NNG/NNP/SL, stopwords removed) and
//!     the top keywords of the body (sentences joined with "\n"; the title is
//!     never given to the extractor); `--idf-corpus` learns IDF from the
//!     bodies themselves (what `--idf corpus` does) instead of the built-in
//!     background table
//! cargo run --release --example keywords -- --time FILE... [--rounds R]
//!     tokenization vs keyword extraction time over the files (jsonl files
//!     count each article's body as one document)
//! ```

use std::time::{Duration, Instant};

use kosum::analysis::{Analyzer, AnalyzerConfig, SentenceMode};
use kosum::keywords::{self, KeywordOptions};
use kosum::resources::Stopwords;
use kosum::scoring::{Idf, build_idf};
use kosum::tokenize::Pos;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut top = 10;
    let mut rounds = 5;
    let mut mode = "show";
    let mut idf_corpus = false;
    let mut files = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-k" => top = iter.next().ok_or("-k needs a number")?.parse()?,
            "--rounds" => rounds = iter.next().ok_or("--rounds needs a number")?.parse()?,
            "--recall" => mode = "recall",
            "--time" => mode = "time",
            "--idf-corpus" => idf_corpus = true,
            file => files.push(file.to_string()),
        }
    }
    if files.is_empty() {
        return Err("usage: keywords [--recall | --time] FILE... [-k N]".into());
    }
    let analyzer = Analyzer::new(&AnalyzerConfig::default())?;
    let idf = Idf::default();
    let options = KeywordOptions {
        top,
        ..KeywordOptions::default()
    };
    match mode {
        "recall" => recall(&analyzer, &idf, idf_corpus, &options, &files[0]),
        "time" => time(&analyzer, &idf, &options, &files, rounds),
        _ => {
            let text = std::fs::read_to_string(&files[0])?;
            let document = analyzer.document(&text, SentenceMode::Split)?;
            for keyword in keywords::extract(&document, &idf, &options) {
                println!(
                    "{:.4}\t{}\t{}\t{}..{}",
                    keyword.score, keyword.text, keyword.count, keyword.start, keyword.end
                );
            }
            Ok(())
        }
    }
}

/// The article bodies of a jsonl file (sentences joined with "\n"), or the
/// whole text of any other file.
fn bodies(path: &str) -> Result<Vec<(String, String)>, Box<dyn std::error::Error>> {
    let text = std::fs::read_to_string(path)?;
    if !path.ends_with(".jsonl") {
        return Ok(vec![(String::new(), text)]);
    }
    let mut out = Vec::new();
    for line in text.lines().filter(|line| !line.trim().is_empty()) {
        let record: serde_json::Value = serde_json::from_str(line)?;
        let sentences: Vec<&str> = record["sentences"]
            .as_array()
            .ok_or("a record without sentences")?
            .iter()
            .filter_map(|s| s.as_str())
            .collect();
        let title = record["title"].as_str().unwrap_or_default().to_string();
        out.push((title, sentences.join("\n")));
    }
    Ok(out)
}

fn recall(
    analyzer: &Analyzer,
    idf: &Idf,
    idf_corpus: bool,
    options: &KeywordOptions,
    path: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let stopwords = Stopwords::builtin();
    let articles = bodies(path)?;
    let learned;
    let idf = if idf_corpus {
        let documents = articles
            .iter()
            .map(|(_, body)| analyzer.document(body, SentenceMode::PerLine))
            .collect::<Result<Vec<_>, _>>()?;
        learned = build_idf(&documents);
        &learned
    } else {
        idf
    };
    for (title, body) in &articles {
        let (title, body) = (title.as_str(), body.as_str());
        let mut title_nouns: Vec<String> = Vec::new();
        for morpheme in analyzer.tokenizer().tokenize(title)? {
            if !matches!(morpheme.pos, Pos::NNG | Pos::NNP | Pos::SL) {
                continue;
            }
            let noun = morpheme.surface(title).to_lowercase();
            if !stopwords.contains(&noun) && !title_nouns.contains(&noun) {
                title_nouns.push(noun);
            }
        }
        let document = analyzer.document(body, SentenceMode::PerLine)?;
        let keywords: Vec<String> = keywords::extract(&document, idf, options)
            .into_iter()
            .map(|keyword| keyword.text)
            .collect();
        println!(
            "{}",
            serde_json::json!({"title": title, "title_nouns": title_nouns, "keywords": keywords})
        );
    }
    Ok(())
}

fn time(
    analyzer: &Analyzer,
    idf: &Idf,
    options: &KeywordOptions,
    files: &[String],
    rounds: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut texts = Vec::new();
    for file in files {
        texts.extend(bodies(file)?.into_iter().map(|(_, body)| body));
    }
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();
    let mut tokenize = Duration::ZERO;
    let mut extract = Duration::ZERO;
    let mut found = 0;
    for _ in 0..rounds {
        for text in &texts {
            let started = Instant::now();
            let document = analyzer.document(text, SentenceMode::Split)?;
            let analysed = Instant::now();
            found += keywords::extract(&document, idf, options).len();
            extract += analysed.elapsed();
            tokenize += analysed - started;
        }
    }
    let per_round = |d: Duration| d.as_secs_f64() * 1000.0 / rounds as f64;
    println!(
        "{} documents, {} chars, {} rounds ({} keywords)",
        texts.len(),
        chars,
        rounds,
        found / rounds.max(1)
    );
    println!(
        "tokenize + split: {:.2} ms per round; keywords: {:.2} ms per round ({:.1}% of tokenization)",
        per_round(tokenize),
        per_round(extract),
        100.0 * extract.as_secs_f64() / tokenize.as_secs_f64().max(1e-9)
    );
    Ok(())
}
