import http from 'node:http';
import { type AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A real HTTP server on 127.0.0.1 and a free port, counting what reaches it. */
export interface Receiver {
  url: string;
  port: number;
  /** TCP connections accepted, whether or not a request followed. */
  connections: number;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startReceiver(respond: (request: http.IncomingMessage, response: http.ServerResponse) => void): Promise<Receiver> {
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      receiver.requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body });
      respond(request, response);
    });
  });
  server.on('connection', () => (receiver.connections += 1));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  const receiver: Receiver = {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: 0,
    requests: [],
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
  return receiver;
}

/** A port nothing listens on: bound once, then released. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((closed) => server.close(() => closed()));
  return port;
}
