//! The matrix editor: P[i][j] in a grid, each edit setting its mirror, arrow keys between cells.

use super::{cell_colour, value, Editor, Msg};
use ualign::page::edit::PreferenceEdit;
use ualign::page::text;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Keys in a matrix cell: arrows move between cells (left and right once the caret is at the
/// edge of the text), Escape puts back the value shown before the edit (Tab works natively).
fn cell_key(e: &KeyboardEvent, i: usize, j: usize, n: usize, shown: &str) {
    let input: HtmlInputElement = e.target_unchecked_into();
    let caret = input.selection_start().ok().flatten().unwrap_or(0) as usize;
    let (di, dj): (isize, isize) = match e.key().as_str() {
        "Escape" => {
            input.set_value(shown);
            return;
        }
        "ArrowUp" => (-1, 0),
        "ArrowDown" => (1, 0),
        "ArrowLeft" if caret == 0 => (0, -1),
        "ArrowRight" if caret >= input.value().chars().count() => (0, 1),
        _ => return,
    };
    let (mut r, mut c) = (i as isize + di, j as isize + dj);
    if r == c {
        // Step over the diagonal, which has no input.
        r += di;
        c += dj;
    }
    let n = n as isize;
    if r < 0 || c < 0 || r >= n || c >= n {
        return;
    }
    let next = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector(&format!("[data-testid=\"cell-{r}-{c}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = next {
        e.prevent_default();
        let _ = el.focus();
    }
}

impl Editor {
    pub(super) fn view_matrix(
        &self,
        ctx: &Context<Self>,
        labels: &[String],
        rows: &[Vec<f64>],
    ) -> Html {
        let residual = ctx.props().fit_residual;
        let types = ctx.props().fit_types.unwrap_or(0);
        let n = rows.len();
        html! {
            <>
            <p class="hint">
                { text::MATRIX_HINT }
                <span data-testid="fit-residual">{ text::fit_residual(residual, types) }</span>
            </p>
            <div class="matrix-wrap">
                <table class="matrix" data-testid="matrix-editor">
                    <thead><tr><th></th>{ for labels.iter().map(|l| html! { <th scope="col">{ l }</th> }) }</tr></thead>
                    <tbody>
                    { for rows.iter().enumerate().map(|(i, row)| html! {
                        <tr>
                            <th scope="row">{ &labels[i] }</th>
                            { for row.iter().enumerate().map(|(j, v)| {
                                if i == j {
                                    html! { <td class="diag">{ "0.5" }</td> }
                                } else {
                                    let shown = format!("{v:.4}");
                                    // A refused entry stays in its cell, with the reason beside it.
                                    let refused = self.error.as_ref().filter(|_| self.error_cell == Some((i, j)));
                                    html! { <td style={cell_colour(*v)} class={classes!(refused.map(|_| "refused"))}><input type="text" inputmode="decimal"
                                        value={shown.clone()}
                                        onkeydown={Callback::from(move |e: KeyboardEvent| cell_key(&e, i, j, n, &shown))}
                                        aria-label={text::cell_label(&labels[i], &labels[j])}
                                        aria-invalid={refused.is_some().to_string()}
                                        data-testid={format!("cell-{i}-{j}")}
                                        onchange={ctx.link().callback(move |e: Event| Msg::Edit(PreferenceEdit::Cell(i, j, value(&e))))} />
                                        if let Some(e) = refused {
                                            <span class="cell-error" role="alert" data-testid="cell-error">{ e }</span>
                                        }
                                        </td> }
                                }
                            }) }
                        </tr>
                    }) }
                    </tbody>
                </table>
            </div>
            </>
        }
    }
}
