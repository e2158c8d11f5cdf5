//! Accessories.

mod cmd_variable;
mod docker_socket_mount;
mod file_missing;
mod image_unpinned;
mod port_public;
mod port_sexagesimal;
mod tag_matches_nothing;
mod without_image;

pub use cmd_variable::CMD_VARIABLE;
pub use docker_socket_mount::DOCKER_SOCKET_MOUNT;
pub use file_missing::ACCESSORY_FILE_MISSING;
pub use image_unpinned::ACCESSORY_IMAGE_UNPINNED;
pub use port_public::ACCESSORY_PORT_PUBLIC;
pub use port_sexagesimal::ACCESSORY_PORT_SEXAGESIMAL;
pub use tag_matches_nothing::ACCESSORY_TAG_MATCHES_NOTHING;
pub use without_image::ACCESSORY_WITHOUT_IMAGE;

pub(crate) use cmd_variable::shell_variables;

use super::LoadRule;

pub(crate) static LOAD: &[LoadRule] = &[
    LoadRule(&ACCESSORY_PORT_PUBLIC, port_public::check),
    LoadRule(&ACCESSORY_IMAGE_UNPINNED, image_unpinned::check),
    LoadRule(&CMD_VARIABLE, cmd_variable::check),
    LoadRule(&DOCKER_SOCKET_MOUNT, docker_socket_mount::check),
    LoadRule(&ACCESSORY_FILE_MISSING, file_missing::check),
    LoadRule(&ACCESSORY_WITHOUT_IMAGE, without_image::check),
    LoadRule(&ACCESSORY_TAG_MATCHES_NOTHING, tag_matches_nothing::check),
    LoadRule(&ACCESSORY_PORT_SEXAGESIMAL, port_sexagesimal::check),
];
