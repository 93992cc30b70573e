//! Decompiles MeCab binaries to MeCab source form, for inspection:
//! `cargo run -p kosum-kodic --release --example decompile -- BIN_DIR OUT_DIR`.
//! It writes the whole lexicon, dominated entries included.

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: decompile BIN_DIR OUT_DIR");
        std::process::exit(2);
    }
    match kosum_kodic::decompile::decompile_dir(args[1].as_ref(), args[2].as_ref(), None) {
        Ok(d) => println!(
            "{} entries, {} unknown-word entries, {} categories, matrix {:?}",
            d.entries,
            d.unknown_entries,
            d.categories.len(),
            d.matrix_size
        ),
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    }
}
