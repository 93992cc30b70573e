//! Tokenizes stdin lines with the provisioned dictionary, one line of
//! `surface/POS` tokens per input line:
//! `echo 아버지가방에들어가신다 | cargo run -p kosum-kodic --release --example tokenize`.

use std::borrow::Cow;
use std::io::BufRead;

use lindera::dictionary::load_fs_dictionary;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

fn main() {
    let dict = match kosum_kodic::ensure_dictionary(&kosum_kodic::Options::from_env()) {
        Ok(dict) => dict,
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    };
    let dictionary = load_fs_dictionary(&dict.dictionary_dir).expect("the built dictionary loads");
    let segmenter = Segmenter::new(Mode::Normal, dictionary, None);
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin is UTF-8 text");
        let tokens = segmenter
            .segment(Cow::Borrowed(&line))
            .expect("segmenting works");
        let shown: Vec<String> = tokens
            .into_iter()
            .map(|mut t| {
                let pos = t
                    .details()
                    .first()
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                format!("{}/{pos}", t.surface)
            })
            .collect();
        println!("{}", shown.join(" "));
    }
}
