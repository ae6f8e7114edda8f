import { tick } from 'svelte';
import type { Action } from 'svelte/action';

/**
 * Focuses the node on mount, and again each time `when` turns true (e.g. a button that was disabled or
 * hidden behind a dialog). Waits for the pending DOM update, since the node may only then become focusable.
 */
export const autofocus: Action<HTMLElement, boolean | undefined> = (node, when = true) => {
  let active = false;
  const apply = (next: boolean) => {
    if (next && !active) void tick().then(() => node.focus());
    active = next;
  };
  apply(when);
  return { update: (next = true) => apply(next) };
};
