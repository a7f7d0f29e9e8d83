//! The tour and the embed API: the tour by the clicker's keys with a guess before the answer,
//! `#tour=N` for one beat, a host page driving a framed tour (and one whose origin is not
//! allowed), a frame scrolled off screen stopping its run, and a real reveal.js deck.

use super::harness::*;
use super::helpers::*;
use std::time::Duration;
use thirtyfour::prelude::*;

const LONG: Duration = Duration::from_secs(30);

async fn press(b: &Browser, key: impl Into<TypingData>) -> WebDriverResult<()> {
    b.web.find(By::Tag("body")).await?.send_keys(key).await
}

async fn step_is(b: &Browser, counter: &'static str) -> WebDriverResult<()> {
    b.wait_for(counter, LONG, move |b| async move {
        Ok(b.exists("tour-step").await? && b.text("tour-step").await? == counter)
    })
    .await
}

/// Whether the element is drawn (not hidden by the page's styles).
async fn visible(b: &Browser, css: &str) -> WebDriverResult<bool> {
    let v = b
        .web
        .execute(
            "const el = document.querySelector(arguments[0]);\
             return !!el && getComputedStyle(el).visibility !== 'hidden';",
            vec![serde_json::json!(css)],
        )
        .await?;
    Ok(v.json().as_bool().unwrap_or(false))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tour_steps_by_the_clickers_keys_and_asks_before_it_reveals() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web.set_window_rect(0, 0, 1280, 800).await?;
            b.open("/#v=1").await?;
            // "Take the tour" is on the first screen, without scrolling.
            let bottom = b
                .web
                .execute(
                    "const r = document.querySelector('[data-testid=\"tour-start\"]').getBoundingClientRect();\
                     return [r.bottom, innerHeight];",
                    vec![],
                )
                .await?;
            let (bottom, height): (f64, f64) = bottom.convert()?;
            assert!(bottom > 0.0 && bottom <= height, "tour-start at {bottom} of {height}");
            b.click("tour-start").await?;
            step_is(b, "1 / 11").await?;
            // Beat 1: 51/49 at k = 1; the caption quotes the exact maximal lottery's W_1.
            b.wait_for("step 1's numbers", LONG, |b| async move {
                Ok(b.text("tour-caption").await?.contains("it wins 0.5000"))
            })
            .await?;
            assert_eq!(b.text("k").await?, "1");
            // Beat 2 asks first: the figures wait, the caption is not shown.
            press(b, Key::PageDown).await?;
            step_is(b, "2 / 11").await?;
            b.wait_for("the question", LONG, |b| async move {
                Ok(b.exists("tour-guess").await? && b.text("k").await? == "4")
            })
            .await?;
            assert!(!b.exists("tour-caption").await?);
            assert!(!visible(b, "[data-testid=\"scene-figure\"]").await?, "the answer is hidden before the guess");
            b.set_value("tour-guess", "0.8").await?;
            b.click("tour-reveal").await?;
            b.wait_for("the reveal", LONG, |b| async move {
                Ok(b.exists("tour-verdict").await?
                    && b.text("tour-verdict").await?.contains("0.5100"))
            })
            .await?;
            let verdict = b.text("tour-verdict").await?;
            assert!(
                verdict.contains("Your guess 0.80") && verdict.contains("0.29 away"),
                "{verdict}"
            );
            assert!(b.text("tour-caption").await?.contains("0.5100"));
            assert!(visible(b, "[data-testid=\"scene-figure\"]").await?);
            // The guess stays while the answer plays beside it.
            assert!(b.text("tour-verdict").await?.contains("0.80"));
            // → and ← step too; the link says where the tour is.
            press(b, Key::Right).await?;
            step_is(b, "3 / 11").await?;
            b.wait_for("step 3's link", LONG, |b| async move {
                let h = location_hash(b).await?;
                Ok(h.contains("view=arena") && h.contains("tour=3"))
            })
            .await?;
            press(b, Key::Left).await?;
            step_is(b, "2 / 11").await?;
            assert!(b.exists("tour-guess").await?, "coming back asks again");
            press(b, Key::PageUp).await?;
            step_is(b, "1 / 11").await?;
            press(b, "5").await?;
            step_is(b, "5 / 11").await?;
            // Presenting: b blanks the screen and b shows it again; f goes full screen and back.
            press(b, "b").await?;
            b.wait_for("the blank screen", LONG, |b| async move { b.exists("blank").await })
                .await?;
            press(b, "b").await?;
            b.wait_for("the screen again", LONG, |b| async move {
                Ok(!b.exists("blank").await?)
            })
            .await?;
            let full = |b: &Browser| {
                let web = b.web.clone();
                async move {
                    let v = web
                        .execute("return document.fullscreenElement !== null", vec![])
                        .await?;
                    Ok::<_, WebDriverError>(v.json().as_bool().unwrap_or(false))
                }
            };
            press(b, "f").await?;
            b.wait_for("full screen", LONG, full).await?;
            press(b, "f").await?;
            b.wait_for("full screen to end", LONG, |b| async move { Ok(!full(b).await?) })
                .await?;
            // Escape leaves the tour and keeps what it showed.
            press(b, Key::Escape).await?;
            b.wait_for("the tour to close", LONG, |b| async move {
                Ok(!b.exists("tour").await? && b.exists("tour-start").await?)
            })
            .await?;
            let h = location_hash(b).await?;
            assert!(!h.contains("tour="), "{h}");
            assert!(h.contains("view=seats"), "{h}");
            assert_eq!(b.text("k").await?, "4");
            // Outside the tour, → is one iteration again (after r restarts the run the scene
            // played).
            press(b, "r").await?;
            b.wait_for("r to restart the run", LONG, |b| async move {
                Ok(b.text("iteration").await? == "0")
            })
            .await?;
            press(b, Key::Right).await?;
            b.wait_for("→ to step the run", LONG, |b| async move {
                Ok(b.text("iteration").await? == "1")
            })
            .await?;
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tour_link_opens_its_beat_for_a_student() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web.goto(format!("{}/#tour=6", b.site)).await?;
            step_is(b, "6 / 11").await?;
            // Beat 6: the 5-player game's exact equilibrium wins k/(k+1) = 0.8.
            b.wait_for("the game's exact W_4", LONG, |b| async move {
                Ok(b.text("tour-caption")
                    .await?
                    .contains("wins 0.8000, exactly"))
            })
            .await?;
            assert_eq!(b.text("k").await?, "4");
            let h = location_hash(b).await?;
            assert!(h.contains("tour=6") && h.contains("view=policies"), "{h}");
            // The clicker works on a page opened at a step (its link already is the step's).
            press(b, Key::PageDown).await?;
            step_is(b, "7 / 11").await?;
            // Opened on a tour link, the first step replaced that link in the history: back
            // goes to step 6, not to the defaults under step 6's caption.
            b.web.back().await?;
            step_is(b, "6 / 11").await?;
            b.wait_for("step 6's settings", LONG, |b| async move {
                Ok(location_hash(b).await?.contains("view=policies"))
            })
            .await?;
            Ok(())
        })
    })
    .await
}

/// Whether the app (the frame's origin) told the host page `event` at this deck step.
async fn told(b: &Browser, event: &str, step: i64) -> WebDriverResult<bool> {
    Ok(host_events(b)
        .await?
        .iter()
        .any(|e| e[0] == b.site.as_str() && e[1] == event && e[2] == step))
}

/// The steps the reveal.js deck heard in `state` events, in order.
async fn deck_steps(b: &Browser) -> WebDriverResult<Vec<Option<i64>>> {
    let v = b
        .web
        .execute(
            "return (window.RevealUalign ? RevealUalign.events : [])\
             .filter(e => e.event === 'state').map(e => e.state.step);",
            vec![],
        )
        .await?;
    v.convert()
}

/// What the host page was told, as `[origin, event, step, status, iteration]` rows.
async fn host_events(b: &Browser) -> WebDriverResult<Vec<serde_json::Value>> {
    let v = b
        .web
        .execute(
            "return window.events.map(e => [e.origin, e.data.event, e.data.state.step,\
             e.data.state.status, e.data.state.iteration, e.data.state.nlhf_win_rate_exact]);",
            vec![],
        )
        .await?;
    v.convert()
}

fn host_url(b: &Browser, fragment: &str) -> String {
    let port = b.site.rsplit(':').next().unwrap_or_default();
    let src = format!("{}/#{fragment}", b.site);
    format!(
        "http://localhost:{port}/hosts/frame.html?src={}",
        src.replace('%', "%25")
            .replace('#', "%23")
            .replace('&', "%26")
            .replace('=', "%3D")
    )
}

fn localhost(b: &Browser) -> String {
    format!(
        "http://localhost:{}",
        b.site.rsplit(':').next().unwrap_or_default()
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_page_drives_a_framed_tour_and_hears_its_state() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            let host = localhost(b);
            b.web
                .goto(host_url(b, &format!("v=1&tour=1&embed=1&origins={host}")))
                .await?;
            // `ready` comes with the first state (the tour may still be on its way).
            b.wait_for("ready", LONG, |b| async move {
                Ok(host_events(b).await?.iter().any(|e| e[1] == "ready"))
            })
            .await?;
            b.wait_for("step 1's state", LONG, |b| told(b, "state", 1))
                .await?;
            b.web
                .execute("send({ualign: 1, method: 'next'})", vec![])
                .await?;
            b.wait_for("next to reach step 2", LONG, |b| told(b, "state", 2))
                .await?;
            b.web
                .execute("send({ualign: 1, method: 'goto', args: {step: 4}})", vec![])
                .await?;
            b.wait_for("goto 4", LONG, |b| told(b, "state", 4)).await?;
            // A load of another tour link moves the deck with it.
            b.web
                .execute(
                    &format!("send({{ualign: 1, method: 'load', args: {{fragment: 'v=1&tour=6&embed=1&origins={host}'}}}})"),
                    vec![],
                )
                .await?;
            b.wait_for("load to reach step 6", LONG, |b| told(b, "state", 6))
                .await?;
            b.web
                .execute("send({ualign: 1, method: 'goto', args: {step: 4}})", vec![])
                .await?;
            b.wait_for("goto 4 again", LONG, |b| async move {
                let events = host_events(b).await?;
                Ok(events.last().is_some_and(|e| e[2] == 4))
            })
            .await?;
            // The scene played its run by itself; paused, it waits for the host.
            b.web
                .execute("send({ualign: 1, method: 'pause'})", vec![])
                .await?;
            b.wait_for("the scene's run to pause", LONG, |b| async move {
                Ok(host_events(b).await?.last().is_some_and(|e| e[3] != "running"))
            })
            .await?;
            // A malformed request is dropped before it reaches anything.
            b.web
                .execute(
                    "send({ualign: 1, method: 'goto', args: {step: 4, extra: 1}});\
                     send({ualign: 1, method: 'play', args: {fragment: 'v=1'}});\
                     send('not json'); send({ualign: 2, method: 'play'});",
                    vec![],
                )
                .await?;
            b.web
                .execute("send({ualign: 1, method: 'get'})", vec![])
                .await?;
            b.wait_for("the reply to get", LONG, |b| told(b, "get", 4))
                .await?;
            let events = host_events(b).await?;
            let at = events.iter().rposition(|e| e[1] == "get").unwrap();
            let get = &events[at];
            assert_ne!(get[3], "running", "the malformed play was ignored: {events:?}");
            let exact = get[5].as_f64().unwrap_or(0.0);
            assert!((exact - 0.51).abs() < 1e-9, "NLHF's exact W_4: {exact}");
            // The host's play runs the framed app, and it says so.
            b.web
                .execute("send({ualign: 1, method: 'play'})", vec![])
                .await?;
            b.wait_for("the state to say running", LONG, |b| async move {
                Ok(host_events(b).await?[at..].iter().any(|e| e[3] == "running"))
            })
            .await?;
            Ok(())
        })
    })
    .await
}

async fn frame_iteration(b: &Browser) -> WebDriverResult<(String, f64)> {
    let frame = b.web.find(By::Id("app")).await?;
    frame.enter_frame().await?;
    let status = b.text("status").await?;
    let iteration = b.number("iteration").await?;
    b.web.enter_parent_frame().await?;
    Ok((status, iteration))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_not_named_in_origins_is_ignored() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web
                .goto(host_url(
                    b,
                    "v=1&embed=1&iters=100000&origins=https://slides.example",
                ))
                .await?;
            b.wait_for("the framed app", LONG, |b| async move {
                Ok(frame_iteration(b).await.is_ok_and(|(s, _)| s == "idle"))
            })
            .await?;
            b.web
                .execute(
                    "send({ualign: 1, method: 'play'}); send({ualign: 1, method: 'get'})",
                    vec![],
                )
                .await?;
            tokio::time::sleep(Duration::from_millis(1500)).await;
            assert_eq!(frame_iteration(b).await?, ("idle".to_string(), 0.0));
            assert!(
                host_events(b).await?.is_empty(),
                "nothing is told to a host that is not allowed"
            );
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_scrolled_out_of_view_stops_iterating_and_goes_on_when_seen() -> WebDriverResult<()>
{
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web.set_window_rect(0, 0, 1000, 700).await?;
            let host = localhost(b);
            b.web
                .goto(host_url(
                    b,
                    &format!("v=1&embed=1&iters=1000000&origins={host}"),
                ))
                .await?;
            b.wait_for("the framed app", LONG, |b| async move {
                Ok(!host_events(b).await?.is_empty())
            })
            .await?;
            b.web
                .execute("send({ualign: 1, method: 'play'})", vec![])
                .await?;
            b.wait_for("the run to go", LONG, |b| async move {
                Ok(frame_iteration(b).await?.1 > 10.0)
            })
            .await?;
            b.web.execute("window.scrollTo(0, 2500)", vec![]).await?;
            b.wait_for("the hidden frame to pause", LONG, |b| async move {
                Ok(frame_iteration(b).await?.0 == "idle")
            })
            .await?;
            let (_, at) = frame_iteration(b).await?;
            tokio::time::sleep(Duration::from_millis(1000)).await;
            let (status, later) = frame_iteration(b).await?;
            assert_eq!(
                (status.as_str(), later),
                ("idle", at),
                "no iterations while hidden"
            );
            b.web.execute("window.scrollTo(0, 0)", vec![]).await?;
            b.wait_for("the run to go on when seen", LONG, move |b| async move {
                let (s, i) = frame_iteration(b).await?;
                Ok(s == "running" && i > at)
            })
            .await?;
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reveal_js_deck_steps_the_embedded_tour_on_the_clicker() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web.set_window_rect(0, 0, 1280, 800).await?;
            open_example_deck(b).await?;
            // → to the slide with the tour: its frame loads and tells the deck its state.
            press(b, Key::Right).await?;
            b.wait_for("the embedded tour at step 1", LONG, |b| async move {
                Ok(deck_steps(b).await?.contains(&Some(1)))
            })
            .await?;
            // → again shows a fragment, which steps the embedded tour.
            press(b, Key::Right).await?;
            b.wait_for("step 2 after →", LONG, |b| async move {
                Ok(deck_steps(b).await?.contains(&Some(2)))
            })
            .await?;
            press(b, Key::Right).await?;
            b.wait_for("step 3 after →", LONG, |b| async move {
                Ok(deck_steps(b).await?.contains(&Some(3)))
            })
            .await?;
            // ← hides the fragment: back one step.
            press(b, Key::Left).await?;
            b.wait_for("back to step 2", LONG, |b| async move {
                Ok(deck_steps(b).await?.last() == Some(&Some(2)))
            })
            .await?;
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_visit_plays_the_default_view_once_and_says_what_to_look_at() -> WebDriverResult<()>
{
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web.goto(format!("{}/", b.site)).await?;
            b.wait_for("the default view to play", LONG, |b| async move {
                Ok(b.exists("status").await? && b.text("status").await? == "running")
            })
            .await?;
            let look = b.web.find(By::Css(".look")).await?.text().await?;
            assert!(look.starts_with(ualign::page::text::LOOK_AT), "{look}");
            // Once: the run ends at its last iteration and stays there.
            let iterations = ualign::config::Config::default().iterations;
            b.wait_for("the run's end", Duration::from_secs(60), |b| async move {
                Ok(b.text("status").await? == "done")
            })
            .await?;
            assert_eq!(b.number("iteration").await?, iterations as f64);
            // A link is not a first visit: it opens paused.
            b.open("/#v=1&k=3").await?;
            tokio::time::sleep(Duration::from_millis(500)).await;
            assert_eq!(b.text("status").await?, "idle");
            Ok(())
        })
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_visit_under_reduced_motion_does_not_play() -> WebDriverResult<()> {
    run_with(
        1.0,
        &["--force-prefers-reduced-motion"],
        Console::Clean,
        |b| {
            Box::pin(async move {
                let reduced = b
                    .web
                    .execute(
                        "return matchMedia('(prefers-reduced-motion: reduce)').matches",
                        vec![],
                    )
                    .await?;
                assert_eq!(reduced.json().as_bool(), Some(true));
                b.open("/").await?;
                tokio::time::sleep(Duration::from_millis(800)).await;
                assert_eq!(b.text("status").await?, "idle");
                assert_eq!(b.text("iteration").await?, "0");
                Ok(())
            })
        },
    )
    .await
}

/// The built-in tour's steps, as shipped (titles, notes).
fn tour_steps() -> Vec<serde_json::Value> {
    let text =
        std::fs::read_to_string(repo_dir().join("static/tour.json")).expect("static/tour.json");
    let deck: serde_json::Value = serde_json::from_str(&text).expect("the tour is JSON");
    deck["steps"].as_array().expect("steps").clone()
}

/// Waits for the presenter window (the current window) to show step `n` of the tour.
async fn presenter_follows(b: &Browser, n: usize) -> WebDriverResult<()> {
    let steps = tour_steps();
    let want = (
        format!("{n} / {}", steps.len()),
        steps[n - 1]["title"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        steps[n - 1]["notes"]
            .as_str()
            .unwrap_or_default()
            .trim()
            .to_string(),
        steps
            .get(n)
            .and_then(|s| s["title"].as_str())
            .unwrap_or("This is the last step.")
            .to_string(),
    );
    b.wait_for("the presenter to follow", LONG, move |b| {
        let want = want.clone();
        async move {
            let got = (
                b.text("presenter-step").await?,
                b.text("presenter-title").await?,
                b.text("presenter-notes").await?.trim().to_string(),
                b.text("presenter-next").await?,
            );
            Ok(got == want)
        }
    })
    .await
}

/// Opens the presenter window from the tour bar and switches to it: (the page's window, the
/// presenter's).
async fn open_presenter(b: &Browser) -> WebDriverResult<(WindowHandle, WindowHandle)> {
    let page = b.web.window().await?;
    b.click("presenter-open").await?;
    b.wait_for("the presenter window", LONG, |b| async move {
        Ok(b.web.windows().await?.len() == 2)
    })
    .await?;
    let windows = b.web.windows().await?;
    let presenter = windows.into_iter().find(|w| *w != page);
    let presenter = presenter.expect("a second window");
    b.web.switch_to_window(presenter.clone()).await?;
    Ok((page, presenter))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_presenter_window_follows_the_deck_and_drives_it() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web.goto(format!("{}/#tour=6", b.site)).await?;
            step_is(b, "6 / 11").await?;
            let (page, presenter) = open_presenter(b).await?;
            presenter_follows(b, 6).await?;
            // The numbers to quote are the exact solutions': the game's W_4 is 4/5 here.
            b.wait_for("the exact numbers", LONG, |b| async move {
                Ok(b.text("presenter-game-exact").await? == "0.8000"
                    && b.text("presenter-caption")
                        .await?
                        .contains("wins 0.8000, exactly"))
            })
            .await?;
            let nlhf: f64 = b.text("presenter-nlhf-exact").await?.parse().unwrap_or(0.0);
            assert!(
                (nlhf - 0.51).abs() < 1e-4,
                "NLHF's exact W_4 is 0.51, got {nlhf}"
            );
            // The clicker on the presenter window steps the page's deck.
            press(b, Key::PageDown).await?;
            presenter_follows(b, 7).await?;
            b.web.switch_to_window(page.clone()).await?;
            step_is(b, "7 / 11").await?;
            // And the page's own keys move the presenter.
            press(b, Key::Right).await?;
            step_is(b, "8 / 11").await?;
            b.web.switch_to_window(presenter.clone()).await?;
            presenter_follows(b, 8).await?;
            b.click("presenter-prev").await?;
            presenter_follows(b, 7).await?;
            let errors = b.console_errors().await?;
            assert!(errors.is_empty(), "the presenter's console: {errors:#?}");
            b.web.switch_to_window(page).await?;
            step_is(b, "7 / 11").await?;
            Ok(())
        })
    })
    .await
}

/// The steps of the deck being written, as the panel lists them.
async fn draft_titles(b: &Browser) -> WebDriverResult<Vec<String>> {
    let v = b
        .web
        .execute(
            "return [...document.querySelectorAll('[data-testid=\"deck-steps\"] li span')]\
             .map(s => s.textContent);",
            vec![],
        )
        .await?;
    v.convert()
}

/// Waits until the panel lists these steps.
async fn draft_is(b: &Browser, want: &[&str]) -> WebDriverResult<()> {
    let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    b.wait_for(&format!("the deck's steps {want:?}"), LONG, move |b| {
        let want = want.clone();
        async move { Ok(draft_titles(b).await? == want) }
    })
    .await
}

/// Adds the view shown as a step with these words, and waits until the deck has `n` steps
/// and the words are cleared for the next.
async fn add_step(b: &Browser, words: [&str; 3], n: usize) -> WebDriverResult<()> {
    for (id, w) in ["deck-title", "deck-caption", "deck-notes"]
        .iter()
        .zip(words)
    {
        b.set_value(id, w).await?;
    }
    b.click("deck-add").await?;
    b.wait_for("the step to be added", LONG, move |b| async move {
        Ok(draft_titles(b).await?.len() == n && b.text("deck-title").await?.is_empty())
    })
    .await
}

/// Changes the view the way an edited link does (the page is not reloaded).
async fn go_to(b: &Browser, fragment: &'static str) -> WebDriverResult<()> {
    b.web
        .execute(
            "location.hash = arguments[0];",
            vec![serde_json::json!(fragment)],
        )
        .await?;
    b.wait_for("the view", LONG, move |b| async move {
        Ok(location_hash(b)
            .await?
            .contains(fragment.trim_start_matches('#')))
    })
    .await
}

/// The deck's link, once packed.
async fn deck_href(b: &Browser) -> WebDriverResult<String> {
    b.wait_for("the deck's link", LONG, |b| async move {
        b.exists("deck-link").await
    })
    .await?;
    Ok(b.web
        .find(By::Css("[data-testid=\"deck-link\"]"))
        .await?
        .attr("href")
        .await?
        .unwrap_or_default())
}

async fn import(b: &Browser, path: &std::path::Path) -> WebDriverResult<()> {
    let input = b.web.find(By::Css("[data-testid=\"import-file\"]")).await?;
    input.send_keys(path.display().to_string()).await
}

async fn notice_says(b: &Browser, what: &'static str) -> WebDriverResult<()> {
    b.wait_for(what, LONG, move |b| async move {
        Ok(b.exists("notice").await? && b.text("notice").await?.contains(what))
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deck_built_on_the_page_is_presented_exported_imported_and_shared_by_link(
) -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49&k=2&view=policies")
                .await?;
            assert!(
                b.text("deck-panel").await?.contains("no steps yet"),
                "an empty deck says how to start"
            );
            add_step(
                b,
                ["Best of two", "The game wins {game}.", "Point at the bars."],
                1,
            )
            .await?;
            assert!(b.text("notice").await?.contains("Step 1 added"));
            go_to(b, "#v=1&preset=majority-51-49&k=3&view=sweep").await?;
            add_step(b, ["Best of three", "Now {game} of {bound}.", ""], 2).await?;
            go_to(b, "#v=1&preset=majority-51-49&k=1").await?;
            // A title with markup is shown as text.
            add_step(b, ["<b>One</b>", "k = 1", ""], 3).await?;
            // Reorder and delete: "<b>One</b>" first, "Best of three" gone.
            b.click("deck-up-3").await?;
            draft_is(b, &["Best of two", "<b>One</b>", "Best of three"]).await?;
            b.click("deck-up-2").await?;
            draft_is(b, &["<b>One</b>", "Best of two", "Best of three"]).await?;
            b.click("deck-delete-3").await?;
            draft_is(b, &["<b>One</b>", "Best of two"]).await?;
            // The deck is kept in this browser: a reload loses none of it.
            b.web.goto("about:blank").await?;
            b.open("/#v=1&preset=majority-51-49&k=2").await?;
            draft_is(b, &["<b>One</b>", "Best of two"]).await?;
            // Export: the document reads back as the deck written.
            b.click("deck-export").await?;
            let path = downloaded(b, "ualign-deck.json").await?;
            let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)
                .expect("the exported deck is JSON");
            assert_eq!(doc["ualign_deck"], 1);
            let steps = doc["steps"].as_array().expect("steps");
            assert_eq!(steps.len(), 2);
            assert_eq!(steps[1]["title"], "Best of two");
            assert_eq!(steps[1]["notes"], "Point at the bars.");
            let fragment = steps[1]["fragment"].as_str().unwrap_or_default();
            assert!(
                fragment.contains("k=2") && fragment.contains("view=policies"),
                "{fragment}"
            );
            // Presented: the captions fill in the exact values, and → steps.
            b.click("deck-present").await?;
            step_is(b, "1 / 2").await?;
            press(b, Key::Right).await?;
            step_is(b, "2 / 2").await?;
            b.wait_for("the caption's exact value", LONG, |b| async move {
                Ok(b.text("tour-caption").await? == "The game wins 0.6667.")
            })
            .await?;
            assert_eq!(b.text("k").await?, "2");
            // The presenter window shows this deck's words, not the tour's.
            let (page, _) = open_presenter(b).await?;
            let want = [
                "2 / 2",
                "Best of two",
                "Point at the bars.",
                "This is the last step.",
            ];
            let deadline = std::time::Instant::now() + LONG;
            loop {
                let mut seen = Vec::new();
                for id in ["step", "title", "notes", "next"] {
                    seen.push(b.text(&format!("presenter-{id}")).await?);
                }
                if seen == want {
                    break;
                }
                assert!(
                    std::time::Instant::now() < deadline,
                    "the presenter shows {seen:?}, not {want:?}"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            b.web.close_window().await?;
            b.web.switch_to_window(page).await?;
            press(b, Key::Escape).await?;
            // Shared by link: a fresh page opens the deck at its first step.
            b.click("deck-share").await?;
            let href = deck_href(b).await?;
            assert!(href.contains("#deck="), "{href}");
            b.web.goto("about:blank").await?;
            b.web.goto(&href).await?;
            step_is(b, "1 / 2").await?;
            b.wait_for("step 1's view", LONG, |b| async move {
                Ok(b.text("k").await? == "1")
            })
            .await?;
            draft_is(b, &["<b>One</b>", "Best of two"]).await?;
            // The step replaced the link in the history: back leaves the page.
            b.web.back().await?;
            b.wait_for("back to leave the page", LONG, |b| async move {
                Ok(b.web.current_url().await?.as_str() == "about:blank")
            })
            .await?;
            b.web.goto(&href).await?;
            step_is(b, "1 / 2").await?;
            press(b, Key::Escape).await?;
            // A broken deck says why and keeps the deck.
            let bad = path.with_file_name("bad-deck.json");
            std::fs::write(
                &bad,
                "{\"ualign_deck\": 7, \"title\": \"t\", \"steps\": []}",
            )?;
            import(b, &bad).await?;
            notice_says(b, "version 7").await?;
            draft_is(b, &["<b>One</b>", "Best of two"]).await?;
            // Another deck opened from a file is shown, and the one being written stays.
            let other = path.with_file_name("other-deck.json");
            std::fs::write(&other, doc.to_string().replace("Best of two", "Somebody's"))?;
            import(b, &other).await?;
            step_is(b, "1 / 2").await?;
            b.wait_for("the panel to keep its deck", LONG, |b| async move {
                Ok(b.text("deck-kept")
                    .await?
                    .contains("Your own deck (2 steps) stays"))
            })
            .await?;
            draft_is(b, &["<b>One</b>", "Best of two"]).await?;
            press(b, Key::Escape).await?;
            // Emptied, the panel takes the deck imported (the export opens for editing).
            b.click("deck-delete-1").await?;
            draft_is(b, &["Best of two"]).await?;
            b.click("deck-delete-1").await?;
            draft_is(b, &[]).await?;
            import(b, &path).await?;
            step_is(b, "1 / 2").await?;
            draft_is(b, &["<b>One</b>", "Best of two"]).await?;
            press(b, Key::Escape).await?;
            // A deck too big for a link says so and offers the export instead.
            let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
            let mut noise = || {
                (0..4000)
                    .map(|_| {
                        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                        char::from(b'!' + ((seed >> 33) % 90) as u8)
                    })
                    .collect::<String>()
            };
            for n in 3..=14 {
                let notes = noise();
                add_step(b, ["noise", "", &notes], n).await?;
            }
            b.click("deck-share").await?;
            notice_says(b, "too big for a link").await?;
            assert!(!b.exists("deck-link").await?);
            Ok(())
        })
    })
    .await
}

/// The lecturer's deck in this browser's storage.
async fn stored_deck(b: &Browser) -> WebDriverResult<Option<String>> {
    let v = b
        .web
        .execute("return localStorage.getItem('ualign-deck');", vec![])
        .await?;
    Ok(v.json().as_str().map(str::to_string))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deck_being_written_outlives_a_restarted_worker_and_a_broken_copy_is_kept(
) -> WebDriverResult<()> {
    run(1.0, Console::Expected, |b| {
        Box::pin(async move {
            b.open("/?test#v=1&preset=majority-51-49&k=2").await?;
            add_step(b, ["Kept", "c", ""], 1).await?;
            assert!(stored_deck(b)
                .await?
                .is_some_and(|d| d.contains("\"Kept\"")));
            // The worker panics: the new one holds the deck from the page's copy.
            b.web.execute("window.ualignTest('panic')", vec![]).await?;
            b.wait_for("the restarted worker", LONG, |b| async move {
                Ok(b.text("notice").await?.contains("Solver restarted"))
            })
            .await?;
            draft_is(b, &["Kept"]).await?;
            add_step(b, ["And more", "", ""], 2).await?;
            // A stored copy that no longer reads is named and left as it was.
            let broken = r#"{"ualign_deck": 1, "title": "t", "steps": []}"#;
            b.web
                .execute(
                    "localStorage.setItem('ualign-deck', arguments[0]);",
                    vec![serde_json::json!(broken)],
                )
                .await?;
            b.web.goto("about:blank").await?;
            b.open("/?test#v=1&preset=majority-51-49&k=2").await?;
            notice_says(b, "could not be opened, and is left as it was").await?;
            draft_is(b, &[]).await?;
            assert_eq!(stored_deck(b).await?.as_deref(), Some(broken));
            Ok(())
        })
    })
    .await
}
