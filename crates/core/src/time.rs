//! Calendar arithmetic for the dates servers and signed URLs write: days from a civil date, and
//! ISO 8601 times (`20240101T000000Z` in AWS signatures, `2024-01-01T00:00:00Z` in Azure SAS).

pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An ISO 8601 UTC time as seconds since 1970: the basic form `20240101T000000Z` (X-Amz-Date,
/// X-Goog-Date), the extended form `2024-01-01T00:00:00Z` (fractions ignored), or a date alone
/// (`2024-01-01`, midnight). `None` for anything else, or a date that does not exist.
pub fn parse_iso_time(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, time) = match text.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let digits: String = date.chars().filter(char::is_ascii_digit).collect();
    if digits.len() != 8 || date.chars().any(|c| !c.is_ascii_digit() && c != '-') {
        return None;
    }
    let number = |from: usize, to: usize| digits.get(from..to)?.parse::<i64>().ok();
    let (year, month, day) = (number(0, 4)?, number(4, 6)?, number(6, 8)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let seconds = match time {
        None => 0,
        Some(time) => {
            let time = time.strip_suffix(['Z', 'z'])?;
            let time = time.split('.').next().unwrap_or_default();
            let digits: String = time.chars().filter(char::is_ascii_digit).collect();
            if digits.len() != 6 || time.chars().any(|c| !c.is_ascii_digit() && c != ':') {
                return None;
            }
            let part = |from: usize| digits.get(from..from + 2)?.parse::<i64>().ok();
            let (hour, minute, second) = (part(0)?, part(2)?, part(4)?);
            if hour > 23 || minute > 59 || second > 60 {
                return None;
            }
            hour * 3_600 + minute * 60 + second
        }
    };
    Some(days_from_civil(year, month, day) * 86_400 + seconds)
}

/// A time as `2024-01-01 00:00:00 UTC`.
pub fn format_utc(seconds: i64) -> String {
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        second_of_day / 3_600,
        second_of_day % 3_600 / 60,
        second_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::{format_utc, parse_iso_time};

    #[test]
    fn a_time_reads_back() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(format_utc(1_704_067_200 + 3_661), "2024-01-01 01:01:01 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00:00 UTC");
        for t in [-86_400_i64, 0, 1_795_478_399, 4_102_444_800] {
            let text = format_utc(t).replace(' ', "T").replace("TUTC", "Z");
            assert_eq!(parse_iso_time(&text), Some(t), "{text}");
        }
    }

    #[test]
    fn iso_times_as_signatures_write_them() {
        assert_eq!(parse_iso_time("19700101T000000Z"), Some(0));
        assert_eq!(parse_iso_time("20240101T000000Z"), Some(1_704_067_200));
        assert_eq!(parse_iso_time("2024-01-01T00:00:00Z"), Some(1_704_067_200));
        assert_eq!(
            parse_iso_time("2024-01-01T00:00:00.1234567Z"),
            Some(1_704_067_200)
        );
        assert_eq!(parse_iso_time("2024-01-01"), Some(1_704_067_200));
        for bad in [
            "",
            "2024-13-01",
            "2024-02-30",
            "20240101T000000",
            "2024-01-01T25:00:00Z",
            "soon",
        ] {
            assert_eq!(parse_iso_time(bad), None, "{bad}");
        }
    }
}
