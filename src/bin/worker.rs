//! The web app's Web Worker: runs the solver off the main thread (wasm32 only; empty elsewhere).

#[cfg(target_arch = "wasm32")]
fn main() {
    ualign_web::run_worker();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
