//! The cookie-date algorithm (RFC 6265bis §5.1.1): how browsers read `Expires`, which accepts
//! far more than the IMF-fixdate it should be.

use crate::time::{days_from_civil, days_in_month};

/// Parses a cookie date into seconds since the epoch, or `None` when browsers would ignore it.
///
/// # Example values
/// `Wed, 21 Oct 2015 07:28:00 GMT`, `Wednesday, 21-Oct-15 07:28:00 GMT`, `Wed Oct 21 07:28:00 2015`.
pub fn parse_cookie_date(text: &str) -> Option<i64> {
    let mut time: Option<(i64, i64, i64)> = None;
    let mut day: Option<i64> = None;
    let mut month: Option<i64> = None;
    let mut year: Option<i64> = None;
    for token in text.split(is_delimiter).filter(|t| !t.is_empty()) {
        // Each token fills the first empty field it reads as, in the algorithm's order.
        let _ = fill(&mut time, token, parse_time)
            || fill(&mut day, token, |t| leading_digits(t, 1, 2))
            || fill(&mut month, token, parse_month)
            || fill(&mut year, token, |t| leading_digits(t, 2, 4));
    }
    let (hour, minute, second) = time?;
    let (day, month, mut year) = (day?, month?, year?);
    if (70..=99).contains(&year) {
        year += 1900;
    } else if (0..=69).contains(&year) {
        year += 2000;
    }
    if !(1..=31).contains(&day) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    if day > days_in_month(year, month) {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Fills `slot` with what `read` makes of `token`, if `slot` is still empty: whether it did.
fn fill<T>(slot: &mut Option<T>, token: &str, read: impl Fn(&str) -> Option<T>) -> bool {
    if slot.is_some() {
        return false;
    }
    *slot = read(token);
    slot.is_some()
}

fn is_delimiter(c: char) -> bool {
    matches!(c, '\t' | '\u{20}'..='\u{2f}' | '\u{3b}'..='\u{40}' | '\u{5b}'..='\u{60}' | '\u{7b}'..='\u{7e}')
}

/// `min..=max` digits at the start of the token, followed by a non-digit or nothing.
fn leading_digits(token: &str, min: usize, max: usize) -> Option<i64> {
    let digits: String = token.chars().take_while(char::is_ascii_digit).collect();
    if digits.len() < min || digits.len() > max {
        return None;
    }
    digits.parse().ok()
}

/// `hh:mm:ss`, each one or two digits, optionally followed by non-digits.
fn parse_time(token: &str) -> Option<(i64, i64, i64)> {
    let mut parts = token.splitn(3, ':');
    let hour = parts.next()?;
    let minute = parts.next()?;
    let second = parts.next()?;
    let exact = |s: &str| (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !exact(hour) || !exact(minute) {
        return None;
    }
    Some((
        hour.parse().ok()?,
        minute.parse().ok()?,
        leading_digits(second, 1, 2)?,
    ))
}

fn parse_month(token: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix = token.get(..3)?.to_ascii_lowercase();
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .and_then(|i| i64::try_from(i + 1).ok())
}

#[cfg(test)]
mod tests {
    use super::parse_cookie_date;

    #[test]
    fn cookie_date_formats_browsers_accept() {
        let expected = Some(1_445_412_480);
        assert_eq!(parse_cookie_date("Wed, 21 Oct 2015 07:28:00 GMT"), expected);
        assert_eq!(
            parse_cookie_date("Wednesday, 21-Oct-15 07:28:00 GMT"),
            expected
        );
        assert_eq!(parse_cookie_date("Wed Oct 21 07:28:00 2015"), expected);
        assert_eq!(parse_cookie_date("21 october 2015 7:28:0"), expected);
        assert_eq!(parse_cookie_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            parse_cookie_date("Tue, 29 Feb 2028 00:00:00 GMT"),
            Some(1_835_395_200)
        );
    }

    #[test]
    fn cookie_date_rejects_what_browsers_ignore() {
        for text in [
            "",
            "tomorrow",
            "2015-10-21T07:28:00Z",
            "Wed, 32 Oct 2015 07:28:00 GMT",
            "Wed, 21 Oct 2015 25:28:00 GMT",
            "Wed, 21 Foo 2015 07:28:00 GMT",
            "Fri, 29 Feb 2019 00:00:00 GMT",
            "Wed, 21 Oct 1500 07:28:00 GMT",
            "1445412480",
        ] {
            assert_eq!(parse_cookie_date(text), None, "{text}");
        }
    }
}
