//! `sextant`: the command line. Parses arguments, calls the engine, renders the diagnostics.

mod check;
mod fix;
mod output;
mod rules;
mod write;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use output::OutputFormat;
use sextant_lint::{Severity, Version};

#[derive(Parser)]
#[command(
    name = "sextant",
    version,
    about = "Linter and language server for Kamal 2 deployments",
    long_about = "sextant checks Kamal 2 projects (config/deploy.yml and its destinations) the way \
                  Kamal 2.8.2 validates them, reporting every problem at once with its position, \
                  without Ruby and without executing anything from the project."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check Kamal projects and report problems.
    Check(CheckArgs),
    /// Print the Kamal config schema as a JSON Schema (draft 2020-12), for yaml-language-server.
    Schema {
        /// Kamal version the schema describes.
        #[arg(long, value_parser = parse_version, default_value = "2.8.2")]
        kamal_version: Version,
    },
    /// List every rule.
    Rules {
        /// `text` (a table) or `json`.
        #[arg(long, value_enum, default_value_t = rules::ListFormat::Text)]
        output_format: rules::ListFormat,
    },
    /// Explain one rule, by code (K001) or name (unknown-key).
    Rule { code: String },
    /// Run the language server on stdin/stdout (for editors).
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long, hide = true)]
        stdio: bool,
    },
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Project folders (holding config/deploy.yml, or folders to search for projects) or files
    /// of a project. Default: the current folder.
    pub paths: Vec<PathBuf>,
    /// Config file to check, as `kamal -c`: the project root is then the current folder.
    #[arg(short = 'c', long = "config-file", value_name = "FILE")]
    pub config_file: Option<PathBuf>,
    /// Check only this destination (as `kamal -d DEST`). Default: the base configuration and
    /// every destination found.
    #[arg(short = 'd', long = "destination", value_name = "DEST")]
    pub destination: Option<String>,
    /// How to print the diagnostics.
    #[arg(long, value_enum, default_value_t = OutputFormat::Full)]
    pub output_format: OutputFormat,
    /// Colour in human output (also honours NO_COLOR).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Kamal version to check against. Default: Gemfile.lock's kamal, else minimum_version,
    /// else 2.8.2.
    #[arg(long, value_parser = parse_version, value_name = "VERSION")]
    pub kamal_version: Option<Version>,
    /// Rules to run: codes, code prefixes or names, comma-separated (replaces the
    /// configuration's `select` and `ignore`).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,
    /// Rules not to run (added to the configuration's `ignore`).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// sextant configuration file to use instead of `.sextant.toml` at the project root.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Lowest severity that makes the exit status 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Apply safe fixes (files are rewritten atomically), then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// Also apply unsafe fixes (with --fix or --diff).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Show the fixes as a unified diff instead of writing them (exit status 1 when there are
    /// any).
    #[arg(long)]
    pub diff: bool,
    /// Write the output to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// Print the number of diagnostics per rule instead of the diagnostics.
    #[arg(long)]
    pub statistics: bool,
    /// Print diagnostics only: no summary line, no notes on standard error.
    #[arg(short, long)]
    pub quiet: bool,
    /// Do not run shellcheck on shell hooks (by default it runs when installed).
    #[arg(long)]
    pub no_shellcheck: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

fn parse_version(text: &str) -> Result<Version, String> {
    Version::parse_kamal(text)
}

/// A panic is a bug; its report names where it happened but not its message, which may quote
/// file text (and so a secret value). `SEXTANT_DEBUG=1` shows Rust's whole report.
fn quiet_panics() {
    if std::env::var_os("SEXTANT_DEBUG").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "sextant: internal error{at}. This is a bug in sextant: please report it (run with \
             SEXTANT_DEBUG=1 for details, and check them for secrets before sharing)."
        );
    }));
}

fn main() -> ExitCode {
    quiet_panics();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Schema { kamal_version } => {
            let schema = sextant_schema::json_schema(kamal_version);
            match serde_json::to_string_pretty(&schema) {
                Ok(text) => {
                    rules::emit(&format!("{text}\n"));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("sextant: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Rules { output_format } => {
            rules::list(output_format);
            ExitCode::SUCCESS
        }
        Command::Rule { code } => rules::page(&code),
        Command::Lsp { stdio: _ } => match sextant_lsp::run() {
            Ok(true) => ExitCode::SUCCESS,
            // `exit` without `shutdown`, or stdin closed
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                eprintln!("sextant lsp: {e}");
                ExitCode::from(2)
            }
        },
    }
}
