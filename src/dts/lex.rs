//! The DTS lexer: dtc 1.6.1's token rules, start states and `/include/` stack.
//!
//! dtc's lexer is a flex scanner with three start states besides the initial one: `V1`
//! (after `/dts-v1/`, where integer literals exist), `PROPNODENAME` (after `{`, `;` and the
//! `/delete-*/`/`/omit-if-no-ref/` keywords, where node and property names exist) and
//! `BYTESTRING` (inside `[...]`, where pairs of hex digits are bytes). Which tokens exist
//! depends on the state, and the state depends only on the tokens already read, so this
//! lexer reproduces the same token stream one token at a time. Within a state the longest
//! match wins, as in flex.
//!
//! Never panics; every loop advances through the input.

use std::path::{Path, PathBuf};

/// One source text (the main file or an included one).
#[derive(Debug)]
pub(crate) struct SourceFile {
    pub name: String,
    pub text: String,
    /// Directory `/include/`s inside this file are first looked up in.
    pub dir: Option<PathBuf>,
}

/// A range of bytes in one of the source files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub file: u32,
    pub start: u32,
    pub end: u32,
}

impl Span {
    /// From the start of `self` to the end of `other` (same file assumed; else `self`).
    pub fn to(self, other: Span) -> Span {
        if other.file == self.file && other.end >= self.start {
            Span { file: self.file, start: self.start, end: other.end }
        } else {
            self
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    V1,
    Plugin,
    MemReserve,
    Bits,
    DelProp,
    DelNode,
    OmitNoRef,
    Incbin,
    Label(String),
    Literal(u64),
    CharLit(u64),
    LabelRef(String),
    PathRef(String),
    Byte(u8),
    Name(String),
    Str(Vec<u8>),
    LShift,
    RShift,
    Le,
    Ge,
    EqEq,
    Ne,
    AndAnd,
    OrOr,
    Char(char),
    Eof,
}

impl Tok {
    /// How the token is called in "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match self {
            Tok::V1 => "`/dts-v1/`".into(),
            Tok::Plugin => "`/plugin/`".into(),
            Tok::MemReserve => "`/memreserve/`".into(),
            Tok::Bits => "`/bits/`".into(),
            Tok::DelProp => "`/delete-property/`".into(),
            Tok::DelNode => "`/delete-node/`".into(),
            Tok::OmitNoRef => "`/omit-if-no-ref/`".into(),
            Tok::Incbin => "`/incbin/`".into(),
            Tok::Label(l) => format!("label `{l}:`"),
            Tok::Literal(v) => format!("number {v:#x}"),
            Tok::CharLit(_) => "character literal".into(),
            Tok::LabelRef(l) => format!("reference `&{l}`"),
            Tok::PathRef(p) => format!("reference `&{{{p}}}`"),
            Tok::Byte(b) => format!("byte `{b:02x}`"),
            Tok::Name(n) => format!("name `{n}`"),
            Tok::Str(_) => "string".into(),
            Tok::LShift => "`<<`".into(),
            Tok::RShift => "`>>`".into(),
            Tok::Le => "`<=`".into(),
            Tok::Ge => "`>=`".into(),
            Tok::EqEq => "`==`".into(),
            Tok::Ne => "`!=`".into(),
            Tok::AndAnd => "`&&`".into(),
            Tok::OrOr => "`||`".into(),
            Tok::Char(c) if c.is_control() => format!("character U+{:04X}", *c as u32),
            Tok::Char(c) => format!("`{c}`"),
            Tok::Eof => "end of input".into(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// A problem found by the lexer (or the parser), before it is turned into a
/// line/column diagnostic.
#[derive(Debug, Clone)]
pub(crate) struct RawDiag {
    pub severity: crate::Severity,
    pub span: Span,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Initial,
    V1,
    Bytestring,
    PropNodeName,
}

/// Reads included files. Behind a trait so the browser build never touches a file system.
pub trait SourceLoader {
    /// The bytes of the file at `path`, or why not.
    fn load(&self, path: &Path) -> std::io::Result<Vec<u8>>;
}

/// dtc refuses to nest includes deeper than this (the main file counts as one).
pub const MAX_INCLUDE_DEPTH: usize = 200;

fn is_propnode_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b",._+*#?@-".contains(&b)
}

fn is_label_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_label_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0b' | b'\x0c')
}

/// Preprocessor directives that mean the file needs `cpp` before dtc.
const CPP_DIRECTIVES: &[&str] =
    &["include", "define", "undef", "ifdef", "ifndef", "if", "elif", "else", "endif", "error", "warning", "pragma"];

pub(crate) const CPP_HINT: &str = "run the file through the C preprocessor first, e.g. \
     `cpp -nostdinc -undef -x assembler-with-cpp -I include FILE.dts`, then open its output";

pub(crate) struct Lexer<'a> {
    pub files: Vec<SourceFile>,
    /// (file index, byte position) of every open file; the last is being read.
    stack: Vec<(u32, usize)>,
    state: State,
    pub diags: Vec<RawDiag>,
    loader: Option<&'a dyn SourceLoader>,
    include_dirs: &'a [PathBuf],
}

/// A lexical problem that stops the parse.
pub(crate) type Fatal = RawDiag;

impl<'a> Lexer<'a> {
    pub fn new(main: SourceFile, loader: Option<&'a dyn SourceLoader>, include_dirs: &'a [PathBuf]) -> Lexer<'a> {
        Lexer { files: vec![main], stack: vec![(0, 0)], state: State::Initial, diags: Vec::new(), loader, include_dirs }
    }

    /// Starts reading as inside a property value (after `=`), for a value on its own.
    pub fn start_in_values(&mut self) {
        self.state = State::V1;
    }

    fn fatal(span: Span, message: impl Into<String>) -> Fatal {
        RawDiag { severity: crate::Severity::Error, span, message: message.into() }
    }

    /// Reads a file for `/include/` or `/incbin/`: the including file's directory first,
    /// then each include directory, as dtc searches. Returns the file's name and bytes.
    pub fn load_relative(&self, from_file: u32, name: &str, span: Span) -> Result<(PathBuf, Vec<u8>), Fatal> {
        let Some(loader) = self.loader else {
            return Err(Self::fatal(
                span,
                format!(
                    "cannot read \"{name}\": file includes are not available here (only the \
                     command-line tool reads them)"
                ),
            ));
        };
        let mut candidates = Vec::new();
        let p = Path::new(name);
        if p.is_absolute() {
            candidates.push(p.to_path_buf());
        } else {
            match self.files.get(from_file as usize).and_then(|f| f.dir.as_ref()) {
                Some(d) => candidates.push(d.join(p)),
                None => candidates.push(p.to_path_buf()),
            }
            for d in self.include_dirs {
                candidates.push(d.join(p));
            }
        }
        let mut last_err = None;
        for c in candidates {
            match loader.load(&c) {
                Ok(bytes) => return Ok((c, bytes)),
                Err(e) => last_err = Some(e),
            }
        }
        let why = last_err.map(|e| e.to_string()).unwrap_or_else(|| "not found".into());
        Err(Self::fatal(span, format!("cannot open \"{name}\": {why}")))
    }

    fn push_include(&mut self, name: &str, span: Span) -> Result<(), Fatal> {
        if self.stack.len() >= MAX_INCLUDE_DEPTH {
            return Err(Self::fatal(
                span,
                format!("includes nested too deeply (more than {MAX_INCLUDE_DEPTH} files open)"),
            ));
        }
        let (path, bytes) = self.load_relative(span.file, name, span)?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        };
        if self.files.len() >= u32::MAX as usize || text.len() >= u32::MAX as usize {
            return Err(Self::fatal(span, "too much input"));
        }
        let dir = path.parent().map(Path::to_path_buf);
        self.files.push(SourceFile { name: path.display().to_string(), text, dir });
        self.stack.push(((self.files.len() - 1) as u32, 0));
        Ok(())
    }

    /// The next token, or a fatal error (unterminated string or comment, preprocessor
    /// directive, include failure).
    pub fn next_token(&mut self) -> Result<Token, Fatal> {
        loop {
            let Some(&(fid, pos)) = self.stack.last() else {
                return Ok(Token { tok: Tok::Eof, span: Span::default() });
            };
            let file = &self.files[fid as usize];
            let text = file.text.as_bytes();
            let len = text.len();
            if pos >= len {
                if self.stack.len() > 1 {
                    self.stack.pop();
                    continue;
                }
                let span = Span { file: fid, start: len as u32, end: len as u32 };
                return Ok(Token { tok: Tok::Eof, span });
            }
            let rest = &text[pos..];
            let sp = |n: usize| Span { file: fid, start: pos as u32, end: (pos + n) as u32 };
            let c = rest[0];
            let at_line_start = pos == 0 || text[pos - 1] == b'\n';

            // Whitespace and comments.
            if is_ws(c) {
                let n = rest.iter().take_while(|&&b| is_ws(b)).count();
                self.advance(n);
                continue;
            }
            if rest.starts_with(b"/*") {
                match find(&rest[2..], b"*/") {
                    Some(i) => {
                        self.advance(i + 4);
                        continue;
                    }
                    None => return Err(Self::fatal(sp(2), "unterminated comment: `/*` without `*/`")),
                }
            }
            if rest.starts_with(b"//") {
                match rest.iter().position(|&b| b == b'\n') {
                    Some(i) => self.advance(i + 1),
                    None => {
                        self.diags.push(RawDiag {
                            severity: crate::Severity::Warning,
                            span: sp(2),
                            message: "a `//` comment on the last line needs a line break after it: dtc 1.6.1 \
                                      rejects the file without one"
                                .into(),
                        });
                        self.advance(rest.len());
                    }
                }
                continue;
            }

            // `#` at the start of a line: a cpp line marker (accepted, as dtc does), or a
            // preprocessor directive (refused with a hint).
            if c == b'#' {
                let line_start = text[..pos].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
                let indented_only = text[line_start..pos].iter().all(|&b| b == b' ' || b == b'\t');
                if at_line_start {
                    if let Some(n) = line_marker(rest) {
                        self.advance(n);
                        continue;
                    }
                }
                if indented_only {
                    if let Some(d) = cpp_directive(rest) {
                        return Err(Self::fatal(
                            sp(1 + d.len()),
                            format!("`#{d}` is a C preprocessor directive, which DTS itself does not have: {CPP_HINT}"),
                        ));
                    }
                }
            }

            // Keywords.
            if c == b'/' {
                if rest.starts_with(b"/include/") {
                    let mut i = 9;
                    while i < rest.len() && is_ws(rest[i]) {
                        i += 1;
                    }
                    if rest.get(i) == Some(&b'"') {
                        if let Some(n) = string_len(&rest[i..]) {
                            // The name is taken as written (dtc does not process escapes here).
                            let name = String::from_utf8_lossy(&rest[i + 1..i + n - 1]).into_owned();
                            let span = sp(i + n);
                            self.advance(i + n);
                            self.push_include(&name, span)?;
                            continue;
                        }
                    }
                    return Err(Self::fatal(sp(9), "`/include/` must be followed by a file name in double quotes"));
                }
                let keywords: &[(&[u8], Tok)] = &[
                    (b"/dts-v1/", Tok::V1),
                    (b"/plugin/", Tok::Plugin),
                    (b"/memreserve/", Tok::MemReserve),
                    (b"/bits/", Tok::Bits),
                    (b"/delete-property/", Tok::DelProp),
                    (b"/delete-node/", Tok::DelNode),
                    (b"/omit-if-no-ref/", Tok::OmitNoRef),
                    (b"/incbin/", Tok::Incbin),
                ];
                for (kw, tok) in keywords {
                    if rest.starts_with(kw) {
                        if *tok == Tok::Incbin && matches!(self.state, State::Bytestring | State::PropNodeName) {
                            break;
                        }
                        self.state = match tok {
                            Tok::V1 | Tok::MemReserve | Tok::Bits => State::V1,
                            Tok::DelProp | Tok::DelNode | Tok::OmitNoRef => State::PropNodeName,
                            _ => self.state,
                        };
                        let span = sp(kw.len());
                        self.advance(kw.len());
                        return Ok(Token { tok: tok.clone(), span });
                    }
                }
            }

            // Strings.
            if c == b'"' {
                let Some(n) = string_len(rest) else {
                    return Err(Self::fatal(
                        sp(1),
                        "unterminated string: no closing `\"` (a string cannot continue after a backslash at the \
                         end of a line)",
                    ));
                };
                let span = sp(n);
                let bytes = unescape(&mut self.diags, &rest[1..n - 1], b'"', span);
                self.advance(n);
                return Ok(Token { tok: Tok::Str(bytes), span });
            }

            // Labels: an identifier directly followed by `:` (wins over names and bytes).
            if is_label_start(c) {
                let n = rest.iter().take_while(|&&b| is_label_char(b)).count();
                if rest.get(n) == Some(&b':') {
                    let label = String::from_utf8_lossy(&rest[..n]).into_owned();
                    self.advance(n + 1);
                    return Ok(Token { tok: Tok::Label(label), span: sp(n + 1) });
                }
            }

            if self.state == State::V1 && c.is_ascii_digit() {
                let (tok, n) = literal(&mut self.diags, rest, pos, fid);
                self.advance(n);
                return Ok(tok);
            }

            if c == b'\'' {
                if let Some(n) = char_literal_len(rest) {
                    let span = sp(n);
                    // The closing quote is passed along: a trailing backslash escapes it, as in dtc.
                    let bytes = unescape(&mut self.diags, &rest[1..n - 1], b'\'', span);
                    let value = match bytes.len() {
                        0 => {
                            push_error(&mut self.diags, span, "empty character literal");
                            0
                        }
                        1 => u64::from(bytes[0]),
                        k => {
                            push_error(
                                &mut self.diags,
                                span,
                                format!("character literal has {k} characters instead of 1"),
                            );
                            u64::from(bytes[0])
                        }
                    };
                    self.advance(n);
                    return Ok(Token { tok: Tok::CharLit(value), span });
                }
                return Err(Self::fatal(sp(1), "unterminated character literal: no closing `'`"));
            }

            if c == b'&' {
                if rest.starts_with(b"&{/") {
                    let n = rest[2..].iter().take_while(|&&b| is_propnode_char(b) || b == b'/').count();
                    if rest.get(2 + n) == Some(&b'}') {
                        let path = String::from_utf8_lossy(&rest[2..2 + n]).into_owned();
                        self.advance(n + 3);
                        return Ok(Token { tok: Tok::PathRef(path), span: sp(n + 3) });
                    }
                }
                if rest.len() > 1 && is_label_start(rest[1]) {
                    let n = rest[1..].iter().take_while(|&&b| is_label_char(b)).count();
                    let label = String::from_utf8_lossy(&rest[1..1 + n]).into_owned();
                    self.advance(n + 1);
                    return Ok(Token { tok: Tok::LabelRef(label), span: sp(n + 1) });
                }
            }

            if self.state == State::Bytestring {
                if rest.len() >= 2 && c.is_ascii_hexdigit() && rest[1].is_ascii_hexdigit() {
                    let v = (hex_val(c) << 4) | hex_val(rest[1]);
                    self.advance(2);
                    return Ok(Token { tok: Tok::Byte(v), span: sp(2) });
                }
                if c == b']' {
                    self.state = State::V1;
                    self.advance(1);
                    return Ok(Token { tok: Tok::Char(']'), span: sp(1) });
                }
            }

            if self.state == State::PropNodeName {
                let skip = usize::from(c == b'\\');
                let n = rest[skip..].iter().take_while(|&&b| is_propnode_char(b)).count();
                if n > 0 {
                    let name = String::from_utf8_lossy(&rest[skip..skip + n]).into_owned();
                    self.state = State::V1;
                    self.advance(skip + n);
                    return Ok(Token { tok: Tok::Name(name), span: sp(skip + n) });
                }
            }

            let two: &[(&[u8], Tok)] = &[
                (b"<<", Tok::LShift),
                (b">>", Tok::RShift),
                (b"<=", Tok::Le),
                (b">=", Tok::Ge),
                (b"==", Tok::EqEq),
                (b"!=", Tok::Ne),
                (b"&&", Tok::AndAnd),
                (b"||", Tok::OrOr),
            ];
            for (op, tok) in two {
                if rest.starts_with(op) {
                    self.advance(2);
                    return Ok(Token { tok: tok.clone(), span: sp(2) });
                }
            }

            // Any other single character.
            let ch = file.text.get(pos..).and_then(|t| t.chars().next()).unwrap_or('\u{fffd}');
            let n = ch.len_utf8();
            match ch {
                '[' => self.state = State::Bytestring,
                '{' | ';' => self.state = State::PropNodeName,
                _ => {}
            }
            self.advance(n);
            return Ok(Token { tok: Tok::Char(ch), span: sp(n) });
        }
    }

    fn advance(&mut self, n: usize) {
        if let Some(top) = self.stack.last_mut() {
            top.1 += n;
        }
    }
}

/// An integer literal (V1 state): decimal, octal (leading 0) or hex, with an optional
/// `U`/`L`/`UL`/`LL`/`ULL` suffix, as C's `strtoull(.., 0)` reads it.
fn literal(diags: &mut Vec<RawDiag>, rest: &[u8], pos: usize, fid: u32) -> (Token, usize) {
    let hex = rest.len() > 2 && rest[0] == b'0' && matches!(rest[1], b'x' | b'X') && rest[2].is_ascii_hexdigit();
    let digits_end = if hex {
        2 + rest[2..].iter().take_while(|b| b.is_ascii_hexdigit()).count()
    } else {
        rest.iter().take_while(|b| b.is_ascii_digit()).count()
    };
    let suffix = [&b"ULL"[..], b"UL", b"LL", b"U", b"L"]
        .iter()
        .find(|s| rest[digits_end..].starts_with(s))
        .map_or(0, |s| s.len());
    let n = digits_end + suffix;
    let span = Span { file: fid, start: pos as u32, end: (pos + n) as u32 };
    let text = String::from_utf8_lossy(&rest[..n]).into_owned();
    let (radix, body) = if hex {
        (16, &rest[2..digits_end])
    } else if rest[0] == b'0' && digits_end > 1 {
        (8, &rest[1..digits_end])
    } else {
        (10, &rest[..digits_end])
    };
    let mut value: u64 = 0;
    let mut overflow = false;
    let mut bad = false;
    for &b in body {
        let d = u64::from(hex_val(b));
        if d >= radix {
            bad = true;
            break;
        }
        match value.checked_mul(radix).and_then(|v| v.checked_add(d)) {
            Some(v) => value = v,
            None => overflow = true,
        }
    }
    if bad {
        push_error(diags, span, format!("bad integer literal '{text}'"));
    } else if overflow {
        push_error(diags, span, format!("integer literal '{text}' out of range"));
        value = u64::MAX;
    }
    (Token { tok: Tok::Literal(value), span }, n)
}

/// dtc's escape processing for the inside of a string or character literal. `close` is
/// the closing quote, which a trailing backslash reads as its escaped character.
fn unescape(diags: &mut Vec<RawDiag>, body: &[u8], close: u8, span: Span) -> Vec<u8> {
    let at = |i: usize| -> u8 {
        if i < body.len() {
            body[i]
        } else if i == body.len() {
            close
        } else {
            0
        }
    };
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let c = body[i];
        i += 1;
        if c != b'\\' {
            out.push(c);
            continue;
        }
        let e = at(i);
        i += 1;
        let v = match e {
            b'a' => 0x07,
            b'b' => 0x08,
            b't' => b'\t',
            b'n' => b'\n',
            b'v' => 0x0b,
            b'f' => 0x0c,
            b'r' => b'\r',
            b'0'..=b'7' => {
                // Up to three octal digits; larger values wrap to a byte, as in C.
                let mut v: u32 = u32::from(e - b'0');
                let mut k = 1;
                while k < 3 && matches!(at(i), b'0'..=b'7') {
                    v = v * 8 + u32::from(at(i) - b'0');
                    i += 1;
                    k += 1;
                }
                (v & 0xff) as u8
            }
            b'x' => {
                let mut v: u32 = 0;
                let mut k = 0;
                while k < 2 && at(i).is_ascii_hexdigit() {
                    v = v * 16 + u32::from(hex_val(at(i)));
                    i += 1;
                    k += 1;
                }
                if k == 0 {
                    push_error(diags, span, "`\\x` used with no following hex digits");
                }
                v as u8
            }
            other => other,
        };
        out.push(v);
    }
    out
}

fn push_error(diags: &mut Vec<RawDiag>, span: Span, message: impl Into<String>) {
    diags.push(RawDiag { severity: crate::Severity::Error, span, message: message.into() });
}

fn hex_val(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        b'A'..=b'F' => b - b'A' + 10,
        _ => 255,
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Length of the string literal at the start of `s` (which begins with `"`), closing quote
/// included: `"([^\\"]|\\.)*"`, where `.` is anything but a line break.
fn string_len(s: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < s.len() {
        match s[i] {
            b'"' => return Some(i + 1),
            b'\\' => {
                if i + 1 >= s.len() || s[i + 1] == b'\n' {
                    return None;
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    None
}

/// Length of the longest match of dtc's character literal `'([^']|\\')*'` at the start of
/// `s`: a quote ends the literal unless a backslash precedes it, in which case the match
/// may also continue to a later quote (longest wins).
fn char_literal_len(s: &[u8]) -> Option<usize> {
    let mut best = None;
    let mut i = 1;
    while i < s.len() {
        if s[i] == b'\'' {
            best = Some(i + 1);
            if s[i - 1] != b'\\' || i == 1 {
                break;
            }
        }
        i += 1;
    }
    best
}

/// A cpp line marker at the start of `s`: `#` [`line`] blanks digits blanks "file" (blanks
/// digits)*. Returns its length.
fn line_marker(s: &[u8]) -> Option<usize> {
    let mut i = 1;
    if s[i..].starts_with(b"line") {
        i += 4;
    }
    let blanks = |i: usize| s[i..].iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    let digits = |i: usize| s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    let b = blanks(i);
    if b == 0 {
        return None;
    }
    i += b;
    let d = digits(i);
    if d == 0 {
        return None;
    }
    i += d;
    let b = blanks(i);
    if b == 0 || s.get(i + b) != Some(&b'"') {
        return None;
    }
    i += b;
    i += string_len(&s[i..])?;
    loop {
        let b = blanks(i);
        let d = if b > 0 { digits(i + b) } else { 0 };
        if d == 0 {
            return Some(i);
        }
        i += b + d;
    }
}

/// The directive name if `s` (starting at `#`) is a preprocessor directive line.
fn cpp_directive(s: &[u8]) -> Option<&'static str> {
    let mut i = 1;
    while i < s.len() && (s[i] == b' ' || s[i] == b'\t') {
        i += 1;
    }
    for d in CPP_DIRECTIVES {
        let db = d.as_bytes();
        if s[i..].starts_with(db) {
            let next = s.get(i + db.len()).copied();
            if matches!(next, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'<' | b'"' | b'(')) {
                return Some(d);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok> {
        let mut lx = Lexer::new(SourceFile { name: "t".into(), text: src.into(), dir: None }, None, &[]);
        let mut v = Vec::new();
        loop {
            let t = lx.next_token().unwrap().tok;
            if t == Tok::Eof {
                return v;
            }
            v.push(t);
        }
    }

    #[test]
    fn states_decide_names_and_numbers() {
        let t = toks("/dts-v1/; / { reg = <0x10 010 9ULL>; #size-cells; };");
        assert!(t.contains(&Tok::Name("reg".into())));
        assert!(t.contains(&Tok::Name("#size-cells".into())));
        assert!(t.contains(&Tok::Literal(16)));
        assert!(t.contains(&Tok::Literal(8)));
        assert!(t.contains(&Tok::Literal(9)));
    }

    #[test]
    fn bytestrings_labels_and_refs() {
        let t = toks("/dts-v1/; a = [0011 ab: 22] &foo &{/soc@0} &&");
        assert!(t.contains(&Tok::Byte(0x11)));
        assert!(t.contains(&Tok::Label("ab".into())));
        assert!(t.contains(&Tok::LabelRef("foo".into())));
        assert!(t.contains(&Tok::PathRef("/soc@0".into())));
        assert!(t.contains(&Tok::AndAnd));
    }

    #[test]
    fn escapes() {
        let t = toks(r#""a\tb\x41\101\05V\q""#);
        assert_eq!(t, vec![Tok::Str(b"a\tbAA\x05V\x71".to_vec())]);
        assert_eq!(toks(r"'\''"), vec![Tok::CharLit(b'\'' as u64)]);
        assert_eq!(toks(r"'\'"), vec![Tok::CharLit(b'\'' as u64)]);
    }

    #[test]
    fn char_literal_longest_match() {
        assert_eq!(char_literal_len(b"'a' 'b'"), Some(3));
        assert_eq!(char_literal_len(b"'\\'' x"), Some(4));
        assert_eq!(char_literal_len(b"'\\' 'x'"), Some(5));
        assert_eq!(char_literal_len(b"'abc"), None);
    }

    #[test]
    fn line_markers_and_directives() {
        assert_eq!(line_marker(b"# 1 \"a.dts\" 1 3\n"), Some(15));
        assert_eq!(line_marker(b"#line 12 \"a\"\n"), Some(12));
        assert_eq!(line_marker(b"#include <a.h>"), None);
        assert_eq!(cpp_directive(b"#include <a.h>"), Some("include"));
        assert_eq!(cpp_directive(b"#  define X 1"), Some("define"));
        assert_eq!(cpp_directive(b"#address-cells = <1>;"), None);
        assert_eq!(cpp_directive(b"#endif"), Some("endif"));
    }
}
