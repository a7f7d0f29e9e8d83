//! Scenes: every tour beat fits the screen at 1280x720 and 960x540 without scrolling, with its
//! figure wholly in view and, once its run settles, every number its caption quotes on screen
//! outside the caption; a share link on a phone shows a figure without scrolling; the real
//! reveal.js example deck scrolls in none of its frames; terms are defined on focus.

use super::harness::*;
use super::helpers::open_example_deck;
use std::time::Duration;
use thirtyfour::prelude::*;

const LONG: Duration = Duration::from_secs(40);

/// Sets the window so the page's viewport is `w` x `h` CSS pixels.
async fn viewport(b: &Browser, w: i64, h: i64) -> WebDriverResult<()> {
    b.web.set_window_rect(0, 0, w as u32, h as u32).await?;
    let inner = b
        .web
        .execute("return [innerWidth, innerHeight];", vec![])
        .await?;
    let v: Vec<i64> = serde_json::from_value(inner.json().clone()).unwrap_or_default();
    let (dw, dh) = (
        w - v.first().copied().unwrap_or(w),
        h - v.get(1).copied().unwrap_or(h),
    );
    if dw != 0 || dh != 0 {
        b.web
            .set_window_rect(0, 0, (w + dw) as u32, (h + dh) as u32)
            .await?;
    }
    Ok(())
}

/// The document's overflow (scroll size beyond the viewport) and whether the element is
/// wholly inside the viewport.
async fn fits(b: &Browser, testid: &str) -> WebDriverResult<(f64, f64, serde_json::Value)> {
    let v = b
        .web
        .execute(
            "const d = document.scrollingElement;\
             const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             const r = el ? el.getBoundingClientRect() : null;\
             return [d.scrollHeight - innerHeight, d.scrollWidth - innerWidth,\
                     r ? [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight] : null];",
            vec![serde_json::json!(testid)],
        )
        .await?;
    let a = v.json().as_array().cloned().unwrap_or_default();
    Ok((
        a.first().and_then(|x| x.as_f64()).unwrap_or(f64::NAN),
        a.get(1).and_then(|x| x.as_f64()).unwrap_or(f64::NAN),
        a.get(2).cloned().unwrap_or_default(),
    ))
}

fn inside(rect: &serde_json::Value) -> bool {
    let r: Vec<f64> = serde_json::from_value(rect.clone()).unwrap_or_default();
    r.len() == 6
        && r[2] > r[0]
        && r[3] > r[1]
        && r[0] >= -0.5
        && r[1] >= -0.5
        && r[2] <= r[4] + 0.5
        && r[3] <= r[5] + 0.5
}

/// The four-decimal numbers in a text.
fn numbers(text: &str) -> Vec<String> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len().saturating_sub(5) {
        let start_ok = i == 0 || !b[i - 1].is_ascii_digit();
        if start_ok
            && b[i].is_ascii_digit()
            && b[i + 1] == b'.'
            && b[i + 2..i + 6].iter().all(u8::is_ascii_digit)
            && b.get(i + 6).is_none_or(|c| !c.is_ascii_digit())
        {
            out.push(text[i..i + 6].to_string());
        }
    }
    out
}

fn tour_length() -> usize {
    let text = std::fs::read_to_string(repo_dir().join("static/tour.json")).expect("tour.json");
    let deck: serde_json::Value = serde_json::from_str(&text).expect("the tour is JSON");
    deck["steps"].as_array().map_or(0, Vec::len)
}

/// Of these texts, the ones not on screen in the scene's body (outside the caption): a text
/// counts where it is drawn inside the viewport and inside every box that clips it, and is
/// neither hidden nor undisplayed.
async fn not_on_screen(b: &Browser, want: &[String]) -> WebDriverResult<Vec<String>> {
    let v = b
        .web
        .execute(
            "const want = arguments[0]; const root = document.querySelector('.scene-body');\
             const seen = new Set();\
             if (root) {\
               const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);\
               while (walk.nextNode()) {\
                 const n = walk.currentNode;\
                 for (const w of want) {\
                   const i = n.data.indexOf(w); if (i < 0) continue;\
                   const range = document.createRange(); range.setStart(n, i); range.setEnd(n, i + w.length);\
                   const r = range.getBoundingClientRect(); if (r.width === 0) continue;\
                   let ok = r.top >= -0.5 && r.bottom <= innerHeight + 0.5 && r.left >= -0.5 && r.right <= innerWidth + 0.5;\
                   for (let e = n.parentElement; ok && e && e !== document.body; e = e.parentElement) {\
                     const s = getComputedStyle(e);\
                     if (s.visibility === 'hidden' || s.display === 'none') ok = false;\
                     else if (s.overflowX !== 'visible' || s.overflowY !== 'visible') {\
                       const c = e.getBoundingClientRect();\
                       ok = r.top >= c.top - 0.5 && r.bottom <= c.bottom + 0.5 && r.left >= c.left - 0.5 && r.right <= c.right + 0.5;\
                     }\
                   }\
                   if (ok) seen.add(w);\
                 }\
               }\
             }\
             return want.filter(w => !seen.has(w));",
            vec![serde_json::json!(want)],
        )
        .await?;
    Ok(serde_json::from_value(v.json().clone()).unwrap_or_default())
}

async fn walk_the_tour(b: &Browser, w: i64, h: i64) -> WebDriverResult<()> {
    viewport(b, w, h).await?;
    b.web.goto(format!("{}/#tour=1", b.site)).await?;
    let steps = tour_length();
    assert!(steps >= 10, "the tour has {steps} steps");
    for n in 1..=steps {
        let counter = format!("{n} / {steps}");
        b.wait_for(&format!("step {counter}"), LONG, |b| {
            let counter = counter.clone();
            async move { Ok(b.exists("tour-step").await? && b.text("tour-step").await? == counter) }
        })
        .await?;
        if b.exists("tour-question").await? {
            b.set_value("tour-guess", "0.8").await?;
            b.click("tour-reveal").await?;
        }
        // The scene plays its run to the end its caption describes.
        b.wait_for(&format!("step {n}'s run to settle"), LONG, |b| async move {
            Ok(b.exists("tour-caption").await?
                && b.text("status").await? == "done"
                && !b.text("tour-caption").await?.contains('–'))
        })
        .await?;
        if std::env::var("UALIGN_SCREENSHOTS").is_ok() {
            b.web
                .screenshot(&screenshot_dir().join(format!("scene-{w}x{h}-{n}.png")))
                .await?;
        }
        // The seats' and the arena's numbers arrive with their views, and a new run's
        // numbers replace the last step's in the caption and the readouts alike: the caption
        // is read again each time.
        b.wait_for(
            &format!("step {n}'s numbers on screen"),
            LONG,
            |b| async move {
                let caption = b.text("tour-caption").await?;
                let quoted = numbers(&caption);
                Ok(not_on_screen(b, &quoted).await?.is_empty())
            },
        )
        .await
        .inspect_err(|_| {
            eprintln!("step {n} at {w}x{h}: a number of the caption is not on screen")
        })?;
        let (over_y, over_x, rect) = fits(b, "scene-figure").await?;
        assert!(
            over_y <= 0.5 && over_x <= 0.5,
            "step {n} at {w}x{h}: the document scrolls by {over_x} x {over_y}"
        );
        assert!(
            inside(&rect),
            "step {n} at {w}x{h}: the figure at {rect} is not wholly in view"
        );
        assert!(b.exists("scene").await?);
        if n < steps {
            b.click("tour-next").await?;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tour_beat_fits_1280_by_720_and_shows_the_numbers_its_caption_quotes(
) -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move { walk_the_tour(b, 1280, 720).await })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tour_beat_fits_960_by_540_and_shows_the_numbers_its_caption_quotes(
) -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move { walk_the_tour(b, 960, 540).await })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_tour_beat_fits_640_by_360_and_shows_the_numbers_its_caption_quotes(
) -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move { walk_the_tour(b, 640, 360).await })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_link_on_a_phone_shows_a_figure_without_scrolling() -> WebDriverResult<()> {
    run(2.0, Console::Clean, |b| {
        Box::pin(async move {
            viewport(b, 390, 844).await?;
            b.web
                .goto(format!("{}/#v=1&preset=majority-51-49&k=4", b.site))
                .await?;
            b.wait_for("the first snapshot", LONG, |b| async move {
                Ok(b.text("win-rate-game-exact").await? != "–")
            })
            .await?;
            let (_, over_x, rect) = fits(b, "chart-policies").await?;
            assert!(over_x <= 0.5, "the page is {over_x} px too wide for the phone");
            assert!(inside(&rect), "the policies figure at {rect} is not wholly in view");
            // The run buttons sit at the bottom of the screen, beside the figure, not over it.
            let v = b
                .web
                .execute(
                    "const r = document.querySelector('[data-testid=\"play\"]').getBoundingClientRect();\
                     const f = document.querySelector('[data-testid=\"chart-policies\"]').getBoundingClientRect();\
                     return [r.top, r.bottom, innerHeight, f.bottom];",
                    vec![],
                )
                .await?;
            let v: Vec<f64> = serde_json::from_value(v.json().clone()).unwrap_or_default();
            assert!(v[1] <= v[2] + 0.5 && v[3] <= v[0] + 0.5, "play at {v:?}");
            b.click("play").await?;
            b.wait_for("the run to play", LONG, |b| async move {
                Ok(b.number("iteration").await? > 0.0)
            })
            .await?;
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_term_in_a_caption_says_what_it_means_on_focus_and_the_glossary_lists_it(
) -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            viewport(b, 1280, 720).await?;
            b.web.goto(format!("{}/#tour=1", b.site)).await?;
            b.wait_for("the first step's caption", LONG, |b| async move {
                b.exists("tour-caption").await
            })
            .await?;
            let term = b
                .web
                .find(By::Css("[data-testid=\"tour-caption\"] .term[data-term=\"maximal-lottery\"]"))
                .await?;
            let shown = |b: &Browser| {
                let b = b.web.clone();
                async move {
                    let v = b
                        .execute(
                            "const d = document.querySelector('[data-testid=\"tour-caption\"] .term[data-term=\"maximal-lottery\"] .def');\
                             return [getComputedStyle(d).display, d.textContent, d.id,\
                                     d.parentElement.getAttribute('aria-describedby')];",
                            vec![],
                        )
                        .await?;
                    let v: Vec<String> = serde_json::from_value(v.json().clone()).unwrap_or_default();
                    WebDriverResult::Ok(v)
                }
            };
            let before = shown(b).await?;
            assert_eq!(before[0], "none", "the definition waits for hover or focus");
            assert_eq!(before[2], before[3], "the term is described by its definition");
            assert!(before[1].contains("head to head"), "{before:?}");
            // Tab reaches the term; focus shows the definition.
            b.web
                .execute("arguments[0].focus();", vec![term.to_json()?])
                .await?;
            assert_eq!(shown(b).await?[0], "block");
            // The glossary in the bar lists every term.
            let listed = b
                .web
                .execute(
                    "return [...document.querySelectorAll('[data-testid=\"glossary\"] dt')].map(d => d.textContent);",
                    vec![],
                )
                .await?;
            let listed: Vec<String> = serde_json::from_value(listed.json().clone()).unwrap_or_default();
            for t in ["maximal lottery", "Condorcet winner", "symmetric equilibrium", "exploitability", "iterate", "Hedge", "W_k", "best-of-k"] {
                assert!(listed.iter().any(|l| l == t), "{t} not in {listed:?}");
            }
            Ok(())
        })
    })
    .await
}

/// Inside every frame of the deck: nothing scrolls (the document and every scroll box), and
/// the scene's figure is wholly inside the frame.
async fn frames_fit(b: &Browser, slide: usize) -> WebDriverResult<()> {
    let frames = b.web.find_all(By::Css(".present iframe")).await?;
    assert!(!frames.is_empty(), "slide {slide} has no frame");
    for frame in frames {
        frame.clone().enter_frame().await?;
        let v = b
            .web
            .execute(
                "const scrolls = [document.scrollingElement, ...document.querySelectorAll('*')]\
                   .filter(e => e === document.scrollingElement || /(auto|scroll)/.test(getComputedStyle(e).overflowY + getComputedStyle(e).overflowX))\
                   .filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)\
                   .map(e => (e.dataset.testid || e.className || e.tagName) + ' ' + e.scrollHeight + '>' + e.clientHeight);\
                 const f = document.querySelector('[data-testid=\"scene-figure\"]');\
                 const r = f ? f.getBoundingClientRect() : null;\
                 return [scrolls, r ? [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight] : null];",
                vec![],
            )
            .await?;
        b.web.enter_default_frame().await?;
        let a = v.json().as_array().cloned().unwrap_or_default();
        let scrolls = a.first().cloned().unwrap_or_default();
        assert_eq!(
            scrolls,
            serde_json::json!([]),
            "slide {slide}: these scroll"
        );
        assert!(
            inside(&a[1]),
            "slide {slide}: the figure at {} is not wholly in the frame",
            a[1]
        );
    }
    Ok(())
}

async fn deck_fits(b: &Browser, w: i64, h: i64) -> WebDriverResult<()> {
    viewport(b, w, h).await?;
    open_example_deck(b).await?;
    let slides = b
        .web
        .execute("return Reveal.getTotalSlides();", vec![])
        .await?
        .json()
        .as_u64()
        .unwrap_or(0) as usize;
    for slide in 1..slides {
        b.web
            .execute(&format!("Reveal.slide({slide});"), vec![])
            .await?;
        // The frame's scene settles (its figure drawn, its run done).
        b.wait_for(&format!("slide {slide}'s frame"), LONG, |b| async move {
            let frames = b.web.find_all(By::Css(".present iframe")).await?;
            let Some(frame) = frames.first() else {
                return Ok(true);
            };
            frame.clone().enter_frame().await?;
            let ready = b.exists("scene-figure").await? && b.text("status").await? == "done";
            b.web.enter_default_frame().await?;
            Ok(ready)
        })
        .await?;
        if b.web.find_all(By::Css(".present iframe")).await?.is_empty() {
            continue;
        }
        frames_fit(b, slide).await?;
        if std::env::var("UALIGN_SCREENSHOTS").is_ok() {
            b.web
                .screenshot(&screenshot_dir().join(format!("deck-{w}x{h}-{slide}.png")))
                .await?;
        }
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reveal_js_example_deck_scrolls_in_none_of_its_frames() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            deck_fits(b, 1280, 720).await?;
            deck_fits(b, 1920, 1080).await
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_embedded_figure_fits_a_640_by_360_frame_with_its_axes_and_key() -> WebDriverResult<()>
{
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            for (w, h) in [(640, 360), (1920, 1080)] {
                viewport(b, w, h).await?;
                for (view, chart) in [
                    ("policies", "chart-policies"),
                    ("win-rates", "chart-win-rates"),
                    ("sweep", "chart-sweep"),
                    ("opponents", "chart-opponents"),
                ] {
                    b.web
                        .goto(format!(
                            "{}/#v=1&preset=majority-51-49&k=4&embed=1&view={view}&at=end",
                            b.site
                        ))
                        .await?;
                    b.web.refresh().await?;
                    b.wait_for(&format!("{view} at {w}x{h}"), LONG, |b| async move {
                        Ok(b.exists(chart).await? && b.text("status").await? == "done")
                    })
                    .await?;
                    let (over_y, over_x, rect) = fits(b, chart).await?;
                    assert!(
                        over_y <= 0.5 && over_x <= 0.5,
                        "{view} at {w}x{h}: the frame scrolls by {over_x} x {over_y}"
                    );
                    assert!(inside(&rect), "{view} at {w}x{h}: the chart at {rect} leaves the frame");
                    // The key is inside the frame too.
                    let key = b
                        .web
                        .execute(
                            "const k = document.querySelector('figure.chart:not([hidden]) .legend');\
                             const r = k.getBoundingClientRect();\
                             return r.top >= 0 && r.bottom <= innerHeight && r.right <= innerWidth && r.height > 0;",
                            vec![],
                        )
                        .await?;
                    assert_eq!(key.json().as_bool(), Some(true), "{view} at {w}x{h}: the key");
                }
            }
            Ok(())
        })
    })
    .await
}
