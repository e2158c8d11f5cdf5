use crate::diagnostic::Diagnostic;
use crate::text::Span;

declare_rule! {
    /// A local registry with a remote builder that is not reached over SSH.
    ///
    /// ## What it does
    /// Reports `builder.remote` when the registry is local (`server: localhost:PORT`) and the
    /// remote is not an `ssh://` URL, a `tcp://` Docker endpoint for instance. Kamal raises only
    /// when it really uses the remote (`local: false`, or an `arch` other than the local Docker's);
    /// sextant cannot know the local machine's architecture and reports whenever a remote is set.
    ///
    /// ## Why is this bad?
    /// The remote builder pushes to the local registry through an SSH port forward, which needs an
    /// SSH connection to it. Kamal 2.8.2 stops with
    /// `Local registry with remote builder requires an SSH URL (e.g., ssh://user@host)`.
    ///
    /// ## Example
    /// ```yaml
    /// registry:
    ///   server: localhost:5555
    /// builder:
    ///   arch: amd64
    ///   remote: tcp://10.0.1.20:2376
    /// ```
    /// Use instead:
    /// ```yaml
    /// registry:
    ///   server: localhost:5555
    /// builder:
    ///   arch: amd64
    ///   remote: ssh://docker@10.0.1.20
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 validation, §3.5 (local registry and remote builder) and §4.1 (step 21)
    /// - [Kamal docs: builders](https://kamal-deploy.org/docs/configuration/builders/)
    /// - [`configuration.rb`](https://github.com/basecamp/kamal/blob/v2.8.2/lib/kamal/configuration.rb)
    /// - [basecamp/kamal#1679](https://github.com/basecamp/kamal/pull/1679): local registry support for remote builders
    pub static LOCAL_REGISTRY_REMOTE_BUILDER = {
        code: "K019",
        name: "local-registry-remote-builder",
        category: Kamal,
        severity: Error,
        fix: None,
    };
}

/// A non-SSH remote (at `span`) that only an arm64 machine would use (`arch: amd64`): a
/// warning, since Kamal accepts it from the usual amd64 machine.
pub(crate) fn from_arm64(span: Span) -> Diagnostic {
    let mut d = Diagnostic::new(
        &LOCAL_REGISTRY_REMOTE_BUILDER,
        span,
        "deploying from an arm64 machine (e.g. Apple Silicon) uses this remote builder, and a local registry needs it to be an `ssh://` URL",
    )
    .with_help("use `remote: ssh://user@host`; from an amd64 machine Kamal builds locally and does not complain");
    d.severity = crate::diagnostic::Severity::Warning;
    d
}

/// A non-SSH remote (at `span`) with a local registry (its `server` at `server`).
pub(crate) fn diagnostic(span: Span, server: Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(
        &LOCAL_REGISTRY_REMOTE_BUILDER,
        span,
        "a local registry is reached from a remote builder through an SSH tunnel: the remote must be an `ssh://` URL",
    )
    .with_kamal("Local registry with remote builder requires an SSH URL (e.g., ssh://user@host)")
    .with_help(
        "use `remote: ssh://user@host`; Kamal raises this whenever the remote builder is used \
         (`local: false`, or an arch other than your Docker's — sextant assumes an amd64 machine)",
    );
    match server {
        Some(s) => d.with_label(s, "local registry"),
        None => d,
    }
}
