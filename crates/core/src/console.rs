//! The browser console's CORS error line, as a user pastes it. Page scripts only ever see
//! `TypeError: Failed to fetch`; the console line names the reason, so reading it settles what the
//! probes cannot tell apart from the outside.
//!
//! Chromium writes one sentence per `CorsError` (Blink's `cors_error_string.cc`); Firefox writes
//! "Cross-Origin Request Blocked: … (Reason: …)". Both are recognised wherever they sit in the
//! pasted text, with line breaks and `net::ERR_FAILED` noise around them.

use crate::cors::CorsError;

/// Which browser wrote the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    Chromium,
    Firefox,
}

/// One CORS error line, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsoleLine {
    pub browser: Browser,
    /// The reason in Chromium's words. Firefox does not say whether the preflight or the response
    /// failed the `Access-Control-Allow-*` check; it is read as the response's error, and
    /// [`ConsoleLine::matches`] accepts the preflight's too.
    pub error: CorsError,
    /// The value Chromium quotes: the offending origin, header, method or address space.
    pub parameter: Option<String>,
    /// The URL the request went to (after redirects, as the browser names it).
    pub url: Option<String>,
    /// The page's origin the request came from (Chromium lines only).
    pub origin: Option<String>,
}

impl ConsoleLine {
    /// Whether `error`, predicted for the request, is the one this line reports.
    pub fn matches(&self, error: CorsError) -> bool {
        if error == self.error {
            return true;
        }
        self.browser == Browser::Firefox && preflight_twin(self.error) == Some(error)
    }
}

/// Why a pasted text could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleProblem {
    /// Nothing but white space.
    Empty,
    /// No CORS error line in it.
    NotACorsLine,
    /// A CORS line whose reason this version does not know.
    UnknownReason,
}

impl std::fmt::Display for ConsoleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ConsoleProblem::Empty => "Nothing pasted.",
            ConsoleProblem::NotACorsLine => {
                "This is not a CORS error line. Copy the red line that starts with “Access to fetch at …” (Chrome, Edge) or “Cross-Origin Request Blocked” (Firefox)."
            }
            ConsoleProblem::UnknownReason => {
                "This is a CORS error line, but its reason is not one why401 knows yet; the report is based on the probes alone."
            }
        })
    }
}

/// The `Preflight…` error Chromium reports when the preflight, not the response, fails a check.
const fn preflight_twin(error: CorsError) -> Option<CorsError> {
    Some(match error {
        CorsError::WildcardOriginNotAllowed => CorsError::PreflightWildcardOriginNotAllowed,
        CorsError::MissingAllowOriginHeader => CorsError::PreflightMissingAllowOriginHeader,
        CorsError::MultipleAllowOriginValues => CorsError::PreflightMultipleAllowOriginValues,
        CorsError::InvalidAllowOriginValue => CorsError::PreflightInvalidAllowOriginValue,
        CorsError::AllowOriginMismatch => CorsError::PreflightAllowOriginMismatch,
        CorsError::InvalidAllowCredentials => CorsError::PreflightInvalidAllowCredentials,
        _ => return None,
    })
}

const CHROMIUM_MARK: &str = "has been blocked by CORS policy:";
const CHROMIUM_PREFLIGHT: &str = "Response to preflight request doesn't pass access control check:";
const FIREFOX_MARK: &str = "Cross-Origin Request Blocked:";

/// Reads the first CORS error line in `text`.
pub fn parse_console_line(text: &str) -> Result<ConsoleLine, ConsoleProblem> {
    // Console text wraps; copied lines may carry curly quotes and any white space.
    let text: String = normalize(text);
    if text.is_empty() {
        return Err(ConsoleProblem::Empty);
    }
    if let Some((head, reason)) = text.split_once(CHROMIUM_MARK) {
        return chromium(head, reason.trim_start());
    }
    if let Some((_, rest)) = text.split_once(FIREFOX_MARK) {
        return firefox(rest);
    }
    Err(ConsoleProblem::NotACorsLine)
}

fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201c}' | '\u{201d}' => '"',
            c => c,
        }));
    }
    out
}

/// The text between `open` and the next `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let rest = text.get(start..)?;
    let end = rest.find(close)?;
    rest.get(..end)
}

/// Where Chromium's sentence holds the error's parameter.
enum Parameter {
    None,
    /// Between this and the next `'`.
    Quoted(&'static str),
    /// Between these two.
    Between(&'static str, &'static str),
    Always(&'static str),
}

impl Parameter {
    fn read(&self, reason: &str) -> Option<String> {
        match self {
            Parameter::None => None,
            Parameter::Quoted(open) => between(reason, open, "'").map(str::to_owned),
            Parameter::Between(open, close) => between(reason, open, close).map(str::to_owned),
            Parameter::Always(value) => Some((*value).to_owned()),
        }
    }
}

/// Chromium's sentence for each error: how it starts, a phrase it also holds, and where its
/// parameter is.
#[rustfmt::skip]
const CHROMIUM_REASONS: &[(&str, &str, CorsError, Parameter)] = &[
    ("No 'Access-Control-Allow-Origin' header", "", CorsError::MissingAllowOriginHeader, Parameter::None),
    ("The 'Access-Control-Allow-Origin' header has a value", "", CorsError::AllowOriginMismatch, Parameter::Quoted("header has a value '")),
    ("The 'Access-Control-Allow-Origin' header contains multiple", "", CorsError::MultipleAllowOriginValues, Parameter::Quoted("multiple values '")),
    ("The 'Access-Control-Allow-Origin' header contains the invalid", "", CorsError::InvalidAllowOriginValue, Parameter::Quoted("invalid value '")),
    ("The value of the 'Access-Control-Allow-Origin' header", "", CorsError::WildcardOriginNotAllowed, Parameter::Always("*")),
    ("The value of the 'Access-Control-Allow-Credentials' header", "", CorsError::InvalidAllowCredentials, Parameter::Quoted("in the response is '")),
    ("It does not have HTTP ok status", "", CorsError::PreflightInvalidStatus, Parameter::None),
    ("Redirect is not allowed for a preflight request", "", CorsError::PreflightDisallowedRedirect, Parameter::None),
    ("Method ", "Access-Control-Allow-Methods", CorsError::MethodDisallowedByPreflightResponse, Parameter::Between("Method ", " is not allowed")),
    ("Request header field ", "", CorsError::HeaderDisallowedByPreflightResponse, Parameter::Between("Request header field ", " is not allowed")),
    ("Cannot parse Access-Control-Allow-Methods", "", CorsError::InvalidAllowMethodsPreflightResponse, Parameter::None),
    ("Cannot parse Access-Control-Allow-Headers", "", CorsError::InvalidAllowHeadersPreflightResponse, Parameter::None),
    ("Redirect location '", "", CorsError::RedirectContainsCredentials, Parameter::Quoted("Redirect location '")),
    ("Cross origin requests are only supported for protocol schemes", "", CorsError::CorsDisabledScheme, Parameter::None),
    ("Permission was denied for this request to access the", "", CorsError::LocalNetworkAccessPermissionDenied, Parameter::Between("access the `", "`")),
];

fn chromium(head: &str, reason: &str) -> Result<ConsoleLine, ConsoleProblem> {
    // "Access to fetch at 'URL' (redirected from 'URL') from origin 'ORIGIN' "
    let url = between(head, " at '", "'").map(str::to_owned);
    let origin = head
        .rfind("from origin '")
        .and_then(|at| head.get(at..))
        .and_then(|tail| between(tail, "from origin '", "'"))
        .map(str::to_owned);
    let (preflight, reason) = match reason.strip_prefix(CHROMIUM_PREFLIGHT) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, reason),
    };
    let Some((_, _, error, parameter)) = CHROMIUM_REASONS
        .iter()
        .find(|(starts, contains, ..)| reason.starts_with(starts) && reason.contains(contains))
    else {
        return Err(ConsoleProblem::UnknownReason);
    };
    let (error, parameter) = (*error, parameter.read(reason));
    let error = if preflight {
        preflight_twin(error).unwrap_or(error)
    } else {
        error
    };
    Ok(ConsoleLine {
        browser: Browser::Chromium,
        error,
        parameter,
        url,
        origin,
    })
}

fn firefox(rest: &str) -> Result<ConsoleLine, ConsoleProblem> {
    // "The Same Origin Policy disallows reading the remote resource at URL. (Reason: …). Status code: 401."
    let url = between(rest, "remote resource at ", ". (Reason:")
        .or_else(|| between(rest, "remote resource at ", " (Reason:"))
        .map(str::to_owned);
    let reason = rest
        .split_once("(Reason: ")
        .map_or("", |(_, r)| r.split_once(')').map_or(r, |(r, _)| r));
    let has = |s: &str| reason.contains(s);
    let quoted = |open: &str| between(reason, open, "'").map(str::to_owned);
    let (error, parameter) = if has("'Access-Control-Allow-Origin' missing") {
        (CorsError::MissingAllowOriginHeader, None)
    } else if has("'Access-Control-Allow-Origin' does not match") {
        (CorsError::AllowOriginMismatch, quoted("does not match '"))
    } else if has("Multiple CORS header 'Access-Control-Allow-Origin'") {
        (CorsError::MultipleAllowOriginValues, None)
    } else if has(
        "Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '*'",
    ) {
        (CorsError::WildcardOriginNotAllowed, Some("*".to_owned()))
    } else if has("expected 'true' in CORS header 'Access-Control-Allow-Credentials'") {
        (CorsError::InvalidAllowCredentials, None)
    } else if has("CORS preflight response did not succeed") {
        (CorsError::PreflightInvalidStatus, None)
    } else if has("is not allowed according to header 'Access-Control-Allow-Headers'") {
        (
            CorsError::HeaderDisallowedByPreflightResponse,
            quoted("header '"),
        )
    } else if has("Did not find method in CORS header 'Access-Control-Allow-Methods'") {
        (CorsError::MethodDisallowedByPreflightResponse, None)
    } else if has("CORS request external redirect not allowed") {
        (CorsError::PreflightDisallowedRedirect, None)
    } else if has("invalid token") && has("'Access-Control-Allow-Headers'") {
        (CorsError::InvalidAllowHeadersPreflightResponse, None)
    } else if has("invalid token") && has("'Access-Control-Allow-Methods'") {
        (CorsError::InvalidAllowMethodsPreflightResponse, None)
    } else {
        return Err(ConsoleProblem::UnknownReason);
    };
    Ok(ConsoleLine {
        browser: Browser::Firefox,
        error,
        parameter,
        url,
        origin: None,
    })
}
