//! Admission of a new pod, in the API server's order: the ServiceAccount plugin
//! (`plugin/pkg/admission/serviceaccount/admission.go`: a pod runs as
//! `serviceAccountName`, `default` when empty, and is refused while that ServiceAccount does
//! not exist — `default` always does), then ResourceQuota (`quota`). The message is the
//! API server's: `pods "web-x2k9q" is forbidden: error looking up service account
//! default/reader: serviceaccount "reader" not found`.

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
}
