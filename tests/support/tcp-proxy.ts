import net from 'node:net';

/**
 * How the proxy treats connections: forward them, refuse them (`cut`),
 * accept them and never answer (`blackhole`, a hung server), or reset each
 * as soon as the client has sent something (`reset`, a crash mid-request).
 */
type Mode = 'open' | 'cut' | 'blackhole' | 'reset';

/**
 * A TCP proxy on loopback that a test can cut and restore: while cut, it
 * drops every open connection and every new one at once, as a dead Redis
 * would look to its clients. It keeps its port throughout (a port given up
 * could be taken by something else before the proxy is restored).
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private mode: Mode = 'cut';
  private readonly clientData: Array<(chunk: Buffer) => void> = [];

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

  /** A proxy to the Redis at `url` (the default port when it names none), cut until `open()`. */
  static toRedis(url: string): Promise<TcpProxy> {
    const target = new URL(url);
    return TcpProxy.listen({ host: target.hostname, port: Number(target.port || 6379) });
  }

  /** The URL a Redis client uses to go through this proxy. */
  get redisUrl(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Starts forwarding. */
  open(): void {
    this.mode = 'open';
  }

  /** Drops every open connection and refuses new ones until `open()`. */
  cut(): void {
    this.switchTo('cut');
  }

  /** Drops every open connection; new ones are accepted and read, but never answered, until `open()` or `cut()`. */
  blackhole(): void {
    this.switchTo('blackhole');
  }

  /** Drops every open connection; new ones are reset as soon as their client sends anything. */
  resetOnData(): void {
    this.switchTo('reset');
  }

  /** Calls `listener` with everything any client sends, in every mode (a test counts requests with it). */
  onClientData(listener: (chunk: Buffer) => void): void {
    this.clientData.push(listener);
  }

  private switchTo(mode: Mode): void {
    this.mode = mode;
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: net.Socket): void {
    if (this.mode === 'cut') {
      client.destroy();
      return;
    }
    for (const listener of this.clientData) client.on('data', listener);
    if (this.mode !== 'open') {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.mode === 'reset') client.once('data', () => client.resetAndDestroy());
      else client.resume();
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
