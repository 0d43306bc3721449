/**
 * The one boundary for text gridhook did not write itself. Both stores must
 * accept everything they are given: PostgreSQL refuses a NUL in TEXT and
 * UTF-8 cannot encode an unpaired surrogate, so such text either fails a whole
 * write (receiver answers) or is refused with the field named (caller input).
 */

/** C0 controls but tab and newline, DEL, and C1 controls: they garble logs and terminals. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]+/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LONE_SURROGATE = new RegExp(LONE_SURROGATES.source);

/**
 * Text that came from a receiver (an answer's body, status line or headers, an
 * error a connection produced), made storable: unpaired surrogates become
 * U+FFFD, controls become one space, and it is cut to `maxChars` without
 * splitting a surrogate pair.
 */
export function cleanReceiverText(text: string, maxChars: number): string {
  // Cut before cleaning: cleaning never lengthens text, and only what is kept
  // is worth the work; an answer can be far longer than that.
  if (text.length <= maxChars) return text.replace(LONE_SURROGATES, '\ufffd').replace(CONTROL, ' ');
  let end = maxChars;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end).replace(LONE_SURROGATES, '\ufffd').replace(CONTROL, ' ')}…`;
}

/** Why a caller's string cannot be stored, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character (U+0000); remove it';
  if (LONE_SURROGATE.test(text)) {
    return 'must be valid Unicode: it contains an unpaired UTF-16 surrogate; send well-formed text';
  }
  return null;
}

/**
 * The path (`customHeaders.X-Name`, `items[2].fileName`) of the first string
 * or object key in `value` that cannot be stored, with the reason; null when
 * every one can. Only JSON's shapes are walked: a Buffer or a stream (a raw
 * upload) is not text.
 */
export function findUnstorableText(value: unknown, path = ''): { field: string; reason: string } | null {
  // A loop, not recursion: a hostile body may nest arrays deeper than the stack.
  const pending: [unknown, string][] = [[value, path]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [item, at] = next;
    if (typeof item === 'string') {
      const reason = unstorableText(item);
      if (reason !== null) return { field: at || 'body', reason };
    } else if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) pending.push([item[i], `${at}[${i}]`]);
    } else if (isPlainObject(item)) {
      const entries = Object.entries(item);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, member] = entries[i]!;
        const field = at ? `${at}.${key}` : key;
        const keyReason = unstorableText(key);
        if (keyReason !== null) return { field, reason: `(the name) ${keyReason}` };
        pending.push([member, field]);
      }
    }
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
