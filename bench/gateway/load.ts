/**
 * The load generator of `npm run bench:gateway`, run as its own process so
 * that its work is not counted against the gateway under test: a closed loop
 * of `connections` requests in flight over keep-alive connections for
 * `seconds`, every answer compared byte for byte with the one expected.
 * Prints one JSON line.
 *
 * It shares the machine's two cores with everything it measures, so it is
 * kept as cheap per request as it can be: each request is one buffer written
 * once (made before the clock starts), and each answer is framed from the
 * raw bytes (Content-Length or chunked) and compared as bytes, never decoded
 * or parsed. An HTTP client library with its pools, header objects and
 * streams cost the run 0.3–0.9 ms of CPU per request here.
 */
import net from 'node:net';

interface LoadSpec {
  url: string;
  /**
   * Sent round-robin: many callers, so no two requests in flight are the same
   * one. `expected`: the answer this caller must get from this gateway, every
   * time, byte for byte.
   */
  requests: Array<{ token: string; body: string; expected: string }>;
  connections: number;
  seconds: number;
}

/** One prepared exchange: the request as it goes on the wire, and the answer's body as it must come back. */
interface Exchange {
  request: Buffer;
  expected: Buffer;
}

/** A complete HTTP/1.1 response framed out of the bytes read so far. */
interface Framed {
  status: number;
  body: Buffer;
  /** The server said it closes the connection after this response. */
  close: boolean;
  /** Bytes read past this response (none without pipelining). */
  rest: Buffer;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** Frames one response from `data`, or undefined while it is incomplete. Throws on bytes that are not HTTP/1.1. */
export function frameResponse(data: Buffer): Framed | undefined {
  const headerEnd = data.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = data.toString('latin1', 0, headerEnd);
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(head);
  if (!status) throw new Error(`Not an HTTP/1.1 response: ${JSON.stringify(head.slice(0, 80))}`);
  const lower = head.toLowerCase();
  const close = /\r\nconnection: *close/.test(lower);
  const start = headerEnd + HEADER_END.length;
  const length = /\r\ncontent-length: *(\d+)/.exec(lower);
  if (length) {
    const end = start + Number(length[1]);
    if (data.length < end) return undefined;
    return { status: Number(status[1]), body: data.subarray(start, end), close, rest: data.subarray(end) };
  }
  if (!/\r\ntransfer-encoding: *chunked/.test(lower)) throw new Error('A response with neither Content-Length nor chunked encoding.');
  const chunks: Buffer[] = [];
  for (let at = start; ; ) {
    const lineEnd = data.indexOf(CRLF, at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(data.toString('latin1', at, lineEnd), 16);
    if (!Number.isInteger(size) || size < 0) throw new Error('A malformed chunk size.');
    const chunkStart = lineEnd + CRLF.length;
    if (size === 0) {
      // No trailers are expected: the last chunk is "0\r\n\r\n".
      const end = chunkStart + CRLF.length;
      if (data.length < end) return undefined;
      return { status: Number(status[1]), body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), close, rest: data.subarray(end) };
    }
    if (data.length < chunkStart + size + CRLF.length) return undefined;
    chunks.push(data.subarray(chunkStart, chunkStart + size));
    at = chunkStart + size + CRLF.length;
  }
}

function prepare(spec: LoadSpec): Exchange[] {
  const url = new URL(spec.url);
  return spec.requests.map(({ token, body, expected }) => ({
    request: Buffer.from(
      `POST ${url.pathname}${url.search} HTTP/1.1\r\n` +
        `host: ${url.host}\r\n` +
        'content-type: application/json\r\n' +
        'apollographql-client-name: harbour-bench\r\n' +
        'apollographql-client-version: 1.0.0\r\n' +
        `authorization: Bearer ${token}\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    ),
    expected: Buffer.from(expected),
  }));
}

/** One keep-alive connection at a time, reopened when the server closes it; `exchange` sends one request and resolves with its framed answer. */
class Connection {
  private socket: net.Socket | undefined;
  private received: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (framed: Framed) => void; reject: (error: Error) => void } | undefined;

  constructor(
    private readonly port: number,
    private readonly host: string,
  ) {}

  exchange(request: Buffer): Promise<Framed> {
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.open().write(request);
    });
  }

  close(): void {
    this.socket?.destroy();
  }

  private open(): net.Socket {
    if (this.socket) return this.socket;
    const socket = net.connect(this.port, this.host);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
      if (!this.waiting) return;
      let framed: Framed | undefined;
      try {
        framed = frameResponse(this.received);
      } catch (error) {
        this.fail(error as Error);
        return;
      }
      if (!framed) return;
      this.received = framed.rest;
      const { resolve } = this.waiting;
      this.waiting = undefined;
      if (framed.close) this.drop();
      resolve(framed);
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('The gateway closed the connection mid-answer.')));
    this.socket = socket;
    return socket;
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.received = Buffer.alloc(0);
    socket?.removeAllListeners().on('error', () => undefined).destroy();
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.drop();
    waiting?.reject(error);
  }
}

async function main() {
  const spec = JSON.parse(process.argv[2]!) as LoadSpec;
  const url = new URL(spec.url);
  const exchanges = prepare(spec);
  const connections = Array.from({ length: spec.connections }, () => new Connection(Number(url.port || 80), url.hostname));
  let next = 0;
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  const deadline = performance.now() + spec.seconds * 1000;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(
    connections.map(async (connection) => {
      while (performance.now() < deadline) {
        const { request, expected } = exchanges[next++ % exchanges.length]!;
        const t0 = performance.now();
        try {
          const answer = await connection.exchange(request);
          latencies.push(performance.now() - t0);
          // Every answer is checked, not just its status: a gateway that mixes callers' answers up fails here.
          if (answer.status !== 200 || !answer.body.equals(expected)) {
            failures++;
            firstFailure ??= `${answer.status} ${answer.body.toString('utf8', 0, 300)}`;
          }
        } catch (error) {
          latencies.push(performance.now() - t0);
          failures++;
          firstFailure ??= (error as Error).message;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  for (const connection of connections) connection.close();
  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)] ?? NaN;
  console.log(JSON.stringify({ requests: latencies.length, failures, firstFailure, rps: latencies.length / elapsed, loadCpuMs: (cpu.user + cpu.system) / 1000 / latencies.length, p50: at(50), p99: at(99) }));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
