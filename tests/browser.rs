//! Browser tests: the release site in dist/ in real headless Chromium, driven over WebDriver.
//! They skip (with a message) only when dist/ or Chromium is missing outside CI.
#![cfg(not(target_arch = "wasm32"))]

#[path = "browser/harness.rs"]
mod harness;

use harness::Browser;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;
use tokio::sync::Mutex;

/// One browser at a time: the machine has two cores and the timing checks need them.
static SERIAL: Mutex<()> = Mutex::const_new(());

/// Takes the browser slot and launches Chromium at a device pixel ratio; `None` when the
/// harness says to skip (no dist/ outside CI).
async fn start(
    scale: f64,
) -> WebDriverResult<Option<(tokio::sync::MutexGuard<'static, ()>, Browser)>> {
    let serial = SERIAL.lock().await;
    if !harness::ready() {
        return Ok(None);
    }
    Ok(Some((serial, Browser::launch(scale).await?)))
}

/// Every test ends clean: no console errors (CSP violations land there too), then quit.
async fn finish(b: Browser) -> WebDriverResult<()> {
    let errors = b.console_errors().await?;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    b.quit().await
}

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
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/").await?;
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
    finish(b).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn play_runs_the_worker_and_pause_stops_it() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    // Under a subpath: the worker script must be found from the document's base URI.
    b.open("/sub/").await?;
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
    confirmed_idle(&b).await?;
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
    finish(b).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn majority_51_49_game_reaches_k_over_k_plus_1_while_nlhf_collapses() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/").await?;
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
    finish(b).await
}

/// Screenshots of every view at devicePixelRatio 2 (target/screenshots/), the HiDPI backing
/// store, and the figures for the report: time to first chart and frames per second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn screenshots_and_timings() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(2.0).await? else {
        return Ok(());
    };
    let t0 = Instant::now();
    b.open("/").await?;
    b.wait_for("the first chart", Duration::from_secs(30), |b| async move {
        Ok(b.text("perf").await?.contains("first chart"))
    })
    .await?;
    let first_chart = b.text("perf").await?;
    let wall_first_chart = t0.elapsed();

    // Canvas backing store = CSS size x devicePixelRatio.
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
    assert_eq!(
        d[1],
        (d[3] * d[4]).round(),
        "canvas height not HiDPI: {d:?}"
    );

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
    b.web
        .screenshot(&harness::screenshot_dir().join("page.png"))
        .await?;
    let report = format!(
        "{first_chart} (page: performance.now() at first chart)\n\
         wall clock from navigation to first chart seen by WebDriver: {:.0} ms\n\
         animating at 60 iterations/s: {fps_60}\n\
         animating as fast as possible ({its_per_s:.0} iterations/s): {fps_max}\n",
        wall_first_chart.as_secs_f64() * 1000.0
    );
    std::fs::write(harness::screenshot_dir().join("timings.txt"), &report)?;
    eprintln!("{report}");
    finish(b).await
}

/// Every preset loads in the worker, runs, and draws without an error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_preset_runs() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/").await?;
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
    finish(b).await
}

/// The configuration lives in the URL: a share link opens it, edits update it, an edited
/// fragment reloads, and a bad link gives a message and the default configuration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_links_round_trip_and_bad_links_fall_back() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/#v=1&preset=majority-51-49&k=3&iters=123").await?;
    assert_eq!(b.text("preset").await?, "majority-51-49");
    assert_eq!(b.text("k").await?, "3");
    assert!(!b.exists("notice").await?);
    b.set_value("k-input", "6").await?;
    b.wait_for(
        "the URL to follow k",
        Duration::from_secs(10),
        |b| async move {
            let hash = b.web.execute("return location.hash", vec![]).await?;
            Ok(hash.json().as_str().unwrap_or_default().contains("k=6"))
        },
    )
    .await?;
    let hash = b.web.execute("return location.hash", vec![]).await?;
    let hash = hash.json().as_str().unwrap_or_default().to_string();
    assert!(
        hash.contains("preset=majority-51-49") && hash.contains("iters=123"),
        "{hash}"
    );

    // Editing the fragment in place loads the new configuration.
    b.web
        .execute("location.hash = '#v=1&preset=tshirt&k=2'", vec![])
        .await?;
    b.wait_for("the edited link", Duration::from_secs(30), |b| async move {
        Ok(b.text("preset").await? == "tshirt" && b.text("k").await? == "2")
    })
    .await?;

    // A tampered link: a message, the default configuration, no crash.
    b.web
        .goto(format!("{}/?fresh#v=1&k=banana&preset=nope", b.site))
        .await?;
    b.wait_for("the fallback", Duration::from_secs(30), |b| async move {
        Ok(b.exists("notice").await? && !b.policy("policy-game").await?.is_empty())
    })
    .await?;
    assert_eq!(b.text("preset").await?, ualign::presets::DEFAULT_PRESET);
    assert!(b.text("notice").await?.contains("could not be opened"));
    assert!(!b.exists("error").await?);
    finish(b).await
}

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
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
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
             return document.documentElement.scrollHeight <= window.innerHeight + 1\
               && m.scrollHeight <= m.clientHeight + 1",
            vec![],
        )
        .await?;
    assert_eq!(
        overflow.json(),
        &serde_json::json!(true),
        "embed page scrolls"
    );
    b.web
        .screenshot(&harness::screenshot_dir().join("embed.png"))
        .await?;
    // One figure at lecture-hall size fills the frame; the others are not shown.
    b.open("/#v=1&embed=1&view=sweep&font=2").await?;
    // Headings at twice their 16 px.
    assert!((heading_px(&b).await? - 32.0).abs() < 0.5);
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
        .screenshot(&harness::screenshot_dir().join("embed-sweep-2x.png"))
        .await?;
    finish(b).await
}

/// The chart text size and the figures shown are display settings: changing them while a run
/// goes on goes into the link, and the run keeps its iterations.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chart_text_size_changes_without_restarting_the_run() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/#v=1&preset=majority-51-49&iters=1000000").await?;
    let normal = heading_px(&b).await?;
    b.set_value("speed-select", "60").await?;
    play_and_rise(&b, "a run").await?;
    b.set_value("font-select", "1.5").await?;
    b.wait_for("the larger text", Duration::from_secs(10), |b| async move {
        Ok(location_hash(b).await?.contains("font=1.5"))
    })
    .await?;
    assert!((heading_px(&b).await? - 1.5 * normal).abs() < 0.5);
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
    finish(b).await
}

/// Every chart downloads as PNG and as SVG (a well-formed document with its title, key and
/// data drawn as vectors), and the data as CSV and JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_download_png_svg_csv_and_json() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/#v=1&preset=majority-51-49&iters=50").await?;
    b.set_value("speed-select", "0").await?;
    b.click("play").await?;
    b.wait_for("the run", Duration::from_secs(30), |b| async move {
        Ok(b.text("status").await? == "done" && !b.exists("sweep-progress").await?)
    })
    .await?;
    let expected = [
        ("png-policies", "ualign-policies.png"),
        ("png-winrates", "ualign-win-rates.png"),
        ("png-sweep", "ualign-win-rate-vs-k.png"),
        ("png-opponents", "ualign-opponents.png"),
        ("svg-policies", "ualign-policies.svg"),
        ("svg-winrates", "ualign-win-rates.svg"),
        ("svg-sweep", "ualign-win-rate-vs-k.svg"),
        ("svg-opponents", "ualign-opponents.svg"),
        ("export-iterations", "ualign-iterations.csv"),
        ("export-sweep", "ualign-win-rate-vs-k.csv"),
        ("export-json", "ualign-results.json"),
    ];
    // One at a time: Chrome holds back a burst of downloads from one page.
    let dir = b.downloads();
    for (button, name) in expected {
        b.click(button).await?;
        downloaded(&b, name).await?;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = std::fs::read(dir.join("ualign-win-rates.png"))?;
    assert_eq!(&png[1..4], b"PNG");
    let csv = std::fs::read_to_string(dir.join("ualign-iterations.csv"))?;
    assert!(csv.starts_with("iteration,nlhf_win_rate"));
    assert_eq!(csv.lines().count(), 51, "header + 50 iterations");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("ualign-results.json"))?)
            .expect("valid JSON");
    assert_eq!(json["config"]["preset"], "majority-51-49");
    assert_eq!(json["history"].as_array().map(Vec::len), Some(50));
    // SVG: one well-formed document per figure (parsed by the browser), with its title, its
    // key and its data as vector shapes (polylines for the series, rects for the bars).
    for (name, title, key, shape, min_shapes) in [
        (
            "ualign-policies.svg",
            "Policies: NLHF versus the",
            "NLHF (2-player game)",
            "rect",
            4,
        ),
        (
            "ualign-win-rates.svg",
            "win rate over iterations",
            "k/(k+1)",
            "polyline",
            6,
        ),
        (
            "ualign-win-rate-vs-k.svg",
            "Win rate against k",
            "RLHF (Bradley-Terry)",
            "polyline",
            6,
        ),
        (
            "ualign-opponents.svg",
            "Against an opponent",
            "guarantee (k+1-ℓ)/(k+1)",
            "polyline",
            3,
        ),
    ] {
        let svg = std::fs::read_to_string(dir.join(name))?;
        // Kept beside the screenshots, to look at.
        std::fs::write(harness::screenshot_dir().join(name), &svg)?;
        assert!(
            svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
            "{name}"
        );
        assert_eq!(svg.matches("<svg").count(), 1, "{name}: one document");
        let parsed = b
            .web
            .execute(
                "const d = new DOMParser().parseFromString(arguments[0], 'image/svg+xml');\
                 const texts = [...d.querySelectorAll('text')].map(t => t.textContent.trim());\
                 return { errors: d.getElementsByTagName('parsererror').length,\
                          root: d.documentElement.nodeName, texts,\
                          shapes: d.getElementsByTagName(arguments[1]).length };",
                vec![serde_json::json!(svg), serde_json::json!(shape)],
            )
            .await?;
        let parsed = parsed.json();
        assert_eq!(parsed["errors"], 0, "{name} is not well-formed");
        assert_eq!(parsed["root"], "svg", "{name}");
        let texts: Vec<String> =
            serde_json::from_value(parsed["texts"].clone()).unwrap_or_default();
        assert!(
            texts.iter().any(|t| t.contains(title)),
            "{name}: no title in {texts:?}"
        );
        assert!(
            texts.iter().any(|t| t == key),
            "{name}: no key entry {key:?} in {texts:?}"
        );
        let shapes = parsed["shapes"].as_u64().unwrap_or(0);
        assert!(shapes >= min_shapes, "{name}: {shapes} <{shape}> elements");
        if name == "ualign-policies.svg" {
            // The bars carry the responses' labels.
            for label in labels(&b).await? {
                assert!(
                    texts.contains(&label),
                    "{name}: no label {label:?} in {texts:?}"
                );
            }
        }
    }
    assert!(!b.exists("notice").await?, "{}", b.text("notice").await?);
    finish(b).await
}

/// Importing a PrefLib file replaces the preset's preferences (and goes into the link); a
/// broken file gives a message naming the line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_preflib_and_report_bad_files() -> WebDriverResult<()> {
    let _serial = SERIAL.lock().await;
    if !harness::ready() {
        return Ok(());
    }
    let dir = std::env::temp_dir().join(format!("ualign-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let good = dir.join("fruit.soc");
    std::fs::write(
        &good,
        "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n\
         # ALTERNATIVE NAME 1: Apple\n# ALTERNATIVE NAME 2: Banana\n# ALTERNATIVE NAME 3: Cherry\n\
         6: 1,2,3\n4: 2,3,1\n",
    )?;
    let bad = dir.join("broken.soc");
    std::fs::write(
        &bad,
        "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n6: 1,2,3\n4: 2,zebra,1\n",
    )?;

    let b = Browser::launch(1.0).await?;
    b.open("/").await?;
    let input = b.web.find(By::Css("[data-testid=\"import-file\"]")).await?;
    input.send_keys(good.display().to_string()).await?;
    b.wait_for(
        "the imported preferences",
        Duration::from_secs(30),
        |b| async move {
            let labels: Vec<String> = b
                .policy("policy-game")
                .await?
                .into_iter()
                .map(|(l, _)| l)
                .collect();
            Ok(labels == ["Apple", "Banana", "Cherry"] && b.text("iteration").await? == "0")
        },
    )
    .await?;
    assert!(b.text("notice").await?.contains("Imported fruit.soc"));
    let hash = b.web.execute("return location.hash", vec![]).await?;
    assert!(
        hash.json().as_str().unwrap_or_default().contains("data="),
        "the link should carry the imported preferences"
    );

    let input = b.web.find(By::Css("[data-testid=\"import-file\"]")).await?;
    input.send_keys(bad.display().to_string()).await?;
    b.wait_for(
        "the import error",
        Duration::from_secs(30),
        |b| async move { Ok(b.text("notice").await?.contains("could not be read")) },
    )
    .await?;
    let notice = b.text("notice").await?;
    assert!(
        notice.contains("broken.soc") && notice.contains("line 4"),
        "{notice}"
    );
    assert!(!b.exists("error").await?);
    let errors = b.console_errors().await?;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let _ = std::fs::remove_dir_all(&dir);
    b.quit().await
}

/// Every data file shipped in `data/` imports through the file picker, giving the responses
/// the library's own reader finds in it (in the same order).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_data_file_imports() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/#v=1&preset=majority-51-49").await?;
    let mut files: Vec<std::path::PathBuf> =
        std::fs::read_dir(harness::repo_dir().join("core/data"))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e != "md"))
            .collect();
    files.sort();
    assert!(files.len() >= 7, "{files:?}");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path)?;
        let want: Vec<String> = ualign::readers::read_any(&name, &text)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .labels()
            .to_vec();
        let input = b.web.find(By::Css("[data-testid=\"import-file\"]")).await?;
        input.send_keys(path.display().to_string()).await?;
        let (name2, want2) = (name.clone(), want.clone());
        b.wait_for(
            &format!("{name} imported"),
            Duration::from_secs(60),
            move |b| {
                let (name, want) = (name2.clone(), want2.clone());
                async move {
                    Ok(b.exists("notice").await?
                        && b.text("notice")
                            .await?
                            .contains(&format!("Imported {name}"))
                        && labels(b).await? == want)
                }
            },
        )
        .await?;
        assert!(
            !b.exists("error").await?,
            "{name}: {}",
            b.text("error").await?
        );
        dismiss_notice(&b).await?;
    }
    finish(b).await
}

/// Unfolds "Edit the preferences" and waits for `testid` in it.
async fn open_editor(b: &Browser, testid: &str) -> WebDriverResult<()> {
    b.web
        .execute(
            "document.querySelector('[data-testid=\"view-editor\"]').open = true",
            vec![],
        )
        .await?;
    let id = testid.to_string();
    b.wait_for(
        &format!("the editor's {testid}"),
        Duration::from_secs(30),
        move |b| {
            let id = id.clone();
            async move { b.exists(&id).await }
        },
    )
    .await
}

/// Closes the notice with its button.
async fn dismiss_notice(b: &Browser) -> WebDriverResult<()> {
    b.web
        .find(By::Css("[data-testid=\"notice\"] button"))
        .await?
        .click()
        .await
}

/// Waits (up to 20 s) for a download to land, whole; its path.
async fn downloaded(b: &Browser, name: &str) -> WebDriverResult<std::path::PathBuf> {
    let dir = b.downloads();
    let path = dir.join(name);
    let deadline = Instant::now() + Duration::from_secs(20);
    while !path.exists() {
        let seen: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.flatten().map(|e| e.file_name()).collect())
            .unwrap_or_default();
        assert!(
            Instant::now() < deadline,
            "{name} was not downloaded; got {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Chrome renames the finished file into place; give it a moment to settle.
    tokio::time::sleep(Duration::from_millis(200)).await;
    Ok(path)
}

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
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    // a > b > c, b > c > a, c > a > b: a cycle, no Condorcet winner.
    b.open("/#v=1&preset=condorcet-cycle").await?;
    open_editor(&b, "population-matrix").await?;
    assert_eq!(ranking(&b, 0).await?, "a > b > c");
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
    drag_chip(&b, 0, 2, 0, 0.12).await?;
    wait_ranking(&b, 0, "c > a > b").await?;
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
    wait_ranking(&b, 0, "a > b > c").await?;
    // The middle of a response ties; the right part puts it after.
    drag_chip(&b, 0, 2, 0, 0.5).await?;
    wait_ranking(&b, 0, "a = c > b").await?;
    drag_chip(&b, 0, 0, 1, 0.9).await?;
    wait_ranking(&b, 0, "c > b > a").await?;
    // Separators: ">" ties two neighbouring classes, "=" breaks a tie (a tie lists its
    // responses in label order).
    b.click("tie-0-0").await?;
    wait_ranking(&b, 0, "b = c > a").await?;
    b.click("untie-0-0-1").await?;
    wait_ranking(&b, 0, "b > c > a").await?;

    // Duplicate voter type 2 (c > a > b): four types, the copy right after it.
    b.click("duplicate-2").await?;
    b.wait_for("the copy", Duration::from_secs(10), |b| async move {
        b.exists("ranking-3").await
    })
    .await?;
    assert_eq!(ranking(&b, 3).await?, ranking(&b, 2).await?);
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
    finish(b).await
}

/// The editors: a matrix cell sets its mirror, a voter's ranking moves with the keyboard,
/// invalid entries are refused with a message, and "back to the preset" undoes the edits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_change_the_preferences_and_refuse_bad_entries() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    // A population preset: 51% A > B, 49% B > A.
    b.open("/#v=1&preset=majority-51-49").await?;
    open_editor(&b, "population-editor").await?;
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
        control_value(&b, "cell-0-2").await?,
        control_value(&b, "cell-2-0").await?,
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
    assert_eq!(control_value(&b, "cell-0-2").await?, cell);
    assert_eq!(control_value(&b, "cell-2-0").await?, mirror);
    assert!(!b.exists("editor-error").await?);
    // Add a response (even odds against every other), rename it, refuse a 17th, and remove
    // the first one.
    let before = labels(&b).await?;
    assert_eq!(before.len(), 15);
    b.click("add-response").await?;
    b.wait_for(
        "the new response",
        Duration::from_secs(30),
        |b| async move { Ok(labels(b).await?.len() == 16) },
    )
    .await?;
    assert_eq!(control_value(&b, "label-15").await?, "R1");
    assert_eq!(control_value(&b, "cell-15-0").await?, "0.5000");
    assert_eq!(control_value(&b, "cell-3-15").await?, "0.5000");
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
    let after = labels(&b).await?;
    assert!(
        !after.contains(&before[0]) && after[0] == before[1],
        "{after:?}"
    );
    assert_eq!(after.last().map(String::as_str), Some("Zeta"));
    b.screenshot("view-editor", "editor-matrix.png").await?;
    assert!(!b.exists("error").await?);
    finish(b).await
}

/// k and the players beyond the sliders' reach: typed up to the core's limits (k = 1024 and
/// 1025 players run), refused past them with the limit named; the slider and the typed
/// value follow each other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn k_and_players_can_be_typed_up_to_their_limits() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
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
        Ok(b.text("players").await? == "40" && location_hash(b).await?.contains("players=40"))
    })
    .await?;
    finish(b).await
}

/// Replay: after a run, the slider goes back to earlier iterations (NLHF not yet collapsed),
/// and "back to the newest" returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replay_shows_earlier_iterations() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
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
    finish(b).await
}

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

async fn play_and_rise(b: &Browser, what: &str) -> WebDriverResult<()> {
    b.click("play").await?;
    b.wait_for(what, Duration::from_secs(20), |b| async move {
        Ok(b.text("status").await? == "running" && b.number("iteration").await? >= 5.0)
    })
    .await
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
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/?test#v=1&preset=majority-51-49&k=3&iters=1000000")
        .await?;
    b.set_value("speed-select", "60").await?;
    play_and_rise(&b, "the first run").await?;
    // A pause of a healthy worker: shown in the next frame, confirmed by the worker, and the
    // run keeps its iterations (no replacement).
    let seen = click_and_read_next_frame(&b, "pause", &["status"]).await?;
    assert_eq!(seen, ["idle"], "the frame after pause");
    confirmed_idle(&b).await?;
    let paused_at = b.text("iteration").await?;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(b.text("status").await?, "idle");
    assert_eq!(
        b.text("iteration").await?,
        paused_at,
        "no step after the pause"
    );
    assert!(!b.exists("notice").await?, "{}", b.text("notice").await?);
    play_and_rise(&b, "the run after a pause").await?;

    for (fault, says) in [
        ("panic", "internal error in the solver"),
        ("throw", "the solver worker failed"),
    ] {
        inject(&b, fault).await?;
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
        kept(&b).await?;
        play_and_rise(&b, "the run after the restart").await?;
        dismiss_notice(&b).await?;
    }

    // Stuck in one 20 s call: a pause shows in the very next frame; the stuck worker is then
    // replaced (after STALL_MS = 1 s; the limit allows for WebDriver's round trips on a loaded
    // machine). A restart likewise replaces it.
    for (control, status) in [("pause", "idle"), ("restart", "idle")] {
        if control == "restart" {
            play_and_rise(&b, "a run to restart").await?;
        }
        inject(&b, "busy:20000").await?;
        let clicked = Instant::now();
        if control == "pause" {
            let seen = click_and_read_next_frame(&b, "pause", &["status"]).await?;
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
        kept(&b).await?;
        dismiss_notice(&b).await?;
    }
    play_and_rise(&b, "the run after the stuck worker").await?;
    assert!(!b.exists("error").await?);
    b.quit().await
}

/// The value of a form control (an input's current value, not its attribute).
async fn control_value(b: &Browser, testid: &str) -> WebDriverResult<String> {
    let v = b
        .web
        .execute(
            "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             return el ? el.value : null;",
            vec![serde_json::json!(testid)],
        )
        .await?;
    Ok(v.json().as_str().unwrap_or_default().to_string())
}

/// Whether the matrix editor's cells (0, 1) and (1, 0) hold these values, with no edited
/// preferences in the link when they are the preset's.
async fn cells(b: &Browser, v01: &str, v10: &str) -> WebDriverResult<bool> {
    Ok(control_value(b, "cell-0-1").await? == v01
        && control_value(b, "cell-1-0").await? == v10
        && (v01 == "0.9000") == location_hash(b).await?.contains("data="))
}

/// Polls a condition every 50 ms; panics with `what` after 30 s.
async fn wait<F, Fut>(cond: F, what: &str) -> WebDriverResult<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = WebDriverResult<bool>>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond().await? {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// The labels of the game's policy, in order.
async fn labels(b: &Browser) -> WebDriverResult<Vec<String>> {
    Ok(b.policy("policy-game")
        .await?
        .into_iter()
        .map(|(l, _)| l)
        .collect())
}

async fn location_hash(b: &Browser) -> WebDriverResult<String> {
    let hash = b.web.execute("return location.hash", vec![]).await?;
    Ok(hash.json().as_str().unwrap_or_default().to_string())
}

/// Undo and redo (buttons and Ctrl+Z / Ctrl+Shift+Z) step through finished edits: a matrix
/// cell comes back, and goes again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn undo_and_redo_restore_an_edited_matrix() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/#v=1&preset=llmfao").await?;
    assert!(
        !b.web
            .find(By::Css("[data-testid=\"undo\"]"))
            .await?
            .is_enabled()
            .await?
    );
    open_editor(&b, "matrix-editor").await?;
    let before = (
        control_value(&b, "cell-0-1").await?,
        control_value(&b, "cell-1-0").await?,
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
    let shown = control_value(&b, "cell-2-1").await?;
    let cell = b.web.find(By::Css("[data-testid=\"cell-2-1\"]")).await?;
    cell.send_keys("77").await?;
    assert_ne!(control_value(&b, "cell-2-1").await?, shown);
    cell.send_keys(thirtyfour::Key::Escape).await?;
    assert_eq!(control_value(&b, "cell-2-1").await?, shown);
    b.web.find(By::Tag("h1")).await?.click().await?;
    assert!(
        !b.web
            .find(By::Css("[data-testid=\"undo\"]"))
            .await?
            .is_enabled()
            .await?
    );
    let edited = || cells(&b, "0.9000", "0.1000");
    let original = || cells(&b, &before.0, &before.1);
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
    finish(b).await
}

/// Each finished edit is a history entry (back and forward restore it), the configuration
/// is kept for the next visit unless a link says otherwise, and "Reset to defaults" forgets it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_forward_and_saved_configuration() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
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
    b.wait_for("the saved one again", Duration::from_secs(30), |b| async move {
        Ok(b.text("k").await? == "5" && b.text("preset").await? == "majority-51-49")
    })
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
    b.open("/?fifth").await?;
    assert_eq!(
        b.text("k").await?,
        ualign::config::Config::default().k.to_string()
    );
    assert_eq!(b.text("preset").await?, ualign::presets::DEFAULT_PRESET);
    assert!(!b.exists("error").await?);
    finish(b).await
}

/// Pasted text imports like a file; a broken paste names the line and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_pasted_text() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/#v=1&preset=majority-51-49").await?;
    assert_eq!(labels(&b).await?.len(), 2);
    b.set_value(
        "paste-text",
        "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n\
         # ALTERNATIVE NAME 1: Apple\n# ALTERNATIVE NAME 2: Banana\n# ALTERNATIVE NAME 3: Cherry\n\
         6: 1,2,3\n4: 2,3,1\n",
    )
    .await?;
    b.click("paste-load").await?;
    b.wait_for(
        "the pasted preferences",
        Duration::from_secs(30),
        |b| async move {
            Ok(labels(b).await? == ["Apple", "Banana", "Cherry"]
                && b.text("iteration").await? == "0")
        },
    )
    .await?;
    assert!(b.text("notice").await?.contains("Imported"));
    let hash = location_hash(&b).await?;
    b.set_value(
        "paste-text",
        "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 3\n6: 1,2,3\n4: 2,zebra,1\n",
    )
    .await?;
    b.click("paste-load").await?;
    b.wait_for("the refusal", Duration::from_secs(30), |b| async move {
        Ok(b.text("notice").await?.contains("could not be read"))
    })
    .await?;
    assert!(
        b.text("notice").await?.contains("line 4"),
        "{}",
        b.text("notice").await?
    );
    assert_eq!(labels(&b).await?, ["Apple", "Banana", "Cherry"]);
    assert_eq!(
        location_hash(&b).await?,
        hash,
        "a failed paste changed the configuration"
    );
    // A file dropped on the import area loads like a chosen one.
    b.web
        .execute(
            "const dt = new DataTransfer();\
             dt.items.add(new File(['a,b\\n0.5,0.8\\n0.2,0.5\\n'], 'drop.csv'));\
             document.querySelector('[data-testid=\"import-area\"]')\
               .dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));",
            vec![],
        )
        .await?;
    b.wait_for(
        "the dropped file",
        Duration::from_secs(30),
        |b| async move {
            Ok(labels(b).await? == ["a", "b"] && b.text("notice").await?.contains("drop.csv"))
        },
    )
    .await?;
    // Pasted text over the file size limit is refused before any parsing, naming the limit.
    b.web
        .execute(
            "document.querySelector('[data-testid=\"paste-text\"]').value = '1,'.repeat(11 * 1024 * 1024);",
            vec![],
        )
        .await?;
    b.click("paste-load").await?;
    b.wait_for(
        "the size refusal",
        Duration::from_secs(30),
        |b| async move { Ok(b.text("notice").await?.contains("(the limit on files)")) },
    )
    .await?;
    assert_eq!(labels(&b).await?, ["a", "b"]);
    assert!(!b.exists("error").await?);
    finish(b).await
}

/// Content safety: the page runs under its Content-Security-Policy (only the site's own
/// scripts and wasm, the inline loader by hash) with no violation logged, and an imported
/// label that is HTML shows as literal text: no element is created from it and no dialog opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csp_holds_and_labels_render_as_text() -> WebDriverResult<()> {
    let _serial = SERIAL.lock().await;
    if !harness::ready() {
        return Ok(());
    }
    const EVIL: &str = "<img src=x onerror=alert(1)>";
    let dir = std::env::temp_dir().join(format!("ualign-csp-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("evil.soc");
    std::fs::write(
        &file,
        format!(
            "# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 2\n\
             # ALTERNATIVE NAME 1: {EVIL}\n# ALTERNATIVE NAME 2: Plain\n6: 1,2\n4: 2,1\n"
        ),
    )?;
    let b = Browser::launch(1.0).await?;
    b.open("/").await?;
    let csp = b
        .web
        .execute(
            "const m = document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]');\
             return m ? m.content : '';",
            vec![],
        )
        .await?;
    let csp = csp.json().as_str().unwrap_or_default().to_string();
    assert!(
        csp.contains("default-src 'self'")
            && csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-")
            && !csp.contains("TRUNK-LOADER"),
        "policy: {csp:?}"
    );
    let input = b.web.find(By::Css("[data-testid=\"import-file\"]")).await?;
    input.send_keys(file.display().to_string()).await?;
    b.wait_for(
        "the imported labels",
        Duration::from_secs(30),
        |b| async move {
            let labels: Vec<String> = b
                .policy("policy-game")
                .await?
                .into_iter()
                .map(|(l, _)| l)
                .collect();
            Ok(labels == [EVIL, "Plain"])
        },
    )
    .await?;
    b.set_value("speed-select", "0").await?;
    b.click("play").await?;
    b.wait_for("the run", Duration::from_secs(30), |b| async move {
        Ok(b.text("status").await? == "done")
    })
    .await?;
    let found = b
        .web
        .execute(
            "return [document.querySelectorAll('img').length,\
                     document.body.textContent.includes(arguments[0])];",
            vec![serde_json::json!(EVIL)],
        )
        .await?;
    let (images, literal): (usize, bool) = found.convert()?;
    assert_eq!(images, 0, "an <img> was created from a label");
    assert!(literal, "the label is not shown as text");
    assert!(b.web.get_alert_text().await.is_err(), "a dialog opened");
    // CSP violations and script errors are logged as console errors.
    let errors = b.console_errors().await?;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    let _ = std::fs::remove_dir_all(&dir);
    b.quit().await
}

/// A run longer than its iteration cap stops exactly at the cap with status `done`, stays
/// there, and playing again runs to the cap once more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_ends_at_its_iteration_cap_with_status_done() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
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
    finish(b).await
}

/// A configuration too big for a link: the page says so and offers the JSON export; "Copy
/// link" copies nothing stale; the exported file, imported into another page, opens the same
/// preferences (and the same k).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_big_for_a_link_offers_the_json_export_which_opens_again() -> WebDriverResult<()> {
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/#v=1&preset=majority-51-49&k=5").await?;
    // 20,000 voters with pseudo-random rankings of 10 responses: no link can hold them.
    let mut text = String::from("# DATA TYPE: soc\n# NUMBER ALTERNATIVES: 10\n");
    let mut state: u64 = 12345;
    for _ in 0..20_000 {
        let mut order: Vec<usize> = (1..=10).collect();
        for i in (1..order.len()).rev() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            order.swap(i, (state >> 33) as usize % (i + 1));
        }
        let line: Vec<String> = order.iter().map(usize::to_string).collect();
        text.push_str(&format!("1: {}\n", line.join(",")));
    }
    b.set_value("paste-text", &text).await?;
    b.click("paste-load").await?;
    b.wait_for("the link notice", Duration::from_secs(60), |b| async move {
        Ok(b.exists("link-notice").await? && labels(b).await?.len() == 10)
    })
    .await?;
    let notice = b.text("link-notice").await?;
    assert!(
        notice.contains("too big for a link") && notice.contains("Export JSON"),
        "{notice}"
    );
    let stale = location_hash(&b).await?;
    assert!(
        !stale.contains("data="),
        "the link kept the last configuration it could hold"
    );
    // Copy link refuses rather than copying that stale link.
    b.click("copy-link").await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(b.exists("link-notice").await?);
    let copied = b.exists("notice").await? && b.text("notice").await?.contains("Link copied");
    assert!(!copied, "a stale link was copied");

    b.click("link-notice-json").await?;
    let file = downloaded(&b, "ualign-results.json").await?;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file)?).expect("valid JSON");
    let voters = saved["config"]["custom"]["population"]["voters"]
        .as_array()
        .map_or(0, Vec::len);
    assert!(voters > 19_000, "{voters} voter types saved");
    assert_eq!(saved["config"]["k"], 5);

    // Another page, another configuration: importing the file opens the saved one.
    b.open("/#v=1&preset=apa-1998").await?;
    let input = b.web.find(By::Css("[data-testid=\"import-file\"]")).await?;
    input.send_keys(file.display().to_string()).await?;
    b.wait_for("the opened file", Duration::from_secs(60), |b| async move {
        Ok(b.exists("notice").await?
            && b.text("notice")
                .await?
                .contains("Opened the configuration saved in ualign-results.json")
            && labels(b).await?.len() == 10)
    })
    .await?;
    assert_eq!(b.text("k").await?, "5");
    assert!(b.exists("link-notice").await?, "still too big for a link");
    let results = b
        .web
        .execute(
            "return document.querySelector('[data-testid=\"view-editor\"]').textContent",
            vec![],
        )
        .await?;
    let editor = results.json().as_str().unwrap_or_default().to_string();
    assert!(
        editor.contains(&format!("of {voters} voter types")),
        "the editor lists the {voters} saved voter types"
    );
    // A broken or foreign JSON file is refused with the reason, and nothing changes.
    let hash = location_hash(&b).await?;
    for (text, says) in [
        ("{\"k\": }", "not JSON"),
        ("{\"k\": 2000}", "(the limit on k)"),
        ("{\"colour\": \"red\"}", "unknown field \"colour\""),
        (
            "{\"config\": {\"k\": 3, \"kk\": 3}}",
            "unknown field \"kk\"",
        ),
    ] {
        b.set_value("paste-text", text).await?;
        b.click("paste-load").await?;
        let says = says.to_string();
        b.wait_for("the refusal", Duration::from_secs(10), move |b| {
            let says = says.clone();
            async move {
                let notice = b.text("notice").await.unwrap_or_default();
                Ok(notice.contains("pasted text.json could not be opened")
                    && notice.contains(&says))
            }
        })
        .await?;
        assert_eq!(b.text("k").await?, "5");
        assert_eq!(location_hash(&b).await?, hash);
    }
    assert!(!b.exists("error").await?);
    finish(b).await
}

/// Waits until the status is idle and the worker has confirmed it (aria-busy off): from then
/// on the iteration shown is where the worker stopped.
async fn confirmed_idle(b: &Browser) -> WebDriverResult<()> {
    b.wait_for(
        "a confirmed pause",
        Duration::from_secs(5),
        |b| async move {
            let busy = b
                .web
                .find(By::Css("[data-testid=\"status\"]"))
                .await?
                .attr("aria-busy")
                .await?;
            Ok(b.text("status").await? == "idle" && busy.as_deref() == Some("false"))
        },
    )
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
    let Some((_serial, b)) = start(1.0).await? else {
        return Ok(());
    };
    b.open("/?test#v=1&preset=breakfast&kmax=128&k=1024&iters=1000000")
        .await?;
    b.set_value("speed-select", "60").await?;
    play_and_rise(&b, "a 1025-player run").await?;
    b.wait_for(
        "the sweep under way",
        Duration::from_secs(20),
        |b| async move { b.exists("stop").await },
    )
    .await?;
    inject(&b, "busy:20000").await?;
    let clicked = Instant::now();
    let seen = click_and_read_next_frame(&b, "stop", &["status", "sweep-continue"]).await?;
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
    b.quit().await
}
