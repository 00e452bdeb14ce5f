import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { AssetName } from './assets';

/** What the page's script needs to know, passed as data attributes (the CSP allows no inline script). */
export interface ExplorerPageOptions {
  assets: Record<AssetName, string>;
  graphqlPath: string;
  schemaPath: string;
  /** Sent as `apollographql-client-version` with `apollographql-client-name: harbour-explorer`. */
  clientVersion: string;
}

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The explorer's HTML: GraphiQL under a bar with a field for the access token. */
export function explorerPage(options: ExplorerPageOptions): string {
  const { assets } = options;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harbour API explorer</title>
<link rel="stylesheet" href="${assets.graphiqlCss}">
<link rel="stylesheet" href="${assets.style}">
</head>
<body>
<header class="harbour-bar">
<strong>Harbour API</strong>
<label for="harbour-token">Access token</label>
<input id="harbour-token" type="password" autocomplete="off" spellcheck="false" placeholder="accessToken from signUp or logIn (sent as Authorization: Bearer …)">
<a href="${escapeAttribute(options.schemaPath)}">schema.graphql</a>
</header>
<main id="harbour-explorer" data-endpoint="${escapeAttribute(options.graphqlPath)}" data-schema="${escapeAttribute(options.schemaPath)}" data-client-version="${escapeAttribute(options.clientVersion)}">Loading the schema…</main>
<script src="${assets.react}"></script>
<script src="${assets.reactDom}"></script>
<script src="${assets.graphiql}"></script>
<script src="${assets.script}"></script>
</body>
</html>
`;
}

/**
 * Apollo Server answers a browser's `GET /graphql` (it prefers text/html)
 * with the landing page of the one plugin that renders one: this explorer,
 * instead of Apollo's default, which loads Apollo Sandbox from a CDN.
 */
export function explorerLandingPage<TContext extends BaseContext>(html: string): ApolloServerPlugin<TContext> {
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
