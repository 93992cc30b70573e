//! Golden tests of keyword extraction: small Korean texts written for these
//! tests, with the keywords a reader expects, and the seed article of the
//! shared evaluation corpus (skipped when ../shared is absent).

use std::sync::OnceLock;

use kosum::analysis::{Analyzer, AnalyzerConfig, SentenceMode};
use kosum::keywords::{Keyword, KeywordOptions, extract};
use kosum::scoring::{Idf, build_idf};

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).expect("analyzer loads"))
}

fn keywords(text: &str, top: usize) -> Vec<Keyword> {
    let document = analyzer()
        .document(text, SentenceMode::Split)
        .expect("tokenizes");
    let options = KeywordOptions {
        top,
        ..KeywordOptions::default()
    };
    extract(&document, &Idf::default(), &options)
}

fn texts(keywords: &[Keyword]) -> Vec<&str> {
    keywords.iter().map(|k| k.text.as_str()).collect()
}

/// Every keyword's offsets slice the text to a mention of it, its count is
/// positive, and scores never increase down the list.
fn assert_well_formed(text: &str, keywords: &[Keyword]) {
    let chars: Vec<char> = text.chars().collect();
    for keyword in keywords {
        assert!(keyword.count >= 1, "{keyword:?}");
        let mention: String = chars[keyword.start..keyword.end].iter().collect();
        assert_eq!(
            mention.to_lowercase().replace(' ', ""),
            keyword.text.to_lowercase().replace(' ', ""),
            "{keyword:?}"
        );
    }
    for pair in keywords.windows(2) {
        assert!(pair[0].score >= pair[1].score, "{pair:?}");
    }
}

const CLOUD_ARTICLE: &str = "\
네이버 클라우드, 초거대 AI 모델 공개

네이버 클라우드가 자체 개발한 초거대 AI 모델을 공개했다. 네이버 클라우드는 이 모델을 공공기관과 금융사에 제공할 계획이다.
초거대 AI 모델은 학습에 많은 GPU가 필요하다. 네이버 클라우드는 데이터센터에 GPU 서버를 늘리고 있다.
업계에서는 네이버 클라우드의 초거대 AI가 국내 시장에서 해외 서비스와 경쟁할 수 있을지 주목하고 있다.
문의는 press@example.com으로 하면 된다.
";

#[test]
fn cloud_article_keeps_names_and_phrases_whole() {
    let found = keywords(CLOUD_ARTICLE, 5);
    assert_well_formed(CLOUD_ARTICLE, &found);
    let top = texts(&found);
    // The two subjects of the title lead, whole.
    let mut lead = top[..2].to_vec();
    lead.sort();
    assert_eq!(lead, ["네이버 클라우드", "초거대 AI"], "{top:?}");
    assert!(top.contains(&"GPU"), "{top:?}");
    for word in [
        "클라우드",
        "네이버",
        "press",
        "example",
        "com",
        "있다",
        "계획",
    ] {
        assert!(!top.contains(&word), "{word} in {top:?}");
    }
    let cloud = found.iter().find(|k| k.text == "네이버 클라우드").unwrap();
    assert_eq!(cloud.count, 5);
    assert_eq!((cloud.start, cloud.end), (0, 8));
}

const CHIP_ARTICLE: &str = "\
반도체 업계가 고대역폭메모리 경쟁에 나섰다. SK하이닉스는 고대역폭메모리 양산을 시작했고, 삼성전자도 생산 라인을 늘렸다.
고대역폭메모리는 엔비디아의 AI 가속기에 들어간다. 엔비디아는 SK하이닉스와 삼성전자에서 메모리를 함께 사들인다.
증권가는 SK하이닉스의 실적이 크게 좋아질 것으로 본다. 삼성전자는 다음 세대 제품으로 추격한다.
";

#[test]
fn chip_article_ranks_the_companies_and_the_product() {
    let found = keywords(CHIP_ARTICLE, 6);
    assert_well_formed(CHIP_ARTICLE, &found);
    let top = texts(&found);
    for expected in ["SK하이닉스", "삼성전자", "고대역폭메모리", "엔비디아"] {
        assert!(top.contains(&expected), "{expected} not in {top:?}");
    }
    for generic in ["것", "다음", "세대", "업계"] {
        assert!(!top.contains(&generic), "{generic} in {top:?}");
    }
}

#[test]
fn particle_attached_mentions_are_counted_as_one_term() {
    let text =
        "깃허브 코파일럿이 나왔다. 깃허브 코파일럿을 써 봤다. 깃허브 코파일럿은 코드를 쓴다.";
    let found = keywords(text, 3);
    assert_well_formed(text, &found);
    assert_eq!(found[0].text, "깃허브 코파일럿");
    assert_eq!(found[0].count, 3);
    // Its words occur only inside the phrase, so neither is listed apart.
    let top = texts(&found);
    assert!(
        !top.contains(&"깃허브") && !top.contains(&"코파일럿"),
        "{top:?}"
    );
}

#[test]
fn empty_and_noun_free_texts_have_no_keywords() {
    assert!(keywords("", 10).is_empty());
    assert!(keywords("   \n\n ", 10).is_empty());
    assert!(keywords("그리고 또 했다. 정말 그랬다!", 10).is_empty());
    assert!(keywords("2019 100 3.5 ... !!!", 10).is_empty());
    assert!(keywords(CLOUD_ARTICLE, 0).is_empty());
}

#[test]
fn odd_inputs_give_well_formed_keywords() {
    for text in [
        "😀😀 ㅋㅋㅋ ＡＩ　클라우드\r\n\t@@@ http:// a@b .com 클라우드!!",
        "\u{feff}\u{200b}클라우드\u{00a0}인프라\r\n클라우드\u{2028}인프라",
        "https://example.com/a/b?c=d eyeball@techsuda.com www.naver.com",
        "가나다라마바사아자차카타파하가나다라마바사아자차카타파하 GPT4o GPT-4 A100 H100",
        "[ ] [] ( ) (기자) [단독] 기자 = \n\n\n 클라우드",
    ] {
        let found = keywords(text, 10);
        assert_well_formed(text, &found);
    }
}

#[test]
fn learned_idf_from_a_folder_down_weights_what_every_document_shares() {
    let texts = [
        "클라우드 시장에서 애저가 성장했다. 애저 매출이 늘었다.",
        "클라우드 시장에서 구글이 추격한다. 구글 매출도 늘었다.",
        "클라우드 시장의 보안 문제가 커졌다. 보안 투자가 늘었다.",
    ];
    let documents: Vec<_> = texts
        .iter()
        .map(|text| analyzer().document(text, SentenceMode::Split).unwrap())
        .collect();
    let idf = build_idf(&documents);
    assert!(idf.weight("클라우드") < idf.weight("애저"));
    let found = extract(&documents[0], &idf, &KeywordOptions::default());
    assert_eq!(found[0].text, "애저", "{found:?}");
    let reread = Idf::parse("round trip", &idf.to_tsv().unwrap()).unwrap();
    assert_eq!(reread.weight("애저"), idf.weight("애저"));
}

/// The seed article of the shared corpus: the top 10 must all be topics a
/// reader accepts.
#[test]
fn seed_article_top_ten_are_topics() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/seed/techsuda-microsoft-openai.txt"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        println!("skipped: {path} is absent");
        return;
    };
    let found = keywords(&text, 10);
    assert_well_formed(&text, &found);
    let top = texts(&found);
    println!("{top:?}");
    assert_eq!(top.len(), 10);
    for expected in ["마이크로소프트", "오픈AI", "클라우드", "구글"] {
        assert!(
            top.iter().any(|k| k.split(' ').any(|w| w == expected)),
            "{expected} not in {top:?}"
        );
    }
    assert!(
        top.iter()
            .any(|k| k.contains("애저") || k.contains("엔비디아")),
        "no 애저/엔비디아 in {top:?}"
    );
    let rejected = [
        "eyeball",
        "com",
        "techsuda",
        "도안구",
        "테크수다",
        "기자",
        "기업",
        "새로운",
        "있다",
        "마이크로",
        "소프트",
        "오픈",
        "이",
        "수",
        "것",
    ];
    for keyword in &top {
        for word in keyword.split(' ') {
            assert!(!rejected.contains(&word), "{word} in {top:?}");
        }
    }
}
