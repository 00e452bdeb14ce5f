import type { BlobStore } from '@harbour/blob';
import type { Statement } from '@harbour/prisma/payment';
import { money } from '../money';

/**
 * A statement as the graph answers it. A READY statement's download URL is
 * signed here, on every read (read-only, for STATEMENT_URL_TTL_SECONDS),
 * never stored: whoever may read the statement gets a URL that works now.
 */
export function statementAnswer(statement: Statement, files: BlobStore, urlTtlSeconds: number) {
  const ready = statement.status === 'READY' && statement.blobName !== null;
  const signed = ready ? files.readUrl(statement.blobName!, urlTtlSeconds) : null;
  const balance = (amount: bigint | null) => (ready && amount !== null ? money(amount, statement.currency) : null);
  return {
    id: statement.id,
    status: statement.status,
    format: statement.format,
    from: statement.from,
    to: statement.to,
    createdAt: statement.createdAt,
    rowCount: ready ? statement.rowCount : null,
    openingBalance: balance(statement.openingBalance),
    closingBalance: balance(statement.closingBalance),
    downloadUrl: signed?.url ?? null,
    downloadUrlExpiresAt: signed?.expiresAt ?? null,
    failureCode: statement.status === 'FAILED' ? statement.failureCode : null,
  };
}
