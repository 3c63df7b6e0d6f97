// A client written with the npm `ws` package, the one most Node programs
// use, to show that the Rust servers speak WebSocket as the ecosystem does.
// It connects to ws://127.0.0.1:PORT/, sends each argument after the port
// as a text message, a binary message and a ping, then closes with 1000,
// and prints one line for everything it receives, and how it ended.
//
//   node lessons/lesson-01/node/echo-client.js PORT [MESSAGE...]
const WebSocket = require('ws');

const [port, ...messages] = process.argv.slice(2);
const ws = new WebSocket(`ws://127.0.0.1:${port}/`);

ws.on('open', () => {
  for (const message of messages) ws.send(message);
  ws.send(Buffer.from([0x62, 0x69, 0x6e, 0xff])); // "bin" and a byte that is not UTF-8
  ws.ping('are you there?');
});

ws.on('message', (data, isBinary) => {
  console.log(`${isBinary ? 'binary' : 'text'}: ${data}`);
});

// The server answers in order, so the pong comes after every reply.
ws.on('pong', (data) => {
  console.log(`pong: ${data}`);
  ws.close(1000);
});

ws.on('close', (code, reason) => console.log(`close ${code} ${JSON.stringify(reason.toString())}`));

ws.on('error', (error) => {
  console.log(`error: ${error.message}`);
  process.exitCode = 1;
});
