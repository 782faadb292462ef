//! What kubectl or the API server would refuse: each check is one file with its rule, the
//! wording a real cluster prints, and its own good and bad fixtures.

mod identity;
pub mod invalid_name;
pub mod missing_api_version;
pub mod missing_kind;
pub mod missing_name;
pub mod names;
pub mod not_an_object;
pub mod removed_api_version;
pub mod unknown_kind;
