/** XML text helpers shared by the WSDL, response and fault writers. */

export const SOAP_ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SOAP12_ENVELOPE_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const XSD_NS = 'http://www.w3.org/2001/XMLSchema';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/**
 * Characters XML 1.0 cannot carry at all, even as references: C0 controls other than tab, LF and CR,
 * lone surrogates, U+FFFE and U+FFFF. A receiver's error text can contain them, so they are replaced
 * rather than allowed to make the whole response unparseable.
 */
const NOT_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** True when `value` holds a character no XML 1.0 document may contain. */
export function hasNonXmlChar(value: string): boolean {
  return value.search(NOT_XML_CHARS) !== -1;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A literal CR would be normalised to LF by the reader; the reference keeps it.
  '\r': '&#13;',
};

/** Escapes text for element content and attribute values alike. */
export function escapeXml(value: string): string {
  return value.replace(NOT_XML_CHARS, '\uFFFD').replace(/[&<>"'\r]/g, (c) => ESCAPES[c] ?? c);
}
