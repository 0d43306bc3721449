import type { Store } from '../store/store.js';

/** Not timed: they answer at once (onNewWork), or stream (readParcelChunks), or end the store. */
const UNTIMED = new Set<PropertyKey>(['onNewWork', 'readParcelChunks', 'close']);

/**
 * The store with every operation timed and reported by its method name
 * (gridhook_store_query_duration_seconds{operation}). Each wrapper is made
 * once per method, on first use, and calls it on the real store.
 */
export function instrumentStore(store: Store, report: (operation: string, seconds: number) => void): Store {
  // Keyed by the method itself, so a method replaced on the store is the one timed.
  const wrappers = new WeakMap<object, unknown>();
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      let wrapper = wrappers.get(method);
      if (wrapper === undefined) {
        const operation = String(property);
        wrapper = UNTIMED.has(property)
          ? method.bind(target)
          : (...args: unknown[]): unknown => {
              const started = performance.now();
              const done = (): void => report(operation, (performance.now() - started) / 1000);
              const answer = method.apply(target, args);
              if (answer instanceof Promise) return answer.finally(done);
              done();
              return answer;
            };
        wrappers.set(method, wrapper);
      }
      return wrapper;
    },
  });
}
