//! The preference editors: the matrix grid and the population (drag, ties, duplicates).

use super::harness::*;
use super::helpers::*;
use std::time::Duration;
use thirtyfour::prelude::*;

/// Voter type v's ranking as text, e.g. "c > a = b" (chips by label, separators as shown).
async fn ranking(b: &Browser, v: usize) -> WebDriverResult<String> {
    let text = b
        .web
        .execute(
            "return [...document.querySelector(`[data-testid=\"ranking-${arguments[0]}\"]`).children]\
               .map(e => e.textContent.replace(/[‹›]/g, '').trim()).join(' ')",
            vec![serde_json::json!(v)],
        )
        .await?;
    Ok(text.json().as_str().unwrap_or_default().to_string())
}

/// Drags voter type v's chip `from` onto chip `to`, releasing at `at` (0 = left edge, 1 =
/// right edge) of it, with real pointer input (WebDriver actions).
async fn drag_chip(b: &Browser, v: usize, from: usize, to: usize, at: f64) -> WebDriverResult<()> {
    let source = b
        .web
        .find(By::Css(format!("[data-testid=\"chip-{v}-{from}\"]")))
        .await?;
    let target = b
        .web
        .find(By::Css(format!("[data-testid=\"chip-{v}-{to}\"]")))
        .await?;
    let width = target.rect().await?.width;
    let dx = ((at - 0.5) * width).round() as i64;
    b.web
        .action_chain()
        .click_and_hold_element(&source)
        .move_by_offset(5, 0)
        .move_to_element_with_offset(&target, dx, 0)
        .release()
        .perform()
        .await
}

async fn wait_ranking(b: &Browser, v: usize, want: &str) -> WebDriverResult<()> {
    let want = want.to_string();
    b.wait_for(
        &format!("ranking {v} = {want}"),
        Duration::from_secs(10),
        |b| {
            let want = want.clone();
            async move { Ok(ranking(b, v).await? == want) }
        },
    )
    .await
}

/// The population editor: a response dragged before, onto (a tie) or after another; ties made
/// and broken with the separators; one undo step per drag; a voter type duplicated; a weight
/// set by its slider; and the population's pairwise matrix and Condorcet winner follow.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn population_editor_drags_ties_duplicates_and_shows_the_condorcet_winner(
) -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            // a > b > c, b > c > a, c > a > b: a cycle, no Condorcet winner.
            b.open("/#v=1&preset=condorcet-cycle").await?;
            open_editor(b, "population-matrix").await?;
            assert_eq!(ranking(b, 0).await?, "a > b > c");
            assert!(b
                .text("condorcet")
                .await?
                .starts_with("No Condorcet winner"));
            assert_eq!(
                b.text("pop-cell-0-1").await?,
                "0.6667",
                "a beats b for 2 of 3 voters"
            );

            // Drag c onto the left part of a: c > a > b. Now c beats a unanimously and b 2 to 1.
            drag_chip(b, 0, 2, 0, 0.12).await?;
            wait_ranking(b, 0, "c > a > b").await?;
            b.wait_for(
                "the Condorcet winner",
                Duration::from_secs(10),
                |b| async move {
                    Ok(b.text("condorcet")
                        .await?
                        .starts_with("Condorcet winner: c"))
                },
            )
            .await?;
            assert_eq!(b.text("pop-cell-2-0").await?, "1.0000");
            assert_eq!(b.text("pop-cell-2-1").await?, "0.6667");
            // One undo step for the whole drag.
            b.web
                .find(By::Css("body"))
                .await?
                .send_keys(thirtyfour::Key::Control + "z")
                .await?;
            wait_ranking(b, 0, "a > b > c").await?;
            // The middle of a response ties; the right part puts it after.
            drag_chip(b, 0, 2, 0, 0.5).await?;
            wait_ranking(b, 0, "a = c > b").await?;
            drag_chip(b, 0, 0, 1, 0.9).await?;
            wait_ranking(b, 0, "c > b > a").await?;
            // Separators: ">" ties two neighbouring classes, "=" breaks a tie (a tie lists its
            // responses in label order).
            b.click("tie-0-0").await?;
            wait_ranking(b, 0, "b = c > a").await?;
            b.click("untie-0-0-1").await?;
            wait_ranking(b, 0, "b > c > a").await?;

            // Duplicate voter type 2 (c > a > b): four types, the copy right after it.
            b.click("duplicate-2").await?;
            b.wait_for("the copy", Duration::from_secs(10), |b| async move {
                b.exists("ranking-3").await
            })
            .await?;
            assert_eq!(ranking(b, 3).await?, ranking(b, 2).await?);
            // Weights by slider (its scale runs to twice the largest weight): voter type 0 to 2.
            b.set_value("weight-slider-0", "2").await?;
            b.wait_for("the new weight", Duration::from_secs(10), |b| async move {
                Ok(control_value(b, "weight-0").await? == "2")
            })
            .await?;
            // b > c > a (weight 2), b > c > a (1), c > a > b (1, twice): b beats c and a with 3 of 5,
            // a Condorcet winner.
            b.wait_for(
                "the matrix of the new population",
                Duration::from_secs(10),
                |b| async move { Ok(b.text("pop-cell-1-2").await? == "0.6000") },
            )
            .await?;
            assert_eq!(b.text("pop-cell-1-0").await?, "0.6000");
            assert!(b
                .text("condorcet")
                .await?
                .starts_with("Condorcet winner: b"));
            assert!(!b.exists("editor-error").await?);
            b.screenshot("view-editor", "editor-population-drag.png")
                .await?;
            Ok(())
        })
    })
    .await
}

/// The editors: a matrix cell sets its mirror, a voter's ranking moves with the keyboard,
/// invalid entries are refused with a message, and "back to the preset" undoes the edits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_change_the_preferences_and_refuse_bad_entries() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            // A population preset: 51% A > B, 49% B > A.
            b.open("/#v=1&preset=majority-51-49").await?;
            open_editor(b, "population-editor").await?;
            // Refused: a negative weight.
            b.set_value("weight-0", "-3").await?;
            b.wait_for("the refusal", Duration::from_secs(10), |b| async move {
                b.exists("editor-error").await
            })
            .await?;
            assert!(b.text("preset").await? == "majority-51-49" && !b.exists("error").await?);
            // Move the first voter type's top response down with the keyboard: now everyone agrees
            // on the other response, a Condorcet winner the game and NLHF both play.
            let first_top = b
                .web
                .execute(
                    "return document.querySelector('[data-testid=\"population-editor\"] .chip').dataset.testid",
                    vec![],
                )
                .await?;
            let chip = first_top.json().as_str().unwrap_or_default().to_string();
            b.web
                .find(By::Css(format!("[data-testid=\"{chip}\"]")))
                .await?
                .send_keys(thirtyfour::Key::Right)
                .await?;
            b.wait_for(
                "the edited preferences",
                Duration::from_secs(30),
                |b| async move {
                    Ok(b.text("preset").await? == "majority-51-49"
                        && b.exists("reset-preferences").await?
                        && b.web
                            .execute("return location.hash", vec![])
                            .await?
                            .json()
                            .as_str()
                            .unwrap_or_default()
                            .contains("data="))
                },
            )
            .await?;
            b.set_value("speed-select", "0").await?;
            b.click("play").await?;
            b.wait_for("the run", Duration::from_secs(30), |b| async move {
                Ok(b.text("status").await? == "done")
            })
            .await?;
            let game = b.policy("policy-game").await?;
            assert!(
                game.iter().any(|(_, p)| *p > 0.999),
                "unanimous voters: the game plays their favourite, got {game:?}"
            );
            b.screenshot("view-editor", "editor-population.png").await?;
            b.click("reset-preferences").await?;
            b.wait_for(
                "the preset again",
                Duration::from_secs(30),
                |b| async move { Ok(!b.exists("reset-preferences").await?) },
            )
            .await?;

            // A matrix preset: editing P[0][1] sets P[1][0] to its complement.
            b.web
                .execute("location.hash = '#v=1&preset=llmfao'", vec![])
                .await?;
            b.wait_for(
                "the matrix editor",
                Duration::from_secs(30),
                |b| async move { b.exists("matrix-editor").await },
            )
            .await?;
            b.set_value("cell-0-1", "0.9").await?;
            b.wait_for(
                "the mirrored cell",
                Duration::from_secs(30),
                |b| async move {
                    let v = b
                        .web
                        .execute(
                            "return document.querySelector('[data-testid=\"cell-1-0\"]').value",
                            vec![],
                        )
                        .await?;
                    Ok(v.json().as_str() == Some("0.1000"))
                },
            )
            .await?;
            // Refused beside the cell itself (the message quotes the entry); the cell and its mirror
            // keep their values.
            let (cell, mirror) = (
                control_value(b, "cell-0-2").await?,
                control_value(b, "cell-2-0").await?,
            );
            b.set_value("cell-0-2", "1.5").await?;
            b.wait_for("the refusal", Duration::from_secs(10), |b| async move {
                Ok(b.exists("cell-error").await?
                    && b.text("cell-error").await?.contains("not a probability"))
            })
            .await?;
            let beside = b
                .web
                .execute(
                    "const e = document.querySelector('[data-testid=\"cell-error\"]');\
                     return e.parentElement.contains(document.querySelector('[data-testid=\"cell-0-2\"]'))\
                       && document.querySelector('[data-testid=\"cell-0-2\"]').getAttribute('aria-invalid') === 'true'",
                    vec![],
                )
                .await?;
            assert_eq!(
                beside.json(),
                &serde_json::json!(true),
                "the message sits in the refused cell"
            );
            assert!(b.text("cell-error").await?.contains("= 1.5"));
            assert_eq!(control_value(b, "cell-0-2").await?, cell);
            assert_eq!(control_value(b, "cell-2-0").await?, mirror);
            assert!(!b.exists("editor-error").await?);
            // Add a response (even odds against every other), rename it, refuse a 17th, and remove
            // the first one.
            let before = labels(b).await?;
            assert_eq!(before.len(), 15);
            b.click("add-response").await?;
            b.wait_for(
                "the new response",
                Duration::from_secs(30),
                |b| async move { Ok(labels(b).await?.len() == 16) },
            )
            .await?;
            assert_eq!(control_value(b, "label-15").await?, "R1");
            assert_eq!(control_value(b, "cell-15-0").await?, "0.5000");
            assert_eq!(control_value(b, "cell-3-15").await?, "0.5000");
            b.set_value("label-15", "Zeta").await?;
            b.wait_for(
                "the renamed response",
                Duration::from_secs(30),
                |b| async move { Ok(labels(b).await?.last().map(String::as_str) == Some("Zeta")) },
            )
            .await?;
            b.click("add-response").await?;
            b.wait_for(
                "the refused 17th",
                Duration::from_secs(10),
                |b| async move {
                    Ok(b.exists("editor-error").await?
                        && b.text("editor-error")
                            .await?
                            .contains("(the limit on responses)"))
                },
            )
            .await?;
            b.click("remove-response-0").await?;
            b.wait_for(
                "the removed response",
                Duration::from_secs(30),
                |b| async move { Ok(labels(b).await?.len() == 15) },
            )
            .await?;
            let after = labels(b).await?;
            assert!(
                !after.contains(&before[0]) && after[0] == before[1],
                "{after:?}"
            );
            assert_eq!(after.last().map(String::as_str), Some("Zeta"));
            b.screenshot("view-editor", "editor-matrix.png").await?;
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}
