//! The embed API (docs/architecture.md#the-embed-api): a host page's requests to an embedded app over
//! postMessage, read strictly before anything acts on them, and the app's events back.
//!
//! Host to app: `{"ualign": 1, "method": M, "args": {...}}`, M one of `play`, `pause`,
//! `step`, `restart`, `load` (args: `fragment`, a share-link fragment), `goto` (args: `step`,
//! a step number from 1), `next`, `prev`, `get`. `args` may be left out where a method takes
//! none; an unknown field, method or version is an error.
//!
//! App to host: `{"ualign": 1, "event": E, "state": {...}}`, E one of `ready`, `state` (after
//! a change, at most four times a second), `converged` (both runs' current iterates within
//! exploitability 1e-4), and `get` (the reply to `get`). See [`EmbedState`] for the state.

use crate::links::url;
use serde::{Deserialize, Serialize, Serializer};

/// The protocol version this tool speaks.
pub const EMBED_VERSION: u32 = 1;
/// The BroadcastChannel the presenter window (static/presenter.js) hears deck documents on:
/// the worker posts each deck it reads there.
pub const PRESENTER_CHANNEL: &str = "ualign-presenter";
/// Longest request read (as JSON text): a share link's limit and room for the rest.
pub const MAX_MESSAGE_BYTES: usize = url::MAX_FRAGMENT_BYTES + 1024;

/// A request as it arrives (serde's reader), before [`HostMessage::command`] checks it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostMessage {
    pub ualign: u32,
    pub method: String,
    #[serde(default)]
    pub args: Option<Args>,
}

/// The arguments any method may take.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Args {
    #[serde(default)]
    pub fragment: Option<String>,
    #[serde(default)]
    pub step: Option<u32>,
}

/// A checked request: only these reach the page's state (and through it the solver).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostCommand {
    Play,
    Pause,
    Step,
    Restart,
    /// Open this share-link fragment (its settings already checked by the link decoder; any
    /// packed preferences are unpacked and checked as a link's are).
    Load(String),
    /// A deck's step, from 1.
    Goto(usize),
    Next,
    Prev,
    Get,
}

/// Reads a request from its JSON text: the size, the JSON, then [`HostMessage::command`].
/// Never panics. (The page reads the message object with serde's derived reader from the
/// structured clone instead of text, after checking the size of its JSON, then calls
/// `command` too.)
pub fn read_host_message(text: &str) -> Result<HostCommand, String> {
    check_size(text.len())?;
    let mut d = serde_json::Deserializer::from_str(text);
    let command = read_host_message_from(&mut d)?;
    d.end().map_err(|e| not_a_message(&e))?;
    Ok(command)
}

/// The one reader of host messages, whatever parsed them: the derived `Deserialize` (unknown
/// fields are errors), then [`HostMessage::command`]. Natively and in the fuzzers the parser is
/// serde_json; the page hands it the posted value through serde_wasm_bindgen, after refusing
/// the unknown fields that deserializer does not show to `Deserialize` (`MESSAGE_FIELDS`,
/// `ARGS_FIELDS`).
pub fn read_host_message_from<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<HostCommand, String> {
    HostMessage::deserialize(d)
        .map_err(|e| not_a_message(&e))?
        .command()
}

/// The fields of a message and of its `args`.
pub const MESSAGE_FIELDS: [&str; 3] = ["ualign", "method", "args"];
pub const ARGS_FIELDS: [&str; 2] = ["fragment", "step"];

fn not_a_message(e: &dyn std::fmt::Display) -> String {
    format!(
        "not an embed API message: {}",
        url::clip_to(&e.to_string(), crate::deck::MESSAGE_CHARS)
    )
}

/// The size limit, checked first.
pub fn check_size(bytes: usize) -> Result<(), String> {
    if bytes > MAX_MESSAGE_BYTES {
        return Err(format!(
            "the message is {bytes} bytes; at most {MAX_MESSAGE_BYTES} are read"
        ));
    }
    Ok(())
}

impl HostMessage {
    /// The version, the method, and exactly the arguments the method takes.
    pub fn command(self) -> Result<HostCommand, String> {
        if self.ualign != EMBED_VERSION {
            return Err(format!(
                "embed API version {} (this app speaks {EMBED_VERSION})",
                self.ualign
            ));
        }
        let Args { fragment, step } = self.args.unwrap_or_default();
        let takes = |f: bool, s: bool| -> Result<(), String> {
            if fragment.is_some() != f || step.is_some() != s {
                return Err(format!(
                    "{} takes {}",
                    self.method,
                    match (f, s) {
                        (true, _) => "args.fragment",
                        (_, true) => "args.step",
                        _ => "no args",
                    }
                ));
            }
            Ok(())
        };
        let command = match self.method.as_str() {
            "play" => HostCommand::Play,
            "pause" => HostCommand::Pause,
            "step" => HostCommand::Step,
            "restart" => HostCommand::Restart,
            "next" => HostCommand::Next,
            "prev" => HostCommand::Prev,
            "get" => HostCommand::Get,
            "load" => {
                takes(true, false)?;
                let fragment = fragment.unwrap_or_default();
                url::decode_settings(&fragment).map_err(|e| format!("load: {e}"))?;
                return Ok(HostCommand::Load(fragment));
            }
            "goto" => {
                takes(false, true)?;
                let step = step.unwrap_or_default() as usize;
                if !(1..=crate::deck::MAX_STEPS).contains(&step) {
                    return Err(format!(
                        "goto's step is from 1 to {}, not {step}",
                        crate::deck::MAX_STEPS
                    ));
                }
                return Ok(HostCommand::Goto(step));
            }
            other => {
                return Err(format!(
                    "unknown method {:?}",
                    url::clip_to(other, crate::deck::MESSAGE_CHARS)
                ))
            }
        };
        takes(false, false)?;
        Ok(command)
    }
}

/// What the app tells its host about itself.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct EmbedState {
    pub preset: String,
    pub k: usize,
    pub players: usize,
    pub iteration: usize,
    /// `idle`, `running`, `done` or `error` (as the page's status).
    pub status: &'static str,
    /// The deck's step, from 1, and its number of steps (None outside a deck).
    pub step: Option<usize>,
    pub steps: Option<usize>,
    /// W_k of the runs' current iterates, as the readouts show them.
    #[serde(serialize_with = "finite_or_null")]
    pub nlhf_win_rate: Option<f64>,
    #[serde(serialize_with = "finite_or_null")]
    pub game_win_rate: Option<f64>,
    /// W_k of the exact solutions: NLHF's maximal lottery and the game's equilibrium.
    #[serde(serialize_with = "finite_or_null")]
    pub nlhf_win_rate_exact: Option<f64>,
    #[serde(serialize_with = "finite_or_null")]
    pub game_win_rate_exact: Option<f64>,
}

/// A number the host reads as JSON: NaN and infinities are not JSON, so they go as null.
fn finite_or_null<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    v.filter(|v| v.is_finite()).serialize(s)
}

/// An event to the host, as serde writes it (the page through serde_wasm_bindgen, with None
/// as null; natively as JSON text).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmbedEvent<'a> {
    pub ualign: u32,
    pub event: &'a str,
    pub state: &'a EmbedState,
}

impl<'a> EmbedEvent<'a> {
    pub fn new(event: &'a str, state: &'a EmbedState) -> Self {
        EmbedEvent {
            ualign: EMBED_VERSION,
            event,
            state,
        }
    }
}

/// An event as JSON text.
pub fn event_json(event: &str, s: &EmbedState) -> String {
    // Strings and numbers: serde_json cannot fail to write them.
    serde_json::to_string(&EmbedEvent::new(event, s)).unwrap_or_default()
}
