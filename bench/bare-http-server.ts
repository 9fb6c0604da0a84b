/**
 * The ceiling: a bare node:http server that reads the body and answers 200, and
 * does nothing else. Started by bench/run.ts on PORT.
 */
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => response.writeHead(200).end());
});
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
