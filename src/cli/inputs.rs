//! Turning the INPUT arguments into an ordered list of documents (or of
//! JSONL streams): folders are walked recursively in a fixed order, and every
//! problem found on the way (a dangling link, a link loop, a FIFO) becomes a
//! failed input of its own, so it is reported in its place and the rest goes
//! on.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

/// Where one input's bytes come from.
#[derive(Debug, Clone)]
pub enum Source {
    Stdin,
    /// A file; `walked` when found inside a folder (then only regular files
    /// are read, since a FIFO there would block the batch).
    File {
        path: PathBuf,
        walked: bool,
    },
    /// Known to be unreadable before reading: the message says why.
    Broken(String),
}

/// One input: a document (text input) or a stream of documents (JSONL input).
#[derive(Debug, Clone)]
pub struct Input {
    /// How results and messages name it: the path, or `-` for stdin.
    pub id: String,
    pub source: Source,
    /// Its result file's path below `-o DIR`, without the format extension.
    pub output_name: PathBuf,
}

/// Builds the `--glob` matcher.
pub fn glob_set(patterns: &[String]) -> anyhow::Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|err| anyhow::anyhow!("--glob {pattern}: {err}"))?;
        builder.add(glob);
    }
    Ok(builder.build()?)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// Expands INPUT arguments into inputs in output order. With `walk_folders`
/// false (JSONL input), a folder is a failed input.
pub fn expand(arguments: &[PathBuf], globs: &GlobSet, walk_folders: bool) -> Vec<Input> {
    let mut inputs = Vec::new();
    if arguments.is_empty() {
        inputs.push(stdin_input());
    }
    for argument in arguments {
        if argument.as_os_str() == "-" {
            inputs.push(stdin_input());
            continue;
        }
        let file_name = argument
            .file_name()
            .map_or_else(|| PathBuf::from("input"), PathBuf::from);
        match std::fs::metadata(argument) {
            Ok(meta) if meta.is_dir() && walk_folders => walk(argument, globs, &mut inputs),
            Ok(meta) if meta.is_dir() => inputs.push(Input {
                id: display(argument),
                source: Source::Broken(
                    "is a directory; with --input-format jsonl give JSONL files or standard input"
                        .into(),
                ),
                output_name: file_name,
            }),
            Ok(_) => inputs.push(Input {
                id: display(argument),
                source: Source::File {
                    path: argument.clone(),
                    walked: false,
                },
                output_name: file_name,
            }),
            Err(err) => inputs.push(Input {
                id: display(argument),
                source: Source::Broken(describe_open_error(argument, &err)),
                output_name: file_name,
            }),
        }
    }
    inputs
}

fn stdin_input() -> Input {
    Input {
        id: "-".into(),
        source: Source::Stdin,
        output_name: PathBuf::from("stdin"),
    }
}

/// Says why `path` cannot be opened, telling a dangling link from a missing
/// file.
fn describe_open_error(path: &Path, err: &io::Error) -> String {
    if err.kind() == io::ErrorKind::NotFound
        && let Ok(link) = std::fs::read_link(path)
    {
        return format!(
            "cannot be read: it is a symbolic link to {}, which does not exist",
            link.display()
        );
    }
    format!("cannot be read: {err}")
}

/// Walks `root` recursively in name order (hidden entries skipped), adding
/// the files matching `globs` (relative to `root`) and every problem met.
fn walk(root: &Path, globs: &GlobSet, inputs: &mut Vec<Input>) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        match entry {
            Ok(entry) => {
                if entry.file_type().is_dir() {
                    continue;
                }
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                if !globs.is_match(relative) {
                    continue;
                }
                let source = if entry.file_type().is_file() {
                    Source::File {
                        path: entry.path().to_path_buf(),
                        walked: true,
                    }
                } else {
                    Source::Broken(
                        "is not a regular file (a FIFO, socket or device); inside folders kosum reads regular files only"
                            .into(),
                    )
                };
                inputs.push(Input {
                    id: display(entry.path()),
                    source,
                    output_name: relative.to_path_buf(),
                });
            }
            Err(err) => {
                let Some(path) = err.path().map(Path::to_path_buf) else {
                    continue;
                };
                let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                let message = if let Some(ancestor) = err.loop_ancestor() {
                    format!(
                        "symbolic link loop: it leads back to {}; not followed",
                        ancestor.display()
                    )
                } else if let Some(io_error) = err.io_error() {
                    // Report it where it matters: a file kosum would have
                    // read, or a folder it could not enter.
                    if !globs.is_match(&relative) && !path.is_dir() {
                        continue;
                    }
                    describe_open_error(&path, io_error)
                } else {
                    err.to_string()
                };
                inputs.push(Input {
                    id: display(&path),
                    source: Source::Broken(message),
                    output_name: relative,
                });
            }
        }
    }
}

/// Reads one whole document's bytes.
pub fn read_all(source: &Source) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    match source {
        Source::Stdin => {
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .map_err(|err| format!("cannot be read: {err}"))?;
        }
        Source::File { path, walked } => {
            let (file, size) = open(path, *walked)?;
            // Sized from the metadata `open` has read already, and read
            // through `Take`, whose reads do not ask the file for its size
            // and position again as `File::read_to_end` does: two system
            // calls fewer per file (about a fifth of a run's over 10,000
            // small files). One byte more than the size lets the read that
            // finds the end go into the buffer.
            let room = usize::try_from(size).map_or(usize::MAX, |size| size.saturating_add(1));
            bytes
                .try_reserve_exact(room)
                .map_err(|_| format!("cannot be read: {size} bytes do not fit in memory"))?;
            file.take(u64::MAX)
                .read_to_end(&mut bytes)
                .map_err(|err| read_error(&err))?;
        }
        Source::Broken(message) => return Err(message.clone()),
    }
    Ok(bytes)
}

fn read_error(err: &io::Error) -> String {
    if err.raw_os_error() == Some(21) {
        // EISDIR: a folder reached where a file was expected.
        "is a directory, not a file".into()
    } else {
        format!("cannot be read: {err}")
    }
}

/// Opens an input file, with its size as the metadata gives it.
fn open(path: &Path, walked: bool) -> Result<(File, u64), String> {
    let file = File::open(path).map_err(|err| describe_open_error(path, &err))?;
    let meta = file.metadata().map_err(|err| read_error(&err))?;
    if meta.is_dir() {
        return Err("is a directory, not a file".into());
    }
    if walked && !meta.is_file() {
        return Err("is not a regular file; inside folders kosum reads regular files only".into());
    }
    Ok((file, meta.len()))
}

/// A line-by-line reader over one JSONL input.
pub fn open_lines(source: &Source) -> Result<Box<dyn BufRead + Send>, String> {
    match source {
        Source::Stdin => Ok(Box::new(BufReader::new(io::stdin()))),
        Source::File { path, walked } => Ok(Box::new(BufReader::new(open(path, *walked)?.0))),
        Source::Broken(message) => Err(message.clone()),
    }
}
