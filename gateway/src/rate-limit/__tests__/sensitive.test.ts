import fs from 'node:fs';
import path from 'node:path';
import { getOperationAST, parse } from 'graphql';
import { selectsSensitiveField } from '../sensitive';

const sensitive = (query: string) => {
  const document = parse(query);
  return selectsSensitiveField(document, getOperationAST(document)!);
};

describe('sensitive operations', () => {
  it('are the contract operations that log in or look a phone up, and no other', () => {
    const contract = fs.readFileSync(path.resolve(__dirname, '../../../../tests/contract/operations.graphql'), 'utf8');
    const document = parse(contract);
    const flagged = document.definitions
      .filter((definition) => definition.kind === 'OperationDefinition')
      .filter((operation) => selectsSensitiveField(document, operation))
      .map((operation) => operation.name?.value);
    expect(flagged).toEqual(['LogIn', 'FindUserByPhone']);
  });

  it('are found under an alias, in inline fragments and in named fragments', () => {
    expect(sensitive('{ who: userByPhone(phone: "+85291234567") { id } }')).toBe(true);
    expect(sensitive('mutation { addBusinessMember(input: { businessId: "b", phone: "+85291234567", role: CASHIER }) { id } }')).toBe(true);
    expect(sensitive('{ ... on Query { userByPhone(phone: "+85291234567") { id } } }')).toBe(true);
    expect(sensitive('query { ...F } fragment F on Query { ... { userByPhone(phone: "1") { id } } }')).toBe(true);
    expect(sensitive('mutation { ...M } fragment M on Mutation { logIn(input: {}) { accessToken } }')).toBe(true);
  });

  it('count a field that @skip or @include might leave out', () => {
    expect(sensitive('query($no: Boolean!) { userByPhone(phone: "1") @skip(if: $no) { id } }')).toBe(true);
  });

  it('are only root fields: a nested field of that name is not one', () => {
    expect(sensitive('{ me { id } business(id: "b") { name } }')).toBe(false);
    expect(sensitive('{ me { logIn: id } }')).toBe(false);
  });
});
