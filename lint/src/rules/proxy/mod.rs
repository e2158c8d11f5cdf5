//! kamal-proxy and networking.

mod asset_path_without_proxy;
mod host_comma_list;
mod remote_shell_expansion;
mod role_custom_network;
mod role_publishes_ports;
mod ssl_options_ignored;

pub use asset_path_without_proxy::ASSET_PATH_WITHOUT_PROXY;
pub use host_comma_list::PROXY_HOST_COMMA_LIST;
pub use remote_shell_expansion::REMOTE_SHELL_EXPANSION;
pub use role_custom_network::ROLE_CUSTOM_NETWORK;
pub use role_publishes_ports::ROLE_PUBLISHES_PORTS;
pub use ssl_options_ignored::SSL_OPTIONS_IGNORED;

use super::LoadRule;

pub(crate) static LOAD: &[LoadRule] = &[
    LoadRule(&PROXY_HOST_COMMA_LIST, host_comma_list::check),
    LoadRule(&ROLE_CUSTOM_NETWORK, role_custom_network::check),
    LoadRule(&ROLE_PUBLISHES_PORTS, role_publishes_ports::check),
    LoadRule(&REMOTE_SHELL_EXPANSION, remote_shell_expansion::check),
    LoadRule(&SSL_OPTIONS_IGNORED, ssl_options_ignored::check),
    LoadRule(&ASSET_PATH_WITHOUT_PROXY, asset_path_without_proxy::check),
];
