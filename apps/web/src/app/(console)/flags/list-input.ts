/** The list's first query, shared by the page's prefetch and the view (a server file cannot read a client module's values). */
export const LIST_INPUT = { archived: false } as const;
