import { csvField, csvLine } from './csv';

describe('audit CSV', () => {
  it('leaves plain values as they are', () => {
    expect(csvLine(['device.revoked', 42, 'ops@bank.example'])).toBe('device.revoked,42,ops@bank.example\r\n');
  });

  it('quotes a value with a comma, a quote or a line break, doubling its quotes', () => {
    expect(csvField('Airline, inc.')).toBe('"Airline, inc."');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes nothing for a missing value', () => {
    expect(csvLine([null, undefined, ''])).toBe(',,\r\n');
  });

  it('writes objects as JSON', () => {
    expect(csvField({ by: 'admin' })).toBe('"{""by"":""admin""}"');
  });

  it('defuses values a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});
