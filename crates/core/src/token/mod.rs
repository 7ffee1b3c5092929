//! Tokens as the client sends them: JWTs decoded without a key (header and claims, never the
//! signature verified), checked against a clock; anything else recognised as opaque.

mod jwt;

pub use jwt::{
    DecodedToken, Jwt, NumericDate, TokenFinding, TokenProblem, decode_token, human_duration,
};
