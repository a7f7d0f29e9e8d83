//! The web app's main thread: mounts the Yew UI (wasm32 only; an empty program elsewhere).

#[cfg(target_arch = "wasm32")]
fn main() {
    ualign_web::run_app();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
