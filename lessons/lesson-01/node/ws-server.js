// The article's `ws` server (§1.4), kept to its exact Chinese output, with
// one change: the port comes from the command line (0 = any free port), so
// the listening line is printed once the server listens, with the port it
// got. (The article prints it at once, before listening has begun.) The
// tests run this beside the Rust port and compare what both print.
//
//   npm ci && node lessons/lesson-01/node/ws-server.js [port]
const WebSocket = require('ws');

const wantedPort = Number(process.argv[2] ?? 8080);

const wss = new WebSocket.Server({ port: wantedPort });

wss.on('connection', (ws) => {
  console.log('新客户端连接');

  ws.on('message', (message) => {
    console.log(`收到消息: ${message}`);
    ws.send(`服务器已收到: ${message}`);
  });

  ws.on('close', () => {
    console.log('客户端断开连接');
  });
});

wss.on('listening', () => {
  console.log(`WebSocket 服务器正在监听端口 ${wss.address().port}`);
});
