//! The Dockerfile parser: BuildKit's rules (continuations, directives, heredocs, JSON/shell form,
//! flags), exact byte spans, typed helpers, substitution, the shared corpus, and a property test
//! feeding mutated Dockerfiles (no panic, every span inside the text on character boundaries).

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod support;

use sextant_lint::syntax::dockerfile::{parse, Args, Dockerfile, Instruction, Lookup};

use support::{mutate, span_fits, Edit, Rng};

/// The source text at a span (panics in the test if the span is bad, which is the point).
fn at<'a>(text: &'a str, span: &Range<usize>) -> &'a str {
    text.get(span.clone())
        .unwrap_or_else(|| panic!("span {span:?} not inside the text or not on char boundaries"))
}

fn messages(file: &Dockerfile) -> Vec<&str> {
    file.problems.iter().map(|p| p.message.as_str()).collect()
}

fn shell(ins: &Instruction) -> &str {
    match &ins.args {
        Args::Shell(s) => s.as_str(),
        other => panic!("expected shell form, got {other:?}"),
    }
}

fn values(words: &[sextant_lint::syntax::dockerfile::Word]) -> Vec<&str> {
    words.iter().map(|w| w.value.as_str()).collect()
}

/// Every span of the parse lies inside `text` on character boundaries, and ranges are ordered.
fn assert_spans_valid(text: &str, file: &Dockerfile) {
    let check = |what: &str, r: &Range<usize>| {
        assert!(span_fits(text, r), "{what} span {r:?} invalid in {text:?}");
    };
    for d in &file.directives {
        check("directive", &d.span);
        check("directive name", &d.name_span);
        check("directive value", &d.value_span);
    }
    for c in &file.comments {
        check("comment", &c.span);
    }
    for p in &file.problems {
        check("problem", &p.span);
    }
    let mut all: Vec<&Instruction> = file.instructions.iter().collect();
    all.extend(
        file.instructions
            .iter()
            .filter_map(|i| i.onbuild.as_deref()),
    );
    for ins in all {
        check("instruction", &ins.span);
        check("keyword", &ins.keyword_span);
        assert!(ins.keyword_span.start >= ins.span.start && ins.keyword_span.end <= ins.span.end);
        for f in &ins.flags {
            check("flag", &f.span);
            if let Some(v) = &f.value_span {
                check("flag value", v);
            }
        }
        for w in ins.words() {
            check("word", &w.span);
        }
        check("args", &ins.args_span());
        for h in &ins.heredocs {
            check("heredoc", &h.span);
            check("heredoc body", &h.body_span);
            check("heredoc marker", &h.marker_span);
            if let Some(t) = &h.terminator_span {
                check("heredoc terminator", t);
            }
            assert_eq!(at(text, &h.body_span), h.body);
        }
        for p in ins.expose_ports() {
            check("port", &p.span);
        }
        for a in ins.arg_decls() {
            check("arg", &a.span);
            check("arg name", &a.name_span);
        }
        for kv in ins.env_pairs().iter().chain(ins.label_pairs().iter()) {
            check("pair", &kv.span);
            check("key", &kv.key_span);
            check("value", &kv.value_span);
        }
        for m in ins.mounts() {
            check("mount", &m.span);
            for o in &m.options {
                check("mount option", &o.span);
            }
        }
        if let Some(from) = ins.from_image() {
            check("image", &from.image.span);
        }
        if let Some(h) = ins.healthcheck() {
            if let Args::Exec(words) = &h.command {
                for w in words {
                    check("healthcheck word", &w.span);
                }
            }
        }
        let line = &ins.line;
        for i in 0..=line.text.len() {
            if line.text.is_char_boundary(i) {
                let s = line.to_source(i);
                assert!(s <= text.len() && text.is_char_boundary(s));
            }
        }
    }
    for s in &file.stages {
        check("stage image", &s.image_span);
        if let Some(n) = &s.name_span {
            check("stage name", n);
        }
        assert!(s.instructions.end <= file.instructions.len());
        assert!(s.instructions.contains(&s.from));
    }
}

// ---------------------------------------------------------------------------------------------
// Instructions, keywords, spans
// ---------------------------------------------------------------------------------------------

#[test]
fn instructions_are_case_insensitive_and_spanned() {
    let text = "from ruby:3.3 as base\n  run  echo hi\nWorkDir /app\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let kws: Vec<&str> = file
        .instructions
        .iter()
        .map(|i| i.keyword.as_str())
        .collect();
    assert_eq!(kws, ["FROM", "RUN", "WORKDIR"]);
    assert_eq!(at(text, &file.instructions[0].keyword_span), "from");
    assert_eq!(
        at(text, &file.instructions[0].span),
        "from ruby:3.3 as base"
    );
    // the first line of an instruction is left-trimmed
    assert_eq!(at(text, &file.instructions[1].keyword_span), "run");
    assert_eq!(at(text, &file.instructions[1].span), "run  echo hi");
    assert_eq!(shell(&file.instructions[1]), "echo hi");
    assert_eq!(at(text, &file.instructions[1].args_span()), "echo hi");
    assert_eq!(file.escape, '\\');
    assert_spans_valid(text, &file);
}

#[test]
fn multibyte_text_keeps_exact_byte_spans() {
    let text = "FROM alpine\nLABEL description=\"café 😀 naïve\" author=Zoë\nRUN echo \"héllo wörld\" 😀\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let labels = file.instructions[1].label_pairs();
    assert_eq!(labels.len(), 2);
    assert_eq!(labels[0].value, "café 😀 naïve");
    assert_eq!(at(text, &labels[0].value_span), "\"café 😀 naïve\"");
    assert_eq!(at(text, &labels[1].key_span), "author");
    assert_eq!(at(text, &labels[1].value_span), "Zoë");
    let words = file.instructions[2].words();
    assert_eq!(values(&words), ["echo", "héllo wörld", "😀"]);
    assert_eq!(at(text, &words[1].span), "\"héllo wörld\"");
    assert_eq!(at(text, &words[2].span), "😀");
    assert_spans_valid(text, &file);
}

#[test]
fn unknown_instructions_are_positioned_problems_with_suggestions() {
    let text = "FROM alpine\nRUNN echo\nFOOBAR x\n";
    let file = parse(text);
    assert_eq!(file.instructions.len(), 3);
    assert_eq!(file.problems.len(), 2);
    assert_eq!(
        file.problems[0].message,
        "unknown instruction: RUNN (did you mean RUN?)"
    );
    assert_eq!(at(text, &file.problems[0].span), "RUNN");
    assert_eq!(file.problems[1].message, "unknown instruction: FOOBAR");
    assert_eq!(at(text, &file.problems[1].span), "FOOBAR");
}

#[test]
fn only_arg_may_come_before_from_and_from_is_required() {
    let text = "ARG V=1\nRUN echo\nFROM alpine:$V\n";
    let file = parse(text);
    assert_eq!(file.problems.len(), 1, "{:?}", file.problems);
    assert!(file.problems[0]
        .message
        .starts_with("RUN before the first FROM"));
    assert_eq!(at(text, &file.problems[0].span), "RUN");

    let file = parse("ARG A\n# just a comment\n");
    assert_eq!(
        messages(&file),
        ["no FROM instruction: the Dockerfile has no build stage"]
    );
    assert!(file.stages.is_empty());
    assert!(file.final_stage().is_none());

    for empty in ["", "\n\n  \n", "# only\n# comments\n", "\u{feff}"] {
        let file = parse(empty);
        assert_eq!(messages(&file), ["file with no instructions"], "{empty:?}");
        assert_spans_valid(empty, &file);
    }
}

#[test]
fn argument_count_problems_follow_buildkit() {
    let cases: &[(&str, &str)] = &[
        ("FROM", "FROM requires either one or three arguments"),
        ("FROM a b", "FROM requires either one or three arguments"),
        ("FROM a AS 1st", "invalid name for build stage: \"1st\", name can't start with a number or contain symbols"),
        ("FROM a\nCOPY onlyone", "COPY requires at least two arguments, but only one was provided. Destination could not be determined"),
        ("FROM a\nWORKDIR", "WORKDIR requires exactly one argument"),
        ("FROM a\nUSER", "USER requires exactly one argument"),
        ("FROM a\nEXPOSE", "EXPOSE requires at least one argument"),
        ("FROM a\nENV", "ENV requires at least one argument"),
        ("FROM a\nENV ONLYKEY", "ENV must have two arguments"),
        ("FROM a\nENV A=1 B", "Syntax error - can't find = in \"B\". Must be of the form: name=value"),
        ("FROM a\nENV =x", "ENV names can not be blank"),
        ("FROM a\nARG", "ARG requires at least one argument"),
        ("FROM a\nSHELL /bin/sh -c", "SHELL requires the arguments to be in JSON form"),
        ("FROM a\nHEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments"),
        ("FROM a\nHEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD"),
        ("FROM a\nHEALTHCHECK curl x", "Unknown type \"CURL\" in HEALTHCHECK (try CMD)"),
        ("FROM a\nONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"),
        ("FROM a\nONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger"),
        ("FROM a\nCMD [\"a\", 1]", "when using JSON array syntax, arrays must be comprised of strings only"),
    ];
    for (text, expected) in cases {
        let file = parse(text);
        assert_eq!(messages(&file), [*expected], "{text:?}");
        assert_spans_valid(text, &file);
    }
}

// ---------------------------------------------------------------------------------------------
// Continuation lines
// ---------------------------------------------------------------------------------------------

#[test]
fn continuation_lines_join_with_comments_and_blank_lines_skipped() {
    let text = "FROM alpine\nRUN apk add \\\n    curl \\\n# a comment inside\n\n      \\\n    git\nCMD x\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(file.instructions.len(), 3);
    let run = &file.instructions[1];
    // BuildKit keeps the leading whitespace of continuation lines and adds nothing
    assert_eq!(shell(run), "apk add     curl           git");
    assert_eq!(
        at(text, &run.span),
        "RUN apk add \\\n    curl \\\n# a comment inside\n\n      \\\n    git"
    );
    let words = run.words();
    assert_eq!(values(&words), ["apk", "add", "curl", "git"]);
    assert_eq!(at(text, &words[2].span), "curl");
    assert_eq!(at(text, &words[3].span), "git");
    // the comment inside the instruction is kept for suppressions
    assert_eq!(file.comments.len(), 1);
    assert_eq!(file.comments[0].text, "a comment inside");
    assert_eq!(at(text, &file.comments[0].span), "# a comment inside");
    // offsets of the joined text map back into the source
    let curl = run.line.text.find("curl").unwrap();
    assert_eq!(at(text, &run.line.source_range(curl..curl + 4)), "curl");
    assert_spans_valid(text, &file);
}

#[test]
fn continuation_allows_trailing_whitespace_but_not_an_escaped_escape() {
    let text = "FROM a\nRUN echo one \\  \t\n  two\nRUN echo \\\\\nRUN three\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(file.instructions.len(), 4);
    assert_eq!(shell(&file.instructions[1]), "echo one   two");
    // `\\` at the end of a line is an escaped backslash, not a continuation
    assert_eq!(shell(&file.instructions[2]), "echo \\\\");
    assert_eq!(shell(&file.instructions[3]), "three");
}

#[test]
fn a_word_spanning_a_continuation_maps_to_both_lines() {
    let text = "FROM a\nRUN --mount=type=cache,\\\ntarget=/root/.cache pip install x\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let run = &file.instructions[1];
    assert_eq!(run.flags.len(), 1);
    assert_eq!(
        run.flags[0].value.as_deref(),
        Some("type=cache,target=/root/.cache")
    );
    assert_eq!(
        at(text, &run.flags[0].span),
        "--mount=type=cache,\\\ntarget=/root/.cache"
    );
    let mounts = run.mounts();
    assert_eq!(mounts[0].kind(), "cache");
    assert_eq!(mounts[0].get("target"), Some("/root/.cache"));
    // option spans stay exact across the continuation
    assert_eq!(at(text, &mounts[0].options[0].span), "type=cache");
    assert_eq!(at(text, &mounts[0].options[1].span), "target=/root/.cache");
}

#[test]
fn backtick_escape_directive() {
    let text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore\nRUN dir C:\\ `\n    && echo done\nCOPY . C:\\app\\\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(file.escape, '`');
    assert_eq!(file.directives.len(), 1);
    assert_eq!(file.directives[0].name, "escape");
    assert_eq!(file.directives[0].value, "`");
    assert_eq!(at(text, &file.directives[0].value_span), "`");
    assert!(file.comments.is_empty(), "a directive is not a comment");
    assert_eq!(file.instructions.len(), 3);
    assert_eq!(shell(&file.instructions[1]), "dir C:\\     && echo done");
    // the backslash is an ordinary character now: `C:\app\` does not continue
    let copy = file.instructions[2].words();
    assert_eq!(values(&copy), [".", "C:\\app\\"]);
}

// ---------------------------------------------------------------------------------------------
// Parser directives
// ---------------------------------------------------------------------------------------------

#[test]
fn directives_only_at_the_very_top() {
    let text = "#  syntax = docker/dockerfile:1.7 \n# check=skip=JSONArgsRecommended\n# escape=`\nFROM a\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let names: Vec<&str> = file.directives.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["syntax", "check", "escape"]);
    assert_eq!(file.directives[0].value, "docker/dockerfile:1.7");
    assert_eq!(at(text, &file.directives[0].name_span), "syntax");
    assert_eq!(
        at(text, &file.directives[0].span),
        "#  syntax = docker/dockerfile:1.7 "
    );
    assert_eq!(file.directives[1].value, "skip=JSONArgsRecommended");
    assert_eq!(file.escape, '`');

    // after a comment, a blank line, an unknown directive or an instruction: plain comments
    for text in [
        "# hello\n# escape=`\nFROM a\n",
        "\n# escape=`\nFROM a\n",
        "# foo=bar\n# escape=`\nFROM a\n",
        "FROM a\n# escape=`\n",
    ] {
        let file = parse(text);
        assert!(file.directives.is_empty(), "{text:?}");
        assert_eq!(file.escape, '\\', "{text:?}");
        assert!(
            file.comments.iter().any(|c| c.text == "escape=`"),
            "{text:?}"
        );
        assert!(file.problems.is_empty(), "{text:?}: {:?}", file.problems);
    }
}

#[test]
fn directive_problems() {
    let text = "# syntax=a\n# syntax=b\nFROM a\n";
    let file = parse(text);
    assert_eq!(
        messages(&file),
        ["only one syntax parser directive can be used"]
    );
    assert_eq!(at(text, &file.problems[0].span), "# syntax=b");
    let text = "# escape=x\nFROM a\n";
    let file = parse(text);
    assert_eq!(
        messages(&file),
        ["invalid escape token 'x' does not match ` or \\"]
    );
    assert_eq!(at(text, &file.problems[0].span), "x");
    assert_eq!(file.escape, '\\');
}

// ---------------------------------------------------------------------------------------------
// CRLF and BOM
// ---------------------------------------------------------------------------------------------

#[test]
fn crlf_and_bom() {
    let text = "\u{feff}# syntax=docker/dockerfile:1\r\nFROM ruby:3.3 AS app\r\nRUN echo a \\\r\n  b\r\nRUN <<EOF\r\necho hi\r\nEOF\r\nCMD [\"x\"]\r\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(file.directives.len(), 1);
    assert_eq!(file.directives[0].span.start, 3, "after the BOM");
    assert_eq!(file.directives[0].value, "docker/dockerfile:1");
    let ins = &file.instructions;
    assert_eq!(ins.len(), 4);
    assert_eq!(at(text, &ins[0].span), "FROM ruby:3.3 AS app");
    assert_eq!(shell(&ins[1]), "echo a   b");
    assert_eq!(at(text, &ins[1].span), "RUN echo a \\\r\n  b");
    let h = &ins[2].heredocs[0];
    assert_eq!(h.body, "echo hi\r\n");
    assert_eq!(at(text, h.terminator_span.as_ref().unwrap()), "EOF");
    assert_eq!(at(text, &ins[2].span), "RUN <<EOF\r\necho hi\r\nEOF");
    assert!(ins[3].is_exec_form());
    assert_eq!(file.stages[0].name.as_deref(), Some("app"));
    assert_spans_valid(text, &file);
}

// ---------------------------------------------------------------------------------------------
// Heredocs
// ---------------------------------------------------------------------------------------------

#[test]
fn several_heredocs_per_instruction() {
    let text = "FROM a\nRUN <<EOF1 cat - >/a && 3<<'EOF2' sh\nline one\n# not a comment\nRUN not an instruction\nEOF1\n$NOT_EXPANDED\nEOF2\nCMD done\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(file.instructions.len(), 3);
    let run = &file.instructions[1];
    assert_eq!(run.heredocs.len(), 2);
    let (a, b) = (&run.heredocs[0], &run.heredocs[1]);
    assert_eq!(a.delimiter, "EOF1");
    assert!(!a.quoted && !a.strip_tabs && a.fd.is_none());
    assert_eq!(
        a.body,
        "line one\n# not a comment\nRUN not an instruction\n"
    );
    assert_eq!(at(text, &a.marker_span), "<<EOF1");
    assert_eq!(b.delimiter, "EOF2");
    assert!(b.quoted);
    assert_eq!(b.fd, Some(3));
    assert_eq!(b.body, "$NOT_EXPANDED\n");
    assert_eq!(at(text, &b.marker_span), "3<<'EOF2'");
    assert_eq!(at(text, b.terminator_span.as_ref().unwrap()), "EOF2");
    assert!(at(text, &run.span).ends_with("$NOT_EXPANDED\nEOF2"));
    assert!(file.comments.is_empty(), "heredoc lines are not comments");
    assert_eq!(shell(&file.instructions[2]), "done");
    assert_spans_valid(text, &file);
}

#[test]
fn heredoc_strip_tabs_and_quoted_delimiters() {
    let text = "FROM a\nRUN <<-\"END\"\n\techo a\n\t\techo b\n\t\tEND\nCOPY <<EOT <<\"EOT2\" /dst/\nx\nEOT\ny\nEOT2\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let h = &file.instructions[1].heredocs[0];
    assert_eq!(h.delimiter, "END");
    assert!(h.strip_tabs && h.quoted);
    assert_eq!(h.body, "\techo a\n\t\techo b\n");
    assert_eq!(h.content(), "echo a\necho b\n");
    assert_eq!(at(text, h.terminator_span.as_ref().unwrap()), "\t\tEND");
    let copy = &file.instructions[2];
    assert_eq!(copy.heredocs.len(), 2);
    assert!(!copy.heredocs[0].quoted);
    assert!(copy.heredocs[1].quoted);
    assert_eq!(copy.heredocs[1].body, "y\n");
    assert_eq!(values(&copy.words()), ["<<EOT", "<<EOT2", "/dst/"]);
}

#[test]
fn heredocs_only_where_buildkit_reads_them() {
    // CMD has no heredocs: the next line is an instruction
    let text = "FROM a\nCMD cat <<EOF\nRUN echo\n";
    let file = parse(text);
    assert!(file.instructions[1].heredocs.is_empty());
    assert_eq!(file.instructions.len(), 3);
    // JSON form: no heredoc
    let file = parse("FROM a\nRUN [\"sh\", \"<<EOF\"]\nRUN echo\n");
    assert!(file.instructions[1].heredocs.is_empty());
    assert_eq!(file.instructions.len(), 3);
    // `cat<<EOF` is not a heredoc word for BuildKit (the word must start with `<<`)
    let file = parse("FROM a\nRUN cat<<EOF\nRUN echo\n");
    assert!(file.instructions[1].heredocs.is_empty());
    assert_eq!(file.instructions.len(), 3);
    // quoted `<<EOF` is not a marker either
    let file = parse("FROM a\nRUN echo '<<EOF'\nRUN echo\n");
    assert!(file.instructions[1].heredocs.is_empty());
    // ONBUILD RUN reads one, attached to both the ONBUILD and its trigger
    let text = "FROM a\nONBUILD RUN <<X\nbody\nX\nRUN after\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(file.instructions.len(), 3);
    let onbuild = &file.instructions[1];
    assert_eq!(onbuild.heredocs[0].body, "body\n");
    let trigger = onbuild.onbuild.as_deref().unwrap();
    assert_eq!(trigger.keyword, "RUN");
    assert_eq!(at(text, &trigger.keyword_span), "RUN");
    assert_eq!(trigger.heredocs[0].body, "body\n");
    assert_spans_valid(text, &file);
}

#[test]
fn heredoc_marker_on_a_continuation_line() {
    let text = "FROM a\nRUN set -e; \\\n  python3 <<PY\nprint(1)\nPY\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let run = &file.instructions[1];
    assert_eq!(at(text, &run.heredocs[0].marker_span), "<<PY");
    assert_eq!(run.heredocs[0].body, "print(1)\n");
}

#[test]
fn unterminated_heredoc_is_a_problem_reaching_the_end() {
    let text = "FROM a\nRUN <<EOF\necho never ends\nEOF \n";
    let file = parse(text);
    assert_eq!(messages(&file), ["unterminated heredoc"]);
    assert_eq!(at(text, &file.problems[0].span), "<<EOF");
    let h = &file.instructions[1].heredocs[0];
    assert!(h.terminator_span.is_none());
    assert_eq!(h.body, "echo never ends\nEOF \n");
    assert_eq!(h.body_span.end, text.len());
    assert_spans_valid(text, &file);
}

#[test]
fn heredoc_as_copy_destination_is_a_problem() {
    let text = "FROM a\nCOPY <<A <<B\nx\nA\ny\nB\n";
    let file = parse(text);
    assert_eq!(
        messages(&file),
        ["COPY cannot accept a heredoc as a destination"]
    );
    assert_eq!(at(text, &file.problems[0].span), "<<B");
}

// ---------------------------------------------------------------------------------------------
// JSON and shell forms
// ---------------------------------------------------------------------------------------------

#[test]
fn json_and_shell_forms() {
    let text = concat!(
        "FROM a\n",
        "CMD [\"bin/rails\", \"server\", \"-b\", \"0.0.0.0\"]\n",
        "CMD bin/rails server\n",
        "ENTRYPOINT [ \"say \\\"hi\\\"\", \"caf\\u00e9\", \"\\ud83d\\ude00\" ]\n",
        "RUN [\"a\"] trailing text is ignored by Go's decoder\n",
        "RUN [not json]\n",
        "CMD []\n",
        "VOLUME [\"/data\", \"/logs\"]\n",
        "ENV X [\"not\", \"json\"]\n",
        "HEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost/up\"]\n",
    );
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let ins = &file.instructions;
    let Args::Exec(words) = &ins[1].args else {
        panic!("exec form expected")
    };
    assert_eq!(values(words), ["bin/rails", "server", "-b", "0.0.0.0"]);
    assert_eq!(at(text, &words[0].span), "\"bin/rails\"");
    assert!(ins[1].is_exec_form());
    assert!(!ins[2].is_exec_form());
    assert_eq!(shell(&ins[2]), "bin/rails server");
    let Args::Exec(words) = &ins[3].args else {
        panic!("exec form expected")
    };
    assert_eq!(values(words), ["say \"hi\"", "café", "😀"]);
    assert_eq!(at(text, &words[1].span), "\"caf\\u00e9\"");
    assert!(ins[4].is_exec_form());
    assert_eq!(values(&ins[4].words()), ["a"]);
    assert_eq!(shell(&ins[5]), "[not json]");
    assert!(matches!(&ins[6].args, Args::Exec(w) if w.is_empty()));
    assert_eq!(values(&ins[7].words()), ["/data", "/logs"]);
    assert!(!ins[8].is_exec_form(), "ENV has no JSON form");
    let hc = ins[9].healthcheck().unwrap();
    assert!(!hc.none);
    let Args::Exec(words) = &hc.command else {
        panic!("exec healthcheck expected")
    };
    assert_eq!(values(words), ["curl", "-f", "http://localhost/up"]);
    assert_eq!(at(text, &words[2].span), "\"http://localhost/up\"");
    assert_eq!(
        ins[9].flag("interval").unwrap().value.as_deref(),
        Some("5s")
    );
    assert_spans_valid(text, &file);
}

#[test]
fn json_array_across_continuation_lines() {
    let text = "FROM a\nCMD [\"bundle\", \\\n     \"exec\", \\\n     \"puma\"]\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let words = file.instructions[1].words();
    assert_eq!(values(&words), ["bundle", "exec", "puma"]);
    assert_eq!(at(text, &words[2].span), "\"puma\"");
    let span = file.instructions[1].args_span();
    assert!(at(text, &span).starts_with("[\"bundle\""));
}

#[test]
fn invalid_json_variants_fall_back_to_shell_form() {
    for args in [
        "[\"a\" \"b\"]",
        "[\"a\",]",
        "[\"unterminated",
        "[\"bad escape \\q\"]",
        "[01]",
        "[\"tab\tinside\"]",
        "[",
    ] {
        let text = format!("FROM a\nRUN {args}\n");
        let file = parse(&text);
        assert!(file.problems.is_empty(), "{args}: {:?}", file.problems);
        assert!(!file.instructions[1].is_exec_form(), "{args}");
    }
    for args in [
        "[1]",
        "[\"a\", null]",
        "[[\"nested\"]]",
        "[{\"a\": [1, {}]}]",
    ] {
        let text = format!("FROM a\nRUN {args}\n");
        let file = parse(&text);
        assert_eq!(
            messages(&file),
            ["when using JSON array syntax, arrays must be comprised of strings only"],
            "{args}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------

#[test]
fn flags_in_order_with_values_and_spans() {
    let text = "FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nCOPY --from=build --chown=app:app --chmod=0755 --link /out /app\nRUN --mount=type=secret,id=master_key,target=/run/secrets/key --network=none -- --not-a-flag\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let from = &file.instructions[0];
    assert_eq!(from.flags[0].name, "platform");
    assert_eq!(from.flags[0].value.as_deref(), Some("$BUILDPLATFORM"));
    assert_eq!(
        at(text, from.flags[0].value_span.as_ref().unwrap()),
        "$BUILDPLATFORM"
    );
    let copy = &file.instructions[1];
    let names: Vec<&str> = copy.flags.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["from", "chown", "chmod", "link"]);
    assert_eq!(copy.flags[3].value, None);
    assert_eq!(at(text, &copy.flags[1].span), "--chown=app:app");
    assert_eq!(values(&copy.words()), ["/out", "/app"]);
    assert_eq!(
        copy.flag("from").and_then(|f| f.value.as_deref()),
        Some("build")
    );
    let run = &file.instructions[2];
    assert_eq!(run.flags.len(), 2);
    // `--` ends the flags
    assert_eq!(shell(run), "--not-a-flag");
    let mounts = run.mounts();
    assert_eq!(mounts.len(), 1);
    let m = &mounts[0];
    assert_eq!(m.kind(), "secret");
    assert_eq!(m.get("id"), Some("master_key"));
    assert_eq!(m.get("target"), Some("/run/secrets/key"));
    assert_eq!(at(text, &m.options[1].span), "id=master_key");
    assert_eq!(m.options[0].key, "type");
    assert_spans_valid(text, &file);
}

#[test]
fn quoted_flag_values_and_mount_defaults() {
    let text =
        "FROM a\nRUN --mount=\"type=bind,source=a b,target=/x\" --mount=target=/y,readonly ls\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let run = &file.instructions[1];
    let mounts = run.mounts();
    assert_eq!(mounts[0].get("source"), Some("a b"));
    // spans of single options fall back to the whole value when quotes were removed
    assert_eq!(
        at(text, &mounts[0].options[0].span),
        "\"type=bind,source=a b,target=/x\""
    );
    assert_eq!(mounts[1].kind(), "bind");
    assert_eq!(mounts[1].options[1].key, "readonly");
    assert_eq!(mounts[1].options[1].value, None);
    assert_eq!(shell(run), "ls");
}

#[test]
fn flag_problems_follow_buildkit() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "FROM a\nCOPY --frm=x a b\n",
            "unknown flag: --frm (did you mean from?)",
            "--frm=x",
        ),
        (
            "FROM a\nRUN --mount=type=cache,target=/a --mount=type=tmpfs,target=/b --network=host --network=none x\n",
            "duplicate flag specified: --network",
            "--network=none",
        ),
        ("FROM a\nCOPY --from a b\n", "missing a value on flag: --from", "--from"),
        (
            "FROM a\nCOPY --link=maybe a b\n",
            "expecting boolean value for flag --link, not: maybe",
            "maybe",
        ),
        ("FROM a\nENV --x=1 A=b\n", "unknown flag: --x", "--x=1"),
    ];
    for (text, message, span) in cases {
        let file = parse(text);
        assert_eq!(messages(&file), [*message], "{text:?}");
        assert_eq!(at(text, &file.problems[0].span), *span, "{text:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Stages
// ---------------------------------------------------------------------------------------------

#[test]
fn stages_names_ranges_and_lookup() {
    let text = "ARG RUBY=3.3\nFROM --platform=linux/amd64 ruby:$RUBY-slim AS Base\nENV A=1\nFROM base AS build\nRUN make\nFROM docker.io/library/alpine:3.20@sha256:abc\nCOPY --from=build /x /y\nCOPY --from=0 /z /z\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    assert_eq!(file.stages.len(), 3);
    let base = &file.stages[0];
    assert_eq!(base.index, 0);
    assert_eq!(
        base.name.as_deref(),
        Some("base"),
        "lower-cased as BuildKit"
    );
    assert_eq!(at(text, base.name_span.as_ref().unwrap()), "Base");
    assert_eq!(base.image, "ruby:$RUBY-slim");
    assert_eq!(at(text, &base.image_span), "ruby:$RUBY-slim");
    assert_eq!(base.platform.as_deref(), Some("linux/amd64"));
    assert_eq!(base.instructions, 1..3);
    assert_eq!(base.from, 1);
    let build = &file.stages[1];
    assert_eq!(build.parent, Some(0));
    assert_eq!(build.instructions, 3..5);
    let last = file.final_stage().unwrap();
    assert_eq!(last.index, 2);
    assert_eq!(last.name, None);
    assert_eq!(last.parent, None);
    assert_eq!(file.stage_by_name("BUILD").unwrap().index, 1);
    assert_eq!(file.stage_by_ref("build").unwrap().index, 1);
    assert_eq!(file.stage_by_ref("0").unwrap().index, 0);
    assert!(file.stage_by_ref("7").is_none());
    assert!(file.stage_by_name("nope").is_none());
    // a name used twice is a lint matter (BuildKit warns), not a syntax problem
    let twice = parse("FROM a AS x\nFROM b AS X\n");
    assert!(twice.problems.is_empty());
    assert_eq!(twice.stage_by_name("x").unwrap().index, 0);
    assert_eq!(file.stage_of(4).unwrap().index, 1);
    assert!(file.stage_of(0).is_none(), "the global ARG is in no stage");

    let from = file.instructions[5].from_image().unwrap();
    assert_eq!(from.image.name, "docker.io/library/alpine");
    assert_eq!(from.image.tag.as_deref(), Some("3.20"));
    assert_eq!(from.image.digest.as_deref(), Some("sha256:abc"));
    let from = file.instructions[1].from_image().unwrap();
    assert_eq!(from.image.tag.as_deref(), Some("$RUBY-slim"));
    assert_eq!(from.platform.as_deref(), Some("linux/amd64"));
    assert_eq!(from.stage_name.unwrap().value, "Base");
    let registry = parse("FROM localhost:5000/app\n").instructions[0]
        .from_image()
        .unwrap();
    assert_eq!(registry.image.name, "localhost:5000/app");
    assert_eq!(registry.image.tag, None);
    // hadolint 2.15 fails to parse this one (Kamal's integration fixtures use it)
    let registry = parse("FROM registry:4443/nginx:1-alpine-slim\n").instructions[0]
        .from_image()
        .unwrap();
    assert_eq!(registry.image.name, "registry:4443/nginx");
    assert_eq!(registry.image.tag.as_deref(), Some("1-alpine-slim"));
    assert_spans_valid(text, &file);
}

// ---------------------------------------------------------------------------------------------
// Typed helpers
// ---------------------------------------------------------------------------------------------

#[test]
fn words_respect_quotes_and_escapes() {
    let text = "FROM a\nRUN echo 'single $X' \"double \\\"q\\\" $Y\" plain\\ space \"\" end\n";
    let file = parse(text);
    let words = file.instructions[1].words();
    assert_eq!(
        values(&words),
        [
            "echo",
            "single $X",
            "double \"q\" $Y",
            "plain space",
            "",
            "end"
        ]
    );
    assert_eq!(at(text, &words[1].span), "'single $X'");
    assert_eq!(at(text, &words[3].span), "plain\\ space");
    assert_eq!(at(text, &words[4].span), "\"\"");
}

#[test]
fn expose_ports() {
    let text = "FROM a\nEXPOSE 80 3000/tcp 8080-8090/udp $PORT \"443\"\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let ports = file.instructions[1].expose_ports();
    let got: Vec<_> = ports
        .iter()
        .map(|p| (p.port, p.end_port, p.protocol.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (Some(80), None, None),
            (Some(3000), None, Some("tcp")),
            (Some(8080), Some(8090), Some("udp")),
            (None, None, None),
            (Some(443), None, None),
        ]
    );
    assert_eq!(ports[3].text, "$PORT");
    assert_eq!(at(text, &ports[2].span), "8080-8090/udp");
    assert!(file.instructions[0].expose_ports().is_empty());
}

#[test]
fn arg_declarations() {
    let text = "ARG A\nARG B=1 C=\"two words\" D=\nFROM a\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let a = file.instructions[0].arg_decls();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].name, "A");
    assert_eq!(a[0].default, None);
    let b = file.instructions[1].arg_decls();
    let got: Vec<_> = b
        .iter()
        .map(|d| (d.name.as_str(), d.default.as_deref()))
        .collect();
    assert_eq!(
        got,
        [("B", Some("1")), ("C", Some("two words")), ("D", Some(""))]
    );
    assert_eq!(at(text, &b[1].span), "C=\"two words\"");
    assert_eq!(at(text, &b[1].name_span), "C");
    assert_eq!(
        at(text, b[1].default_span.as_ref().unwrap()),
        "\"two words\""
    );
}

#[test]
fn env_pairs_in_both_forms() {
    let text = "FROM a\nENV A=b C=\"d e\" F=g\\ h\nENV PATH /usr/local/bundle/bin:$PATH and more\nENV RAILS_ENV=\"production\" \\\n    BUNDLE_DEPLOYMENT=\"1\"\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let pairs = file.instructions[1].env_pairs();
    let got: Vec<_> = pairs
        .iter()
        .map(|p| (p.key.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(got, [("A", "b"), ("C", "d e"), ("F", "g h")]);
    assert_eq!(at(text, &pairs[1].span), "C=\"d e\"");
    let legacy = file.instructions[2].env_pairs();
    assert_eq!(legacy.len(), 1);
    assert_eq!(legacy[0].key, "PATH");
    assert_eq!(legacy[0].value, "/usr/local/bundle/bin:$PATH and more");
    assert_eq!(at(text, &legacy[0].key_span), "PATH");
    assert_eq!(
        at(text, &legacy[0].value_span),
        "/usr/local/bundle/bin:$PATH and more"
    );
    let multi = file.instructions[3].env_pairs();
    assert_eq!(multi[1].key, "BUNDLE_DEPLOYMENT");
    assert_eq!(at(text, &multi[1].span), "BUNDLE_DEPLOYMENT=\"1\"");
    assert!(file.instructions[1].label_pairs().is_empty());
}

#[test]
fn user_workdir_and_command_forms() {
    let text = "FROM a\nUSER 1000:1000\nWORKDIR \"/rails app\"\nCMD [\"./bin/thrust\", \"./bin/rails\", \"server\"]\nENTRYPOINT bin/docker-entrypoint\n";
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    let user = file.instructions[1].user().unwrap();
    assert_eq!(user.value, "1000:1000");
    assert_eq!(at(text, &user.span), "1000:1000");
    assert_eq!(file.instructions[2].workdir().unwrap().value, "/rails app");
    assert!(file.instructions[1].workdir().is_none());
    assert!(file.instructions[3].is_exec_form());
    assert!(!file.instructions[4].is_exec_form());
    assert!(file.instructions[4].is("ENTRYPOINT"));
}

// ---------------------------------------------------------------------------------------------
// Substitution
// ---------------------------------------------------------------------------------------------

#[test]
fn substitution_with_args_and_env_in_scope() {
    let text = concat!(
        "ARG RUBY_VERSION=3.3.1\n",
        "ARG VARIANT\n",
        "FROM ruby:${RUBY_VERSION}-slim AS base\n",
        "ARG RUBY_VERSION\n",
        "ARG PORT=3000\n",
        "ENV APP=/rails PORT=8080 HOME_DIR=$APP/home\n",
        "ARG PORT=9999\n",
        "ENV BOTH=\"${APP}/x\"\n",
        "FROM base AS final\n",
        "ARG LATE\n",
        "RUN echo\n",
    );
    let file = parse(text);
    assert!(file.problems.is_empty(), "{:?}", file.problems);
    // global ARGs apply to FROM lines
    let global = file.global_scope();
    assert_eq!(global.substitute(&file.stages[0].image), "ruby:3.3.1-slim");
    assert_eq!(global.get("VARIANT"), Lookup::Unknown);
    assert_eq!(global.get("NOPE"), Lookup::Undeclared);
    assert_eq!(file.substitute(99, "${RUBY_VERSION}"), "3.3.1");

    let s = 0;
    assert_eq!(
        file.substitute(s, "$RUBY_VERSION"),
        "3.3.1",
        "ARG imports the global"
    );
    // ENV wins over a later ARG of the same name
    assert_eq!(file.substitute(s, "$PORT"), "8080");
    // values of one ENV see the variables before it: `$APP` was not declared yet (it may come
    // from the base image), so HOME_DIR is unknown and stays as written
    assert_eq!(file.substitute(s, "$HOME_DIR"), "$HOME_DIR");
    assert_eq!(file.scope_at(6).get("HOME_DIR"), Lookup::Unknown);
    assert_eq!(file.substitute(s, "${BOTH}"), "/rails/x");
    assert_eq!(file.substitute(s, "${MISSING:-80} ${MISSING:+x}|"), "80 |");
    assert_eq!(file.substitute(s, "${PORT:-80} ${PORT:+set}"), "8080 set");
    assert_eq!(file.substitute(s, "${APP-none}"), "/rails");
    assert_eq!(
        file.substitute(s, "$MISSING and ${MISSING}"),
        "$MISSING and ${MISSING}"
    );
    assert_eq!(
        file.substitute(s, "'$APP' \"$APP\" \\$APP"),
        "'$APP' \"/rails\" \\$APP"
    );
    assert_eq!(file.substitute(s, "${NESTED:-${APP:-x}/y}"), "/rails/y");

    // scope just before an instruction
    let scope = file.scope_at(4);
    assert_eq!(
        scope.get("PORT"),
        Lookup::Undeclared,
        "ARG PORT not yet run"
    );
    let scope = file.scope_at(5);
    assert_eq!(scope.get("PORT"), Lookup::Value("3000"));

    // the final stage inherits ENV from `base`, not ARGs
    let f = 1;
    assert_eq!(file.stages[f].parent, Some(0));
    assert_eq!(file.substitute(f, "$APP:$PORT"), "/rails:8080");
    assert_eq!(file.substitute(f, "$RUBY_VERSION"), "$RUBY_VERSION");
    // an ARG without default and no global value is unknown: left as written
    assert_eq!(file.substitute(f, "${LATE:-fallback}"), "${LATE:-fallback}");
    assert_eq!(file.scope_at(10).get("LATE"), Lookup::Unknown);
}

#[test]
fn expand_removes_quotes_and_tracks_unknowns() {
    let file = parse("FROM a\nENV A=1\nARG U\nRUN x\n");
    let scope = file.scope_at(3);
    assert_eq!(scope.expand("\"$A\"-'$A'"), ("1-$A".to_string(), true));
    assert_eq!(scope.expand("$U/x"), ("$U/x".to_string(), false));
    let mut custom = scope.clone();
    custom.set_env("U", Some("from kamal".to_string()));
    assert_eq!(custom.substitute("${U}"), "from kamal");
    assert!(custom.names().any(|n| n == "A"));
}

// ---------------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------------

#[test]
fn odd_inputs_never_panic() {
    let deep_json = format!("FROM a\nRUN {}\n", "[".repeat(50_000));
    let deep_json_closed = format!(
        "FROM a\nRUN [{}{}\n",
        "[".repeat(20_000),
        "]".repeat(20_001)
    );
    let deep_subst = format!(
        "FROM a\nENV A={}x{}\n",
        "${B:-".repeat(5_000),
        "}".repeat(5_000)
    );
    let onbuilds = format!("FROM a\n{}RUN x\n", "ONBUILD ".repeat(10_000));
    let long_line = format!("FROM a\nRUN {}\n", "x \\\n".repeat(20_000));
    let many_heredocs = format!("FROM a\nRUN {}\n", "<<E ".repeat(2_000));
    let unclosed_subst = format!("FROM a\nENV A={}\nENV B=$A\n", "${B:-".repeat(50_000));
    let inputs: Vec<String> = vec![
        "\\".into(),
        "\\\n".into(),
        "\\\nFROM a".into(),
        "FROM a\nRUN \\".into(),
        "FROM a\nRUN [".into(),
        "FROM a\nRUN <<".into(),
        "FROM a\nRUN <<-".into(),
        "FROM a\nRUN <<''\n\n".into(),
        "FROM a\nRUN <<\"EOF\n".into(),
        "FROM a\nCOPY --".into(),
        "FROM a\nCOPY --=x a b".into(),
        "FROM a\nCOPY \"--from=x a b".into(),
        "FROM a\nRUN --mount=\"".into(),
        "FROM a\nENV \"".into(),
        "FROM a\nENV A=\"".into(),
        "FROM a\nARG =".into(),
        "FROM a\nHEALTHCHECK".into(),
        "FROM a\nHEALTHCHECK CMD [".into(),
        "FROM a\nONBUILD".into(),
        "FROM a\nONBUILD RUN <<X".into(),
        "# escape=\\\n# escape=`\n".into(),
        "\u{feff}\u{feff}FROM a".into(),
        "\r\r\r\n\r".into(),
        "FROM a\nRUN echo \u{85}\u{a0}\u{2028}é😀".into(),
        "FROM\u{a0}a".into(),
        "FROM a\nENV ${".into(),
        "FROM a\nRUN [\"\\ud800\", \"\\udc00\\u\"]".into(),
        deep_json,
        deep_json_closed,
        deep_subst,
        onbuilds,
        long_line,
        many_heredocs,
        unclosed_subst,
    ];
    for text in &inputs {
        let file = parse(text);
        assert_spans_valid(text, &file);
        for s in 0..file.stages.len() + 1 {
            let _ = file.substitute(s, "$A ${A:-x} ${B:+y}");
        }
        for i in 0..file.instructions.len().min(50) {
            let _ = file.scope_at(i).substitute("$A");
        }
    }
}

#[test]
fn large_file_parses_quickly() {
    let block = "RUN apt-get update && \\\n    apt-get install -y curl # not a comment\n# comment\nCOPY <<EOF /x\nbody\nEOF\nENV A=1 B=\"two\"\n";
    let text = format!("FROM a\n{}", block.repeat(5_000));
    let start = Instant::now();
    let file = parse(&text);
    assert!(file.problems.is_empty());
    assert_eq!(file.instructions.len(), 1 + 3 * 5_000);
    assert!(start.elapsed().as_secs() < 10);
}

// ---------------------------------------------------------------------------------------------
// Corpus: every Dockerfile under ../shared/corpus and ../shared/kamal/fixtures
// ---------------------------------------------------------------------------------------------

fn is_dockerfile(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    name.starts_with("Dockerfile") || lower.ends_with(".dockerfile")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(&path, out);
        } else if kind.is_file() && is_dockerfile(&path) {
            out.push(path);
        }
    }
}

#[test]
fn every_shared_dockerfile_parses_without_problems() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    if !shared.is_dir() {
        println!(
            "skipped: {} is absent (the shared corpus is not part of the repository)",
            shared.display()
        );
        return;
    }
    let mut files = Vec::new();
    collect(&shared.join("corpus"), &mut files);
    collect(&shared.join("kamal/fixtures"), &mut files);
    let mut failures = Vec::new();
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            failures.push(format!("{}: unreadable", path.display()));
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        let file = parse(&text);
        assert_spans_valid(&text, &file);
        assert!(!file.instructions.is_empty(), "{}", path.display());
        assert!(!file.stages.is_empty(), "{}", path.display());
        for p in &file.problems {
            failures.push(format!("{}: {:?}: {}", path.display(), p.span, p.message));
        }
    }
    println!("{} Dockerfiles parsed", files.len());
    assert!(
        !files.is_empty(),
        "no Dockerfile found under {}",
        shared.display()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Property test: mutated Dockerfiles never panic and keep every span valid
// ---------------------------------------------------------------------------------------------

const SEEDS: &[&str] = &[
    "# syntax=docker/dockerfile:1\n# check=error=true\nARG RUBY_VERSION=3.3.1\nFROM docker.io/library/ruby:$RUBY_VERSION-slim AS base\nWORKDIR /rails\nENV RAILS_ENV=\"production\" \\\n    BUNDLE_PATH=\"/usr/local/bundle\"\nFROM base AS build\nRUN apt-get update -qq && \\\n    # install\n    apt-get install --no-install-recommends -y build-essential git && \\\n    rm -rf /var/lib/apt/lists /var/cache/apt/archives\nCOPY Gemfile Gemfile.lock ./\nRUN --mount=type=secret,id=RAILS_MASTER_KEY,env=RAILS_MASTER_KEY bundle install\nFROM base\nCOPY --from=build --chown=rails:rails /rails /rails\nUSER 1000:1000\nEXPOSE 80\nCMD [\"./bin/thrust\", \"./bin/rails\", \"server\"]\n",
    "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN powershell -Command `\n    Write-Host 'hi' ; `\n    dir C:\\\nCOPY . C:\\app\\\nENTRYPOINT [\"C:\\\\app\\\\run.exe\"]\n",
    "FROM alpine AS x\nRUN <<EOF1 cat >/a && 3<<-'EOF2' sh\nline\n# not a comment\nEOF1\n\techo $NOPE\n\tEOF2\nCOPY <<EOT <<\"EOT2\" /dst/\nx\nEOT\ny\nEOT2\nONBUILD RUN <<X\nbody\nX\nHEALTHCHECK --interval=5s CMD [\"curl\", \"-f\", \"http://localhost/up\"]\nENV A=1 B=\"$A\" C=${A:-2}\nLABEL a=b \"c d\"=\"e f\"\n",
    "\u{feff}FROM node:20 AS deps\r\nARG PORT=3000\r\nENV PORT=$PORT\r\nRUN npm ci \\\r\n  --omit=dev\r\nEXPOSE ${PORT}/tcp 8080-8090\r\nCMD npm start\r\n",
];

const INSERTS: &[&str] = &[
    "\n",
    "\r\n",
    "\\\n",
    "\\",
    "`",
    " ",
    "\t",
    "#",
    "# escape=`\n",
    "# syntax=x\n",
    "<<EOF\n",
    "<<-EOF",
    "<<'E'",
    "EOF\n",
    "\tEOF\n",
    "[\"a\", ",
    "[",
    "]",
    "\"",
    "'",
    "{",
    "}",
    "${",
    "$A",
    "${A:-",
    "--mount=type=secret,id=x ",
    "--from=",
    "--",
    "=",
    ",",
    "FROM ",
    "RUN ",
    "ONBUILD ",
    "COPY ",
    "ENV ",
    "ARG ",
    "HEALTHCHECK ",
    "EXPOSE ",
    " AS ",
    "\u{feff}",
    "é",
    "😀",
    "\u{85}",
    "\u{a0}",
    "\r",
    "\\u12",
];

/// Inserting is twice as likely as deleting or overwriting.
const EDITS: &[Edit] = &[Edit::Delete, Edit::Insert, Edit::Insert, Edit::Overwrite];

#[test]
fn mutated_dockerfiles_never_panic() {
    let mut rng = Rng(0x00D0_C4E5_F11E);
    let start = Instant::now();
    let mut runs = 0;
    for seed in SEEDS {
        for _ in 0..2_500 {
            let bytes = mutate(&mut rng, seed, EDITS, INSERTS);
            let text = String::from_utf8_lossy(&bytes);
            let file = parse(&text);
            assert_spans_valid(&text, &file);
            for s in 0..file.stages.len() {
                let _ = file.substitute(s, "$A ${PORT:-80} ${A:+x}");
            }
            runs += 1;
        }
    }
    assert_eq!(runs, SEEDS.len() * 2_500);
    assert!(start.elapsed().as_secs() < 60);
}
