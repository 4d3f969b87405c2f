//! The TLS configuration of a client, made once and shared by both ways a
//! request leaves (the runtime's own connections and reqwest): rustls with
//! the installed provider (the runtime installs ring's with `tls-ring`;
//! with `tls-aws-lc`, aws-lc-rs's unless another is installed), the
//! platform's verifier as reqwest uses it, HTTP/2 and HTTP/1.1 offered.
//!
//! The platform's verifier reads every root certificate of the system when
//! it is made (on Linux, ~150 files: a few milliseconds). A client made it
//! twice (once for reqwest, once for its own connections) and always at
//! `build()`, even for a program that only talks plain HTTP to a local
//! server; here it is made at the first certificate to verify, once per
//! client and its clones.

#[cfg(any(feature = "tls-ring", feature = "tls-aws-lc"))]
pub(crate) use rustls_on::{config, onto, Config};

#[cfg(any(feature = "tls-ring", feature = "tls-aws-lc"))]
mod rustls_on {
    use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
    use rustls::crypto::CryptoProvider;
    use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
    use rustls::{DigitallySignedStruct, SignatureScheme};
    use std::sync::{Arc, OnceLock};

    pub(crate) type Config = rustls::ClientConfig;

    /// The configuration, or `None` when no provider is installed and none
    /// is this build's to install: reqwest then configures itself.
    pub(crate) fn config() -> Option<Config> {
        let provider = match CryptoProvider::get_default() {
            Some(p) => p.clone(),
            #[cfg(feature = "tls-aws-lc")]
            None => Arc::new(rustls::crypto::aws_lc_rs::default_provider()),
            #[cfg(not(feature = "tls-aws-lc"))]
            None => return None,
        };
        let verifier = Arc::new(Lazy { provider: provider.clone(), made: OnceLock::new() });
        let mut config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .ok()?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Some(config)
    }

    /// The platform's verifier, made when a certificate first needs it.
    /// Signatures are checked as it checks them (the provider's algorithms),
    /// which needs no roots.
    #[derive(Debug)]
    struct Lazy {
        provider: Arc<CryptoProvider>,
        made: OnceLock<rustls_platform_verifier::Verifier>,
    }

    impl Lazy {
        /// The verifier; a failure to make it (no root certificates on the
        /// system: "No CA certificates were loaded from the system") fails
        /// this handshake and is not kept, so roots installed later count.
        fn verifier(&self) -> Result<&rustls_platform_verifier::Verifier, rustls::Error> {
            if let Some(made) = self.made.get() {
                return Ok(made);
            }
            let made = rustls_platform_verifier::Verifier::new(self.provider.clone())?;
            // Another handshake may have made one meanwhile: either serves.
            Ok(self.made.get_or_init(|| made))
        }
    }

    impl ServerCertVerifier for Lazy {
        fn verify_server_cert(
            &self,
            end_entity: &CertificateDer<'_>,
            intermediates: &[CertificateDer<'_>],
            server_name: &ServerName<'_>,
            ocsp_response: &[u8],
            now: UnixTime,
        ) -> Result<ServerCertVerified, rustls::Error> {
            self.verifier()?.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        }

        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &CertificateDer<'_>,
            dss: &DigitallySignedStruct,
        ) -> Result<HandshakeSignatureValid, rustls::Error> {
            rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
        }

        fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
            self.provider.signature_verification_algorithms.supported_schemes()
        }
    }

    /// reqwest with the same configuration (its own would load the roots
    /// again, and at once).
    pub(crate) fn onto(builder: reqwest::ClientBuilder, config: Option<Config>) -> reqwest::ClientBuilder {
        match config {
            Some(config) => builder.tls_backend_preconfigured(config),
            None => builder,
        }
    }
}

/// Without a TLS feature there is no TLS configuration: HTTPS goes through
/// reqwest, as it is built.
#[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc")))]
pub(crate) type Config = std::convert::Infallible;

#[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc")))]
pub(crate) fn config() -> Option<Config> {
    None
}

#[cfg(not(any(feature = "tls-ring", feature = "tls-aws-lc")))]
pub(crate) fn onto(builder: reqwest::ClientBuilder, _: Option<Config>) -> reqwest::ClientBuilder {
    builder
}
