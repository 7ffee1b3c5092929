//! A server's CORS behaviour, declared: what each of its answers puts in the CORS headers. The
//! lab serves these declarations and the inference's hypotheses are made of them — one
//! vocabulary for a misbehaving server.

use super::{CorsRequest, ServerReply};

/// What the server puts in `Access-Control-Allow-Origin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllowOrigin {
    /// No CORS headers at all.
    Absent,
    /// The request's `Origin`, echoed (with `Vary: Origin`).
    Echo,
    /// The request's `Origin`, sent in two `Access-Control-Allow-Origin` fields (a proxy and the
    /// application both add it).
    EchoTwice,
    /// The request's `Origin` with a trailing slash, as a hand-written allow-list often has it.
    EchoWithSlash,
    Wildcard,
    /// Always this origin (a fixed allow-list entry).
    Fixed(&'static str),
}

/// What a preflight answer allows, of methods or of headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// Whatever the preflight asks for, echoed (nothing when it asks for none).
    Requested,
    /// This list, as written.
    Only(&'static str),
}

/// The CORS headers of one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cors {
    pub allow_origin: AllowOrigin,
    pub allow_credentials: bool,
    pub allow_methods: Option<Allowed>,
    pub allow_headers: Option<Allowed>,
    pub expose_headers: Option<&'static str>,
}

impl Cors {
    pub const NONE: Cors = Cors {
        allow_origin: AllowOrigin::Absent,
        allow_credentials: false,
        allow_methods: None,
        allow_headers: None,
        expose_headers: None,
    };
    /// Echo the origin and expose nothing.
    pub const ECHO: Cors = Cors {
        allow_origin: AllowOrigin::Echo,
        ..Cors::NONE
    };
    /// Echo the origin and expose the challenge.
    pub const ECHO_EXPOSED: Cors = Cors {
        expose_headers: Some("WWW-Authenticate"),
        ..Cors::ECHO
    };
    /// A preflight answer that allows `GET` with an `Authorization` header.
    pub const PREFLIGHT_ALLOWS_AUTH: Cors = Cors {
        allow_methods: Some(Allowed::Only("GET, HEAD, OPTIONS")),
        allow_headers: Some(Allowed::Only("Authorization, Content-Type")),
        ..Cors::ECHO
    };
    /// A preflight answer that allows whatever is asked, credentials included.
    pub const ALLOWS_REQUESTED: Cors = Cors {
        allow_credentials: true,
        allow_methods: Some(Allowed::Requested),
        allow_headers: Some(Allowed::Requested),
        ..Cors::ECHO
    };
    /// An answer readable with credentials, its challenge exposed.
    pub const CREDENTIALED_EXPOSED: Cors = Cors {
        allow_credentials: true,
        ..Cors::ECHO_EXPOSED
    };

    /// The header fields of an answer to a request from `origin` (`None`: no `Origin` header,
    /// echoed as `null`) whose preflight asked for `method` and `headers` (a comma-separated
    /// list), in the order a server writes them.
    pub fn fields(
        &self,
        origin: Option<&str>,
        method: &str,
        headers: &str,
    ) -> Vec<(&'static str, String)> {
        const ALLOW_ORIGIN: &str = "Access-Control-Allow-Origin";
        let mut out = Vec::new();
        let echoed = origin.unwrap_or("null");
        match self.allow_origin {
            AllowOrigin::Absent => return out,
            AllowOrigin::Echo | AllowOrigin::EchoTwice => {
                out.push((ALLOW_ORIGIN, echoed.to_owned()));
                if self.allow_origin == AllowOrigin::EchoTwice {
                    out.push((ALLOW_ORIGIN, echoed.to_owned()));
                }
                out.push(("Vary", "Origin".to_owned()));
            }
            AllowOrigin::EchoWithSlash => out.push((ALLOW_ORIGIN, format!("{echoed}/"))),
            AllowOrigin::Wildcard => out.push((ALLOW_ORIGIN, "*".to_owned())),
            AllowOrigin::Fixed(origin) => out.push((ALLOW_ORIGIN, origin.to_owned())),
        }
        if self.allow_credentials {
            out.push(("Access-Control-Allow-Credentials", "true".to_owned()));
        }
        for (name, allowed, requested) in [
            ("Access-Control-Allow-Methods", self.allow_methods, method),
            ("Access-Control-Allow-Headers", self.allow_headers, headers),
        ] {
            match allowed {
                Some(Allowed::Requested) if !requested.is_empty() => {
                    out.push((name, requested.to_owned()));
                }
                Some(Allowed::Only(list)) => out.push((name, list.to_owned())),
                _ => {}
            }
        }
        if let Some(exposed) = self.expose_headers {
            out.push(("Access-Control-Expose-Headers", exposed.to_owned()));
        }
        out
    }
}

/// One answer of a declared server: its status and its CORS headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub cors: Cors,
}

impl Answer {
    /// This answer to `request`, or to its preflight, as the CORS model reads answers.
    pub fn reply(&self, request: &CorsRequest) -> ServerReply {
        let names: Vec<&str> = request.headers.iter().map(|(n, _)| n.as_str()).collect();
        let headers = self
            .cors
            .fields(Some(&request.origin), &request.method, &names.join(", "))
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .chain(
                // A redirect goes somewhere: a declared 3xx answer sends its client to sign in.
                super::is_redirect_status(self.status)
                    .then(|| ("Location".to_owned(), "/login".to_owned())),
            )
            .collect();
        ServerReply {
            status: self.status,
            headers,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_echo_what_is_declared() {
        let fields =
            Cors::ALLOWS_REQUESTED.fields(Some("https://app.example"), "PUT", "Authorization");
        assert_eq!(
            fields,
            [
                (
                    "Access-Control-Allow-Origin",
                    "https://app.example".to_owned()
                ),
                ("Vary", "Origin".to_owned()),
                ("Access-Control-Allow-Credentials", "true".to_owned()),
                ("Access-Control-Allow-Methods", "PUT".to_owned()),
                ("Access-Control-Allow-Headers", "Authorization".to_owned()),
            ]
        );
        let twice = Cors {
            allow_origin: AllowOrigin::EchoTwice,
            ..Cors::NONE
        };
        assert_eq!(twice.fields(None, "", "").len(), 3);
        assert!(
            Cors::NONE
                .fields(Some("https://a.example"), "GET", "X")
                .is_empty()
        );
        let slash = Cors {
            allow_origin: AllowOrigin::EchoWithSlash,
            ..Cors::NONE
        };
        assert_eq!(
            slash.fields(Some("https://a.example"), "", "")[0].1,
            "https://a.example/"
        );
    }
}
