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
    // advice: hygiene of the files themselves
    &advise::custom_resource::CHECK,
    &advise::duplicate_object::CHECK,
    // advice: resources, images, probes
    &advise::image_latest_tag::CHECK,
    &advise::missing_requests::CHECK,
    // advice: rollouts, shutdown, availability, links between objects
    // advice: configuration, security, labels and namespaces
];

/// Every rule, including those reported by the YAML parser itself.
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    [&yaml::SYNTAX, &yaml::DUPLICATE_KEY, &yaml::LIMIT]
        .into_iter()
        .chain(CHECKS.iter().map(|c| c.rule))
}
