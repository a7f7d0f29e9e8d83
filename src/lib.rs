//! The web app (wasm32 only): Yew components on the page and the solver worker's glue. It only
//! translates between the browser and the core (`ualign`), where everything else lives.
#![cfg(target_arch = "wasm32")]

mod arena;
mod bridge;
mod deck_panel;
mod editor;
mod embed;
mod figures;
mod format;
mod glossary;
mod keys;
mod layout;
mod links;
mod location;
mod platform;
mod readouts;
mod run_panel;
mod scene;
mod seats;
mod settings;
mod shell;

mod tour;
mod transfer;
mod worker;
mod worker_link;

pub use worker::run_worker;

/// Both binaries allocate with talc, which grows the wasm memory as std's dlmalloc does but
/// is a fraction of its code (the page and the worker are held to gzip budgets, BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Entry point of the `app` binary: mounts the page on <body>.
pub fn run_app() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("ualign app: {info}").into());
    }));
    yew::Renderer::<shell::App>::new().render();
}
