//! The browser chat: the page at `/`, and the socket.io client script it
//! loads. socketioxide answers every path under `/socket.io/`, so the script
//! is served beside it, at `/vendor/socket.io.min.js` — a copy of the pinned
//! npm package's file, committed with its licence header and built into the
//! binary, so a fresh clone works offline, with no CDN and no `npm install`.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response, StatusCode};

/// The chat page.
pub const INDEX_HTML: &str = include_str!("../../page/index.html");

/// socket.io-client's browser build (`dist/socket.io.min.js` of the npm
/// package `socket.io-client`, the version in `node/package.json`).
pub const CLIENT_SCRIPT: &[u8] = include_bytes!("../../page/socket.io.min.js");

/// Where the page finds the client script.
pub const CLIENT_SCRIPT_PATH: &str = "/vendor/socket.io.min.js";

/// The HTTP service for everything outside `/socket.io/`.
#[derive(Clone, Copy, Debug)]
pub struct Page;

impl hyper::service::Service<Request<Incoming>> for Page {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        let response = respond(request.uri().path());
        Box::pin(std::future::ready(Ok(response)))
    }
}

/// The answer for `path`: the page, the script, or 404.
fn respond(path: &str) -> Response<Full<Bytes>> {
    let (status, content_type, body) = match path {
        "/" => {
            (StatusCode::OK, "text/html; charset=utf-8", Bytes::from_static(INDEX_HTML.as_bytes()))
        }
        CLIENT_SCRIPT_PATH => {
            (StatusCode::OK, "text/javascript; charset=utf-8", Bytes::from_static(CLIENT_SCRIPT))
        }
        _ => {
            (StatusCode::NOT_FOUND, "text/plain; charset=utf-8", Bytes::from_static(b"not found\n"))
        }
    };
    let mut response = Response::new(Full::new(body));
    *response.status_mut() = status;
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
