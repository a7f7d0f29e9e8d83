//! Downloads: charts as PNG, trajectories and results as CSV and JSON.

use crate::config::Config;
use crate::session::{OpponentRow, Snapshot, StepRecord, SweepRow};
use serde::Serialize;
use std::fmt::Write;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlAnchorElement, HtmlCanvasElement};

fn document() -> Result<web_sys::Document, JsValue> {
    web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| JsValue::from_str("no document"))
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

/// Text content (CSV, JSON) as a file.
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

/// One row per iteration: both robust win rates and exploitabilities.
pub fn history_csv(history: &[StepRecord]) -> String {
    let mut out = String::from(
        "iteration,nlhf_win_rate,game_win_rate,nlhf_exploitability,game_exploitability\n",
    );
    for r in history {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            r.iteration,
            r.nlhf_win_rate,
            r.game_win_rate,
            r.nlhf_exploitability,
            r.game_exploitability
        );
    }
    out
}

/// One row per k of the sweep.
pub fn sweep_csv(rows: &[SweepRow]) -> String {
    let mut out = String::from("k,nlhf,game,rlhf,best_of_k_uniform,bound,game_exploitability\n");
    for r in rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{}",
            r.k, r.nlhf, r.game, r.rlhf, r.best_of_k, r.bound, r.game_exploitability
        );
    }
    out
}

/// Everything on screen, with the configuration that reproduces it.
#[derive(Serialize)]
pub struct Results<'a> {
    pub config: &'a Config,
    pub labels: &'a [String],
    pub snapshot: Option<&'a Snapshot>,
    pub history: &'a [StepRecord],
    pub sweep: &'a [SweepRow],
    pub opponents: &'a [OpponentRow],
}

/// Pretty JSON by the browser's JSON.stringify (exact shortest numbers, like serde_json, which
/// would add its serializer for every type here to the page's wasm).
pub fn results_json(results: &Results) -> String {
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
