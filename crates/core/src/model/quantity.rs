//! Kubernetes resource quantities (`100m`, `1.5Gi`, `1e3`, `128M` vs `128Mi`), parsed exactly
//! as apimachinery's `resource.ParseQuantity` does (`pkg/api/resource/quantity.go`): the same
//! accepted syntax, the same error messages, and values rounded up to the nano unit.

use std::cmp::Ordering;
use std::fmt;

/// The API server's message for text that is not a quantity (`ErrFormatWrong`).
pub const FORMAT_WRONG: &str =
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
/// `ErrSuffix`: the characters are allowed but do not form a suffix (`1GG`).
pub const SUFFIX_WRONG: &str = "unable to parse quantity's suffix";
/// `ErrNumeric`.
pub const NUMERIC_WRONG: &str = "unable to parse numeric part of quantity";

/// How a quantity was written: it decides how Kubernetes prints it back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `Ki`, `Mi`, `Gi`, ... (powers of 1024).
    BinarySI,
    /// `n`, `u`, `m`, ``, `k`, `M`, `G`, ... (powers of 1000).
    DecimalSI,
    /// `1e3`, `1E-3`.
    DecimalExponent,
}

/// An exact quantity, stored in nano-units (10⁻⁹), which is Kubernetes' finest precision.
#[derive(Clone, Copy, Debug)]
pub struct Quantity {
    nanos: i128,
    pub format: Format,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}

impl Eq for Quantity {}

impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}

/// Why a text is not a quantity; `message()` is the API server's wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityError {
    Format,
    Suffix,
    Numeric,
}

impl QuantityError {
    #[must_use]
    pub const fn message(self) -> &'static str {
        match self {
            Self::Format => FORMAT_WRONG,
            Self::Suffix => SUFFIX_WRONG,
            Self::Numeric => NUMERIC_WRONG,
        }
    }
}

impl fmt::Display for QuantityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

const NANO: i128 = 1_000_000_000;
/// `maxAllowed`: binary quantities are capped at 2⁶³−1 units.
const MAX_ALLOWED_NANOS: i128 = (i64::MAX as i128) * NANO;

impl Quantity {
    /// A quantity of whole units.
    #[must_use]
    pub const fn from_units(units: i64) -> Self {
        Self {
            nanos: units as i128 * NANO,
            format: Format::DecimalSI,
        }
    }

    /// A quantity of thousandths (`millicores`).
    #[must_use]
    pub const fn from_millis(millis: i64) -> Self {
        Self {
            nanos: millis as i128 * 1_000_000,
            format: Format::DecimalSI,
        }
    }

    #[must_use]
    pub const fn nanos(self) -> i128 {
        self.nanos
    }

    /// Value in thousandths, rounded up as `MilliValue` does.
    #[must_use]
    pub fn millis(self) -> i128 {
        div_ceil(self.nanos, 1_000_000)
    }

    /// Value in whole units, rounded up as `Value` does.
    #[must_use]
    pub fn units(self) -> i128 {
        div_ceil(self.nanos, NANO)
    }

    #[must_use]
    pub const fn is_zero(self) -> bool {
        self.nanos == 0
    }

    #[must_use]
    pub fn as_f64(self) -> f64 {
        self.nanos as f64 / NANO as f64
    }

    #[must_use]
    pub fn saturating_add(self, other: Self) -> Self {
        Self {
            nanos: self.nanos.saturating_add(other.nanos),
            format: self.format,
        }
    }

    /// The text the API server stores for a resource quantity: rounded up to thousandths
    /// (`SetDefaults_ResourceList` calls `RoundUp(-3)`), then `CanonicalizeBytes`
    /// (`pkg/api/resource/quantity.go`): decimal quantities with the largest SI suffix that
    /// keeps an integer (`0.5` → `500m`, `1000m` → `1`, `2000` → `2k`), binary ones with the
    /// largest power of 1024 (`1.5Gi` → `1536Mi`) unless below 1024 or fractional (then
    /// decimal), exponent ones as `e3`.
    #[must_use]
    pub fn canonical(self) -> String {
        let millis = div_ceil(self.nanos, 1_000_000);
        if millis == 0 {
            return "0".into();
        }
        let mut format = self.format;
        if format == Format::BinarySI && (millis.abs() < 1_024_000 || millis % 1000 != 0) {
            format = Format::DecimalSI;
        }
        if format == Format::BinarySI {
            let mut m = millis / 1000;
            let mut e = 0;
            while m % 1024 == 0 && e < 6 {
                m /= 1024;
                e += 1;
            }
            return format!("{m}{}", ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][e]);
        }
        let (mut m, mut e) = (millis, -3i32);
        while m % 10 == 0 {
            m /= 10;
            e += 1;
        }
        while e.rem_euclid(3) != 0 {
            m *= 10;
            e -= 1;
        }
        if format == Format::DecimalExponent {
            return if e == 0 {
                m.to_string()
            } else {
                format!("{m}e{e}")
            };
        }
        let suffix = match e {
            -3 => "m",
            0 => "",
            3 => "k",
            6 => "M",
            9 => "G",
            12 => "T",
            15 => "P",
            18 => "E",
            _ => return format!("{m}e{e}"),
        };
        format!("{m}{suffix}")
    }

    /// Parses `text` exactly as `resource.ParseQuantity` would.
    ///
    /// # Errors
    /// The API server's reason when the text is not a quantity.
    pub fn parse(text: &str) -> Result<Self, QuantityError> {
        if text.is_empty() {
            return Err(QuantityError::Format);
        }
        let parts = split(text)?;
        let (base, exponent, format) =
            interpret_suffix(parts.suffix).ok_or(QuantityError::Suffix)?;
        let digits = format!("{}{}", parts.num, parts.denom);
        let digits = digits.trim_start_matches('0');
        // Scale so the value is in nano-units: value = digits × base^exponent × 10^(9 − len(denom)).
        let mut scale10: i64 =
            9 - i64::try_from(parts.denom.len()).map_err(|_| QuantityError::Numeric)?;
        let mut pow2: u32 = 0;
        if base == 10 {
            scale10 += i64::from(exponent);
        } else {
            pow2 = u32::try_from(exponent).map_err(|_| QuantityError::Numeric)?;
        }
        let mut nanos = scaled(digits, scale10, pow2);
        if format == Format::BinarySI && nanos > MAX_ALLOWED_NANOS {
            nanos = MAX_ALLOWED_NANOS;
        }
        // ParseQuantity: BinarySI values below one unit are shown as DecimalSI.
        let format = if format == Format::BinarySI && nanos > 0 && nanos < NANO {
            Format::DecimalSI
        } else {
            format
        };
        Ok(Self {
            nanos: if parts.positive { nanos } else { -nanos },
            format,
        })
    }
}

/// digits × 2^pow2 × 10^scale10, rounded up (away from zero) to an integer, saturating.
fn scaled(digits: &str, scale10: i64, pow2: u32) -> i128 {
    const SATURATED: i128 = i128::MAX / 4;
    if digits.is_empty() {
        return 0;
    }
    // Digits beyond i128's reach: the value is astronomically large or the extra digits fall
    // below the nano unit; keep the leading 36 digits and adjust the scale.
    let (kept, dropped) = if digits.len() > 36 {
        (&digits[..36], digits.len() - 36)
    } else {
        (digits, 0)
    };
    let had_dropped_nonzero = digits[kept.len()..].bytes().any(|b| b != b'0');
    let Ok(mut v) = kept.parse::<i128>() else {
        return SATURATED;
    };
    let mut scale10 = scale10 + i64::try_from(dropped).unwrap_or(i64::MAX);
    if pow2 > 0 {
        match 1i128.checked_shl(pow2).and_then(|m| v.checked_mul(m)) {
            Some(x) => v = x,
            None => return SATURATED,
        }
    }
    let mut remainder = had_dropped_nonzero;
    while scale10 > 0 {
        match v.checked_mul(10) {
            Some(x) => v = x,
            None => return SATURATED,
        }
        scale10 -= 1;
    }
    while scale10 < 0 {
        if v == 0 {
            break;
        }
        remainder |= v % 10 != 0;
        v /= 10;
        scale10 += 1;
    }
    if remainder { v + 1 } else { v }
}

fn div_ceil(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b != 0 && (a > 0) == (b > 0) {
        q + 1
    } else {
        q
    }
}

struct Parts<'a> {
    positive: bool,
    num: &'a str,
    denom: &'a str,
    suffix: &'a str,
}

/// `parseQuantityString`: sign, digits, optional `.digits`, then a suffix of
/// `[eEinumkKMGTP]*[-+]?[0-9]*`.
fn split(s: &str) -> Result<Parts<'_>, QuantityError> {
    let b = s.as_bytes();
    let mut pos = 0;
    let mut positive = true;
    match b.first() {
        Some(b'-') => {
            positive = false;
            pos = 1;
        }
        Some(b'+') => pos = 1,
        _ => {}
    }
    let num_start = pos;
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    let num = &s[num_start..pos];
    let mut denom = "";
    if pos < b.len() && b[pos] == b'.' {
        pos += 1;
        let d = pos;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        denom = &s[d..pos];
    }
    // No digits at all (`Gi`, `-`) parses as zero upstream, although the documented regex
    // requires `[0-9.]+`; kubeplay follows the parser, not the regex.
    let suffix_start = pos;
    while pos < b.len() && b"eEinumkKMGTP".contains(&b[pos]) {
        pos += 1;
    }
    if pos < b.len() && matches!(b[pos], b'-' | b'+') {
        pos += 1;
    }
    while pos < b.len() && b[pos].is_ascii_digit() {
        pos += 1;
    }
    if pos != b.len() {
        return Err(QuantityError::Format);
    }
    Ok(Parts {
        positive,
        num,
        denom,
        suffix: &s[suffix_start..],
    })
}

/// `suffixHandler.interpret`: (base, exponent, format).
fn interpret_suffix(suffix: &str) -> Option<(u32, i32, Format)> {
    let dec = |e| Some((10, e, Format::DecimalSI));
    let bin = |e| Some((2, e, Format::BinarySI));
    match suffix {
        "" => dec(0),
        "n" => dec(-9),
        "u" => dec(-6),
        "m" => dec(-3),
        "k" => dec(3),
        "M" => dec(6),
        "G" => dec(9),
        "T" => dec(12),
        "P" => dec(15),
        "E" => dec(18),
        "Ki" => bin(10),
        "Mi" => bin(20),
        "Gi" => bin(30),
        "Ti" => bin(40),
        "Pi" => bin(50),
        "Ei" => bin(60),
        _ if suffix.len() > 1 && suffix.starts_with(['e', 'E']) => {
            let e: i64 = suffix[1..].parse().ok()?;
            let e = i32::try_from(e).ok()?;
            Some((10, e, Format::DecimalExponent))
        }
        _ => None,
    }
}

impl fmt::Display for Quantity {
    /// A readable rendering for messages (`0.128`, `1Gi`, `500m`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.nanos;
        if n == 0 {
            return f.write_str("0");
        }
        if self.format == Format::BinarySI {
            for (suffix, shift) in [
                ("Ei", 60),
                ("Pi", 50),
                ("Ti", 40),
                ("Gi", 30),
                ("Mi", 20),
                ("Ki", 10),
            ] {
                let unit = (1i128 << shift) * NANO;
                if n % unit == 0 {
                    return write!(f, "{}{suffix}", n / unit);
                }
            }
        }
        if n % NANO == 0 {
            return write!(f, "{}", n / NANO);
        }
        if n % 1_000_000 == 0 {
            return write!(f, "{}m", n / 1_000_000);
        }
        write!(f, "{}n", n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nanos(s: &str) -> i128 {
        Quantity::parse(s)
            .unwrap_or_else(|e| panic!("{s}: {e}"))
            .nanos()
    }

    // Expected values from apimachinery's TestQuantityParse (quantity_test.go), in nano-units.
    #[test]
    fn parses_like_apimachinery() {
        let table: &[(&str, i128)] = &[
            ("0", 0),
            ("0Mi", 0),
            ("1", NANO),
            ("1Ki", 1024 * NANO),
            ("7Mi", 7 * 1024 * 1024 * NANO),
            ("3Ei", 3 * (1i128 << 60) * NANO),
            ("5n", 5),
            ("4u", 4_000),
            ("3m", 3_000_000),
            ("50k", 50_000 * NANO),
            ("1E", 1_000_000_000_000_000_000 * NANO),
            ("1E-3", 1_000_000),
            ("1e3", 1_000 * NANO),
            ("100.035k", 100_035 * NANO),
            ("0.0005k", 500_000_000),
            ("0.5e-2", 5_000_000),
            ("1.3E+6", 1_300_000 * NANO),
            ("7.123456M", 7_123_456 * NANO),
            ("3.001n", 4),
            ("1.1E-9", 2),
            ("0.0000000001", 1),
            ("0.00000012345", 124),
            ("9Ei", MAX_ALLOWED_NANOS),
            ("9223372036854775807Ki", MAX_ALLOWED_NANOS),
            ("12E", 12_000_000_000_000_000_000 * NANO),
            ("100.035Ki", 102_435_840_000_000),
            ("0.5Mi", 524_288 * NANO),
            ("0.000000000001Ki", 2),
            (".001", 1_000_000),
            ("1.", NANO),
            ("1.G", NANO * NANO),
            ("-1", -NANO),
            ("+2", 2 * NANO),
        ];
        for &(input, want) in table {
            assert_eq!(nanos(input), want, "{input}");
        }
    }

    #[test]
    fn canonical_as_the_api_server_stores_it() {
        for (input, want) in [
            ("100m", "100m"),
            ("0.5", "500m"),
            ("1000m", "1"),
            ("1500m", "1500m"),
            ("1.5", "1500m"),
            ("2", "2"),
            ("2000", "2k"),
            ("100.5m", "101m"),
            ("128Mi", "128Mi"),
            ("1.5Gi", "1536Mi"),
            ("0.5Gi", "512Mi"),
            ("1Gi", "1Gi"),
            ("1024Mi", "1Gi"),
            ("100Ki", "100Ki"),
            ("0.5Ki", "512"),
            ("500M", "500M"),
            ("1e3", "1e3"),
            ("0", "0"),
        ] {
            assert_eq!(Quantity::parse(input).unwrap().canonical(), want, "{input}");
        }
    }

    #[test]
    fn rejects_with_the_api_servers_messages() {
        // The invalid list of apimachinery's TestQuantityParse, then what learners type.
        let upstream = [
            "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", " 1",
            "1 ",
        ];
        let learners = [
            "", "1 core", "512mb", "1.5GB", "1Gb", "cpu", "10%", "1e", "1.1.1",
        ];
        for bad in upstream.into_iter().chain(learners) {
            let err = Quantity::parse(bad).expect_err(bad);
            assert!(
                matches!(err, QuantityError::Format | QuantityError::Suffix),
                "{bad}: {err:?}"
            );
        }
        assert_eq!(Quantity::parse("1 core"), Err(QuantityError::Format));
        assert_eq!(Quantity::parse("1GG"), Err(QuantityError::Suffix));
        assert_eq!(Quantity::parse("1Mii"), Err(QuantityError::Suffix));
        // Upstream's parser accepts a bare suffix as zero.
        assert_eq!(Quantity::parse("Mi").map(Quantity::nanos), Ok(0));
    }

    #[test]
    fn compares_numerically() {
        let q = |s| Quantity::parse(s).unwrap();
        assert_eq!(q("0.5"), q("500m"));
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_ne!(q("1G"), q("1Gi"));
        assert!(q("128M") < q("128Mi"));
        // The classic mistake: 128m of memory is 0.128 bytes.
        assert_eq!(q("128m").millis(), 128);
        assert_eq!(q("128m").units(), 1);
    }

    #[test]
    fn displays_readably() {
        let q = |s| Quantity::parse(s).unwrap().to_string();
        assert_eq!(q("1Gi"), "1Gi");
        assert_eq!(q("1536Mi"), "1536Mi");
        assert_eq!(q("500m"), "500m");
        assert_eq!(q("2"), "2");
    }
}
