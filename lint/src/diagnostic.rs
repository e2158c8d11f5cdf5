//! The diagnostic model shared by every rule and every sink (CLI renderers, LSP).

use crate::registry::Rule;
use crate::text::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Whether a fix can be applied without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applicability {
    Safe,
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the text of `span` with `content`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

/// A secondary location with its own note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// The destination of the load that found it (`None`: the base configuration alone, or a
    /// problem of a file itself).
    pub destination: Option<String>,
    /// Every destination whose load found it, when it was found only with destinations.
    pub destinations: Vec<String>,
    /// What Kamal 2.8.2 prints for this problem when it rejects the configuration: its exact
    /// message for configuration and argument errors, a short description for crashes.
    pub kamal_message: Option<String>,
    /// The code of an external tool's finding reported through `rule` (e.g. shellcheck's
    /// `SC2086` under the shellcheck rule): shown as the diagnostic's code.
    pub external_code: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            fix: None,
            destination: None,
            destinations: Vec::new(),
            kamal_message: None,
            external_code: None,
        }
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_kamal(mut self, message: impl Into<String>) -> Diagnostic {
        self.kamal_message = Some(message.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Diagnostic {
        self.fix = Some(fix);
        self
    }

    /// Adds a label in place (for diagnostics already pushed).
    pub fn label(&mut self, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// The code shown to users: the rule's, or the external tool's (`SC2086`).
    pub fn code(&self) -> &str {
        self.external_code.as_deref().unwrap_or(self.rule.code)
    }

    pub fn name(&self) -> &'static str {
        self.rule.name
    }

    /// Identity used to report a problem found by several loads once.
    pub fn identity(&self) -> (&str, Span, &str) {
        (self.code(), self.span, &self.message)
    }
}
