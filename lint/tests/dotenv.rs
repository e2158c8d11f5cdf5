//! The `.kamal/secrets*` parser (dotenv 3.1.5 as Kamal 2.8.2 uses it): syntax with spans checked
//! against the original text, static values, conformance with Kamal's own secrets tests
//! (`../shared/kamal/fixtures/secrets`), real secrets files from `../shared`, and a no-panic
//! property test.

use std::collections::BTreeMap;
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod support;

use sextant_lint::syntax::dotenv::{
    parse, Entry, KamalSecretsCall, Part, ProblemKind, Quote, SecretsFile, Separator,
};

use support::{span_fits, Rng};

fn no_env(_: &str) -> Option<String> {
    None
}

fn slice(text: &str, span: &Range<usize>) -> String {
    text.get(span.clone())
        .unwrap_or_else(|| panic!("span {span:?} not inside the text"))
        .to_string()
}

fn entry<'a>(file: &'a SecretsFile, key: &str) -> &'a Entry {
    file.get(key)
        .unwrap_or_else(|| panic!("no entry {key}: {file:#?}"))
}

fn value(file: &SecretsFile, key: &str) -> Option<String> {
    file.static_value(key, &no_env)
}

fn kamal(part: &Part) -> &KamalSecretsCall {
    match part {
        Part::Command {
            kamal: Some(call), ..
        } => call,
        other => panic!("not a kamal secrets call: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Entries, separators, export.

#[test]
fn key_equals_value_with_spans() {
    let text = "DB_PASSWORD=hunter2\n  SPACED  =  some value  \n";
    let file = parse(text);
    assert!(file.problems.is_empty() && file.ignored_lines.is_empty());
    let e = entry(&file, "DB_PASSWORD");
    assert_eq!(slice(text, &e.key_span), "DB_PASSWORD");
    assert_eq!(slice(text, &e.separator_span), "=");
    assert_eq!(slice(text, &e.value_span), "hunter2");
    assert_eq!(slice(text, &e.span), "DB_PASSWORD=hunter2");
    assert_eq!(
        (e.export, e.separator, e.quote),
        (false, Separator::Equals, Quote::None)
    );
    assert_eq!(e.raw_value, "hunter2");
    let s = entry(&file, "SPACED");
    assert_eq!(slice(text, &s.value_span), "some value");
    assert_eq!(slice(text, &s.span), "SPACED  =  some value");
    assert_eq!(value(&file, "SPACED").as_deref(), Some("some value"));
    assert_eq!(file.keys(), vec!["DB_PASSWORD", "SPACED"]);
}

#[test]
fn keys_allow_dots_and_digits() {
    let text = "a.b_1=x\n1X=y\n";
    let file = parse(text);
    assert_eq!(value(&file, "a.b_1").as_deref(), Some("x"));
    assert_eq!(value(&file, "1X").as_deref(), Some("y"));
}

#[test]
fn export_prefix() {
    let text = "export  TOKEN=abc\nexport TOKEN\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let first = &file.entries[0];
    assert!(first.export && !first.export_only);
    assert_eq!(slice(text, first.export_span.as_ref().unwrap()), "export");
    assert_eq!(slice(text, &first.key_span), "TOKEN");
    assert_eq!(slice(text, &first.span), "export  TOKEN=abc");
    let second = &file.entries[1];
    assert!(second.export && second.export_only);
    assert_eq!(second.separator, Separator::None);
    assert_eq!(slice(text, &second.span), "export TOKEN");
    // The re-export assigns nothing: the value is still the first one.
    assert!(std::ptr::eq(file.get("TOKEN").unwrap(), first));
    assert_eq!(value(&file, "TOKEN").as_deref(), Some("abc"));
}

#[test]
fn export_of_an_undefined_key_is_dotenvs_format_error() {
    let text = "export LATER\nLATER=1\nOTHER=2\n";
    let file = parse(text);
    assert_eq!(file.problems.len(), 1);
    let p = &file.problems[0];
    assert_eq!(p.kind, ProblemKind::UnsetExport);
    assert!(p.kind.is_fatal());
    assert_eq!(p.message, r#"Line "export LATER" has an unset variable"#);
    assert_eq!(slice(text, &p.span), "export LATER");
    // dotenv raises: Kamal gets no value at all.
    assert_eq!(file.static_values(&no_env), None);
    assert_eq!(value(&file, "OTHER"), None);
    // The rest is still parsed, for linting.
    assert_eq!(entry(&file, "OTHER").raw_value, "2");
}

#[test]
fn export_with_an_empty_value_is_an_export_check_too() {
    // `export KEY=` has no value group: dotenv treats it like `export KEY`.
    let file = parse("A=1\nexport A=\n");
    assert!(file.problems.is_empty());
    assert!(file.entries[1].export_only);
    assert_eq!(value(&file, "A").as_deref(), Some("1"));
    let file = parse("export B=\n");
    assert_eq!(
        file.problems[0].message,
        "Line \"export B=\\n\" has an unset variable"
    );
}

#[test]
fn colon_separator_needs_whitespace() {
    let text = "NAME: value here\nOTHER:value\n";
    let file = parse(text);
    let e = entry(&file, "NAME");
    assert_eq!(e.separator, Separator::Colon);
    assert_eq!(slice(text, &e.separator_span), ":");
    assert_eq!(value(&file, "NAME").as_deref(), Some("value here"));
    // `KEY:value` does not match dotenv's expression: skipped silently.
    assert!(file.get("OTHER").is_none());
    assert_eq!(file.ignored_lines.len(), 1);
    assert_eq!(slice(text, &file.ignored_lines[0]), "OTHER:value");
    assert!(file.problems.is_empty());
}

#[test]
fn lines_dotenv_skips_are_ignored_lines_not_problems() {
    let text = "GOOD=1\nNOT A LINE\n-DASH=1\n   \n\t# indented comment\nKEY value\nLAST=2";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let ignored: Vec<String> = file.ignored_lines.iter().map(|r| slice(text, r)).collect();
    assert_eq!(ignored, vec!["NOT A LINE", "-DASH=1", "KEY value"]);
    assert_eq!(file.keys(), vec!["GOOD", "LAST"]);
    assert_eq!(file.comments.len(), 1);
    assert_eq!(slice(text, &file.comments[0].span), "# indented comment");
}

#[test]
fn bare_key_defines_an_empty_value() {
    // dotenv 3.1.5's expression makes separator and value optional: `KEY` alone sets "".
    let text = "LONELY\n";
    let file = parse(text);
    let e = entry(&file, "LONELY");
    assert_eq!((e.separator, e.export_only), (Separator::None, false));
    assert_eq!(slice(text, &e.value_span), "");
    assert_eq!(value(&file, "LONELY").as_deref(), Some(""));
}

#[test]
fn empty_values() {
    let text = "A=\nB=''\nC=\"\"\nD=   # only a comment\n";
    let file = parse(text);
    for key in ["A", "B", "C", "D"] {
        assert_eq!(value(&file, key).as_deref(), Some(""), "{key}");
    }
    assert_eq!(entry(&file, "B").quote, Quote::Single);
    assert_eq!(entry(&file, "C").quote, Quote::Double);
    assert!(entry(&file, "A").parts.is_empty());
    assert_eq!(file.comments[0].text, " only a comment");
}

#[test]
fn last_definition_wins() {
    let text = "A=1\nB=2\nA=3\n";
    let file = parse(text);
    assert_eq!(slice(text, &entry(&file, "A").span), "A=3");
    assert_eq!(value(&file, "A").as_deref(), Some("3"));
    // Hash order: first assignment.
    assert_eq!(file.keys(), vec!["A", "B"]);
}

// ---------------------------------------------------------------------------------------------
// Comments.

#[test]
fn full_line_and_trailing_comments() {
    let text = "# sextant: ignore[x]\nA=1 # trailing\nB=\"in # quotes\" # after\n  # indented\n";
    let file = parse(text);
    let comments: Vec<(String, String, bool)> = file
        .comments
        .iter()
        .map(|c| (slice(text, &c.span), c.text.clone(), c.trailing))
        .collect();
    assert_eq!(
        comments,
        vec![
            (
                "# sextant: ignore[x]".into(),
                " sextant: ignore[x]".into(),
                false
            ),
            ("# trailing".into(), " trailing".into(), true),
            ("# after".into(), " after".into(), true),
            ("# indented".into(), " indented".into(), false),
        ]
    );
    assert_eq!(value(&file, "A").as_deref(), Some("1"));
    assert_eq!(value(&file, "B").as_deref(), Some("in # quotes"));
}

#[test]
fn hash_ends_an_unquoted_value_even_without_a_space() {
    let text = "PASSWORD=abc#def\n";
    let file = parse(text);
    assert_eq!(value(&file, "PASSWORD").as_deref(), Some("abc"));
    assert_eq!(slice(text, &entry(&file, "PASSWORD").value_span), "abc");
    assert_eq!(file.comments[0].text, "def");
    assert!(file.comments[0].trailing);
}

// ---------------------------------------------------------------------------------------------
// Quotes and escapes.

#[test]
fn unquoted_values_are_trimmed_and_unescaped_except_dollar() {
    let text = "A=  a\\tb  \nB=\\$HOME\\\\x\n";
    let file = parse(text);
    assert_eq!(value(&file, "A").as_deref(), Some("atb"));
    assert_eq!(slice(text, &entry(&file, "A").value_span), "a\\tb");
    // `\$` escapes substitution, `\\` is one backslash.
    assert_eq!(value(&file, "B").as_deref(), Some("$HOME\\x"));
    let b = entry(&file, "B");
    assert_eq!(
        b.parts,
        vec![Part::Literal {
            text: "$HOME\\x".into(),
            span: b.value_span.clone()
        }]
    );
    assert_eq!(slice(text, &b.value_span), "\\$HOME\\\\x");
}

#[test]
fn single_quotes_are_literal() {
    let text = "S='$A ${B} \\n $(rm -rf /) \\$'\n";
    let file = parse(text);
    let e = entry(&file, "S");
    assert_eq!(e.quote, Quote::Single);
    assert_eq!(slice(text, &e.value_span), "'$A ${B} \\n $(rm -rf /) \\$'");
    assert_eq!(e.parts.len(), 1);
    let Part::Literal { text: lit, span } = &e.parts[0] else {
        panic!("{:?}", e.parts)
    };
    assert_eq!(lit, "$A ${B} \\n $(rm -rf /) \\$");
    assert_eq!(slice(text, span), "$A ${B} \\n $(rm -rf /) \\$");
    assert!(!e.has_command());
    assert_eq!(
        value(&file, "S").as_deref(),
        Some("$A ${B} \\n $(rm -rf /) \\$")
    );
}

#[test]
fn double_quotes_keep_backslash_n_and_remove_other_escapes() {
    let text = r#"B="x\ny"
C="say \"hi\" \\ \t"
"#;
    let file = parse(text);
    // SPEC §7.2, checked against dotenv 3.1.5: `\n` stays the two characters.
    assert_eq!(value(&file, "B").as_deref(), Some("x\\ny"));
    assert_eq!(value(&file, "C").as_deref(), Some("say \"hi\" \\ t"));
    let c = entry(&file, "C");
    assert_eq!(c.quote, Quote::Double);
    assert_eq!(slice(text, &c.value_span), r#""say \"hi\" \\ \t""#);
}

#[test]
fn double_quoted_values_span_lines() {
    let text = "KEY=\"-----BEGIN KEY-----\nabc # not a comment\n-----END KEY-----\"\nNEXT=1\n";
    let file = parse(text);
    let e = entry(&file, "KEY");
    assert_eq!(
        slice(text, &e.value_span),
        "\"-----BEGIN KEY-----\nabc # not a comment\n-----END KEY-----\""
    );
    assert_eq!(
        value(&file, "KEY").as_deref(),
        Some("-----BEGIN KEY-----\nabc # not a comment\n-----END KEY-----")
    );
    assert!(file.comments.is_empty());
    assert_eq!(value(&file, "NEXT").as_deref(), Some("1"));
    let Part::Literal { span, .. } = &e.parts[0] else {
        panic!()
    };
    assert_eq!(slice(text, span).lines().count(), 3);
}

#[test]
fn single_quoted_values_span_lines() {
    let text = "K='line1\nline2'\n";
    let file = parse(text);
    assert_eq!(value(&file, "K").as_deref(), Some("line1\nline2"));
}

#[test]
fn quote_style_is_decided_on_the_whole_value() {
    let text = "A=\"a\" \"b\"\nB='a' b\n";
    let file = parse(text);
    // dotenv strips the outer quotes of `"a" "b"`: a double-quoted `a" "b`.
    assert_eq!(entry(&file, "A").quote, Quote::Double);
    assert_eq!(value(&file, "A").as_deref(), Some("a\" \"b"));
    // `'a' b` is unquoted and keeps its quotes.
    assert_eq!(entry(&file, "B").quote, Quote::None);
    assert_eq!(value(&file, "B").as_deref(), Some("'a' b"));
    let problem = file
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::UnterminatedQuote)
        .expect("quote problem");
    assert_eq!(slice(text, &problem.span), "'a' b");
    assert!(!problem.kind.is_fatal());
}

#[test]
fn unterminated_quote_keeps_the_quote_character() {
    let text = "A=\"abc\nB=2\n";
    let file = parse(text);
    assert_eq!(value(&file, "A").as_deref(), Some("\"abc"));
    assert_eq!(value(&file, "B").as_deref(), Some("2"));
    assert_eq!(file.problems.len(), 1);
    assert_eq!(file.problems[0].kind, ProblemKind::UnterminatedQuote);
    assert_eq!(slice(text, &file.problems[0].span), "\"abc");
    assert!(!file.problems[0].message.contains("abc"));
}

#[test]
fn a_value_may_start_on_the_next_line() {
    // dotenv's `\s` matches line breaks: these are how dotenv 3.1.5 reads them.
    let text = "A=\n\"quoted\"\nB:\nplain\nC=\nD=d\n";
    let file = parse(text);
    assert_eq!(value(&file, "A").as_deref(), Some("quoted"));
    assert_eq!(slice(text, &entry(&file, "A").value_span), "\"quoted\"");
    assert_eq!(value(&file, "B").as_deref(), Some("plain"));
    assert_eq!(value(&file, "C").as_deref(), Some(""));
    assert_eq!(value(&file, "D").as_deref(), Some("d"));
}

#[test]
fn legacy_linebreak_mode_set_in_the_file() {
    let text = "BEFORE=\"a\\nb\"\nDOTENV_LINEBREAK_MODE=legacy\nAFTER=\"a\\nb\\rc\"\n";
    let file = parse(text);
    assert_eq!(
        slice(text, file.legacy_linebreaks.as_ref().unwrap()),
        "DOTENV_LINEBREAK_MODE=legacy"
    );
    assert_eq!(value(&file, "BEFORE").as_deref(), Some("a\\nb"));
    assert_eq!(value(&file, "AFTER").as_deref(), Some("a\nb\rc"));
    let Part::Literal { text: lit, .. } = &entry(&file, "AFTER").parts[0] else {
        panic!()
    };
    assert_eq!(lit, "a\nb\rc");
}

#[test]
fn legacy_linebreak_mode_from_the_environment() {
    let file = parse("V=\"a\\nb\"\n");
    assert!(file.legacy_linebreaks.is_none());
    let legacy = |name: &str| (name == "DOTENV_LINEBREAK_MODE").then(|| "legacy".to_string());
    assert_eq!(file.static_value("V", &legacy).as_deref(), Some("a\nb"));
    assert_eq!(file.static_value("V", &no_env).as_deref(), Some("a\\nb"));
}

#[test]
fn crlf_and_lone_cr() {
    let text = "A=1\r\nB=\"two\r\nlines\"\r\n# c\r\nC=3\rD=4";
    let file = parse(text);
    assert_eq!(value(&file, "A").as_deref(), Some("1"));
    assert_eq!(slice(text, &entry(&file, "A").span), "A=1");
    let b = entry(&file, "B");
    assert_eq!(slice(text, &b.value_span), "\"two\r\nlines\"");
    assert_eq!(b.raw_value, "\"two\r\nlines\"");
    // dotenv turns CRLF into LF before parsing.
    assert_eq!(value(&file, "B").as_deref(), Some("two\nlines"));
    assert_eq!(slice(text, &file.comments[0].span), "# c");
    assert_eq!(value(&file, "C").as_deref(), Some("3"));
    assert_eq!(value(&file, "D").as_deref(), Some("4"));
}

#[test]
fn byte_order_mark() {
    let text = "\u{feff}A=1\nB=é\n";
    let file = parse(text);
    assert!(file.bom);
    let a = entry(&file, "A");
    assert_eq!(a.key_span, 3..4);
    assert_eq!(slice(text, &a.span), "A=1");
    assert_eq!(value(&file, "B").as_deref(), Some("é"));
    assert!(!parse("A=1").bom);
}

// ---------------------------------------------------------------------------------------------
// Variables.

#[test]
fn variables_with_spans() {
    let text = "HOST=example.com\nURL=\"https://$HOST/${HOST}x\"\n";
    let file = parse(text);
    let e = entry(&file, "URL");
    let shape: Vec<(String, String)> = e
        .parts
        .iter()
        .map(|p| match p {
            Part::Literal { text: t, .. } => ("lit".to_string(), t.clone()),
            Part::Variable { name, braced, .. } => (format!("var{braced}"), name.clone()),
            Part::Command { command, .. } => ("cmd".to_string(), command.clone()),
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            ("lit".into(), "https://".into()),
            ("varfalse".into(), "HOST".into()),
            ("lit".into(), "/".into()),
            ("vartrue".into(), "HOST".into()),
            ("lit".into(), "x".into()),
        ]
    );
    let spans: Vec<String> = e.parts.iter().map(|p| slice(text, p.span())).collect();
    assert_eq!(spans, vec!["https://", "$HOST", "/", "${HOST}", "x"]);
    assert_eq!(
        value(&file, "URL").as_deref(),
        Some("https://example.com/example.comx")
    );
    assert_eq!(e.literal_value(), None);
}

#[test]
fn variable_resolution_order() {
    let text = "EARLY=file\nA=$EARLY\nB=$LATE\nC=$FROM_ENV\nD=$NOWHERE-\nLATE=late\nE=$LATE\n";
    let file = parse(text);
    let env = |name: &str| match name {
        "FROM_ENV" => Some("env".to_string()),
        "EARLY" | "LATE" => Some("env-loses".to_string()),
        _ => None,
    };
    assert_eq!(file.static_value("A", &env).as_deref(), Some("file"));
    // Only earlier keys of the same file count; then the environment.
    assert_eq!(file.static_value("B", &env).as_deref(), Some("env-loses"));
    assert_eq!(file.static_value("B", &no_env).as_deref(), Some(""));
    assert_eq!(file.static_value("C", &env).as_deref(), Some("env"));
    // Unknown variables silently become empty.
    assert_eq!(file.static_value("D", &env).as_deref(), Some("-"));
    assert_eq!(file.static_value("E", &env).as_deref(), Some("late"));
}

#[test]
fn passthrough_idiom() {
    let file = parse("KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\n");
    let env = |name: &str| (name == "KAMAL_REGISTRY_PASSWORD").then(|| "from-ci".to_string());
    assert_eq!(
        file.static_value("KAMAL_REGISTRY_PASSWORD", &env)
            .as_deref(),
        Some("from-ci")
    );
}

#[test]
fn escaped_and_odd_variables() {
    let text = "A=1\nB=\"\\$A $ ${ $A} ${A $$A\"\n";
    let file = parse(text);
    // `\$A` literal; a lone `$` and `${` stay; `$A}` and `${A` are substituted whole.
    assert_eq!(value(&file, "B").as_deref(), Some("$A $ ${ 1 1 $1"));
    let vars: Vec<(String, bool, String)> = entry(&file, "B")
        .parts
        .iter()
        .filter_map(|p| match p {
            Part::Variable { name, braced, span } => {
                Some((name.clone(), *braced, slice(text, span)))
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        vars,
        vec![
            ("A".into(), false, "$A}".into()),
            ("A".into(), true, "${A".into()),
            ("A".into(), false, "$A".into()),
        ]
    );
}

#[test]
fn variable_names_are_case_sensitive_lookups() {
    let file = parse("lower=x\nA=$lower\nB=$LOWER\n");
    assert_eq!(value(&file, "A").as_deref(), Some("x"));
    assert_eq!(value(&file, "B").as_deref(), Some(""));
}

// ---------------------------------------------------------------------------------------------
// Commands.

#[test]
fn commands_are_recorded_never_run() {
    let text = "SHA=$(git rev-parse HEAD)\nMIX=\"pre-$(echo (a (b)))-post\"\n";
    let file = parse(text);
    let sha = entry(&file, "SHA");
    let Part::Command {
        command,
        span,
        kamal,
        variables,
    } = &sha.parts[0]
    else {
        panic!("{:?}", sha.parts)
    };
    assert_eq!(command, "git rev-parse HEAD");
    assert_eq!(slice(text, span), "$(git rev-parse HEAD)");
    assert!(kamal.is_none() && variables.is_empty());
    assert!(sha.has_command());
    assert_eq!(value(&file, "SHA"), None);

    let mix = entry(&file, "MIX");
    let spans: Vec<String> = mix.parts.iter().map(|p| slice(text, p.span())).collect();
    assert_eq!(spans, vec!["pre-", "$(echo (a (b)))", "-post"]);
    let Part::Command { command, .. } = &mix.parts[1] else {
        panic!()
    };
    assert_eq!(command, "echo (a (b))");
    assert_eq!(value(&file, "MIX"), None);
}

#[test]
fn escaped_empty_and_unbalanced_commands_are_literal() {
    let text = "A=\\$(not run)\nB=\"$() $(a ()) $(open\"\nC='$(quoted)'\n";
    let file = parse(text);
    assert_eq!(value(&file, "A").as_deref(), Some("$(not run)"));
    assert_eq!(
        entry(&file, "A").literal_value().as_deref(),
        Some("$(not run)")
    );
    // dotenv's expression needs at least one character inside every pair of parentheses.
    assert_eq!(value(&file, "B").as_deref(), Some("$() $(a ()) $(open"));
    assert!(!entry(&file, "B").has_command());
    assert_eq!(value(&file, "C").as_deref(), Some("$(quoted)"));
}

#[test]
fn commands_reach_values_through_variables() {
    // Variables are substituted first, then commands run on the result (dotenv 3.1.x): a
    // variable whose value is `$(…)` runs it; a variable that needs a command is unknown.
    let text = "A='$(echo hi)'\nB=$A\nC=$(date)\nD=x$C\nE=\"\\\\$A\"\n";
    let file = parse(text);
    assert_eq!(value(&file, "A").as_deref(), Some("$(echo hi)"));
    assert_eq!(value(&file, "B"), None);
    assert_eq!(value(&file, "D"), None);
    assert!(!entry(&file, "D").has_command());
    // `\\$A` is `\` + `$A`, which dotenv treats as an escaped variable.
    assert_eq!(value(&file, "E").as_deref(), Some("$A"));
    let values = file.static_values(&no_env).unwrap();
    assert_eq!(values.len(), 5);
    assert_eq!(values[2], ("C".to_string(), None));
}

#[test]
fn kamal_secrets_fetch_with_spans() {
    let text = "SECRETS=$(kamal secrets fetch --adapter 1password --account acct --from Vault/Item A B)\nA=$(kamal secrets extract A ${SECRETS})\n";
    let file = parse(text);
    assert!(file.problems.is_empty());
    let secrets = entry(&file, "SECRETS");
    assert_eq!(secrets.parts.len(), 1);
    let call = kamal(&secrets.parts[0]);
    assert_eq!(call.subcommand, "fetch");
    assert_eq!(slice(text, &call.subcommand_span), "fetch");
    let (adapter, adapter_span) = call.adapter.as_ref().unwrap();
    assert_eq!(
        (adapter.as_str(), slice(text, adapter_span)),
        ("1password", "1password".into())
    );
    let (account, account_span) = call.account.as_ref().unwrap();
    assert_eq!(
        (account.as_str(), slice(text, account_span)),
        ("acct", "acct".into())
    );
    let (from, from_span) = call.from.as_ref().unwrap();
    assert_eq!(
        (from.as_str(), slice(text, from_span)),
        ("Vault/Item", "Vault/Item".into())
    );
    let names: Vec<(&str, String)> = call
        .names
        .iter()
        .map(|(n, s)| (n.as_str(), slice(text, s)))
        .collect();
    assert_eq!(names, vec![("A", "A".into()), ("B", "B".into())]);
    let args: Vec<&str> = call.args.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        args,
        vec![
            "kamal",
            "secrets",
            "fetch",
            "--adapter",
            "1password",
            "--account",
            "acct",
            "--from",
            "Vault/Item",
            "A",
            "B"
        ]
    );
    for (arg, span) in &call.args {
        assert_eq!(&slice(text, span), arg);
    }

    let a = entry(&file, "A");
    let Part::Command {
        command,
        variables,
        span,
        ..
    } = &a.parts[0]
    else {
        panic!()
    };
    assert_eq!(command, "kamal secrets extract A ${SECRETS}");
    assert_eq!(slice(text, span), "$(kamal secrets extract A ${SECRETS})");
    assert_eq!(variables.len(), 1);
    assert_eq!(variables[0].name, "SECRETS");
    assert!(variables[0].braced);
    assert_eq!(slice(text, &variables[0].span), "${SECRETS}");
    let call = kamal(&a.parts[0]);
    assert_eq!(call.subcommand, "extract");
    let names: Vec<(&str, String)> = call
        .names
        .iter()
        .map(|(n, s)| (n.as_str(), slice(text, s)))
        .collect();
    assert_eq!(
        names,
        vec![("A", "A".into()), ("${SECRETS}", "${SECRETS}".into())]
    );
    assert_eq!(value(&file, "A"), None);
    assert_eq!(a.kamal_calls().count(), 1);
}

#[test]
fn kamal_secrets_option_spellings() {
    let text = "X=$(kamal secrets fetch -a bitwarden --account=me@example.com --from='My Vault' -d prod 'A B' C)\n";
    let file = parse(text);
    let call = kamal(&entry(&file, "X").parts[0]);
    let (adapter, span) = call.adapter.as_ref().unwrap();
    assert_eq!(
        (adapter.as_str(), slice(text, span)),
        ("bitwarden", "bitwarden".into())
    );
    let (account, span) = call.account.as_ref().unwrap();
    assert_eq!(
        (account.as_str(), slice(text, span)),
        ("me@example.com", "me@example.com".into())
    );
    let (from, span) = call.from.as_ref().unwrap();
    assert_eq!(
        (from.as_str(), slice(text, span)),
        ("My Vault", "My Vault".into())
    );
    // `-d prod` is Kamal's destination class option, not a secret name.
    let names: Vec<&str> = call.names.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, vec!["A B", "C"]);
    assert_eq!(slice(text, &call.names[0].1), "'A B'");
}

#[test]
fn kamal_secrets_print_and_other_commands() {
    let text = "P=$(kamal secrets print)\nQ=$(op read op://x/y)\nR=$( kamal  secrets\tfetch -a doppler K)\nS=$(kamalsecrets fetch)\n";
    let file = parse(text);
    assert_eq!(kamal(&entry(&file, "P").parts[0]).subcommand, "print");
    assert!(matches!(
        &entry(&file, "Q").parts[0],
        Part::Command { kamal: None, .. }
    ));
    let r = kamal(&entry(&file, "R").parts[0]);
    assert_eq!(r.subcommand, "fetch");
    assert_eq!(r.adapter.as_ref().unwrap().0, "doppler");
    assert!(matches!(
        &entry(&file, "S").parts[0],
        Part::Command { kamal: None, .. }
    ));
}

#[test]
fn kamal_secrets_unmatched_quote_is_fatal() {
    let text = "X=$(kamal secrets fetch -a test 'oops)\n";
    let file = parse(text);
    let p = file.fatal_problem().expect("fatal problem");
    assert_eq!(p.kind, ProblemKind::CommandUnmatchedQuote);
    assert_eq!(slice(text, &p.span), "$(kamal secrets fetch -a test 'oops)");
    let call = kamal(&entry(&file, "X").parts[0]);
    assert_eq!(call.adapter.as_ref().unwrap().0, "test");
    assert_eq!(file.static_values(&no_env), None);
}

#[test]
fn escaped_variable_inside_a_command() {
    let text = "X=$(echo \\$HOME ${A})\n";
    let file = parse(text);
    let Part::Command {
        command, variables, ..
    } = &entry(&file, "X").parts[0]
    else {
        panic!()
    };
    assert_eq!(command, "echo $HOME ${A}");
    assert_eq!(variables.len(), 1);
    assert_eq!(slice(text, &variables[0].span), "${A}");
}

// ---------------------------------------------------------------------------------------------
// Conformance with Kamal's own secrets tests.

fn shared_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

/// `SECRETS_EXPECTED.tsv` writes newlines as `\n`.
fn tsv_unescape(s: &str) -> String {
    s.replace("\\n", "\n")
}

/// Merges the files Kamal reads for a destination (later files win), each parsed separately.
fn kamal_secrets(
    dir: &Path,
    destination: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<BTreeMap<String, Option<String>>, String> {
    let second = if destination.is_empty() {
        "secrets".to_string()
    } else {
        format!("secrets.{destination}")
    };
    let mut merged = BTreeMap::new();
    for name in ["secrets-common".to_string(), second] {
        let Ok(text) = std::fs::read_to_string(dir.join(".kamal").join(&name)) else {
            continue;
        };
        let file = parse(&text);
        let values = file
            .static_values(env)
            .ok_or_else(|| format!("{name}: dotenv raises"))?;
        merged.extend(values);
    }
    Ok(merged)
}

#[test]
fn kamal_secrets_fixtures_conformance() {
    let dir = shared_dir().join("kamal/fixtures/secrets");
    let tsv = dir.join("SECRETS_EXPECTED.tsv");
    let mut err = std::io::stderr();
    let Ok(table) = std::fs::read_to_string(&tsv) else {
        writeln!(
            err,
            "SKIP kamal_secrets_fixtures_conformance: {} not found (../shared absent)",
            tsv.display()
        )
        .ok();
        return;
    };
    let mut compared = 0;
    let mut agreed = 0;
    let mut skipped: Vec<String> = Vec::new();
    let mut disagreements: Vec<String> = Vec::new();
    for (n, line) in table.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [case, destination, preset, key, expected, ..] = cols[..] else {
            panic!("line {}: expected at least 5 columns: {line:?}", n + 1);
        };
        let case_dir = dir.join(case);
        let preset: Vec<(String, String)> = if preset == "-" || preset.is_empty() {
            Vec::new()
        } else {
            preset
                .split(',')
                .filter_map(|kv| kv.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let env = |name: &str| {
            preset
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        let label = format!("{case} [{destination}] {key}");
        if expected.starts_with("ERROR:") {
            skipped.push(format!("{label}: expects a Kamal error, not a value"));
            continue;
        }
        if key.starts_with("env file for") {
            skipped.push(format!(
                "{label}: about deploy.yml's env, not a secrets file"
            ));
            continue;
        }
        if !case_dir.is_dir() {
            skipped.push(format!("{label}: no case directory"));
            continue;
        }
        let merged = match kamal_secrets(&case_dir, destination, &env) {
            Ok(m) => m,
            Err(e) => {
                compared += 1;
                disagreements.push(format!("{label}: {e}"));
                continue;
            }
        };
        let expected = tsv_unescape(expected);
        let actual = if key == "(kamal secrets print)" {
            // `kamal secrets print` prints `KEY=value` lines in hash order; this case's keys are
            // already sorted, so the BTreeMap order is the hash order.
            if merged.values().any(Option::is_none) {
                skipped.push(format!("{label}: a value needs a command"));
                continue;
            }
            merged
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_deref().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            match merged.get(key) {
                Some(Some(v)) => v.clone(),
                Some(None) => {
                    skipped.push(format!("{label}: the value needs a command"));
                    continue;
                }
                None => {
                    compared += 1;
                    disagreements.push(format!("{label}: key not defined"));
                    continue;
                }
            }
        };
        compared += 1;
        if actual == expected {
            agreed += 1;
        } else {
            disagreements.push(format!("{label}: expected {expected:?}, got {actual:?}"));
        }
    }
    writeln!(
        err,
        "Kamal secrets fixtures: {compared} compared, {agreed} agree, {} skipped",
        skipped.len()
    )
    .ok();
    for s in &skipped {
        writeln!(err, "  skipped {s}").ok();
    }
    for d in &disagreements {
        writeln!(err, "  DISAGREE {d}").ok();
    }
    assert!(compared >= 10, "too few cases compared: {compared}");
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

/// Every `.kamal/secrets*` file in `../shared` (Kamal's fixtures and the real-project corpus):
/// no fatal problem, spans valid, `raw_value` and keys are what the spans cover. Prints counts
/// only, never a value.
#[test]
fn shared_secrets_files_parse_cleanly() {
    let root = shared_dir();
    let mut err = std::io::stderr();
    if !root.is_dir() {
        writeln!(
            err,
            "SKIP shared_secrets_files_parse_cleanly: {} not found",
            root.display()
        )
        .ok();
        return;
    }
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&dir) else {
            continue;
        };
        for item in read.flatten() {
            let path = item.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.parent().and_then(|p| p.file_name()) == Some(".kamal".as_ref())
                && path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("secrets"))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    let (mut entries, mut commands, mut kamal_calls, mut ignored) = (0, 0, 0, 0);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let file = parse(&text);
        let errors = invariant_errors(&text, &file);
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        assert!(
            file.fatal_problem().is_none(),
            "{}: {:?}",
            path.display(),
            file.fatal_problem().map(|p| p.kind)
        );
        entries += file.entries.len();
        ignored += file.ignored_lines.len();
        for e in &file.entries {
            commands += e
                .parts
                .iter()
                .filter(|p| matches!(p, Part::Command { .. }))
                .count();
            kamal_calls += e.kamal_calls().count();
        }
    }
    writeln!(
        err,
        "shared secrets files: {} files, {entries} entries, {commands} commands ({kamal_calls} kamal secrets calls), {ignored} ignored lines",
        files.len()
    )
    .ok();
    assert!(!files.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Robustness.

/// Where the parse result breaks an invariant. The messages name spans and kinds, never the
/// text, so that checking a real secrets file cannot print a secret.
fn invariant_errors(text: &str, file: &SecretsFile) -> Vec<String> {
    let mut errors = Vec::new();
    let mut span_ok = |span: &Range<usize>, what: &str| {
        let ok = span_fits(text, span);
        if !ok {
            errors.push(format!("{what} span {span:?} invalid"));
        }
        ok
    };
    let mut checks: Vec<(bool, String)> = Vec::new();
    for e in &file.entries {
        let spans_ok = span_ok(&e.span, "entry")
            & span_ok(&e.key_span, "key")
            & span_ok(&e.value_span, "value")
            & span_ok(&e.separator_span, "separator");
        if spans_ok {
            checks.push((
                text.get(e.key_span.clone()) == Some(e.key.as_str()),
                format!("key span {:?} does not hold the key", e.key_span),
            ));
            checks.push((
                text.get(e.value_span.clone()) == Some(e.raw_value.as_str()),
                format!("value span {:?} does not hold raw_value", e.value_span),
            ));
        }
        checks.push((
            e.span.start <= e.key_span.start
                && e.key_span.end <= e.span.end
                && e.value_span.end <= e.span.end,
            format!("entry span {:?} does not cover key and value", e.span),
        ));
        if let Some(span) = &e.export_span {
            if span_ok(span, "export") {
                checks.push((
                    text.get(span.clone()) == Some("export"),
                    format!("export span {span:?}"),
                ));
            }
        }
        for part in &e.parts {
            span_ok(part.span(), "part");
            checks.push((
                e.value_span.start <= part.span().start && part.span().end <= e.value_span.end,
                format!(
                    "part span {:?} outside value {:?}",
                    part.span(),
                    e.value_span
                ),
            ));
            if let Part::Command {
                variables, kamal, ..
            } = part
            {
                for v in variables {
                    span_ok(&v.span, "command variable");
                }
                if let Some(call) = kamal {
                    span_ok(&call.subcommand_span, "subcommand");
                    let spans = call
                        .args
                        .iter()
                        .chain(&call.names)
                        .chain(&call.adapter)
                        .chain(&call.account)
                        .chain(&call.from);
                    for (_, span) in spans {
                        span_ok(span, "kamal argument");
                    }
                }
            }
        }
    }
    for c in &file.comments {
        if span_ok(&c.span, "comment") {
            checks.push((
                text.get(c.span.clone()).is_some_and(|t| t.starts_with('#')),
                format!("comment span {:?} does not start with #", c.span),
            ));
        }
    }
    for p in &file.problems {
        span_ok(&p.span, "problem");
    }
    for r in &file.ignored_lines {
        if span_ok(r, "ignored line") {
            checks.push((
                text.get(r.clone()).is_some_and(|t| !t.trim().is_empty()),
                format!("ignored line {r:?} is blank"),
            ));
        }
    }
    if let Some(r) = &file.legacy_linebreaks {
        span_ok(r, "linebreak mode");
    }
    errors.extend(checks.into_iter().filter(|(ok, _)| !ok).map(|(_, m)| m));
    errors
}

/// Rebuilds each value from its parts (literals, variables looked up as dotenv does) and checks
/// it against [`SecretsFile::static_values`]. Skipped where a command is involved, and where a
/// substituted value holds `$`, `(`, `)` or `\` (dotenv would go on to treat those as
/// commands or escapes, which parts do not model).
fn check_parts_agree_with_static_values(
    text: &str,
    file: &SecretsFile,
    values: &[(String, Option<String>)],
    env: &dyn Fn(&str) -> Option<String>,
) -> usize {
    if file
        .entries
        .iter()
        .any(|e| e.key == "DOTENV_LINEBREAK_MODE")
    {
        return 0;
    }
    let special = |v: &str| v.contains(['$', '(', ')', '\\']);
    // key -> (rebuilt value or None when unknown, usable when referenced)
    let mut rebuilt: BTreeMap<&str, (Option<String>, bool)> = BTreeMap::new();
    for e in file.entries.iter().filter(|e| !e.export_only) {
        let mut out = Some(String::new());
        for part in &e.parts {
            let piece = match part {
                Part::Literal { text, .. } => Some(text.clone()),
                Part::Variable { name, .. } => match rebuilt.get(name.as_str()) {
                    Some((Some(v), true)) => Some(v.clone()),
                    Some(_) => None,
                    None => {
                        let v = env(name).unwrap_or_default();
                        (!special(&v)).then_some(v)
                    }
                },
                Part::Command { .. } => None,
            };
            out = out.zip(piece).map(|(a, b)| a + &b);
        }
        let usable = out.as_deref().is_some_and(|v| !special(v));
        rebuilt.insert(&e.key, (out, usable));
    }
    let mut compared = 0;
    for (key, value) in values {
        if let Some((Some(v), _)) = rebuilt.get(key.as_str()) {
            assert_eq!(value.as_deref(), Some(v.as_str()), "{key} in {text:?}");
            compared += 1;
        }
    }
    compared
}

#[test]
fn invariant_checker_detects_bad_spans() {
    let text = "A=é\n# c\n";
    let mut file = parse(text);
    assert!(invariant_errors(text, &file).is_empty());
    file.entries[0].value_span = 3..4; // inside `é`
    file.comments[0].span = 0..1;
    let errors = invariant_errors(text, &file);
    assert_eq!(errors.len(), 3, "{errors:?}");
}

const SEEDS: &[&str] = &[
    "# Secrets\nSECRETS=$(kamal secrets fetch --adapter 1password --account acct --from Vault/Item A B)\nA=$(kamal secrets extract A ${SECRETS})\nB=$(kamal secrets extract B $SECRETS)\nKAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nRAILS_MASTER_KEY=$(cat config/master.key)\n",
    "export A=1\nexport A\nB: two # c\nC='lit $A'\nD=\"multi\nline \\n $A ${B} \\$C $(echo (x))\"\r\nE=abc#def\nF\n",
    "\u{feff}DOTENV_LINEBREAK_MODE=legacy\nK=\"a\\nb\\r\"\nL=\\$(no) $() $((a)) ${ $}\nM=\"é中\\\"\"\n  N  =  x  \n",
    "X=$(kamal secrets fetch -a bitwarden --account=me --from='V X' \"Y Z\" -- W)\nY=$(kamal secrets print)\nZ=$(kamal secrets extract Y \"$X\")\n",
];

const INSERTS: &[&str] = &[
    "=",
    ":",
    ": ",
    "'",
    "\"",
    "\\",
    "$",
    "$(",
    ")",
    "(",
    "{",
    "}",
    "#",
    " ",
    "\t",
    "\n",
    "\r",
    "\r\n",
    "export ",
    "KEY",
    "\\n",
    "\\$",
    "${A}",
    "$A",
    "é",
    "中",
    "\u{feff}",
    "\0",
    "\u{b}",
    "kamal secrets fetch ",
    "-a ",
    "--from=",
    "'x'",
    "\"y\"",
    "`",
];

#[test]
fn mutated_secrets_files_never_panic() {
    let mut rng = Rng(0xd07e_2315);
    let start = Instant::now();
    let mut runs = 0;
    let mut rebuilt = 0;
    let env = |name: &str| (name == "A").then(|| "env-a".to_string());
    for seed in SEEDS {
        for _ in 0..1000 {
            let mut text = seed.as_bytes().to_vec();
            for _ in 0..1 + rng.below(6) {
                let at = rng.below(text.len() + 1);
                match rng.below(4) {
                    0 if !text.is_empty() => {
                        let end = (at + 1 + rng.below(8)).min(text.len());
                        text.drain(at.min(end)..end);
                    }
                    1 => {
                        // Duplicate a slice elsewhere.
                        let a = rng.below(text.len() + 1);
                        let b = (a + rng.below(40)).min(text.len());
                        let piece = text[a..b].to_vec();
                        let at = at.min(text.len());
                        text.splice(at..at, piece);
                    }
                    _ => {
                        let insert = rng.pick(INSERTS).as_bytes();
                        text.splice(at..at, insert.iter().copied());
                    }
                }
            }
            let text = String::from_utf8_lossy(&text).into_owned();
            let file = parse(&text);
            let errors = invariant_errors(&text, &file);
            assert!(errors.is_empty(), "{errors:?} in {text:?}");
            let values = file.static_values(&env);
            assert_eq!(values.is_none(), file.fatal_problem().is_some());
            if let Some(values) = &values {
                rebuilt += check_parts_agree_with_static_values(&text, &file, values, &env);
            }
            // A value made of literal text only is what dotenv produces, whatever the env.
            if let Some(values) = values {
                if file.legacy_linebreaks.is_none() && file.get("DOTENV_LINEBREAK_MODE").is_none() {
                    for (key, v) in &values {
                        let e = file.get(key).expect("key from static_values has an entry");
                        if let Some(lit) = e.literal_value() {
                            assert_eq!(v.as_deref(), Some(lit.as_str()), "{key} in {text:?}");
                        }
                    }
                }
            }
            runs += 1;
        }
    }
    let elapsed = start.elapsed();
    writeln!(
        std::io::stderr(),
        "mutated secrets files: {runs} parsed in {elapsed:?}, {rebuilt} values rebuilt from parts"
    )
    .ok();
    assert!(runs >= 4000);
    assert!(
        rebuilt >= 4000,
        "only {rebuilt} values rebuilt from their parts"
    );
}

#[test]
fn pathological_inputs_stay_fast() {
    let start = Instant::now();
    let big = [
        "$(".repeat(20_000),
        "(".repeat(20_000) + &")".repeat(20_000),
        "A='".to_string() + &"\\'".repeat(20_000),
        "\n".repeat(50_000) + "!",
        "A=\"".to_string() + &"x\n".repeat(20_000),
        "A=".to_string() + &" ".repeat(50_000) + "'",
        "K=$(".to_string() + &"a ".repeat(20_000) + ")",
        "X=$(kamal secrets fetch ".to_string() + &"'a' ".repeat(5_000) + ")",
    ];
    for text in &big {
        let file = parse(text);
        let errors = invariant_errors(text, &file);
        assert!(errors.is_empty(), "{errors:?}");
        let _ = file.static_values(&no_env);
    }
    let elapsed = start.elapsed();
    assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
}
