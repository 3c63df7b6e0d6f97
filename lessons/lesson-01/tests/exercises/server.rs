//! The server around an exercise's `serve_client`, as the lesson's async
//! server has it: a listener on a free loopback port, an accept loop, the
//! WebSocket handshake, then a task per client running the answer. The
//! exercises are about what happens on one connection; this part is given.
//!
//! It runs on a thread and a runtime of its own, not on the check's: an
//! answer that loops without ever waiting (a `continue` on a stream that
//! has ended) would take the whole thread, and the check, its timeouts
//! included, would hang instead of failing.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::thread;

use lesson_support::testing::PATIENCE;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio_tungstenite::WebSocketStream;
use tungstenite::Error;

/// A server running an answer, until it is dropped.
pub struct Server {
    pub addr: SocketAddr,
    /// What each `serve_client` returned, in the order they returned.
    ended: mpsc::UnboundedReceiver<Result<(), Error>>,
    /// Dropped with the server: its thread then stops serving.
    _stop: oneshot::Sender<()>,
}

/// Starts a server that gives every client's WebSocket to `serve_client`.
pub fn serve<S, F>(serve_client: S) -> Server
where
    S: Fn(WebSocketStream<TcpStream>) -> F + Send + Sync + 'static,
    F: Future<Output = Result<(), Error>> + Send + 'static,
{
    let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    listener.set_nonblocking(true).unwrap(); // tokio's `from_std` needs it
    let addr = listener.local_addr().unwrap();
    let (returned, ended) = mpsc::unbounded_channel();
    let (_stop, stopped) = oneshot::channel();
    let serving = move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::from_std(listener).unwrap();
            tokio::select! {
                _ = stopped => {}
                () = accept_loop(listener, serve_client, returned) => {}
            }
        });
    };
    thread::Builder::new().name("exercise server".into()).spawn(serving).unwrap();
    Server { addr, ended, _stop }
}

async fn accept_loop<S, F>(
    listener: TcpListener,
    serve_client: S,
    returned: mpsc::UnboundedSender<Result<(), Error>>,
) where
    S: Fn(WebSocketStream<TcpStream>) -> F + Send + Sync + 'static,
    F: Future<Output = Result<(), Error>> + Send + 'static,
{
    let serve_client = Arc::new(serve_client);
    loop {
        let (stream, _peer) = listener.accept().await.expect("accept on loopback");
        let (serve_client, returned) = (Arc::clone(&serve_client), returned.clone());
        tokio::spawn(async move {
            let result = match tokio_tungstenite::accept_async(stream).await {
                Ok(ws) => serve_client(ws).await,
                Err(error) => Err(error),
            };
            // An answer that panics sends nothing: a check waiting for it
            // sees the channel stay empty instead.
            let _ = returned.send(result);
        });
    }
}

impl Server {
    /// Waits (at most [`PATIENCE`]) for a `serve_client` to return, and
    /// fails the check unless it returned `Ok(())`.
    pub async fn returns_ok(&mut self) {
        match tokio::time::timeout(PATIENCE, self.ended.recv()).await {
            Ok(Some(Ok(()))) => {}
            Ok(Some(Err(error))) => panic!("serve_client returned an error: {error}"),
            Ok(None) => panic!("the server stopped"),
            Err(_elapsed) => {
                panic!("serve_client did not return after the connection ended (or it panicked)")
            }
        }
    }
}
