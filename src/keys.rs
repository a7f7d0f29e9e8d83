//! The page's keyboard and window listeners: each keydown becomes a shortcut (decided in the
//! core, `ualign::page::shortcuts`), and a resize redraws the charts. Released on drop.

use gloo_events::{EventListener, EventListenerOptions};
use std::cell::Cell;
use std::rc::Rc;
use ualign::page::shortcuts::{shortcut, KeyPress, KeyTarget, Shortcut};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::Callback;

/// The shortcut a keydown asks for, if any; its default action is then prevented.
pub fn shortcut_of(e: &KeyboardEvent, touring: bool) -> Option<Shortcut> {
    let target = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
    // A key another handler took (a ranking chip's arrows) is not a shortcut too.
    if e.default_prevented() {
        return None;
    }
    let tag = target.as_ref().map(|el| el.tag_name()).unwrap_or_default();
    // Widgets made of other elements (a chip with role=button) keep their keys like controls.
    let widget = target
        .as_ref()
        .and_then(|el| el.get_attribute("role"))
        .is_some_and(|r| r == "button" || r == "slider");
    let input_type = target.and_then(|el| el.get_attribute("type"));
    let key = e.key();
    let found = shortcut(&KeyPress {
        key: &key,
        ctrl: e.ctrl_key(),
        meta: e.meta_key(),
        alt: e.alt_key(),
        shift: e.shift_key(),
        target: match KeyTarget::from_element(&tag, input_type.as_deref()) {
            KeyTarget::Page if widget => KeyTarget::Control,
            t => t,
        },
        touring,
    });
    if found.is_some() {
        e.prevent_default();
    }
    found
}

/// Keydown anywhere on the page, and window resizes. `touring` says whether a deck is shown
/// (its keys are the clicker's then).
pub fn listen(
    on_key: Callback<Shortcut>,
    on_resize: Callback<()>,
    touring: Rc<Cell<bool>>,
) -> Vec<EventListener> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    vec![
        // Not passive: a shortcut's key must not also scroll the page or press a button.
        EventListener::new_with_options(
            &window,
            "keydown",
            EventListenerOptions::enable_prevent_default(),
            move |e| {
                let key = e.dyn_ref::<KeyboardEvent>();
                if let Some(s) = key.and_then(|e| shortcut_of(e, touring.get())) {
                    on_key.emit(s);
                }
            },
        ),
        EventListener::new(&window, "resize", move |_| on_resize.emit(())),
    ]
}
