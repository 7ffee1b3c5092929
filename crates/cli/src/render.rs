//! The report for a terminal: the verdict, each finding with what it rests on, the top one step
//! by step with what to change, and the causes no exchange shows. Colour only when asked for;
//! whatever a server or a paste wrote is shown with its control characters written out, so that
//! an answer cannot move the cursor, recolour the terminal or hide a line.

use std::fmt::Write as _;

use why401_core::explain::AdviceBook;
use why401_core::report::Report;

/// ANSI styles, or nothing.
struct Style {
    on: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
    fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }
    fn bad(&self, text: &str) -> String {
        self.paint("1;31", text)
    }
    fn good(&self, text: &str) -> String {
        self.paint("1;32", text)
    }
}

/// `text` with every character that does not show as itself written as `⟨U+001B⟩`: escape
/// sequences, carriage returns, bidirectional controls, zero-width characters.
pub fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\r' {
            out.push_str("⟨U+000D⟩");
        } else {
            out.push(c);
        }
    }
    why401_core::text::reveal(&out).into_owned()
}

/// One line of untrusted text: line breaks become spaces.
fn line(text: &str) -> String {
    clean(&text.replace(['\n', '\r'], " "))
}

/// What was read or sent, before the report.
pub fn preamble(notes: &[String], colour: bool) -> String {
    let style = Style { on: colour };
    let mut out = String::new();
    for note in notes {
        let _ = writeln!(out, "{}", style.dim(&line(note)));
    }
    if !notes.is_empty() {
        out.push('\n');
    }
    out
}

pub fn report(report: &Report, book: Option<&AdviceBook>, colour: bool) -> String {
    let style = Style { on: colour };
    let mut out = String::new();
    let evidence = &report.evidence;
    let request = &evidence.request;
    let _ = writeln!(
        out,
        "{} {} {}",
        style.bold("why401"),
        request.normalized_method(),
        line(&request.url)
    );
    if let Some(answer) = report.diagnosis.pasted_answer() {
        let _ = write!(
            out,
            "answered {} {}",
            answer.status,
            line(&answer.status_text)
        );
        for (name, value) in answer
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
        {
            let _ = write!(out, " · {name}: {}", line(value));
        }
        out.push('\n');
    }
    match &evidence.caller {
        Some(why401_core::evidence::Caller::Outside) => out.push_str(
            "The caller is outside a browser (a server, a script, an app, curl): CORS does not bind it. Say --origin to judge it as a page's request.\n",
        ),
        Some(why401_core::evidence::Caller::Page { origin: Some(origin) }) => {
            let _ = writeln!(out, "Judged as the request of a page at {}.", line(origin));
        }
        _ => {}
    }
    out.push('\n');
    let Some(top) = report.diagnosis.top() else {
        let title = if report.verdict.confidence == why401_core::report::Confidence::None {
            style.bad(&format!("? {}", report.verdict.title))
        } else {
            style.good(&format!("✓ {}", report.verdict.title))
        };
        let _ = writeln!(out, "{title}");
        others(&mut out, report, book, &style);
        return out;
    };
    for (rank, (finding, steps)) in report.findings().enumerate() {
        let title = format!("{}. {}", rank + 1, finding.cause.title());
        let _ = writeln!(
            out,
            "{} {}",
            if rank == 0 {
                style.bad(&title)
            } else {
                style.bold(&title)
            },
            style.dim(&format!(
                "[{}, {} confidence]",
                finding.cause.as_str(),
                finding.confidence.as_str()
            ))
        );
        for reason in &finding.because {
            let _ = writeln!(out, "   - {}", line(reason));
        }
        if let Some(implied) = &finding.implied {
            let _ = writeln!(
                out,
                "   - Chromium would report {} for this request.",
                implied.error.as_str()
            );
        }
        if finding == top {
            let _ = writeln!(out, "\n   {}", style.bold("Step by step"));
            for (n, step) in steps.iter().enumerate() {
                let _ = writeln!(out, "   {}. {}", n + 1, line(step));
            }
            if let Some(advice) = book.and_then(|b| b.get(finding.cause)) {
                let _ = writeln!(out, "\n   {}", style.bold("What to change"));
                for (who, what) in advice.by_audience() {
                    let _ = writeln!(out, "   - {who}: {}", line(what));
                }
                for reference in &advice.references {
                    let _ = writeln!(out, "   {}", style.dim(&line(reference)));
                }
            }
        }
        out.push('\n');
    }
    others(&mut out, report, book, &style);
    decoded(&mut out, report, &style);
    out
}

/// What was decoded: the credentials sent, the token's claims, the challenge, the cookies.
fn decoded(out: &mut String, report: &Report, style: &Style) {
    use why401_core::report::DecodedToken;
    let reading = &report.diagnosis.reading;
    let mut lines = Vec::new();
    if let Some(credentials) = &reading.credentials {
        lines.push(format!(
            "Authorization: {}",
            why401_core::report::credentials_shape(credentials)
        ));
    }
    if let Some(elsewhere) = &reading.credential_elsewhere {
        lines.push(format!("A credential rode in {elsewhere}."));
    }
    if let Some(token) = &reading.token {
        match &token.decoded {
            DecodedToken::Jws(jwt) => {
                let claims: Vec<String> = jwt
                    .claims_as_text(report.evidence.captured_at)
                    .into_iter()
                    .filter(|(name, _)| {
                        [
                            "iss", "aud", "sub", "exp", "nbf", "iat", "scope", "scp", "azp", "typ",
                        ]
                        .contains(&name.as_str())
                    })
                    .map(|(name, text)| format!("{name} {text}"))
                    .collect();
                lines.push(format!("The token is a JWT: {}", claims.join("; ")));
            }
            DecodedToken::Jwe { .. } => {
                lines.push("The token is an encrypted JWT: only the API can read it.".to_owned());
            }
            DecodedToken::Opaque => lines.push(
                "The token is opaque: only its issuer can say what it stands for.".to_owned(),
            ),
        }
        lines.extend(token.problems.iter().map(ToString::to_string));
        lines.extend(token.findings.iter().map(ToString::to_string));
    }
    if let Some(challenges) = &reading.challenges {
        for challenge in &challenges.challenges {
            let params: Vec<String> = challenge
                .params
                .iter()
                .map(|p| format!("{}={:?}", p.name, p.value))
                .collect();
            lines.push(format!(
                "The server asks for {}{}",
                challenge.scheme,
                if params.is_empty() {
                    String::new()
                } else {
                    format!(": {}", params.join(", "))
                }
            ));
        }
        lines.extend(challenges.problems.iter().map(ToString::to_string));
    }
    let outside = report.evidence.caller == Some(why401_core::evidence::Caller::Outside);
    for verdict in &report.diagnosis.cookies {
        let name = &verdict.cookie.name;
        if outside {
            // A browser's rules do not bind a client outside one: it keeps what it is told to.
            lines.push(format!(
                "Cookie {name}: set by the answer; a client outside a browser sends it back only if it keeps it (curl: -c and -b)."
            ));
        } else if verdict.not_sent.is_empty() {
            lines.push(format!("Cookie {name}: set, and sent with the request."));
        } else {
            let why: Vec<String> = verdict.not_sent.iter().map(ToString::to_string).collect();
            lines.push(format!("Cookie {name}: set, not sent. {}", why.join(" ")));
        }
    }
    if lines.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", style.bold("Decoded"));
    for text in lines {
        let _ = writeln!(out, "   - {}", line(&text));
    }
}

/// The causes no exchange shows, each with how to check it.
fn others(out: &mut String, report: &Report, book: Option<&AdviceBook>, style: &Style) {
    if report.diagnosis.other_possibilities.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        style.bold("Other possibilities no exchange shows")
    );
    for cause in &report.diagnosis.other_possibilities {
        let _ = write!(
            out,
            "   - {} {}",
            cause.title(),
            style.dim(&format!("[{}]", cause.as_str()))
        );
        match book.and_then(|b| b.get(*cause)) {
            Some(advice) => {
                let _ = writeln!(out, ": {}", line(&advice.check));
            }
            None => out.push('\n'),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_written_out() {
        assert_eq!(
            super::clean("a\x1b[2Jb\r\nc\rd\u{202E}e"),
            "a⟨U+001B⟩[2Jb\nc⟨U+000D⟩d⟨U+202E⟩e"
        );
    }
}
