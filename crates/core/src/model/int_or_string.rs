//! `IntOrString` as the Deployment controller resolves it: a number, or a percentage of a total
//! (`apimachinery/pkg/util/intstr` `GetScaledValueFromIntOrPercent`).

use crate::yaml::{Node, Resolved};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntOrPercent {
    Int(i64),
    Percent(i64),
}

impl IntOrPercent {
    /// Reads an int-or-string field; `None` when it is neither an integer nor `N%`.
    #[must_use]
    pub fn from_node(node: &Node) -> Option<Self> {
        match node.resolve()? {
            Resolved::Int(i) => Some(Self::Int(i)),
            Resolved::Str(s) => s.strip_suffix('%')?.parse().ok().map(Self::Percent),
            _ => None,
        }
    }

    /// The absolute value against `total`: percentages are `p × total / 100`, rounded up or
    /// down as asked (the product is computed in floating point upstream and is exact here).
    #[must_use]
    pub fn scaled(self, total: i64, round_up: bool) -> i64 {
        match self {
            Self::Int(i) => i,
            Self::Percent(p) => {
                let product = i128::from(p) * i128::from(total);
                let v = if round_up {
                    product.div_euclid(100) + i128::from(product.rem_euclid(100) != 0)
                } else {
                    product.div_euclid(100)
                };
                i64::try_from(v).unwrap_or(i64::MAX)
            }
        }
    }
}
