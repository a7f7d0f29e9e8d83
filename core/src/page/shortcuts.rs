//! Keyboard shortcuts: which key, in which place, does what. The page passes each keydown in.

/// Where a key was pressed: keys that edit a form control stay with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyTarget {
    /// The page itself (or a chart, a figure, any element that takes no keys).
    Page,
    /// A control with its own keys: a select, a slider, a checkbox, a widget with a role.
    Control,
    /// A button: it takes space and Enter, not the clicker's PageUp and PageDown.
    Button,
    /// A place where text is typed (a text field or a text area), with its own undo.
    TextEntry,
}

impl KeyTarget {
    /// The target from the element's tag name (upper case, as the DOM gives it) and, for an
    /// `<input>`, its `type` attribute.
    pub fn from_element(tag: &str, input_type: Option<&str>) -> KeyTarget {
        match tag {
            "TEXTAREA" => KeyTarget::TextEntry,
            "INPUT" if input_type == Some("text") => KeyTarget::TextEntry,
            "BUTTON" => KeyTarget::Button,
            "INPUT" | "SELECT" => KeyTarget::Control,
            _ => KeyTarget::Page,
        }
    }
}

/// One keydown as the browser reports it (`KeyboardEvent.key` and the modifiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPress<'a> {
    pub key: &'a str,
    pub ctrl: bool,
    pub meta: bool,
    pub alt: bool,
    pub shift: bool,
    pub target: KeyTarget,
    /// A deck (the tour) is shown: the keys presentation clickers send move through it.
    pub touring: bool,
}

impl<'a> KeyPress<'a> {
    /// A key with no modifier, pressed on the page.
    pub fn plain(key: &'a str) -> Self {
        KeyPress {
            key,
            ctrl: false,
            meta: false,
            alt: false,
            shift: false,
            target: KeyTarget::Page,
            touring: false,
        }
    }
}

/// What a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    /// Space: play when stopped, pause when running.
    PlayPause,
    /// → : one iteration.
    Step,
    /// r: back to iteration 0.
    Restart,
    /// d: one round of the arena.
    ArenaRound,
    /// In a deck: PageDown or → (the clicker's forward), PageUp or ← (back), Escape (leave,
    /// keeping the configuration), a digit 1-9 (that step).
    Tour(crate::page::tour::TourMove),
    /// In a deck: b blanks the screen (and shows it again), f toggles full screen.
    Blank,
    FullScreen,
    /// Ctrl+Z (⌘Z).
    Undo,
    /// Ctrl+Shift+Z or Ctrl+Y.
    Redo,
}

/// The shortcut a key press asks for, if any. Ctrl+Z and Ctrl+Shift+Z / Ctrl+Y work anywhere
/// but where text is typed (which has its own undo); the other keys only on the page itself,
/// without modifiers, so they never steal a control's own keys (space on a button, arrows on
/// a slider).
pub fn shortcut(k: &KeyPress<'_>) -> Option<Shortcut> {
    let command = k.ctrl || k.meta;
    if command && !k.alt && k.target != KeyTarget::TextEntry {
        match k.key.to_ascii_lowercase().as_str() {
            "z" if k.shift => return Some(Shortcut::Redo),
            "z" => return Some(Shortcut::Undo),
            "y" => return Some(Shortcut::Redo),
            _ => {}
        }
    }
    if k.touring && !command && !k.alt && k.target != KeyTarget::TextEntry {
        use crate::page::tour::TourMove;
        // Clickers send PageDown and PageUp; a button keeps focus after a click, so those work
        // on buttons too, and Escape on any control (sliders keep their arrows and pages).
        let on_page = k.target == KeyTarget::Page;
        let clicker = on_page || k.target == KeyTarget::Button;
        let to = match k.key {
            "PageDown" if clicker => Some(TourMove::Next),
            "PageUp" if clicker => Some(TourMove::Prev),
            "Escape" => Some(TourMove::Leave),
            "ArrowRight" if on_page => Some(TourMove::Next),
            "ArrowLeft" if on_page => Some(TourMove::Prev),
            d if on_page && d.len() == 1 && matches!(d.as_bytes()[0], b'1'..=b'9') => {
                Some(TourMove::Goto(usize::from(d.as_bytes()[0] - b'0')))
            }
            "b" if on_page => return Some(Shortcut::Blank),
            "f" if on_page => return Some(Shortcut::FullScreen),
            _ => None,
        };
        if let Some(to) = to {
            return Some(Shortcut::Tour(to));
        }
    }
    if k.target != KeyTarget::Page || command || k.alt {
        return None;
    }
    match k.key {
        " " => Some(Shortcut::PlayPause),
        "ArrowRight" => Some(Shortcut::Step),
        "r" => Some(Shortcut::Restart),
        "d" => Some(Shortcut::ArenaRound),
        _ => None,
    }
}
