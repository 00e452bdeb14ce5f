/** The six domain subgraphs and their contract ports. */
export const SUBGRAPHS = ['user', 'business', 'payment', 'timeline', 'social', 'notification'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

export const DEFAULT_PORTS: Readonly<Record<SubgraphName | 'gateway', number>> = {
  gateway: 4000,
  user: 4001,
  business: 4002,
  payment: 4003,
  timeline: 4004,
  social: 4005,
  notification: 4006,
};

export function isSubgraphName(name: string): name is SubgraphName {
  return (SUBGRAPHS as readonly string[]).includes(name);
}
