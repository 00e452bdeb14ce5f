import { MalformedBankFile, readAnswerFile, readBatchFile, writeAnswerFile, writeBatchFile } from '../bank/batch-file';
import { answerBatch } from '../bank/simulator';
import { dayText, expectedArrivalDate, hongKongDay } from '../rules';

const batch = {
  batchId: 'pob_01JD0000000000000000000000',
  createdAt: new Date('2026-12-07T14:00:00.000Z'),
  currency: 'HKD',
  lines: [
    { payoutId: 'pyo_1', bankCode: '004', branchCode: '123', accountNumber: '123456789', accountHolderName: 'CHAN TAI MAN', amount: 12_345n, currency: 'HKD' },
    { payoutId: 'pyo_2', bankCode: '024', branchCode: '001', accountNumber: '000111999', accountHolderName: 'Wong, "Shop" Ltd', amount: 5n, currency: 'HKD' },
  ],
};

describe('the payout batch file', () => {
  it('is a header, a line per payout and a control total, RFC 4180 with CRLF', () => {
    expect(writeBatchFile(batch)).toBe(
      'H,pob_01JD0000000000000000000000,2026-12-07T14:00:00.000Z,2,123.50,HKD\r\n' +
        'D,pyo_1,004,123,123456789,CHAN TAI MAN,123.45,HKD\r\n' +
        'D,pyo_2,024,001,000111999,"Wong, ""Shop"" Ltd",0.05,HKD\r\n' +
        'T,pob_01JD0000000000000000000000,2,123.50\r\n',
    );
    expect(readBatchFile(writeBatchFile(batch))).toEqual(batch);
  });

  it('refuses a file whose lines do not add up to its control total or count', () => {
    const text = writeBatchFile(batch);
    expect(() => readBatchFile(text.replace('T,pob_01JD0000000000000000000000,2,123.50', 'T,pob_01JD0000000000000000000000,2,123.51'))).toThrow(MalformedBankFile);
    expect(() => readBatchFile(text.replace(',123.45,', ',123.44,'))).toThrow(MalformedBankFile);
    expect(() => readBatchFile(text.replace('T,pob_01JD0000000000000000000000,2,', 'T,pob_01JD0000000000000000000000,3,'))).toThrow(MalformedBankFile);
    expect(() => readBatchFile(text.split('\r\n').slice(1).join('\r\n'))).toThrow(MalformedBankFile);
  });

  it('the sandbox bank fails accounts ending in 999 with ACCOUNT_CLOSED and pays the rest', () => {
    expect(readAnswerFile(answerBatch(writeBatchFile(batch)))).toEqual([
      { payoutId: 'pyo_1', result: 'PAID', failureCode: null },
      { payoutId: 'pyo_2', result: 'FAILED', failureCode: 'ACCOUNT_CLOSED' },
    ]);
    expect(() => readAnswerFile('payout_id,result,failure_code\r\npyo_1,FAILED,\r\n')).toThrow(MalformedBankFile);
    expect(() => readAnswerFile('id,result\r\n')).toThrow(MalformedBankFile);
    expect(writeAnswerFile([])).toBe('payout_id,result,failure_code\r\n');
  });
});

describe('payout rules', () => {
  it('Hong Kong days and arrival: the weekday after the batch that takes it (before or after the cutoff)', () => {
    const cutoff = 22 * 60;
    // Monday 2026-12-07 10:00 HKT: today's batch, Tuesday.
    expect(dayText(expectedArrivalDate(new Date('2026-12-07T02:00:00Z'), cutoff))).toBe('2026-12-08');
    // Monday 23:00 HKT (15:00 UTC): Tuesday's batch, Wednesday.
    expect(dayText(expectedArrivalDate(new Date('2026-12-07T15:00:00Z'), cutoff))).toBe('2026-12-09');
    // Friday 10:00 HKT: Monday.
    expect(dayText(expectedArrivalDate(new Date('2026-12-11T02:00:00Z'), cutoff))).toBe('2026-12-14');
    // 2026-12-07 20:00 UTC is already 8 December in Hong Kong.
    expect(dayText(hongKongDay(new Date('2026-12-07T20:00:00Z')))).toBe('2026-12-08');
  });
});
