//! Golden tests for the sentence splitter: small Korean inputs with the
//! splits a reader expects, the no-lost-character invariant over these and
//! over every corpus paragraph, and the corpus figures the splitter must keep.

use std::path::PathBuf;
use std::sync::OnceLock;

use kosum::analysis::{Analyzer, AnalyzerConfig, SentenceMode};
use kosum::eval::split::{evaluate_dir, parse_gold};
use kosum::normalize::analysis_view;
use kosum::sentences::Sentence;

fn analyzer() -> &'static Analyzer {
    static ANALYZER: OnceLock<Analyzer> = OnceLock::new();
    ANALYZER.get_or_init(|| Analyzer::new(&AnalyzerConfig::default()).expect("analyzer loads"))
}

fn split(text: &str) -> Vec<String> {
    let document = analyzer()
        .document(text, SentenceMode::Split)
        .expect("analysis succeeds");
    assert_spans_cover(text, &document.sentences);
    document
        .sentences
        .iter()
        .map(|sentence| sentence.text(text).to_string())
        .collect()
}

/// Sentences are in order, do not overlap, start and end on char
/// boundaries, carry matching char offsets, and together with the
/// whitespace between them make up the whole input. (Invisible chars such as
/// zero-width spaces count as whitespace, as in the analysis view.)
fn assert_spans_cover(text: &str, sentences: &[Sentence]) {
    let view = analysis_view(text);
    let mut previous_end = 0;
    for (index, sentence) in sentences.iter().enumerate() {
        assert_eq!(sentence.index, index);
        assert!(sentence.byte_start >= previous_end, "overlap in {text:?}");
        assert!(
            sentence.byte_start < sentence.byte_end,
            "empty sentence in {text:?}"
        );
        assert!(text.is_char_boundary(sentence.byte_start));
        assert!(text.is_char_boundary(sentence.byte_end));
        let between = &view[previous_end..sentence.byte_start];
        assert!(
            between.chars().all(char::is_whitespace),
            "lost {between:?} in {text:?}"
        );
        assert_eq!(sentence.start, text[..sentence.byte_start].chars().count());
        assert_eq!(sentence.end, text[..sentence.byte_end].chars().count());
        let body = &view[sentence.byte_start..sentence.byte_end];
        assert_eq!(body.trim(), body, "sentence {body:?} has outer whitespace");
        previous_end = sentence.byte_end;
    }
    assert!(view[previous_end..].chars().all(char::is_whitespace));
}

fn check(text: &str, expected: &[&str]) {
    assert_eq!(split(text), expected, "input: {text}");
}

#[test]
fn full_stops_and_final_endings() {
    check(
        "오늘은 날씨가 좋다. 내일은 비가 온대요! 정말요?",
        &["오늘은 날씨가 좋다.", "내일은 비가 온대요!", "정말요?"],
    );
    // No punctuation: the final ending alone ends the sentence.
    check(
        "회사 동료들과 다녀왔는데 음식이 맛있었어요 다만 자리가 좁았습니다",
        &[
            "회사 동료들과 다녀왔는데 음식이 맛있었어요",
            "다만 자리가 좁았습니다",
        ],
    );
    // A full stop directly followed by the next sentence.
    check(
        "게임의 줄거리다.극악의 난이도였다.",
        &["게임의 줄거리다.", "극악의 난이도였다."],
    );
    // ... also when that sentence opens with a bracketed heading, a title in
    // angle brackets, a quotation or a bullet.
    check(
        "회의가 끝났다.[알림] 내일은 쉽니다.",
        &["회의가 끝났다.", "[알림] 내일은 쉽니다."],
    );
    // A heading in square brackets opens its sentence, whatever it says.
    check(
        "[알림] 내일은 쉽니다. [사진 설명] 공원 입구의 모습",
        &["[알림] 내일은 쉽니다.", "[사진 설명] 공원 입구의 모습"],
    );
    check(
        "책을 다 읽었다.<어린 왕자>는 짧은 소설이다.",
        &["책을 다 읽었다.", "<어린 왕자>는 짧은 소설이다."],
    );
    check(
        "그가 웃었다.\"정말 괜찮아?\" 내가 물었다.",
        &["그가 웃었다.", "\"정말 괜찮아?\"", "내가 물었다."],
    );
    check(
        "예문을 보겠습니다.*It rains a lot here. 여기는 비가 많이 온다.",
        &[
            "예문을 보겠습니다.",
            "*It rains a lot here.",
            "여기는 비가 많이 온다.",
        ],
    );
}

#[test]
fn nominalized_endings_end_sentences() {
    check(
        "어제 회의는 취소됨. 다음 주로 연기함 자세한 일정은 추후 공지 예정임",
        &[
            "어제 회의는 취소됨.",
            "다음 주로 연기함",
            "자세한 일정은 추후 공지 예정임",
        ],
    );
    // Nouns made with -ㅁ inside a sentence do not.
    check(
        "번들거림 없이 촉촉함을 유지해요.",
        &["번들거림 없이 촉촉함을 유지해요."],
    );
}

#[test]
fn quotations_stay_inside_their_sentence() {
    check(
        "그는 \"정말 고맙다. 꼭 다시 오겠다\"고 말했다. 모두 웃었다.",
        &[
            "그는 \"정말 고맙다. 꼭 다시 오겠다\"고 말했다.",
            "모두 웃었다.",
        ],
    );
    check(
        "호야는 \"문제없어. 할 수 있어!\" 하며 웃었다.",
        &["호야는 \"문제없어. 할 수 있어!\" 하며 웃었다."],
    );
    check(
        "'내가 과연 그런 선수인가.' 동시에 오기도 생겼다.",
        &["'내가 과연 그런 선수인가.'", "동시에 오기도 생겼다."],
    );
    check(
        "<죽자. 그냥 지금 죽자.> 그의 손이 떨렸다.",
        &["<죽자. 그냥 지금 죽자.>", "그의 손이 떨렸다."],
    );
}

#[test]
fn brackets_asides_and_citations() {
    check(
        "할머니가 숟가락을 다 핥기를(할머니가 말했다. 흔한 일이다) 기다렸다. 그리고 먹었다.",
        &[
            "할머니가 숟가락을 다 핥기를(할머니가 말했다. 흔한 일이다) 기다렸다.",
            "그리고 먹었다.",
        ],
    );
    check(
        "로마의 황제였다.[2] 그는 개혁을 했다.",
        &["로마의 황제였다.[2]", "그는 개혁을 했다."],
    );
    // Footnote marks glued to the full stop stay with their sentence.
    check(
        "처음 발견되었다.[1][3] 이후 널리 퍼졌다.[*]",
        &["처음 발견되었다.[1][3]", "이후 널리 퍼졌다.[*]"],
    );
    check(
        "도시를 세웠다.[12] 그 뒤 떠났다.(기록 미상)",
        &["도시를 세웠다.[12]", "그 뒤 떠났다.(기록 미상)"],
    );
    check(
        "여섯 번 우승한 선수이기도 하다. (6회 우승) 또한 기록을 세웠다.",
        &[
            "여섯 번 우승한 선수이기도 하다. (6회 우승)",
            "또한 기록을 세웠다.",
        ],
    );
}

#[test]
fn numbers_dates_links_and_abbreviations_do_not_end_sentences() {
    check(
        "버전 3.14는 2023.01.05에 나왔다. 발표일은 2023. 1. 5. 오후였다.",
        &[
            "버전 3.14는 2023.01.05에 나왔다.",
            "발표일은 2023. 1. 5. 오후였다.",
        ],
    );
    check(
        "자세한 내용은 https://example.com/a.html 참고. 문의는 help@example.co.kr 로 주세요.",
        &[
            "자세한 내용은 https://example.com/a.html 참고.",
            "문의는 help@example.co.kr 로 주세요.",
        ],
    );
    check(
        "Dr. Kim은 U.S. 정부와 J. K. Rowling을 만났다. 다음 날 떠났다.",
        &[
            "Dr. Kim은 U.S. 정부와 J. K. Rowling을 만났다.",
            "다음 날 떠났다.",
        ],
    );
}

#[test]
fn numbered_items_start_sentences() {
    check(
        "1. 파일이 없어졌어요 2. 다시 받았어요",
        &["1. 파일이 없어졌어요", "2. 다시 받았어요"],
    );
}

#[test]
fn decoration_stays_with_its_sentence() {
    check(
        "사진 찍고 들어갔습니다 ㅎㅎ 호텔 앞 포토존 !! 너무 좋았어요~^^ 또 갈래요ㅋㅋ",
        &[
            "사진 찍고 들어갔습니다 ㅎㅎ",
            "호텔 앞 포토존 !!",
            "너무 좋았어요~^^",
            "또 갈래요ㅋㅋ",
        ],
    );
    // A tilde between numbers is a range.
    check(
        "수명은 1000 ∼ 1200시간이다.",
        &["수명은 1000 ∼ 1200시간이다."],
    );
    // Ellipses after particles or adverbs trail off inside the sentence.
    check(
        "물론... 영화만 보면 그렇지. 해가… 나야 하는데.",
        &["물론... 영화만 보면 그렇지.", "해가… 나야 하는데."],
    );
}

#[test]
fn unpunctuated_final_forms_end_sentences() {
    check(
        "베이징의 여름 밤은 뜨겁다 사람들이 밖으로 나온다 다들 지쳤다 정말 덥네요",
        &[
            "베이징의 여름 밤은 뜨겁다",
            "사람들이 밖으로 나온다",
            "다들 지쳤다",
            "정말 덥네요",
        ],
    );
    // Spoken endings, but not the embedded question -ㄴ지 or -지 before 않다.
    check(
        "손님이 있었긋나 첫날은 누워서 잤지 왜 그런지 모르겠다 먹지 않았다",
        &[
            "손님이 있었긋나",
            "첫날은 누워서 잤지",
            "왜 그런지 모르겠다",
            "먹지 않았다",
        ],
    );
    check(
        "밥을 먹었걸랑 근데 그게 잘 안되는구먼",
        &["밥을 먹었걸랑", "근데 그게 잘 안되는구먼"],
    );
    check(
        "어느 지역에 가나 맛있더라고요! 그래서 또 갔다",
        &["어느 지역에 가나 맛있더라고요!", "그래서 또 갔다"],
    );
    check(
        "첫 코너는 당연히 '술도녀' 아, 근데 그게 아니었다",
        &["첫 코너는 당연히 '술도녀'", "아, 근데 그게 아니었다"],
    );
    // A note that ends in a bare noun, then a conjunction that links
    // clauses; 그리고 between nouns joins them.
    check(
        "오늘 저녁은 삼겹살 파티 근데 비가 온다 그래도 즐거운 하루 그래서 일찍 잘 예정",
        &[
            "오늘 저녁은 삼겹살 파티",
            "근데 비가 온다",
            "그래도 즐거운 하루",
            "그래서 일찍 잘 예정",
        ],
    );
    check(
        "그건 큰 실수 그러면 다들 실망한다",
        &["그건 큰 실수", "그러면 다들 실망한다"],
    );
    check(
        "장바구니에 사과 그리고 배를 담았다",
        &["장바구니에 사과 그리고 배를 담았다"],
    );
}

#[test]
fn dialogue_turns() {
    check(
        "원빈:\"너 지금...\" 동원:\"잠깐만 기다려.\"",
        &["원빈:\"너 지금...\"", "동원:\"잠깐만 기다려.\""],
    );
    // A turn ends with its closing quotation mark even without punctuation
    // or a recognised ending inside.
    check(
        "엄마:\"밥 먹을래\" 아들:\"나중에 먹을께\" 엄마:\"알았어\"",
        &[
            "엄마:\"밥 먹을래\"",
            "아들:\"나중에 먹을께\"",
            "엄마:\"알았어\"",
        ],
    );
    // So does a sentence quoted whole that ends in a predicate, but not a
    // quoted title, nor a quotation reported by a particle or by 하다.
    check(
        "\"조금만 기다려 줘\" -비 오는 날의 일기",
        &["\"조금만 기다려 줘\"", "-비 오는 날의 일기"],
    );
    check(
        "\"기생충\" 감독은 봉준호다.",
        &["\"기생충\" 감독은 봉준호다."],
    );
    check(
        "\"금방 갈게\" 하고 나갔다. \"다 됐어\"라고 말했다.",
        &["\"금방 갈게\" 하고 나갔다.", "\"다 됐어\"라고 말했다."],
    );
}

#[test]
fn connective_da_and_auxiliaries_continue_the_sentence() {
    check(
        "스크롤을 내리다 보면 메뉴가 나옵니다. 일 다 했다 싶으면 잔다.",
        &[
            "스크롤을 내리다 보면 메뉴가 나옵니다.",
            "일 다 했다 싶으면 잔다.",
        ],
    );
}

#[test]
fn line_structure() {
    check(
        "넷플릭스 3년 5개월\n\n요금이 올랐다\n그래서 해지했다\n홍길동 기자 hong@example.com",
        &[
            "넷플릭스 3년 5개월",
            "요금이 올랐다",
            "그래서 해지했다",
            "홍길동 기자 hong@example.com",
        ],
    );
    // A line broken after a particle continues on the next line.
    check(
        "회사가 새로운\n서비스를 발표했다.",
        &["회사가 새로운\n서비스를 발표했다."],
    );
}

#[test]
fn spoken_endings_the_dictionary_misreads() {
    // Exclamative -구먼, cute polite -용 and dialect -제/-재 end sentences
    // even when the analyser reads them as other word classes.
    check(
        "일이 잘 안되는구먼 내일 다시 해야지 정말 잘됐네용 다들 고마워요",
        &[
            "일이 잘 안되는구먼",
            "내일 다시 해야지",
            "정말 잘됐네용",
            "다들 고마워요",
        ],
    );
    check(
        "그땐 참 외로웠제 이야기할 사람도 없재 다들 바빴다",
        &["그땐 참 외로웠제", "이야기할 사람도 없재", "다들 바빴다"],
    );
}

#[test]
fn drawn_out_connectives_lead_on() {
    // A tilde after -고 and an ellipsis after -는데 keep the clause going;
    // a tilde after a final ending closes it.
    check(
        "소리 한번 지르고~ 뒤돌아서면 후회해요~ 커피가 마시고 싶은데... 딱히 떠오르는 게 없다.",
        &[
            "소리 한번 지르고~ 뒤돌아서면 후회해요~",
            "커피가 마시고 싶은데... 딱히 떠오르는 게 없다.",
        ],
    );
    check(
        "두 사람은 급속도로 친해지지만… 그녀는 구울!",
        &["두 사람은 급속도로 친해지지만… 그녀는 구울!"],
    );
    // A tilde set apart by spaces joins a range.
    check(
        "동문로터리 ~ 만세동산 코스예요!",
        &["동문로터리 ~ 만세동산 코스예요!"],
    );
}

#[test]
fn never_panics_or_loses_text_on_odd_input() {
    for text in [
        "",
        "   \n\n ",
        ")))(((\"\"''",
        "다. . . ! ? …",
        "ㅋㅋㅋㅋ",
        "\u{200B}가\u{00A0}나.\r\n다!",
        "a.b.c. d e.",
        "(닫히지 않은 괄호. 그리고 문장이다. 또 문장이다.",
    ] {
        split(text);
    }
}

fn corpus_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/sentence-split");
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: {} is absent", dir.display());
        None
    }
}

#[test]
fn corpus_paragraphs_keep_every_character() {
    let Some(dir) = corpus_dir() else { return };
    let mut paragraphs = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus folder is readable") {
        let path = entry.expect("corpus entry").path();
        if path.extension().is_none_or(|ext| ext != "txt") {
            continue;
        }
        let content = std::fs::read_to_string(&path).expect("corpus file is UTF-8");
        for paragraph in parse_gold(&content) {
            split(&paragraph.text);
            paragraphs += 1;
        }
        // The whole file as one document, with its line structure.
        split(&content);
    }
    assert!(paragraphs > 0);
}

#[test]
fn corpus_figures_hold() {
    let Some(dir) = corpus_dir() else { return };
    let report = evaluate_dir(&dir, analyzer()).expect("evaluation runs");
    println!("{report}");
    // Floors at the figures reached so far (issue 3 aims at EM 0.90 and
    // F1 0.95), so that any regression fails.
    assert!(report.overall.em >= 0.925, "EM {:.3}", report.overall.em);
    assert!(report.overall.f1 >= 0.955, "F1 {:.3}", report.overall.f1);
}
