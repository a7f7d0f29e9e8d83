//! Faults: a crashing, throwing or stuck worker is reported and replaced, keeping the run's
//! configuration; a stop while the worker is busy shows at once.

use super::harness::*;
use super::helpers::*;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

/// Test hook: makes the worker fail (`panic`, `throw`, `busy:<ms>`); needs `?test` in the URL.
async fn inject(b: &Browser, fault: &str) -> WebDriverResult<()> {
    b.web
        .execute(
            "window.ualignTest(arguments[0])",
            vec![serde_json::json!(fault)],
        )
        .await?;
    Ok(())
}

/// The configuration survived a restarted worker (it lives in the page and its link).
async fn kept(b: &Browser) -> WebDriverResult<()> {
    let hash = b.web.execute("return location.hash", vec![]).await?;
    let hash = hash.json().as_str().unwrap_or_default().to_string();
    assert!(
        hash.contains("preset=majority-51-49")
            && hash.contains("k=3")
            && hash.contains("iters=1000000"),
        "configuration lost: {hash}"
    );
    Ok(())
}

/// Worker faults: a panic in the worker's wasm and a JavaScript exception out of its message
/// handler (injected through the `?test` debug handle) are reported in the notice and a new
/// worker takes over with the same configuration; a pause or restart while the worker is stuck
/// in one long call takes effect within a few frames by replacing the worker.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn worker_faults_are_reported_and_the_worker_restarts() -> WebDriverResult<()> {
    run(1.0, Console::Expected, |b| {
        Box::pin(async move {
            b.open("/?test#v=1&preset=majority-51-49&k=3&iters=1000000")
                .await?;
            b.set_value("speed-select", "60").await?;
            play_and_rise(b, "the first run").await?;
            // A pause of a healthy worker: shown in the next frame, confirmed by the worker, and the
            // run keeps its iterations (no replacement).
            let seen = click_and_read_next_frame(b, "pause", &["status"]).await?;
            assert_eq!(seen, ["idle"], "the frame after pause");
            confirmed_idle(b).await?;
            let paused_at = b.text("iteration").await?;
            tokio::time::sleep(Duration::from_millis(1500)).await;
            assert_eq!(b.text("status").await?, "idle");
            assert_eq!(
                b.text("iteration").await?,
                paused_at,
                "no step after the pause"
            );
            assert!(!b.exists("notice").await?, "{}", b.text("notice").await?);
            play_and_rise(b, "the run after a pause").await?;

            for (fault, says) in [
                ("panic", "internal error in the solver"),
                ("throw", "the solver worker failed"),
            ] {
                inject(b, fault).await?;
                b.wait_for(
                    "the restarted worker",
                    Duration::from_secs(20),
                    |b| async move {
                        Ok(b.text("notice").await?.contains("Solver restarted")
                            && b.text("status").await? == "idle"
                            && b.text("iteration").await? == "0")
                    },
                )
                .await?;
                let notice = b.text("notice").await?;
                assert!(
                    notice.contains(says) && notice.contains("test fault"),
                    "{fault}: {notice}"
                );
                assert!(
                    !b.exists("error").await?,
                    "{fault}: {}",
                    b.text("error").await?
                );
                assert_eq!(b.text("k").await?, "3");
                kept(b).await?;
                play_and_rise(b, "the run after the restart").await?;
                dismiss_notice(b).await?;
            }

            // Stuck in one 20 s call: a pause shows in the very next frame; the stuck worker is then
            // replaced (after STALL_MS = 1 s; the limit allows for WebDriver's round trips on a loaded
            // machine). A restart likewise replaces it.
            for (control, status) in [("pause", "idle"), ("restart", "idle")] {
                if control == "restart" {
                    play_and_rise(b, "a run to restart").await?;
                }
                inject(b, "busy:20000").await?;
                let clicked = Instant::now();
                if control == "pause" {
                    let seen = click_and_read_next_frame(b, "pause", &["status"]).await?;
                    assert_eq!(seen, ["idle"], "the frame after pause, worker stuck");
                } else {
                    b.click(control).await?;
                }
                b.wait_for(
                    "the stuck worker replaced",
                    Duration::from_secs(10),
                    |b| async move {
                        Ok(b.text("notice").await?.contains("did not answer")
                            && b.text("status").await? == status
                            && b.text("iteration").await? == "0")
                    },
                )
                .await?;
                let latency = clicked.elapsed();
                assert!(
                    latency < Duration::from_millis(4000),
                    "{control} while busy took {latency:?}"
                );
                kept(b).await?;
                dismiss_notice(b).await?;
            }
            play_and_rise(b, "the run after the stuck worker").await?;
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}

/// Clicks `testid` and reads the text of `read` in the next animation frame, i.e. what the
/// page shows one frame after the click.
async fn click_and_read_next_frame(
    b: &Browser,
    testid: &str,
    read: &[&str],
) -> WebDriverResult<Vec<String>> {
    let seen = b
        .web
        .execute_async(
            "const [id, read, done] = arguments;\
             document.querySelector(`[data-testid=\"${id}\"]`).click();\
             requestAnimationFrame(() => done(read.map(r => {\
               const el = document.querySelector(`[data-testid=\"${r}\"]`);\
               return el ? el.textContent : '(absent)';\
             })));",
            vec![serde_json::json!(testid), serde_json::json!(read)],
        )
        .await?;
    Ok(serde_json::from_value(seen.json().clone()).unwrap_or_default())
}

/// A stop during a 1025-player run (k = 1024) while the worker is inside one long call (like
/// a huge solve): the next frame shows the run stopped and the sweep halted; the stuck worker
/// is then replaced and the new one keeps the sweep halted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_while_the_worker_is_busy_replaces_it_and_keeps_the_sweep_halted(
) -> WebDriverResult<()> {
    run(1.0, Console::Expected, |b| {
        Box::pin(async move {
            b.open("/?test#v=1&preset=breakfast&kmax=128&k=1024&iters=1000000")
                .await?;
            b.set_value("speed-select", "60").await?;
            play_and_rise(b, "a 1025-player run").await?;
            b.wait_for(
                "the sweep under way",
                Duration::from_secs(20),
                |b| async move { b.exists("stop").await },
            )
            .await?;
            inject(b, "busy:20000").await?;
            let clicked = Instant::now();
            let seen = click_and_read_next_frame(b, "stop", &["status", "sweep-continue"]).await?;
            assert_eq!(
                seen,
                ["idle", "Continue"],
                "the frame after stop, worker stuck"
            );
            b.wait_for(
                "the stuck worker replaced",
                Duration::from_secs(10),
                |b| async move {
                    Ok(b.text("notice").await?.contains("did not answer")
                        && b.text("status").await? == "idle")
                },
            )
            .await?;
            let latency = clicked.elapsed();
            assert!(
                latency < Duration::from_millis(4000),
                "stop while busy took {latency:?}"
            );
            // The new worker got the stop too: the sweep stays halted and can be continued.
            b.wait_for(
                "the halted sweep",
                Duration::from_secs(10),
                |b| async move { b.exists("sweep-continue").await },
            )
            .await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
            assert!(b.exists("sweep-continue").await?);
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}
