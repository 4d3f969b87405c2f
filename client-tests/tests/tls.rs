//! HTTPS end to end, on the runtime's own connections and through reqwest
//! (a client with a middleware layer): a local server whose certificate the
//! platform's verifier is told to trust (`SSL_CERT_FILE`, which
//! rustls-native-certs reads on Linux), speaking HTTP/2 or HTTP/1.1 as ALPN
//! settles. The clients are built before the certificate file exists: the
//! system's roots are read at the first certificate to verify, not when a
//! client is built. One test: it sets a process-wide variable first.

use client_tests::runtime::reqwest_middleware::{self, Middleware, Next};
use client_tests::runtime::{reqwest, Extensions};
use client_tests::types::{ChatRequest, Message, MessageRole};
use client_tests::Client;
use http_body_util::{BodyExt, Full};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

const REPLY: &str = r#"{"id":"c1","content":"hi"}"#;

struct Server {
    port: u16,
    connections: Arc<AtomicUsize>,
    /// The HTTP version of each request.
    versions: Arc<Mutex<Vec<hyper::Version>>>,
}

/// A TLS server offering only `alpn`, answering every request with `REPLY`.
async fn serve(cert: &rcgen::CertifiedKey<rcgen::KeyPair>, alpn: &[u8]) -> Server {
    use tokio_rustls::rustls;
    let private = rustls::pki_types::PrivateKeyDer::try_from(cert.signing_key.serialize_der()).expect("a key");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.cert.der().clone()], private)
        .expect("a server config");
    config.alpn_protocols = vec![alpn.to_vec()];
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let connections = Arc::new(AtomicUsize::new(0));
    let versions = Arc::new(Mutex::new(Vec::new()));
    let (count, seen) = (connections.clone(), versions.clone());
    let h2 = alpn == b"h2";
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (acceptor, seen, count) = (acceptor.clone(), seen.clone(), count.clone());
            tokio::spawn(async move {
                // Counted once TLS is up: a handshake the client refuses is
                // no connection.
                let Ok(tls) = acceptor.accept(stream).await else { return };
                count.fetch_add(1, Ordering::SeqCst);
                let io = hyper_util::rt::TokioIo::new(tls);
                let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
                    let seen = seen.clone();
                    async move {
                        seen.lock().expect("versions").push(request.version());
                        let _ = request.into_body().collect().await;
                        let response = hyper::Response::builder()
                            .header("content-type", "application/json")
                            .body(Full::new(bytes_of(REPLY)))
                            .expect("a response");
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ = match h2 {
                    true => {
                        hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                            .serve_connection(io, service)
                            .await
                    }
                    false => hyper::server::conn::http1::Builder::new().serve_connection(io, service).await,
                };
            });
        }
    });
    Server { port, connections, versions }
}

fn bytes_of(text: &'static str) -> hyper::body::Bytes {
    hyper::body::Bytes::from_static(text.as_bytes())
}

fn request() -> ChatRequest {
    ChatRequest {
        model: "m".into(),
        messages: vec![Message { role: MessageRole::User, content: "hi".into(), extra: Default::default() }],
        stream: None,
        extra: Default::default(),
    }
}

/// A layer that only passes requests on: its client sends through reqwest.
struct Through(Arc<AtomicUsize>);

#[async_trait::async_trait]
impl Middleware for Through {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        self.0.fetch_add(1, Ordering::SeqCst);
        next.run(request, extensions).await
    }
}

/// A client on the runtime's connections and one through reqwest.
fn clients(port: u16, layered: &Arc<AtomicUsize>) -> [Client; 2] {
    let base = format!("https://localhost:{port}");
    let direct = Client::with_base_url(&base).expect("client");
    let through = Client::builder().base_url(&base).with(Through(layered.clone())).build().expect("client");
    [direct, through]
}

async fn calls(client: &Client) {
    for _ in 0..3 {
        assert_eq!(client.create_chat_completion(&request()).await.expect("a reply").id, "c1");
    }
    let together = (0..4).map(|_| std::future::IntoFuture::into_future(client.create_chat_completion(&request())));
    for reply in futures_util::future::join_all(together).await {
        assert_eq!(reply.expect("a reply").id, "c1");
    }
}

#[test]
fn https_speaks_http2_or_http1_as_the_server_chooses_on_verified_connections() {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).expect("a certificate");
    let file = std::env::temp_dir().join(format!("openapi-gen-tls-test-{}.pem", std::process::id()));
    let _ = std::fs::remove_file(&file);
    // The only roots: this file, once written (an empty folder in place of
    // the system's). This binary's only test.
    let folder = std::env::temp_dir().join(format!("openapi-gen-tls-test-{}.d", std::process::id()));
    std::fs::create_dir_all(&folder).expect("an empty folder");
    std::env::set_var("SSL_CERT_FILE", &file);
    std::env::set_var("SSL_CERT_DIR", &folder);
    // One thread: a connection whose response was read is ready again
    // before the next call looks (on two, it may still be finishing, and
    // the call opens another), so the counts below hold.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let layered = Arc::new(AtomicUsize::new(0));
        let h2 = serve(&cert, b"h2").await;
        let h1 = serve(&cert, b"http/1.1").await;
        let [h2_direct, h2_through] = clients(h2.port, &layered);
        let [h1_direct, h1_through] = clients(h1.port, &layered);
        // No roots yet: the handshake fails, before anything is sent, and
        // says why; the failure is not kept by the client.
        for client in [&h2_direct, &h1_through] {
            let refused = client.create_chat_completion(&request()).with_retries(0).send().await;
            let message = match refused {
                Err(e @ client_tests::Error::Transport { .. }) => format!("{e}"),
                other => panic!("not a transport error: {other:?}"),
            };
            assert!(message.contains("No CA certificates"), "{message}");
        }
        assert!(h2.versions.lock().expect("versions").is_empty() && h1.versions.lock().expect("versions").is_empty());
        // Written after the clients are built and have failed: read at the
        // next handshake.
        std::fs::write(&file, cert.cert.pem()).expect("the certificate written");

        calls(&h2_direct).await;
        assert_eq!(h2.connections.load(Ordering::SeqCst), 1, "HTTP/2: one connection for all");
        calls(&h2_through).await;
        assert_eq!(layered.load(Ordering::SeqCst), 8, "through reqwest (the refused call included)");
        assert_eq!(h2.connections.load(Ordering::SeqCst), 2, "HTTP/2 through reqwest: one connection more");
        let versions = h2.versions.lock().expect("versions").clone();
        assert_eq!(versions.len(), 14);
        assert!(versions.iter().all(|v| *v == hyper::Version::HTTP_2));

        calls(&h1_direct).await;
        let made = h1.connections.load(Ordering::SeqCst);
        assert!((1..=4).contains(&made), "HTTP/1.1: {made} connections");
        calls(&h1_through).await;
        assert_eq!(layered.load(Ordering::SeqCst), 15, "through reqwest");
        let versions = h1.versions.lock().expect("versions").clone();
        assert_eq!(versions.len(), 14);
        assert!(versions.iter().all(|v| *v == hyper::Version::HTTP_11));
    });
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_dir(&folder);
}
