//! Embed mode and the display settings: charts only, keyboard control, the chart text size.

use super::harness::*;
use super::helpers::*;
use std::time::Duration;
use thirtyfour::prelude::*;

/// The font-size in px of the first chart heading.
async fn heading_px(b: &Browser) -> WebDriverResult<f64> {
    let size = b
        .web
        .execute(
            "return parseFloat(getComputedStyle(document.querySelector('figcaption h2')).fontSize)",
            vec![],
        )
        .await?;
    Ok(size.json().as_f64().unwrap_or(0.0))
}

/// Embed mode: charts only, sized to the frame, at the presentation text size of the link;
/// space plays and pauses, r restarts; a link opens the same configuration in the full view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embed_mode_shows_charts_only_and_plays_from_the_keyboard() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web.set_window_rect(0, 0, 1000, 700).await?;
            b.open("/#v=1&embed=1&iters=100000").await?;
            let full = b
                .web
                .find(By::Css("[data-testid=\"open-full\"]"))
                .await?
                .attr("href")
                .await?
                .unwrap_or_default();
            assert!(
                full.ends_with("#v=1&iters=100000"),
                "the full view keeps the configuration, without embed: {full}"
            );
            assert!(b.exists("embed").await?);
            assert!(!b.exists("play").await?, "embed mode shows no controls");
            b.web.find(By::Tag("body")).await?.send_keys(" ").await?;
            b.wait_for(
                "space to start the run",
                Duration::from_secs(10),
                |b| async move {
                    Ok(b.text("status").await? == "running" && b.number("iteration").await? > 5.0)
                },
            )
            .await?;
            b.web.find(By::Tag("body")).await?.send_keys(" ").await?;
            b.wait_for("space to pause", Duration::from_secs(10), |b| async move {
                Ok(b.text("status").await? == "idle")
            })
            .await?;
            b.web.find(By::Tag("body")).await?.send_keys("r").await?;
            b.wait_for("r to restart", Duration::from_secs(10), |b| async move {
                Ok(b.text("iteration").await? == "0")
            })
            .await?;
            // Every chart fits the frame: nothing scrolls.
            let overflow = b
                .web
                .execute(
                    "const m = document.querySelector('main.embed');\
                     const fits = document.documentElement.scrollHeight <= window.innerHeight + 1\
                       && m.scrollHeight <= m.clientHeight + 1;\
                     const sizes = [...m.children].filter(e => e.getClientRects().length)\
                       .map(e => `${e.dataset.testid || e.tagName}: ${e.offsetHeight} (${e.scrollHeight})`);\
                     return [fits, `page ${document.documentElement.scrollHeight} of ${window.innerHeight}; ${sizes.join(', ')}`];",
                    vec![],
                )
                .await?;
            let (fits, sizes): (bool, String) = overflow.convert()?;
            assert!(fits, "embed page scrolls: {sizes}");
            b.web
                .screenshot(&screenshot_dir().join("embed.png"))
                .await?;
            // One figure at lecture-hall size fills the frame; the others are not shown.
            b.open("/#v=1&embed=1&view=sweep&font=2").await?;
            // Headings at twice their 16 px.
            assert!((heading_px(b).await? - 32.0).abs() < 0.5);
            let sizes = b
                .web
                .execute(
                    "const shown = id => document.querySelector(`[data-testid=\"${id}\"]`).getClientRects().length > 0;\
                     return [shown('view-policies'), shown('view-sweep'),\
                             document.querySelector('[data-testid=\"chart-sweep\"]').clientHeight];",
                    vec![],
                )
                .await?;
            let sizes = sizes.json();
            assert_eq!(sizes[0], false, "only the sweep is shown");
            assert_eq!(sizes[1], true);
            assert!(
                sizes[2].as_f64().unwrap_or(0.0) > 350.0,
                "the sweep fills a 700 px frame: {sizes}"
            );
            b.web
                .screenshot(&screenshot_dir().join("embed-sweep-2x.png"))
                .await?;
            Ok(())
        })
    })
    .await
}

/// The chart text size and the figures shown are display settings: changing them while a run
/// goes on goes into the link, and the run keeps its iterations.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_text_size_changes_without_restarting_the_run() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49&iters=1000000").await?;
            let normal = heading_px(b).await?;
            b.set_value("speed-select", "60").await?;
            play_and_rise(b, "a run").await?;
            b.set_value("font-select", "1.5").await?;
            b.wait_for("the larger text", Duration::from_secs(10), |b| async move {
                Ok(location_hash(b).await?.contains("font=1.5"))
            })
            .await?;
            assert!((heading_px(b).await? - 1.5 * normal).abs() < 0.5);
            // One figure at full size, then all four again: display only, so the run goes on.
            b.set_value("view-select", "win-rates").await?;
            b.wait_for("the one figure", Duration::from_secs(10), |b| async move {
                Ok(location_hash(b).await?.contains("view=win-rates"))
            })
            .await?;
            let shown = b
                .web
                .execute(
                    "return ['view-policies', 'view-win-rates', 'view-sweep', 'view-opponents']\
                       .map(id => document.querySelector(`[data-testid=\"${id}\"]`).getClientRects().length > 0)",
                    vec![],
                )
                .await?;
            assert_eq!(
                shown.json(),
                &serde_json::json!([false, true, false, false])
            );
            b.set_value("view-select", "all").await?;
            b.wait_for("all four", Duration::from_secs(10), |b| async move {
                Ok(!location_hash(b).await?.contains("view="))
            })
            .await?;
            // Undo and redo of a display setting keep the run too.
            b.click("undo").await?;
            b.wait_for("the undone view", Duration::from_secs(10), |b| async move {
                Ok(location_hash(b).await?.contains("view=win-rates"))
            })
            .await?;
            b.click("redo").await?;
            b.wait_for("the redone view", Duration::from_secs(10), |b| async move {
                Ok(!location_hash(b).await?.contains("view="))
            })
            .await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert_eq!(b.text("status").await?, "running");
            assert!(b.number("iteration").await? >= 5.0, "the run went on");
            // The figures shown again are drawn: the sweep canvas is not blank.
            let drawn = b
                .web
                .execute(
                    "const c = document.querySelector('[data-testid=\"chart-sweep\"]');\
                     const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;\
                     let ink = 0; for (let i = 0; i < d.length; i += 4) if (d[i] < 200) ink++;\
                     return ink;",
                    vec![],
                )
                .await?;
            assert!(
                drawn.json().as_u64().unwrap_or(0) > 500,
                "blank sweep chart"
            );
            Ok(())
        })
    })
    .await
}
