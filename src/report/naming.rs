//! File names derived from scenario content (a pool's chart is `workday-<pool>.svg`).
//!
//! A name in a scenario is text, never a path: it may hold `/`, `..`, control characters or
//! anything else. Before it becomes part of a file name it is reduced to a safe alphabet
//! ([`safe_stem`]), and the names of one output set are made unique ([`unique_file_names`]);
//! the real name stays inside the file.

/// Longest file stem derived from a name, in bytes (the stem is ASCII).
pub const MAX_STEM: usize = 100;

/// Whether `c` may appear in a derived file name as it is.
fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')
}

/// `name` as a file stem: every character outside `[A-Za-z0-9._-]` becomes `_`, leading dots
/// become `_` (no hidden files, never `.` or `..`), the result is cut to [`MAX_STEM`] bytes,
/// and an empty name becomes `_`. The result is one plain path component on every platform.
pub fn safe_stem(name: &str) -> String {
    let mut stem: String = name
        .chars()
        .map(|c| if allowed(c) { c } else { '_' })
        .take(MAX_STEM)
        .collect();
    let dots = stem.len() - stem.trim_start_matches('.').len();
    stem.replace_range(..dots, &"_".repeat(dots));
    if stem.is_empty() {
        stem.push('_');
    }
    stem
}

/// File names `<stem>.<ext>` for `ids`, in order: each id reduced by [`safe_stem`], and a stem
/// already taken (compared ignoring ASCII case, for case-insensitive file systems) followed by
/// `-2`, `-3`, … until it is unique. Deterministic: the same ids give the same names.
pub fn unique_file_names<'a>(ids: impl IntoIterator<Item = &'a str>, ext: &str) -> Vec<String> {
    let mut taken: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut names = Vec::new();
    for id in ids {
        let stem = safe_stem(id);
        let mut candidate = stem.clone();
        let mut n = 1u64;
        while !taken.insert(candidate.to_ascii_lowercase()) {
            n += 1;
            candidate = format!("{stem}-{n}");
        }
        names.push(format!("{candidate}.{ext}"));
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_one_plain_component() {
        assert_eq!(safe_stem("workday-vpn"), "workday-vpn");
        assert_eq!(safe_stem("workday-x/../../pwned"), "workday-x_.._.._pwned");
        assert_eq!(safe_stem(".."), "__");
        assert_eq!(safe_stem("."), "_");
        assert_eq!(safe_stem(".hidden"), "_hidden");
        assert_eq!(safe_stem(""), "_");
        assert_eq!(safe_stem("a\\b:c\u{0}d\ne"), "a_b_c_d_e");
        assert_eq!(safe_stem("Büro 1"), "B_ro_1");
        assert_eq!(safe_stem(&"x".repeat(1000)).len(), MAX_STEM);
        assert_eq!(safe_stem(&"ü".repeat(1000)).len(), MAX_STEM);
        for name in [
            "..",
            "x/../../pwned",
            "/etc/passwd",
            "C:\\x",
            "a/",
            "\u{202e}gvs",
        ] {
            let stem = safe_stem(name);
            let path = std::path::Path::new(&stem);
            let parts: Vec<_> = path.components().collect();
            assert_eq!(parts.len(), 1, "{name:?} → {stem:?}");
            assert!(matches!(parts[0], std::path::Component::Normal(_)));
        }
    }

    #[test]
    fn colliding_names_get_an_index() {
        let names = unique_file_names(
            [
                "workday-a/b",
                "workday-a_b",
                "workday-A_B",
                "workday-a_b-2",
                "timeline",
            ],
            "svg",
        );
        assert_eq!(
            names,
            [
                "workday-a_b.svg",
                "workday-a_b-2.svg",
                "workday-A_B-3.svg",
                "workday-a_b-2-2.svg",
                "timeline.svg"
            ]
        );
    }
}
