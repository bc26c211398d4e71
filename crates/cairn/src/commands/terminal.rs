//! What cairn shows on a terminal besides its report: whether human output is coloured, whether
//! `--quiet` silences the notes, and the progress spinner of a long run. Each decision is a pure
//! function of the flags, the environment and whether the stream is a terminal, so it is tested
//! without one.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use clap::ValueEnum;

/// `--color`: `auto` decides from the environment and the terminal, the others win over both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether human output on stdout is coloured.
    pub fn enabled(self) -> bool {
        self.decide(&|name| std::env::var_os(name).map(|value| value.to_string_lossy().into_owned()), {
            std::io::stdout().is_terminal()
        })
    }

    /// The decision, from `env` (a variable's value, if set) and whether stdout is a terminal.
    ///
    /// In order, the first that applies decides:
    /// 1. `--color always` or `--color never`: a command-line flag overrides the environment, as
    ///    both <https://no-color.org> and <https://force-color.org> ask.
    /// 2. `FORCE_COLOR` set and not empty, whatever its value, colours
    ///    (<https://force-color.org>; its example implementation applies it after `NO_COLOR`, so
    ///    it wins over `NO_COLOR`).
    /// 3. `NO_COLOR` set and not empty, whatever its value, does not colour
    ///    (<https://no-color.org>).
    /// 4. `CLICOLOR_FORCE` set, not empty and not `0` colours (<https://bixense.com/clicolors/>:
    ///    "`CLICOLOR_FORCE != 0`: ANSI colors should be enabled no matter what"; that page checks
    ///    `NO_COLOR` first, so `NO_COLOR` wins over it).
    /// 5. `CLICOLOR=0` does not colour (the same page: "`CLICOLOR == 0`: Don't output ANSI color
    ///    escape codes").
    /// 6. Otherwise stdout is coloured when it is a terminal.
    pub fn decide(self, env: &dyn Fn(&str) -> Option<String>, terminal: bool) -> bool {
        let set = |name: &str| env(name).is_some_and(|value| !value.is_empty());
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto if set("FORCE_COLOR") => true,
            Color::Auto if set("NO_COLOR") => false,
            Color::Auto if env("CLICOLOR_FORCE").is_some_and(|value| !value.is_empty() && value != "0") => true,
            Color::Auto if env("CLICOLOR").as_deref() == Some("0") => false,
            Color::Auto => terminal,
        }
    }
}

/// `--quiet`, set once by `main` before a command runs.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Records `--quiet` for the whole run.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Whether `--quiet` was given: the report alone on stdout, and on stderr only errors (with
/// their `help:`) and warnings about cairn's own work; no notes, no closing line, no progress.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// How long a run goes before the spinner appears: a quick run never flickers one.
const SPINNER_DELAY: Duration = Duration::from_secs(1);

/// Whether a progress spinner may be drawn: only on a terminal a person watches. Never with
/// `--quiet`, never when stderr is a pipe or a file, never in CI (`CI` set and not empty, as
/// GitHub Actions, GitLab CI and most others set it: their logs are files, where a spinner is
/// noise), and never on a `dumb` terminal, which cannot redraw a line.
pub fn progress_shown(quiet: bool, stderr_terminal: bool, env: &dyn Fn(&str) -> Option<String>) -> bool {
    !quiet
        && stderr_terminal
        && env("CI").is_none_or(|value| value.is_empty())
        && env("TERM").is_none_or(|value| value != "dumb")
}

/// A spinner on stderr that appears once a run has taken a second, and is cleared when the
/// spinner is dropped (before the report is printed). The engine knows nothing of it: the
/// command starts it before calling the engine and drops it when the engine returns.
#[derive(Debug)]
pub struct Spinner {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Starts a spinner saying `message`, when `progress_shown` allows one for this process.
    pub fn start(message: String) -> Spinner {
        let shown = progress_shown(quiet(), std::io::stderr().is_terminal(), &|name| std::env::var(name).ok());
        if !shown {
            return Spinner { stop: None, thread: None };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if stopped.recv_timeout(SPINNER_DELAY) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let style = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
            let bar = indicatif::ProgressBar::new_spinner().with_style(style).with_message(message);
            while stopped.recv_timeout(Duration::from_millis(100)) == Err(RecvTimeoutError::Timeout) {
                bar.tick();
            }
            bar.finish_and_clear();
        });
        Spinner { stop: Some(stop), thread: Some(thread) }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        // Closing the channel stops the thread, which clears its line before the report prints.
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| pairs.iter().find(|(key, _)| *key == name).map(|(_, value)| (*value).to_owned())
    }

    #[test]
    fn colour_follows_the_terminal_when_nothing_is_said() {
        assert!(Color::Auto.decide(&env(&[]), true));
        assert!(!Color::Auto.decide(&env(&[]), false));
    }

    #[test]
    fn no_color_set_and_not_empty_turns_colour_off() {
        assert!(!Color::Auto.decide(&env(&[("NO_COLOR", "1")]), true));
        assert!(!Color::Auto.decide(&env(&[("NO_COLOR", "0")]), true), "whatever its value");
        assert!(Color::Auto.decide(&env(&[("NO_COLOR", "")]), true), "an empty NO_COLOR is unset");
    }

    #[test]
    fn force_color_and_clicolor_force_colour_a_pipe() {
        assert!(Color::Auto.decide(&env(&[("FORCE_COLOR", "1")]), false));
        assert!(Color::Auto.decide(&env(&[("FORCE_COLOR", "0")]), false), "whatever its value");
        assert!(!Color::Auto.decide(&env(&[("FORCE_COLOR", "")]), false), "an empty FORCE_COLOR is unset");
        assert!(Color::Auto.decide(&env(&[("CLICOLOR_FORCE", "1")]), false));
        assert!(!Color::Auto.decide(&env(&[("CLICOLOR_FORCE", "0")]), false), "CLICOLOR_FORCE=0 forces nothing");
        assert!(!Color::Auto.decide(&env(&[("CLICOLOR", "0")]), true));
    }

    #[test]
    fn the_specs_decide_between_the_variables() {
        assert!(Color::Auto.decide(&env(&[("NO_COLOR", "1"), ("FORCE_COLOR", "1")]), false));
        assert!(!Color::Auto.decide(&env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]), true));
        assert!(Color::Auto.decide(&env(&[("CLICOLOR", "0"), ("CLICOLOR_FORCE", "1")]), false));
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        let forced = env(&[("FORCE_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
        assert!(!Color::Never.decide(&forced, true));
        assert!(Color::Always.decide(&env(&[("NO_COLOR", "1"), ("CLICOLOR", "0")]), false));
    }

    #[test]
    fn progress_is_drawn_only_on_a_terminal_outside_ci_and_without_quiet() {
        assert!(progress_shown(false, true, &env(&[("TERM", "xterm-256color")])));
        assert!(!progress_shown(false, false, &env(&[])), "a pipe or a file gets no progress");
        assert!(!progress_shown(true, true, &env(&[])), "--quiet");
        assert!(!progress_shown(false, true, &env(&[("CI", "true")])), "CI logs are files");
        assert!(progress_shown(false, true, &env(&[("CI", "")])), "an empty CI is unset");
        assert!(!progress_shown(false, true, &env(&[("TERM", "dumb")])));
    }
}
