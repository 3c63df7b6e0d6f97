//! What carries socketioxide-redis's messages to Redis and back: a driver of
//! our own, because the crate's stock one is a single connection that never
//! comes back once Redis has gone.
//!
//! This one sits on the `redis` crate's `ConnectionManager`, which opens a
//! new connection when the old one fails and subscribes again to every
//! channel it was subscribed to. Around it, the driver bounds every wait (a
//! Redis that stops answering must not stall the chat) and keeps a health
//! signal, [`Health`], that the relay watches to say when Redis is lost and
//! when it is back.

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use redis::{
    AsyncConnectionConfig, Client, Cmd, FromRedisValue, PushInfo, PushKind, RedisResult, Value,
};
use socketioxide_redis::drivers::{ChanItem, Driver, MessageStream};
use tokio::sync::{mpsc, watch};
use tokio::time::timeout;

/// The longest one Redis command may take, publishing a message included.
/// Redis answers in well under a millisecond; a second means it is stopped,
/// hung, or unreachable, and the relay goes on without it rather than keep
/// the chat waiting.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(1);

/// The longest one attempt to connect to Redis may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// The connection manager's back-off between attempts to reconnect: from
/// the first delay, doubled each time, never more than the cap, for a
/// bounded number of attempts; then it waits until it is used again, which
/// [`RETRY_EVERY`] sees to.
const FIRST_RETRY: Duration = Duration::from_millis(100);
const MOST_RETRY: Duration = Duration::from_secs(1);
const RETRIES: usize = 5;

/// While Redis is lost, how often the driver asks it for a `PING`. Each ask
/// costs at most one round of reconnection attempts; a second is soon
/// enough for a chat to come back, and rare enough not to load a Redis that
/// is starting up, or this process while Redis is away.
pub const RETRY_EVERY: Duration = Duration::from_secs(1);

/// Whether Redis works, as the driver last saw it: `None` while it does,
/// `Some(why)` once a command or the connection has failed, until a `PING`
/// is answered again.
pub type Health = watch::Receiver<Option<String>>;

/// Where each subscribed channel's messages go: the adapter's streams.
type Handlers = Arc<RwLock<HashMap<String, mpsc::Sender<ChanItem>>>>;

/// A socketioxide-redis driver that reconnects by itself. Clones share the
/// connection, the subscriptions and the health.
#[derive(Clone)]
pub struct ReconnectingDriver {
    manager: ConnectionManager,
    handlers: Handlers,
    health: Arc<watch::Sender<Option<String>>>,
}

impl fmt::Debug for ReconnectingDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReconnectingDriver").field("health", &*self.health.borrow()).finish()
    }
}

/// Why a driver call failed: Redis said no, or did not answer in time.
#[derive(Debug)]
pub enum DriverError {
    Redis(redis::RedisError),
    TimedOut(Duration),
}

impl fmt::Display for DriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DriverError::Redis(error) => error.fmt(f),
            DriverError::TimedOut(after) => write!(f, "no answer from Redis in {after:?}"),
        }
    }
}

impl std::error::Error for DriverError {}

impl ReconnectingDriver {
    /// Connects to the Redis server of `client` (which must speak RESP3:
    /// subscribed messages come as pushes on the same connection).
    ///
    /// The first connection is made alone, once, without the manager's
    /// retries, so that a Redis that is not there is reported at once.
    pub async fn connect(client: Client) -> RedisResult<ReconnectingDriver> {
        let once = AsyncConnectionConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(REPLY_TIMEOUT));
        drop(client.get_multiplexed_async_connection_with_config(&once).await?);

        let handlers = Handlers::default();
        let (health, _) = watch::channel(None);
        let health = Arc::new(health);
        let pushes = {
            let (handlers, health) = (handlers.clone(), health.clone());
            // Called by the connection's reader: it must not wait, so a
            // message for a full stream is dropped, as Redis itself drops
            // what a subscriber too slow to read cannot take.
            move |push: PushInfo| {
                match push.kind {
                    PushKind::Message => deliver(push.data, &handlers),
                    PushKind::Disconnection => fall_ill(&health, "the connection was closed"),
                    _ => {} // subscription confirmations and the like
                }
                Ok::<(), Infallible>(())
            }
        };
        // ANCHOR: manager
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_response_timeout(Some(REPLY_TIMEOUT))
            .set_min_delay(FIRST_RETRY)
            .set_max_delay(MOST_RETRY)
            .set_number_of_retries(RETRIES)
            .set_push_sender(pushes)
            .set_automatic_resubscription();
        let manager = ConnectionManager::new_with_config(client, config).await?;
        // ANCHOR_END: manager
        let driver = ReconnectingDriver { manager, handlers, health };
        tokio::spawn(driver.clone().nurse());
        Ok(driver)
    }

    /// The health signal: it changes when Redis is lost and when it is back.
    pub fn health(&self) -> Health {
        self.health.subscribe()
    }

    // ANCHOR: nurse
    /// While Redis is lost, `PING`s it every [`RETRY_EVERY`] until it
    /// answers: each `PING` makes the manager reconnect if it has given up,
    /// and once one is answered, the manager has also subscribed again.
    /// Waiting for a message to publish instead would leave a server whose
    /// clients only listen cut off for good. Runs as long as the runtime.
    async fn nurse(self) {
        let mut health = self.health.subscribe();
        while health.wait_for(Option::is_some).await.is_ok() {
            tokio::time::sleep(RETRY_EVERY).await;
            if self.query::<Value>(redis::cmd("PING")).await.is_ok() {
                self.health.send_replace(None);
            }
        }
    }

    /// Sends `command` to Redis and reads the answer, as [`Self::bounded`].
    async fn query<T: FromRedisValue>(&self, command: Cmd) -> Result<T, DriverError> {
        let mut manager = self.manager.clone();
        self.bounded(command.query_async(&mut manager)).await
    }

    /// Runs one Redis command, for at most [`REPLY_TIMEOUT`]. The manager's
    /// own response timeout does not cover waiting for a reconnection in
    /// progress; this does. A failure marks Redis as lost.
    async fn bounded<T>(
        &self,
        command: impl Future<Output = RedisResult<T>>,
    ) -> Result<T, DriverError> {
        let result = match timeout(REPLY_TIMEOUT, command).await {
            Ok(Ok(answer)) => return Ok(answer),
            Ok(Err(error)) => DriverError::Redis(error),
            Err(_) => DriverError::TimedOut(REPLY_TIMEOUT),
        };
        fall_ill(&self.health, &result.to_string());
        Err(result)
    }
    // ANCHOR_END: nurse
}

/// Marks Redis as lost, for `why`, unless it already is: the first reason
/// is the one the relay reports.
fn fall_ill(health: &watch::Sender<Option<String>>, why: &str) {
    health.send_if_modified(|health| {
        let first = health.is_none();
        if first {
            *health = Some(why.to_owned());
        }
        first
    });
}

/// Hands a subscribed message (`[channel, payload]`) to the stream of its
/// channel, if the adapter still listens to it.
fn deliver(data: Vec<Value>, handlers: &Handlers) {
    let mut data = data.into_iter();
    let (Some(Value::BulkString(channel)), Some(Value::BulkString(payload))) =
        (data.next(), data.next())
    else {
        return;
    };
    let Ok(channel) = String::from_utf8(channel) else { return };
    let handlers = handlers.read().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(stream) = handlers.get(&channel) {
        let _ = stream.try_send((channel, payload));
    }
}

impl Driver for ReconnectingDriver {
    type Error = DriverError;

    async fn publish(&self, chan: String, val: Vec<u8>) -> Result<(), DriverError> {
        let mut publish = redis::cmd("PUBLISH");
        publish.arg(chan).arg(val);
        self.query::<Value>(publish).await.map(drop)
    }

    async fn subscribe(
        &self,
        chan: String,
        size: usize,
    ) -> Result<MessageStream<ChanItem>, DriverError> {
        let (sender, messages) = mpsc::channel(size);
        // In place before the subscription, so that no message is missed.
        self.write_handlers().insert(chan.clone(), sender);
        let mut manager = self.manager.clone();
        if let Err(error) = self.bounded(manager.subscribe(&chan)).await {
            self.write_handlers().remove(&chan);
            return Err(error);
        }
        Ok(MessageStream::new(messages))
    }

    async fn unsubscribe(&self, chan: String) -> Result<(), DriverError> {
        self.write_handlers().remove(&chan);
        let mut manager = self.manager.clone();
        self.bounded(manager.unsubscribe(&chan)).await
    }

    async fn num_serv(&self, chan: &str) -> Result<u16, DriverError> {
        let mut numsub = redis::cmd("PUBSUB");
        numsub.arg("NUMSUB").arg(chan);
        let (_, count) = self.query::<(String, u16)>(numsub).await?;
        Ok(count)
    }
}

impl ReconnectingDriver {
    fn write_handlers(
        &self,
    ) -> std::sync::RwLockWriteGuard<'_, HashMap<String, mpsc::Sender<ChanItem>>> {
        self.handlers.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
