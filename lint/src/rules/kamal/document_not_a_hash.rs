declare_rule! {
    /// A config file that is empty, only comments, or not a hash (Kamal crashes).
    pub static DOCUMENT_NOT_A_HASH = {
        code: "K034",
        name: "document-not-a-hash",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
