//! Advice: what the cluster would accept but will hurt later. Each check is one file with its
//! rule (severity `warning` or `info`, never `error`), the consequence explained, a fix, a
//! docs link and its own good and bad fixtures.

pub mod configmap_env_needs_restart;
mod container_util;
pub mod cpu_limit_throttling;
pub mod cpu_too_large;
pub mod custom_resource;
pub mod dangerous_capabilities;
pub mod duplicate_object;
pub mod host_namespaces;
pub mod host_port;
pub mod image_digest_not_pinned;
pub mod image_latest_tag;
pub mod image_name_typo;
pub mod image_pull_policy_always_pinned;
pub mod image_pull_policy_never;
pub mod init_container_no_limits;
pub mod labels_missing;
pub mod limits_far_above_requests;
mod links;
pub mod max_unavailable_all;
pub mod max_unavailable_rounds_to_zero;
pub mod memory_limit_missing;
pub mod memory_milli_unit;
pub mod memory_too_small;
pub mod missing_requests;
pub mod namespace_missing;
pub mod privilege_escalation_allowed;
pub mod privileged_container;
pub mod recreate_downtime;
pub mod revision_history_zero;
pub mod run_as_non_root_unset;
pub mod runs_as_root;
pub mod secret_data_and_string_data;
pub mod secret_in_configmap;
pub mod secret_in_env_value;
mod security_context;
pub mod single_replica;
pub mod writable_root_filesystem;
