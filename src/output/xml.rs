//! The XML escaping the `junit` and `checkstyle` formats need (XML 1.0).

/// Escapes text for an attribute value (quoted with `"`): markup characters, and line breaks
/// and tabs as character references so that parsers keep them.
pub fn attr(text: &str) -> String {
    escape(text, true)
}

/// Escapes text for element content.
pub fn text(text: &str) -> String {
    escape(text, false)
}

fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\t' | '\n' => out.push(c),
            // not allowed in XML 1.0, even as character references
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(
            attr("a<b>&\"c'\n\t\r"),
            "a&lt;b&gt;&amp;&quot;c&apos;&#10;&#9;&#13;"
        );
        assert_eq!(text("a<b> \"c'\nd"), "a&lt;b&gt; \"c'\nd");
        assert_eq!(text("bell\u{7}"), "bell\u{fffd}");
    }
}
