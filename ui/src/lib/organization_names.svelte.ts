// The 調達機関's names as the server lists them, for screens that hold only ids (the history's records).
// Best effort: without a server, or when it does not answer, the id is shown instead.
import { api } from './api';
import { flow } from './flow.svelte';

class OrganizationNames {
  #names = $state<Record<string, string>>({});
  /** By `organization/category`. */
  #categories = $state<Record<string, string>>({});
  #asked = false;

  /** Asks the server once per run; later calls reuse the answer. */
  async load(): Promise<void> {
    if (this.#asked || flow.connection?.serverUrl == null) return;
    this.#asked = true;
    try {
      const { organizations } = await api.organizations();
      this.#names = Object.fromEntries(organizations.map((o) => [o.id, o.name]));
      this.#categories = Object.fromEntries(
        organizations.flatMap((o) => o.categories.map((c) => [`${o.id}/${c.id}`, c.name])),
      );
    } catch {
      // The id is shown instead of the name.
      this.#asked = false;
    }
  }

  of(id: string): string {
    return this.#names[id] ?? id;
  }

  category(organization: string, id: string): string {
    return this.#categories[`${organization}/${id}`] ?? id;
  }
}

export const organizationNames = new OrganizationNames();
