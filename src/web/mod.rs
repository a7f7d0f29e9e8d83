//! The web layer (wasm32 only): Yew components and the worker; it only translates.

mod app;
mod bridge;
mod charts;
mod editor;
mod export;
mod form;
mod format;
mod legend;
pub mod protocol;
mod view;
mod worker;

pub use worker::run_worker;

/// Entry point of the `app` binary: mounts the page on <body>.
pub fn run_app() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("ualign app: {info}").into());
    }));
    yew::Renderer::<app::App>::new().render();
}
