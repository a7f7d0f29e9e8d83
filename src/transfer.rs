//! Files in and out: reading an imported file, opening a saved configuration with the
//! browser's JSON.parse, and downloads (charts as PNG, text as CSV, JSON or SVG).

use serde::Serialize;
use ualign::config::Config;
use ualign::page::run_state::RunState;
use ualign::session::{OpponentRow, Snapshot, StepRecord, SweepRow};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlAnchorElement, HtmlCanvasElement};
use yew::Callback;

fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
}

/// Reads a chosen or dropped file as text, then calls `done` with its name and text (empty
/// when it could not be read). Err: the file is over the size limit (the notice says so).
pub fn read_file(file: web_sys::File, done: Callback<(String, String)>) -> Result<(), String> {
    let limit = ualign::readers::MAX_FILE_BYTES;
    if file.size() > limit as f64 {
        return Err(ualign::page::text::file_too_big(
            &file.name(),
            file.size(),
            limit,
        ));
    }
    yew::platform::spawn_local(async move {
        let name = file.name();
        let text = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        done.emit((name, text));
    });
    Ok(())
}

/// Pasted text under the name that tells the readers its format. Err: nothing was pasted.
pub fn pasted(text: String) -> Result<(String, String), String> {
    if text.trim().is_empty() {
        return Err(ualign::page::text::PASTE_FIRST.into());
    }
    Ok((ualign::page::paste::pasted_name(&text), text))
}

/// Clicks a temporary link, which downloads `href` as `name`.
fn download(href: &str, name: &str) -> Result<(), JsValue> {
    let doc = document()?;
    let a: HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
    a.set_href(href);
    a.set_download(name);
    a.style().set_property("display", "none")?;
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    Ok(())
}

/// The canvases stacked top to bottom on white, as one PNG.
pub fn png(canvases: &[HtmlCanvasElement], name: &str) -> Result<(), JsValue> {
    let width = canvases.iter().map(|c| c.width()).max().unwrap_or(0);
    let height: u32 = canvases.iter().map(|c| c.height()).sum();
    if width == 0 || height == 0 {
        return Err("nothing drawn yet".into());
    }
    let out: HtmlCanvasElement = document()?.create_element("canvas")?.dyn_into()?;
    out.set_width(width);
    out.set_height(height);
    let ctx: CanvasRenderingContext2d =
        out.get_context("2d")?.ok_or("no 2d context")?.dyn_into()?;
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, f64::from(width), f64::from(height));
    let mut y = 0.0;
    for c in canvases {
        ctx.draw_image_with_html_canvas_element(c, 0.0, y)?;
        y += f64::from(c.height());
    }
    download(&out.to_data_url_with_type("image/png")?, name)
}

/// Text content (CSV, JSON, SVG) as a file.
pub fn text(content: &str, mime: &str, name: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(content));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let result = download(&url, name);
    web_sys::Url::revoke_object_url(&url)?;
    result
}

/// Everything on screen, with the configuration that reproduces it.
#[derive(Serialize)]
struct Results<'a> {
    pub config: &'a Config,
    pub labels: &'a [String],
    pub snapshot: Option<&'a Snapshot>,
    pub history: &'a [StepRecord],
    pub sweep: &'a [SweepRow],
    pub opponents: &'a [OpponentRow],
}

/// Pretty JSON by the browser's JSON.stringify (exact shortest numbers, like serde_json, which
/// would add its serializer for every type here to the page's wasm).
fn results_json(results: &Results<'_>) -> String {
    let stringified = serde_wasm_bindgen::to_value(results)
        .map_err(|e| e.to_string())
        .and_then(|value| {
            js_sys::JSON::stringify_with_replacer_and_space(
                &value,
                &JsValue::NULL,
                &JsValue::from_f64(2.0),
            )
            .map_err(|e| format!("{e:?}"))
        });
    match stringified {
        Ok(text) => String::from(text),
        Err(e) => format!("{{\"error\": {:?}}}", e),
    }
}

/// What the page says about a download that failed (None when it went through).
pub fn failure(done: Result<(), JsValue>) -> Option<String> {
    let e = done.err()?;
    let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
    Some(ualign::page::text::download_failed(&why))
}

/// What to do with a file's (or pasted) text.
pub enum ImportStep {
    /// Nothing is imported; the notice says why.
    Refused(String),
    /// Preferences for the worker's readers (kept out of the page).
    Worker { name: String, text: String },
}

/// Decides what an imported text is: over the file size limit (pasted text is held to the
/// same limit as a file, before any parsing), a saved configuration (`.json`), or a file
/// for the readers.
pub fn import(name: String, text: String) -> ImportStep {
    let limit = ualign::readers::MAX_FILE_BYTES;
    if text.len() > limit {
        return ImportStep::Refused(ualign::page::text::pasted_too_big(&name, text.len(), limit));
    }
    ImportStep::Worker { name, text }
}

/// The data downloads.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DataExport {
    /// Every iteration's win rates and exploitabilities (CSV).
    HistoryCsv,
    /// The sweep over k (CSV).
    SweepCsv,
    /// Everything, with the configuration that reproduces it (JSON).
    Json,
}

/// Downloads the data on screen.
pub fn export_data(what: DataExport, config: &Config, run: &RunState) -> Result<(), JsValue> {
    use ualign::page::csv::{history_csv, sweep_csv};
    match what {
        DataExport::HistoryCsv => text(
            &history_csv(&run.history),
            "text/csv",
            "ualign-iterations.csv",
        ),
        DataExport::SweepCsv => text(
            &sweep_csv(&run.sweep),
            "text/csv",
            "ualign-win-rate-vs-k.csv",
        ),
        DataExport::Json => {
            let json = results_json(&Results {
                config,
                labels: &run.labels,
                snapshot: run.snapshot.as_ref(),
                history: &run.history,
                sweep: &run.sweep,
                opponents: &run.opponents,
            });
            text(&json, "application/json", "ualign-results.json")
        }
    }
}
