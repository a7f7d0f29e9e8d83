//! The Content-Security-Policy holds and imported labels render as text, never as markup.

use super::harness::*;
use std::time::Duration;
use thirtyfour::prelude::*;

/// Content safety: the page runs under its Content-Security-Policy (only the site's own
/// scripts and wasm, the inline loader by hash) with no violation logged, and an imported
/// label that is HTML shows as literal text: no element is created from it and no dialog opens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csp_holds_and_labels_render_as_text() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
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
            b.open("/#v=1").await?;
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
            Ok(())
        })
    })
    .await
}
