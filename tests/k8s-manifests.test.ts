/**
 * `k8s/`: both overlays render (`kubectl kustomize`), every object is valid
 * against the Kubernetes API schemas (kubernetes-models; SecretProviderClass
 * against the CRD schema kept in k8s/crds/, with ajv), and the rules a
 * platform team relies on hold: hardened pods, pinned images, NetworkPolicies
 * that open exactly the paths of ../shared/notes/service-boundaries.md, every
 * address parameter filled in, no secret in a ConfigMap, each service reading
 * only its own secrets. The last tests feed broken objects to the same checks,
 * so a check that could never fail would show.
 */
import { STATEMENT_WORKER_ENV, STATEMENT_WORKER_NODE_FLAGS } from '../subgraphs/payment/src/statements/worker/runtime';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { CronJob } from 'kubernetes-models/batch/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';

type Obj = Record<string, any>;

const root = path.resolve(__dirname, '..');
const SUBGRAPHS = ['user', 'business', 'payment', 'timeline', 'social', 'notification'];
const SERVICES = ['gateway', ...SUBGRAPHS];
/** service-boundaries.md: who may call each subgraph besides the gateway (payment → business, payment → user). */
const INTERNAL_CALLERS: Record<string, string[]> = { user: ['business', 'payment'], business: ['payment'] };
/**
 * The subgraphs' workers: their own processes from their subgraph's image (scripts/build-service.ts bundles each entry
 * next to main.js), its ServiceAccount and its secrets, each with its own NetworkPolicy; the payout run a CronJob, the
 * statements and webhooks workers Deployments that take no traffic (no Service, no readiness, a liveness probe on
 * /healthz). Only the webhooks worker goes out to the internet (partners' endpoints, 443, no private range).
 */
const WORKERS: Record<
  string,
  { subgraph: string; kind: 'CronJob' | 'Deployment'; entry: string; node?: string[]; env?: Record<string, string>; calls: string[]; blobStorage: boolean; redis: boolean; internet?: boolean; healthPort?: number; healthEnv?: string }
> = {
  payouts: { subgraph: 'payment', kind: 'CronJob', entry: 'payouts.js', calls: ['business'], blobStorage: true, redis: true },
  statements: { subgraph: 'payment', kind: 'Deployment', entry: 'statements.js', node: [...STATEMENT_WORKER_NODE_FLAGS], env: { ...STATEMENT_WORKER_ENV }, calls: [], blobStorage: true, redis: false, healthPort: 8080, healthEnv: 'STATEMENTS_WORKER_PORT' },
  webhooks: { subgraph: 'notification', kind: 'Deployment', entry: 'webhooks.js', calls: [], blobStorage: false, redis: true, internet: true, healthPort: 8080, healthEnv: 'WEBHOOKS_WORKER_PORT' },
};
/** What the webhooks worker's internet policy must leave out: private (RFC 1918, fc00::/7), loopback, link-local (cloud metadata), shared and other non-public ranges. */
const NOT_INTERNET = ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'];
const WORKER_DEPLOYMENTS = Object.keys(WORKERS).filter((worker) => WORKERS[worker]!.kind === 'Deployment');
/** The base's stand-in for an address an overlay must fill in (TEST-NET-1, never routed). */
const UNFILLED = /^192\.0\.2\./;
/** Setting names whose values are secrets wherever they appear. */
const SECRET_NAMES = /SECRET|PASSWORD|PRIVATE_KEY|_DATABASE_URL|_REPLICA_URL|REDIS_URL|CONNECTION_STRING/;

const MODELS: Record<string, { new (data: Obj): { validate(): void } }> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'apps/v1/Deployment': Deployment,
  'batch/v1/CronJob': CronJob,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'networking.k8s.io/v1/Ingress': Ingress,
};

/** Kubernetes prunes unknown fields of a custom resource; for a test, an unknown field is a typo: refuse it. */
function closed(schema: Obj): Obj {
  if (schema.type === 'object' && schema.properties && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    return { ...schema, additionalProperties: false, properties: Object.fromEntries(Object.entries(schema.properties as Obj).map(([key, value]) => [key, closed(value)])) };
  }
  if (schema.type === 'array' && schema.items) return { ...schema, items: closed(schema.items) };
  return schema;
}

function crdValidators(): Record<string, (object: Obj) => string | undefined> {
  const ajv = new Ajv({ allErrors: true });
  const validators: Record<string, (object: Obj) => string | undefined> = {};
  for (const file of fs.readdirSync(path.join(root, 'k8s', 'crds'))) {
    const crd = parseAllDocuments(fs.readFileSync(path.join(root, 'k8s', 'crds', file), 'utf8'))[0]!.toJS() as Obj;
    new CustomResourceDefinition(crd as never).validate();
    for (const version of crd.spec.versions as Obj[]) {
      const validate = ajv.compile(closed(version.schema.openAPIV3Schema));
      validators[`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`] = (object) => (validate(object) ? undefined : ajv.errorsText(validate.errors));
    }
  }
  return validators;
}

function render(overlay: string): Obj[] {
  const output = execFileSync('kubectl', ['kustomize', path.join(root, 'k8s', 'overlays', overlay)], { encoding: 'utf8', timeout: 30_000 });
  const objects = parseAllDocuments(output).map((document) => document.toJS() as Obj);
  // kustomize folds long base64 values over lines, which the API server's decoder skips; the schema's "byte" format does not.
  for (const secret of objects.filter((object) => object.kind === 'Secret' && object.data)) {
    secret.data = Object.fromEntries(Object.entries(secret.data as Record<string, string>).map(([key, value]) => [key, value.replace(/\s+/g, '')]));
  }
  return objects;
}

const named = (objects: Obj[], kind: string) => objects.filter((object) => object.kind === kind);
/** A generated object's name without kustomize's content hash (`gateway-secrets-5t8m2hd7kb` → `gateway-secrets`). */
const unhashed = (name: string) => name.replace(/-[a-z0-9]{10}$/, '');
const find = (objects: Obj[], kind: string, name: string) => objects.find((object) => object.kind === kind && unhashed(object.metadata.name) === name);

/** A worker's pod template: a Deployment's, or a CronJob's job's. */
const podTemplateOf = (workload: Obj): Obj => (workload.kind === 'CronJob' ? workload.spec.jobTemplate.spec.template : workload.spec.template);

/**
 * Every problem with a Deployment's pods: probes, resources, non-root, read-only root, capabilities, pinned images. A
 * service serves (liveness /health/live, readiness /health/ready, a preStop while its endpoint goes); a worker
 * Deployment (WORKERS) takes no traffic: liveness GET /healthz on its health port, no readiness, no preStop.
 */
function podProblems(deployment: Obj): string[] {
  const problems: string[] = [];
  const pod = deployment.spec.template.spec;
  const name = deployment.metadata.name;
  const worker = WORKERS[name];
  if (pod.securityContext?.runAsNonRoot !== true || !(pod.securityContext?.runAsUser > 0)) problems.push(`${name}: pod not non-root`);
  const containers: Array<[Obj, boolean]> = [...pod.containers.map((c: Obj) => [c, true]), ...(pod.initContainers ?? []).map((c: Obj) => [c, false])];
  for (const [container, serves] of containers) {
    const where = `${name}/${container.name}`;
    if (serves && !worker && (container.livenessProbe?.httpGet?.path !== '/health/live' || container.readinessProbe?.httpGet?.path !== '/health/ready')) problems.push(`${where}: probes`);
    if (serves && worker && (container.livenessProbe?.httpGet?.path !== '/healthz' || probePort(container, container.livenessProbe) !== worker.healthPort || container.readinessProbe)) problems.push(`${where}: probes`);
    if (!container.resources?.limits?.cpu || !container.resources?.limits?.memory || !container.resources?.requests?.cpu || !container.resources?.requests?.memory) problems.push(`${where}: requests/limits`);
    const security = container.securityContext ?? {};
    if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: writable root filesystem`);
    if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: privilege escalation`);
    if (!(security.capabilities?.drop ?? []).includes('ALL') || (security.capabilities?.add ?? []).length > 0) problems.push(`${where}: capabilities`);
    if (security.runAsNonRoot === false || security.runAsUser === 0) problems.push(`${where}: runs as root`);
    if (!/^[^@\s]+@sha256:[0-9a-f]{64}$/.test(container.image)) problems.push(`${where}: image ${container.image} not pinned by digest`);
  }
  if ((!worker && !pod.containers.some((container: Obj) => container.lifecycle?.preStop)) || !(pod.terminationGracePeriodSeconds > 5)) problems.push(`${name}: no graceful stop`);
  return problems;
}

/** The container port a probe's httpGet names (a number, or a port's name). */
function probePort(container: Obj, probe: Obj | undefined): number | undefined {
  const port = probe?.httpGet?.port;
  if (typeof port === 'number') return port;
  return (container.ports ?? []).find((entry: Obj) => entry.name === port)?.containerPort;
}

const selects = (policy: Obj, labels: Obj) =>
  Object.entries(policy.spec.podSelector.matchLabels ?? {}).every(([key, value]) => labels[key] === value) &&
  (policy.spec.podSelector.matchExpressions ?? []).every(
    (expression: Obj) =>
      (expression.operator === 'In' && expression.values.includes(labels[expression.key])) || (expression.operator === 'NotIn' && !expression.values.includes(labels[expression.key])),
  );

/** Exactly the Prometheus pods of namespace monitoring (k8s/README.md), nothing wider. */
const isPrometheus = (peer: Obj) =>
  JSON.stringify(peer) ===
  JSON.stringify({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } });

/** Which pods (by name label; `prometheus` for the scraper) may open connections to a subgraph, over every policy selecting it; a wider peer is a problem. */
function subgraphIngress(objects: Obj[], subgraph: string): { callers: string[]; problems: string[] } {
  const labels = find(objects, 'Deployment', subgraph)!.spec.template.metadata.labels;
  const callers = new Set<string>();
  const problems: string[] = [];
  const policies = named(objects, 'NetworkPolicy').filter((policy) => selects(policy, labels) && (policy.spec.policyTypes ?? []).includes('Ingress'));
  for (const policy of policies) {
    for (const rule of policy.spec.ingress ?? []) {
      if (!rule.from?.length) problems.push(`${policy.metadata.name}: a rule admits anyone`);
      for (const peer of rule.from ?? []) {
        if (isPrometheus(peer)) {
          callers.add('prometheus');
          continue;
        }
        const caller = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
        if (peer.namespaceSelector || peer.ipBlock || typeof caller !== 'string') problems.push(`${policy.metadata.name}: admits ${JSON.stringify(peer)}`);
        else callers.add(caller);
      }
    }
  }
  return { callers: [...callers].sort(), problems };
}

/** Secret values (and secret-named settings) found in ConfigMaps. */
function secretsInConfigMaps(objects: Obj[]): string[] {
  const secretValues = named(objects, 'Secret').flatMap((secret) => [
    ...Object.values((secret.data ?? {}) as Record<string, string>).map((value) => Buffer.from(value, 'base64').toString('utf8')),
    ...Object.values((secret.stringData ?? {}) as Record<string, string>),
  ]).filter((value) => value.length >= 8);
  const found: string[] = [];
  for (const configMap of named(objects, 'ConfigMap')) {
    for (const [key, value] of Object.entries((configMap.data ?? {}) as Record<string, string>)) {
      if (SECRET_NAMES.test(key)) found.push(`${configMap.metadata.name}.${key}`);
      for (const secret of secretValues) if (value.includes(secret)) found.push(`${configMap.metadata.name}.${key} holds a Secret's value`);
    }
  }
  return found;
}

const validators = crdValidators();

describe.each(['dev', 'prod'])('k8s/overlays/%s', (overlay) => {
  const objects = render(overlay);

  it('renders only objects valid against their API schemas (custom resources against k8s/crds/)', () => {
    const invalid: string[] = [];
    for (const object of objects) {
      const type = `${object.apiVersion}/${object.kind}`;
      const id = `${type} ${object.metadata?.name}`;
      const Model = MODELS[type];
      const validate = validators[type];
      try {
        if (Model) new Model(object).validate();
        else if (validate) {
          const error = validate(object);
          if (error) throw new Error(error);
        } else throw new Error('unknown kind: add its model or its CRD');
      } catch (error) {
        invalid.push(`${id}: ${(error as Error).message}`);
      }
    }
    expect(invalid).toEqual([]);
    expect(objects.every((object) => object.kind === 'Namespace' || object.metadata.namespace === (overlay === 'prod' ? 'harbour' : 'harbour-dev'))).toBe(true);
  });

  it('runs each service as its own Deployment with a Service, HPA, PDB and ServiceAccount, hardened pods and pinned images', () => {
    expect(named(objects, 'Deployment').map((deployment) => deployment.metadata.name).sort()).toEqual([...SERVICES, ...WORKER_DEPLOYMENTS].sort());
    for (const service of SERVICES) {
      for (const kind of ['Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceAccount']) expect([kind, find(objects, kind, service)?.metadata.name]).toEqual([kind, service]);
      const deployment = find(objects, 'Deployment', service)!;
      expect(deployment.spec.template.spec.serviceAccountName).toBe(service);
      expect(find(objects, 'HorizontalPodAutoscaler', service)!.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: service });
    }
    expect(named(objects, 'Deployment').flatMap(podProblems)).toEqual([]);
  });

  it('migrates each store before its pods serve, with the runner from the same image', () => {
    for (const subgraph of SUBGRAPHS) {
      const pod = find(objects, 'Deployment', subgraph)!.spec.template.spec;
      expect(pod.initContainers.map((container: Obj) => [container.image, container.command])).toEqual([
        [pod.containers[0].image, ['node', '--enable-source-maps', 'migrate.js', '--store', subgraph]],
      ]);
    }
  });

  it('admits to each subgraph only the gateway and the internal callers service-boundaries.md allows; the gateway only from the ingress controller and Prometheus', () => {
    const policies = named(objects, 'NetworkPolicy');
    expect(find(objects, 'NetworkPolicy', 'default-deny')!.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    for (const subgraph of SUBGRAPHS) {
      const { callers, problems } = subgraphIngress(objects, subgraph);
      expect([subgraph, problems]).toEqual([subgraph, []]);
      expect([subgraph, callers]).toEqual([subgraph, ['gateway', 'prometheus', ...(INTERNAL_CALLERS[subgraph] ?? [])].sort()]);
    }
    const gatewayPeers = policies.filter((policy) => selects(policy, { 'app.kubernetes.io/name': 'gateway' })).flatMap((policy) => (policy.spec.ingress ?? []).flatMap((rule: Obj) => rule.from ?? [undefined]));
    expect(gatewayPeers.map((peer: Obj | undefined) => peer?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'])).toEqual(['ingress-nginx', 'monitoring']);
  });

  it('has Prometheus scrape /metrics of every service, on the port its Service serves', () => {
    for (const service of SERVICES) {
      const annotations = find(objects, 'Deployment', service)!.spec.template.metadata.annotations ?? {};
      const port = String(find(objects, 'Service', service)!.spec.ports[0].targetPort);
      const containerPort = String(find(objects, 'Deployment', service)!.spec.template.spec.containers[0].ports.find((entry: Obj) => entry.name === port || String(entry.containerPort) === port).containerPort);
      expect([service, annotations['prometheus.io/scrape'], annotations['prometheus.io/port'], annotations['prometheus.io/path']]).toEqual([service, 'true', containerPort, '/metrics']);
    }
  });

  it('lets pods out only to DNS, their own database, Redis, Event Hubs, Blob storage and the internal paths, at filled-in addresses', () => {
    const blocks = named(objects, 'NetworkPolicy').flatMap((policy) => (policy.spec.egress ?? []).flatMap((rule: Obj) => (rule.to ?? [undefined]).map((peer: Obj | undefined) => ({ policy: policy.metadata.name, peer }))));
    expect(blocks.filter(({ peer }) => peer === undefined)).toEqual([]);
    const cidrs = blocks.filter(({ peer }) => peer.ipBlock).map(({ policy, peer }) => [policy, peer.ipBlock.cidr]);
    expect(cidrs.map(([policy]) => policy).sort()).toEqual(['blob-storage', 'event-hubs', 'redis', 'webhooks-internet', 'webhooks-internet', ...SUBGRAPHS.map((subgraph) => `${subgraph}-database`)].sort());
    expect(cidrs.filter(([policy, cidr]) => UNFILLED.test(cidr) || (cidr.endsWith('/0') && policy !== 'webhooks-internet'))).toEqual([]);
    // The internet, for partners' endpoints only: 443, every private, loopback and link-local range excepted, and only the webhooks worker's pods.
    const internet = find(objects, 'NetworkPolicy', 'webhooks-internet')!.spec;
    expect(internet.podSelector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'webhooks' } });
    expect(internet.egress.map((rule: Obj) => rule.ports)).toEqual([[{ port: 443, protocol: 'TCP' }]]);
    const excepted = internet.egress.flatMap((rule: Obj) => rule.to.flatMap((peer: Obj) => peer.ipBlock.except ?? []));
    expect(NOT_INTERNET.filter((range) => !excepted.includes(range))).toEqual([]);
    // Each database is reached by its own subgraph only (and by its workers: payment's payout run and statements worker, notification's webhooks worker).
    const workers: Record<string, string[]> = { payment: ['payouts', 'statements'], notification: ['webhooks'] };
    for (const subgraph of SUBGRAPHS) {
      const selector = find(objects, 'NetworkPolicy', `${subgraph}-database`)!.spec.podSelector;
      const selected = selector.matchLabels ? [selector.matchLabels['app.kubernetes.io/name']] : selector.matchExpressions.flatMap((expression: Obj) => expression.values);
      expect(selected.sort()).toEqual([subgraph, ...(workers[subgraph] ?? [])].sort());
    }
    const trusted = find(objects, 'ConfigMap', 'gateway-config')!.data.GATEWAY_TRUSTED_PROXIES;
    expect(trusted).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
    expect(trusted).not.toMatch(UNFILLED);
  });

  it("runs the subgraphs' workers from their subgraph's image, with its secrets, through their own policies to its database (Blob storage, Redis, the internet where they need it) only", () => {
    const policies = named(objects, 'NetworkPolicy');
    const blobSelector = find(objects, 'NetworkPolicy', 'blob-storage')!.spec.podSelector;
    expect(blobSelector.matchExpressions.flatMap((expression: Obj) => expression.values).sort()).toEqual(Object.keys(WORKERS).filter((worker) => WORKERS[worker]!.blobStorage).sort());
    for (const [name, worker] of Object.entries(WORKERS)) {
      const workload = find(objects, worker.kind, name)!;
      expect([name, workload?.kind]).toEqual([name, worker.kind]);
      const template = podTemplateOf(workload);
      const pod = template.spec;
      const [container, ...others] = pod.containers as Obj[];
      expect([name, others]).toEqual([name, []]);
      // A worker with Node flags of its own runs with exactly those (worker/runtime.ts, measured), and their environment.
      const node = worker.node ?? ['--enable-source-maps'];
      const image = find(objects, 'Deployment', worker.subgraph)!.spec.template.spec.containers[0].image;
      expect([name, container!.image, container!.command]).toEqual([name, image, ['node', ...node, worker.entry]]);
      for (const [key, value] of Object.entries(worker.env ?? {})) expect(container!.env).toContainEqual({ name: key, value });
      expect([name, pod.serviceAccountName]).toEqual([name, worker.subgraph]);
      for (const each of [container!, ...(pod.initContainers ?? [])]) {
        const sources = (each.envFrom ?? []).map((source: Obj) => (source.secretRef ? `secret ${unhashed(source.secretRef.name)}` : `config ${unhashed(source.configMapRef.name)}`));
        expect([name, each.name, sources.filter((source: string) => source.startsWith('secret '))]).toEqual([name, each.name, [`secret ${worker.subgraph}-secrets`]]);
        if (each === container) expect([name, sources.filter((source: string) => source.startsWith('config '))]).toEqual([name, [`config ${worker.subgraph}-config`]]);
        const { requests, limits } = each.resources ?? {};
        expect([name, each.name, [requests?.cpu, requests?.memory, limits?.cpu, limits?.memory].every(Boolean)]).toEqual([name, each.name, true]);
      }
      // Its pods' egress: DNS, its subgraph's database, Blob storage, Redis only where it uses it, and the subgraphs its own policy names.
      const own = find(objects, 'NetworkPolicy', name)!;
      const called = (own.spec.egress ?? []).flatMap((rule: Obj) => rule.to.map((peer: Obj) => peer.podSelector?.matchLabels?.['app.kubernetes.io/name'] ?? JSON.stringify(peer)));
      expect([name, called.sort()]).toEqual([name, [...worker.calls].sort()]);
      const egress = policies.filter((policy) => selects(policy, template.metadata.labels) && (policy.spec.policyTypes ?? []).includes('Egress')).map((policy) => policy.metadata.name);
      expect([name, egress.sort()]).toEqual([name, ['default-deny', 'dns', name, `${worker.subgraph}-database`, ...(worker.blobStorage ? ['blob-storage'] : []), ...(worker.redis ? ['redis'] : []), ...(worker.internet ? [`${name}-internet`] : [])].sort()]);
      // No pod may open a connection to it: its own policy admits nothing, and no other policy selecting it does either.
      const ingress = policies.filter((policy) => selects(policy, template.metadata.labels) && (policy.spec.policyTypes ?? []).includes('Ingress'));
      expect([name, ingress.map((policy) => policy.metadata.name).sort(), ingress.flatMap((policy) => policy.spec.ingress ?? [])]).toEqual([name, ['default-deny', name].sort(), []]);
      // Nothing routes traffic to it.
      expect([name, named(objects, 'Service').filter((service) => Object.entries(service.spec.selector ?? {}).every(([key, value]) => template.metadata.labels[key] === value)).map((service) => service.metadata.name)]).toEqual([name, []]);
    }
    for (const name of WORKER_DEPLOYMENTS) {
      const worker = WORKERS[name]!;
      const deployment = find(objects, 'Deployment', name)!;
      const container = deployment.spec.template.spec.containers[0];
      expect(container.env).toContainEqual({ name: worker.healthEnv, value: String(worker.healthPort) });
      expect([container.livenessProbe.httpGet.path, probePort(container, container.livenessProbe)]).toEqual(['/healthz', worker.healthPort]);
      expect(container.readinessProbe).toBeUndefined();
      // Scaled by a plain count (k8s/README.md, Scaling), evicted one at a time, the statement in hand finished on SIGTERM.
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      expect(find(objects, 'HorizontalPodAutoscaler', name)).toBeUndefined();
      expect(find(objects, 'PodDisruptionBudget', name)!.spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector });
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(300);
      // The same migration runner as its subgraph's pods, so a release's worker waits for its store's migrations.
      expect(deployment.spec.template.spec.initContainers.map((each: Obj) => [each.image, each.command])).toEqual([[container.image, ['node', '--enable-source-maps', 'migrate.js', '--store', worker.subgraph]]]);
    }
  });

  it('keeps secrets out of ConfigMaps, and gives each service only its own', () => {
    expect(secretsInConfigMaps(objects)).toEqual([]);
    for (const service of SERVICES) {
      const pod = find(objects, 'Deployment', service)!.spec.template.spec;
      const secretRefs = [...pod.containers, ...(pod.initContainers ?? [])].flatMap((container: Obj) => (container.envFrom ?? []).filter((source: Obj) => source.secretRef).map((source: Obj) => source.secretRef.name));
      expect([...new Set(secretRefs.map(unhashed))]).toEqual([`${service}-secrets`]);
      if (overlay === 'prod') {
        const provider = find(objects, 'SecretProviderClass', service)!;
        expect(provider.spec.secretObjects.map((secret: Obj) => secret.secretName)).toEqual([`${service}-secrets`]);
        expect(provider.spec.parameters.keyvaultName).toBe(`harbour-prod-${service}`);
        expect(pod.volumes.find((volume: Obj) => volume.csi)?.csi.volumeAttributes).toEqual({ secretProviderClass: service });
        expect(pod.serviceAccountName).toBe(service);
        expect(find(objects, 'ServiceAccount', service)!.metadata.annotations['azure.workload.identity/client-id']).toBeDefined();
      } else {
        expect(Object.keys(find(objects, 'Secret', `${service}-secrets`)?.data ?? {}).length).toBeGreaterThan(0);
      }
    }
    if (overlay === 'prod') expect(named(objects, 'Secret')).toEqual([]);
  });

  it('exposes only the gateway, over TLS, on its public paths, with the supergraph shipped as a ConfigMap', () => {
    const ingresses = named(objects, 'Ingress');
    expect(ingresses).toHaveLength(1);
    const [ingress] = ingresses as [Obj];
    expect(ingress.spec.tls[0].hosts).toEqual([ingress.spec.rules[0].host]);
    const paths = ingress.spec.rules.flatMap((rule: Obj) => rule.http.paths);
    expect(new Set(paths.map((entry: Obj) => entry.backend.service.name))).toEqual(new Set(['gateway']));
    expect(paths.map((entry: Obj) => entry.path)).not.toContain('/metrics');
    const supergraph = find(objects, 'ConfigMap', 'supergraph')!;
    expect(supergraph.data['supergraph.graphql']).toBe(fs.readFileSync(path.join(root, 'schema', 'supergraph.graphql'), 'utf8'));
    const gateway = find(objects, 'Deployment', 'gateway')!.spec.template.spec;
    expect(gateway.volumes.find((volume: Obj) => volume.configMap)?.configMap.name).toBe(supergraph.metadata.name);
  });
});

test('the Dockerfile builds from base images pinned by digest and runs as a non-root user', () => {
  const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const images = [...dockerfile.matchAll(/^ARG NODE_IMAGE=(\S+)$/gm)].map((match) => match[1]);
  expect(images).toHaveLength(1);
  expect(images[0]).toMatch(/^node:20-bookworm-slim@sha256:[0-9a-f]{64}$/);
  expect([...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1])).toEqual(['${NODE_IMAGE}', '${NODE_IMAGE}']);
  expect(dockerfile).toMatch(/^USER 1000:1000$/m);
});

describe('the checks themselves', () => {
  const objects = render('dev');
  const clone = <T>(value: T): T => structuredClone(value);

  it('catch a pod without probes, writable, with capabilities, or an image by tag', () => {
    const deployment = clone(find(objects, 'Deployment', 'payment')!);
    const container = deployment.spec.template.spec.containers[0];
    delete container.readinessProbe;
    container.securityContext.readOnlyRootFilesystem = false;
    container.securityContext.capabilities = { add: ['NET_ADMIN'] };
    container.image = 'harbour/payment:latest';
    expect(podProblems(deployment)).toEqual([
      'payment/payment: probes',
      'payment/payment: writable root filesystem',
      'payment/payment: capabilities',
      'payment/payment: image harbour/payment:latest not pinned by digest',
    ]);
  });

  it('catch a subgraph opened to another caller or namespace', () => {
    const opened = clone(objects);
    find(opened, 'NetworkPolicy', 'timeline')!.spec.ingress[0].from.push({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'payment' } } }, { namespaceSelector: {} });
    const { callers, problems } = subgraphIngress(opened, 'timeline');
    expect(callers).toEqual(['gateway', 'payment', 'prometheus']);
    expect(problems).toHaveLength(1);
  });

  it('catch a scrape rule wider than the Prometheus pods (any pod of namespace monitoring)', () => {
    const opened = clone(objects);
    delete find(opened, 'NetworkPolicy', 'timeline')!.spec.ingress[1].from[0].podSelector;
    const { callers, problems } = subgraphIngress(opened, 'timeline');
    expect(callers).toEqual(['gateway']);
    expect(problems).toHaveLength(1);
  });

  it('catch a worker probed like a service, or let out to Redis', () => {
    const deployment = clone(find(objects, 'Deployment', 'statements')!);
    deployment.spec.template.spec.containers[0].livenessProbe.httpGet.path = '/health/live';
    expect(podProblems(deployment)).toEqual(['statements/statements: probes']);
    const redis = clone(find(objects, 'NetworkPolicy', 'redis')!);
    expect(selects(redis, deployment.spec.template.metadata.labels)).toBe(false);
    expect(selects(redis, find(objects, 'Deployment', 'payment')!.spec.template.metadata.labels)).toBe(true);
    delete redis.spec.podSelector.matchExpressions;
    expect(selects(redis, deployment.spec.template.metadata.labels)).toBe(true);
  });

  it('catch a secret copied into a ConfigMap', () => {
    const leaked = clone(objects);
    const secret = named(leaked, 'Secret')[0]!;
    const value = Buffer.from(Object.values(secret.data as Record<string, string>)[0]!, 'base64').toString('utf8');
    named(leaked, 'ConfigMap')[0]!.data.NOTE = `see ${value}`;
    expect(secretsInConfigMaps(leaked)).toHaveLength(1);
  });

  it('refuse a SecretProviderClass with a misspelt field', () => {
    const provider = clone(render('prod').find((object) => object.kind === 'SecretProviderClass')!);
    provider.spec.secretObject = provider.spec.secretObjects;
    expect(validators['secrets-store.csi.x-k8s.io/v1/SecretProviderClass']!(provider)).toMatch(/additional properties/);
  });
});
