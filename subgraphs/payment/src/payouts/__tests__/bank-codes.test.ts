import { readFileSync } from 'node:fs';
import path from 'node:path';
import { HK_BANKS, bankName } from '../bank-codes';

describe('the Hong Kong bank-code table', () => {
  it('has three-digit codes and non-empty, trimmed, printable ASCII names', () => {
    for (const [code, name] of HK_BANKS) {
      expect(code).toMatch(/^[0-9]{3}$/);
      expect(name.trim()).toBe(name);
      expect(name).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('lists every code once (as many codes as entries in the source)', () => {
    const source = readFileSync(path.join(__dirname, '..', 'bank-codes.ts'), 'utf8');
    const entries = source.match(/^ {2}\['[0-9]{3}', '/gm) ?? [];
    expect(entries.length).toBeGreaterThan(100);
    expect(HK_BANKS.size).toBe(entries.length);
  });

  it('names its source and as-of date in its header', () => {
    const source = readFileSync(path.join(__dirname, '..', 'bank-codes.ts'), 'utf8');
    expect(source).toMatch(/https:\/\/apps\.hkma\.gov\.hk\//);
    expect(source).toMatch(/https:\/\/www\.hkicl\.com\.hk\//);
    expect(source).toMatch(/As of: \d{4}/);
  });

  it.each([
    ['003', 'Standard Chartered Bank (Hong Kong) Limited'],
    ['004', 'The Hongkong and Shanghai Banking Corporation Limited'],
    ['009', 'China Construction Bank (Asia) Corporation Limited'],
    ['012', 'Bank of China (Hong Kong) Limited'],
    ['015', 'The Bank of East Asia, Limited'],
    ['016', 'DBS Bank (Hong Kong) Limited'],
    ['018', 'China CITIC Bank International Limited'],
    ['020', 'CMB Wing Lung Bank Limited'],
    ['024', 'Hang Seng Bank, Limited'],
    ['025', 'Shanghai Commercial Bank Limited'],
    ['027', 'Bank of Communications Co., Ltd.'],
    ['028', 'Public Bank (Hong Kong) Limited'],
    ['035', 'OCBC Bank (Hong Kong) Limited'],
    ['038', 'Tai Yau Bank, Limited'],
    ['039', 'Chiyu Banking Corporation Limited'],
    ['040', 'Dah Sing Bank, Limited'],
    ['041', 'Chong Hing Bank Limited'],
    ['043', 'Nanyang Commercial Bank, Limited'],
    ['061', 'Tai Sang Bank Limited'],
    ['072', 'Industrial and Commercial Bank of China (Asia) Limited'],
    ['128', 'Fubon Bank (Hong Kong) Limited'],
    ['250', 'Citibank (Hong Kong) Limited'],
    ['382', 'Bank of Communications (Hong Kong) Limited'],
    ['387', 'ZA Bank Limited'],
    ['388', 'Livi Bank Limited'],
    ['389', 'Mox Bank Limited'],
    ['390', 'WeLab Bank Limited'],
    ['391', 'Fusion Bank Limited'],
    ['392', 'PAO Bank Limited'],
    ['393', 'Ant Bank (Hong Kong) Limited'],
    ['395', 'Airstar Bank Limited'],
    ['006', 'Citibank, N.A.'],
    ['047', 'MUFG Bank, Ltd.'],
    ['214', 'Industrial and Commercial Bank of China Limited'],
  ])('%s is %s', (code, name) => {
    expect(bankName(code)).toBe(name);
  });

  it.each(['000', '999', '3', '0003', '', 'abc'])('knows no bank %p', (code) => {
    expect(bankName(code)).toBeUndefined();
  });
});
