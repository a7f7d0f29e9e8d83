//! The web app (wasm32 only): Yew components on the page and the solver worker's glue. It only
//! translates between the browser and the core (`ualign`), where everything else lives.
#![cfg(target_arch = "wasm32")]

mod bridge;
mod editor;
mod figures;
mod format;
mod keys;
mod layout;
mod links;
mod location;
mod readouts;
mod run_panel;
mod settings;
mod shell;
mod text;
mod transfer;
mod worker;
mod worker_link;

pub use worker::run_worker;

/// Entry point of the `app` binary: mounts the page on <body>.
pub fn run_app() {
    std::panic::set_hook(Box::new(|info| {
        web_sys::console::error_1(&format!("ualign app: {info}").into());
    }));
    yew::Renderer::<shell::App>::new().render();
}

/// The browser tests' fault injection (`window.ualignTest("panic")`), only with `?test` in
/// the page's URL.
fn install_test_hook(inject: yew::Callback<String>) {
    use wasm_bindgen::prelude::*;
    let Some(window) = web_sys::window() else {
        return;
    };
    if !window.location().search().is_ok_and(|q| q.contains("test")) {
        return;
    }
    let hook = Closure::<dyn FnMut(String)>::new(move |text: String| inject.emit(text));
    let _ = js_sys::Reflect::set(&window, &"ualignTest".into(), hook.as_ref());
    // The hook lives as long as the page.
    hook.forget();
}
