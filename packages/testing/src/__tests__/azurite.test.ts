import { startAzurite } from '../azurite';

/** Any answer from Azurite's blob service on `port` (a 403 without credentials is one). */
const answers = (port: number) =>
  fetch(`http://127.0.0.1:${port}/devstoreaccount1?comp=list`).then(
    (response) => response.headers.get('server')?.startsWith('Azurite-Blob') ?? false,
    () => false,
  );

test('instances started at once get ports of their own, and stop frees them', async () => {
  const [first, second] = await Promise.all([startAzurite(), startAzurite()]);
  try {
    expect(first!.port).not.toBe(second!.port);
    expect(first!.connectionString).toContain(`BlobEndpoint=http://127.0.0.1:${first!.port}/devstoreaccount1;`);
    expect(await answers(first!.port)).toBe(true);
    expect(await answers(second!.port)).toBe(true);
  } finally {
    await first!.stop();
    await second!.stop();
  }
  expect(await answers(first!.port)).toBe(false);
  expect(await answers(second!.port)).toBe(false);
});
