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

/// One finding about one file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
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
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
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
