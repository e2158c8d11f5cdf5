declare_rule! {
    /// The destination file for `-d DEST` does not exist.
    pub static CONFIG_FILE_NOT_FOUND = {
        code: "K032",
        name: "config-file-not-found",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
