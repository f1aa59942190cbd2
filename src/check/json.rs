//! JSON forms of findings and rules, with stable field names (CI and the browser read them).

use serde_json::{json, Value};

use super::{Finding, Fix, Rule};

/// `{rule, severity, path, property, message, offset, fix}`; `property`, `offset` and `fix`
/// are `null` when absent.
pub fn finding(f: &Finding) -> Value {
    json!({
        "rule": f.rule,
        "severity": f.severity.as_str(),
        "path": f.path,
        "property": f.property,
        "message": f.message,
        "offset": f.offset,
        "fix": f.fix.as_ref().map(fix),
    })
}

/// `{op, path, ...}`: `rename-node` (`new_name`), `set-property` (`property`, `value` as a
/// lower-case hex string, `text` as DTS-ish text), `remove-property` (`property`).
pub fn fix(f: &Fix) -> Value {
    match f {
        Fix::RenameNode { path, new_name } => json!({"op": "rename-node", "path": path, "new_name": new_name}),
        Fix::SetProperty { path, property, value } => json!({
            "op": "set-property",
            "path": path,
            "property": property,
            "value": value.iter().map(|b| format!("{b:02x}")).collect::<String>(),
            "text": super::describe_bytes(value),
        }),
        Fix::RemoveProperty { path, property } => json!({"op": "remove-property", "path": path, "property": property}),
    }
}

pub fn findings(list: &[Finding]) -> Value {
    Value::Array(list.iter().map(finding).collect())
}

/// `{id, family, scope, severity, enabled_at, summary, explanation, sources}`.
pub fn rule(r: &Rule) -> Value {
    json!({
        "id": r.id,
        "family": r.family.as_str(),
        "scope": r.scope.as_str(),
        "severity": r.severity.as_str(),
        "enabled_at": r.enabled_at.as_str(),
        "summary": r.summary,
        "explanation": r.explanation.trim(),
        "sources": r.sources,
    })
}

/// Every rule, in catalog order.
pub fn rules() -> Value {
    Value::Array(super::all().map(rule).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Config, Severity};
    use crate::tree::NodeId;

    #[test]
    fn finding_fields_are_stable() {
        let f = Finding {
            rule: "xen-node-name",
            severity: Severity::Error,
            path: "/hypervisor@b0000000".into(),
            property: None,
            message: "m".into(),
            offset: Some(0x38),
            fix: Some(Fix::RenameNode { path: "/hypervisor@b0000000".into(), new_name: "hypervisor".into() }),
            node: NodeId(1),
        };
        let v = finding(&f);
        assert_eq!(v["rule"], "xen-node-name");
        assert_eq!(v["severity"], "error");
        assert_eq!(v["property"], Value::Null);
        assert_eq!(v["offset"], 0x38);
        assert_eq!(v["fix"]["op"], "rename-node");
        assert_eq!(v["fix"]["new_name"], "hypervisor");
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys.len(), 7);
        let _ = Config::default();
    }

    #[test]
    fn rules_list_has_every_rule() {
        let v = rules();
        let arr = v.as_array().unwrap();
        assert_eq!(arr.len(), crate::check::all().count());
        assert!(arr.iter().any(|r| r["id"] == "xen-compatible-order" && r["family"] == "xen" && r["scope"] == "guest"));
    }
}
