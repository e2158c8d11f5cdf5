//! Phase 2, loads: the configurations Kamal would load — the base file alone (as `kamal`
//! without `-d`) and the base merged with each destination file (as `kamal -d DEST`), each
//! knowing its destination.

use std::borrow::Cow;

use crate::model::deep_merge;
use crate::syntax::yaml::Node;

use super::sources::Sources;
use super::Settings;

/// One configuration as Kamal would load it.
pub(super) struct Load<'a> {
    /// `None`: the base configuration alone.
    pub destination: Option<&'a str>,
    /// The merged root hash.
    pub config: Cow<'a, Node>,
    /// ERB may add keys (in either file): checks that something is absent must not fire.
    pub dynamic: bool,
}

/// The loads to check. The base configuration alone is not a load with `-d`, nor with
/// `require_destination: true` when destinations exist (Kamal refuses it there).
pub(super) fn plan<'a>(sources: &'a Sources, settings: &Settings) -> Vec<Load<'a>> {
    let base = sources.base();
    let Some(base_root) = base.root() else {
        return Vec::new();
    };
    let require_destination =
        base_root.get("require_destination").and_then(Node::as_bool) == Some(true);
    let has_destinations = sources.configs.len() > 1 || !sources.unloaded.is_empty();
    let mut loads = Vec::new();
    if settings.destination.is_none() && !(require_destination && has_destinations) {
        loads.push(Load {
            destination: None,
            config: Cow::Borrowed(base_root),
            dynamic: base.yaml.has_dynamic_structure(),
        });
    }
    for overlay in sources.overlays() {
        let Some(root) = overlay.root() else { continue };
        loads.push(Load {
            destination: overlay.destination.as_deref(),
            config: Cow::Owned(deep_merge(base_root, root)),
            dynamic: base.yaml.has_dynamic_structure() || overlay.yaml.has_dynamic_structure(),
        });
    }
    loads
}
