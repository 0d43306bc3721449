/** The label values of gridhook_delivery_attempts_total. */
export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'timeout' | 'connect_error' | 'refused_address';

export const STATUS_CLASSES: readonly StatusClass[] = [
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  'timeout',
  'connect_error',
  'refused_address',
];

/**
 * Which class an attempt falls in, from what the attempt log records: the
 * receiver's status when it answered, else the sender's reason (its wording
 * is fixed in delivery/sender.ts describeError and guarded-connector.ts).
 */
export function statusClass(httpStatus: number | null, error: string | null): StatusClass {
  if (httpStatus !== null) {
    if (httpStatus < 300) return '2xx';
    if (httpStatus < 400) return '3xx';
    if (httpStatus < 500) return '4xx';
    return '5xx';
  }
  if (error === null) return 'connect_error';
  if (error.startsWith('timeout')) return 'timeout';
  if (error.startsWith('refused to connect to')) return 'refused_address';
  return 'connect_error';
}
