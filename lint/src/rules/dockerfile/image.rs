//! What the rules know about the image a load builds: the Dockerfile, the stage Kamal builds
//! (`builder.target`, else the last one) and the stages it is built on, its command, its
//! environment and what it copies; plus the container environment deploy.yml adds.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::model::Role;
use crate::rules::context::{DockerfileSource, LoadContext};
use crate::rules::walk;
use crate::syntax::dockerfile::{Args, Dockerfile, Instruction, Lookup, Stage};
use crate::syntax::yaml::Node;
use crate::text::Span;

use super::ports::{EnvValue, FileState};
use super::shell;

/// The image stage of a load's Dockerfile and the stages under it.
pub(crate) struct Image<'a> {
    pub source: &'a DockerfileSource,
    pub stage: &'a Stage,
    /// The image stage and the stages it is built on (`FROM base`), oldest first.
    pub chain: Vec<&'a Stage>,
}

impl<'a> Image<'a> {
    /// The image a load builds; `None` without a Dockerfile, with buildpacks, or when
    /// `builder.target` is ERB or names no stage.
    pub fn of(cx: &LoadContext<'a>) -> Option<Image<'a>> {
        let source = cx.dockerfile()?;
        let df = &source.parsed;
        let stage = match cx.config.get("builder").and_then(|b| b.get("target")) {
            Some(t) if t.is_erb() => return None,
            Some(t) if t.is_null() => df.final_stage()?,
            Some(t) => df.stage_by_name(&t.ruby_to_s())?,
            None => df.final_stage()?,
        };
        Some(Image {
            source,
            stage,
            chain: chain(df, stage),
        })
    }

    pub fn df(&self) -> &'a Dockerfile {
        &self.source.parsed
    }

    pub fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.source.file, range)
    }

    /// The stage at the bottom of the chain, built on an outside image.
    pub fn root(&self) -> &'a Stage {
        self.chain.first().copied().unwrap_or(self.stage)
    }

    /// The outside base image, global `ARG`s substituted.
    pub fn base_image(&self) -> String {
        self.df().global_scope().substitute(&self.root().image)
    }

    /// The instructions of the chain in build order (the `FROM` lines left out), with their
    /// index in the Dockerfile.
    pub fn instructions(&self) -> Vec<(usize, &'a Instruction)> {
        let df = self.df();
        self.chain
            .iter()
            .flat_map(|s| (s.from + 1..s.instructions.end).map(|i| (i, &df.instructions[i])))
            .collect()
    }

    /// The `ENTRYPOINT` and `CMD` in effect (indexes), as BuildKit sets them: the last one of
    /// each in the chain, and an `ENTRYPOINT` resets a `CMD` inherited from an earlier stage.
    pub fn command(&self) -> (Option<usize>, Option<usize>) {
        let df = self.df();
        let mut entrypoint = None;
        let mut cmd = None;
        for s in &self.chain {
            let mut cmd_here = false;
            for i in s.from + 1..s.instructions.end {
                match df.instructions[i].keyword.as_str() {
                    "CMD" => {
                        cmd = Some(i);
                        cmd_here = true;
                    }
                    "ENTRYPOINT" => {
                        entrypoint = Some(i);
                        if !cmd_here {
                            cmd = None;
                        }
                    }
                    _ => {}
                }
            }
        }
        (entrypoint, cmd)
    }

    /// Whether a `COPY`/`ADD` of the chain writes to `path` or below it.
    pub fn copies_into(&self, path: &str) -> bool {
        let df = self.df();
        self.instructions().iter().any(|(i, ins)| {
            if !matches!(ins.keyword.as_str(), "COPY" | "ADD") {
                return false;
            }
            let Some(dest) = ins.words().last().map(|w| w.value.clone()) else {
                return false;
            };
            let dest = df.scope_at(*i).substitute(&dest);
            dest.contains('$') || dest.starts_with(path)
        })
    }
}

/// A stage and the stages it is built on, oldest first.
pub(crate) fn chain<'a>(df: &'a Dockerfile, stage: &'a Stage) -> Vec<&'a Stage> {
    let mut out = vec![stage];
    // a parent always comes earlier, so indexes only go down; a guard all the same
    let mut lowest = stage.index;
    let mut current = stage.parent;
    while let Some(p) = current {
        match df.stages.get(p) {
            Some(s) if s.index < lowest => {
                lowest = s.index;
                out.push(s);
                current = s.parent;
            }
            _ => break,
        }
    }
    out.reverse();
    out
}

/// The argv of an instruction's command: exec-form words, or `/bin/sh -c TEXT`.
pub(crate) fn argv(ins: &Instruction) -> Vec<String> {
    match &ins.args {
        Args::Exec(words) => words.iter().map(|w| w.value.clone()).collect(),
        Args::Shell(s) => vec!["/bin/sh".into(), "-c".into(), s.text.clone()],
        Args::Empty => Vec::new(),
    }
}

/// The container environment deploy.yml sets for a role: the root `env` then the role's, clear
/// values known, secrets and ERB unknown, tag envs (host-dependent) unknown.
pub(crate) fn config_env(cx: &LoadContext, role: &Role) -> (HashMap<String, EnvValue>, bool) {
    let mut map = HashMap::new();
    let mut dynamic = cx.dynamic;
    let role_path = format!("servers/{}/env", role.name);
    let envs = walk::envs(cx.config, &cx.roles);
    let order = |path: &str| -> Option<u8> {
        if path == "env" {
            Some(0)
        } else if path.starts_with("env/tags/") {
            Some(1)
        } else if path == role_path {
            Some(2)
        } else if path.starts_with(&format!("{role_path}/tags/")) {
            Some(3)
        } else {
            None
        }
    };
    let mut selected: Vec<(u8, &walk::Env)> = envs
        .iter()
        .filter_map(|e| order(&e.path).map(|o| (o, e)))
        .collect();
    selected.sort_by_key(|(o, _)| *o);
    for root in [cx.config.get("env"), role.get("env")]
        .into_iter()
        .flatten()
    {
        if root.is_erb() {
            dynamic = true;
        }
    }
    for (o, env) in selected {
        let tagged = o == 1 || o == 3;
        for e in &env.clear {
            if e.key.is_erb() {
                dynamic = true;
                continue;
            }
            let value = if tagged || e.value.is_erb() {
                EnvValue::Unknown
            } else if e.value.is_null() {
                EnvValue::Set(String::new())
            } else if e.value.scalar().is_some() {
                EnvValue::Set(e.value.ruby_to_s())
            } else {
                EnvValue::Unknown
            };
            map.insert(e.key.ruby_to_s(), value);
        }
        for item in &env.secret {
            if item.is_erb() {
                dynamic = true;
                continue;
            }
            let text = item.ruby_to_s();
            let var = text.split_once(':').map_or(text.as_str(), |(v, _)| v);
            map.insert(var.to_string(), EnvValue::Unknown);
        }
    }
    (map, dynamic)
}

/// A lookup of a container variable: deploy.yml's env, then the image's `ENV`.
pub(crate) fn env_lookup<'x>(
    config: &'x HashMap<String, EnvValue>,
    dynamic: bool,
    image: &'x crate::syntax::dockerfile::Scope,
) -> impl Fn(&str) -> EnvValue + 'x {
    move |name: &str| {
        if let Some(v) = config.get(name) {
            return v.clone();
        }
        if dynamic {
            return EnvValue::Unknown;
        }
        match image.get(name) {
            Lookup::Value(v) => EnvValue::Set(v.to_string()),
            Lookup::Unknown => EnvValue::Unknown,
            Lookup::Undeclared => EnvValue::Unset,
        }
    }
}

/// Files of the build context: present, absent (in a checked-out project), or unknown (the
/// folder holds only the deploy files).
pub(crate) fn context_files<'a>(cx: &LoadContext<'a>) -> impl Fn(&str) -> FileState + 'a {
    let context: PathBuf = match cx
        .config
        .get("builder")
        .and_then(|b| b.get("context"))
        .filter(|c| !c.is_erb())
        .and_then(Node::as_str)
    {
        Some(c) => crate::project::normalize(&cx.project.root.join(c)),
        None => cx.project.root.to_path_buf(),
    };
    let vfs = cx.project.vfs;
    let checked_out = [
        "Gemfile",
        "package.json",
        "requirements.txt",
        "pyproject.toml",
        "go.mod",
        "composer.json",
        "mix.exs",
        "Cargo.toml",
        "config.ru",
        "manage.py",
    ]
    .iter()
    .any(|f| vfs.is_file(&context.join(f)));
    move |path: &str| {
        let p = context.join(path);
        if vfs.is_file(&p) {
            match vfs.read(&p) {
                Ok(bytes) => FileState::Present(String::from_utf8_lossy(&bytes).into_owned()),
                Err(_) => FileState::Unknown,
            }
        } else if checked_out {
            FileState::Absent
        } else {
            FileState::Unknown
        }
    }
}

/// The words of a `RUN` that run a shell script: the shell-form text, and the bodies of its
/// heredocs when the line feeds them to a shell (`RUN <<EOF`, `RUN bash <<EOF`). Each with the
/// source offset its text starts at (`None`: map through the instruction line).
pub(crate) fn run_scripts(ins: &Instruction) -> Vec<(String, Option<usize>)> {
    let Args::Shell(s) = &ins.args else {
        return Vec::new();
    };
    let mut out = vec![(s.text.clone(), None)];
    let first = shell::commands(&s.text)
        .first()
        .and_then(|c| c.words.first().map(|w| w.text.clone()));
    let runs_heredoc = match first.as_deref() {
        None => true,
        Some(w) => ["sh", "bash", "ash", "dash", "zsh"].contains(&shell::basename(w)),
    };
    if runs_heredoc {
        for h in &ins.heredocs {
            out.push((h.body.clone(), Some(h.body_span.start)));
        }
    }
    out
}

/// The source range of a range of one of [`run_scripts`]'s texts.
pub(crate) fn script_range(
    ins: &Instruction,
    offset: Option<usize>,
    r: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    match (offset, &ins.args) {
        (Some(o), _) => o + r.start..o + r.end,
        (None, Args::Shell(s)) => s.source_range(r),
        (None, _) => ins.args_span(),
    }
}

/// A name close to another (a different case, or a typo of one or two characters).
pub(crate) fn similar(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 4 {
        return false;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()] <= 2
}

/// The stages a build of `stage` runs (BuildKit builds only what the target needs): the stage,
/// the stages it is built on, and those `COPY --from` and `RUN --mount=from=` refer to.
pub(crate) fn reachable_stages(df: &Dockerfile, stage: &Stage) -> Vec<usize> {
    let mut seen = vec![stage.index];
    let mut marked = vec![false; df.stages.len()];
    if let Some(m) = marked.get_mut(stage.index) {
        *m = true;
    }
    let mut work = vec![stage.index];
    while let Some(s) = work.pop() {
        let Some(st) = df.stages.get(s) else { continue };
        let mut refs: Vec<usize> = st.parent.into_iter().collect();
        for i in st.from + 1..st.instructions.end {
            let ins = &df.instructions[i];
            let mut names: Vec<String> = ins
                .flags
                .iter()
                .filter(|f| f.name == "from")
                .filter_map(|f| f.value.clone())
                .collect();
            names.extend(
                ins.mounts()
                    .iter()
                    .filter_map(|m| m.get("from").map(str::to_string)),
            );
            for name in names {
                let name = df.scope_at(i).substitute(&name);
                if let Some(r) = df.stage_by_ref(&name) {
                    refs.push(r.index);
                }
            }
        }
        for r in refs {
            // a flag per stage, not a scan of those seen (50 000 stages would be quadratic)
            if marked.get(r).is_some_and(|m| !m) {
                marked[r] = true;
                seen.push(r);
                work.push(r);
            }
        }
    }
    seen.sort_unstable();
    seen
}

/// A `RUN --mount=type=secret` of a stage the build runs.
pub(crate) struct SecretMount {
    /// The secret id (`id`, else `source`, else the target's base name), variables substituted;
    /// `None` when a variable leaves it unknown.
    pub id: Option<String>,
    pub required: bool,
    /// The `id=` option, or the whole `--mount` flag.
    pub span: Span,
}

/// The secret mounts of the given stages.
pub(crate) fn secret_mounts(source: &DockerfileSource, stages: &[usize]) -> Vec<SecretMount> {
    let df = &source.parsed;
    let mut out = Vec::new();
    for &s in stages {
        let Some(st) = df.stages.get(s) else { continue };
        for i in st.from + 1..st.instructions.end {
            let ins = &df.instructions[i];
            if ins.keyword != "RUN" {
                continue;
            }
            for m in ins.mounts() {
                if m.kind() != "secret" {
                    continue;
                }
                let option = |keys: &[&str]| {
                    m.options
                        .iter()
                        .rev()
                        .find(|o| keys.contains(&o.key.as_str()))
                };
                let written = option(&["id"])
                    .or_else(|| option(&["source", "src"]))
                    .and_then(|o| o.value.clone().map(|v| (v, o.span.clone())));
                let (raw, span) = match written {
                    Some((v, span)) => (Some(v), span),
                    None => (
                        option(&["target", "dst", "destination"])
                            .and_then(|o| o.value.clone())
                            .map(|t| shell::basename(&t).to_string()),
                        m.span.clone(),
                    ),
                };
                let id = raw
                    .map(|r| df.scope_at(i).substitute(&r))
                    .filter(|v| !v.contains('$') && !v.is_empty());
                let required = m
                    .options
                    .iter()
                    .rev()
                    .find(|o| o.key == "required")
                    .is_some_and(|o| o.value.as_deref().is_none_or(|v| v == "true"));
                out.push(SecretMount {
                    id,
                    required,
                    span: Span::new(source.file, span),
                });
            }
        }
    }
    out
}
