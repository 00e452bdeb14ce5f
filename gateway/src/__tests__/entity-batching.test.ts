import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { EntityFetchCoalescer } from '../entity-batching';

type Options = GraphQLDataSourceProcessOptions<Record<string, unknown>>;

const entitiesQuery = (name: string) => `query ${name}($representations:[_Any!]!){_entities(representations:$representations){...on User{displayName}}}`;
const fetchOf = (name: string, ids: string[]) =>
  ({ request: { query: entitiesQuery(name), variables: { representations: ids.map((id) => ({ __typename: 'User', id })) } } }) as unknown as Options;

/** A subgraph that answers `_entities` by echoing ids, with an error for any id starting with "bad". */
function subgraph() {
  const sent: Options[] = [];
  const send = async (options: Options): Promise<GatewayGraphQLResponse> => {
    sent.push(options);
    const representations = options.request.variables!.representations as Array<{ id: string }> | undefined;
    if (!representations) return { data: { me: { id: 'usr_1' } } };
    const errors = representations.flatMap((representation, index) =>
      representation.id.startsWith('bad') ? [{ message: `no ${representation.id}`, path: ['_entities', index, 'displayName'] }] : [],
    );
    return {
      data: { _entities: representations.map((representation) => (representation.id.startsWith('bad') ? null : { displayName: `name of ${representation.id}` })) },
      ...(errors.length ? { errors } : {}),
    } as GatewayGraphQLResponse;
  };
  return { sent, send };
}

describe('EntityFetchCoalescer', () => {
  it('sends identical entity fetches of one operation as one request of distinct representations, and answers each with its own slice', async () => {
    const { sent, send } = subgraph();
    const coalescer = new EntityFetchCoalescer(send);
    const scope = {};
    const [first, second, third] = await Promise.all([
      coalescer.fetch(fetchOf('Op__user__1', ['a', 'b']), scope),
      coalescer.fetch(fetchOf('Op__user__2', ['b', 'bad1', 'c']), scope),
      coalescer.fetch(fetchOf('Op__user__3', ['bad1']), scope),
    ]);
    expect(sent).toHaveLength(1);
    expect((sent[0]!.request.variables!.representations as Array<{ id: string }>).map((r) => r.id)).toEqual(['a', 'b', 'bad1', 'c']);
    expect(first).toEqual({ data: { _entities: [{ displayName: 'name of a' }, { displayName: 'name of b' }] } });
    expect(second.data).toEqual({ _entities: [{ displayName: 'name of b' }, null, { displayName: 'name of c' }] });
    expect(second.errors).toEqual([{ message: 'no bad1', path: ['_entities', 1, 'displayName'] }]);
    expect(third).toEqual({ data: { _entities: [null] }, errors: [{ message: 'no bad1', path: ['_entities', 0, 'displayName'] }] });
  });

  it('keeps operations apart, and passes other fetches straight through', async () => {
    const { sent, send } = subgraph();
    const coalescer = new EntityFetchCoalescer(send);
    await Promise.all([
      coalescer.fetch(fetchOf('Op__user__1', ['a']), {}),
      coalescer.fetch(fetchOf('Op__user__1', ['b']), {}),
      coalescer.fetch({ request: { query: '{ me { id } }', variables: {} } } as unknown as Options, {}),
    ]);
    expect(sent).toHaveLength(3);
  });

  it('a failed request fails every fetch it carried', async () => {
    const coalescer = new EntityFetchCoalescer<Record<string, unknown>>(async () => {
      throw new Error('connection refused');
    });
    const scope = {};
    const results = await Promise.allSettled([coalescer.fetch(fetchOf('A', ['a']), scope), coalescer.fetch(fetchOf('B', ['b']), scope)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
