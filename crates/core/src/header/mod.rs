//! Authentication headers: `WWW-Authenticate` / `Proxy-Authenticate` challenges,
//! `Authentication-Info`, and `Authorization` / `Proxy-Authorization` credentials.
//!
//! Every parser here is lenient: it returns its best reading of the value **and** the problems it
//! met, each with the byte span at fault and a sentence (see [`Problem::annotate`]).

pub mod challenge;
pub mod credentials;
mod digest;
mod syntax;

pub(crate) use syntax::is_tchar;

use std::fmt;
use std::ops::Range;

pub use challenge::{
    AuthParam, AuthScheme, BasicChallenge, BearerChallenge, BearerError, Challenge,
    ChallengeProblem, Challenges, DigestAlgorithm, DigestChallenge, DpopChallenge,
    parse_auth_params, parse_www_authenticate,
};
pub use credentials::{
    BasicCredentials, Credentials, CredentialsKind, CredentialsProblem, is_redaction_mark,
    parse_authorization,
};
pub use digest::DigestCredentials;

/// A problem found in a header value: what is wrong and where (a byte range of the value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem<K> {
    pub kind: K,
    pub span: Range<usize>,
}

impl<K: fmt::Display> Problem<K> {
    pub fn new(kind: K, span: Range<usize>) -> Self {
        Problem { kind, span }
    }

    /// The value reprinted on one line with `^` under the part at fault, then the sentence:
    ///
    /// ```text
    /// Basic; realm="api"
    ///      ^
    /// A semicolon follows the scheme name; challenges separate the scheme from its parameters with a space.
    /// ```
    pub fn annotate(&self, value: &str) -> String {
        let shown: String = value
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let start = self.span.start.min(value.len());
        let end = self.span.end.clamp(start, value.len());
        let indent = value.get(..start).map_or(0, |s| s.chars().count());
        let width = value
            .get(start..end)
            .map_or(0, |s| s.chars().count())
            .max(1);
        format!(
            "{shown}\n{}{}\n{}",
            " ".repeat(indent),
            "^".repeat(width),
            self.kind
        )
    }
}

impl<K: fmt::Display> fmt::Display for Problem<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.kind.fmt(f)
    }
}
