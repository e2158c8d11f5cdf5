use crate::diagnostic::Diagnostic;
use crate::model::to_json;
use crate::rules::context::ProjectContext;

declare_rule! {
    /// A destination file that changes nothing.
    ///
    /// ## What it does
    /// Reports a `config/deploy.DEST.yml` that is an empty hash (`{}`) or only repeats values of
    /// the base file.
    ///
    /// ## Why is this bad?
    /// `kamal deploy -d DEST` then deploys the base configuration — usually to the same
    /// servers as without `-d`, under other container names and another lock, with secrets from
    /// `.kamal/secrets.DEST` instead of `.kamal/secrets`. Often the real settings were meant to
    /// be in this file, or the file is a leftover. The rule stays quiet when the base file
    /// mentions `KAMAL_DESTINATION` (its ERB may branch on the destination) or when a
    /// `.kamal/secrets.DEST` file gives the destination its own secrets.
    ///
    /// ## Example
    /// ```yaml
    /// # config/deploy.staging.yml
    /// {}
    /// ```
    /// Use instead: put the destination's own servers, hosts and env there, or remove the file.
    ///
    /// ## References
    /// - Kamal 2.8.2 destinations, §6
    pub static OVERLAY_NO_EFFECT = {
        code: "D002",
        name: "overlay-no-effect",
        category: Destinations,
        severity: Info,
        fix: None,
    };
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    let Some(base) = cx.base().and_then(|b| b.yaml.root.as_ref()) else {
        return;
    };
    for overlay in cx.overlays() {
        let (Some(root), Some(dest)) = (overlay.yaml.root.as_ref(), overlay.destination) else {
            continue;
        };
        let Some(entries) = root.map() else { continue };
        if overlay.yaml.has_dynamic_structure() {
            continue;
        }
        // the base file may branch on the destination, and the destination has its own secrets
        let base_text = cx.base().map_or("", |b| cx.files.get(b.file).text.as_str());
        let own_secrets = cx
            .secrets
            .iter()
            .any(|s| s.name == format!("secrets.{dest}"));
        if base_text.contains("KAMAL_DESTINATION") || own_secrets {
            continue;
        }
        let same = entries.iter().all(|e| {
            base.entry(&e.key.ruby_to_s())
                .is_some_and(|b| to_json(&b.value) == to_json(&e.value))
        });
        if !same {
            continue;
        }
        let what = if entries.is_empty() {
            "is empty"
        } else {
            "only repeats values of the base file"
        };
        out.push(
            Diagnostic::new(
                &OVERLAY_NO_EFFECT,
                root.span,
                format!("the `{dest}` destination file {what}: `-d {dest}` deploys the base configuration"),
            )
            .with_help("put this destination's own settings here, or remove the file"),
        );
    }
}
