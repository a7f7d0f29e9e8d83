//! Running: the page loads clean, plays, pauses, steps and restarts, the 51/49 preset reaches
//! k/(k+1) while NLHF collapses, every preset runs, runs stop at their cap, replay, typed k.

use super::harness::*;
use super::helpers::*;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

const CONTRACT: [&str; 14] = [
    "iteration",
    "win-rate-nlhf",
    "win-rate-game",
    "exploitability-game",
    "k",
    "preset",
    "status",
    "play",
    "pause",
    "step",
    "restart",
    "policy-nlhf",
    "policy-game",
    "reading",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_loads_without_console_errors() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1").await?;
            for id in CONTRACT {
                assert!(b.exists(id).await?, "missing data-testid {id}");
            }
            assert!(
                !b.exists("error").await?,
                "error shown: {}",
                b.text("error").await?
            );
            assert_eq!(b.text("status").await?, "idle");
            assert_eq!(b.text("preset").await?, ualign::presets::DEFAULT_PRESET);
            assert_eq!(
                b.text("k").await?,
                ualign::config::Config::default().k.to_string()
            );
            // The charts draw once the worker's first answers are in.
            b.wait_for("the first chart", Duration::from_secs(30), |b| async move {
                Ok(b.text("perf").await?.contains("first chart"))
            })
            .await?;
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn play_runs_the_worker_and_pause_stops_it() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            // Under a subpath: the worker script must be found from the document's base URI.
            b.open("/sub/#v=1").await?;
            b.set_value("iterations-input", "100000").await?;
            b.set_value("speed-select", "60").await?;
            b.wait_for("the reload", Duration::from_secs(30), |b| async move {
                Ok(b.text("iteration").await? == "0" && b.text("status").await? == "idle")
            })
            .await?;
            b.click("play").await?;
            b.wait_for("running", Duration::from_secs(10), |b| async move {
                Ok(b.text("status").await? == "running")
            })
            .await?;
            b.wait_for(
                "iterations to rise",
                Duration::from_secs(20),
                |b| async move { Ok(b.number("iteration").await? >= 20.0) },
            )
            .await?;
            let a = b.number("iteration").await?;
            tokio::time::sleep(Duration::from_millis(400)).await;
            let a2 = b.number("iteration").await?;
            assert!(a2 > a, "iteration did not keep rising: {a} then {a2}");

            // A pause shows on the next frame; the worker confirms it after its current batch (at
            // most ~8 ms), with the iteration it stopped at; allow generous slack for a loaded CI
            // machine.
            let clicked = Instant::now();
            b.click("pause").await?;
            confirmed_idle(b).await?;
            let latency = clicked.elapsed();
            assert!(
                latency < Duration::from_millis(2000),
                "pause took {latency:?}"
            );
            let p = b.number("iteration").await?;
            tokio::time::sleep(Duration::from_millis(600)).await;
            assert_eq!(
                b.number("iteration").await?,
                p,
                "iteration moved after pause"
            );

            // Single step, then restart back to 0.
            b.click("step").await?;
            b.wait_for("one step", Duration::from_secs(5), |b| async move {
                Ok(b.number("iteration").await? == p + 1.0)
            })
            .await?;
            b.click("restart").await?;
            b.wait_for("restart", Duration::from_secs(5), |b| async move {
                Ok(b.text("iteration").await? == "0")
            })
            .await?;

            // A bad step size is refused in the form, with a message, and nothing breaks.
            b.set_value("step-input", "-1").await?;
            b.wait_for(
                "the form's message",
                Duration::from_secs(5),
                |b| async move { Ok(b.web.find_all(By::Css(".field-error")).await?.len() == 1) },
            )
            .await?;
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn majority_51_49_game_reaches_k_over_k_plus_1_while_nlhf_collapses() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1").await?;
            b.set_value("speed-select", "0").await?;
            b.set_value("preset-select", "majority-51-49").await?;
            b.set_value("k-input", "4").await?;
            // Hedge's NLHF iterate gains about eta * 0.01 in log-odds per step: 400 steps put it
            // beyond 0.9998 on A, which the 0.5100 +- 0.0005 reading needs.
            b.set_value("iterations-input", "400").await?;
            b.wait_for(
                "the 51/49 preset at k = 4",
                Duration::from_secs(30),
                |b| async move {
                    Ok(b.text("preset").await? == "majority-51-49"
                        && b.text("k").await? == "4"
                        && b.text("iteration").await? == "0"
                        && b.policy("policy-game").await?.len() == 2)
                },
            )
            .await?;
            b.click("play").await?;
            b.wait_for(
                "the run to finish",
                Duration::from_secs(60),
                |b| async move { Ok(b.text("status").await? == "done") },
            )
            .await?;
            assert_eq!(b.text("iteration").await?, "400");
            let game = b.number("win-rate-game").await?;
            let nlhf = b.number("win-rate-nlhf").await?;
            assert!((game - 0.8).abs() <= 0.0005, "game win rate {game}");
            assert!((nlhf - 0.51).abs() <= 0.0005, "NLHF win rate {nlhf}");
            let policy = b.policy("policy-nlhf").await?;
            let (top, p) = policy
                .iter()
                .cloned()
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .expect("NLHF policy");
            assert!(p >= 0.999, "NLHF did not collapse: {policy:?}");
            assert_eq!(
                top, policy[0].0,
                "NLHF collapsed onto {top}, not the majority's choice"
            );
            let game_policy = b.policy("policy-game").await?;
            assert!(
                game_policy.iter().all(|(_, p)| *p > 0.05),
                "the game's policy should keep both responses: {game_policy:?}"
            );
            Ok(())
        })
    })
    .await
}

/// Every preset loads in the worker, runs, and draws without an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_preset_runs() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1").await?;
            b.set_value("speed-select", "0").await?;
            b.set_value("iterations-input", "60").await?;
            for preset in ualign::presets::presets() {
                let id = preset.id;
                b.set_value("preset-select", id).await?;
                b.wait_for(
                    &format!("preset {id} to load"),
                    Duration::from_secs(60),
                    |b| async move {
                        Ok(b.text("preset").await? == id
                            && b.text("iteration").await? == "0"
                            && !b.policy("policy-game").await?.is_empty())
                    },
                )
                .await?;
                b.click("play").await?;
                b.wait_for(
                    &format!("preset {id} to run"),
                    Duration::from_secs(60),
                    |b| async move { Ok(b.text("status").await? == "done") },
                )
                .await?;
                assert!(
                    !b.exists("error").await?,
                    "{id}: {}",
                    b.text("error").await?
                );
                for testid in ["win-rate-nlhf", "win-rate-game"] {
                    let w = b.number(testid).await?;
                    assert!((0.0..=1.0).contains(&w), "{id}: {testid} = {w}");
                }
                let game: f64 = b.policy("policy-game").await?.iter().map(|(_, p)| p).sum();
                assert!(
                    (game - 1.0).abs() < 1e-9,
                    "{id}: game policy sums to {game}"
                );
                b.screenshot("view-policies", &format!("preset-{id}.png"))
                    .await?;
            }
            Ok(())
        })
    })
    .await
}

/// k and the players beyond the sliders' reach: typed up to the core's limits (k = 1024 and
/// 1025 players run), refused past them with the limit named; the slider and the typed
/// value follow each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn k_and_players_can_be_typed_up_to_their_limits() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49").await?;
            b.set_value("k-exact", "1024").await?;
            b.wait_for("k = 1024", Duration::from_secs(30), |b| async move {
                Ok(b.text("k").await? == "1024"
                    && b.text("players").await? == "1025"
                    && location_hash(b).await?.contains("k=1024"))
            })
            .await?;
            b.set_value("k-exact", "2000").await?;
            b.wait_for("the refusal", Duration::from_secs(10), |b| async move {
                Ok(b.exists("form-error").await?
                    && b.text("form-error").await?.contains("(the limit on k)"))
            })
            .await?;
            assert_eq!(
                b.text("k").await?,
                "1024",
                "a refused entry changes nothing"
            );
            // The 1025-player game takes a step.
            b.set_value("speed-select", "0").await?;
            b.click("step").await?;
            b.wait_for("one step", Duration::from_secs(30), |b| async move {
                Ok(b.text("iteration").await? == "1")
            })
            .await?;
            assert!(!b.exists("error").await?);
            // The slider sets k again; the typed field empties (it shows k beyond the slider only).
            b.set_value("k-input", "5").await?;
            b.wait_for("k = 5", Duration::from_secs(10), |b| async move {
                Ok(b.text("k").await? == "5" && control_value(b, "k-exact").await?.is_empty())
            })
            .await?;
            // Players typed when they are not k + 1.
            b.click("players-auto").await?;
            b.set_value("players-exact", "40").await?;
            b.wait_for("40 players", Duration::from_secs(10), |b| async move {
                Ok(b.text("players").await? == "40"
                    && location_hash(b).await?.contains("players=40"))
            })
            .await?;
            Ok(())
        })
    })
    .await
}

/// Replay: after a run, the slider goes back to earlier iterations (NLHF not yet collapsed),
/// and "back to the newest" returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_shows_earlier_iterations() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49&iters=300").await?;
            b.set_value("speed-select", "600").await?;
            b.click("play").await?;
            b.wait_for("the run", Duration::from_secs(30), |b| async move {
                Ok(b.text("status").await? == "done")
            })
            .await?;
            let kept = b
                .web
                .execute(
                    "return Number(document.querySelector('[data-testid=\"replay\"]').max)",
                    vec![],
                )
                .await?;
            let kept = kept.json().as_u64().unwrap_or(0);
            assert!(kept >= 5, "only {kept} snapshots kept");
            b.set_value("replay", "0").await?;
            b.wait_for(
                "iteration 0 again",
                Duration::from_secs(10),
                |b| async move { Ok(b.text("iteration").await? == "0") },
            )
            .await?;
            let start = b.policy("policy-nlhf").await?;
            assert!(
                start.iter().all(|(_, p)| (p - 0.5).abs() < 1e-9),
                "NLHF starts uniform: {start:?}"
            );
            b.set_value("replay", &(kept / 2).to_string()).await?;
            b.wait_for(
                "a middle iteration",
                Duration::from_secs(10),
                |b| async move {
                    let t = b.number("iteration").await?;
                    Ok(t > 0.0 && t < 300.0)
                },
            )
            .await?;
            b.screenshot("view-win-rates", "replay-win-rates.png")
                .await?;
            b.screenshot("view-policies", "replay-policies.png").await?;
            b.click("live").await?;
            b.wait_for(
                "the newest again",
                Duration::from_secs(10),
                |b| async move { Ok(b.text("iteration").await? == "300" && !b.exists("live").await?) },
            )
            .await?;
            Ok(())
        })
    })
    .await
}

/// A run longer than its iteration cap stops exactly at the cap with status `done`, stays
/// there, and playing again runs to the cap once more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_ends_at_its_iteration_cap_with_status_done() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49&iters=50").await?;
            b.set_value("speed-select", "0").await?;
            for round in 0..2 {
                b.click("play").await?;
                b.wait_for(
                    "the end of the run",
                    Duration::from_secs(30),
                    |b| async move { Ok(b.text("status").await? == "done") },
                )
                .await?;
                assert_eq!(b.text("iteration").await?, "50", "round {round}");
                tokio::time::sleep(Duration::from_millis(500)).await;
                assert_eq!(
                    b.text("iteration").await?,
                    "50",
                    "round {round}: moved past the cap"
                );
                assert_eq!(b.text("status").await?, "done");
            }
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}

/// Charts are drawn at the device pixel ratio (the canvas backing store is its CSS size times
/// devicePixelRatio, here 2), and a drawn figure is not blank.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_are_drawn_at_the_device_pixel_ratio() -> WebDriverResult<()> {
    run(2.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1").await?;
            b.wait_for("the first chart", Duration::from_secs(30), |b| async move {
                Ok(b.text("perf").await?.contains("first chart"))
            })
            .await?;
            let dims = b
                .web
                .execute(
                    "const c = document.querySelector('[data-testid=\"chart-sweep\"]');\
                     return [c.width, c.height, c.clientWidth, c.clientHeight, window.devicePixelRatio];",
                    vec![],
                )
                .await?;
            let d: Vec<f64> = dims.convert()?;
            assert_eq!(d[4], 2.0);
            assert_eq!(d[0], (d[2] * d[4]).round(), "canvas width not HiDPI: {d:?}");
            assert_eq!(d[1], (d[3] * d[4]).round(), "canvas height not HiDPI: {d:?}");
            let path = b.screenshot("view-policies", "policies-first.png").await?;
            let size = std::fs::metadata(&path)?.len();
            assert!(size > 5_000, "the policies figure looks empty ({size} bytes)");
            Ok(())
        })
    })
    .await
}

/// LLMFAO under Hedge: NLHF's last iterate cycles. The reading names the iterate, says it has
/// not converged and quotes the exact maximal lottery; the readouts show the exact W_k beside
/// the iterate's, equal to the native session's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reading_names_the_iterate_and_the_exact_maximal_lottery() -> WebDriverResult<()> {
    let config = ualign::config::Config {
        preset: "llmfao".into(),
        k: 4,
        iterations: 300,
        ..Default::default()
    };
    let exact = ualign::session::Session::new(&config).unwrap().snapshot();
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=llmfao&k=4&iters=300").await?;
            b.wait_for("the load", Duration::from_secs(30), |b| async move {
                Ok(b.text("reading").await?.starts_with("Exact:"))
            })
            .await?;
            b.set_value("speed-select", "0").await?;
            b.click("play").await?;
            b.wait_for("the run's end", Duration::from_secs(60), |b| async move {
                Ok(b.text("status").await? == "done")
            })
            .await?;
            let reading = b.text("reading").await?;
            assert!(
                reading.contains("Exact: NLHF's maximal lottery puts 0.538 on Jurassic 2 Light"),
                "{reading}"
            );
            assert!(
                reading.contains(
                    "NLHF self-play's current iterate (iteration 300, Hedge) has not converged"
                ),
                "{reading}"
            );
            assert!(reading.contains("last iterate cycles"), "{reading}");
            // A matrix fixes no population: the reading says which one best-of-k is of.
            assert!(
                reading.contains("voter types fitted to the matrix"),
                "{reading}"
            );
            // The readouts' exact values are the sweep's at the same k (the page's own export).
            b.wait_for("the sweep", Duration::from_secs(60), |b| async move {
                Ok(!b.exists("sweep-progress").await?)
            })
            .await?;
            b.click("export-sweep").await?;
            let csv = std::fs::read_to_string(downloaded(b, "ualign-win-rate-vs-k.csv").await?)?;
            let row: Vec<f64> = csv
                .lines()
                .find(|l| l.starts_with("4,"))
                .expect("the sweep has k = 4")
                .split(',')
                .map(|x| x.parse().unwrap())
                .collect();
            let native = (
                exact.nlhf.exact_robust_win_rate,
                exact.game.exact_robust_win_rate,
            );
            assert_eq!(
                b.text("win-rate-nlhf-exact").await?,
                format!("{:.4}", row[1]),
                "{csv} (native: {native:?})"
            );
            assert_eq!(
                b.text("win-rate-game-exact").await?,
                format!("{:.4}", row[2]),
                "{csv} (native: {native:?})"
            );
            // The page (wasm) fits the same population as the native core: the exact values
            // agree with the native session's too (a libm `hypot` in the fit once made them
            // part: 0.6624 in the browser against 0.6661).
            assert_eq!(
                b.text("win-rate-nlhf-exact").await?,
                format!("{:.4}", native.0),
                "{csv} (native: {native:?})"
            );
            assert_eq!(
                b.text("win-rate-game-exact").await?,
                format!("{:.4}", native.1)
            );
            // The iterate's own W_k is a different number, and is labelled as the iterate's.
            assert_ne!(
                b.text("win-rate-nlhf").await?,
                b.text("win-rate-nlhf-exact").await?
            );
            Ok(())
        })
    })
    .await
}

/// `at=end`: a slide revisited opens at the run's final state, with nothing clicked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_end_opens_the_run_at_its_final_state() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            // Not `open`, which waits for iteration 0: this link never shows it for long.
            b.web
                .goto(format!(
                    "{}/#v=1&preset=majority-51-49&k=4&iters=400&at=end",
                    b.site
                ))
                .await?;
            b.wait_for("the final state", Duration::from_secs(30), |b| async move {
                Ok(b.text("status").await? == "done")
            })
            .await?;
            assert_eq!(b.text("iteration").await?, "400");
            let game = b.number("win-rate-game").await?;
            assert!((game - 0.8).abs() <= 5e-4, "{game}");
            assert_eq!(b.text("win-rate-game-exact").await?, "0.8000");
            let hash = location_hash(b).await?;
            assert!(hash.contains("at=end"), "{hash}");
            Ok(())
        })
    })
    .await
}

/// How often a component has rendered, by its `data-renders` (shown under `?test`).
async fn renders(b: &Browser, css: &str) -> WebDriverResult<u32> {
    let n = b.web.find(By::Css(css)).await?.attr("data-renders").await?;
    Ok(n.and_then(|n| n.parse().ok()).unwrap_or(0))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_component_whose_props_did_not_change_is_not_drawn_again() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/?test#v=1&preset=majority-51-49&k=3&iters=1000")
                .await?;
            b.wait_for("the first chart", Duration::from_secs(30), |b| async move {
                Ok(b.text("perf").await?.contains("first chart"))
            })
            .await?;
            let parts = [
                "[data-testid=\"readouts\"]",
                "[data-testid=\"view-controls\"]",
                "[data-testid=\"deck-panel\"]",
            ];
            let mut before = Vec::new();
            for css in parts {
                before.push(renders(b, css).await?);
            }
            assert!(before.iter().all(|&n| n >= 1), "{before:?}");
            // Steps change the run's numbers only: the readouts are drawn again, the settings
            // and the deck panel, whose props stay the same, are not.
            for i in 1..=3 {
                b.click("step").await?;
                let want = i.to_string();
                b.wait_for("a step", Duration::from_secs(10), move |b| {
                    let want = want.clone();
                    async move { Ok(b.text("iteration").await? == want) }
                })
                .await?;
            }
            let mut after = Vec::new();
            for css in parts {
                after.push(renders(b, css).await?);
            }
            assert!(
                after[0] >= before[0] + 3,
                "readouts: {before:?} -> {after:?}"
            );
            assert_eq!(after[1], before[1], "the settings were drawn again");
            assert_eq!(after[2], before[2], "the deck panel was drawn again");
            Ok(())
        })
    })
    .await
}
