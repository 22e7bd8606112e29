//! Scenario files: the types of the scenario language, loading with located diagnostics,
//! semantic validation, the JSON Schema for editors, the starter template, and the
//! distributions compiled for sampling ([`sampler`]).

mod diagnostic;
mod fields;
mod load;
mod procure;
mod recover;
pub mod sampler;
mod template;
mod types;
mod validate;

use std::path::Path;

pub use diagnostic::{Diagnostic, FindingKind, Severity};
pub use fields::{dotted, get_field, set_field, set_number, with_numbers};
pub use load::{
    LoadedScenario, MAX_ALIASES, MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES, SourceMap, is_unreadable,
    parse_scenario, read_source, suggest,
};
pub use procure::{INCREASABLE, ORDERABLE, Resource};
pub use template::STARTER;
pub use types::*;
pub use validate::{
    MAX_CAPACITY, MAX_GROUPS, MAX_HEADCOUNT, MAX_HORIZON_DAYS, MAX_LIST, MAX_PHASES, MAX_POOLS,
    MAX_REPLICATIONS, MAX_RETRIES, MAX_STATIONARY_ARRIVALS, MAX_TOTAL_STAFF, MAX_TRACKED_SOURCES,
    MAX_WORKLOAD_CLASSES, dist_mean, horizon_days, validate,
};

/// The outcome of checking one scenario: its findings and, when it decoded, the scenario.
#[derive(Debug)]
pub struct Checked {
    /// All findings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The scenario, if it decoded (it may still have semantic errors).
    pub loaded: Option<LoadedScenario>,
}

impl Checked {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The scenario, if it decoded and has no errors.
    pub fn into_valid(self) -> Result<LoadedScenario, Vec<Diagnostic>> {
        if self.has_errors() {
            return Err(self.diagnostics);
        }
        self.loaded.ok_or(self.diagnostics)
    }
}

/// Checks scenario text: decoding, then every semantic check.
pub fn check_str(name: &str, text: &str) -> Checked {
    match parse_scenario(name, text) {
        Ok(loaded) => Checked {
            diagnostics: validate(&loaded.scenario, &loaded.source),
            loaded: Some(loaded),
        },
        Err(d) => {
            // Type errors come all at once (see `recover`); syntax errors one at a time.
            let mut diagnostics = vec![within_text(*d, text)];
            let more = recover::further_type_errors(name, text, &diagnostics[0]);
            diagnostics.extend(more.into_iter().map(|d| within_text(d, text)));
            diagnostics.sort_by_key(|d| (d.line, d.column));
            Checked {
                diagnostics,
                loaded: None,
            }
        }
    }
}

/// The YAML parser can place an error on a line past the end of a truncated file (where it
/// expected more); such a finding is moved to the end of the text, so every location a user
/// is shown exists.
fn within_text(mut d: Diagnostic, text: &str) -> Diagnostic {
    let lines = text.split('\n').count() as u64;
    if d.line.is_some_and(|l| l > lines) {
        let last = text.split('\n').next_back().unwrap_or("");
        d.line = Some(lines);
        d.column = Some(last.chars().count() as u64 + 1);
    }
    d
}

/// Reads and checks a scenario file (`-` for standard input).
pub fn check_file(path: &Path) -> Checked {
    match read_source(path) {
        Ok((name, text)) => check_str(&name, &text),
        Err(d) => Checked {
            diagnostics: vec![*d],
            loaded: None,
        },
    }
}

/// Reads a scenario file and returns it only if it has no errors.
pub fn load_valid(path: &Path) -> Result<LoadedScenario, Vec<Diagnostic>> {
    check_file(path).into_valid()
}

/// The JSON Schema (draft-07) of the scenario language, for editors' YAML plugins.
pub fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let schema = generator.into_root_schema_for::<Scenario>();
    serde_json::to_value(schema).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_past_the_end_of_the_text_moves_to_its_last_line() {
        let text = "meta:\n  name: x\n  description: >-\n    ab";
        let mut d = Diagnostic::file_error("t.yaml", "did not find expected key");
        d.line = Some(20);
        d.column = Some(2);
        let d = within_text(d, text);
        assert_eq!((d.line, d.column), (Some(4), Some(7)));
        // Inside the text nothing moves.
        let mut inside = Diagnostic::file_error("t.yaml", "x");
        inside.line = Some(2);
        inside.column = Some(3);
        let inside = within_text(inside, text);
        assert_eq!((inside.line, inside.column), (Some(2), Some(3)));
    }
}
