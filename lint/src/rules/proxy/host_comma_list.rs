use sextant_schema::Version;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::rules::context::LoadContext;
use crate::rules::walk;
use crate::syntax::psych::{type_plain, Typed};
use crate::syntax::yaml::{Entry, Node, Style};
use crate::text::Span;

declare_rule! {
    /// `proxy.host` written as a comma-separated list: use `hosts:`.
    ///
    /// ## What it does
    /// Reports a proxy `host` holding several names separated by commas.
    ///
    /// ## Why is this bad?
    /// Kamal splits `host` on commas, so it works, but it reads like one host, hides typos
    /// (Kamal does not trim the parts: a space after a comma becomes part of the next name),
    /// and other tools and people reading the file see one odd host name. `hosts:` (Kamal
    /// 2.1.0) says what it means.
    ///
    /// ## Example
    /// ```yaml
    /// proxy:
    ///   host: app.demo.io,www.demo.io
    /// ```
    /// Use instead:
    /// ```yaml
    /// proxy:
    ///   hosts: [app.demo.io, www.demo.io]
    /// ```
    ///
    /// ## Fix
    /// Rewrites the entry as a `hosts:` flow list (safe; offered when checking against Kamal
    /// 2.1.0 or later, and only when no other proxy in the project's files — a role's, an
    /// accessory's, a destination file's — writes `host` or `hosts`: Kamal rejects a merged
    /// proxy holding both `host` and `hosts`, K016). The list holds the same names (trimmed),
    /// each plain when YAML reads it back as that string, else double-quoted. Block scalars
    /// (`>-`, `|`) become one flow list and their line break stays; an anchor (`&h`) stays on
    /// the list; a `!!str` tag is dropped (the names stay strings). No fix is offered when an
    /// alias uses the value's anchor (it would get the list), for another tag, or for a comment
    /// the rewrite would remove. CRLF line endings and a byte order mark are kept.
    ///
    /// ## References
    /// - Kamal 2.8.2 configuration, §3.4 (proxy)
    /// - <https://kamal-deploy.org/docs/configuration/proxy/>
    pub static PROXY_HOST_COMMA_LIST = {
        code: "P001",
        name: "proxy-host-comma-list",
        category: Proxy,
        severity: Warning,
        fix: Sometimes,
    };
}

fn check_proxy(cx: &LoadContext, proxy: &Node, out: &mut Vec<Diagnostic>) {
    let Some(Entry { key, value, .. }) = proxy.entry("host") else {
        return;
    };
    let Some(text) = value.as_str().filter(|_| !value.is_erb()) else {
        return;
    };
    if !text.contains(',') {
        return;
    }
    let hosts: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    let mut d = Diagnostic::new(
        &PROXY_HOST_COMMA_LIST,
        value.span,
        format!(
            "`host` lists {} host names separated by commas: use `hosts:`",
            hosts.len()
        ),
    )
    .with_help(format!("write `hosts: [{}]`", hosts.join(", ")));
    // `hosts` in one place and `host` in another (a destination file, a role) is Kamal's error
    // K016: fix only when this is the only proxy `host` written anywhere
    if cx.version() >= Version::new(2, 1, 0)
        && proxy.entry("hosts").is_none()
        && key.span.file == value.span.file
        && proxy_host_keys(cx) <= 1
    {
        if let Some(edit) = rewrite(cx, key, value, &hosts) {
            d = d.with_fix(Fix {
                applicability: Applicability::Safe,
                message: "use a `hosts:` list".into(),
                edits: vec![edit],
            });
        }
    }
    out.push(d);
}

/// The edit that turns `host: …` into `hosts: [...]`, or `None` for a shape it cannot rewrite
/// without changing what the file means: an anchor that an alias uses (the alias would get a
/// list), a tag other than `!!str`, a comment inside the replaced text.
fn rewrite(cx: &LoadContext, key: &Node, value: &Node, hosts: &[&str]) -> Option<Edit> {
    if hosts.is_empty() {
        return None;
    }
    let file = &cx.project.files.get(key.span.file).text;
    let (start, value_start, value_end) = (
        key.span.start as usize,
        value.span.start as usize,
        value.span.end as usize,
    );
    let key_end = key.span.end as usize;
    let ordered = start <= key_end
        && key_end <= value_start
        && value_start <= value_end
        && value_end <= file.len();
    if !ordered || !file.is_char_boundary(start) || !file.is_char_boundary(value_end) {
        return None;
    }
    // what stands between the key and the value: `:` and node properties (anchor, tag)
    let between = file.get(key_end..value_start)?;
    let block = matches!(
        value.scalar().map(|s| s.style),
        Some(Style::Literal | Style::Folded)
    );
    // the key first on its line or in a flow mapping (not `? host`)
    let line_start = file[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = file[line_start..start].trim_matches([' ', '\t', '\u{feff}']);
    if !(before.is_empty() || before.ends_with(['{', ','])) {
        return None;
    }
    // `:` and, on the key's line, node properties (anchor, tag) and a block scalar's header;
    // below it (block scalars only) nothing but indentation
    let rest = between.trim_start().strip_prefix(':')?;
    let (header, below) = rest.split_once('\n').unwrap_or((rest, ""));
    if !below.trim().is_empty() || (!block && rest.contains('\n')) {
        return None;
    }
    let written = file.get(value_start..value_end)?;
    let (mut anchor, mut tag) = (None, None);
    // (a block scalar's span starts at its text, which may begin with `&` or `!`)
    let inside = if block {
        None
    } else {
        Some(properties(written))
    };
    for word in header
        .split_whitespace()
        .chain(inside.into_iter().flatten())
    {
        if let Some(name) = word.strip_prefix('&') {
            anchor = Some(name);
        } else if word.starts_with('!') {
            tag = Some(word);
        } else if block && word.starts_with(['|', '>']) {
            // the block header (`|`, `>-`, `|+2`): replaced with the rest
        } else {
            // a comment, or something this fix does not know
            return None;
        }
    }
    if let Some(tag) = tag {
        // `!!str` (and the non-specific `!`) say "a string": the list needs none; any other tag
        // means something this fix does not know
        if !matches!(tag, "!!str" | "!" | "!<tag:yaml.org,2002:str>") {
            return None;
        }
    }
    if let Some(name) = anchor {
        // an alias of the anchor would get the list instead of the string
        if aliased(file, name) {
            return None;
        }
    }
    let mut end = value_end;
    if block {
        // the span runs past the last line of text (its line break and the next line's
        // indentation): the list ends where the text ends, the line break stays
        end = value_start + written.trim_end_matches([' ', '\t', '\r', '\n']).len();
    } else if written.contains('#') && value.scalar().map(|s| s.style) == Some(Style::Plain) {
        return None;
    }
    let list: Vec<String> = hosts.iter().map(|h| flow_item(h)).collect();
    let anchor = anchor.map(|a| format!("&{a} ")).unwrap_or_default();
    Some(Edit {
        span: Span::new(key.span.file, start..end),
        content: format!("hosts: {anchor}[{}]", list.join(", ")),
    })
}

/// Node properties written inside the value's span (`&a`, `!tag`), if the parser counts them
/// in it.
fn properties(written: &str) -> impl Iterator<Item = &str> {
    written
        .split_whitespace()
        .take_while(|w| w.starts_with('&') || w.starts_with('!'))
}

/// Whether `*name` (an alias of the anchor) appears in the file.
fn aliased(file: &str, name: &str) -> bool {
    let alias = format!("*{name}");
    file.match_indices(&alias).any(|(i, _)| {
        file[i + alias.len()..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || ",]}".contains(c))
    })
}

/// A host name as an item of a flow list: plain when YAML reads it back as the same string,
/// else double-quoted.
fn flow_item(host: &str) -> String {
    let plain = host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && host.starts_with(|c: char| c.is_ascii_alphanumeric())
        && type_plain(host) == Typed::Str;
    if plain {
        return host.to_string();
    }
    let mut out = String::from("\"");
    for c in host.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How many proxy `host`/`hosts` keys the project's config files write (root, roles,
/// accessories, in every file).
fn proxy_host_keys(cx: &LoadContext) -> usize {
    let mut n = 0;
    for config in &cx.project.configs {
        let Some(root) = &config.yaml.root else {
            continue;
        };
        let mut proxies: Vec<&Node> = root.get("proxy").into_iter().collect();
        if let Some(roles) = root.get("servers").and_then(Node::map) {
            proxies.extend(roles.iter().filter_map(|r| r.value.get("proxy")));
        }
        for (_, acc) in walk::accessories(root) {
            proxies.extend(acc.get("proxy"));
        }
        n += proxies
            .iter()
            .filter(|p| p.entry("host").is_some() || p.entry("hosts").is_some())
            .count();
    }
    n
}

pub(crate) fn check(cx: &LoadContext, out: &mut Vec<Diagnostic>) {
    if let Some(p) = cx.config.get("proxy") {
        check_proxy(cx, p, out);
    }
    for role in &cx.roles.list {
        if let Some(p) = role.proxy {
            check_proxy(cx, &p.value, out);
        }
    }
    for (_, acc) in walk::accessories(cx.config) {
        if let Some(p) = acc.get("proxy") {
            check_proxy(cx, p, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::fix::{fix_files, FixMode};
    use crate::syntax::yaml;
    use crate::text::FileId;

    const BASE: &str = "service: app\nimage: user/app\nregistry:\n  username: u\n  password: [P]\nbuilder:\n  arch: amd64\nservers:\n  - 10.0.0.1\n";

    /// The fixed config (`None`: not changed), with the fixes that were dropped.
    fn fixed(config: &str) -> Option<String> {
        let done = fix_files(&[("config/deploy.yml", config)], FixMode::Safe);
        assert!(done.dropped.is_empty(), "{config:?}: {:?}", done.dropped);
        done.files.values().next().map(|(_, new)| new.clone())
    }

    /// `(proxy section, what the fix makes of it or None: no fix)`, in LF.
    const SHAPES: &[(&str, Option<&str>)] = &[
        (
            "proxy:\n  host: a.io,b.io\n  app_port: 3000\n",
            Some("proxy:\n  hosts: [a.io, b.io]\n  app_port: 3000\n"),
        ),
        (
            "proxy:\n  host: a.io, b.io # two\n",
            Some("proxy:\n  hosts: [a.io, b.io] # two\n"),
        ),
        (
            "proxy:\n  host: \"a.io,b.io\"\n",
            Some("proxy:\n  hosts: [a.io, b.io]\n"),
        ),
        (
            "proxy:\n  host: >-\n    a.io,b.io\n  app_port: 3000\n",
            Some("proxy:\n  hosts: [a.io, b.io]\n  app_port: 3000\n"),
        ),
        (
            "proxy:\n  host: >\n    a.io,\n    b.io\n\n  app_port: 3000\n",
            Some("proxy:\n  hosts: [a.io, b.io]\n\n  app_port: 3000\n"),
        ),
        (
            "proxy:\n  host: |\n    a.io,b.io\n  app_port: 3000\n",
            Some("proxy:\n  hosts: [a.io, b.io]\n  app_port: 3000\n"),
        ),
        (
            "proxy:\n  app_port: 3000\n  host: |-\n    a.io,b.io",
            Some("proxy:\n  app_port: 3000\n  hosts: [a.io, b.io]"),
        ),
        ("proxy:\n  host: >- # the hosts\n    a.io,b.io\n", None),
        (
            "proxy:\n  host: &h a.io,b.io\n",
            Some("proxy:\n  hosts: &h [a.io, b.io]\n"),
        ),
        ("proxy:\n  host: &h a.io,b.io\nx-hosts: *h\n", None),
        (
            "x-hosts: &h a.io,b.io\nproxy:\n  host: *h\n",
            Some("x-hosts: &h a.io,b.io\nproxy:\n  hosts: [a.io, b.io]\n"),
        ),
        (
            "proxy:\n  host: !!str a.io,b.io\n",
            Some("proxy:\n  hosts: [a.io, b.io]\n"),
        ),
        (
            "proxy:\n  host: !!str &h a.io,b.io\n",
            Some("proxy:\n  hosts: &h [a.io, b.io]\n"),
        ),
        ("proxy:\n  host: !custom a.io,b.io\n", None),
        (
            "proxy: {host: \"a.io,b.io\", app_port: 3000}\n",
            Some("proxy: {hosts: [a.io, b.io], app_port: 3000}\n"),
        ),
        (
            "proxy:\n  host: \"a.io,123,yes,x]y,#z\"\n",
            Some("proxy:\n  hosts: [a.io, \"123\", \"yes\", \"x]y\", \"#z\"]\n"),
        ),
        ("proxy:\n  ? host\n  : a.io,b.io\n", None),
    ];

    #[test]
    fn the_fix_keeps_the_file_meaning_in_every_shape() {
        for (proxy, expected) in SHAPES {
            for (crlf, bom) in [(false, false), (true, false), (false, true), (true, true)] {
                let shape = |t: &str| {
                    let t = if crlf {
                        t.replace('\n', "\r\n")
                    } else {
                        t.to_string()
                    };
                    let t = format!("{BASE}{t}");
                    let t = if crlf {
                        t.replace("\r\r\n", "\r\n")
                            .replace(BASE, &BASE.replace('\n', "\r\n"))
                    } else {
                        t
                    };
                    if bom {
                        format!("\u{feff}{t}")
                    } else {
                        t
                    }
                };
                let input = shape(proxy);
                let got = fixed(&input);
                let want = expected.map(shape);
                assert_eq!(got, want, "crlf {crlf}, bom {bom}: {input:?}");
                if let Some(got) = got {
                    // what YAML reads: the same host names, as a list of strings
                    let y = yaml::parse(FileId(0), &got);
                    assert!(!y.failed && y.problems.is_empty(), "{got:?}");
                    let root = y.root.unwrap();
                    let proxy = root.get("proxy").unwrap();
                    let list: Vec<String> = proxy
                        .get("hosts")
                        .and_then(|h| h.seq())
                        .unwrap()
                        .iter()
                        .map(|n| n.as_str().unwrap().to_string())
                        .collect();
                    let before = yaml::parse(FileId(0), &input).root.unwrap();
                    let old = before.get("proxy").unwrap().get("host").unwrap();
                    let want: Vec<String> = old
                        .as_str()
                        .unwrap()
                        .split(',')
                        .map(|h| h.trim().to_string())
                        .filter(|h| !h.is_empty())
                        .collect();
                    assert_eq!(list, want, "{got:?}");
                }
            }
        }
    }

    /// Random host lists in every style, with properties, line endings and a byte order mark:
    /// whenever the fix is offered, the file still parses without new problems and holds the
    /// same names as a list of strings.
    #[test]
    fn random_values_are_fixed_to_the_same_names_or_not_at_all() {
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let pieces = [
            "a.io", "b", "123", "yes", "x y", "#c", "]", "[", "{", "}", "'", "\"", "\\", ":", ": ",
            "&a", "*a", "!t", "-", "?", "|", ">", "%", "@", "`", "é", "漢", "null", "~", "1.5",
            "0x1F", "12:30", " ", "\t", "",
        ];
        let (mut offered, mut cases) = (0, 0);
        for _ in 0..400 {
            let n = 2 + next() % 3;
            let hosts: Vec<String> = (0..n)
                .map(|_| {
                    (0..1 + next() % 3)
                        .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                        .collect::<String>()
                })
                .collect();
            let value = hosts.join(",");
            if value.contains('\n') || value.trim().is_empty() {
                continue;
            }
            let written = match next() % 5 {
                0 => value.clone(),
                1 => format!("'{}'", value.replace('\'', "''")),
                2 => format!(
                    "\"{}\"",
                    value
                        .replace('\\', "\\\\")
                        .replace('"', "\\\"")
                        .replace('\t', "\\t")
                ),
                3 => format!(">-\n    {value}"),
                _ => format!("|-\n    {value}"),
            };
            let props = ["", "&h ", "!!str ", "!!str &h "][(next() % 4) as usize];
            let proxy = format!("proxy:\n  host: {props}{written}\n  app_port: 3000\n");
            let (crlf, bom) = (next() % 2 == 0, next() % 3 == 0);
            let mut text = format!("{BASE}{proxy}");
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            if bom {
                text.insert(0, '\u{feff}');
            }
            // only inputs that YAML reads as this very string
            let before = yaml::parse(FileId(0), &text);
            let read = before
                .root
                .as_ref()
                .and_then(|r| r.get("proxy"))
                .and_then(|p| p.get("host"))
                .and_then(|h| h.as_str().map(str::to_string));
            if before.failed || !before.problems.is_empty() || read.as_deref() != Some(&value) {
                continue;
            }
            cases += 1;
            let Some(got) = fixed(&text) else {
                continue;
            };
            offered += 1;
            let after = yaml::parse(FileId(0), &got);
            assert!(
                !after.failed && after.problems.is_empty(),
                "{text:?} -> {got:?}"
            );
            let list: Vec<String> = after
                .root
                .as_ref()
                .and_then(|r| r.get("proxy"))
                .and_then(|p| p.get("hosts"))
                .and_then(|h| h.seq())
                .unwrap_or_else(|| panic!("{got:?}"))
                .iter()
                .map(|n| n.as_str().unwrap_or_else(|| panic!("{got:?}")).to_string())
                .collect();
            let want: Vec<String> = value
                .split(',')
                .map(|h| h.trim().to_string())
                .filter(|h| !h.is_empty())
                .collect();
            assert_eq!(list, want, "{text:?} -> {got:?}");
            assert_eq!(got.starts_with('\u{feff}'), bom);
            // no line ending of another kind (a block scalar's header line is joined to its text)
            assert_eq!(
                got.matches('\n').count() == got.matches("\r\n").count(),
                crlf,
                "{got:?}"
            );
        }
        assert!(
            cases > 100 && offered > 50,
            "{cases} cases, {offered} fixed"
        );
        eprintln!("P001 random: {cases} cases, {offered} fixed");
    }
}
