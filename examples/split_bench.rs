//! Sentence-splitting throughput on one core, tokenization included.
//!
//! usage: cargo run --release --example split_bench [FILE...]
//! Figures are per second of this thread's CPU time where Linux reports it
//! (/proc/thread-self/schedstat), so that a busy machine does not distort
//! them, and of wall-clock time otherwise.
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
        let clock = Clock::start();
        let morphemes = analyzer.tokenizer().tokenize(&text)?;
        let tokenized = clock.seconds();
        sentences = kosum::sentences::split(&text, &morphemes).len();
        let total = clock.seconds();
        best_tokenize = best_tokenize.min(tokenized);
        best_total = best_total.min(total);
    }
    let megabytes = text.len() as f64 / 1_000_000.0;
    println!(
        "{megabytes:.2} MB, {sentences} sentences ({} time): tokenize {:.2} MB/s, tokenize+split {:.2} MB/s (split alone {:.1} ms)",
        Clock::kind(),
        megabytes / best_tokenize,
        megabytes / best_total,
        (best_total - best_tokenize) * 1000.0
    );
    Ok(())
}

/// This thread's CPU time if the OS reports it, else wall-clock time.
struct Clock {
    cpu_start: Option<u64>,
    wall_start: Instant,
}

impl Clock {
    fn start() -> Self {
        Self {
            cpu_start: thread_cpu_nanos(),
            wall_start: Instant::now(),
        }
    }

    fn seconds(&self) -> f64 {
        match (self.cpu_start, thread_cpu_nanos()) {
            (Some(start), Some(now)) => now.saturating_sub(start) as f64 / 1e9,
            _ => self.wall_start.elapsed().as_secs_f64(),
        }
    }

    fn kind() -> &'static str {
        if thread_cpu_nanos().is_some() {
            "CPU"
        } else {
            "wall-clock"
        }
    }
}

/// Nanoseconds this thread has run on a CPU (Linux schedstat).
fn thread_cpu_nanos() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
