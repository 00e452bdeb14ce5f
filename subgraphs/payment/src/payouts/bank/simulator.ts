import { readBatchFile, writeAnswerFile, type AnswerLine } from './batch-file';

/**
 * The sandbox bank (money-out.md): answers a batch file as a bank would, line
 * by line. An account whose number ends in `999` is closed (`FAILED`,
 * `ACCOUNT_CLOSED`); every other is paid. Never used in production mode.
 */
export function answerBatch(batchFileText: string): string {
  const batch = readBatchFile(batchFileText);
  const answers = batch.lines.map((line): AnswerLine =>
    line.accountNumber.endsWith('999') ? { payoutId: line.payoutId, result: 'FAILED', failureCode: 'ACCOUNT_CLOSED' } : { payoutId: line.payoutId, result: 'PAID', failureCode: null },
  );
  return writeAnswerFile(answers);
}
