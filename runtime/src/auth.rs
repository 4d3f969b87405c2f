//! Credentials and the security requirements of operations.

use std::collections::BTreeMap;
use std::fmt;

/// A credential. Its `Debug` output never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where a security scheme puts its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>` (also OAuth2 and OpenID Connect).
    Bearer,
    /// `Authorization: Basic ...`
    Basic,
    /// The key in the named header.
    ApiKeyHeader(&'static str),
    /// The key in the named query parameter.
    ApiKeyQuery(&'static str),
    /// The key in the named cookie.
    ApiKeyCookie(&'static str),
}

/// One security scheme of the spec (`components/securitySchemes/<scheme>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Auth {
    pub scheme: &'static str,
    pub kind: AuthKind,
}

impl Auth {
    pub const fn bearer(scheme: &'static str) -> Self {
        Auth { scheme, kind: AuthKind::Bearer }
    }
    pub const fn basic(scheme: &'static str) -> Self {
        Auth { scheme, kind: AuthKind::Basic }
    }
    pub const fn header(scheme: &'static str, name: &'static str) -> Self {
        Auth { scheme, kind: AuthKind::ApiKeyHeader(name) }
    }
    pub const fn query(scheme: &'static str, name: &'static str) -> Self {
        Auth { scheme, kind: AuthKind::ApiKeyQuery(name) }
    }
    pub const fn cookie(scheme: &'static str, name: &'static str) -> Self {
        Auth { scheme, kind: AuthKind::ApiKeyCookie(name) }
    }
}

/// An operation's `security`: alternatives, each a set of schemes used together.
/// An empty alternative means "no credentials needed".
pub type Security = &'static [&'static [Auth]];

#[derive(Clone)]
pub(crate) enum Credential {
    Token(Secret),
    Basic(String, Secret),
}

/// The credentials of a client: per scheme, and defaults for any scheme of a
/// kind. Set through the setters of a client or its builder (one definition
/// for all of them: `credential_setters!`).
#[derive(Clone, Default)]
pub struct Credentials {
    /// Used by every bearer, OAuth2, OpenID Connect and API-key scheme without its own.
    token: Option<Secret>,
    /// Used by every basic scheme without its own.
    basic: Option<(String, Secret)>,
    by_scheme: BTreeMap<String, Credential>,
}

#[doc(hidden)]
impl Credentials {
    pub fn set_token(&mut self, token: String) {
        self.token = Some(Secret::new(token));
    }

    pub fn set_basic(&mut self, user: String, password: String) {
        self.basic = Some((user, Secret::new(password)));
    }

    pub fn set_scheme_token(&mut self, scheme: String, token: String) {
        self.by_scheme.insert(scheme, Credential::Token(Secret::new(token)));
    }

    pub fn set_scheme_basic(&mut self, scheme: String, user: String, password: String) {
        self.by_scheme.insert(scheme, Credential::Basic(user, Secret::new(password)));
    }
}

/// The credential setters of the runtime's `Client`, its `ClientBuilder` and
/// every generated client, written once. Expanded in an impl block of a type
/// that has `fn with_credentials(self, impl FnOnce(&mut Credentials)) -> Self`.
#[doc(hidden)]
#[macro_export]
macro_rules! credential_setters {
    () => {
        /// The token for every bearer, OAuth2, OpenID Connect and API-key
        /// scheme that has no credential of its own.
        pub fn bearer_token(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
            let token = token.into();
            self.with_credentials(move |c| c.set_token(token))
        }

        /// Same as `bearer_token`: the key goes wherever each operation's scheme asks.
        pub fn api_key(self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
            self.bearer_token(key)
        }

        /// User and password for every HTTP basic scheme without its own.
        pub fn basic_auth(
            self,
            user: impl ::std::convert::Into<::std::string::String>,
            password: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            let (user, password) = (user.into(), password.into());
            self.with_credentials(move |c| c.set_basic(user, password))
        }

        /// A token for one security scheme (its name in `components/securitySchemes`).
        pub fn credential(
            self,
            scheme: impl ::std::convert::Into<::std::string::String>,
            token: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            let (scheme, token) = (scheme.into(), token.into());
            self.with_credentials(move |c| c.set_scheme_token(scheme, token))
        }

        /// User and password for one HTTP basic scheme.
        pub fn basic_credential(
            self,
            scheme: impl ::std::convert::Into<::std::string::String>,
            user: impl ::std::convert::Into<::std::string::String>,
            password: impl ::std::convert::Into<::std::string::String>,
        ) -> Self {
            let (scheme, user, password) = (scheme.into(), user.into(), password.into());
            self.with_credentials(move |c| c.set_scheme_basic(scheme, user, password))
        }
    };
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("basic_user", &self.basic.as_ref().map(|(user, _)| user))
            .field("schemes", &self.by_scheme.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// What to add to a request for one scheme.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Apply<'a> {
    Header(&'static str, String),
    Query(&'static str, &'a str),
    Cookie(&'static str, &'a str),
}

impl Credentials {
    fn token_for(&self, scheme: &str) -> Option<&Secret> {
        match self.by_scheme.get(scheme) {
            Some(Credential::Token(t)) => Some(t),
            Some(Credential::Basic(..)) => None,
            None => self.token.as_ref(),
        }
    }

    fn basic_for(&self, scheme: &str) -> Option<(&str, &Secret)> {
        match self.by_scheme.get(scheme) {
            Some(Credential::Basic(u, p)) => Some((u, p)),
            Some(Credential::Token(_)) => None,
            None => self.basic.as_ref().map(|(u, p)| (u.as_str(), p)),
        }
    }

    fn apply_one(&self, auth: &Auth) -> Option<Apply<'_>> {
        use base64_lite::encode;
        Some(match auth.kind {
            AuthKind::Bearer => {
                Apply::Header("authorization", format!("Bearer {}", self.token_for(auth.scheme)?.expose()))
            }
            AuthKind::Basic => {
                let (user, password) = self.basic_for(auth.scheme)?;
                Apply::Header(
                    "authorization",
                    format!("Basic {}", encode(format!("{user}:{}", password.expose()).as_bytes())),
                )
            }
            AuthKind::ApiKeyHeader(name) => Apply::Header(name, self.token_for(auth.scheme)?.expose().to_string()),
            AuthKind::ApiKeyQuery(name) => Apply::Query(name, self.token_for(auth.scheme)?.expose()),
            AuthKind::ApiKeyCookie(name) => Apply::Cookie(name, self.token_for(auth.scheme)?.expose()),
        })
    }

    /// The credentials of the first alternative this client can satisfy in
    /// full; nothing when the operation needs none or none can be satisfied.
    pub(crate) fn select(&self, security: Security) -> Vec<Apply<'_>> {
        for alternative in security {
            let applied: Option<Vec<Apply<'_>>> = alternative.iter().map(|a| self.apply_one(a)).collect();
            if let Some(applied) = applied {
                return applied;
            }
        }
        Vec::new()
    }
}

/// Base64 (standard alphabet, padded) for basic auth, without a dependency.
mod base64_lite {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    pub fn encode(input: &[u8]) -> String {
        let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
        for chunk in input.chunks(3) {
            let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (i, o) in
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE=")]
        {
            assert_eq!(base64_lite::encode(i.as_bytes()), o);
        }
    }

    #[test]
    fn the_first_satisfiable_alternative_is_used() {
        const KEY: Auth = Auth::header("key", "X-Key");
        const BASIC: Auth = Auth::basic("basic");
        static SEC: &[&[Auth]] = &[&[BASIC], &[KEY]];
        let mut c = Credentials { token: Some(Secret::new("t")), ..Default::default() };
        assert_eq!(c.select(SEC), vec![Apply::Header("X-Key", "t".into())]);
        c.basic = Some(("u".into(), Secret::new("p")));
        assert_eq!(c.select(SEC), vec![Apply::Header("authorization", "Basic dTpw".into())]);
        // An empty alternative: nothing is sent when nothing else is satisfiable.
        static OPTIONAL: &[&[Auth]] = &[&[Auth::bearer("b")], &[]];
        assert!(Credentials::default().select(OPTIONAL).is_empty());
        assert!(c.select(&[]).is_empty(), "an operation without security gets no credentials");
    }

    #[test]
    fn a_scheme_specific_credential_wins() {
        let mut c = Credentials { token: Some(Secret::new("default")), ..Default::default() };
        c.by_scheme.insert("special".into(), Credential::Token(Secret::new("mine")));
        static SEC: &[&[Auth]] = &[&[Auth::query("special", "k"), Auth::cookie("other", "sid")]];
        assert_eq!(c.select(SEC), vec![Apply::Query("k", "mine"), Apply::Cookie("sid", "default")]);
        assert!(!format!("{c:?}").contains("mine") && !format!("{c:?}").contains("default\""));
    }
}
