//! Preference editors: response labels, the pairwise matrix, and the voter population.
//!
//! The editor shows the preferences the page shares with it and hands every accepted edit to
//! the page, which loads it as custom preferences. Edits are applied and checked in the core
//! (`ualign::page::edit`); a refused one is shown with its reason and never reaches the
//! configuration. The editor renders again only when its preferences change (they are shared,
//! so that check is one pointer comparison).

mod matrix;
mod population;

use ualign::config::{CustomPreferences, Shared};
use ualign::page::edit::{self, PreferenceEdit, Summary};
use ualign::page::text;
use ualign::ranking_edit::Placement;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub preferences: Shared<CustomPreferences>,
    /// Largest residual of the population fitted to a matrix, shown beside the matrix.
    pub fit_residual: Option<f64>,
    /// Voter types in that fitted population.
    pub fit_types: Option<usize>,
    /// Whether these are edited preferences (then "back to the preset" is offered).
    pub edited: bool,
    pub on_change: Callback<CustomPreferences>,
    pub on_reset: Callback<()>,
}

pub enum Msg {
    Edit(PreferenceEdit),
    /// Drag of a response chip (pointer events, so mouse, pen and touch all work): start,
    /// the drop spot under the pointer, release, cancel.
    DragStart {
        voter: usize,
        response: usize,
    },
    DragOver(Option<(usize, usize, Placement)>),
    DragEnd,
    DragCancel,
}

/// A response being dragged, and where it would land.
struct Drag {
    voter: usize,
    response: usize,
    over: Option<(usize, Placement)>,
}

pub struct Editor {
    error: Option<String>,
    /// The matrix cell whose entry was refused: the message is shown beside it.
    error_cell: Option<(usize, usize)>,
    drag: Option<Drag>,
    summary: Option<Summary>,
}

fn value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

/// A cell's colour on a diverging, colour-blind-safe scale (ColorBrewer PuOr) centred on 1/2:
/// purple when the row's response is preferred, orange when the column's, white at 1/2.
fn cell_colour(v: f64) -> String {
    let a = ((v - 0.5).abs() * 1.2).min(0.6);
    let rgb = if v >= 0.5 { "94,60,153" } else { "230,97,1" };
    format!("background-color: rgba({rgb},{a:.3})")
}

impl Editor {
    fn view_labels(&self, ctx: &Context<Self>, labels: &[String]) -> Html {
        let edit = |e: PreferenceEdit| {
            ctx.link()
                .callback(move |_: MouseEvent| Msg::Edit(e.clone()))
        };
        html! {
            <fieldset class="labels">
                <legend>{ text::LABELS }</legend>
                { for labels.iter().enumerate().map(|(i, l)| html! {
                    <span class="label-edit">
                        <input type="text" value={l.clone()} aria-label={text::label_of(i)}
                            data-testid={format!("label-{i}")}
                            onchange={ctx.link().callback(move |e: Event| Msg::Edit(PreferenceEdit::Label(i, value(&e))))} />
                        <button class="small remove-response" data-testid={format!("remove-response-{i}")}
                            title={text::remove_response_title(l)} aria-label={text::remove_response_label(l)}
                            onclick={edit(PreferenceEdit::RemoveResponse(i))}>{ "✕" }</button>
                    </span>
                }) }
                <button class="small" data-testid="add-response"
                    onclick={edit(PreferenceEdit::AddResponse)}>{ text::ADD_RESPONSE }</button>
            </fieldset>
        }
    }
}

impl Component for Editor {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        Editor {
            error: None,
            error_cell: None,
            drag: None,
            summary: edit::summarize(&ctx.props().preferences),
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let edit = match msg {
            Msg::DragStart { voter, response } => {
                self.drag = Some(Drag {
                    voter,
                    response,
                    over: None,
                });
                return true;
            }
            Msg::DragOver(spot) => {
                let Some(drag) = &mut self.drag else {
                    return false;
                };
                // Only onto another response of the same voter type.
                let over = spot
                    .filter(|&(v, y, _)| v == drag.voter && y != drag.response)
                    .map(|(_, y, placement)| (y, placement));
                if over == drag.over {
                    return false;
                }
                drag.over = over;
                return true;
            }
            Msg::DragCancel => return self.drag.take().is_some(),
            Msg::DragEnd => match self.drag.take() {
                // Released over a drop spot: one edit (one undo step) for the whole drag.
                Some(Drag {
                    voter,
                    response,
                    over: Some((target, placement)),
                }) => PreferenceEdit::Place {
                    voter,
                    response,
                    target,
                    placement,
                },
                Some(_) => return true,
                None => return false,
            },
            Msg::Edit(edit) => edit,
        };
        let cell = edit.cell();
        match edit::apply(&ctx.props().preferences, edit) {
            Ok(p) => {
                self.error = None;
                self.error_cell = None;
                ctx.props().on_change.emit(p);
            }
            Err(e) => {
                self.error = Some(e);
                self.error_cell = cell;
            }
        }
        true
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Props) -> bool {
        if !Shared::ptr_eq(&ctx.props().preferences, &old.preferences) {
            self.summary = edit::summarize(&ctx.props().preferences);
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let props = ctx.props();
        let labels = props.preferences.labels();
        html! {
            <div class="editor">
                if let Some(e) = self.error.as_ref().filter(|_| self.error_cell.is_none()) {
                    <p class="field-error" role="alert" data-testid="editor-error">{ e }</p>
                }
                { self.view_labels(ctx, labels) }
                { match &*props.preferences {
                    CustomPreferences::Matrix { rows, .. } => self.view_matrix(ctx, labels, rows),
                    CustomPreferences::Population { voters, .. } => self.view_population(ctx, labels, voters),
                } }
                if props.edited {
                    <p><button class="small" data-testid="reset-preferences"
                        onclick={props.on_reset.reform(|_: MouseEvent| ())}>
                        { text::BACK_TO_PRESET }</button></p>
                }
            </div>
        }
    }
}
