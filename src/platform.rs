//! What the page asks of the browser itself: its clock, the reader's motion preference, and
//! the browser tests' fault hook.

use wasm_bindgen::prelude::*;
use yew::prelude::{hook, use_mut_ref};
use yew::Callback;

/// Milliseconds since the page started (performance.now).
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// Whether the reader asked for less motion (prefers-reduced-motion).
pub fn reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| {
            w.match_media("(prefers-reduced-motion: reduce)")
                .ok()
                .flatten()
        })
        .is_some_and(|m| m.matches())
}

/// The browser tests' fault injection (`window.ualignTest("panic")`), only with `test` in
/// the page's query string. Harmless in production (docs/architecture.md#the-fault-hook): it
/// only makes this page's own worker fail as a real fault would (the page replaces it and
/// reloads the same configuration), and only script in this page can call it: the CSP runs
/// only the site's own scripts, none of which calls it; a link can at most define it (with
/// `?test`), never call it, and decks and host requests (fragments only) reach neither.
pub fn install_test_hook(inject: Callback<String>) {
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

/// The page is under test (`?test` in its address).
fn testing() -> bool {
    thread_local! {
        static TESTING: bool = web_sys::window()
            .is_some_and(|w| w.location().search().is_ok_and(|q| q.contains("test")));
    }
    TESTING.with(|t| *t)
}

/// How often the component calling it has rendered, for its `data-renders` attribute under
/// `?test` (None otherwise): the browser tests check that a component whose props did not
/// change is not drawn again.
#[hook]
pub fn use_render_count() -> Option<String> {
    let count = use_mut_ref(|| 0u32);
    *count.borrow_mut() += 1;
    let shown = *count.borrow();
    testing().then(|| shown.to_string())
}

/// Full screen on (the whole page) or off again (f, presenting a deck).
pub fn toggle_full_screen() {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if doc.fullscreen_element().is_some() {
        doc.exit_fullscreen();
    } else if let Some(root) = doc.document_element() {
        let _ = root.request_fullscreen();
    }
}
