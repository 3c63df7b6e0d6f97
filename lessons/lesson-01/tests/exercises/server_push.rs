//! # Exercise 2: a push from the server
//! Book: lesson-01, "Exercise 2: a push from the server"
//!
//! No check asserts how long anything took: they count ticks between events
//! (how many came before an echo, how many while the client talked). The
//! only clock read is the patience that bounds every wait.

use std::time::Duration;

use lesson_support::testing::PATIENCE;
use tokio::time::Instant;
use tungstenite::Message;
use tungstenite::protocol::CloseFrame;
use tungstenite::protocol::frame::coding::CloseCode;

use crate::answer::serve_client;
use crate::common::{Client, describe};
use crate::server::{Server, serve};

/// Short, so that many ticks pass quickly.
const PERIOD: Duration = Duration::from_millis(10);

/// An echo, or the answer to a close frame, must come before this many
/// ticks have come after what it answers. (At once, in fact; ten periods
/// are a generous "at once".)
const TICKS_BEFORE_AN_ECHO: u64 = 10;

/// The period for the client that talks all the time: long beside a round
/// trip, so that an answer whose next tick waits for a pause in the talk
/// gets one only if the machine stalls the client for a whole period.
const CHATTY_PERIOD: Duration = Duration::from_millis(100);

fn start(period: Duration) -> Server {
    serve(move |ws| serve_client(ws, period))
}

/// What a client heard: a tick, or something else.
enum Heard {
    Tick,
    Other(Message),
}

/// A client that checks every tick it hears: `tick 1`, `tick 2`, `tick 3`…
struct Listener {
    client: Client,
    /// How many ticks it has heard.
    ticks: u64,
}

impl Listener {
    async fn connect(server: &Server) -> Listener {
        Listener { client: Client::connect(server.addr).await, ticks: 0 }
    }

    async fn hear(&mut self) -> Heard {
        let message = self.client.next().await;
        let Some(number) = message.to_text().ok().and_then(|text| text.strip_prefix("tick "))
        else {
            return Heard::Other(message);
        };
        let expected = self.ticks + 1;
        assert_eq!(
            number,
            expected.to_string(),
            "after {} ticks on this connection, the next must be `tick {expected}`",
            self.ticks
        );
        self.ticks = expected;
        Heard::Tick
    }

    /// Listens, sending nothing, until `count` ticks have come in all.
    async fn ticks_until(&mut self, count: u64) {
        while self.ticks < count {
            if let Heard::Other(message) = self.hear().await {
                panic!("the client sent nothing, yet it got {}", describe(&message));
            }
        }
    }

    /// Listens past the ticks to the answer to what the client just sent
    /// (`sent` says what, for the failure message).
    async fn answer_to(&mut self, sent: &str) -> Message {
        let before = self.ticks;
        loop {
            match self.hear().await {
                Heard::Tick => assert!(
                    self.ticks - before < TICKS_BEFORE_AN_ECHO,
                    "{} ticks came after {sent}, and still no answer: do the ticks hold it up?",
                    self.ticks - before
                ),
                Heard::Other(message) => return message,
            }
        }
    }

    /// Sends `text` and listens until its echo.
    async fn ask(&mut self, text: &str) {
        self.client.send(Message::text(text)).await;
        let echo = self.answer_to(&format!("{text:?}")).await;
        assert_eq!(describe(&echo), format!("text: server received: {text}"));
    }

    /// Closes with 1000; the ticks sent before the server saw the close may
    /// still come, then its answer, then the end.
    async fn close(mut self) {
        let normal = CloseFrame { code: CloseCode::Normal, reason: "".into() };
        self.client.send(Message::Close(Some(normal))).await;
        let answer = self.answer_to("our close frame").await;
        assert_eq!(describe(&answer), r#"close 1000 """#);
        self.client.clean_end().await;
    }
}

#[tokio::test]
async fn a_silent_client_gets_tick_1_2_3() {
    let mut server = start(PERIOD);
    let mut client = Listener::connect(&server).await;
    client.ticks_until(3).await;
    client.close().await;
    // And then the ticking stops: `serve_client` returns.
    server.returns_ok().await;
}

#[tokio::test]
async fn an_echo_comes_between_ticks_and_the_ticks_go_on() {
    let mut server = start(PERIOD);
    let mut client = Listener::connect(&server).await;
    client.ticks_until(1).await;
    client.ask("hello").await;
    client.ask("world").await;
    let after = client.ticks;
    client.ticks_until(after + 3).await;
    client.close().await;
    server.returns_ok().await;
}

#[tokio::test]
async fn a_client_that_talks_all_the_time_still_gets_its_ticks() {
    let server = start(CHATTY_PERIOD);
    let mut client = Listener::connect(&server).await;
    // Bounded as every wait is, by the patience; the correct answer's three
    // ticks take two periods.
    let give_up = Instant::now() + PATIENCE;
    let mut sent = 0;
    while client.ticks < 3 {
        assert!(
            Instant::now() < give_up,
            "{sent} messages echoed, but only {} ticks: does each message put the next tick off?",
            client.ticks
        );
        client.ask(&format!("chat {sent}")).await;
        sent += 1;
    }
    client.close().await;
}

#[tokio::test]
async fn every_client_counts_its_own_ticks() {
    let server = start(PERIOD);
    let mut first = Listener::connect(&server).await;
    first.ticks_until(3).await;
    // `ticks_until` checks that the second client's ticks start at 1.
    let mut second = Listener::connect(&server).await;
    second.ticks_until(3).await;
    first.ticks_until(first.ticks + 3).await;
    first.close().await;
    second.close().await;
}
