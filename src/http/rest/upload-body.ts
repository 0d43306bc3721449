/**
 * Reads a parcel upload's JSON body as it streams in, without ever holding
 * the file: the base64 "content" string is decoded piece by piece and handed
 * on, while every other member (small: fileName, the IDs) is collected whole
 * and parsed with JSON.parse.
 *
 * A general streaming JSON tokenizer (stream-json) was tried first: it emits
 * one token per 256 characters of a string, and at 100 MB that took 3.5 s
 * iterated with for-await and 5–7 s with pause/resume for backpressure,
 * stalling the event loop for up to 270 ms at a time. Scanning the bytes
 * here, where a string is found with indexOf, keeps each step proportional to
 * the chunk the socket delivered.
 */
import { GridhookError, invalidParameter } from '../../errors.js';

/** The largest a member other than content may be, as JSON text. */
export const MAX_MEMBER_BYTES = 65_536;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

type State = 'start' | 'keyOrEnd' | 'key' | 'keyText' | 'colon' | 'value' | 'content' | 'member' | 'afterValue' | 'done';

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function notJson(problem: string): GridhookError {
  return invalidParameter('body', `is not valid JSON (${problem}); send a JSON object`);
}

function isBlank(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

/**
 * The body's JSON object, fed in chunks. Members other than `contentKey` end
 * up in `members`; the characters of `contentKey`'s string go to `onContent`
 * in order, escapes resolved.
 */
export class UploadBodyScanner {
  readonly members = new Map<string, unknown>();
  #contentSeen = false;
  #state: State = 'start';
  #key = '';
  /** The raw JSON text of the key or member being read. */
  #raw: Buffer[] = [];
  #rawBytes = 0;
  /** Inside a member: nesting depth, inside a string, after a backslash. */
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** A \uXXXX escape inside content, as read so far (after the backslash). */
  #escape = '';
  #offset = 0;

  constructor(
    private readonly contentKey: string,
    private readonly onContent: (text: string) => void,
  ) {}

  get contentSeen(): boolean {
    return this.#contentSeen;
  }

  feed(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      at = this.#step(chunk, at);
    }
    this.#offset += chunk.length;
  }

  end(): void {
    if (this.#state !== 'done') {
      throw notJson(this.#state === 'start' ? 'the body is empty' : 'the body ends before its JSON object does');
    }
  }

  /** Consumes from `at` as far as the current state goes; answers where it stopped. */
  #step(chunk: Buffer, at: number): number {
    switch (this.#state) {
      case 'start':
      case 'keyOrEnd':
      case 'key':
      case 'colon':
      case 'value':
      case 'afterValue':
      case 'done':
        return this.#punctuation(chunk, at);
      case 'keyText':
        return this.#collect(chunk, at, true);
      case 'member':
        return this.#collect(chunk, at, false);
      case 'content':
        return this.#content(chunk, at);
    }
  }

  #punctuation(chunk: Buffer, at: number): number {
    const byte = chunk[at] as number;
    if (isBlank(byte)) return at + 1;
    const char = String.fromCharCode(byte);
    const unexpected = (): GridhookError =>
      notJson(`unexpected ${JSON.stringify(char)} at byte ${this.#offset + at}`);
    switch (this.#state) {
      case 'start':
        if (char !== '{') throw invalidParameter('body', 'must be a JSON object');
        this.#state = 'keyOrEnd';
        return at + 1;
      case 'keyOrEnd':
      case 'key':
        if (char === '}' && this.#state === 'keyOrEnd') {
          this.#state = 'done';
          return at + 1;
        }
        if (char !== '"') throw unexpected();
        this.#startRaw();
        this.#state = 'keyText';
        return this.#collect(chunk, at, true);
      case 'colon':
        if (char !== ':') throw unexpected();
        this.#state = 'value';
        return at + 1;
      case 'value':
        if (this.#key === this.contentKey && char === '"') {
          if (this.#contentSeen) throw invalidParameter(this.contentKey, 'appears twice; send the file once');
          this.#contentSeen = true;
          this.#state = 'content';
          return at + 1;
        }
        if (this.#key === this.contentKey) throw invalidParameter(this.contentKey, 'must be a string: the file, base64-encoded');
        this.#startRaw();
        this.#state = 'member';
        return this.#collect(chunk, at, false);
      case 'afterValue':
        if (char === ',') this.#state = 'key';
        else if (char === '}') this.#state = 'done';
        else throw unexpected();
        return at + 1;
      default:
        throw notJson(`unexpected ${JSON.stringify(char)} after the end of the object`);
    }
  }

  #startRaw(): void {
    this.#raw = [];
    this.#rawBytes = 0;
    this.#depth = 0;
    this.#inString = false;
    this.#escaped = false;
  }

  /**
   * Collects a key (a string) or a member value (any JSON) until it ends.
   * A scalar ends at the first byte that cannot belong to it, which is left
   * for the next state to read.
   */
  #collect(chunk: Buffer, from: number, isKey: boolean): number {
    let at = from;
    let ended = false;
    let consumedEnd = true;
    for (; at < chunk.length; at++) {
      const byte = chunk[at] as number;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (byte === BACKSLASH) this.#escaped = true;
        else if (byte === QUOTE) {
          this.#inString = false;
          if (this.#depth === 0) {
            ended = true;
            break;
          }
        }
        continue;
      }
      const started = this.#rawBytes + (at - from) > 0;
      if (byte === QUOTE) {
        if (this.#depth === 0 && started) {
          ended = true;
          consumedEnd = false;
          break;
        }
        this.#inString = true;
      } else if (byte === 0x7b || byte === 0x5b) {
        this.#depth += 1;
      } else if (byte === 0x7d || byte === 0x5d) {
        if (this.#depth === 0) {
          ended = true;
          consumedEnd = false;
          break;
        }
        this.#depth -= 1;
        if (this.#depth === 0) {
          ended = true;
          break;
        }
      } else if (this.#depth === 0 && (byte === 0x2c || isBlank(byte))) {
        ended = true;
        consumedEnd = false;
        break;
      }
    }
    const end = ended && consumedEnd ? at + 1 : at;
    this.#raw.push(chunk.subarray(from, end));
    this.#rawBytes += end - from;
    if (this.#rawBytes > MAX_MEMBER_BYTES) {
      throw invalidParameter(
        isKey ? 'body' : this.#key,
        `is larger than ${MAX_MEMBER_BYTES} bytes of JSON; only content may be large`,
      );
    }
    if (!ended) {
      // The member goes on in the next chunk, which may reuse this one's memory.
      this.#raw = [Buffer.concat(this.#raw)];
      return chunk.length;
    }
    const text = Buffer.concat(this.#raw).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw notJson(`${isKey ? 'a member name' : `the value of ${JSON.stringify(this.#key)}`} is malformed`);
    }
    if (isKey) {
      this.#key = value as string;
      this.#state = 'colon';
    } else {
      this.members.set(this.#key, value);
      this.#state = 'afterValue';
    }
    return end;
  }

  /** Streams the content string's characters out, up to its closing quote. */
  #content(chunk: Buffer, from: number): number {
    let at = from;
    if (this.#escape !== '' || (at < chunk.length && this.#escaped)) {
      at = this.#finishEscape(chunk, at);
      if (at >= chunk.length) return at;
    }
    const quote = chunk.indexOf(QUOTE, at);
    const limit = quote === -1 ? chunk.length : quote;
    const backslash = chunk.indexOf(BACKSLASH, at);
    const stop = backslash !== -1 && backslash < limit ? backslash : limit;
    if (stop > at) this.onContent(chunk.toString('latin1', at, stop));
    if (stop === limit && quote !== -1) {
      this.#state = 'afterValue';
      return quote + 1;
    }
    if (stop === backslash) {
      this.#escaped = true;
      return this.#finishEscape(chunk, backslash + 1);
    }
    return chunk.length;
  }

  /** Reads an escape after its backslash, possibly across chunks. */
  #finishEscape(chunk: Buffer, from: number): number {
    let at = from;
    if (this.#escape === '') {
      if (at >= chunk.length) return at;
      const char = String.fromCharCode(chunk[at] as number);
      at += 1;
      if (char !== 'u') {
        const decoded = SIMPLE_ESCAPES[char];
        if (decoded === undefined) throw notJson(`the escape \\${char} in ${this.contentKey}`);
        this.#escaped = false;
        this.onContent(decoded);
        return at;
      }
      this.#escape = 'u';
    }
    while (this.#escape.length < 5 && at < chunk.length) {
      this.#escape += String.fromCharCode(chunk[at] as number);
      at += 1;
    }
    if (this.#escape.length === 5) {
      const hex = this.#escape.slice(1);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) throw notJson(`the escape \\u${hex} in ${this.contentKey}`);
      this.#escape = '';
      this.#escaped = false;
      this.onContent(String.fromCharCode(Number.parseInt(hex, 16)));
    }
    return at;
  }
}

/**
 * Standard base64 (RFC 4648 §4), decoded as it arrives. Line breaks and
 * spaces are skipped, as MIME encoders write them; padding is optional but,
 * when present, only at the end.
 */
export class Base64Decoder {
  #carry = '';
  #padded = false;
  /** Characters seen, for pointing at a bad one. */
  #seen = 0;

  constructor(private readonly field: string) {}

  push(text: string): Buffer {
    const start = this.#seen;
    this.#seen += text.length;
    let data = /[\t\n\r ]/.test(text) ? text.replace(/[\t\n\r ]+/g, '') : text;
    const bad = /[^A-Za-z0-9+/=]/.exec(data);
    if (bad) {
      const position = start + text.indexOf(bad[0]);
      throw invalidParameter(
        this.field,
        `is not valid base64: ${describeChar(bad[0])} at character ${position + 1}; encode the file with standard base64`,
      );
    }
    const pad = data.indexOf('=');
    if (this.#padded || pad !== -1) {
      const tail = this.#padded ? data : data.slice(pad);
      if (/[^=]/.test(tail)) {
        throw invalidParameter(this.field, 'is not valid base64: "=" padding may only come at the end');
      }
      this.#padded = true;
    }
    data = this.#carry + data;
    const whole = data.length - (data.length % 4);
    this.#carry = data.slice(whole);
    return whole === 0 ? Buffer.alloc(0) : this.#decode(data.slice(0, whole));
  }

  /** The last bytes, once the string has ended. */
  end(): Buffer {
    const rest = this.#carry;
    this.#carry = '';
    if (rest === '') return Buffer.alloc(0);
    if (rest.length === 1 || this.#padded) {
      throw invalidParameter(this.field, 'is not valid base64: it ends in the middle of a group of four characters');
    }
    return Buffer.from(rest, 'base64');
  }

  #decode(quads: string): Buffer {
    const pads = quads.length - quads.replace(/=+$/, '').length;
    if (pads > 2 || (pads > 0 && (quads.length - pads) % 4 < 2)) {
      throw invalidParameter(this.field, 'is not valid base64: too much "=" padding');
    }
    return Buffer.from(quads, 'base64');
  }
}

function describeChar(char: string): string {
  const code = char.charCodeAt(0);
  return code < 0x20 || code > 0x7e ? `the character U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `"${char}"`;
}
