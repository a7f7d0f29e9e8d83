//! The `ualign` command line (see `ualign::cli`).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(ualign::cli::run(&args));
}
