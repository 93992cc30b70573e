//! The `kosum` command: reads inputs (stdin, files, folders, JSONL streams),
//! runs the library on each document in parallel, and writes results in
//! input order to stdout or to one file per input.

mod args;
mod inputs;
mod pipeline;

use std::io::{self, BufRead, IsTerminal, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{CommandFactory, Parser};
use globset::GlobSet;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use kosum::analysis::{Analyzer, AnalyzerConfig, Request, SentenceMode, SummaryLength};
use kosum::normalize;
use kosum::output::{self, DocumentReport, Fields, Format, Style, TokenReport};
use kosum::resources::Terms;
use kosum::tokenize::TokenizerConfig;

use args::{
    Cli, ColorChoice, Command, CommonArgs, EvalCommand, FormatArg, HighlightArgs, IdfCommand,
    InputFormat, KeywordArgs, SummaryArgs,
};
use inputs::Input;
use pipeline::Flow;

/// Exit status when some inputs failed.
const EXIT_FAILURES: u8 = 1;
/// Exit status for usage and setup errors (clap uses it too).
const EXIT_USAGE: u8 = 2;

/// Parses the command line, runs it, and returns the process's exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(status) => status,
        Err(err) => {
            let _ = writeln!(io::stderr(), "kosum: error: {err:#}");
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// What an analysing command produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Task {
    Analyze(Fields),
    Tokenize,
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Commands without a keyword stage.
    let no_keywords = KeywordArgs { top: 0, idf: None };
    let (task, common, summary, keywords, highlight) = match cli.command {
        None => (
            Task::Analyze(Fields::ALL),
            cli.common,
            Some(cli.summary),
            cli.keywords,
            cli.highlight.highlight,
        ),
        Some(Command::Summarize {
            common,
            summary,
            highlight,
        }) => (
            Task::Analyze(Fields::SUMMARY),
            common,
            Some(summary),
            no_keywords,
            highlight.highlight,
        ),
        Some(Command::Keywords {
            common,
            keywords,
            highlight: HighlightArgs { highlight },
        }) => (
            Task::Analyze(Fields::KEYWORDS),
            common,
            None,
            keywords,
            highlight,
        ),
        Some(Command::Entities { common }) => (
            Task::Analyze(Fields::ENTITIES),
            common,
            None,
            no_keywords,
            false,
        ),
        Some(Command::Split { common }) => (
            Task::Analyze(Fields::SENTENCES),
            common,
            None,
            no_keywords,
            false,
        ),
        Some(Command::Tokenize { common }) => (Task::Tokenize, common, None, no_keywords, false),
        Some(Command::Eval(eval)) => return run_eval(eval),
        Some(Command::Idf(IdfCommand::Build { dir, output })) => {
            return build_idf_file(&dir, &output);
        }
        Some(Command::Completions { shell }) => {
            let mut command = Cli::command();
            clap_complete::generate(shell, &mut command, "kosum", &mut io::stdout());
            return Ok(ExitCode::SUCCESS);
        }
    };
    let request = build_request(task, &common, summary.as_ref(), &keywords)?;
    // Not with `--idf`: the background table is not used then, and warming
    // up the patterns alone made a one-line run slower, not faster (wall
    // time median 12.8 against 11.5 ms and 11.8 against 11.0 ms, 40 runs
    // of each in turn, with an 11,007-line IDF file).
    if let (Task::Analyze(_), None) = (task, &keywords.idf) {
        // The patterns and the background table's row starts (1.6 ms of
        // CPU in throughput bench run 13) are built on another core while
        // the dictionary loads; the thread ends as soon as they are built.
        // If no thread can be started, the first document builds them.
        let request = request.clone();
        let _ = std::thread::Builder::new()
            .name("kosum-warm-up".into())
            .spawn(move || kosum::analysis::warm_up(&request, &kosum::scoring::Idf::default()));
    }
    let settings = Settings::new(task, &common, request, highlight)?;
    let analyzer = load_analyzer(&common, keywords.idf.as_deref(), &settings)?;
    execute(&analyzer, &settings)
}

/// `kosum idf build DIR -o FILE`: document frequencies over the `.txt` and
/// `.md` files of a folder, written atomically.
fn build_idf_file(dir: &Path, output: &Path) -> anyhow::Result<ExitCode> {
    if !dir.is_dir() {
        bail!("{}: not a folder", dir.display());
    }
    let analyzer = Analyzer::new(&AnalyzerConfig::default())?;
    let globs = inputs::glob_set(&["*.txt".into(), "*.md".into()])?;
    let folder = [dir.to_path_buf()];
    let documents = inputs::expand(&folder, &globs, true);
    let (idf, total, failed) = learn_idf(&analyzer, documents, true);
    let table = idf
        .to_tsv()
        .context("internal error: a learned IDF table has a TSV form")?;
    let folder = match output.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(folder)
        .with_context(|| format!("{}: cannot write here", output.display()))?;
    file.write_all(table.as_bytes())
        .and_then(|_| file.flush())
        .with_context(|| format!("{}: cannot be written", output.display()))?;
    file.persist(output)
        .with_context(|| format!("{}: cannot be written", output.display()))?;
    eprintln!(
        "kosum: {} documents counted, {} could not be read, table written to {}",
        total - failed,
        failed,
        output.display()
    );
    Ok(ExitCode::from(if failed > 0 { EXIT_FAILURES } else { 0 }))
}

/// Document frequencies of `documents`, read and analysed in parallel as
/// they are found; also returns how many documents there were and how many
/// of them could not be read or decoded (each named on stderr when
/// `report_failures`).
fn learn_idf(
    analyzer: &Analyzer,
    documents: impl Iterator<Item = Input> + Send,
    report_failures: bool,
) -> (kosum::scoring::Idf, usize, usize) {
    use rayon::prelude::*;
    let (builder, total, failed) = documents
        .par_bridge()
        .fold(
            || (kosum::scoring::IdfBuilder::new(), 0usize, 0usize),
            |(mut builder, total, mut failed), input| {
                let text = inputs::read_all(&input.source)
                    .and_then(|bytes| normalize::decode(bytes).map_err(|err| err.to_string()));
                match text.and_then(|text| {
                    let terms = analyzer.idf_terms(&text).map_err(|err| err.to_string())?;
                    builder.add_terms(terms);
                    Ok(())
                }) {
                    Ok(()) => {}
                    Err(message) => {
                        if report_failures {
                            eprintln!("kosum: {}: {message}", input.id());
                        }
                        failed += 1;
                    }
                }
                (builder, total + 1, failed)
            },
        )
        .reduce(
            || (kosum::scoring::IdfBuilder::new(), 0, 0),
            |(mut left, left_total, left_failed), (right, right_total, right_failed)| {
                left.merge(right);
                (left, left_total + right_total, left_failed + right_failed)
            },
        );
    (builder.build(), total, failed)
}

fn run_eval(eval: EvalCommand) -> anyhow::Result<ExitCode> {
    match eval {
        EvalCommand::Split { dir, json } => {
            let analyzer = Analyzer::new(&AnalyzerConfig::default())?;
            let report = kosum::eval::split::evaluate_dir(&dir, &analyzer)?;
            print_report(&report, json)
        }
        EvalCommand::Summary { file, json, method } => {
            let analyzer = Analyzer::new(&AnalyzerConfig::default())?;
            let options = kosum::summary::SummaryOptions {
                method,
                ..Default::default()
            };
            let report = kosum::eval::summary::evaluate_file(&file, &analyzer, &options)?;
            print_report(&report, json)
        }
        EvalCommand::Ner { file, json } => {
            let analyzer = Analyzer::new(&AnalyzerConfig::default())?;
            let report = kosum::eval::ner::evaluate_file(&file, &analyzer, analyzer.gazetteer())?;
            print_report(&report, json)
        }
    }
}

/// Prints an evaluation report as a table, or as JSON with `--json`.
fn print_report(
    report: &(impl std::fmt::Display + serde::Serialize),
    json: bool,
) -> anyhow::Result<ExitCode> {
    let mut stdout = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut stdout, report)?;
        writeln!(stdout)?;
    } else {
        write!(stdout, "{report}")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn build_request(
    task: Task,
    common: &CommonArgs,
    summary: Option<&SummaryArgs>,
    keywords: &KeywordArgs,
) -> anyhow::Result<Request> {
    let sentence_mode = if common.sentences_per_line {
        SentenceMode::PerLine
    } else {
        SentenceMode::Split
    };
    let fields = match task {
        Task::Analyze(fields) => fields,
        Task::Tokenize => Fields::SENTENCES,
    };
    let summary_length = summary.filter(|_| fields.summary).map(|args| {
        if let Some(ratio) = args.ratio {
            SummaryLength::Ratio(ratio)
        } else if let Some(chars) = args.max_chars {
            SummaryLength::MaxChars(chars)
        } else {
            SummaryLength::Sentences(args.sentences)
        }
    });
    Ok(Request {
        sentence_mode,
        summary: summary_length,
        summary_method: summary.map(|args| args.method).unwrap_or_default(),
        summary_keyword_weight: summary.map_or(0.0, |args| args.keyword_weight),
        keywords: fields.keywords.then_some(keywords.top),
        entities: fields.entities,
    })
}

/// Whether `--idf PATH` asks for document frequencies learned from the
/// inputs themselves: `corpus`, unless a file of that name exists.
fn is_corpus_idf(path: &Path) -> bool {
    path == Path::new("corpus") && !path.exists()
}

/// Loads the dictionary, the user's terms and the term weights: `--idf FILE`
/// reads a table from `kosum idf build`; `--idf corpus` learns one from the
/// inputs themselves first (a second pass over them).
fn load_analyzer(
    common: &CommonArgs,
    idf: Option<&Path>,
    settings: &Settings,
) -> anyhow::Result<Analyzer> {
    let mut extra_terms = Terms::default();
    for path in &common.user_dict {
        let bytes = std::fs::read(path)
            .with_context(|| format!("--user-dict {}: cannot be read", path.display()))?;
        let text =
            normalize::decode(bytes).with_context(|| format!("--user-dict {}", path.display()))?;
        let terms = Terms::parse(&path.display().to_string(), &text)
            .with_context(|| format!("--user-dict {}", path.display()))?;
        extra_terms.extend(&terms);
    }
    let mut config = AnalyzerConfig {
        tokenizer: TokenizerConfig {
            default_terms: !common.no_default_dict,
            extra_terms,
        },
        idf: kosum::scoring::Idf::default(),
    };
    match idf {
        None => {}
        Some(path) if is_corpus_idf(path) => {
            if common.input_format == InputFormat::Jsonl || settings.reads_stdin() {
                bail!("--idf corpus learns from files and folders; it cannot read a stream");
            }
            // A first walk of the inputs learns from them and the run's
            // walk analyses them, so no list of them is held (a file added
            // or removed between the two walks changes only the frequencies
            // learned). Unreadable inputs are reported once, by the analysis.
            let (learned, _, _) = learn_idf(&Analyzer::new(&config)?, settings.inputs(), false);
            config.idf = learned;
        }
        Some(path) => {
            config.idf = kosum::scoring::Idf::load(path)
                .with_context(|| format!("--idf {}", path.display()))?;
        }
    }
    Ok(Analyzer::new(&config)?)
}

/// Everything decided before the first document is read.
struct Settings {
    task: Task,
    request: Request,
    format: Format,
    style: Style,
    highlight: bool,
    input_format: InputFormat,
    /// Several documents (a folder, several inputs, a stream).
    several: bool,
    threads: usize,
    quiet: bool,
    id_field: String,
    text_field: String,
    /// The INPUT arguments and `--glob`'s patterns; folders are walked
    /// unless the input is JSONL.
    arguments: Vec<PathBuf>,
    globs: GlobSet,
    walk_folders: bool,
    /// The inputs, listed before the run starts when it needs them all
    /// first (`-o`'s check of the result names of several arguments, see
    /// [`lists_inputs_first`]); otherwise they are found as the run goes
    /// (a folder of a million files would hold a list of a million inputs).
    listed: Option<Vec<Input>>,
    /// `-o DIR` and the result file of each input, in input order.
    output_dir: Option<PathBuf>,
    /// Standard output is a terminal (the default format, colour, the
    /// progress bar and flushing depend on it).
    stdout_is_terminal: bool,
}

impl Settings {
    fn new(
        task: Task,
        common: &CommonArgs,
        request: Request,
        highlight: bool,
    ) -> anyhow::Result<Self> {
        let globs = inputs::glob_set(&common.glob)?;
        let jsonl_input = common.input_format == InputFormat::Jsonl;
        let walk_folders = !jsonl_input;
        let listed = lists_inputs_first(common.output.is_some(), &common.inputs)
            .then(|| inputs::expand(&common.inputs, &globs, walk_folders).collect::<Vec<_>>());
        let several = jsonl_input
            || common.inputs.len() > 1
            || common.inputs.iter().any(|path| path.is_dir());
        if highlight && common.format.is_some_and(|f| f != FormatArg::Text) {
            bail!(
                "--highlight prints the article as text; it cannot be combined with --format other than text"
            );
        }
        let stdout_is_terminal = io::stdout().is_terminal();
        let format = match common.format {
            _ if highlight => Format::Text,
            Some(FormatArg::Text) => Format::Text,
            Some(FormatArg::Json) if several && common.output.is_none() => Format::Jsonl,
            Some(FormatArg::Json) if jsonl_input => Format::Jsonl,
            Some(FormatArg::Json) => Format::Json,
            Some(FormatArg::Jsonl) => Format::Jsonl,
            Some(FormatArg::Tsv) => Format::Tsv,
            Some(FormatArg::Markdown) => Format::Markdown,
            None if common.output.is_some() && jsonl_input => Format::Jsonl,
            None if common.output.is_some() => Format::Json,
            None if stdout_is_terminal => Format::Text,
            None if several => Format::Jsonl,
            None => Format::Json,
        };
        let color = match common.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                common.output.is_none()
                    && stdout_is_terminal
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let style = Style {
            color,
            heading: several && common.output.is_none(),
        };
        if let Some(dir) = &common.output {
            if dir.exists() && !dir.is_dir() {
                bail!("-o {}: exists and is not a directory", dir.display());
            }
            if let Some(listed) = &listed {
                check_output_names(listed, format)?;
            }
        }
        let threads = match common.threads {
            Some(n) => usize::from(n),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
        Ok(Self {
            task,
            request,
            format,
            style,
            highlight,
            input_format: common.input_format,
            several,
            threads,
            quiet: common.quiet,
            id_field: common.id_field.clone(),
            text_field: common.text_field.clone(),
            arguments: common.inputs.clone(),
            globs,
            walk_folders,
            listed,
            output_dir: common.output.clone(),
            stdout_is_terminal,
        })
    }

    /// The run's inputs, in output order.
    fn inputs(&self) -> Box<dyn Iterator<Item = Input> + Send + '_> {
        match &self.listed {
            Some(listed) => Box::new(listed.iter().cloned()),
            None => Box::new(inputs::expand(
                &self.arguments,
                &self.globs,
                self.walk_folders,
            )),
        }
    }

    /// Whether standard input is one of the inputs.
    fn reads_stdin(&self) -> bool {
        inputs::reads_stdin(&self.arguments)
    }

    /// The result file of `input` below `dir`: its name plus the format's
    /// extension (`a/b.txt` → `a/b.txt.json`), so names never collide.
    fn output_path(&self, dir: &Path, input: &Input) -> PathBuf {
        dir.join(output_file_name(&input.output_name(), self.format))
    }
}

fn output_file_name(name: &Path, format: Format) -> PathBuf {
    let mut file = name.as_os_str().to_owned();
    file.push(".");
    file.push(format.extension());
    PathBuf::from(file)
}

/// Whether a run lists all its inputs before it starts: under `-o`, to
/// check that no two write the same result file ([`check_output_names`]).
/// That can only happen between two INPUT arguments: the inputs of one
/// argument are named by their distinct paths below it (or, for a file, by
/// its name), so a run with one argument walks its folder as it goes under
/// `-o` too. (`--idf corpus` walks the inputs twice instead of listing them.)
fn lists_inputs_first(output: bool, arguments: &[PathBuf]) -> bool {
    output && arguments.len() > 1
}

/// Two inputs writing the same result file (the same relative path under
/// two folders) would overwrite each other: refuse before starting.
fn check_output_names(inputs: &[Input], format: Format) -> anyhow::Result<()> {
    let mut seen = std::collections::HashMap::new();
    for input in inputs {
        let name = output_file_name(&input.output_name(), format);
        if let Some(other) = seen.insert(name.clone(), input.id()) {
            bail!(
                "-o: {} and {} would both be written to {}; run them separately",
                other,
                input.id(),
                name.display()
            );
        }
    }
    Ok(())
}

/// One unit of work: a whole document, or one line of a JSONL stream.
enum Job {
    Document {
        input: JobInput,
    },
    /// `source_id`: its input's id, worked out once for all its lines.
    Line {
        input: JobInput,
        source_id: Arc<str>,
        line: LineRead,
    },
}

/// A job's input and its place among the run's inputs (the lines of one
/// JSONL input share it).
#[derive(Clone)]
struct JobInput {
    index: usize,
    input: Arc<Input>,
}

/// A JSONL line as read, or why it could not be.
enum LineRead {
    Bytes { number: usize, bytes: Vec<u8> },
    Failed(String),
}

/// A finished job: its rendered output and what to say on stderr.
struct Outcome {
    /// `None` for a job whose analysis panicked outside a document's own
    /// guard.
    input: Option<JobInput>,
    bytes: Vec<u8>,
    /// How stderr names the document: its id, or for a JSONL line where it
    /// is (`INPUT:LINE`, with the id when the line has one).
    label: String,
    error: Option<String>,
    warning: Option<String>,
}

fn execute(analyzer: &Analyzer, settings: &Settings) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    if let Some(dir) = &settings.output_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("-o {}", dir.display()))?;
    }
    if settings.reads_stdin() && io::stdin().is_terminal() && !settings.quiet {
        let _ = writeln!(
            io::stderr(),
            "kosum: reading from the terminal: paste the text, then press Ctrl-D (Ctrl-Z Enter on Windows)"
        );
    }
    let progress = progress_bar(settings);
    let mut sink = Sink::new(settings);
    let mut documents = 0usize;
    let mut failures = 0usize;
    let work = |job: Job| process(analyzer, settings, job);
    let on_panic = |message: String| Outcome {
        input: None,
        bytes: Vec::new(),
        label: String::new(),
        error: Some(format!(
            "internal error (please report this bug): {message}"
        )),
        warning: None,
    };
    let write = |outcome: Outcome| {
        documents += 1;
        progress.inc(1);
        let report = |kind: &str, message: &str| {
            progress.suspend(|| {
                let _ = writeln!(io::stderr(), "kosum: {kind}{}: {message}", outcome.label);
            });
        };
        if let Some(error) = &outcome.error {
            failures += 1;
            report("", error);
        }
        if let Some(warning) = &outcome.warning
            && !settings.quiet
        {
            report("warning: ", warning);
        }
        match sink.write(settings, &outcome) {
            Ok(()) => Flow::Continue,
            Err(err) => {
                sink.failed = Some(err);
                Flow::Stop
            }
        }
    };
    let jobs: Box<dyn Iterator<Item = Job> + Send + '_> = match settings.input_format {
        InputFormat::Text => {
            // Inputs found as the run goes add to the bar's length.
            let (found, counting) = (progress.clone(), settings.listed.is_none());
            Box::new(settings.inputs().enumerate().map(move |(index, input)| {
                if counting {
                    found.inc_length(1);
                }
                let input = Arc::new(input);
                Job::Document {
                    input: JobInput { index, input },
                }
            }))
        }
        InputFormat::Jsonl => Box::new(LineJobs::new(settings.inputs())),
    };
    pipeline::run_ordered(settings.threads, jobs, work, on_panic, write);
    progress.finish_and_clear();
    match sink.finish() {
        Ok(()) => {}
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => return Ok(ExitCode::SUCCESS),
        Err(err) => bail!("writing results: {err}"),
    }
    if !settings.quiet && (settings.several || failures > 0 || settings.output_dir.is_some()) {
        let _ = writeln!(
            io::stderr(),
            "kosum: {documents} document{}, {failures} failed, {:.2} s",
            if documents == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64()
        );
    }
    Ok(if failures > 0 {
        ExitCode::from(EXIT_FAILURES)
    } else {
        ExitCode::SUCCESS
    })
}

fn progress_bar(settings: &Settings) -> ProgressBar {
    // Results printed to the same terminal would tear the bar apart.
    let results_on_terminal = settings.output_dir.is_none() && settings.stdout_is_terminal;
    if settings.quiet || !settings.several || !io::stderr().is_terminal() || results_on_terminal {
        return ProgressBar::hidden();
    }
    let bar = match settings.input_format {
        InputFormat::Text => ProgressBar::new(
            settings
                .listed
                .as_ref()
                .map_or(0, |listed| listed.len() as u64),
        )
        .with_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {per_sec}, ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        InputFormat::Jsonl => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} {pos} lines, {per_sec}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar
}

/// The JSONL lines of all inputs, in order, read lazily.
struct LineJobs<'a> {
    inputs: std::iter::Enumerate<Box<dyn Iterator<Item = Input> + Send + 'a>>,
    current: Option<LinesOf>,
}

/// The JSONL input being read: the input, its id (worked out once for all
/// its lines), its reader and the number of its last line.
type LinesOf = (JobInput, Arc<str>, Box<dyn BufRead + Send>, usize);

impl<'a> LineJobs<'a> {
    fn new(inputs: Box<dyn Iterator<Item = Input> + Send + 'a>) -> Self {
        Self {
            inputs: inputs.enumerate(),
            current: None,
        }
    }
}

impl Iterator for LineJobs<'_> {
    type Item = Job;

    fn next(&mut self) -> Option<Job> {
        loop {
            if let Some((input, source_id, reader, number)) = &mut self.current {
                let mut bytes = Vec::new();
                match reader.read_until(b'\n', &mut bytes) {
                    Ok(0) => self.current = None,
                    Ok(_) => {
                        *number += 1;
                        return Some(Job::Line {
                            input: input.clone(),
                            source_id: Arc::clone(source_id),
                            line: LineRead::Bytes {
                                number: *number,
                                bytes,
                            },
                        });
                    }
                    Err(err) => {
                        let (input, source_id) = (input.clone(), Arc::clone(source_id));
                        self.current = None;
                        return Some(Job::Line {
                            input,
                            source_id,
                            line: LineRead::Failed(format!("reading stopped: {err}")),
                        });
                    }
                }
                continue;
            }
            let (index, input) = self.inputs.next()?;
            let input = JobInput {
                index,
                input: Arc::new(input),
            };
            let source_id: Arc<str> = input.input.id().into();
            match inputs::open_lines(&input.input.source) {
                Ok(reader) => self.current = Some((input, source_id, reader, 0)),
                Err(message) => {
                    return Some(Job::Line {
                        input,
                        source_id,
                        line: LineRead::Failed(message),
                    });
                }
            }
        }
    }
}

/// Analyses one job and renders its result.
fn process(analyzer: &Analyzer, settings: &Settings, job: Job) -> Outcome {
    match job {
        Job::Document { input } => {
            let id = input.input.id();
            let text = inputs::read_all(&input.input.source)
                .and_then(|bytes| normalize::decode(bytes).map_err(|err| err.to_string()));
            match text {
                Ok(text) => render(analyzer, settings, input, id, &text),
                Err(message) => failure(settings, input, id, message),
            }
        }
        Job::Line {
            input,
            source_id,
            line,
        } => match line {
            LineRead::Failed(message) => failure(settings, input, source_id.to_string(), message),
            LineRead::Bytes { number, bytes } => {
                let location = format!("{source_id}:{number}");
                let (id, mut outcome) = match parse_line(settings, bytes, number) {
                    Ok((id, text)) => {
                        let outcome = render(
                            analyzer,
                            settings,
                            input,
                            id.clone().unwrap_or_else(|| location.clone()),
                            &text,
                        );
                        (id, outcome)
                    }
                    Err((id, message)) => {
                        let outcome = failure(
                            settings,
                            input,
                            id.clone().unwrap_or_else(|| location.clone()),
                            message,
                        );
                        (id, outcome)
                    }
                };
                outcome.label = match id {
                    Some(id) => format!("{location} (id {id})"),
                    None => location,
                };
                outcome
            }
        },
    }
}

type ParsedLine = (Option<String>, String);

/// Reads `{"id": ..., "text": ...}` from one JSONL line. On failure, returns
/// the id if it could be found, and the problem.
fn parse_line(
    settings: &Settings,
    mut bytes: Vec<u8>,
    number: usize,
) -> Result<ParsedLine, (Option<String>, String)> {
    while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
        bytes.pop();
    }
    if number == 1 && bytes.starts_with("\u{FEFF}".as_bytes()) {
        bytes.drain(..3);
    }
    let line = normalize::utf8_string(bytes).map_err(|_| (None, "not valid UTF-8".to_string()))?;
    if line.trim().is_empty() {
        return Err((None, "blank line, expected a JSON object".to_string()));
    }
    let value: serde_json::Value =
        serde_json::from_str(&line).map_err(|err| (None, format!("not JSON ({err})")))?;
    let serde_json::Value::Object(mut object) = value else {
        return Err((None, "expected a JSON object".to_string()));
    };
    let id = match object.remove(&settings.id_field) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(id)) => Some(id),
        Some(other) => Some(other.to_string()),
    };
    match object.remove(&settings.text_field) {
        Some(serde_json::Value::String(text)) => Ok((id, text)),
        Some(_) => Err((
            id,
            format!("field \"{}\" is not a string", settings.text_field),
        )),
        None => Err((id, format!("no \"{}\" field", settings.text_field))),
    }
}

/// Output room reserved per byte of a long document's text (see [`render`]).
const LONG_OUTPUT_BYTES_PER_TEXT_BYTE: usize = 4;

fn render(
    analyzer: &Analyzer,
    settings: &Settings,
    input: JobInput,
    id: String,
    text: &str,
) -> Outcome {
    // A long document's output is large (its pretty JSON three times the
    // text: 31 MB for a 10 MB text), and a buffer grown by doubling holds
    // its old and new copies at once while it grows. Reserving room up front
    // cut a 50 MB document's peak RSS from 576 to 417 MB with glibc's
    // malloc and from 717 to 450 MB with mimalloc; pages of the
    // reservation that are never written never become resident. Where the
    // room cannot be had, the buffer grows as it goes instead.
    let mut bytes = Vec::new();
    if kosum::sections::is_long(text) {
        let room = text.len().saturating_mul(LONG_OUTPUT_BYTES_PER_TEXT_BYTE);
        let _ = bytes.try_reserve_exact(room);
    }
    let warning = text
        .trim()
        .is_empty()
        .then(|| "empty document (no text); its result is empty".to_string());
    // A bug in a stage must cost this document only, never the batch.
    let result = catch_unwind(AssertUnwindSafe(|| {
        render_into(analyzer, settings, &id, text, &mut bytes)
    }));
    match result {
        Ok(Ok(())) => Outcome {
            input: Some(input),
            bytes,
            label: id,
            error: None,
            warning,
        },
        Ok(Err(err)) => failure(settings, input, id, err.to_string()),
        Err(panic) => failure(
            settings,
            input,
            id,
            format!(
                "internal error (please report this bug): {}",
                pipeline::panic_message(&panic)
            ),
        ),
    }
}

fn render_into(
    analyzer: &Analyzer,
    settings: &Settings,
    id: &str,
    text: &str,
    bytes: &mut Vec<u8>,
) -> kosum::Result<()> {
    let (format, style) = (settings.format, settings.style);
    let written = match settings.task {
        Task::Tokenize => {
            let morphemes = analyzer.tokenizer().tokenize(text)?;
            let report = TokenReport::from_morphemes(id, text, &morphemes);
            output::write_tokens(bytes, &report, format, style)
        }
        Task::Analyze(fields) => {
            let analysis = analyzer.analyze(text, &settings.request)?;
            if settings.highlight {
                output::write_highlight(bytes, id, &analysis, style)
            } else {
                let report = DocumentReport::from_analysis(id, &analysis, fields);
                output::write_report(bytes, &report, format, style)
            }
        }
    };
    write_in_memory(written);
    Ok(())
}

/// Rendering into a `Vec<u8>` cannot fail; this documents that the result is
/// intentionally dropped.
fn write_in_memory(result: io::Result<()>) {
    debug_assert!(result.is_ok());
}

fn failure(settings: &Settings, input: JobInput, id: String, message: String) -> Outcome {
    let mut bytes = Vec::new();
    let style = settings.style;
    let written = match settings.task {
        Task::Tokenize => output::write_tokens(
            &mut bytes,
            &TokenReport::failure(&id, &message),
            settings.format,
            style,
        ),
        Task::Analyze(fields) => output::write_report(
            &mut bytes,
            &DocumentReport::failure(&id, &message, fields),
            settings.format,
            style,
        ),
    };
    write_in_memory(written);
    Outcome {
        input: Some(input),
        bytes,
        label: id,
        error: Some(message),
        warning: None,
    }
}

/// Bytes of results held for standard output before they are written.
const STDOUT_BUFFER_BYTES: usize = 64 * 1024;

/// The longest finished results wait in a batch's output buffer while later
/// ones keep arriving.
const FLUSH_INTERVAL: Duration = Duration::from_millis(100);

/// When results written to standard output are flushed.
///
/// A JSONL stream's answers are flushed one by one (a caller may hold kosum
/// open as a coprocess, one line in, one line out), and so are results shown
/// on a terminal. A batch of files writing to a pipe or a file is flushed
/// when the buffer fills, at the end, and whenever a result is written
/// [`FLUSH_INTERVAL`] or more after the last flush, so a reader downstream
/// still sees results come out as the run goes: a finished result waits for
/// a later one written at least that long after the last flush (or for the
/// end). Writing every document with its own system call, as kosum did
/// before, made the 530 konlpy documents on two threads, written to a file,
/// about 3% slower (median of 30 alternating runs each, timed as
/// `benches/peers.sh` times kosum: 155.6 against 150.4 ms;
/// benches/RESULTS.md, "Runs 88–114").
struct FlushPolicy {
    every_result: bool,
    last: Instant,
}

impl FlushPolicy {
    fn new(every_result: bool, now: Instant) -> Self {
        Self {
            every_result,
            last: now,
        }
    }

    /// Whether to flush after a result written at `now`.
    fn due(&mut self, now: impl FnOnce() -> Instant) -> bool {
        if self.every_result {
            return true;
        }
        let now = now();
        if now.saturating_duration_since(self.last) < FLUSH_INTERVAL {
            return false;
        }
        self.last = now;
        true
    }
}

/// Where results go: stdout, or one file per input below `-o DIR`, each
/// written to a temporary file in its final folder and renamed into place
/// when complete.
struct Sink {
    stdout: io::BufWriter<io::Stdout>,
    flush: FlushPolicy,
    wrote_header: bool,
    /// The result file being written: its input's place, its path and its
    /// temporary file.
    open_file: Option<(usize, PathBuf, tempfile::NamedTempFile)>,
    /// The first write error; the run stops at it.
    failed: Option<io::Error>,
}

impl Sink {
    fn new(settings: &Settings) -> Self {
        let every_result =
            settings.input_format == InputFormat::Jsonl || settings.stdout_is_terminal;
        Self {
            stdout: io::BufWriter::with_capacity(STDOUT_BUFFER_BYTES, io::stdout()),
            flush: FlushPolicy::new(every_result, Instant::now()),
            wrote_header: false,
            open_file: None,
            failed: None,
        }
    }

    fn header(settings: &Settings) -> &'static [u8] {
        match (settings.format, settings.task) {
            (Format::Tsv, Task::Tokenize) => output::TOKEN_TSV_HEADER.as_bytes(),
            (Format::Tsv, Task::Analyze(_)) => output::TSV_HEADER.as_bytes(),
            _ => b"",
        }
    }

    fn write(&mut self, settings: &Settings, outcome: &Outcome) -> io::Result<()> {
        let Some(dir) = &settings.output_dir else {
            if !self.wrote_header {
                self.stdout.write_all(Self::header(settings))?;
                self.wrote_header = true;
            }
            self.stdout.write_all(&outcome.bytes)?;
            if self.flush.due(Instant::now) {
                self.stdout.flush()?;
            }
            return Ok(());
        };
        // A panicked job has no input: its message was reported on stderr.
        let Some(input) = &outcome.input else {
            return Ok(());
        };
        if self
            .open_file
            .as_ref()
            .is_some_and(|(index, ..)| *index != input.index)
        {
            self.close_file()?;
        }
        if self.open_file.is_none() {
            let path = settings.output_path(dir, &input.input);
            let folder = path.parent().unwrap_or(dir);
            std::fs::create_dir_all(folder)?;
            let mut builder = tempfile::Builder::new();
            builder.prefix(".kosum-").suffix(".part");
            // Result files get the usual permissions, not a temporary
            // file's private ones.
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
            let mut file = builder.tempfile_in(folder)?;
            file.write_all(Self::header(settings))?;
            self.open_file = Some((input.index, path, file));
        }
        if let Some((.., file)) = &mut self.open_file {
            file.write_all(&outcome.bytes)?;
        }
        Ok(())
    }

    /// Renames the finished result file into place.
    fn close_file(&mut self) -> io::Result<()> {
        let Some((_, path, file)) = self.open_file.take() else {
            return Ok(());
        };
        file.as_file().sync_data()?;
        file.persist(&path).map_err(|err| err.error)?;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if let Some(err) = self.failed.take() {
            return Err(err);
        }
        self.close_file()?;
        self.stdout.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_flushes_once_the_interval_has_passed() {
        let start = Instant::now();
        let mut policy = FlushPolicy::new(false, start);
        assert!(!policy.due(|| start));
        assert!(!policy.due(|| start + FLUSH_INTERVAL / 2));
        assert!(policy.due(|| start + FLUSH_INTERVAL));
        // The interval counts again from that flush.
        assert!(!policy.due(|| start + FLUSH_INTERVAL * 3 / 2));
        assert!(policy.due(|| start + FLUSH_INTERVAL * 2));
    }

    #[test]
    fn only_several_arguments_under_o_list_inputs_first() {
        let one = [PathBuf::from("docs")];
        let two = [PathBuf::from("docs"), PathBuf::from("more")];
        assert!(!lists_inputs_first(false, &two));
        assert!(!lists_inputs_first(true, &one));
        assert!(!lists_inputs_first(true, &[]));
        assert!(lists_inputs_first(true, &two));
    }

    #[test]
    fn streams_and_terminals_flush_every_result() {
        let start = Instant::now();
        let mut policy = FlushPolicy::new(true, start);
        for _ in 0..3 {
            assert!(policy.due(|| unreachable!("no clock is read")));
        }
    }
}
