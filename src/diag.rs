//! Diagnostics: what the reader (and later the DTS parser) says about its input.
//!
//! Reading never fails: it returns what it could read plus a list of these.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found while reading, pinned to a byte offset of the input where there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Byte offset in the input blob.
    pub offset: Option<u32>,
    /// Path of the node the problem concerns, when it is known.
    pub path: Option<String>,
    /// A plain sentence with the actual values.
    pub message: String,
}

impl Diagnostic {
    pub fn new(severity: Severity, offset: Option<u32>, message: impl Into<String>) -> Self {
        Diagnostic { severity, offset, path: None, message: message.into() }
    }

    pub fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.severity.as_str())?;
        if let Some(o) = self.offset {
            write!(f, " at 0x{o:x}")?;
        }
        if let Some(p) = &self.path {
            write!(f, " ({p})")?;
        }
        write!(f, ": {}", self.message)
    }
}
