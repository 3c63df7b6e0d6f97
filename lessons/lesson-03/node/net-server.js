// The article's `net` server (§2.3), kept to its exact Chinese output, with
// one change: the port comes from the command line (0 = any free port), and
// the listening line prints the port actually bound. The tests run this
// beside the Rust port and compare what both print, byte for byte.
//
//   node lessons/lesson-03/node/net-server.js [port]
const net = require('net');

const wantedPort = Number(process.argv[2] ?? 8080);

const server = net.createServer((socket) => {
  console.log('新客户端连接');
  socket.write('欢迎连接到 TCP 服务器\n');

  socket.on('data', (data) => {
    console.log(`收到消息: ${data.toString()}`);
    socket.write(`服务器已收到: ${data.toString()}`);
  });

  socket.on('end', () => {
    console.log('客户端断开连接');
  });
});

server.listen(wantedPort, () => {
  console.log(`TCP 服务器正在监听端口 ${server.address().port}`);
});
