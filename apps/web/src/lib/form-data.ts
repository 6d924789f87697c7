/** The text of a submitted form's inputs named `keys` (a ticked checkbox reads "on", an absent input ""). */
export function readForm<K extends string>(form: HTMLFormElement, keys: readonly K[]): Record<K, string> {
  const data = new FormData(form);
  return Object.fromEntries(keys.map((k) => [k, String(data.get(k) ?? '')])) as Record<K, string>;
}
