//! YAML 1.1 scalar typing as Ruby's Psych does it (`Psych::ScalarScanner#tokenize`), so that
//! `yes` is a boolean, `0755` is 493, `22:22` is a sexagesimal integer and `2.10` the float 2.1,
//! exactly as Kamal sees them.

/// A scalar's Ruby value after Psych's typing.
#[derive(Clone, Debug, PartialEq)]
pub enum Typed {
    Null,
    Bool(bool),
    /// An Integer; `None` when it does not fit (Ruby would make a Bignum).
    Int(Option<i128>),
    Float(f64),
    Str,
    /// `:name`, a Ruby Symbol (string-like for Kamal).
    Symbol(String),
    /// `2024-01-01`
    Date,
    /// `2024-01-01 10:00:00`
    Time,
}

/// Types a plain (unquoted, untagged) scalar.
pub fn type_plain(s: &str) -> Typed {
    if s.is_empty() {
        return Typed::Null;
    }
    if looks_like_word(s) || s.contains('\n') {
        if s.chars().count() > 5 {
            return Typed::Str;
        }
        let first = s.chars().next().unwrap_or(' ').to_ascii_lowercase();
        if !matches!(first, 'y' | 't' | 'o' | 'n' | 'f' | '~') {
            return Typed::Str;
        }
        let lower = s.to_ascii_lowercase();
        return match lower.as_str() {
            "~" | "null" => Typed::Null,
            "yes" | "true" | "on" => Typed::Bool(true),
            "no" | "false" | "off" => Typed::Bool(false),
            _ => Typed::Str,
        };
    }
    if is_time(s) {
        return Typed::Time;
    }
    if is_date(s) {
        return Typed::Date;
    }
    let lower = s.to_ascii_lowercase();
    if lower == ".inf" || lower == "+.inf" {
        return Typed::Float(f64::INFINITY);
    }
    if lower == "-.inf" {
        return Typed::Float(f64::NEG_INFINITY);
    }
    if lower == ".nan" {
        return Typed::Float(f64::NAN);
    }
    if s.len() >= 2 && s.starts_with(':') {
        let rest = &s[1..];
        let name = quoted_symbol(rest).unwrap_or(rest);
        return Typed::Symbol(name.trim_start_matches(':').to_string());
    }
    if let Some(n) = sexagesimal_int(s) {
        return Typed::Int(n);
    }
    if let Some(f) = sexagesimal_float(s) {
        return Typed::Float(f);
    }
    if is_float(s) {
        if s == "." || s == "+." || s == "-." {
            return Typed::Str;
        }
        let cleaned: String = s.chars().filter(|c| *c != ',' && *c != '_').collect();
        // Ruby: `gsub(/\.([Ee]|$)/, '\1')` then Float()
        let cleaned = cleaned.replace(".e", "e").replace(".E", "E");
        let cleaned = cleaned.strip_suffix('.').unwrap_or(&cleaned).to_string();
        let cleaned =
            if cleaned.starts_with('.') || cleaned.starts_with("-.") || cleaned.starts_with("+.") {
                cleaned.replacen('.', "0.", 1)
            } else {
                cleaned
            };
        return match cleaned.parse::<f64>() {
            Ok(f) => Typed::Float(f),
            Err(_) => Typed::Str,
        };
    }
    if let Some(n) = legacy_integer(s) {
        return Typed::Int(n);
    }
    Typed::Str
}

/// `%r{^[^\d.:-]?[[:alpha:]_\s!@#$%\^&*(){}<>|/\\~;=]+}`: a word-like string (anchored at
/// the start only).
fn looks_like_word(s: &str) -> bool {
    let in_class = |c: char| {
        c.is_alphabetic() || c == '_' || c.is_whitespace() || "!@#$%^&*(){}<>|/\\~;=".contains(c)
    };
    let mut chars = s.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if in_class(first) {
        return true;
    }
    // the optional leading char: anything but a digit, `.`, `:` or `-`
    if first.is_ascii_digit() || matches!(first, '.' | ':' | '-') {
        return false;
    }
    chars.next().is_some_and(in_class)
}

fn quoted_symbol(rest: &str) -> Option<&str> {
    let q = rest.chars().next()?;
    if q != '"' && q != '\'' {
        return None;
    }
    let inner = &rest[1..];
    let end = inner.find(q)?;
    Some(&inner[..end])
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `/^\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)$/` and a real calendar date.
fn is_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || !digits(parts[0]) {
        return false;
    }
    let (m, d) = (parts[1], parts[2]);
    if !(1..=2).contains(&m.len()) || !digits(m) || !(1..=2).contains(&d.len()) || !digits(d) {
        return false;
    }
    let year: i32 = parts[0].parse().unwrap_or(0);
    let month: u32 = m.parse().unwrap_or(0);
    let day: u32 = d.parse().unwrap_or(0);
    if !(1..=12).contains(&month) || day == 0 {
        // Psych's regex admits month 0 / day 0; strptime then fails and it stays a string.
        return false;
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    day <= days
}

/// Psych's TIME regex:
/// `^-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?$`
fn is_time(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let b = s.as_bytes();
    let mut i = 0;
    let take_digits = |i: &mut usize, min: usize, max: usize| -> bool {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
            *i += 1;
        }
        *i - start >= min
    };
    if !take_digits(&mut i, 4, 4) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !take_digits(&mut i, 1, 2) || b.get(i) != Some(&b'-') {
        return false;
    }
    i += 1;
    if !take_digits(&mut i, 1, 2) {
        return false;
    }
    match b.get(i) {
        Some(b'T' | b't') => i += 1,
        Some(c) if c.is_ascii_whitespace() => {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        _ => return false,
    }
    if !take_digits(&mut i, 1, 2) || b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    if !take_digits(&mut i, 2, 2) || b.get(i) != Some(&b':') {
        return false;
    }
    i += 1;
    if !take_digits(&mut i, 2, 2) {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
    }
    while i < b.len() && b[i].is_ascii_whitespace() {
        i += 1;
    }
    if i == b.len() {
        return true;
    }
    match b[i] {
        b'Z' => i + 1 == b.len(),
        b'-' | b'+' => {
            i += 1;
            if !take_digits(&mut i, 1, 2) {
                return false;
            }
            if b.get(i) == Some(&b':') {
                i += 1;
            }
            let rest = &b[i..];
            rest.is_empty() || (rest.len() == 2 && rest.iter().all(u8::is_ascii_digit))
        }
        _ => false,
    }
}

/// `/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/`, summed with Psych's own arithmetic
/// (`n * 60 ** (e - 2).abs`).
fn sexagesimal_int(s: &str) -> Option<Option<i128>> {
    let (sign, body) = split_sign(s);
    let parts: Vec<&str> = body.split(':').collect();
    if !(2..=3).contains(&parts.len()) || !valid_sexagesimal_head(parts[0]) {
        return None;
    }
    if !parts[1..].iter().all(|p| valid_base60_part(p)) {
        return None;
    }
    let mut total: i128 = 0;
    for (e, part) in parts.iter().enumerate() {
        // Ruby `to_i` on "-12" with the sign only on the first part
        let n: i128 = if e == 0 {
            parse_ruby_to_i(&format!("{sign}{part}"))
        } else {
            parse_ruby_to_i(part)
        };
        let power = 60i128.checked_pow((e as i64 - 2).unsigned_abs() as u32)?;
        total = total.checked_add(n.checked_mul(power)?)?;
    }
    Some(Some(total))
}

/// `/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/`
fn sexagesimal_float(s: &str) -> Option<f64> {
    let (sign, body) = split_sign(s);
    let dot = body.rfind('.')?;
    let (head, frac) = (&body[..dot], &body[dot + 1..]);
    if !frac.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        return None;
    }
    let parts: Vec<&str> = head.split(':').collect();
    if !(2..=3).contains(&parts.len()) || !valid_sexagesimal_head(parts[0]) {
        return None;
    }
    if !parts[1..].iter().all(|p| valid_base60_part(p)) {
        return None;
    }
    let mut total = 0f64;
    let n = parts.len();
    for (e, part) in parts.iter().enumerate() {
        let text = if e == n - 1 {
            format!("{part}.{frac}")
        } else {
            part.to_string()
        };
        let cleaned: String = text.chars().filter(|c| *c != '_').collect();
        let mut v: f64 = cleaned.trim_end_matches('.').parse().unwrap_or(0.0);
        if e == 0 && sign == "-" {
            v = -v;
        }
        total += v * 60f64.powi((e as i32 - 2).abs());
    }
    Some(total)
}

fn split_sign(s: &str) -> (&str, &str) {
    if let Some(rest) = s.strip_prefix('-') {
        ("-", rest)
    } else if let Some(rest) = s.strip_prefix('+') {
        ("", rest)
    } else {
        ("", s)
    }
}

fn valid_sexagesimal_head(p: &str) -> bool {
    let b = p.as_bytes();
    !b.is_empty() && b[0].is_ascii_digit() && b.iter().all(|c| c.is_ascii_digit() || *c == b'_')
}

fn valid_base60_part(p: &str) -> bool {
    let b = p.as_bytes();
    match b.len() {
        1 => b[0].is_ascii_digit(),
        2 => (b'0'..=b'5').contains(&b[0]) && b[1].is_ascii_digit(),
        _ => false,
    }
}

/// Ruby `String#to_i` (base 10, underscores allowed between digits, stops at garbage).
fn parse_ruby_to_i(s: &str) -> i128 {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let mut n: i128 = 0;
    for c in body.chars() {
        if c == '_' {
            continue;
        }
        let Some(d) = c.to_digit(10) else { break };
        n = n.saturating_mul(10).saturating_add(d as i128);
    }
    if neg {
        -n
    } else {
        n
    }
}

/// Psych's FLOAT: `^(?:[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?)$`
fn is_float(s: &str) -> bool {
    let (_, body) = split_sign(s);
    let Some(dot) = body.find('.') else {
        return false;
    };
    let int = &body[..dot];
    if !int.is_empty() {
        let b = int.as_bytes();
        if !b[0].is_ascii_digit()
            || !b
                .iter()
                .all(|c| c.is_ascii_digit() || *c == b'_' || *c == b',')
        {
            return false;
        }
    }
    let rest = &body[dot + 1..];
    let frac_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let exp = &rest[frac_len..];
    if exp.is_empty() {
        return true;
    }
    let eb = exp.as_bytes();
    eb.len() >= 3
        && matches!(eb[0], b'e' | b'E')
        && matches!(eb[1], b'-' | b'+')
        && eb[2..].iter().all(u8::is_ascii_digit)
}

/// Psych's legacy INTEGER regex (`strict_integer: false`), then `Integer(s.delete(',_'))`.
fn legacy_integer(s: &str) -> Option<Option<i128>> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let b = body.as_bytes();
    if b.is_empty() {
        return None;
    }
    let (radix, digits_part): (u32, &str) = if let Some(rest) = body.strip_prefix("0b") {
        if rest.is_empty() || !rest.bytes().all(|c| matches!(c, b'0' | b'1' | b'_' | b',')) {
            return None;
        }
        (2, rest)
    } else if let Some(rest) = body.strip_prefix("0x") {
        if rest.is_empty()
            || !rest
                .bytes()
                .all(|c| c.is_ascii_hexdigit() || c == b'_' || c == b',')
        {
            return None;
        }
        (16, rest)
    } else if b[0] == b'0' && b.len() > 1 {
        if !b[1..]
            .iter()
            .all(|c| (b'0'..=b'7').contains(c) || *c == b'_' || *c == b',')
        {
            return None;
        }
        (8, &body[1..])
    } else if body == "0" {
        (10, body)
    } else {
        // [1-9](?:[0-9]|,[0-9]|_[0-9])*
        if !(b'1'..=b'9').contains(&b[0]) {
            return None;
        }
        let mut i = 1;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                i += 1;
            } else if (b[i] == b',' || b[i] == b'_') && b.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                i += 2;
            } else {
                return None;
            }
        }
        (10, body)
    };
    let cleaned: String = digits_part
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    if cleaned.is_empty() {
        // `Integer("0b")` raises: Psych then keeps the string. Rare enough to call it a string.
        return None;
    }
    // Ruby's Integer() rejects a trailing or doubled underscore; commas are gone already.
    if digits_part.contains("__") || digits_part.ends_with('_') {
        return None;
    }
    let value = i128::from_str_radix(&cleaned, radix).ok();
    Some(value.map(|v| if neg { -v } else { v }))
}

/// Ruby's `Float#to_s`, close enough for messages (`2.1`, `1.0`, `1.0e+20`).
pub fn ruby_float_to_s(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.to_string()
        } else {
            format!("{mantissa}.0")
        };
        let exp: i32 = exp.parse().unwrap_or(0);
        return format!(
            "{mantissa}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        );
    }
    let s = format!("{f}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::Typed::*;
    use super::*;

    #[test]
    fn psych_typing_table() {
        let cases: &[(&str, Typed)] = &[
            ("yes", Bool(true)),
            ("Yes", Bool(true)),
            ("YES", Bool(true)),
            ("no", Bool(false)),
            ("on", Bool(true)),
            ("Off", Bool(false)),
            ("true", Bool(true)),
            ("FALSE", Bool(false)),
            ("y", Str),
            ("n", Str),
            ("~", Null),
            ("null", Null),
            ("Null", Null),
            ("NULL", Null),
            ("", Null),
            ("0x1F", Int(Some(31))),
            ("0b101", Int(Some(5))),
            ("0755", Int(Some(493))),
            ("1_000", Int(Some(1000))),
            ("1,000", Int(Some(1000))),
            ("3,000", Int(Some(3000))),
            ("0o22", Str),
            ("1e3", Str),
            ("12:30", Int(Some(45000))),
            ("1:30:00", Int(Some(5400))),
            ("2222:22", Int(Some(8000520))),
            ("3306:3306", Str),
            ("80:80", Str),
            ("22:22", Int(Some(22 * 3600 + 22 * 60))),
            ("2.8", Float(2.8)),
            (".5", Float(0.5)),
            ("2.10", Float(2.1)),
            ("1.3.0", Str),
            ("2024-01-01", Date),
            ("2024-02-30", Str),
            ("2024-01-01 10:00:00", Time),
            ("2024-01-01T10:00:00Z", Time),
            (":foo", Symbol("foo".into())),
            (".inf", Float(f64::INFINITY)),
            ("-.inf", Float(f64::NEG_INFINITY)),
            ("42", Int(Some(42))),
            ("-7", Int(Some(-7))),
            ("0", Int(Some(0))),
            ("amd64", Str),
            ("1.1.1.1", Str),
            ("192.168.0.1", Str),
            ("app.example.com", Str),
            ("25%", Str),
            ("10m", Str),
            ("100mb", Str),
            ("ssh://x@y", Str),
            ("localhost:5000", Str),
            ("127.0.0.1:5432:5432", Str),
            ("1.", Float(1.0)),
            ("-", Str),
            (".", Str),
            ("nULL", Null),
            ("truey", Str),
            ("onion", Str),
        ];
        for (input, want) in cases {
            let got = type_plain(input);
            match (&got, want) {
                (Float(a), Float(b)) => assert!(
                    (a - b).abs() < 1e-9 || (a.is_infinite() && a == b),
                    "{input}: {got:?}"
                ),
                _ => assert_eq!(&got, want, "typing {input:?}"),
            }
        }
        assert!(matches!(type_plain(".nan"), Float(f) if f.is_nan()));
    }

    #[test]
    fn float_to_s() {
        assert_eq!(ruby_float_to_s(2.1), "2.1");
        assert_eq!(ruby_float_to_s(1.0), "1.0");
        assert_eq!(ruby_float_to_s(1e20), "1.0e+20");
        assert_eq!(ruby_float_to_s(-0.5), "-0.5");
    }
}
