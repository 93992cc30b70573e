//! Summarizes pre-split text from standard input (one sentence per line) and
//! prints the chosen sentence indices as JSON, for scoring kosum with the
//! peers' shared scorer before the CLI has a `summarize` command:
//!
//! ```text
//! cargo build --release --example summarize_stdin
//! $PY ../shared/peers/eval_summary_peers.py ../shared/corpus/summarization/dev.jsonl \
//!     --kosum 'target/release/examples/summarize_stdin {k}'
//! ```
//!
//! Arguments: the number of sentences (default 3) and optionally a method
//! (textrank, lexrank, lead, centroid).

use std::io::Read;
use std::process::ExitCode;

use kosum::analysis::{Analyzer, AnalyzerConfig, SentenceMode, SummaryLength};
use kosum::scoring::Idf;
use kosum::summary::{SummaryMethod, SummaryOptions, summarize};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let count = match args.next().map(|a| a.parse::<usize>()) {
        None => 3,
        Some(Ok(count)) => count,
        Some(Err(err)) => return fail(&format!("the sentence count must be a number: {err}")),
    };
    let method = match args.next().map(|a| a.parse::<SummaryMethod>()) {
        None => SummaryMethod::default(),
        Some(Ok(method)) => method,
        Some(Err(err)) => return fail(&err.to_string()),
    };
    let mut text = String::new();
    if let Err(err) = std::io::stdin().read_to_string(&mut text) {
        return fail(&format!("standard input: {err}"));
    }
    let analyzer = match Analyzer::new(&AnalyzerConfig::default()) {
        Ok(analyzer) => analyzer,
        Err(err) => return fail(&err.to_string()),
    };
    let document = match analyzer.document(&text, SentenceMode::PerLine) {
        Ok(document) => document,
        Err(err) => return fail(&err.to_string()),
    };
    let options = SummaryOptions {
        length: SummaryLength::Sentences(count),
        method,
    };
    let summary = summarize(&document, &[], &Idf::default(), &options);
    let items: Vec<serde_json::Value> = summary
        .iter()
        .map(|s| serde_json::json!({"index": s.index, "score": s.score}))
        .collect();
    println!("{}", serde_json::json!({ "summary": items }));
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("summarize_stdin: {message}");
    ExitCode::from(2)
}
