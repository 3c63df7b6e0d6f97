//! Exercise 4: a room across processes.

use std::future::{Ready, ready};

use socketioxide::SocketIo;
use socketioxide::adapter::Adapter;
use socketioxide::extract::{AckSender, Data, SocketRef};

/// Registers the handlers of `socket`, a client that has just connected.
pub fn on_connect<A: Adapter>(socket: SocketRef<A>) {
    // Rooms are kept by each process for its own clients: joining and
    // leaving touch only this process, and are done when the handler is.
    socket.on("join", |socket: SocketRef<A>, Data(room): Data<String>, ack: AckSender<A>| {
        socket.join(room.clone());
        acknowledge(ack, &room)
    });
    socket.on("leave", |socket: SocketRef<A>, Data(room): Data<String>, ack: AckSender<A>| {
        socket.leave(room.clone());
        acknowledge(ack, &room)
    });
    // The room is found on every process: `io.to(room)` goes through the
    // adapter, which publishes the message for the other processes to send
    // to their members, then sends it to this one's, the sender included.
    socket.on(
        "room message",
        |io: SocketIo<A>, Data((room, text)): Data<(String, String)>| async move {
            let _ = io.to(room.clone()).emit("room message", &(room, text)).await;
        },
    );
}

/// Answers the client's acknowledgement with the room's name.
fn acknowledge<A: Adapter>(ack: AckSender<A>, room: &str) -> Ready<()> {
    // A client that asked for none, or has gone, gets nothing.
    let _ = ack.send(&room);
    ready(())
}
