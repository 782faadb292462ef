//! Name syntax from apimachinery `pkg/util/validation/validation.go`, with the API server's
//! exact messages (note the two spaces before `or` in the examples, as upstream prints them).

const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/// Which name rule a kind's `metadata.name` follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameRule {
    /// `NameIsDNSSubdomain`: most kinds (Pod, Deployment, ConfigMap, ...), up to 253.
    Subdomain,
    /// `NameIsDNSLabel`: Namespace, up to 63.
    Label,
    /// `NameIsDNS1035Label`: Service (must start with a letter), up to 63.
    Dns1035,
}

impl NameRule {
    /// The rule `metadata.name` of `kind` follows (`pkg/apis/core/validation/validation.go`:
    /// `ValidateServiceName` is DNS-1035, `ValidateNamespaceName` is a DNS-1123 label).
    #[must_use]
    pub fn for_kind(kind: &str) -> Self {
        match kind {
            "Service" => Self::Dns1035,
            // `ValidateStatefulSetName` is `NameIsDNSLabel` since pods named `<name>-<ordinal>`
            // must be labels (apps/validation; updates of older names are still allowed).
            "Namespace" | "StatefulSet" => Self::Label,
            _ => Self::Subdomain,
        }
    }

    /// The API server's messages for `name`, empty when it is valid.
    #[must_use]
    pub fn errors(self, name: &str) -> Vec<String> {
        match self {
            Self::Subdomain => dns1123_subdomain(name),
            Self::Label => dns1123_label(name),
            Self::Dns1035 => dns1035_label(name),
        }
    }
}

fn alnum(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn is_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && alnum(b[0])
        && alnum(b[b.len() - 1])
        && b.iter().all(|&c| alnum(c) || c == b'-')
}

/// `IsDNS1123Label`.
#[must_use]
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_owned());
    }
    if !is_label(s) {
        errs.push(DNS1123_LABEL_MSG.to_owned());
    }
    errs
}

/// `IsDNS1123Subdomain`.
#[must_use]
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push("must be no more than 253 characters".to_owned());
    }
    if !s.split('.').all(is_label) {
        errs.push(DNS1123_SUBDOMAIN_MSG.to_owned());
    }
    errs
}

/// `IsDNS1035Label`.
#[must_use]
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push("must be no more than 63 characters".to_owned());
    }
    if !(is_label(s) && s.as_bytes()[0].is_ascii_lowercase()) {
        errs.push(DNS1035_LABEL_MSG.to_owned());
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    // Cases from apimachinery's validation_test.go (TestIsDNS1123Label, TestIsDNS1123Subdomain,
    // TestIsDNS1035Label).
    #[test]
    fn labels() {
        for good in [
            "a",
            "ab",
            "abc",
            "a1",
            "a-1",
            "a--1--2--b",
            "0",
            "01",
            "1-0",
        ] {
            assert!(dns1123_label(good).is_empty(), "{good}");
        }
        for bad in [
            "",
            "A",
            "ABC",
            "aBc",
            "a_1",
            "a.1",
            "-1",
            "1-",
            &"a".repeat(64),
        ] {
            assert!(!dns1123_label(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn subdomains() {
        for good in ["a", "a.b", "a.b.c", "1.2.3", "a-1.b-2", "my-app.v1"] {
            assert!(dns1123_subdomain(good).is_empty(), "{good}");
        }
        for bad in [
            "",
            "A",
            "a..b",
            ".a",
            "a.",
            "a_b",
            "My_App",
            &"a".repeat(254),
        ] {
            assert!(!dns1123_subdomain(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn dns1035() {
        assert!(dns1035_label("web").is_empty());
        assert!(!dns1035_label("1web").is_empty());
        assert!(!dns1035_label("web.api").is_empty());
    }
}
