//! Turning the INPUT arguments into an ordered sequence of documents (or of
//! JSONL streams): folders are walked recursively in a fixed order, as the
//! run asks for its next input, and every problem found on the way (a
//! dangling link, a link loop, a FIFO) becomes a failed input of its own, so
//! it is reported in its place and the rest goes on.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

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
    Broken {
        path: PathBuf,
        message: Box<str>,
    },
}

/// One input: a document (text input) or a stream of documents (JSONL input).
///
/// When a run lists its inputs first (`-o` with several arguments), a
/// folder of a million files makes a million of these before the first is
/// read, so an input holds its path once and works out its names from it.
#[derive(Debug, Clone)]
pub struct Input {
    pub source: Source,
    /// How many of the path's last components name its result file below
    /// `-o DIR`: its path below the folder it was found in, or its file name
    /// (0 when the path has none: the result is then named `input`).
    name_components: usize,
}

impl Input {
    fn new(source: Source, name_components: usize) -> Self {
        Self {
            source,
            name_components,
        }
    }

    /// How results and messages name it: the path, or `-` for stdin.
    pub fn id(&self) -> String {
        match &self.source {
            Source::Stdin => "-".into(),
            Source::File { path, .. } | Source::Broken { path, .. } => display(path),
        }
    }

    /// Its result file's path below `-o DIR`, without the format extension.
    pub fn output_name(&self) -> PathBuf {
        match &self.source {
            Source::Stdin => PathBuf::from("stdin"),
            Source::File { path, .. } | Source::Broken { path, .. } => {
                let components = path.components().count();
                match components.checked_sub(self.name_components) {
                    Some(skip) if self.name_components > 0 => {
                        path.components().skip(skip).collect()
                    }
                    _ => PathBuf::from("input"),
                }
            }
        }
    }
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

fn display(path: &Path) -> String {
    // What `Path::display` writes, without formatting a path that is UTF-8.
    path.to_str()
        .map_or_else(|| path.display().to_string(), str::to_owned)
}

/// Whether the INPUT arguments read standard input: none given, or `-`
/// among them (as [`expand`] reads them).
pub fn reads_stdin(arguments: &[PathBuf]) -> bool {
    arguments.is_empty() || arguments.iter().any(|argument| names_stdin(argument))
}

/// Whether an INPUT argument stands for standard input.
fn names_stdin(argument: &Path) -> bool {
    argument.as_os_str() == "-"
}

/// Expands INPUT arguments into inputs in output order, found as they are
/// asked for: a folder is walked one entry at a time, so the run holds no
/// list of its inputs (only the sorted names of the folders being walked).
/// With `walk_folders` false (JSONL input), a folder is a failed input.
pub fn expand<'a>(arguments: &'a [PathBuf], globs: &'a GlobSet, walk_folders: bool) -> Inputs<'a> {
    Inputs {
        arguments: arguments.iter(),
        globs,
        walk_folders,
        stdin_first: arguments.is_empty(),
        walk: None,
    }
}

/// The inputs of INPUT arguments, in output order (see [`expand`]).
pub struct Inputs<'a> {
    arguments: std::slice::Iter<'a, PathBuf>,
    globs: &'a GlobSet,
    walk_folders: bool,
    /// No argument was given: standard input is the one input.
    stdin_first: bool,
    /// The folder being walked.
    walk: Option<Walk>,
}

impl Iterator for Inputs<'_> {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        if std::mem::take(&mut self.stdin_first) {
            return Some(Input::new(Source::Stdin, 0));
        }
        loop {
            if let Some(walk) = &mut self.walk {
                if let Some(input) = walk.next_input(self.globs) {
                    return Some(input);
                }
                self.walk = None;
            }
            let argument = self.arguments.next()?;
            if names_stdin(argument) {
                return Some(Input::new(Source::Stdin, 0));
            }
            // The result of an argument is named after its file name.
            let name_components = usize::from(argument.file_name().is_some());
            return Some(match std::fs::metadata(argument) {
                Ok(meta) if meta.is_dir() && self.walk_folders => {
                    self.walk = Some(Walk::new(argument, meta));
                    continue;
                }
                Ok(meta) if meta.is_dir() => broken(
                    argument.clone(),
                    "is a directory; with --input-format jsonl give JSONL files or standard input"
                        .into(),
                    name_components,
                ),
                Ok(_) => Input::new(
                    Source::File {
                        path: argument.clone(),
                        walked: false,
                    },
                    name_components,
                ),
                Err(err) => broken(
                    argument.clone(),
                    describe_open_error(argument, &err),
                    name_components,
                ),
            });
        }
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

/// `path` below `root`, for a path the walk made by joining names onto
/// `root`: what `Path::strip_prefix` gives, found without comparing the two
/// paths component by component where both are UTF-8.
fn below<'p>(path: &'p Path, root: &Path) -> &'p Path {
    if let (Some(full), Some(prefix)) = (path.to_str(), root.to_str())
        && let Some(rest) = full.strip_prefix(prefix)
    {
        return Path::new(rest.trim_start_matches(std::path::is_separator));
    }
    path.strip_prefix(root).unwrap_or(path)
}

/// A walk of one folder, recursively in name order (hidden entries skipped).
///
/// Each folder's entries are read and sorted when the walk enters it, as
/// their names only, back to back in one buffer: a flat folder of a million
/// files then costs its names and 8 bytes each (walkdir's sorted walk kept a
/// full entry of about 150–200 bytes per file). Links are followed, and a
/// link back to a folder being walked is reported instead of followed.
struct Walk {
    root: PathBuf,
    /// The folders entered and not yet finished, the root first.
    folders: Vec<Folder>,
    /// A problem to report before going on (a folder that could not be
    /// entered, or whose listing failed part of the way through).
    pending: Option<Input>,
}

/// A folder being walked: its entries' names in order, and how far the walk
/// has gone through them.
struct Folder {
    path: PathBuf,
    /// Which folder this is, to tell a link loop.
    id: Option<FolderId>,
    names: Vec<u8>,
    entries: Vec<EntryName>,
    next: usize,
}

/// One entry of a [`Folder`]: where its name lies in the folder's names, and
/// what the listing said it is.
#[derive(Debug, Clone, Copy)]
struct EntryName {
    start: u32,
    len: u16,
    kind: EntryKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Folder,
    File,
    /// A symbolic link, or a listing that did not say: looked up when its
    /// turn comes.
    LookUp,
    /// A FIFO, socket or device.
    Other,
}

/// A folder's identity: device and inode where there are such.
#[cfg(unix)]
type FolderId = (u64, u64);
#[cfg(not(unix))]
type FolderId = PathBuf;

#[cfg(unix)]
fn folder_id(_path: &Path, meta: &std::fs::Metadata) -> Option<FolderId> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn folder_id(path: &Path, _meta: &std::fs::Metadata) -> Option<FolderId> {
    std::fs::canonicalize(path).ok()
}

impl Folder {
    fn name(&self, entry: EntryName) -> &std::ffi::OsStr {
        let start = entry.start as usize;
        let bytes = &self.names[start..start + usize::from(entry.len)];
        // SAFETY: `names` holds whole names as `as_encoded_bytes` gave them,
        // back to back, and `bytes` is exactly one of them.
        unsafe { std::ffi::OsStr::from_encoded_bytes_unchecked(bytes) }
    }
}

impl Walk {
    /// Enters the folder `root`, whose metadata the caller has read.
    fn new(root: &Path, meta: std::fs::Metadata) -> Self {
        let mut walk = Self {
            root: root.to_path_buf(),
            folders: Vec::new(),
            pending: None,
        };
        if let Some(problem) = walk.enter(root.to_path_buf(), Some(meta), 0) {
            walk.pending = Some(problem);
        }
        walk
    }

    /// The next file matching `globs` (relative to the root), or the next
    /// problem met; `None` at the end of the walk.
    fn next_input(&mut self, globs: &GlobSet) -> Option<Input> {
        loop {
            if let Some(problem) = self.pending.take() {
                return Some(problem);
            }
            let folder = self.folders.last_mut()?;
            let Some(&entry) = folder.entries.get(folder.next) else {
                self.folders.pop();
                continue;
            };
            folder.next += 1;
            let path = folder.path.join(folder.name(entry));
            // Its path below the root names its result.
            let depth = self.folders.len();
            let mut kind = entry.kind;
            let mut meta = None;
            if kind == EntryKind::LookUp {
                match std::fs::metadata(&path) {
                    Ok(found) => {
                        kind = if found.is_dir() {
                            EntryKind::Folder
                        } else if found.is_file() {
                            EntryKind::File
                        } else {
                            EntryKind::Other
                        };
                        meta = Some(found);
                    }
                    Err(err) => {
                        // A dangling link: reported where kosum would have
                        // read the file.
                        if !globs.is_match(below(&path, &self.root)) {
                            continue;
                        }
                        let message = describe_open_error(&path, &err);
                        return Some(broken(path, message, depth));
                    }
                }
            }
            match kind {
                EntryKind::Folder => {
                    if let Some(problem) = self.enter(path, meta, depth) {
                        return Some(problem);
                    }
                }
                EntryKind::File | EntryKind::Other | EntryKind::LookUp => {
                    if !globs.is_match(below(&path, &self.root)) {
                        continue;
                    }
                    let source = if kind == EntryKind::File {
                        Source::File { path, walked: true }
                    } else {
                        Source::Broken {
                            path,
                            message: "is not a regular file (a FIFO, socket or device); inside folders kosum reads regular files only".into(),
                        }
                    };
                    return Some(Input::new(source, depth));
                }
            }
        }
    }

    /// Reads and sorts the visible entries of the folder at `path` (`depth`
    /// below the root) and walks into it, or says why it cannot.
    fn enter(
        &mut self,
        path: PathBuf,
        meta: Option<std::fs::Metadata>,
        depth: usize,
    ) -> Option<Input> {
        let meta = match meta.map_or_else(|| std::fs::metadata(&path), Ok) {
            Ok(meta) => meta,
            Err(err) => {
                let message = describe_open_error(&path, &err);
                return Some(broken(path, message, depth));
            }
        };
        let id = folder_id(&path, &meta);
        if let Some(ancestor) = id.as_ref().and_then(|id| {
            self.folders
                .iter()
                .find(|folder| folder.id.as_ref() == Some(id))
        }) {
            let message = format!(
                "symbolic link loop: it leads back to {}; not followed",
                ancestor.path.display()
            );
            return Some(broken(path, message, depth));
        }
        let listing = match std::fs::read_dir(&path) {
            Ok(listing) => listing,
            Err(err) => {
                let message = describe_open_error(&path, &err);
                return Some(broken(path, message, depth));
            }
        };
        let mut names = Vec::new();
        let mut entries = Vec::new();
        for entry in listing {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    // Walk what was listed, after saying what went wrong.
                    let message = format!("could not be listed completely: {err}");
                    self.pending = Some(broken(path.clone(), message, depth));
                    break;
                }
            };
            let name = entry.file_name();
            let bytes = name.as_encoded_bytes();
            if bytes.first() == Some(&b'.') {
                continue;
            }
            let (Ok(start), Ok(len)) = (u32::try_from(names.len()), u16::try_from(bytes.len()))
            else {
                let message = "has more entries than kosum can list in one folder; split it into several folders".to_string();
                self.pending = Some(broken(path.clone(), message, depth));
                break;
            };
            let kind = match entry.file_type() {
                Ok(kind) if kind.is_dir() => EntryKind::Folder,
                Ok(kind) if kind.is_file() => EntryKind::File,
                Ok(kind) if kind.is_symlink() => EntryKind::LookUp,
                Ok(_) => EntryKind::Other,
                Err(_) => EntryKind::LookUp,
            };
            names.extend_from_slice(bytes);
            entries.push(EntryName { start, len, kind });
        }
        let name_of = |entry: &EntryName| {
            let start = entry.start as usize;
            &names[start..start + usize::from(entry.len)]
        };
        entries.sort_unstable_by(|a, b| name_of(a).cmp(name_of(b)));
        names.shrink_to_fit();
        entries.shrink_to_fit();
        self.folders.push(Folder {
            path,
            id,
            names,
            entries,
            next: 0,
        });
        None
    }
}

/// A failed input whose result is named by the last `name_components`
/// components of `path` (for a walk, its depth below the root).
fn broken(path: PathBuf, message: String, name_components: usize) -> Input {
    Input::new(
        Source::Broken {
            path,
            message: message.into(),
        },
        name_components,
    )
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
        Source::Broken { message, .. } => return Err(message.to_string()),
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
        Source::Broken { message, .. } => Err(message.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use walkdir::WalkDir;

    fn names(inputs: &[Input]) -> Vec<String> {
        inputs
            .iter()
            .map(|input| input.output_name().display().to_string())
            .collect()
    }

    #[test]
    fn a_folder_is_walked_depth_first_in_name_order_skipping_hidden_entries() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in [
            "b.txt",
            "a.txt",
            "a b.txt",
            "a-b.txt",
            "B.txt",
            "가.txt",
            "a/z.txt",
            "a/c/d.txt",
            "a.d/e.txt",
            ".hidden.txt",
            ".git/f.txt",
            "a/.g.txt",
            "skipped.html",
        ] {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "안녕").unwrap();
        }
        let globs = glob_set(&["*.txt".into()]).unwrap();
        let inputs: Vec<Input> = expand(&[root.to_path_buf()], &globs, true).collect();
        // Byte order of the names at each level, a folder's files where its
        // name falls: what `WalkDir::sort_by_file_name` gives.
        assert_eq!(
            names(&inputs),
            [
                "B.txt",
                "a/c/d.txt",
                "a/z.txt",
                "a b.txt",
                "a-b.txt",
                "a.d/e.txt",
                "a.txt",
                "b.txt",
                "가.txt"
            ]
        );
        let by_file_name: Vec<String> = WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
            })
            .map(|entry| entry.unwrap())
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                let relative = entry.path().strip_prefix(root).unwrap();
                relative.display().to_string()
            })
            .filter(|name| name.ends_with(".txt"))
            .collect();
        assert_eq!(names(&inputs), by_file_name);
        for input in &inputs {
            let Source::File { path, walked } = &input.source else {
                panic!("{input:?}");
            };
            assert!(walked);
            assert_eq!(input.id(), path.display().to_string());
            assert_eq!(root.join(input.output_name()), *path);
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_to_folders_are_walked_and_names_sort_by_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("root");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("x.txt"), "안녕").unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("linked")).unwrap();
        std::os::unix::fs::symlink(elsewhere.join("x.txt"), root.join("sub/y.txt")).unwrap();
        // Names that are not UTF-8 sort by their bytes: 0xFF after 'z'.
        for name in [&b"\xffz.txt"[..], b"z.txt", b"a.txt"] {
            std::fs::write(root.join(std::ffi::OsStr::from_bytes(name)), "안녕").unwrap();
        }
        let globs = glob_set(&["*.txt".into()]).unwrap();
        let inputs: Vec<Input> = expand(std::slice::from_ref(&root), &globs, true).collect();
        let paths: Vec<PathBuf> = inputs
            .iter()
            .map(|input| match &input.source {
                Source::File { path, walked: true } => path.strip_prefix(&root).unwrap().into(),
                other => panic!("{other:?}"),
            })
            .collect();
        let expected: Vec<PathBuf> = [
            &b"a.txt"[..],
            b"linked/x.txt",
            b"sub/y.txt",
            b"z.txt",
            b"\xffz.txt",
        ]
        .iter()
        .map(|name| PathBuf::from(std::ffi::OsStr::from_bytes(name)))
        .collect();
        assert_eq!(paths, expected);
        assert_eq!(inputs[1].output_name(), Path::new("linked/x.txt"));
    }

    #[test]
    fn folders_are_walked_as_the_inputs_are_asked_for() {
        // A folder's entries are read when the walk enters it, not before
        // the first input is handed out: a run holds no list of its inputs.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a")).unwrap();
        std::fs::create_dir_all(root.join("b")).unwrap();
        std::fs::write(root.join("a/1.txt"), "안녕").unwrap();
        let globs = glob_set(&["*.txt".into()]).unwrap();
        let arguments = [root.to_path_buf()];
        let mut inputs = expand(&arguments, &globs, true);
        let first = inputs.next().unwrap();
        assert_eq!(first.output_name(), Path::new("a/1.txt"));
        std::fs::write(root.join("b/2.txt"), "안녕").unwrap();
        let rest: Vec<String> = inputs
            .map(|input| input.output_name().display().to_string())
            .collect();
        assert_eq!(rest, ["b/2.txt"]);
    }

    #[test]
    fn the_path_below_the_root_is_what_strip_prefix_gives() {
        for (root, path) in [
            ("docs", "docs/a.txt"),
            ("docs/", "docs/a.txt"),
            ("./docs", "./docs/nested/a.txt"),
            (".", "./a.txt"),
            ("/", "/a.txt"),
            ("a/./b", "a/./b/c.txt"),
        ] {
            let (root, path) = (Path::new(root), Path::new(path));
            assert_eq!(
                below(path, root),
                path.strip_prefix(root).unwrap(),
                "{path:?}"
            );
        }
    }

    #[test]
    fn standard_input_is_read_with_no_argument_or_a_dash() {
        assert!(reads_stdin(&[]));
        assert!(reads_stdin(&["a.txt".into(), "-".into()]));
        assert!(!reads_stdin(&["a.txt".into(), "./-".into()]));
        let globs = glob_set(&["*.txt".into()]).unwrap();
        for arguments in [vec![], vec![PathBuf::from("-")]] {
            let inputs: Vec<Input> = expand(&arguments, &globs, true).collect();
            assert!(matches!(
                inputs[..],
                [Input {
                    source: Source::Stdin,
                    ..
                }]
            ));
        }
    }

    #[test]
    fn arguments_are_named_by_their_file_names() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("기사.txt");
        std::fs::write(&file, "안녕").unwrap();
        let globs = glob_set(&["*.txt".into()]).unwrap();
        let missing = dir.path().join("missing.txt");
        let arguments = [file.clone(), "-".into(), missing.clone(), "/".into()];
        let inputs: Vec<Input> = expand(&arguments, &globs, false).collect();
        assert_eq!(
            names(&inputs),
            ["기사.txt", "stdin", "missing.txt", "input"]
        );
        let ids: Vec<String> = inputs.iter().map(Input::id).collect();
        assert_eq!(
            ids,
            [
                file.display().to_string(),
                "-".into(),
                missing.display().to_string(),
                "/".into()
            ]
        );
        assert!(matches!(inputs[2].source, Source::Broken { .. }));
        // Without folder walking (JSONL input) a folder is a failed input.
        assert!(matches!(inputs[3].source, Source::Broken { .. }));
    }
}
