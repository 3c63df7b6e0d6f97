//! What goes through Redis, seen from a connection of the test's own: the
//! messages published on any channel (a pattern subscription to `*`), the
//! commands every client sends (`MONITOR`), and Redis's own answers about
//! who listens (`PUBSUB`). The adapters' messages are msgpack, shown decoded
//! and byte by byte.

use std::fmt::Write;

use futures_util::{Stream, StreamExt};
use lesson_support::testing::PATIENCE;
use redis::aio::MultiplexedConnection;
use serde_json::Value;

/// A connection to the Redis at `url` for ordinary commands.
pub async fn connection(url: &str) -> MultiplexedConnection {
    let client = redis::Client::open(url).unwrap();
    client.get_multiplexed_async_connection().await.unwrap()
}

/// Runs `PUBSUB args…` and returns Redis's answer.
pub async fn pubsub<T: redis::FromRedisValue>(
    redis: &mut MultiplexedConnection,
    args: &[&str],
) -> T {
    redis::cmd("PUBSUB").arg(args).query_async(redis).await.unwrap()
}

/// How many connections subscribe to `channel` (not to a pattern): what
/// socketioxide-redis asks to count the servers it waits answers from.
pub async fn numsub(redis: &mut MultiplexedConnection, channel: &str) -> u64 {
    let (_, count): (String, u64) = pubsub(redis, &["NUMSUB", channel]).await;
    count
}

/// One message published on Redis.
pub struct Published {
    pub channel: String,
    pub payload: Vec<u8>,
}

/// A pattern subscription to every channel.
pub struct Spy {
    messages: std::pin::Pin<Box<dyn Stream<Item = redis::Msg> + Send>>,
}

impl Spy {
    /// Subscribes to `*` on the Redis at `url`: once this returns, every
    /// message published there comes to the spy too.
    pub async fn on(url: &str) -> Spy {
        let client = redis::Client::open(url).unwrap();
        let mut pubsub = client.get_async_pubsub().await.unwrap();
        pubsub.psubscribe("*").await.unwrap();
        Spy { messages: Box::pin(pubsub.into_on_message()) }
    }

    /// The next message published, whatever its channel.
    pub async fn next(&mut self) -> Published {
        let message = tokio::time::timeout(PATIENCE, self.messages.next()).await;
        let message =
            message.expect("nothing published in time").expect("the spy's connection ended");
        Published {
            channel: message.get_channel_name().to_owned(),
            payload: message.get_payload_bytes().to_owned(),
        }
    }
}

/// `MONITOR`: every command Redis executes, from any client, in order.
pub struct Monitor {
    lines: std::pin::Pin<Box<dyn Stream<Item = String> + Send>>,
}

impl Monitor {
    pub async fn on(url: &str) -> Monitor {
        let client = redis::Client::open(url).unwrap();
        // Sends MONITOR and waits for Redis's OK before it returns.
        let monitor = client.get_async_monitor().await.unwrap();
        Monitor { lines: Box::pin(monitor.into_on_message()) }
    }

    /// The commands executed up to the test's own `ECHO marker`, sent on
    /// `redis` now (and left out): Redis runs commands one at a time and
    /// feeds them to the monitor in that order, so every command that
    /// completed before this call is among them. Each is shown as the
    /// monitor shows it, without its time and client address.
    pub async fn until_now(&mut self, redis: &mut MultiplexedConnection) -> Vec<String> {
        let marker = "the test's marker";
        let _: String = redis::cmd("ECHO").arg(marker).query_async(redis).await.unwrap();
        let mut commands = Vec::new();
        for _ in 0..1000 {
            let line = tokio::time::timeout(PATIENCE, self.lines.next()).await;
            let line = line.expect("the monitor showed nothing in time").expect("monitor ended");
            // `1764222000.123456 [0 unix:/tmp/…/redis.sock] "PUBLISH" "…"`
            let command = line.split_once("] ").map_or(line.as_str(), |(_, command)| command);
            if command == format!(r#""ECHO" "{marker}""#) {
                return commands;
            }
            commands.push(command.to_owned());
        }
        panic!("no marker among 1000 commands: {commands:#?}");
    }
}

/// The names of the positions in socketioxide-redis's messages, which are
/// msgpack arrays (socketioxide-core's `RequestOut`, `Packet` and
/// `BroadcastOptions`, serialized without field names). Node's adapter
/// sends maps, which name their fields themselves.
pub const RUST_FIELDS: &[(&str, &str)] = &[
    ("0", "uid of the sending process"),
    ("1", "id of this request"),
    ("2", "request type (0 = broadcast)"),
    ("3", "packet"),
    ("3.0", "namespace"),
    ("3.1", "socket.io packet type (2 = EVENT)"),
    ("3.2", "data"),
    ("3.2.0", "kind (0 = text)"),
    ("3.2.1", "the event's arguments"),
    ("3.2.2", "binary attachments"),
    ("3.3", "ack id"),
    ("3.4", "error"),
    ("4", "rooms to join or leave (other requests)"),
    ("5", "broadcast options"),
    ("5.0", "flags (2 = broadcast)"),
    ("5.1", "rooms (none: everyone)"),
    ("5.2", "except (rooms left out)"),
    ("5.3", "sid of the sending socket"),
    ("5.4", "uid of the one target process"),
];

impl Published {
    /// The message, for a snapshot: the channel, the payload decoded field
    /// by field (named by `fields` where it is an array), then in hex. The
    /// strings in `random` (ids each run draws afresh) are replaced by
    /// their names, in the channel, the decoded fields and the hex (where
    /// the name, in `<…>`, stands for the string's bytes).
    pub fn describe(&self, fields: &[(&str, &str)], random: &[(&str, &str)]) -> String {
        let value: Value = rmp_serde::from_slice(&self.payload).expect("a msgpack payload");
        let mut text = format!("channel: {}\n", self.channel);
        writeln!(text, "payload: {} bytes of msgpack, decoded:", self.payload.len()).unwrap();
        decoded(&value, "", fields, &mut text);
        writeln!(text, "payload in hex:").unwrap();
        let mut hex = self.payload.iter().map(|byte| format!("{byte:02x} ")).collect::<String>();
        for (id, name) in random {
            let id_hex = id.bytes().map(|byte| format!("{byte:02x} ")).collect::<String>();
            hex = hex.replace(&id_hex, &format!("<{name}> "));
        }
        wrap(hex.trim_end(), 72, &mut text);
        for (id, name) in random {
            text = text.replace(id, name);
        }
        text
    }
}

/// One line per field: its path, its name if `fields` has one, its value.
/// An array of byte values that read as UTF-8 text (how socketioxide sends
/// the event's JSON) is shown as that text.
fn decoded(value: &Value, path: &str, fields: &[(&str, &str)], text: &mut String) {
    let name = fields.iter().find(|(at, _)| *at == path).map(|(_, name)| format!(" {name}"));
    let label =
        format!("  {}{}:", if path.is_empty() { "." } else { path }, name.unwrap_or_default());
    let child = |key: &dyn std::fmt::Display| match path {
        "" => key.to_string(),
        path => format!("{path}.{key}"),
    };
    match value {
        Value::Array(items) if !items.is_empty() => match as_text(items) {
            Some(bytes_text) => {
                writeln!(text, "{label} {} bytes, {bytes_text}", items.len()).unwrap();
            }
            None => {
                writeln!(text, "{label} an array of {}", items.len()).unwrap();
                for (index, item) in items.iter().enumerate() {
                    decoded(item, &child(&index), fields, text);
                }
            }
        },
        Value::Object(map) if !map.is_empty() => {
            writeln!(text, "{label} a map of {}", map.len()).unwrap();
            for (key, item) in map {
                decoded(item, &child(key), fields, text);
            }
        }
        leaf => writeln!(text, "{label} {leaf}").unwrap(),
    }
}

/// The text a non-empty array of byte values spells, if it is UTF-8.
fn as_text(items: &[Value]) -> Option<String> {
    let bytes = items
        .iter()
        .map(|item| item.as_u64().and_then(|byte| u8::try_from(byte).ok()))
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes).ok().map(|text| format!("the text: {text}"))
}

/// `words`, space-separated, in lines of at most `width` characters, each
/// indented by two spaces.
fn wrap(words: &str, width: usize, text: &mut String) {
    let mut line = String::new();
    for word in words.split(' ') {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            writeln!(text, "  {line}").unwrap();
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    writeln!(text, "  {line}").unwrap();
}
