//! A command line split into words as the shell it was copied for splits it: a POSIX shell
//! (quotes, `$'…'`, backslash escapes and line continuations) or Windows' cmd (caret escapes
//! and continuations, then the C runtime's quoting).

use super::CommandProblem;

/// The shell a command line was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// bash, zsh, sh: what DevTools' "Copy as cURL (bash)" and Firefox's "(POSIX)" write.
    Posix,
    /// Windows' cmd: DevTools' "Copy as cURL (cmd)" escapes with `^`.
    Cmd,
}

impl Dialect {
    /// cmd's caret escapes and continuations give it away.
    pub fn of(text: &str) -> Dialect {
        let cmd = text.contains("^\"") || text.lines().any(|line| line.trim_end().ends_with(" ^"));
        if cmd { Dialect::Cmd } else { Dialect::Posix }
    }
}

/// The words of `text` as `dialect` splits them.
pub(super) fn split(text: &str, dialect: Dialect) -> Result<Vec<String>, CommandProblem> {
    match dialect {
        Dialect::Posix => posix(text),
        Dialect::Cmd => windows(&uncaret(text)),
    }
}

fn posix(text: &str) -> Result<Vec<String>, CommandProblem> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                // A line continuation joins the lines.
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some(next) if next != '\n' => {
                    word.push(next);
                    in_word = true;
                }
                _ => {}
            },
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(q) => word.push(q),
                        None => return Err(CommandProblem::UnterminatedQuote { quote: '\'' }),
                    }
                }
            }
            '$' if chars.peek() == Some(&'\'') => {
                chars.next();
                in_word = true;
                ansi_c(&mut chars, &mut word)?;
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(e @ ('"' | '\\' | '$' | '`')) => word.push(e),
                            Some('\n') => {}
                            Some(other) => {
                                word.push('\\');
                                word.push(other);
                            }
                            None => return Err(CommandProblem::UnterminatedQuote { quote: '"' }),
                        },
                        Some(q) => word.push(q),
                        None => return Err(CommandProblem::UnterminatedQuote { quote: '"' }),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            // A control operator ends the command: what follows is another one.
            '&' | ';' | '|' => break,
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

/// The inside of `$'…'`: C-like escapes.
fn ansi_c(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    word: &mut String,
) -> Result<(), CommandProblem> {
    loop {
        match chars.next() {
            Some('\'') => return Ok(()),
            Some('\\') => {
                let Some(e) = chars.next() else {
                    return Err(CommandProblem::UnterminatedQuote { quote: '\'' });
                };
                match e {
                    'n' => word.push('\n'),
                    't' => word.push('\t'),
                    'r' => word.push('\r'),
                    'a' => word.push('\u{7}'),
                    'b' => word.push('\u{8}'),
                    'e' | 'E' => word.push('\u{1b}'),
                    'f' => word.push('\u{c}'),
                    'v' => word.push('\u{b}'),
                    'x' | 'u' | 'U' => {
                        let most = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut digits = String::new();
                        while digits.len() < most
                            && chars.peek().is_some_and(char::is_ascii_hexdigit)
                        {
                            digits.extend(chars.next());
                        }
                        if let Some(c) = u32::from_str_radix(&digits, 16)
                            .ok()
                            .and_then(char::from_u32)
                        {
                            word.push(c);
                        } else {
                            word.push('\\');
                            word.push(e);
                            word.push_str(&digits);
                        }
                    }
                    other => word.push(other),
                }
            }
            Some(c) => word.push(c),
            None => return Err(CommandProblem::UnterminatedQuote { quote: '\'' }),
        }
    }
}

/// cmd's own pass: `^x` is `x`, and `^` at the end of a line continues it.
fn uncaret(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '^' {
            match chars.next() {
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some('\n') | None => {}
                Some(next) => out.push(next),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The C runtime's split of a Windows command line: white space separates, double quotes group,
/// `\"` is a quote, and `""` inside quotes is a quote.
fn windows(text: &str) -> Result<Vec<String>, CommandProblem> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let mut slashes = 1;
                while chars.peek() == Some(&'\\') {
                    chars.next();
                    slashes += 1;
                }
                if chars.peek() == Some(&'"') {
                    word.push_str(&"\\".repeat(slashes / 2));
                    if slashes % 2 == 1 {
                        chars.next();
                        word.push('"');
                    }
                } else {
                    word.push_str(&"\\".repeat(slashes));
                }
                in_word = true;
            }
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                word.push('"');
            }
            '"' => {
                quoted = !quoted;
                in_word = true;
            }
            c if c.is_whitespace() && !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                word.push(c);
                in_word = true;
            }
        }
    }
    if quoted {
        return Err(CommandProblem::UnterminatedQuote { quote: '"' });
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::{Dialect, split};

    #[test]
    fn posix_quotes_escapes_and_continuations() {
        let words = split(
            "curl 'https://a.example/x?a=1&b=2' \\\n  -H \"Authorization: Bearer \\\"t\\\"\" \\\n  --data-raw $'{\"a\":\\'b\\'\\n}'",
            Dialect::Posix,
        )
        .unwrap_or_default();
        assert_eq!(
            words,
            [
                "curl",
                "https://a.example/x?a=1&b=2",
                "-H",
                "Authorization: Bearer \"t\"",
                "--data-raw",
                "{\"a\":'b'\n}",
            ]
        );
    }

    #[test]
    fn cmd_carets_then_the_c_runtime() {
        let text = "curl ^\"https://a.example/x?a=1^&b=2^\" ^\n  -H ^\"accept: */*^\" ^\n  --data-raw ^\"^{^\\^\"a^\\^\":1^}^\"";
        assert_eq!(Dialect::of(text), Dialect::Cmd);
        assert_eq!(
            split(text, Dialect::Cmd).unwrap_or_default(),
            [
                "curl",
                "https://a.example/x?a=1&b=2",
                "-H",
                "accept: */*",
                "--data-raw",
                "{\"a\":1}",
            ]
        );
    }
}
