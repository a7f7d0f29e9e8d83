//! Share links on the page: the readable settings by the core's codec (`ualign::url`), and the
//! custom preferences packed by the browser itself: its JSON and its raw deflate
//! (`CompressionStream("deflate-raw")`). The core's own JSON and deflate would cost the page
//! 40 KB of wasm (gzipped) for what the browser already does; the price is that packing and
//! unpacking are asynchronous, a few milliseconds.

use js_sys::{Array, Reflect, Uint8Array};
use ualign::config::{Config, CustomPreferences};
use ualign::url::{self, DataDamage, UrlError, MAX_INFLATED_BYTES};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair, WritableStream,
};

// The compression streams, bound here: web-sys has them only behind its unstable-API cfg flag,
// which would change how every crate of the build sees web-sys. Both are transform streams.
#[wasm_bindgen]
extern "C" {
    type TransformStream;
    #[wasm_bindgen(catch, constructor, js_class = "CompressionStream")]
    fn compression(format: &str) -> Result<TransformStream, JsValue>;
    #[wasm_bindgen(catch, constructor, js_class = "DecompressionStream")]
    fn decompression(format: &str) -> Result<TransformStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &TransformStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &TransformStream) -> WritableStream;
}

/// A link opened: at once when it packs no preferences, else after they are unpacked.
pub enum Opening {
    Now(Result<Config, UrlError>),
    /// The checked settings, and the `data` value still packed (see [`unpack`]).
    Later(Config, String),
}

/// Reads a fragment (with or without `#`).
pub fn open(fragment: &str) -> Opening {
    match url::decode_settings(fragment) {
        Ok((config, Some(data))) => Opening::Later(config, data),
        Ok((config, None)) => Opening::Now(Ok(config)),
        Err(e) => Opening::Now(Err(e)),
    }
}

/// Opens a link now, or once its preferences are unpacked; `done` hears the outcome.
pub fn open_then(opening: Opening, done: yew::Callback<Result<Config, UrlError>>) {
    match opening {
        Opening::Now(result) => done.emit(result),
        Opening::Later(config, data) => {
            yew::platform::spawn_local(async move { done.emit(unpack(config, data).await) });
        }
    }
}

/// The preferences packed in `data` join the settings `config`, checked as the core checks
/// them (inflated up to `MAX_INFLATED_BYTES`, then JSON, then built).
pub async fn unpack(config: Config, data: String) -> Result<Config, UrlError> {
    let text = inflate_text(&data, MAX_INFLATED_BYTES).await?;
    let value = js_sys::JSON::parse(&text).map_err(|e| DataDamage::NotPreferences(message(&e)))?;
    let custom: CustomPreferences = serde_wasm_bindgen::from_value(value)
        .map_err(|e| DataDamage::NotPreferences(e.to_string()))?;
    url::with_custom(config, custom)
}

/// The link at once, when the configuration has no custom preferences to pack.
pub fn pack_now(config: &Config) -> Option<Result<String, UrlError>> {
    config
        .custom
        .is_none()
        .then(|| url::encode_checked_with(config, None))
}

/// The link with the custom preferences packed (or why no link holds it: too big).
pub async fn pack(config: Config) -> Result<String, UrlError> {
    let Some(custom) = config.custom.as_deref() else {
        return url::encode_checked_with(&config, None);
    };
    let json = serde_wasm_bindgen::to_value(custom)
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .map(String::from)
        .unwrap_or_default();
    if json.len() > MAX_INFLATED_BYTES {
        // Refused by its size alone, before any compression.
        return url::encode_checked_with(&config, Some(("", json.len())));
    }
    let deflated = through_stream(json.as_bytes(), true, usize::MAX)
        .await
        .map_err(UrlError::from)?;
    url::encode_checked_with(&config, Some((&url::data_value(&deflated), json.len())))
}

/// The text packed in a link's `data` (base64url of raw deflate), up to `limit` bytes.
async fn inflate_text(data: &str, limit: usize) -> Result<String, DataDamage> {
    let packed = url::data_bytes(data)?;
    let bytes = through_stream(&packed, false, limit).await?;
    String::from_utf8(bytes).map_err(|_| DataDamage::NotText)
}

/// A deck document packed into a deck link's fragment (`#deck=`), or why no link holds it.
pub async fn pack_deck(json: String) -> Result<String, String> {
    let deflated = through_stream(json.as_bytes(), true, usize::MAX)
        .await
        .map_err(|e| UrlError::from(e).to_string())?;
    ualign::deck_draft::deck_link(&url::data_value(&deflated))
}

/// The deck document a deck link packs (inflated up to the size a deck may have).
pub async fn unpack_deck(data: String) -> Result<String, String> {
    inflate_text(&data, ualign::deck::MAX_DECK_BYTES)
        .await
        .map_err(|d| ualign::page::text::deck_failed(&UrlError::from(d).to_string()))
}

fn message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| format!("{e:?}"))
}

/// Raw deflate (`compress`) or inflate of `bytes` by the browser's streams, read chunk by
/// chunk and cut off past `limit` bytes, so a small link cannot inflate into gigabytes.
async fn through_stream(bytes: &[u8], compress: bool, limit: usize) -> Result<Vec<u8>, DataDamage> {
    let broken = |_| DataDamage::NotDeflate;
    let input =
        Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes))).map_err(broken)?;
    let stream = if compress {
        TransformStream::compression("deflate-raw")
    } else {
        TransformStream::decompression("deflate-raw")
    }
    .map_err(broken)?;
    let pair = ReadableWritablePair::new(&stream.readable(), &stream.writable());
    let output: ReadableStream = input.stream().pipe_through(&pair);
    let reader: ReadableStreamDefaultReader = output.get_reader().unchecked_into();
    let mut out = Vec::new();
    loop {
        let step = JsFuture::from(reader.read()).await.map_err(broken)?;
        if Reflect::get(&step, &"done".into())
            .ok()
            .and_then(|d| d.as_bool())
            != Some(false)
        {
            return Ok(out);
        }
        let chunk: Uint8Array = Reflect::get(&step, &"value".into())
            .map_err(broken)?
            .unchecked_into();
        if out.len() + chunk.length() as usize > limit {
            let _ = reader.cancel();
            return Err(DataDamage::TooBig);
        }
        out.extend(chunk.to_vec());
    }
}
