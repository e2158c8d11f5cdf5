//! The editor clients against the real server: Neovim headless (the plugin opens
//! `examples/config/deploy.yml` and the expected diagnostics must arrive), and the VS Code
//! extension's CI (type-check, unit tests, `vsce package`). `.ci/run` installs what they need;
//! elsewhere a missing tool skips with a printed reason, except under `CI=true` where it fails.

mod common;

use std::path::Path;
use std::process::Command;

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether to run a test that needs `tool` (see `common::tool_or_skip`).
fn need(tool: &str, what: &str) -> bool {
    common::tool_or_skip(have(tool), what, &format!("`{tool}` is not installed"))
}

fn run(script: &Path, envs: &[(&str, String)]) {
    let out = Command::new("bash")
        .arg(script)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .expect("run the editor test script");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{} failed:\n{stdout}\n{stderr}",
        script.display()
    );
    for line in stdout
        .lines()
        .filter(|l| l.starts_with("passed") || l.contains("Neovim"))
    {
        common::report(line);
    }
}

#[test]
fn neovim_plugin_receives_the_example_diagnostics() {
    if !need("nvim", "the Neovim plugin test") {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cmd = format!("{} lsp", common::sextant().display());
    run(
        &repo.join("editors/nvim/test/run.sh"),
        &[("SEXTANT_CMD", cmd), ("SEXTANT_TEST_API", "all".into())],
    );
}

#[test]
fn vscode_extension_type_checks_tests_and_packages() {
    if !need("npm", "the VS Code extension build") {
        return;
    }
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    run(&repo.join("editors/vscode/ci.sh"), &[]);
    let vsix = repo.join("editors/vscode/sextant.vsix");
    let size = std::fs::metadata(&vsix).expect("the .vsix was built").len();
    common::report(&format!("editors/vscode/sextant.vsix: {size} bytes"));
}
