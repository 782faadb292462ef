//! Advice: what the cluster would accept but will hurt later. Each check is one file with its
//! rule (severity `warning` or `info`, never `error`), the consequence explained, a fix, a
//! docs link and its own good and bad fixtures.

pub mod custom_resource;
pub mod duplicate_object;
pub mod image_latest_tag;
pub mod missing_requests;
