//! The server around an exercise's `serve_client`, as the lesson's async
//! server has it: a listener on a free loopback port, an accept loop, the
//! WebSocket handshake, then a task per client running the answer. The
//! exercises are about what happens on one connection; this part is given.

use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use lesson_support::testing::PATIENCE;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::WebSocketStream;
use tungstenite::Error;

/// A server running an answer, for as long as the test runs.
pub struct Server {
    pub addr: SocketAddr,
    /// What each `serve_client` returned, in the order they returned.
    ended: mpsc::UnboundedReceiver<Result<(), Error>>,
}

/// Starts a server that gives every client's WebSocket to `serve_client`.
pub async fn serve<S, F>(serve_client: S) -> Server
where
    S: Fn(WebSocketStream<TcpStream>) -> F + Send + Sync + 'static,
    F: Future<Output = Result<(), Error>> + Send + 'static,
{
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (returned, ended) = mpsc::unbounded_channel();
    let serve_client = Arc::new(serve_client);
    tokio::spawn(async move {
        loop {
            let (stream, _peer) = listener.accept().await.expect("accept on loopback");
            let (serve_client, returned) = (Arc::clone(&serve_client), returned.clone());
            tokio::spawn(async move {
                let result = match tokio_tungstenite::accept_async(stream).await {
                    Ok(ws) => serve_client(ws).await,
                    Err(error) => Err(error),
                };
                // An answer that panics sends nothing: a check waiting for
                // it sees the channel stay empty instead.
                let _ = returned.send(result);
            });
        }
    });
    Server { addr, ended }
}

impl Server {
    /// Waits (at most [`PATIENCE`]) for a `serve_client` to return, and
    /// fails the check unless it returned `Ok(())`.
    pub async fn returns_ok(&mut self) {
        match tokio::time::timeout(PATIENCE, self.ended.recv()).await {
            Ok(Some(Ok(()))) => {}
            Ok(Some(Err(error))) => panic!("serve_client returned an error: {error}"),
            Ok(None) => unreachable!("the accept loop holds a sender"),
            Err(_elapsed) => {
                panic!("serve_client did not return after the connection ended (or it panicked)")
            }
        }
    }
}
