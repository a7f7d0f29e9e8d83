//! Share links: round trips, bad links falling back to the defaults, and configurations too big
//! for a link offered as JSON instead.

use super::harness::*;
use super::helpers::*;
use std::time::Duration;
use thirtyfour::prelude::*;

/// The configuration lives in the URL: a share link opens it, edits update it, an edited
/// fragment reloads, and a bad link gives a message and the default configuration.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn share_links_round_trip_and_bad_links_fall_back() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
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
            Ok(())
        })
    })
    .await
}

/// A configuration too big for a link: the page says so and offers the JSON export; "Copy
/// link" copies nothing stale; the exported file, imported into another page, opens the same
/// preferences (and the same k).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_big_for_a_link_offers_the_json_export_which_opens_again() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
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
            let stale = location_hash(b).await?;
            assert!(
                !stale.contains("data="),
                "the link kept the last configuration it could hold"
            );
            // Copy link refuses rather than copying that stale link.
            b.click("copy-link").await?;
            tokio::time::sleep(Duration::from_millis(300)).await;
            assert!(b.exists("link-notice").await?);
            let copied =
                b.exists("notice").await? && b.text("notice").await?.contains("Link copied");
            assert!(!copied, "a stale link was copied");

            b.click("link-notice-json").await?;
            let file = downloaded(b, "ualign-results.json").await?;
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
            // The editor is built once its panel is unfolded.
            open_editor(b, "population-editor").await?;
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
            let hash = location_hash(b).await?;
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
                assert_eq!(location_hash(b).await?, hash);
            }
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}
