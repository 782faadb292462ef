//! Admission of a new pod, in the API server's order: the ServiceAccount plugin
//! (`plugin/pkg/admission/serviceaccount/admission.go`: a pod runs as
//! `serviceAccountName`, `default` when empty, and is refused while that ServiceAccount does
//! not exist — `default` always does), Priority (`plugin/pkg/admission/priority`: the
//! pod's `priority` is its `priorityClassName`'s value — the built-in `system-node-critical`
//! and `system-cluster-critical` or a PriorityClass the manifest applies — or, without one,
//! the `globalDefault` class's (the lowest if several), else 0; a class that does not exist
//! refuses the pod), then ResourceQuota (`quota`). The message is the
//! API server's: `pods "web-7d4b9c-" is forbidden: error looking up service account
//! default/reader: serviceaccount "reader" not found`. A controller that names its pods by
//! `generateName` (ReplicaSet, Job, DaemonSet) is refused before the name is generated, so
//! the message names the prefix; a StatefulSet names the pod itself.
//!
//! A refused controller records `FailedCreate` once per distinct refusal, worded as its
//! controller does: `Error creating: <err>` (`RealPodControl` in
//! `pkg/controller/controller_utils.go`) or, for a StatefulSet, `create Pod db-0 in
//! StatefulSet db failed error: <err>` (`stateful_pod_control.go`).

use super::engine::Sim;
use super::spec::PodTemplate;

impl Sim {
    /// `system-node-critical` and `system-cluster-critical` (`SystemPriorityClasses`).
    const SYSTEM_PRIORITY_CLASSES: [(&'static str, i64); 2] = [
        ("system-node-critical", 2_000_001_000),
        ("system-cluster-critical", 2_000_000_000),
    ];

    /// The priority the Priority admission plugin gives a pod from `template`; `Err` when
    /// it names a PriorityClass that does not exist.
    pub(crate) fn pod_priority(&self, template: &PodTemplate) -> Result<i64, String> {
        let classes = &self.objects.priority_classes;
        match &template.priority_class {
            Some(name) => Self::SYSTEM_PRIORITY_CLASSES
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| *v)
                .or_else(|| classes.get(name).map(|(v, _)| *v))
                .ok_or_else(|| format!("no PriorityClass with name {name} was found")),
            None => Ok(classes
                .values()
                .filter(|(_, global)| *global)
                .map(|(v, _)| *v)
                .min()
                .unwrap_or(0)),
        }
    }

    /// Whether a pod `name` from `template` may be created in `namespace`, with the
    /// priority admission gives it; `Err` is the API server's refusal.
    pub(crate) fn admit_new_pod(
        &self,
        namespace: &str,
        name: &str,
        template: &PodTemplate,
    ) -> Result<i64, String> {
        let sa = &template.service_account;
        if sa != "default"
            && !self
                .objects
                .service_accounts
                .contains(&(namespace.to_owned(), sa.clone()))
        {
            return Err(format!(
                "pods \"{name}\" is forbidden: error looking up service account {namespace}/{sa}: serviceaccount \"{sa}\" not found"
            ));
        }
        let priority = self
            .pod_priority(template)
            .map_err(|e| format!("pods \"{name}\" is forbidden: {e}"))?;
        if !self.objects.quotas.is_empty() {
            self.admit_pod(namespace, name, template)?;
        }
        Ok(priority)
    }

    /// Admission of a pod a controller creates (`object`, e.g. `job/report`), reporting a
    /// refusal as the controller's FailedCreate event (`event` words it from the API
    /// server's error), once per distinct refusal. The pod's priority if it may be created.
    pub(crate) fn admit_controller_pod(
        &mut self,
        object: &str,
        namespace: &str,
        request_name: &str,
        template: &PodTemplate,
        event: impl FnOnce(&str) -> String,
    ) -> Option<i64> {
        match self.admit_new_pod(namespace, request_name, template) {
            Ok(priority) => {
                self.objects.create_refusals.remove(object);
                Some(priority)
            }
            Err(error) => {
                let message = event(&error);
                if self.objects.create_refusals.get(object) != Some(&message) {
                    self.objects
                        .create_refusals
                        .insert(object.to_owned(), message.clone());
                    self.event("Warning", "FailedCreate", object.to_owned(), message, None);
                }
                None
            }
        }
    }
}
