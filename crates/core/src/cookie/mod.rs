//! Cookies: `Set-Cookie` parsed the way browsers parse it (RFC 6265bis §5.6), the lint notes that
//! explain why a browser drops or never sends a cookie, a sendability model for a `fetch()`, and a
//! cookie store that follows cookies across exchanges.

mod date;
mod jar;
mod sendability;
mod set_cookie;
mod suffix;

pub use date::parse_cookie_date;
pub use jar::{Jar, NotStored, StoredCookie};
pub use sendability::{CookieRequest, NotSent, Site, same_site, sendability, site_of};
pub use set_cookie::{CookieNote, SameSite, SetCookie, parse_set_cookie};
pub use suffix::{PublicSuffixes, install_public_suffixes, public_suffixes};
