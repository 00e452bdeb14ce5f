/**
 * Staff members for the console's tests (console.md): a user granted scopes
 * with the real CLI (`user:grant-scope`), signed in again so the grant
 * reaches their tokens, and — where a test is about something other than
 * the second factor — a staff token minted with the stack's own signing key,
 * shaped exactly as `verifyStaffTotp` shapes it (amr pwd+otp, 10 minutes).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { commonConfig } from '@harbour/config';
import { loadSigningKey, signAccessToken, STAFF_AMR, STAFF_TOKEN_TTL_SECONDS } from '@harbour/identity';
import { PASSWORD, signUp, ok, type Actor } from './actors';
import { contractOperation as op } from './contract';
import type { RunningStack } from './stack';

const ROOT = path.resolve(__dirname, '..', '..');

/** Runs `npm run user:grant-scope` (or revoke) against the stack's user store. */
export function scopesCli(stack: RunningStack, action: 'grant' | 'revoke', phone: string, scope: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const script = path.join(ROOT, 'subgraphs/user/src/admin/scopes-cli.ts');
    execFile(process.execPath, ['--import', 'tsx', script, action, phone, scope], { cwd: ROOT, env: { ...process.env, ...stack.env } }, (error, stdout, stderr) => {
      resolve({ status: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

export interface StaffMember extends Actor {
  /** The user's ordinary token after the grant (it carries no staff scope). */
  ordinaryToken: string;
}

/** Signs a user up, grants the scopes with the CLI and logs in again. */
export async function staffMember(stack: RunningStack, displayName: string, scopes: readonly string[]): Promise<StaffMember> {
  const actor = await signUp(stack, displayName);
  for (const scope of scopes) {
    const granted = await scopesCli(stack, 'grant', actor.phone, scope);
    if (granted.status !== 0) throw new Error(`Granting ${scope} failed: ${granted.stderr}`);
  }
  const ordinaryToken = ok(await stack.graphql(op('LogIn'), { input: { phone: actor.phone, password: PASSWORD } })).logIn.accessToken as string;
  return { ...actor, token: ordinaryToken, ordinaryToken, run: (operation, variables = {}) => stack.graphql(op(operation), variables, { token: ordinaryToken }) };
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string; scope?: string };

/** A staff token for the session of `token`, carrying `scopes`, signed with the stack's current key. */
export async function mintStaffToken(stack: RunningStack, token: string, scopes: readonly string[]): Promise<string> {
  const { sub, sid } = claimsOf(token);
  const key = loadSigningKey(commonConfig({ HARBOUR_DATA_DIR: stack.env.HARBOUR_DATA_DIR }), {});
  return signAccessToken({ userId: sub, sessionId: sid, scopes, amr: [...STAFF_AMR], ttlSeconds: STAFF_TOKEN_TTL_SECONDS }, key, { issuer: 'harbour', audience: 'harbour-api' });
}
