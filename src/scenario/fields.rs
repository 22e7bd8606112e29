//! Fields addressed by their path (`pools.vpn.tunnels`, `deliveries.0.quantity` or
//! `deliveries[0].quantity`) in a
//! scenario's document tree: what `rapt sweep --set`, uncertain inputs and calibration
//! change.

use super::types::Scenario;

/// A path in the dotted spelling: list items may also be written as findings spell them,
/// `deliveries[0].quantity` for `deliveries.0.quantity`.
pub fn dotted(path: &str) -> std::borrow::Cow<'_, str> {
    if path.contains('[') {
        path.replace('[', ".").replace(']', "").into()
    } else {
        path.into()
    }
}

/// Sets `path` to `value` in a document tree. The parent must exist; the field itself may be
/// new (an optional field the file left out). Returns why not, in words.
pub fn set_field(
    doc: &mut serde_json::Value,
    path: &str,
    value: serde_json::Value,
) -> Result<(), String> {
    let path = dotted(path);
    let segments: Vec<&str> = path.split('.').collect();
    let (last, parents) = segments.split_last().ok_or("empty path")?;
    let mut node = doc;
    let mut walked = String::new();
    for seg in parents {
        let next = match node {
            serde_json::Value::Object(map) => map.get_mut(*seg),
            serde_json::Value::Array(items) => {
                seg.parse::<usize>().ok().and_then(|i| items.get_mut(i))
            }
            _ => None,
        };
        node = next.ok_or_else(|| {
            format!(
                "the scenario has no `{seg}`{}",
                if walked.is_empty() {
                    String::new()
                } else {
                    format!(" under `{walked}`")
                }
            )
        })?;
        if !walked.is_empty() {
            walked.push('.');
        }
        walked.push_str(seg);
    }
    match node {
        serde_json::Value::Object(map) => {
            map.insert((*last).to_string(), value);
            Ok(())
        }
        serde_json::Value::Array(items) => {
            let slot = last
                .parse::<usize>()
                .ok()
                .and_then(|i| items.get_mut(i))
                .ok_or_else(|| format!("`{walked}` has no item {last}"))?;
            *slot = value;
            Ok(())
        }
        _ => Err(format!("`{walked}` is a value, not a section")),
    }
}

/// The node at `path`, if the document has one.
pub fn get_field<'a>(doc: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    dotted(path)
        .split('.')
        .try_fold(doc, |node, seg| match node {
            serde_json::Value::Object(m) => m.get(seg),
            serde_json::Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        })
}

/// Sets the number at `path` to `value`, rounded where the field holds a whole number, and
/// returns the number stored.
pub fn set_number(doc: &mut serde_json::Value, path: &str, value: f64) -> Result<f64, String> {
    let (number, stored) = match get_field(doc, path) {
        Some(serde_json::Value::Number(n)) if n.is_u64() || n.is_i64() => {
            let whole = value.round() as i64;
            (serde_json::Value::from(whole), whole as f64)
        }
        Some(serde_json::Value::Number(_) | serde_json::Value::String(_)) | None => {
            (serde_json::Value::from(value), value)
        }
        Some(_) => return Err("the field is a section or a list, not a number".into()),
    };
    set_field(doc, path, number)?;
    Ok(stored)
}

/// The scenario of a document tree with each `(path, value)` number set, and without its
/// `uncertain` section (every value is now fixed).
pub fn with_numbers<'p>(
    doc: &serde_json::Value,
    values: impl IntoIterator<Item = (&'p str, f64)>,
) -> Result<Scenario, String> {
    let mut doc = doc.clone();
    for (path, v) in values {
        set_number(&mut doc, path, v)?;
    }
    if let serde_json::Value::Object(m) = &mut doc {
        m.remove("uncertain");
    }
    serde_json::from_value(doc).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_items_may_be_written_with_brackets() {
        let mut doc = serde_json::json!({"deliveries": [{"quantity": 5}, {"quantity": 7}]});
        for path in ["deliveries[1].quantity", "deliveries.1.quantity"] {
            assert_eq!(get_field(&doc, path), Some(&serde_json::json!(7)));
        }
        set_number(&mut doc, "deliveries[0].quantity", 9.4).unwrap();
        assert_eq!(doc["deliveries"][0]["quantity"], 9);
        assert!(set_field(&mut doc, "deliveries[5].quantity", 1.into()).is_err());
    }
}
