//! Findings about a scenario file, located by line, column and field path.

use std::fmt::{self, Write as _};

use serde::Serialize;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Suspicious but runnable; fails validation only with `--deny-warnings`.
    Warning,
    /// The scenario cannot be run as written.
    Error,
}

/// What sort of finding it is: the rule a CI report (SARIF, JUnit, GitHub annotations) files
/// it under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// The file cannot be read or holds no scenario text (missing, binary, too large, empty).
    File,
    /// Not well-formed YAML, or past the parsing limits.
    Syntax,
    /// A field unknown or missing, or a value of the wrong type or form.
    Type,
    /// Well-formed, but wrong or suspicious in meaning (the validator's checks).
    Meaning,
    /// The service level is breached or cannot be judged (`simulate --fail-on-breach`).
    ServiceLevel,
    /// A published figure the replay does not reproduce: a holdout outside its tolerance, an
    /// input not echoed, or no holdout at all (`replay --check`).
    Replay,
    /// The plan cannot meet its goal as asked (`plan`).
    Plan,
}

impl FindingKind {
    /// Every kind, in the order rule tables list them.
    pub const ALL: [FindingKind; 7] = [
        FindingKind::File,
        FindingKind::Syntax,
        FindingKind::Type,
        FindingKind::Meaning,
        FindingKind::ServiceLevel,
        FindingKind::Replay,
        FindingKind::Plan,
    ];

    /// The stable rule id (`rapt/yaml-syntax`, …).
    pub fn rule_id(self) -> &'static str {
        match self {
            FindingKind::File => "rapt/unreadable-file",
            FindingKind::Syntax => "rapt/yaml-syntax",
            FindingKind::Type => "rapt/field-type",
            FindingKind::Meaning => "rapt/scenario-meaning",
            FindingKind::ServiceLevel => "rapt/service-level",
            FindingKind::Replay => "rapt/replay-figure",
            FindingKind::Plan => "rapt/plan-infeasible",
        }
    }

    /// A title for the rule, in a few words.
    pub fn title(self) -> &'static str {
        match self {
            FindingKind::File => "Scenario file cannot be read",
            FindingKind::Syntax => "YAML syntax",
            FindingKind::Type => "Field name or value type",
            FindingKind::Meaning => "Scenario meaning",
            FindingKind::ServiceLevel => "Service level breached",
            FindingKind::Replay => "Published figure not reproduced",
            FindingKind::Plan => "Plan not feasible",
        }
    }

    /// What the rule checks, in one sentence.
    pub fn description(self) -> &'static str {
        match self {
            FindingKind::File => {
                "The file is missing, unreadable, empty, binary, not UTF-8 or too large to be a scenario."
            }
            FindingKind::Syntax => {
                "The file is not well-formed YAML, or exceeds rapt's parsing limits (nesting, nodes, aliases)."
            }
            FindingKind::Type => {
                "A field is unknown or missing, or a value has the wrong type or form (a date, share, duration or number)."
            }
            FindingKind::Meaning => {
                "The scenario decodes but is inconsistent or suspicious: references, ranges, dates, capacities."
            }
            FindingKind::ServiceLevel => {
                "On some judged workday a service-level target (blocking, utilisation, login delay, dropped sessions) is exceeded, or no day could be judged."
            }
            FindingKind::Replay => {
                "A published holdout figure lies outside its tolerance, an input figure is not echoed, or the scenario has no holdout to test."
            }
            FindingKind::Plan => {
                "No order list within the scenario's limits (lead times, budget, stock) meets the enable target and the service level."
            }
        }
    }
}

/// One finding about one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What sort of finding (the CI rule it is filed under).
    pub kind: FindingKind,
    /// The file as named on the command line (`<stdin>` for standard input).
    pub file: String,
    /// 1-based line, where known.
    pub line: Option<u64>,
    /// 1-based column, where known.
    pub column: Option<u64>,
    /// Field path such as `pools.vpn.tunnels`, where known.
    pub path: Option<String>,
    /// What is wrong: what was found.
    pub message: String,
    /// What is expected instead.
    pub expected: Option<String>,
    /// The source line the finding points at.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
}

impl Diagnostic {
    /// A finding about the file as a whole (unreadable, too large, …).
    pub fn file_error(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            kind: FindingKind::File,
            file: file.to_string(),
            line: None,
            column: None,
            path: None,
            message: message.into(),
            expected: None,
            snippet: None,
        }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the finding for a person: location, field, message, and a snippet with a caret.
    pub fn render(&self) -> String {
        self.render_labelled(self.label())
    }

    /// `error` or `warning`.
    pub fn label(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }

    /// [`Diagnostic::render`] with its label written as given (e.g. in colour).
    pub fn render_labelled(&self, label: &str) -> String {
        let mut out = String::new();
        let _ = write!(out, "{label}: {}", self.file);
        if let Some(line) = self.line {
            let _ = write!(out, ":{line}");
            if let Some(col) = self.column {
                let _ = write!(out, ":{col}");
            }
        }
        out.push_str(": ");
        if let Some(path) = &self.path {
            let _ = write!(out, "{path}: ");
        }
        out.push_str(&self.message);
        if let Some(expected) = &self.expected {
            let _ = write!(out, "; expected {expected}");
        }
        if let (Some(line), Some(snippet)) = (self.line, &self.snippet) {
            let gutter = line.to_string().len();
            let _ = write!(out, "\n {:gutter$} |\n {line} | {snippet}", "");
            if let Some(col) = self.column {
                let pad = usize::try_from(col.saturating_sub(1))
                    .unwrap_or(0)
                    .min(snippet.len());
                let _ = write!(out, "\n {:gutter$} | {:pad$}^", "", "");
            }
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}
