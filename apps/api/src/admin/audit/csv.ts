/**
 * One CSV field (RFC 4180). A value that a spreadsheet would run as a formula
 * (starting = + - @, tab or CR) gets a leading apostrophe: audit details carry text
 * that outsiders chose, such as a path a refused webhook named.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
