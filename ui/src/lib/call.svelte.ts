// One command a screen runs: whether it is running (progress line, buttons disabled) and how it last failed.
import type { AppError } from './bindings';
import { flow } from './flow.svelte';

export class Call<Args extends unknown[], Value> {
  busy = $state(false);
  error = $state<AppError | null>(null);
  readonly #command: (...args: Args) => Promise<Value>;
  readonly #done: (value: Value) => void;

  /** `done` makes the screen transition; callers that decide it per call leave it out and use run's result. */
  constructor(command: (...args: Args) => Promise<Value>, done: (value: Value) => void = () => {}) {
    this.#command = command;
    this.#done = done;
  }

  /** Runs the command unless it is already running; resolves true when it succeeded. */
  async run(...args: Args): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.error = null;
    let value: Value;
    try {
      value = await this.#command(...args);
    } catch (reason) {
      this.error = flow.failed(reason);
      return false;
    } finally {
      this.busy = false;
    }
    this.#done(value);
    return true;
  }
}
