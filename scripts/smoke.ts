/**
 * `npm run smoke`: what a newcomer does first, against a stack that
 * `npm start` is bringing up. Waits for the gateway's readiness and for
 * every subgraph to be up, then signs up a new user and asks for `Me` with
 * its token, both operations cut verbatim from the client contract. Exits 0
 * with one line per step, or 1 with the step that failed and its answer.
 *
 * GATEWAY_URL (default http://127.0.0.1:4000) names the gateway;
 * SMOKE_TIMEOUT_SECONDS (default 300) bounds the wait.
 */
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';

const gateway = (process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, '');
const timeoutMs = Number(process.env.SMOKE_TIMEOUT_SECONDS ?? 300) * 1000;
const contractPath = path.resolve(__dirname, '..', 'tests', 'contract', 'operations.graphql');
const contract = fs.readFileSync(contractPath, 'utf8');

function contractOperation(name: string): string {
  const definition = parse(contract).definitions.find(
    (node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION && node.name?.value === name,
  );
  if (!definition?.loc) throw new Error(`No operation ${name} in ${contractPath}.`);
  return contract.slice(definition.loc.start, definition.loc.end);
}

const say = (line: string) => process.stdout.write(`smoke | ${line}\n`);

function fail(line: string): never {
  process.stderr.write(`smoke | FAILED: ${line}\n`);
  process.exit(1);
}

async function waitFor(pathname: string, started: number): Promise<void> {
  let last = 'no answer';
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(`${gateway}${pathname}`);
      if (response.ok) return;
      last = `HTTP ${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  fail(`${gateway}${pathname} not ready in ${timeoutMs / 1000} s (last: ${last})`);
}

async function graphql(name: string, variables: Record<string, unknown>, token?: string): Promise<Record<string, any>> {
  const response = await fetch(`${gateway}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'apollographql-client-name': 'harbour-smoke',
      'apollographql-client-version': '1',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: contractOperation(name), operationName: name, variables }),
  });
  const body = (await response.json().catch(() => undefined)) as { data?: Record<string, any>; errors?: unknown[] } | undefined;
  if (!response.ok || !body?.data || body.errors) fail(`${name}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body.data;
}

async function main() {
  const started = Date.now();
  await waitFor('/health/ready', started);
  await waitFor('/health/subgraphs', started);
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${gateway}`);
  // A number of Hong Kong's mobile range no earlier run has used (8 random digits after 9).
  const phone = `+8529${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
  const signUp = (await graphql('SignUp', { input: { phone, displayName: 'Smoke Test', password: 'a long smoke password' } })).signUp;
  say(`SignUp: ${signUp.user.id} (${signUp.user.phone})`);
  const me = (await graphql('Me', {}, signUp.accessToken)).me;
  if (me?.id !== signUp.user.id) fail(`Me answered ${JSON.stringify(me)}, not the user just signed up`);
  say(`Me: ${me.displayName}, wallet ${me.wallet?.balance?.amount} ${me.wallet?.balance?.currencyCode}`);
}

main().catch((error: unknown) => fail(String((error as Error)?.stack ?? error)));
