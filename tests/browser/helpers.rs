//! Helpers the browser tests share beyond the harness: the editor, notices, downloads, form
//! controls, the location.

use super::harness::*;
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;

/// Unfolds "Edit the preferences" and waits for `testid` in it.
pub async fn open_editor(b: &Browser, testid: &str) -> WebDriverResult<()> {
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
pub async fn dismiss_notice(b: &Browser) -> WebDriverResult<()> {
    b.web
        .find(By::Css("[data-testid=\"notice\"] button"))
        .await?
        .click()
        .await
}

/// Waits (up to 20 s) for a download to land, whole; its path.
pub async fn downloaded(b: &Browser, name: &str) -> WebDriverResult<std::path::PathBuf> {
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

pub async fn play_and_rise(b: &Browser, what: &str) -> WebDriverResult<()> {
    b.click("play").await?;
    b.wait_for(what, Duration::from_secs(20), |b| async move {
        Ok(b.text("status").await? == "running" && b.number("iteration").await? >= 5.0)
    })
    .await
}

/// The value of a form control (an input's current value, not its attribute).
pub async fn control_value(b: &Browser, testid: &str) -> WebDriverResult<String> {
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
pub async fn cells(b: &Browser, v01: &str, v10: &str) -> WebDriverResult<bool> {
    Ok(control_value(b, "cell-0-1").await? == v01
        && control_value(b, "cell-1-0").await? == v10
        && (v01 == "0.9000") == location_hash(b).await?.contains("data="))
}

/// Polls a condition every 50 ms; panics with `what` after 30 s.
pub async fn wait<F, Fut>(cond: F, what: &str) -> WebDriverResult<()>
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
pub async fn labels(b: &Browser) -> WebDriverResult<Vec<String>> {
    Ok(b.policy("policy-game")
        .await?
        .into_iter()
        .map(|(l, _)| l)
        .collect())
}

pub async fn location_hash(b: &Browser) -> WebDriverResult<String> {
    let hash = b.web.execute("return location.hash", vec![]).await?;
    Ok(hash.json().as_str().unwrap_or_default().to_string())
}

/// Waits until the status is idle and the worker has confirmed it (aria-busy off): from then
/// on the iteration shown is where the worker stopped.
pub async fn confirmed_idle(b: &Browser) -> WebDriverResult<()> {
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

/// Opens the reveal.js example deck (served from the repository, the app from `b.site`) and
/// waits for reveal.js to be ready.
pub async fn open_example_deck(b: &Browser) -> WebDriverResult<()> {
    let port = b.site.rsplit(':').next().unwrap_or_default();
    b.web
        .goto(format!(
            "http://localhost:{port}/embed/example-deck.html?app={}/",
            b.site
        ))
        .await?;
    b.wait_for(
        "reveal.js",
        std::time::Duration::from_secs(30),
        |b| async move {
            let v = b
                .web
                .execute("return !!(window.Reveal && Reveal.isReady())", vec![])
                .await?;
            Ok(v.json().as_bool().unwrap_or(false))
        },
    )
    .await
}
