//! How many engine.io sessions may open. Every request to `/socket.io/`
//! without a session id opens a session, and each holds memory (about 14 KiB
//! here) until the client joins the chat or the connect timeout ends it: a
//! client that only ever sends handshakes, each on a connection it then
//! closes, passes every other limit, and 20 000 of them took 280 MB. So new
//! sessions draw from a bucket of [`SESSIONS_PER_CLIENT`] × `max_clients`
//! tokens that refills at as many per idle timeout: sessions number at most
//! about twice that. A handshake that finds the bucket empty is answered 503,
//! which socket.io-client treats as a failed attempt and retries later. The
//! bucket is shared by everyone: while a flood lasts, it turns away honest
//! clients too, but the server and the chat already joined are unharmed.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{Either, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode};

use crate::{Config, messages};

/// New sessions allowed per client of `max_clients` in each idle timeout:
/// room for the clients of a full chat to reconnect, and for the next one
/// to get socket.io's own "server full" answer.
pub const SESSIONS_PER_CLIENT: usize = 2;

/// A service in front of socketioxide's that admits new sessions.
#[derive(Clone, Debug)]
pub struct Admission<S> {
    inner: S,
    bucket: Arc<Mutex<Bucket>>,
    config: Config,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    filled_at: Instant,
}

impl<S> Admission<S> {
    /// Admits new sessions to `inner` within `config`'s limits.
    pub fn new(inner: S, config: &Config) -> Admission<S> {
        let tokens = (config.max_clients * SESSIONS_PER_CLIENT) as f64;
        let bucket = Bucket { tokens, filled_at: Instant::now() };
        Admission { inner, bucket: Arc::new(Mutex::new(bucket)), config: config.clone() }
    }

    /// Takes a token if one is left, refilling first for the time gone by.
    fn admit(&self) -> bool {
        let capacity = (self.config.max_clients * SESSIONS_PER_CLIENT) as f64;
        let per_second =
            capacity / self.config.idle_timeout.max(Duration::from_secs(1)).as_secs_f64();
        let mut bucket = self.bucket.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let now = Instant::now();
        let earned = now.duration_since(bucket.filled_at).as_secs_f64() * per_second;
        bucket.tokens = (bucket.tokens + earned).min(capacity);
        bucket.filled_at = now;
        let admitted = bucket.tokens >= 1.0;
        if admitted {
            bucket.tokens -= 1.0;
        }
        admitted
    }
}

/// Whether `request` would open a new engine.io session.
fn opens_session(request: &Request<Incoming>) -> bool {
    request.uri().path().starts_with("/socket.io/")
        && !request
            .uri()
            .query()
            .unwrap_or_default()
            .split('&')
            .any(|pair| pair.starts_with("sid="))
}

impl<S, B> hyper::service::Service<Request<Incoming>> for Admission<S>
where
    S: hyper::service::Service<Request<Incoming>, Response = Response<B>>,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    B: Send + 'static,
{
    type Response = Response<Either<B, Full<Bytes>>>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, S::Error>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        if opens_session(&request) && !self.admit() {
            let Config { lang, max_clients, .. } = self.config;
            self.config.log.line(messages::client_rejected(lang, max_clients));
            let mut busy = Response::new(Either::Right(Full::new(Bytes::from_static(b"busy\n"))));
            *busy.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            return Box::pin(std::future::ready(Ok(busy)));
        }
        let response = self.inner.call(request);
        Box::pin(async move { Ok(response.await?.map(Either::Left)) })
    }
}
