//! Golden tests of the entity stage: small Korean texts written for these
//! tests, the seed tech article, and the KLUE-NER target (the last two skip
//! with a message where `../shared` is absent).

use std::path::PathBuf;
use std::sync::OnceLock;

use kosum::analysis::{Analyzer, AnalyzerConfig, SentenceMode};
use kosum::entities::{Entity, EntityType, Gazetteer, extract};
use kosum::eval::ner::evaluate_file;
use kosum::resources::Terms;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).expect("analyzer"))
}

fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| Gazetteer::new(Terms::builtin()).expect("gazetteer"))
}

fn entities(text: &str) -> Vec<Entity> {
    let document = analyzer()
        .document(text, SentenceMode::Split)
        .expect("analysis");
    extract(&document, gazetteer())
}

fn shared(relative: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(relative);
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipping: {} is absent", path.display());
        None
    }
}

/// Every mention slices the text to exactly a form of the entity, and the
/// entity's text is its first mention.
fn assert_offsets_slice(text: &str, found: &[Entity]) {
    let chars: Vec<char> = text.chars().collect();
    for entity in found {
        let first: String = chars[entity.mentions[0].start..entity.mentions[0].end]
            .iter()
            .collect();
        assert_eq!(
            first.split_whitespace().collect::<Vec<_>>().join(" "),
            entity.text
        );
        for pair in entity.mentions.windows(2) {
            assert!(pair[0].start < pair[1].start, "mentions in text order");
        }
    }
    for pair in found.windows(2) {
        assert!(
            pair[0].mentions[0].start < pair[1].mentions[0].start,
            "entities in order of first mention"
        );
    }
}

#[test]
fn a_short_tech_news_item() {
    let text = "마이크로소프트(MS)는 2023년 1월 오픈AI에 100억 달러를 투자했다. \
                MS의 애저는 오후 3시부터 챗GPT를 서비스한다. 김민수 기자 minsu@example.co.kr";
    let found = entities(text);
    assert_offsets_slice(text, &found);
    let listed: Vec<(&str, &str, usize)> = found
        .iter()
        .map(|e| (e.canonical.as_str(), e.kind.as_str(), e.mentions.len()))
        .collect();
    assert_eq!(
        listed,
        [
            ("Microsoft", "ORG", 3),
            ("2023년 1월", "DATE", 1),
            ("OpenAI", "ORG", 1),
            ("100억 달러", "MONEY", 1),
            ("Azure", "PRODUCT", 1),
            ("오후 3시", "TIME", 1),
            ("ChatGPT", "PRODUCT", 1),
            ("김민수", "PERSON", 1),
            ("minsu@example.co.kr", "EMAIL", 1),
        ]
    );
}

#[test]
fn a_short_general_news_item() {
    let text = "서울중앙지검은 지난 5일 박모(45)씨를 구속했다고 밝혔다. \
                경찰에 따르면 박씨는 수원시에서 3년 5개월 동안 500만원을 받았다.";
    let found = entities(text);
    assert_offsets_slice(text, &found);
    let listed: Vec<(&str, &str)> = found
        .iter()
        .map(|e| (e.text.as_str(), e.kind.as_str()))
        .collect();
    for expected in [
        ("지난 5일", "DATE"),
        ("박", "PERSON"),
        ("경찰", "ORG"),
        ("수원시", "LOCATION"),
        ("3년 5개월", "QUANTITY"),
        ("500만원", "MONEY"),
    ] {
        assert!(listed.contains(&expected), "{expected:?} not in {listed:?}");
    }
    let park = found.iter().find(|e| e.text == "박").expect("박");
    assert_eq!(park.mentions.len(), 2);
}

#[test]
fn seed_article_entities() {
    let Some(path) = shared("corpus/seed/techsuda-microsoft-openai.txt") else {
        return;
    };
    let text = std::fs::read_to_string(&path).expect("seed article");
    let found = entities(&text);
    assert_offsets_slice(&text, &found);
    let has = |canonical: &str, kind: EntityType| {
        found
            .iter()
            .any(|e| e.kind == kind && e.canonical.contains(canonical))
    };
    for name in [
        "Microsoft",
        "OpenAI",
        "Google",
        "NVIDIA",
        "Mellanox",
        "DeepMind",
        "Intel",
        "Altera",
        "Oracle",
        "Salesforce",
        "Naver",
        "Kakao Entertainment",
    ] {
        assert!(has(name, EntityType::Org), "ORG {name} missing");
    }
    for name in [
        "ChatGPT",
        "GitHub Copilot",
        "HoloLens 2",
        "Teams",
        "Dynamics 365",
        "Azure",
    ] {
        assert!(has(name, EntityType::Product), "PRODUCT {name} missing");
    }
    let texts = |kind: EntityType| -> Vec<&str> {
        found
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.text.as_str())
            .collect()
    };
    let money = texts(EntityType::Money);
    for sum in ["1억 2000만 달러", "1200억원", "1조 1800억원", "500만원"] {
        assert!(money.contains(&sum), "MONEY {sum} not in {money:?}");
    }
    let dates = texts(EntityType::Date);
    for date in ["2019년", "2014년", "2015년"] {
        assert!(dates.contains(&date), "DATE {date} not in {dates:?}");
    }
    assert!(texts(EntityType::Person).contains(&"도안구"));
    assert_eq!(texts(EntityType::Email).len(), 1);
    // Microsoft is one entity across 마이크로소프트 / MS / Microsoft.
    let microsoft: Vec<&Entity> = found
        .iter()
        .filter(|e| e.canonical == "Microsoft")
        .collect();
    assert_eq!(microsoft.len(), 1);
    assert!(microsoft[0].mentions.len() > 5);
    // No particle inside an entity's text.
    for entity in &found {
        let last = entity.text.chars().last().unwrap_or(' ');
        if entity.kind == EntityType::Org || entity.kind == EntityType::Product {
            assert!(
                !matches!(
                    last,
                    '가' | '는' | '를' | '을' | '의' | '에' | '와' | '과' | '도'
                ),
                "{} looks like it carries a particle",
                entity.text
            );
        }
    }
}

#[test]
fn klue_ner_dev_core_f1_reaches_the_target() {
    let Some(path) = shared("corpus/ner/klue-ner-dev-even.tsv") else {
        return;
    };
    let report = evaluate_file(&path, analyzer(), gazetteer()).expect("evaluation");
    println!("{report}");
    assert_eq!(report.sentences, 2500);
    assert!(
        report.core.f1 >= 0.70,
        "core exact-span F1 {:.3} below 0.70",
        report.core.f1
    );
}
