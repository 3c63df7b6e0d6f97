// The article's `dgram` server (§2.3), kept to its exact Chinese output, with
// one change: the port comes from the command line (0 = any free port). Its
// listening line already prints the address and port actually bound. The
// tests run this beside the Rust port and compare what both print and send,
// byte for byte.
//
//   node lessons/lesson-04/node/dgram-server.js [port]
const dgram = require('dgram');
const server = dgram.createSocket('udp4');

server.on('listening', () => {
  const address = server.address();
  console.log(`UDP 服务器正在监听 ${address.address}:${address.port}`);
});

server.on('message', (msg, rinfo) => {
  console.log(`收到消息: ${msg} 来自 ${rinfo.address}:${rinfo.port}`);
  server.send('你好，UDP 客户端', rinfo.port, rinfo.address);
});

server.bind(Number(process.argv[2] ?? 41234));
