//! Exercise 2: a push from the server — solution.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::{MissedTickBehavior, interval};
use tokio_tungstenite::WebSocketStream;
use tungstenite::{Error, Message};

/// Echoes the client's messages and pushes a tick every `period`, until the
/// client closes.
pub async fn serve_client(
    mut ws: WebSocketStream<TcpStream>,
    period: Duration,
) -> Result<(), Error> {
    // One clock for the whole connection, made before the loop: a sleep
    // made inside it would start again with every message, and a client
    // that talks faster than `period` would never get a tick.
    let mut clock = interval(period);
    // A tick that is late (a slow client) is not made up for with a burst.
    clock.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut ticks: u64 = 0;
    loop {
        // Both futures are polled; the first ready wins, the other is
        // dropped and made again on the next turn (both are safe to drop).
        tokio::select! {
            _ = clock.tick() => {
                ticks += 1;
                ws.send(Message::text(format!("tick {ticks}"))).await?;
            }
            message = ws.next() => match message {
                Some(Ok(Message::Text(text))) => {
                    ws.send(Message::text(format!("server received: {}", text.as_str()))).await?;
                }
                Some(Ok(_)) => {}
                Some(Err(error)) => return Err(error),
                // The close handshake is complete: stop ticking.
                None => return Ok(()),
            },
        }
    }
}
