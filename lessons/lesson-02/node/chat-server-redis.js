// The article's socket.io server (chat-server.js) with Node's Redis adapter,
// as a socket.io app that outgrows one process is deployed: every
// `io.emit` is also published on Redis, for the other processes to emit to
// their own clients. Written for the tests, which put it on the same Redis
// as a Rust lesson-02 server to see whether the two adapters understand
// each other (they do not: see the chapter, "Node and Rust on one Redis").
//
//   npm ci && node lessons/lesson-02/node/chat-server-redis.js PORT REDIS_URL
//
// REDIS_URL is redis://HOST:PORT, or redis+unix:///PATH for a Unix socket
// (the form lesson-02's --redis takes too). The listening line is printed
// once the adapter's subscriptions are in place, as lesson-02 does.
const { createServer } = require('node:http');
const { Server } = require('socket.io');
const { createAdapter } = require('@socket.io/redis-adapter');
const { createClient } = require('redis');

const [wantedPort, redisUrl] = [Number(process.argv[2] ?? 3000), process.argv[3]];
const unix = 'redis+unix://';
const options = redisUrl.startsWith(unix)
  ? { socket: { path: redisUrl.slice(unix.length) } }
  : { url: redisUrl };

async function main() {
  // One connection publishes; a subscribed one can do nothing else.
  const pub = createClient(options);
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);

  const httpServer = createServer();
  const io = new Server(httpServer, { adapter: createAdapter(pub, sub) });
  // The adapter sends its SUBSCRIBEs without handing back their promises.
  // Redis answers one connection's commands in order: once a PING sent
  // after them on the same connection is answered, they are done.
  await sub.ping();

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

  httpServer.listen(wantedPort, () => {
    console.log(`Socket.IO 服务器正在监听端口 ${httpServer.address().port}`);
  });
}

main().catch((error) => {
  console.error(`error: ${error.message}`);
  process.exit(1);
});
