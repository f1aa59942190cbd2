//! Plain-text rendering of the Learn pages (what `dtlens learn` prints). No markup: section
//! headings are underlined, tables are aligned columns.

use super::{bindings, Binding, History};
use std::fmt::Write;

fn heading(s: &mut String, title: &str, under: char) {
    let _ = writeln!(s, "{title}");
    let _ = writeln!(s, "{}", under.to_string().repeat(title.chars().count()));
}

/// Column at which prose is wrapped (code and DTS text are never wrapped).
const WIDTH: usize = 96;

/// Prose paragraphs (blank-line separated), each wrapped at [`WIDTH`] and indented.
fn prose(s: &mut String, text: &str, by: &str) {
    for (i, para) in text.trim().split("\n\n").enumerate() {
        if i > 0 {
            s.push('\n');
        }
        let mut line = String::new();
        for word in para.split_whitespace() {
            if !line.is_empty() && by.len() + line.len() + 1 + word.len() > WIDTH {
                let _ = writeln!(s, "{by}{line}");
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            let _ = writeln!(s, "{by}{line}");
        }
    }
}

fn indent(s: &mut String, text: &str, by: &str) {
    for line in text.trim_end().lines() {
        if line.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, "{by}{line}");
        }
    }
}

fn sources(s: &mut String, list: &[&str]) {
    heading(s, "Sources", '-');
    for src in list {
        let _ = writeln!(s, "- {src}");
    }
}

/// The list of pages (what `dtlens learn` prints without an id).
pub fn render_list_text() -> String {
    let mut s = String::from("Learn pages (dtlens learn ID):\n\n");
    let width = bindings().iter().map(|b| b.id.len()).max().unwrap_or(0).max(4);
    for b in bindings() {
        let _ = writeln!(s, "  {:width$}  {}", b.id, b.title);
    }
    let _ = writeln!(s, "  {:width$}  {}", "2012", super::history_2012().title);
    s
}

/// One page as plain text: purpose, property table, annotated example, the rules of the
/// family with their severities (from the registry), mistakes, sources.
pub fn render_text(b: &Binding) -> String {
    let mut s = String::new();
    heading(&mut s, &format!("{} ({})", b.title, b.id), '=');
    s.push('\n');
    heading(&mut s, "Purpose", '-');
    prose(&mut s, b.purpose, "");
    s.push('\n');

    heading(&mut s, "Properties", '-');
    for p in b.properties {
        let _ = writeln!(s, "{}  [{}]", p.name, p.node.describe());
        let _ = writeln!(s, "    type: {}; {}; read by: {}", p.ty.as_str(), p.required.describe(), p.consumer);
        prose(&mut s, p.meaning, "    ");
        if !p.rules.is_empty() {
            let _ = writeln!(s, "    checked by: {}", p.rules.join(", "));
        }
    }
    s.push('\n');

    heading(&mut s, &format!("Example ({})", b.example_file), '-');
    indent(&mut s, b.example, "    ");
    s.push('\n');

    let rules = b.rules();
    heading(&mut s, &format!("Rules of the {} family ({})", b.family.as_str(), b.family.title()), '-');
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in rules {
        let _ = writeln!(s, "  {:7}  {:width$}  {}", r.severity.as_str(), r.id, r.summary);
    }
    let _ = writeln!(s, "(dtlens explain ID for a rule's explanation)");
    s.push('\n');

    heading(&mut s, "Common mistakes", '-');
    for m in b.mistakes {
        match m.rule() {
            Some(r) => {
                let _ = writeln!(s, "- {} ({}): {}", r.id, r.severity.as_str(), r.summary);
            }
            None => {
                let _ = writeln!(s, "- {} (unknown rule)", m.rule_id);
            }
        }
        let _ = writeln!(s, "  shown by {}", m.example_file);
    }
    s.push('\n');

    sources(&mut s, b.sources);
    s
}

/// The 2012 worked example as plain text.
pub fn render_history_text(h: &History) -> String {
    let mut s = String::new();
    heading(&mut s, h.title, '=');
    s.push('\n');
    prose(&mut s, h.intro, "");
    s.push('\n');
    for form in [&h.then, &h.now] {
        heading(&mut s, &format!("{}: {}", form.label, form.file), '-');
        indent(&mut s, form.dts, "    ");
        if form.expected_rules.is_empty() {
            let _ = writeln!(s, "Findings: no warnings or errors.");
        } else {
            let _ = writeln!(s, "Findings: {}", form.expected_rules.join(", "));
        }
        s.push('\n');
    }
    heading(&mut s, "Differences", '-');
    for (i, d) in h.differences.iter().enumerate() {
        let _ = writeln!(s, "{}. {}", i + 1, d.topic);
        let _ = writeln!(s, "   then: {}", d.then);
        let _ = writeln!(s, "   now:  {}", d.now);
        prose(&mut s, d.why, "   ");
        if !d.rules.is_empty() {
            let _ = writeln!(s, "   rules: {}", d.rules.join(", "));
        }
        let _ = writeln!(
            s,
            "   sources: {}",
            d.sources.iter().map(|x| x.split(':').next().unwrap_or(x)).collect::<Vec<_>>().join(", ")
        );
        s.push('\n');
    }
    sources(&mut s, h.sources);
    s
}
