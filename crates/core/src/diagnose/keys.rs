//! Rule: a key whose shape names its vendor, sent to another vendor's API — an Anthropic key to
//! `OpenAI`, a GitHub token to GitLab — or a publishable key where a secret one belongs. Only a
//! host of another vendor in the table counts: a proxy or a self-hosted server under its own
//! name may take any key.

use super::reading::keys_elsewhere;
use super::{Case, Finding};
use crate::cause::CauseId;
use crate::header::CredentialsKind;
use crate::target::parse_target_url;

/// A vendor's key prefixes and the hosts of its API.
struct Shape {
    vendor: &'static str,
    prefixes: &'static [&'static str],
    hosts: &'static [&'static str],
    /// Where the shape is documented, for whoever checks or adds a row (kept out of the
    /// page's bundle).
    #[cfg(test)]
    source: &'static str,
}

#[rustfmt::skip]
const SHAPES: &[Shape] = &[
    Shape { vendor: "Anthropic", prefixes: &["sk-ant-"], hosts: &["anthropic.com"],
            #[cfg(test)] source: "docs.anthropic.com/en/api/getting-started (x-api-key: sk-ant-…)" },
    Shape { vendor: "OpenAI", prefixes: &["sk-proj-", "sk-svcacct-", "sk-admin-"], hosts: &["openai.com"],
            #[cfg(test)] source: "platform.openai.com/docs/api-reference/authentication (project keys sk-proj-…)" },
    Shape { vendor: "GitHub", prefixes: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"], hosts: &["github.com"],
            #[cfg(test)] source: "github.blog/2021-04-05-behind-githubs-new-authentication-token-formats" },
    Shape { vendor: "GitLab", prefixes: &["glpat-"], hosts: &["gitlab.com"],
            #[cfg(test)] source: "docs.gitlab.com/ee/security/tokens (glpat- personal access tokens)" },
    Shape { vendor: "Slack", prefixes: &["xoxb-", "xoxp-", "xoxa-", "xoxe-"], hosts: &["slack.com"],
            #[cfg(test)] source: "api.slack.com/authentication/token-types" },
    Shape { vendor: "Stripe", prefixes: &["sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_", "pk_test_"], hosts: &["stripe.com"],
            #[cfg(test)] source: "docs.stripe.com/keys (sk_, rk_ and pk_ keys, _test_ and _live_)" },
    Shape { vendor: "Google", prefixes: &["AIza"], hosts: &["googleapis.com"],
            #[cfg(test)] source: "cloud.google.com/docs/authentication/api-keys (keys start AIza)" },
    Shape { vendor: "Hugging Face", prefixes: &["hf_"], hosts: &["huggingface.co"],
            #[cfg(test)] source: "huggingface.co/docs/hub/security-tokens (hf_…)" },
    Shape { vendor: "SendGrid", prefixes: &["SG."], hosts: &["sendgrid.com"],
            #[cfg(test)] source: "docs.sendgrid.com/ui/account-and-settings/api-keys (SG.…)" },
    Shape { vendor: "DigitalOcean", prefixes: &["dop_v1_", "doo_v1_"], hosts: &["digitalocean.com"],
            #[cfg(test)] source: "docs.digitalocean.com/reference/api/create-personal-access-token (dop_v1_…)" },
    Shape { vendor: "npm", prefixes: &["npm_"], hosts: &["npmjs.org", "npmjs.com"],
            #[cfg(test)] source: "github.blog/2021-09-23-announcing-npms-new-access-token-format (npm_…)" },
];

pub(super) fn rule(given: &Case) -> Vec<Finding> {
    let Some(sent) = given.sent else {
        return Vec::new();
    };
    let Ok(target) = parse_target_url(sent.url) else {
        return Vec::new();
    };
    let host_vendor = SHAPES
        .iter()
        .find(|s| s.hosts.iter().any(|h| within(&target.host, h)));
    let mut found = Vec::new();
    for key in keys(given) {
        let Some(shape) = SHAPES
            .iter()
            .find(|s| s.prefixes.iter().any(|p| key.starts_with(p)))
        else {
            continue;
        };
        let prefix = shape
            .prefixes
            .iter()
            .find(|p| key.starts_with(**p))
            .copied()
            .unwrap_or_default();
        if let Some(host_vendor) = host_vendor.filter(|h| h.vendor != shape.vendor) {
            found.push(Finding::new(
                CauseId::KeyWrongKind,
                given.if_refused(),
                format!(
                    "The key starts with “{prefix}”: a {} key, sent to {} ({}'s API).",
                    shape.vendor, target.host, host_vendor.vendor
                ),
            ));
        } else if prefix.starts_with("pk_") && host_vendor.is_some() {
            found.push(Finding::new(
                CauseId::KeyWrongKind,
                given.if_refused().lowered_if(true),
                format!("The key starts with “{prefix}”: a publishable key, which Stripe takes only for a few calls from a browser; server calls need the secret key (sk_…)."),
            ));
        }
    }
    found
}

/// Whether `host` is `domain` or under it.
pub(super) fn within(host: &str, domain: &str) -> bool {
    host == domain || host.ends_with(&format!(".{domain}"))
}

/// Every credential value the request carried: the token or Basic user of `Authorization`,
/// key headers, keys in the query.
fn keys<'a>(given: &'a Case) -> Vec<&'a str> {
    let mut keys = Vec::new();
    if let Some(credentials) = given.reading.credentials.as_ref().filter(|c| !c.hidden) {
        match &credentials.kind {
            CredentialsKind::Basic(Some(basic)) => keys.push(basic.user.as_str()),
            _ => keys.extend(credentials.value.split_whitespace().last()),
        }
    }
    let Some(sent) = given.sent else {
        return keys;
    };
    keys.extend(keys_elsewhere(sent.url, sent.headers).map(|(_, key)| key));
    keys
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{evidence, found};
    use super::SHAPES;
    use crate::cause::CauseId;
    use crate::cors::CredentialsMode;
    use crate::evidence::Evidence;

    fn to(url: &str, headers: &[(&str, &str)]) -> Evidence {
        let mut e = evidence(headers, CredentialsMode::SameOrigin, 401, &[], "");
        e.request.url = url.to_owned();
        for probe in &mut e.probes {
            probe.sent.url = url.to_owned();
        }
        e
    }

    #[test]
    fn every_shape_names_its_source() {
        for shape in SHAPES {
            assert!(shape.source.contains('.'), "{}", shape.vendor);
        }
    }

    #[test]
    fn a_key_of_another_vendor_is_named() {
        for (url, headers) in [
            (
                "https://api.openai.com/v1/chat/completions",
                [("Authorization", "Bearer sk-ant-api03-abc")],
            ),
            (
                "https://gitlab.com/api/v4/user",
                [("Private-Token", "ghp_16C7e42F292c6912E7710c838347Ae178B4a")],
            ),
            (
                "https://api.anthropic.com/v1/messages",
                [("x-api-key", "sk-proj-abc")],
            ),
            (
                "https://api.stripe.com/v1/charges",
                [("Authorization", "Bearer pk_test_abc")],
            ),
        ] {
            assert_eq!(
                found(super::rule, &to(url, &headers)),
                [CauseId::KeyWrongKind],
                "{url}"
            );
        }
        // The vendor's own host, a proxy, or a key of no known shape: nothing to say.
        for (url, headers) in [
            (
                "https://api.openai.com/v1/models",
                [("Authorization", "Bearer sk-proj-abc")],
            ),
            (
                "https://llm-proxy.example.com/v1/messages",
                [("x-api-key", "sk-ant-api03-abc")],
            ),
            (
                "https://api.openai.com/v1/models",
                [("Authorization", "Bearer abc")],
            ),
        ] {
            assert!(found(super::rule, &to(url, &headers)).is_empty(), "{url}");
        }
        // A key in the query.
        let e = to("https://api.openai.com/v1/models?key=AIzaSyD-abc", &[]);
        assert_eq!(found(super::rule, &e), [CauseId::KeyWrongKind]);
    }
}
