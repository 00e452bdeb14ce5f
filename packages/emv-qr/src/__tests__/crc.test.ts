import { crc16CcittFalse, crcHex } from '../..';

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the catalogued check value for "123456789"', () => {
    expect(crc16CcittFalse('123456789')).toBe(0x29b1);
    expect(crcHex('123456789')).toBe('29B1');
  });

  it('starts from 0xFFFF with no final XOR', () => {
    expect(crcHex('')).toBe('FFFF');
    expect(crcHex('A')).toBe('B915');
  });

  it('checksums a string as its UTF-8 bytes', () => {
    expect(crc16CcittFalse('北京')).toBe(crc16CcittFalse(Buffer.from('北京', 'utf8')));
    expect(crc16CcittFalse('北京')).not.toBe(crc16CcittFalse(Buffer.from('北京', 'utf16le')));
  });

  it('pads to four uppercase hex digits', () => {
    // Search for an input whose CRC is below 0x1000, so the padding is exercised.
    let input = 0;
    while (crc16CcittFalse(String(input)) >= 0x1000) input++;
    expect(crcHex(String(input))).toMatch(/^0[0-9A-F]{3}$/);
  });

  it('matches the CRC of the EMVCo specification sample', () => {
    const sample =
      '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT' +
      '6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME' +
      '91320016A0112233449988770708123456786304';
    expect(crcHex(sample)).toBe('A13A');
  });
});
