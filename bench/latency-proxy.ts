import net from 'node:net';

/**
 * A loopback TCP proxy that adds `delayMs` to every client→server chunk (in
 * order): a database across a network, for benchmarks where the time a lock
 * is held depends on round trips.
 */
export async function startLatencyProxy(target: { host: string; port: number }, delayMs: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    let last = 0;
    client.on('data', (chunk) => {
      // Each chunk leaves delayMs after it came, and never before the one ahead of it.
      const due = Math.max(Date.now() + delayMs, last);
      last = due;
      setTimeout(() => upstream.write(chunk), due - Date.now());
    });
    upstream.pipe(client);
    for (const socket of [client, upstream]) socket.on('error', () => socket.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
