//! Reading a scenario file: bounded parsing, typed decoding, and locating every field.
//!
//! Parsing is budgeted (file size, nesting depth, node and alias counts) so a hostile file is
//! rejected early instead of exhausting memory. Every node's position is recorded in a
//! [`SourceMap`] keyed by field path, so semantic checks can point at the offending line.

use std::io::Read;
use std::path::Path;

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle};

use super::diagnostic::{Diagnostic, FindingKind, Severity};
use super::types::Scenario;

/// Largest scenario file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;
/// Deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 24;
/// Most YAML nodes accepted in one file.
pub const MAX_NODES: usize = 200_000;
/// Most aliases (`*name`) accepted in one file.
pub const MAX_ALIASES: usize = 256;

/// A scenario read from a file, with the source map needed to locate its fields.
#[derive(Debug, Clone)]
pub struct LoadedScenario {
    /// The decoded scenario.
    pub scenario: Scenario,
    /// Where each field stands in the file.
    pub source: SourceMap,
}

/// Where each node of a YAML document stands, by field path.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    name: String,
    nodes: Vec<Node>,
    lines: Vec<String>,
    /// Indices into `nodes`, sorted by path (ties in document order), so a path is found by
    /// binary search: validation asks for one location per finding, and a scan per lookup made
    /// long lists quadratic. Four bytes per node (at most [`MAX_NODES`]).
    by_path: Vec<u32>,
    /// When parsing stopped at a syntax error inside a flow collection (`[` or `{`): its opening
    /// bracket and where it stands.
    unclosed_flow: Option<(char, (u64, u64))>,
}

#[derive(Debug, Clone)]
struct Node {
    path: String,
    /// Length of the parent's path (a prefix of `path`).
    parent_len: usize,
    key: Option<(u64, u64)>,
    value: (u64, u64),
    kind: NodeKind,
}

/// What a node is, for messages that say what was found.
#[derive(Debug, Clone)]
enum NodeKind {
    Mapping,
    Sequence,
    /// A scalar's value as parsed (empty for null), cut to a readable length.
    Scalar(String),
    Alias,
}

impl Node {
    fn collection(&self) -> bool {
        matches!(self.kind, NodeKind::Mapping | NodeKind::Sequence)
    }
}

/// Longest scalar text kept for messages.
const SCALAR_TEXT_CHARS: usize = 60;

/// A parsing budget that the file exceeds, with where it happened.
#[derive(Debug, Clone)]
pub struct BudgetBreach {
    /// What was exceeded.
    pub message: String,
    /// Where (line, column).
    pub at: (u64, u64),
}

enum Frame {
    Map {
        path: String,
        pending_key: Option<(String, (u64, u64), usize)>,
        expect_key: bool,
    },
    Seq {
        path: String,
        index: usize,
    },
}

fn join_key(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

impl SourceMap {
    /// Builds the map from YAML text. Stops quietly at the first syntax error: the decoder
    /// reports that error itself.
    pub fn build(name: &str, text: &str) -> SourceMap {
        Self::build_checked(name, text).0
    }

    /// Builds the map and enforces the parsing budget: nesting depth, and the number of nodes
    /// counting every alias as the nodes it expands to (so an alias bomb is caught before
    /// anything is decoded).
    pub fn build_checked(name: &str, text: &str) -> (SourceMap, Option<BudgetBreach>) {
        let mut nodes = Vec::new();
        let mut stack: Vec<Frame> = Vec::new();
        let mut expanded: usize = 0;
        let mut aliases: usize = 0;
        let mut anchor_sizes: std::collections::HashMap<usize, usize> = Default::default();
        let mut open_anchors: Vec<(usize, usize)> = Vec::new();
        let mut breach = None;
        // For each open collection: its opening bracket and position if it is a flow collection.
        let mut open_flows: Vec<Option<(char, (u64, u64))>> = Vec::new();
        let mut unclosed_flow = None;
        for item in Parser::new_from_str(text) {
            let Ok((event, span)) = item else {
                unclosed_flow = open_flows.iter().rev().find_map(|f| *f);
                break;
            };
            let pos = (span.start.line() as u64, span.start.col() as u64 + 1);
            match &event {
                Event::MappingStart(style, ..) => {
                    open_flows.push((*style == StructureStyle::Flow).then_some(('{', pos)));
                }
                Event::SequenceStart(style, ..) => {
                    open_flows.push((*style == StructureStyle::Flow).then_some(('[', pos)));
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    open_flows.pop();
                }
                _ => {}
            }
            match &event {
                Event::Scalar(_, _, anchor, _) => {
                    expanded += 1;
                    if *anchor != 0 {
                        anchor_sizes.insert(*anchor, 1);
                    }
                }
                Event::MappingStart(_, anchor, _) | Event::SequenceStart(_, anchor, _) => {
                    expanded += 1;
                    open_anchors.push((*anchor, expanded));
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some((anchor, start)) = open_anchors.pop()
                        && anchor != 0
                    {
                        anchor_sizes.insert(anchor, expanded - start + 1);
                    }
                }
                Event::Alias(id) => {
                    aliases += 1;
                    expanded = expanded.saturating_add(anchor_sizes.get(id).copied().unwrap_or(1));
                }
                _ => {}
            }
            if open_anchors.len() > MAX_DEPTH {
                breach = Some(BudgetBreach {
                    message: format!("nesting is deeper than {MAX_DEPTH} levels"),
                    at: pos,
                });
                break;
            }
            if expanded > MAX_NODES {
                breach = Some(BudgetBreach {
                    message: format!(
                        "the document expands to more than {MAX_NODES} nodes (aliases counted as what they repeat)"
                    ),
                    at: pos,
                });
                break;
            }
            if aliases > MAX_ALIASES {
                breach = Some(BudgetBreach {
                    message: format!("the document uses more than {MAX_ALIASES} aliases"),
                    at: pos,
                });
                break;
            }
            let is_start = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
            let is_node = is_start || matches!(event, Event::Scalar(..) | Event::Alias(..));
            if is_node {
                // Decide whether this node is a mapping key or a value, and its path.
                let mut node_path: Option<String> = None;
                let mut key_pos = None;
                let mut parent_len = 0;
                match stack.last_mut() {
                    Some(Frame::Map {
                        path,
                        pending_key,
                        expect_key,
                    }) => {
                        if *expect_key {
                            let key_text = match &event {
                                Event::Scalar(v, ..) => v.to_string(),
                                _ => "?".to_string(),
                            };
                            *pending_key = Some((join_key(path, &key_text), pos, path.len()));
                            *expect_key = false;
                            if !is_start {
                                continue;
                            }
                        } else if let Some((p, kp, pl)) = pending_key.take() {
                            node_path = Some(p);
                            key_pos = Some(kp);
                            parent_len = pl;
                            *expect_key = true;
                        }
                    }
                    Some(Frame::Seq { path, index }) => {
                        node_path = Some(format!("{path}[{index}]"));
                        parent_len = path.len();
                        *index += 1;
                    }
                    None => node_path = Some(String::new()),
                }
                let Some(node_path) = node_path else {
                    // A complex (collection) key: track it so its end pops correctly.
                    match event {
                        Event::MappingStart(..) => stack.push(Frame::Map {
                            path: "?".into(),
                            pending_key: None,
                            expect_key: true,
                        }),
                        Event::SequenceStart(..) => stack.push(Frame::Seq {
                            path: "?".into(),
                            index: 0,
                        }),
                        _ => {}
                    }
                    continue;
                };
                let kind = match &event {
                    Event::MappingStart(..) => NodeKind::Mapping,
                    Event::SequenceStart(..) => NodeKind::Sequence,
                    Event::Scalar(v, style, ..) => {
                        let null = *style == ScalarStyle::Plain
                            && matches!(v.as_ref(), "" | "~" | "null" | "Null" | "NULL");
                        let mut shown: String = v.chars().take(SCALAR_TEXT_CHARS).collect();
                        if null {
                            shown.clear();
                        } else if v.chars().nth(SCALAR_TEXT_CHARS).is_some() {
                            shown.push('…');
                        }
                        NodeKind::Scalar(shown)
                    }
                    _ => NodeKind::Alias,
                };
                nodes.push(Node {
                    path: node_path.clone(),
                    parent_len,
                    key: key_pos,
                    value: pos,
                    kind,
                });
                match event {
                    Event::MappingStart(..) => stack.push(Frame::Map {
                        path: node_path,
                        pending_key: None,
                        expect_key: true,
                    }),
                    Event::SequenceStart(..) => stack.push(Frame::Seq {
                        path: node_path,
                        index: 0,
                    }),
                    _ => {}
                }
            } else if matches!(event, Event::MappingEnd | Event::SequenceEnd) {
                stack.pop();
                if let Some(Frame::Map {
                    pending_key,
                    expect_key,
                    ..
                }) = stack.last_mut()
                {
                    // The finished collection was a key (complex key): next node is its value.
                    if *expect_key && pending_key.is_some() {
                        *expect_key = false;
                    }
                }
            }
        }
        let mut by_path: Vec<u32> = (0..nodes.len() as u32).collect();
        // Stable: of nodes with the same path (possible only in a file the decoder rejects),
        // the first in the file comes first, as a scan would find it.
        by_path.sort_by(|&a, &b| nodes[a as usize].path.cmp(&nodes[b as usize].path));
        let map = SourceMap {
            name: name.to_string(),
            nodes,
            by_path,
            lines: text
                .lines()
                .map(|l| l.chars().take(240).collect())
                .collect(),
            unclosed_flow,
        };
        (map, breach)
    }

    /// The file name given when the map was built.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The first node at `path`, by binary search of the path index.
    fn node(&self, path: &str) -> Option<&Node> {
        let at = self
            .by_path
            .partition_point(|&i| self.nodes[i as usize].path.as_str() < path);
        let node = &self.nodes[*self.by_path.get(at)? as usize];
        (node.path == path).then_some(node)
    }

    /// Line and column of the value at `path`; for a missing field, of its nearest ancestor
    /// (for a missing top-level section, of the document's root mapping).
    pub fn locate(&self, path: &str) -> Option<(u64, u64)> {
        let mut p = path;
        loop {
            if let Some(n) = self.node(p) {
                return Some(n.value);
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p = &p[..cut],
                None if !p.is_empty() => p = "",
                None => return None,
            }
        }
    }

    /// Line and column of the key of `path` (where a "this field" message should point).
    pub fn locate_key(&self, path: &str) -> Option<(u64, u64)> {
        self.node(path)
            .and_then(|n| n.key)
            .or_else(|| self.locate(path))
    }

    /// Whether the document has a node at `path`.
    pub fn contains(&self, path: &str) -> bool {
        self.node(path).is_some()
    }

    /// The path of the node at or just before a position (for decoder errors).
    pub fn path_at(&self, line: u64, column: u64) -> Option<&str> {
        let at = (line, column);
        let mut best: Option<&Node> = None;
        for n in &self.nodes {
            let starts = [Some(n.value), n.key];
            for s in starts.into_iter().flatten() {
                if s <= at && best.is_none_or(|b| s >= b.value.max(b.key.unwrap_or((0, 0)))) {
                    best = Some(n);
                }
            }
        }
        best.map(|n| n.path.as_str()).filter(|p| !p.is_empty())
    }

    /// The text of a 1-based line.
    pub fn line_text(&self, line: u64) -> Option<&str> {
        let idx = usize::try_from(line.checked_sub(1)?).ok()?;
        self.lines.get(idx).map(String::as_str)
    }

    /// The mapping a "missing field" error at this position is about: the decoder points at the
    /// mapping's last key, or at the mapping itself when it is empty.
    fn mapping_at(&self, line: u64, column: u64) -> Option<&str> {
        let at = Some((line, column));
        if let Some(n) = self.nodes.iter().find(|n| n.key == at) {
            return Some(&n.path[..n.parent_len]);
        }
        self.nodes
            .iter()
            .find(|n| matches!(n.kind, NodeKind::Mapping) && Some(n.value) == at)
            .map(|n| n.path.as_str())
    }

    /// What the node whose value starts at a position is, in words (`a list`, `the value `x``).
    fn describe_at(&self, line: u64, column: u64) -> Option<String> {
        let n = self.nodes.iter().find(|n| n.value == (line, column))?;
        Some(match &n.kind {
            NodeKind::Mapping => "a mapping".to_string(),
            NodeKind::Sequence => "a list".to_string(),
            NodeKind::Scalar(v) if v.is_empty() => "an empty value".to_string(),
            NodeKind::Scalar(v) => format!("`{v}`"),
            NodeKind::Alias => "an alias".to_string(),
        })
    }

    /// The first tab on a line, or else on the line after it (1-based line and column).
    fn tab_near(&self, line: u64) -> Option<(u64, u64)> {
        (line..=line + 1).find_map(|l| {
            let col = self.line_text(l)?.chars().position(|c| c == '\t')?;
            Some((l, col as u64 + 1))
        })
    }

    /// A diagnostic located at the value of `path`.
    pub fn diagnostic(
        &self,
        severity: Severity,
        path: &str,
        message: impl Into<String>,
        expected: Option<String>,
    ) -> Diagnostic {
        let at = match self.node(path) {
            Some(n) if n.collection() => n.key.or(Some(n.value)),
            Some(n) => Some(n.value),
            None => self.locate(path),
        };
        Diagnostic {
            severity,
            kind: FindingKind::Meaning,
            file: self.name.clone(),
            line: at.map(|a| a.0),
            column: at.map(|a| a.1),
            path: Some(path.to_string()),
            message: message.into(),
            expected,
            snippet: at.and_then(|a| self.line_text(a.0)).map(str::to_string),
        }
    }
}

/// Whether a finding of [`read_source`] says the file could not be opened or read at all
/// (missing, a directory, no permission, an I/O error), as opposed to what it holds (too
/// large, not UTF-8, binary).
pub fn is_unreadable(d: &Diagnostic) -> bool {
    d.line.is_none()
        && (d.message.starts_with(CANNOT_READ) || d.message.starts_with(IS_A_DIRECTORY))
}

const CANNOT_READ: &str = "cannot be read: ";
const IS_A_DIRECTORY: &str = "is a directory; ";

/// Reads a scenario from a path (`-` for standard input), bounded in size.
pub fn read_source(path: &Path) -> Result<(String, String), Box<Diagnostic>> {
    let display = if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let mut bytes = Vec::new();
    let limit = MAX_FILE_BYTES as u64 + 1;
    let result = if path == Path::new("-") {
        std::io::stdin().lock().take(limit).read_to_end(&mut bytes)
    } else {
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(Box::new(Diagnostic::file_error(
                    &display,
                    format!("{IS_A_DIRECTORY}expected a scenario file (YAML)"),
                )));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(Box::new(Diagnostic::file_error(
                    &display,
                    format!("{CANNOT_READ}{}", io_reason(&e)),
                )));
            }
        }
        std::fs::File::open(path).and_then(|f| f.take(limit).read_to_end(&mut bytes))
    };
    if let Err(e) = result {
        return Err(Box::new(Diagnostic::file_error(
            &display,
            format!("{CANNOT_READ}{}", io_reason(&e)),
        )));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Box::new(Diagnostic::file_error(
            &display,
            format!(
                "is larger than the limit of {} MiB for a scenario file",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )));
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() as u64 + 1;
            return Err(Box::new(Diagnostic {
                line: Some(line),
                column: Some(column),
                expected: Some("UTF-8 text (a YAML scenario file)".into()),
                ..Diagnostic::file_error(&display, "contains bytes that are not UTF-8 text")
            }));
        }
    };
    if let Some(pos) = text.find('\0') {
        let before = &text[..pos];
        let line = before.matches('\n').count() as u64 + 1;
        let column = before.chars().rev().take_while(|&c| c != '\n').count() as u64 + 1;
        return Err(Box::new(Diagnostic {
            line: Some(line),
            column: Some(column),
            expected: Some("text without NUL bytes (a YAML scenario file)".into()),
            ..Diagnostic::file_error(
                &display,
                "contains a NUL byte; this looks like a binary file",
            )
        }));
    }
    Ok((display, text))
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            max_nodes: MAX_NODES,
            max_aliases: MAX_ALIASES,
            max_anchors: MAX_ALIASES,
            max_documents: 1,
            max_total_scalar_bytes: MAX_FILE_BYTES,
            max_recorded_anchor_events: 100_000,
            max_recorded_anchor_bytes: MAX_FILE_BYTES,
        },
    }
}

/// Decodes scenario text. On failure, returns the decoder's finding, located and with its
/// field path.
pub fn parse_scenario(name: &str, text: &str) -> Result<LoadedScenario, Box<Diagnostic>> {
    let (source, breach) = SourceMap::build_checked(name, text);
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Box::new(Diagnostic {
            expected: Some(
                "a scenario with at least `meta`, `run` and `pools` (try `rapt init`)".into(),
            ),
            ..Diagnostic::file_error(name, "is empty")
        }));
    }
    if let Some(b) = breach {
        return Err(Box::new(Diagnostic {
            severity: Severity::Error,
            kind: FindingKind::Syntax,
            file: name.to_string(),
            line: Some(b.at.0),
            column: Some(b.at.1),
            path: source.path_at(b.at.0, b.at.1).map(str::to_string),
            message: b.message,
            expected: Some(format!(
                "a scenario within the parsing limits (nesting depth {MAX_DEPTH}, {MAX_NODES} nodes after alias expansion, {MAX_ALIASES} aliases)"
            )),
            snippet: source.line_text(b.at.0).map(str::to_string),
        }));
    }
    match serde_saphyr::from_str_with_options::<Scenario>(text, options()) {
        Ok(scenario) => Ok(LoadedScenario { scenario, source }),
        Err(err) => Err(Box::new(decode_diagnostic(&source, &err))),
    }
}

fn decode_diagnostic(source: &SourceMap, err: &serde_saphyr::Error) -> Diagnostic {
    let inner = err.without_snippet();
    let location = err.location().filter(|l| l.line() > 0);
    let (mut line, mut column) = match location {
        Some(l) => (Some(l.line()), Some(l.column())),
        None => (None, None),
    };
    let mut path = match (line, column) {
        (Some(l), Some(c)) => source.path_at(l, c).map(str::to_string),
        _ => None,
    };
    let (mut message, expected) = match inner {
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let suggestion = suggest(field, expected);
            let message = match suggestion {
                Some(s) => format!("unknown field `{field}`; did you mean `{s}`?"),
                None => format!("unknown field `{field}`"),
            };
            // The path at the key is the unknown field itself.
            (message, Some(one_of(expected)))
        }
        serde_saphyr::Error::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let suggestion = suggest(variant, expected);
            let message = match suggestion {
                Some(s) => format!("unknown value `{variant}`; did you mean `{s}`?"),
                None => format!("unknown value `{variant}`"),
            };
            (message, Some(one_of(expected)))
        }
        serde_saphyr::Error::SerdeMissingField { field, .. } => {
            // The decoder points at the mapping's last key (or at an empty mapping): name the
            // missing field under that mapping and point at the mapping's own key.
            let mapping = match (line, column) {
                (Some(l), Some(c)) => source.mapping_at(l, c),
                _ => None,
            };
            if let Some(m) = mapping {
                path = Some(join_key(m, field));
                if let Some(at) = source.locate_key(m) {
                    (line, column) = (Some(at.0), Some(at.1));
                }
            } else if let Some(p) = &path {
                path = Some(join_key(p, field));
            } else {
                path = Some(field.to_string());
            }
            (
                format!("missing required field `{field}`"),
                Some(format!("a value for `{field}`")),
            )
        }
        serde_saphyr::Error::Budget {
            breach: serde_saphyr::budget::BudgetBreach::Documents { .. },
            ..
        } => {
            path = None;
            (
                "a second YAML document starts here".to_string(),
                Some(
                    "one YAML document per scenario file (remove the `---` line, or split the file)"
                        .to_string(),
                ),
            )
        }
        serde_saphyr::Error::Budget { .. } => (
            strip_position(&inner.to_string()),
            Some(format!(
                "a scenario within the parsing limits (nesting depth {MAX_DEPTH}, {MAX_NODES} nodes, {MAX_ALIASES} aliases)"
            )),
        ),
        serde_saphyr::Error::InvalidScalar { ty, .. } => {
            // What the parser read (a plain value may continue on a more-indented next line),
            // else the token as written.
            let found = match (line, column) {
                (Some(l), Some(c)) => source
                    .describe_at(l, c)
                    .or_else(|| scalar_at(source, l, c).map(|f| format!("`{f}`"))),
                _ => None,
            };
            let expected = match *ty {
                "u64" | "u32" | "u16" | "u8" | "usize" => "a whole number, 0 or more",
                "i64" | "i32" => "a whole number",
                "f64" | "f32" | "floating point" => "a finite number",
                "bool" | "boolean" => "true or false",
                other => other,
            };
            let message = match found {
                Some(f) => format!("found {f}"),
                None => format!("found a value that is not a valid {ty}"),
            };
            (message, Some(expected.to_string()))
        }
        serde_saphyr::Error::Unexpected { expected, .. }
            if matches!(
                *expected,
                "mapping start" | "sequence start" | "string scalar" | "scalar"
            ) =>
        {
            let found = match (line, column) {
                (Some(l), Some(c)) => source.describe_at(l, c),
                _ => None,
            };
            let wanted = match *expected {
                "mapping start" => "a mapping of `key: value` fields",
                "sequence start" => "a list (`- item` lines, or `[a, b]`)",
                _ => "a single value, not a list or mapping",
            };
            let message = match found {
                Some(f) => format!("found {f}"),
                None => "found a value of the wrong kind".to_string(),
            };
            (message, Some(wanted.to_string()))
        }
        serde_saphyr::Error::NullIntoString { .. } => (
            "found an empty value".to_string(),
            Some("a text value".to_string()),
        ),
        serde_saphyr::Error::DuplicateMappingKey { key, .. } => {
            let first = path
                .as_deref()
                .and_then(|p| source.locate_key(p))
                .filter(|at| Some(at.0) != line || Some(at.1) != column);
            let name = key
                .as_deref()
                .map(|k| format!(" `{k}`"))
                .unwrap_or_default();
            let message = match first {
                Some(at) => format!("duplicate key{name} (first given on line {})", at.0),
                None => format!("duplicate key{name}"),
            };
            (
                message,
                Some("each key at most once per mapping".to_string()),
            )
        }
        serde_saphyr::Error::ExpectedMappingEndAfterEnumVariantValue { .. } => (
            "found a second key after the kind".to_string(),
            Some("exactly one kind, e.g. `{ normal: { mean: 08:00, sd: 45min } }`".to_string()),
        ),
        serde_saphyr::Error::NonFiniteFloat { value, .. } => (
            format!("found `{value}`, which is not a finite number"),
            Some("a finite number".into()),
        ),
        other => {
            let (mut message, mut expected) = split_expected(&strip_position(&other.to_string()));
            if expected.is_none() {
                expected = syntax_hint(&message).map(str::to_string);
            }
            if message.contains("tab")
                && let Some(l) = line
                && let Some(at) = source.tab_near(l)
            {
                // The scanner reports where the token began; point at the tab itself.
                (line, column) = (Some(at.0), Some(at.1));
                path = source.path_at(at.0, at.1).map(str::to_string);
            }
            if let (Some(l), Some(c), Some((bracket, at))) = (line, column, source.unclosed_flow)
                && at < (l, c)
                && !message.contains("unclosed")
            {
                let close = if bracket == '[' { ']' } else { '}' };
                path = source.path_at(at.0, at.1).map(str::to_string);
                message = format!(
                    "{message}; the `{bracket}` at line {}, column {} is not closed",
                    at.0, at.1
                );
                expected = Some(format!(
                    "a closing `{close}` for the `{bracket}` at line {}, column {}",
                    at.0, at.1
                ));
            }
            (message, expected)
        }
    };
    // `6,000` where a whole number belongs: the thousands separator is the mistake.
    if expected
        .as_deref()
        .is_some_and(|e| e.contains("whole number"))
        && let Some(n) = message
            .strip_prefix("found `")
            .and_then(|m| m.split('`').next())
            .and_then(without_grouping)
    {
        message.push_str(&format!("; did you mean `{n}`? (no thousands separators)"));
    }
    Diagnostic {
        severity: Severity::Error,
        kind: finding_kind(err),
        file: source.name().to_string(),
        line,
        column,
        path,
        message,
        expected,
        snippet: line.and_then(|l| source.line_text(l)).map(str::to_string),
    }
}

/// Whether a decoding error is about YAML itself (syntax, structure, anchors, limits) or about
/// what the scenario's fields hold (unknown, missing, wrong type or form).
fn finding_kind(err: &serde_saphyr::Error) -> FindingKind {
    use serde_saphyr::Error as E;
    match err.without_snippet() {
        E::ExternalMessage { .. }
        | E::Eof { .. }
        | E::MultipleDocuments { .. }
        | E::UnknownAnchor { .. }
        | E::ContainerEndMismatch { .. }
        | E::Budget { .. }
        | E::DuplicateMappingKey { .. }
        | E::AliasError { .. }
        | E::AliasReplayCounterOverflow { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::FoldedBlockScalarMustIndentContent { .. }
        | E::UnexpectedContainerEndWhileReadingKeyNode { .. }
        | E::UnexpectedContainerEndWhileSkippingNode { .. }
        | E::InvalidUtf8Input
        | E::IOError { .. } => FindingKind::Syntax,
        _ => FindingKind::Type,
    }
}

/// What a YAML syntax error usually means, for messages the parser gives without an expectation.
fn syntax_hint(message: &str) -> Option<&'static str> {
    let hints: [(&str, &str); 6] = [
        (
            "tab",
            "spaces for indentation (YAML does not allow tabs there)",
        ),
        (
            "did not find expected key",
            "a `key: value` line indented like the other keys of its mapping",
        ),
        (
            "mapping values are not allowed",
            "a `key: value` line indented like its siblings, or quotes around a value containing `: `",
        ),
        ("unclosed bracket '['", "a closing `]`"),
        ("unclosed bracket '{'", "a closing `}`"),
        (
            "did not find expected ',' or",
            "a `,` between items, or the closing bracket",
        ),
    ];
    hints
        .iter()
        .find(|(needle, _)| message.contains(needle))
        .map(|(_, hint)| *hint)
}

/// Removes a trailing " at line N, column M" (the diagnostic carries the position itself).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(idx) if message[idx..].contains("column") => message[..idx].to_string(),
        _ => message.to_string(),
    }
}

/// The scalar token that starts at a position, as written.
fn scalar_at(source: &SourceMap, line: u64, column: u64) -> Option<String> {
    let text = source.line_text(line)?;
    let start = usize::try_from(column.checked_sub(1)?).ok()?;
    let rest = text.get(start..)?;
    let token: String = rest
        .chars()
        .take_while(|c| !matches!(c, ',' | '}' | ']' | '#'))
        .collect();
    let token = token.trim();
    (!token.is_empty()).then(|| token.to_string())
}

/// Splits a serde message of the form "…, expected …" into what was found and what was expected.
fn split_expected(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    let message = message.strip_prefix("error: ").unwrap_or(message);
    for marker in ["; expected ", ", expected "] {
        if let Some(idx) = message.find(marker) {
            let (found, exp) = message.split_at(idx);
            return (found.to_string(), Some(exp[marker.len()..].to_string()));
        }
    }
    (message.to_string(), None)
}

fn one_of(expected: &[&str]) -> String {
    if expected.is_empty() {
        "no fields here".to_string()
    } else {
        let list: Vec<String> = expected.iter().map(|e| format!("`{e}`")).collect();
        format!("one of {}", list.join(", "))
    }
}

/// A whole number written with thousands separators (`6,000`, `6.000`, `1,234,567`), without
/// them.
fn without_grouping(text: &str) -> Option<String> {
    let sep = text.chars().find(|c| matches!(c, ',' | '.'))?;
    let groups: Vec<&str> = text.split(sep).collect();
    let ok = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()));
    ok.then(|| groups.concat())
}

/// The closest known name to a misspelt one, if it is close enough to be a typo.
pub fn suggest<'a>(given: &str, known: &[&'a str]) -> Option<&'a str> {
    // `VPN` for `vpn`: a difference of case alone is always the one meant.
    if let Some(k) = known.iter().find(|k| k.eq_ignore_ascii_case(given)) {
        return Some(k);
    }
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(given, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The node a linear scan finds: what the index must agree with.
    fn scan<'a>(map: &'a SourceMap, path: &str) -> Option<&'a Node> {
        map.nodes.iter().find(|n| n.path == path)
    }

    #[test]
    fn the_path_index_finds_what_a_scan_finds() {
        let map = SourceMap::build("starter.yaml", super::super::template::STARTER);
        assert!(map.nodes.len() > 100);
        for n in &map.nodes {
            let found = map.node(&n.path).map(|f| (f.path.as_str(), f.key, f.value));
            let scanned = scan(&map, &n.path).map(|f| (f.path.as_str(), f.key, f.value));
            assert_eq!(found, scanned, "{}", n.path);
        }
        for missing in [
            "",
            "staff.office.nope",
            "staff.office.access[9]",
            "zzz",
            "meta.",
        ] {
            assert_eq!(map.node(missing).is_some(), scan(&map, missing).is_some());
        }
        assert_eq!(map.locate("staff.office.access[0].path"), Some((30, 15)));
        assert_eq!(map.locate("staff.office.access[0].nope"), Some((30, 9)));
        assert!(map.contains("pools.rds.expansions[0].hosts"));
        assert!(!map.contains("pools.rds.expansions[1]"));
    }

    #[test]
    fn of_repeated_paths_the_index_finds_the_first() {
        let map = SourceMap::build("dup.yaml", "a: 1\nb: 2\na: 3\n");
        assert_eq!(map.locate("a"), Some((1, 4)));
        assert_eq!(map.locate_key("a"), Some((1, 1)));
        assert_eq!(map.locate("b"), Some((2, 4)));
    }
}
