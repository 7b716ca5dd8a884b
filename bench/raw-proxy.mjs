// The floor for any Node gateway: a raw pass-through proxy (node:http both ways, keep-alive,
// bodies piped untouched). Whatever Turnout costs is measured against this.
import { Agent, createServer, request } from 'node:http';

const [port, target] = [Number(process.argv[2]), new URL(process.argv[3])];
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

const server = createServer((req, res) => {
  const upstream = request(
    { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  req.pipe(upstream);
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
