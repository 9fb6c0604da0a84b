import { maskCardNumber } from './card-number';

const clearDigits = (value: string) => (value.match(/[0-9]/g) ?? []).length;

describe('maskCardNumber', () => {
  it('masks a full PAN to the first six and last four digits', () => {
    expect(maskCardNumber('4111111111111111')).toBe('411111______1111');
  });

  it('leaves an already-masked number as it is', () => {
    expect(maskCardNumber('342170______9554')).toBe('342170______9554');
  });

  it('removes spaces and dashes before masking', () => {
    expect(maskCardNumber('4111 1111 1111 1111')).toBe('411111______1111');
    expect(maskCardNumber('4111-1111-1111-1111')).toBe('411111______1111');
    expect(maskCardNumber(' 3421 70-__ ____-9554 ')).toBe('342170______9554');
  });

  it('keeps the length of the compacted number', () => {
    expect(maskCardNumber('378282246310005')).toBe('378282_____0005');
    expect(maskCardNumber('6011111111111111117')).toBe('601111_________1117');
  });

  it('shows only the last four digits of a number too short to hide the middle', () => {
    expect(maskCardNumber('123456789012')).toBe('________9012');
    expect(maskCardNumber('123456789')).toBe('_____6789');
  });

  it('masks a very short input completely', () => {
    expect(maskCardNumber('1234567')).toBe('_______');
    expect(maskCardNumber('1234')).toBe('____');
    expect(maskCardNumber('')).toBe('');
  });

  it('never returns more than 10 digits in clear', () => {
    for (let length = 0; length <= 30; length++) {
      const pan = '9876543210'.repeat(3).slice(0, length);
      const masked = maskCardNumber(pan);
      expect(clearDigits(masked)).toBeLessThanOrEqual(10);
      expect(masked).toHaveLength(length);
      if (length > 10) expect(masked.slice(6, -4)).toMatch(/^_+$/);
    }
  });
});
