import net from 'node:net';

/**
 * A TCP proxy on loopback that a test can cut and restore: while cut, it
 * drops every open connection and every new one at once, as a dead Redis
 * would look to its clients. It keeps its port throughout (a port given up
 * could be taken by something else before the proxy is restored).
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private blocked = true;

  private constructor(
    private readonly server: net.Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  /** Listens on a free port, cut until `open()`. */
  static async listen(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
    return new TcpProxy(server, target);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Starts forwarding. */
  open(): void {
    this.blocked = false;
  }

  /** Drops every open connection and refuses new ones until `open()`. */
  cut(): void {
    this.blocked = true;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: net.Socket): void {
    if (this.blocked) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }
}
