//! kosum's speed figures, printed (not asserted): dictionary load, raw
//! tokenization throughput, analysis throughput, on `samples/` and, when
//! present, the shared evaluation corpus, and a folder run of the `kosum`
//! binary on 1 and 2 threads. Run with `cargo bench --bench
//! throughput`; the README quotes its output. Figures that are compared
//! (lindera's tokenization and kosum's stages) are measured side by side,
//! their trials in turn.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use kosum::analysis::{Analyzer, AnalyzerConfig, Request};
use kosum::tokenize::{Tokenizer, TokenizerConfig};
use lindera::dictionary::Dictionary;
use lindera_dictionary::dictionary::character_definition::CharacterDefinition;

/// CPU time of the calling thread: the figure that stays honest on a busy
/// machine (wall time would count other processes' turns).
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// Runs `work` over `texts` repeatedly for at least `minimum` of CPU time and
/// returns MB/s per core: the best of five such trials, since on a shared
/// machine other tenants can only slow a trial down (through the caches they
/// share), never speed it up.
fn throughput(texts: &[String], minimum: Duration, mut work: impl FnMut(&str)) -> f64 {
    let mut works: [&mut dyn FnMut(&str); 1] = [&mut work];
    side_by_side(texts, minimum, &mut works)[0]
}

/// [`throughput`] of several works on the same texts, their trials taken in
/// turn (one trial of each, five times over), so that a slow spell of the
/// machine slows them alike and their ratios hold.
fn side_by_side(
    texts: &[String],
    minimum: Duration,
    works: &mut [&mut dyn FnMut(&str)],
) -> Vec<f64> {
    let bytes: usize = texts.iter().map(String::len).sum();
    let trial = minimum / 5;
    let mut best = vec![0.0f64; works.len()];
    for _ in 0..5 {
        for (work, best) in works.iter_mut().zip(&mut best) {
            let started = thread_cpu_time();
            let mut rounds = 0usize;
            while rounds == 0 || thread_cpu_time() - started < trial {
                for text in texts {
                    work(text);
                }
                rounds += 1;
            }
            let seconds = (thread_cpu_time() - started).as_secs_f64();
            *best = best.max((bytes * rounds) as f64 / seconds / 1e6);
        }
    }
    best
}

fn read_texts(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect()
}

fn files_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == extension))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The shared corpus's texts: the seed article, the sentence-split gold
/// (lines joined) and the summarization articles (sentences joined).
fn corpus_texts(shared: &Path) -> Vec<String> {
    let corpus = shared.join("corpus");
    let mut texts = read_texts(&files_in(&corpus.join("seed"), "txt"));
    texts.extend(
        read_texts(&files_in(&corpus.join("sentence-split"), "txt"))
            .into_iter()
            .map(|text| text.replace('\n', "")),
    );
    if let Ok(jsonl) = std::fs::read_to_string(corpus.join("summarization/dev.jsonl")) {
        for line in jsonl.lines() {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(line)
                && let Some(sentences) = value["sentences"].as_array()
            {
                let joined: Vec<&str> = sentences.iter().filter_map(|s| s.as_str()).collect();
                texts.push(joined.join("\n"));
            }
        }
    }
    texts
}

/// The first `bytes` bytes (at a char boundary) of `texts` joined by blank
/// lines, repeated as needed: one realistic document of about that size.
fn document_of(texts: &[String], bytes: usize) -> String {
    let mut document = String::new();
    while document.len() < bytes && texts.iter().any(|text| !text.is_empty()) {
        for text in texts {
            document.push_str(text);
            document.push_str("\n\n");
            if document.len() >= bytes {
                break;
            }
        }
    }
    let mut end = bytes.min(document.len());
    while !document.is_char_boundary(end) {
        end -= 1;
    }
    document.truncate(end);
    document
}

/// `text` cut into documents of about `bytes` bytes each, at line breaks
/// where there is one in the second half of a piece (else at a char
/// boundary).
fn pieces_of(text: &str, bytes: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let mut end = bytes.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let mut half = end / 2;
        while !rest.is_char_boundary(half) {
            half += 1;
        }
        if end < rest.len()
            && let Some(line_end) = rest[half..end].rfind('\n')
        {
            end = half + line_end + 1;
        }
        pieces.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    pieces
}

/// A document of `count` distinct, ordinary news-style sentences.
fn sentences_document(count: usize) -> String {
    const SUBJECTS: [&str; 6] = [
        "정부는",
        "기업들은",
        "연구진은",
        "은행은",
        "시민단체는",
        "학교는",
    ];
    const OBJECTS: [&str; 7] = [
        "반도체",
        "배터리",
        "금리",
        "전기차",
        "데이터센터",
        "위성",
        "백신",
    ];
    const ACTIONS: [&str; 4] = [
        "투자를 늘렸다",
        "계획을 발표했다",
        "규제를 검토했다",
        "성과를 공개했다",
    ];
    (0..count)
        .map(|i| {
            format!(
                "{} {}년 {} {} 관련 {}. ",
                SUBJECTS[i % SUBJECTS.len()],
                2000 + i % 25,
                OBJECTS[(i / 6) % OBJECTS.len()],
                i,
                ACTIONS[(i / 42) % ACTIONS.len()]
            )
        })
        .collect()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let minimum = Duration::from_secs(3);

    let started = thread_cpu_time();
    let tokenizer = Tokenizer::new(&TokenizerConfig::default()).expect("tokenizer");
    println!(
        "dictionary load + user dictionary: {:.1} ms CPU",
        (thread_cpu_time() - started).as_secs_f64() * 1e3
    );
    let started = thread_cpu_time();
    let analyzer = Analyzer::new(&AnalyzerConfig::default()).expect("analyzer");
    println!(
        "analyzer (second load, dictionary shared): {:.1} ms CPU",
        (thread_cpu_time() - started).as_secs_f64() * 1e3
    );
    let started = thread_cpu_time();
    kosum::analysis::warm_up(&Request::default(), &Default::default());
    println!(
        "patterns and background row starts for a full analysis (kosum::analysis::warm_up, on another core in the CLI): {:.1} ms CPU",
        (thread_cpu_time() - started).as_secs_f64() * 1e3
    );
    let plain = Tokenizer::new(&TokenizerConfig {
        default_terms: false,
        extra_terms: Default::default(),
    })
    .expect("tokenizer");

    let mut sets = vec![(
        "samples/",
        read_texts(&files_in(&root.join("samples"), "txt")),
    )];
    let shared = root.join("../shared");
    if shared.is_dir() {
        sets.push(("../shared/corpus", corpus_texts(&shared)));
    } else {
        println!("(../shared absent: corpus figures skipped)");
    }
    let request = Request::default();
    for (name, texts) in &sets {
        let bytes: usize = texts.iter().map(String::len).sum();
        let segmenter = lindera::segmenter::Segmenter::new(
            lindera::mode::Mode::Normal,
            with_flat_char_table(tokenizer.dictionary()),
            None,
        );
        let [lindera_raw, tokenize, plain_tokenize, split, analyze]: [f64; 5] = side_by_side(
            texts,
            minimum,
            &mut [
                &mut |text| {
                    segmenter
                        .segment(std::borrow::Cow::Borrowed(text))
                        .expect("segment");
                },
                &mut |text| {
                    tokenizer.tokenize(text).expect("tokenize");
                },
                &mut |text| {
                    plain.tokenize(text).expect("tokenize");
                },
                &mut |text| {
                    analyzer
                        .document(text, kosum::analysis::SentenceMode::Split)
                        .expect("split");
                },
                &mut |text| {
                    analyzer.analyze(text, &request).expect("analyze");
                },
            ],
        )
        .try_into()
        .expect("five works, five figures");
        println!("{name}: lindera 6.2 Segmenter alone (same dictionary) {lindera_raw:.2} MB/s");
        println!("{name}: tokenize without our terms {plain_tokenize:.2} MB/s");
        println!("{name}: tokenize + sentence split {split:.2} MB/s");
        println!(
            "{name}: {} texts, {:.1} KB | tokenize {tokenize:.2} MB/s | full analysis {analyze:.2} MB/s ({:.0}% of kosum tokenization, {:.0}% of lindera's), one core",
            texts.len(),
            bytes as f64 / 1e3,
            100.0 * analyze / tokenize,
            100.0 * analyze / lindera_raw
        );
    }

    // Document size: throughput should not fall as documents grow. Every
    // size cuts the same 1 MB of text into documents of that size, so the
    // curve compares sizes on equal text (repeating one small document
    // instead would keep its dictionary entries in cache and flatter it).
    let base = sets
        .last()
        .map(|(_, texts)| texts.clone())
        .unwrap_or_default();
    let text = document_of(&base, 1_000_000);
    let mut curve = Vec::new();
    for bytes in [1_000, 10_000, 100_000, 1_000_000] {
        let documents = pieces_of(&text, bytes);
        let speed = throughput(&documents, minimum, |text| {
            analyzer.analyze(text, &request).expect("analyze");
        });
        curve.push(format!("{} KB {speed:.2} MB/s", bytes / 1000));
    }
    println!(
        "full analysis of the same 1 MB of text by document size: {}",
        curve.join(", ")
    );

    let long = sentences_document(10_000);
    let started = thread_cpu_time();
    let analysis = analyzer.analyze(&long, &request).expect("analyze");
    println!(
        "10,000-sentence document ({:.0} KB): full analysis {:.0} ms CPU, {} sentences found",
        long.len() as f64 / 1e3,
        (thread_cpu_time() - started).as_secs_f64() * 1e3,
        analysis.document.sentences.len()
    );

    folder_batch(&base);
    many_small_files();
}

/// kosum's dictionary as lindera's own loader gives it. kosum loads it
/// without the flat table of char categories that lindera builds at load
/// time (its search classifies each distinct char once); lindera's
/// Segmenter reads that table for every char, so it gets it back here.
fn with_flat_char_table(dictionary: &Dictionary) -> Dictionary {
    let mut dictionary = dictionary.clone();
    let chars = &dictionary.character_definition;
    dictionary.character_definition = Arc::new(CharacterDefinition::new(
        chars.category_definitions.clone(),
        chars.category_names.clone(),
        chars.mapping.clone(),
    ));
    dictionary
}

/// `kosum --format jsonl --threads THREADS -q DIR`, the command the folder
/// figures time.
fn kosum_over(dir: &Path, threads: usize) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kosum"));
    command
        .args(["--format", "jsonl", "--threads", &threads.to_string(), "-q"])
        .arg(dir);
    command
}

/// The whole `kosum` process over a folder (start-up, reading, analysis on
/// 1 and 2 threads, JSONL written): wall time, best of five runs each, taken
/// in turn. The folder holds `texts` as files, copied until it has 500 KB.
fn folder_batch(texts: &[String]) {
    let folder = tempfile::tempdir().expect("temporary folder");
    let mut bytes = 0;
    let mut files = 0;
    while bytes < 500_000 && texts.iter().any(|text| !text.is_empty()) {
        for text in texts {
            std::fs::write(folder.path().join(format!("{files:05}.txt")), text)
                .expect("write a document");
            bytes += text.len();
            files += 1;
        }
    }
    let run = |threads: usize| {
        let started = std::time::Instant::now();
        let output = kosum_over(folder.path(), threads)
            .output()
            .expect("run kosum");
        assert!(output.status.success(), "kosum failed on the folder");
        (started.elapsed(), output.stdout)
    };
    let mut best = [Duration::MAX; 2];
    let mut outputs: [Vec<u8>; 2] = Default::default();
    for _ in 0..5 {
        for (slot, threads) in [1, 2].into_iter().enumerate() {
            let (elapsed, stdout) = run(threads);
            best[slot] = best[slot].min(elapsed);
            outputs[slot] = stdout;
        }
    }
    println!(
        "folder of {files} documents ({:.0} KB), whole process, wall time: 1 thread {:.0} ms ({:.2} MB/s), 2 threads {:.0} ms ({:.2} MB/s), speed-up {:.2}x, outputs {}",
        bytes as f64 / 1e3,
        best[0].as_secs_f64() * 1e3,
        bytes as f64 / best[0].as_secs_f64() / 1e6,
        best[1].as_secs_f64() * 1e3,
        bytes as f64 / best[1].as_secs_f64() / 1e6,
        best[0].as_secs_f64() / best[1].as_secs_f64(),
        if outputs[0] == outputs[1] {
            "identical"
        } else {
            "DIFFERENT"
        }
    );
}

/// The whole `kosum` process on two threads over flat folders of 10,000 and
/// 100,000 one-line files: the cost of many files, in time before the first
/// result and in peak memory per file (the folder being walked is held as
/// its sorted names while the analysis goes on).
fn many_small_files() {
    let folder = |files: usize| {
        let folder = tempfile::tempdir().expect("temporary folder");
        for number in 0..files {
            std::fs::write(
                folder.path().join(format!("article-{number:07}.txt")),
                format!("오늘 서울 날씨는 {number}번째로 맑다.\n"),
            )
            .expect("write a document");
        }
        folder
    };
    let (small, large) = (10_000, 100_000);
    let (small_folder, large_folder) = (folder(small), folder(large));
    let best_of_three = |dir: &Path, files: usize| {
        let (rss, first, wall, lines) = (0..3)
            .map(|_| first_result_and_peak_rss(dir))
            .min_by(|a, b| a.2.cmp(&b.2))
            .expect("three runs");
        assert_eq!(lines, files, "one result line per file");
        (rss, first, wall)
    };
    let (small_rss, ..) = best_of_three(small_folder.path(), small);
    let (rss, first, wall) = best_of_three(large_folder.path(), large);
    println!(
        "flat folder of {large} one-line files, 2 threads, best of 3: {:.0} ms, first result after {:.0} ms, peak RSS {:.1} MB ({:.1} MB for {small} files: {:.0} bytes per file more)",
        wall.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3,
        rss as f64 / 1e6,
        small_rss as f64 / 1e6,
        rss.saturating_sub(small_rss) as f64 / (large - small) as f64,
    );
}

/// Runs `kosum --format jsonl --threads 2 -q DIR` and returns its peak RSS in
/// bytes, the time to its first output, its wall time and its output lines.
///
/// The peak is the process's `VmHWM`, read from `/proc` every millisecond
/// while it runs (the last reading before it ends, so a run of a few
/// milliseconds may end above it). `wait4`'s `ru_maxrss`
/// would not do: Linux carries into it the memory of the process that
/// spawned the child, and this bench's own is larger than kosum's.
fn first_result_and_peak_rss(dir: &Path) -> (u64, Duration, Duration, usize) {
    use std::io::Read;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let started = std::time::Instant::now();
    let mut child = kosum_over(dir, 2)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run kosum");
    let status_file = format!("/proc/{}/status", child.id());
    let (done, peak) = (AtomicBool::new(false), AtomicU64::new(0));
    let (first, lines) = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !done.load(Ordering::Relaxed) {
                let high_water = std::fs::read_to_string(&status_file)
                    .ok()
                    .and_then(|status| {
                        let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
                        line.split_whitespace().nth(1)?.parse::<u64>().ok()
                    });
                if let Some(kilobytes) = high_water {
                    peak.fetch_max(kilobytes * 1024, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let mut stdout = child.stdout.take().expect("piped output");
        let mut buffer = vec![0u8; 1 << 16];
        let (mut first, mut lines) = (None, 0);
        loop {
            let read = stdout.read(&mut buffer).expect("read kosum's output");
            if read == 0 {
                break;
            }
            first.get_or_insert_with(|| started.elapsed());
            lines += buffer[..read].iter().filter(|&&byte| byte == b'\n').count();
        }
        done.store(true, Ordering::Relaxed);
        (first, lines)
    });
    let status = child.wait().expect("wait for kosum");
    let wall = started.elapsed();
    assert!(status.success(), "kosum failed on {}", dir.display());
    (peak.into_inner(), first.unwrap_or(wall), wall, lines)
}
