//! The planned scenario as a file: the scenario with the orders applied, headed by a comment
//! block naming every order, so a reviewer sees what the plan added.

use super::PlanAnswer;

/// The planned scenario as YAML, headed by a comment block naming the orders.
pub fn emitted_yaml(answer: &PlanAnswer) -> Result<String, String> {
    let body = serde_saphyr::to_string(&answer.planned).map_err(|e| e.to_string())?;
    let mut head = format!(
        "# Planned by `rapt plan` for {} (enable target by {}, seed {}, {} replications).\n",
        answer.scenario, answer.by, answer.seed, answer.replications
    );
    if answer.orders.is_empty() {
        head.push_str("# No orders were needed: the scenario is unchanged.\n");
    } else {
        head.push_str("# Orders added (deliveries, increases and expansions below):\n");
        for o in &answer.orders {
            head.push_str(&format!(
                "#   {}: +{} {}, order by {}, arrives {}{}\n",
                o.resource,
                o.order,
                o.unit,
                o.order_by,
                o.arrives,
                o.cost.map_or(String::new(), |c| format!(", cost {c:.2}"))
            ));
        }
    }
    if !answer.feasible {
        head.push_str("# The plan does not meet every target by the date asked; see its limits.\n");
    }
    Ok(format!("{head}{body}"))
}
