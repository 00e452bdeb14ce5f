import fs from 'node:fs';
import net from 'node:net';
import { freePorts } from '../resources';

describe('freePorts', () => {
  const ephemeralFrom = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);

  it('never hands out a port twice in one process, even while nothing listens on it yet', async () => {
    const seen = new Set<number>();
    for (let call = 0; call < 20; call++) for (const port of await freePorts(7)) seen.add(port);
    expect(seen.size).toBe(140);
  });

  it('chooses below the kernel’s ephemeral range, from this jest worker’s own slice', async () => {
    const worker = Number(process.env.JEST_WORKER_ID);
    const slice = Math.floor((ephemeralFrom - 10_000) / 8);
    const from = 10_000 + ((worker - 1) % 8) * slice;
    for (const port of await freePorts(50)) {
      expect(port).toBeGreaterThanOrEqual(from);
      expect(port).toBeLessThan(Math.min(from + slice, ephemeralFrom));
    }
  });

  it('gives ports a service can listen on at once', async () => {
    const [port] = await freePorts(1);
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, () => resolve()));
    await new Promise((resolve) => server.close(resolve));
  });
});
