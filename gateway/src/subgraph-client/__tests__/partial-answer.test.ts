import { parse } from 'graphql';
import { unavailableAnswer } from '../partial-answer';

const extensions = { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'social' };

describe('unavailableAnswer', () => {
  it('a root fetch: one error per root field asked for, no data', () => {
    const document = parse('query Op__social__0 { a: friends { id } recommendedBusinesses { id } __typename }');
    const answer = unavailableAnswer('social', { query: '', variables: {} }, document);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toEqual([
      { message: expect.stringContaining('social'), path: ['a'], extensions },
      { message: expect.stringContaining('social'), path: ['recommendedBusinesses'], extensions },
    ]);
  });

  it('an entity fetch: each entity the fields of its own type, through fragments', () => {
    const document = parse(`query Op__social__1($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on User { __typename friends { id } ...More }
        ... on Business { id }
      }
    }
    fragment More on User { recommendedBusinesses { id } }`);
    const representations = [
      { __typename: 'User', id: 'u1' },
      { __typename: 'Business', id: 'b1' },
    ];
    const answer = unavailableAnswer('social', { query: '', variables: { representations } }, document);
    expect(answer.errors!.map((error) => error.path)).toEqual([
      ['_entities', 0, 'friends'],
      ['_entities', 0, 'recommendedBusinesses'],
      ['_entities', 1, 'id'],
    ]);
  });

  it('parses the fetch text when Apollo does not hand over the document', () => {
    const answer = unavailableAnswer('social', { query: 'query Op__social__0 { friends { id } }' }, undefined);
    expect(answer.errors!.map((error) => error.path)).toEqual([['friends']]);
  });

  it('without a document: one error without a path', () => {
    expect(unavailableAnswer('social', { query: '' }, undefined).errors).toEqual([{ message: expect.any(String), extensions }]);
  });
});
