/**
 * `npm run build:service -- <service> [--out <dir>]`: one service as a
 * self-contained production bundle, what its container image runs.
 *
 * The service's entry point and everything it imports (workspace packages,
 * the generated Prisma client, production dependencies) become one CommonJS
 * file, `main.js`; a subgraph also gets `migrate.js`, the migration runner its
 * init container runs (`node migrate.js --store <name>`). Files read at run
 * time (the SDL, migrations, the supergraph, the explorer's files) are copied
 * beside it at their paths in the repository, and every `__dirname` in our
 * sources is rewritten to the bundle's copy of its folder, so code that finds
 * a file next to itself finds it in the bundle too. The output needs no
 * node_modules; the build fails if a devDependency would be bundled.
 *
 * Default output: `dist/services/<service>/`.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { SUBGRAPHS, isSubgraphName } from '@harbour/config';

const root = path.resolve(__dirname, '..');
const SERVICES = [...SUBGRAPHS, 'gateway'] as const;

interface ServiceBundle {
  /** Output file name (without `.js`) → entry point, relative to the repository. */
  entries: Record<string, string>;
  /** Files and folders read at run time, copied to the same relative path. */
  files: string[];
  /** Packages the service reads files of at run time (through `require.resolve` from its workspace), and which of their files. */
  packageFiles: { workspace: string; files: Record<string, string[]> } | undefined;
}

function bundleOf(service: string): ServiceBundle {
  if (isSubgraphName(service)) {
    return {
      entries: {
        main: `subgraphs/${service}/src/main.ts`,
        migrate: 'prisma/src/migrate/cli.ts',
        // The payment subgraph's workers, each its own process from the same image (k8s/base/payment/payouts-cronjob.yaml, statements-deployment.yaml).
        ...(service === 'payment' ? { payouts: 'subgraphs/payment/src/payouts/run/main.ts', statements: 'subgraphs/payment/src/statements/worker/main.ts' } : {}),
        // The notification subgraph's webhook delivery worker (k8s/base/notification/webhooks-deployment.yaml).
        ...(service === 'notification' ? { webhooks: 'subgraphs/notification/src/webhooks/worker/main.ts' } : {}),
      },
      files: [`subgraphs/${service}/schema.graphql`, `prisma/${service}/migrations`],
      // Statements' PDFs embed a Traditional Chinese font (statements/render/pdf.ts), its licence beside it.
      packageFiles:
        service === 'payment'
          ? { workspace: 'subgraphs/payment', files: { '@expo-google-fonts/noto-sans-hk': ['package.json', '400Regular/NotoSansHK_400Regular.ttf', 'LICENSE_FONT'] } }
          : undefined,
    };
  }
  return {
    entries: { main: 'gateway/src/main.ts' },
    files: ['schema/supergraph.graphql', 'schema/trusted-documents', 'gateway/src/explorer/static'],
    // The explorer serves React's and GraphiQL's UMD builds as they are (gateway/src/explorer/assets.ts).
    packageFiles: {
      workspace: 'gateway',
      files: {
        react: ['package.json', 'umd/react.production.min.js'],
        'react-dom': ['package.json', 'umd/react-dom.production.min.js'],
        graphiql: ['package.json', 'graphiql.min.js', 'graphiql.min.css'],
      },
    },
  };
}

/** Our sources' `__dirname`, pointed at the same folder inside the bundle (the bundle's root mirrors the repository). */
const ownDirnames: Plugin = {
  name: 'own-dirnames',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, 'utf8');
      if (!source.includes('__dirname')) return undefined;
      const folder = path.relative(root, path.dirname(args.path)).split(path.sep).join('/');
      const contents = source.replace(/\b__dirname\b/g, `require('node:path').join(__dirname, ${JSON.stringify(folder)})`);
      return { contents, loader: path.extname(args.path).endsWith('ts') ? 'ts' : 'js' };
    });
  },
};

/**
 * `@apollo/utils.createhash` hashes with Node's crypto only when
 * `module.require` exists, and a bundle's module objects have none: every
 * query hash (Apollo Server hashes each request's document; the gateway
 * hashes again for its plan cache) would fall back to sha.js, SHA-256 in
 * plain JavaScript. The bundle gets the same function on Node's crypto
 * instead, and sha.js is not bundled at all.
 */
const NODE_CREATE_HASH = "'use strict';\nObject.defineProperty(exports, '__esModule', { value: true });\nexports.createHash = (kind) => require('node:crypto').createHash(kind);\n";
const nodeCreateHash: Plugin = {
  name: 'node-create-hash',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^@apollo\/utils\.createhash$/ }, () => ({ path: 'node-create-hash', namespace: 'harbour' }));
    esbuild.onLoad({ filter: /^node-create-hash$/, namespace: 'harbour' }, () => ({ contents: NODE_CREATE_HASH, loader: 'js' }));
  },
};

/**
 * Azure's SDK packages (`@azure/storage-blob` and what it uses) ship an ES
 * build that finds its own files through `import.meta.url`, which a CommonJS
 * bundle leaves empty: `@azure/storage-common`'s crc64.js throws as it loads,
 * and with it every process that stores blobs. The bundle takes their
 * CommonJS build instead, resolved as a `require` would.
 */
const azureCommonJs: Plugin = {
  name: 'azure-commonjs',
  setup(esbuild) {
    esbuild.onResolve({ filter: /^@azure\// }, async (args) => {
      if (args.kind === 'require-call' || (args.pluginData as { azureCommonJs?: boolean } | undefined)?.azureCommonJs) return undefined;
      const resolved = await esbuild.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, importer: args.importer, pluginData: { azureCommonJs: true } });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, external: resolved.external, sideEffects: resolved.sideEffects };
    });
  },
};

/** The package a bundled input belongs to, when it comes from node_modules. */
function packageOf(input: string): string | undefined {
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input.split(path.sep).join('/'));
  return match?.[1];
}

function copy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true });
}

async function buildService(service: string, out: string): Promise<void> {
  const bundle = bundleOf(service);
  fs.rmSync(out, { recursive: true, force: true });
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(bundle.entries).map(([name, entry]) => [name, path.join(root, entry)])),
    outdir: out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    metafile: true,
    logLevel: 'error',
    // The repository's tsconfig maps graphql-ws/use/ws to its type declarations for the type checker; the bundle needs the code.
    tsconfigRaw: {},
    plugins: [ownDirnames, nodeCreateHash, azureCommonJs],
  });

  const devDependencies = new Set(Object.keys((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies));
  const bundledDev = new Set(Object.keys(result.metafile.inputs).map(packageOf).filter((name): name is string => name !== undefined && devDependencies.has(name)));
  if (bundledDev.size > 0) throw new Error(`${service} would bundle devDependencies: ${[...bundledDev].join(', ')}`);

  for (const file of bundle.files) if (fs.existsSync(path.join(root, file))) copy(path.join(root, file), path.join(out, file));
  if (bundle.packageFiles) {
    const requireFromWorkspace = createRequire(path.join(root, bundle.packageFiles.workspace, 'package.json'));
    for (const [name, files] of Object.entries(bundle.packageFiles.files)) {
      const from = path.dirname(requireFromWorkspace.resolve(`${name}/package.json`));
      for (const file of files) copy(path.join(from, file), path.join(out, 'node_modules', name, file));
    }
  }
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name: `harbour-${service}`, private: true, type: 'commonjs' }, null, 2)}\n`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' } } });
  const [service] = positionals;
  if (positionals.length !== 1 || !(SERVICES as readonly string[]).includes(service!)) {
    throw new Error(`usage: npm run build:service -- <${SERVICES.join('|')}> [--out <dir>]`);
  }
  const out = path.resolve(values.out ?? path.join(root, 'dist', 'services', service!));
  await buildService(service!, out);
  console.log(`${service}: ${path.relative(process.cwd(), out) || '.'}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
