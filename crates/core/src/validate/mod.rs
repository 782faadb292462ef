//! What kubectl or the API server would refuse: each check is one file with its rule, the
//! wording a real cluster prints, and its own good and bad fixtures.

pub mod api;
pub mod container_names;
pub mod container_ports;
pub mod container_resources;
pub mod cronjob_schedule;
pub mod env_vars;
pub mod hpa_bounds;
mod identity;
pub mod ingress_rules;
pub mod invalid_name;
pub mod invalid_quantity;
pub mod job_spec;
pub mod label_syntax;
pub mod missing_api_version;
pub mod missing_kind;
pub mod missing_name;
pub mod names;
pub mod not_an_object;
pub mod pdb_spec;
pub mod probe_handlers;
pub mod removed_api_version;
pub mod replica_counts;
pub mod required_field;
pub mod restart_policy;
pub mod rolling_update_fenceposts;
pub mod secret_base64;
pub mod selector_mismatch;
pub mod service_spec;
pub mod unknown_field;
pub mod unknown_kind;
pub mod unsupported_value;
pub mod volume_mounts;
pub mod wrong_type;
