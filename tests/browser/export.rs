//! Downloads: every figure as PNG and SVG, the data as CSV and JSON.

use super::harness::*;
use super::helpers::*;
use std::time::Duration;
use thirtyfour::prelude::*;

/// Every chart downloads as PNG and as SVG (a well-formed document with its title, key and
/// data drawn as vectors), and the data as CSV and JSON.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_download_png_svg_csv_and_json() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
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
                downloaded(b, name).await?;
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
                std::fs::write(screenshot_dir().join(name), &svg)?;
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
                    for label in labels(b).await? {
                        assert!(
                            texts.contains(&label),
                            "{name}: no label {label:?} in {texts:?}"
                        );
                    }
                }
            }
            assert!(!b.exists("notice").await?, "{}", b.text("notice").await?);
            Ok(())
        })
    })
    .await
}
