//! Provisions the Korean dictionary (mecab-ko-dic, decompiled and rebuilt for
//! lindera) once per machine through `kosum-kodic`, and points the embedding
//! macro in `src/tokenize.rs` at the built files via `LINDERA_WORKDIR`.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    for var in [
        "KOSUM_MECAB_KO_DIC",
        "KOSUM_CACHE_DIR",
        "XDG_CACHE_HOME",
        "HOME",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let options = kosum_kodic::Options::from_env();
    let provisioned = match kosum_kodic::ensure_dictionary(&options) {
        Ok(provisioned) => provisioned,
        Err(err) => {
            // One clear message; cargo shows build-script stderr on failure.
            eprintln!("\nkosum cannot be built without its Korean dictionary.\n{err}\n");
            std::process::exit(1);
        }
    };
    for event in &provisioned.events {
        println!("cargo:warning=ko-dic: {event}");
    }
    for path in &provisioned.rerun_if_changed {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    println!(
        "cargo:rustc-env=LINDERA_WORKDIR={}",
        provisioned.workdir.display()
    );
}
