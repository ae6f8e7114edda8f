//! The real app window under test: `tauri-driver` starts WebKitWebDriver, which starts the app on the
//! virtual X display `cargo xtask test` provides; the test drives it over WebDriver (fantoccini).
//!
//! One window at a time in a test binary (two WebDriver sessions at once fail, and a test that finds its
//! window on the display by title must find its own), so `launch` holds a process-wide lock until the
//! window is closed or dropped; a test that starts the app itself holds it through [`own_the_display`]. A test that also needs the card readers takes
//! its [`crate::Bench`] first, then launches the window, always in that order.
//!
//! Every helper waits for the page with a bound ([`WAIT`]) and never sleeps for a fixed time; a helper that
//! gives up panics with what it waited for, the screen the window shows (`data-screen`) and the log.

use std::env;
use std::fmt::Display;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use fantoccini::error::{CmdError, ErrorStatus};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tokio::sync::{Mutex, MutexGuard};

use crate::app_launch::Launch;
use crate::session_bus::SessionBus;
use crate::tauri_driver::TauriDriver;

/// How long a helper waits for the page to get where the test expects.
pub const WAIT: Duration = Duration::from_secs(20);
/// Starting the app (a debug build, WebKit's processes, the first screen) takes a few seconds here.
const LAUNCH_LIMIT: Duration = Duration::from_secs(60);
/// For what a failure message asks the window on the side.
const ASIDE_LIMIT: Duration = Duration::from_secs(5);
/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(100);

/// Answers once the frame after the next has started, i.e. once what the DOM holds now has been painted.
const NEXT_PAINT: &str = "const done = arguments[arguments.length - 1]; \
     requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";

/// WebDriver's Enter key.
const ENTER: &str = "\u{E007}";

/// Held by the one window of the test binary.
static ONE_WINDOW: Mutex<()> = Mutex::const_new(());

/// For a test that starts the app itself (not through WebDriver): hold this while the app runs, so that
/// no other test's app window is on the display meanwhile.
pub async fn own_the_display() -> MutexGuard<'static, ()> {
    ONE_WINDOW.lock().await
}

pub struct AppWindow {
    /// From asking WebDriver for the session (which starts the app) to the first screen shown.
    pub started_in: Duration,
    client: Option<Client>,
    driver: TauriDriver,
    launch: Launch,
    /// Every click the test made (buttons and labels), to report what a flow costs the user.
    clicks: AtomicUsize,
    _one_window: MutexGuard<'static, ()>,
}

impl AppWindow {
    /// Starts the app (`$EBID_APP --server <server_url> --data-dir <data_dir>`) under tauri-driver and
    /// returns once its first screen (an element with `data-screen`) is there.
    pub async fn launch(server_url: &str, data_dir: &Path) -> AppWindow {
        Self::launch_with(Launch::with_server(server_url, data_dir)).await
    }

    /// Starts the app as `launch` says (flag or files, its folder, its own session bus).
    pub async fn launch_with(launch: Launch) -> AppWindow {
        Self::launch_with_services(launch, async |_| ()).await.0
    }

    /// As [`Self::launch_with`], with `services` started on the app's session bus before the app starts
    /// (e.g. the desktop's tray and notification server), so that the app finds them there from its
    /// first moment; what `services` returns comes back beside the window.
    pub async fn launch_with_services<T>(
        launch: Launch,
        services: impl AsyncFnOnce(&SessionBus) -> T,
    ) -> (AppWindow, T) {
        let one_window = ONE_WINDOW.lock().await;
        let app = app_binary();
        let env = launch.env();
        let bus = launch.bus();
        let driver = TauriDriver::start(&test_name(), &env, &bus);
        // tauri-driver runs under the bus's dbus-run-session: the bus is up, the app not yet started.
        let services = services(&bus).await;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            json!({
                "application": app,
                "args": launch.args(),
            }),
        );
        let mut builder = ClientBuilder::rustls().expect("rustls with the system's roots");
        let asked = Instant::now();
        builder.capabilities(capabilities);
        // Bounded: a session is only answered once the app has started, or failed to.
        let client = match tokio::time::timeout(LAUNCH_LIMIT, builder.connect(&driver.url())).await
        {
            Ok(Ok(client)) => client,
            Ok(Err(e)) => panic!(
                "no WebDriver session with {}: {e}{}",
                app.display(),
                driver.log_tail()
            ),
            Err(_) => panic!(
                "no WebDriver session with {} after {} s{}",
                app.display(),
                LAUNCH_LIMIT.as_secs(),
                driver.log_tail()
            ),
        };
        let mut window = AppWindow {
            started_in: Duration::ZERO,
            client: Some(client),
            driver,
            launch,
            clicks: AtomicUsize::new(0),
            _one_window: one_window,
        };
        let first = window
            .poll_for(LAUNCH_LIMIT, async |client| {
                present(client.find(Locator::Css("[data-screen]")).await)
            })
            .await;
        if let Err(e) = first {
            panic!("{}", window.failure("the app's first screen", e).await);
        }
        window.started_in = asked.elapsed();
        (window, services)
    }

    /// How the app was started: its folder, files and log.
    pub fn started_as(&self) -> &Launch {
        &self.launch
    }

    /// Starts the same app again, as a second click on its icon would; how that second process exited.
    pub fn launch_again(&self) -> (std::process::ExitStatus, String) {
        self.launch.launch_again(&app_binary())
    }

    /// Waits until the app's log holds `line` (the log is written as things happen, a little behind).
    pub async fn wait_logged(&self, line: &str) {
        self.wait_logged_times(line, 1).await;
    }

    /// Waits until the app's log holds `line` at least `times` times (this run's and earlier runs' in the
    /// same folder).
    pub async fn wait_logged_times(&self, line: &str, times: usize) {
        let logged = self
            .poll(async |_| {
                Ok((self.launch.log_text().matches(line).count() >= times).then_some(()))
            })
            .await;
        if let Err(e) = logged {
            panic!(
                "{}",
                self.failure(&format!("\"{line}\" {times} times in the app's log"), e)
                    .await
            );
        }
    }

    /// The WebDriver client, for what the helpers do not cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("the window is open")
    }

    /// Waits for the screen `name` (`[data-screen="<name>"]`).
    pub async fn wait_screen(&self, name: &str) {
        let css = format!("[data-screen=\"{}\"]", css_string(name));
        let found = self
            .poll(async |client| present(client.find(Locator::Css(&css)).await))
            .await;
        if let Err(e) = found {
            panic!("{}", self.failure(&format!("screen \"{name}\""), e).await);
        }
    }

    /// Clicks the enabled `<button>` whose text (whitespace normalized) is exactly `label`, waiting for it
    /// to be there and enabled.
    /// How many clicks the test has made so far (buttons and labels).
    pub fn clicks(&self) -> usize {
        self.clicks.load(Ordering::Relaxed)
    }

    pub async fn click_button(&self, label: &str) {
        let xpath = format!(
            // Not while the page is busy (`aria-busy`): what a call brings in may move the button.
            "//main[not(@aria-busy='true')]//button[normalize-space(.)={} and not(@disabled)]",
            xpath_string(label)
        );
        let clicked = self
            .poll(async |client| {
                let button = client.find(Locator::XPath(&xpath)).await?;
                button.click().await.map(Some)
            })
            .await;
        if let Err(e) = clicked {
            let what = format!("an enabled button 「{label}」 to click");
            panic!("{}", self.failure(&what, e).await);
        }
        self.clicks.fetch_add(1, Ordering::Relaxed);
    }

    /// Clicks the `<label>` reading `text` (a radio button's or a checkbox's), once the page is not busy.
    pub async fn click_label(&self, text: &str) {
        let xpath = format!(
            "//main[not(@aria-busy='true')]//label[normalize-space(.)={}]",
            xpath_string(text)
        );
        let clicked = self
            .poll(async |client| {
                let label = client.find(Locator::XPath(&xpath)).await?;
                label.click().await.map(Some)
            })
            .await;
        if let Err(e) = clicked {
            let what = format!("a label 「{text}」 to click");
            panic!("{}", self.failure(&what, e).await);
        }
        self.clicks.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether the `<button>` labelled `label` is enabled, once there is one.
    pub async fn button_enabled(&self, label: &str) -> bool {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_string(label));
        let enabled = self
            .poll(async |client| {
                let button = client.find(Locator::XPath(&xpath)).await?;
                Ok(Some(button.attr("disabled").await?.is_none()))
            })
            .await;
        match enabled {
            Ok(enabled) => enabled,
            Err(e) => panic!(
                "{}",
                self.failure(&format!("a button 「{label}」"), e).await
            ),
        }
    }

    /// Types `value` into `input[name="<name>"]` (cleared first), and waits until the field holds it.
    pub async fn fill(&self, name: &str, value: &str) {
        let css = format!("input[name=\"{}\"]", css_string(name));
        let filled = self
            .poll(async |client| {
                let input = client.find(Locator::Css(&css)).await?;
                input.clear().await?;
                input.send_keys(value).await?;
                let now = input.prop("value").await?;
                Ok((now.as_deref() == Some(value)).then_some(()))
            })
            .await;
        if let Err(e) = filled {
            panic!(
                "{}",
                self.failure(&format!("an input named {name}"), e).await
            );
        }
    }

    /// Keyboard only: waits until the focus is on the button labelled `label` (the screen put it there),
    /// then presses Enter on it.
    pub async fn enter_on_focused_button(&self, label: &str) {
        let pressed = self
            .poll(async |client| {
                let focused = client.active_element().await?;
                let is_it = focused.tag_name().await?.eq_ignore_ascii_case("button")
                    && normalize_space(&focused.text().await?) == label;
                if !is_it {
                    return Ok(None);
                }
                focused.send_keys(ENTER).await.map(Some)
            })
            .await;
        if let Err(e) = pressed {
            let what = format!("the focus on the button 「{label}」");
            panic!("{}", self.failure(&what, e).await);
        }
    }

    /// Keyboard only: waits until the focus is in `input[name="<name>"]`, types `text`, then Enter.
    pub async fn type_into_focused(&self, name: &str, text: &str) {
        let typed = self
            .poll(async |client| {
                let focused = client.active_element().await?;
                if focused.attr("name").await?.as_deref() != Some(name) {
                    return Ok(None);
                }
                focused.send_keys(text).await?;
                focused.send_keys(ENTER).await.map(Some)
            })
            .await;
        if let Err(e) = typed {
            let what = format!("the focus in the field {name}");
            panic!("{}", self.failure(&what, e).await);
        }
    }

    /// The text of the first element matching `css`, once there is one.
    pub async fn text_of(&self, css: &str) -> String {
        let text = self
            .poll(async |client| Ok(Some(client.find(Locator::Css(css)).await?.text().await?)))
            .await;
        match text {
            Ok(text) => text,
            Err(e) => panic!("{}", self.failure(&format!("an element {css}"), e).await),
        }
    }

    /// Waits until the text of the first element matching `css` satisfies `wanted`, and returns it.
    pub async fn wait_text(&self, css: &str, wanted: impl Fn(&str) -> bool) -> String {
        let mut last = None;
        let text = self
            .poll(async |client| {
                let text = client.find(Locator::Css(css)).await?.text().await?;
                let done = wanted(&text);
                last = Some(text.clone());
                Ok(done.then_some(text))
            })
            .await;
        match text {
            Ok(text) => text,
            Err(e) => {
                let what = match last {
                    Some(last) => format!("the text of {css} to change (it reads 「{last}」)"),
                    None => format!("an element {css}"),
                };
                panic!("{}", self.failure(&what, e).await)
            }
        }
    }

    /// The alert shown (`[role=alert]`): its `data-code`, its `data-refusal` and its text.
    pub async fn alert(&self) -> (Option<String>, Option<String>, String) {
        let alert = self
            .poll(async |client| {
                let alert = client.find(Locator::Css("[role=alert]")).await?;
                let code = alert.attr("data-code").await?;
                let refusal = alert.attr("data-refusal").await?;
                Ok(Some((code, refusal, alert.text().await?)))
            })
            .await;
        match alert {
            Ok(alert) => alert,
            Err(e) => panic!("{}", self.failure("an alert ([role=alert])", e).await),
        }
    }

    /// Saves what the window shows as `<target dir>/e2e-screens/<name>.png`, and returns that path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // WebKit photographs the last frame it painted, which lags the DOM: right after the first screen
        // appeared the picture was still blank. Two animation frames later the change is on screen.
        let painted =
            tokio::time::timeout(WAIT, self.client().execute_async(NEXT_PAINT, Vec::new())).await;
        match painted {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => panic!("{}", self.failure("the next paint", e).await),
            Err(_) => panic!(
                "{}",
                self.failure("the next paint", "no frame painted").await
            ),
        }
        let png = match tokio::time::timeout(WAIT, self.client().screenshot()).await {
            Ok(Ok(png)) => png,
            Ok(Err(e)) => panic!("{}", self.failure("a screenshot", e).await),
            Err(_) => panic!("{}", self.failure("a screenshot", "no answer").await),
        };
        let dir = target_dir().join("e2e-screens");
        fs::create_dir_all(&dir).expect("the screenshot folder");
        let path = dir.join(format!("{name}.png"));
        fs::write(&path, png).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
        println!("screenshot: {}", path.display());
        path
    }

    /// Ends the WebDriver session, which quits the app, then stops tauri-driver and WebKitWebDriver.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let closed = tokio::time::timeout(WAIT, client.close()).await;
            self.driver.stop();
            match closed {
                Ok(Ok(())) => {}
                Ok(Err(e)) => panic!(
                    "ending the WebDriver session: {e}{}",
                    self.driver.log_tail()
                ),
                Err(_) => panic!(
                    "the WebDriver session did not end within {} s{}",
                    WAIT.as_secs(),
                    self.driver.log_tail()
                ),
            }
        }
    }

    /// [`Self::poll_for`] with the usual bound.
    async fn poll<T>(
        &self,
        attempt: impl AsyncFnMut(&Client) -> Result<Option<T>, CmdError>,
    ) -> Result<T, CmdError> {
        self.poll_for(WAIT, attempt).await
    }

    /// Runs `attempt` until it gives a value, for at most `limit`. Errors that mean "not yet" (no such
    /// element, an element re-rendered or not clickable yet) are retried; others end the wait at once.
    /// At the bound, the last error (or a wait timeout) is returned.
    async fn poll_for<T>(
        &self,
        limit: Duration,
        mut attempt: impl AsyncFnMut(&Client) -> Result<Option<T>, CmdError>,
    ) -> Result<T, CmdError> {
        let client = self.client();
        let deadline = Instant::now() + limit;
        loop {
            // A WebDriver command can hang too (a stuck web view): each attempt gets what is left.
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(outcome) = tokio::time::timeout(left, attempt(client)).await else {
                return Err(CmdError::WaitTimeout);
            };
            let last = match outcome {
                Ok(Some(value)) => return Ok(value),
                Ok(None) => CmdError::WaitTimeout,
                Err(e) if not_yet(&e) => e,
                Err(e) => return Err(e),
            };
            if Instant::now() >= deadline {
                return Err(last);
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The `data-screen` values on the page, outermost first.
    async fn screens(&self) -> Result<Vec<String>, CmdError> {
        let mut names = Vec::new();
        for element in self
            .client()
            .find_all(Locator::Css("[data-screen]"))
            .await?
        {
            let name = element.attr("data-screen").await?.unwrap_or_default();
            names.push(format!("\"{name}\""));
        }
        Ok(names)
    }

    /// A failure message: what was awaited, why it ended, the screen shown now, and where the log is.
    async fn failure(&self, awaited: &str, error: impl Display) -> String {
        let screens = match tokio::time::timeout(ASIDE_LIMIT, self.screens()).await {
            Ok(Ok(names)) if names.is_empty() => "no [data-screen] element".to_owned(),
            Ok(Ok(names)) => format!("data-screen {}", names.join(" > ")),
            Ok(Err(e)) => format!("an unknown screen ({e})"),
            Err(_) => "an unknown screen (WebDriver does not answer)".to_owned(),
        };
        format!(
            "gave up waiting for {awaited}: {error}\n  the window shows {screens}\n  tauri-driver's log (with the app's output): {}",
            self.driver.log().display()
        )
    }
}

impl Drop for AppWindow {
    fn drop(&mut self) {
        // Not closed (a failed test unwinding): a session cannot be ended from a destructor, which may not
        // await; killing tauri-driver's process group quits WebKitWebDriver and the app with it.
        drop(self.client.take());
        self.driver.stop();
    }
}

/// The app binary `cargo xtask test` built and names in `EBID_APP`; a test checks `needs::app_window` first.
pub fn app_binary() -> PathBuf {
    let app = env::var_os("EBID_APP")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .expect("EBID_APP (the app binary) is set: the test checks `needs::app_window` first");
    assert!(
        app.is_file(),
        "EBID_APP={} is not a file: run the tests with `cargo xtask test`, which builds the app",
        app.display()
    );
    app
}

/// The target folder the tests were built in: `CARGO_TARGET_DIR` when absolute, else the test binary's
/// `<target>/<profile>/deps/` minus two levels.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR").map(PathBuf::from)
        && dir.is_absolute()
    {
        return dir;
    }
    let exe = env::current_exe().expect("the test binary's path");
    exe.ancestors()
        .nth(3)
        .expect("the test binary lives in <target>/<profile>/deps")
        .to_path_buf()
}

/// The running test's name (libtest names the thread after it), to name its log file.
fn test_name() -> String {
    let name = std::thread::current()
        .name()
        .filter(|n| *n != "main")
        .unwrap_or("app_window")
        .to_owned();
    name.replace("::", "-")
}

/// `Ok(Some(()))` once found, `Ok(None)` while not there yet.
fn present<T>(found: Result<T, CmdError>) -> Result<Option<()>, CmdError> {
    match found {
        Ok(_) => Ok(Some(())),
        Err(e) if e.is_no_such_element() => Ok(None),
        Err(e) => Err(e),
    }
}

/// Errors a wait retries: the page is not there yet, or is changing under the test.
fn not_yet(error: &CmdError) -> bool {
    matches!(
        error,
        CmdError::Standard(w) if matches!(
            w.error,
            ErrorStatus::NoSuchElement
                | ErrorStatus::StaleElementReference
                | ErrorStatus::ElementNotInteractable
                | ErrorStatus::ElementClickIntercepted
        )
    )
}

/// A string inside a double-quoted CSS attribute selector.
fn css_string(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// An XPath 1.0 string literal of `value`, which has no escapes: `concat()` when it holds both quotes.
fn xpath_string(value: &str) -> String {
    if !value.contains('\'') {
        format!("'{value}'")
    } else if !value.contains('"') {
        format!("\"{value}\"")
    } else {
        let parts: Vec<String> = value.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

/// XPath's normalize-space: runs of whitespace become one space, none at the ends.
fn normalize_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
