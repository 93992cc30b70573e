//! Builds the lindera dictionary from decompiled MeCab source.
//!
//! [`build_from_binaries`] runs the whole conversion into a work folder:
//! decompile the four MeCab binaries into `source/` ([`crate::decompile`]),
//! leaving out the entries no best path can use ([`crate::prune`]),
//! run lindera-dictionary's [`DictionaryBuilder`] on it into `ko-dic/`, write
//! `ko-dic/kosum-context-ids.tsv` ([`crate::context_ids`]) and
//! `ko-dic/kosum-trie-values.bin` ([`crate::trie_values`]) and remove
//! `source/` again.
//!
//! The metadata lindera builds with is our own `ko-dic-metadata.json`
//! ([`METADATA_JSON`]): lindera's ko-dic metadata with mecab-ko's left-space
//! penalty rules and `connection_id_mapping` on. With it, lindera renumbers
//! the context ids most-used-first by the histogram the decompiler derives
//! from the lexicon ([`crate::context_freq`]), so the connection-matrix cells
//! a lattice reads most sit together in cache; the permutation is stored in
//! the built `metadata.json` (`context_id_map`). `kosum-context-ids.tsv`
//! stays in mecab-ko-dic's original numbering: whoever gives a word those
//! ids maps them through `context_id_map` first, as lindera does for its own
//! user dictionaries.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use lindera_dictionary::builder::DictionaryBuilder;
use lindera_dictionary::dictionary::metadata::Metadata;

use crate::context_freq::HISTOGRAM_FILE;
use crate::context_ids::CONTEXT_IDS_FILE;
use crate::decompile::{Decompiled, decompile_dir};
use crate::error::{Error, Result};
use crate::trie_layout::TRIE_VALUES_FILE;
use crate::trie_values::write_trie_values;

/// The metadata lindera builds the dictionary with.
pub const METADATA_JSON: &str = include_str!("../ko-dic-metadata.json");

/// The lindera-dictionary version this crate builds with; must equal the
/// `=` pin in Cargo.toml (a unit test checks). Part of the cache path.
pub const LINDERA_DICTIONARY_VERSION: &str = "6.2.0";

/// Name of the built dictionary folder inside a work folder.
pub const DICTIONARY_DIR: &str = "ko-dic";

/// Files lindera writes into [`DICTIONARY_DIR`].
pub const LINDERA_FILES: [&str; 9] = [
    "char_def.bin",
    "matrix.mtx",
    "dict.trie",
    "dict.valsidx",
    "dict.vals",
    "unk.bin",
    "dict.wordsidx",
    "dict.words",
    "metadata.json",
];

/// Files kosum adds to [`DICTIONARY_DIR`].
pub const KOSUM_FILES: [&str; 2] = [CONTEXT_IDS_FILE, TRIE_VALUES_FILE];

/// Name of the decompiled source folder inside a work folder while building.
const SOURCE_DIR: &str = "source";

/// Parses [`METADATA_JSON`].
pub fn metadata() -> Result<Metadata> {
    serde_json::from_str(METADATA_JSON).map_err(|err| Error::Lindera {
        source_dir: PathBuf::from("kodic/ko-dic-metadata.json"),
        message: format!("the bundled metadata does not parse: {err}"),
    })
}

/// What a build did and how long it took.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// What the decompiler found.
    pub decompiled: Decompiled,
    /// Time spent decompiling (reading the binaries, writing the source).
    pub decompile_time: Duration,
    /// Time spent in lindera's builder.
    pub build_time: Duration,
}

/// Runs lindera's dictionary builder on MeCab source in `source_dir`
/// (`*.csv`, `char.def`, `unk.def`, `matrix.def`, and the context-id
/// histogram [`HISTOGRAM_FILE`] when there is one), writing into `out_dir`.
pub fn build_from_source(source_dir: &Path, out_dir: &Path) -> Result<()> {
    let mut builder = DictionaryBuilder::new(metadata()?);
    let histogram = source_dir.join(HISTOGRAM_FILE);
    if histogram.is_file() {
        builder = builder.with_context_id_freq(histogram);
    }
    builder
        .build_dictionary(source_dir, out_dir)
        .map_err(|err| Error::Lindera {
            source_dir: source_dir.to_path_buf(),
            message: err.to_string(),
        })
}

/// Decompiles the MeCab binaries in `bin_dir` and builds them into
/// `workdir/ko-dic/`, together with kosum's own files ([`KOSUM_FILES`]).
///
/// The decompiled source is written to `workdir/source/` and removed after
/// a successful build (it is kept after a failed one, for inspection).
pub fn build_from_binaries(bin_dir: &Path, workdir: &Path) -> Result<BuildReport> {
    let source_dir = workdir.join(SOURCE_DIR);
    let out_dir = workdir.join(DICTIONARY_DIR);

    // Entries no best path can use are left out (crate::prune), judged with
    // the left-space penalty rules the dictionary is built with.
    let rules = metadata()?.space_penalty.unwrap_or_default();
    let started = Instant::now();
    let decompiled = decompile_dir(bin_dir, &source_dir, Some(&rules))?;
    let decompile_time = started.elapsed();

    let started = Instant::now();
    build_from_source(&source_dir, &out_dir)?;
    let build_time = started.elapsed();

    let tsv_path = out_dir.join(CONTEXT_IDS_FILE);
    std::fs::write(&tsv_path, decompiled.context_ids.to_tsv())
        .map_err(|err| Error::io("write", &tsv_path, err))?;
    write_trie_values(&out_dir)?;
    check_built(workdir)?;
    std::fs::remove_dir_all(&source_dir)
        .map_err(|err| Error::io("remove the folder", &source_dir, err))?;
    Ok(BuildReport {
        decompiled,
        decompile_time,
        build_time,
    })
}

/// Checks that `workdir/ko-dic/` holds every built file, non-empty, and a
/// `metadata.json` of the dictionary format this lindera reads.
pub fn check_built(workdir: &Path) -> Result<()> {
    let dir = workdir.join(DICTIONARY_DIR);
    for name in LINDERA_FILES.iter().chain(&KOSUM_FILES) {
        let path = dir.join(name);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_file() && meta.len() > 0 => {}
            Ok(_) => {
                return Err(Error::Incomplete {
                    path: dir,
                    detail: format!("{name} is empty or not a file"),
                });
            }
            Err(_) => {
                return Err(Error::Incomplete {
                    path: dir,
                    detail: format!("{name} is missing"),
                });
            }
        }
    }
    let meta_path = dir.join("metadata.json");
    let text = std::fs::read(&meta_path).map_err(|err| Error::io("read", &meta_path, err))?;
    let meta = Metadata::load(&text).map_err(|err| Error::Incomplete {
        path: dir.clone(),
        detail: format!("metadata.json does not parse: {err}"),
    })?;
    meta.validate_format_version()
        .map_err(|err| Error::Incomplete {
            path: dir.clone(),
            detail: err.to_string(),
        })?;
    Ok(())
}

/// All files of a built work folder, for `cargo:rerun-if-changed`.
pub fn built_files(workdir: &Path) -> Vec<PathBuf> {
    let dir = workdir.join(DICTIONARY_DIR);
    LINDERA_FILES
        .iter()
        .chain(&KOSUM_FILES)
        .map(|name| dir.join(name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_parses_with_the_required_settings() {
        let meta = metadata().unwrap();
        assert_eq!(meta.name, "ko-dic");
        assert_eq!(meta.encoding, "UTF-8");
        assert_eq!(meta.default_word_cost, -10000);
        assert_eq!(
            (meta.default_left_context_id, meta.default_right_context_id),
            (0, 0)
        );
        assert!(!meta.flexible_csv && !meta.skip_invalid_cost_or_id && !meta.normalize_details);
        assert!(meta.connection_id_mapping);
        assert_eq!(meta.dictionary_schema.fields.len(), 12);
        assert_eq!(meta.dictionary_schema.fields[4], "part_of_speech_tag");
        assert_eq!(
            meta.user_dictionary_schema.fields,
            ["surface", "part_of_speech_tag", "reading"]
        );
        let penalty = meta.space_penalty.expect("space penalty rules");
        assert_eq!(penalty.cost_for_tag("JKS"), 6000);
        assert_eq!(penalty.cost_for_tag("EC"), 3000);
        assert_eq!(penalty.cost_for_tag("XSV+EP"), 3000);
        assert_eq!(penalty.cost_for_tag("NNG"), 0);
    }

    #[test]
    fn lindera_version_constant_matches_the_cargo_pin() {
        let manifest = include_str!("../Cargo.toml");
        let pin = format!("lindera-dictionary = {{ version = \"={LINDERA_DICTIONARY_VERSION}\"");
        assert!(manifest.contains(&pin), "Cargo.toml must pin {pin}");
    }

    /// Tokenizes with a dictionary folder the way kosum does.
    fn tokenize(dictionary_dir: &Path, text: &str) -> Vec<(String, Vec<String>)> {
        use lindera::dictionary::load_fs_dictionary;
        use lindera::mode::Mode;
        use lindera::segmenter::Segmenter;
        let dictionary = load_fs_dictionary(dictionary_dir).unwrap();
        let segmenter = Segmenter::new(Mode::Normal, dictionary, None);
        segmenter
            .segment(std::borrow::Cow::Borrowed(text))
            .unwrap()
            .into_iter()
            .map(|mut t| {
                let details = t.details().iter().map(|s| s.to_string()).collect();
                (t.surface.to_string(), details)
            })
            .collect()
    }

    #[test]
    fn tiny_dictionary_round_trips_through_lindera() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        crate::testutil::write_tiny_binaries(&bin);
        let work = dir.path().join("work");
        let report = build_from_binaries(&bin, &work).unwrap();
        assert_eq!(report.decompiled.entries, crate::testutil::lexicon().len());
        assert!(!work.join(SOURCE_DIR).exists(), "the source is removed");
        check_built(&work).unwrap();

        // The matrix keeps MeCab's orientation: cost(right id of the
        // preceding word, left id of the following word), in the renumbered
        // ids lindera stores with the dictionary.
        let dictionary =
            lindera::dictionary::load_fs_dictionary(&work.join(DICTIONARY_DIR)).unwrap();
        let map = dictionary
            .metadata
            .context_id_map
            .clone()
            .expect("the built dictionary carries its context-id permutation");
        let ids = crate::testutil::IDS;
        for (name, perm) in [("left", &map.left), ("right", &map.right)] {
            let mut sorted = perm.clone();
            sorted.sort_unstable();
            assert_eq!(
                sorted,
                (0..ids).collect::<Vec<u16>>(),
                "{name} is a permutation"
            );
        }
        // Id 3 (먹, 었, 다 and 먹었다, all cheap, and each of the short ones
        // also inside 먹었다) is estimated the most used: it becomes id 1.
        assert_eq!((map.map_left(3), map.map_right(3)), (1, 1));
        for l in 0..ids {
            for r in 0..ids {
                assert_eq!(
                    dictionary
                        .connection_cost_matrix
                        .cost(u32::from(map.map_right(l)), u32::from(map.map_left(r))),
                    i32::from(crate::testutil::matrix_cost(l, r)),
                    "cost({l}, {r})"
                );
            }
        }
        // Character categories keep their ids and parameters.
        let chars = &dictionary.character_definition;
        let names: Vec<&str> = crate::testutil::CATEGORIES.iter().map(|c| c.0).collect();
        assert_eq!(chars.categories(), names);
        for (id, (_, invoke, group, length)) in crate::testutil::CATEGORIES.iter().enumerate() {
            let data = chars.lookup_definition(
                lindera_dictionary::dictionary::character_definition::CategoryId(id),
            );
            assert_eq!(
                (data.invoke, data.group, data.length),
                (*invoke, *group, u32::from(*length))
            );
        }
        let category_of = |c: char| -> Vec<&str> {
            chars
                .lookup_categories(c)
                .iter()
                .map(|id| chars.category_name(*id))
                .collect()
        };
        assert_eq!(category_of('가'), ["HANGUL"]);
        assert_eq!(category_of(' '), ["SPACE"]);
        assert_eq!(category_of('x'), ["ALPHA"]);
        assert_eq!(category_of('0'), ["DEFAULT"]);
        assert_eq!(category_of('😀'), ["DEFAULT"]);
        drop(dictionary);

        let got = tokenize(&work.join(DICTIONARY_DIR), "사과를 abc 먹었다.");
        let brief: Vec<(&str, &str)> = got
            .iter()
            .map(|(s, d)| (s.as_str(), d[0].as_str()))
            .collect();
        assert_eq!(
            brief,
            [
                ("사과", "NNG"),
                ("를", "JKO"),
                ("abc", "SL"),
                ("먹었다", "VV+EP+EF"),
                (".", "SF"),
            ]
        );
        // All eight feature fields come through, in schema order.
        assert_eq!(
            got[3].1,
            [
                "VV+EP+EF",
                "*",
                "F",
                "먹었다",
                "Inflect",
                "VV",
                "EF",
                "먹/VV/*+었/EP/*+다/EF/*"
            ]
        );
        // A CSV-quoted comma inside a field survives.
        let got = tokenize(&work.join(DICTIONARY_DIR), "쉼표,");
        assert_eq!(got[0].0, "쉼표");
        assert_eq!(got[0].1[3], ",");
        assert_eq!((got[1].0.as_str(), got[1].1[0].as_str()), (",", "SC"));
        // Unknown Hangul falls back to the HANGUL unknown entry.
        let got = tokenize(&work.join(DICTIONARY_DIR), "뷁");
        assert_eq!(got[0].1[0], "UNKNOWN");

        let tsv =
            std::fs::read_to_string(work.join(DICTIONARY_DIR).join(CONTEXT_IDS_FILE)).unwrap();
        assert!(tsv.starts_with(crate::context_ids::HEADER));
        assert!(tsv.contains("\nNNG\t*\tF\t1\t1\t100\t3\n"), "{tsv}");
        assert!(!tsv.contains("VV+EP+EF"), "{tsv}");
    }

    #[test]
    fn check_built_finds_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("bin");
        crate::testutil::write_tiny_binaries(&bin);
        let work = dir.path().join("work");
        build_from_binaries(&bin, &work).unwrap();
        std::fs::remove_file(work.join(DICTIONARY_DIR).join("dict.trie")).unwrap();
        let err = check_built(&work).unwrap_err();
        assert!(err.to_string().contains("dict.trie is missing"), "{err}");
    }
}
