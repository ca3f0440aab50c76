/**
 * Tracking ids are OpenTelemetry trace ids (design 3.1): 128 bits as 32 lower-case hex characters,
 * returned to callers in the X-Tracking-ID header.
 */

const TRACE_ID = /^[0-9a-f]{32}$/;
/** A W3C `traceparent` header value: version-traceid-spanid-flags. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Returns the id in the form the services log it (lower case).
 * @throws RangeError saying what a tracking id looks like
 */
export function normalizeTrackingId(text: string): string {
  const id = text.trim().toLowerCase();
  if (TRACE_ID.test(id)) {
    if (/^0+$/.test(id))
      throw new RangeError('the all-zero trace id is invalid (W3C Trace Context); no request has it');
    return id;
  }
  const traceparent = id.match(TRACEPARENT);
  if (traceparent) {
    throw new RangeError(
      `"${shorten(text)}" is a traceparent header; its tracking id is the second part: ${traceparent[1]}`,
    );
  }
  return invalid(text);
}

function invalid(text: string): never {
  throw new RangeError(
    `"${shorten(text)}" is not a tracking id: expected 32 hexadecimal characters, ` +
      'the X-Tracking-ID response header, e.g. 4bf92f3577b34da6a3ce929d0e0e4736',
  );
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
