//! Cookies: `Set-Cookie` parsed the way browsers parse it (RFC 6265bis §5.6), the lint notes that
//! explain why a browser drops or never sends a cookie, and a sendability model for a `fetch()`.

mod date;
mod sendability;
mod set_cookie;

pub use date::parse_cookie_date;
pub use sendability::{CookieRequest, NotSent, Site, same_site, sendability, site_of};
pub use set_cookie::{CookieNote, SameSite, SetCookie, parse_set_cookie};
