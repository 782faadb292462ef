//! Every check kubeplay runs, in order. Adding a check: write one file under `validate/`
//! or `advise/` with its `RULE`, `CHECK` and fixtures, then add one line here.

use crate::check::Check;
use crate::rule::Rule;
use crate::{advise, validate, yaml};

/// The checks run by `analyze`, in order.
pub static CHECKS: &[&Check] = &[
    &validate::not_an_object::CHECK,
    &validate::missing_api_version::CHECK,
    &validate::missing_kind::CHECK,
    &validate::removed_api_version::CHECK,
    &validate::unknown_kind::CHECK,
    &validate::missing_name::CHECK,
    &validate::invalid_name::CHECK,
    &validate::unknown_field::CHECK,
    &validate::wrong_type::CHECK,
    &validate::required_field::CHECK,
    &validate::unsupported_value::CHECK,
    &validate::invalid_quantity::CHECK,
    &validate::secret_base64::CHECK,
    // api server rules
    &validate::selector_mismatch::CHECK,
    &validate::label_syntax::CHECK,
    &validate::rolling_update_fenceposts::CHECK,
    &validate::replica_counts::CHECK,
    &validate::restart_policy::CHECK,
    &validate::container_names::CHECK,
    &validate::container_ports::CHECK,
    &validate::probe_handlers::CHECK,
    &validate::container_resources::CHECK,
    &validate::env_vars::CHECK,
    &validate::volume_mounts::CHECK,
    &validate::service_spec::CHECK,
    &validate::ingress_rules::CHECK,
    &validate::cronjob_schedule::CHECK,
    &validate::job_spec::CHECK,
    &validate::hpa_bounds::CHECK,
    &validate::pdb_spec::CHECK,
    // advice: hygiene of the files themselves
    &advise::custom_resource::CHECK,
    &advise::duplicate_object::CHECK,
    // advice: resources, images, probes
    &advise::image_latest_tag::CHECK,
    &advise::missing_requests::CHECK,
    &advise::memory_limit_missing::CHECK,
    &advise::limits_far_above_requests::CHECK,
    &advise::cpu_limit_throttling::CHECK,
    &advise::memory_milli_unit::CHECK,
    &advise::memory_too_small::CHECK,
    &advise::cpu_too_large::CHECK,
    &advise::image_digest_not_pinned::CHECK,
    &advise::image_pull_policy_never::CHECK,
    &advise::image_pull_policy_always_pinned::CHECK,
    &advise::image_name_typo::CHECK,
    &advise::init_container_no_limits::CHECK,
    &advise::readiness_probe_missing::CHECK,
    &advise::liveness_probe_missing::CHECK,
    &advise::liveness_without_readiness::CHECK,
    &advise::liveness_equals_readiness::CHECK,
    &advise::liveness_checks_dependencies::CHECK,
    &advise::liveness_kills_before_start::CHECK,
    &advise::probe_port_not_declared::CHECK,
    &advise::probe_timeout_exceeds_period::CHECK,
    &advise::startup_probe_too_short::CHECK,
    // advice: rollouts, shutdown, availability, links between objects
    &advise::max_unavailable_all::CHECK,
    &advise::max_unavailable_rounds_to_zero::CHECK,
    &advise::single_replica::CHECK,
    &advise::recreate_downtime::CHECK,
    &advise::revision_history_zero::CHECK,
    &advise::grace_shorter_than_prestop::CHECK,
    &advise::prestop_missing_behind_service::CHECK,
    &advise::pdb_missing::CHECK,
    &advise::pdb_blocks_drain::CHECK,
    &advise::hpa_min_equals_max::CHECK,
    &advise::hpa_fights_replicas::CHECK,
    &advise::hpa_target_missing::CHECK,
    &advise::hpa_missing_requests::CHECK,
    &advise::missing_configmap::CHECK,
    &advise::missing_secret::CHECK,
    &advise::missing_config_key::CHECK,
    &advise::service_selects_nothing::CHECK,
    &advise::service_target_port_mismatch::CHECK,
    &advise::ingress_backend_missing::CHECK,
    &advise::network_policy_selects_nothing::CHECK,
    &advise::quota_requires_requests::CHECK,
    &advise::pvc_unknown_storage_class::CHECK,
    // advice: configuration, security, labels and namespaces
    &advise::secret_in_env_value::CHECK,
    &advise::secret_in_configmap::CHECK,
    &advise::secret_data_and_string_data::CHECK,
    &advise::configmap_env_needs_restart::CHECK,
    &advise::privileged_container::CHECK,
    &advise::host_namespaces::CHECK,
    &advise::dangerous_capabilities::CHECK,
    &advise::runs_as_root::CHECK,
    &advise::run_as_non_root_unset::CHECK,
    &advise::privilege_escalation_allowed::CHECK,
    &advise::writable_root_filesystem::CHECK,
    &advise::host_port::CHECK,
    &advise::namespace_missing::CHECK,
    &advise::labels_missing::CHECK,
];

/// Every rule, including those reported by the YAML parser itself.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    [&yaml::SYNTAX, &yaml::DUPLICATE_KEY, &yaml::LIMIT]
        .into_iter()
        .chain(CHECKS.iter().map(|c| c.rule))
}
