/**
 * Refuses, before validation and before any store, a REST request whose body,
 * query or path holds text no store can keep (a NUL, an unpaired surrogate),
 * naming the field. Without it SQLite would keep such text and PostgreSQL
 * would fail the write, so the same request would mean different things on
 * the two stores.
 */
import type { FastifyInstance } from 'fastify';
import { findUnstorableText } from '../../domain/text-safety.js';
import { invalidParameter } from '../../errors.js';

export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    // Spread: the query string parser's objects have a prototype of their own.
    const found =
      findUnstorableText({ ...(request.params as object) }) ??
      findUnstorableText({ ...(request.query as object) }) ??
      findUnstorableText(request.body);
    if (found) throw invalidParameter(found.field, found.reason);
  });
}
