//! A small POSIX shell reader for `RUN`, `CMD` and `ENTRYPOINT` text: splits it into simple
//! commands and words (quotes removed, byte ranges kept), enough to find the command a line
//! runs (`sudo`, `apt-get install`, `rails server`). It never expands anything: a word with `$`
//! or a command substitution is marked dynamic.

use std::ops::Range;

/// A word of a simple command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShWord {
    /// Quotes removed, escapes applied, `$…` kept as written.
    pub text: String,
    /// The word in the input text.
    pub range: Range<usize>,
    /// Holds an unquoted or double-quoted `$`, or a backquote: its value is not the text.
    pub dynamic: bool,
}

/// A simple command: its words (redirections left out), and how it is connected.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimpleCommand {
    pub words: Vec<ShWord>,
    /// Runs in the background (`cmd &`).
    pub background: bool,
    /// Part of a pipeline (`a | b`).
    pub piped: bool,
}

impl SimpleCommand {
    /// The index of the command word: after leading `NAME=value` assignments.
    pub fn command_index(&self) -> Option<usize> {
        self.words.iter().position(|w| !is_assignment(&w.text))
    }

    /// The leading `NAME=value` assignments.
    pub fn assignments(&self) -> impl Iterator<Item = (&str, &ShWord)> {
        self.words
            .iter()
            .take_while(|w| is_assignment(&w.text))
            .filter_map(|w| w.text.split_once('=').map(|(k, _)| (k, w)))
    }
}

/// `NAME=value` with a valid shell name.
pub fn is_assignment(word: &str) -> bool {
    match word.split_once('=') {
        Some((name, _)) => {
            !name.is_empty()
                && !name.starts_with(|c: char| c.is_ascii_digit())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        None => false,
    }
}

/// Reserved words that start or end a compound command: the next word is in command position.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time",
];

/// The simple commands of a shell text, in order.
pub fn commands(text: &str) -> Vec<SimpleCommand> {
    let mut out = Vec::new();
    let mut current = SimpleCommand::default();
    let bytes = text.as_bytes();
    let mut i = 0;
    let finish = |current: &mut SimpleCommand, out: &mut Vec<SimpleCommand>| {
        // reserved words at the start (`then apt-get …`) are not the command
        while current
            .words
            .first()
            .is_some_and(|w| RESERVED.contains(&w.text.as_str()))
        {
            current.words.remove(0);
        }
        if !current.words.is_empty() {
            out.push(std::mem::take(current));
        } else {
            *current = SimpleCommand::default();
        }
    };
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b' ' | b'\t' | b'\r' => i += 1,
            b'\n' | b';' => {
                finish(&mut current, &mut out);
                i += 1;
            }
            b'#' => {
                // a comment runs to the end of the line
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'&' | b'|' => {
                let double = bytes.get(i + 1) == Some(&c);
                if c == b'&' && bytes.get(i + 1) == Some(&b'>') {
                    // `&>file`
                    i = skip_redirect(text, i + 2);
                    continue;
                }
                if c == b'&' && !double {
                    current.background = true;
                }
                if c == b'|' && !double {
                    current.piped = true;
                    finish(&mut current, &mut out);
                    current.piped = true;
                    i += 1;
                    continue;
                }
                finish(&mut current, &mut out);
                i += if double { 2 } else { 1 };
            }
            b'(' | b')' => {
                finish(&mut current, &mut out);
                i += 1;
            }
            b'<' | b'>' => {
                let mut j = i + 1;
                while j < bytes.len() && matches!(bytes[j], b'<' | b'>' | b'&' | b'-' | b'|') {
                    j += 1;
                }
                i = skip_redirect(text, j);
            }
            _ => {
                let (word, end) = read_word(text, i);
                // `2>&1`, `2>/dev/null`: a file descriptor glued to a redirection
                if matches!(bytes.get(end), Some(b'<' | b'>'))
                    && !word.text.is_empty()
                    && word.text.bytes().all(|b| b.is_ascii_digit())
                {
                    i = end;
                    continue;
                }
                current.words.push(word);
                i = end.max(i + 1);
            }
        }
    }
    finish(&mut current, &mut out);
    out
}

/// Skips the blanks and the target word of a redirection starting at `i`.
fn skip_redirect(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t') {
        i += 1;
    }
    if i >= bytes.len() || matches!(bytes[i], b'\n' | b';' | b'&' | b'|' | b'(' | b')') {
        return i;
    }
    read_word(text, i).1
}

/// Reads one word from `start` (not a blank or an operator); returns it and where it ends.
fn read_word(text: &str, start: usize) -> (ShWord, usize) {
    let mut value = String::new();
    let mut dynamic = false;
    let mut chars = text[start..].char_indices().peekable();
    let mut end = text.len();
    while let Some(&(off, c)) = chars.peek() {
        let at = start + off;
        match c {
            ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>' => {
                end = at;
                break;
            }
            '\\' => {
                chars.next();
                match chars.next() {
                    Some((_, '\n')) => {}
                    Some((_, e)) => value.push(e),
                    None => {}
                }
            }
            '\'' => {
                chars.next();
                for (_, q) in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    value.push(q);
                }
            }
            '"' => {
                chars.next();
                while let Some((_, q)) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(&(_, e)) = chars.peek() {
                                if matches!(e, '"' | '\\' | '$' | '`' | '\n') {
                                    chars.next();
                                    if e != '\n' {
                                        value.push(e);
                                    }
                                    continue;
                                }
                            }
                            value.push('\\');
                        }
                        '$' | '`' => {
                            dynamic = true;
                            value.push(q);
                        }
                        _ => value.push(q),
                    }
                }
            }
            '$' => {
                dynamic = true;
                chars.next();
                value.push('$');
                // `$(…)` and `${…}` run to their matching close, whatever they hold
                if let Some(&(_, open)) = chars.peek() {
                    if open == '(' || open == '{' {
                        let close = if open == '(' { ')' } else { '}' };
                        let mut depth = 0usize;
                        for (_, q) in chars.by_ref() {
                            value.push(q);
                            if q == open {
                                depth += 1;
                            } else if q == close {
                                depth = depth.saturating_sub(1);
                                if depth == 0 {
                                    break;
                                }
                            }
                        }
                    }
                }
            }
            '`' => {
                dynamic = true;
                chars.next();
                value.push('`');
                for (_, q) in chars.by_ref() {
                    value.push(q);
                    if q == '`' {
                        break;
                    }
                }
            }
            _ => {
                value.push(c);
                chars.next();
            }
        }
    }
    if let Some(&(off, _)) = chars.peek() {
        end = end.min(start + off);
    }
    (
        ShWord {
            text: value,
            range: start..end,
            dynamic,
        },
        end,
    )
}

/// The last path component of a command (`/rails/bin/thrust` → `thrust`).
pub fn basename(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Vec<String>> {
        commands(text)
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn splits_commands_and_words() {
        assert_eq!(
            words("apt-get update -qq && apt-get install -y \"a b\" 'c' && rm -rf /x/*"),
            vec![
                vec!["apt-get", "update", "-qq"],
                vec!["apt-get", "install", "-y", "a b", "c"],
                vec!["rm", "-rf", "/x/*"],
            ]
        );
        assert_eq!(
            words("if true; then sudo ls >/dev/null 2>&1; fi"),
            vec![vec!["true"], vec!["sudo", "ls"]]
        );
        assert_eq!(
            words("echo $(cat a | b) x; cmd <<EOF\n"),
            vec![vec!["echo", "$(cat a | b)", "x"], vec!["cmd"]]
        );
        let c = commands("a | b & c");
        assert!(c[0].piped && c[1].piped && c[1].background && !c[2].background);
    }

    #[test]
    fn ranges_point_at_the_words() {
        let text = "FOO=1  bin/rails   server";
        let c = &commands(text)[0];
        assert_eq!(c.command_index(), Some(1));
        assert_eq!(&text[c.words[2].range.clone()], "server");
    }
}
