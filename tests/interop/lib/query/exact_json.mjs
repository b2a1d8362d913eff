// A strict JSON parser that keeps every number's text, so that bigint values beyond 2^53 and
// the exact digits of doubles survive (JSON.parse turns them all into doubles). Numbers come
// back as JsonNumber; everything else as JSON.parse would return it.

export class JsonNumber {
  constructor(text) {
    this.text = text;
  }
  toBigInt() {
    if (!/^-?\d+$/.test(this.text)) throw new Error(`not an integer: ${this.text}`);
    return BigInt(this.text);
  }
  toNumber() {
    return Number(this.text);
  }
}

export function parseExactJson(text) {
  let i = 0;
  const fail = (what) => {
    throw new Error(`invalid JSON at offset ${i}: ${what}; near ${JSON.stringify(text.slice(Math.max(0, i - 40), i + 40))}`);
  };
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = string();
        ws();
        if (text[i++] !== ':') fail('expected :');
        obj[k] = value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] !== '}') fail('expected , or }');
        return obj;
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] !== ']') fail('expected , or ]');
        return arr;
      }
    }
    if (c === '"') return string();
    if (text.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('false', i)) {
      i += 5;
      return false;
    }
    if (text.startsWith('null', i)) {
      i += 4;
      return null;
    }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) fail('unexpected character');
    i += m[0].length;
    return new JsonNumber(m[0]);
  };
  const string = () => {
    // Find the closing quote, then let JSON.parse decode the escapes (it is exact for strings).
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) fail('raw control character in a string');
      i++;
    }
    if (i >= text.length) fail('unterminated string');
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return v;
}
