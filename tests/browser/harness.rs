//! Test harness for the browser tests: a tiny static server for dist/, chromedriver started
//! on a free port, and a headless Chromium session with helpers that read the DOM contract.

use futures::FutureExt;
use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use thirtyfour::prelude::*;
use thirtyfour::LoggingPrefsLogLevel;
use tokio::sync::Mutex;

/// One browser at a time: the machine has two cores and the timing checks need them.
static SERIAL: Mutex<()> = Mutex::const_new(());

/// What a test expects of the browser's console.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Console {
    /// No errors (CSP violations land there too).
    Clean,
    /// Errors are part of the test (an injected worker fault logs its panic).
    Expected,
}

/// A test's body: it drives the browser and returns when done.
pub type Body<'a> = Pin<Box<dyn Future<Output = WebDriverResult<()>> + 'a>>;

/// Runs a browser test: takes the browser slot, launches Chromium at a device pixel ratio,
/// runs the body, and always finishes: the console is checked (unless errors are expected)
/// and the browser quits, even when the body fails or panics. Skips when `ready` says so.
pub async fn run(
    scale: f64,
    console: Console,
    body: impl for<'a> FnOnce(&'a Browser) -> Body<'a>,
) -> WebDriverResult<()> {
    run_with(scale, &[], console, body).await
}

/// [`run`] with more Chromium switches (e.g. `--force-prefers-reduced-motion`).
pub async fn run_with(
    scale: f64,
    switches: &[&str],
    console: Console,
    body: impl for<'a> FnOnce(&'a Browser) -> Body<'a>,
) -> WebDriverResult<()> {
    let _serial = SERIAL.lock().await;
    if !ready() {
        return Ok(());
    }
    let b = Browser::launch_with(scale, switches).await?;
    let outcome = AssertUnwindSafe(body(&b)).catch_unwind().await;
    let errors = b.console_errors().await;
    let quit = b.quit().await;
    match outcome {
        Err(panic) => std::panic::resume_unwind(panic),
        Ok(Err(e)) => Err(e),
        Ok(Ok(())) => {
            if console == Console::Clean {
                let errors = errors?;
                assert!(errors.is_empty(), "console errors: {errors:#?}");
            }
            quit
        }
    }
}

pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn dist_dir() -> PathBuf {
    repo_dir().join("dist")
}

pub fn screenshot_dir() -> PathBuf {
    let dir = repo_dir().join("target").join("screenshots");
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    dir
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether the browser tests can run here. In CI a missing site or browser is a failure;
/// elsewhere the test skips: it passes for cargo, and says `skipped: NAME (reason)` on stderr,
/// which `make cargo-test` counts as skipped, not passed.
pub fn ready() -> bool {
    let mut missing = Vec::new();
    if !dist_dir().join("index.html").exists() {
        missing.push("dist/ (run `make dist`)");
    }
    for tool in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(tool).exists() {
            missing.push(tool);
        }
    }
    if missing.is_empty() {
        return true;
    }
    let msg = format!("browser tests need {}", missing.join(", "));
    if in_ci() {
        panic!("{msg} (CI=true: not skipping)");
    }
    report_skip(&msg);
    false
}

/// Writes `skipped: NAME (reason)` straight to stderr: the test harness captures `eprintln!`
/// of passing tests, so that would never reach the log. libtest runs each test on a thread
/// named after it.
fn report_skip(reason: &str) {
    let name = std::thread::current()
        .name()
        .unwrap_or("unnamed-browser-test")
        .replace(' ', "_");
    let line = format!("skipped: {name} ({reason})\n");
    // Nothing to do if stderr itself is gone.
    let _ = std::io::stderr().write_all(line.as_bytes());
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Serves dist/ on a loopback port, at `/` and also under the subpath `/sub/` (to check that
/// the app finds its worker from the document's base URI). Returns the port.
pub fn serve_dist() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind static server");
    let port = listener.local_addr().unwrap().port();
    let root = dist_dir();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = serve_one(stream, &root);
            });
        }
    });
    port
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    }
}

fn serve_one(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the headers.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = path.strip_prefix("/sub").unwrap_or(path);
    // Host pages for the embed tests: the shipped plugin and example deck, the test hosts,
    // and reveal.js from node_modules (the example deck's relative paths).
    let repo = repo_dir();
    let (root, path) = if let Some(p) = path.strip_prefix("/embed/") {
        (repo.join("embed"), p)
    } else if let Some(p) = path.strip_prefix("/hosts/") {
        (repo.join("tests/browser/hosts"), p)
    } else if let Some(p) = path.strip_prefix("/node_modules/reveal.js/") {
        (repo.join("node_modules/reveal.js"), p)
    } else {
        (root.to_path_buf(), path)
    };
    let root = root.as_path();
    let rel = path.trim_start_matches('/');
    let file = if rel.is_empty() {
        root.join("index.html")
    } else if rel.split('/').any(|c| c == ".." || c.is_empty()) {
        PathBuf::new()
    } else {
        root.join(rel)
    };
    let mut out = stream;
    match std::fs::read(&file) {
        Ok(body) if file.is_file() => {
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
                content_type(&file),
                body.len()
            )?;
            out.write_all(&body)?;
        }
        _ => {
            let body = b"not found";
            write!(
                out,
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            )?;
            out.write_all(body)?;
        }
    }
    out.flush()
}

/// A running chromedriver; killed on drop.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start_chromedriver() -> Driver {
    let port = free_port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "chromedriver did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    driver
}

/// One browser session plus everything it needs; the temporary profile is removed on drop.
pub struct Browser {
    pub web: WebDriver,
    pub site: String,
    _driver: Driver,
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    /// Headless Chromium at the given device pixel ratio, window 1400 x 1000 CSS pixels.
    /// More Chromium switches come after these.
    pub async fn launch_with(scale: f64, switches: &[&str]) -> WebDriverResult<Browser> {
        let site_port = serve_dist();
        let driver = start_chromedriver();
        let profile = std::env::temp_dir().join(format!(
            "ualign-chromium-{}-{}",
            std::process::id(),
            driver.port
        ));
        let mut caps = DesiredCapabilities::chrome();
        caps.set_binary(CHROMIUM)?;
        for arg in [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--window-size=1400,1000",
        ] {
            caps.add_arg(arg)?;
        }
        caps.add_arg(&format!("--force-device-scale-factor={scale}"))?;
        for arg in switches {
            caps.add_arg(arg)?;
        }
        caps.add_arg(&format!("--user-data-dir={}", profile.display()))?;
        caps.set_browser_log_level(LoggingPrefsLogLevel::All)?;
        // Downloads land in the profile's own folder, without asking.
        caps.add_experimental_option(
            "prefs",
            serde_json::json!({
                "download.default_directory": profile.join("downloads").display().to_string(),
                "download.prompt_for_download": false,
            }),
        )?;
        let web = WebDriver::new(format!("http://127.0.0.1:{}", driver.port), caps).await?;
        Ok(Browser {
            web,
            site: format!("http://127.0.0.1:{site_port}"),
            _driver: driver,
            profile,
        })
    }

    /// Where this browser's downloads go.
    pub fn downloads(&self) -> PathBuf {
        self.profile.join("downloads")
    }

    pub async fn quit(&self) -> WebDriverResult<()> {
        self.web.clone().quit().await
    }

    /// Opens the app at `path` (e.g. "/" or "/sub/") and waits until the worker has answered
    /// (the policies list the preset's responses).
    pub async fn open(&self, path: &str) -> WebDriverResult<()> {
        self.web.goto(format!("{}{}", self.site, path)).await?;
        self.wait_for(
            "the worker's first snapshot",
            Duration::from_secs(30),
            |b| async move {
                Ok(b.text("iteration").await? == "0" && !b.policy("policy-game").await?.is_empty())
            },
        )
        .await
    }

    /// Text of the element with this data-testid (textContent, so hidden ones read too).
    pub async fn text(&self, testid: &str) -> WebDriverResult<String> {
        let ret = self
            .web
            .execute(
                "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
                 return el ? el.textContent.trim() : null;",
                vec![serde_json::json!(testid)],
            )
            .await?;
        Ok(ret.json().as_str().unwrap_or_default().to_string())
    }

    pub async fn exists(&self, testid: &str) -> WebDriverResult<bool> {
        let found = self
            .web
            .find_all(By::Css(format!("[data-testid=\"{testid}\"]")))
            .await?;
        Ok(!found.is_empty())
    }

    pub async fn number(&self, testid: &str) -> WebDriverResult<f64> {
        let t = self.text(testid).await?;
        Ok(t.parse()
            .unwrap_or_else(|_| panic!("{testid} = {t:?} is not a number")))
    }

    pub async fn click(&self, testid: &str) -> WebDriverResult<()> {
        self.web
            .find(By::Css(format!("[data-testid=\"{testid}\"]")))
            .await?
            .click()
            .await
    }

    /// Sets a form control's value the way a user edit does (fires input and change).
    pub async fn set_value(&self, testid: &str, value: &str) -> WebDriverResult<()> {
        self.web
            .execute(
                "const el = document.querySelector(`[data-testid=\"${arguments[0]}\"]`);\
                 el.value = arguments[1];\
                 el.dispatchEvent(new Event('input', {bubbles: true}));\
                 el.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![serde_json::json!(testid), serde_json::json!(value)],
            )
            .await?;
        Ok(())
    }

    /// The per-response probabilities of `policy-nlhf` / `policy-game`, with their labels.
    pub async fn policy(&self, testid: &str) -> WebDriverResult<Vec<(String, f64)>> {
        let ret = self
            .web
            .execute(
                "return [...document.querySelectorAll(`[data-testid=\"${arguments[0]}\"] li`)]\
                 .map(li => [li.dataset.label, Number(li.dataset.p)])\
                 .filter(([, p]) => Number.isFinite(p));",
                vec![serde_json::json!(testid)],
            )
            .await?;
        let rows: Vec<(String, f64)> = ret.convert()?;
        Ok(rows)
    }

    /// Polls `cond` every 50 ms until it holds; panics with `what` after `timeout`.
    pub async fn wait_for<'a, F, Fut>(
        &'a self,
        what: &str,
        timeout: Duration,
        cond: F,
    ) -> WebDriverResult<()>
    where
        F: Fn(&'a Browser) -> Fut,
        Fut: std::future::Future<Output = WebDriverResult<bool>> + 'a,
    {
        let deadline = Instant::now() + timeout;
        loop {
            if cond(self).await? {
                return Ok(());
            }
            if Instant::now() > deadline {
                let status = self.text("status").await.unwrap_or_default();
                let error = self.text("error").await.unwrap_or_default();
                panic!("timed out after {timeout:?} waiting for {what} (status {status:?}, error {error:?})");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Console messages at level SEVERE or WARNING (errors, failed loads, deprecations, from
    /// the page and its worker) since the last call.
    pub async fn console_errors(&self) -> WebDriverResult<Vec<String>> {
        let log = self.web.browser_log().await?;
        Ok(log
            .into_iter()
            .filter(|e| e.level == "SEVERE" || e.level == "WARNING")
            .map(|e| e.message)
            .collect())
    }

    pub async fn screenshot(&self, testid: &str, name: &str) -> WebDriverResult<PathBuf> {
        let path = screenshot_dir().join(name);
        let el = self
            .web
            .find(By::Css(format!("[data-testid=\"{testid}\"]")))
            .await?;
        el.scroll_into_view().await?;
        el.screenshot(&path).await?;
        Ok(path)
    }
}
