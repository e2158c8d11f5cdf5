declare_rule! {
    /// Kamal 1 `pre-traefik-reboot` / `post-traefik-reboot` hook files present.
    pub static TRAEFIK_HOOK_FILES = {
        code: "K031",
        name: "traefik-hook-files",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}
