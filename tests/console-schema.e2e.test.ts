/**
 * console.md: "Staff fields are absent from the public schema that partners
 * see (`/schema.graphql` and the explorer)". Through a whole stack: the
 * published SDL, introspection by an anonymous caller, by a user's ordinary
 * token (even one whose user holds staff scopes) and by a token that names
 * staff scopes without the second factor, against a staff token's.
 */
import { Kind, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { signUp } from './support/actors';
import { CONSOLE_NOT_YET_SERVED, consolePart } from './support/contract';
import { errorCodes } from './support/graphql-client';
import { mintStaffToken, staffMember } from './support/staff';
import { stackStartTimeout, startStack, type RunningStack } from './support/stack';
import { commonConfig } from '@harbour/config';
import { loadSigningKey, signAccessToken } from '@harbour/identity';

let stack: RunningStack;

beforeAll(async () => {
  stack = await startStack();
}, stackStartTimeout(60_000));

afterAll(async () => {
  await stack?.stop();
});

/** The root fields console.graphql's operations select, e.g. `staffUser`, `freezeWallet`. */
function consoleRootFields(served: boolean): string[] {
  return consolePart.document.definitions
    .filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION)
    .filter((operation) => CONSOLE_NOT_YET_SERVED.includes(operation.name!.value) !== served)
    .flatMap((operation) => operation.selectionSet.selections.filter((selection): selection is FieldNode => selection.kind === Kind.FIELD).map((field) => field.name.value));
}

const ROOT_FIELDS = '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }';
const rootFieldNames = (body: { data?: { __schema: { queryType: { fields: Array<{ name: string }> }; mutationType: { fields: Array<{ name: string }> } } } }) =>
  [...body.data!.__schema.queryType.fields, ...body.data!.__schema.mutationType.fields].map((field) => field.name);

// The second factor's own mutations are for signed-in users who are not staff *yet*: public by necessity.
const SIGN_IN = new Set(['enrollStaffTotp', 'verifyStaffTotp']);
const staffOnly = (fields: string[]) => fields.filter((name) => !SIGN_IN.has(name));

it('/schema.graphql shows no staff field', async () => {
  const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/schema.graphql'));
  expect(response.status).toBe(200);
  const sdl = await response.text();
  expect(sdl).toMatch(/type Query/);
  for (const field of staffOnly([...consoleRootFields(true), ...consoleRootFields(false)])) expect(sdl).not.toMatch(new RegExp(`\\b${field}\\b`));
  for (const type of ['PlatformStats', 'StaffActionInput', 'StaffSearchResult', 'StaffAuditEntry']) expect(sdl).not.toMatch(new RegExp(`\\b${type}\\b`));
});

it('introspection without a staff token shows no staff field; with one it shows them', async () => {
  const member = await staffMember(stack, 'Schema Staff', ['staff:read', 'staff:act', 'staff:audit']);
  const key = loadSigningKey(commonConfig({ HARBOUR_DATA_DIR: stack.env.HARBOUR_DATA_DIR }), {});
  const claims = JSON.parse(Buffer.from(member.ordinaryToken.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string; scope?: string };
  // The ordinary token of a user granted staff scopes carries none of them.
  expect(claims.scope ?? '').not.toMatch(/staff:/);
  // A token that names staff scopes without showing the second factor (no amr) counts as an ordinary one.
  const noSecondFactor = await signAccessToken({ userId: claims.sub, sessionId: claims.sid, scopes: ['staff:read', 'staff:act', 'staff:audit'] }, key, { issuer: 'harbour', audience: 'harbour-api' });
  const outsider = await signUp(stack, 'Schema Outsider');
  const staffOnlyServed = staffOnly(consoleRootFields(true));
  for (const token of [undefined, outsider.token, member.ordinaryToken, noSecondFactor]) {
    const response = await stack.graphql(ROOT_FIELDS, {}, token ? { token } : {});
    expect(response.body.errors).toBeUndefined();
    const names = rootFieldNames(response.body as never);
    expect(names).toEqual(expect.arrayContaining(['me', 'business']));
    for (const field of staffOnly([...consoleRootFields(true), ...consoleRootFields(false)])) expect(names).not.toContain(field);
    const hiddenType = await stack.graphql('{ __type(name: "PlatformStats") { name } }', {}, token ? { token } : {});
    expect(hiddenType.body).toEqual({ data: { __type: null } });
  }
  const staffToken = await mintStaffToken(stack, member.ordinaryToken, ['staff:read', 'staff:act', 'staff:audit']);
  const staff = await stack.graphql(ROOT_FIELDS, {}, { token: staffToken });
  expect(rootFieldNames(staff.body as never)).toEqual(expect.arrayContaining(staffOnlyServed));
});

it('introspection mixed with data fields is refused without a staff token, not half answered', async () => {
  const outsider = await signUp(stack, 'Mixed Introspection');
  const response = await stack.graphql('{ me { id } __schema { queryType { name } } }', {}, { token: outsider.token });
  expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(response.body.errors![0]!.message).toMatch(/introspection .* operation of its own/i);
});

it('a mistyped field is not answered with a suggestion that names a staff field', async () => {
  const response = await stack.graphql('{ staffUsr(id: "usr_x") { id } }');
  expect(errorCodes(response)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(JSON.stringify(response.body.errors)).not.toMatch(/Did you mean/);
});
