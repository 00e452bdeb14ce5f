/**
 * The schema explorer in a real browser (Debian's chromium, driven by
 * playwright-core) with no internet: every request to anything but this
 * machine is blocked, and the page must still work. The stack runs with
 * introspection off, so the explorer can only know the schema from
 * `GET /schema.graphql`. A partner pastes a token, types the contract's `Me`
 * and reads the answer on the page.
 */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { signUp, type Actor } from './support/actors';
import { contractOperation as op } from './support/contract';
import { postGraphQL } from './support/graphql-client';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';

const CHROMIUM = '/usr/bin/chromium';

let stack: RunningStack;
let browser: Browser;
let ada: Actor;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (see README, Two commands).`);
  stack = await startStack({ GATEWAY_INTROSPECTION: 'false' });
  ada = await signUp(stack, 'Explorer Ada');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, stackStartTimeout(120_000));

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A page that may reach only this machine; what it tried to reach elsewhere, and what went wrong in it, are kept. */
async function offlinePage(): Promise<{ page: Page; requested: string[]; blocked: string[]; problems: string[] }> {
  const context = await browser.newContext();
  const requested: string[] = [];
  const blocked: string[] = [];
  const problems: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    requested.push(url.toString());
    if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
    blocked.push(url.toString());
    return route.abort('internetdisconnected');
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return { page, requested, blocked, problems };
}

/** The text of one of GraphiQL's CodeMirror editors. */
const editorValue = (page: Page, selector: string) =>
  page.$eval(`${selector} .CodeMirror`, (element) => (element as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue());

it('runs Me with a pasted token and shows the answer, with introspection off and nothing fetched from elsewhere', async () => {
  // Introspection really is off: the explorer cannot have learnt the schema that way.
  const introspection = await postGraphQL(stack.gatewayUrl, '{ __schema { queryType { name } } }');
  expect(introspection.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

  const { page, requested, blocked, problems } = await offlinePage();
  const response = await page.goto(stack.gatewayUrl);
  expect(response?.status()).toBe(200);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });

  await page.fill('#harbour-token', ada.token);
  await page.click('.graphiql-query-editor .CodeMirror');
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(op('Me'));
  expect(await editorValue(page, '.graphiql-query-editor')).toBe(op('Me'));
  await page.click('.graphiql-execute-button');

  // Read off the page: the result pane shows the user's name.
  await page.locator('.graphiql-response', { hasText: 'Explorer Ada' }).waitFor({ timeout: 15_000 });
  const answer = JSON.parse(await editorValue(page, '.graphiql-response'));
  expect(answer.errors).toBeUndefined();
  expect(answer.data.me).toMatchObject({ id: ada.id, displayName: 'Explorer Ada', phone: ada.phone });
  expect(answer.data.me.wallet.balance).toEqual({ amount: '0.00', currencyCode: 'HKD' });

  expect(blocked).toEqual([]);
  expect(problems).toEqual([]);
  expect(requested.some((url) => url.endsWith('/schema.graphql'))).toBe(true);
}, 90_000);
