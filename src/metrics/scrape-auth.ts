import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether an Authorization header carries the metrics bearer token. Compared
 * as digests in constant time, so the answer's timing tells nothing of the
 * token. No token configured: every scrape is allowed.
 */
export function scrapeAllowed(authorization: string | undefined, token: string): boolean {
  if (token === '') return true;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (match === null) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1] as string), digest(token));
}

export const UNAUTHORIZED_TEXT =
  'metrics: send the token set in GRIDHOOK_METRICS_TOKEN as the header "Authorization: Bearer <token>"\n';
