//! Provisions the dictionary the way kosum's build script does and prints
//! what happened: `cargo run -p kosum-kodic --release --example provision`.

use std::time::Instant;

fn main() {
    let started = Instant::now();
    match kosum_kodic::ensure_dictionary(&kosum_kodic::Options::from_env()) {
        Ok(dict) => {
            for event in &dict.events {
                println!("{event}");
            }
            println!("workdir: {}", dict.workdir.display());
            println!("total: {:.1} s", started.elapsed().as_secs_f64());
        }
        Err(err) => {
            eprintln!("{err}");
            std::process::exit(1);
        }
    }
}
