//! Command-line arguments (clap derive).

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const LONG_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (Kubernetes ", "1.36", ")");

const EXAMPLES: &str = "\
Examples:
  kubeplay check deploy.yaml service.yaml      check two files
  kubeplay check k8s/                          every *.yaml and *.yml under k8s/, recursively
  kubectl kustomize . | kubeplay check -       read the manifests from standard input
  kubeplay check k8s/ --format sarif > kubeplay.sarif
                                               SARIF 2.1.0 for GitHub code scanning
  kubeplay rules                               list every check
  kubeplay explain deploy.spec.strategy        field docs, like kubectl explain
  kubeplay simulate scenario.yaml              what a cluster would do, second by second

Exit status: 0 no errors, 1 at least one error, 2 usage error or unreadable input.
Documentation: docs/cli.md";

#[derive(Debug, Parser)]
#[command(
    name = "kubeplay",
    version,
    long_version = LONG_VERSION,
    about = "Check Kubernetes manifests the way the API server and kubectl would, and explain why.",
    after_help = EXAMPLES,
    arg_required_else_help = true,
    propagate_version = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check manifests: files, directories (recursively, *.yaml and *.yml) or `-` for stdin.
    #[command(after_help = "\
Examples:
  kubeplay check deploy.yaml
  kubeplay check k8s/ --format json
  helm template ./chart | kubeplay check -

Exit status: 0 no errors, 1 at least one error, 2 usage error or unreadable input.")]
    Check(CheckArgs),
    /// List every rule kubeplay reports, with its code, severity and source.
    Rules(RulesArgs),
    /// Document a kind or one of its fields from the schema, like `kubectl explain`.
    #[command(after_help = "\
Examples:
  kubeplay explain pod
  kubeplay explain deploy.spec.strategy
  kubeplay explain svc.spec.ports.targetPort

RESOURCE is a kind, its plural or its short name, in any case (deployment, Deployment,
deployments, deploy). Exit status: 0, or 2 when the resource or a field does not exist.")]
    Explain(ExplainArgs),
    /// Run a scenario through the cluster simulator and print its timeline.
    #[command(after_help = "\
Examples:
  kubeplay simulate tests/scenarios/rollout.yaml
  kubeplay simulate scenario.yaml --format json | jq '.requests'

The scenario format is documented in docs/scenarios.md. Exit status: 0, or 2 when the
scenario (or a file it applies) cannot be read or is invalid.")]
    Simulate(SimulateArgs),
    /// List the lessons, or check them (`kubeplay lessons check [DIR]`).
    #[command(after_help = "\
Examples:
  kubeplay lessons                    the compiled-in lessons and their steps
  kubeplay lessons --format json
  kubeplay lessons check              every solution meets its goals, every starter fails one
  kubeplay lessons check lessons/     the same for lesson folders on disk

Exit status of check: 0 all fine, 1 a solution fails or a starter passes, 2 a lesson does not parse.")]
    Lessons(LessonsArgs),
}

#[derive(Debug, Args)]
pub struct LessonsArgs {
    #[command(subcommand)]
    pub action: Option<LessonsAction>,
    /// Output format of the list.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Subcommand)]
pub enum LessonsAction {
    /// Prove every step's solution meets every goal and every starter fails at least one.
    Check {
        /// A folder of lesson folders, or one lesson folder (default: the compiled-in lessons).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The scenario file (YAML; see docs/scenarios.md).
    #[arg(value_name = "SCENARIO")]
    pub scenario: PathBuf,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// RESOURCE[.field.path], e.g. `deployment.spec.template.spec.containers`.
    #[arg(value_name = "RESOURCE")]
    pub resource: String,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories or `-` (standard input).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// When to colour text output (auto: when stdout is a terminal and NO_COLOR is unset).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Do not report this check (repeatable, or comma-separated): `--ignore image-latest-tag`.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub ignore: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Compiler-style text with source snippets.
    Text,
    /// One JSON document (see docs/cli.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table.
    Text,
    /// A JSON array.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl ColorWhen {
    /// Whether text output is coloured: `auto` follows <https://no-color.org> and the terminal.
    pub fn enabled(self) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
                !no_color && !dumb && std::io::stdout().is_terminal()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn long_version_names_the_core_kubernetes_version() {
        assert!(LONG_VERSION.contains(kubeplay_core::KUBERNETES_VERSION));
    }
}
