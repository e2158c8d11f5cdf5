use super::{active, program};
use crate::diagnostic::Diagnostic;
use crate::rules::context::ProjectContext;
use crate::syntax::shell::{Language, Script, VarUse, Word};
use crate::text::Span;
use std::collections::HashSet;

declare_rule! {
    /// `$KAMAL_HOSTS` used as one host: it is a comma-separated list.
    ///
    /// ## What it does
    /// Reports `KAMAL_HOSTS` (or a variable copied from it) where a single host name is
    /// expected: the destination of `ssh`, `scp`, `rsync`, `ssh-keyscan`, `ping`, `nc`, `dig`
    /// and the like (`ssh root@$KAMAL_HOSTS`), a URL (`curl http://$KAMAL_HOSTS/up`), and
    /// `for host in $KAMAL_HOSTS` without `IFS=,` (which loops once, over the whole list).
    /// In Ruby hooks, `"root@#{ENV["KAMAL_HOSTS"]}"`.
    ///
    /// ## Why is this bad?
    /// Kamal sets `KAMAL_HOSTS` to every host the command targets, joined with commas
    /// (`10.0.0.1,10.0.0.2`). The hook works while there is one server and breaks the day a
    /// second one is added: `ssh root@10.0.0.1,10.0.0.2` fails to resolve the host, and the
    /// hook fails the deploy. In `pre-app-boot` and `post-app-boot` with `boot.limit`, it is the
    /// hosts of the current group.
    ///
    /// ## Example
    /// ```sh
    /// ssh root@$KAMAL_HOSTS 'docker network create private'
    /// ```
    /// Use instead:
    /// ```sh
    /// for host in $(echo "$KAMAL_HOSTS" | tr , ' '); do
    ///   ssh root@"$host" 'docker network create private'
    /// done
    /// ```
    ///
    /// ## References
    /// - Kamal 2.8.2 hooks, §8.2 (`KAMAL_HOSTS` is comma-separated)
    /// - [Kamal docs: hooks overview](https://kamal-deploy.org/docs/hooks/overview/)
    pub static KAMAL_HOSTS_AS_ONE_HOST = {
        code: "H010",
        name: "kamal-hosts-as-one-host",
        category: Hooks,
        severity: Warning,
        fix: None,
    };
}

/// Programs whose first operand is one host.
const HOST_PROGRAMS: &[&str] = &[
    "ssh",
    "mosh",
    "ssh-keyscan",
    "ssh-copy-id",
    "ping",
    "ping6",
    "nc",
    "ncat",
    "netcat",
    "telnet",
    "dig",
    "host",
    "nslookup",
    "traceroute",
    "sftp",
];

/// Programs whose operands may be `host:path` or `user@host:path`.
const COPY_PROGRAMS: &[&str] = &["scp", "rsync"];

/// Programs that take URLs.
const URL_PROGRAMS: &[&str] = &["curl", "wget", "http", "https", "xh"];

/// `ssh` options that take a value.
const SSH_VALUE_OPTIONS: &[&str] = &[
    "-B", "-b", "-c", "-D", "-E", "-e", "-F", "-I", "-i", "-J", "-L", "-l", "-m", "-O", "-o", "-p",
    "-Q", "-R", "-S", "-W", "-w", "-t", "-T",
];

/// Whether an expansion splits or trims the list (`${KAMAL_HOSTS%%,*}`, `${KAMAL_HOSTS//,/ }`).
fn transformed(v: &VarUse) -> bool {
    v.length
        || v.operator
            .as_deref()
            .is_some_and(|o| matches!(o, "#" | "##" | "%" | "%%" | "/" | "//" | ":" | "["))
}

/// The variables holding the host list: `KAMAL_HOSTS`, and those assigned exactly from it.
fn host_lists(script: &Script) -> HashSet<String> {
    // a set: a hook may chain any number of assignments
    let mut names: HashSet<String> = HashSet::from(["KAMAL_HOSTS".to_string()]);
    for a in &script.assignments {
        let Some(value) = &a.value else { continue };
        if let [v] = value.vars.as_slice() {
            if let Some(var) = script.variables.get(*v) {
                if names.contains(&var.name)
                    && !transformed(var)
                    && value.text.len() == var.span.len()
                    && !names.contains(&a.name)
                {
                    names.insert(a.name.clone());
                }
            }
        }
    }
    names
}

/// The list variable used in a word, unsplit.
fn list_in<'s>(script: &'s Script, word: &Word, lists: &HashSet<String>) -> Option<&'s VarUse> {
    word.vars
        .iter()
        .filter_map(|v| script.variables.get(*v))
        .find(|v| lists.contains(&v.name) && !transformed(v))
}

fn finding(
    script: &Script,
    lists: &HashSet<String>,
    found: &mut Vec<(Span, String)>,
    hook: &crate::rules::context::HookSource,
) {
    let ifs_comma = script
        .assignments
        .iter()
        .any(|a| a.name == "IFS" && a.value.as_ref().is_some_and(|v| v.text.contains(',')));
    for f in &script.for_loops {
        if ifs_comma {
            break;
        }
        for item in &f.items {
            if let Some(v) = list_in(script, item, lists) {
                if item.text.len() == v.span.len() {
                    found.push((
                        hook.span(v.span.clone()),
                        format!(
                            "`for {} in ${}` runs once, with the whole comma-separated list",
                            f.variable, v.name
                        ),
                    ));
                }
            }
        }
    }
    for command in &script.commands {
        let Some((at, prog)) = program(command) else {
            continue;
        };
        let operands = &command.words[at + 1..];
        if HOST_PROGRAMS.contains(&prog) {
            // the first operand is the host
            let mut skip = false;
            for w in operands {
                if skip {
                    skip = false;
                    continue;
                }
                if w.text.starts_with('-') {
                    skip = prog == "ssh" && SSH_VALUE_OPTIONS.contains(&w.text.as_str());
                    continue;
                }
                if let Some(v) = list_in(script, w, lists) {
                    found.push((
                        hook.span(v.span.clone()),
                        format!("`{prog}` gets `{}` as one host", w.text),
                    ));
                }
                break;
            }
        } else if COPY_PROGRAMS.contains(&prog) {
            for w in operands {
                if let Some(v) = list_in(script, w, lists) {
                    let raw = &w.text;
                    if raw.contains('@') || raw.contains(':') {
                        found.push((
                            hook.span(v.span.clone()),
                            format!("`{prog}` gets `{raw}` as one host"),
                        ));
                    }
                }
            }
        } else if URL_PROGRAMS.contains(&prog) {
            for w in operands {
                if let Some(v) = list_in(script, w, lists) {
                    let lead = w.text.split('$').next().unwrap_or("");
                    if lead.ends_with("://") || lead.ends_with('@') {
                        found.push((
                            hook.span(v.span.clone()),
                            format!(
                                "`{prog}` gets the URL `{}` with the whole host list in it",
                                w.text
                            ),
                        ));
                    }
                }
            }
        }
    }
}

pub(crate) fn check(cx: &ProjectContext, out: &mut Vec<Diagnostic>) {
    for (_, hook) in active(cx) {
        let script = &hook.script;
        let mut found: Vec<(Span, String)> = Vec::new();
        if script.language.is_shell() {
            let lists = host_lists(script);
            finding(script, &lists, &mut found, hook);
        } else if script.language == Language::Ruby {
            let text = &cx.files.get(hook.file).text;
            for v in script.variables.iter().filter(|v| v.name == "KAMAL_HOSTS") {
                let before = &text[..v.span.start];
                let after = &text[v.span.end..];
                if (before.ends_with("@#{") || before.ends_with("://#{")) && !after.starts_with('.')
                {
                    found.push((
                        hook.span(v.span.clone()),
                        "the whole host list is put where one host goes".into(),
                    ));
                }
            }
        }
        found.sort_by_key(|(s, _)| (s.start, s.end));
        found.dedup_by_key(|(s, _)| *s);
        let Some((first, why)) = found.first() else {
            continue;
        };
        let mut d = Diagnostic::new(
            &KAMAL_HOSTS_AS_ONE_HOST,
            *first,
            format!("`KAMAL_HOSTS` is a comma-separated list of hosts: {why}, which breaks as soon as there are two"),
        )
        .with_help("loop over the hosts: `for host in $(echo \"$KAMAL_HOSTS\" | tr , ' '); do …; done`");
        for (span, _) in found.iter().skip(1).take(30) {
            d = d.with_label(*span, "also used as one host");
        }
        out.push(d);
    }
}
