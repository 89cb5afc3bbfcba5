// One part of a view that loads on its own (its value, its own error) and the actions it offers (busy, error).
import type { Envelope } from '../../preload/contract.js';

/** A failed call as the agent answered it: a code and a message, never a secret. */
export interface CallFailure {
  code: string;
  message: string;
}

/**
 * Loads one value through `fetchValue`. A failure is kept in `error` and leaves the last value in
 * place, so one section's error (NoEmbeddedStore, VaultLocked…) never blanks another. Only the
 * latest load's answer counts: an older answer arriving late is dropped.
 */
export class KeysLoader<T> {
  value: T | undefined = $state(undefined);
  error: CallFailure | undefined = $state(undefined);
  loading = $state(false);
  #generation = 0;
  readonly #fetchValue: () => Promise<Envelope<T>>;

  constructor(fetchValue: () => Promise<Envelope<T>>) {
    this.#fetchValue = fetchValue;
  }

  async load(): Promise<void> {
    const generation = ++this.#generation;
    this.loading = true;
    const result = await this.#fetchValue();
    if (generation !== this.#generation) return;
    this.loading = false;
    if (result.ok) {
      this.value = result.value;
      this.error = undefined;
    } else {
      this.error = result.error;
    }
  }
}

/** One kind of action (rotate, create…): at most one call at a time, and the last call's error. */
export class KeysAction {
  busy = $state(false);
  error: CallFailure | undefined = $state(undefined);

  /** The call's value, or undefined when it failed (the failure is in `error`) or another call is under way. */
  async run<R>(call: () => Promise<Envelope<R>>): Promise<R | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    this.error = undefined;
    try {
      const result = await call();
      if (result.ok) return result.value;
      this.error = result.error;
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}
