/* global window, document */
// The explorer page's script (served as a file: the page's CSP allows no inline script).
// GraphiQL gets the schema built from GET /schema.graphql, so it never needs introspection,
// and a fetcher that sends what the contract asks of every client.
(function () {
  'use strict';
  const { React, ReactDOM, GraphiQL } = window;
  const root = document.getElementById('harbour-explorer');
  const tokenField = document.getElementById('harbour-token');
  const clientHeaders = {
    'apollographql-client-name': 'harbour-explorer',
    'apollographql-client-version': root.dataset.clientVersion,
  };

  function authorization() {
    const token = tokenField.value.trim().replace(/^Bearer\s+/i, '');
    return token ? { authorization: 'Bearer ' + token } : {};
  }

  async function fetcher(params, options) {
    const response = await window.fetch(root.dataset.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...clientHeaders,
        ...authorization(),
        // Headers typed in GraphiQL's headers editor win.
        ...(options && options.headers),
      },
      body: JSON.stringify(params),
    });
    return response.json();
  }

  const defaultQuery = [
    '# The Harbour API. Paste an access token (from signUp or logIn) above,',
    '# then run an operation with the ▶ button or Ctrl-Enter.',
    '',
    'query Me {',
    '  me {',
    '    id',
    '    displayName',
    '  }',
    '}',
    '',
  ].join('\n');

  window
    .fetch(root.dataset.schema, { headers: clientHeaders })
    .then((response) => {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.text();
    })
    .then((sdl) => {
      const schema = GraphiQL.GraphQL.buildSchema(sdl);
      root.textContent = '';
      ReactDOM.createRoot(root).render(React.createElement(GraphiQL, { fetcher, schema, defaultQuery, shouldPersistHeaders: false }));
    })
    .catch((error) => {
      root.textContent = 'The schema could not be loaded from ' + root.dataset.schema + ': ' + error.message;
    });
})();
