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
use serde::Deserialize;
use std::fmt::Write;

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
    let message: HostMessage = serde_json::from_str(text).map_err(|e| {
        format!(
            "not an embed API message: {}",
            url::clip_to(&e.to_string(), crate::deck::MESSAGE_CHARS)
        )
    })?;
    message.command()
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
#[derive(Debug, Clone, PartialEq, Default)]
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
    pub nlhf_win_rate: Option<f64>,
    pub game_win_rate: Option<f64>,
    /// W_k of the exact solutions: NLHF's maximal lottery and the game's equilibrium.
    pub nlhf_win_rate_exact: Option<f64>,
    pub game_win_rate_exact: Option<f64>,
}

/// An event as JSON text (written here: the page has no JSON writer of its own, and the
/// browser parses this into the object it posts).
pub fn event_json(event: &str, s: &EmbedState) -> String {
    let mut out = String::with_capacity(320);
    let _ = write!(out, "{{\"ualign\":{EMBED_VERSION},\"event\":");
    json_string(&mut out, event);
    out.push_str(",\"state\":{\"preset\":");
    json_string(&mut out, &s.preset);
    let _ = write!(
        out,
        ",\"k\":{},\"players\":{},\"iteration\":{},\"status\":\"{}\"",
        s.k, s.players, s.iteration, s.status
    );
    // Step numbers are whole, and f64 writes them without a point.
    let nums = [
        ("step", s.step.map(|n| n as f64)),
        ("steps", s.steps.map(|n| n as f64)),
        ("nlhf_win_rate", s.nlhf_win_rate),
        ("game_win_rate", s.game_win_rate),
        ("nlhf_win_rate_exact", s.nlhf_win_rate_exact),
        ("game_win_rate_exact", s.game_win_rate_exact),
    ];
    for (name, v) in nums {
        let _ = write!(out, ",\"{name}\":");
        match v.filter(|v| v.is_finite()) {
            Some(v) => {
                let _ = write!(out, "{v}");
            }
            None => out.push_str("null"),
        }
    }
    out.push_str("}}");
    out
}

pub(crate) fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
