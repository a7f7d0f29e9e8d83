//! Benchmarks in the browser (`make bench-browser`, not in the default run): screenshots and
//! the page's timings.

use super::harness::*;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

/// Screenshots of every view at devicePixelRatio 2 (target/screenshots/) and the figures for
/// the report: time to first chart and frames per second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: make bench-browser"]
async fn screenshots_and_timings() -> WebDriverResult<()> {
    run(2.0, Console::Clean, |b| {
        Box::pin(async move {
            let t0 = Instant::now();
            b.open("/#v=1").await?;
            b.wait_for("the first chart", Duration::from_secs(30), |b| async move {
                Ok(b.text("perf").await?.contains("first chart"))
            })
            .await?;
            let first_chart = b.text("perf").await?;
            let wall_first_chart = t0.elapsed();

            // Animate at 60 iterations per second, then as fast as possible, and read the page's own
            // frame counter (frames that drew new data, per second) and its canvas drawing time.
            b.set_value("iterations-input", "100000").await?;
            b.wait_for("the reload", Duration::from_secs(30), |b| async move {
                Ok(b.text("iteration").await? == "0")
            })
            .await?;
            b.click("play").await?;
            tokio::time::sleep(Duration::from_millis(3000)).await;
            let fps_60 = b.text("perf").await?;
            b.set_value("speed-select", "0").await?;
            let a = b.number("iteration").await?;
            tokio::time::sleep(Duration::from_millis(1000)).await;
            let its_per_s = b.number("iteration").await? - a;
            let fps_max = b.text("perf").await?;
            b.click("pause").await?;

            // The run shown in the screenshots: 600 iterations.
            b.set_value("iterations-input", "600").await?;
            b.wait_for("the reload", Duration::from_secs(30), |b| async move {
                Ok(b.text("iteration").await? == "0")
            })
            .await?;
            b.click("play").await?;
            b.wait_for(
                "the run to finish",
                Duration::from_secs(120),
                |b| async move { Ok(b.text("status").await? == "done") },
            )
            .await?;
            b.wait_for(
                "the sweep over k",
                Duration::from_secs(300),
                |b| async move { Ok(!b.exists("sweep-progress").await?) },
            )
            .await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            for (id, name) in [
                ("view-policies", "policies.png"),
                ("view-win-rates", "win-rates.png"),
                ("view-sweep", "sweep.png"),
                ("view-opponents", "opponents.png"),
                ("view-controls", "controls.png"),
            ] {
                let path = b.screenshot(id, name).await?;
                let size = std::fs::metadata(&path)?.len();
                assert!(size > 5_000, "{name} looks empty ({size} bytes)");
            }
            b.web.execute("window.scrollTo(0, 0)", vec![]).await?;
            b.web.screenshot(&screenshot_dir().join("page.png")).await?;
            let report = format!(
                "{first_chart} (page: performance.now() at first chart)\n\
                 wall clock from navigation to first chart seen by WebDriver: {:.0} ms\n\
                 animating at 60 iterations/s: {fps_60}\n\
                 animating as fast as possible ({its_per_s:.0} iterations/s): {fps_max}\n",
                wall_first_chart.as_secs_f64() * 1000.0
            );
            std::fs::write(screenshot_dir().join("timings.txt"), &report)?;
            eprintln!("{report}");
            Ok(())
        })
    })
    .await
}

/// Main-thread work per frame while a run animates at 60 iterations/s with the population
/// editor open on the impartial-culture preset (1,000 voters, 6 responses; the editor lists
/// 40 voter types), read from the page's own footer (moving averages over the frames).
/// Written to target/screenshots/frames.txt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: make bench-browser"]
async fn frame_time_with_the_editor_open() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=impartial-culture&iters=100000")
                .await?;
            b.web
                .execute(
                    "document.querySelector('[data-testid=\"view-editor\"]').open = true;",
                    vec![],
                )
                .await?;
            b.wait_for("the editor", Duration::from_secs(10), |b| async move {
                b.exists("population-editor").await
            })
            .await?;
            b.set_value("speed-select", "60").await?;
            b.click("play").await?;
            let mut samples = Vec::new();
            for _ in 0..6 {
                tokio::time::sleep(Duration::from_millis(1000)).await;
                samples.push(b.text("perf").await?);
            }
            b.click("pause").await?;
            let report = format!(
                "editor open, impartial-culture, 60 iterations/s, footer once a second:\n{}\n",
                samples.join("\n")
            );
            std::fs::write(screenshot_dir().join("frames.txt"), &report)?;
            eprintln!("{report}");
            Ok(())
        })
    })
    .await
}

/// The page's largest-contentful-paint entries as the browser reports them (element, size,
/// time), at a phone's width and at the default window: what Lighthouse's LCP is made of.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: make bench-browser"]
async fn largest_contentful_paint_entries() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            for width in [412, 1400] {
                b.web.set_window_rect(0, 0, width, 900).await?;
                b.open("/#v=1").await?;
                tokio::time::sleep(Duration::from_millis(1500)).await;
                let entries = b
                    .web
                    .execute_async(
                        "const done = arguments[arguments.length - 1];\
                         new PerformanceObserver((list) => done(list.getEntries().map((e) =>\
                           `${e.startTime.toFixed(0)} ms ${e.size} px² ${e.element ? e.element.tagName + '.' + e.element.className : '?'}`)))\
                         .observe({type: 'largest-contentful-paint', buffered: true});",
                        vec![],
                    )
                    .await?;
                eprintln!("width {width}: {:?}", entries.json());
            }
            Ok(())
        })
    })
    .await
}
