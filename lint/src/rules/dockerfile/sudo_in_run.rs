use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::text::Span;

use super::image;
use super::shell;

declare_rule! {
    /// `sudo` in a `RUN` instruction.
    ///
    /// ## What it does
    /// Reports `sudo` used as a command in `RUN` (in the shell form and in heredoc scripts).
    ///
    /// ## Why is this bad?
    /// Build steps run as root unless a `USER` says otherwise, so `sudo` is at best useless.
    /// After a `USER`, it needs a sudo binary and a sudoers entry in the image, which then
    /// lets anyone who gets code execution in a running container become root. It also
    /// behaves differently from the build's own environment handling (`sudo` resets the
    /// environment, so `ENV` values may not reach the command) and may prompt for a password,
    /// hanging the build. Switch users with `USER` instead.
    ///
    /// ## Example
    /// ```dockerfile
    /// USER rails
    /// RUN sudo apt-get install -y libvips
    /// ```
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get install --no-install-recommends -y libvips
    /// USER rails
    /// ```
    ///
    /// ## References
    /// - <https://docs.docker.com/build/building/best-practices/#user>
    /// - hadolint DL3004
    pub static SUDO_IN_RUN = {
        code: "F016",
        name: "sudo-in-run",
        category: Dockerfile,
        severity: Warning,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for source in cx.dockerfiles {
        for ins in &source.parsed.instructions {
            if ins.keyword != "RUN" {
                continue;
            }
            for (text, offset) in image::run_scripts(ins) {
                for c in shell::commands(&text) {
                    let Some(i) = c.command_index() else { continue };
                    let word = &c.words[i];
                    if word.text != "sudo" && !word.text.ends_with("/sudo") {
                        continue;
                    }
                    let range = image::script_range(ins, offset, word.range.clone());
                    out.push(
                        Diagnostic::new(
                            &SUDO_IN_RUN,
                            Span::new(source.file, range),
                            "`sudo` in a build step: `RUN` already runs as root unless a `USER` says otherwise",
                        )
                        .with_help("drop `sudo`; run the step before `USER`, or switch with `USER root` and back"),
                    );
                }
            }
        }
    }
}
