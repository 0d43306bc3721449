/**
 * Plans that follow the tables' growth. PostgreSQL plans each named
 * statement, and each statement inside a function, once per connection,
 * from what it knows of the tables at that moment, and keeps the plan until
 * an ANALYZE or VACUUM of one of them invalidates it. A connection that
 * planned the result write while events held a handful of rows joined the
 * results to events by a walk of a whole index, which looks free on three
 * rows: with 30,000 events queued after it, one write of 16 results read
 * all 30,000, until autovacuum came by (up to autovacuum_naptime, a minute
 * by default, and longer on a busy cluster). So a connection taken from the
 * pool drops its plans (DISCARD PLANS; the prepared statements stay) once
 * they are older than the lifetime, and its next statements are planned
 * from what the tables hold then. Planning them again costs a few
 * milliseconds per connection per lifetime.
 */
import type pg from 'pg';

/** How long a connection keeps its plans by default. */
export const PLAN_LIFETIME_MS = 10_000;

export function refreshPlans(pool: pg.Pool, lifetimeMs: number): void {
  const plannedSince = new WeakMap<pg.PoolClient, number>();
  pool.on('connect', (client) => plannedSince.set(client, performance.now()));
  pool.on('acquire', (client) => {
    const since = plannedSince.get(client);
    if (since === undefined || performance.now() - since < lifetimeMs) return;
    plannedSince.set(client, performance.now());
    // Queued ahead of whatever the caller sends; a connection that fails it
    // fails the caller's statement too, and that error is reported there.
    client.query('DISCARD PLANS').catch(() => undefined);
  });
}
