import { parse } from 'graphql';
import { operationEntry, readManifest, type ManifestOperation, type PersistedQueryManifest } from './manifest';

const TRUSTED_TEXTS_KEPT = 1_000;

/** A text's one operation (and its fragments) as a manifest would list it; undefined when it does not parse or holds more. */
function soleOperation(text: string, operationName?: string | null): ManifestOperation | undefined {
  try {
    return operationEntry(parse(text), operationName, { alone: true });
  } catch {
    return undefined;
  }
}

/**
 * The operations of the gateway's manifests: by id for requests that send
 * only a hash, and by printed form for requests that send the text (so the
 * same operation with other comments or spacing is still recognised).
 */
export class TrustedDocuments {
  private readonly bodies = new Map<string, string>();
  private readonly printedIds = new Set<string>();
  /** Texts already found trusted, as clients send them (parsing and printing one costs ~0.1 ms); only these, so no client can fill it with junk. */
  private readonly trustedTexts = new Set<string>();

  constructor(manifests: Array<{ file: string; manifest: PersistedQueryManifest }>) {
    for (const { file, manifest } of manifests) {
      for (const operation of manifest.operations) {
        const registered = this.bodies.get(operation.id);
        if (registered !== undefined && registered !== operation.body) throw new Error(`${file}: id ${operation.id} is registered with two different bodies.`);
        // Ids are the client's to choose (Apollo's format allows any); the printed form is ours to compare texts by.
        const printed = soleOperation(operation.body, operation.name || undefined);
        if (!printed) throw new Error(`${file}: operation ${operation.name || operation.id} is not one parseable operation with its fragments.`);
        this.bodies.set(operation.id, operation.body);
        this.printedIds.add(printed.id);
      }
    }
  }

  /** Reads every manifest (a malformed one throws, naming its file). */
  static fromFiles(files: string[]): TrustedDocuments {
    return new TrustedDocuments(files.map((file) => ({ file, manifest: readManifest(file) })));
  }

  /** The registered body under an id, if any. */
  bodyOf(id: string): string | undefined {
    return this.bodies.get(id);
  }

  /** Whether a query text is a registered operation (and nothing else), whatever its comments and spacing. */
  isTrusted(query: string, operationName?: string | null): boolean {
    const key = `${operationName ?? ''}\n${query}`;
    if (this.trustedTexts.has(key)) return true;
    const entry = soleOperation(query, operationName);
    if (entry === undefined || !this.printedIds.has(entry.id)) return false;
    // Spacing variants of registered operations are few; the bound only guards against a client varying them on purpose.
    if (this.trustedTexts.size >= TRUSTED_TEXTS_KEPT) this.trustedTexts.clear();
    this.trustedTexts.add(key);
    return true;
  }
}
