declare_rule! {
    /// An accessory without exactly one of `host`, `hosts`, `role`, `roles`, `tag`, `tags`.
    pub static ACCESSORY_HOST_SELECTOR = {
        code: "K020",
        name: "accessory-host-selector",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
