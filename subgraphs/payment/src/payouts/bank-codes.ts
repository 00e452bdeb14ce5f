/**
 * The licensed banks of Hong Kong and their three-digit bank (clearing)
 * codes, the `bankCode` of a payout account (money-out.md, "Payout account").
 *
 * Source: the Hong Kong Monetary Authority's Register of Authorized
 * Institutions (licensed banks), https://apps.hkma.gov.hk/eng/index.php, and
 * the bank codes of the members of the clearing house published by Hong Kong
 * Interbank Clearing Limited (HKICL), https://www.hkicl.com.hk/ ("Information
 * Centre" → bank codes). As of: 2024. This table was written from knowledge
 * of those lists, not copied from a downloaded copy of them: it holds only
 * entries whose code and bank were certain, one code per bank (the bank's
 * own code, not the legacy codes a few banks also answer to, e.g. the former
 * sister banks of Bank of China (Hong Kong)). Names are the banks' English
 * names, in ASCII so they go into batch files unchanged.
 *
 * Banks are licensed, renamed, merged and leave: refresh this table from the
 * source whenever it changes (and at least once a year), and keep the as-of
 * date above current. A code missing here is refused as a payout account's
 * bank, so a missing bank shows up as a business that cannot be paid.
 */
const BANKS: readonly (readonly [code: string, name: string])[] = [
  // Licensed banks incorporated in Hong Kong.
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
  ['272', 'Bank of Singapore Limited'],
  // Bank of Communications' retail banking moved from its Hong Kong branch (027) to this subsidiary in 2018.
  ['382', 'Bank of Communications (Hong Kong) Limited'],
  // Virtual banks.
  ['387', 'ZA Bank Limited'],
  ['388', 'Livi Bank Limited'],
  ['389', 'Mox Bank Limited'],
  ['390', 'WeLab Bank Limited'],
  ['391', 'Fusion Bank Limited'],
  // Formerly Ping An OneConnect Bank (Hong Kong) Limited.
  ['392', 'PAO Bank Limited'],
  ['393', 'Ant Bank (Hong Kong) Limited'],
  ['395', 'Airstar Bank Limited'],

  // Licensed banks incorporated outside Hong Kong (their Hong Kong branches).
  ['005', 'Credit Agricole Corporate and Investment Bank'],
  ['006', 'Citibank, N.A.'],
  ['007', 'JPMorgan Chase Bank, N.A.'],
  ['008', 'NatWest Markets Plc'],
  ['022', 'Oversea-Chinese Banking Corporation Limited'],
  ['027', 'Bank of Communications Co., Ltd.'],
  ['045', 'UCO Bank'],
  // Formerly KEB Hana Bank.
  ['046', 'Hana Bank'],
  ['047', 'MUFG Bank, Ltd.'],
  ['049', 'Bangkok Bank Public Company Limited'],
  ['050', 'Indian Overseas Bank'],
  ['054', 'Deutsche Bank AG'],
  ['055', 'Bank of America, National Association'],
  ['056', 'BNP Paribas'],
  ['058', 'Bank of India'],
  ['060', 'National Bank of Pakistan'],
  ['063', 'Malayan Banking Berhad'],
  ['065', 'Sumitomo Mitsui Banking Corporation'],
  ['066', 'PT. Bank Negara Indonesia (Persero) Tbk.'],
  ['067', 'BDO Unibank, Inc.'],
  ['071', 'United Overseas Bank Limited'],
  ['074', 'Barclays Bank PLC'],
  ['076', 'The Bank of Nova Scotia'],
  ['080', 'Royal Bank of Canada'],
  ['081', 'Societe Generale'],
  ['082', 'State Bank of India'],
  ['085', 'The Toronto-Dominion Bank'],
  ['086', 'Bank of Montreal'],
  ['092', 'Canadian Imperial Bank of Commerce'],
  ['097', 'Commerzbank AG'],
  ['103', 'UBS AG'],
  ['109', 'Mizuho Bank, Ltd.'],
  ['113', 'DZ BANK AG Deutsche Zentral-Genossenschaftsbank, Frankfurt am Main'],
  ['118', 'Woori Bank'],
  ['119', 'Philippine National Bank'],
  ['138', 'Mitsubishi UFJ Trust and Banking Corporation'],
  ['139', 'The Bank of New York Mellon'],
  ['145', 'ING Bank N.V.'],
  ['147', 'Banco Bilbao Vizcaya Argentaria, S.A.'],
  ['150', 'National Australia Bank Limited'],
  ['151', 'Westpac Banking Corporation'],
  ['152', 'Australia and New Zealand Banking Group Limited'],
  ['153', 'Commonwealth Bank of Australia'],
  ['161', 'Intesa Sanpaolo S.p.A.'],
  ['170', 'The Chiba Bank, Ltd.'],
  ['178', 'KBC Bank N.V.'],
  ['180', 'Wells Fargo Bank, N.A.'],
  ['183', 'Cooperatieve Rabobank U.A.'],
  ['185', 'DBS Bank Ltd.'],
  ['186', 'The Shizuoka Bank, Ltd.'],
  ['188', 'The Hachijuni Bank, Ltd.'],
  ['198', 'Hua Nan Commercial Bank, Ltd.'],
  ['199', 'The Shiga Bank, Ltd.'],
  ['201', 'Bank of Taiwan'],
  ['202', 'The Chugoku Bank, Limited'],
  ['203', 'First Commercial Bank, Ltd.'],
  ['206', 'Chang Hwa Commercial Bank, Ltd.'],
  ['210', 'Natixis'],
  ['214', 'Industrial and Commercial Bank of China Limited'],
  ['220', 'State Street Bank and Trust Company'],
  ['221', 'China Construction Bank Corporation'],
  ['222', 'Agricultural Bank of China Limited'],
  ['227', 'Erste Group Bank AG'],
  ['229', 'CTBC Bank Co., Ltd.'],
  ['230', 'Taiwan Business Bank, Ltd.'],
  ['236', 'Cathay United Bank Company, Limited'],
  ['237', 'EFG Bank AG'],
  ['238', 'China Merchants Bank Co., Ltd.'],
  ['239', 'Taipei Fubon Commercial Bank Co., Ltd.'],
  ['241', 'Bank SinoPac'],
  ['242', 'Mega International Commercial Bank Co., Ltd.'],
  ['243', 'E.Sun Commercial Bank, Ltd.'],
  ['245', 'Taishin International Bank Co., Ltd.'],
  ['248', 'Hong Leong Bank Berhad'],
  ['251', 'ICICI Bank Limited'],
  ['258', 'East West Bank'],
  ['260', 'Far Eastern International Bank'],
  ['261', 'Axis Bank Limited'],
  ['262', 'Canara Bank'],
  ['263', 'Cathay Bank'],
  ['264', 'Land Bank of Taiwan Co., Ltd.'],
  ['265', 'Taiwan Cooperative Bank, Ltd.'],
  ['266', 'Punjab National Bank'],
  ['267', 'Banco Santander, S.A.'],
  ['268', 'Union Bank of India'],
  ['269', 'The Shanghai Commercial & Savings Bank, Ltd.'],
  ['271', 'Industrial Bank of Korea'],
  ['273', 'Shinhan Bank'],
  ['274', 'O-Bank Co., Ltd.'],
  ['276', 'China Development Bank'],
  ['277', 'First Abu Dhabi Bank PJSC'],
  ['278', 'Bank J. Safra Sarasin Ltd'],
  ['307', 'ABN AMRO Bank N.V.'],
  ['308', 'HDFC Bank Limited'],
  ['309', 'Union Bancaire Privee, UBP SA'],
  ['316', 'Skandinaviska Enskilda Banken AB'],
  ['320', 'Bank Julius Baer & Co. Ltd.'],
  ['324', 'Credit Industriel et Commercial'],
  ['337', 'Taiwan Shin Kong Commercial Bank Co., Ltd.'],
  ['339', 'CA Indosuez (Switzerland) SA'],
  ['341', 'ICBC Standard Bank Plc'],
  ['342', 'LGT Bank AG'],
  ['344', 'Macquarie Bank Limited'],
  ['345', 'Shanghai Pudong Development Bank Co., Ltd.'],
  ['353', 'China Minsheng Banking Corp., Ltd.'],
  ['368', 'China Everbright Bank Co., Ltd.'],
  ['371', 'Sumitomo Mitsui Trust Bank, Limited'],
  ['374', 'CIMB Bank Berhad'],
  ['377', 'Industrial Bank Co., Ltd.'],
  ['378', 'Yuanta Commercial Bank Co., Ltd.'],
  ['379', 'Mashreqbank PSC'],
  ['381', 'Kookmin Bank'],
  ['383', 'China Zheshang Bank Co., Ltd.'],
  ['385', 'Ping An Bank Co., Ltd.'],
  ['386', 'Hua Xia Bank Co., Limited'],
];

/** A typo here (a code twice, or not three digits) stops the service at start rather than hiding a bank. */
function table(entries: typeof BANKS): ReadonlyMap<string, string> {
  const banks = new Map<string, string>();
  for (const [code, name] of entries) {
    if (!/^[0-9]{3}$/.test(code) || name.trim() === '') throw new Error(`bank-codes.ts: malformed entry for code ${code}`);
    if (banks.has(code)) throw new Error(`bank-codes.ts: bank code ${code} is listed twice`);
    banks.set(code, name);
  }
  return banks;
}

/** Bank code (three digits) → the bank's English name. */
export const HK_BANKS: ReadonlyMap<string, string> = table(BANKS);

/** The name of the licensed bank with this code, or undefined if it is not in the table. */
export function bankName(code: string): string | undefined {
  return HK_BANKS.get(code);
}
