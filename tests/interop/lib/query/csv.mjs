// A strict RFC 4180 reader for the csv tests: records end with CRLF, quoted fields may hold
// commas, quotes ("") and line breaks. Returns rows of fields; a field is { text, quoted } so
// that the tests can tell NULL (empty, unquoted) from '' (empty, quoted).
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let i = 0;
  const fail = (what) => {
    throw new Error(`invalid CSV at offset ${i}: ${what}`);
  };
  while (i < text.length) {
    let field;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      field = { text: value, quoted: true };
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',' && text[j] !== '\r' && text[j] !== '\n') {
        if (text[j] === '"') fail('quote inside an unquoted field');
        j++;
      }
      field = { text: text.slice(i, j), quoted: false };
      i = j;
    }
    row.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      i += 2;
      rows.push(row);
      row = [];
      continue;
    }
    fail(text[i] === '\n' ? 'bare LF line end (RFC 4180 wants CRLF)' : 'expected , or CRLF');
  }
  if (row.length) fail('last record without CRLF');
  return rows;
}
