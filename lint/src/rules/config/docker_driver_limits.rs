use crate::diagnostic::Diagnostic;
use crate::rules::context::LoadContext;

declare_rule! {
    /// `builder.driver: docker` with a cache, a remote builder or several arches.
    ///
    /// ## What it does
    /// Reports the plain Docker build driver combined with settings it cannot do: `cache`,
    /// `remote`, or more than one `arch`.
    ///
    /// ## Why is this bad?
    /// The `docker` driver builds with the local Docker engine instead of a BuildKit builder
    /// that Kamal creates. With Docker's classic image store, buildx then refuses to export a
    /// build cache (`Cache export is not supported for the docker driver`) and to build for
    /// several platforms, and a remote builder cannot be used. Kamal has a check rejecting these
    /// combinations, but it is never called, so the configuration is accepted and the build
    /// fails later. (A Docker engine using the containerd image store can export caches and
    /// build several platforms with this driver.)
    ///
    /// ## Example
    /// ```yaml
    /// builder:
    ///   driver: docker
    ///   arch: [amd64, arm64]
    /// ```
    /// Use instead:
    /// ```yaml
    /// builder:
    ///   arch: [amd64, arm64]   # the default docker-container driver
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.7 (builder)
    /// - <https://docs.docker.com/build/builders/drivers/>
    pub static DOCKER_DRIVER_LIMITS = {
        code: "C010",
        name: "docker-driver-limits",
        category: Config,
        severity: Warning,
        fix: None,
    };
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    let Some(builder) = cx.config.get("builder").filter(|b| b.is_map()) else {
        return;
    };
    let Some(driver) = builder.get("driver") else {
        return;
    };
    if driver.as_str() != Some("docker") {
        return;
    }
    let mut reasons = Vec::new();
    if builder.get("cache").is_some_and(|c| !c.is_blank()) {
        reasons.push("a build cache");
    }
    if builder.get("remote").is_some_and(|r| !r.is_blank()) {
        reasons.push("a remote builder");
    }
    if builder
        .get("arch")
        .and_then(|a| a.seq())
        .is_some_and(|a| a.len() > 1)
    {
        reasons.push("several architectures");
    }
    if reasons.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            &DOCKER_DRIVER_LIMITS,
            driver.span,
            format!(
                "the `docker` build driver cannot use {}: the build fails (unless Docker uses the containerd image store)",
                join_and(&reasons)
            ),
        )
        .with_help("remove `driver: docker` (the default `docker-container` driver supports them)"),
    );
}
