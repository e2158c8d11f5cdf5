//! Destinations: `config/deploy.DEST.yml` files and how Kamal merges them.

mod drops_array_items;
mod no_effect;
mod without_base;

pub use drops_array_items::OVERLAY_DROPS_ARRAY_ITEMS;
pub use no_effect::OVERLAY_NO_EFFECT;
pub(crate) use without_base::diagnostic as overlay_without_base;
pub use without_base::OVERLAY_WITHOUT_BASE;

use super::ProjectRule;

pub(crate) static PROJECT: &[ProjectRule] = &[
    ProjectRule(&OVERLAY_DROPS_ARRAY_ITEMS, drops_array_items::check),
    ProjectRule(&OVERLAY_NO_EFFECT, no_effect::check),
];
