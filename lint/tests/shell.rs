//! The hook script analysis (`syntax::shell`): every span is checked by slicing the text.

use sextant_lint::syntax::shell::{parse, AndOr, Construct, Language, Script, Shell};

fn var_names(s: &Script) -> Vec<&str> {
    s.variables.iter().map(|v| v.name.as_str()).collect()
}

fn commands(s: &Script) -> Vec<Vec<&str>> {
    s.commands
        .iter()
        .map(|c| c.words.iter().map(|w| w.text.as_str()).collect())
        .collect()
}

#[test]
fn shebangs() {
    let s = parse("#!/usr/bin/env bash\necho hi\n");
    let sb = s.shebang.as_ref().unwrap();
    assert!(sb.via_env);
    assert_eq!(sb.interpreter, "bash");
    assert_eq!(
        &"#!/usr/bin/env bash\n"[sb.interpreter_span.clone()],
        "bash"
    );
    assert_eq!(s.language, Language::Shell(Shell::Bash));

    let s = parse("#! /bin/sh -e\n");
    let sb = s.shebang.as_ref().unwrap();
    assert_eq!(
        (sb.path.as_str(), sb.interpreter.as_str()),
        ("/bin/sh", "sh")
    );
    assert_eq!(sb.args.len(), 1);
    assert_eq!(s.language, Language::Shell(Shell::Sh));

    let text = "#!/usr/bin/env -S ruby -w\nputs ENV['KAMAL_HOSTS']\n";
    let s = parse(text);
    let sb = s.shebang.as_ref().unwrap();
    assert!(sb.env_split);
    assert_eq!(&text[sb.interpreter_span.clone()], "ruby");
    assert_eq!(s.language, Language::Ruby);

    assert_eq!(parse("#!/usr/bin/python3.12\n").language, Language::Python);
    assert_eq!(parse("#!/usr/bin/env node\n").language, Language::Node);
    assert_eq!(
        parse("#!/usr/bin/env fish\n").language,
        Language::Other("fish".into())
    );
    // none: /bin/sh runs it
    let s = parse("echo $KAMAL_HOSTS\n");
    assert!(s.shebang.is_none());
    assert_eq!(s.language, Language::Default);
    assert!(s.language.is_shell());
    // CRLF and BOM are seen
    assert!(
        parse("#!/bin/sh\r\necho\r\n")
            .shebang
            .unwrap()
            .carriage_return
    );
    let s = parse("\u{feff}#!/bin/bash\n");
    assert!(s.shebang.as_ref().unwrap().bom);
    assert_eq!(s.language, Language::Default);
}

#[test]
fn variables_respect_quoting_escapes_and_comments() {
    let text = r#"#!/bin/sh
echo "$KAMAL_VERSION" '$NOT_ME' \$NOR_ME ${KAMAL_HOSTS:-none} # $COMMENTED
printf '%s' "${#KAMAL_ROLES}" "x${KAMAL_DESTINATION}y" $'$ANSI' "a\$b"
"#;
    let s = parse(text);
    assert_eq!(
        var_names(&s),
        [
            "KAMAL_VERSION",
            "KAMAL_HOSTS",
            "KAMAL_ROLES",
            "KAMAL_DESTINATION"
        ]
    );
    let spans: Vec<&str> = s.variables.iter().map(|v| &text[v.span.clone()]).collect();
    assert_eq!(
        spans,
        [
            "$KAMAL_VERSION",
            "${KAMAL_HOSTS:-none}",
            "${#KAMAL_ROLES}",
            "${KAMAL_DESTINATION}"
        ]
    );
    for v in &s.variables {
        assert_eq!(&text[v.name_span.clone()], v.name);
    }
    assert!(s.variables[0].quoted);
    assert!(!s.variables[1].quoted);
    assert!(s.variables[1].defaulted());
    assert!(s.variables[2].length);
    assert_eq!(s.comments.len(), 1);
    assert_eq!(&text[s.comments[0].span.clone()], "# $COMMENTED");
    assert_eq!(s.comments[0].text, " $COMMENTED");
}

#[test]
fn parameter_expansions_nest() {
    let text = "#!/bin/sh\necho ${A:-${B:-$(printf %s \"$C\")}} ${D%%,*} ${E?unset} ${F//,/ }\n";
    let s = parse(text);
    assert_eq!(var_names(&s), ["A", "B", "C", "D", "E", "F"]);
    let ops: Vec<Option<&str>> = s.variables.iter().map(|v| v.operator.as_deref()).collect();
    assert_eq!(
        ops,
        [
            Some(":-"),
            Some(":-"),
            None,
            Some("%%"),
            Some("?"),
            Some("//")
        ]
    );
    assert!(s.variables[4].required());
    // the substitution's command is a command too
    assert_eq!(commands(&s)[0], ["printf", "%s", "$C"]);
}

#[test]
fn commands_and_their_words() {
    let text = "#!/bin/sh\nset -e\nbin/kamal app exec -d \"$KAMAL_DESTINATION\" --reuse 'bin/rails db:migrate'\ncurl -fsS https://hooks.example.com/x && echo ok || echo failed\n";
    let s = parse(text);
    assert_eq!(
        commands(&s),
        vec![
            vec!["set", "-e"],
            vec![
                "bin/kamal",
                "app",
                "exec",
                "-d",
                "$KAMAL_DESTINATION",
                "--reuse",
                "bin/rails db:migrate"
            ],
            vec!["curl", "-fsS", "https://hooks.example.com/x"],
            vec!["echo", "ok"],
            vec!["echo", "failed"],
        ]
    );
    for c in &s.commands {
        for w in &c.words {
            // quotes are removed from `text`, never from the span
            let raw = &text[w.span.clone()];
            assert!(raw.contains(w.text.trim_matches('$').split('$').next().unwrap_or("")));
        }
        assert!(text[c.span.clone()].starts_with(c.words[0].text.as_str()));
    }
    assert_eq!(
        &text[s.commands[1].words[4].span.clone()],
        "\"$KAMAL_DESTINATION\""
    );
    assert!(!s.commands[1].words[4].literal);
    assert!(s.commands[1].words[6].literal && s.commands[1].words[6].quoted);
    assert_eq!(s.variables[0].command, Some(1));
    assert_eq!(s.commands[3].after, Some(AndOr::And));
    assert_eq!(s.commands[4].after, Some(AndOr::Or));
    assert!(s.commands[3].conditional());
    assert!(!s.commands[1].conditional());
}

#[test]
fn compound_commands_give_context() {
    let text = "#!/bin/bash\nif [ -n \"$KAMAL_DESTINATION\" ]; then\n  kamal x -d \"$KAMAL_DESTINATION\"\nelse\n  kamal x\nfi\nfor h in $(echo \"$KAMAL_HOSTS\" | tr , ' '); do\n  ssh \"root@$h\" true\ndone\ncase \"$KAMAL_COMMAND\" in\n  deploy|redeploy) echo d ;;\n  *) echo other ;;\nesac\nf() {\n  kamal app boot\n}\n";
    let s = parse(text);
    let names: Vec<&str> = s
        .commands
        .iter()
        .map(|c| c.words[0].text.as_str())
        .collect();
    assert_eq!(
        names,
        ["[", "kamal", "kamal", "echo", "tr", "ssh", "echo", "echo", "kamal"]
    );
    let cond = &s.commands[0].context[0];
    assert_eq!(cond.construct, Construct::If);
    assert!(cond.in_condition);
    let else_branch = &s.commands[2];
    let range = else_branch.conditions().next().unwrap();
    assert!(text[range.clone()].contains("KAMAL_DESTINATION"));
    assert!(else_branch.conditional());
    assert_eq!(s.for_loops.len(), 1);
    assert_eq!(s.for_loops[0].variable, "h");
    assert!(s.assigned("h"));
    let ssh = &s.commands[5];
    assert!(ssh.context.iter().any(|e| e.construct == Construct::Loop));
    let case_arm = &s.commands[6];
    assert!(case_arm
        .context
        .iter()
        .any(|e| e.construct == Construct::Case));
    let in_function = &s.commands[8];
    assert!(in_function
        .context
        .iter()
        .any(|e| e.construct == Construct::Function));
}

#[test]
fn heredocs_follow_their_quoting() {
    let text = "#!/bin/sh\nssh host <<EOF\nmkdir /srv/$KAMAL_SERVICE\n\\$NOT_LOCAL\nEOF\ncat <<'RAW' > x\n$NOT_EXPANDED\nRAW\ncat <<-\tEND\n\t$TABBED\n\tEND\necho after $AFTER\n";
    let s = parse(text);
    assert_eq!(var_names(&s), ["KAMAL_SERVICE", "TABBED", "AFTER"]);
    assert!(s.variables[0].in_heredoc);
    assert_eq!(s.variables[0].command, Some(0));
    assert_eq!(s.heredocs.len(), 3);
    assert_eq!(
        &text[s.heredocs[0].body.clone()],
        "mkdir /srv/$KAMAL_SERVICE\n\\$NOT_LOCAL\n"
    );
    assert!(s.heredocs[1].quoted);
    assert_eq!(&text[s.heredocs[1].body.clone()], "$NOT_EXPANDED\n");
    assert!(s.heredocs[2].strip_tabs);
    assert_eq!(
        commands(&s).last().unwrap(),
        &vec!["echo", "after", "$AFTER"]
    );
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn assignments_arrays_and_read() {
    let text = "#!/bin/bash\nDEST_FLAG=\"-d $KAMAL_DESTINATION\"\nexport TOKEN=abc\nargs=(-d \"$KAMAL_DESTINATION\")\nIFS=',' read -ra HOSTS <<< \"$KAMAL_HOSTS\"\nFOO=1 bar\n";
    let s = parse(text);
    let names: Vec<&str> = s.assignments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["DEST_FLAG", "TOKEN", "args", "IFS", "HOSTS", "FOO"]);
    let dest = &s.assignments[0];
    assert_eq!(&text[dest.name_span.clone()], "DEST_FLAG");
    let value = dest.value.as_ref().unwrap();
    assert_eq!(&text[value.span.clone()], "\"-d $KAMAL_DESTINATION\"");
    assert_eq!(value.text, "-d $KAMAL_DESTINATION");
    assert_eq!(
        &text[s.assignments[2].value.as_ref().unwrap().span.clone()],
        "(-d \"$KAMAL_DESTINATION\")"
    );
    // `FOO=1 bar`: a prefix of the command
    assert_eq!(commands(&s).last().unwrap(), &vec!["bar"]);
    assert!(s.assignments[5].command.is_some());
    // the here-string's variable belongs to `read`
    let hosts = s
        .variables
        .iter()
        .find(|v| v.name == "KAMAL_HOSTS")
        .unwrap();
    assert_eq!(hosts.command, Some(1));
    assert_eq!(s.commands[1].redirects[0].operator, "<<<");
}

#[test]
fn other_languages() {
    let text = "#!/usr/bin/env ruby\n# ENV[\"KAMAL_COMMENTED\"]\nhosts = ENV[\"KAMAL_HOSTS\"].split(\",\")\ndest = ENV.fetch('KAMAL_DESTINATION', nil)\nputs \"#{ENV['KAMAL_VERSION']} # not a comment\"\n";
    let s = parse(text);
    assert_eq!(
        var_names(&s),
        ["KAMAL_HOSTS", "KAMAL_DESTINATION", "KAMAL_VERSION"]
    );
    let spans: Vec<&str> = s.variables.iter().map(|v| &text[v.span.clone()]).collect();
    assert_eq!(
        spans,
        [
            "ENV[\"KAMAL_HOSTS\"]",
            "ENV.fetch('KAMAL_DESTINATION', nil)",
            "ENV['KAMAL_VERSION']"
        ]
    );
    assert!(s.variables[1].defaulted());
    assert_eq!(s.comments.len(), 1);

    let py = "#!/usr/bin/env python3\nimport os\n# os.environ['NO']\nh = os.environ[\"KAMAL_HOSTS\"]\nd = os.getenv('KAMAL_DESTINATION')\ns = '''# not a comment'''\n";
    let s = parse(py);
    assert_eq!(var_names(&s), ["KAMAL_HOSTS", "KAMAL_DESTINATION"]);
    assert_eq!(s.comments.len(), 1);
    assert!(s.variables[1].defaulted());

    let js = "#!/usr/bin/env node\n// process.env.NO\nconst h = process.env.KAMAL_HOSTS;\nconst r = process.env['KAMAL_ROLES'];\n";
    assert_eq!(var_names(&parse(js)), ["KAMAL_HOSTS", "KAMAL_ROLES"]);
}

#[test]
fn crlf_scripts_are_read_like_lf_ones() {
    let text = "#!/bin/sh\r\necho \"$KAMAL_HOSTS\"\r\n# comment\r\nkamal app exec x\r\n";
    let s = parse(text);
    assert_eq!(
        commands(&s),
        vec![
            vec!["echo", "$KAMAL_HOSTS"],
            vec!["kamal", "app", "exec", "x"]
        ]
    );
    assert_eq!(s.comments[0].text, " comment");
}

#[test]
fn broken_scripts_give_problems_not_panics() {
    for text in [
        "#!/bin/sh\necho \"unterminated\n",
        "#!/bin/sh\necho 'unterminated\n",
        "#!/bin/sh\ncat <<EOF\nno end\n",
        "#!/bin/sh\necho ${A:-\n",
        "#!/bin/sh\necho $(\n",
        "#!/bin/sh\n)))(((\n`\n",
        "#!/bin/sh\nif then fi done esac }\n",
    ] {
        let s = parse(text);
        for v in &s.variables {
            assert!(text.get(v.span.clone()).is_some());
        }
    }
    assert!(!parse("#!/bin/sh\necho \"x\n").problems.is_empty());
    assert!(!parse("#!/bin/sh\ncat <<EOF\nno end\n").problems.is_empty());
    // deep nesting stops, without overflowing the stack
    let deep = format!(
        "#!/bin/sh\necho {}x{}\n",
        "$(".repeat(5000),
        ")".repeat(5000)
    );
    let _ = parse(&deep);
    let deep = format!(
        "#!/bin/sh\necho {}x{}\n",
        "${A:-".repeat(5000),
        "}".repeat(5000)
    );
    let _ = parse(&deep);
}

#[test]
fn fuzz_regressions() {
    // Ruby: a character literal (`?x`) or an escape right before a multi-byte character
    for text in [
        "#!/usr/bin/env ruby\nx = ?éé\n",
        "#!/usr/bin/env ruby\n%w(\\é)\n",
    ] {
        let s = parse(text);
        assert!(s.code.iter().all(|r| text.get(r.clone()).is_some()));
    }
}
