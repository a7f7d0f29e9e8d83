//! The configuration form in the side bar: undo and redo, preset, import, k, players, the
//! figures shown, text size, self-play rule and the numeric settings.

use ualign::config::{Algorithm, Config, View};
use ualign::links::decimal::parse_f64;
use ualign::page::form::{FormTexts, NumField, K_SLIDER_MAX};
use ualign::page::settings::SettingEdit;
use ualign::page::text;
use ualign::presets::presets;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// What the form asks.
#[derive(Clone, Debug)]
pub enum Setting {
    /// A setting changed (`ualign::page::settings` applies it).
    Edit(SettingEdit),
    /// A slider was released: its edit becomes one undo step and one history entry.
    Commit,
    Undo,
    Redo,
    /// Back to the default configuration, forgetting the saved one.
    ResetAll,
    /// A file chosen or dropped for import.
    ImportFile(web_sys::File),
    /// The text pasted into the import box.
    ImportPasted(String),
}

fn edit(e: SettingEdit) -> Setting {
    Setting::Edit(e)
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The pasted-text box (its content is read when Load is pressed).
    pub paste: NodeRef,
    pub config: Config,
    pub texts: FormTexts,
    pub can_undo: bool,
    pub can_redo: bool,
    pub on_change: Callback<Setting>,
}

/// A callback that emits what `f` finds, when it finds something.
fn emit_some<E: 'static>(
    on: &Callback<Setting>,
    f: impl Fn(E) -> Option<Setting> + 'static,
) -> Callback<E> {
    let on = on.clone();
    Callback::from(move |e| {
        if let Some(s) = f(e) {
            on.emit(s);
        }
    })
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

/// A labelled numeric input bound to one configuration field.
fn number_input(
    props: &SettingsProps,
    field: NumField,
    id: &'static str,
    label: &'static str,
    placeholder: String,
) -> Html {
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <input id={id} data-testid={id} type="text" inputmode="decimal"
                value={props.texts.text(field).to_string()} placeholder={placeholder}
                aria-invalid={props.texts.error.is_some().to_string()}
                onchange={props.on_change.reform(move |e: Event| edit(SettingEdit::Number(field, input_value(&e))))} />
        </div>
    }
}

/// The form: a component, drawn again only when its props change.
#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
    let renders = crate::platform::use_render_count();
    let on = &props.on_change;
    let send = |s: Setting| on.reform(move |_: MouseEvent| s.clone());
    let cfg = &props.config;
    let paste = props.paste.clone();
    let preset = presets().iter().find(|p| p.id == cfg.preset);
    let players = cfg.players();
    let auto_players = cfg.players.is_none();
    let default_step = cfg.step_size_for(players);
    let on_paste = {
        let paste = paste.clone();
        on.reform(move |_: MouseEvent| {
            let text = paste
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            Setting::ImportPasted(text)
        })
    };
    html! {
        <section class="panel controls" aria-label={text::CONFIGURATION} data-testid="view-controls" data-renders={renders}>
            <div class="history" role="group" aria-label={text::EDIT_HISTORY}>
                <button class="small" data-testid="undo" disabled={!props.can_undo}
                    title={text::UNDO_TITLE} onclick={send(Setting::Undo)}>{ text::UNDO }</button>
                <button class="small" data-testid="redo" disabled={!props.can_redo}
                    title={text::REDO_TITLE} onclick={send(Setting::Redo)}>{ text::REDO }</button>
                <button class="small" data-testid="reset-defaults" title={text::RESET_DEFAULTS_TITLE}
                    onclick={send(Setting::ResetAll)}>{ text::RESET_DEFAULTS }</button>
            </div>
            <div class="field">
                <label for="preset-select">{ text::PREFERENCES }</label>
                <select id="preset-select" data-testid="preset-select"
                    onchange={on.reform(|e: Event| edit(SettingEdit::Preset(select_value(&e))))}>
                    if cfg.custom.is_some() {
                        <option value="" selected=true disabled=true>{ text::CUSTOM_PREFERENCES }</option>
                    }
                    { for presets().iter().map(|p| html! {
                        <option value={p.id} selected={cfg.custom.is_none() && p.id == cfg.preset}>{ p.title }</option>
                    }) }
                </select>
                if let Some(p) = preset {
                    <p class="hint">{ p.description }</p>
                    if !p.citation.is_empty() {
                        <p class="citation" data-testid="citation">{ text::DATA }{ p.citation }</p>
                    }
                }
            </div>
            <div class="field import" data-testid="import-area"
                ondragover={Callback::from(|e: DragEvent| e.prevent_default())}
                ondrop={emit_some(on, |e: DragEvent| {
                    e.prevent_default();
                    e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)).map(Setting::ImportFile)
                })}>
                <label for="import-file">{ text::IMPORT_FILE }</label>
                <input id="import-file" data-testid="import-file" type="file"
                    accept=".soc,.soi,.toc,.toi,.csv,.json"
                    onchange={emit_some(on, |e: Event| {
                        let input = e.target_unchecked_into::<HtmlInputElement>();
                        let file = input.files().and_then(|f| f.get(0));
                        // Cleared, so choosing the same file again re-imports it.
                        input.set_value("");
                        file.map(Setting::ImportFile)
                    })} />
                <p class="hint">{ text::IMPORT_HINT }</p>
                <textarea ref={paste} data-testid="paste-text" rows="3"
                    aria-label={text::PASTE_LABEL} placeholder={text::PASTE_PLACEHOLDER} />
                <button class="small" data-testid="paste-load" onclick={on_paste}>{ text::PASTE_LOAD }</button>
            </div>
            <div class="field">
                <label for="k-input">{ text::K_LABEL }</label>
                <div class="slider">
                    <input id="k-input" data-testid="k-input" type="range" min="1"
                        max={K_SLIDER_MAX.to_string()} value={cfg.k.to_string()}
                        aria-valuetext={text::k_value(cfg.k)}
                        oninput={on.reform(|e: InputEvent| edit(SettingEdit::K(input_value(&e).parse().unwrap_or(1))))}
                        onchange={on.reform(|_: Event| Setting::Commit)} />
                    <output for="k-input" data-testid="k">{ cfg.k }</output>
                    <input class="exact" data-testid="k-exact" type="text" inputmode="numeric"
                        value={props.texts.text(NumField::K).to_string()} placeholder={text::K_TYPED_PLACEHOLDER}
                        title={text::K_TYPED_TITLE} aria-label={text::K_TYPED_LABEL}
                        onchange={on.reform(|e: Event| edit(SettingEdit::Number(NumField::K, input_value(&e))))} />
                </div>
            </div>
            <div class="field">
                <span class="label" id="players-label">{ text::PLAYERS_LABEL }</span>
                <label class="check">
                    <input type="checkbox" data-testid="players-auto" checked={auto_players}
                        onchange={on.reform(|e: Event| {
                            edit(SettingEdit::PlayersAuto(e.target_unchecked_into::<HtmlInputElement>().checked()))
                        })} />
                    { text::PLAYERS_AUTO }
                </label>
                <div class="slider">
                    <input id="players-input" data-testid="players-input" type="range" min="2"
                        max={(K_SLIDER_MAX + 1).to_string()} value={players.to_string()}
                        disabled={auto_players} aria-labelledby="players-label"
                        aria-valuetext={text::players_value(players)}
                        oninput={on.reform(|e: InputEvent| edit(SettingEdit::Players(input_value(&e).parse().unwrap_or(2))))}
                        onchange={on.reform(|_: Event| Setting::Commit)} />
                    <output for="players-input" data-testid="players">{ players }</output>
                    <input class="exact" data-testid="players-exact" type="text" inputmode="numeric"
                        value={props.texts.text(NumField::Players).to_string()} placeholder={text::PLAYERS_TYPED_PLACEHOLDER}
                        disabled={auto_players} title={text::PLAYERS_TYPED_TITLE}
                        aria-label={text::PLAYERS_TYPED_LABEL}
                        onchange={on.reform(|e: Event| edit(SettingEdit::Number(NumField::Players, input_value(&e))))} />
                </div>
            </div>
            <div class="field">
                <label for="view-select">{ text::SHOW }</label>
                <select id="view-select" data-testid="view-select"
                    onchange={on.reform(|e: Event| edit(SettingEdit::View(View::from_id(&select_value(&e)).unwrap_or_default())))}>
                    { for View::ALL.iter().map(|v| html! {
                        <option value={v.id()} selected={*v == cfg.view}>{ text::view_title(*v) }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="font-select">{ text::CHART_TEXT }</label>
                <select id="font-select" data-testid="font-select"
                    onchange={on.reform(|e: Event| edit(SettingEdit::FontScale(parse_f64(&select_value(&e)).unwrap_or(1.0))))}>
                    if !text::FONT_SCALES.iter().any(|(v, _)| *v == cfg.font_scale) {
                        <option value={cfg.font_scale.to_string()} selected=true>{ text::font_scale(cfg.font_scale) }</option>
                    }
                    { for text::FONT_SCALES.iter().map(|(v, name)| html! {
                        <option value={v.to_string()} selected={*v == cfg.font_scale}>{ *name }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="algorithm-select">{ text::SELF_PLAY_RULE }</label>
                <select id="algorithm-select" data-testid="algorithm-select"
                    onchange={on.reform(|e: Event| edit(SettingEdit::Algorithm(Algorithm::from_id(&select_value(&e)).unwrap_or_default())))}>
                    { for Algorithm::ALL.iter().map(|a| html! {
                        <option value={a.id()} selected={*a == cfg.algorithm}>{ text::algorithm_title(*a) }</option>
                    }) }
                </select>
            </div>
            <div class="row2">
                { number_input(props, NumField::StepSize, "step-input", text::STEP_SIZE, text::step_size_placeholder(default_step)) }
                { number_input(props, NumField::Iterations, "iterations-input", text::ITERATIONS, String::new()) }
            </div>
            <details class="more">
                <summary>{ text::MORE_SETTINGS }</summary>
                <div class="row2">
                    { number_input(props, NumField::KMax, "kmax-input", text::SWEEP_UP_TO, String::new()) }
                    { number_input(props, NumField::Beta, "beta-input", text::RLHF_BETA, String::new()) }
                </div>
                { number_input(props, NumField::Seed, "seed-input", text::SEED, String::new()) }
            </details>
            if let Some(msg) = &props.texts.error {
                <p class="field-error" role="alert" data-testid="form-error">{ msg }</p>
            }
        </section>
    }
}
