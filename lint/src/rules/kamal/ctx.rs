//! A Kamal context path (`servers/web/proxy`), as Kamal prints it before its messages: the
//! place of a K rule's diagnostic, which the rules' constructors put in front of Kamal's words.

/// A Kamal context path (`servers/web/proxy`), as Kamal prints it before its messages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ctx(String);

impl Ctx {
    pub fn root() -> Ctx {
        Ctx(String::new())
    }

    /// `with_context(key)`: blank keys (nil, "", whitespace) are left out, as Ruby's `present?`.
    pub fn join(&self, key: &str) -> Ctx {
        if key.trim().is_empty() {
            return self.clone();
        }
        if self.0.is_empty() {
            Ctx(key.to_string())
        } else {
            Ctx(format!("{}/{}", self.0, key))
        }
    }

    pub fn index(&self, i: usize) -> Ctx {
        self.join(&i.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Kamal's full message: `context: message`, or the message alone at the root.
    pub fn message(&self, message: &str) -> String {
        if self.0.is_empty() {
            message.to_string()
        } else {
            format!("{}: {}", self.0, message)
        }
    }

    /// The path for humans (`the root`, or `` `servers/web` ``).
    pub fn display(&self) -> String {
        if self.0.is_empty() {
            "the root".into()
        } else {
            format!("`{}`", self.0)
        }
    }
}
