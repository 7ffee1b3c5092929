//! The `WWW-Authenticate` grammar (RFC 9110 §11.6.1, §11.2): challenges, token68 and
//! parameter lists, read leniently, and the lints on what was read.

use std::ops::Range;

use super::{AuthParam, AuthScheme, BearerError, Challenge, ChallengeProblem, Challenges};
use crate::header::Problem;
use crate::header::syntax::{Cursor, is_token68_char};

/// Parses `WWW-Authenticate` or `Proxy-Authenticate`, given every field of that name in the
/// response (HTTP allows the list to be split across fields).
pub fn parse_www_authenticate(fields: &[&str]) -> Challenges {
    let value = unfold(&fields.join(", "));
    let mut problems = Vec::new();
    let challenges = parse_challenges(&value, &mut problems);
    if challenges.is_empty() && problems.is_empty() && !fields.is_empty() {
        problems.push(Problem::new(ChallengeProblem::Empty, 0..value.len()));
    }
    for challenge in &challenges {
        lint_duplicates(&challenge.params, &mut problems);
        lint_scheme(challenge, &mut problems);
    }
    // In the order they occur; a stable insertion keeps the bundle free of a sort routine.
    let mut ordered: Vec<Problem<ChallengeProblem>> = Vec::with_capacity(problems.len());
    for problem in problems {
        let at = ordered.partition_point(|q| q.span.start <= problem.span.start);
        ordered.insert(at, problem);
    }
    let problems = ordered;
    Challenges {
        value,
        challenges,
        problems,
    }
}

/// A line folded the obsolete way (CRLF and white space, RFC 9112 §5.2) is one space, as the
/// HTTP layer hands it on.
fn unfold(value: &str) -> String {
    if !value.contains(['\r', '\n']) {
        return value.to_owned();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find(['\r', '\n']) {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at..).unwrap_or_default();
        let after = after
            .strip_prefix("\r\n")
            .or_else(|| after.get(1..))
            .unwrap_or_default();
        let folded = after.trim_start_matches([' ', '\t']);
        if folded.len() < after.len() {
            out.push(' ');
        } else {
            // A line break that is no fold stays, for the grammar to report.
            out.push_str(rest.get(at..=at).unwrap_or_default());
        }
        rest = folded;
    }
    out.push_str(rest);
    out
}

/// Parses a bare `#auth-param` list, as in `Authentication-Info` and `Proxy-Authentication-Info`.
pub fn parse_auth_params(value: &str) -> (Vec<AuthParam>, Vec<Problem<ChallengeProblem>>) {
    let mut problems = Vec::new();
    let mut cursor = Cursor::new(value);
    let mut params = Vec::new();
    while next_element(&mut cursor) {
        if cursor.looks_like_param() {
            parse_param_list(&mut cursor, &mut params, &mut problems);
        } else {
            let start = cursor.pos;
            cursor.skip_to_comma();
            problems.push(Problem::new(
                ChallengeProblem::UnexpectedText,
                start..cursor.pos,
            ));
        }
    }
    lint_duplicates(&params, &mut problems);
    (params, problems)
}

/// Skips to the next element of a comma-separated list; false at the end.
fn next_element(cursor: &mut Cursor<'_>) -> bool {
    skip_separators(cursor);
    !cursor.at_end()
}

fn skip_separators(cursor: &mut Cursor<'_>) {
    loop {
        cursor.skip_ws();
        if !cursor.eat(b',') {
            break;
        }
    }
}

fn parse_challenges(value: &str, problems: &mut Vec<Problem<ChallengeProblem>>) -> Vec<Challenge> {
    let mut cursor = Cursor::new(value);
    let mut challenges = Vec::new();
    while next_element(&mut cursor) {
        let start = cursor.pos;
        let scheme = cursor.token();
        if scheme.is_empty() {
            cursor.skip_to_comma();
            problems.push(Problem::new(
                ChallengeProblem::InvalidScheme,
                start..cursor.pos.max(start + 1),
            ));
            continue;
        }
        let mut challenge = Challenge {
            scheme: scheme.to_owned(),
            token68: None,
            params: Vec::new(),
            span: start..cursor.pos,
        };
        if cursor.peek() == Some(b';') {
            problems.push(Problem::new(
                ChallengeProblem::SemicolonAfterScheme,
                cursor.pos..cursor.pos + 1,
            ));
            cursor.pos += 1;
        } else if matches!(cursor.peek(), Some(b'"' | b'=')) {
            problems.push(Problem::new(
                ChallengeProblem::MissingSpaceAfterScheme,
                cursor.pos..cursor.pos + 1,
            ));
        }
        // Browsers take the scheme as the text up to the first white space (Chromium's
        // tokenizer): `Basic , realm="x"` is Basic with a realm, `Basic, realm="x"` no Basic.
        let spaced = matches!(cursor.peek(), Some(b' ' | b'\t'));
        cursor.skip_ws();
        if !cursor.at_end() && cursor.peek() != Some(b',') {
            parse_challenge_body(&mut cursor, &mut challenge, problems);
        }
        challenge.span.end = cursor.pos;
        // A parameter after the comma that ends a scheme alone or its token68 belongs to no
        // challenge (RFC 9110 §11.6.1). Browsers still give `Basic , realm="x"` its realm; not
        // `Basic, realm="x"` (the scheme would be `Basic,`) nor `Other abc==, realm=x`.
        let mark = cursor.pos;
        skip_separators(&mut cursor);
        if challenge.params.is_empty() && !cursor.at_end() && cursor.looks_like_param() {
            let first = cursor.pos;
            if spaced && challenge.token68.is_none() {
                parse_param_list(&mut cursor, &mut challenge.params, problems);
                challenge.span.end = cursor.pos;
                problems.push(Problem::new(
                    ChallengeProblem::CommaBeforeParams,
                    mark..first,
                ));
            } else {
                parse_param_list(&mut cursor, &mut Vec::new(), problems);
                problems.push(Problem::new(
                    ChallengeProblem::ParamsOutsideChallenge {
                        after_token68: challenge.token68.is_some(),
                    },
                    first..cursor.pos,
                ));
            }
        } else {
            cursor.pos = mark;
        }
        challenges.push(challenge);
    }
    challenges
}

/// Schemes whose challenges carry parameters, never a token68.
fn takes_params(scheme: AuthScheme) -> bool {
    !matches!(
        scheme,
        AuthScheme::Negotiate | AuthScheme::Ntlm | AuthScheme::Other
    )
}

/// After `scheme SP`: a token68 or the first auth-params.
fn parse_challenge_body(
    cursor: &mut Cursor<'_>,
    challenge: &mut Challenge,
    problems: &mut Vec<Problem<ChallengeProblem>>,
) {
    let start = cursor.pos;
    // `abc==` reads like the parameter `abc` with the value `=`; a whole element of token68
    // characters and trailing `=` is a token68, except `realm=` (an empty value) in a scheme that
    // takes parameters.
    let mut probe = Cursor {
        text: cursor.text,
        pos: cursor.pos,
    };
    if let Some(token68) = read_token68(&mut probe) {
        let empty_param = token68.matches('=').count() == 1 && token68.ends_with('=');
        if !(empty_param && takes_params(challenge.auth_scheme())) {
            challenge.token68 = Some(token68);
            cursor.pos = probe.pos;
            return;
        }
    }
    if cursor.looks_like_param() {
        parse_param_list(cursor, &mut challenge.params, problems);
        return;
    }
    cursor.skip_to_comma();
    problems.push(Problem::new(
        ChallengeProblem::UnexpectedText,
        start..cursor.pos.max(start + 1),
    ));
}

/// Reads `token68` if the cursor is at one that ends at white space, a comma or the end.
fn read_token68(cursor: &mut Cursor<'_>) -> Option<String> {
    let start = cursor.pos;
    if cursor.take_while(is_token68_char).is_empty() {
        return None;
    }
    cursor.take_while(|b| b == b'=');
    let token68 = cursor.slice(start).to_owned();
    let mut probe = Cursor {
        text: cursor.text,
        pos: cursor.pos,
    };
    probe.skip_ws();
    if probe.at_end() || probe.peek() == Some(b',') {
        Some(token68)
    } else {
        cursor.pos = start;
        None
    }
}

/// Moves past `OWS "," OWS` to the next parameter and says so; stays put (and says no) when what
/// follows is the end or a new challenge.
fn next_param(cursor: &mut Cursor<'_>) -> bool {
    let mark = cursor.pos;
    skip_separators(cursor);
    if !cursor.at_end() && cursor.looks_like_param() {
        true
    } else {
        cursor.pos = mark;
        false
    }
}

/// Reads `auth-param *( OWS "," OWS auth-param )` from a cursor at a parameter, stopping before
/// an element that is not one (a new challenge). Missing commas and unquoted spaces are read
/// through, and reported.
fn parse_param_list(
    cursor: &mut Cursor<'_>,
    params: &mut Vec<AuthParam>,
    problems: &mut Vec<Problem<ChallengeProblem>>,
) {
    loop {
        let start = cursor.pos;
        let name = cursor.token().to_owned();
        cursor.skip_ws();
        if name.is_empty() || !cursor.eat(b'=') {
            cursor.pos = start;
            return;
        }
        cursor.skip_ws();
        let (value, quoted) = parse_param_value(cursor, &name, problems);
        params.push(AuthParam {
            name,
            value,
            quoted,
            span: start..cursor.pos,
        });
        let after_value = cursor.pos;
        let spaces = cursor.skip_ws();
        if cursor.at_end() {
            return;
        }
        if cursor.peek() == Some(b',') {
            cursor.pos = after_value;
        } else {
            if cursor.looks_like_param() {
                problems.push(Problem::new(
                    ChallengeProblem::MissingComma,
                    after_value..cursor.pos.max(after_value + 1),
                ));
                continue;
            }
            let rest_start = cursor.pos;
            cursor.skip_to_comma();
            let rest = cursor
                .text
                .get(rest_start..cursor.pos)
                .unwrap_or_default()
                .trim_end();
            match params.last_mut() {
                // `realm=my realm`: the rest of the element belongs to the value.
                Some(param) if spaces > 0 && !quoted => {
                    param.value.push(' ');
                    param.value.push_str(rest);
                    param.span.end = rest_start + rest.len();
                    problems.push(Problem::new(
                        ChallengeProblem::UnquotedSpace {
                            name: param.name.clone(),
                        },
                        param.span.clone(),
                    ));
                }
                _ => problems.push(Problem::new(
                    ChallengeProblem::UnexpectedText,
                    rest_start..cursor.pos.max(rest_start + 1),
                )),
            }
        }
        if !next_param(cursor) {
            return;
        }
    }
}

fn parse_param_value(
    cursor: &mut Cursor<'_>,
    name: &str,
    problems: &mut Vec<Problem<ChallengeProblem>>,
) -> (String, bool) {
    let start = cursor.pos;
    if cursor.peek() == Some(b'"') {
        return match cursor.quoted() {
            Ok(value) => (value, true),
            Err(value) => {
                problems.push(Problem::new(
                    ChallengeProblem::UnterminatedQuote,
                    start..cursor.pos,
                ));
                (value, true)
            }
        };
    }
    cursor.token();
    // Lenient: characters a token may not hold (`:`, `/`, `=` …) are read up to white space or a
    // comma, and reported.
    let extra = cursor.take_while(|b| !matches!(b, b',' | b' ' | b'\t'));
    let value = cursor.slice(start).to_owned();
    if value.is_empty() {
        problems.push(Problem::new(
            ChallengeProblem::MissingValue {
                name: name.to_owned(),
            },
            start.saturating_sub(1)..start,
        ));
    } else if !extra.is_empty() {
        problems.push(Problem::new(
            ChallengeProblem::ValueNeedsQuotes {
                name: name.to_owned(),
            },
            start..cursor.pos,
        ));
    }
    (value, false)
}

fn lint_duplicates(params: &[AuthParam], problems: &mut Vec<Problem<ChallengeProblem>>) {
    for (i, param) in params.iter().enumerate() {
        if params
            .iter()
            .take(i)
            .any(|earlier| earlier.name.eq_ignore_ascii_case(&param.name))
        {
            problems.push(Problem::new(
                ChallengeProblem::DuplicateParam {
                    name: param.name.clone(),
                },
                param.span.clone(),
            ));
        }
    }
}

fn param_span(challenge: &Challenge, name: &str) -> Range<usize> {
    challenge
        .params
        .iter()
        .find(|p| p.name.eq_ignore_ascii_case(name))
        .map_or_else(|| challenge.span.clone(), |p| p.span.clone())
}

fn lint_scheme(challenge: &Challenge, problems: &mut Vec<Problem<ChallengeProblem>>) {
    let mut push = |kind, span| problems.push(Problem::new(kind, span));
    // Basic and Digest both require a realm (RFC 7617 §2, RFC 7616 §3.3).
    if matches!(
        challenge.auth_scheme(),
        AuthScheme::Basic | AuthScheme::Digest
    ) && challenge.param("realm").is_none()
    {
        push(
            ChallengeProblem::MissingRealm {
                scheme: challenge.scheme.clone(),
            },
            challenge.span.clone(),
        );
    }
    // Negotiate and NTLM tokens are base64 (RFC 4559, MS-NTHT); other token68s need not be.
    if matches!(
        challenge.auth_scheme(),
        AuthScheme::Negotiate | AuthScheme::Ntlm
    ) && let (Some(token68), Some(padded)) = (&challenge.token68, challenge.token68_padded())
        && *token68 != padded
    {
        push(ChallengeProblem::SurplusPadding, challenge.span.clone());
    }
    match challenge.auth_scheme() {
        AuthScheme::Basic => {
            if let Some(charset) = challenge.param("charset")
                && !charset.eq_ignore_ascii_case("UTF-8")
            {
                push(
                    ChallengeProblem::BasicCharsetNotUtf8 {
                        charset: charset.to_owned(),
                    },
                    param_span(challenge, "charset"),
                );
            }
        }
        AuthScheme::Digest => {
            if challenge.param("nonce").is_none() {
                push(ChallengeProblem::DigestMissingNonce, challenge.span.clone());
            }
            if let Some(digest) = challenge.digest()
                && digest.algorithm.hash.is_none()
            {
                push(
                    ChallengeProblem::DigestUnknownAlgorithm {
                        algorithm: digest.algorithm.name,
                    },
                    param_span(challenge, "algorithm"),
                );
            }
            for flag in ["stale", "userhash"] {
                if challenge.param(flag).is_some() && challenge.flag(flag).is_none() {
                    push(
                        ChallengeProblem::NotBoolean {
                            name: flag.to_owned(),
                        },
                        param_span(challenge, flag),
                    );
                }
            }
        }
        AuthScheme::Bearer | AuthScheme::DPoP => {
            if let Some(BearerError::Other(error)) = challenge.error() {
                push(
                    ChallengeProblem::UnknownError { error },
                    param_span(challenge, "error"),
                );
            } else if challenge.auth_scheme() == AuthScheme::Bearer
                && matches!(
                    challenge.error(),
                    Some(BearerError::InvalidDpopProof | BearerError::UseDpopNonce)
                )
            {
                let error = challenge
                    .error()
                    .map(|e| e.code().to_owned())
                    .unwrap_or_default();
                push(
                    ChallengeProblem::UnknownError { error },
                    param_span(challenge, "error"),
                );
            }
        }
        _ => {}
    }
}
