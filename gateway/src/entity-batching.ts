/* eslint-disable @typescript-eslint/no-explicit-any -- matches RemoteGraphQLDataSource<TContext extends Record<string, any>> */
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';

type Send<TContext extends Record<string, any>> = (options: GraphQLDataSourceProcessOptions<TContext>) => Promise<GatewayGraphQLResponse>;

interface Part {
  /** For each of this fetch's representations, its index in the merged list. */
  indices: number[];
  resolve: (response: GatewayGraphQLResponse) => void;
  reject: (error: unknown) => void;
}

interface Batch<TContext extends Record<string, any>> {
  options: GraphQLDataSourceProcessOptions<TContext>;
  /** Distinct representations, by their JSON. */
  merged: Map<string, number>;
  representations: unknown[];
  parts: Part[];
}

const ENTITIES_FETCH = /\b_entities\(representations:\s*\$representations\)/;

/**
 * Apollo's query planner fetches entities once per response path, so
 * `a: business(..) { owner { .. } } b: business(..) { owner { .. } }` plans
 * one `_entities` fetch per alias, all sent at once to the same subgraph with
 * the same query. This coalesces the identical entity fetches one operation
 * issues in the same turn of the event loop into a single request (distinct
 * representations only) and hands each fetch back its own slice of the
 * answer, errors included, with their paths renumbered. What each fetch
 * receives is exactly what it would have received alone.
 */
export class EntityFetchCoalescer<TContext extends Record<string, any>> {
  private readonly pending = new WeakMap<object, Map<string, Batch<TContext>>>();

  constructor(private readonly send: Send<TContext>) {}

  fetch(options: GraphQLDataSourceProcessOptions<TContext>, scope: object | undefined): Promise<GatewayGraphQLResponse> {
    const variables = options.request.variables ?? {};
    const representations = variables.representations;
    if (!scope || !Array.isArray(representations) || !ENTITIES_FETCH.test(options.request.query ?? '')) return this.send(options);

    const { representations: _own, ...otherVariables } = variables;
    // The planner names each fetch differently (`Op__user__1`, `Op__user__2`); the name does not change the answer.
    const key = `${options.request.query!.replace(/^query\s+[_A-Za-z][_0-9A-Za-z]*/, 'query')}\n${JSON.stringify(otherVariables)}`;
    let batches = this.pending.get(scope);
    if (!batches) this.pending.set(scope, (batches = new Map()));
    let batch = batches.get(key);
    if (!batch) {
      const created: Batch<TContext> = { options, merged: new Map(), representations: [], parts: [] };
      batches.set(key, created);
      setImmediate(() => {
        batches.delete(key);
        void this.flush(created);
      });
      batch = created;
    }
    const open = batch;
    const indices = representations.map((representation) => {
      const json = JSON.stringify(representation);
      let index = open.merged.get(json);
      if (index === undefined) {
        index = open.representations.push(representation) - 1;
        open.merged.set(json, index);
      }
      return index;
    });
    return new Promise((resolve, reject) => open.parts.push({ indices, resolve, reject }));
  }

  private async flush(batch: Batch<TContext>): Promise<void> {
    const { options, parts } = batch;
    let response: GatewayGraphQLResponse;
    try {
      response = await this.send({
        ...options,
        request: { ...options.request, variables: { ...options.request.variables, representations: batch.representations } },
      });
    } catch (error) {
      for (const part of parts) part.reject(error);
      return;
    }
    for (const part of parts) part.resolve(parts.length === 1 && part.indices.every((index, position) => index === position) ? response : sliceFor(response, part.indices));
  }
}

/** The answer one fetch would have had: its entities in its order, and the errors that concern them. */
function sliceFor(response: GatewayGraphQLResponse, indices: number[]): GatewayGraphQLResponse {
  const entities = (response.data as { _entities?: unknown[] } | null | undefined)?._entities;
  const data = response.data && Array.isArray(entities) ? { ...response.data, _entities: indices.map((index) => entities[index] ?? null) } : response.data;
  const errors = response.errors?.flatMap((error) => {
    const [head, index, ...rest] = error.path ?? [];
    if (head !== '_entities' || typeof index !== 'number') return [error];
    return indices.flatMap((merged, position) => (merged === index ? [{ ...error, path: ['_entities', position, ...rest] }] : []));
  });
  const { errors: _all, ...rest } = response;
  return { ...rest, data, ...(errors?.length ? { errors } : {}) };
}
