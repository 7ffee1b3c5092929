//! The lexical pieces of HTTP field values (RFC 9110 §5.6): tokens, quoted strings, token68,
//! white space and commas, read by a cursor that never panics.

/// `tchar` (RFC 9110 §5.6.2).
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// The characters of `token68` before its trailing `=` (RFC 9110 §11.2).
pub(crate) fn is_token68_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/".contains(&b)
}

pub(crate) struct Cursor<'a> {
    pub(crate) text: &'a str,
    pub(crate) pos: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Cursor { text, pos: 0 }
    }

    pub(crate) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    pub(crate) fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Skips spaces and tabs; returns how many.
    pub(crate) fn skip_ws(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// Reads `1*tchar`; empty when the next byte is not a tchar.
    pub(crate) fn token(&mut self) -> &'a str {
        self.take_while(is_tchar)
    }

    pub(crate) fn take_while(&mut self, pred: impl Fn(u8) -> bool) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(&pred) {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or_default()
    }

    /// Reads a quoted string starting at `"`, unescaping `\x`. `Err` carries what was read when
    /// the closing quote is missing (the cursor is then at the end).
    pub(crate) fn quoted(&mut self) -> Result<String, String> {
        debug_assert_eq!(self.peek(), Some(b'"'));
        self.pos += 1;
        let mut out = String::new();
        let rest = self.text.get(self.pos..).unwrap_or_default();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, escaped)) => out.push(escaped),
                    None => break,
                },
                other => out.push(other),
            }
        }
        self.pos = self.text.len();
        Err(out)
    }

    /// Moves to the next top-level comma (outside quoted strings) or the end.
    pub(crate) fn skip_to_comma(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b',' => return,
                b'"' => {
                    let _ = self.quoted();
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Whether the element starting here is `token BWS "="` (an auth-param), without moving.
    pub(crate) fn looks_like_param(&self) -> bool {
        let mut probe = Cursor {
            text: self.text,
            pos: self.pos,
        };
        if probe.token().is_empty() {
            return false;
        }
        probe.skip_ws();
        probe.peek() == Some(b'=')
    }

    pub(crate) fn slice(&self, start: usize) -> &'a str {
        self.text.get(start..self.pos).unwrap_or_default()
    }
}
