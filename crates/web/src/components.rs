//! One component per file.

pub mod app;
pub mod autoscaling_panel;
pub mod cluster_panel;
pub mod code_editor;
pub mod events_panel;
pub mod header;
pub mod hpa_chart;
pub mod ingress_rules;
pub mod kubectl_bar;
pub mod lesson_card;
pub mod lesson_index;
pub mod notices;
pub mod playground;
pub mod problems;
pub mod qos_panel;
pub mod reach_table;
pub mod request_tester;
pub mod rollout_panel;
pub mod service_endpoints;
pub mod session_steps;
#[cfg(not(feature = "play"))]
pub mod stage_loading;
pub mod timeline_bar;
pub mod traffic_panel;
