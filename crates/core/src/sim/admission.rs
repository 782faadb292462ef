//! Admission of a new pod, in the API server's order: the ServiceAccount plugin
//! (`plugin/pkg/admission/serviceaccount/admission.go`: a pod runs as
//! `serviceAccountName`, `default` when empty, and is refused while that ServiceAccount does
//! not exist — `default` always does), then ResourceQuota (`quota`). The message is the
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
    /// Whether a pod `name` from `template` may be created in `namespace`; `Err` is the API
    /// server's refusal.
    pub(crate) fn admit_new_pod(
        &self,
        namespace: &str,
        name: &str,
        template: &PodTemplate,
    ) -> Result<(), String> {
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
        if self.objects.quotas.is_empty() {
            return Ok(());
        }
        self.admit_pod(namespace, name, template)
    }

    /// Admission of a pod a controller creates (`object`, e.g. `job/report`), reporting a
    /// refusal as the controller's FailedCreate event (`event` words it from the API
    /// server's error), once per distinct refusal. Whether the pod may be created.
    pub(crate) fn admit_controller_pod(
        &mut self,
        object: &str,
        namespace: &str,
        request_name: &str,
        template: &PodTemplate,
        event: impl FnOnce(&str) -> String,
    ) -> bool {
        match self.admit_new_pod(namespace, request_name, template) {
            Ok(()) => {
                self.objects.create_refusals.remove(object);
                true
            }
            Err(error) => {
                let message = event(&error);
                if self.objects.create_refusals.get(object) != Some(&message) {
                    self.objects
                        .create_refusals
                        .insert(object.to_owned(), message.clone());
                    self.event("Warning", "FailedCreate", object.to_owned(), message, None);
                }
                false
            }
        }
    }
}
