//! Checks against the real mecab-ko-dic, found through the crate's own
//! provisioning with the environment and the cache only (no download).
//! Without it, each test prints why it is skipped and passes.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use kosum_kodic::decompile::{BINARY_FILES, parse_char_bin, parse_dic};
use kosum_kodic::{Options, ensure_dictionary};
use lindera::dictionary::load_fs_dictionary;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

fn options() -> Options {
    Options {
        download: false,
        ..Options::from_env()
    }
}

/// The folder with the four MeCab binaries, if the environment or cache has it.
fn binaries() -> Option<PathBuf> {
    let found = kosum_kodic::provision::locate_binaries(&options());
    if found.is_none() {
        eprintln!(
            "SKIPPED: no mecab-ko-dic binaries (set KOSUM_MECAB_KO_DIC, or build kosum once so \
             the cache at KOSUM_CACHE_DIR / ~/.cache/kosum has them)"
        );
    }
    found
}

/// The built dictionary folder (`…/ko-dic`), building it from the binaries
/// if only those are there.
fn built() -> Option<&'static Path> {
    static BUILT: OnceLock<Option<PathBuf>> = OnceLock::new();
    BUILT
        .get_or_init(|| match ensure_dictionary(&options()) {
            Ok(dict) => Some(dict.dictionary_dir),
            Err(err) => {
                eprintln!("SKIPPED: no built dictionary and none can be built offline: {err}");
                None
            }
        })
        .as_deref()
}

#[test]
fn sys_dic_decompiles_to_every_entry() {
    let Some(dir) = binaries() else { return };
    let path = dir.join("sys.dic");
    let bytes = std::fs::read(&path).unwrap();
    let sys = parse_dic(&bytes, &path).unwrap();
    assert_eq!(sys.header.lexsize, 816_283);
    assert_eq!(sys.entries.len(), 816_283);
    let samples = [
        ("마이크로", "NNP"),
        ("달러", "NNG"),
        ("투자", "NNG"),
        ("가", "JKS"),
    ];
    for (surface, pos) in samples {
        assert!(
            sys.entries
                .iter()
                .any(|e| e.surface == surface && e.feature.starts_with(&format!("{pos},"))),
            "{surface}/{pos} is in mecab-ko-dic"
        );
    }
    // The comma entry is stored CSV-quoted.
    assert!(
        sys.entries
            .iter()
            .any(|e| e.surface == "," && e.feature.starts_with("SC,"))
    );
}

#[test]
fn char_def_and_unk_def_match_the_binaries() {
    let Some(dir) = binaries() else { return };
    assert!(BINARY_FILES.iter().all(|f| dir.join(f).is_file()));
    let char_path = dir.join("char.bin");
    let chars = parse_char_bin(&std::fs::read(&char_path).unwrap(), &char_path).unwrap();
    let text = chars.to_char_def();
    // Category lines: NAME INVOKE GROUP LENGTH, as char.bin records them.
    let expected = [
        ("DEFAULT", "0 1 0"),
        ("SPACE", "0 1 0"),
        ("HANJA", "0 0 1"),
        ("SYMBOL", "1 1 0"),
        ("NUMERIC", "1 1 0"),
        ("ALPHA", "1 1 0"),
        ("HANGUL", "0 1 2"),
    ];
    for (name, params) in expected {
        assert!(
            text.contains(&format!("\n{name} {params}\n")),
            "{name} {params} in:\n{text}"
        );
        let c = chars.categories.iter().find(|c| c.name == name).unwrap();
        assert!(c.parameters_known);
    }
    assert!(text.contains("\n0xAC00..0xD7A3 HANGUL\n"));
    assert!(text.contains("\n0x0020 SPACE\n"));
    assert!(text.contains("\n0x0041..0x005A ALPHA\n"));
    assert!(text.contains("\n0x4E00 HANJANUMERIC HANJA\n"));
    // Every code point's categories survive the text form.
    for cp in [0x20usize, 0x41, 0x4E00, 0x3007, 0xAC00, 0xD7A3, 0xFF10] {
        let hex = format!("0x{cp:04X}");
        let line = text
            .lines()
            .filter(|l| l.starts_with("0x"))
            .find(|l| {
                let range = l.split(' ').next().unwrap();
                let mut bounds = range
                    .split("..")
                    .map(|h| usize::from_str_radix(&h[2..], 16).ok());
                match (bounds.next().flatten(), bounds.next().flatten()) {
                    (Some(lo), Some(hi)) => (lo..=hi).contains(&cp),
                    (Some(lo), None) => lo == cp,
                    _ => false,
                }
            })
            .unwrap_or_else(|| panic!("{hex} has a line"));
        let cats: Vec<&str> = line.split(' ').skip(1).collect();
        assert_eq!(cats, chars.categories_of(cp), "{hex}");
    }

    let unk_path = dir.join("unk.dic");
    let unk_bytes = std::fs::read(&unk_path).unwrap();
    let unk = parse_dic(&unk_bytes, &unk_path).unwrap();
    let unk_def = kosum_kodic::decompile::unk_def(&unk, &chars, &unk_path).unwrap();
    assert_eq!(unk_def.lines().count(), unk.entries.len());
    for e in &unk.entries {
        let line = format!(
            "{},{},{},{},{}",
            e.surface, e.left_id, e.right_id, e.cost, e.feature
        );
        assert!(unk_def.lines().any(|l| l == line), "{line}");
    }
    for name in ["HANGUL", "SPACE", "ALPHA", "NUMERIC", "DEFAULT"] {
        assert!(
            unk_def.lines().any(|l| l.starts_with(&format!("{name},"))),
            "{name}"
        );
    }
}

fn tokens(segmenter: &Segmenter, text: &str) -> Vec<(String, String)> {
    segmenter
        .segment(Cow::Borrowed(text))
        .unwrap()
        .into_iter()
        .map(|mut t| {
            let pos = t
                .details()
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            (t.surface.to_string(), pos)
        })
        .collect()
}

#[test]
fn built_dictionary_tokenizes_korean() {
    let Some(dir) = built() else { return };
    let dictionary = load_fs_dictionary(dir).unwrap();
    let segmenter = Segmenter::new(Mode::Normal, dictionary, None);
    let got = tokens(&segmenter, "마이크로소프트가 1억 달러를 투자했다.");
    eprintln!("{got:?}");
    let has = |surface: &str, pos: &str| got.iter().any(|(s, p)| s == surface && p == pos);
    // 마이크로소프트 is not in mecab-ko-dic (kosum adds it through its user
    // dictionary), so only the particle after it is checked.
    assert!(has("가", "JKS"), "{got:?}");
    assert!(has("1", "SN"), "{got:?}");
    assert!(has("억", "NR"), "{got:?}");
    assert!(has("달러", "NNG") || has("달러", "NNBC"), "{got:?}");
    assert!(has("를", "JKO"), "{got:?}");
    assert!(has("투자", "NNG"), "{got:?}");
    assert!(has(".", "SF"), "{got:?}");
    let surfaces: String = got.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(surfaces, "마이크로소프트가1억달러를투자했다.");
}

#[test]
fn context_id_table_covers_proper_nouns() {
    let Some(dir) = built() else { return };
    let path = dir.join(kosum_kodic::context_ids::CONTEXT_IDS_FILE);
    let text = std::fs::read_to_string(&path).unwrap();
    let rows = kosum_kodic::context_ids::parse_tsv(&text, &path).unwrap();
    let nnp_f = rows
        .iter()
        .find(|r| r.pos == "NNP" && r.semantic == "*" && r.jongseong == "F")
        .expect("an NNP/*/F row");
    assert!(nnp_f.entries > 1000, "{nnp_f:?}");
    let nng_t = rows
        .iter()
        .find(|r| r.pos == "NNG" && r.semantic == "*" && r.jongseong == "T")
        .expect("an NNG/*/T row");
    assert!(nng_t.entries > 10_000, "{nng_t:?}");
    // No inflected or compound tags among the plain entries' POS.
    assert!(rows.iter().all(|r| !r.pos.is_empty()));
}
