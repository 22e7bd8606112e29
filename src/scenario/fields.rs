//! Fields addressed by their path (`pools.vpn.tunnels`, `deliveries.0.quantity`) in a
//! scenario's document tree: what `rapt sweep --set` and uncertain inputs change.

/// Sets `path` to `value` in a document tree. The parent must exist; the field itself may be
/// new (an optional field the file left out). Returns why not, in words.
pub fn set_field(
    doc: &mut serde_json::Value,
    path: &str,
    value: serde_json::Value,
) -> Result<(), String> {
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
