/**
 * Writing attempt results one at a time after a batch was refused for a
 * row's data: every acceptable row goes through at once, the refused one is
 * recorded without the text the database refused, and only when even that is
 * refused is it parked (logged with its eventId; its lease expires and it is
 * attempted again). One bad row never holds back the batch it came in.
 */
import type { Logger } from '../logger.js';
import type { AttemptResult, Store } from '../store/store.js';
import { isRowDataError, storeErrorCode } from '../store/write-errors.js';

/**
 * Records `results` row by row; answers the rows not written because the
 * database became unavailable part-way (retry those later), in order.
 */
export async function recordEachResult(
  store: Pick<Store, 'recordAttempts'>,
  logger: Logger,
  results: AttemptResult[],
): Promise<AttemptResult[]> {
  for (let i = 0; i < results.length; i++) {
    const result = results[i]!;
    try {
      await store.recordAttempts([result]);
      continue;
    } catch (error) {
      if (!isRowDataError(error)) return results.slice(i);
      logger.error(
        { err: error, eventId: result.eventId, error: result.error },
        'the database refused an attempt result; recording it without its error text',
      );
      try {
        await store.recordAttempts([storableVersion(result, storeErrorCode(error))]);
      } catch (again) {
        if (!isRowDataError(again)) return results.slice(i);
        logger.error(
          { err: again, eventId: result.eventId },
          'attempt result parked: the database refuses it; the event is attempted again when its lease expires',
        );
      }
    }
  }
  return [];
}

const INT_MAX = 2_147_483_647;

/**
 * The result with only what gridhook measured itself, each value in its
 * column's range, and the refused text replaced by the reason it was refused.
 */
function storableVersion(result: AttemptResult, code: string): AttemptResult {
  const { durationMs, httpStatus } = result;
  return {
    ...result,
    durationMs: Number.isFinite(durationMs) ? Math.min(Math.max(0, Math.round(durationMs)), INT_MAX) : 0,
    httpStatus: Number.isInteger(httpStatus) && httpStatus! >= 100 && httpStatus! <= 999 ? httpStatus : null,
    error:
      result.outcome === 'Delivered' ? null : `the database refused this attempt's result (${code}); it was recorded without it`,
    responseHeaders: null,
    responseBody: null,
  };
}
