//! Import: PrefLib files and bad files, every shipped data file, pasted text.

use super::harness::*;
use super::helpers::*;
use std::time::Duration;
use thirtyfour::prelude::*;

/// Importing a PrefLib file replaces the preset's preferences (and goes into the link); a
/// broken file gives a message naming the line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_preflib_and_report_bad_files() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
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

            b.open("/#v=1").await?;
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
            Ok(())
        })
    })
    .await
}

/// Every data file shipped in `data/` imports through the file picker, giving the responses
/// the library's own reader finds in it (in the same order).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_data_file_imports() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49").await?;
            let mut files: Vec<std::path::PathBuf> =
                std::fs::read_dir(repo_dir().join("core/data"))?
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
                dismiss_notice(b).await?;
            }
            Ok(())
        })
    })
    .await
}

/// Pasted text imports like a file; a broken paste names the line and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_pasted_text() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            b.open("/#v=1&preset=majority-51-49").await?;
            assert_eq!(labels(b).await?.len(), 2);
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
            let hash = location_hash(b).await?;
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
            assert_eq!(labels(b).await?, ["Apple", "Banana", "Cherry"]);
            assert_eq!(
                location_hash(b).await?,
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
            assert_eq!(labels(b).await?, ["a", "b"]);
            assert!(!b.exists("error").await?);
            Ok(())
        })
    })
    .await
}

/// A case document, such as `ualign gap-search` prints, opens as its preferences at its first
/// k; a case that points to a PrefLib file is refused with the reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_document_from_the_profile_search_opens() -> WebDriverResult<()> {
    run(1.0, Console::Clean, |b| {
        Box::pin(async move {
            let dir = std::env::temp_dir().join(format!("ualign-case-{}", std::process::id()));
            std::fs::create_dir_all(&dir)?;
            let case = dir.join("worst.json");
            std::fs::write(
                &case,
                r#"{"name": "gap-search n=3 k=3 l=2 target=game", "labels": ["R1", "R2", "R3"],
                   "population": [{"weight": 0.6, "ranking": [0, 1, 2]}, {"weight": 0.4, "ranking": [2, 1, 0]}],
                   "k": [3], "l": [2], "gap_search": {"target": "game", "value": 0.5}}"#,
            )?;
            let linked = dir.join("linked.json");
            std::fs::write(&linked, r#"{"preflib": "x.soc", "k": [2]}"#)?;
            b.open("/#v=1").await?;
            let input = b.web.find(By::Css("[data-testid=\"import-file\"]")).await?;
            input.send_keys(case.display().to_string()).await?;
            b.wait_for("the opened case", Duration::from_secs(30), |b| async move {
                Ok(labels(b).await? == ["R1", "R2", "R3"] && b.text("k").await? == "3")
            })
            .await?;
            assert!(b.text("notice").await?.contains("worst.json"));
            let input = b.web.find(By::Css("[data-testid=\"import-file\"]")).await?;
            input.send_keys(linked.display().to_string()).await?;
            b.wait_for("the refusal", Duration::from_secs(30), |b| async move {
                Ok(b.text("notice").await?.contains("names a PrefLib file"))
            })
            .await?;
            assert_eq!(labels(b).await?, ["R1", "R2", "R3"], "nothing changed");
            let _ = std::fs::remove_dir_all(&dir);
            Ok(())
        })
    })
    .await
}
