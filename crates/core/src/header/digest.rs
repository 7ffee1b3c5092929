//! `Digest` credentials (RFC 7616 §3.4): the parameters a Digest response carries, and what the
//! RFC requires of them.

use super::credentials::{CredentialsProblem, Span};

/// A `Digest` credential's parameters (RFC 7616 §3.4), as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestCredentials {
    pub params: Vec<super::AuthParam>,
}

impl DigestCredentials {
    /// The first parameter with this name (case-insensitive).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .map(|p| p.value.as_str())
    }
}

/// The parameters of a `Digest` credential, with what RFC 7616 §3.4 requires of them.
pub(super) fn parse_digest(
    rest: &str,
    rest_span: &Span,
    push: &mut impl FnMut(CredentialsProblem, Span),
) -> DigestCredentials {
    let (params, syntax) = super::challenge::parse_auth_params(rest);
    for problem in syntax {
        let span = rest_span.start + problem.span.start..rest_span.start + problem.span.end;
        push(
            CredentialsProblem::DigestSyntax {
                detail: problem.kind.to_string(),
            },
            span,
        );
    }
    let digest = DigestCredentials { params };
    for name in ["username", "realm", "nonce", "uri", "response"] {
        // `username*` (RFC 7616 §3.4.4) stands for username.
        let present = digest.param(name).is_some()
            || (name == "username" && digest.param("username*").is_some());
        if !present {
            push(
                CredentialsProblem::DigestMissingParam { name },
                rest_span.clone(),
            );
        }
    }
    if digest.param("qop").is_some()
        && (digest.param("nc").is_none() || digest.param("cnonce").is_none())
    {
        push(CredentialsProblem::DigestQopWithoutCount, rest_span.clone());
    }
    if let Some(nc) = digest.param("nc")
        && !(nc.len() == 8 && nc.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        push(
            CredentialsProblem::DigestBadCount { nc: nc.to_owned() },
            rest_span.clone(),
        );
    }
    digest
}
