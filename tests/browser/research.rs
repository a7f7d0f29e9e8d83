//! The researcher's bench in the page: the opponents figure says where the profile sits
//! between the guarantee and k/(k+l), and the phase map draws, previews and opens its cells.

use super::harness::*;
use std::time::Duration;
use thirtyfour::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_opponents_figure_places_the_profile_in_the_interval() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49&view=opponents").await?;
            b.wait_for(
                "the opponent reading",
                Duration::from_secs(60),
                |b| async move { Ok(b.text("opponents-reading").await?.contains("ℓ = 3")) },
            )
            .await?;
            b.screenshot("view-opponents", "opponents-interval.png")
                .await?;
            let reading = b.text("opponents-reading").await?;
            // k = 4, l = 2: the guarantee 0.6000, the ceiling 4/6.
            assert!(
                reading
                    .contains("Against ℓ = 2: the guarantee is 0.6000 and no policy beats 0.6667"),
                "{reading}"
            );
            assert!(
                reading.contains("best policy found") && reading.contains("a lower bound"),
                "{reading}"
            );
            assert!(reading.contains("6-player one"), "{reading}");
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phase_map_draws_previews_and_opens_a_cell() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49&view=phase&kmax=12")
                .await?;
            assert!(b.exists("chart-phase").await?);
            b.wait_for("the whole map", Duration::from_secs(60), |b| async move {
                Ok(b.exists("chart-phase").await?
                    && !b.exists("phase-progress").await?
                    && b.web
                        .execute(
                            "return document.querySelector('[data-testid=\"chart-phase\"]').width",
                            vec![],
                        )
                        .await?
                        .json()
                        .as_f64()
                        .unwrap_or(0.0)
                        > 0.0)
            })
            .await?;
            b.screenshot("view-phase", "phase-map.png").await?;
            // Point at the top right cell (p = 0.99, k = 12): the Condorcet winner alone.
            pointer(b, "mousemove", -20.0, 14.0).await?;
            b.wait_for("the preview", Duration::from_secs(10), |b| async move {
                Ok(b.text("phase-preview").await?.contains("k = 12"))
            })
            .await?;
            let preview = b.text("phase-preview").await?;
            assert!(
                preview.contains("majority share p = 0.990") && preview.contains("(support 1)"),
                "{preview}"
            );
            // Near the bottom left (p just above 1/2, small k) the equilibrium spreads.
            pointer(b, "mousemove", 70.0, -100.0).await?;
            b.wait_for("another preview", Duration::from_secs(10), |b| async move {
                let p = b.text("phase-preview").await?;
                Ok(p.contains("(support 2)") && p.contains("p = 0.5"))
            })
            .await?;
            pointer(b, "mouseleave", 0.0, 0.0).await?;
            b.wait_for("no preview", Duration::from_secs(10), |b| async move {
                Ok(b.text("phase-preview").await?.is_empty())
            })
            .await?;
            // Clicking opens that cell's configuration in all four figures.
            pointer(b, "click", -20.0, 14.0).await?;
            b.wait_for("the opened cell", Duration::from_secs(30), |b| async move {
                Ok(b.text("k").await? == "12")
            })
            .await?;
            let hash: String = b
                .web
                .execute("return location.hash", vec![])
                .await?
                .json()
                .as_str()
                .unwrap_or_default()
                .into();
            assert!(
                hash.contains("k=12") && hash.contains("data=") && !hash.contains("view=phase"),
                "{hash}"
            );
            // The columns' choice is in the link.
            b.open("/#v=1&preset=condorcet-diverse-minority&view=phase&kmax=6")
                .await?;
            b.set_value("phase-family", "2").await?;
            b.wait_for(
                "the weight family in the link",
                Duration::from_secs(30),
                |b| async move {
                    let hash: String = b
                        .web
                        .execute("return location.hash", vec![])
                        .await?
                        .json()
                        .as_str()
                        .unwrap_or_default()
                        .into();
                    Ok(hash.contains("phase=weight:2"))
                },
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// A pointer event on the phase map at (x, y) CSS pixels from its left (negative: from its
/// right) and top (negative: from its bottom) edge.
async fn pointer(b: &Browser, kind: &str, x: f64, y: f64) -> WebDriverResult<()> {
    b.web
        .execute(
            "const c = document.querySelector('[data-testid=\"chart-phase\"]');\
             const r = c.getBoundingClientRect();\
             const x = arguments[1] < 0 ? r.right + arguments[1] : r.left + arguments[1];\
             const y = arguments[2] < 0 ? r.bottom + arguments[2] : r.top + arguments[2];\
             c.dispatchEvent(new MouseEvent(arguments[0], {clientX: x, clientY: y, bubbles: true}));",
            vec![serde_json::json!(kind), serde_json::json!(x), serde_json::json!(y)],
        )
        .await?;
    Ok(())
}
