//! The jq of Port's calculation properties, run by jaq over one entity: sandboxed (no clock,
//! environment, input or output), bounded in time and output, and written as Port writes it
//! (single-quoted strings, `.properties.'a-b'`).
//!
//! Port's page: <https://docs.port.io/build-your-software-catalog/customize-integrations/configure-data-model/setup-blueprint/properties/calculation-property/>.
//!
//! jaq has no step counter, so each calculation runs on a worker thread of its own, and the
//! caller waits at most `TIME_LIMIT` for each result. A worker that does not answer in time is
//! left behind (a thread cannot be stopped from outside) and its calculation is not run again.
//! What could crash the process rather than loop is refused before compiling: a user `def`
//! (unbounded recursion overflows the stack) and the generators that never end on their own.

use std::fmt;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::thread;
use std::time::Duration;

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{Ctx, Vars, data};
use jaq_json::Val;

/// How long one calculation may run for one entity.
pub const TIME_LIMIT: Duration = Duration::from_millis(250);
/// The largest result kept, in bytes of JSON.
pub const OUTPUT_LIMIT: usize = 64 * 1024;
/// The longest program compiled, in bytes.
pub const PROGRAM_LIMIT: usize = 4 * 1024;
/// The worker's stack: jaq recurses on nested values.
const STACK_SIZE: usize = 32 * 1024 * 1024;

/// Names a calculation may not call: they read the clock (`now`; Port evaluates calculations
/// when an entity is read, cairn never reads the clock), the environment or the local time
/// zone, read input, write to stderr, stop the process, or generate without end (`range`,
/// `repeat`, `while`, `until`, `recurse`, `combinations`); and `def`, whose recursion could
/// overflow the stack, and modules.
const DENIED: &[&str] = &[
    "def",
    "import",
    "include",
    "now",
    "env",
    "localtime",
    "strflocaltime",
    "input",
    "inputs",
    "input_filename",
    "debug",
    "debug_empty",
    "stderr",
    "stderr_empty",
    "halt",
    "halt_error",
    "range",
    "repeat",
    "while",
    "until",
    "recurse",
    "combinations",
];

/// The natives left out of the library, besides the names refused above (defence in depth); the
/// library's own `debug`, `stderr` and `halt` call the others, which are refused by name.
const DENIED_NATIVES: &[&str] = &["env", "now", "localtime", "strflocaltime"];

/// Why a calculation gave no value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalculationError {
    /// The program is longer than `PROGRAM_LIMIT`.
    TooLong(usize),
    /// The program calls something cairn does not run.
    Denied(String),
    /// The program does not parse or names something undefined.
    Invalid(String),
    /// The program raised an error for this input.
    Failed(String),
    /// The program did not finish within `TIME_LIMIT`.
    TimedOut,
    /// The result is larger than `OUTPUT_LIMIT`.
    TooLarge(usize),
    /// The result is not JSON (such as `nan` or `infinite`).
    NotJson(String),
}

impl fmt::Display for CalculationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CalculationError::TooLong(len) => {
                write!(f, "the calculation is {len} bytes long, more than the {PROGRAM_LIMIT} cairn compiles")
            }
            CalculationError::Denied(name) => write!(f, "the calculation uses `{name}`, which cairn does not run"),
            CalculationError::Invalid(why) => write!(f, "the calculation is not valid jq: {why}"),
            CalculationError::Failed(why) => write!(f, "the calculation fails: {why}"),
            CalculationError::TimedOut => {
                write!(f, "the calculation did not finish within {} ms", TIME_LIMIT.as_millis())
            }
            CalculationError::TooLarge(len) => {
                write!(f, "the calculation gives {len} bytes, more than the {OUTPUT_LIMIT} cairn keeps")
            }
            CalculationError::NotJson(text) => write!(f, "the calculation gives `{text}`, which is not JSON"),
        }
    }
}

/// One calculation, compiled on its own worker thread, run over one entity at a time.
#[derive(Debug)]
pub struct Calculation {
    inputs: SyncSender<serde_json::Value>,
    results: Receiver<Result<Option<serde_json::Value>, CalculationError>>,
    /// Set once the worker missed the time limit: it may still be busy, so nothing more is sent.
    stuck: bool,
}

impl Calculation {
    /// Compiles `program` (Port's spelling) on a new worker thread.
    ///
    /// # Errors
    /// The program is too long, calls what cairn does not run, or is not valid jq.
    pub fn compile(program: &str) -> Result<Calculation, CalculationError> {
        let program = port_to_jq(program)?;
        let (inputs, worker_inputs) = mpsc::sync_channel::<serde_json::Value>(0);
        let (worker_results, results) = mpsc::sync_channel(1);
        let spawned = thread::Builder::new()
            .name("cairn-calculation".to_owned())
            .stack_size(STACK_SIZE)
            .spawn(move || work(&program, &worker_inputs, &worker_results));
        if let Err(error) = spawned {
            return Err(CalculationError::Failed(format!("cannot start a worker: {error}")));
        }
        // The first message says whether the program compiled.
        match results.recv_timeout(TIME_LIMIT.saturating_mul(4)) {
            Ok(Ok(_)) => Ok(Calculation { inputs, results, stuck: false }),
            Ok(Err(error)) => Err(error),
            Err(RecvTimeoutError::Timeout) => Err(CalculationError::TimedOut),
            Err(RecvTimeoutError::Disconnected) => Err(CalculationError::Failed("the worker stopped".to_owned())),
        }
    }

    /// Runs the calculation over `input` (an entity as Port's API shows it): its first output,
    /// or `None` when it outputs nothing or `null` (Port's unset).
    ///
    /// # Errors
    /// The run fails, times out, or gives too much or something that is not JSON.
    pub fn run(&mut self, input: serde_json::Value) -> Result<Option<serde_json::Value>, CalculationError> {
        if self.stuck {
            return Err(CalculationError::TimedOut);
        }
        if self.inputs.send(input).is_err() {
            return Err(CalculationError::Failed("the worker stopped".to_owned()));
        }
        match self.results.recv_timeout(TIME_LIMIT) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                self.stuck = true;
                Err(CalculationError::TimedOut)
            }
            Err(RecvTimeoutError::Disconnected) => {
                self.stuck = true;
                Err(CalculationError::Failed("the worker stopped".to_owned()))
            }
        }
    }
}

/// Compiles and runs `program` over `input` once.
///
/// # Errors
/// As `Calculation::compile` and `Calculation::run`.
pub fn evaluate(program: &str, input: serde_json::Value) -> Result<Option<serde_json::Value>, CalculationError> {
    Calculation::compile(program)?.run(input)
}

type Results = SyncSender<Result<Option<serde_json::Value>, CalculationError>>;

/// The worker: compiles, says so, then answers each input until the caller hangs up.
fn work(program: &str, inputs: &Receiver<serde_json::Value>, results: &Results) {
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let funs = jaq_core::funs()
        .chain(jaq_std::funs().filter(|(name, _, _)| !DENIED_NATIVES.contains(name)))
        .chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let arena = Arena::default();
    let modules = match loader.load(&arena, File { code: program, path: () }) {
        Ok(modules) => modules,
        Err(errors) => {
            let why = errors.into_iter().map(|(_, error)| load_error(program, &error)).collect::<Vec<_>>().join("; ");
            let _ = results.send(Err(CalculationError::Invalid(why)));
            return;
        }
    };
    let filter = match jaq_core::Compiler::default().with_funs(funs).compile(modules) {
        Ok(filter) => filter,
        Err(errors) => {
            let why = errors
                .into_iter()
                .flat_map(|(_, undefined)| undefined)
                .map(|(name, kind)| format!("`{name}` is not a defined {}", kind.as_str()))
                .collect::<Vec<_>>()
                .join("; ");
            let _ = results.send(Err(CalculationError::Invalid(why)));
            return;
        }
    };
    if results.send(Ok(None)).is_err() {
        return;
    }
    while let Ok(input) = inputs.recv() {
        let result = match serde_json::to_vec(&input).map(|bytes| jaq_json::read::parse_single(&bytes)) {
            Ok(Ok(input)) => {
                let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
                let first = filter.id.run((ctx, input)).map(jaq_core::unwrap_valr).next();
                match first {
                    None => Ok(None),
                    Some(Err(error)) => Err(CalculationError::Failed(error.to_string())),
                    Some(Ok(value)) => to_json(&value),
                }
            }
            _ => Err(CalculationError::Failed("the entity cannot be given to jq".to_owned())),
        };
        if results.send(result).is_err() {
            return;
        }
    }
}

/// A jq value as JSON, `null` as unset.
fn to_json(value: &Val) -> Result<Option<serde_json::Value>, CalculationError> {
    let text = value.to_string();
    if text.len() > OUTPUT_LIMIT {
        return Err(CalculationError::TooLarge(text.len()));
    }
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(serde_json::Value::Null) => Ok(None),
        Ok(value) => Ok(Some(whole_numbers(value))),
        Err(_) => Err(CalculationError::NotJson(text.chars().take(40).collect())),
    }
}

/// Whole numbers as integers (jq's `0.5 * 4` is `2.0`; Port's API, in JavaScript, shows `2`).
fn whole_numbers(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Number(number) if !number.is_i64() && !number.is_u64() => match number.as_f64() {
            #[expect(clippy::cast_possible_truncation, reason = "only whole numbers within i64's range are converted")]
            Some(float) if float.fract() == 0.0 && float.abs() < 9.0e15 => Value::from(float as i64),
            _ => Value::Number(number),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(whole_numbers).collect()),
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(key, value)| (key, whole_numbers(value))).collect())
        }
        value => value,
    }
}

fn load_error(program: &str, error: &jaq_core::load::Error<&str>) -> String {
    use jaq_core::load::Error;
    // Both lexer and parser name the text where they stopped, a slice of `program`.
    let near = |rest: &str| {
        let offset = (rest.as_ptr() as usize).saturating_sub(program.as_ptr() as usize);
        if rest.is_empty() || offset >= program.len() {
            "at the end".to_owned()
        } else {
            format!("at byte {offset} (`{}`)", rest.chars().take(12).collect::<String>())
        }
    };
    match error {
        Error::Io(errors) => errors.iter().map(|(path, why)| format!("`{path}`: {why}")).collect::<Vec<_>>().join("; "),
        Error::Lex(errors) => errors
            .iter()
            .map(|(expect, rest)| format!("expected {} {}", expect.as_str(), near(rest)))
            .collect::<Vec<_>>()
            .join("; "),
        Error::Parse(errors) => errors
            .iter()
            .map(|(expect, rest)| format!("expected {} {}", expect.as_str(), near(rest)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Where `port_to_jq` is: code (at the top, or inside a string's `\( … )` with its depth of open
/// parentheses), or a double-quoted string.
enum Frame {
    Code(usize),
    Text,
}

/// Port's jq, as plain jq: single-quoted strings become double-quoted (Port's page writes
/// `'https://slack.com/' + .properties.x` and `.properties.'prop-with-special-char'`), and
/// the names cairn does not run are refused.
///
/// # Errors
/// The program is too long or uses a denied name.
pub fn port_to_jq(program: &str) -> Result<String, CalculationError> {
    if program.len() > PROGRAM_LIMIT {
        return Err(CalculationError::TooLong(program.len()));
    }
    let mut out = String::with_capacity(program.len() + 8);
    let mut stack = vec![Frame::Code(0)];
    let mut chars = program.char_indices().peekable();
    let mut previous = ' ';
    while let Some((index, c)) = chars.next() {
        let in_text = matches!(stack.last(), Some(Frame::Text));
        if in_text {
            out.push(c);
            match c {
                '\\' => {
                    if let Some((_, next)) = chars.next() {
                        out.push(next);
                        if next == '(' {
                            stack.push(Frame::Code(0));
                        }
                    }
                }
                '"' => {
                    stack.pop();
                }
                _ => {}
            }
            previous = c;
            continue;
        }
        match c {
            '"' => {
                stack.push(Frame::Text);
                out.push(c);
            }
            '\'' => {
                out.push('"');
                for (_, c) in chars.by_ref() {
                    match c {
                        '\'' => break,
                        '"' => out.push_str("\\\""),
                        '\\' => out.push_str("\\\\"),
                        c => out.push(c),
                    }
                }
                out.push('"');
            }
            '(' => {
                if let Some(Frame::Code(depth)) = stack.last_mut() {
                    *depth += 1;
                }
                out.push(c);
            }
            ')' => {
                let nested = stack.len() > 1;
                match stack.last_mut() {
                    Some(Frame::Code(0)) if nested => {
                        stack.pop();
                    }
                    Some(Frame::Code(depth)) => *depth = depth.saturating_sub(1),
                    _ => {}
                }
                out.push(c);
            }
            '#' => {
                // A comment runs to the end of the line.
                out.push(c);
                for (_, c) in chars.by_ref() {
                    out.push(c);
                    if c == '\n' {
                        break;
                    }
                }
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut end = index + c.len_utf8();
                while let Some(&(next_index, next)) = chars.peek() {
                    if next.is_ascii_alphanumeric() || next == '_' {
                        end = next_index + next.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let word = &program[index..end];
                // `.range` is a key and `$range` a variable, not a call.
                if previous != '.' && previous != '$' && previous != '@' && DENIED.contains(&word) {
                    return Err(CalculationError::Denied(word.to_owned()));
                }
                out.push_str(word);
                previous = word.chars().last().unwrap_or(' ');
                continue;
            }
            c => out.push(c),
        }
        previous = c;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{CalculationError, evaluate, port_to_jq};

    #[test]
    fn arithmetic_over_properties() {
        let entity = json!({"identifier": "cart", "properties": {"cpu": 2, "replicas": 3}});
        assert_eq!(evaluate(".properties.cpu * .properties.replicas", entity), Ok(Some(json!(6))));
    }

    #[test]
    fn port_single_quotes_read_as_strings() {
        let entity = json!({"identifier": "cart", "properties": {"a-b": "x"}});
        assert_eq!(
            evaluate("'https://slack.com/' + .identifier", entity.clone()),
            Ok(Some(json!("https://slack.com/cart")))
        );
        assert_eq!(evaluate(".properties.'a-b'", entity.clone()), Ok(Some(json!("x"))));
        // A single quote inside a double-quoted string is text.
        assert_eq!(evaluate("\"it's \\(.identifier)\"", entity), Ok(Some(json!("it's cart"))));
    }

    #[test]
    fn null_and_no_output_are_unset() {
        assert_eq!(evaluate(".properties.missing", json!({"properties": {}})), Ok(None));
        assert_eq!(evaluate("empty", json!({})), Ok(None));
    }

    #[test]
    fn failures_are_errors_not_panics() {
        assert!(matches!(
            evaluate(".properties.a + 1", json!({"properties": {"a": "x"}})),
            Err(CalculationError::Failed(_))
        ));
        assert!(matches!(evaluate(".properties. +", json!({})), Err(CalculationError::Invalid(_))));
        assert!(matches!(evaluate("nosuchfunction", json!({})), Err(CalculationError::Invalid(_))));
        assert!(matches!(
            evaluate("1 / 0", json!({})),
            Err(CalculationError::Failed(_) | CalculationError::NotJson(_))
        ));
    }

    #[test]
    fn clock_environment_recursion_and_endless_generators_are_refused() {
        for program in ["now", "env.HOME", "def f: f; f", "[range(1e9)]", "repeat(.)", "input", "$ENV | debug"] {
            let result = evaluate(program, json!({}));
            assert!(
                matches!(result, Err(CalculationError::Denied(_) | CalculationError::Invalid(_))),
                "{program}: {result:?}"
            );
        }
        // A key or a variable with such a name is fine.
        assert_eq!(evaluate(".range", json!({"range": 1})), Ok(Some(json!(1))));
        assert_eq!(port_to_jq("\"now\" + .now"), Ok("\"now\" + .now".to_owned()));
    }

    #[test]
    fn a_long_run_times_out_and_a_large_result_is_refused() {
        // Quadratic in a large array: far more than the time limit.
        let big = json!({"xs": (0..20_000).collect::<Vec<_>>()});
        let slow = "[.xs[] as $a | .xs[] as $b | .xs[] as $c | $a + $b + $c] | length";
        assert_eq!(evaluate(slow, big), Err(CalculationError::TimedOut));
        let large = evaluate(".s + .s", json!({"s": "x".repeat(40_000)}));
        assert!(matches!(large, Err(CalculationError::TooLarge(_))), "{large:?}");
    }
}
