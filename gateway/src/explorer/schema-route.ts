import { sendJson, type RouteHandler } from '@harbour/server';
import { printSchema, type GraphQLSchema } from 'graphql';

/**
 * `GET /schema.graphql`: the API schema clients see (the supergraph without
 * its federation machinery), with its descriptions, as SDL. Public like the
 * contract's operations; it is what the explorer builds its schema from, so
 * the explorer works with introspection off.
 */
export function schemaRoute(apiSchema: () => GraphQLSchema | undefined): RouteHandler {
  const printed = new WeakMap<GraphQLSchema, string>();
  return (_req, res) => {
    const schema = apiSchema();
    if (!schema) return sendJson(res, 503, { error: 'The schema is not loaded yet.' });
    let sdl = printed.get(schema);
    if (sdl === undefined) {
      sdl = `${printSchema(schema)}\n`;
      printed.set(schema, sdl);
    }
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(sdl) });
    res.end(sdl);
  };
}
