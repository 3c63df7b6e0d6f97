// The article's socket.io server (§1.4), kept to its exact Chinese output,
// with one change: the port comes from the command line (0 = any free port),
// so the listening line is printed once the server listens, with the port it
// got. (The article prints it at once, before listening has begun.) The
// tests run this beside the Rust port and compare what both print.
//
//   npm ci && node lessons/lesson-02/node/chat-server.js [port]
const wantedPort = Number(process.argv[2] ?? 3000);

const io = require('socket.io')(wantedPort);

io.on('connection', (socket) => {
  console.log('新客户端连接');

  socket.on('chat message', (msg) => {
    console.log(`收到消息: ${msg}`);
    io.emit('chat message', msg); // 广播给所有客户端
  });

  socket.on('disconnect', () => {
    console.log('客户端断开连接');
  });
});

io.httpServer.on('listening', () => {
  console.log(`Socket.IO 服务器正在监听端口 ${io.httpServer.address().port}`);
});
