//! Finds, downloads, caches and builds the dictionary.
//!
//! [`ensure_dictionary`] tries, in order:
//!
//! 1. `KOSUM_MECAB_KO_DIC` ([`Options::mecab_ko_dic`]): a folder with
//!    `sys.dic`, `unk.dic`, `char.bin`, `matrix.bin`. When it is set, it is
//!    the only source: a wrong folder is an error, not a reason to download.
//! 2. The per-user cache ([`Options::cache_dir`]): a dictionary built earlier
//!    from the same binaries, or the binaries extracted by an earlier
//!    download.
//! 3. `python3 -m pip download --no-deps --no-binary :all:
//!    python-mecab-ko-dic==2.1.1.post2` (then `python`), checking the sdist's
//!    sha256 and extracting the four binaries into the cache.
//!
//! # Cache layout
//!
//! ```text
//! <cache>/python-mecab-ko-dic-2.1.1.post2/{sys.dic,unk.dic,char.bin,matrix.bin}
//! <cache>/lindera-6.2.0/ko-dic-<key>/ko-dic/{char_def.bin,…,kosum-context-ids.tsv,kosum-trie-values.bin}
//! <cache>/lindera-6.2.0/ko-dic-<key>/provenance.txt
//! ```
//!
//! `<key>` is the first 16 hex digits of a sha256 over the four binaries'
//! sha256s, [`METADATA_JSON`], [`DECOMPILER_FORMAT_VERSION`],
//! [`TRIE_VALUES_FORMAT`], the lindera-dictionary version and its dictionary
//! format version, so a different source, metadata, decompiler, table or
//! lindera never reuses a stale build. For the PyPI package the four sha256s are known constants
//! ([`PIP_BINARIES`]), so a cache hit hashes nothing.
//!
//! Every cache entry is written into a temporary sibling folder and renamed
//! into place when complete, so an interrupted build leaves no half entry.
//! When two processes build at once, both build and the first rename wins;
//! the other sees the winner's folder, checks it and discards its own.

use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use sha2::{Digest, Sha256};

use crate::build::{
    LINDERA_DICTIONARY_VERSION, METADATA_JSON, build_from_binaries, built_files, check_built,
};
use crate::context_ids::CONTEXT_IDS_FILE;
use crate::decompile::{BINARY_FILES, DECOMPILER_FORMAT_VERSION};
use crate::error::{Error, Result};
use crate::trie_layout::TRIE_VALUES_FORMAT;

/// The PyPI package that ships mecab-ko-dic's compiled binaries.
pub const PIP_PACKAGE: &str = "python-mecab-ko-dic";
/// Its version.
pub const PIP_VERSION: &str = "2.1.1.post2";
/// sha256 of its sdist, `python-mecab-ko-dic-2.1.1.post2.tar.gz`.
pub const PIP_SDIST_SHA256: &str =
    "2c423713bdc475345ec98cd084b30759458f8f06c38a9ef94ab8687942c2cd34";
/// Folder of the binaries inside the sdist (below its top folder).
pub const PIP_DICTIONARY_PATH: &str = "mecab_ko_dic/dictionary";
/// sha256 of the four binaries inside that sdist.
pub const PIP_BINARIES: [(&str, &str); 4] = [
    (
        "sys.dic",
        "e4652856d13821a391e9cde47de44532d708aa5f859ae730b5377b93d52db765",
    ),
    (
        "unk.dic",
        "46042dfede05bcad59e263a2039e9f2e85912adb00fc2dea040d419c691b3151",
    ),
    (
        "char.bin",
        "3d23b2d8f416f2c04f16cef28a1733f6634d0db004bb164d95ea88df3c6fe8db",
    ),
    (
        "matrix.bin",
        "e558a8064721b4492c465f9ed55dabd5655257b63bbe68fb15bf7d054bb5a7cc",
    ),
];

/// Environment variables [`Options::from_env`] reads; a build script should
/// re-run when any of them changes.
pub const ENV_VARS: [&str; 4] = [
    "KOSUM_MECAB_KO_DIC",
    "KOSUM_CACHE_DIR",
    "XDG_CACHE_HOME",
    "HOME",
];

/// Temporary cache folders older than this are left-overs of killed builds.
const STALE_AFTER: Duration = Duration::from_secs(6 * 3600);

/// Where to look for the dictionary and where to cache it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// A folder holding mecab-ko-dic's compiled binaries
    /// (`KOSUM_MECAB_KO_DIC`). When set, it is the only source used.
    pub mecab_ko_dic: Option<PathBuf>,
    /// The per-user cache folder: `KOSUM_CACHE_DIR`, else
    /// `$XDG_CACHE_HOME/kosum`, else `$HOME/.cache/kosum`.
    pub cache_dir: Option<PathBuf>,
    /// Whether to run pip when neither of the above has the dictionary.
    pub download: bool,
    /// Python interpreters to try for pip, in order.
    pub python: Vec<OsString>,
}

impl Default for Options {
    /// No source folder, no cache, downloads allowed with `python3` or
    /// `python`.
    fn default() -> Self {
        Options {
            mecab_ko_dic: None,
            cache_dir: None,
            download: true,
            python: vec!["python3".into(), "python".into()],
        }
    }
}

impl Options {
    /// Options from the environment variables in [`ENV_VARS`]; empty
    /// variables count as unset.
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var_os(name).filter(|v| !v.is_empty()))
    }

    /// Options from an arbitrary variable lookup (for tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<OsString>) -> Self {
        let cache_dir = lookup("KOSUM_CACHE_DIR")
            .map(PathBuf::from)
            .or_else(|| lookup("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("kosum")))
            .or_else(|| lookup("HOME").map(|d| PathBuf::from(d).join(".cache").join("kosum")));
        Options {
            mecab_ko_dic: lookup("KOSUM_MECAB_KO_DIC").map(PathBuf::from),
            cache_dir,
            ..Options::default()
        }
    }
}

/// Where a provisioned dictionary came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Found already built in the cache.
    CacheHit,
    /// Built now from the binaries in this folder (`KOSUM_MECAB_KO_DIC` or
    /// the cache's extracted binaries).
    Built {
        /// Folder holding the binaries it was built from.
        binaries: PathBuf,
    },
    /// Downloaded from PyPI now, then built.
    Downloaded,
}

/// A ready dictionary.
#[derive(Debug, Clone)]
pub struct Provisioned {
    /// A folder containing `ko-dic/` with lindera's built files and
    /// `ko-dic/kosum-context-ids.tsv`. This is what lindera's
    /// `LINDERA_WORKDIR` wants.
    pub workdir: PathBuf,
    /// `workdir/ko-dic`, the folder lindera loads.
    pub dictionary_dir: PathBuf,
    /// `workdir/ko-dic/kosum-context-ids.tsv`.
    pub context_ids: PathBuf,
    /// The cache key (16 hex digits) the dictionary is stored under.
    pub key: String,
    /// How it was obtained.
    pub origin: Origin,
    /// Human-readable lines about what happened.
    pub events: Vec<String>,
    /// Files whose change or removal must re-run the build script.
    pub rerun_if_changed: Vec<PathBuf>,
}

/// sha256 of a file as lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = File::open(path).map_err(|err| Error::io("open", path, err))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|err| Error::io("read", path, err))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache key for a dictionary built from binaries with these sha256s
/// (given as `(file name, sha256)` in [`BINARY_FILES`] order).
pub fn cache_key(binaries: &[(&str, &str)]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"kosum-kodic cache key 1\n");
    hasher.update(format!("lindera-dictionary {LINDERA_DICTIONARY_VERSION}\n"));
    hasher.update(format!(
        "lindera dictionary format {}\n",
        lindera_dictionary::dictionary::metadata::DICTIONARY_FORMAT_VERSION
    ));
    hasher.update(format!("decompiler {DECOMPILER_FORMAT_VERSION}\n"));
    hasher.update(format!("trie values {TRIE_VALUES_FORMAT}\n"));
    hasher.update(format!(
        "metadata {}\n",
        hex(&Sha256::digest(METADATA_JSON))
    ));
    for (name, sha) in binaries {
        hasher.update(format!("{name} {sha}\n"));
    }
    hex(&hasher.finalize())[..16].to_string()
}

/// The folder a dictionary with cache key `key` lives in under `cache_dir`.
pub fn workdir_for(cache_dir: &Path, key: &str) -> PathBuf {
    cache_dir
        .join(format!("lindera-{LINDERA_DICTIONARY_VERSION}"))
        .join(format!("ko-dic-{key}"))
}

/// The folder the PyPI binaries are extracted to under `cache_dir`.
pub fn extracted_dir(cache_dir: &Path) -> PathBuf {
    cache_dir.join(format!("{PIP_PACKAGE}-{PIP_VERSION}"))
}

/// Finds the MeCab binaries without downloading: `KOSUM_MECAB_KO_DIC` if
/// set, else the cache's extracted PyPI binaries if complete.
pub fn locate_binaries(options: &Options) -> Option<PathBuf> {
    if let Some(dir) = &options.mecab_ko_dic {
        return missing_binaries(dir).is_empty().then(|| dir.clone());
    }
    let dir = extracted_dir(options.cache_dir.as_ref()?);
    missing_binaries(&dir).is_empty().then_some(dir)
}

fn missing_binaries(dir: &Path) -> Vec<&'static str> {
    BINARY_FILES
        .iter()
        .copied()
        .filter(|name| !dir.join(name).is_file())
        .collect()
}

/// A unique name suffix for temporary folders of this process.
fn unique_suffix() -> String {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("{}-{nanos}-{n}", std::process::id())
}

fn create_dir_all(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|err| Error::io("create the folder", path, err))
}

/// Removes left-over temporary folders (`.<prefix>*.tmp-*`) of builds that
/// were killed, if they are old enough that no build can still be running.
fn remove_stale_temporaries(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with('.') && (name.contains(".tmp-") || name.contains(".old-"))) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if old {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Moves a broken cache entry out of the way and deletes it.
fn discard(dir: &Path) -> Result<()> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let aside = dir.with_file_name(format!(".{name}.old-{}", unique_suffix()));
    match std::fs::rename(dir, &aside) {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&aside);
            Ok(())
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(err) => Err(Error::io("move aside the broken cache folder", dir, err)),
    }
}

/// Renames the complete temporary folder `tmp` to `target`. Returns
/// `Ok(true)` when this rename won, `Ok(false)` when another process had
/// already put a complete `target` in place (and `tmp` is removed).
fn publish(tmp: &Path, target: &Path, complete: impl Fn(&Path) -> bool) -> Result<bool> {
    match std::fs::rename(tmp, target) {
        Ok(()) => Ok(true),
        Err(err) => {
            if complete(target) {
                let _ = std::fs::remove_dir_all(tmp);
                Ok(false)
            } else {
                Err(Error::io(
                    "move the finished build into place at",
                    target,
                    err,
                ))
            }
        }
    }
}

/// Makes sure the dictionary is built, and returns where it is.
///
/// See the [module documentation](self) for the order of sources and the
/// cache layout.
pub fn ensure_dictionary(options: &Options) -> Result<Provisioned> {
    let mut events = Vec::new();
    if let Some(dir) = &options.mecab_ko_dic {
        return from_folder(options, dir, &mut events);
    }
    let Some(cache_dir) = &options.cache_dir else {
        return Err(Error::NothingWorked {
            tried: vec![
                "KOSUM_MECAB_KO_DIC: not set".to_string(),
                "cache: none of KOSUM_CACHE_DIR, XDG_CACHE_HOME, HOME is set".to_string(),
            ],
        });
    };
    let hashes: Vec<(&str, &str)> = PIP_BINARIES.to_vec();
    let key = cache_key(&hashes);
    let workdir = workdir_for(cache_dir, &key);
    if let Some(hit) = cache_hit(&workdir, &key, &mut events)? {
        return Ok(hit);
    }

    let binaries = extracted_dir(cache_dir);
    let mut tried = vec!["KOSUM_MECAB_KO_DIC: not set".to_string()];
    tried.push(format!(
        "cache: no built dictionary at {} and no extracted binaries at {}",
        workdir.display(),
        binaries.display()
    ));
    let mut origin = Origin::Built {
        binaries: binaries.clone(),
    };
    let usable = missing_binaries(&binaries).is_empty()
        && match verify_binaries(&binaries, &PIP_BINARIES) {
            Ok(()) => true,
            Err(err) => {
                events.push(format!("discarding damaged cached binaries: {err}"));
                discard(&binaries)?;
                false
            }
        };
    if !usable {
        if !options.download {
            tried.push("download from PyPI: disabled (Options::download is false)".to_string());
            return Err(Error::NothingWorked { tried });
        }
        match download_binaries(options, cache_dir, &binaries, &mut events) {
            Ok(()) => origin = Origin::Downloaded,
            Err(DownloadFailure::Attempts(attempts)) => {
                tried.extend(attempts);
                return Err(Error::NothingWorked { tried });
            }
            Err(DownloadFailure::Fatal(err)) => return Err(err),
        }
    }
    let mut provisioned = build_into_cache(&binaries, &workdir, &key, "PyPI", &mut events)?;
    provisioned.origin = origin;
    provisioned.events = events;
    Ok(provisioned)
}

/// `KOSUM_MECAB_KO_DIC` path: hash the binaries, then hit or build.
fn from_folder(options: &Options, dir: &Path, events: &mut Vec<String>) -> Result<Provisioned> {
    let missing = missing_binaries(dir);
    if !missing.is_empty() {
        return Err(Error::MissingFiles {
            dir: dir.to_path_buf(),
            origin: "KOSUM_MECAB_KO_DIC",
            missing,
        });
    }
    let cache_dir = options.cache_dir.as_ref().ok_or(Error::NoCacheDir)?;
    let started = Instant::now();
    let mut hashes = Vec::new();
    for name in BINARY_FILES {
        hashes.push((name, sha256_file(&dir.join(name))?));
    }
    let pairs: Vec<(&str, &str)> = hashes.iter().map(|(n, h)| (*n, h.as_str())).collect();
    let key = cache_key(&pairs);
    events.push(format!(
        "using KOSUM_MECAB_KO_DIC={} (hashed in {:.1} s, cache key {key})",
        dir.display(),
        started.elapsed().as_secs_f64()
    ));
    let workdir = workdir_for(cache_dir, &key);
    let mut provisioned = match cache_hit(&workdir, &key, events)? {
        Some(hit) => hit,
        None => build_into_cache(dir, &workdir, &key, "KOSUM_MECAB_KO_DIC", events)?,
    };
    provisioned
        .rerun_if_changed
        .extend(BINARY_FILES.iter().map(|name| dir.join(name)));
    provisioned.events = std::mem::take(events);
    Ok(provisioned)
}

fn provisioned(workdir: &Path, key: &str, origin: Origin) -> Provisioned {
    let dictionary_dir = workdir.join(crate::build::DICTIONARY_DIR);
    Provisioned {
        workdir: workdir.to_path_buf(),
        context_ids: dictionary_dir.join(CONTEXT_IDS_FILE),
        dictionary_dir,
        key: key.to_string(),
        origin,
        events: Vec::new(),
        rerun_if_changed: built_files(workdir),
    }
}

/// A complete cached build, if there is one; a broken one is discarded.
fn cache_hit(workdir: &Path, key: &str, events: &mut Vec<String>) -> Result<Option<Provisioned>> {
    if !workdir.exists() {
        return Ok(None);
    }
    match check_built(workdir) {
        Ok(()) => {
            events.push(format!("cache hit: built ko-dic at {}", workdir.display()));
            let mut hit = provisioned(workdir, key, Origin::CacheHit);
            hit.events = events.clone();
            Ok(Some(hit))
        }
        Err(err) => {
            events.push(format!("discarding incomplete cached build: {err}"));
            discard(workdir)?;
            Ok(None)
        }
    }
}

/// Builds from `binaries` into a temporary sibling of `workdir`, then
/// renames it into place.
fn build_into_cache(
    binaries: &Path,
    workdir: &Path,
    key: &str,
    source_name: &str,
    events: &mut Vec<String>,
) -> Result<Provisioned> {
    let parent = workdir.parent().expect("workdir has a parent");
    create_dir_all(parent)?;
    remove_stale_temporaries(parent);
    let name = workdir
        .file_name()
        .expect("workdir has a name")
        .to_string_lossy();
    let tmp = parent.join(format!(".{name}.tmp-{}", unique_suffix()));
    create_dir_all(&tmp)?;
    let result = build_from_binaries(binaries, &tmp);
    let report = match result {
        Ok(report) => report,
        Err(err) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(err);
        }
    };
    let d = &report.decompiled;
    events.push(format!(
        "decompiled {} entries (and left out {} that no best path can use), {} unknown-word \
         entries, {} character categories and a {} x {} matrix from {} in {:.1} s",
        d.entries,
        d.dominated_entries,
        d.unknown_entries,
        d.categories.len(),
        d.matrix_size.0,
        d.matrix_size.1,
        binaries.display(),
        report.decompile_time.as_secs_f64()
    ));
    events.push(format!(
        "built lindera dictionary in {:.1} s",
        report.build_time.as_secs_f64()
    ));
    let provenance = format!(
        "kosum-kodic {}\nsource: {source_name} ({})\ncache key: {key}\n\
         lindera-dictionary: {LINDERA_DICTIONARY_VERSION}\ndecompiler format: {DECOMPILER_FORMAT_VERSION}\n\
         entries: {}\ndecompile: {:.1} s\nbuild: {:.1} s\n",
        env!("CARGO_PKG_VERSION"),
        binaries.display(),
        d.entries,
        report.decompile_time.as_secs_f64(),
        report.build_time.as_secs_f64(),
    );
    let provenance_path = tmp.join("provenance.txt");
    if let Err(err) = std::fs::write(&provenance_path, provenance) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(Error::io("write", provenance_path, err));
    }
    if workdir.exists() {
        // A broken entry was discarded by `cache_hit`; anything here now
        // came from a concurrent build.
        let _ = std::fs::remove_dir(workdir);
    }
    let won = publish(&tmp, workdir, |dir| check_built(dir).is_ok())?;
    if won {
        events.push(format!(
            "cached the built dictionary at {}",
            workdir.display()
        ));
    } else {
        events.push(format!(
            "another build finished first; using its dictionary at {}",
            workdir.display()
        ));
    }
    Ok(provisioned(
        workdir,
        key,
        Origin::Built {
            binaries: binaries.to_path_buf(),
        },
    ))
}

/// Checks the sha256 of each binary in `dir`.
fn verify_binaries(dir: &Path, expected: &[(&str, &str)]) -> Result<()> {
    for (name, sha) in expected {
        let path = dir.join(name);
        let actual = sha256_file(&path)?;
        if actual != *sha {
            return Err(Error::Checksum {
                path,
                expected: sha.to_string(),
                actual,
            });
        }
    }
    Ok(())
}

enum DownloadFailure {
    /// Every interpreter failed; one line per attempt.
    Attempts(Vec<String>),
    /// The download worked but what came is unusable, or the cache is.
    Fatal(Error),
}

fn pip_args(dest: &Path) -> Vec<OsString> {
    let mut args: Vec<OsString> = [
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--no-binary",
        ":all:",
        "--disable-pip-version-check",
        "--no-input",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    args.push(format!("{PIP_PACKAGE}=={PIP_VERSION}").into());
    args.push("-d".into());
    args.push(dest.into());
    args
}

/// The last lines of a process's output, for error messages.
fn tail(bytes: &[u8], lines: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let all: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    all[all.len().saturating_sub(lines)..].join(" | ")
}

/// Runs pip, verifies the sdist and extracts the binaries to `binaries`.
fn download_binaries(
    options: &Options,
    cache_dir: &Path,
    binaries: &Path,
    events: &mut Vec<String>,
) -> std::result::Result<(), DownloadFailure> {
    create_dir_all(cache_dir).map_err(DownloadFailure::Fatal)?;
    remove_stale_temporaries(cache_dir);
    let download_dir = cache_dir.join(format!(".download.tmp-{}", unique_suffix()));
    let result = download_into(options, &download_dir, cache_dir, binaries, events);
    let _ = std::fs::remove_dir_all(&download_dir);
    result
}

fn download_into(
    options: &Options,
    download_dir: &Path,
    cache_dir: &Path,
    binaries: &Path,
    events: &mut Vec<String>,
) -> std::result::Result<(), DownloadFailure> {
    let fatal = DownloadFailure::Fatal;
    create_dir_all(download_dir).map_err(fatal)?;
    let mut attempts = Vec::new();
    let mut sdist = None;
    for python in &options.python {
        let args = pip_args(download_dir);
        let shown = format!(
            "`{} {}`",
            python.to_string_lossy(),
            args.iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let started = Instant::now();
        let output = Command::new(python)
            .args(&args)
            .stdin(Stdio::null())
            .output();
        match output {
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => attempts.push(format!(
                "{shown}: {} is not installed (not found on PATH)",
                python.to_string_lossy()
            )),
            Err(err) => attempts.push(format!(
                "{shown}: could not run {}: {err}",
                python.to_string_lossy()
            )),
            Ok(out) if !out.status.success() => attempts.push(format!(
                "{shown}: failed ({}): {}",
                out.status,
                tail(&out.stderr, 4)
            )),
            Ok(_) => match find_sdist(download_dir) {
                Some(path) => {
                    events.push(format!(
                        "downloaded {PIP_PACKAGE}=={PIP_VERSION} with {} in {:.1} s",
                        python.to_string_lossy(),
                        started.elapsed().as_secs_f64()
                    ));
                    sdist = Some(path);
                    break;
                }
                None => attempts.push(format!(
                    "{shown}: succeeded but left no .tar.gz in {}",
                    download_dir.display()
                )),
            },
        }
    }
    let Some(sdist) = sdist else {
        return Err(DownloadFailure::Attempts(attempts));
    };
    let actual = sha256_file(&sdist).map_err(fatal)?;
    if actual != PIP_SDIST_SHA256 {
        return Err(fatal(Error::Checksum {
            path: sdist,
            expected: PIP_SDIST_SHA256.to_string(),
            actual,
        }));
    }
    if let Some(last) = events.last_mut() {
        last.push_str(" (sha256 ok)");
    }
    let tmp = cache_dir.join(format!(
        ".{}.tmp-{}",
        binaries.file_name().unwrap_or_default().to_string_lossy(),
        unique_suffix()
    ));
    let extracted =
        extract_binaries(&sdist, &tmp).and_then(|()| verify_binaries(&tmp, &PIP_BINARIES));
    if let Err(err) = extracted {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(fatal(err));
    }
    // A concurrent download may have put complete binaries in place first;
    // `publish` then keeps those. Anything else there is damaged (this
    // process checked it before downloading): replace it.
    let complete = |dir: &Path| verify_binaries(dir, &PIP_BINARIES).is_ok();
    if publish(&tmp, binaries, complete).is_err() {
        let retry = discard(binaries).and_then(|()| publish(&tmp, binaries, complete));
        if let Err(err) = retry {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(fatal(err));
        }
    }
    events.push(format!(
        "extracted {} to {}",
        BINARY_FILES.join(", "),
        binaries.display()
    ));
    Ok(())
}

fn find_sdist(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
}

/// Extracts `<top>/mecab_ko_dic/dictionary/{sys.dic,…}` from the sdist into
/// `out_dir` (created).
pub fn extract_binaries(sdist: &Path, out_dir: &Path) -> Result<()> {
    create_dir_all(out_dir)?;
    let file = File::open(sdist).map_err(|err| Error::io("open", sdist, err))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    let bad = |detail: String| Error::BadPackage {
        path: sdist.to_path_buf(),
        detail,
    };
    let mut found: Vec<&str> = Vec::new();
    let entries = archive
        .entries()
        .map_err(|err| bad(format!("not a readable .tar.gz: {err}")))?;
    for entry in entries {
        let mut entry = entry.map_err(|err| bad(format!("damaged archive: {err}")))?;
        let path = entry
            .path()
            .map_err(|err| bad(format!("damaged archive entry name: {err}")))?
            .into_owned();
        let components: Vec<_> = path.components().collect();
        let Some(name) = BINARY_FILES.iter().copied().find(|name| {
            let wanted: Vec<&str> = PIP_DICTIONARY_PATH.split('/').chain([*name]).collect();
            components.len() == wanted.len() + 1
                && components[1..]
                    .iter()
                    .zip(&wanted)
                    .all(|(c, w)| c.as_os_str() == *w)
        }) else {
            continue;
        };
        if found.contains(&name) || !entry.header().entry_type().is_file() {
            return Err(bad(format!(
                "{} appears twice or is not a file",
                path.display()
            )));
        }
        let target = out_dir.join(name);
        let mut out = File::create(&target).map_err(|err| Error::io("create", &target, err))?;
        std::io::copy(&mut entry, &mut out)
            .map_err(|err| bad(format!("could not extract {}: {err}", path.display())))?;
        out.flush()
            .map_err(|err| Error::io("write", &target, err))?;
        found.push(name);
    }
    let missing: Vec<&str> = BINARY_FILES
        .iter()
        .copied()
        .filter(|n| !found.contains(n))
        .collect();
    if !missing.is_empty() {
        return Err(bad(format!(
            "the archive has no {} under */{PIP_DICTIONARY_PATH}/",
            missing.join(", ")
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
        let map: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), OsString::from(v)))
            .collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn cache_dir_precedence() {
        let all = [
            ("KOSUM_CACHE_DIR", "/k"),
            ("XDG_CACHE_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(
            Options::from_lookup(lookup(&all)).cache_dir,
            Some("/k".into())
        );
        assert_eq!(
            Options::from_lookup(lookup(&all[1..])).cache_dir,
            Some("/x/kosum".into())
        );
        assert_eq!(
            Options::from_lookup(lookup(&all[2..])).cache_dir,
            Some("/h/.cache/kosum".into())
        );
        let none = Options::from_lookup(lookup(&[]));
        assert_eq!(none.cache_dir, None);
        assert_eq!(none.mecab_ko_dic, None);
        assert!(none.download);
        let env = Options::from_lookup(lookup(&[("KOSUM_MECAB_KO_DIC", "/m")]));
        assert_eq!(env.mecab_ko_dic, Some("/m".into()));
    }

    #[test]
    fn cache_key_depends_on_every_binary() {
        let base = cache_key(&PIP_BINARIES);
        assert_eq!(base.len(), 16);
        assert_eq!(base, cache_key(&PIP_BINARIES), "deterministic");
        for i in 0..PIP_BINARIES.len() {
            let mut changed = PIP_BINARIES;
            changed[i].1 = "0000";
            assert_ne!(cache_key(&changed), base);
        }
    }

    #[test]
    fn missing_folder_names_the_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sys.dic"), b"x").unwrap();
        let options = Options {
            mecab_ko_dic: Some(dir.path().to_path_buf()),
            cache_dir: Some(dir.path().join("cache")),
            ..Options::default()
        };
        let err = ensure_dictionary(&options).unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::MissingFiles { .. }), "{text}");
        assert!(text.contains("unk.dic, char.bin, matrix.bin"), "{text}");
        assert!(text.contains("KOSUM_MECAB_KO_DIC"), "{text}");
        assert_eq!(locate_binaries(&options), None);
    }

    #[test]
    fn nothing_worked_lists_every_attempt() {
        let dir = tempfile::tempdir().unwrap();
        let options = Options {
            cache_dir: Some(dir.path().to_path_buf()),
            python: vec!["/nonexistent/python-for-kosum-test".into()],
            ..Options::default()
        };
        let text = ensure_dictionary(&options).unwrap_err().to_string();
        assert!(text.contains("KOSUM_MECAB_KO_DIC: not set"), "{text}");
        assert!(text.contains("no built dictionary at"), "{text}");
        assert!(
            text.contains("/nonexistent/python-for-kosum-test"),
            "{text}"
        );
        assert!(text.contains("install python3 with pip"), "{text}");
        // The failed attempt left nothing behind but empty folders.
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");

        let offline = Options {
            download: false,
            ..options
        };
        let text = ensure_dictionary(&offline).unwrap_err().to_string();
        assert!(text.contains("download from PyPI: disabled"), "{text}");
    }

    fn sdist_with(files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pkg.tar.gz");
        let gz = flate2::write::GzEncoder::new(
            File::create(&path).unwrap(),
            flate2::Compression::fast(),
        );
        let mut tar = tar::Builder::new(gz);
        for (name, data) in files {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_cksum();
            tar.append_data(&mut header, name, *data).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
        (dir, path)
    }

    #[test]
    fn extracts_exactly_the_four_binaries() {
        let top = "python-mecab-ko-dic-2.1.1.post2/mecab_ko_dic/dictionary";
        let files: Vec<(String, Vec<u8>)> = BINARY_FILES
            .iter()
            .map(|n| (format!("{top}/{n}"), n.as_bytes().to_vec()))
            .chain([
                (format!("{top}/dicrc"), b"x".to_vec()),
                (
                    "other/mecab_ko_dic/x/sys.dic".to_string(),
                    b"wrong".to_vec(),
                ),
            ])
            .collect();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, d)| (n.as_str(), d.as_slice()))
            .collect();
        let (dir, sdist) = sdist_with(&refs);
        let out = dir.path().join("out");
        extract_binaries(&sdist, &out).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["char.bin", "matrix.bin", "sys.dic", "unk.dic"]);
        assert_eq!(std::fs::read(out.join("sys.dic")).unwrap(), b"sys.dic");

        // One missing: a clear error naming it.
        let (dir, sdist) = sdist_with(&refs[1..]);
        let err = extract_binaries(&sdist, &dir.path().join("out")).unwrap_err();
        assert!(err.to_string().contains("has no sys.dic"), "{err}");

        // Not a gzip at all.
        let junk = dir.path().join("junk.tar.gz");
        std::fs::write(&junk, b"not gzip").unwrap();
        assert!(extract_binaries(&junk, &dir.path().join("out2")).is_err());
    }

    #[test]
    fn publish_keeps_the_first_complete_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("final");
        let first = dir.path().join(".final.tmp-1");
        let second = dir.path().join(".final.tmp-2");
        for (d, text) in [(&first, "one"), (&second, "two")] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join("f"), text).unwrap();
        }
        let complete = |d: &Path| d.join("f").is_file();
        assert!(publish(&first, &target, complete).unwrap());
        assert!(!publish(&second, &target, complete).unwrap());
        assert_eq!(std::fs::read_to_string(target.join("f")).unwrap(), "one");
        assert!(!second.exists(), "the loser's temporary folder is removed");
    }

    fn tiny_options(dir: &Path) -> Options {
        let bin = dir.join("bin");
        crate::testutil::write_tiny_binaries(&bin);
        Options {
            mecab_ko_dic: Some(bin),
            cache_dir: Some(dir.join("cache")),
            download: false,
            ..Options::default()
        }
    }

    fn temporaries(parent: &Path) -> Vec<String> {
        std::fs::read_dir(parent)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect()
    }

    #[test]
    fn builds_once_then_hits_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let options = tiny_options(dir.path());
        let bin = options.mecab_ko_dic.clone().unwrap();
        let first = ensure_dictionary(&options).unwrap();
        assert_eq!(
            first.origin,
            Origin::Built {
                binaries: bin.clone()
            }
        );
        assert!(
            first
                .events
                .iter()
                .any(|e| e.starts_with("decompiled 13 entries")),
            "{:?}",
            first.events
        );
        assert!(
            first
                .events
                .iter()
                .any(|e| e.starts_with("built lindera dictionary in"))
        );
        assert_eq!(
            first.workdir,
            workdir_for(&dir.path().join("cache"), &first.key)
        );
        assert_eq!(first.dictionary_dir, first.workdir.join("ko-dic"));
        assert!(first.context_ids.is_file());
        check_built(&first.workdir).unwrap();
        assert!(first.rerun_if_changed.contains(&bin.join("sys.dic")));
        assert!(
            first
                .rerun_if_changed
                .contains(&first.dictionary_dir.join("dict.trie"))
        );
        assert!(first.workdir.join("provenance.txt").is_file());
        assert!(temporaries(first.workdir.parent().unwrap()).is_empty());

        let second = ensure_dictionary(&options).unwrap();
        assert_eq!(second.origin, Origin::CacheHit);
        assert_eq!(second.workdir, first.workdir);
        assert!(
            second
                .events
                .iter()
                .any(|e| e.starts_with("cache hit: built ko-dic at"))
        );

        // A damaged cache entry is rebuilt, not used.
        std::fs::remove_file(first.dictionary_dir.join("dict.vals")).unwrap();
        let third = ensure_dictionary(&options).unwrap();
        assert!(matches!(third.origin, Origin::Built { .. }));
        check_built(&third.workdir).unwrap();

        // Other binaries: another key, another folder.
        std::fs::write(
            bin.join("matrix.bin"),
            crate::testutil::encode_matrix(5, 5, |l, r| (l + r) as i16),
        )
        .unwrap();
        let fourth = ensure_dictionary(&options).unwrap();
        assert_ne!(fourth.key, first.key);
        assert_ne!(fourth.workdir, first.workdir);
        assert!(matches!(fourth.origin, Origin::Built { .. }));
    }

    #[test]
    fn corrupt_source_gives_an_error_and_leaves_no_cache_entry() {
        let dir = tempfile::tempdir().unwrap();
        let options = tiny_options(dir.path());
        let bin = options.mecab_ko_dic.clone().unwrap();
        let mut sys = std::fs::read(bin.join("sys.dic")).unwrap();
        sys.truncate(sys.len() - 3);
        std::fs::write(bin.join("sys.dic"), sys).unwrap();
        let err = ensure_dictionary(&options).unwrap_err();
        assert!(matches!(err, Error::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains("sys.dic"), "{err}");
        let parent = dir
            .path()
            .join("cache")
            .join(format!("lindera-{LINDERA_DICTIONARY_VERSION}"));
        let left: Vec<_> = std::fs::read_dir(&parent).unwrap().flatten().collect();
        assert!(left.is_empty(), "{left:?}");
    }

    #[test]
    fn concurrent_builds_agree_on_one_complete_folder() {
        let dir = tempfile::tempdir().unwrap();
        let options = tiny_options(dir.path());
        let results: Vec<Provisioned> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..3)
                .map(|_| scope.spawn(|| ensure_dictionary(&options).unwrap()))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &results {
            assert_eq!(r.workdir, results[0].workdir);
        }
        check_built(&results[0].workdir).unwrap();
        assert!(temporaries(results[0].workdir.parent().unwrap()).is_empty());
    }

    #[test]
    fn old_temporaries_are_cleaned_up_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join(".ko-dic-abc.tmp-1-2");
        let fresh = dir.path().join(".ko-dic-abc.tmp-3-4");
        let keep = dir.path().join("ko-dic-abc");
        for d in [&old, &fresh, &keep] {
            std::fs::create_dir(d).unwrap();
        }
        let long_ago = SystemTime::now() - 2 * STALE_AFTER;
        File::open(&old).unwrap().set_modified(long_ago).unwrap();
        File::open(&keep).unwrap().set_modified(long_ago).unwrap();
        remove_stale_temporaries(dir.path());
        assert!(!old.exists());
        assert!(fresh.exists() && keep.exists());
    }

    /// A stand-in for python that runs `script` (sh) with the pip arguments.
    fn fake_python(dir: &Path, script: &str) -> OsString {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join("fake-python");
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.into_os_string()
    }

    #[test]
    fn pip_failures_are_reported_with_their_output() {
        let dir = tempfile::tempdir().unwrap();
        let python = fake_python(
            dir.path(),
            "echo 'ERROR: No matching distribution found for python-mecab-ko-dic' >&2; exit 1",
        );
        let options = Options {
            cache_dir: Some(dir.path().join("cache")),
            python: vec![python],
            ..Options::default()
        };
        let text = ensure_dictionary(&options).unwrap_err().to_string();
        assert!(text.contains("No matching distribution found"), "{text}");
        assert!(
            text.contains("-m pip download --no-deps --no-binary :all:"),
            "{text}"
        );
        assert!(text.contains("python-mecab-ko-dic==2.1.1.post2"), "{text}");
    }

    #[test]
    fn a_download_with_the_wrong_checksum_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        // "Downloads" an archive that has the right layout but other bytes.
        let (_sdist_dir, sdist) = sdist_with(&[(
            "python-mecab-ko-dic-2.1.1.post2/mecab_ko_dic/dictionary/sys.dic",
            b"not the real one",
        )]);
        let python = fake_python(
            dir.path(),
            &format!(
                "for a; do last=$a; done; cp '{}' \"$last/python-mecab-ko-dic-2.1.1.post2.tar.gz\"",
                sdist.display()
            ),
        );
        let cache = dir.path().join("cache");
        let options = Options {
            cache_dir: Some(cache.clone()),
            python: vec![python],
            ..Options::default()
        };
        let err = ensure_dictionary(&options).unwrap_err();
        assert!(matches!(err, Error::Checksum { .. }), "{err}");
        assert!(err.to_string().contains(PIP_SDIST_SHA256), "{err}");
        assert!(!extracted_dir(&cache).exists());
        assert!(temporaries(&cache).is_empty(), "{:?}", temporaries(&cache));
    }
}
