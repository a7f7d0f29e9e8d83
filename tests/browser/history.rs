//! Undo and redo, back and forward, and the configuration saved between visits.

use super::harness::*;
use super::helpers::*;
use std::time::Duration;
use thirtyfour::prelude::*;

/// Undo and redo (buttons and Ctrl+Z / Ctrl+Shift+Z) step through finished edits: a matrix
/// cell comes back, and goes again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_and_redo_restore_an_edited_matrix() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=llmfao").await?;
            assert!(
                !b.web
                    .find(By::Css("[data-testid=\"undo\"]"))
                    .await?
                    .is_enabled()
                    .await?
            );
            open_editor(b, "matrix-editor").await?;
            let before = (
                control_value(b, "cell-0-1").await?,
                control_value(b, "cell-1-0").await?,
            );
            assert_ne!(before.0, "0.9000");
            // The fit in words; arrow keys move between cells (over the diagonal); Escape cancels.
            let fit = b.text("fit-residual").await?;
            assert!(
                fit.contains("realized exactly by") || fit.contains("misses it by"),
                "{fit}"
            );
            let cell = b.web.find(By::Css("[data-testid=\"cell-0-1\"]")).await?;
            cell.click().await?;
            cell.send_keys(thirtyfour::Key::Down).await?;
            let active = b
                .web
                .execute("return document.activeElement.dataset.testid", vec![])
                .await?;
            assert_eq!(active.json().as_str(), Some("cell-2-1"));
            let shown = control_value(b, "cell-2-1").await?;
            let cell = b.web.find(By::Css("[data-testid=\"cell-2-1\"]")).await?;
            cell.send_keys("77").await?;
            assert_ne!(control_value(b, "cell-2-1").await?, shown);
            cell.send_keys(thirtyfour::Key::Escape).await?;
            assert_eq!(control_value(b, "cell-2-1").await?, shown);
            b.web.find(By::Tag("h1")).await?.click().await?;
            assert!(
                !b.web
                    .find(By::Css("[data-testid=\"undo\"]"))
                    .await?
                    .is_enabled()
                    .await?
            );
            let edited = || cells(b, "0.9000", "0.1000");
            let original = || cells(b, &before.0, &before.1);
            b.set_value("cell-0-1", "0.9").await?;
            wait(edited, "the edit").await?;
            b.click("undo").await?;
            wait(original, "the undo").await?;
            b.click("redo").await?;
            wait(edited, "the redo").await?;
            // The same from the keyboard, outside the text fields.
            let body = b.web.find(By::Tag("body")).await?;
            body.send_keys(thirtyfour::Key::Control + "z").await?;
            wait(original, "Ctrl+Z").await?;
            body.send_keys(thirtyfour::Key::Control + thirtyfour::Key::Shift + "z")
                .await?;
            wait(edited, "Ctrl+Shift+Z").await?;
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}

/// Each finished edit is a history entry (back and forward restore it), the configuration
/// is kept for the next visit unless a link says otherwise, and "Reset to defaults" forgets it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_forward_and_saved_configuration() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49").await?;
            for k in ["3", "5"] {
                // Edits less than 0.7 s apart share one history entry.
                tokio::time::sleep(Duration::from_millis(800)).await;
                b.set_value("k-input", k).await?;
                b.wait_for(
                    "the URL to follow k",
                    Duration::from_secs(10),
                    |b| async move { Ok(location_hash(b).await?.contains(&format!("k={k}"))) },
                )
                .await?;
            }
            b.web.back().await?;
            b.wait_for("back to k = 3", Duration::from_secs(30), |b| async move {
                Ok(b.text("k").await? == "3" && control_value(b, "k-input").await? == "3")
            })
            .await?;
            b.web.forward().await?;
            b.wait_for(
                "forward to k = 5",
                Duration::from_secs(30),
                |b| async move { Ok(b.text("k").await? == "5") },
            )
            .await?;

            // Two quick edits share one entry: back skips both.
            tokio::time::sleep(Duration::from_millis(800)).await;
            b.set_value("k-input", "7").await?;
            b.set_value("k-input", "8").await?;
            b.wait_for(
                "k = 8 in the URL",
                Duration::from_secs(10),
                |b| async move { Ok(location_hash(b).await?.contains("k=8")) },
            )
            .await?;
            b.web.back().await?;
            b.wait_for("back to k = 5", Duration::from_secs(30), |b| async move {
                Ok(b.text("k").await? == "5" && location_hash(b).await?.contains("k=5"))
            })
            .await?;

            // A visit without a fragment opens the saved configuration.
            b.web.goto(format!("{}/?again", b.site)).await?;
            b.wait_for(
                "the saved configuration",
                Duration::from_secs(30),
                |b| async move {
                    Ok(b.text("k").await? == "5"
                        && b.text("preset").await? == "majority-51-49"
                        && location_hash(b).await?.contains("k=5"))
                },
            )
            .await?;
            // A link wins over it (and does not replace it).
            b.web.goto(format!("{}/?link#v=1&k=2", b.site)).await?;
            b.wait_for(
                "the link's configuration",
                Duration::from_secs(30),
                |b| async move {
                    Ok(b.text("k").await? == "2"
                        && b.text("preset").await? == ualign::presets::DEFAULT_PRESET)
                },
            )
            .await?;
            b.web.goto(format!("{}/?third", b.site)).await?;
            b.wait_for(
                "the saved one again",
                Duration::from_secs(30),
                |b| async move {
                    Ok(b.text("k").await? == "5" && b.text("preset").await? == "majority-51-49")
                },
            )
            .await?;
            // Reset to defaults clears it.
            b.click("reset-defaults").await?;
            let default_k = ualign::config::Config::default().k.to_string();
            b.wait_for("the defaults", Duration::from_secs(30), |b| {
                let default_k = default_k.clone();
                async move {
                    Ok(b.text("k").await? == default_k
                        && b.text("preset").await? == ualign::presets::DEFAULT_PRESET)
                }
            })
            .await?;
            b.web.goto(format!("{}/?fourth", b.site)).await?;
            // Nothing saved and no link: a first visit, which plays the default view once.
            b.web.goto(format!("{}/?fifth", b.site)).await?;
            b.wait_for("the page", Duration::from_secs(30), |b| async move {
                Ok(!b.policy("policy-game").await?.is_empty())
            })
            .await?;
            assert_eq!(
                b.text("k").await?,
                ualign::config::Config::default().k.to_string()
            );
            assert_eq!(b.text("preset").await?, ualign::presets::DEFAULT_PRESET);
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}
