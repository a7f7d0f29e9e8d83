//! The arena in the page: rounds one at a time and fast, both sides' choices in the link,
//! the tally against its exact value, the best fixed set, embed mode and the key.

use super::harness::*;
use super::helpers::*;
use std::time::Duration;
use thirtyfour::prelude::*;

/// The chips' labels in an arena row (`arena-nlhf` / `arena-game`), and whether each chip has
/// a text alternative that starts with its label.
async fn chips(b: &Browser, testid: &str) -> WebDriverResult<Vec<(String, bool)>> {
    let ret = b
        .web
        .execute(
            "return [...document.querySelectorAll(`[data-testid=\"${arguments[0]}\"] li.card`)]\
             .map(li => [li.textContent, (li.getAttribute('aria-label') || '')\
                 .startsWith(li.textContent) && li.title === li.getAttribute('aria-label')]);",
            vec![serde_json::json!(testid)],
        )
        .await?;
    ret.convert()
}

/// A data attribute of the element with this testid, as a number.
async fn data(b: &Browser, testid: &str, key: &str) -> WebDriverResult<f64> {
    let ret = b
        .web
        .execute(
            "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             return el ? Number(el.dataset[arguments[1]]) : null;",
            vec![serde_json::json!(testid), serde_json::json!(key)],
        )
        .await?;
    Ok(ret.json().as_f64().unwrap_or(f64::NAN))
}

async fn pressed(b: &Browser, testid: &str) -> WebDriverResult<bool> {
    let ret = b
        .web
        .execute(
            "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             return el ? el.getAttribute('aria-pressed') === 'true' : null;",
            vec![serde_json::json!(testid)],
        )
        .await?;
    Ok(ret.json().as_bool().unwrap_or(false))
}

async fn shown(b: &Browser, testid: &str) -> WebDriverResult<bool> {
    let ret = b
        .web
        .execute(
            "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
             return !!el && el.getClientRects().length > 0;",
            vec![serde_json::json!(testid)],
        )
        .await?;
    Ok(ret.json().as_bool().unwrap_or(false))
}

/// Presses `d` on the page (no control focused) and waits for the tally's first round.
async fn key_d_plays_the_first_round(b: &Browser) -> WebDriverResult<()> {
    b.web.find(By::Tag("body")).await?.send_keys("d").await?;
    b.wait_for(
        "d to play a round",
        Duration::from_secs(10),
        |b| async move { Ok(b.text("arena-rounds").await? == "1") },
    )
    .await
}

async fn arena_open(b: &Browser) -> WebDriverResult<()> {
    b.wait_for("the arena", Duration::from_secs(30), |b| async move {
        b.exists("arena-round").await
    })
    .await
}

/// On 51/49 at k = 4: NLHF deals four copies of A, the game's row sampled; the adversary's
/// choice goes into the link and both exact values change at once; fast rounds settle the
/// tallies inside their intervals around the exact values; the minority is left out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_arena_plays_rounds_and_either_side() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49&k=4&view=arena").await?;
            arena_open(b).await?;
            assert!(shown(b, "view-arena").await?);
            assert!(
                !shown(b, "view-policies").await?,
                "the arena is shown alone"
            );
            assert_eq!(b.text("arena-rounds").await?, "0");
            b.click("arena-round").await?;
            b.wait_for("one round", Duration::from_secs(10), |b| async move {
                Ok(b.text("arena-rounds").await? == "1")
            })
            .await?;
            let nlhf = chips(b, "arena-nlhf").await?;
            assert_eq!(
                nlhf.iter().map(|(l, _)| l.as_str()).collect::<Vec<_>>(),
                ["A"; 4],
                "NLHF shows the same answer four times"
            );
            let game = chips(b, "arena-game").await?;
            assert_eq!(game.len(), 4);
            assert!(
                nlhf.iter().chain(&game).all(|(_, alt)| *alt),
                "every chip has a text alternative"
            );
            let voter = b.text("arena-voter").await?;
            assert!(
                voter.contains("A > B") || voter.contains("B > A"),
                "{voter}"
            );
            // The minority's line in "who is left out": never shown anything under NLHF.
            let minority = b
                .web
                .execute(
                    "const li = [...document.querySelectorAll('[data-testid=\"left-out\"] li')]\
                       .find(li => li.textContent.startsWith('49.0%'));\
                     return li ? [Number(li.dataset.nlhf), Number(li.dataset.game)] : null;",
                    vec![],
                )
                .await?;
            let minority: (f64, f64) = minority.convert()?;
            assert_eq!(minority.0, 0.0);
            assert!(
                (minority.1 - (1.0 - 0.514f64.powi(4))).abs() < 2e-3,
                "{minority:?}"
            );

            // Be the adversary: B against both.
            b.click("challenge-1").await?;
            b.wait_for(
                "the exact values against B",
                Duration::from_secs(10),
                |b| async move {
                    Ok(b.text("arena-exact-nlhf").await? == "0.5100"
                        && b.text("arena-exact-game").await? == "0.8000"
                        && b.text("arena-rounds").await? == "0")
                },
            )
            .await?;
            assert!(pressed(b, "challenge-1").await? && !pressed(b, "challenge-0").await?);
            let hash = location_hash(b).await?;
            assert!(hash.contains("challenger=1"), "{hash}");
            assert!(hash.contains("view=arena"), "{hash}");
            // The indifference table: both singles give the game exactly 0.8000.
            // (NLHF's A against A: five equal copies, four of them the model's.)
            let singles = b.text("arena-singles").await?;
            assert!(
                singles.contains("A0.80000.8000yes") && singles.contains("B0.51000.8000yes"),
                "{singles}"
            );

            // Fast rounds until the tallies have something to say, then stop.
            b.click("arena-fast").await?;
            b.wait_for(
                "2,000 fast rounds",
                Duration::from_secs(30),
                |b| async move { Ok(b.number("arena-rounds").await? >= 2000.0) },
            )
            .await?;
            assert!(pressed(b, "arena-fast").await?);
            assert_eq!(b.text("arena-fast").await?, "Stop fast rounds");
            b.click("arena-fast").await?;
            b.wait_for(
                "fast rounds to stop",
                Duration::from_secs(10),
                |b| async move { Ok(!pressed(b, "arena-fast").await?) },
            )
            .await?;
            let stopped = b.number("arena-rounds").await?;
            tokio::time::sleep(Duration::from_millis(400)).await;
            assert_eq!(
                b.number("arena-rounds").await?,
                stopped,
                "no rounds after stop"
            );
            for id in ["nlhf", "game"] {
                let tally = format!("arena-tally-{id}");
                let (lo, hi) = (data(b, &tally, "lo").await?, data(b, &tally, "hi").await?);
                let (wins, rounds) = (
                    data(b, &tally, "wins").await?,
                    data(b, &tally, "rounds").await?,
                );
                let exact = data(b, &format!("arena-exact-{id}"), "exact").await?;
                assert_eq!(rounds, stopped);
                assert!(lo <= wins / rounds && wins / rounds <= hi);
                // The default seed's rounds: each 95% interval holds its exact value.
                assert!(
                    lo <= exact && exact <= hi,
                    "{id}: {exact} not in [{lo}, {hi}]"
                );
            }
            // Reset the tally; the key d plays one round.
            b.click("arena-reset").await?;
            b.wait_for("a reset tally", Duration::from_secs(10), |b| async move {
                Ok(b.text("arena-rounds").await? == "0")
            })
            .await?;
            key_d_plays_the_first_round(b).await?;
            // New draws: a fresh seed in the link, the tally restarted.
            b.click("arena-new-draws").await?;
            b.wait_for(
                "new draws in the link",
                Duration::from_secs(10),
                |b| async move {
                    Ok(location_hash(b).await?.contains("draws=")
                        && b.text("arena-rounds").await? == "0")
                },
            )
            .await?;
            b.screenshot("view-arena", "arena.png").await?;
            Ok(())
        })
    })
    .await
}

/// Be the model: at k = 2 the best fixed set is {A, B} at 0.7450, above the cap of 2/3; it is
/// adopted as the chosen set and goes into the link. A link replays the same rounds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_best_fixed_set_and_a_link_that_replays_its_rounds() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49&k=2&view=arena").await?;
            arena_open(b).await?;
            assert_eq!(b.text("fixed-set-value").await?, "–");
            b.click("best-fixed-set").await?;
            b.wait_for(
                "the best fixed set",
                Duration::from_secs(20),
                |b| async move { Ok(b.text("fixed-set-value").await? == "0.7450") },
            )
            .await?;
            assert!(b.text("best-set").await?.contains("{A, B} wins 0.7450"));
            b.wait_for(
                "the set in the link",
                Duration::from_secs(10),
                |b| async move { Ok(location_hash(b).await?.contains("set=0,1")) },
            )
            .await?;
            assert!(pressed(b, "set-0").await? && pressed(b, "set-1").await?);
            // Unpicking one leaves the value undefined until k are chosen again.
            b.click("set-1").await?;
            b.wait_for(
                "one of two chosen",
                Duration::from_secs(10),
                |b| async move { Ok(b.text("fixed-set-value").await? == "–") },
            )
            .await?;

            // Two loads of one link deal the same cards.
            let link = "/#v=1&preset=majority-51-49&k=4&view=arena&draws=77";
            let mut deals = Vec::new();
            for _ in 0..2 {
                // A fresh load each time (the same link twice is no navigation).
                b.web.goto("about:blank").await?;
                b.open(link).await?;
                arena_open(b).await?;
                for _ in 0..3 {
                    b.click("arena-round").await?;
                }
                b.wait_for("three rounds", Duration::from_secs(10), |b| async move {
                    Ok(b.text("arena-rounds").await? == "3")
                })
                .await?;
                deals.push((chips(b, "arena-game").await?, b.text("arena-voter").await?));
            }
            assert_eq!(deals[0], deals[1], "the same seed deals the same rounds");
            Ok(())
        })
    })
    .await
}

/// Embed mode with view=arena: the arena alone, no run controls, and d plays a round.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_arena_embeds_alone_and_plays_from_the_keyboard() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.web.set_window_rect(0, 0, 1000, 700).await?;
            b.open("/#v=1&embed=1&view=arena&preset=majority-51-49")
                .await?;
            arena_open(b).await?;
            assert!(b.exists("embed").await?);
            assert!(!b.exists("play").await?);
            assert!(shown(b, "view-arena").await?);
            assert!(!shown(b, "view-policies").await?);
            key_d_plays_the_first_round(b).await?;
            assert_eq!(chips(b, "arena-nlhf").await?.len(), 4);
            Ok(())
        })
    })
    .await
}
