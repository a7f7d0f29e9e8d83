//! The web layer (wasm32 only): Yew components and the worker; it only translates.
