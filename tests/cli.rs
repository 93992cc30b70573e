//! The `kosum` binary driven as users drive it: a pasted article, folders
//! with broken files, JSONL streams, `-o` result folders, and the JSON
//! schema v1 contract. One test binary (each links the whole dictionary).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;

fn kosum() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kosum"));
    command.env_remove("NO_COLOR");
    command
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> PathBuf {
    repo().join("samples").join(name)
}

fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("kosum prints UTF-8")
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// Chars `[start, end)` of `text`.
fn char_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// A folder of the sample articles plus one nested copy.
fn sample_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in ["ms-openai-cloud.txt", "semiconductor-news.txt", "short.txt"] {
        std::fs::copy(sample(name), dir.path().join(name)).unwrap();
    }
    std::fs::create_dir(dir.path().join("nested")).unwrap();
    std::fs::copy(
        sample("startup-funding.txt"),
        dir.path().join("nested/startup-funding.md"),
    )
    .unwrap();
    std::fs::write(dir.path().join("ignored.html"), "<p>안녕</p>").unwrap();
    dir
}

/// A folder of good and bad inputs. Tests run as root in CI, where a
/// `chmod 000` file is still readable, so "unreadable" is a dangling
/// symbolic link (open fails with ENOENT for everyone) and a FIFO (which a
/// folder walk must refuse rather than block on).
fn mixed_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path();
    std::fs::copy(sample("short.txt"), path.join("good.txt")).unwrap();
    std::fs::write(path.join("cp949.txt"), [0xC7, 0xD1, 0xB1, 0xDB, b'\n']).unwrap();
    std::fs::write(path.join("utf16.txt"), [0xFF, 0xFE, 0x5C, 0xD5, 0x6D, 0xAD]).unwrap();
    std::fs::write(path.join("binary.txt"), b"abc\0def").unwrap();
    std::fs::write(path.join("empty.txt"), b"").unwrap();
    std::fs::write(path.join("blank.txt"), " \n\t\r\n").unwrap();
    std::fs::write(
        path.join("odd.txt"),
        "\u{FEFF}제로\u{200B}폭 공백과 이모지😀가 있다.\r\n줄바꿈은 CRLF다.\r마지막은 CR이다.",
    )
    .unwrap();
    std::fs::write(
        path.join("english.md"),
        "No Korean here. Just two sentences.",
    )
    .unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("does-not-exist.txt", path.join("dangling.txt")).unwrap();
        let status = StdCommand::new("mkfifo")
            .arg(path.join("pipe.txt"))
            .status()
            .unwrap();
        assert!(status.success());
        std::fs::create_dir(path.join("sub")).unwrap();
        std::os::unix::fs::symlink("..", path.join("sub/loop")).unwrap();
    }
    dir
}

mod paste_and_folders {
    use super::*;

    #[test]
    fn an_article_on_stdin_gives_one_json_document() {
        let article = std::fs::read_to_string(sample("ms-openai-cloud.txt")).unwrap();
        let output = kosum()
            .pipe_stdin(sample("ms-openai-cloud.txt"))
            .unwrap()
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
        assert_eq!(document["id"], "-");
        assert_eq!(document["error"], serde_json::Value::Null);
        let sentences = document["sentences"].as_array().unwrap();
        assert!(sentences.len() > 10);
        for s in sentences {
            let (start, end) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            assert_eq!(
                char_slice(&article, start as usize, end as usize),
                s["text"].as_str().unwrap()
            );
        }
        // One document on stdin is not a batch: no summary line.
        assert_eq!(stderr_of(&output), "");
    }

    /// Old Hangul written with conjoining jamo, loose compatibility jamo,
    /// control characters, NEL and the Unicode line separator: every
    /// sentence, keyword and entity offset slices the input to its text, and
    /// between sentences there is nothing but whitespace, controls and
    /// invisible characters (which the analysis treats as spaces).
    #[test]
    fn old_hangul_loose_jamo_and_control_characters() {
        let text = "옛한글 ᄒᆞᆫ글과 ᄆᆞᄅᆞᆷ을 쓴다. 호환 자모 ㅋㅋㅋ ㄱㄴㄷ도 있다.\u{7} 제어\u{1b}문자와 \
                    폼피드\u{c}가 섞였다. 결합 자모 한글이다.\u{85}다음 줄 NEL. 줄 구분\u{2028}문자도 있다.";
        let output = kosum()
            .args(["--format", "json"])
            .write_stdin(text)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
        let span = |item: &serde_json::Value| {
            (
                item["start"].as_u64().unwrap() as usize,
                item["end"].as_u64().unwrap() as usize,
            )
        };
        let sentences = document["sentences"].as_array().unwrap();
        assert!(sentences.len() >= 6, "{sentences:?}");
        assert_eq!(sentences[0]["text"], "옛한글 ᄒᆞᆫ글과 ᄆᆞᄅᆞᆷ을 쓴다.");
        let mut at = 0;
        for sentence in sentences {
            let (start, end) = span(sentence);
            assert_eq!(
                char_slice(text, start, end),
                sentence["text"].as_str().unwrap()
            );
            let gap = char_slice(text, at, start);
            assert!(
                gap.chars()
                    .all(|c| c.is_whitespace() || c.is_control() || c == '\u{2028}'),
                "{gap:?}"
            );
            at = end;
        }
        assert_eq!(at, text.chars().count());
        for keyword in document["keywords"].as_array().unwrap() {
            let (start, end) = span(keyword);
            assert_eq!(
                char_slice(text, start, end),
                keyword["text"].as_str().unwrap()
            );
        }
        assert!(
            document["keywords"]
                .as_array()
                .unwrap()
                .iter()
                .any(|k| k["text"] == "자모" || k["text"] == "호환 자모")
        );
        for entity in document["entities"].as_array().unwrap() {
            for mention in entity["mentions"].as_array().unwrap() {
                let (start, end) = span(mention);
                assert!(!char_slice(text, start, end).trim().is_empty());
            }
        }
    }

    #[test]
    fn a_dash_reads_stdin_too() {
        let output = kosum()
            .args(["split", "-"])
            .write_stdin("첫 문장이다. 둘째 문장이다.")
            .output()
            .unwrap();
        assert!(output.status.success());
        let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
        assert_eq!(document["sentences"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn the_samples_folder_gives_one_line_per_file_in_path_order() {
        let output = kosum().arg(repo().join("samples")).output().unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        let documents = json_lines(&stdout_of(&output));
        let ids: Vec<String> = documents
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect();
        let mut expected: Vec<String> = std::fs::read_dir(repo().join("samples"))
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "txt" || extension == "md")
            })
            .map(|path| path.display().to_string())
            .collect();
        expected.sort();
        assert_eq!(ids, expected);
        assert!(stderr_of(&output).contains(&format!("{} documents, 0 failed", ids.len())));
    }

    #[test]
    fn jsonl_output_of_a_folder_walks_recursively_and_applies_globs() {
        let dir = sample_folder();
        let output = kosum()
            .args(["--format", "jsonl"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success());
        let documents = json_lines(&stdout_of(&output));
        let names: Vec<String> = documents
            .iter()
            .map(|d| {
                let id = PathBuf::from(d["id"].as_str().unwrap());
                id.strip_prefix(dir.path()).unwrap().display().to_string()
            })
            .collect();
        assert_eq!(
            names,
            [
                "ms-openai-cloud.txt",
                "nested/startup-funding.md",
                "semiconductor-news.txt",
                "short.txt"
            ]
        );
        let output = kosum()
            .args(["split", "--glob", "*.html"])
            .arg(dir.path())
            .output()
            .unwrap();
        let documents = json_lines(&stdout_of(&output));
        assert_eq!(documents.len(), 1);
        assert!(
            documents[0]["id"]
                .as_str()
                .unwrap()
                .ends_with("ignored.html")
        );
    }

    #[test]
    fn idf_corpus_learns_from_the_folder_it_analyses() {
        // `--idf corpus` reads the inputs twice: a first walk learns their
        // document frequencies, and the run's own walk analyses them.
        let dir = sample_folder();
        let run = |idf: Option<&str>| {
            let mut command = kosum();
            command.args(["keywords", "--format", "jsonl"]);
            if let Some(idf) = idf {
                command.args(["--idf", idf]);
            }
            let output = command.arg(dir.path()).output().unwrap();
            assert!(output.status.success(), "{}", stderr_of(&output));
            json_lines(&stdout_of(&output))
        };
        // The same frequencies written to a file by `kosum idf build`.
        let table_dir = tempfile::tempdir().unwrap();
        let table = table_dir.path().join("idf.tsv");
        let build = kosum()
            .args(["idf", "build"])
            .arg(dir.path())
            .arg("-o")
            .arg(&table)
            .output()
            .unwrap();
        assert!(build.status.success(), "{}", stderr_of(&build));
        let (background, learned) = (run(None), run(Some("corpus")));
        assert_eq!(learned, run(Some(table.to_str().unwrap())));
        let ids = |documents: &[serde_json::Value]| -> Vec<String> {
            documents
                .iter()
                .map(|d| d["id"].as_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(ids(&learned), ids(&background));
        assert_eq!(learned.len(), 4);
        assert!(
            learned
                .iter()
                .all(|d| !d["keywords"].as_array().unwrap().is_empty())
        );
        assert_ne!(
            learned
                .iter()
                .map(|d| d["keywords"].clone())
                .collect::<Vec<_>>(),
            background
                .iter()
                .map(|d| d["keywords"].clone())
                .collect::<Vec<_>>(),
            "the learned frequencies change the keywords' scores"
        );
        let stream = kosum()
            .args(["keywords", "--idf", "corpus"])
            .write_stdin("첫 문장이다.")
            .output()
            .unwrap();
        assert_eq!(stream.status.code(), Some(2));
        assert!(stderr_of(&stream).contains("cannot read a stream"));
    }

    #[test]
    fn text_format_is_for_people() {
        let output = kosum()
            .args(["--format", "text", "--color", "never"])
            .arg(sample("short.txt"))
            .output()
            .unwrap();
        let text = stdout_of(&output);
        for heading in ["Summary", "Keywords", "Entities"] {
            assert!(text.contains(heading), "{text}");
        }
        // The article itself is not echoed back; `kosum split` lists it.
        assert!(!text.contains("Sentences"), "{text}");
        assert!(!text.contains('\x1b'));
        let colored = kosum()
            .args(["--format", "text", "--color", "always"])
            .arg(sample("short.txt"))
            .output()
            .unwrap();
        assert!(stdout_of(&colored).contains("\x1b[1m"));
    }

    #[test]
    fn highlight_without_a_terminal_marks_with_brackets_and_keeps_the_article() {
        let article = std::fs::read_to_string(sample("ms-openai-cloud.txt")).unwrap();
        let output = kosum()
            .arg("--highlight")
            .arg(sample("ms-openai-cloud.txt"))
            .output()
            .unwrap();
        assert!(output.status.success());
        let marked = stdout_of(&output);
        assert!(!marked.contains('\x1b'));
        let unmarked = marked.replace(['【', '】'], "").replace("**", "");
        assert_eq!(unmarked, article);
        assert_eq!(marked.matches('【').count(), marked.matches('】').count());
        let refused = kosum()
            .args(["--highlight", "--format", "json"])
            .arg(sample("short.txt"))
            .output()
            .unwrap();
        assert_eq!(refused.status.code(), Some(2));
    }

    #[test]
    fn tsv_and_markdown_render_every_document() {
        let dir = sample_folder();
        let tsv = kosum()
            .args(["split", "--format", "tsv"])
            .arg(dir.path())
            .output()
            .unwrap();
        let tsv = stdout_of(&tsv);
        let mut rows = tsv.lines();
        assert_eq!(rows.next().unwrap().split('\t').count(), 10);
        assert!(rows.all(|row| row.split('\t').count() == 10));
        let markdown = kosum()
            .args(["split", "--format", "markdown"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(stdout_of(&markdown).matches("\n## ").count() + 1, 4);
    }
}

mod bad_inputs {
    use super::*;

    #[test]
    fn a_folder_with_broken_files_reports_each_and_analyses_the_rest() {
        let dir = mixed_folder();
        let output = kosum()
            .args(["--format", "jsonl", "--threads", "2"])
            .arg(dir.path())
            .timeout(std::time::Duration::from_secs(120))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
        let stderr = stderr_of(&output);
        let documents = json_lines(&stdout_of(&output));
        let by_name = |name: &str| {
            documents
                .iter()
                .find(|d| d["id"].as_str().unwrap().ends_with(name))
                .unwrap_or_else(|| panic!("no result for {name}"))
        };
        let failed = [
            ("cp949.txt", "not valid UTF-8"),
            ("utf16.txt", "UTF-16"),
            ("binary.txt", "NUL byte"),
            #[cfg(unix)]
            ("dangling.txt", "does not exist"),
            #[cfg(unix)]
            ("pipe.txt", "not a regular file"),
            #[cfg(unix)]
            ("sub/loop", "symbolic link loop"),
        ];
        for (name, problem) in failed {
            let document = by_name(name);
            let error = document["error"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}"));
            assert!(error.contains(problem), "{name}: {error}");
            assert_eq!(document["sentences"], serde_json::json!([]));
            assert_eq!(document["keywords"], serde_json::json!([]));
            assert!(
                stderr
                    .lines()
                    .any(|l| l.contains(name) && l.contains(problem)),
                "{name} not reported: {stderr}"
            );
        }
        // Empty and whitespace-only documents are valid and empty, with a
        // warning naming them.
        for name in ["empty.txt", "blank.txt"] {
            let document = by_name(name);
            assert_eq!(document["error"], serde_json::Value::Null);
            assert_eq!(document["sentences"], serde_json::json!([]));
            assert!(stderr.contains(&format!("warning: {}", dir.path().join(name).display())));
        }
        for name in ["good.txt", "odd.txt", "english.md"] {
            let document = by_name(name);
            assert_eq!(document["error"], serde_json::Value::Null, "{name}");
            assert!(
                !document["sentences"].as_array().unwrap().is_empty(),
                "{name}"
            );
        }
        let odd = by_name("odd.txt");
        let text = std::fs::read_to_string(dir.path().join("odd.txt")).unwrap();
        let text = text.trim_start_matches('\u{FEFF}');
        for s in odd["sentences"].as_array().unwrap() {
            let (start, end) = (s["start"].as_u64().unwrap(), s["end"].as_u64().unwrap());
            assert_eq!(
                char_slice(text, start as usize, end as usize),
                s["text"].as_str().unwrap()
            );
        }
        assert!(stderr.contains(&format!("{} documents, 6 failed", documents.len())));
    }

    #[test]
    fn a_missing_file_and_a_folder_as_a_jsonl_file_fail_alone() {
        let dir = tempfile::tempdir().unwrap();
        let output = kosum()
            .args(["split", "--input-format", "jsonl"])
            .arg(dir.path())
            .arg(dir.path().join("missing.jsonl"))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let documents = json_lines(&stdout_of(&output));
        assert_eq!(documents.len(), 2);
        assert!(
            documents[0]["error"]
                .as_str()
                .unwrap()
                .contains("is a directory")
        );
        assert!(
            documents[1]["error"]
                .as_str()
                .unwrap()
                .contains("No such file")
        );
    }

    #[test]
    fn usage_and_setup_errors_exit_2() {
        let unknown = kosum().arg("--no-such-flag").output().unwrap();
        assert_eq!(unknown.status.code(), Some(2));
        let dir = tempfile::tempdir().unwrap();
        let folder_as_dict = kosum()
            .arg("--user-dict")
            .arg(dir.path())
            .arg(sample("short.txt"))
            .output()
            .unwrap();
        assert_eq!(folder_as_dict.status.code(), Some(2));
        assert!(stderr_of(&folder_as_dict).contains("--user-dict"));
        let bad_dict = dir.path().join("bad.tsv");
        std::fs::write(&bad_dict, "오픈소스재단\tNNP\n").unwrap();
        let malformed = kosum()
            .arg("--user-dict")
            .arg(&bad_dict)
            .arg(sample("short.txt"))
            .output()
            .unwrap();
        assert_eq!(malformed.status.code(), Some(2));
        assert!(stderr_of(&malformed).contains("line 1"));
        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        let output_is_a_file = kosum()
            .arg("-o")
            .arg(&file)
            .arg(sample("short.txt"))
            .output()
            .unwrap();
        assert_eq!(output_is_a_file.status.code(), Some(2));
    }
}

mod large_inputs {
    use super::*;

    /// 100,000 one-character "sentences" (also a run of Korean list
    /// markers 가. 가. …): an answer in reasonable time that covers every
    /// character, never a hang (the summary graph must stay sparse).
    #[test]
    fn a_hundred_thousand_one_character_sentences() {
        let text = "가. ".repeat(100_000);
        let output = kosum()
            .args(["--format", "json", "-n", "3"])
            .write_stdin(text.clone())
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
        let covered: String = document["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap())
            .collect::<String>()
            .split_whitespace()
            .collect();
        let expected: String = text.split_whitespace().collect();
        assert_eq!(covered, expected);
        assert!(document["summary"].as_array().unwrap().len() <= 3);
    }

    /// A long text with no line break at all is analysed whole: the lattice
    /// cuts it into bounded pieces, and nothing is lost.
    #[test]
    fn a_long_text_without_line_breaks() {
        let sentence = "마이크로소프트는 애저 클라우드 인프라에 1억 달러를 더 투자했다. ";
        let text = sentence.repeat(20_000);
        let output = kosum()
            .args(["split", "--format", "json"])
            .write_stdin(text.clone())
            .timeout(std::time::Duration::from_secs(300))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
        let sentences = document["sentences"].as_array().unwrap();
        assert_eq!(sentences.len(), 20_000);
        let last = &sentences[19_999];
        let (start, end) = (
            last["start"].as_u64().unwrap() as usize,
            last["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(char_slice(&text, start, end), sentence.trim_end());
    }

    /// The largest resident set of any child process this test binary has
    /// waited for, in bytes (Linux reports kilobytes).
    fn peak_child_rss() -> u64 {
        // SAFETY: getrusage only writes the struct we pass.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
        usage.ru_maxrss as u64 * 1024
    }

    #[derive(serde::Deserialize)]
    struct Span {
        start: usize,
        end: usize,
    }

    #[derive(serde::Deserialize)]
    struct Report {
        sentences: Vec<Span>,
        summary: Vec<Span>,
        keywords: Vec<serde::de::IgnoredAny>,
        entities: Vec<serde::de::IgnoredAny>,
    }

    /// A 50 MB text without a single line break, fully analysed: it is cut
    /// into sections, so every sentence is reported with offsets into the
    /// whole text, the summary is three of them, and memory stays far below
    /// what analysing it in one piece would take (several GB).
    #[test]
    fn fifty_megabytes_without_a_line_break_in_bounded_memory() {
        let mut unit = String::new();
        for name in ["ms-openai-cloud.txt", "short.txt"] {
            let sample = std::fs::read_to_string(sample(name)).unwrap();
            unit.push_str(&sample.replace(['\n', '\r'], " "));
            unit.push(' ');
        }
        let text = unit.repeat(50_000_000 / unit.len() + 1);
        assert!(text.len() >= 50_000_000 && !text.contains('\n'));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("one-line.txt");
        std::fs::write(&path, &text).unwrap();

        let output = kosum()
            .args(["--format", "json", "-q"])
            .arg(&path)
            .timeout(std::time::Duration::from_secs(1200))
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        let peak = peak_child_rss();
        let report: Report = serde_json::from_slice(&output.stdout).unwrap();

        let chars: Vec<char> = text.chars().collect();
        let mut at = 0;
        for sentence in &report.sentences {
            assert!(at <= sentence.start && sentence.start < sentence.end);
            assert!(chars[at..sentence.start].iter().all(|c| c.is_whitespace()));
            at = sentence.end;
        }
        assert!(chars[at..].iter().all(|c| c.is_whitespace()));
        assert!(report.sentences.len() > 100_000);
        assert_eq!(report.summary.len(), 3);
        for chosen in &report.summary {
            assert!(
                report
                    .sentences
                    .iter()
                    .any(|s| (s.start, s.end) == (chosen.start, chosen.end))
            );
        }
        assert!(!report.keywords.is_empty() && !report.entities.is_empty());
        assert!(
            peak < 700 << 20,
            "peak resident memory {} MB for a 50 MB document",
            peak >> 20
        );
    }
}

mod streams {
    use super::*;

    fn docs_jsonl(count: usize) -> String {
        let text = std::fs::read_to_string(sample("short.txt")).unwrap();
        let mut lines = String::new();
        for i in 0..count {
            let document = serde_json::json!({"id": format!("doc-{i}"), "text": text});
            lines.push_str(&document.to_string());
            lines.push('\n');
        }
        lines
    }

    #[test]
    fn a_jsonl_line_that_is_not_utf8_fails_alone() {
        let mut input = docs_jsonl(1).into_bytes();
        // "한" in CP949, inside an otherwise well-formed line.
        input.extend_from_slice(b"{\"id\": \"cp949\", \"text\": \"\xC7\xD1\"}\n");
        input.extend_from_slice(docs_jsonl(1).as_bytes());
        let output = kosum()
            .args(["split", "--input-format", "jsonl"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let documents = json_lines(&stdout_of(&output));
        let errors: Vec<Option<&str>> = documents.iter().map(|d| d["error"].as_str()).collect();
        assert_eq!(errors, [None, Some("not valid UTF-8"), None]);
    }

    #[test]
    fn every_line_gets_one_answer_in_order_errors_included() {
        let mut input = docs_jsonl(3);
        input.push_str("this is not json\n");
        input.push_str("{\"id\": 7}\n");
        input.push_str("{\"id\": 8, \"text\": 8}\n");
        input.push('\n');
        input.push_str("[1, 2]\n");
        input.push_str("{\"doc\": \"x\", \"body\": \"끝.\"}\n");
        input.push_str("{\"text\": \"아이디 없는 줄.\"}");
        let output = kosum()
            .args(["split", "--input-format", "jsonl", "--threads", "2"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let documents = json_lines(&stdout_of(&output));
        let ids: Vec<&str> = documents
            .iter()
            .map(|d| d["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "doc-0", "doc-1", "doc-2", "-:4", "7", "8", "-:7", "-:8", "-:9", "-:10"
            ]
        );
        let errors: Vec<bool> = documents.iter().map(|d| !d["error"].is_null()).collect();
        assert_eq!(
            errors,
            [
                false, false, false, true, true, true, true, true, true, false
            ]
        );
        assert!(documents[3]["error"].as_str().unwrap().contains("not JSON"));
        assert!(
            documents[4]["error"]
                .as_str()
                .unwrap()
                .contains("no \"text\"")
        );
        let renamed = kosum()
            .args(["split", "--input-format", "jsonl", "--id-field", "doc"])
            .args(["--text-field", "body"])
            .write_stdin("{\"doc\": \"x\", \"body\": \"끝.\"}\n")
            .output()
            .unwrap();
        assert!(renamed.status.success());
        let documents = json_lines(&stdout_of(&renamed));
        assert_eq!(documents[0]["id"], "x");
        assert_eq!(documents[0]["sentences"][0]["text"], "끝.");
    }

    /// `cat docs.jsonl | kosum --input-format jsonl --format jsonl | head -1`:
    /// the reader goes away after one line; kosum stops quietly with 0.
    #[test]
    fn a_closed_output_pipe_ends_quietly() {
        let mut child = StdCommand::new(env!("CARGO_BIN_EXE_kosum"))
            .args(["--input-format", "jsonl", "--format", "jsonl"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || {
            let input = docs_jsonl(3000);
            // Writing fails once kosum has exited; that is expected.
            let _ = stdin.write_all(input.as_bytes());
        });
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        drop(stdout);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        feeder.join().unwrap();
        let document: serde_json::Value = serde_json::from_str(&first).unwrap();
        assert_eq!(document["id"], "doc-0");
        assert_eq!(status.code(), Some(0), "{stderr}");
        assert!(!stderr.contains("error"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }

    /// Each answer is flushed as soon as it is ready, so a caller can hold
    /// kosum open as a coprocess: one line in, one line out.
    #[test]
    fn answers_come_line_by_line_while_the_input_stays_open() {
        for threads in ["1", "2"] {
            let mut child = StdCommand::new(env!("CARGO_BIN_EXE_kosum"))
                .args(["split", "--input-format", "jsonl", "--threads", threads])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            let mut stdout = BufReader::new(child.stdout.take().unwrap());
            for i in 0..3 {
                writeln!(stdin, "{{\"id\": \"q{i}\", \"text\": \"질문 {i}이다.\"}}").unwrap();
                stdin.flush().unwrap();
                let mut answer = String::new();
                stdout.read_line(&mut answer).unwrap();
                let document: serde_json::Value = serde_json::from_str(&answer).unwrap();
                assert_eq!(document["id"], format!("q{i}"));
            }
            drop(stdin);
            assert!(child.wait().unwrap().success());
        }
    }

    /// What Hadoop Streaming and Spark's `RDD.pipe()` do with a mapper:
    /// split the input into chunks, run one kosum per chunk at the same
    /// time, collect each chunk's output. Every line must be answered, in
    /// order, and each chunk's answers must be what one kosum over the whole
    /// input gives for those lines.
    #[test]
    fn kosum_works_as_a_streaming_mapper() {
        let mut input = docs_jsonl(40);
        input.push_str("broken line\n");
        let lines: Vec<&str> = input.lines().collect();
        let whole = kosum()
            .args(["--input-format", "jsonl", "--format", "jsonl"])
            .write_stdin(input.clone())
            .output()
            .unwrap();
        let whole: Vec<String> = stdout_of(&whole).lines().map(str::to_string).collect();
        assert_eq!(whole.len(), lines.len());
        let chunks: Vec<String> = lines
            .chunks(11)
            .map(|chunk| chunk.iter().map(|l| format!("{l}\n")).collect())
            .collect();
        let mappers: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let mut child = StdCommand::new(env!("CARGO_BIN_EXE_kosum"))
                    .args(["--input-format", "jsonl", "--format", "jsonl", "--quiet"])
                    .args(["--threads", "1"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                let mut stdin = child.stdin.take().unwrap();
                let chunk = chunk.clone();
                let feeder = std::thread::spawn(move || stdin.write_all(chunk.as_bytes()));
                (child, feeder)
            })
            .collect();
        let mut collected = Vec::new();
        for (chunk, (child, feeder)) in chunks.iter().zip(mappers) {
            let output = child.wait_with_output().unwrap();
            feeder.join().unwrap().unwrap();
            let answers: Vec<String> = stdout_of(&output).lines().map(str::to_string).collect();
            assert_eq!(answers.len(), chunk.lines().count());
            collected.extend(answers);
        }
        // Ids of lines without one name the stream and line, so only the
        // broken line (the last) may differ; everything else is the same.
        assert_eq!(collected[..whole.len() - 1], whole[..whole.len() - 1]);
        let last: serde_json::Value = serde_json::from_str(collected.last().unwrap()).unwrap();
        assert!(last["error"].as_str().unwrap().contains("not JSON"));
    }

    /// The same under a real Spark in local mode, when a Python with pyspark
    /// (and a Java) is named by KOSUM_PYSPARK_PYTHON.
    #[test]
    fn kosum_works_under_spark_rdd_pipe() {
        let Some(python) = std::env::var_os("KOSUM_PYSPARK_PYTHON") else {
            println!("skipped: set KOSUM_PYSPARK_PYTHON to a python with pyspark to run Spark");
            return;
        };
        let dir = tempfile::tempdir().unwrap();
        let (source, target) = (dir.path().join("in.jsonl"), dir.path().join("out.jsonl"));
        std::fs::write(&source, docs_jsonl(100)).unwrap();
        let status = StdCommand::new(python)
            .arg(repo().join("tests/support/spark_pipe.py"))
            .arg(env!("CARGO_BIN_EXE_kosum"))
            .args([&source, &target])
            .arg("4")
            .status()
            .unwrap();
        assert!(status.success());
        let documents = json_lines(&std::fs::read_to_string(target).unwrap());
        let ids: Vec<String> = documents
            .iter()
            .map(|d| d["id"].as_str().unwrap().to_string())
            .collect();
        let expected: Vec<String> = (0..100).map(|i| format!("doc-{i}")).collect();
        assert_eq!(ids, expected);
    }
}

mod result_folders {
    use super::*;

    fn visible_files(dir: &Path) -> Vec<PathBuf> {
        walk(dir)
            .into_iter()
            .filter(|p| {
                !p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(".kosum-")
            })
            .collect()
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files.sort();
        files
    }

    #[test]
    fn one_result_file_per_input_mirroring_the_folder() {
        let dir = sample_folder();
        let out = tempfile::tempdir().unwrap();
        let output = kosum()
            .arg(dir.path())
            .arg("-o")
            .arg(out.path())
            .output()
            .unwrap();
        assert!(output.status.success());
        assert_eq!(stdout_of(&output), "");
        let names: Vec<String> = walk(out.path())
            .iter()
            .map(|p| p.strip_prefix(out.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "ms-openai-cloud.txt.json",
                "nested/startup-funding.md.json",
                "semiconductor-news.txt.json",
                "short.txt.json"
            ]
        );
        let document: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.path().join("short.txt.json")).unwrap(),
        )
        .unwrap();
        assert_eq!(document["schema"], 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.path().join("short.txt.json"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o644);
        }
    }

    #[test]
    fn an_interrupted_run_leaves_only_complete_files() {
        let dir = tempfile::tempdir().unwrap();
        let article = std::fs::read_to_string(sample("ms-openai-cloud.txt")).unwrap();
        for i in 0..1000 {
            std::fs::write(dir.path().join(format!("doc-{i:04}.txt")), &article).unwrap();
        }
        let out = tempfile::tempdir().unwrap();
        let mut child = StdCommand::new(env!("CARGO_BIN_EXE_kosum"))
            .args(["--threads", "1", "--format", "json", "-o"])
            .arg(out.path())
            .arg(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while visible_files(out.path()).is_empty() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().unwrap();
        child.wait().unwrap();
        let written = visible_files(out.path());
        assert!(!written.is_empty(), "no result appeared in time");
        assert!(
            written.len() < 1000,
            "the run finished before it was interrupted"
        );
        for path in &written {
            let text = std::fs::read_to_string(path).unwrap();
            let document: serde_json::Value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} is incomplete: {e}", path.display()));
            assert_eq!(document["error"], serde_json::Value::Null);
            assert!(path.display().to_string().ends_with(".txt.json"));
        }
        // A rerun completes the folder.
        let rerun = kosum()
            .args(["--format", "json", "-o"])
            .arg(out.path())
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(rerun.status.success());
        assert_eq!(visible_files(out.path()).len(), 1000);
    }

    #[test]
    fn jsonl_streams_get_one_result_file_per_stream() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("batch.jsonl");
        std::fs::write(&source, "{\"id\":\"a\",\"text\":\"하나.\"}\nnope\n").unwrap();
        let out = dir.path().join("out");
        let output = kosum()
            .args(["split", "--input-format", "jsonl", "-o"])
            .arg(&out)
            .arg(&source)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let written = std::fs::read_to_string(out.join("batch.jsonl.jsonl")).unwrap();
        let documents = json_lines(&written);
        assert_eq!(documents.len(), 2);
        assert_eq!(documents[0]["id"], "a");
        assert!(documents[1]["error"].is_string());
    }

    #[test]
    fn colliding_result_names_are_refused_before_starting() {
        let (a, b) = (sample_folder(), sample_folder());
        let out = tempfile::tempdir().unwrap();
        let output = kosum()
            .arg(a.path())
            .arg(b.path())
            .arg("-o")
            .arg(out.path())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr_of(&output).contains("would both be written"));
    }
}

mod determinism {
    use super::*;

    #[test]
    fn output_is_byte_identical_across_thread_counts_and_runs() {
        let dir = mixed_folder();
        let folder = sample_folder();
        let run = |threads: &str| {
            let output = kosum()
                .args(["--format", "jsonl", "--threads", threads])
                .arg(dir.path())
                .arg(folder.path())
                .output()
                .unwrap();
            let lines = stderr_of(&output).lines().count();
            (output.stdout, lines)
        };
        let (one, one_stderr) = run("1");
        let (two, two_stderr) = run("2");
        let (again, _) = run("2");
        assert!(!one.is_empty());
        assert_eq!(one, two);
        assert_eq!(two, again);
        assert_eq!(one_stderr, two_stderr);
    }
}

/// Schema v1 parsed strictly: unknown fields anywhere are an error, and each
/// command prints exactly its own fields plus `schema`, `id` and `error`.
mod schema {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Document {
        schema: u32,
        id: String,
        sentences: Option<Vec<Sentence>>,
        summary: Option<Vec<SummarySentence>>,
        keywords: Option<Vec<Keyword>>,
        entities: Option<Vec<Entity>>,
        error: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Sentence {
        index: usize,
        text: String,
        start: usize,
        end: usize,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct SummarySentence {
        index: usize,
        text: String,
        score: f64,
        start: usize,
        end: usize,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Keyword {
        text: String,
        score: f64,
        count: usize,
        start: usize,
        end: usize,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entity {
        text: String,
        #[serde(rename = "type")]
        kind: String,
        canonical: String,
        count: usize,
        mentions: Vec<Mention>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Mention {
        start: usize,
        end: usize,
    }

    const ENTITY_TYPES: [&str; 11] = [
        "ORG", "PRODUCT", "PERSON", "LOCATION", "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT",
        "EMAIL", "URL",
    ];

    /// The keys of each line (sorted) and the strictly parsed documents.
    fn parse(stdout: &str) -> Vec<(Vec<String>, Document)> {
        stdout
            .lines()
            .map(|line| {
                let value: serde_json::Value = serde_json::from_str(line).unwrap();
                let keys = value.as_object().unwrap().keys().cloned().collect();
                let document: Document = serde_json::from_str(line).unwrap();
                (keys, document)
            })
            .collect()
    }

    fn check_offsets(text: &str, document: &Document) {
        for (index, s) in document.sentences.iter().flatten().enumerate() {
            assert_eq!(s.index, index);
            assert_eq!(char_slice(text, s.start, s.end), s.text);
        }
        for s in document.summary.iter().flatten() {
            assert_eq!(char_slice(text, s.start, s.end), s.text);
            assert!(s.score.is_finite());
        }
        let summary: Vec<usize> = document.summary.iter().flatten().map(|s| s.index).collect();
        assert!(
            summary.windows(2).all(|w| w[0] < w[1]),
            "summary in document order"
        );
        for k in document.keywords.iter().flatten() {
            assert!(k.start < k.end && k.end <= text.chars().count());
            assert!(k.count >= 1);
        }
        for e in document.entities.iter().flatten() {
            assert!(ENTITY_TYPES.contains(&e.kind.as_str()), "{}", e.kind);
            assert_eq!(e.count, e.mentions.len());
            for m in &e.mentions {
                assert!(m.start < m.end && m.end <= text.chars().count());
            }
            assert!(!e.canonical.is_empty() && !e.text.is_empty());
        }
    }

    #[test]
    fn every_command_prints_exactly_its_fields() {
        let dir = mixed_folder();
        let article = sample("ms-openai-cloud.txt");
        let text = std::fs::read_to_string(&article).unwrap();
        let cases: [(&[&str], &[&str]); 5] = [
            (&[], &["sentences", "summary", "keywords", "entities"]),
            (&["summarize"], &["summary"]),
            (&["keywords"], &["keywords"]),
            (&["entities"], &["entities"]),
            (&["split"], &["sentences"]),
        ];
        for (command, fields) in cases {
            let mut expected = vec!["schema", "id"];
            expected.extend_from_slice(fields);
            expected.push("error");
            expected.sort_unstable();
            let output = kosum()
                .args(command)
                .args(["--format", "jsonl"])
                .arg(&article)
                .arg(dir.path())
                .output()
                .unwrap();
            let documents = parse(&stdout_of(&output));
            assert!(documents.len() > 5);
            for (keys, document) in &documents {
                assert_eq!(keys, &expected, "{command:?}");
                assert_eq!(document.schema, 1);
                if document.error.is_some() {
                    for field in [
                        document.sentences.as_ref().map(Vec::len),
                        document.summary.as_ref().map(Vec::len),
                        document.keywords.as_ref().map(Vec::len),
                        document.entities.as_ref().map(Vec::len),
                    ] {
                        assert!(field.is_none_or(|len| len == 0));
                    }
                }
            }
            let (_, first) = &documents[0];
            assert_eq!(first.id, article.display().to_string());
            assert!(first.error.is_none());
            check_offsets(&text, first);
        }
    }

    #[test]
    fn a_single_document_as_json_is_one_object() {
        let output = kosum()
            .args(["--format", "json"])
            .arg(sample("short.txt"))
            .output()
            .unwrap();
        let text = stdout_of(&output);
        let document: Document = serde_json::from_str(&text).unwrap();
        assert!(document.error.is_none());
        assert!(
            text.lines().count() > 1,
            "json is indented for one document"
        );
    }
}

mod tokenize {
    use super::*;

    const SENTENCE: &str = "마이크로소프트가 오픈AI에 1억 달러를 투자했다.";

    #[test]
    fn tech_names_stay_single_tokens_in_text_and_json() {
        let output = kosum()
            .arg("tokenize")
            .write_stdin(SENTENCE)
            .output()
            .unwrap();
        assert!(output.status.success());
        let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
        let tokens = document["tokens"].as_array().unwrap();
        let surfaces: Vec<&str> = tokens
            .iter()
            .map(|t| t["surface"].as_str().unwrap())
            .collect();
        assert_eq!(
            surfaces,
            [
                "마이크로소프트",
                "가",
                "오픈AI",
                "에",
                "1",
                "억",
                "달러",
                "를",
                "투자",
                "했",
                "다",
                "."
            ]
        );
        assert_eq!(tokens[0]["tag"], "NNP");
        assert_eq!(tokens[2]["start"], 9);
        assert_eq!(tokens[2]["end"], 13);
        let text = kosum()
            .args(["tokenize", "--format", "text", "--color", "never"])
            .write_stdin(SENTENCE)
            .output()
            .unwrap();
        let text = stdout_of(&text);
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some("마이크로소프트\tNNP,*"));
        assert_eq!(lines.next(), Some("가\tJKS,*"));
        assert_eq!(lines.next(), Some("오픈AI\tNNP,*"));
        assert_eq!(text.lines().last(), Some("EOS"));
    }

    #[test]
    fn without_the_default_dictionary_names_split() {
        let output = kosum()
            .args(["tokenize", "--no-default-dict", "--format", "jsonl"])
            .write_stdin(SENTENCE)
            .output()
            .unwrap();
        let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
        assert_ne!(document["tokens"][0]["surface"], "마이크로소프트");
    }

    #[test]
    fn a_user_dictionary_adds_terms() {
        let dir = tempfile::tempdir().unwrap();
        let dict = dir.path().join("mine.tsv");
        std::fs::write(&dict, "# ours\n카카오브레인\tNNP\tORG\tKakao Brain\n").unwrap();
        let run = |extra: &[&std::ffi::OsStr]| {
            let output = kosum()
                .args(["tokenize", "--format", "jsonl"])
                .args(extra)
                .write_stdin("카카오브레인이 발표했다.")
                .output()
                .unwrap();
            let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
            document["tokens"][0]["surface"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            run(&["--user-dict".as_ref(), dict.as_os_str()]),
            "카카오브레인"
        );
    }
}

mod interface {
    use super::*;

    #[test]
    fn help_shows_examples_and_completions_are_printed() {
        let help = kosum().arg("--help").output().unwrap();
        assert!(help.status.success());
        let help = stdout_of(&help);
        assert!(help.contains("Examples:") && help.contains("--input-format"));
        for shell in ["bash", "zsh", "fish"] {
            let script = kosum().args(["completions", shell]).output().unwrap();
            assert!(script.status.success());
            assert!(stdout_of(&script).contains("tokenize"), "{shell}");
        }
    }

    #[test]
    fn sentences_per_line_keeps_the_lines() {
        let output = kosum()
            .args(["split", "--sentences-per-line"])
            .write_stdin("첫 줄. 같은 줄의 둘째 문장.\n\n둘째 줄\n")
            .output()
            .unwrap();
        let document: serde_json::Value = serde_json::from_str(&stdout_of(&output)).unwrap();
        let texts: Vec<&str> = document["sentences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].as_str().unwrap())
            .collect();
        assert_eq!(texts, ["첫 줄. 같은 줄의 둘째 문장.", "둘째 줄"]);
    }
}
