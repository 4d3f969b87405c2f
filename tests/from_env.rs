//! `Client::from_env` (its own test binary: it changes the process environment).

use nebius_token_factory::{Client, API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL};

#[test]
fn from_env_reads_the_key_and_the_optional_base_url() {
    assert_eq!(API_KEY_ENV, "NEBIUS_API_KEY");
    assert_eq!(BASE_URL_ENV, "NEBIUS_BASE_URL");
    assert_eq!(DEFAULT_BASE_URL, "https://api.tokenfactory.nebius.com");

    std::env::remove_var(API_KEY_ENV);
    std::env::remove_var(BASE_URL_ENV);
    let err = Client::from_env().expect_err("no key");
    assert_eq!(
        err.to_string(),
        "client configuration: environment variable NEBIUS_API_KEY is not set; it must hold the API key"
    );

    std::env::set_var(API_KEY_ENV, "sk-env-secret");
    let c = Client::from_env().expect("key set");
    assert_eq!(c.base_url(), DEFAULT_BASE_URL);
    assert!(!format!("{c:?}").contains("sk-env-secret"));

    std::env::set_var(BASE_URL_ENV, "http://127.0.0.1:9/");
    assert_eq!(Client::from_env().expect("url set").base_url(), "http://127.0.0.1:9");
}
