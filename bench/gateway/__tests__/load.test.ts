/**
 * The bench's load generator frames answers from raw bytes and compares them
 * as bytes; a framing mistake would either hang the bench or let a wrong
 * answer pass. Framing is checked on its own, and the whole process against
 * real HTTP servers (Node's, as every gateway of the bench uses): answers by
 * Content-Length and chunked, a server that closes after each answer, and a
 * server that hands one caller another's answer.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { frameResponse } from '../load';

const raw = (text: string) => Buffer.from(text, 'latin1');

describe('frameResponse', () => {
  it('frames a Content-Length answer and keeps what follows it', () => {
    const framed = frameResponse(raw('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: application/json\r\n\r\n{"a":HTTP/1.1'));
    expect(framed?.status).toBe(200);
    expect(framed?.body.toString()).toBe('{"a":');
    expect(framed?.rest.toString()).toBe('HTTP/1.1');
    expect(framed?.close).toBe(false);
  });

  it('waits for the rest of a body or of the headers', () => {
    expect(frameResponse(raw('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12345'))).toBeUndefined();
    expect(frameResponse(raw('HTTP/1.1 200 OK\r\nContent-Len'))).toBeUndefined();
  });

  it('joins chunks and waits for the last one', () => {
    const head = 'HTTP/1.1 429 Too Many Requests\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n';
    expect(frameResponse(raw(`${head}3\r\nabc\r\n`))).toBeUndefined();
    expect(frameResponse(raw(`${head}3\r\nabc\r\n0\r\n`))).toBeUndefined();
    const framed = frameResponse(raw(`${head}3\r\nabc\r\na\r\n0123456789\r\n0\r\n\r\n`));
    expect(framed?.status).toBe(429);
    expect(framed?.body.toString()).toBe('abc0123456789');
    expect(framed?.close).toBe(true);
    expect(framed?.rest.length).toBe(0);
  });

  it('refuses what is not an HTTP/1.1 answer it can frame', () => {
    expect(() => frameResponse(raw('SSH-2.0-OpenSSH\r\n\r\n'))).toThrow('Not an HTTP/1.1 response');
    expect(() => frameResponse(raw('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nhello'))).toThrow('neither Content-Length nor chunked');
    expect(() => frameResponse(raw('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'))).toThrow('malformed chunk size');
  });
});

interface LoadResult {
  requests: number;
  failures: number;
  firstFailure?: string;
}

/** Runs the load process for `seconds` against `url` with three callers whose expected answers name them. */
function runLoad(url: string, seconds: number): Promise<LoadResult> {
  const requests = ['alice', 'bob', 'carol'].map((caller) => ({ token: caller, body: JSON.stringify({ query: '{ me }' }), expected: `{"data":{"me":"${caller}"}}` }));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'load.ts'), JSON.stringify({ url, requests, connections: 4, seconds })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(output.trim().split('\n').at(-1)!) as LoadResult) : reject(new Error(output)))),
  );
}

/** A server answering each caller (its bearer token) with `{"data":{"me":caller}}`, written as `answer` says. */
async function serve(answer: (caller: string, res: http.ServerResponse) => void): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      expect(JSON.parse(body)).toEqual({ query: '{ me }' });
      answer((req.headers.authorization ?? '').replace('Bearer ', ''), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** One second of load against a server that answers as `answer` says, then the server is closed. */
async function loadAgainst(answer: (caller: string, res: http.ServerResponse) => void): Promise<LoadResult> {
  const server = await serve(answer);
  try {
    return await runLoad(server.url, 1);
  } finally {
    await server.close();
  }
}

describe('the load process', () => {
  it('counts every right answer, by Content-Length and chunked, and none as failed', async () => {
    const result = await loadAgainst((caller, res) => {
      const text = `{"data":{"me":"${caller}"}}`;
      if (caller === 'bob') {
        // Two writes without a length: Node sends them chunked.
        res.write(text.slice(0, 7));
        res.end(text.slice(7));
      } else {
        res.end(text);
      }
    });
    expect(result.failures).toBe(0);
    expect(result.requests).toBeGreaterThan(10);
  });

  it('reconnects when the server closes after each answer', async () => {
    const result = await loadAgainst((caller, res) => {
      res.setHeader('connection', 'close');
      res.end(`{"data":{"me":"${caller}"}}`);
    });
    expect(result.failures).toBe(0);
    expect(result.requests).toBeGreaterThan(10);
  });

  it('fails an answer meant for another caller, and says which', async () => {
    const result = await loadAgainst((caller, res) => res.end(`{"data":{"me":"${caller === 'carol' ? 'alice' : caller}"}}`));
    expect(result.failures).toBeGreaterThan(0);
    expect(result.failures).toBeLessThan(result.requests);
    expect(result.firstFailure).toBe('200 {"data":{"me":"alice"}}');
  });
});
