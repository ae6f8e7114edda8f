// One command a screen runs: whether it is running (progress line, buttons disabled) and how it last failed.
import type { AppError } from './bindings';
import { flow } from './flow.svelte';

export class Call<Args extends unknown[], Value> {
  busy = $state(false);
  error = $state<AppError | null>(null);
  readonly #command: (...args: Args) => Promise<Value>;
  readonly #done: (value: Value) => void;
  readonly #marksBusy: boolean;

  /**
   * `done` makes the screen transition; callers that decide it per call leave it out and use run's result.
   * `marksBusy: false` for a call that waits on the user (the card swap), which must not mark the page busy.
   */
  constructor(
    command: (...args: Args) => Promise<Value>,
    done: (value: Value) => void = () => {},
    { marksBusy = true }: { marksBusy?: boolean } = {},
  ) {
    this.#command = command;
    this.#done = done;
    this.#marksBusy = marksBusy;
  }

  /** Runs the command unless it is already running; resolves true when it succeeded. */
  async run(...args: Args): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    if (this.#marksBusy) flow.working += 1;
    this.error = null;
    let value: Value;
    try {
      value = await this.#command(...args);
    } catch (reason) {
      this.error = flow.failed(reason);
      return false;
    } finally {
      this.busy = false;
      if (this.#marksBusy) flow.working -= 1;
    }
    this.#done(value);
    return true;
  }
}
