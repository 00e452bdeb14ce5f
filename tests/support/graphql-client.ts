export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  headers: Headers;
  body: {
    data?: TData | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  };
}

export interface RequestOptions {
  token?: string;
  headers?: Record<string, string>;
  /** Gives up (rejects) after this long: a guard against a request that hangs, not a latency assertion. */
  timeoutMs?: number;
}

/** POSTs one operation the way the apps do (JSON, client name and version headers). */
export async function postGraphQL<TData = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: RequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'apollographql-client-name': 'harbour-tests',
      'apollographql-client-version': '1.0.0',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
    ...(options.timeoutMs ? { signal: AbortSignal.timeout(options.timeoutMs) } : {}),
  });
  const text = await response.text();
  let body: GraphQLResponse<TData>['body'];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`Non-JSON response (${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, body };
}

/** The codes of a response's errors, for compact assertions. */
export const errorCodes = (response: GraphQLResponse) => (response.body.errors ?? []).map((error) => error.extensions?.code);
