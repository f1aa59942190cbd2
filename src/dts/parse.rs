//! DTS → tree: dtc 1.6.1's source language (without the C preprocessor), compiled the
//! way `dtc -I dts -O dtb` compiles it, so [`crate::dtb::write`] of the result gives the
//! same bytes as dtc.
//!
//! What dtc does after parsing is reproduced too, in its order: the error checks that make
//! dtc refuse a tree (duplicate names, bad name characters, duplicate labels, bad explicit
//! phandles, unresolved references), the removal of redundant `name` properties,
//! phandle assignment for `<&ref>` cells (numbers from 1 up, skipping explicit ones, in the
//! order the references appear in the tree; the new `phandle` property goes last in the
//! target), full paths for `&ref` outside cells, dropping `/omit-if-no-ref/` nodes nothing
//! references, and for `/plugin/` files the `__fixups__`/`__local_fixups__` nodes.
//! `boot_cpuid_phys` is guessed from `/cpus`'s first child as dtc does.
//!
//! Never panics. Limits (each reported as an error): node nesting [`MAX_NODE_DEPTH`],
//! expression nesting [`MAX_EXPR_DEPTH`], include nesting [`MAX_INCLUDE_DEPTH`].
//! Reference resolution uses a label index and per-node name indexes, so the cost is
//! linear in the input (dtc's is quadratic).

mod live;

use std::fmt;
use std::path::{Path, PathBuf};

use self::live::{Data, FxMap, FxSet, LProp, Live, MarkerKind};
use super::lex::{Fatal, Lexer, RawDiag, SourceFile, Span, Tok, Token};
pub use super::lex::{SourceLoader, MAX_INCLUDE_DEPTH};
use crate::{Reservation, Severity, Tree};

/// Deepest node nesting accepted (the root is depth 1), the same as the DTB reader's.
pub const MAX_NODE_DEPTH: usize = crate::dtb::MAX_DEPTH;
/// Deepest nesting of parentheses and unary/conditional operators in an expression.
pub const MAX_EXPR_DEPTH: usize = 128;
/// Diagnostics beyond this many are summarized in one last message.
pub const MAX_DIAGNOSTICS: usize = 100;

/// How to parse.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// Where `/include/` and `/incbin/` look after the including file's own directory
    /// (dtc's `-i`).
    pub include_dirs: Vec<PathBuf>,
    /// The source's file name, for messages; its directory is where includes are looked up
    /// first.
    pub file_name: String,
    /// Whether `/include/` and `/incbin/` may read files (the CLI: yes; the browser: no).
    pub allow_includes: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions { include_dirs: Vec::new(), file_name: "<input>".into(), allow_includes: false }
    }
}

/// A problem in the source, pinned to a line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceDiagnostic {
    pub severity: Severity,
    /// The file the position is in (the main file's `file_name` or an included file).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    pub message: String,
    /// The source line and a caret under the column (two lines), or empty.
    pub excerpt: String,
}

impl fmt::Display for SourceDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}: {}", self.file, self.line, self.column, self.severity.as_str(), self.message)?;
        if !self.excerpt.is_empty() {
            for l in self.excerpt.lines() {
                write!(f, "\n    {l}")?;
            }
        }
        Ok(())
    }
}

/// What [`parse`] returns.
#[derive(Debug, Clone)]
pub struct ParseResult {
    /// The compiled tree. `None` only when the source could not be parsed at all (a syntax
    /// error, an unreadable include). With error diagnostics the tree is still given (for
    /// display), but dtc would refuse to compile the source.
    pub tree: Option<Tree>,
    pub diagnostics: Vec<SourceDiagnostic>,
}

impl ParseResult {
    /// Whether any diagnostic is an error (dtc would refuse this source).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    /// The tree when there is no error.
    pub fn ok(&self) -> Option<&Tree> {
        if self.has_errors() {
            None
        } else {
            self.tree.as_ref()
        }
    }
}

/// Reads included files with `std::fs` (on wasm32 this always fails, which is reported).
#[derive(Debug, Clone, Copy, Default)]
pub struct FsLoader;

impl SourceLoader for FsLoader {
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        std::fs::read(path)
    }
}

/// Parses and compiles DTS source. `/include/` reads files with [`FsLoader`] when
/// `opts.allow_includes`, and is an error otherwise.
pub fn parse(src: &str, opts: &ParseOptions) -> ParseResult {
    if opts.allow_includes {
        parse_with_loader(src, opts, Some(&FsLoader))
    } else {
        parse_with_loader(src, opts, None)
    }
}

/// [`parse`] with a chosen file reader (`None`: includes are refused), e.g. an in-memory
/// one for tests or a browser-side file set.
pub fn parse_with_loader(src: &str, opts: &ParseOptions, loader: Option<&dyn SourceLoader>) -> ParseResult {
    let dir = Path::new(&opts.file_name).parent().map(Path::to_path_buf);
    let main = SourceFile { name: opts.file_name.clone(), text: src.to_string(), dir };
    if src.len() >= u32::MAX as usize {
        return ParseResult {
            tree: None,
            diagnostics: vec![SourceDiagnostic {
                severity: Severity::Error,
                file: opts.file_name.clone(),
                line: 1,
                column: 1,
                message: "input too large".into(),
                excerpt: String::new(),
            }],
        };
    }
    let mut p = Parser {
        lx: Lexer::new(main, loader, &opts.include_dirs),
        peeked: None,
        live: Live::default(),
        diags: Vec::new(),
        plugin: false,
        next_fragment: 0,
        reservations: Vec::new(),
    };
    let outcome = p.source_file();
    let tree = match outcome {
        Ok(()) => Some(p.finish()),
        Err(fatal) => {
            p.diags.push(fatal);
            None
        }
    };
    let mut raw = std::mem::take(&mut p.lx.diags);
    raw.append(&mut p.diags);
    let diagnostics = render(&p.lx.files, raw);
    ParseResult { tree, diagnostics }
}

/// Parses a property value written in DTS syntax on its own (what follows `prop =`, e.g.
/// `"xen,xen-4.19", "xen,xen"`, `<0x0 0xb0000000 0x0 0x20000>`, `/bits/ 64 <1>`, `[00 11]`),
/// for editors and the command line. An empty (or blank) text is the empty value; a final
/// `;` is allowed. References resolve against `tree`: `&{/path}` or `&label` (a label from
/// `/__symbols__`) outside cells give the path string; inside cells, the target's existing
/// `phandle` (or `linux,phandle`) value; a target without one is an error, since a value
/// alone cannot create it.
pub fn parse_value(text: &str, tree: Option<&Tree>) -> Result<Vec<u8>, SourceDiagnostic> {
    let main = SourceFile { name: "<value>".into(), text: text.to_string(), dir: None };
    let mut p = Parser {
        lx: Lexer::new(main, None, &[]),
        peeked: None,
        live: Live::default(),
        diags: Vec::new(),
        plugin: false,
        next_fragment: 0,
        reservations: Vec::new(),
    };
    p.lx.start_in_values();
    let first_error = |p: &mut Parser, extra: Option<RawDiag>| -> SourceDiagnostic {
        let mut raw = std::mem::take(&mut p.lx.diags);
        raw.append(&mut p.diags);
        raw.extend(extra);
        raw.retain(|d| d.severity == Severity::Error);
        let mut out = render(&p.lx.files, raw);
        out.truncate(1);
        out.pop().unwrap_or(SourceDiagnostic {
            severity: Severity::Error,
            file: "<value>".into(),
            line: 1,
            column: 1,
            message: "invalid value".into(),
            excerpt: String::new(),
        })
    };
    let parsed = (|| -> PResult<Option<Data>> {
        if p.peek()?.tok == Tok::Eof {
            return Ok(None);
        }
        let d = p.propdata()?;
        let mut t = p.bump()?;
        if t.tok == Tok::Char(';') {
            t = p.bump()?;
        }
        if t.tok != Tok::Eof {
            return Err(syntax(&t, "`,` or the end of the value"));
        }
        Ok(Some(d))
    })();
    let data = match parsed {
        Ok(d) => d.unwrap_or_default(),
        Err(fatal) => return Err(first_error(&mut p, Some(fatal))),
    };
    if p.diags.iter().chain(p.lx.diags.iter()).any(|d| d.severity == Severity::Error) {
        return Err(first_error(&mut p, None));
    }
    let mut bytes = data.bytes;
    let mut shift = 0usize;
    for m in &data.markers {
        let r = match &m.kind {
            MarkerKind::Phandle(r) | MarkerKind::Path(r) => r,
            MarkerKind::Label(_) => continue,
        };
        let target = tree.and_then(|t| {
            if r.starts_with('/') {
                t.find(r)
            } else {
                t.labels().into_iter().find(|(_, ls)| ls.iter().any(|l| l == r)).map(|(id, _)| id)
            }
        });
        let Some((t, target)) = tree.zip(target) else {
            let msg = format!("reference to non-existent node or label \"{r}\"");
            return Err(first_error(&mut p, Some(RawDiag { severity: Severity::Error, span: m.span, message: msg })));
        };
        let at = (m.offset + shift).min(bytes.len());
        match &m.kind {
            MarkerKind::Phandle(_) => {
                let node = t.node(target);
                let ph = ["phandle", "linux,phandle"]
                    .iter()
                    .find_map(|n| node.prop(n).and_then(|p| crate::value::as_u32(&p.value)));
                let Some(ph) = ph else {
                    let msg = format!("{} has no phandle property to refer to", t.path(target));
                    return Err(first_error(
                        &mut p,
                        Some(RawDiag { severity: Severity::Error, span: m.span, message: msg }),
                    ));
                };
                if let Some(cell) = bytes.get_mut(at..at + 4) {
                    cell.copy_from_slice(&ph.to_be_bytes());
                }
            }
            _ => {
                let mut path = t.path(target).into_bytes();
                path.push(0);
                shift += path.len();
                bytes.splice(at..at, path);
            }
        }
    }
    Ok(bytes)
}

struct Parser<'a> {
    lx: Lexer<'a>,
    peeked: Option<Token>,
    live: Live,
    diags: Vec<RawDiag>,
    plugin: bool,
    next_fragment: u32,
    reservations: Vec<Reservation>,
}

type PResult<T> = Result<T, Fatal>;

/// Parses one node body; what to do once it is complete.
struct Frame {
    node: u32,
    seen_subnode: bool,
}

impl Parser<'_> {
    // ---- tokens ----

    fn peek(&mut self) -> PResult<&Token> {
        if self.peeked.is_none() {
            self.peeked = Some(self.lx.next_token()?);
        }
        match &self.peeked {
            Some(t) => Ok(t),
            None => unreachable_fatal(),
        }
    }

    fn bump(&mut self) -> PResult<Token> {
        self.peek()?;
        match self.peeked.take() {
            Some(t) => Ok(t),
            None => unreachable_fatal(),
        }
    }

    fn peek_is(&mut self, c: char) -> PResult<bool> {
        Ok(self.peek()?.tok == Tok::Char(c))
    }

    fn expect_char(&mut self, c: char, what: &str) -> PResult<Token> {
        let t = self.bump()?;
        if t.tok == Tok::Char(c) {
            Ok(t)
        } else {
            Err(syntax(&t, &format!("`{c}`{what}")))
        }
    }

    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(RawDiag { severity: Severity::Error, span, message: msg.into() });
    }

    // ---- grammar ----

    fn source_file(&mut self) -> PResult<()> {
        // Headers: `/dts-v1/;` [`/plugin/;`], repeatable with the same flags.
        let first = self.peek()?.clone();
        if first.tok != Tok::V1 {
            return Err(RawDiag {
                severity: Severity::Error,
                span: first.span,
                message: format!(
                    "expected `/dts-v1/;` at the start of the source, found {}: dtc only reads version 1 DTS, \
                     which must begin with `/dts-v1/;`",
                    first.tok.describe()
                ),
            });
        }
        let mut flags: Option<bool> = None;
        while self.peek()?.tok == Tok::V1 {
            let v1 = self.bump()?;
            self.expect_char(';', " after `/dts-v1/`")?;
            let mut plugin = false;
            if self.peek()?.tok == Tok::Plugin {
                self.bump()?;
                self.expect_char(';', " after `/plugin/`")?;
                plugin = true;
            }
            match flags {
                None => flags = Some(plugin),
                Some(f) if f != plugin => self.error(v1.span, "header flags don't match earlier ones"),
                _ => {}
            }
        }
        self.plugin = flags == Some(true);
        if self.peek()?.tok == Tok::Plugin {
            let t = self.bump()?;
            return Err(syntax_msg(t.span, "`/plugin/;` must directly follow `/dts-v1/;`"));
        }

        // Memory reservations (labels allowed, ignored).
        loop {
            let mut labelled = None;
            while let Tok::Label(_) = self.peek()?.tok {
                labelled = Some(self.bump()?);
            }
            if self.peek()?.tok == Tok::MemReserve {
                self.bump()?;
                let address = self.integer_prim()?;
                let size = self.integer_prim()?;
                self.expect_char(';', " after the /memreserve/ address and size")?;
                self.reservations.push(Reservation { address, size });
            } else if let Some(l) = labelled {
                let t = self.bump()?;
                if matches!(t.tok, Tok::LabelRef(_) | Tok::PathRef(_)) {
                    // `label: &ref { ... };` as the first tree element: dtc's grammar has no
                    // such form (a label needs a tree before it).
                    return Err(syntax_msg(
                        l.span,
                        "a label before the first node definition: define the root `/ { ... };` first",
                    ));
                }
                return Err(syntax(&t, "`/memreserve/` after a label"));
            } else {
                break;
            }
        }

        // The first tree element.
        let t = self.bump()?;
        match &t.tok {
            Tok::Char('/') => {
                let n = self.nodedef(1)?;
                self.live.node_mut(n).name = String::new();
                self.live.root = Some(n);
            }
            Tok::LabelRef(r) | Tok::PathRef(r) => {
                let r = r.clone();
                let n = self.nodedef(1)?;
                let root = self.live.new_node(String::new(), t.span);
                self.live.root = Some(root);
                if !self.plugin {
                    self.error(t.span, format!("label or path {r} not found (the file defines no root node before it; only a /plugin/ may start with a reference)"));
                }
                self.add_orphan(n, &r, t.span);
            }
            Tok::MemReserve => return Err(syntax_msg(t.span, "`/memreserve/` must come before the first node")),
            _ => return Err(syntax(&t, "the root node `/ { ... };`")),
        }

        // Further tree elements.
        loop {
            let t = self.bump()?;
            match &t.tok {
                Tok::Eof => break,
                Tok::Char('/') => {
                    let n = self.nodedef(1)?;
                    if let Some(root) = self.live.root {
                        self.live.merge(root, n);
                    }
                }
                Tok::Label(label) => {
                    let label = label.clone();
                    let r = self.bump()?;
                    let (Tok::LabelRef(target) | Tok::PathRef(target)) = &r.tok else {
                        return Err(syntax(&r, "a reference `&label` or `&{/path}` after the label"));
                    };
                    let target = target.clone();
                    let n = self.nodedef(1)?;
                    match self.live.by_ref(&target) {
                        Some(old) => {
                            self.live.add_node_label(old, &label, t.span);
                            self.live.merge(old, n);
                        }
                        None => self.error(r.span, format!("label or path {target} not found")),
                    }
                }
                Tok::PathRef(path) => {
                    let path = path.clone();
                    let n = self.nodedef(1)?;
                    if self.plugin {
                        if let Some(root) = self.live.root {
                            self.add_orphan_to(root, n, &path, t.span);
                        }
                    } else {
                        match self.live.by_ref(&path) {
                            Some(old) => self.live.merge(old, n),
                            None => self.error(t.span, format!("label or path {path} not found")),
                        }
                    }
                }
                Tok::LabelRef(label) => {
                    let label = label.clone();
                    let n = self.nodedef(1)?;
                    match self.live.by_ref(&label) {
                        Some(old) => self.live.merge(old, n),
                        None if self.plugin => {
                            if let Some(root) = self.live.root {
                                self.add_orphan_to(root, n, &label, t.span);
                            }
                        }
                        None => self.error(t.span, format!("label or path {label} not found")),
                    }
                }
                Tok::DelNode | Tok::OmitNoRef => {
                    let r = self.bump()?;
                    let (Tok::LabelRef(target) | Tok::PathRef(target)) = &r.tok else {
                        return Err(syntax(&r, "a reference `&label` or `&{/path}` (outside a node, /delete-node/ and /omit-if-no-ref/ take a reference)"));
                    };
                    let target = target.clone();
                    self.expect_char(';', "")?;
                    match self.live.by_ref(&target) {
                        Some(n) if t.tok == Tok::DelNode => self.live.delete_node(n),
                        Some(n) => self.live.node_mut(n).omit_if_unused = true,
                        None => self.error(r.span, format!("label or path {target} not found")),
                    }
                }
                Tok::MemReserve => return Err(syntax_msg(t.span, "`/memreserve/` must come before the first node")),
                _ => return Err(syntax(&t, "a node definition (`/ { ... };` or `&label { ... };`)")),
            }
        }
        Ok(())
    }

    /// dtc's `add_orphan_node` for a new tree whose root is `root`.
    fn add_orphan(&mut self, overlay: u32, target: &str, span: Span) {
        if let Some(root) = self.live.root {
            self.add_orphan_to(root, overlay, target, span);
        }
    }

    fn add_orphan_to(&mut self, root: u32, overlay: u32, target: &str, span: Span) {
        let mut data = Data::default();
        let prop_name = if target.starts_with('/') {
            data.bytes.extend_from_slice(target.as_bytes());
            data.bytes.push(0);
            "target-path"
        } else {
            data.mark(MarkerKind::Phandle(target.to_string()), span);
            data.bytes.extend_from_slice(&[0xff; 4]);
            "target"
        };
        let name = format!("fragment@{}", self.next_fragment);
        self.next_fragment = self.next_fragment.wrapping_add(1);
        let frag = self.live.new_node(name, span);
        self.live.add_prop(frag, LProp { name: prop_name.into(), data, labels: Vec::new(), deleted: false, span });
        self.live.node_mut(overlay).name = "__overlay__".into();
        self.live.add_child(frag, overlay);
        self.live.add_child(root, frag);
    }

    /// `{ props subnodes };` → a new, unattached node. `depth` is the depth of the node
    /// being defined (root = 1). Iterative over nesting.
    fn nodedef(&mut self, depth: usize) -> PResult<u32> {
        let open = self.expect_char('{', " to open the node")?;
        let top = self.live.new_node(String::new(), open.span);
        let mut stack = vec![Frame { node: top, seen_subnode: false }];
        loop {
            let Some(frame) = stack.last() else { return Ok(top) };
            let cur = frame.node;
            let seen_subnode = frame.seen_subnode;

            // Prefix: labels and /omit-if-no-ref/.
            let mut labels: Vec<Token> = Vec::new();
            let mut omit = false;
            let mut first_prefix: Option<Span> = None;
            loop {
                let t = self.peek()?;
                match &t.tok {
                    Tok::Label(_) => {
                        let t = self.bump()?;
                        first_prefix.get_or_insert(t.span);
                        labels.push(t);
                    }
                    Tok::OmitNoRef => {
                        let t = self.bump()?;
                        first_prefix.get_or_insert(t.span);
                        omit = true;
                    }
                    _ => break,
                }
            }
            let t = self.bump()?;
            match t.tok {
                Tok::Char('}') if labels.is_empty() && !omit => {
                    self.expect_char(';', " after `}` (every node definition ends with `};`)")?;
                    stack.pop();
                }
                Tok::DelNode => {
                    let name = self.bump()?;
                    let Tok::Name(n) = name.tok else {
                        return Err(syntax(&name, "a node name (inside a node, /delete-node/ takes a name)"));
                    };
                    self.expect_char(';', "")?;
                    let child = self.live.new_node(n, name.span);
                    self.live.node_mut(child).deleted = true;
                    self.apply_node_prefix(child, &labels, omit);
                    self.live.add_child(cur, child);
                    if let Some(f) = stack.last_mut() {
                        f.seen_subnode = true;
                    }
                }
                Tok::DelProp => {
                    let start = first_prefix.unwrap_or(t.span);
                    if omit {
                        return Err(syntax_msg(t.span, "/omit-if-no-ref/ applies to nodes, not to /delete-property/"));
                    }
                    let name = self.bump()?;
                    let Tok::Name(n) = name.tok else {
                        return Err(syntax(&name, "a property name"));
                    };
                    let end = self.expect_char(';', "")?;
                    if seen_subnode {
                        return Err(syntax_msg(start.to(end.span), "properties must precede subnodes"));
                    }
                    let mut prop =
                        LProp { name: n, data: Data::default(), labels: Vec::new(), deleted: true, span: name.span };
                    for l in &labels {
                        if let Tok::Label(s) = &l.tok {
                            Live::add_prop_label(&mut prop.labels, s, l.span);
                        }
                    }
                    self.live.add_prop(cur, prop);
                }
                Tok::Name(n) => {
                    let next = self.peek()?.clone();
                    match next.tok {
                        Tok::Char('{') => {
                            let d = depth + stack.len();
                            if d > MAX_NODE_DEPTH {
                                return Err(RawDiag {
                                    severity: Severity::Error,
                                    span: t.span,
                                    message: format!("nodes nested too deeply (more than {MAX_NODE_DEPTH} levels)"),
                                });
                            }
                            self.bump()?;
                            let child = self.live.new_node(n, t.span);
                            self.apply_node_prefix(child, &labels, omit);
                            self.live.add_child(cur, child);
                            if let Some(f) = stack.last_mut() {
                                f.seen_subnode = true;
                            }
                            stack.push(Frame { node: child, seen_subnode: false });
                        }
                        Tok::Char('=') | Tok::Char(';') => {
                            if omit {
                                return Err(syntax_msg(t.span, "/omit-if-no-ref/ applies to nodes, not to properties"));
                            }
                            self.bump()?;
                            let data = if next.tok == Tok::Char('=') { self.propdata()? } else { Data::default() };
                            let end = if next.tok == Tok::Char('=') {
                                self.expect_char(';', " or `,` after the property value")?
                            } else {
                                next.clone()
                            };
                            let start = first_prefix.unwrap_or(t.span);
                            if seen_subnode {
                                return Err(syntax_msg(start.to(end.span), "properties must precede subnodes"));
                            }
                            let mut prop = LProp { name: n, data, labels: Vec::new(), deleted: false, span: t.span };
                            for l in &labels {
                                if let Tok::Label(s) = &l.tok {
                                    Live::add_prop_label(&mut prop.labels, s, l.span);
                                }
                            }
                            self.live.add_prop(cur, prop);
                        }
                        _ => {
                            let nt = self.bump()?;
                            return Err(syntax(&nt, "`=`, `;` or `{` after the name"));
                        }
                    }
                }
                _ => {
                    let what = if labels.is_empty() && !omit {
                        "a property, a subnode or `};`"
                    } else {
                        "a property or node name after the label"
                    };
                    return Err(syntax(&t, what));
                }
            }
        }
    }

    fn apply_node_prefix(&mut self, node: u32, labels: &[Token], omit: bool) {
        for l in labels {
            if let Tok::Label(s) = &l.tok {
                self.live.add_node_label(node, s, l.span);
            }
        }
        if omit {
            self.live.node_mut(node).omit_if_unused = true;
        }
    }

    /// A property value: pieces separated by commas, labels anywhere between them.
    fn propdata(&mut self) -> PResult<Data> {
        let mut d = Data::default();
        loop {
            self.value_labels(&mut d)?;
            let t = self.bump()?;
            match t.tok {
                Tok::Str(s) => {
                    d.bytes.extend_from_slice(&s);
                    d.bytes.push(0);
                }
                Tok::Char('<') => self.cells(&mut d, 32)?,
                Tok::Bits => {
                    let size = self.bump()?;
                    let Tok::Literal(bits) = size.tok else {
                        return Err(syntax(&size, "an element size (8, 16, 32 or 64) after /bits/"));
                    };
                    let bits = match bits {
                        8 | 16 | 32 | 64 => bits as u32,
                        _ => {
                            self.error(size.span, "array elements must be 8, 16, 32 or 64-bits (/bits/ size)");
                            32
                        }
                    };
                    self.expect_char('<', " after the /bits/ size")?;
                    self.cells(&mut d, bits)?;
                }
                Tok::Char('[') => loop {
                    let b = self.bump()?;
                    match b.tok {
                        Tok::Byte(v) => d.bytes.push(v),
                        Tok::Label(l) => d.mark(MarkerKind::Label(l), b.span),
                        Tok::Char(']') => break,
                        _ => return Err(syntax(&b, "pairs of hex digits or `]` in a byte string")),
                    }
                },
                Tok::LabelRef(r) | Tok::PathRef(r) => d.mark(MarkerKind::Path(r), t.span),
                Tok::Incbin => self.incbin(&mut d, t.span)?,
                _ => return Err(syntax(&t, "a value (\"string\", <cells>, [bytes] or &reference)")),
            }
            self.value_labels(&mut d)?;
            if self.peek_is(',')? {
                self.bump()?;
            } else {
                return Ok(d);
            }
        }
    }

    fn value_labels(&mut self, d: &mut Data) -> PResult<()> {
        while let Tok::Label(_) = self.peek()?.tok {
            let t = self.bump()?;
            if let Tok::Label(l) = t.tok {
                d.mark(MarkerKind::Label(l), t.span);
            }
        }
        Ok(())
    }

    /// The inside of `<...>` (the `<` is read), elements of `bits` bits.
    fn cells(&mut self, d: &mut Data, bits: u32) -> PResult<()> {
        loop {
            let t = self.peek()?;
            if matches!(t.tok, Tok::Literal(_) | Tok::CharLit(_) | Tok::Char('(')) {
                let start = t.span;
                let v = self.integer_prim()?;
                if bits < 64 {
                    let mask = (1u64 << bits) - 1;
                    if v > mask && (v | mask) != u64::MAX {
                        self.error(start, format!("value out of range for {bits}-bit array element"));
                    }
                }
                append_int(&mut d.bytes, v, bits);
                continue;
            }
            let t = self.bump()?;
            match t.tok {
                Tok::Char('>') => return Ok(()),
                Tok::Label(l) => d.mark(MarkerKind::Label(l), t.span),
                Tok::LabelRef(r) | Tok::PathRef(r) => {
                    if bits == 32 {
                        d.mark(MarkerKind::Phandle(r), t.span);
                    } else {
                        self.error(t.span, "references are only allowed in arrays with 32-bit elements");
                    }
                    append_int(&mut d.bytes, u64::MAX, bits);
                }
                _ => return Err(syntax(
                    &t,
                    "a number, a character literal, an expression in parentheses, a reference or `>` in a cell list",
                )),
            }
        }
    }

    /// `/incbin/("file")` or `/incbin/("file", offset, length)` (the keyword is read).
    fn incbin(&mut self, d: &mut Data, kw: Span) -> PResult<()> {
        self.expect_char('(', " after /incbin/")?;
        let f = self.bump()?;
        let Tok::Str(name) = f.tok else {
            return Err(syntax(&f, "a file name in double quotes"));
        };
        let mut name = String::from_utf8_lossy(&name).into_owned();
        if let Some(i) = name.find('\0') {
            name.truncate(i);
        }
        let (offset, len) = if self.peek_is(',')? {
            self.bump()?;
            let o = self.integer_prim()?;
            self.expect_char(',', "")?;
            let l = self.integer_prim()?;
            (o, Some(l))
        } else {
            (0, None)
        };
        let close = self.expect_char(')', "")?;
        let (_, bytes) = self.lx.load_relative(f.span.file, &name, kw.to(close.span))?;
        let start = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
        let end = match len {
            Some(l) => start.saturating_add(usize::try_from(l).unwrap_or(usize::MAX)).min(bytes.len()),
            None => bytes.len(),
        };
        d.bytes.extend_from_slice(&bytes[start..end]);
        Ok(())
    }

    // ---- integer expressions ----

    /// A literal, a character literal or `( expression )`.
    fn integer_prim(&mut self) -> PResult<u64> {
        self.prim(0)
    }

    fn prim(&mut self, depth: usize) -> PResult<u64> {
        let t = self.bump()?;
        match t.tok {
            Tok::Literal(v) | Tok::CharLit(v) => Ok(v),
            Tok::Char('(') => {
                let v = self.expr(depth + 1, t.span)?;
                self.expect_char(')', " to close the expression")?;
                Ok(v)
            }
            _ => Err(syntax(&t, "a number, a character literal or `(`")),
        }
    }

    fn too_deep(span: Span) -> Fatal {
        RawDiag {
            severity: Severity::Error,
            span,
            message: format!("expression nested too deeply (more than {MAX_EXPR_DEPTH} levels)"),
        }
    }

    /// `cond ? a : b` (right associative) over the binary operators.
    fn expr(&mut self, depth: usize, at: Span) -> PResult<u64> {
        if depth > MAX_EXPR_DEPTH {
            return Err(Self::too_deep(at));
        }
        let cond = self.binary(0, depth)?;
        if self.peek_is('?')? {
            let q = self.bump()?;
            let a = self.expr(depth + 1, q.span)?;
            self.expect_char(':', " in the conditional expression")?;
            let b = self.expr(depth + 1, q.span)?;
            return Ok(if cond != 0 { a } else { b });
        }
        Ok(cond)
    }

    /// Binary operators by precedence climbing, all left associative, C's levels.
    fn binary(&mut self, min_level: u8, depth: usize) -> PResult<u64> {
        let mut lhs = self.unary(depth)?;
        loop {
            let Some(level) = binary_level(&self.peek()?.tok) else { return Ok(lhs) };
            if level < min_level {
                return Ok(lhs);
            }
            let t = self.bump()?;
            let rhs = self.binary(level + 1, depth)?;
            lhs = match t.tok {
                Tok::OrOr => u64::from(lhs != 0 || rhs != 0),
                Tok::AndAnd => u64::from(lhs != 0 && rhs != 0),
                Tok::Char('|') => lhs | rhs,
                Tok::Char('^') => lhs ^ rhs,
                Tok::Char('&') => lhs & rhs,
                Tok::EqEq => u64::from(lhs == rhs),
                Tok::Ne => u64::from(lhs != rhs),
                Tok::Char('<') => u64::from(lhs < rhs),
                Tok::Char('>') => u64::from(lhs > rhs),
                Tok::Le => u64::from(lhs <= rhs),
                Tok::Ge => u64::from(lhs >= rhs),
                Tok::LShift => {
                    if rhs < 64 {
                        lhs << rhs
                    } else {
                        0
                    }
                }
                Tok::RShift => {
                    if rhs < 64 {
                        lhs >> rhs
                    } else {
                        0
                    }
                }
                Tok::Char('+') => lhs.wrapping_add(rhs),
                Tok::Char('-') => lhs.wrapping_sub(rhs),
                Tok::Char('*') => lhs.wrapping_mul(rhs),
                Tok::Char('/') | Tok::Char('%') => {
                    if rhs == 0 {
                        self.error(t.span, "division by zero");
                        0
                    } else if t.tok == Tok::Char('/') {
                        lhs / rhs
                    } else {
                        lhs % rhs
                    }
                }
                _ => lhs,
            };
        }
    }

    fn unary(&mut self, depth: usize) -> PResult<u64> {
        let mut ops = Vec::new();
        loop {
            let t = self.peek()?;
            match t.tok {
                Tok::Char(c @ ('-' | '~' | '!')) => {
                    if depth + ops.len() > MAX_EXPR_DEPTH {
                        return Err(Self::too_deep(t.span));
                    }
                    self.bump()?;
                    ops.push(c);
                }
                _ => break,
            }
        }
        let mut v = self.prim(depth + ops.len())?;
        for op in ops.into_iter().rev() {
            v = match op {
                '-' => v.wrapping_neg(),
                '~' => !v,
                _ => u64::from(v == 0),
            };
        }
        Ok(v)
    }

    // ---- after parsing: dtc's checks and fix-ups, then the tree ----

    fn finish(&mut self) -> Tree {
        let boot_cpuid = self.guess_boot_cpuid();
        self.checks();
        if self.plugin {
            self.generate_fixups();
        }
        if let Some(root) = self.live.root {
            if self.live.node(root).deleted {
                let span = self.live.node(root).span;
                self.error(
                    span,
                    "the root node is deleted (by `/delete-node/ &{/}` or an unreferenced `/omit-if-no-ref/ &{/}`): \
                     dtc would write a blob without any node, which is not a device tree",
                );
            }
        }
        let mut tree = Tree::new();
        tree.header.boot_cpuid_phys = boot_cpuid;
        tree.reservations = std::mem::take(&mut self.reservations);
        if let Some(root) = self.live.root {
            let mut stack = vec![(root, tree.root)];
            // The working tree is not needed afterwards: names and values move out of it.
            let mut pairs = Vec::new();
            while let Some((ln, tn)) = stack.pop() {
                let props = std::mem::take(&mut self.live.node_mut(ln).props);
                tree.node_mut(tn).props = props
                    .into_iter()
                    .filter(|p| !p.deleted)
                    .map(|p| crate::Property::new(p.name, p.data.bytes))
                    .collect();
                let kids = std::mem::take(&mut self.live.node_mut(ln).children);
                pairs.clear();
                for c in kids {
                    if self.live.node(c).deleted {
                        continue;
                    }
                    let name = std::mem::take(&mut self.live.node_mut(c).name);
                    pairs.push((c, tree.add_child(tn, name)));
                }
                stack.extend(pairs.iter().rev().copied());
            }
        }
        tree
    }

    /// dtc's `guess_boot_cpuid`, computed on the parsed tree before any fix-up: the `reg` of
    /// the first child (deleted or not) of a live `/cpus`, when it is one cell.
    fn guess_boot_cpuid(&mut self) -> u32 {
        let Some(cpus) = self.live.by_path("/cpus") else { return 0 };
        let Some(&first) = self.live.node(cpus).children.first() else { return 0 };
        let Some(i) = self.live.find_prop(first, "reg", false) else { return 0 };
        crate::value::as_u32(&self.live.node(first).props[i].data.bytes).unwrap_or(0)
    }

    fn node_error(&mut self, id: u32, msg: String) {
        let span = self.live.node(id).span;
        self.error(span, msg);
    }

    fn checks(&mut self) {
        let order = self.live.preorder();

        // Duplicate node names (dtc: a node's own definition does not merge repeats). As in
        // dtc, a live child followed by any sibling of the same name, even a
        // `/delete-node/` placeholder, is a duplicate.
        let mut dup_nodes = false;
        let mut live_seen: FxSet<&str> = FxSet::default();
        let mut node_dups = Vec::new();
        for &n in &order {
            let kids = &self.live.node(n).children;
            if kids.len() < 2 {
                continue;
            }
            live_seen.clear();
            for &c in kids {
                let cn = self.live.node(c);
                if live_seen.contains(cn.name.as_str()) {
                    node_dups.push(c);
                }
                if !cn.deleted {
                    live_seen.insert(cn.name.as_str());
                }
            }
        }
        drop(live_seen);
        for c in node_dups {
            dup_nodes = true;
            let path = self.live.path(c);
            let msg = if self.live.node(c).deleted {
                format!(
                    "duplicate node name: /delete-node/ of {path} inside the body that defines it (dtc refuses this)"
                )
            } else {
                format!("duplicate node name: {path} is defined twice in the same node body")
            };
            self.node_error(c, msg);
        }
        // Duplicate property names.
        let mut seen: FxSet<&str> = FxSet::default();
        let mut prop_dups = Vec::new();
        for &n in &order {
            let node = self.live.node(n);
            if node.props.len() < 2 {
                continue;
            }
            seen.clear();
            for p in node.props.iter().filter(|p| !p.deleted) {
                if !seen.insert(p.name.as_str()) {
                    prop_dups.push((n, p.span, p.name.clone()));
                }
            }
        }
        drop(seen);
        for (n, span, name) in prop_dups {
            let path = self.live.path(n);
            self.error(span, format!("duplicate property name: {path} has `{name}` twice in the same node body"));
        }
        // Name characters.
        let mut name_chars_ok = true;
        for &n in &order {
            let node = self.live.node(n);
            if let Some(c) = node.name.chars().find(|&c| !(c.is_ascii_alphanumeric() || ",._+-@".contains(c))) {
                name_chars_ok = false;
                let path = self.live.path(n);
                self.node_error(n, format!("bad character '{c}' in node name {path}"));
            }
        }
        if name_chars_ok {
            for &n in &order {
                let node = self.live.node(n);
                if node.name.split_once('@').is_some_and(|(_, unit)| unit.contains('@')) {
                    let path = self.live.path(n);
                    self.node_error(n, format!("multiple '@' characters in node name {path}"));
                }
            }
        }
        for &n in &order {
            let mut bad = Vec::new();
            for p in self.live.node(n).props.iter().filter(|p| !p.deleted) {
                if let Some(c) = p.name.chars().find(|&c| !(c.is_ascii_alphanumeric() || ",._+*#?-".contains(c))) {
                    bad.push((p.span, format!("bad character '{c}' in property name `{}`", p.name)));
                }
            }
            for (s, m) in bad {
                self.error(s, m);
            }
        }
        // `name` properties: must be a string; a correct one is redundant and removed.
        let mut name_is_string = true;
        for &n in &order {
            if let Some(i) = self.live.find_prop(n, "name", false) {
                let p = &self.live.node(n).props[i];
                if !is_one_string(&p.data.bytes) {
                    name_is_string = false;
                    let span = p.span;
                    self.error(span, "property `name` is not a string");
                }
            }
        }
        if name_is_string {
            for &n in &order {
                let Some(i) = self.live.find_prop(n, "name", true) else { continue };
                let node = self.live.node(n);
                let base = node.name.split('@').next().unwrap_or("");
                let v = &node.props[i].data.bytes;
                if v.len() != base.len() + 1 || !v.starts_with(base.as_bytes()) {
                    let shown = String::from_utf8_lossy(v.split(|&b| b == 0).next().unwrap_or(&[])).into_owned();
                    let span = node.props[i].span;
                    self.error(span, format!("\"name\" property is incorrect (\"{shown}\" instead of base node name)"));
                } else {
                    self.live.remove_prop(n, i);
                }
            }
        }
        self.check_labels(&order);
        let explicit_ok = self.explicit_phandles(&order);
        let _ = (dup_nodes, explicit_ok);
        self.phandle_references();
        self.path_references();
        // /omit-if-no-ref/ nodes nothing referenced.
        for n in self.live.preorder() {
            let node = self.live.node(n);
            if !node.deleted && node.omit_if_unused && !node.referenced {
                self.live.delete_node(n);
            }
        }
    }

    /// dtc's duplicate-label check: a label may name one node, one property or one place in
    /// one value.
    fn check_labels(&mut self, order: &[u32]) {
        #[derive(PartialEq, Clone, Copy)]
        enum Owner {
            Node(u32),
            Prop(u32, usize),
            Mark(u32, usize, usize),
        }
        let mut first: FxMap<&str, Owner> = FxMap::default();
        let mut errors = Vec::new();
        let mut occ: Vec<(&str, Owner, Span)> = Vec::new();
        for &n in order {
            let node = self.live.node(n);
            occ.clear();
            for l in node.labels.iter().filter(|l| !l.deleted) {
                occ.push((&l.name, Owner::Node(n), l.span));
            }
            for (pi, p) in node.props.iter().enumerate().filter(|(_, p)| !p.deleted) {
                for l in p.labels.iter().filter(|l| !l.deleted) {
                    occ.push((&l.name, Owner::Prop(n, pi), l.span));
                }
                for (mi, m) in p.data.markers.iter().enumerate() {
                    if let MarkerKind::Label(l) = &m.kind {
                        occ.push((l, Owner::Mark(n, pi, mi), m.span));
                    }
                }
            }
            for &(l, o, span) in &occ {
                match first.get(l) {
                    None => {
                        first.insert(l, o);
                    }
                    Some(&f) if f != o => errors.push((span, l.to_string(), f, o)),
                    _ => {}
                }
            }
        }
        for (span, l, f, o) in errors {
            let describe = |o: Owner| match o {
                Owner::Node(n) => self.live.path(n),
                Owner::Prop(n, p) => format!("property '{}' in {}", self.live.node(n).props[p].name, self.live.path(n)),
                Owner::Mark(n, p, _) => {
                    format!("value of property '{}' in {}", self.live.node(n).props[p].name, self.live.path(n))
                }
            };
            let msg = format!("duplicate label '{l}' on {} and {}", describe(o), describe(f));
            self.error(span, msg);
        }
    }

    /// dtc's explicit-phandle check: records explicit `phandle`/`linux,phandle` values.
    fn explicit_phandles(&mut self, order: &[u32]) -> bool {
        let mut ok = true;
        let mut owners: FxMap<u32, u32> = FxMap::default();
        for &n in order {
            let ph = self.phandle_prop(n, "phandle", &mut ok);
            let lph = self.phandle_prop(n, "linux,phandle", &mut ok);
            if ph == 0 && lph == 0 {
                continue;
            }
            if ph != 0 && lph != 0 && ph != lph {
                ok = false;
                let path = self.live.path(n);
                self.node_error(n, format!("mismatching 'phandle' and 'linux,phandle' properties in {path}"));
            }
            let v = if ph != 0 { ph } else { lph };
            if let Some(&other) = owners.get(&v) {
                if other != n {
                    ok = false;
                    let (path, other_path) = (self.live.path(n), self.live.path(other));
                    self.node_error(n, format!("duplicated phandle {v:#x} in {path} (seen before at {other_path})"));
                    continue;
                }
            }
            owners.insert(v, n);
            self.live.node_mut(n).phandle = v;
        }
        ok
    }

    fn phandle_prop(&mut self, n: u32, name: &str, ok: &mut bool) -> u32 {
        let Some(i) = self.live.find_prop(n, name, false) else { return 0 };
        let p = &self.live.node(n).props[i];
        let span = p.span;
        if p.data.bytes.len() != 4 {
            *ok = false;
            let len = p.data.bytes.len();
            self.error(span, format!("bad length ({len}) {name} property"));
            return 0;
        }
        let first_ref = p.data.markers.iter().find_map(|m| match &m.kind {
            MarkerKind::Phandle(r) => Some(r.clone()),
            _ => None,
        });
        if let Some(r) = first_ref {
            if self.live.by_ref(&r) != Some(n) {
                *ok = false;
                let path = self.live.path(n);
                self.node_error(n, format!("{name} of {path} is a reference to another node"));
            }
            return 0;
        }
        let v = crate::value::as_u32(&p.data.bytes).unwrap_or(0);
        if v == 0 || v == u32::MAX {
            *ok = false;
            self.error(span, format!("bad value ({v:#x}) in {name} property"));
            return 0;
        }
        v
    }

    /// dtc's phandle fix-up: every `<&ref>` gets the target's phandle, assigned on first use.
    fn phandle_references(&mut self) {
        let mut used: FxSet<u32> = FxSet::default();
        for n in self.live.preorder() {
            let ph = self.live.node(n).phandle;
            if ph != 0 && ph != u32::MAX {
                used.insert(ph);
            }
        }
        let mut counter: u32 = 1;
        for n in self.live.preorder() {
            let nprops = self.live.node(n).props.len();
            for pi in 0..nprops {
                let p = &mut self.live.node_mut(n).props[pi];
                if p.deleted || p.data.markers.is_empty() {
                    continue;
                }
                // Taken out while references are resolved, put back after.
                let markers = std::mem::take(&mut p.data.markers);
                for m in &markers {
                    let MarkerKind::Phandle(r) = &m.kind else { continue };
                    let value = match self.live.by_ref(r) {
                        None => {
                            if !self.plugin {
                                self.error(m.span, format!("reference to non-existent node or label \"{r}\""));
                            }
                            u32::MAX
                        }
                        Some(target) => {
                            let v = self.node_phandle(target, &mut used, &mut counter);
                            self.live.node_mut(target).referenced = true;
                            v
                        }
                    };
                    let bytes = &mut self.live.node_mut(n).props[pi].data.bytes;
                    if let Some(cell) = bytes.get_mut(m.offset..m.offset + 4) {
                        cell.copy_from_slice(&value.to_be_bytes());
                    }
                }
                self.live.node_mut(n).props[pi].data.markers = markers;
            }
        }
    }

    /// dtc's `get_node_phandle`.
    fn node_phandle(&mut self, target: u32, used: &mut FxSet<u32>, counter: &mut u32) -> u32 {
        let ph = self.live.node(target).phandle;
        if ph != 0 && ph != u32::MAX {
            return ph;
        }
        while used.contains(counter) {
            *counter = counter.wrapping_add(1);
        }
        let v = *counter;
        used.insert(v);
        self.live.node_mut(target).phandle = v;
        if self.live.find_prop(target, "phandle", false).is_none() {
            let span = self.live.node(target).span;
            let data = Data { bytes: v.to_be_bytes().to_vec(), markers: Vec::new() };
            self.live
                .add_prop(target, LProp { name: "phandle".into(), data, labels: Vec::new(), deleted: false, span });
        }
        v
    }

    /// dtc's path fix-up: `&ref` outside cells becomes the target's full path.
    fn path_references(&mut self) {
        for n in self.live.preorder() {
            let nprops = self.live.node(n).props.len();
            for pi in 0..nprops {
                let p = &mut self.live.node_mut(n).props[pi];
                if p.deleted || !p.data.markers.iter().any(|m| matches!(m.kind, MarkerKind::Path(_))) {
                    continue;
                }
                // One pass: copy the value between markers, inserting each path, and move
                // every later marker by what was inserted before it (dtc inserts one at a
                // time, with the same result).
                let mut markers = std::mem::take(&mut p.data.markers);
                let old = std::mem::take(&mut p.data.bytes);
                let mut out = Vec::with_capacity(old.len() + 32);
                let mut copied = 0;
                let mut shift = 0;
                for m in &mut markers {
                    let off = m.offset.min(old.len());
                    if off > copied {
                        out.extend_from_slice(&old[copied..off]);
                        copied = off;
                    }
                    m.offset += shift;
                    let MarkerKind::Path(r) = &m.kind else { continue };
                    let Some(target) = self.live.by_ref(r) else {
                        let msg = format!("reference to non-existent node or label \"{r}\"");
                        self.error(m.span, msg);
                        continue;
                    };
                    let before = out.len();
                    self.live.write_path(target, &mut out);
                    out.push(0);
                    shift += out.len() - before;
                    self.live.node_mut(target).referenced = true;
                }
                out.extend_from_slice(&old[copied..]);
                let data = &mut self.live.node_mut(n).props[pi].data;
                data.bytes = out;
                data.markers = markers;
            }
        }
    }

    /// dtc's `__fixups__` and `__local_fixups__` for a `/plugin/`.
    fn generate_fixups(&mut self) {
        let Some(root) = self.live.root else { return };
        // Phandle markers, in tree order: (node, prop index, offset, ref, resolved?).
        let mut refs: Vec<(u32, usize, usize, String, bool)> = Vec::new();
        for n in self.live.preorder() {
            for (pi, p) in self.live.node(n).props.iter().enumerate() {
                if p.deleted {
                    continue;
                }
                for m in &p.data.markers {
                    if let MarkerKind::Phandle(r) = &m.kind {
                        refs.push((n, pi, m.offset, r.clone(), false));
                    }
                }
            }
        }
        for e in &mut refs {
            e.4 = self.live.by_ref(&e.3).is_some();
        }
        if refs.iter().any(|e| !e.4) {
            let fx = self.root_child(root, "__fixups__");
            for (n, pi, offset, r, resolved) in &refs {
                if *resolved {
                    continue;
                }
                let path = self.live.path(*n);
                let pname = self.live.node(*n).props[*pi].name.clone();
                if path.contains(':') || pname.contains(':') {
                    let span = self.live.node(*n).props[*pi].span;
                    self.error(span, format!("fixup arguments should not contain ':' ({path}:{pname})"));
                    continue;
                }
                let mut entry = format!("{path}:{pname}:{offset}").into_bytes();
                entry.push(0);
                self.append_to_prop(fx, r, &entry);
            }
        }
        if refs.iter().any(|e| e.4) {
            let lfx = self.root_child(root, "__local_fixups__");
            for (n, pi, offset, _, resolved) in &refs {
                if !*resolved {
                    continue;
                }
                let mut names = Vec::new();
                let mut cur = *n;
                while Some(cur) != self.live.root {
                    names.push(self.live.node(cur).name.clone());
                    match self.live.node(cur).parent {
                        Some(p) => cur = p,
                        None => break,
                    }
                }
                let mut wn = lfx;
                for name in names.iter().rev() {
                    wn = match self.live.find_child(wn, name, false) {
                        Some(c) => c,
                        None => {
                            let c = self.live.new_node(name.clone(), Span::default());
                            self.live.add_child(wn, c);
                            c
                        }
                    };
                }
                let pname = self.live.node(*n).props[*pi].name.clone();
                self.append_to_prop(wn, &pname, &(*offset as u32).to_be_bytes());
            }
        }
    }

    fn root_child(&mut self, root: u32, name: &str) -> u32 {
        match self.live.find_child(root, name, false) {
            Some(c) => c,
            None => {
                let c = self.live.new_node(name.into(), Span::default());
                self.live.add_child(root, c);
                c
            }
        }
    }

    fn append_to_prop(&mut self, node: u32, name: &str, bytes: &[u8]) {
        match self.live.find_prop(node, name, false) {
            Some(i) => self.live.node_mut(node).props[i].data.bytes.extend_from_slice(bytes),
            None => {
                let data = Data { bytes: bytes.to_vec(), markers: Vec::new() };
                let prop = LProp { name: name.into(), data, labels: Vec::new(), deleted: false, span: Span::default() };
                self.live.add_prop(node, prop);
            }
        }
    }
}

/// Never reached: `peek` always fills `peeked`. Reported as an internal error instead of
/// panicking.
fn unreachable_fatal<T>() -> PResult<T> {
    Err(RawDiag { severity: Severity::Error, span: Span::default(), message: "internal parser error".into() })
}

fn binary_level(t: &Tok) -> Option<u8> {
    Some(match t {
        Tok::OrOr => 0,
        Tok::AndAnd => 1,
        Tok::Char('|') => 2,
        Tok::Char('^') => 3,
        Tok::Char('&') => 4,
        Tok::EqEq | Tok::Ne => 5,
        Tok::Char('<') | Tok::Char('>') | Tok::Le | Tok::Ge => 6,
        Tok::LShift | Tok::RShift => 7,
        Tok::Char('+') | Tok::Char('-') => 8,
        Tok::Char('*') | Tok::Char('/') | Tok::Char('%') => 9,
        _ => return None,
    })
}

fn append_int(out: &mut Vec<u8>, v: u64, bits: u32) {
    match bits {
        8 => out.push(v as u8),
        16 => out.extend_from_slice(&(v as u16).to_be_bytes()),
        64 => out.extend_from_slice(&v.to_be_bytes()),
        _ => out.extend_from_slice(&(v as u32).to_be_bytes()),
    }
}

fn is_one_string(v: &[u8]) -> bool {
    !v.is_empty() && v[v.len() - 1] == 0 && !v[..v.len() - 1].contains(&0)
}

fn syntax(found: &Token, expected: &str) -> Fatal {
    let message = if found.tok == Tok::Eof {
        format!("syntax error: unexpected end of input, expected {expected}")
    } else {
        format!("syntax error: expected {expected}, found {}", found.tok.describe())
    };
    RawDiag { severity: Severity::Error, span: found.span, message }
}

fn syntax_msg(span: Span, msg: &str) -> Fatal {
    RawDiag { severity: Severity::Error, span, message: format!("syntax error: {msg}") }
}

/// Turns byte spans into line/column diagnostics with excerpts.
fn render(files: &[SourceFile], raw: Vec<RawDiag>) -> Vec<SourceDiagnostic> {
    let mut line_starts: Vec<Option<Vec<usize>>> = (0..files.len()).map(|_| None).collect();
    let total = raw.len();
    let mut out = Vec::new();
    for (k, d) in raw.into_iter().enumerate() {
        if k == MAX_DIAGNOSTICS {
            let last = out.last().cloned().unwrap_or(SourceDiagnostic {
                severity: Severity::Error,
                file: String::new(),
                line: 1,
                column: 1,
                message: String::new(),
                excerpt: String::new(),
            });
            out.push(SourceDiagnostic {
                message: format!("{} more problems not shown", total - MAX_DIAGNOSTICS),
                excerpt: String::new(),
                ..last
            });
            break;
        }
        let Some(file) = files.get(d.span.file as usize) else { continue };
        let starts = line_starts[d.span.file as usize].get_or_insert_with(|| {
            std::iter::once(0).chain(file.text.match_indices('\n').map(|(i, _)| i + 1)).collect()
        });
        let text = &file.text;
        let mut off = (d.span.start as usize).min(text.len());
        while !text.is_char_boundary(off) {
            off -= 1;
        }
        let line_idx = starts.partition_point(|&s| s <= off).saturating_sub(1);
        let ls = starts[line_idx];
        let le = text[ls..].find('\n').map_or(text.len(), |i| ls + i);
        let line_text = text[ls..le].trim_end_matches('\r');
        let col = text[ls..off].chars().count() + 1;
        out.push(SourceDiagnostic {
            severity: d.severity,
            file: file.name.clone(),
            line: (line_idx + 1) as u32,
            column: col as u32,
            message: d.message,
            excerpt: excerpt(line_text, col),
        });
    }
    out
}

/// The line (shortened around the column when long) and a caret line under the column.
fn excerpt(line: &str, col: usize) -> String {
    const WINDOW: usize = 60;
    let chars: Vec<char> = line.chars().collect();
    let idx = col.saturating_sub(1).min(chars.len());
    let (from, prefix) = if idx > WINDOW { (idx - WINDOW, "…") } else { (0, "") };
    let to = (idx + WINDOW).min(chars.len());
    let suffix = if to < chars.len() { "…" } else { "" };
    let shown: String = chars[from..to].iter().collect();
    let mut caret: String = prefix.chars().map(|_| ' ').collect();
    caret.extend(chars[from..idx].iter().map(|&c| if c == '\t' { '\t' } else { ' ' }));
    caret.push('^');
    format!("{prefix}{shown}{suffix}\n{caret}")
}
