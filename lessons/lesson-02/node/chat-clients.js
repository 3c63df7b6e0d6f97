// Clients written with npm `socket.io-client`, the library browsers and
// Node programs use, to show that the Rust server speaks socket.io as the
// ecosystem does. It connects COUNT clients to 127.0.0.1:PORT (to several
// servers, given as PORT,PORT,…: client n to port n mod their number); once all are
// connected (and, with `upgrade`, moved to WebSocket), the first one sends
// each MESSAGE as a `chat message` (a MESSAGE that is JSON is sent as the
// value it writes, so `42` is a number and `{"a":1}` an object). When every client has received every
// message it prints, client by client, its transport and what it received,
// then disconnects them all.
//
//   node lessons/lesson-02/node/chat-clients.js PORT[,PORT...] TRANSPORT COUNT [MESSAGE...]
//
// TRANSPORT is how the clients connect:
//   upgrade    long-polling first, then WebSocket (socket.io-client's default)
//   websocket  WebSocket only, from the start
//   polling    long-polling only
const { io } = require('socket.io-client');

const [portList, transport, count, ...texts] = process.argv.slice(2);
const ports = portList.split(',');
const messages = texts.map((text) => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
});
const options = {
  upgrade: { transports: ['polling', 'websocket'] },
  websocket: { transports: ['websocket'] },
  polling: { transports: ['polling'] },
}[transport];
if (!options) throw new Error(`unknown transport ${transport}`);

// Not a test's business to wait for a reconnection: fail instead.
const clients = Array.from({ length: Number(count) }, (_, n) =>
  io(`http://127.0.0.1:${ports[n % ports.length]}`, {
    ...options,
    reconnection: false,
    forceNew: true,
  }),
);
const received = clients.map(() => []);

// Ready when connected, and done moving to WebSocket if it is to move.
function ready(client) {
  return new Promise((resolve, reject) => {
    client.on('connect_error', (error) => reject(new Error(`connect_error: ${error.message}`)));
    client.on('connect', () => {
      const engine = client.io.engine;
      if (transport !== 'upgrade' || engine.transport.name === 'websocket') return resolve();
      engine.once('upgrade', () => resolve());
    });
  });
}

function allReceived(client, index) {
  return new Promise((resolve) => {
    client.on('chat message', (msg) => {
      received[index].push(msg);
      if (received[index].length === messages.length) resolve();
    });
    if (messages.length === 0) resolve();
  });
}

async function main() {
  const done = Promise.all(clients.map(allReceived));
  await Promise.all(clients.map(ready));
  for (const message of messages) clients[0].emit('chat message', message);
  await done;
  clients.forEach((client, index) => {
    const name = client.io.engine.transport.name;
    console.log(`client ${index} over ${name} received: ${JSON.stringify(received[index])}`);
  });
  for (const client of clients) client.disconnect();
}

main().catch((error) => {
  console.log(`error: ${error.message}`);
  process.exit(1);
});
